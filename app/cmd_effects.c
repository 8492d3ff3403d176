/* cmd_effects.c — effect commands: estimate, refute. */
#include "cmd.h"
#include "session.h"

#include "../engine/estimate.h"
#include "../engine/identify.h"
#include "../engine/refute.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LIST 256

/* A comma-separated list of column names, split in place into buf. */
typedef struct namelist {
	char buf[4096];
	const char *v[MAX_LIST];
	size_t n;
} namelist;

static int split_list(const wb_args *a, const char *key, const wb_frame *f, namelist *l,
		      wb_err *err)
{
	l->n = 0;
	const char *val = wb_arg_opt(a, key, NULL);
	if (!val)
		return 0;
	snprintf(l->buf, sizeof l->buf, "%s", val);
	for (char *p = l->buf; *p;) {
		char *e = p + strcspn(p, ",");
		int last = *e == '\0';
		*e = '\0';
		while (*p == ' ')
			p++;
		for (char *t = e; t > p && t[-1] == ' ';)
			*--t = '\0';
		if (*p) {
			if (l->n == MAX_LIST)
				return wb_err_set(err, WB_EINVAL, "%s: %s= lists too many columns",
						  a->name, key);
			if (wb_arg_column(f, p, err) < 0)
				return wb_err_prefix(err, "%s: %s=", a->name, key);
			l->v[l->n++] = p;
		}
		if (last)
			break;
		p = e + 1;
	}
	return 0;
}

/* The default adjustment set: the first minimal adjustment set of the active graph whose
 * nodes are all columns of the data (identify.h, van der Zander et al. 2019), into adj; from
 * says where it came from. Without a graph the error says what to do. */
static int graph_adjust(wb_session *s, const wb_frame *f, const char *T, const char *Y,
			namelist *adj, char *from, size_t fsize, wb_err *err)
{
	const char *gname;
	const wb_graph *g = wb_session_graph(s, &gname);
	if (!g)
		return wb_err_set(
		    err, WB_EINVAL,
		    "estimate: no graph to choose the adjustment set from: give "
		    "adjust=A,B (adjust= for none) or make a graph (graph load, discover)");
	long x = wb_graph_node_index(g, T), y = wb_graph_node_index(g, Y);
	if (x < 0 || y < 0)
		return wb_err_set(err, WB_EINVAL,
				  "estimate: graph %s has no node '%s': name the nodes like the "
				  "columns, or give adjust=",
				  gname, x < 0 ? T : Y);
	size_t xs = (size_t)x, ys = (size_t)y;
	wb_sets sets = {0};
	int rc = wb_identify_adjustment_sets(g, &xs, 1, &ys, 1, NULL, 0, &sets, err);
	if (rc)
		return wb_err_prefix(err, "estimate: graph %s", gname);
	if (sets.n == 0) {
		wb_identification id = {0};
		char why[WB_ERR_MAX] = "no set blocks every backdoor path";
		if (wb_identify_effect(g, &xs, 1, &ys, 1, &id, err) == 0 && id.adjustment_why[0])
			snprintf(why, sizeof why, "%s", id.adjustment_why);
		wb_identify_free(&id);
		wb_identify_sets_free(&sets);
		return wb_err_set(
		    err, WB_EINVAL,
		    "estimate: graph %s: the effect of %s on %s cannot be identified by "
		    "adjustment (%s): try method=iv or method=frontdoor, or give adjust=",
		    gname, T, Y, why);
	}
	long pick = -1;
	for (size_t k = 0; k < sets.n && pick < 0; k++) {
		int all = 1;
		for (size_t i = 0; i < sets.size[k] && all; i++)
			all = wb_frame_col_index(f, wb_graph_node_name(g, sets.set[k][i])) >= 0;
		if (all)
			pick = (long)k;
	}
	if (pick < 0) {
		char buf[600];
		wb_cmd_nodes_text(g, sets.set[0], sets.size[0], buf, sizeof buf);
		wb_identify_sets_free(&sets);
		return wb_err_set(
		    err, WB_EINVAL,
		    "estimate: every minimal adjustment set of graph %s names a node that "
		    "is not a column of the data (first: {%s}): give adjust=",
		    gname, buf);
	}
	adj->n = 0;
	size_t len = 0;
	for (size_t i = 0; i < sets.size[pick] && adj->n < MAX_LIST; i++) {
		const char *nm = wb_graph_node_name(g, sets.set[pick][i]);
		size_t l = strlen(nm) + 1;
		if (len + l > sizeof adj->buf)
			break;
		memcpy(adj->buf + len, nm, l);
		adj->v[adj->n++] = adj->buf + len;
		len += l;
	}
	snprintf(from, fsize, "minimal adjustment set %ld of %zu from graph %s", pick + 1, sets.n,
		 gname);
	wb_identify_sets_free(&sets);
	return 0;
}

