/* Unit tests for engine/identify on published graphs with known answers. Each expected set
 * names its source. "DAGitty's test suite" means github.com/jtextor/dagitty, test/tests.js
 * (QUnit tests "adjustment in DAGs", "adjustment in chain graphs", "instrumental variables",
 * "uncategorized tests"), whose expected sets are copied here as DAGitty prints them. */
#include "../../engine/graph.h"
#include "../../engine/identify.h"
#include "../tap.h"

#include <stdlib.h>
#include <string.h>

static wb_err err;

/* A graph from "A -> B; B <-> C; C -- D; U [latent]; X [exposure]; Y [outcome]". */
static wb_graph *build(const char *text)
{
	wb_graph *g = wb_graph_new();
	char buf[2048];
	snprintf(buf, sizeof buf, "%s", text);
	for (char *save = NULL, *s = strtok_r(buf, ";", &save); s; s = strtok_r(NULL, ";", &save)) {
		char a[64], op[16], b[64];
		if (sscanf(s, " %63s [%15[a-z]]", a, op) == 2) {
			long i = wb_graph_ensure_node(g, a, &err);
			int role = strcmp(op, "latent") == 0	 ? WB_ROLE_LATENT
				   : strcmp(op, "exposure") == 0 ? WB_ROLE_EXPOSURE
				   : strcmp(op, "outcome") == 0	 ? WB_ROLE_OUTCOME
								 : WB_ROLE_ADJUSTED;
			wb_graph_set_role(g, (size_t)i, role, 1, &err);
			continue;
		}
		int got = sscanf(s, " %63s %15s %63s", a, op, b);
		if (got == 1)
			wb_graph_ensure_node(g, a, &err);
		if (got != 3)
			continue;
		size_t ia = (size_t)wb_graph_ensure_node(g, a, &err);
		size_t ib = (size_t)wb_graph_ensure_node(g, b, &err);
		if (strcmp(op, "->") == 0)
			wb_graph_add_directed(g, ia, ib, &err);
		else if (strcmp(op, "<->") == 0)
			wb_graph_add_bidirected(g, ia, ib, &err);
		else if (strcmp(op, "--") == 0)
			wb_graph_add_undirected(g, ia, ib, &err);
	}
	return g;
}

