/* bench_identify — times engine/identify on random DAGs of the size the issue names.
 *
 *   make -C build bench-identify        (or ./build/bench/bench_identify [NODES] [EDGES])
 *
 * For 20 seeded random DAGs of NODES nodes (default 50) and EDGES edges (default 100: a random
 * topological order, edges between random pairs directed along it), picks the exposure/outcome
 * pair (Y a descendant of X, not adjacent) with the most ancestors, and times listing all
 * minimal adjustment sets (wb_identify_adjustment_sets), the whole identify (adjustment,
 * frontdoor, instruments), and the graph's testable implications. Prints the best, median and
 * worst wall time of each and the number of sets. The target (< 100 ms for all minimal
 * adjustment sets at 50 nodes / 100 edges) lives in bench/README.md. */
#include "../engine/graph.h"
#include "../engine/identify.h"
#include "../engine/rng.h"

#include "bench_clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define GRAPHS 20

static wb_graph *random_dag(size_t n, size_t m, wb_rng *r)
{
	wb_graph *g = wb_graph_new();
	wb_err err;
	size_t *perm = malloc(n * sizeof *perm);
	for (size_t i = 0; i < n; i++) {
		char name[32];
		snprintf(name, sizeof name, "V%zu", i);
		wb_graph_add_node(g, name, &err);
		perm[i] = i;
	}
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = wb_rng_int(r, i + 1), t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}
	for (size_t k = 0; k < m && k < n * (n - 1) / 2;) {
		size_t a = wb_rng_int(r, n), b = wb_rng_int(r, n);
		if (a == b || wb_graph_adjacent(g, perm[a], perm[b]))
			continue;
		if (a > b) {
			size_t t = a;
			a = b;
			b = t;
		}
		wb_graph_add_directed(g, perm[a], perm[b], &err);
		k++;
	}
	free(perm);
	return g;
}

/* The pair (x, y), y a non-adjacent descendant of x, with the most common ancestry. */
static int pick_pair(const wb_graph *g, size_t *x, size_t *y)
{
	size_t n = wb_graph_nnodes(g), best = 0;
	int found = 0;
	for (size_t a = 0; a < n; a++)
		for (size_t b = 0; b < n; b++) {
			if (a == b || wb_graph_adjacent(g, a, b) ||
			    !wb_graph_has_directed_path(g, a, b))
				continue;
			size_t anc = 0;
			for (size_t v = 0; v < n; v++)
				anc += wb_graph_has_directed_path(g, v, a) +
				       wb_graph_has_directed_path(g, v, b);
			if (!found || anc > best) {
				best = anc;
				*x = a;
				*y = b;
				found = 1;
			}
		}
	return found;
}

static void report(const char *what, double *t, size_t k)
{
	qsort(t, k, sizeof *t, wb_bench_cmp_double);
	printf("%-34s best %8.3f ms  median %8.3f ms  worst %8.3f ms\n", what, t[0] * 1e3,
	       t[k / 2] * 1e3, t[k - 1] * 1e3);
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 50;
	size_t m = argc > 2 ? strtoul(argv[2], NULL, 10) : 100;
	double tsets[GRAPHS], tall[GRAPHS], timp[GRAPHS];
	size_t nsets[GRAPHS], nimps[GRAPHS], k = 0, maxsets = 0, totsets = 0;
	wb_err err;
	for (unsigned seed = 1; seed <= GRAPHS; seed++) {
		wb_rng *r = wb_rng_new(seed);
		wb_graph *g = random_dag(n, m, r);
		wb_rng_free(r);
		size_t x, y;
		if (!pick_pair(g, &x, &y)) {
			wb_graph_free(g);
			continue;
		}
		wb_sets s;
		double t0 = wb_bench_now();
		if (wb_identify_adjustment_sets(g, &x, 1, &y, 1, NULL, 0, &s, &err)) {
			fprintf(stderr, "bench_identify: %s\n", err.msg);
			return 1;
		}
		tsets[k] = wb_bench_now() - t0;
		nsets[k] = s.n;
		wb_identify_sets_free(&s);
		wb_identification id;
		t0 = wb_bench_now();
		if (wb_identify_effect(g, &x, 1, &y, 1, &id, &err)) {
			fprintf(stderr, "bench_identify: %s\n", err.msg);
			return 1;
		}
		tall[k] = wb_bench_now() - t0;
		wb_identify_free(&id);
		wb_implication *imp;
		t0 = wb_bench_now();
		if (wb_identify_implications(g, &imp, &nimps[k], &err)) {
			fprintf(stderr, "bench_identify: %s\n", err.msg);
			return 1;
		}
		timp[k] = wb_bench_now() - t0;
		wb_identify_implications_free(imp, nimps[k]);
		totsets += nsets[k];
		if (nsets[k] > maxsets)
			maxsets = nsets[k];
		k++;
		wb_graph_free(g);
	}
	if (k == 0) {
		fprintf(stderr, "bench_identify: no graph had a usable exposure/outcome pair\n");
		return 1;
	}
	printf("bench_identify: %zu random DAGs, %zu nodes, %zu edges\n", k, n, m);
	printf("minimal adjustment sets per graph: mean %.1f, most %zu\n",
	       (double)totsets / (double)k, maxsets);
	report("all minimal adjustment sets", tsets, k);
	report("identify (adjust, frontdoor, IV)", tall, k);
	report("testable implications", timp, k);
	return 0;
}
