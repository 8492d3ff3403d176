/* Unit tests for engine/estimate and engine/refute: every method recovers a planted effect
 * within its confidence interval, targets and contrasts, exact errors, refuter verdicts, and
 * the sufficient-statistics refits equal full refits. */
#include "../../engine/estimate_impl.h"
#include "../../engine/refute.h"
#include "../../engine/simulate.h"
#include "../tap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T "PersonalizedRecommendation"
#define Y "HoursOfContentConsumed"
#ifndef SEED
#define SEED 7
#endif

static wb_rng *rng;

static wb_frame *musicapp(size_t n, unsigned seed)
{
	wb_rng *r = wb_rng_new(seed);
	wb_sim_params p = {n, 0, 0};
	wb_frame *f = NULL;
	wb_err err = {0};
	if (wb_simulate("musicapp", &p, r, &f, NULL, &err))
		printf("# %s\n", err.msg);
	wb_rng_free(r);
	return f;
}

static wb_estimate *run(const wb_frame *f, const char *method, const char *t, const char *y,
			const char *const *adj, size_t nadj, wb_target target, wb_err *err)
{
	wb_estimate_spec s = {0};
	s.method = method;
	s.treatment = t;
	s.outcome = y;
	s.adjust = adj;
	s.nadjust = nadj;
	s.target = target;
	s.rng = rng;
	static const char *const z[] = {"NewFeatureExposure"};
	static const char *const m[] = {"UserEngagementLevel"};
	if (strcmp(method, "iv") == 0) {
		s.instruments = z;
		s.ninstruments = 1;
	}
	if (strcmp(method, "frontdoor") == 0) {
		s.mediators = m;
		s.nmediators = 1;
	}
	wb_kv kv[] = {{"bootstrap", "40"}};
	if (!strcmp(method, "stratify") || !strcmp(method, "match")) {
		s.opts = kv;
		s.nopts = 1;
	}
	wb_estimate *e = NULL;
	if (wb_estimate_run(f, &s, &e, err))
		return NULL;
	return e;
}

/* Each method on the music-app data (truth 1.0 for everyone). */
static void test_musicapp(void)
{
	wb_frame *f = musicapp(20000, 11);
	const char *adj[] = {"UserEngagementLevel", "PreferredContentType"};
	static const char *const methods[] = {"regression", "stratify", "match",
					      "ipw",	    "aipw",	"iv"};
	wb_err err = {0};
	for (size_t k = 0; k < 6; k++) {
		wb_estimate *e = run(f, methods[k], T, Y, adj, strcmp(methods[k], "iv") ? 2 : 0,
				     WB_TARGET_ATE, &err);
		ok(e != NULL, "%s runs (%s)", methods[k], e ? "" : err.msg);
		if (!e)
			continue;
		const wb_contrast *c = wb_estimate_contrast(e, 0);
		/* stratification keeps some confounding within quintiles (Cochran 1968: ~90% of
		 * the bias removed): allow its known residual bias */
		double slack = strcmp(methods[k], "stratify") == 0 ? 0.03 : 0;
		ok(c->lo - slack <= 1 && 1 <= c->hi + slack, "%s: truth 1.0 inside the CI [%g, %g]",
		   methods[k], c->lo, c->hi);
		ok(c->se > 0 && c->se < 0.06, "%s: a standard error (%g)", methods[k], c->se);
		ok(c->p < 1e-10, "%s: p-value (%g)", methods[k], c->p);
		wb_estimate_free(e);
	}
	wb_estimate *e = run(f, "naive", T, Y, NULL, 0, WB_TARGET_ATE, &err);
	const wb_contrast *c = wb_estimate_contrast(e, 0);
	ok(c->lo > 1, "naive: the CI excludes the truth (%g > 1)", c->lo);
	near(c->effect, 1.148164, 3 * c->se, "naive: near its expectation 1.148 (closed form)");
	wb_estimate_free(e);
	/* front-door through the confounder is not a valid front door here; it runs and gives
	 * the product a * b */
	e = run(f, "frontdoor", T, Y, NULL, 0, WB_TARGET_ATE, &err);
	ok(e && wb_estimate_contrast(e, 0)->se > 0, "frontdoor runs with a delta-method se");
	wb_estimate_free(e);
	wb_frame_free(f);
}