/* The default instrument: the first unconditional instrument the active graph names that is a
 * column, into inst. Silent when there is none (the method then asks for instrument=). */
static void graph_instrument(wb_session *s, const wb_frame *f, const char *T, const char *Y,
			     namelist *inst)
{
	const wb_graph *g = wb_session_graph(s, NULL);
	long x = g ? wb_graph_node_index(g, T) : -1, y = g ? wb_graph_node_index(g, Y) : -1;
	if (x < 0 || y < 0)
		return;
	size_t xs = (size_t)x, ys = (size_t)y;
	wb_identification id = {0};
	wb_err e2 = {0};
	if (wb_identify_effect(g, &xs, 1, &ys, 1, &id, &e2) == 0)
		for (size_t k = 0; k < id.ninstruments && inst->n == 0; k++) {
			const char *nm = wb_graph_node_name(g, id.instruments[k].node);
			if (id.instruments[k].ngiven == 0 && wb_frame_col_index(f, nm) >= 0) {
				snprintf(inst->buf, sizeof inst->buf, "%s", nm);
				inst->v[inst->n++] = inst->buf;
			}
		}
	wb_identify_free(&id);
}

/* Options that the command reads itself; any other option goes to the method. */
static const char *const own_opts[] = {"method",    "target",	  "adjust", "instrument",
				       "mediator",  "modifiers", "reference", "cate", NULL};

static int is_own(const char *k)
{
	for (const char *const *o = own_opts; *o; o++)
		if (strcmp(*o, k) == 0)
			return 1;
	return 0;
}

/* cate=NAME must be a new name or a column the estimate does not read. */
static int check_cate_name(const wb_args *a, const char *name, wb_err *err)
{
	if (!*name)
		return wb_err_set(err, WB_EINVAL, "%s: cate= needs a column name", a->name);
	static const char *const lists[] = {"adjust", "instrument", "mediator", "modifiers"};
	int clash = strcmp(name, wb_arg_word(a, 0)) == 0 || strcmp(name, wb_arg_word(a, 1)) == 0;
	for (size_t k = 0; k < 4 && !clash; k++)
		for (const char *p = wb_arg_opt(a, lists[k], NULL); p && *p && !clash;) {
			size_t len = strcspn(p, ",");
			clash = len == strlen(name) && strncmp(p, name, len) == 0;
			p += len + (p[len] == ',');
		}
	if (clash)
		return wb_err_set(err, WB_EINVAL,
				  "%s: cate=%s would overwrite a column the estimate uses", a->name,
				  name);
	return 0;
}

/* The per-unit effects of e as column name of the active dataset. */
static int save_cate(wb_session *s, wb_frame *f, const char *dname, const wb_estimate *e,
		     const char *name, wb_err *err)
{
	size_t n = wb_frame_nrows(f), used = 0;
	double *v = malloc((n ? n : 1) * sizeof *v), lo = INFINITY, hi = -INFINITY;
	if (!v)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	int rc = wb_estimate_unit_column(e, n, v, err);
	if (rc == 0)
		rc = wb_frame_set_column(f, name, WB_COL_NUMERIC, v, err);
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (!isnan(v[i])) {
			used++;
			lo = v[i] < lo ? v[i] : lo;
			hi = v[i] > hi ? v[i] : hi;
		}
	free(v);
	if (rc)
		return wb_err_prefix(err, "estimate: cate=%s", name);
	if (used == n)
		return wb_session_say(s, err,
				      "saved the per-unit effects as %s in %s: %zu rows, from %.4g "
				      "to %.4g",
				      name, dname, used, lo, hi);
	return wb_session_say(s, err,
			      "saved the per-unit effects as %s in %s: %zu rows, from %.4g to %.4g; "
			      "the %zu rows not used (a missing value) are NaN",
			      name, dname, used, lo, hi, n - used);
}

