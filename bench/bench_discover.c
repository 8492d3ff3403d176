/* bench_discover.c — PC-stable (Fisher-z, alpha 0.01) and GES (BIC) on random linear-Gaussian
 * DAGs of 20 and 50 variables × 100,000 rows: the data are generated (generate lineardag),
 * written as CSV and loaded back with wb_frame_load_csv; then only the search is timed, from
 * the loaded frame to the CPDAG (that includes the one pass computing the correlation matrix).
 * Also prints the SHD of each CPDAG against the CPDAG of the true graph.
 *
 *   bench/bench_discover [OUTDIR]     (default bench/out; CSVs are kept there)
 */
#include "../engine/discover.h"
#include "../engine/graph_compare.h"
#include "../engine/simulate.h"

#include "bench_clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define REPS 7

static int bench(const char *dir, size_t p, double degree, uint64_t seed)
{
	wb_err err;
	wb_rng *rng = wb_rng_new(seed);
	wb_sim_params par = {100000, p, degree};
	wb_frame *gen = NULL, *f = NULL;
	char path[512];
	snprintf(path, sizeof path, "%s/lineardag_%zu_100k.csv", dir, p);
	if (wb_simulate("lineardag", &par, rng, &gen, NULL, &err) ||
	    wb_frame_save_csv(gen, path, ',', &err) ||
	    wb_frame_load_csv(path, NULL, &f, NULL, &err)) {
		fprintf(stderr, "bench_discover: %s\n", err.msg);
		return 1;
	}
	wb_frame_set_attr(f, "truth", wb_frame_attr(gen, "truth"));
	wb_graph *truth;
	if (wb_graph_from_truth(f, &truth, &err)) {
		fprintf(stderr, "bench_discover: %s\n", err.msg);
		return 1;
	}
	size_t cols[64];
	for (size_t j = 0; j < p; j++)
		cols[j] = j;
	printf("lineardag p=%zu n=100000 degree=%g seed=%llu: %zu true edges (%s)\n", p, degree,
	       (unsigned long long)seed, wb_graph_nedges(truth), path);
	for (int algo = 0; algo < 2; algo++) {
		wb_discover_options opt = {0.01, -1, WB_CI_FISHERZ, 0, NULL, 0, 2};
		double t[REPS];
		wb_discovery d = {0};
		for (int r = 0; r < REPS; r++) {
			wb_discovery_free(&d);
			double t0 = wb_bench_now();
			if (wb_discover(algo, f, cols, p, &opt, NULL, NULL, &d, &err)) {
				fprintf(stderr, "bench_discover: %s\n", err.msg);
				return 1;
			}
			t[r] = wb_bench_now() - t0;
		}
		qsort(t, REPS, sizeof *t, wb_bench_cmp_double);
		wb_graph_diff diff;
		wb_graph_compare(d.graph, truth, 1, &diff, NULL, NULL, &err);
		printf("  %-3s  search %.4f s (median of %d; min %.4f)  %3zu edges  SHD %zu "
		       "(missing %zu, extra %zu, orientation %zu)  adj P/R %.2f/%.2f  arrow P/R "
		       "%.2f/%.2f\n",
		       algo ? "GES" : "PC", t[REPS / 2], REPS, t[0], wb_graph_nedges(d.graph),
		       diff.shd, diff.missing, diff.extra, diff.orientation, diff.adj_precision,
		       diff.adj_recall, diff.arrow_precision, diff.arrow_recall);
		printf("       %s\n", wb_result_note(d.edges, 0));
		wb_discovery_free(&d);
	}
	wb_graph_free(truth);
	wb_frame_free(gen);
	wb_frame_free(f);
	wb_rng_free(rng);
	return 0;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "bench/out";
	mkdir(dir, 0777);
	wb_err_gsl_init();
	int rc = bench(dir, 20, 2.5, 1);
	rc |= bench(dir, 50, 2.5, 1);
	return rc;
}
