/* bench_layout — times engine/layout on random graphs of the size the graph pane draws.
 *
 *   make -C build bench-layout        (or ./build/bench/bench_layout [NODES] [EDGES])
 *
 * A seeded random DAG of NODES nodes (default 40) and EDGES edges (default 80; 10% of them
 * bidirected), laid out 50 times; prints the best and median wall time, the drawing's size,
 * its layers and the crossings before and after reduction. Also the same for 20 and 60 nodes.
 * Figures are informational; the target (< 50 ms for 40 nodes) lives in bench/README.md. */
#include "../engine/layout.h"
#include "../engine/rng.h"

#include "bench_clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define REPS 50

/* n nodes in a random order; edges between random pairs, directed along that order. */
static wb_graph *random_graph(size_t n, size_t m, wb_rng *r)
{
	wb_graph *g = wb_graph_new();
	wb_err err;
	size_t *perm = malloc(n * sizeof *perm);
	for (size_t i = 0; i < n; i++) {
		char name[32];
		snprintf(name, sizeof name, "node%zu", i);
		wb_graph_add_node(g, name, &err);
		perm[i] = i;
	}
	wb_rng_shuffle(r, perm, n);
	for (size_t tries = 0; wb_graph_nedges(g) < m && tries < 100 * m; tries++) {
		size_t i = wb_rng_int(r, n), j = wb_rng_int(r, n);
		if (i == j || wb_graph_adjacent(g, perm[i], perm[j]))
			continue;
		size_t a = perm[i < j ? i : j], b = perm[i < j ? j : i];
		if (wb_rng_uniform(r) < 0.1)
			wb_graph_add_bidirected(g, a, b, &err);
		else
			wb_graph_add_directed(g, a, b, &err);
	}
	free(perm);
	return g;
}

static int bench(size_t n, size_t m, uint64_t seed)
{
	wb_rng *r = wb_rng_new(seed);
	wb_graph *g = random_graph(n, m, r);
	double t[REPS];
	wb_layout *l = NULL;
	wb_err err;
	for (int k = 0; k < REPS; k++) {
		wb_layout_free(l);
		double t0 = wb_bench_now();
		if (wb_layout_compute(g, NULL, &l, &err) < 0) {
			fprintf(stderr, "bench_layout: %s\n", err.msg);
			wb_graph_free(g);
			wb_rng_free(r);
			return 1;
		}
		t[k] = wb_bench_now() - t0;
	}
	qsort(t, REPS, sizeof *t, wb_bench_cmp_double);
	long c0, c1;
	wb_layout_crossings(l, &c0, &c1);
	printf("%3zu nodes %3zu edges: best %.2f ms, median %.2f ms; %d layers, %d x %d cells, "
	       "crossings %ld -> %ld\n",
	       n, wb_graph_nedges(g), t[0] * 1e3, t[REPS / 2] * 1e3, wb_layout_nlayers(l),
	       wb_layout_width(l), wb_layout_height(l), c0, c1);
	wb_layout_free(l);
	wb_graph_free(g);
	wb_rng_free(r);
	return 0;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 40;
	size_t m = argc > 2 ? strtoul(argv[2], NULL, 10) : 2 * n;
	printf("bench_layout: best and median of %d layouts\n", REPS);
	int rc = bench(n, m, 1);
	if (argc == 1) {
		rc |= bench(20, 40, 2);
		rc |= bench(60, 120, 3);
	}
	return rc;
}