/* 2SLS with one binary instrument and no covariates is the Wald ratio. */
static void test_wald(void)
{
	wb_frame *f = musicapp(3000, 4);
	wb_err err = {0};
	wb_estimate *e = run(f, "iv", T, Y, NULL, 0, WB_TARGET_ATE, &err);
	const double *t = wb_frame_col(f, (size_t)wb_frame_col_index(f, T));
	const double *y = wb_frame_col(f, (size_t)wb_frame_col_index(f, Y));
	const double *z = wb_frame_col(f, (size_t)wb_frame_col_index(f, "NewFeatureExposure"));
	size_t n = wb_frame_nrows(f);
	double mt = 0, my = 0, mz = 0, cyz = 0, ctz = 0;
	for (size_t i = 0; i < n; i++)
		mt += t[i] / n, my += y[i] / n, mz += z[i] / n;
	for (size_t i = 0; i < n; i++)
		cyz += (y[i] - my) * (z[i] - mz), ctz += (t[i] - mt) * (z[i] - mz);
	near(wb_estimate_contrast(e, 0)->effect, cyz / ctz, 1e-10,
	     "iv = Wald ratio cov(Y,Z)/cov(T,Z)");
	wb_estimate_free(e);
	wb_frame_free(f);
}

/* A planted heterogeneous effect: Y = X + T (1 + X) + e, T ~ Bernoulli(logistic(X)). The
 * sample ATE, ATT and ATC are the means of 1 + X over everyone, the treated, the controls. */
static void test_targets(void)
{
	size_t n = 20000;
	wb_frame *f = wb_frame_new(n);
	double *x = malloc(n * sizeof *x), *t = malloc(n * sizeof *t), *y = malloc(n * sizeof *y);
	wb_rng *g = wb_rng_new(SEED);
	double truth[3] = {0, 0, 0}, cnt[3] = {0, 0, 0};
	for (size_t i = 0; i < n; i++) {
		x[i] = wb_rng_normal(g, 0, 1);
		t[i] = wb_rng_bernoulli(g, 1 / (1 + exp(-x[i])));
		y[i] = x[i] + t[i] * (1 + x[i]) + wb_rng_normal(g, 0, 1);
		truth[0] += 1 + x[i], cnt[0]++;
		truth[t[i] ? 1 : 2] += 1 + x[i], cnt[t[i] ? 1 : 2]++;
	}
	wb_rng_free(g);
	wb_err err = {0};
	wb_frame_set_column(f, "x", WB_COL_NUMERIC, x, &err);
	wb_frame_set_column(f, "t", WB_COL_BINARY, t, &err);
	wb_frame_set_column(f, "y", WB_COL_NUMERIC, y, &err);
	const char *adj[] = {"x"};
	static const char *const tn[] = {"ATE", "ATT", "ATC"};
	for (int k = 0; k < 3; k++) {
		double tr = truth[k] / cnt[k];
		wb_estimate_spec s = {0};
		s.method = "regression";
		s.treatment = "t";
		s.outcome = "y";
		s.adjust = adj;
		s.nadjust = 1;
		s.modifiers = adj;
		s.nmodifiers = 1;
		s.target = (wb_target)k;
		wb_estimate *e = NULL;
		ok(wb_estimate_run(f, &s, &e, &err) == 0, "regression with modifiers, %s", tn[k]);
		const wb_contrast *c = wb_estimate_contrast(e, 0), *sl = wb_estimate_contrast(e, 1);
		ok(c->lo <= tr && tr <= c->hi, "regression %s %g: truth %g inside [%g, %g]", tn[k],
		   c->effect, tr, c->lo, c->hi);
		ok(sl && sl->slope && sl->lo <= 1 && 1 <= sl->hi,
		   "CATE slope on x: 1 inside [%g, %g]", sl ? sl->lo : NAN, sl ? sl->hi : NAN);
		wb_estimate_free(e);
		static const char *const pm[] = {"aipw", "ipw", "match"};
		for (int m = 0; m < 3; m++) {
			e = run(f, pm[m], "t", "y", adj, 1, (wb_target)k, &err);
			c = e ? wb_estimate_contrast(e, 0) : NULL;
			ok(c && c->lo <= tr && tr <= c->hi, "%s %s: truth %g inside [%g, %g]",
			   pm[m], tn[k], tr, c ? c->lo : NAN, c ? c->hi : NAN);
			wb_estimate_free(e);
		}
	}
	ok(truth[1] / cnt[1] > 1.3, "the planted ATT (%g) differs from the ATE", truth[1] / cnt[1]);
	free(x);
	free(t);
	free(y);
	wb_frame_free(f);
}