static int exec_estimate(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 2, 2, err);
	if (rc)
		return rc;
	const char *dname;
	wb_frame *f = wb_session_need_frame(s, &dname, err);
	if (!f)
		return err->code;
	const char *T = wb_arg_word(a, 0), *Y = wb_arg_word(a, 1);
	if (wb_arg_column(f, T, err) < 0 || wb_arg_column(f, Y, err) < 0)
		return wb_err_prefix(err, "%s", a->name);
	const char *cate = wb_arg_opt(a, "cate", NULL);
	if (cate && (rc = check_cate_name(a, cate, err)))
		return rc;
	wb_estimate_spec spec = {0};
	spec.method = wb_arg_opt(a, "method", "regression");
	spec.treatment = T;
	spec.outcome = Y;
	const char *target = wb_arg_opt(a, "target", "ate");
	int t = wb_target_parse(target);
	if (t < 0)
		return wb_err_set(err, WB_EINVAL, "%s: target must be ate, att or atc, got '%s'",
				  a->name, target);
	spec.target = (wb_target)t;
	spec.reference = wb_arg_opt(a, "reference", NULL);
	const wb_estimate_method *m = wb_estimate_method_find(spec.method);
	static namelist adj, inst, med, mod;
	if ((rc = split_list(a, "adjust", f, &adj, err)) ||
	    (rc = split_list(a, "instrument", f, &inst, err)) ||
	    (rc = split_list(a, "mediator", f, &med, err)) ||
	    (rc = split_list(a, "modifiers", f, &mod, err)))
		return rc;
	spec.adjust = adj.v;
	spec.nadjust = adj.n;
	spec.adjust_from = "given";
	spec.instruments = inst.v;
	spec.ninstruments = inst.n;
	spec.mediators = med.v;
	spec.nmediators = med.n;
	spec.modifiers = mod.v;
	spec.nmodifiers = mod.n;
	if (m && (m->flags & WB_EST_INSTRUMENT) && inst.n == 0) {
		graph_instrument(s, f, T, Y, &inst);
		spec.instruments = inst.v;
		spec.ninstruments = inst.n;
	}
	char from[300];
	if (m && (m->flags & WB_EST_ADJUST) && !wb_arg_opt(a, "adjust", NULL)) {
		if ((rc = graph_adjust(s, f, T, Y, &adj, from, sizeof from, err)))
			return rc;
		spec.adjust = adj.v;
		spec.nadjust = adj.n;
		spec.adjust_from = from;
	}
	wb_kv kv[a->nopt ? a->nopt : 1];
	for (size_t i = 0; i < a->nopt; i++)
		if (!is_own(a->opt[i]->text))
			kv[spec.nopts++] = (wb_kv){a->opt[i]->text, a->opt[i]->value};
	spec.opts = kv;
	spec.rng = wb_session_rng(s);
	spec.threads = wb_session_threads(s);
	spec.progress = wb_session_progress(s);
	wb_estimate *e;
	if ((rc = wb_estimate_run(f, &spec, &e, err)))
		return wb_err_prefix(err, "%s", a->name);
	wb_result *r = wb_estimate_result(e);
	if (!r) {
		wb_estimate_free(e);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	size_t nt = wb_estimate_ntables(e);
	wb_session_set_estimate(s, e);
	if ((rc = wb_session_emit(s, r, err)))
		return rc;
	for (size_t i = 0; i < nt && rc == 0; i++)
		rc = wb_session_emit(s, wb_estimate_take_table(e, i), err);
	if (rc == 0 && cate)
		rc = save_cate(s, f, dname, e, cate, err);
	return rc;
}

