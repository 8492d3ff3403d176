/* cmd_discover.c — causal discovery commands: discover pc|ges, graph compare, graph truth. */
#include "cmd.h"
#include "session.h"

#include "../engine/discover.h"
#include "../engine/graph_compare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Columns named in "A,B,C" (blanks allowed) into *cols (new array), or all columns. */
static int parse_columns(const wb_frame *f, const char *list, size_t **cols, size_t *n, wb_err *err)
{
	size_t nc = wb_frame_ncols(f), m = 0;
	size_t *out = malloc((nc + 1) * sizeof *out);
	if (!out)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	if (!list) {
		for (size_t j = 0; j < nc; j++)
			out[j] = j;
		*cols = out;
		*n = nc;
		return 0;
	}
	char *copy = strdup(list);
	int rc = copy ? 0 : wb_err_set(err, WB_ENOMEM, "out of memory");
	for (char *save = NULL, *tok = copy ? strtok_r(copy, ", ", &save) : NULL; tok && !rc;
	     tok = strtok_r(NULL, ", ", &save)) {
		long j = wb_arg_column(f, tok, err);
		if (j < 0) {
			rc = (int)j;
			break;
		}
		for (size_t i = 0; i < m && !rc; i++)
			if (out[i] == (size_t)j)
				rc =
				    wb_err_set(err, WB_EINVAL, "columns: '%s' is given twice", tok);
		if (!rc && m < nc)
			out[m++] = (size_t)j;
	}
	free(copy);
	if (!rc && m < 2)
		rc = wb_err_set(err, WB_EINVAL, "columns: discovery needs at least 2 columns");
	if (rc) {
		free(out);
		return rc;
	}
	*cols = out;
	*n = m;
	return 0;
}

/* The knowledge in the tiers=, forbid= and require= options, checked against the columns. */
static int parse_knowledge(const wb_args *a, const wb_frame *f, const size_t *cols, size_t n,
			   wb_knowledge **out, wb_err *err)
{
	const char *tiers = wb_arg_opt(a, "tiers", NULL), *forbid = wb_arg_opt(a, "forbid", NULL);
	const char *require = wb_arg_opt(a, "require", NULL);
	*out = NULL;
	if (!tiers && !forbid && !require)
		return 0;
	wb_knowledge *k = wb_knowledge_new();
	const char **names = malloc((n + 1) * sizeof *names);
	int rc = k && names ? 0 : wb_err_set(err, WB_ENOMEM, "out of memory");
	if (!rc && tiers)
		rc = wb_knowledge_set_tiers(k, tiers, err);
	if (!rc && forbid)
		rc = wb_knowledge_add_edges(k, forbid, 0, err);
	if (!rc && require)
		rc = wb_knowledge_add_edges(k, require, 1, err);
	for (size_t i = 0; i < n && names; i++)
		names[i] = wb_frame_colname(f, cols[i]);
	if (!rc)
		rc = wb_knowledge_check(k, names, n, err);
	free(names);
	if (rc) {
		wb_knowledge_free(k);
		return rc;
	}
	*out = k;
	return 0;
}

