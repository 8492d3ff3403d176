/*
 * numdiff.c — compares a golden file with the output of a run: the text must be the same,
 * and every number in it must agree to a relative tolerance of 1e-6 (or an absolute one of
 * 1e-12 near zero).
 *
 * Why: JSON output carries numbers at full precision (the shortest text that reads back
 * exactly), and the last bits of a sum depend on how BLAS splits it — valgrind makes OpenBLAS
 * pick other kernels, threads change summation order — and a spread of nearly equal values
 * (the sd of refuter effects) magnifies them. Such bits are not part of the contract; the six
 * significant digits that the text output shows are.
 *
 *   numdiff WANT GOT    exit 0 when they agree, 1 when not (naming the first difference), 2 on
 *                       an unreadable file
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REL_TOL 1e-6
#define ABS_TOL 1e-12

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap + 1);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n, fp);
		n += got;
		if (n < cap)
			break;
		char *bigger = realloc(buf, 2 * cap + 1);
		if (!bigger) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = bigger;
		cap *= 2;
	}
	fclose(fp);
	if (buf) {
		buf[n] = '\0';
		*len = n;
	}
	return buf;
}

/* Does a number start at s? (a digit, or a sign or point followed by one) */
static int starts_number(const char *s)
{
	if (isdigit((unsigned char)s[0]))
		return 1;
	if (s[0] == '-' || s[0] == '+')
		s++;
	if (s[0] == '.')
		s++;
	return isdigit((unsigned char)s[0]);
}

static int agree(double a, double b)
{
	if (a == b)
		return 1;
	double d = fabs(a - b);
	return d <= ABS_TOL || d <= REL_TOL * fmax(fabs(a), fabs(b));
}

static size_t line_of(const char *start, const char *at)
{
	size_t line = 1;
	for (const char *p = start; p < at; p++)
		line += *p == '\n';
	return line;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: numdiff WANT GOT\n");
		return 2;
	}
	size_t na, nb;
	char *a = slurp(argv[1], &na), *b = slurp(argv[2], &nb);
	if (!a || !b) {
		fprintf(stderr, "numdiff: cannot read %s\n", a ? argv[2] : argv[1]);
		free(a);
		free(b);
		return 2;
	}
	const char *p = a, *q = b;
	int same = 1;
	while (*p || *q) {
		/* A number after a letter or digit is part of a word ("X12"): compare it as text. */
		int word = p > a && (isalnum((unsigned char)p[-1]) || p[-1] == '_');
		if (!word && starts_number(p) && starts_number(q)) {
			char *ep, *eq;
			double x = strtod(p, &ep), y = strtod(q, &eq);
			if (!agree(x, y)) {
				fprintf(stderr, "numdiff: line %zu: %.*s, want %.*s\n", line_of(b, q),
					(int)(eq - q), q, (int)(ep - p), p);
				same = 0;
				break;
			}
			p = ep;
			q = eq;
			continue;
		}
		if (*p != *q) {
			fprintf(stderr, "numdiff: line %zu differs\n", line_of(b, q));
			same = 0;
			break;
		}
		p++;
		q++;
	}
	free(a);
	free(b);
	return same ? 0 : 1;
}
