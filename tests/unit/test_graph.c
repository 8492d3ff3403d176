/* Unit tests for engine/graph: nodes, edges and marks, roles, positions, cycle refusal,
 * undo/redo with grouped edits, edge weights, kinds, topological order. */
#include "../../engine/graph.h"
#include "../tap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static size_t node(wb_graph *g, const char *name)
{
	wb_err err = {0};
	long i = wb_graph_ensure_node(g, name, &err);
	return i < 0 ? 0 : (size_t)i;
}

/* All edges as text, "A -> B; B -- C", in edge_at order. */
static const char *edges(const wb_graph *g)
{
	static char buf[1024];
	size_t len = 0;
	buf[0] = '\0';
	for (size_t k = 0; k < wb_graph_nedges(g); k++) {
		size_t a, b;
		char e[128];
		wb_graph_edge_at(g, k, &a, &b);
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", k ? "; " : "",
					wb_graph_edge_text(g, a, b, e, sizeof e));
	}
	return buf;
}

static const char *names(const wb_graph *g)
{
	static char buf[1024];
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < wb_graph_nnodes(g); i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i ? " " : "",
					wb_graph_node_name(g, i));
	return buf;
}

static void test_nodes(void)
{
	wb_err err = {0};
	wb_graph *g = wb_graph_new();
	ok(wb_graph_add_node(g, "A", &err) == 0, "first node has index 0");
	ok(wb_graph_add_node(g, "B", &err) == 1, "second node has index 1");
	ok(wb_graph_add_node(g, "A", &err) == WB_EINVAL, "a taken name is refused");
	streq(err.msg, "there is already a node called A", "taken-name message");
	ok(wb_graph_add_node(g, "", &err) == WB_EINVAL, "an empty name is refused");
	ok(wb_graph_ensure_node(g, "B", &err) == 1, "ensure_node finds an existing node");
	ok(wb_graph_ensure_node(g, "C", &err) == 2, "ensure_node adds a new one");
	ok(wb_graph_node_index(g, "C") == 2 && wb_graph_node_index(g, "Z") == -1, "node_index");
	wb_graph_add_directed(g, 0, 1, &err);
	wb_graph_add_directed(g, 1, 2, &err);
	ok(wb_graph_rename_node(g, 1, "Mid", &err) == 0, "rename");
	streq(edges(g), "A -> Mid; Mid -> C", "renaming keeps the edges");
	ok(wb_graph_rename_node(g, 1, "A", &err) == WB_EINVAL, "rename to a taken name refused");
	wb_graph_set_pos(g, 2, 3, 4, &err);
	wb_graph_set_role(g, 2, WB_ROLE_OUTCOME, 1, &err);
	ok(wb_graph_remove_node(g, 1, &err) == 0, "remove the middle node");
	streq(names(g), "A C", "nodes above move down");
	ok(wb_graph_nedges(g) == 0, "its edges went with it");
	double x, y;
	ok(wb_graph_pos(g, 1, &x, &y) && x == 3 && y == 4, "the moved node keeps its position");
	ok(wb_graph_roles(g, 1) == WB_ROLE_OUTCOME, "and its role");
	ok(wb_graph_remove_node(g, 7, &err) == WB_EINVAL, "removing a missing node fails");
	wb_graph_free(g);
	wb_graph_free(NULL);
}

