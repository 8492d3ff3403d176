/* Unit tests for graphs in the session: storing, choosing, the workspace round trip. */
#include "../../app/host.h"
#include "../../app/session.h"
#include "../../app/workspace.h"
#include "../tap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static wb_err err;

static const char *run(wb_session *s, const char *line)
{
	wb_err_clear(&err);
	wb_session_run_line(s, line, NULL, &err);
	return err.msg;
}

/* 1 if a and b hold the same nodes, roles, positions, edges, marks and weights. */
static int graphs_equal(const wb_graph *a, const wb_graph *b)
{
	size_t n = wb_graph_nnodes(a);
	if (n != wb_graph_nnodes(b) || wb_graph_nedges(a) != wb_graph_nedges(b))
		return 0;
	for (size_t i = 0; i < n; i++) {
		double xa = 0, ya = 0, xb = 0, yb = 0;
		int pa = wb_graph_pos(a, i, &xa, &ya), pb = wb_graph_pos(b, i, &xb, &yb);
		if (strcmp(wb_graph_node_name(a, i), wb_graph_node_name(b, i)) ||
		    wb_graph_roles(a, i) != wb_graph_roles(b, i) || pa != pb || xa != xb ||
		    ya != yb)
			return 0;
		for (size_t j = 0; j < n; j++) {
			double wa = wb_graph_edge_weight(a, i, j),
			       wb = wb_graph_edge_weight(b, i, j);
			if (wb_graph_mark(a, i, j) != wb_graph_mark(b, i, j) ||
			    !(wa == wb || (isnan(wa) && isnan(wb))))
				return 0;
		}
	}
	return 1;
}

static wb_graph *sample_graph(void)
{
	wb_graph *g = wb_graph_new();
	const char *names[] = {"X", "Y", "U", "M", "odd name\twith tab"};
	for (size_t i = 0; i < 5; i++)
		wb_graph_add_node(g, names[i], &err);
	wb_graph_add_directed(g, 0, 3, &err);
	wb_graph_add_directed(g, 3, 1, &err);
	wb_graph_add_bidirected(g, 0, 1, &err);
	wb_graph_set_edge(g, 2, 4, WB_MARK_CIRCLE, WB_MARK_ARROW, &err);
	wb_graph_add_undirected(g, 2, 0, &err);
	wb_graph_set_edge_weight(g, 3, 1, 0.1 + 0.2, &err);
	wb_graph_set_role(g, 0, WB_ROLE_EXPOSURE, 1, &err);
	wb_graph_set_role(g, 0, WB_ROLE_ADJUSTED, 1, &err);
	wb_graph_set_role(g, 1, WB_ROLE_OUTCOME, 1, &err);
	wb_graph_set_role(g, 2, WB_ROLE_LATENT, 1, &err);
	wb_graph_set_pos(g, 0, 1.0 / 3, -2e-300, &err);
	wb_graph_set_pos(g, 4, 7, 8, &err);
	return g;
}

