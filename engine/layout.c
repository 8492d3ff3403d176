/*
 * layout.c — layered graph drawing on character cells; see layout.h for the method
 * (Sugiyama, Tagawa & Toda 1981; Gansner, Koutsofios, North & Vo 1993).
 *
 * Working state: "vertices" are the graph's nodes (0 .. n-1) followed by the dummy nodes that
 * split long edges; "segments" join a vertex to one in the next layer down. Every edge is
 * either a chain of segments (its ends in different layers) or a same-layer edge.
 */
#include "layout.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SWEEPS 24      /* barycenter iterations (down + up, then transpose) */
#define PLACE_SWEEPS 8 /* coordinate sweeps (down + up) */
#define PIN_WEIGHT 1e6
#define LAYER_CLAMP 500 /* positioned layers beyond ±this are clamped */

struct wb_layout {
	size_t n, ne;
	int W, H, nl;
	int *bx, *by, *bw, *layer, *order;
	double *ux, *uy;
	size_t *ea, *eb;
	size_t *npts;
	wb_layout_point **pts;
	long cross0, cross1;
};

typedef struct seg {
	size_t up, lo; /* vertices; layer(lo) = layer(up) + 1 */
	size_t edge;
	int upx, lox; /* port columns (world) */
	int track;    /* track row index in the gap, -1 when straight */
	int track2;   /* a jog: a second track, reached down column jogx; else -1 */
	int jogx;
} seg;

typedef enum { E_CHAIN, E_SIDE, E_OVER } edge_kind;

typedef struct ledge {
	size_t a, b;
	edge_kind kind;
	size_t seg0, nseg; /* E_CHAIN: segments from the upper end down */
	int a_upper;	   /* E_CHAIN: a is the upper end */
	int pa, pb;	   /* E_OVER: top ports of a and b */
	int track;	   /* E_OVER: track in the gap above the layer */
} ledge;

typedef struct work {
	size_t n, nv, ns, ne;
	int nl;
	long lmin;
	int *layer, *w, *order;
	unsigned char *pinned;
	double *px, *x;
	long *node; /* graph node of a vertex, -1 for dummies */
	seg *s;
	ledge *e;
	/* segments touching each vertex from above and below: CSR arrays */
	size_t *up0, *upl, *dn0, *dnl;
	/* vertices of each layer in order */
	size_t *lay0, *layn, *lay;
	double *key;
	size_t *tmp;
} work;

/* ---- small helpers ---- */

static void work_free(work *k)
{
	free(k->layer);
	free(k->w);
	free(k->order);
	free(k->pinned);
	free(k->px);
	free(k->x);
	free(k->node);
	free(k->s);
	free(k->e);
	free(k->up0);
	free(k->upl);
	free(k->dn0);
	free(k->dnl);
	free(k->lay0);
	free(k->layn);
	free(k->lay);
	free(k->key);
	free(k->tmp);
}

void wb_layout_free(wb_layout *l)
{
	if (!l)
		return;
	free(l->bx);
	free(l->by);
	free(l->bw);
	free(l->layer);
	free(l->order);
	free(l->ux);
	free(l->uy);
	free(l->ea);
	free(l->eb);
	if (l->pts)
		for (size_t k = 0; k < l->ne; k++)
			free(l->pts[k]);
	free(l->pts);
	free(l->npts);
	free(l);
}