static int exec_discover(wb_session *s, const wb_args *args, wb_err *err)
{
	wb_args a = *args;
	const char *as;
	int rc = wb_arg_as_count(&a, &as, 1, 1, err);
	if (rc)
		return rc;
	const char *alg = wb_arg_word(&a, 0);
	wb_discover_algo algo;
	if (strcmp(alg, "pc") == 0)
		algo = WB_DISCOVER_PC;
	else if (strcmp(alg, "ges") == 0)
		algo = WB_DISCOVER_GES;
	else
		return wb_err_set(err, WB_EINVAL, "discover: unknown algorithm '%s' (pc or ges)",
				  alg);
	static const char *pc_only[] = {"alpha", "test", "depth"};
	for (size_t i = 0; i < 3; i++)
		if (algo == WB_DISCOVER_GES && wb_arg_opt(&a, pc_only[i], NULL))
			return wb_err_set(err, WB_EINVAL,
					  "discover ges: %s= applies to pc only (GES scores "
					  "linear-Gaussian data with BIC)",
					  pc_only[i]);
	if (algo == WB_DISCOVER_PC && wb_arg_opt(&a, "penalty", NULL))
		return wb_err_set(err, WB_EINVAL, "discover pc: penalty= applies to ges only");
	const char *dsname;
	const wb_frame *f = wb_session_need_frame(s, &dsname, err);
	if (!f)
		return err->code;
	wb_discover_options opt = {0};
	long depth, boot;
	if ((rc = wb_arg_double(&a, "alpha", 0.05, &opt.alpha, err)) ||
	    (rc = wb_arg_long(&a, "depth", -1, -1, 1000, &depth, err)) ||
	    (rc = wb_arg_long(&a, "bootstrap", 0, 0, 100000, &boot, err)) ||
	    (rc = wb_arg_double(&a, "penalty", 1, &opt.penalty, err)))
		return rc;
	if (!(opt.alpha > 0 && opt.alpha < 1))
		return wb_err_set(err, WB_EINVAL, "discover: alpha must be between 0 and 1, got %g",
				  opt.alpha);
	if (!(opt.penalty > 0))
		return wb_err_set(err, WB_EINVAL, "discover: penalty must be positive, got %g",
				  opt.penalty);
	opt.depth = depth;
	opt.bootstrap = (size_t)boot;
	opt.threads = wb_session_threads(s);
	const char *test = wb_arg_opt(&a, "test", NULL);
	if (test && (rc = wb_ci_kind_parse(test, &opt.test, err)))
		return wb_err_prefix(err, "discover");
	size_t *cols = NULL, n = 0;
	if ((rc = parse_columns(f, wb_arg_opt(&a, "columns", NULL), &cols, &n, err)))
		return wb_err_prefix(err, "discover %s", alg);
	wb_knowledge *k = NULL;
	if ((rc = parse_knowledge(&a, f, cols, n, &k, err))) {
		free(cols);
		return wb_err_prefix(err, "discover %s", alg);
	}
	opt.knowledge = k;
	wb_discovery d;
	rc =
	    wb_discover(algo, f, cols, n, &opt, wb_session_rng(s), wb_session_progress(s), &d, err);
	free(cols);
	wb_knowledge_free(k);
	if (rc == WB_ECANCEL)
		return wb_err_set(err, rc, "discover %s: cancelled", alg);
	if (rc)
		return wb_err_prefix(err, "discover %s", alg);
	const char *gname = as ? as : alg;
	size_t ne = wb_graph_nedges(d.graph), nn = wb_graph_nnodes(d.graph);
	rc = wb_session_put_graph(s, gname, d.graph, err);
	d.graph = NULL;
	if (rc) {
		wb_discovery_free(&d);
		return rc;
	}
	char title[256];
	snprintf(title, sizeof title, "discover %s on %s: %zu edges over %zu nodes", alg, dsname,
		 ne, nn);
	wb_result_set_title(d.edges, title);
	wb_result_add_note(d.edges, "the CPDAG is the active graph '%s' (see the Graph pane)",
			   gname);
	wb_result *parts[3] = {d.edges, d.removed, d.bootstrap};
	d.edges = d.removed = d.bootstrap = NULL;
	for (size_t i = 0; i < 3; i++)
		if (parts[i] && !rc)
			rc = wb_session_emit(s, parts[i], err);
		else
			wb_result_free(parts[i]);
	return rc;
}

/* The workspace graph called name; "truth" falls back on the active dataset's true graph
 * (*owned is then set to a new graph the caller frees). */
