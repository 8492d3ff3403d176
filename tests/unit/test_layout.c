/* Unit tests for engine/layout: layers, crossings, routes, positions, determinism. */
#include "../../engine/layout.h"
#include "../../engine/rng.h"
#include "../tap.h"

#include <stdlib.h>
#include <string.h>

/* A graph from "A->B C--D E<->F G" words (a bare word is a node). */
static wb_graph *build(const char *spec)
{
	wb_graph *g = wb_graph_new();
	wb_err err;
	char buf[1024];
	snprintf(buf, sizeof buf, "%s", spec);
	for (char *w = strtok(buf, " "); w; w = strtok(NULL, " ")) {
		char *op = strpbrk(w, "-<");
		if (!op) {
			wb_graph_ensure_node(g, w, &err);
			continue;
		}
		int kind = op[0] == '<' ? 2 : op[1] == '-' ? 1 : 0;
		*op = '\0';
		const char *b = op + (kind == 2 ? 3 : 2);
		long ia = wb_graph_ensure_node(g, w, &err), ib = wb_graph_ensure_node(g, b, &err);
		int rc = kind == 0   ? wb_graph_add_directed(g, (size_t)ia, (size_t)ib, &err)
			 : kind == 1 ? wb_graph_add_undirected(g, (size_t)ia, (size_t)ib, &err)
				     : wb_graph_add_bidirected(g, (size_t)ia, (size_t)ib, &err);
		if (rc < 0)
			printf("# build: %s\n", err.msg);
	}
	return g;
}

static wb_layout *lay(const wb_graph *g)
{
	wb_layout *l = NULL;
	wb_err err;
	if (wb_layout_compute(g, NULL, &l, &err) < 0)
		printf("# layout: %s\n", err.msg);
	return l;
}

static long node(const wb_graph *g, const char *name)
{
	return wb_graph_node_index(g, name);
}

static int layer_of(const wb_layout *l, const wb_graph *g, const char *name)
{
	return wb_layout_node_layer(l, (size_t)node(g, name));
}

/* 1 if p is the cell just outside node i's label: above, below, or beside it. */
static int next_to(const wb_layout *l, size_t i, wb_layout_point p)
{
	int x, y, w;
	wb_layout_node_box(l, i, &x, &y, &w);
	if ((p.y == y - 1 || p.y == y + 1) && p.x >= x && p.x < x + w)
		return 1;
	return p.y == y && (p.x == x - 1 || p.x == x + w);
}

/* Number of cells where two edges run the same way (both across or both along a column):
 * routes may cross, never overlap. */
static int overlaps(const wb_layout *l)
{
	int W = wb_layout_width(l), H = wb_layout_height(l), bad = 0;
	if (W == 0 || H == 0)
		return 0;
	int *vert = malloc((size_t)W * (size_t)H * sizeof *vert);
	int *horz = malloc((size_t)W * (size_t)H * sizeof *horz);
	for (int i = 0; i < W * H; i++)
		vert[i] = horz[i] = -1;
	for (size_t k = 0; k < wb_layout_nedges(l); k++) {
		const wb_layout_point *p;
		size_t np = wb_layout_edge_route(l, k, &p);
		for (size_t i = 0; i + 1 < np; i++) {
			int x = p[i].x, y = p[i].y, along = p[i].x == p[i + 1].x;
			for (;;) {
				int *use = along ? vert : horz;
				if (x >= 0 && x < W && y >= 0 && y < H) {
					if (use[y * W + x] >= 0 && use[y * W + x] != (int)k)
						bad++;
					use[y * W + x] = (int)k;
				}
				if (x == p[i + 1].x && y == p[i + 1].y)
					break;
				x += (p[i + 1].x > x) - (p[i + 1].x < x);
				y += (p[i + 1].y > y) - (p[i + 1].y < y);
			}
		}
	}
	free(vert);
	free(horz);
	return bad;
}