/* Characters of a UTF-8 string (continuation bytes do not count). */
static int utf8_chars(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* ---- 1. layers ---- */

/* Longest-path layering over directed edges and undirected edges read along a topological
 * order; positioned nodes keep round(y); sources are pulled down above their highest child. */
static int assign_layers(const wb_graph *g, work *k)
{
	size_t n = k->n;
	size_t *topo = malloc((n ? n : 1) * sizeof *topo);
	size_t *rank = malloc((n ? n : 1) * sizeof *rank);
	unsigned char *has_parent = calloc(n ? n : 1, 1);
	if (!topo || !rank || !has_parent) {
		free(topo);
		free(rank);
		free(has_parent);
		return WB_ENOMEM;
	}
	wb_graph_topo_order(g, topo);
	for (size_t i = 0; i < n; i++)
		rank[topo[i]] = i;
		/* forward(a, b): a is drawn above b */
#define FORWARD(a, b)                                                                              \
	(wb_graph_is_directed(g, a, b) || (wb_graph_is_undirected(g, a, b) && rank[a] < rank[b]))
	for (size_t t = 0; t < n; t++) {
		size_t v = topo[t];
		if (k->pinned[v])
			continue;
		int L = 0;
		for (size_t q = 0; q < t; q++) {
			size_t u = topo[q];
			if (FORWARD(u, v)) {
				has_parent[v] = 1;
				if (k->layer[u] + 1 > L)
					L = k->layer[u] + 1;
			}
		}
		k->layer[v] = L;
	}
	for (size_t t = n; t-- > 0;) {
		size_t v = topo[t];
		if (k->pinned[v] || has_parent[v])
			continue;
		int best = INT_MAX;
		for (size_t q = t + 1; q < n; q++)
			if (FORWARD(v, topo[q]) && k->layer[topo[q]] - 1 < best)
				best = k->layer[topo[q]] - 1;
		if (best != INT_MAX && best > k->layer[v])
			k->layer[v] = best;
	}
#undef FORWARD
	int lo = 0, hi = 0;
	for (size_t v = 0; v < n; v++) {
		if (v == 0 || k->layer[v] < lo)
			lo = k->layer[v];
		if (v == 0 || k->layer[v] > hi)
			hi = k->layer[v];
	}
	for (size_t v = 0; v < n; v++)
		k->layer[v] -= lo;
	k->lmin = lo;
	k->nl = n ? hi - lo + 1 : 0;
	free(topo);
	free(rank);
	free(has_parent);
	return 0;
}

/* ---- 2. dummies and segments ---- */

static int build_segments(const wb_graph *g, work *k)
{
	size_t n = k->n, ne = k->ne, nd = 0, ns = 0;
	for (size_t e = 0; e < ne; e++) {
		size_t a, b;
		wb_graph_edge_at(g, e, &a, &b);
		int span = abs(k->layer[a] - k->layer[b]);
		if (span > 0) {
			nd += (size_t)span - 1;
			ns += (size_t)span;
		}
	}
	k->nv = n + nd;
	k->ns = ns;
	size_t nv = k->nv;
	int *layer = realloc(k->layer, (nv ? nv : 1) * sizeof *layer);
	if (!layer)
		return WB_ENOMEM;
	k->layer = layer;
	k->w = calloc(nv ? nv : 1, sizeof *k->w);
	k->order = calloc(nv ? nv : 1, sizeof *k->order);
	k->x = calloc(nv ? nv : 1, sizeof *k->x);
	k->node = calloc(nv ? nv : 1, sizeof *k->node);
	k->key = calloc(nv ? nv : 1, sizeof *k->key);
	k->tmp = calloc(nv ? nv : 1, sizeof *k->tmp);
	k->s = calloc(ns ? ns : 1, sizeof *k->s);
	unsigned char *pinned = realloc(k->pinned, nv ? nv : 1);
	double *px = realloc(k->px, (nv ? nv : 1) * sizeof *px);
	if (pinned)
		k->pinned = pinned;
	if (px)
		k->px = px;
	if (!k->w || !k->order || !k->x || !k->node || !k->key || !k->tmp || !k->s || !pinned ||
	    !px)
		return WB_ENOMEM;
	for (size_t v = 0; v < n; v++)
		k->node[v] = (long)v;
	size_t d = n, si = 0;
	for (size_t e = 0; e < ne; e++) {
		size_t a, b;
		wb_graph_edge_at(g, e, &a, &b);
		ledge *le = &k->e[e];
		le->a = a;
		le->b = b;
		le->track = -1;
		if (k->layer[a] == k->layer[b]) {
			le->kind = E_OVER; /* E_SIDE decided once the order is known */
			continue;
		}
		le->kind = E_CHAIN;
		le->a_upper = k->layer[a] < k->layer[b];
		size_t top = le->a_upper ? a : b, bot = le->a_upper ? b : a;
		le->seg0 = si;
		le->nseg = (size_t)(k->layer[bot] - k->layer[top]);
		size_t prev = top;
		for (int L = k->layer[top] + 1; L <= k->layer[bot]; L++) {
			size_t cur = L == k->layer[bot] ? bot : d++;
			if (cur != bot) {
				k->node[cur] = -1;
				k->layer[cur] = L;
				k->w[cur] = 1;
				k->pinned[cur] = 0;
			}
			k->s[si++] = (seg){prev, cur, e, 0, 0, -1, -1, 0};
			prev = cur;
		}
	}
	/* CSR adjacency: segments ending at v from above (up) and leaving v downwards (dn) */
	k->up0 = calloc(nv + 1, sizeof *k->up0);
	k->dn0 = calloc(nv + 1, sizeof *k->dn0);
	k->upl = calloc(ns ? ns : 1, sizeof *k->upl);
	k->dnl = calloc(ns ? ns : 1, sizeof *k->dnl);
	if (!k->up0 || !k->dn0 || !k->upl || !k->dnl)
		return WB_ENOMEM;
	for (size_t i = 0; i < ns; i++) {
		k->up0[k->s[i].lo + 1]++;
		k->dn0[k->s[i].up + 1]++;
	}
	for (size_t v = 0; v < nv; v++) {
		k->up0[v + 1] += k->up0[v];
		k->dn0[v + 1] += k->dn0[v];
	}
	size_t *fu = k->tmp; /* fill cursors, reusing tmp twice */
	for (size_t v = 0; v < nv; v++)
		fu[v] = k->up0[v];
	for (size_t i = 0; i < ns; i++)
		k->upl[fu[k->s[i].lo]++] = i;
	for (size_t v = 0; v < nv; v++)
		fu[v] = k->dn0[v];
	for (size_t i = 0; i < ns; i++)
		k->dnl[fu[k->s[i].up]++] = i;
	/* layers, first in index order (real nodes, then dummies as created) */
	k->lay0 = calloc((size_t)k->nl + 1, sizeof *k->lay0);
	k->layn = calloc((size_t)k->nl + 1, sizeof *k->layn);
	k->lay = calloc(nv ? nv : 1, sizeof *k->lay);
	if (!k->lay0 || !k->layn || !k->lay)
		return WB_ENOMEM;
	for (size_t v = 0; v < nv; v++)
		k->lay0[k->layer[v] + 1]++;
	for (int L = 0; L < k->nl; L++)
		k->lay0[L + 1] += k->lay0[L];
	for (size_t v = 0; v < nv; v++) {
		int L = k->layer[v];
		k->order[v] = (int)k->layn[L];
		k->lay[k->lay0[L] + k->layn[L]++] = v;
	}
	return 0;
}

/* ---- 3. crossing reduction ---- */

/* Crossings between layer L and L+1: pairs of segments whose ends are in opposite orders. */
static long crossings_below(const work *k, int L)
{
	long c = 0;
	for (size_t i = k->lay0[L]; i < k->lay0[L] + k->layn[L]; i++) {
		size_t u = k->lay[i];
		for (size_t p = k->dn0[u]; p < k->dn0[u + 1]; p++) {
			const seg *s = &k->s[k->dnl[p]];
			for (size_t j = i + 1; j < k->lay0[L] + k->layn[L]; j++) {
				size_t u2 = k->lay[j];
				for (size_t q = k->dn0[u2]; q < k->dn0[u2 + 1]; q++)
					c += k->order[k->s[k->dnl[q]].lo] < k->order[s->lo];
			}
		}
	}
	return c;
}

static long crossings_total(const work *k)
{
	long c = 0;
	for (int L = 0; L + 1 < k->nl; L++)
		c += crossings_below(k, L);
	return c;
}

/* Sorts layer L by key, ties by current order (stable, so deterministic). */
static void sort_layer(work *k, int L)
{
	size_t *a = k->lay + k->lay0[L], m = k->layn[L];
	for (size_t i = 1; i < m; i++) {
		size_t v = a[i], j = i;
		while (j > 0 &&
		       (k->key[a[j - 1]] > k->key[v] ||
			(k->key[a[j - 1]] == k->key[v] && k->order[a[j - 1]] > k->order[v]))) {
			a[j] = a[j - 1];
			j--;
		}
		a[j] = v;
	}
	for (size_t i = 0; i < m; i++)
		k->order[a[i]] = (int)i;
}

/* Barycenter of v's neighbours above (dir < 0) or below (dir > 0), in order units; a pinned
 * node's key comes from its position instead; a vertex without neighbours keeps its place. */
static double bary(const work *k, size_t v, int dir, double slot)
{
	if (k->pinned[v])
		return k->px[v] / slot;
	size_t p0 = dir < 0 ? k->up0[v] : k->dn0[v], p1 = dir < 0 ? k->up0[v + 1] : k->dn0[v + 1];
	if (p0 == p1)
		return k->order[v];
	double sum = 0;
	for (size_t p = p0; p < p1; p++) {
		const seg *s = &k->s[dir < 0 ? k->upl[p] : k->dnl[p]];
		sum += k->order[dir < 0 ? s->up : s->lo];
	}
	return sum / (double)(p1 - p0);
}

static void sweep_layer(work *k, int L, int dir)
{
	double wsum = 0;
	size_t m = k->layn[L];
	for (size_t i = 0; i < m; i++)
		wsum += k->w[k->lay[k->lay0[L] + i]] + 2;
	double slot = m ? wsum / (double)m : 1;
	for (size_t i = 0; i < m; i++) {
		size_t v = k->lay[k->lay0[L] + i];
		k->key[v] = bary(k, v, dir, slot);
	}
	sort_layer(k, L);
}

/* Crossings among the segments of u and v (u left of v) with the layers above and below. */
static long pair_crossings(const work *k, size_t u, size_t v)
{
	long c = 0;
	for (size_t p = k->up0[u]; p < k->up0[u + 1]; p++)
		for (size_t q = k->up0[v]; q < k->up0[v + 1]; q++)
			c += k->order[k->s[k->upl[p]].up] > k->order[k->s[k->upl[q]].up];
	for (size_t p = k->dn0[u]; p < k->dn0[u + 1]; p++)
		for (size_t q = k->dn0[v]; q < k->dn0[v + 1]; q++)
			c += k->order[k->s[k->dnl[p]].lo] > k->order[k->s[k->dnl[q]].lo];
	return c;
}

/* Gansner et al. 1993, §3 "transpose": swap neighbours while that removes crossings. */
static void transpose(work *k)
{
	for (int pass = 0; pass < 20; pass++) {
		int improved = 0;
		for (int L = 0; L < k->nl; L++) {
			size_t *a = k->lay + k->lay0[L];
			for (size_t i = 0; i + 1 < k->layn[L]; i++) {
				size_t u = a[i], v = a[i + 1];
				if (k->pinned[u] && k->pinned[v])
					continue;
				if (pair_crossings(k, u, v) > pair_crossings(k, v, u)) {
					a[i] = v;
					a[i + 1] = u;
					k->order[v] = (int)i;
					k->order[u] = (int)i + 1;
					improved = 1;
				}
			}
		}
		if (!improved)
			break;
	}
}

static int reduce_crossings(work *k, long *initial, long *final)
{
	size_t *best = malloc((k->nv ? k->nv : 1) * sizeof *best);
	if (!best)
		return WB_ENOMEM;
	*initial = crossings_total(k);
	long bestc = *initial;
	memcpy(best, k->lay, k->nv * sizeof *best);
	for (int it = 0; it < SWEEPS; it++) {
		for (int L = 1; L < k->nl; L++)
			sweep_layer(k, L, -1);
		for (int L = k->nl - 2; L >= 0; L--)
			sweep_layer(k, L, +1);
		transpose(k);
		long c = crossings_total(k);
		if (c <= bestc) { /* ties go to the later, more barycentric order */
			bestc = c;
			memcpy(best, k->lay, k->nv * sizeof *best);
		}
	}
	memcpy(k->lay, best, k->nv * sizeof *best);
	for (int L = 0; L < k->nl; L++)
		for (size_t i = 0; i < k->layn[L]; i++)
			k->order[k->lay[k->lay0[L] + i]] = (int)i;
	*final = bestc;
	free(best);
	return 0;
}

/* ---- 4. coordinates ---- */

/* Least distance between the centres of u and its right neighbour v: the boxes plus a gap of
 * 3 columns between nodes, 2 beside a dummy, 1 between two dummies (parallel lines). */
static int sep(const work *k, size_t u, size_t v)
{
	int ru = k->node[u] >= 0, rv = k->node[v] >= 0;
	int gap = ru && rv ? 3 : ru || rv ? 2 : 1;
	return (k->w[u] - k->w[u] / 2) + gap + k->w[v] / 2;
}

/* Gansner et al.'s Ω: how much keeping a segment vertical matters. */
static double omega(const work *k, const seg *s)
{
	int du = k->node[s->up] < 0, dl = k->node[s->lo] < 0;
	return du && dl ? 8 : du || dl ? 2 : 1;
}

/* Places layer L: each vertex as near its target (the Ω-weighted mean of its neighbours'
 * centres above (dir < 0), below (dir > 0) or both (dir == 0); a pinned node's position)
 * as the order and sep() allow, minimising Σ w·(x − target)². With y_i = x_i − o_i, o_i the
 * summed separations, the constraints become y nondecreasing: isotonic regression, solved
 * by pool-adjacent-violators. */
static void place_layer(work *k, int L, int dir, double *tw, double *ww, double *ps, double *pw,
			size_t *pn)
{
	size_t m = k->layn[L], *a = k->lay + k->lay0[L];
	if (m == 0)
		return;
	double off = 0;
	for (size_t i = 0; i < m; i++) {
		size_t v = a[i];
		if (i > 0)
			off += sep(k, a[i - 1], v);
		double sw = 0, sx = 0;
		if (k->pinned[v]) {
			sw = PIN_WEIGHT;
			sx = PIN_WEIGHT * k->px[v];
		} else {
			if (dir <= 0)
				for (size_t p = k->up0[v]; p < k->up0[v + 1]; p++) {
					const seg *s = &k->s[k->upl[p]];
					sw += omega(k, s);
					sx += omega(k, s) * k->x[s->up];
				}
			if (dir >= 0)
				for (size_t p = k->dn0[v]; p < k->dn0[v + 1]; p++) {
					const seg *s = &k->s[k->dnl[p]];
					sw += omega(k, s);
					sx += omega(k, s) * k->x[s->lo];
				}
			if (sw == 0) {
				sw = 1e-3;
				sx = sw * k->x[v];
			}
		}
		tw[i] = sx / sw - off;
		ww[i] = sw;
	}
	size_t nb = 0;
	for (size_t i = 0; i < m; i++) {
		ps[nb] = ww[i] * tw[i];
		pw[nb] = ww[i];
		pn[nb] = 1;
		nb++;
		while (nb > 1 && ps[nb - 2] / pw[nb - 2] > ps[nb - 1] / pw[nb - 1]) {
			ps[nb - 2] += ps[nb - 1];
			pw[nb - 2] += pw[nb - 1];
			pn[nb - 2] += pn[nb - 1];
			nb--;
		}
	}
	off = 0;
	size_t i = 0;
	long prev = 0;
	for (size_t b = 0; b < nb; b++)
		for (size_t j = 0; j < pn[b]; j++, i++) {
			if (i > 0)
				off += sep(k, a[i - 1], a[i]);
			long c = lround(ps[b] / pw[b] + off);
			if (i > 0 && c < prev + sep(k, a[i - 1], a[i]))
				c = prev + sep(k, a[i - 1], a[i]);
			k->x[a[i]] = (double)c;
			prev = c;
		}
}

static int assign_coordinates(work *k)
{
	size_t m = k->nv ? k->nv : 1;
	double *tw = malloc(m * sizeof *tw), *ww = malloc(m * sizeof *ww);
	double *ps = malloc(m * sizeof *ps), *pw = malloc(m * sizeof *pw);
	size_t *pn = malloc(m * sizeof *pn);
	if (!tw || !ww || !ps || !pw || !pn) {
		free(tw);
		free(ww);
		free(ps);
		free(pw);
		free(pn);
		return WB_ENOMEM;
	}
	for (int L = 0; L < k->nl; L++) {
		size_t *a = k->lay + k->lay0[L];
		for (size_t i = 0; i < k->layn[L]; i++)
			k->x[a[i]] = i ? k->x[a[i - 1]] + sep(k, a[i - 1], a[i]) : 0;
		place_layer(k, L, 0, tw, ww, ps, pw, pn);
	}
	for (int it = 0; it < PLACE_SWEEPS; it++) {
		for (int L = 1; L < k->nl; L++)
			place_layer(k, L, -1, tw, ww, ps, pw, pn);
		for (int L = k->nl - 2; L >= 0; L--)
			place_layer(k, L, +1, tw, ww, ps, pw, pn);
	}
	for (int L = 0; L < k->nl; L++)
		place_layer(k, L, 0, tw, ww, ps, pw, pn);
	free(tw);
	free(ww);
	free(ps);
	free(pw);
	free(pn);
	return 0;
}

/* ---- 5. ports, tracks, routes ---- */

typedef struct item {
	double key;
	size_t id;
	int over; /* an E_OVER edge rather than a segment */
} item;

static void sort_items(item *it, size_t m)
{
	for (size_t i = 1; i < m; i++) {
		item v = it[i];
		size_t j = i;
		while (j > 0 &&
		       (it[j - 1].key > v.key || (it[j - 1].key == v.key && it[j - 1].id > v.id))) {
			it[j] = it[j - 1];
			j--;
		}
		it[j] = v;
	}
}

static int left_of(const work *k, size_t v)
{
	return (int)k->x[v] - k->w[v] / 2;
}

/* The k-th of m ports spread over a box, centred when alone. */
static int port(const work *k, size_t v, size_t i, size_t m)
{
	if (k->node[v] < 0)
		return (int)k->x[v];
	return left_of(k, v) + (int)(((2 * i + 1) * (size_t)k->w[v]) / (2 * m));
}

static void assign_ports(work *k, item *it)
{
	for (size_t e = 0; e < k->ne; e++) {
		ledge *le = &k->e[e];
		if (le->kind == E_OVER && abs(k->order[le->a] - k->order[le->b]) == 1)
			le->kind = E_SIDE;
	}
	for (size_t v = 0; v < k->nv; v++) {
		size_t m = 0;
		for (size_t p = k->dn0[v]; p < k->dn0[v + 1]; p++)
			it[m++] = (item){k->x[k->s[k->dnl[p]].lo], k->dnl[p], 0};
		sort_items(it, m);
		for (size_t i = 0; i < m; i++)
			k->s[it[i].id].upx = port(k, v, i, m);
		m = 0;
		for (size_t p = k->up0[v]; p < k->up0[v + 1]; p++)
			it[m++] = (item){k->x[k->s[k->upl[p]].up], k->upl[p], 0};
		for (size_t e = 0; v < k->n && e < k->ne; e++) {
			const ledge *le = &k->e[e];
			if (le->kind == E_OVER && (le->a == v || le->b == v))
				it[m++] = (item){k->x[le->a == v ? le->b : le->a], e, 1};
		}
		sort_items(it, m);
		for (size_t i = 0; i < m; i++) {
			int px = port(k, v, i, m);
			if (!it[i].over)
				k->s[it[i].id].lox = px;
			else if (k->e[it[i].id].a == v)
				k->e[it[i].id].pa = px;
			else
				k->e[it[i].id].pb = px;
		}
	}
}

/* A horizontal run in a gap: columns lo..hi, the column of its vertical above the track (up,
 * NONE for an edge within the layer below, which rises from both ends) and below it. */
#define NONE INT_MIN
typedef struct hrun {
	int lo, hi, up, down1, down2;
	int track;
	int placed;
	int jogx;
} hrun;

/* 1 if run a must lie above run b: a's vertical comes down a column b's vertical leaves at
 * the bottom, and they would overlap unless a turns off first. */
static int above(const hrun *a, const hrun *b)
{
	return a->up != NONE && (a->up == b->down1 || a->up == b->down2);
}

/* A jog for run r, whose columns another run swaps with it: a column between (or else beside)
 * its two ends that no vertical of the gap above layer L uses. Its first run goes from r->up to
 * that column (r's lo..hi become that run), a second one later from there to r->down. Returns
 * 0 if no column is free within the drawing's reach. */
static int jog_column(const work *k, int L, hrun *r)
{
	int a = r->up, b = r->down1, lo = a < b ? a : b, hi = a < b ? b : a;
	for (int off = 0; off <= hi - lo + 8; off++) {
		for (int sgn = 0; sgn < 2; sgn++) {
			int c = (lo + hi) / 2 + (sgn ? -off : off);
			if (c == a || c == b)
				continue;
			int used = 0;
			for (size_t i = 0; i < k->ns && !used; i++) {
				const seg *s = &k->s[i];
				used = k->layer[s->lo] == L && (s->upx == c || s->lox == c);
			}
			for (size_t e = 0; e < k->ne && !used; e++) {
				const ledge *le = &k->e[e];
				used = le->kind == E_OVER && k->layer[le->a] == L &&
				       (le->pa == c || le->pb == c);
			}
			if (used)
				continue;
			r->jogx = c;
			r->lo = a < c ? a : c;
			r->hi = a < c ? c : a;
			return 1;
		}
	}
	return 0;
}

/* Tracks of the gap above layer L. Runs are placed one by one, leftmost first among those
 * whose required predecessors (above()) are placed (a cycle of them — two edges swapping
 * columns — is broken at the leftmost), each on the lowest track below its predecessors on
 * which it keeps a blank column from every run there. Returns the number of tracks. */
static int assign_tracks(work *k, int L, item *it, hrun *r)
{
	size_t m = 0;
	for (size_t i = 0; i < k->ns; i++) {
		const seg *s = &k->s[i];
		if (k->layer[s->lo] == L && s->upx != s->lox)
			it[m++] = (item){(s->upx < s->lox ? s->upx : s->lox), i, 0};
	}
	for (size_t e = 0; e < k->ne; e++) {
		const ledge *le = &k->e[e];
		if (le->kind == E_OVER && k->layer[le->a] == L)
			it[m++] = (item){(le->pa < le->pb ? le->pa : le->pb), e, 1};
	}
	sort_items(it, m);
	for (size_t i = 0; i < m; i++) {
		r[i] = (hrun){.lo = (int)it[i].key, .up = NONE, .down2 = NONE};
		if (it[i].over) {
			const ledge *le = &k->e[it[i].id];
			r[i].hi = le->pa > le->pb ? le->pa : le->pb;
			r[i].down1 = le->pa;
			r[i].down2 = le->pb;
		} else {
			const seg *s = &k->s[it[i].id];
			r[i].hi = s->upx > s->lox ? s->upx : s->lox;
			r[i].up = s->upx;
			r[i].down1 = s->lox;
		}
	}
	int nt = 0;
	for (size_t done = 0; done < m; done++) {
		size_t pick = m;
		for (size_t i = 0; i < m && pick == m; i++) {
			if (r[i].placed)
				continue;
			int ready = 1;
			for (size_t j = 0; j < m && ready; j++)
				ready = j == i || r[j].placed || !above(&r[j], &r[i]);
			if (ready)
				pick = i;
		}
		int jog = 0;
		if (pick == m) { /* a cycle: break it at the leftmost, which takes a jog */
			for (pick = 0; r[pick].placed; pick++)
				;
			jog = !it[pick].over && jog_column(k, L, &r[pick]);
		}
		int t = 0;
		for (size_t j = 0; j < m; j++)
			if (r[j].placed && above(&r[j], &r[pick]) && r[j].track + 1 > t)
				t = r[j].track + 1;
		for (;; t++) {
			int clash = 0;
			for (size_t j = 0; j < m && !clash; j++)
				clash = r[j].placed && r[j].track == t &&
					r[j].lo <= r[pick].hi + 1 && r[pick].lo <= r[j].hi + 1;
			if (!clash)
				break;
		}
		r[pick].track = t;
		r[pick].placed = 1;
		if (t + 1 > nt)
			nt = t + 1;
		if (it[pick].over) {
			k->e[it[pick].id].track = t;
		} else {
			k->s[it[pick].id].track = t;
			k->s[it[pick].id].track2 = jog ? -2 : -1; /* its second track comes last */
			k->s[it[pick].id].jogx = r[pick].jogx;
		}
	}
	/* each jog's second run gets a track of its own below all others: the runs that must
	 * lie above its lower vertical are then all above it */
	for (size_t i = 0; i < m; i++)
		if (!it[i].over && k->s[it[i].id].track2 == -2)
			k->s[it[i].id].track2 = nt++;
	return nt;
}

typedef struct pbuf {
	wb_layout_point *p;
	size_t n, cap;
} pbuf;

static int push(pbuf *b, int x, int y)
{
	if (b->n > 0 && b->p[b->n - 1].x == x && b->p[b->n - 1].y == y)
		return 0;
	/* a point in line with the last two replaces the last */
	if (b->n >= 2) {
		wb_layout_point p = b->p[b->n - 2], q = b->p[b->n - 1];
		if ((p.x == q.x && q.x == x) || (p.y == q.y && q.y == y)) {
			b->p[b->n - 1] = (wb_layout_point){x, y};
			return 0;
		}
	}
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 8;
		wb_layout_point *np = realloc(b->p, cap * sizeof *np);
		if (!np)
			return WB_ENOMEM;
		b->p = np;
		b->cap = cap;
	}
	b->p[b->n++] = (wb_layout_point){x, y};
	return 0;
}