static void test_session_graphs(void)
{
	wb_session *s = wb_session_new();
	const char *name = "x";
	ok(wb_session_graph(s, &name) == NULL && name == NULL, "no graph at first");
	ok(wb_session_need_graph(s, NULL, &err) == NULL, "need_graph fails");
	streq(err.msg, "no graph: make one with graph new, graph load or discover", "its message");
	wb_graph *g = sample_graph(), *h = wb_graph_new();
	ok(wb_session_put_graph(s, "first", g, &err) == 0, "put a graph");
	ok(wb_session_put_graph(s, "second", h, &err) == 0, "put another");
	ok(wb_session_graph(s, &name) == h && strcmp(name, "second") == 0,
	   "the last put is active");
	ok(wb_session_use_graph(s, "first", &err) == 0 && wb_session_graph(s, NULL) == g,
	   "use_graph");
	ok(wb_session_use_graph(s, "third", &err) == WB_ENOTFOUND, "unknown graph");
	streq(err.msg, "no graph named 'third' (graphs: first, second)", "its message");
	wb_graph *h2 = wb_graph_new();
	wb_graph_add_node(h2, "Q", &err);
	ok(wb_session_put_graph(s, "second", h2, &err) == 0 && wb_session_ngraphs(s) == 2,
	   "same name replaces");
	ok(wb_session_graph_at(s, 1) == h2 && strcmp(wb_session_graph_name(s, 1), "second") == 0,
	   "graph_at / graph_name");

	wb_ui_host host;
	wb_host_init(&host, s);
	ok(host.graph && host.graph(host.ctx, &name) == h2 && strcmp(name, "second") == 0,
	   "the screen host hands out the active graph");

	/* Workspace round trip. */
	char dir[] = "/tmp/wbgraph.XXXXXX";
	ok(mkdtemp(dir) != NULL, "temporary directory");
	char path[256], line[400];
	snprintf(path, sizeof path, "%s/g.wbw", dir);
	wb_session_use_graph(s, "first", &err);
	ok(wb_workspace_save(s, path, &err) == 0, "save workspace with graphs: %s", err.msg);
	wb_session *t = wb_session_new();
	ok(wb_workspace_open(t, path, &err) == 0, "open it: %s", err.msg);
	ok(wb_session_ngraphs(t) == 2, "two graphs restored");
	ok(graphs_equal(wb_session_graph_at(t, 0), g), "graph identical after the round trip");
	ok(graphs_equal(wb_session_graph_at(t, 1), h2), "second graph too");
	ok(wb_session_graph(t, &name) && strcmp(name, "first") == 0, "active graph restored");
	ok(!wb_graph_can_undo(wb_session_graph_at(t, 0)), "a restored graph has no history");

	/* A broken graph block is refused with its line. */
	char bad[256];
	snprintf(bad, sizeof bad, "%s/bad.wbw", dir);
	FILE *fp = fopen(bad, "w");
	fputs("whybench workspace 1\ngraph g 2 1\nnode e - - A\nnode o - - B\n"
	      "edge 0 5 tail arrow -\nend\n",
	      fp);
	fclose(fp);
	ok(wb_workspace_open(t, bad, &err) == WB_EPARSE, "bad edge index refused");
	snprintf(line, sizeof line, "%s:5: edge line names a node index beyond the node lines",
		 bad);
	streq(err.msg, line, "its message");
	fp = fopen(bad, "w");
	fputs("whybench workspace 1\ngraph g 3 3\nnode - - - A\nnode - - - B\nnode - - - C\n"
	      "edge 0 1 tail arrow -\nedge 1 2 tail arrow -\nedge 2 0 tail arrow -\nend\n",
	      fp);
	fclose(fp);
	ok(wb_workspace_open(t, bad, &err) == WB_EINVAL, "a cycle in a workspace is refused");
	snprintf(line, sizeof line, "%s:8: C -> A would make a cycle: C -> A -> B -> C", bad);
	streq(err.msg, line, "its message");
	ok(wb_session_ngraphs(t) == 2, "the session is unchanged");
	snprintf(line, sizeof line, "rm -rf %s", dir);
	ok(system(line) == 0, "clean up");
	wb_session_free(t);
	wb_session_free(s);
}