/* Categorical treatment: one contrast per level against the reference. In musicapp the
 * content type is randomised with effects Podcasts +0.5, Audiobooks +1.0 against Music. */
static void test_categorical(void)
{
	wb_frame *f = musicapp(20000, 5);
	const char *adj[] = {"UserEngagementLevel"};
	wb_err err = {0};
	static const char *const methods[] = {"regression", "ipw", "aipw"};
	for (int m = 0; m < 3; m++) {
		wb_estimate *e =
		    run(f, methods[m], "PreferredContentType", Y, adj, 1, WB_TARGET_ATE, &err);
		ok(e && wb_estimate_ncontrasts(e) == 2, "%s: two contrasts", methods[m]);
		if (!e)
			continue;
		const wb_contrast *a = wb_estimate_contrast(e, 0), *b = wb_estimate_contrast(e, 1);
		streq(a->label, "PreferredContentType: Podcasts vs Music", "first contrast label");
		ok(a->lo <= 0.5 && 0.5 <= a->hi, "%s Podcasts vs Music: 0.5 in [%g, %g]",
		   methods[m], a->lo, a->hi);
		ok(b->lo <= 1.0 && 1.0 <= b->hi, "%s Audiobooks vs Music: 1.0 in [%g, %g]",
		   methods[m], b->lo, b->hi);
		wb_estimate_free(e);
	}
	wb_frame_free(f);
}

static void test_errors(void)
{
	wb_frame *f = musicapp(500, 2);
	wb_err err = {0};
	const char *adj[] = {"UserEngagementLevel"};
	ok(run(f, "nope", T, Y, adj, 1, 0, &err) == NULL, "unknown method");
	streq(err.msg,
	      "unknown method 'nope' (methods: naive, regression, stratify, match, ipw, aipw, iv, "
	      "frontdoor, dml, slearner, tlearner, xlearner)",
	      "unknown method message");
	ok(run(f, "ipw", "UserEngagementLevel", Y, NULL, 0, 0, &err) == NULL,
	   "ipw, numeric treatment");
	streq(
	    err.msg,
	    "ipw: needs a binary (0/1) or categorical treatment; 'UserEngagementLevel' is numeric "
	    "with more than two values",
	    "numeric treatment message");
	ok(run(f, "regression", T, Y, (const char *[]){T}, 1, 0, &err) == NULL, "T in adjust");
	streq(err.msg, "regression: '" T "' cannot be in the adjustment set: it is the treatment",
	      "treatment in the adjustment set");
	wb_estimate_spec s = {.method = "iv", .treatment = T, .outcome = Y};
	wb_estimate *e;
	ok(wb_estimate_run(f, &s, &e, &err) == WB_EINVAL, "iv without instrument");
	streq(err.msg, "iv: needs instrument=Z", "iv message");
	wb_kv kv[] = {{"caliper", "0.2"}};
	s = (wb_estimate_spec){
	    .method = "ipw", .treatment = T, .outcome = Y, .opts = kv, .nopts = 1};
	ok(wb_estimate_run(f, &s, &e, &err) == WB_EINVAL, "option of another method");
	streq(err.msg, "method ipw takes no option 'caliper' (its options: trim)",
	      "option message");
	/* constant treatment */
	size_t n = wb_frame_nrows(f);
	double *one = malloc(n * sizeof *one);
	for (size_t i = 0; i < n; i++)
		one[i] = 1;
	wb_frame_set_column(f, "always", WB_COL_BINARY, one, &err);
	ok(run(f, "regression", "always", Y, adj, 1, 0, &err) == NULL, "constant treatment");
	streq(err.msg,
	      "regression: treatment 'always' is constant (1 in every row used): no contrast to "
	      "estimate",
	      "constant treatment message");
	/* a categorical level with no complete rows */
	double *codes = malloc(n * sizeof *codes);
	for (size_t i = 0; i < n; i++)
		codes[i] = (double)(i % 2);
	const char *lv[] = {"a", "b", "never"};
	wb_frame_set_categorical(f, "arm", codes, lv, 3, &err);
	ok(run(f, "regression", "arm", Y, adj, 1, 0, &err) == NULL, "empty treatment level");
	streq(err.msg,
	      "regression: treatment level 'never' of 'arm' has no complete rows: drop the level "
	      "(filter) or fill its rows",
	      "empty level message");
	/* collinear adjustment: a copy of a covariate */
	const double *eng = wb_frame_col(f, (size_t)wb_frame_col_index(f, "UserEngagementLevel"));
	wb_frame_set_column(f, "copy", WB_COL_NUMERIC, eng, &err);
	const char *adj2[] = {"UserEngagementLevel", "copy"};
	ok(run(f, "regression", T, Y, adj2, 2, 0, &err) == NULL, "collinear adjustment set");
	streq(
	    err.msg,
	    "regression: singular design: 'copy' is a linear combination of the columns before it "
	    "(constant, collinear, or a level no row has)",
	    "collinear message");
	free(one);
	free(codes);
	wb_frame_free(f);
}