static const wb_graph *graph_by_name(wb_session *s, const char *name, wb_graph **owned, wb_err *err)
{
	*owned = NULL;
	for (size_t i = 0; i < wb_session_ngraphs(s); i++)
		if (strcmp(wb_session_graph_name(s, i), name) == 0)
			return wb_session_graph_at(s, i);
	const wb_frame *f = wb_session_frame(s, NULL);
	if (strcmp(name, "truth") == 0 && f) {
		if (wb_graph_from_truth(f, owned, err))
			return NULL;
		return *owned;
	}
	char list[256] = "";
	size_t used = 0;
	for (size_t i = 0; i < wb_session_ngraphs(s) && used < sizeof list; i++)
		used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
					 wb_session_graph_name(s, i));
	wb_err_set(err, WB_ENOTFOUND, "no graph '%s' (graphs: %s)", name,
		   wb_session_ngraphs(s) ? list : "none");
	return NULL;
}

static int exec_compare(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 2, 2, err);
	if (rc)
		return rc;
	const char *cp = wb_arg_opt(a, "cpdag", "yes");
	if (strcmp(cp, "yes") != 0 && strcmp(cp, "no") != 0)
		return wb_err_set(err, WB_EINVAL,
				  "graph compare: cpdag must be yes or no, got '%s'", cp);
	wb_graph *oa, *ob;
	const wb_graph *A = graph_by_name(s, wb_arg_word(a, 0), &oa, err);
	if (!A)
		return err->code;
	const wb_graph *B = graph_by_name(s, wb_arg_word(a, 1), &ob, err);
	if (!B) {
		wb_graph_free(oa);
		return err->code;
	}
	wb_result *sum = NULL, *diff = NULL;
	rc = wb_graph_compare(A, B, strcmp(cp, "yes") == 0, NULL, &sum, &diff, err);
	wb_graph_free(oa);
	wb_graph_free(ob);
	if (rc)
		return rc;
	char title[256];
	snprintf(title, sizeof title, "graph compare %s (A) with %s (B)", wb_arg_word(a, 0),
		 wb_arg_word(a, 1));
	wb_result_set_title(sum, title);
	if ((rc = wb_session_emit(s, sum, err))) {
		wb_result_free(diff);
		return rc;
	}
	return wb_session_emit(s, diff, err);
}

static int exec_truth(wb_session *s, const wb_args *args, wb_err *err)
{
	wb_args a = *args;
	const char *as;
	int rc = wb_arg_as_count(&a, &as, 0, 0, err);
	if (rc)
		return rc;
	const char *dsname;
	const wb_frame *f = wb_session_need_frame(s, &dsname, err);
	if (!f)
		return err->code;
	wb_graph *g;
	if ((rc = wb_graph_from_truth(f, &g, err)))
		return rc;
	const char *name = as ? as : "truth";
	size_t ne = wb_graph_nedges(g), nn = wb_graph_nnodes(g);
	if ((rc = wb_session_put_graph(s, name, g, err)))
		return rc;
	return wb_session_say(s, err,
			      "graph %s: the true graph of %s, %zu edges over %zu nodes; now the "
			      "active graph",
			      name, dsname, ne, nn);
}

static const wb_option discover_opts[] = {
    {"alpha", "A", "pc: significance level of the CI tests (default 0.05)"},
    {"test", "T",
     "pc: CI test fisherz, gsq or auto (default auto: gsq when every column is "
     "discrete, else fisherz)"},
    {"depth", "K", "pc: largest conditioning set (default unlimited)"},
    {"penalty", "L", "ges: multiplier of the BIC penalty ½ ln n per parameter (default 1)"},
    {"tiers", "\"A,B | C | Y\"",
     "temporal tiers, earliest first: no edge from a later tier "
     "to an earlier one"},
    {"forbid", "\"A->B,C->D\"", "edges that may not appear in that direction"},
    {"require", "\"A->B\"", "edges that must appear"},
    {"bootstrap", "N", "rerun on N resamples and report how often each edge appears"},
    {"columns", "A,B,C", "the columns to use (default all)"},
    {NULL, NULL, NULL}};

static const wb_option compare_opts[] = {
    {"cpdag", "yes|no", "compare a DAG through its CPDAG (default yes)"}, {NULL, NULL, NULL}};