/* A comma-separated list of numbers. */
static int number_list(const wb_args *a, const char *key, double *v, size_t cap, size_t *n,
		       wb_err *err)
{
	*n = 0;
	const char *s = wb_arg_opt(a, key, NULL);
	if (!s)
		return 0;
	while (*s) {
		char *end;
		double x = strtod(s, &end);
		if (end == s || (*end && *end != ',') || *n == cap)
			return wb_err_set(
			    err, WB_EINVAL,
			    "%s: %s must be a list of numbers like 0,0.1,0.2 (at most "
			    "%zu), got '%s'",
			    a->name, key, cap, wb_arg_opt(a, key, ""));
		v[(*n)++] = x;
		s = *end ? end + 1 : end;
	}
	if (*n == 0)
		return wb_err_set(err, WB_EINVAL, "%s: %s= is empty", a->name, key);
	return 0;
}

static int exec_refute(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 1, 1, err);
	if (rc)
		return rc;
	const wb_estimate *e = wb_session_estimate(s);
	if (!e)
		return wb_err_set(
		    err, WB_EINVAL,
		    "%s: no estimate yet: run `estimate T Y ...` first, then refute it", a->name);
	long n;
	double fraction, kt[64], ky[64];
	size_t nkt, nky;
	if ((rc = wb_arg_long(a, "n", 100, 2, 1000000, &n, err)) ||
	    (rc = wb_arg_double(a, "fraction", 0.8, &fraction, err)) ||
	    (rc = number_list(a, "kappa_t", kt, 64, &nkt, err)) ||
	    (rc = number_list(a, "kappa_y", ky, 64, &nky, err)))
		return rc;
	wb_refute_opts o = {.n = (size_t)n,
			    .fraction = fraction,
			    .kappa_t = nkt ? kt : NULL,
			    .nkappa_t = nkt,
			    .kappa_y = nky ? ky : NULL,
			    .nkappa_y = nky,
			    .rng = wb_session_rng(s),
			    .progress = wb_session_progress(s),
			    .threads = wb_session_threads(s)};
	const char *kind = wb_arg_word(a, 0);
	wb_result *r;
	if ((rc = wb_refute_run(e, kind, &o, &r, err)))
		return wb_err_prefix(err, "%s", a->name);
	wb_result_add_note(r, "seed %llu", (unsigned long long)wb_session_seed(s));
	if ((rc = wb_session_emit(s, r, err)) || strcmp(kind, "all") != 0)
		return rc;
	if ((rc = wb_refute_run(e, "unobserved", &o, &r, err)))
		return wb_err_prefix(err, "%s", a->name);
	return wb_session_emit(s, r, err);
}

/* "estimate: ATE of T on Y (method)" -> key "T on Y", label "method (ATE)". */
static int parse_title(const char *title, char *key, size_t ksize, char *label, size_t lsize)
{
	if (strncmp(title, "estimate: ", 10) != 0)
		return 0;
	const char *of = strstr(title, " of "), *par = strrchr(title, '(');
	if (!of || !par || par < of)
		return 0;
	snprintf(key, ksize, "%.*s", (int)(par - 1 - (of + 4)), of + 4);
	snprintf(label, lsize, "%.*s (%.*s)", (int)strcspn(par + 1, ")"), par + 1,
		 (int)(of - title - 10), title + 10);
	return 1;
}

static double cell_num(const wb_result *r, size_t row, size_t col)
{
	const wb_cell *c = wb_result_cell(r, row, col);
	return c && c->kind == WB_CELL_NUM ? c->num : NAN;
}

