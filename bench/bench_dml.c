/* bench_dml — times double ML (engine/estimate_ml.h) on generated data.
 *
 *   make -C build bench-dml      (or ./build/bench/bench_dml [ROWS])
 *
 * 1. 5-fold DML with XGBoost nuisances (gbm with the defaults of learner.h, 50 rounds at
 *    rate 0.2; gbm with XGBoost's usual 100 rounds at 0.1; rf; 2 threads) on ROWS × 10 features (default 100,000) with nonlinear confounding and a
 *    planted effect 1.
 * 2. LinearDML with linear nuisances on ROWS × 5 (linear confounding), every feature also an
 *    effect modifier (EconML's LinearDML(X=X) shape), planted CATE 1 + 0.5·X1.
 * Prints wall and CPU time (best of 3; rf: one run), the estimate against the truth, and the
 * load average. Figures
 * are informational; targets live in bench/README.md, not in tests. */
#include "../engine/estimate_ml.h"

#include "bench_clock.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static void loadavg(void)
{
	char buf[128];
	wb_bench_loadavg(buf, sizeof buf);
	printf("load average: %s\n", buf[0] ? buf : "unknown");
}

/* Nonlinear: T = 1.5 sin(2 X1) + X2² − 4/3 + v, Y = θ(X) T + 2 sin(2 X1) + X2² + 0.5 X3 + e;
 * linear: T = X1 + X2 + v, Y = θ(X) T + 2 X1 + X2 + 0.5 X3 + e; X ~ U(-2, 2)^p,
 * θ(X) = 1 + b·X1, e, v ~ N(0, 1). */
static void gen(size_t n, size_t p, double b, int linear, double *y, double *t, double *X)
{
	wb_rng *r = wb_rng_new(2026);
	for (size_t i = 0; i < n; i++) {
		double *x = X + i * p;
		for (size_t j = 0; j < p; j++)
			x[j] = 4 * wb_rng_uniform(r) - 2;
		double s = linear ? x[0] : sin(2 * x[0]), q = linear ? x[1] : x[1] * x[1] - 4.0 / 3;
		t[i] = 1.5 * s + q + wb_rng_normal(r, 0, 1);
		y[i] = (1 + b * x[0]) * t[i] + 2 * s + q + 0.5 * x[2] + wb_rng_normal(r, 0, 1);
	}
	wb_rng_free(r);
}

/* CPU seconds (user + system) of this process so far: on a machine shared with other work,
 * CPU time measures the work; wall time also measures the neighbours. */
static double cpu(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
}

static int run(const char *label, const wb_dml_opts *o, const double *y, const double *t,
	       const double *X, size_t n, size_t p, size_t q, int reps)
{
	double best = INFINITY, bestcpu = INFINITY;
	wb_dml_fit f = {0};
	for (int rep = 0; rep < reps; rep++) {
		wb_rng *r = wb_rng_new(1);
		wb_err err;
		wb_dml_fit_free(&f);
		double t0 = wb_bench_now(), c0 = cpu();
		int rc = wb_dml_estimate(o, y, t, X, n, p, q ? X : NULL, q, r, NULL, &f, &err);
		double el = wb_bench_now() - t0, ec = cpu() - c0;
		wb_rng_free(r);
		if (rc) {
			fprintf(stderr, "bench_dml: %s\n", err.msg);
			return 1;
		}
		if (el < best)
			best = el;
		if (ec < bestcpu)
			bestcpu = ec;
	}
	printf("%-50s wall %7.3f s, cpu %7.3f s (best of %d)   theta %.4f (se %.4f, truth 1)",
	       label, best, bestcpu, reps, f.theta, f.se);
	if (q)
		printf(", slope on X1 %.4f (truth 0.5)", f.coef[1]);
	printf(", R2 y %.3f t %.3f\n", f.r2_y, f.r2_t);
	wb_dml_fit_free(&f);
	return 0;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	double *y = malloc(n * sizeof *y), *t = malloc(n * sizeof *t);
	double *X = malloc(n * 10 * sizeof *X);
	if (!y || !t || !X)
		return 1;
	wb_err_gsl_init();
	loadavg();
	int rc = 0;
	char label[96];
	wb_dml_opts o;
	wb_dml_opts_default(&o);
	o.learner_y.threads = o.learner_t.threads = 2;
	gen(n, 10, 0, 0, y, t, X);
	snprintf(label, sizeof label, "DML 5-fold, gbm nuisances (defaults), %zu x 10", n);
	rc |= run(label, &o, y, t, X, n, 10, 0, 3);
	/* XGBoost's own defaults for comparison: twice the rounds at half the rate */
	o.learner_y.n_estimators = o.learner_t.n_estimators = 100;
	o.learner_y.eta = o.learner_t.eta = 0.1;
	snprintf(label, sizeof label, "DML 5-fold, gbm 100 rounds eta .1, %zu x 10", n);
	rc |= run(label, &o, y, t, X, n, 10, 0, 3);
	wb_learner_opts_default(&o.learner_y, WB_LEARNER_RF);
	wb_learner_opts_default(&o.learner_t, WB_LEARNER_RF);
	o.learner_y.threads = o.learner_t.threads = 2;
	snprintf(label, sizeof label, "DML 5-fold, rf nuisances, %zu x 10", n);
	rc |= run(label, &o, y, t, X, n, 10, 0, 1);
	gen(n, 5, 0.5, 1, y, t, X);
	wb_learner_opts_default(&o.learner_y, WB_LEARNER_LINEAR);
	wb_learner_opts_default(&o.learner_t, WB_LEARNER_LINEAR);
	snprintf(label, sizeof label, "LinearDML, linear nuisances, %zu x 5", n);
	rc |= run(label, &o, y, t, X, n, 5, 5, 3);
	loadavg();
	free(y);
	free(t);
	free(X);
	return rc;
}