const wb_cmd wb_cmds_discover[] = {
    {"discover",
     "discover pc|ges [alpha=A] [test=fisherz|gsq|auto] [depth=K] [penalty=L] [tiers=\"A,B | C "
     "| Y\"] [forbid=\"A->B\"] [require=\"A->B\"] [bootstrap=N] [columns=A,B,C] [as NAME]",
     "learn a causal graph (CPDAG) from the data",
     "Learns the equivalence class of causal DAGs that fits the active dataset and makes it "
     "the active graph (named pc or ges unless `as NAME`), so it opens in the Graph pane, "
     "can be edited there or with graph commands, and `identify` works on it. `->` edges are "
     "compelled, `--` edges could point either way.\n\n"
     "pc: PC-stable (Colombo & Maathuis 2014) — the skeleton by conditional-independence "
     "tests, adjacency sets frozen at each depth so column order does not matter; colliders "
     "from the separating sets; Meek's rules R1-R4. A collider conflict (two colliders "
     "wanting opposite arrowheads on one edge) is listed in the notes and the edge is left "
     "undirected. The removed adjacencies are listed with their separating set and the test "
     "(statistic, p-value) that removed them. Tests: Fisher-z on partial correlations "
     "(numeric and binary columns; one correlation matrix computed once) or G² (binary and "
     "categorical columns; degrees of freedom: the sum over the strata of S of (levels of X "
     "present − 1)(levels of Y present − 1), so empty cells reduce them; df 0 gives p = 1); auto "
     "picks G² when "
     "every column is discrete, Fisher-z otherwise, and refuses a categorical column with "
     "more than two levels among numeric ones. Rows with a missing value in a used column "
     "are dropped (the notes say how many).\n\n"
     "ges: Greedy Equivalence Search (Chickering 2002) with the BIC score for "
     "linear-Gaussian data (½ ln n per parameter, times penalty).\n\n"
     "Background knowledge applies to both: tiers (no edge from a later tier to an earlier "
     "one), forbidden and required edges; contradictory knowledge is refused with the "
     "reason. bootstrap=N reruns the search on N resamples (seeded from the workspace seed) "
     "and lists, per pair, how often it was adjacent and in which orientation; the graph's "
     "edges carry their frequency, shown in the Graph pane. In PC a forbidden "
     "adjacency is removed without a test (so it makes no collider) and a required one is "
     "never tested; GES starts from the required edges and never inserts a forbidden one. "
     "Columns are processed in the order of their names, so the result does not depend on "
     "the column order. Long runs show progress and Ctrl-C cancels them.\n\nExample:\n  generate "
     "lineardag n=5000 p=8 seed=3\n  discover "
     "pc alpha=0.01 tiers=\"X3,X4 | X7,X2,X6 | X8,X1,X5\" bootstrap=50",
     discover_opts, WB_COMPLETE_COLUMNS, WB_CMD_MODIFIES, exec_discover},
    {"graph compare", "graph compare A B [cpdag=yes|no]",
     "structural Hamming distance and precision/recall between two graphs",
     "Compares graph A (an estimate) with graph B (the reference): SHD (one per missing or "
     "extra adjacency, one per edge whose orientation differs), adjacency precision and "
     "recall, and arrowhead precision and recall; then lists each differing pair. Nodes are "
     "matched by name. A graph with only directed edges is compared through its CPDAG "
     "unless cpdag=no. B (or A) may be `truth`: the true graph of the active generated "
     "dataset, when no workspace graph has that name.\n\nExample:\n  generate lineardag "
     "n=5000 seed=3\n  discover pc\n  graph compare pc truth",
     compare_opts, 0, 0, exec_compare},
    {"graph truth", "graph truth [as NAME]", "make the generator's true graph a workspace graph",
     "Turns the true DAG of the active generated dataset (generate lineardag, musicapp) "
     "into a workspace graph named truth (or NAME) and makes it the active graph.\n\n"
     "Example:\n  generate lineardag n=1000 seed=3\n  graph truth",
     NULL, 0, WB_CMD_MODIFIES, exec_truth},
    {NULL, NULL, NULL, NULL, NULL, 0, 0, NULL}};