static int exec_compare(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 0, 0, err);
	if (rc)
		return rc;
	double truth;
	if ((rc = wb_arg_double(a, "truth", NAN, &truth, err)))
		return rc;
	size_t n = wb_session_nresults(s);
	char key[300] = "", k2[300], lab[300];
	/* the estimates of the same effect as the latest one, latest per method */
	const wb_result *pick[64];
	char labels[64][300];
	size_t np = 0;
	for (size_t i = n; i-- > 0;) {
		const wb_result *r = wb_session_result(s, i);
		if (strcmp(wb_result_view(r), "forest") != 0 || wb_result_nrows(r) == 0 ||
		    !parse_title(wb_result_title(r), k2, sizeof k2, lab, sizeof lab))
			continue;
		if (!*key)
			snprintf(key, sizeof key, "%s", k2);
		if (strcmp(key, k2) != 0 || np == 64)
			continue;
		int seen = 0;
		for (size_t k = 0; k < np && !seen; k++)
			seen = strcmp(labels[k], lab) == 0;
		if (seen)
			continue;
		snprintf(labels[np], sizeof labels[np], "%s", lab);
		pick[np++] = r;
	}
	if (np == 0)
		return wb_err_set(err, WB_EINVAL,
				  "%s: no estimates yet: run `estimate T Y ...` first", a->name);
	double naive = NAN;
	for (size_t k = 0; k < np; k++)
		if (strncmp(labels[k], "naive ", 6) == 0)
			naive = cell_num(pick[k], 0, 1);
	char title[400];
	snprintf(title, sizeof title, "compare: estimates of %s", key);
	static const char *const cols[] = {"estimate",	   "effect",	      "se",
					   "ci_low",	   "ci_high",	      "p",
					   "naive_over_%", "bias_reduction_%"};
	wb_result *r = wb_cmd_result(title, cols, 8);
	if (!r || wb_result_set_view(r, "forest"))
		goto nomem;
	for (size_t k = np; k-- > 0;) { /* oldest first */
		long row = wb_result_add_row(r);
		if (row < 0)
			goto nomem;
		wb_result_set_str(r, (size_t)row, 0, labels[k]);
		for (size_t j = 1; j < 6; j++)
			wb_result_set_num(r, (size_t)row, j, cell_num(pick[k], 0, j));
		double e = cell_num(pick[k], 0, 1);
		if (isfinite(naive) && e != 0)
			wb_result_set_num(r, (size_t)row, 6, 100 * (naive - e) / e);
		if (isfinite(naive) && isfinite(truth) && naive != truth)
			wb_result_set_num(r, (size_t)row, 7,
					  100 * (1 - fabs(e - truth) / fabs(naive - truth)));
	}
	if (wb_result_add_note(r, "naive_over_%%: how much the naive estimate exceeds this one, "
				  "100 (naive - effect) / effect") ||
	    (isfinite(truth) &&
	     wb_result_add_note(r,
				"bias_reduction_%%: 100 (1 - |effect - truth| / |naive - truth|), "
				"truth %g",
				truth)) ||
	    (!isfinite(naive) &&
	     wb_result_add_note(r,
				"no naive estimate of this effect: run method=naive to compare")))
		goto nomem;
	return wb_session_emit(s, r, err);
nomem:
	wb_result_free(r);
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

static const wb_option compare_opts[] = {
    {"truth", "X", "the true effect, when known (generated data): adds the bias reduction"},
    {NULL, NULL, NULL}};

static const wb_option refute_opts[] = {
    {"n", "N", "simulations (default 100)"},
    {"fraction", "F", "subset: share of rows kept (default 0.8)"},
    {"kappa_t", "A,B,...", "unobserved: confounder-treatment correlations (default 0,0.1,...,0.5)"},
    {"kappa_y", "A,B,...",
     "unobserved: confounder effects on the outcome, in outcome SDs "
     "(default 0,0.1,...,0.5)"},
    {NULL, NULL, NULL}};