/* Node indices of "A,B,C" into idx; returns how many. */
static size_t nodes(const wb_graph *g, const char *list, size_t *idx)
{
	char buf[512];
	size_t n = 0;
	snprintf(buf, sizeof buf, "%s", list);
	for (char *save = NULL, *s = strtok_r(buf, ", ", &save); s; s = strtok_r(NULL, ", ", &save))
		idx[n++] = (size_t)wb_graph_node_index(g, s);
	return n;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sets as "{A, B} {C}": names sorted inside each set and the sets sorted too, as DAGitty's
 * tests print them. */
static const char *sets_text(const wb_graph *g, const wb_sets *s)
{
	static char buf[4096];
	char *items[64];
	size_t nitems = s->n < 64 ? s->n : 64;
	for (size_t k = 0; k < nitems; k++) {
		const char *names[64];
		size_t m = s->size[k] < 64 ? s->size[k] : 64;
		for (size_t i = 0; i < m; i++)
			names[i] = wb_graph_node_name(g, s->set[k][i]);
		qsort(names, m, sizeof *names, cmp_str);
		char one[512];
		size_t len = (size_t)snprintf(one, sizeof one, "{");
		for (size_t i = 0; i < m; i++)
			len += (size_t)snprintf(one + len, sizeof one - len, "%s%s", i ? ", " : "",
						names[i]);
		snprintf(one + len, sizeof one - len, "}");
		items[k] = strdup(one);
	}
	qsort(items, nitems, sizeof *items, cmp_str);
	size_t len = 0;
	buf[0] = '\0';
	for (size_t k = 0; k < nitems; k++) {
		len +=
		    (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", k ? " " : "", items[k]);
		free(items[k]);
	}
	return buf;
}

/* Minimal adjustment sets of the graph's exposure/outcome roles (plus its adjusted nodes). */
static const char *msas(const char *text)
{
	static char out[4096];
	wb_graph *g = build(text);
	size_t x[16], y[16], inc[16];
	size_t nx = wb_graph_nodes_with_role(g, WB_ROLE_EXPOSURE, x, 16);
	size_t ny = wb_graph_nodes_with_role(g, WB_ROLE_OUTCOME, y, 16);
	size_t ni = wb_graph_nodes_with_role(g, WB_ROLE_ADJUSTED, inc, 16);
	wb_sets s;
	if (wb_identify_adjustment_sets(g, x, nx, y, ny, inc, ni, &s, &err)) {
		snprintf(out, sizeof out, "error: %s", err.msg);
	} else {
		snprintf(out, sizeof out, "%s", s.n ? sets_text(g, &s) : "none");
		wb_identify_sets_free(&s);
	}
	wb_graph_free(g);
	return out;
}

static int dsep(const wb_graph *g, const char *x, const char *y, const char *z)
{
	size_t xi[16], yi[16], zi[16];
	size_t nx = nodes(g, x, xi), ny = nodes(g, y, yi), nz = z ? nodes(g, z, zi) : 0;
	int sep = -1;
	if (wb_identify_dsep(g, xi, nx, yi, ny, zi, nz, &sep, &err))
		return -1;
	return sep;
}

/* Pearl, Causality (2009), fig. 3.4 and §3.3.1: the backdoor example. */
#define PEARL_34                                                                                   \
	"X1 -> X3; X1 -> X4; X2 -> X4; X2 -> X5; X3 -> X; X4 -> X; X4 -> Y; X5 -> Y; X -> X6; "    \
	"X6 -> Y; X [exposure]; Y [outcome]"

static void test_dsep(void)
{
	/* Pearl's sprinkler (Causality 2009, fig. 1.2): Season -> Sprinkler, Rain -> Wet ->
	 * Slippery. */
	wb_graph *g = build("Season -> Sprinkler; Season -> Rain; Sprinkler -> Wet; Rain -> Wet; "
			    "Wet -> Slippery");
	ok(dsep(g, "Sprinkler", "Rain", "Season") == 1, "sprinkler: Sprinkler _||_ Rain | Season");
	ok(dsep(g, "Sprinkler", "Rain", "Season,Wet") == 0,
	   "sprinkler: conditioning on the collider Wet connects them");
	ok(dsep(g, "Sprinkler", "Rain", "Season,Slippery") == 0,
	   "sprinkler: so does its descendant Slippery");
	ok(dsep(g, "Season", "Slippery", "Wet") == 1, "sprinkler: Season _||_ Slippery | Wet");
	ok(dsep(g, "Season", "Slippery", NULL) == 0, "sprinkler: Season and Slippery dependent");
	wb_graph_free(g);

	/* Bidirected edges are latent common causes. */
	g = build("A -> B; B <-> C; C -> D");
	ok(dsep(g, "A", "D", NULL) == 1, "A -> B <-> C -> D: B is a collider");
	ok(dsep(g, "A", "D", "B") == 0, "given B the path opens");
	ok(dsep(g, "A", "C", "B") == 0, "A -> B <-> C given B: open");
	ok(dsep(g, "B", "D", "C") == 1, "B <-> C -> D given C: blocked");
	char path[256];
	size_t a = (size_t)wb_graph_node_index(g, "A"), d = (size_t)wb_graph_node_index(g, "D"),
	       b = (size_t)wb_graph_node_index(g, "B");
	ok(wb_identify_open_path(g, &a, 1, &d, 1, &b, 1, path, sizeof path, &err) == 1,
	   "an open path exists given B");
	streq(path, "A -> B <-> C -> D", "the open path written out");
	ok(wb_identify_open_path(g, &a, 1, &d, 1, NULL, 0, path, sizeof path, &err) == 0 &&
	       path[0] == '\0',
	   "no open path given nothing");
	ok(wb_identify_dsep(g, &a, 1, &a, 1, NULL, 0, &(int){0}, &err) == WB_EINVAL,
	   "X and Y must be disjoint");
	streq(err.msg, "A is in two of the sets", "its message");
	wb_graph_free(g);
}

static void test_backdoor(void)
{
	wb_graph *g = build(PEARL_34);
	size_t x = (size_t)wb_graph_node_index(g, "X"), y = (size_t)wb_graph_node_index(g, "Y");
	size_t z[8];
	int valid = -1;
	char why[256];
	size_t nz = nodes(g, "X3,X4", z);
	ok(wb_identify_is_backdoor(g, &x, 1, &y, 1, z, nz, &valid, why, sizeof why, &err) == 0 &&
	       valid == 1,
	   "Pearl 2009 §3.3.1: {X3, X4} satisfies the backdoor criterion");
	nz = nodes(g, "X4,X5", z);
	wb_identify_is_backdoor(g, &x, 1, &y, 1, z, nz, &valid, why, sizeof why, &err);
	ok(valid == 1, "Pearl 2009 §3.3.1: {X4, X5} satisfies it");
	nz = nodes(g, "X4", z);
	wb_identify_is_backdoor(g, &x, 1, &y, 1, z, nz, &valid, why, sizeof why, &err);
	ok(valid == 0, "Pearl 2009 §3.3.1: {X4} alone does not");
	streq(why, "open backdoor path: X <- X3 <- X1 -> X4 <- X2 -> X5 -> Y",
	      "the path X4 opens is named");
	nz = nodes(g, "X4,X5,X6", z);
	wb_identify_is_backdoor(g, &x, 1, &y, 1, z, nz, &valid, why, sizeof why, &err);
	ok(valid == 0, "Pearl 2009 §3.3.1: X6, a descendant of X, is not allowed");
	streq(why, "the set contains X6, a descendant of the exposure", "its reason");
	wb_identify_is_backdoor(g, &x, 1, &y, 1, NULL, 0, &valid, why, sizeof why, &err);
	streq(why, "open backdoor path: X <- X4 -> Y", "the empty set leaves X <- X4 -> Y open");
	wb_graph_free(g);
	/* All four minimal sets: X4 must be in (X <- X4 -> Y), and then one of X1, X2, X3, X5
	 * blocks the path X4 opens (worked out from the figure; DAGitty lists the same). */
	streq(msas(PEARL_34), "{X1, X4} {X2, X4} {X3, X4} {X4, X5}",
	      "Pearl 2009 fig. 3.4: all minimal adjustment sets");
}

static void test_published(void)
{
	/* M-bias (Greenland, Pearl & Robins 1999): {} is minimal, M alone is wrong. */
	const char *m = "U1 -> X; U1 -> M; U2 -> M; U2 -> Y; X -> Y; X [exposure]; Y [outcome]";
	streq(msas(m), "{}", "M-bias: the empty set is the minimal set");
	wb_graph *g = build(m);
	size_t x = 1, y = 4, z[4];
	x = (size_t)wb_graph_node_index(g, "X");
	y = (size_t)wb_graph_node_index(g, "Y");
	size_t nz = nodes(g, "M", z);
	int valid = -1;
	char why[256];
	wb_identify_is_adjustment(g, &x, 1, &y, 1, z, nz, &valid, why, sizeof why, &err);
	ok(valid == 0, "M-bias: adjusting for the collider M is wrong");
	streq(why, "open backdoor path: X <- U1 -> M <- U2 -> Y", "the path M opens");
	nz = nodes(g, "M,U1", z);
	wb_identify_is_adjustment(g, &x, 1, &y, 1, z, nz, &valid, why, sizeof why, &err);
	ok(valid == 1, "M-bias: {M, U1} is valid (not minimal)");
	wb_graph_free(g);
	/* DAGitty's test suite (jslib test "adjustment in DAGs"): M-bias with an adjusted
	 * node M gives {M, U1} and {M, U2}. */
	streq(msas("U1 -> X; U1 -> M; U2 -> M; U2 -> Y; X -> Y; X [exposure]; Y [outcome]; "
		   "M [adjusted]"),
	      "{M, U1} {M, U2}", "DAGitty: M-bias with M forced in");
	/* DAGitty's test suite: "{x[e]} <- a -> m <- b -> {y[o]}" gives {}. */
	streq(msas("a -> x; a -> m; b -> m; b -> y; x [exposure]; y [outcome]"), "{}",
	      "DAGitty: M-shape without an X -> Y edge");

	/* Butterfly bias (Ding & Miratrix 2015): B is a confounder and a collider; {A, B}
	 * and {B, C} are the minimal sets. */
	streq(msas("A -> X; A -> B; C -> B; C -> Y; B -> X; B -> Y; X -> Y; X [exposure]; "
		   "Y [outcome]"),
	      "{A, B} {B, C}", "butterfly: {A, B} and {B, C}");

	/* DAGitty's test suite ("uncategorized tests"): t -> xobs, u1 -> t, u1 -> y, u2 -> t,
	 * u2 -> xobs, xobs -> y gives {t, u2} and {u1}. */
	streq(msas("t -> xobs; u1 -> t; u1 -> y; u2 -> t; u2 -> xobs; xobs -> y; xobs [exposure]; "
		   "y [outcome]"),
	      "{t, u2} {u1}", "DAGitty: {t, u2} and {u1}");
	/* DAGitty's test suite: S -> T, h -> S, i -> h, i -> T, x -> S, x -> z, z -> T. */
	streq(msas("S -> T; h -> S; i -> h; i -> T; x -> S; x -> z; z -> T; S [exposure]; "
		   "T [outcome]"),
	      "{h, x} {h, z} {i, x} {i, z}", "DAGitty: four sets of two");
	/* DAGitty's test suite: two exposures and two outcomes. */
	streq(msas("C -> Y1; C -> m; X1 -> X2; X1 -> Y2; Y2 -> Y1; X2 -> Y1; X1 -> m2; m2 -> m; "
		   "m -> X2; X1 [exposure]; X2 [exposure]; Y1 [outcome]; Y2 [outcome]"),
	      "{C} {m, m2}", "DAGitty: several exposures and outcomes");
	/* DAGitty's test suite ("adjustment in chain graphs"): a pdag with W -- Z. */
	streq(msas("X -> W; W -> Y; F -> W; W -- Z; F -> X; F -> Z; X [exposure]; Y [outcome]"),
	      "{F}", "DAGitty: CPDAG X -> W -> Y, F -> W -- Z, X <- F -> Z gives {F}");

	/* No adjustment set: a latent confounder (Pearl 1995's smoking example). */
	streq(msas("X -> T; T -> Y; U -> X; U -> Y; U [latent]; X [exposure]; Y [outcome]"), "none",
	      "latent confounder: no adjustment set");
	streq(msas("X -> T; T -> Y; X <-> Y; X [exposure]; Y [outcome]"), "none",
	      "bidirected X <-> Y: no adjustment set");
	/* The CPDAG X -- Y is not amenable. */
	streq(msas("X -- Y; X [exposure]; Y [outcome]"), "none", "X -- Y: not amenable");
	/* A mediator's descendant is forbidden, so only the confounder is listed. */
	streq(msas("C -> X; C -> Y; X -> M; M -> Y; M -> D; X [exposure]; Y [outcome]"), "{C}",
	      "mediators and their descendants stay out");
}

static void test_effect(void)
{
	/* Pearl 1995 / Causality 2009 §3.3.2: smoking -> tar -> cancer with a latent genotype. */
	wb_graph *g =
	    build("Smoking -> Tar; Tar -> Cancer; Genotype -> Smoking; Genotype -> Cancer; "
		  "Genotype [latent]");
	size_t x = (size_t)wb_graph_node_index(g, "Smoking"),
	       y = (size_t)wb_graph_node_index(g, "Cancer");
	wb_identification id;
	ok(wb_identify_effect(g, &x, 1, &y, 1, &id, &err) == 0, "identify smoking -> cancer");
	ok(id.adjustment.n == 0, "front-door graph: no adjustment set");
	streq(id.adjustment_why,
	      "open backdoor path that no observed set can block: Smoking <- Genotype -> Cancer",
	      "why: the open backdoor path through the latent genotype");
	streq(sets_text(g, &id.frontdoor), "{Tar}", "Pearl 1995: {Tar} is the frontdoor set");
	ok(id.ninstruments == 0, "no instrument");
	wb_identify_free(&id);
	wb_graph_free(g);

	/* DAGitty's test suite ("instrumental variables"): z -> x -> y, u -> x, u -> y with u
	 * latent: z is an instrument. */
	g = build("z -> x; x -> y; u -> x; u -> y; u [latent]");
	x = (size_t)wb_graph_node_index(g, "x");
	y = (size_t)wb_graph_node_index(g, "y");
	wb_identify_effect(g, &x, 1, &y, 1, &id, &err);
	ok(id.ninstruments == 1 && id.instruments[0].node == 0 && id.instruments[0].ngiven == 0,
	   "DAGitty: z is an unconditional instrument");
	ok(id.frontdoor.n == 0, "no frontdoor set when x -> y is direct");
	streq(id.frontdoor_why, "x -> y is a direct edge, which no set can intercept",
	      "frontdoor why");
	wb_identify_free(&id);
	wb_graph_free(g);
	/* DAGitty's test suite: w -> z -> x -> y, w -> u -> x, u -> y, u latent: z | w. */
	g = build("w -> z; z -> x; x -> y; w -> u; u -> x; u -> y; u [latent]");
	x = (size_t)wb_graph_node_index(g, "x");
	y = (size_t)wb_graph_node_index(g, "y");
	wb_identify_effect(g, &x, 1, &y, 1, &id, &err);
	ok(id.ninstruments == 1, "DAGitty: one conditional instrument");
	ok(id.ninstruments == 1 &&
	       strcmp(wb_graph_node_name(g, id.instruments[0].node), "z") == 0 &&
	       id.instruments[0].ngiven == 1 &&
	       strcmp(wb_graph_node_name(g, id.instruments[0].given[0]), "w") == 0,
	   "DAGitty: z given w");
	wb_identify_free(&id);
	wb_graph_free(g);

	/* Not amenable: the reason names the edge. */
	g = build("X -- M; M -> Y; C -> X; C -> Y");
	x = (size_t)wb_graph_node_index(g, "X");
	y = (size_t)wb_graph_node_index(g, "Y");
	wb_identify_effect(g, &x, 1, &y, 1, &id, &err);
	ok(!id.amenable && id.adjustment.n == 0, "X -- M -> Y: not amenable");
	ok(strncmp(id.adjustment_why, "X -- M is not oriented", 22) == 0, "why: %s",
	   id.adjustment_why);
	wb_identify_free(&id);
	wb_graph_free(g);
}

static void test_roles(void)
{
	wb_graph *g = build("C -> X; C -> Y; X -> M; M -> Y; Z -> X; Y -> D; X -> E; P -> Y; "
			    "U1 -> X; U1 -> K; U2 -> K; U2 -> Y; I");
	size_t x = (size_t)wb_graph_node_index(g, "X"), y = (size_t)wb_graph_node_index(g, "Y");
	int roles[32];
	ok(wb_identify_roles(g, &x, 1, &y, 1, roles, &err) == 0, "roles");
	struct {
		const char *node;
		int want;
	} cases[] = {
	    {"X", WB_NODE_EXPOSURE},
	    {"Y", WB_NODE_OUTCOME},
	    {"C", WB_NODE_CONFOUNDER},
	    {"M", WB_NODE_MEDIATOR},
	    {"Z", WB_NODE_EXPOSURE_CAUSE | WB_NODE_INSTRUMENT},
	    {"D", WB_NODE_OUTCOME_DESC},
	    {"E", WB_NODE_EXPOSURE_DESC},
	    {"P", WB_NODE_OUTCOME_CAUSE},
	    {"K", WB_NODE_COLLIDER | WB_NODE_INSTRUMENT}, /* given U2 */
	    {"U1", WB_NODE_EXPOSURE_CAUSE | WB_NODE_INSTRUMENT},
	    {"U2", WB_NODE_OUTCOME_CAUSE},
	    {"I", 0},
	};
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
		long i = wb_graph_node_index(g, cases[k].node);
		ok(i >= 0 && roles[i] == cases[k].want, "role of %s is %d (got %d)", cases[k].node,
		   cases[k].want, i >= 0 ? roles[i] : -1);
	}
	streq(wb_identify_role_name(WB_NODE_MEDIATOR), "mediator", "role name");
	streq(wb_identify_role_name(0), "irrelevant", "no role");
	wb_graph_free(g);
}

static const char *implications_text(const char *text)
{
	static char buf[4096];
	wb_graph *g = build(text);
	wb_implication *imp;
	size_t n;
	size_t len = 0;
	buf[0] = '\0';
	if (wb_identify_implications(g, &imp, &n, &err)) {
		wb_graph_free(g);
		return err.msg;
	}
	for (size_t k = 0; k < n; k++) {
		wb_sets one = {1, &imp[k].given, &imp[k].ngiven, 0};
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s _||_ %s | %s",
					k ? "; " : "", wb_graph_node_name(g, imp[k].a),
					wb_graph_node_name(g, imp[k].b), sets_text(g, &one));
	}
	wb_identify_implications_free(imp, n);
	wb_graph_free(g);
	return buf;
}

