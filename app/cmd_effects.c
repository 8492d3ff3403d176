/* cmd_effects.c — effect commands: estimate. */
#include "cmd.h"
#include "session.h"

#include "../engine/estimate.h"

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

/* Options that the command reads itself; any other option goes to the method. */
static const char *const own_opts[] = {"method",   "target",	"adjust",    "instrument",
				       "mediator", "modifiers", "reference", NULL};

static int is_own(const char *k)
{
	for (const char *const *o = own_opts; *o; o++)
		if (strcmp(*o, k) == 0)
			return 1;
	return 0;
}

static int exec_estimate(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 2, 2, err);
	if (rc)
		return rc;
	const char *dname;
	const wb_frame *f = wb_session_need_frame(s, &dname, err);
	if (!f)
		return err->code;
	const char *T = wb_arg_word(a, 0), *Y = wb_arg_word(a, 1);
	if (wb_arg_column(f, T, err) < 0 || wb_arg_column(f, Y, err) < 0)
		return wb_err_prefix(err, "%s", a->name);
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
	if (m && (m->flags & WB_EST_ADJUST) && !wb_arg_opt(a, "adjust", NULL))
		return wb_err_set(err, WB_EINVAL,
				  "%s: no graph to choose the adjustment set from: give adjust=A,B "
				  "(adjust= for none) or make a graph (graph load, discover)",
				  a->name);
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
	return rc;
}

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
    {"n_estimators", "N", "gbm: boosting rounds, rf: trees (default 100)"},
    {"max_depth", "D", "gbm, rf: tree depth (default 4 and 8)"},
    {"eta", "E", "gbm: learning rate (default 0.1)"},
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
    {NULL, NULL, NULL, NULL, NULL, 0, 0, NULL}};