static const wb_option estimate_opts[] = {
    {"method", "M",
     "naive, regression (default), stratify, match, ipw, aipw, iv, frontdoor, dml, slearner, "
     "tlearner, xlearner"},
    {"target", "ate|att|atc",
     "the estimand: average effect on everyone, the treated, the controls"},
    {"adjust", "A,B",
     "backdoor adjustment set (default: a minimal set from the graph); "
     "adjust= for none"},
    {"instrument", "Z", "instrument(s) for method=iv"},
    {"mediator", "M", "front-door mediator(s) for method=frontdoor"},
    {"modifiers", "M,N",
     "effect modifiers: CATE slopes (regression, dml), CATE groups (slearner, tlearner, "
     "xlearner)"},
    {"reference", "LEVEL", "reference level of a categorical treatment (default: the first)"},
    {"cate", "NAME",
     "save each row's effect as column NAME (regression or dml with modifiers=, slearner, "
     "tlearner, xlearner), NaN on rows not used"},
    {"trim", "A", "ipw, aipw: drop units with propensity outside [A, 1-A] (reported)"},
    {"caliper", "C", "match: largest distance, in SDs of the propensity logit (default none)"},
    {"strata", "K", "stratify: number of propensity strata (default 5)"},
    {"bootstrap", "N",
     "stratify, match, frontdoor: resamples for the standard error "
     "(default 200); slearner, tlearner, xlearner: default 50"},
    {"learner", "L",
     "dml, meta-learners: linear (logistic for a binary treatment model), ridge, lasso, gbm "
     "(= xgb, default), rf"},
    {"learner_y", "L", "dml, meta-learners: the outcome models' learner (default: learner=)"},
    {"learner_t", "L", "dml, xlearner: the treatment (propensity) model's learner"},
    {"folds", "K", "dml: folds of the cross-fitting, 2..20 (default 5)"},
    {"degree", "1|2", "linear, ridge, lasso: 2 adds squares and pairwise products"},
    {"interactions", "0|1", "linear, ridge, lasso: 1 adds pairwise products"},
    {"lambda", "L", "ridge, lasso: penalty (default: chosen by 5-fold CV)"},
    {"cv_folds", "K", "ridge, lasso: folds of that CV (default 5)"},
    {"n_estimators", "N", "gbm: boosting rounds (default 50), rf: trees (default 100)"},
    {"max_depth", "D", "gbm, rf: tree depth (default 4 and 8)"},
    {"eta", "E", "gbm: learning rate (default 0.2)"},
    {"subsample", "F", "gbm, rf: row fraction per tree (default 1 and 0.632)"},
    {"colsample", "F", "gbm, rf: column fraction per split (default 1 and 0.8)"},
    {"min_child_weight", "W", "gbm, rf: smallest leaf weight (default 1)"},
    {"max_bin", "B", "gbm, rf: histogram bins (default 256)"},
    {NULL, NULL, NULL}};