static void test_edges(void)
{
	wb_err err = {0};
	wb_graph *g = wb_graph_new();
	size_t a = node(g, "A"), b = node(g, "B"), c = node(g, "C"), d = node(g, "D");
	ok(wb_graph_add_directed(g, a, b, &err) == 0, "A -> B");
	ok(wb_graph_is_directed(g, a, b) && !wb_graph_is_directed(g, b, a), "direction");
	ok(wb_graph_mark(g, a, b) == WB_MARK_ARROW && wb_graph_mark(g, b, a) == WB_MARK_TAIL,
	   "marks of A -> B");
	ok(wb_graph_add_undirected(g, b, c, &err) == 0, "B -- C");
	ok(wb_graph_is_undirected(g, c, b), "undirected both ways");
	ok(wb_graph_add_bidirected(g, c, d, &err) == 0, "C <-> D");
	ok(wb_graph_is_bidirected(g, d, c), "bidirected both ways");
	streq(edges(g), "A -> B; B -- C; C <-> D", "edge order and text");
	char buf[64];
	streq(wb_graph_edge_text(g, b, a, buf, sizeof buf), "B <- A", "text from the head side");
	streq(wb_graph_edge_text(g, a, d, buf, sizeof buf), "", "no text when not adjacent");
	ok(wb_graph_set_edge(g, a, d, WB_MARK_CIRCLE, WB_MARK_ARROW, &err) == 0, "A o-> D");
	streq(wb_graph_edge_text(g, a, d, buf, sizeof buf), "A o-> D", "circle mark text");
	streq(wb_graph_edge_text(g, d, a, buf, sizeof buf), "D <-o A", "circle mark text reversed");
	streq(wb_graph_kind(g), "pag", "a circle mark makes a pag");
	wb_graph_remove_edge(g, a, d, &err);
	streq(wb_graph_kind(g), "mixed", "-- with <-> is mixed");
	ok(wb_graph_nedges(g) == 3, "three edges");
	ok(wb_graph_add_directed(g, a, a, &err) == WB_EINVAL, "no self loop");
	ok(wb_graph_set_edge(g, a, c, WB_MARK_NONE, WB_MARK_ARROW, &err) == WB_EINVAL,
	   "no NONE mark");
	ok(wb_graph_remove_edge(g, a, c, &err) == WB_ENOTFOUND, "removing a missing edge");
	streq(err.msg, "no edge between A and C", "missing-edge message");
	ok(wb_graph_add_directed(g, c, b, &err) == 0, "C -> B replaces B -- C (orients it)");
	ok(wb_graph_nedges(g) == 3 && wb_graph_is_directed(g, c, b), "still three edges");
	ok(wb_graph_reverse_edge(g, a, b, &err) == 0, "reverse A -> B");
	ok(wb_graph_is_directed(g, b, a), "now B -> A");
	ok(wb_graph_reverse_edge(g, a, b, &err) == WB_EINVAL, "no A -> B to reverse any more");
	streq(err.msg, "no edge A -> B to reverse", "reverse message");
	size_t idx[4];
	ok(wb_graph_parents(g, b, idx, 4) == 1 && idx[0] == c, "parents of B");
	ok(wb_graph_children(g, b, idx, 4) == 1 && idx[0] == a, "children of B");
	ok(wb_graph_neighbours(g, c, idx, 4) == 2 && idx[0] == b && idx[1] == d, "neighbours of C");
	ok(wb_graph_parents(g, b, idx, 0) == 1, "count beyond capacity");
	wb_graph_remove_edge(g, c, d, &err);
	streq(wb_graph_kind(g), "dag", "only directed edges: dag");
	wb_graph_add_bidirected(g, a, d, &err);
	streq(wb_graph_kind(g), "admg", "-> and <->: admg");
	wb_graph_add_undirected(g, a, d, &err);
	streq(wb_graph_kind(g), "pdag", "-> and --: pdag");
	wb_graph_free(g);
}

static void test_cycles(void)
{
	wb_err err = {0};
	wb_graph *g = wb_graph_new();
	size_t a = node(g, "A"), b = node(g, "B"), c = node(g, "C"), d = node(g, "D");
	wb_graph_add_directed(g, a, b, &err);
	wb_graph_add_directed(g, b, c, &err);
	wb_graph_add_directed(g, c, d, &err);
	ok(wb_graph_add_directed(g, d, a, &err) == WB_EINVAL, "D -> A closes a cycle");
	streq(err.msg, "D -> A would make a cycle: D -> A -> B -> C -> D", "the cycle is named");
	ok(!wb_graph_adjacent(g, d, a) && wb_graph_nedges(g) == 3, "graph unchanged");
	ok(wb_graph_set_edge(g, a, d, WB_MARK_ARROW, WB_MARK_TAIL, &err) == WB_EINVAL,
	   "A <- D written the other way is refused too");
	wb_graph_add_directed(g, a, c, &err);
	ok(wb_graph_reverse_edge(g, a, c, &err) == WB_EINVAL, "reversing A -> C makes a cycle");
	streq(err.msg, "C -> A would make a cycle: C -> A -> B -> C", "reverse cycle message");
	ok(wb_graph_is_directed(g, a, c), "A -> C is kept");
	wb_graph_remove_edge(g, a, c, &err);
	ok(wb_graph_add_directed(g, b, a, &err) == 0,
	   "B -> A replaces A -> B, so the old edge does not count");
	ok(wb_graph_add_bidirected(g, d, a, &err) == 0, "a bidirected edge is never a cycle");
	ok(wb_graph_add_undirected(g, d, b, &err) == 0, "nor an undirected one");
	ok(wb_graph_has_directed_path(g, b, d) && !wb_graph_has_directed_path(g, d, b),
	   "directed paths");
	ok(wb_graph_has_directed_path(g, c, c), "a node reaches itself");
	size_t order[4];
	wb_graph_topo_order(g, order);
	ok(order[0] == b && order[1] == a && order[2] == c && order[3] == d,
	   "topological order B A C D (got %zu %zu %zu %zu)", order[0], order[1], order[2],
	   order[3]);
	wb_graph_free(g);
}

