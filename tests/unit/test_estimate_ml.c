/* Unit tests for engine/estimate_ml: double ML and the S/T/X meta-learners recover planted
 * effects where naive and linear adjustment are biased; errors for bad input.
 *
 * Planted data (n rows, W1..W4 ~ U(-2, 2), e, v ~ N(0, 1)):
 *   T = 1.5 sin(2 W1) + W2² − 4/3 + v                     (continuous treatment)
 *   Y = θ(X) T + 2 sin(2 W1) + W2² + 0.5 W3 + e,          θ(X) = 1 + b·W4
 * The confounding runs through sin(2 W1) and W2², which are nearly orthogonal to W1 and W2:
 * Var sin(2 W1) = 1/2 − sin(8)/16 = 0.4382, of which its linear projection on W1 explains
 * E[W1 sin 2W1]² / Var W1 = 0.2322² / (4/3) = 0.0404; Var W2² = 16/5 − 16/9 = 1.4222 with no
 * linear part. So (b = 0):
 *   naive  slope cov(Y, T) / Var T = 1 + (3·0.4382 + 1.4222) / (2.25·0.4382 + 1.4222 + 1)
 *          = 1 + 2.7368 / 3.4082 = 1.803
 *   linear adjustment (OLS of Y on T, W1..W4): 1 + (3·0.3978 + 1.4222) /
 *          (2.25·0.3978 + 1.4222 + 1) = 1 + 2.6156 / 3.3173 = 1.788
 * both biased by about 0.8; the truth is θ = 1. */
#include "../../engine/estimate_impl.h"
#include "../../engine/estimate_ml.h"
#include "../../engine/frame.h"
#include "../../engine/simulate.h"
#include "../tap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct data {
	size_t n;
	double *y, *t, *F, *M, *tau; /* F: W1..W4 (n × 4); M: W4 (n × 1); tau: θ(X_i) */
} data;

/* binary > 0: T = 1[binary·g + v > 0], the confounding scaled by binary. */
static void gen(data *d, size_t n, double b, double binary, uint64_t seed)
{
	wb_rng *r = wb_rng_new(seed);
	d->n = n;
	d->y = malloc(n * sizeof *d->y);
	d->t = malloc(n * sizeof *d->t);
	d->F = malloc(n * 4 * sizeof *d->F);
	d->M = malloc(n * sizeof *d->M);
	d->tau = malloc(n * sizeof *d->tau);
	for (size_t i = 0; i < n; i++) {
		double *w = d->F + i * 4;
		for (int j = 0; j < 4; j++)
			w[j] = 4 * wb_rng_uniform(r) - 2;
		double g = 1.5 * sin(2 * w[0]) + w[1] * w[1] - 4.0 / 3;
		double v = wb_rng_normal(r, 0, 1);
		d->t[i] = binary > 0 ? (binary * g + v > 0) : g + v;
		d->M[i] = w[3];
		d->tau[i] = 1 + b * w[3];
		d->y[i] = d->tau[i] * d->t[i] + 2 * sin(2 * w[0]) + w[1] * w[1] + 0.5 * w[2] +
			  wb_rng_normal(r, 0, 1);
	}
	wb_rng_free(r);
}

static void data_free(data *d)
{
	free(d->y);
	free(d->t);
	free(d->F);
	free(d->M);
	free(d->tau);
}

static double naive_slope(const data *d)
{
	double my = 0, mt = 0, sxy = 0, sxx = 0;
	for (size_t i = 0; i < d->n; i++) {
		my += d->y[i];
		mt += d->t[i];
	}
	my /= (double)d->n;
	mt /= (double)d->n;
	for (size_t i = 0; i < d->n; i++) {
		sxy += (d->t[i] - mt) * (d->y[i] - my);
		sxx += (d->t[i] - mt) * (d->t[i] - mt);
	}
	return sxy / sxx;
}

