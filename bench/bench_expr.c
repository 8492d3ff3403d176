/* bench_expr — times the evaluator of engine/expr on 1,000,000 rows.
 *
 *   make -C build bench/bench_expr && ./build/bench/bench_expr [ROWS]
 *
 * Prints parse and evaluation times (best of 5) for a derive-like expression, and the rows
 * per second. Figures are informational; targets live in bench/README.md, not in tests. */
#include "../engine/expr.h"
#include "../engine/frame.h"
#include "../engine/rng.h"

#include "bench_clock.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int bench(const wb_frame *f, const char *text, double *out)
{
	wb_err err;
	wb_expr *e = NULL;
	double t0 = wb_bench_now();
	if (wb_expr_parse(text, f, &e, &err) != 0) {
		fprintf(stderr, "bench_expr: %s\n", err.msg);
		return 1;
	}
	double tparse = wb_bench_now() - t0, best = INFINITY;
	for (int rep = 0; rep < 5; rep++) {
		t0 = wb_bench_now();
		if (wb_expr_eval(e, f, out, &err) != 0) {
			fprintf(stderr, "bench_expr: %s\n", err.msg);
			wb_expr_free(e);
			return 1;
		}
		double t = wb_bench_now() - t0;
		if (t < best)
			best = t;
	}
	size_t n = wb_frame_nrows(f);
	printf("%-45s parse %.1f us, eval %.2f ms (%.0f Mrows/s)\n", text, tparse * 1e6, best * 1e3,
	       (double)n / best / 1e6);
	wb_expr_free(e);
	return 0;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
	wb_rng *rng = wb_rng_new(1);
	wb_frame *f = wb_frame_new(n);
	double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b), *c = malloc(n * sizeof *c);
	double *out = malloc(n * sizeof *out);
	for (size_t i = 0; i < n; i++) {
		a[i] = wb_rng_uniform(rng) * 10;
		b[i] = wb_rng_normal(rng, 3, 1);
		c[i] = wb_rng_uniform(rng) < 0.1 ? NAN : wb_rng_normal(rng, 0, 1);
	}
	wb_err err;
	wb_frame_set_column(f, "a", WB_COL_NUMERIC, a, &err);
	wb_frame_set_column(f, "b", WB_COL_NUMERIC, b, &err);
	wb_frame_set_column(f, "c", WB_COL_NUMERIC, c, &err);
	printf("bench_expr: %zu rows\n", n);
	int rc = bench(f, "log(a + 1) * 2 > b and not isna(c)", out);
	rc |= bench(f, "a + b * c - 1", out);
	rc |= bench(f, "if(c > 0, a, b) / 2", out);
	wb_frame_free(f);
	wb_rng_free(rng);
	free(a);
	free(b);
	free(c);
	free(out);
	return rc;
}