static void reverse_points(pbuf *b)
{
	for (size_t i = 0, j = b->n ? b->n - 1 : 0; i < j; i++, j--) {
		wb_layout_point t = b->p[i];
		b->p[i] = b->p[j];
		b->p[j] = t;
	}
}

/* Rows: the gap above layer L starts at gy[L] (a row for the edges' first steps, then its
 * tracks, then the row of arrowheads over the layer), and layer L's nodes sit on row[L]. */
static int route_edges(work *k, wb_layout *l, const int *gy, const int *row, int shift)
{
	for (size_t e = 0; e < k->ne; e++) {
		const ledge *le = &k->e[e];
		pbuf b = {0};
		int rc = 0;
		if (le->kind == E_CHAIN) {
			for (size_t j = 0; j < le->nseg && !rc; j++) {
				const seg *s = &k->s[le->seg0 + j];
				int Lu = k->layer[s->up], Ll = k->layer[s->lo];
				int top = row[Lu] + 1, head = row[Ll] - 1;
				int tr = gy[Ll] + 1 + (s->track >= 0 ? s->track : 0);
				rc = push(&b, s->upx, top);
				if (!rc && s->track >= 0 && s->track2 >= 0) {
					int tr2 = gy[Ll] + 1 + s->track2;
					rc = push(&b, s->upx, tr) || push(&b, s->jogx, tr) ||
					     push(&b, s->jogx, tr2) || push(&b, s->lox, tr2);
				} else if (!rc && s->track >= 0)
					rc = push(&b, s->upx, tr) || push(&b, s->lox, tr);
				if (!rc)
					rc = push(&b, s->lox, head);
				if (!rc && j + 1 < le->nseg)
					rc = push(&b, s->lox, row[Ll]);
			}
			if (!le->a_upper)
				reverse_points(&b);
		} else if (le->kind == E_SIDE) {
			int y = row[k->layer[le->a]];
			size_t a = le->a, bb = le->b;
			int ra = left_of(k, a) + k->w[a], rb = left_of(k, bb) + k->w[bb];
			if (k->order[a] < k->order[bb])
				rc = push(&b, ra, y) || push(&b, left_of(k, bb) - 1, y);
			else
				rc = push(&b, left_of(k, a) - 1, y) || push(&b, rb, y);
		} else {
			int L = k->layer[le->a];
			int head = row[L] - 1, tr = gy[L] + 1 + le->track;
			rc = push(&b, le->pa, head) || push(&b, le->pa, tr) ||
			     push(&b, le->pb, tr) || push(&b, le->pb, head);
		}
		if (rc) {
			free(b.p);
			return WB_ENOMEM;
		}
		for (size_t i = 0; i < b.n; i++)
			b.p[i].x -= shift;
		l->pts[e] = b.p;
		l->npts[e] = b.n;
	}
	return 0;
}