static void test_dml_continuous(void)
{
	data d;
	gen(&d, 5000, 0, 0, 1);
	double naive = naive_slope(&d);
	near(naive, 1.803, 0.06, "naive slope is biased as derived (1.803): %.4f", naive);

	wb_dml_opts o;
	wb_dml_opts_default(&o);
	o.learner_y.threads = o.learner_t.threads = 2;
	wb_rng *r = wb_rng_new(42);
	wb_dml_fit f, g;
	wb_err err;
	/* linear nuisances: partialling out with linear learners is the linear adjustment
	 * (Frisch–Waugh–Lovell), so it inherits its bias */
	wb_learner_opts_default(&o.learner_y, WB_LEARNER_LINEAR);
	wb_learner_opts_default(&o.learner_t, WB_LEARNER_LINEAR);
	if (ok(wb_dml_estimate(&o, d.y, d.t, d.F, d.n, 4, NULL, 0, r, NULL, &f, &err) == 0,
	       "DML with linear nuisances runs")) {
		near(f.theta, 1.788, 0.06, "linear nuisances: biased as derived (1.788): %.4f",
		     f.theta);
		ok(fabs(f.theta - 1) > 5 * f.se, "linear nuisances: the CI excludes the truth 1");
		wb_dml_fit_free(&f);
	}
	wb_dml_opts_default(&o);
	if (ok(wb_dml_estimate(&o, d.y, d.t, d.F, d.n, 4, NULL, 0, r, NULL, &f, &err) == 0,
	       "DML with gbm nuisances runs")) {
		ok(fabs(f.theta - 1) < 1.96 * f.se && f.se < 0.05,
		   "gbm nuisances: θ = %.4f ± %.4f covers the truth 1", f.theta, 1.96 * f.se);
		ok(f.r2_y > 0.8 && f.r2_t > 0.4 && f.r2_t < 0.8,
		   "nuisance fits: R²(Y) %.3f > 0.8, R²(T) %.3f in (0.4, 0.8)", f.r2_y, f.r2_t);
		/* the closed form of the final stage without modifiers */
		double num = 0, den = 0;
		for (size_t i = 0; i < d.n; i++) {
			num += f.tres[i] * f.yres[i];
			den += f.tres[i] * f.tres[i];
		}
		near(f.theta, num / den, 1e-12, "θ = Σ T̃Ỹ / Σ T̃²");
		/* the score variance: Σ ψ² / (Σ T̃²)², ψ = (Ỹ − θT̃)T̃ */
		double s2 = 0;
		for (size_t i = 0; i < d.n; i++) {
			double psi = (f.yres[i] - f.theta * f.tres[i]) * f.tres[i];
			s2 += psi * psi;
		}
		near(f.se, sqrt(s2) / den, 1e-12, "se from the score");
		wb_rng *r2 = wb_rng_new(42);
		wb_dml_estimate(&o, d.y, d.t, d.F, d.n, 4, NULL, 0, r2, NULL, &g, &err);
		wb_rng_free(r2);
		wb_rng *r3 = wb_rng_new(42);
		wb_dml_fit h;
		wb_dml_opts_default(&o);
		wb_learner_opts_default(&o.learner_y, WB_LEARNER_LINEAR);
		wb_learner_opts_default(&o.learner_t, WB_LEARNER_LINEAR);
		wb_dml_estimate(&o, d.y, d.t, d.F, d.n, 4, NULL, 0, r3, NULL, &h, &err);
		wb_dml_fit_free(&h);
		wb_dml_opts_default(&o);
		wb_dml_estimate(&o, d.y, d.t, d.F, d.n, 4, NULL, 0, r3, NULL, &h, &err);
		ok(h.theta == f.theta && h.se == f.se, "the same seed gives the same estimate");
		wb_rng_free(r3);
		wb_dml_fit_free(&h);
		wb_dml_fit_free(&g);
		wb_dml_fit_free(&f);
	}
	wb_rng_free(r);
	data_free(&d);
}