/* Checks the geometry every layout must have; returns the number of problems found. */
static int geometry_problems(const wb_layout *l)
{
	int bad = 0, W = wb_layout_width(l), H = wb_layout_height(l);
	size_t n = wb_layout_nnodes(l);
	for (size_t i = 0; i < n; i++) {
		int x, y, w;
		wb_layout_node_box(l, i, &x, &y, &w);
		if (x < 0 || y < 0 || x + w > W || y >= H)
			bad++;
		for (size_t j = i + 1; j < n; j++) {
			int x2, y2, w2;
			wb_layout_node_box(l, j, &x2, &y2, &w2);
			if (y == y2 && x < x2 + w2 && x2 < x + w)
				bad++; /* overlapping labels */
		}
	}
	for (size_t k = 0; k < wb_layout_nedges(l); k++) {
		const wb_layout_point *p;
		size_t np = wb_layout_edge_route(l, k, &p), a, b;
		wb_layout_edge(l, k, &a, &b);
		if (np < 1 || !next_to(l, a, p[0]) || !next_to(l, b, p[np - 1]))
			bad++;
		for (size_t i = 0; i < np; i++) {
			if (p[i].x < 0 || p[i].x >= W || p[i].y < 0 || p[i].y >= H)
				bad++;
			if (i + 1 < np && p[i].x != p[i + 1].x && p[i].y != p[i + 1].y)
				bad++; /* not orthogonal */
			/* no cell of a route (between points too) lies on a label */
			if (i + 1 < np) {
				int x = p[i].x, y = p[i].y;
				for (;;) {
					for (size_t v = 0; v < n; v++) {
						int bx, by, bw;
						wb_layout_node_box(l, v, &bx, &by, &bw);
						if (y == by && x >= bx && x < bx + bw)
							bad++;
					}
					if (x == p[i + 1].x && y == p[i + 1].y)
						break;
					x += (p[i + 1].x > x) - (p[i + 1].x < x);
					y += (p[i + 1].y > y) - (p[i + 1].y < y);
				}
			}
		}
	}
	return bad + overlaps(l);
}

static void test_chain(void)
{
	wb_graph *g = build("A->B B->C C->D");
	wb_layout *l = lay(g);
	ok(l != NULL, "chain: laid out");
	ok(layer_of(l, g, "A") == 0 && layer_of(l, g, "B") == 1 && layer_of(l, g, "C") == 2 &&
	       layer_of(l, g, "D") == 3,
	   "chain: layers 0 1 2 3");
	ok(wb_layout_nlayers(l) == 4, "chain: 4 layers");
	int x[4], y[4], w[4];
	for (size_t i = 0; i < 4; i++)
		wb_layout_node_box(l, i, &x[i], &y[i], &w[i]);
	ok(y[0] < y[1] && y[1] < y[2] && y[2] < y[3], "chain: rows go down");
	ok(x[0] == x[1] && x[1] == x[2] && x[2] == x[3], "chain: one column (straight edges)");
	ok(w[0] == 3, "chain: label width = name + 2");
	const wb_layout_point *p;
	size_t np = wb_layout_edge_route(l, 0, &p);
	ok(np == 2 && p[0].x == p[1].x && p[0].y == y[0] + 1 && p[1].y == y[1] - 1,
	   "chain: A -> B is a straight run from under A to over B");
	ok(geometry_problems(l) == 0, "chain: geometry");
	wb_layout_free(l);
	wb_graph_free(g);
}

static void test_tree(void)
{
	/* a binary tree whose nodes were created leaves-first, in an order that crosses */
	wb_graph *g = build("L4 L1 L3 L2 M2 M1 R R->M1 R->M2 M1->L1 M1->L2 M2->L3 M2->L4");
	wb_layout *l = lay(g);
	long c0, c1;
	wb_layout_crossings(l, &c0, &c1);
	ok(c0 > 0, "tree: the initial order crosses (%ld)", c0);
	ok(c1 == 0, "tree: no crossings after reduction (%ld)", c1);
	ok(layer_of(l, g, "R") == 0 && layer_of(l, g, "M2") == 1 && layer_of(l, g, "L3") == 2,
	   "tree: layers by depth");
	/* children of M1 sit left of the children of M2 exactly when M1 sits left of M2 */
	int m1 = wb_layout_node_order(l, (size_t)node(g, "M1"));
	int m2 = wb_layout_node_order(l, (size_t)node(g, "M2"));
	int l1 = wb_layout_node_order(l, (size_t)node(g, "L1"));
	int l3 = wb_layout_node_order(l, (size_t)node(g, "L3"));
	ok((m1 < m2) == (l1 < l3), "tree: subtrees keep to their side");
	ok(geometry_problems(l) == 0, "tree: geometry");
	wb_layout_free(l);
	wb_graph_free(g);
}