/* A node with many edges on one side gets wide enough for a port every other column. */
static void widen_for_ports(work *k)
{
	for (size_t v = 0; v < k->n; v++) {
		size_t top = k->up0[v + 1] - k->up0[v], bot = k->dn0[v + 1] - k->dn0[v];
		for (size_t e = 0; e < k->ne; e++)
			if (k->e[e].kind == E_OVER && (k->e[e].a == v || k->e[e].b == v))
				top++;
		size_t m = top > bot ? top : bot;
		if (m > 1 && (size_t)k->w[v] < 2 * m - 1)
			k->w[v] = (int)(2 * m - 1);
	}
}

/* ---- the whole pipeline ---- */

static int run(const wb_graph *g, const int *width, work *k, wb_layout *l)
{
	size_t n = k->n;
	int rc;
	for (size_t v = 0; v < n; v++) {
		double x, y;
		k->w[v] = width ? width[v] : utf8_chars(wb_graph_node_name(g, v)) + 2;
		if (wb_graph_pos(g, v, &x, &y) && isfinite(x) && isfinite(y)) {
			k->pinned[v] = 1;
			if (y > LAYER_CLAMP)
				y = LAYER_CLAMP;
			if (y < -LAYER_CLAMP)
				y = -LAYER_CLAMP;
			k->layer[v] = (int)lround(y);
			k->px[v] = x * WB_LAYOUT_XUNIT;
		}
	}
	if ((rc = assign_layers(g, k)) < 0)
		return rc;
	int *w0 = k->w;
	k->w = NULL;
	rc = build_segments(g, k);
	if (rc == 0)
		memcpy(k->w, w0, n * sizeof *w0);
	free(w0);
	if (rc < 0)
		return rc;
	widen_for_ports(k);
	if ((rc = reduce_crossings(k, &l->cross0, &l->cross1)) < 0)
		return rc;
	if ((rc = assign_coordinates(k)) < 0)
		return rc;
	size_t mi = k->ns + 2 * k->ne + 1;
	item *it = malloc(mi * sizeof *it);
	hrun *runs = malloc(mi * sizeof *runs);
	int nl = k->nl;
	int *ntr = calloc((size_t)nl + 1, sizeof *ntr), *gy = calloc((size_t)nl + 1, sizeof *gy);
	int *row = calloc((size_t)nl + 1, sizeof *row);
	if (!it || !runs || !ntr || !gy || !row) {
		rc = WB_ENOMEM;
		goto done;
	}
	assign_ports(k, it);
	int y = 0;
	for (int L = 0; L < nl; L++) {
		ntr[L] = assign_tracks(k, L, it, runs);
		int gh = L == 0 ? (ntr[L] ? ntr[L] + 1 : 0) : 2 + (ntr[L] > 1 ? ntr[L] : 1);
		gy[L] = L == 0 ? y - 1 : y; /* gap 0 has no first-step row */
		y += gh;
		row[L] = y;
		y++;
	}
	l->H = y;
	int minx = 0, maxx = 0;
	for (size_t v = 0; v < k->nv; v++) {
		int lx = left_of(k, v), rx = lx + k->w[v];
		if (v == 0 || lx < minx)
			minx = lx;
		if (v == 0 || rx > maxx)
			maxx = rx;
	}
	l->W = maxx - minx;
	l->nl = nl;
	for (size_t v = 0; v < n; v++) {
		l->bx[v] = left_of(k, v) - minx;
		l->by[v] = row[k->layer[v]];
		l->bw[v] = k->w[v];
		l->layer[v] = k->layer[v];
		l->order[v] = k->order[v];
		l->ux[v] = k->x[v] / WB_LAYOUT_XUNIT;
		l->uy[v] = (double)(k->layer[v] + k->lmin);
	}
	for (size_t e = 0; e < k->ne; e++) {
		l->ea[e] = k->e[e].a;
		l->eb[e] = k->e[e].b;
	}
	rc = route_edges(k, l, gy, row, minx);
done:
	free(it);
	free(runs);
	free(ntr);
	free(gy);
	free(row);
	return rc;
}