static void test_dml_binary_and_cate(void)
{
	data d;
	gen(&d, 6000, 0.5, 0.5, 2);
	wb_dml_opts o;
	wb_dml_opts_default(&o);
	o.binary_t = 1;
	wb_rng *r = wb_rng_new(7);
	wb_dml_fit f;
	wb_err err;
	if (ok(wb_dml_estimate(&o, d.y, d.t, d.F, d.n, 4, d.M, 1, r, NULL, &f, &err) == 0,
	       "LinearDML with a binary treatment and a modifier runs")) {
		double se0 = sqrt(f.cov[0]), se1 = sqrt(f.cov[3]);
		ok(fabs(f.coef[0] - 1) < 1.96 * se0,
		   "CATE intercept %.4f ± %.4f covers the planted 1", f.coef[0], 1.96 * se0);
		ok(fabs(f.coef[1] - 0.5) < 1.96 * se1,
		   "CATE slope on W4 %.4f ± %.4f covers the planted 0.5", f.coef[1], 1.96 * se1);
		ok(se1 < 0.1, "the slope is estimated to ±0.2 (se %.4f)", se1);
		double mbar = 0;
		for (size_t i = 0; i < d.n; i++)
			mbar += d.M[i];
		mbar /= (double)d.n;
		near(f.theta, f.coef[0] + f.coef[1] * mbar, 1e-12, "θ is the CATE at the mean W4");
		near(f.cov[1], f.cov[2], 1e-15, "the covariance is symmetric");
		wb_dml_fit_free(&f);
	}
	wb_rng_free(r);
	data_free(&d);
}

static double true_ate(const data *d)
{
	double ate = 0;
	for (size_t i = 0; i < d->n; i++)
		ate += d->tau[i];
	return ate / (double)d->n;
}

static int meta(const data *d, wb_meta_kind kind, wb_meta_fit *f)
{
	wb_meta_opts o;
	wb_meta_opts_default(&o);
	o.kind = kind;
	wb_rng *r = wb_rng_new(5);
	wb_err err;
	int rc = wb_meta_estimate(&o, d->y, d->t, d->F, d->n, 4, r, f, &err);
	if (rc)
		printf("# %s\n", err.msg);
	wb_rng_free(r);
	return rc;
}

/* Mild confounding (T = 1[g/4 + v > 0]), θ(X) = 1 + 0.5 W4: every learner recovers the ATE
 * and the per-unit effects. */
static void test_meta(void)
{
	data d;
	gen(&d, 4000, 0.5, 0.25, 3);
	double ate = true_ate(&d);
	const double rmse_max[] = {0.45, 0.55, 0.35};
	for (int k = 0; k < 3; k++) {
		wb_meta_fit f;
		const char *name = wb_meta_name((wb_meta_kind)k);
		if (!ok(meta(&d, (wb_meta_kind)k, &f) == 0, "%s runs", name))
			continue;
		near(f.ate, ate, 0.1, "%s: ATE %.4f near the sample's true %.4f", name, f.ate, ate);
		double sse = 0;
		for (size_t i = 0; i < d.n; i++)
			sse += (f.tau[i] - d.tau[i]) * (f.tau[i] - d.tau[i]);
		double rmse = sqrt(sse / (double)d.n);
		ok(rmse < rmse_max[k], "%s: per-unit CATE RMSE %.3f < %.2f (sd of the truth 0.58)",
		   name, rmse, rmse_max[k]);
		double att = 0, nt = 0;
		for (size_t i = 0; i < d.n; i++) {
			att += d.t[i] * f.tau[i];
			nt += d.t[i];
		}
		near(f.att, att / nt, 1e-12, "%s: ATT is the mean effect over the treated", name);
		wb_meta_fit_free(&f);
	}
	data_free(&d);
	/* Strong confounding (T = 1[g + v > 0]): the T-learner's two models shrink towards their
	 * own arm's mean where that arm is thin, so its ATE drifts towards the naive contrast;
	 * the X-learner's imputed effects correct it (Künzel et al. 2019, section 4). */
	gen(&d, 4000, 0.5, 1, 3);
	ate = true_ate(&d);
	wb_meta_fit ft, fx;
	if (meta(&d, WB_META_T, &ft) == 0 && meta(&d, WB_META_X, &fx) == 0) {
		ok(fabs(ft.ate - ate) > 0.3,
		   "strong confounding: T-learner biased (%.4f, truth %.4f)", ft.ate, ate);
		near(fx.ate, ate, 0.1, "strong confounding: X-learner recovers the ATE (%.4f)",
		     fx.ate);
		wb_meta_fit_free(&ft);
		wb_meta_fit_free(&fx);
	}
	data_free(&d);
}