static void test_bipartite(void)
{
	/* A B C over D E F, joined A-F, B-E, C-D: index order has 3 crossings, reversing the
	 * bottom layer none */
	wb_graph *g = build("A B C D E F A->F B->E C->D");
	wb_layout *l = lay(g);
	long c0, c1;
	wb_layout_crossings(l, &c0, &c1);
	ok(c0 == 3, "bipartite: 3 crossings in index order (%ld)", c0);
	ok(c1 == 0, "bipartite: 0 after barycenter sweeps (%ld)", c1);
	ok(geometry_problems(l) == 0, "bipartite: geometry");
	wb_layout_free(l);
	wb_graph_free(g);
}

static void test_edge_kinds(void)
{
	/* bidirected edges do not make layers; X and Y side by side are joined along the row */
	wb_graph *g = build("X<->Y");
	wb_layout *l = lay(g);
	ok(layer_of(l, g, "X") == 0 && layer_of(l, g, "Y") == 0, "bidirected: one layer");
	const wb_layout_point *p;
	size_t np = wb_layout_edge_route(l, 0, &p);
	int x, y, w;
	wb_layout_node_box(l, 0, &x, &y, &w);
	ok(np == 2 && p[0].y == y && p[1].y == y && p[0].x == x + w,
	   "bidirected neighbours: a run along the row from X's right side");
	wb_layout_free(l);
	wb_graph_free(g);

	/* an undirected edge is drawn along a topological order of the directed ones */
	g = build("A->B C--B C--D");
	l = lay(g);
	ok(layer_of(l, g, "A") == 0 && layer_of(l, g, "B") == 1, "undirected: A above B");
	ok(layer_of(l, g, "B") < layer_of(l, g, "C") && layer_of(l, g, "C") < layer_of(l, g, "D"),
	   "undirected: B -- C -- D read downwards along the topological order");
	ok(geometry_problems(l) == 0, "undirected: geometry");
	wb_layout_free(l);
	wb_graph_free(g);

	/* a bidirected edge between non-neighbours in one layer runs through the gap above */
	g = build("A B C A<->C A->D B->D C->D");
	l = lay(g);
	size_t ia = (size_t)node(g, "A"), ic = (size_t)node(g, "C");
	ok(layer_of(l, g, "A") == 0 && layer_of(l, g, "C") == 0 &&
	       abs(wb_layout_node_order(l, ia) - wb_layout_node_order(l, ic)) == 2,
	   "over: A and C in layer 0 with B between");
	size_t k;
	for (k = 0; k < wb_layout_nedges(l); k++) {
		size_t a, b;
		wb_layout_edge(l, k, &a, &b);
		if (a == ia && b == ic)
			break;
	}
	np = wb_layout_edge_route(l, k, &p);
	wb_layout_node_box(l, ia, &x, &y, &w);
	ok(np == 4 && p[0].y == y - 1 && p[1].y < p[0].y, "over: A <-> C leaves A upwards");
	ok(geometry_problems(l) == 0, "over: geometry");
	wb_layout_free(l);
	wb_graph_free(g);
}

