/* Unit tests for the graph files: DOT and dagitty reading, exact round trips, and every bad
 * file in tests/data/bad/graph/ refused with the message in its .err. */
#include "../../engine/graph.h"
#include "../tap.h"

#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static wb_err err;

static wb_graph *dot(const char *text)
{
	wb_graph *g = NULL;
	if (wb_graph_parse_dot("t.dot", text, strlen(text), &g, &err))
		printf("# %s\n", err.msg);
	return g;
}

static wb_graph *dagitty(const char *text)
{
	wb_graph *g = NULL;
	if (wb_graph_parse_dagitty("t.dagitty", text, strlen(text), &g, &err))
		printf("# %s\n", err.msg);
	return g;
}

/* Edges as "A -> B; B -- C" in edge order. */
static const char *edges(const wb_graph *g)
{
	static char buf[2048];
	size_t len = 0;
	buf[0] = '\0';
	for (size_t k = 0; g && k < wb_graph_nedges(g); k++) {
		size_t a, b;
		char e[256];
		wb_graph_edge_at(g, k, &a, &b);
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", k ? "; " : "",
					wb_graph_edge_text(g, a, b, e, sizeof e));
	}
	return buf;
}

static int same_graph(const wb_graph *a, const wb_graph *b)
{
	if (!a || !b || wb_graph_nnodes(a) != wb_graph_nnodes(b) ||
	    wb_graph_nedges(a) != wb_graph_nedges(b))
		return 0;
	size_t n = wb_graph_nnodes(a);
	for (size_t i = 0; i < n; i++) {
		double xa = 0, ya = 0, xb = 0, yb = 0;
		if (strcmp(wb_graph_node_name(a, i), wb_graph_node_name(b, i)) ||
		    wb_graph_roles(a, i) != wb_graph_roles(b, i) ||
		    wb_graph_pos(a, i, &xa, &ya) != wb_graph_pos(b, i, &xb, &yb) || xa != xb ||
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

static void test_dot(void)
{
	wb_graph *g = dot("/* a comment */ strict digraph \"study\" {\n"
			  "  // line comment\n"
			  "# preprocessor-style line\n"
			  "  rankdir=LR; node [shape=box]\n"
			  "  X [exposure=true, pos=\"1.5,2!\"]; \"Y z\" [outcome]\n"
			  "  U [latent=true]\n"
			  "  X -> \"Y z\" -> W [color=red];\n"
			  "  U -> {X \"Y z\"}\n"
			  "  A -> B [dir=none]; C -> D [dir=both]; E -> F [dir=back]\n"
			  "  G:port -> H:n [dir=both, arrowtail=odot]; I -> J [label=\"0.75\"]\n"
			  "  subgraph cluster_0 { K; L -> M }\n"
			  "  <<b>html</b>> -> \"con\" + \"cat\"\n"
			  "}\n");
	ok(g != NULL, "a DOT file with most of the language");
	if (!g)
		return;
	streq(edges(g),
	      "X -> Y z; X <- U; Y z <- U; Y z -> W; A -- B; C <-> D; E <- F; G o-> H; I -> J; L "
	      "-> M; "
	      "<b>html</b> -> concat",
	      "edges, chains, groups, dir=none/both/back, circle marks");
	ok(wb_graph_roles(g, 0) == WB_ROLE_EXPOSURE && wb_graph_roles(g, 1) == WB_ROLE_OUTCOME,
	   "role attributes, with and without =true");
	ok(wb_graph_roles(g, (size_t)wb_graph_node_index(g, "U")) == WB_ROLE_LATENT, "latent");
	double x, y;
	ok(wb_graph_pos(g, 0, &x, &y) && x == 1.5 && y == 2, "pos with a trailing !");
	ok(wb_graph_edge_weight(g, (size_t)wb_graph_node_index(g, "I"),
				(size_t)wb_graph_node_index(g, "J")) == 0.75,
	   "a numeric label is the edge's number");
	ok(wb_graph_node_index(g, "K") >= 0, "a node in a subgraph");
	ok(!wb_graph_can_undo(g), "a loaded graph has no undo history");
	wb_graph_free(g);

	g = dot("graph { A -- B -- C; C -- D [dir=forward] }");
	streq(edges(g), "A -- B; B -- C; C -> D", "undirected graph; dir=forward gives an arrow");
	wb_graph_free(g);

	g = dot("digraph { edge [dir=none] A -> B; edge [dir=forward] B -> C }");
	streq(edges(g), "A -- B; B -> C", "edge defaults");
	wb_graph_free(g);
}

static void test_dagitty(void)
{
	wb_graph *g = dagitty("dag {\n"
			      "bb=\"0,0,1,1\"\n"
			      "X [exposure,pos=\"0,1\"]\n"
			      "Y [outcome]\n"
			      "U [latent]\n"
			      "A [adjusted] S [selected]\n"
			      "X -> Y <- U ; U -> X\n"
			      "X <-> M -- N\n"
			      "M -> {Y A}\n"
			      "P @-> Q <-@ R @-@ T --@ V @-- W\n"
			      "A -> \"odd name\" [weight=0.5]\n"
			      "}\n");
	ok(g != NULL, "a dagitty model");
	if (!g)
		return;
	streq(edges(g),
	      "X -> Y; X <- U; X <-> M; Y <- U; Y <- M; A <- M; A -> odd name; M -- N; P o-> Q; "
	      "Q <-o R; R o-o T; T --o V; V o-- W",
	      "dagitty operators, chains and groups");
	ok(wb_graph_roles(g, 0) == WB_ROLE_EXPOSURE && wb_graph_roles(g, 3) == WB_ROLE_ADJUSTED,
	   "roles");
	double x, y;
	ok(wb_graph_pos(g, 0, &x, &y) && x == 0 && y == 1, "pos");
	ok(wb_graph_edge_weight(g, 3, (size_t)wb_graph_node_index(g, "odd name")) == 0.5,
	   "edge weight");
	streq(wb_graph_kind(g), "pag", "circle marks make a pag");
	wb_graph_free(g);
	/* dagitty.net's own example header with a name, and pdag. */
	g = dagitty("pdag G { a -- b -> c }");
	streq(edges(g), "a -- b; b -> c", "pdag with a name");
	wb_graph_free(g);
}

/* Writes g with the writer, reads it back with the reader. */
static wb_graph *round_trip(const wb_graph *g, int as_dot, char **text)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	int rc = as_dot ? wb_graph_write_dot(g, fp, &err) : wb_graph_write_dagitty(g, fp, &err);
	fclose(fp);
	wb_graph *h = NULL;
	if (rc == 0)
		rc = as_dot ? wb_graph_parse_dot("rt.dot", buf, len, &h, &err)
			    : wb_graph_parse_dagitty("rt.dagitty", buf, len, &h, &err);
	if (rc)
		printf("# %s\n%s", err.msg, buf);
	*text = buf;
	return h;
}

static void test_round_trips(void)
{
	wb_graph *g = wb_graph_new();
	const char *names[] = {
	    "X", "Y",  "odd \"name\" \\ here", "graph", "12abc", "Ünïcode", "iso", "P", "Q",
	    "R", "dag"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		wb_graph_add_node(g, names[i], &err);
	wb_graph_add_directed(g, 0, 1, &err);
	wb_graph_add_directed(g, 2, 0, &err); /* written from the lower index: 0 <- 2 */
	wb_graph_add_bidirected(g, 1, 3, &err);
	wb_graph_add_undirected(g, 3, 4, &err);
	wb_graph_set_edge(g, 5, 7, WB_MARK_CIRCLE, WB_MARK_ARROW, &err);
	wb_graph_set_edge(g, 7, 8, WB_MARK_TAIL, WB_MARK_CIRCLE, &err);
	wb_graph_set_edge(g, 8, 9, WB_MARK_CIRCLE, WB_MARK_CIRCLE, &err);
	wb_graph_set_edge(g, 9, 10, WB_MARK_ARROW, WB_MARK_CIRCLE, &err);
	wb_graph_set_edge_weight(g, 0, 1, 0.1 + 0.2, &err);
	wb_graph_set_edge_weight(g, 1, 3, 1e-300, &err);
	wb_graph_set_role(g, 0, WB_ROLE_EXPOSURE, 1, &err);
	wb_graph_set_role(g, 0, WB_ROLE_ADJUSTED, 1, &err);
	wb_graph_set_role(g, 1, WB_ROLE_OUTCOME, 1, &err);
	wb_graph_set_role(g, 2, WB_ROLE_LATENT, 1, &err);
	wb_graph_set_pos(g, 0, 1.0 / 3, -0.0, &err);
	wb_graph_set_pos(g, 5, 123456789.125, 1e-7, &err);
	for (int as_dot = 0; as_dot < 2; as_dot++) {
		char *text = NULL;
		wb_graph *h = round_trip(g, as_dot, &text);
		ok(same_graph(g, h), "%s round trip: names, marks, roles, positions, numbers",
		   as_dot ? "DOT" : "dagitty");
		/* Writing the result again gives the same text. */
		char *text2 = NULL;
		wb_graph *h2 = h ? round_trip(h, as_dot, &text2) : NULL;
		ok(text && text2 && strcmp(text, text2) == 0, "%s: writing again, same text",
		   as_dot ? "DOT" : "dagitty");
		free(text);
		free(text2);
		wb_graph_free(h);
		wb_graph_free(h2);
	}
	wb_graph_free(g);

	/* A CPDAG with only undirected edges is written as an undirected DOT graph. */
	g = dagitty("pdag { A -- B -- C }");
	char *text = NULL;
	wb_graph *h = round_trip(g, 1, &text);
	ok(text && strncmp(text, "graph {", 7) == 0, "undirected DOT: graph { ... }");
	ok(same_graph(g, h), "undirected DOT round trip");
	free(text);
	wb_graph_free(h);
	h = round_trip(g, 0, &text);
	ok(text && strncmp(text, "pdag {", 6) == 0 && same_graph(g, h), "pdag header");
	free(text);
	wb_graph_free(h);
	wb_graph_free(g);
	/* The exact text of a small dagitty file. */
	g = dagitty("dag { X [exposure,pos=\"0,1\"] Y [outcome] X -> Y U <-> Y }");
	h = round_trip(g, 0, &text);
	streq(text, "dag {\nX [exposure,pos=\"0,1\"]\nY [outcome]\nU\nX -> Y\nY <-> U\n}\n",
	      "dagitty text as written");
	free(text);
	wb_graph_free(h);
	h = round_trip(g, 1, &text);
	streq(text,
	      "digraph {\n\tX [exposure=true, pos=\"0,1\"];\n\tY [outcome=true];\n\tU;\n\tX -> Y;\n"
	      "\tY -> U [dir=both];\n}\n",
	      "DOT text as written");
	free(text);
	wb_graph_free(h);
	wb_graph_free(g);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int graph_file(const struct dirent *d)
{
	return ends_with(d->d_name, ".dot") || ends_with(d->d_name, ".gv") ||
	       ends_with(d->d_name, ".dagitty");
}

static void test_bad(void)
{
	const char *top = getenv("top_srcdir");
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s/tests/data/bad/graph", top ? top : ".");
	if (!ok(chdir(dir) == 0, "chdir %s", dir))
		return;
	struct dirent **list;
	int n = scandir(".", &list, graph_file, alphasort);
	ok(n >= 15, "at least 15 bad graph files (%d)", n);
	for (int i = 0; i < n; i++) {
		const char *path = list[i]->d_name;
		char want[600] = "", errpath[300];
		snprintf(errpath, sizeof errpath, "%.*s.err", (int)(strrchr(path, '.') - path),
			 path);
		FILE *fp = fopen(errpath, "r");
		if (fp) {
			if (!fgets(want, sizeof want, fp))
				want[0] = '\0';
			fclose(fp);
		}
		want[strcspn(want, "\n")] = '\0';
		wb_graph *g = NULL;
		int rc = wb_graph_load(path, &g, &err);
		ok(rc < 0 && g == NULL, "%s is refused", path);
		streq(err.msg, want, "%s message", path);
		free(list[i]);
	}
	free(list);
	wb_graph *g = NULL;
	ok(wb_graph_load("no-such-file.dot", &g, &err) == WB_EIO, "a missing file");
	streq(err.msg, "no-such-file.dot: cannot open: No such file or directory", "its message");
	ok(wb_graph_save(NULL, "x.txt", &err) == WB_EINVAL, "save needs a known extension");
	streq(err.msg, "x.txt: unknown graph file type (use .dot, .gv or .dagitty)", "its message");
}

static void test_load_save(void)
{
	char dir[] = "/tmp/wbgraphfiles.XXXXXX";
	if (!ok(mkdtemp(dir) != NULL, "temporary directory"))
		return;
	wb_graph *g = dagitty("dag { A [exposure] B [outcome] A -> B }"), *h = NULL;
	char path[300];
	snprintf(path, sizeof path, "%s/g.gv", dir);
	ok(wb_graph_save(g, path, &err) == 0 && wb_graph_load(path, &h, &err) == 0 &&
	       same_graph(g, h),
	   ".gv is DOT");
	wb_graph_free(h);
	h = NULL;
	/* Another extension: chosen by the first word. */
	snprintf(path, sizeof path, "%s/g.dagitty", dir);
	wb_graph_save(g, path, &err);
	char other[300];
	snprintf(other, sizeof other, "%s/g.txt", dir);
	rename(path, other);
	ok(wb_graph_load(other, &h, &err) == 0 && same_graph(g, h), "sniffed: dagitty");
	wb_graph_free(h);
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	ok(system(cmd) == 0, "clean up");
	wb_graph_free(g);
}

int main(void)
{
	test_dot();
	test_dagitty();
	test_round_trips();
	test_load_save();
	test_bad();
	return done();
}