static const char *verdict(const wb_result *r, size_t row)
{
	const wb_cell *c = wb_result_cell(r, row, 5);
	return c && c->kind == WB_CELL_STR ? c->str : "";
}

static double num(const wb_result *r, size_t row, size_t col)
{
	const wb_cell *c = wb_result_cell(r, row, col);
	return c && c->kind == WB_CELL_NUM ? c->num : NAN;
}

static void test_refute(void)
{
	wb_frame *f = musicapp(5000, 8);
	wb_err err = {0};
	const char *adj[] = {"UserEngagementLevel", "PreferredContentType"};
	wb_estimate *e = run(f, "regression", T, Y, adj, 2, 0, &err);
	wb_refute_opts o = {.n = 100, .rng = rng};
	wb_result *r;
	ok(wb_refute_run(e, "all", &o, &r, &err) == 0 && wb_result_nrows(r) == 7, "refute all");
	double est = wb_estimate_contrast(e, 0)->effect;
	near(num(r, 0, 2), 0, 0.02, "placebo effects centre on 0");
	streq(verdict(r, 0), "passed", "placebo passed");
	near(num(r, 1, 2), est, 0.01, "random common cause: the effect does not move");
	near(num(r, 2, 2), est, 0.02, "subset: near the original");
	streq(verdict(r, 2), "passed", "subset passed");
	near(num(r, 3, 2), est, 0.02, "bootstrap: centred on the estimate");
	near(num(r, 3, 3), wb_estimate_contrast(e, 0)->se, 0.2 * wb_estimate_contrast(e, 0)->se,
	     "bootstrap sd close to the HC1 se");
	near(num(r, 4, 2), 0, 0.02, "dummy outcome: centred on 0");
	streq(verdict(r, 6), "passed", "E-value passed for a strong effect");
	wb_result_free(r);
	/* the grid: kappa 0 leaves the estimate, strength lowers it */
	double kt[] = {0, 0.5}, ky[] = {0, 0.5};
	o.kappa_t = kt;
	o.nkappa_t = 2;
	o.kappa_y = ky;
	o.nkappa_y = 2;
	ok(wb_refute_run(e, "unobserved", &o, &r, &err) == 0 && wb_result_nrows(r) == 2, "grid");
	near(num(r, 0, 1), est, 1e-12, "grid (0, 0) is the estimate");
	ok(num(r, 1, 2) < est - 0.3, "a strong confounder lowers the effect (%g)", num(r, 1, 2));
	streq(wb_result_view(r), "heatmap", "the grid is drawn as a heatmap");
	wb_result_free(r);
	o.kappa_t = o.kappa_y = NULL;
	wb_estimate_free(e);
	/* a planted null effect: the outcome's own noise column */
	size_t n = wb_frame_nrows(f);
	double *noise = malloc(n * sizeof *noise);
	wb_rng *g = wb_rng_new(4);
	for (size_t i = 0; i < n; i++)
		noise[i] = wb_rng_normal(g, 0, 1);
	wb_rng_free(g);
	wb_frame_set_column(f, "noise", WB_COL_NUMERIC, noise, &err);
	e = run(f, "regression", T, "noise", adj, 2, 0, &err);
	ok(wb_refute_run(e, "placebo", &o, &r, &err) == 0, "placebo on a null effect");
	streq(verdict(r, 0), "inconclusive", "placebo cannot tell a null effect from placebo");
	wb_result_free(r);
	ok(wb_refute_run(e, "evalue", &o, &r, &err) == 0, "E-value on a null effect");
	streq(verdict(r, 0), "failed", "E-value fails when the CI includes no effect");
	wb_result_free(r);
	ok(wb_refute_run(e, "nope", &o, &r, &err) == WB_ENOTFOUND, "unknown refuter");
	streq(err.msg,
	      "unknown refuter 'nope' (refuters: placebo, random-cause, subset, bootstrap, "
	      "dummy-outcome, unobserved, evalue, all)",
	      "unknown refuter message");
	wb_estimate_free(e);
	free(noise);
	near(wb_refute_evalue_rr(3.9), 3.9 + sqrt(3.9 * 2.9), 1e-12, "E-value of RR 3.9");
	near(wb_refute_evalue_rr(0.5), 2 + sqrt(2), 1e-12, "E-value of RR 0.5 uses 1/RR");
	wb_frame_free(f);
}