int wb_layout_compute(const wb_graph *g, const int *width, wb_layout **out, wb_err *err)
{
	*out = NULL;
	size_t n = wb_graph_nnodes(g), ne = wb_graph_nedges(g);
	for (size_t v = 0; width && v < n; v++)
		if (width[v] < 1)
			return wb_err_set(err, WB_EINVAL,
					  "layout: node %s has width %d (need >= 1)",
					  wb_graph_node_name(g, v), width[v]);
	wb_layout *l = calloc(1, sizeof *l);
	work k;
	memset(&k, 0, sizeof k);
	int rc = WB_ENOMEM;
	if (!l)
		goto fail;
	size_t m = n ? n : 1, me = ne ? ne : 1;
	l->n = n;
	l->ne = ne;
	l->bx = calloc(m, sizeof *l->bx);
	l->by = calloc(m, sizeof *l->by);
	l->bw = calloc(m, sizeof *l->bw);
	l->layer = calloc(m, sizeof *l->layer);
	l->order = calloc(m, sizeof *l->order);
	l->ux = calloc(m, sizeof *l->ux);
	l->uy = calloc(m, sizeof *l->uy);
	l->ea = calloc(me, sizeof *l->ea);
	l->eb = calloc(me, sizeof *l->eb);
	l->npts = calloc(me, sizeof *l->npts);
	l->pts = calloc(me, sizeof *l->pts);
	k.n = n;
	k.ne = ne;
	k.layer = calloc(m, sizeof *k.layer);
	k.w = calloc(m, sizeof *k.w);
	k.pinned = calloc(m, 1);
	k.px = calloc(m, sizeof *k.px);
	k.e = calloc(me, sizeof *k.e);
	if (!l->bx || !l->by || !l->bw || !l->layer || !l->order || !l->ux || !l->uy || !l->ea ||
	    !l->eb || !l->npts || !l->pts || !k.layer || !k.w || !k.pinned || !k.px || !k.e)
		goto fail;
	if ((rc = run(g, width, &k, l)) < 0)
		goto fail;
	work_free(&k);
	*out = l;
	return 0;
fail:
	work_free(&k);
	wb_layout_free(l);
	return wb_err_set(err, rc, "out of memory");
}