static void test_commands(void)
{
	wb_session *s = wb_session_new();
	streq(run(s, "graph edge A -> B"),
	      "no graph: make one with graph new, graph load or discover", "edges need a graph");
	streq(run(s, "identify"), "no graph: make one with graph new, graph load or discover",
	      "identify needs a graph");
	streq(run(s, "graph new; graph edge A -> B -> C"), "", "a chain");
	ok(wb_session_dirty(s), "an edit marks the workspace unsaved");
	const wb_graph *g = wb_session_graph(s, NULL);
	ok(g && wb_graph_nedges(g) == 2, "two edges");
	streq(run(s, "graph edge C -> D -> A"),
	      "graph edge: D -> A would make a cycle: D -> A -> B -> C -> D", "the cycle is named");
	ok(wb_graph_nnodes(g) == 3 && wb_graph_nedges(g) == 2,
	   "a refused chain leaves the graph as it was (no node D, no C -> D)");
	streq(run(s, "graph edge A B"), "graph edge: expected A -> B, A -- B or A <-> B",
	      "edge syntax");
	streq(run(s, "graph edge A -> -> B"), "graph edge: expected A -> B, A -- B or A <-> B",
	      "two operators");
	streq(run(s, "graph drop A -> Bee"), "graph drop: unknown node 'Bee' (did you mean 'B'?)",
	      "unknown node with a suggestion");
	streq(run(s, "graph drop A -> C"), "graph drop: no edge between A and C", "no such edge");
	streq(run(s, "graph reverse B -> A"), "graph reverse: no edge B -> A to reverse",
	      "reverse needs the edge as written");
	streq(run(s, "graph reverse A -- B"), "graph reverse: expected A -> B", "reverse syntax");
	streq(run(s, "graph role A treatment"),
	      "graph role: unknown role 'treatment' (exposure, outcome, latent, adjusted, none)",
	      "unknown role");
	streq(run(s, "graph role A exposure maybe"),
	      "graph role: expected 'off' after the role, got 'maybe'", "role off syntax");
	streq(run(s, "graph move A one 2"), "graph move: a coordinate must be a number, got 'one'",
	      "move needs numbers");
	streq(run(s, "graph rename A B"), "graph rename: there is already a node called B",
	      "rename to a taken name");
	streq(run(s, "graph node A"), "graph node: there is already a node called A", "node taken");
	streq(run(s, "graph node P P"), "graph node: there is already a node called P",
	      "the same name twice");
	ok(wb_graph_node_index(g, "P") < 0, "and neither was added");
	streq(
	    run(s, "identify"),
	    "identify: name the effect (identify T Y) or set roles with graph role NAME exposure / "
	    "outcome",
	    "identify without roles");
	streq(run(s, "graph role A latent; identify A C"),
	      "identify: A is latent: an exposure or outcome must be observed", "latent exposure");
	streq(run(s, "graph role A none; identify A Nope"), "identify: unknown node 'Nope'",
	      "unknown outcome named");
	streq(run(s, "identify A Bx"), "identify: unknown node 'Bx' (did you mean 'B'?)",
	      "a near miss is suggested");
	streq(run(s, "graph check"),
	      "no dataset: load one with `load PATH` or make one with `generate musicapp`",
	      "graph check needs data");
	streq(run(s, "generate musicapp n=200; graph check alpha=2"),
	      "graph check: alpha must be between 0 and 1", "alpha range");
	streq(run(s, "graph check test=exact"),
	      "graph check: unknown test 'exact' (choose fisherz, gsq or auto)", "test choices");
	/* Undo and redo through commands. */
	wb_session *t = wb_session_new();
	streq(run(t, "graph new; graph undo"), "graph undo: nothing to undo", "nothing to undo");
	streq(run(t, "graph edge X -- Y; graph edge X -> Y; graph undo"), "",
	      "undo an orientation");
	const wb_graph *h = wb_session_graph(t, NULL);
	ok(wb_graph_is_undirected(h, 0, 1), "back to X -- Y");
	streq(run(t, "graph redo"), "", "redo");
	ok(wb_graph_is_directed(h, 0, 1), "X -> Y again");
	streq(run(t, "graph redo"), "graph redo: nothing to redo", "nothing to redo");
	streq(run(t, "graph new second; graph list; graph use g"), "", "list and use");
	const char *name;
	ok(wb_session_graph(t, &name) == h && strcmp(name, "g") == 0, "g active again");
	streq(run(t, "graph use third"), "no graph named 'third' (graphs: g, second)",
	      "unknown graph");
	/* Completion of node names. */
	char **c = wb_host_complete(t, "graph drop X", 11, 12);
	ok(c && c[0] && strcmp(c[0], "X") == 0 && !c[1], "node names complete");
	for (size_t i = 0; c && c[i]; i++)
		free(c[i]);
	free(c);
	wb_session_free(t);
	wb_session_free(s);
}

int main(void)
{
	wb_err_gsl_init();
	test_session_graphs();
	test_commands();
	return done();
}