/* The overlap table's propensity quantiles (found by selection, not sorting) equal numpy's
 * linear-interpolation quantiles of each group: numpy.quantile([.1,.3,.5,.5,.7,.9], q) and
 * numpy.quantile([.2,.5,.8], q) for q = 0, .25, .5, .75, 1, worked by hand from its rule
 * h = (n - 1) q. */
static void test_overlap_quantiles(void)
{
	double t[] = {1, 1, 1, 1, 1, 1, 0, 0, 0}, e[] = {.9, .1, .5, .5, .3, .7, .8, .2, .5};
	double x[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
	char *xn[] = {"(Intercept)"};
	wb_est_data d = {.n = 9, .t = t, .x = x, .p = 1, .xnames = xn};
	wb_result *r = wb_est_overlap(&d, e, NULL, "overlap");
	static const double treated[] = {.1, .35, .5, .65, .9}, control[] = {.2, .35, .5, .65, .8};
	ok(r != NULL, "overlap table");
	for (size_t q = 0; r && q < 5; q++) {
		near(num(r, q, 1), treated[q], 1e-15, "treated propensity quantile %zu", q);
		near(num(r, q, 2), control[q], 1e-15, "control propensity quantile %zu", q);
	}
	wb_result_free(r);
}

/* Per-unit effects by frame row: a regression with a numeric modifier gives effect + slope ×
 * (E_i - mean of E over the rows used) on every row used and NaN on the row with a missing
 * modifier; without modifiers there are none, with the message that says what to give. */
static void test_unit_column(void)
{
	wb_frame *f = musicapp(500, 4);
	wb_err err = {0};
	size_t n = wb_frame_nrows(f);
	long ej = wb_frame_col_index(f, "UserEngagementLevel");
	double *E = malloc(n * sizeof *E);
	for (size_t i = 0; i < n; i++)
		E[i] = i == 3 ? NAN : wb_frame_col(f, (size_t)ej)[i];
	wb_frame_set_column(f, "E", WB_COL_NUMERIC, E, &err);
	const char *adj[] = {"PreferredContentType"}, *mod[] = {"E"};
	wb_estimate_spec s = {.method = "regression", .treatment = T, .outcome = Y, .adjust = adj,
			      .nadjust = 1, .modifiers = mod, .nmodifiers = 1, .rng = rng};
	wb_estimate *e = NULL;
	double *tau = malloc(n * sizeof *tau);
	ok(wb_estimate_run(f, &s, &e, &err) == 0 && wb_estimate_ncontrasts(e) == 2,
	   "regression with a modifier (%s)", err.msg);
	ok(e && wb_estimate_unit_column(e, n, tau, &err) == 0, "per-unit column (%s)", err.msg);
	double m = 0, worst = 0;
	for (size_t i = 0; i < n; i++)
		m += i == 3 ? 0 : E[i] / (double)(n - 1);
	for (size_t i = 0; e && i < n; i++) {
		if (i == 3)
			continue;
		double want = wb_estimate_contrast(e, 0)->effect +
			      wb_estimate_contrast(e, 1)->effect * (E[i] - m);
		worst = fmax(worst, fabs(tau[i] - want));
	}
	ok(worst < 1e-12, "tau_i = effect + slope (E_i - mean E) on every row used (%g)", worst);
	ok(isnan(tau[3]), "the row with a missing modifier is NaN");
	wb_estimate_free(e);
	s.nmodifiers = 0;
	ok(wb_estimate_run(f, &s, &e, &err) == 0, "regression without modifiers");
	ok(wb_estimate_unit_column(e, n, tau, &err) == WB_EINVAL, "no per-unit effects");
	streq(err.msg,
	      "per-unit effects need modifiers= with regression or dml, or a meta-learner "
	      "(slearner, tlearner, xlearner)",
	      "no per-unit effects: the message");
	wb_estimate_free(e);
	free(tau);
	free(E);
	wb_frame_free(f);
}

/* Refutes e with kind twice, by the linear path and by generic refits of the method, with
 * the same streams, and returns the largest difference of the rows' numbers. */
static double paths_differ(const wb_estimate *e, const char *kind, int threads)
{
	wb_refute_opts o = {.n = 40, .rng = rng, .threads = threads};
	wb_result *fast = NULL, *slow = NULL;
	wb_err err = {0};
	double worst = INFINITY;
	if (wb_refute_run(e, kind, &o, &fast, &err) == 0) {
		o.generic = 1;
		o.threads = 2;
		if (wb_refute_run(e, kind, &o, &slow, &err) == 0) {
			worst = 0;
			for (size_t i = 0; i < wb_result_nrows(fast); i++)
				for (size_t j = 1; j < wb_result_ncols(fast); j++) {
					double u = num(fast, i, j), v = num(slow, i, j);
					if (isnan(u) != isnan(v))
						worst = INFINITY;
					else if (!isnan(u) && fabs(u - v) > worst)
						worst = fabs(u - v);
				}
		}
	}
	if (worst == INFINITY)
		fprintf(stderr, "# %s: %s\n", kind, err.msg);
	wb_result_free(fast);
	wb_result_free(slow);
	return worst;
}

/* A category with a single row: a resample without it cannot be refitted (its dummy is
 * constant). Such simulations are left out — by both paths alike — and the note says how many
 * and why; about e^-1 of Poisson resamples miss a given row. */
static void test_refute_skips(void)
{
	size_t n = 300;
	wb_frame *f = wb_frame_new(n);
	double *t = malloc(n * sizeof *t), *y = malloc(n * sizeof *y), *g = malloc(n * sizeof *g);
	wb_rng *r = wb_rng_new(5);
	for (size_t i = 0; i < n; i++) {
		t[i] = wb_rng_bernoulli(r, 0.5);
		y[i] = t[i] + wb_rng_normal(r, 0, 1);
		g[i] = i == 7 ? 2 : (double)(i % 2);
	}
	wb_rng_free(r);
	static const char *const levels[] = {"a", "b", "rare"};
	wb_err err = {0};
	wb_frame_set_column(f, "t", WB_COL_BINARY, t, &err);
	wb_frame_set_column(f, "y", WB_COL_NUMERIC, y, &err);
	wb_frame_set_categorical(f, "g", g, levels, 3, &err);
	const char *adj[] = {"g"};
	wb_estimate *e = run(f, "regression", "t", "y", adj, 1, 0, &err);
	ok(e != NULL, "regression with a one-row category (%s)", err.msg);
	ok(e && paths_differ(e, "bootstrap", 2) < 1e-9, "bootstrap: both paths leave out the same");
	ok(e && paths_differ(e, "subset", 2) < 1e-9, "subset: both paths leave out the same");
	wb_refute_opts o = {.n = 100, .rng = rng};
	wb_result *res = NULL;
	ok(e && wb_refute_run(e, "bootstrap", &o, &res, &err) == 0, "bootstrap runs (%s)", err.msg);
	const char *note = res ? wb_result_note(res, 0) : "";
	unsigned long left = 0, used = 0;
	const char *more = note ? strstr(note, "; ") : NULL;
	int parsed = note && sscanf(note, "bootstrap: %lu resamples", &used) == 1 && more &&
		     sscanf(more, "; %lu more", &left) == 1;
	ok(parsed && strstr(note, "more left out, their refit singular") &&
	       strstr(note, "'g[rare]' is constant in the simulation's rows"),
	   "the note says what was left out: %s", note ? note : "");
	ok(parsed && used + left == 100 && left > 20 && left < 55,
	   "about e^-1 of 100 resamples miss the row: %lu", left);
	wb_result_free(res);
	wb_estimate_free(e);
	free(t);
	free(y);
	free(g);
	wb_frame_free(f);
}

/* The linear path (cross-products, 32 simulations a pass) gives what refitting the
 * regression on each simulation's data gives: every kind, the naive method, a continuous
 * treatment (placebo shuffles instead of picking), the grid; for any number of threads. */
static void test_linear_path(void)
{
	wb_frame *f = musicapp(3000, 9);
	wb_err err = {0};
	const char *adj[] = {"UserEngagementLevel", "PreferredContentType"};
	static const char *const kinds[] = {"placebo", "random-cause", "subset", "bootstrap",
					    "dummy-outcome", "unobserved"};
	wb_estimate *e = run(f, "regression", T, Y, adj, 2, 0, &err);
	for (size_t k = 0; k < 6; k++)
		ok(paths_differ(e, kinds[k], 2) < 1e-9, "regression, %s: linear path = refits",
		   kinds[k]);
	ok(paths_differ(e, "bootstrap", 1) < 1e-9, "one thread gives the same bootstrap");
	ok(paths_differ(e, "placebo", 3) < 1e-9, "three threads give the same placebo");
	wb_estimate_free(e);
	e = run(f, "naive", T, Y, NULL, 0, 0, &err);
	for (size_t k = 0; k < 6; k++)
		ok(paths_differ(e, kinds[k], 2) < 1e-9, "naive, %s: linear path = refits",
		   kinds[k]);
	wb_estimate_free(e);
	/* a numeric treatment: engagement's effect on the hours, adjusted for content type */
	const char *adj2[] = {"PreferredContentType"};
	e = run(f, "regression", "UserEngagementLevel", Y, adj2, 1, 0, &err);
	ok(e != NULL, "regression with a numeric treatment (%s)", err.msg);
	for (size_t k = 0; e && k < 6; k++)
		ok(paths_differ(e, kinds[k], 2) < 1e-9,
		   "numeric treatment, %s: linear path = refits", kinds[k]);
	wb_estimate_free(e);
	wb_frame_free(f);
}

int main(void)
{
	wb_err_gsl_init();
	rng = wb_rng_new(42);
	test_musicapp();
	test_wald();
	test_targets();
	test_categorical();
	test_errors();
	test_refute();
	test_linear_path();
	test_refute_skips();
	test_overlap_quantiles();
	test_unit_column();
	wb_rng_free(rng);
	return done();
}