/* ---- accessors ---- */

int wb_layout_width(const wb_layout *l)
{
	return l->W;
}

int wb_layout_height(const wb_layout *l)
{
	return l->H;
}

size_t wb_layout_nnodes(const wb_layout *l)
{
	return l->n;
}

int wb_layout_nlayers(const wb_layout *l)
{
	return l->nl;
}

void wb_layout_node_box(const wb_layout *l, size_t i, int *x, int *y, int *w)
{
	*x = l->bx[i];
	*y = l->by[i];
	*w = l->bw[i];
}

int wb_layout_node_layer(const wb_layout *l, size_t i)
{
	return l->layer[i];
}

int wb_layout_node_order(const wb_layout *l, size_t i)
{
	return l->order[i];
}

void wb_layout_node_unit(const wb_layout *l, size_t i, double *x, double *y)
{
	*x = l->ux[i];
	*y = l->uy[i];
}

size_t wb_layout_nedges(const wb_layout *l)
{
	return l->ne;
}

void wb_layout_edge(const wb_layout *l, size_t k, size_t *a, size_t *b)
{
	*a = l->ea[k];
	*b = l->eb[k];
}

size_t wb_layout_edge_route(const wb_layout *l, size_t k, const wb_layout_point **pts)
{
	*pts = l->pts[k];
	return l->npts[k];
}

void wb_layout_crossings(const wb_layout *l, long *initial, long *final)
{
	if (initial)
		*initial = l->cross0;
	if (final)
		*final = l->cross1;
}