static void test_errors(void)
{
	data d;
	gen(&d, 100, 0, 0.5, 4);
	wb_dml_opts o;
	wb_dml_opts_default(&o);
	wb_rng *r = wb_rng_new(1);
	wb_dml_fit f;
	wb_err err;
	o.folds = 1;
	ok(wb_dml_estimate(&o, d.y, d.t, d.F, d.n, 4, NULL, 0, r, NULL, &f, &err) == WB_EINVAL,
	   "folds=1 refused");
	streq(err.msg, "folds must be between 2 and 20 (got 1)", "folds message");
	o.folds = 5;
	double *c = calloc(d.n, sizeof *c);
	wb_dml_estimate(&o, d.y, c, d.F, d.n, 4, NULL, 0, r, NULL, &f, &err);
	streq(err.msg, "the treatment is constant (every row is 0)", "constant treatment");
	wb_dml_estimate(&o, d.y, d.t, d.F, d.n, 4, c, 1, r, NULL, &f, &err);
	streq(err.msg, "effect modifier 1 is constant", "constant modifier");
	/* T a deterministic function of a feature: nothing left after partialling out */
	double *F = malloc(d.n * sizeof *F);
	for (size_t i = 0; i < d.n; i++)
		F[i] = d.t[i];
	o.binary_t = 1;
	int rc = wb_dml_estimate(&o, d.y, d.t, F, d.n, 1, NULL, 0, r, NULL, &f, &err);
	ok(rc == WB_ENUMERIC && strstr(err.msg, "the treatment is explained by the controls"),
	   "treatment determined by the controls: %s", err.msg);
	wb_meta_opts m;
	wb_meta_opts_default(&m);
	m.kind = WB_META_T;
	wb_meta_fit mf;
	wb_meta_estimate(&m, d.y, d.F, d.F, d.n, 4, r, &mf, &err);
	ok(strncmp(err.msg, "tlearner needs a 0/1 treatment (row 1 is", 40) == 0,
	   "meta-learner with a non-binary treatment: %s", err.msg);
	for (size_t i = 0; i < d.n; i++)
		c[i] = i == 0;
	wb_meta_estimate(&m, d.y, c, d.F, d.n, 4, r, &mf, &err);
	streq(err.msg, "tlearner needs at least 2 treated and 2 control rows (got 1 and 99)",
	      "meta-learner with one treated row");
	free(F);
	free(c);
	wb_rng_free(r);
	data_free(&d);
}

/* The planted data as a frame: W1..W4, T, Y. */
static wb_frame *as_frame(const data *d)
{
	wb_frame *f = wb_frame_new(d->n);
	double *col = malloc(d->n * sizeof *col);
	wb_err err;
	for (int j = 0; j < 4; j++) {
		char name[8];
		snprintf(name, sizeof name, "W%d", j + 1);
		for (size_t i = 0; i < d->n; i++)
			col[i] = d->F[i * 4 + j];
		wb_frame_set_column(f, name, WB_COL_NUMERIC, col, &err);
	}
	wb_frame_set_column(f, "T", WB_COL_BINARY, d->t, &err);
	wb_frame_set_column(f, "Y", WB_COL_NUMERIC, d->y, &err);
	free(col);
	return f;
}