static void test_long_edge(void)
{
	/* Z -> Y spans two layers: a dummy keeps it clear of X's label */
	wb_graph *g = build("Z->X X->Y Z->Y");
	wb_layout *l = lay(g);
	ok(layer_of(l, g, "Y") == 2, "long edge: Y in layer 2");
	const wb_layout_point *p;
	size_t k, a, b;
	for (k = 0; k < wb_layout_nedges(l); k++) {
		wb_layout_edge(l, k, &a, &b);
		if (wb_graph_is_directed(g, a, b) && !strcmp(wb_graph_node_name(g, a), "Z") &&
		    !strcmp(wb_graph_node_name(g, b), "Y"))
			break;
	}
	size_t np = wb_layout_edge_route(l, k, &p);
	ok(np >= 2, "long edge: routed (%zu points)", np);
	ok(geometry_problems(l) == 0, "long edge: geometry (no route crosses a label)");
	wb_layout_free(l);
	wb_graph_free(g);
}

static void test_positions(void)
{
	wb_err err;
	wb_graph *g = build("A->B B->C A->C D");
	wb_layout *l = lay(g);
	/* setting every node to where the layout put it changes nothing */
	int bx[4], by[4], bw[4];
	for (size_t i = 0; i < 4; i++) {
		double x, y;
		wb_layout_node_unit(l, i, &x, &y);
		wb_graph_set_pos(g, i, x, y, &err);
		wb_layout_node_box(l, i, &bx[i], &by[i], &bw[i]);
	}
	wb_layout *l2 = lay(g);
	int same = 1;
	for (size_t i = 0; i < 4; i++) {
		int x, y, w;
		wb_layout_node_box(l2, i, &x, &y, &w);
		same &= x == bx[i] && y == by[i] && w == bw[i];
	}
	ok(same, "positions: pinning each node at its unit position keeps the drawing");
	wb_layout_free(l);
	wb_layout_free(l2);

	/* a position puts a node in layer round(y), its centre at x * XUNIT: D two layers down,
	 * 4 units right of C */
	double cx, cy;
	l = lay(g);
	wb_layout_node_unit(l, 2, &cx, &cy);
	wb_layout_free(l);
	wb_graph_set_pos(g, 3, cx + 4, cy + 2, &err);
	l = lay(g);
	int xc, yc, wc, xd, yd, wd;
	wb_layout_node_box(l, 2, &xc, &yc, &wc);
	wb_layout_node_box(l, 3, &xd, &yd, &wd);
	ok(wb_layout_node_layer(l, 3) == wb_layout_node_layer(l, 2) + 2,
	   "positions: D 2 layers below C");
	ok((xd + wd / 2) - (xc + wc / 2) == 4 * WB_LAYOUT_XUNIT,
	   "positions: D's centre 4 units (%d columns) right of C's", 4 * WB_LAYOUT_XUNIT);
	double dx, dy;
	wb_layout_node_unit(l, 3, &dx, &dy);
	near(dx, cx + 4, 1e-9, "positions: D's unit x is its position");
	near(dy, cy + 2, 1e-9, "positions: D's unit y is its position");
	wb_layout_free(l);

	/* a position above a parent: the edge runs upwards, still between the right nodes */
	wb_graph_set_pos(g, 0, cx, cy + 3, &err);
	l = lay(g);
	ok(wb_layout_node_layer(l, 0) > wb_layout_node_layer(l, 1), "positions: A now below B");
	ok(geometry_problems(l) == 0, "positions: geometry with an upward edge");
	wb_layout_free(l);
	wb_graph_free(g);
}

