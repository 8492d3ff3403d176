/* discover_ges.c — Greedy Equivalence Search (Chickering 2002, "Optimal structure
 * identification with greedy search", JMLR 3: the Insert and Delete operators of Theorems 15
 * and 17 and their validity conditions) with the BIC score of linear-Gaussian data
 * (Schwarz 1978), local scores from the correlation matrix, cached. See discover.h. */
#include "discover_impl.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A step must gain more than this to be taken (guards against rounding loops). */
#define GES_EPS 1e-9
/* Subsets of candidate sets larger than this are searched only up to size 3. */
#define GES_FULL_SUBSETS 12

/* ---- cached local scores ---- */

typedef struct ges {
	const double *R; /* p × p correlations */
	size_t p, W;	 /* W: 64-bit words per parent set */
	double n, lambda;
	uint64_t *keys; /* cap × (W + 1): node + 1 (0: empty slot), then the parent bit set */
	double *val;
	size_t cap, used;
	const wb_kb *kb;
	uint64_t *mask; /* scratch parent set */
	size_t *list;	/* scratch parent list */
	int rc;
} ges;

static uint64_t hash_key(const uint64_t *k, size_t W)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL;
	for (size_t i = 0; i <= W; i++) {
		h ^= k[i] + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
		h *= 0xbf58476d1ce4e5b9ULL;
	}
	return h ^ (h >> 31);
}

static int cache_grow(ges *G)
{
	size_t ncap = G->cap ? 2 * G->cap : 4096, K = G->W + 1;
	uint64_t *keys = calloc(ncap * K, sizeof *keys);
	double *val = malloc(ncap * sizeof *val);
	if (!keys || !val) {
		free(keys);
		free(val);
		return WB_ENOMEM;
	}
	for (size_t i = 0; i < G->cap; i++) {
		const uint64_t *k = G->keys + i * K;
		if (!k[0])
			continue;
		size_t j = hash_key(k, G->W) & (ncap - 1);
		while (keys[j * K])
			j = (j + 1) & (ncap - 1);
		memcpy(keys + j * K, k, K * sizeof *k);
		val[j] = G->val[i];
	}
	free(G->keys);
	free(G->val);
	G->keys = keys;
	G->val = val;
	G->cap = ncap;
	return 0;
}

/* BIC local score of y with parents list[0..k-1]: −(n/2)·ln σ²_{y|P} − λ·k, where σ² is the
 * residual variance of the standardised y, 1 − r'R_PP⁻¹r, from a Cholesky factor of R_PP. */
static double compute_score(const ges *G, size_t y, const size_t *P, size_t k)
{
	if (k == 0)
		return 0;
	size_t p = G->p;
	double stackbuf[24 * 24 + 24], *A = stackbuf;
	if (k > 23 && !(A = malloc((k * k + k) * sizeof *A)))
		return NAN;
	double *r = A + k * k;
	for (size_t a = 0; a < k; a++) {
		for (size_t b = 0; b < k; b++)
			A[a * k + b] = G->R[P[a] * p + P[b]];
		r[a] = G->R[P[a] * p + y];
	}
	gsl_matrix_view M = gsl_matrix_view_array(A, k, k);
	gsl_vector_view v = gsl_vector_view_array(r, k);
	double s2 = NAN;
	if (gsl_linalg_cholesky_decomp1(&M.matrix) == GSL_SUCCESS &&
	    gsl_blas_dtrsv(CblasLower, CblasNoTrans, CblasNonUnit, &M.matrix, &v.vector) == 0) {
		s2 = 1;
		for (size_t a = 0; a < k; a++)
			s2 -= r[a] * r[a];
		if (s2 < 1e-300)
			s2 = 1e-300;
	}
	if (A != stackbuf)
		free(A);
	return -0.5 * G->n * log(s2) - G->lambda * (double)k;
}