static void test_implications(void)
{
	/* Pearl's sprinkler: the independences of Causality 2009 §1.2.3, smallest separators. */
	streq(implications_text("Season -> Sprinkler; Season -> Rain; Sprinkler -> Wet; "
				"Rain -> Wet; Wet -> Slippery"),
	      "Season _||_ Wet | {Rain, Sprinkler}; Season _||_ Slippery | {Wet}; "
	      "Sprinkler _||_ Rain | {Season}; Sprinkler _||_ Slippery | {Wet}; "
	      "Rain _||_ Slippery | {Wet}",
	      "sprinkler implications");
	/* Latent nodes are never conditioned on and never tested. */
	streq(implications_text("A -> U; U -> B; U [latent]; A -> C"), "B _||_ C | {A}",
	      "A and B cannot be separated without the latent U");
	/* A chain: A _||_ C | B. */
	streq(implications_text("A -> B; B -> C"), "A _||_ C | {B}", "chain");
	/* A collider: A _||_ C given nothing. */
	streq(implications_text("A -> B; C -> B"), "A _||_ C | {}", "collider");
}

/* A DAG over nodes "0".."n-1" from "a>b a>b ...". */
static wb_graph *numbered_dag(size_t n, char *edges)
{
	wb_graph *g = wb_graph_new();
	for (size_t i = 0; i < n; i++) {
		char nm[16];
		snprintf(nm, sizeof nm, "%zu", i);
		wb_graph_add_node(g, nm, &err);
	}
	for (char *save = NULL, *e = strtok_r(edges, " \n", &save); e;
	     e = strtok_r(NULL, " \n", &save)) {
		size_t a, b;
		if (sscanf(e, "%zu>%zu", &a, &b) == 2)
			wb_graph_add_directed(g, a, b, &err);
	}
	return g;
}

