/* bench_effects.c — timings of estimate and refute (make bench-effects): regression
 * adjustment on 1,000,000 × 10, each refuter with 100 simulations on 100,000 × 10 and
 * 1,000,000 × 10, AIPW on 100,000 × 10. Data: k standard-normal covariates, T ~ Bernoulli(logistic(
 * 0.4 X1 - 0.3 X2)), Y = 1.0 T + sum 0.2 X_j + N(0,1), seeded. Prints one line per figure with
 * the best of five runs (estimates) or two (refuters), the load average beside it. */
#include "../engine/estimate.h"
#include "../engine/refute.h"

#include "bench_clock.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double last_cpu; /* CPU seconds of the best run, summed over threads */

static wb_frame *make(size_t n, size_t k, char names[][8])
{
	wb_frame *f = wb_frame_new(n);
	wb_rng *g = wb_rng_new(2026);
	double *x = malloc(n * k * sizeof *x), *t = malloc(n * sizeof *t),
	       *y = malloc(n * sizeof *y);
	wb_err err = {0};
	for (size_t i = 0; i < n; i++) {
		double s = 0;
		for (size_t j = 0; j < k; j++) {
			x[j * n + i] = wb_rng_normal(g, 0, 1);
			s += 0.2 * x[j * n + i];
		}
		double eta = 0.4 * x[i] - 0.3 * x[n + i];
		t[i] = wb_rng_bernoulli(g, 1 / (1 + exp(-eta)));
		y[i] = t[i] + s + wb_rng_normal(g, 0, 1);
	}
	for (size_t j = 0; j < k; j++) {
		snprintf(names[j], 8, "X%zu", j + 1);
		wb_frame_set_column(f, names[j], WB_COL_NUMERIC, x + j * n, &err);
	}
	wb_frame_set_column(f, "T", WB_COL_BINARY, t, &err);
	wb_frame_set_column(f, "Y", WB_COL_NUMERIC, y, &err);
	free(x);
	free(t);
	free(y);
	wb_rng_free(g);
	return f;
}

static wb_estimate *estimate(const wb_frame *f, const char *method, size_t k, char names[][8],
			     wb_rng *rng, double *secs)
{
	const char *adj[16];
	for (size_t j = 0; j < k; j++)
		adj[j] = names[j];
	wb_estimate_spec s = {0};
	s.method = method;
	s.treatment = "T";
	s.outcome = "Y";
	s.adjust = adj;
	s.nadjust = k;
	s.rng = rng;
	wb_estimate *e = NULL;
	*secs = INFINITY;
	for (int rep = 0; rep < 5; rep++) {
		wb_err err = {0};
		wb_estimate_free(e);
		double t0 = wb_bench_now(), c0 = wb_bench_cpu();
		if (wb_estimate_run(f, &s, &e, &err)) {
			fprintf(stderr, "bench_effects: %s\n", err.msg);
			exit(1);
		}
		double dt = wb_bench_now() - t0;
		if (dt < *secs) {
			*secs = dt;
			last_cpu = wb_bench_cpu() - c0;
		}
	}
	return e;
}

static void line(const char *what, double secs, double target)
{
	char la[128];
	wb_bench_loadavg(la, sizeof la);
	la[strcspn(la, " ")] = '\0'; /* the 1-minute figure */
	printf("%-50s wall %7.3f s  cpu %7.3f s  target %5.2f s  %s  load %s\n", what, secs,
	       last_cpu, target, secs <= target ? "ok  " : "SLOW", la);
	fflush(stdout);
}

static void refuters(const wb_frame *f, size_t n, size_t k, char names[][8], wb_rng *rng,
		     double target)
{
	double secs;
	wb_estimate *e = estimate(f, "regression", k, names, rng, &secs);
	static const char *const kinds[] = {"placebo", "random-cause", "subset", "bootstrap",
					    "dummy-outcome"};
	for (size_t r = 0; r < 5; r++) {
		wb_refute_opts o = {.n = 100, .rng = rng};
		double best = INFINITY;
		for (int rep = 0; rep < 2; rep++) {
			wb_result *res = NULL;
			wb_err err = {0};
			double t0 = wb_bench_now(), c0 = wb_bench_cpu();
			if (wb_refute_run(e, kinds[r], &o, &res, &err)) {
				fprintf(stderr, "bench_effects: %s\n", err.msg);
				exit(1);
			}
			double dt = wb_bench_now() - t0;
			if (dt < best) {
				best = dt;
				last_cpu = wb_bench_cpu() - c0;
			}
			wb_result_free(res);
		}
		char what[128];
		snprintf(what, sizeof what, "refute %s, 100 sims, %zu x %zu", kinds[r], n, k);
		line(what, best, target);
	}
	/* the 6 x 6 grid is 36 refits */
	wb_refute_opts o = {.rng = rng};
	wb_result *res = NULL;
	wb_err err = {0};
	double t0 = wb_bench_now(), c0 = wb_bench_cpu();
	if (wb_refute_run(e, "unobserved", &o, &res, &err) == 0) {
		char what[128];
		snprintf(what, sizeof what, "refute unobserved, 6 x 6 grid, %zu x %zu", n, k);
		double dt = wb_bench_now() - t0;
		last_cpu = wb_bench_cpu() - c0;
		line(what, dt, target);
	}
	wb_result_free(res);
	wb_estimate_free(e);
}

int main(int argc, char **argv)
{
	int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
	wb_err_gsl_init();
	wb_rng *rng = wb_rng_new(7);
	char names[16][8];
	size_t big = quick ? 100000 : 1000000;
	wb_frame *f = make(big, 10, names);
	double secs;
	wb_estimate *e = estimate(f, "regression", 10, names, rng, &secs);
	char what[128];
	snprintf(what, sizeof what, "estimate regression (HC1), %zu x 10", big);
	line(what, secs, 0.1);
	printf("    effect %.4f (truth 1.0), se %.4f\n", wb_estimate_contrast(e, 0)->effect,
	       wb_estimate_contrast(e, 0)->se);
	wb_estimate_free(e);
	wb_frame_free(f);

	f = make(100000, 10, names);
	e = estimate(f, "aipw", 10, names, rng, &secs);
	line("estimate aipw, 100000 x 10", secs, 0.1);
	printf("    effect %.4f (truth 1.0), se %.4f\n", wb_estimate_contrast(e, 0)->effect,
	       wb_estimate_contrast(e, 0)->se);
	wb_estimate_free(e);
	wb_frame_free(f);

	f = make(100000, 10, names);
	refuters(f, 100000, 10, names, rng, 0.2);
	wb_frame_free(f);
	if (!quick) {
		f = make(1000000, 10, names);
		refuters(f, 1000000, 10, names, rng, 2.0);
		wb_frame_free(f);
	}
	wb_rng_free(rng);
	return 0;
}