static void test_roles(void)
{
	wb_err err = {0};
	wb_graph *g = wb_graph_new();
	size_t x = node(g, "X"), y = node(g, "Y"), u = node(g, "U");
	wb_graph_set_role(g, x, WB_ROLE_EXPOSURE, 1, &err);
	wb_graph_set_role(g, x, WB_ROLE_ADJUSTED, 1, &err);
	ok(wb_graph_roles(g, x) == (WB_ROLE_EXPOSURE | WB_ROLE_ADJUSTED), "two roles");
	wb_graph_set_role(g, x, WB_ROLE_LATENT, 1, &err);
	ok(wb_graph_roles(g, x) == WB_ROLE_LATENT, "latent clears the others");
	wb_graph_set_role(g, x, WB_ROLE_EXPOSURE, 1, &err);
	ok(wb_graph_roles(g, x) == WB_ROLE_EXPOSURE, "exposure clears latent");
	wb_graph_set_role(g, y, WB_ROLE_OUTCOME, 1, &err);
	wb_graph_set_role(g, u, WB_ROLE_OUTCOME, 1, &err);
	size_t idx[3];
	ok(wb_graph_nodes_with_role(g, WB_ROLE_OUTCOME, idx, 3) == 2 && idx[0] == y && idx[1] == u,
	   "nodes with a role");
	wb_graph_set_role(g, u, WB_ROLE_OUTCOME, 0, &err);
	ok(wb_graph_roles(g, u) == 0, "role off");
	ok(wb_graph_set_role(g, u, 64, 1, &err) == WB_EINVAL, "unknown role refused");
	double px, py;
	ok(!wb_graph_pos(g, x, &px, &py), "no position at first");
	wb_graph_set_pos(g, x, 1.5, -2, &err);
	ok(wb_graph_pos(g, x, &px, &py) && px == 1.5 && py == -2, "position set");
	ok(wb_graph_set_pos(g, x, NAN, 0, &err) == WB_EINVAL, "NaN position refused");
	wb_graph_clear_pos(g, x);
	ok(!wb_graph_pos(g, x, &px, &py), "position cleared");
	wb_graph_free(g);
}

static void test_undo(void)
{
	wb_err err = {0};
	wb_graph *g = wb_graph_new();
	ok(!wb_graph_can_undo(g) && wb_graph_undo(g, &err) == WB_EINVAL, "nothing to undo");
	streq(err.msg, "nothing to undo", "message");
	size_t a = node(g, "A"), b = node(g, "B");
	wb_graph_add_directed(g, a, b, &err);
	wb_graph_set_role(g, a, WB_ROLE_EXPOSURE, 1, &err);
	ok(wb_graph_undo(g, &err) == 0 && wb_graph_roles(g, a) == 0, "undo the role");
	ok(wb_graph_undo(g, &err) == 0 && wb_graph_nedges(g) == 0, "undo the edge");
	ok(wb_graph_can_redo(g), "can redo");
	ok(wb_graph_redo(g, &err) == 0 && wb_graph_is_directed(g, a, b), "redo the edge");
	streq(edges(g), "A -> B", "edge list after redo");
	ok(wb_graph_undo(g, &err) == 0 && wb_graph_undo(g, &err) == 0 &&
	       wb_graph_undo(g, &err) == 0 && wb_graph_nnodes(g) == 0,
	   "undo back to the empty graph");
	ok(wb_graph_redo(g, &err) == 0 && wb_graph_nnodes(g) == 1, "redo one node");
	node(g, "C");
	ok(!wb_graph_can_redo(g) && wb_graph_redo(g, &err) == WB_EINVAL, "a new edit clears redo");
	streq(err.msg, "nothing to redo", "message");

	/* A group is one step, nested groups too. */
	wb_graph_begin_edit(g);
	node(g, "D");
	wb_graph_begin_edit(g);
	wb_graph_add_directed(g, 0, 1, &err);
	wb_graph_end_edit(g);
	wb_graph_add_bidirected(g, 1, 2, &err);
	wb_graph_end_edit(g);
	streq(names(g), "A C D", "group applied");
	ok(wb_graph_undo(g, &err) == 0, "undo the group");
	streq(names(g), "A C", "the whole group went");
	ok(wb_graph_nedges(g) == 0, "and its edges");
	ok(wb_graph_redo(g, &err) == 0 && wb_graph_nedges(g) == 2, "redo the whole group");

	/* Refused and no-op edits are not steps. */
	wb_graph_begin_edit(g);
	wb_graph_end_edit(g);
	wb_graph_add_directed(g, 0, 0, &err);
	wb_graph_add_directed(g, 0, 1, &err); /* already there */
	ok(wb_graph_undo(g, &err) == 0 && wb_graph_nnodes(g) == 2,
	   "an empty group, a refused and a no-op edit left no step");

	/* The history is bounded. */
	wb_graph *h = wb_graph_new();
	for (int i = 0; i < WB_GRAPH_UNDO_MAX + 20; i++) {
		char nm[16];
		snprintf(nm, sizeof nm, "N%d", i);
		node(h, nm);
	}
	int steps = 0;
	while (wb_graph_undo(h, &err) == 0)
		steps++;
	ok(steps == WB_GRAPH_UNDO_MAX, "undo keeps %d steps (got %d)", WB_GRAPH_UNDO_MAX, steps);
	ok(wb_graph_nnodes(h) == 20, "the oldest 20 nodes stay");
	wb_graph_free(h);
	wb_graph_free(g);
}