static FILE *open_data(const char *name)
{
	const char *top = getenv("top_srcdir");
	char path[4096];
	snprintf(path, sizeof path, "%s/tests/data/good/%s", top ? top : ".", name);
	return fopen(path, "r");
}

/* networkx's d_separated on 25 random DAGs (tests/data/good/dsep_networkx.py). */
static void test_networkx_dsep(void)
{
	FILE *fp = open_data("dsep_networkx.txt");
	ok(fp != NULL, "open dsep_networkx.txt");
	if (!fp)
		return;
	char line[4096];
	wb_graph *g = NULL;
	int queries = 0, agree = 0;
	while (fgets(line, sizeof line, fp)) {
		if (strncmp(line, "dag", 3) == 0) {
			wb_graph_free(g);
			g = numbered_dag(12, line + 3);
		} else if (line[0] == 'q' && g) {
			size_t x, y, z[12], nz = 0;
			char zs[256];
			int want;
			if (sscanf(line, "q %zu %zu %255s %d", &x, &y, zs, &want) != 4)
				continue;
			for (char *save = NULL, *t = strtok_r(zs, ",", &save); t;
			     t = strtok_r(NULL, ",", &save))
				if (strcmp(t, "-") != 0)
					z[nz++] = (size_t)atoi(t);
			int got = -1;
			wb_identify_dsep(g, &x, 1, &y, 1, z, nz, &got, &err);
			queries++;
			agree += got == want;
			if (got != want)
				printf("# disagree: %s", line);
		}
	}
	wb_graph_free(g);
	fclose(fp);
	ok(queries == 300 && agree == queries,
	   "d-separation agrees with networkx on %d of %d queries", agree, queries);
}

