/*
 * tap.h — a very small TAP producer for the unit tests (one header, no library).
 *
 *   ok(cond, "name", ...)            one test point
 *   near(got, want, tol, "name", ...) |got - want| <= tol, printing both on failure
 *   streq(got, want, "name", ...)
 *   return done();                   prints the plan, exit status 1 if any point failed
 */
#ifndef WB_TAP_H
#define WB_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static void tap_vpoint(int pass, const char *fmt, va_list ap)
{
	tap_n++;
	if (!pass)
		tap_failed++;
	printf("%s %d - ", pass ? "ok" : "not ok", tap_n);
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
}

__attribute__((format(printf, 2, 3), unused)) static int ok(int pass, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tap_vpoint(pass, fmt, ap);
	va_end(ap);
	return pass;
}

__attribute__((format(printf, 4, 5), unused)) static int near(double got, double want, double tol,
							     const char *fmt, ...)
{
	int pass = fabs(got - want) <= tol || (isnan(got) && isnan(want));
	va_list ap;
	va_start(ap, fmt);
	tap_vpoint(pass, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("#   got %.17g, want %.17g (tolerance %g)\n", got, want, tol);
	return pass;
}

__attribute__((format(printf, 3, 4), unused)) static int streq(const char *got, const char *want,
							      const char *fmt, ...)
{
	int pass = got && want && strcmp(got, want) == 0;
	va_list ap;
	va_start(ap, fmt);
	tap_vpoint(pass, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("#   got  \"%s\"\n#   want \"%s\"\n", got ? got : "(null)", want ? want : "(null)");
	return pass;
}

__attribute__((unused)) static int done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