static void test_weights_copy(void)
{
	wb_err err = {0};
	wb_graph *g = wb_graph_new();
	size_t a = node(g, "A"), b = node(g, "B"), c = node(g, "C");
	wb_graph_add_directed(g, a, b, &err);
	wb_graph_add_directed(g, b, c, &err);
	ok(isnan(wb_graph_edge_weight(g, a, b)), "no weight at first");
	ok(wb_graph_set_edge_weight(g, b, a, 0.8, &err) == 0, "set a weight");
	ok(wb_graph_edge_weight(g, a, b) == 0.8, "read it from either side");
	ok(wb_graph_set_edge_weight(g, a, c, 0.5, &err) == WB_ENOTFOUND, "no edge, no weight");
	wb_graph_set_edge_weight(g, b, c, 0.25, &err);
	wb_graph_set_role(g, a, WB_ROLE_LATENT, 1, &err);
	wb_graph *k = wb_graph_copy(g);
	ok(k && wb_graph_edge_weight(k, b, c) == 0.25, "a copy keeps weights");
	ok(k && wb_graph_roles(k, a) == WB_ROLE_LATENT, "and roles");
	ok(k && !wb_graph_can_undo(k), "but not the history");
	wb_graph_add_bidirected(g, a, b, &err);
	ok(isnan(wb_graph_edge_weight(g, a, b)), "replacing an edge clears its weight");
	wb_graph_undo(g, &err);
	ok(wb_graph_edge_weight(g, a, b) == 0.8, "undo brings it back");
	wb_graph_remove_node(g, a, &err);
	ok(wb_graph_edge_weight(g, 0, 1) == 0.25, "weights follow the nodes down");
	wb_graph_free(k);
	wb_graph_free(g);
}

static void test_many(void)
{
	wb_err err = {0};
	wb_graph *g = wb_graph_new();
	/* A chain of 300 nodes (the matrix grows several times). */
	for (int i = 0; i < 300; i++) {
		char nm[16];
		snprintf(nm, sizeof nm, "V%d", i);
		node(g, nm);
		if (i)
			wb_graph_add_directed(g, (size_t)i - 1, (size_t)i, &err);
	}
	ok(wb_graph_nedges(g) == 299, "299 edges");
	ok(wb_graph_add_directed(g, 299, 0, &err) == WB_EINVAL, "the long cycle is refused");
	ok(strncmp(err.msg, "V299 -> V0 would make a cycle: V299 -> V0 -> V1 -> V2", 50) == 0,
	   "long cycle message starts right");
	size_t a, b;
	wb_graph_edge_at(g, 298, &a, &b);
	ok(a == 298 && b == 299, "last edge");
	wb_graph_free(g);
}

int main(void)
{
	test_nodes();
	test_edges();
	test_cycles();
	test_roles();
	test_undo();
	test_weights_copy();
	test_many();
	return done();
}