/* Brute-force minimal backdoor sets from networkx on 30 random DAGs (msas_networkx.py). */
static void test_networkx_msas(void)
{
	FILE *fp = open_data("msas_networkx.txt");
	ok(fp != NULL, "open msas_networkx.txt");
	if (!fp)
		return;
	char line[4096];
	wb_graph *g = NULL;
	int effects = 0, agree = 0;
	while (fgets(line, sizeof line, fp)) {
		if (strncmp(line, "dag", 3) == 0) {
			wb_graph_free(g);
			g = numbered_dag(10, line + 3);
		} else if (strncmp(line, "effect", 6) == 0 && g) {
			size_t x, y;
			char want[2048];
			if (sscanf(line, "effect %zu %zu %2047s", &x, &y, want) != 3)
				continue;
			wb_sets s;
			char got[2048] = "";
			size_t len = 0;
			if (wb_identify_adjustment_sets(g, &x, 1, &y, 1, NULL, 0, &s, &err) == 0) {
				for (size_t k = 0; k < s.n; k++) {
					len += (size_t)snprintf(got + len, sizeof got - len, "%s",
								k ? "|" : "");
					for (size_t i = 0; i < s.size[k]; i++)
						len += (size_t)snprintf(got + len, sizeof got - len,
									"%s%zu", i ? "," : "",
									s.set[k][i]);
					if (s.size[k] == 0)
						len += (size_t)snprintf(got + len, sizeof got - len,
									"-");
				}
				if (s.n == 0)
					snprintf(got, sizeof got, "none");
				wb_identify_sets_free(&s);
			}
			effects++;
			agree += strcmp(got, want) == 0;
			if (strcmp(got, want) != 0)
				printf("# %s#   got %s\n", line, got);
		}
	}
	wb_graph_free(g);
	fclose(fp);
	ok(effects == 90 && agree == effects,
	   "all minimal adjustment sets agree with brute force on %d of %d effects", agree,
	   effects);
}

int main(void)
{
	test_networkx_dsep();
	test_networkx_msas();
	test_dsep();
	test_backdoor();
	test_published();
	test_effect();
	test_roles();
	test_implications();
	return done();
}