const wb_cmd wb_cmds_effects[] = {
    {"estimate",
     "estimate T Y [method=M] [target=ate|att|atc] [adjust=A,B] [instrument=Z] "
     "[mediator=M] [modifiers=M,N]",
     "estimate the causal effect of T on Y",
     "Estimates the average effect of the treatment T on the outcome Y with the chosen "
     "method and shows it with its standard error, 95% confidence interval and p-value. "
     "Binary treatments give one contrast, categorical ones one per level against the "
     "reference level, numeric ones the effect of one unit more (regression, iv, "
     "frontdoor). The adjustment set is taken from adjust=; rows with a missing value in any "
     "column used are dropped and counted. The estimate becomes the one `refute` "
     "tests.\n\nMethods:\n  naive       difference in means (OLS on T alone)\n  regression  "
     "OLS on T and the adjustment set, HC1 standard errors; modifiers= adds T × M terms "
     "(CATE)\n  stratify    propensity-score strata (quintiles), bootstrap SE\n  match       "
     "nearest neighbour on the propensity logit, with replacement, optional caliper\n  ipw   "
     "      inverse propensity weights, normalised (Hajek); ATT weights 1 and e/(1-e)\n  aipw "
     "       doubly robust (Robins, Rotnitzky & Zhao 1994), influence-function SE\n  iv      "
     "    two-stage least squares with the first-stage F (warning when F < 10)\n  frontdoor "
     "  linear front-door through mediator=, delta-method SE\n  dml         double ML "
     "(Chernozhukov et al. 2018): K-fold cross-fitted E[Y|W] and E[T|W], theta = "
     "sum(T-T^)(Y-Y^) / sum(T-T^)^2, SE from the score; binary or numeric T; modifiers= "
     "gives linear CATE slopes as EconML's LinearDML\n  slearner    S-learner (Kunzel et al. "
     "2019): one model of Y on W and T\n  tlearner    T-learner: one outcome model per arm\n"
     "  xlearner    X-learner: imputed effects per arm blended by the propensity; the three "
     "meta-learners bootstrap the whole fit for the SE and show the per-unit effects by "
     "modifier quartile\n  Learners for dml and the meta-learners (learner=, learner_y=, "
     "learner_t=): linear/logistic (glm), ridge and lasso (coordinate descent, lambda by CV), "
     "gbm (XGBoost gradient boosting, the default) and rf (XGBoost random forest)\n\nExample:\n  generate "
     "musicapp\n  estimate PersonalizedRecommendation HoursOfContentConsumed "
     "adjust=UserEngagementLevel,PreferredContentType\n  estimate PersonalizedRecommendation "
     "HoursOfContentConsumed method=dml learner_y=gbm learner_t=logistic folds=5 "
     "adjust=UserEngagementLevel,PreferredContentType",
     estimate_opts, WB_COMPLETE_COLUMNS, 0, exec_estimate},
    {"refute",
     "refute placebo|random-cause|subset|bootstrap|dummy-outcome|unobserved|evalue|all [n=N] "
     "[fraction=F] [kappa_t=A,B] [kappa_y=A,B]",
     "try to break the last estimate",
     "Re-runs the last estimate's method on changed data and says whether the estimate "
     "survives: passed, failed or inconclusive, with the rule used.\n  placebo        the "
     "treatment permuted: the effect should vanish\n  random-cause   an independent random "
     "covariate added: the effect should not move\n  subset         random subsets of exactly "
     "80% of the rows: the effect should not move\n  bootstrap      resamples, as Poisson(1) "
     "row weights (Hanley & MacGibbon 2006): the distribution of the estimate\n  "
     "dummy-outcome  the outcome replaced by noise: the effect should vanish\n "
     " unobserved     a simulated confounder over a grid of strengths (kappa_t: its "
     "correlation with the treatment; kappa_y: its effect in outcome SDs): a table of "
     "effects, drawn as a heatmap\n  evalue         the E-value (VanderWeele & Ding 2017): "
     "how strong an unmeasured confounder would have to be to explain the effect away\n  "
     "all            every refuter in one table, then the heatmap\nThe p-value is the "
     "two-sided empirical tail of the estimate in the simulated distribution. Simulation k "
     "draws from stream k of the workspace seed, so a refutation repeats exactly. A "
     "regression or naive estimate without modifiers is refitted from cross-products, 64 "
     "simulations to a pass over the rows: 100 simulations take about 0.1 s on 100,000 rows "
     "and 1 s on 1,000,000; other methods refit on each simulation's data.\n\nExample:\n  estimate PersonalizedRecommendation "
     "HoursOfContentConsumed adjust=UserEngagementLevel\n  refute placebo n=200\n  refute "
     "unobserved kappa_t=0,0.2,0.4 kappa_y=0,0.25,0.5",
     refute_opts, 0, 0, exec_refute},
    {"compare", "compare [truth=X]", "the estimates of the last effect side by side",
     "Lists the latest estimate of each method for the effect estimated last (same treatment "
     "and outcome), oldest first, with how much the naive estimate overstates each one and, "
     "given the true effect, the bias reduction against naive as the music-app study reports "
     "it: 100 (1 - |effect - truth| / |naive - truth|). The Results pane draws the intervals "
     "side by side on one axis.\n\nExample:\n  estimate PersonalizedRecommendation "
     "HoursOfContentConsumed method=naive\n  estimate PersonalizedRecommendation "
     "HoursOfContentConsumed adjust=UserEngagementLevel\n  compare truth=1",
     compare_opts, 0, 0, exec_compare},
    {NULL, NULL, NULL, NULL, NULL, 0, 0, NULL}};