/* The score of y given the parent set in G->mask (cached). */
static double score(ges *G, size_t y)
{
	size_t K = G->W + 1;
	if (2 * (G->used + 1) > G->cap && cache_grow(G)) {
		G->rc = WB_ENOMEM;
		return NAN;
	}
	uint64_t key[K];
	key[0] = y + 1;
	memcpy(key + 1, G->mask, G->W * sizeof *key);
	size_t j = hash_key(key, G->W) & (G->cap - 1);
	for (;; j = (j + 1) & (G->cap - 1)) {
		uint64_t *k = G->keys + j * K;
		if (!k[0])
			break;
		if (memcmp(k, key, K * sizeof *key) == 0)
			return G->val[j];
	}
	size_t n = 0;
	for (size_t v = 0; v < G->p; v++)
		if (G->mask[v / 64] >> (v % 64) & 1)
			G->list[n++] = v;
	double s = compute_score(G, y, G->list, n);
	if (isnan(s)) {
		G->rc = WB_ENUMERIC;
		return NAN;
	}
	memcpy(G->keys + j * K, key, K * sizeof *key);
	G->val[j] = s;
	G->used++;
	return s;
}

static void mask_clear(ges *G)
{
	memset(G->mask, 0, G->W * sizeof *G->mask);
}

static void mask_add(ges *G, size_t v)
{
	G->mask[v / 64] |= 1ULL << (v % 64);
}

static void mask_del(ges *G, size_t v)
{
	G->mask[v / 64] &= ~(1ULL << (v % 64));
}

/* score(y, base ∪ {x}) − score(y, base) with base = set[0..n) ∪ parents of y, minus x. */
static double delta_with(ges *G, const wb_pdag *g, size_t y, size_t x, const size_t *set, size_t n)
{
	mask_clear(G);
	for (size_t v = 0; v < G->p; v++)
		if (wb_pdag_dir(g, v, y))
			mask_add(G, v);
	for (size_t i = 0; i < n; i++)
		mask_add(G, set[i]);
	mask_del(G, x);
	double without = score(G, y);
	mask_add(G, x);
	return score(G, y) - without;
}

/* ---- graph helpers ---- */

static int is_clique(const wb_pdag *g, const size_t *s, size_t n)
{
	for (size_t a = 0; a < n; a++)
		for (size_t b = a + 1; b < n; b++)
			if (!wb_pdag_adj(g, s[a], s[b]))
				return 0;
	return 1;
}

/* Nonzero if some semi-directed path from y reaches x without passing through a node of
 * block[0..nb) (Chickering 2002, Theorem 15, condition 2). */
static int semi_directed_path(const wb_pdag *g, size_t y, size_t x, const size_t *block, size_t nb,
			      unsigned char *seen, size_t *queue)
{
	size_t p = g->p, head = 0, tail = 0;
	memset(seen, 0, p);
	for (size_t i = 0; i < nb; i++)
		seen[block[i]] = 1;
	queue[tail++] = y;
	seen[y] = 1;
	while (head < tail) {
		size_t v = queue[head++];
		for (size_t w = 0; w < p; w++) {
			/* v -> w or v -- w: the mark at v's end is a tail */
			if (seen[w] || g->m[w * p + v] != WB_MARK_TAIL)
				continue;
			if (w == x)
				return 1;
			seen[w] = 1;
			queue[tail++] = w;
		}
	}
	return 0;
}

/* Subsets of items[0..n): by size, then in lexicographic order; all of them when n is small,
 * else those of size at most 3. */
typedef struct subsets {
	size_t n, k, kmax;
	size_t c[64];
	int fresh;
} subsets;

static void subsets_start(subsets *it, size_t n)
{
	it->n = n;
	it->k = 0;
	it->kmax = n <= GES_FULL_SUBSETS ? n : 3;
	it->fresh = 1;
}

/* The next subset into out (*nout items); 0 when there are no more. */
static int subsets_next(subsets *it, const size_t *items, size_t *out, size_t *nout)
{
	size_t k = it->k, n = it->n;
	if (it->fresh) {
		it->fresh = 0;
	} else {
		size_t i = k;
		while (i > 0 && it->c[i - 1] == n - k + i - 1)
			i--;
		if (i == 0) { /* next size */
			if (++it->k > it->kmax)
				return 0;
			k = it->k;
			for (size_t j = 0; j < k; j++)
				it->c[j] = j;
		} else {
			it->c[i - 1]++;
			for (size_t j = i; j < k; j++)
				it->c[j] = it->c[j - 1] + 1;
		}
	}
	for (size_t j = 0; j < k; j++)
		out[j] = items[it->c[j]];
	*nout = k;
	return 1;
}