static wb_estimate *run(const wb_frame *f, const char *method, const wb_kv *opts, size_t nopts,
			const char *const *mods, size_t nmods, wb_rng *r)
{
	static const char *const adj[] = {"W1", "W2", "W3", "W4"};
	wb_estimate_spec s = {0};
	s.method = method;
	s.treatment = "T";
	s.outcome = "Y";
	s.adjust = adj;
	s.nadjust = 4;
	s.adjust_from = "given";
	s.modifiers = mods;
	s.nmodifiers = nmods;
	s.opts = opts;
	s.nopts = nopts;
	s.rng = r;
	s.threads = 2;
	wb_estimate *e = NULL;
	wb_err err;
	if (wb_estimate_run(f, &s, &e, &err))
		printf("# %s: %s\n", method, err.msg);
	return e;
}

/* Through the estimate framework: dml and xlearner on the binary planted data (strong
 * confounding: naive and linear adjustment are biased), the xlearner's bootstrap interval,
 * CATE slope rows, and refits on resampled weights (the refuters' path). */
static void test_framework(void)
{
	data d;
	gen(&d, 3000, 0.5, 0.5, 8);
	double ate = true_ate(&d);
	wb_frame *f = as_frame(&d);
	wb_rng *r = wb_rng_new(9);
	const char *const mods[] = {"W4"};
	wb_estimate *e = run(f, "dml", NULL, 0, mods, 1, r);
	if (ok(e && wb_estimate_ncontrasts(e) == 2, "dml with a modifier: an effect and a slope")) {
		const wb_contrast *c = wb_estimate_contrast(e, 0), *sl = wb_estimate_contrast(e, 1);
		ok(c->lo < ate && ate < c->hi, "dml: CI [%.4f, %.4f] covers the true ATE %.4f",
		   c->lo, c->hi, ate);
		ok(sl->slope && sl->lo < 0.5 && 0.5 < sl->hi,
		   "dml: slope CI [%.4f, %.4f] covers the planted 0.5", sl->lo, sl->hi);
		ok(wb_estimate_ntables(e) == 1,
		   "dml: the overlap table of the out-of-fold propensity");
		/* a refit on resample weights, as the refuters do */
		const wb_est_data *pd = wb_estimate_data(e);
		double *w = calloc(d.n, sizeof *w);
		wb_rng *g = wb_rng_new(3);
		for (size_t i = 0; i < d.n; i++)
			w[wb_rng_int(g, d.n)] += 1;
		wb_est_data b = *pd;
		b.w = w;
		b.point_only = 1;
		double eff = NAN;
		wb_err err;
		ok(wb_est_refit(e, &b, &eff, &err) == 0 && fabs(eff - c->effect) < 4 * c->se,
		   "dml refit on a bootstrap resample: %.4f near %.4f", eff, c->effect);
		free(w);
		wb_rng_free(g);
	}
	wb_estimate_free(e);
	const wb_kv boot[] = {{"bootstrap", "20"}};
	e = run(f, "xlearner", boot, 1, mods, 1, r);
	if (ok(e && wb_estimate_ncontrasts(e) == 1, "xlearner through the framework")) {
		const wb_contrast *c = wb_estimate_contrast(e, 0);
		ok(c->lo < ate && ate < c->hi && c->se > 0.01 && c->se < 0.2,
		   "xlearner: bootstrap CI [%.4f, %.4f] covers the true ATE %.4f", c->lo, c->hi,
		   ate);
		ok(wb_estimate_ntables(e) == 1, "xlearner: the CATE distribution table");
		wb_result *t = wb_estimate_take_table(e, 0);
		ok(t && wb_result_nrows(t) == 5, "CATE table: all units and four W4 quartiles");
		if (t) {
			/* planted θ = 1 + 0.5 W4, W4 ~ U(-2, 2): quartile means -1.5 .. 1.5 give
			 * effects 0.25, 0.75, 1.25, 1.75 */
			const double want[] = {0.25, 0.75, 1.25, 1.75};
			for (size_t q = 0; q < 4; q++)
				near(wb_result_cell(t, q + 1, 2)->num, want[q], 0.3,
				     "CATE in W4 quartile %zu near %.2f", q + 1, want[q]);
		}
		wb_result_free(t);
	}
	wb_estimate_free(e);
	wb_rng_free(r);
	wb_frame_free(f);
	data_free(&d);
}