/* A random DAG: n nodes in a random order, each pair joined forwards with probability p. */
static wb_graph *random_dag(size_t n, double p, uint64_t seed)
{
	wb_rng *r = wb_rng_new(seed);
	wb_graph *g = wb_graph_new();
	wb_err err;
	for (size_t i = 0; i < n; i++) {
		char name[32];
		snprintf(name, sizeof name, "V%zu", i);
		wb_graph_add_node(g, name, &err);
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (wb_rng_uniform(r) < p) {
				double u = wb_rng_uniform(r);
				if (u < 0.8)
					wb_graph_add_directed(g, i, j, &err);
				else if (u < 0.9)
					wb_graph_add_bidirected(g, i, j, &err);
				else
					wb_graph_add_undirected(g, i, j, &err);
			}
	wb_rng_free(r);
	return g;
}

static void test_random(void)
{
	wb_graph *g = random_dag(40, 0.06, 7);
	wb_layout *l = lay(g), *l2 = lay(g);
	ok(l && l2, "random 40: laid out");
	ok(geometry_problems(l) == 0,
	   "random 40: labels apart, routes orthogonal, clear of labels, "
	   "ending next to their nodes");
	int ov = overlaps(l);
	ok(ov == 0, "random 40: no two routes overlap (%d cells)", ov);
	long c0, c1;
	wb_layout_crossings(l, &c0, &c1);
	ok(c1 <= c0, "random 40: crossings %ld -> %ld", c0, c1);
	int same = wb_layout_width(l) == wb_layout_width(l2) &&
		   wb_layout_height(l) == wb_layout_height(l2);
	for (size_t k = 0; same && k < wb_layout_nedges(l); k++) {
		const wb_layout_point *p, *q;
		size_t np = wb_layout_edge_route(l, k, &p), nq = wb_layout_edge_route(l2, k, &q);
		same = np == nq && memcmp(p, q, np * sizeof *p) == 0;
	}
	for (size_t i = 0; same && i < wb_layout_nnodes(l); i++) {
		int x, y, w, x2, y2, w2;
		wb_layout_node_box(l, i, &x, &y, &w);
		wb_layout_node_box(l2, i, &x2, &y2, &w2);
		same = x == x2 && y == y2 && w == w2;
	}
	ok(same, "random 40: deterministic (two runs give the same drawing)");
	for (size_t k = 0; k < wb_layout_nedges(l); k++) {
		size_t a, b;
		wb_layout_edge(l, k, &a, &b);
		if (wb_graph_is_directed(g, a, b) &&
		    wb_layout_node_layer(l, a) >= wb_layout_node_layer(l, b)) {
			ok(0, "random 40: directed edge %zu goes up", k);
			break;
		}
	}
	wb_layout_free(l);
	wb_layout_free(l2);
	wb_graph_free(g);
}

/* Many random graphs of 5 to 44 nodes and varied density, some with positioned nodes: the
 * geometry holds for all (before jogs, about one in sixteen had two routes sharing cells). */
static void test_many(void)
{
	int bad = 0, first = 0;
	for (uint64_t seed = 1; seed <= 300; seed++) {
		size_t n = 5 + seed % 40;
		wb_graph *g = random_dag(n, 0.03 + (double)(seed % 7) * 0.02, seed);
		wb_err err;
		if (seed % 3 == 0) {
			wb_graph_set_pos(g, 0, 2, 3, &err);
			wb_graph_set_pos(g, n / 2, -1, 0, &err);
		}
		wb_layout *l = lay(g);
		if (!l || geometry_problems(l) > 0) {
			if (!bad)
				first = (int)seed;
			bad++;
		}
		wb_layout_free(l);
		wb_graph_free(g);
	}
	ok(bad == 0, "300 random graphs: geometry and no overlaps (%d bad, first seed %d)", bad,
	   first);
}

static void test_errors(void)
{
	wb_graph *g = build("A->B");
	wb_layout *l = NULL;
	wb_err err;
	int w[2] = {3, 0};
	ok(wb_layout_compute(g, w, &l, &err) == WB_EINVAL && l == NULL, "width 0 refused");
	streq(err.msg, "layout: node B has width 0 (need >= 1)", "width 0 message");
	wb_graph_free(g);
	g = wb_graph_new();
	l = lay(g);
	ok(l && wb_layout_width(l) == 0 && wb_layout_height(l) == 0 && wb_layout_nlayers(l) == 0,
	   "empty graph: empty drawing");
	wb_layout_free(l);
	wb_layout_free(NULL);
	wb_graph_free(g);
}

int main(void)
{
	test_chain();
	test_tree();
	test_bipartite();
	test_edge_kinds();
	test_long_edge();
	test_positions();
	test_random();
	test_many();
	test_errors();
	return done();
}