/* ---- the operators ---- */

typedef struct op {
	double gain;
	size_t x, y;
	size_t set[64]; /* Insert: T; Delete: H */
	size_t nset;
} op;

static void best_insert(ges *G, const wb_pdag *g, op *best, unsigned char *seen, size_t *queue)
{
	size_t p = G->p;
	size_t NA[p], T0[p], C[p + 1], T[p];
	for (size_t y = 0; y < p && !G->rc; y++)
		for (size_t x = 0; x < p && !G->rc; x++) {
			if (x == y || wb_pdag_adj(g, x, y) || !wb_kb_allows(G->kb, x, y))
				continue;
			size_t na = 0, nt0 = 0;
			for (size_t v = 0; v < p; v++)
				if (v != x && wb_pdag_undir(g, v, y)) {
					if (wb_pdag_adj(g, v, x))
						NA[na++] = v;
					else if (wb_kb_allows(G->kb, v, y))
						T0[nt0++] = v;
				}
			if (!is_clique(g, NA, na) || nt0 > 63)
				continue;
			subsets it;
			size_t nt;
			subsets_start(&it, nt0);
			while (subsets_next(&it, T0, T, &nt)) {
				memcpy(C, NA, na * sizeof *C);
				memcpy(C + na, T, nt * sizeof *C);
				if (!is_clique(g, C, na + nt))
					continue;
				double gain = delta_with(G, g, y, x, C, na + nt);
				if (gain > best->gain + GES_EPS &&
				    !semi_directed_path(g, y, x, C, na + nt, seen, queue)) {
					best->gain = gain;
					best->x = x;
					best->y = y;
					best->nset = nt;
					memcpy(best->set, T, nt * sizeof *T);
				}
			}
		}
}

static void best_delete(ges *G, const wb_pdag *g, op *best)
{
	size_t p = G->p;
	size_t NA[p], H[p], C[p];
	const wb_kb *kb = G->kb;
	for (size_t y = 0; y < p && !G->rc; y++)
		for (size_t x = 0; x < p && !G->rc; x++) {
			if (!(wb_pdag_dir(g, x, y) || (x < y && wb_pdag_undir(g, x, y))))
				continue;
			if (kb->any && (kb->require[x * p + y] || kb->require[y * p + x]))
				continue;
			size_t na = 0;
			for (size_t v = 0; v < p; v++)
				if (v != x && wb_pdag_undir(g, v, y) && wb_pdag_adj(g, v, x))
					NA[na++] = v;
			if (na > 63)
				continue;
			subsets it;
			size_t nh;
			subsets_start(&it, na);
			while (subsets_next(&it, NA, H, &nh)) {
				size_t nc = 0;
				int ok = 1;
				for (size_t i = 0; i < na; i++) {
					int inH = 0;
					for (size_t j = 0; j < nh; j++)
						inH |= NA[i] == H[j];
					if (!inH)
						C[nc++] = NA[i];
				}
				for (size_t j = 0; j < nh && ok; j++)
					ok = wb_kb_allows(kb, y, H[j]) &&
					     (!wb_pdag_undir(g, x, H[j]) ||
					      wb_kb_allows(kb, x, H[j]));
				if (!ok || !is_clique(g, C, nc))
					continue;
				double gain = -delta_with(G, g, y, x, C, nc);
				if (gain > best->gain + GES_EPS) {
					best->gain = gain;
					best->x = x;
					best->y = y;
					best->nset = nh;
					memcpy(best->set, H, nh * sizeof *H);
				}
			}
		}
}