/* The incentives scenario (seed 003): double ML per incentive recovers the planted effects
 * that the naive contrasts miss (TechSupport 5000 + 0.02 Size, Discount 3000 - 0.01 Size +
 * 4000 SMC, NewStrategy 0). */
static void test_incentives(void)
{
	wb_rng *r = wb_rng_new(1);
	wb_sim_params par = {4000, 0, 0};
	wb_frame *f = NULL;
	wb_err err;
	if (!ok(wb_simulate("incentives", &par, r, &f, NULL, &err) == 0, "generate incentives"))
		return;
	static const char *const feats[] = {"GlobalFlag",     "MajorFlag",	"SMCFlag",
					    "CommercialFlag", "PlanningSummit", "ITSpend",
					    "EmployeeCount",  "PCCount",	"Size"};
	const char *adj[12];
	const char *const treat[] = {"TechSupport", "Discount", "NewStrategy"};
	const double *size = wb_frame_col(f, (size_t)wb_frame_col_index(f, "Size"));
	const double *smc = wb_frame_col(f, (size_t)wb_frame_col_index(f, "SMCFlag"));
	double truth[3] = {0, 0, 0};
	size_t n = wb_frame_nrows(f);
	for (size_t i = 0; i < n; i++) {
		truth[0] += (5000 + 0.02 * size[i]) / (double)n;
		truth[1] += (3000 - 0.01 * size[i] + 4000 * smc[i]) / (double)n;
	}
	for (int k = 0; k < 3; k++) {
		size_t na = 0;
		for (size_t j = 0; j < 9; j++)
			adj[na++] = feats[j];
		for (int o = 0; o < 3; o++)
			if (o != k)
				adj[na++] = treat[o];
		const char *const mods[] = {"Size", "SMCFlag"};
		wb_estimate_spec s = {0};
		s.method = "dml";
		s.treatment = treat[k];
		s.outcome = "Revenue";
		s.adjust = adj;
		s.nadjust = na;
		s.adjust_from = "given";
		s.modifiers = mods;
		s.nmodifiers = k == 1 ? 2 : 0;
		s.rng = r;
		s.threads = 2;
		wb_estimate *e = NULL;
		if (!ok(wb_estimate_run(f, &s, &e, &err) == 0, "dml on %s", treat[k])) {
			printf("# %s\n", err.msg);
			continue;
		}
		const wb_contrast *c = wb_estimate_contrast(e, 0);
		ok(c->lo < truth[k] && truth[k] < c->hi,
		   "%s: CI [%.0f, %.0f] covers the truth %.0f", treat[k], c->lo, c->hi, truth[k]);
		if (k == 1) {
			const wb_contrast *a = wb_estimate_contrast(e, 1),
					  *b = wb_estimate_contrast(e, 2);
			ok(a->lo < -0.01 && -0.01 < a->hi,
			   "Discount x Size CI [%.4f, %.4f] covers -0.01", a->lo, a->hi);
			ok(b->lo < 4000 && 4000 < b->hi,
			   "Discount x SMCFlag CI [%.0f, %.0f] covers 4000", b->lo, b->hi);
		}
		wb_estimate_free(e);
	}
	wb_frame_free(f);
	wb_rng_free(r);
}

int main(void)
{
	wb_err_gsl_init();
	test_dml_continuous();
	test_dml_binary_and_cate();
	test_meta();
	test_framework();
	test_incentives();
	test_errors();
	return done();
}