static void apply_insert(wb_pdag *g, const op *o)
{
	wb_pdag_set(g, o->x, o->y, WB_MARK_TAIL, WB_MARK_ARROW);
	for (size_t i = 0; i < o->nset; i++)
		wb_pdag_set(g, o->set[i], o->y, WB_MARK_TAIL, WB_MARK_ARROW);
}

static void apply_delete(wb_pdag *g, const op *o)
{
	wb_pdag_set(g, o->x, o->y, WB_MARK_NONE, WB_MARK_NONE);
	for (size_t i = 0; i < o->nset; i++) {
		size_t h = o->set[i];
		wb_pdag_set(g, o->y, h, WB_MARK_TAIL, WB_MARK_ARROW);
		if (wb_pdag_undir(g, o->x, h))
			wb_pdag_set(g, o->x, h, WB_MARK_TAIL, WB_MARK_ARROW);
	}
}

int wb_ges_search(const wb_disc_run *run, wb_pdag **out, size_t *nscores, wb_err *err)
{
	const wb_citest *ci = run->ci;
	size_t p = wb_citest_nvars(ci);
	ges G = {.R = wb_citest_corr(ci),
		 .p = p,
		 .W = (p + 63) / 64,
		 .n = (double)wb_citest_nrows(ci),
		 .lambda = 0.5 * log((double)wb_citest_nrows(ci)) * run->opt->penalty};
	G.kb = run->kb;
	G.mask = calloc(G.W, sizeof *G.mask);
	G.list = malloc(p * sizeof *G.list);
	unsigned char *seen = malloc(p);
	size_t *queue = malloc(p * sizeof *queue);
	wb_pdag *g = wb_pdag_new(p), *saved = NULL;
	int rc = 0;
	*out = NULL;
	if (!G.R)
		rc = wb_err_set(err, WB_EINVAL, "GES needs the correlation matrix (Fisher-z data)");
	else if (!G.mask || !G.list || !seen || !queue || !g || cache_grow(&G))
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
	if (rc)
		goto done;
	/* required edges start in the graph */
	for (size_t a = 0; a < p && run->kb->any; a++)
		for (size_t b = 0; b < p; b++)
			if (run->kb->require[a * p + b])
				wb_pdag_set(g, a, b, WB_MARK_TAIL, WB_MARK_ARROW);
	if (run->kb->any && wb_pdag_to_cpdag(g) < 0) {
		rc = wb_err_set(err, WB_EINVAL, "the required edges do not form a DAG");
		goto done;
	}
	size_t steps = 0;
	for (int phase = 0; phase < 2 && !rc; phase++)
		for (;;) {
			if (wb_progress_cancelled(run->progress)) {
				rc = wb_err_set(err, WB_ECANCEL, "cancelled");
				break;
			}
			op best = {0};
			if (phase == 0)
				best_insert(&G, g, &best, seen, queue);
			else
				best_delete(&G, g, &best);
			if (G.rc) {
				rc = wb_err_set(err, G.rc,
						G.rc == WB_ENOMEM
						    ? "out of memory for the score cache"
						    : "a local score is not finite");
				break;
			}
			if (best.gain <= GES_EPS)
				break;
			wb_pdag_free(saved);
			if (!(saved = wb_pdag_copy(g))) {
				rc = wb_err_set(err, WB_ENOMEM, "out of memory");
				break;
			}
			(phase == 0 ? apply_insert : apply_delete)(g, &best);
			if (wb_pdag_to_cpdag(g) < 0) { /* cannot happen for valid operators */
				memcpy(g->m, saved->m, p * p);
				break;
			}
			steps++;
			if (run->from < run->to)
				wb_progress_set(run->progress,
						run->from + (run->to - run->from) *
								(1 - 1.0 / (double)(steps + 1)));
		}
	if (!rc) {
		wb_pdag_apply_knowledge(g, run->kb, run->notes);
		wb_pdag_meek(g, NULL, run->kb);
		*out = g;
		g = NULL;
		if (nscores)
			*nscores = G.used;
	}
done:
	wb_pdag_free(g);
	wb_pdag_free(saved);
	free(G.keys);
	free(G.val);
	free(G.mask);
	free(G.list);
	free(seen);
	free(queue);
	return rc;
}
