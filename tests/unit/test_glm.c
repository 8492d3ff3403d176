/* Unit tests for engine/glm: OLS against NIST StRD (Norris, Longley) and statsmodels, HC1,
 * logistic regression and 2SLS against statsmodels, the design builder, and the errors. */
#include "../../engine/frame.h"
#include "../../engine/glm.h"
#include "../tap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static wb_frame *load(const char *name)
{
	const char *top = getenv("top_srcdir");
	char path[1024];
	snprintf(path, sizeof path, "%s/tests/data/effects/%s", top ? top : ".", name);
	wb_frame *f = NULL;
	wb_err err = {0};
	if (wb_frame_load_csv(path, NULL, &f, NULL, &err))
		printf("# %s\n", err.msg);
	return f;
}

static size_t col(const wb_frame *f, const char *name)
{
	long j = wb_frame_col_index(f, name);
	return j < 0 ? 0 : (size_t)j;
}

/* Relative-error check, as the NIST log relative error: |got - want| <= tol |want|. */
static void rel(double got, double want, double tol, const char *what)
{
	near(got, want, tol * fabs(want), "%s", what);
}

/* NIST StRD Norris (https://www.itl.nist.gov/div898/strd/lls/data/Norris.shtml), certified:
 * beta0 -0.262323073774029 (sd 0.232818234301152), beta1 1.00211681802045
 * (sd 0.429796848199937E-03), residual sd 0.884796396144373, R^2 0.999993745883712. */
static void test_norris(void)
{
	wb_frame *f = load("norris.csv");
	ok(f != NULL, "norris.csv loads");
	if (!f)
		return;
	size_t c = col(f, "x"), yc = col(f, "y");
	wb_design d;
	wb_err err = {0};
	ok(wb_design_build(f, &c, 1, 1, &yc, 1, &d, &err) == 0, "norris design");
	const double *y = wb_frame_col(f, yc);
	wb_ols o;
	ok(wb_ols_fit(d.x, d.n, d.p, y, NULL, (const char *const *)d.names, 2, &o, &err) == 0,
	   "norris fit");
	rel(o.beta[0], -0.262323073774029, 1e-9, "Norris beta0 (certified)");
	rel(o.beta[1], 1.00211681802045, 1e-9, "Norris beta1 (certified)");
	rel(o.se[0], 0.232818234301152, 1e-9, "Norris sd(beta0) (certified)");
	rel(o.se[1], 0.429796848199937E-03, 1e-9, "Norris sd(beta1) (certified)");
	rel(sqrt(o.sigma2), 0.884796396144373, 1e-9, "Norris residual sd (certified)");
	rel(o.r2, 0.999993745883712, 1e-12, "Norris R^2 (certified)");
	wb_ols_free(&o);
	wb_design_free(&d);
	wb_frame_free(f);
}

/* NIST StRD Longley (https://www.itl.nist.gov/div898/strd/lls/data/Longley.shtml), certified
 * values; a badly conditioned design (condition number about 10^9 after scaling 10^7). */
static void test_longley(void)
{
	static const double beta[] = {-3482258.63459582, 15.0618722713733,  -0.358191792925910E-01,
				      -2.02022980381683, -1.03322686717359, -0.511041056535807E-01,
				      1829.15146461355};
	static const double sd[] = {890420.383607373,  84.9149257747669,  0.334910077722432E-01,
				    0.488399681651699, 0.214274163161675, 0.226073200069370,
				    455.478499142212};
	wb_frame *f = load("longley.csv");
	ok(f != NULL, "longley.csv loads");
	if (!f)
		return;
	size_t cols[6], yc = col(f, "y");
	const char *nm[] = {"x1", "x2", "x3", "x4", "x5", "x6"};
	for (size_t k = 0; k < 6; k++)
		cols[k] = col(f, nm[k]);
	wb_design d;
	wb_err err = {0};
	ok(wb_design_build(f, cols, 6, 1, &yc, 1, &d, &err) == 0 && d.p == 7, "longley design");
	wb_ols o;
	int rc = wb_ols_fit(d.x, d.n, d.p, wb_frame_col(f, yc), NULL, NULL, 1, &o, &err);
	ok(rc == 0, "longley fit (%s)", err.msg);
	if (rc == 0) {
		for (size_t k = 0; k < 7; k++) {
			char what[64];
			snprintf(what, sizeof what, "Longley beta%zu (certified)", k);
			rel(o.beta[k], beta[k], 1e-7, what);
			snprintf(what, sizeof what, "Longley sd(beta%zu) (certified)", k);
			rel(o.se[k], sd[k], 1e-7, what);
		}
		rel(sqrt(o.sigma2), 304.854073561965, 1e-8, "Longley residual sd (certified)");
		rel(o.r2, 0.995479004577296, 1e-10, "Longley R^2 (certified)");
		wb_ols_free(&o);
	}
	wb_design_free(&d);
	wb_frame_free(f);
}

/*
 * tests/data/effects/glm.csv (60 rows; y, binary t, x1, x2, categorical g with levels a, c, b
 * in first-seen order, binary z). Reference values from statsmodels 0.13.5 (Debian
 * python3-statsmodels), printed with repr():
 *
 *   d = pd.read_csv('glm.csv')
 *   X = pd.DataFrame({'const': 1.0, 't': d.t, 'x1': d.x1, 'x2': d.x2,
 *                     'g[b]': (d.g == 'b') * 1.0, 'g[c]': (d.g == 'c') * 1.0})
 *   o = sm.OLS(d.y, X).fit(); h = sm.OLS(d.y, X).fit(cov_type='HC1')
 *   o.params, o.bse, h.bse
 *   L = sm.Logit(d.t, sm.add_constant(d[['x1', 'x2', 'z']])).fit(disp=0, tol=1e-12)
 *   L.params, L.bse
 *   from statsmodels.sandbox.regression.gmm import IV2SLS
 *   iv = IV2SLS(d.y, pd.DataFrame({'t': d.t, 'const': 1.0, 'x1': d.x1}),
 *               pd.DataFrame({'z': d.z, 'const': 1.0, 'x1': d.x1})).fit()
 *   iv.params, iv.bse
 *   sm.OLS(d.t, pd.DataFrame({'z': d.z, 'const': 1.0, 'x1': d.x1})).fit().tvalues['z']**2
 */
static void test_statsmodels(void)
{
	wb_frame *f = load("glm.csv");
	ok(f != NULL, "glm.csv loads");
	if (!f)
		return;
	wb_err err = {0};
	size_t yc = col(f, "y");
	size_t cols[] = {col(f, "t"), col(f, "x1"), col(f, "x2"), col(f, "g")};
	wb_design d;
	ok(wb_design_build(f, cols, 4, 1, &yc, 1, &d, &err) == 0 && d.p == 6,
	   "design with g one-hot");
	streq(d.names[4], "g[c]", "dummy names follow the level order (first level a dropped)");
	streq(d.names[5], "g[b]", "second dummy");
	/* statsmodels order: const t x1 x2 g[b] g[c]; ours: const t x1 x2 g[c] g[b] */
	static const double b[] = {0.23438646886323938, 1.279932155004292,  0.4142612803490023,
				   -0.405226143824604,	0.6809937640473267, -0.5009160979580476};
	static const double se[] = {0.45792287599996456, 0.3968823963648586,  0.1894666101599471,
				    0.17630221226519832, 0.45155905927101747, 0.46568658424729803};
	static const double hc[] = {0.48603786360268164, 0.3887153608541832, 0.23172967206242878,
				    0.16724559570122297, 0.397650762176972,  0.5078960439692928};
	static const size_t map[] = {0, 1, 2, 3, 5, 4};
	wb_ols o;
	ok(wb_ols_fit(d.x, d.n, d.p, wb_frame_col(f, yc), NULL, NULL, 2, &o, &err) == 0, "OLS fit");
	for (size_t k = 0; k < 6; k++) {
		near(o.beta[k], b[map[k]], 1e-6, "OLS %s coefficient = statsmodels", d.names[k]);
		near(o.se[k], se[map[k]], 1e-6, "OLS %s classical se = statsmodels", d.names[k]);
		near(o.se_hc1[k], hc[map[k]], 1e-6, "OLS %s HC1 se = statsmodels", d.names[k]);
	}
	wb_ols_free(&o);
	/* Frequency weights: weight 2 on every row equals the data twice (same beta). */
	double *w2 = malloc(d.n * sizeof *w2);
	for (size_t i = 0; i < d.n; i++)
		w2[i] = 2;
	ok(wb_ols_fit(d.x, d.n, d.p, wb_frame_col(f, yc), w2, NULL, 1, &o, &err) == 0 &&
	       fabs(o.beta[1] - b[1]) < 1e-9 && fabs(o.nobs - 120) < 1e-12,
	   "weights are frequencies: weight 2 doubles nobs and keeps beta");
	wb_ols_free(&o);
	free(w2);
	wb_design_free(&d);

	/* logistic regression of t on x1, x2, z */
	size_t lc[] = {col(f, "x1"), col(f, "x2"), col(f, "z")}, tc = col(f, "t");
	ok(wb_design_build(f, lc, 3, 1, &tc, 1, &d, &err) == 0, "logit design");
	static const double lb[] = {-0.27776581998622046, 0.7552925637240473, 0.3774822433769543,
				    1.3760853865534728};
	static const double lse[] = {0.4078272745276275, 0.3615914292073288, 0.29487226435569225,
				     0.5878730505454547};
	wb_logit l;
	ok(wb_logit_fit(d.x, d.n, d.p, wb_frame_col(f, tc), NULL, NULL, NULL, &l, &err) == 0,
	   "logit fit");
	for (size_t k = 0; k < 4; k++) {
		near(l.beta[k], lb[k], 1e-6, "logit %s coefficient = statsmodels", d.names[k]);
		near(l.se[k], lse[k], 1e-6, "logit %s se = statsmodels", d.names[k]);
	}
	ok(l.iterations > 2 && l.iterations < 30, "IRLS converged in %d iterations", l.iterations);
	wb_logit_free(&l);
	wb_design_free(&d);

	/* 2SLS: y on t (endogenous) and x1, instrument z */
	size_t n = wb_frame_nrows(f);
	double *xx = malloc(2 * n * sizeof *xx);
	for (size_t i = 0; i < n; i++) {
		xx[2 * i] = 1;
		xx[2 * i + 1] = wb_frame_col(f, col(f, "x1"))[i];
	}
	wb_tsls iv;
	ok(wb_tsls_fit(wb_frame_col(f, yc), wb_frame_col(f, tc), 1, xx, 2,
		       wb_frame_col(f, col(f, "z")), 1, n, NULL, NULL, &iv, &err) == 0,
	   "2SLS fit");
	static const double ib[] = {0.5384702679395227, 0.7360462480289243, 0.43498045035838967};
	static const double ise[] = {1.2749705896879913, 0.7608629833547741, 0.27069862241225556};
	for (size_t k = 0; k < 3; k++) {
		near(iv.beta[k], ib[k], 1e-6, "2SLS coefficient %zu = statsmodels IV2SLS", k);
		near(iv.se[k], ise[k], 1e-6, "2SLS se %zu = statsmodels IV2SLS", k);
	}
	near(iv.first_f[0], 6.576151662521591, 1e-6,
	     "first-stage F = squared t of z (statsmodels)");
	wb_tsls_free(&iv);
	free(xx);
	wb_frame_free(f);
}

/* The Wald ratio: one binary instrument, no covariates. */
static void test_wald(void)
{
	double y[] = {1, 2, 3, 5, 4, 6, 2, 7}, x[] = {0, 0, 1, 1, 0, 1, 0, 1},
	       z[] = {0, 0, 0, 1, 1, 1, 0, 1};
	double one[8] = {1, 1, 1, 1, 1, 1, 1, 1};
	double my = 0, mx = 0, mz = 0;
	for (int i = 0; i < 8; i++)
		my += y[i] / 8, mx += x[i] / 8, mz += z[i] / 8;
	double cyz = 0, cxz = 0;
	for (int i = 0; i < 8; i++)
		cyz += (y[i] - my) * (z[i] - mz), cxz += (x[i] - mx) * (z[i] - mz);
	wb_tsls iv;
	wb_err err = {0};
	ok(wb_tsls_fit(y, x, 1, one, 1, z, 1, 8, NULL, NULL, &iv, &err) == 0, "Wald 2SLS fit");
	near(iv.beta[0], cyz / cxz, 1e-12, "2SLS = Wald ratio cov(y,z)/cov(x,z)");
	wb_tsls_free(&iv);
}

static void test_errors(void)
{
	wb_err err = {0};
	/* a constant column next to the intercept */
	double x[] = {1, 5, 1, 5, 1, 5, 1, 5}, y[] = {1, 2, 3, 4};
	const char *names[] = {"(Intercept)", "Const"};
	wb_ols o;
	ok(wb_ols_fit(x, 4, 2, y, NULL, names, 1, &o, &err) == WB_ENUMERIC,
	   "constant column refused");
	streq(
	    err.msg,
	    "singular design: 'Const' is constant in the rows used (the intercept already accounts "
	    "for it)",
	    "the message names the column");
	/* collinear: a_plus_b = a + b */
	double av[] = {0, 1, 1, 2, 0, 3}, bv[] = {1, 1, 2, 0, 2, 1};
	double x4[6 * 4], y4[] = {1, 3, 2, 5, 7, 4};
	for (int i = 0; i < 6; i++) {
		x4[i * 4] = 1;
		x4[i * 4 + 1] = av[i];
		x4[i * 4 + 2] = bv[i];
		x4[i * 4 + 3] = av[i] + bv[i];
	}
	const char *n4[] = {"(Intercept)", "a", "b", "a_plus_b"};
	ok(wb_ols_fit(x4, 6, 4, y4, NULL, n4, 1, &o, &err) == WB_ENUMERIC, "collinear refused");
	ok(strstr(err.msg, "'a_plus_b' is a linear combination") != NULL,
	   "names the collinear column: %s", err.msg);
	/* zero column */
	double xz[] = {1, 0, 1, 0, 1, 0};
	const char *nz[] = {"(Intercept)", "Never"};
	ok(wb_ols_fit(xz, 3, 2, y, NULL, nz, 1, &o, &err) == WB_ENUMERIC, "zero column refused");
	streq(
	    err.msg,
	    "singular design: 'Never' is constant in the rows used (the intercept already accounts "
	    "for it)",
	    "zero column message");
	double xn[] = {0, 1, 0, 2, 0, 3};
	const char *nn[] = {"Zero", "b"};
	ok(wb_ols_fit(xn, 3, 2, y, NULL, nn, 1, &o, &err) == WB_ENUMERIC,
	   "zero column, no intercept");
	streq(err.msg, "singular design: 'Zero' is zero in every row used", "zero column message");
	/* too few rows */
	double x1[] = {1, 2};
	ok(wb_ols_fit(x1, 1, 2, y, NULL, NULL, 1, &o, &err) == WB_ENUMERIC,
	   "one row, two coefficients");
	streq(err.msg, "1 rows for 2 coefficients: too few rows", "too few rows message");
	/* perfect separation */
	double xs[] = {1, -2, 1, -1, 1, -0.5, 1, 0.5, 1, 1, 1, 2}, ys[] = {0, 0, 0, 1, 1, 1};
	wb_logit l;
	ok(wb_logit_fit(xs, 6, 2, ys, NULL, NULL, NULL, &l, &err) == WB_ENUMERIC,
	   "perfect separation refused");
	ok(strncmp(err.msg, "logistic regression: perfect separation", 39) == 0,
	   "separation message");
	/* a penalty makes it fit */
	wb_logit_opts po = {.l2 = 1};
	ok(wb_logit_fit(xs, 6, 2, ys, NULL, &po, NULL, &l, &err) == 0 && l.beta[1] > 0,
	   "with an L2 penalty the separated data fit");
	wb_logit_free(&l);
	double yc[] = {1, 1, 1, 1, 1, 1};
	ok(wb_logit_fit(xs, 6, 2, yc, NULL, NULL, NULL, &l, &err) == WB_EINVAL, "constant outcome");
	streq(err.msg, "logistic regression: the outcome is 1 in every row, nothing to fit",
	      "constant outcome message");
	double yb[] = {0, 1, 2, 0, 1, 0};
	ok(wb_logit_fit(xs, 6, 2, yb, NULL, NULL, NULL, &l, &err) == WB_EINVAL,
	   "non-binary outcome");
	streq(err.msg, "logistic regression: the outcome must be 0 or 1, row 3 is 2",
	      "non-binary message");
}

static void test_design_missing(void)
{
	wb_frame *f = wb_frame_new(4);
	double a[] = {1, NAN, 3, 4}, b[] = {0, 1, NAN, 1};
	wb_err err = {0};
	wb_frame_set_column(f, "a", WB_COL_NUMERIC, a, &err);
	wb_frame_set_column(f, "b", WB_COL_BINARY, b, &err);
	size_t ca = 0, cb = 1;
	wb_design d;
	ok(wb_design_build(f, &ca, 1, 1, &cb, 1, &d, &err) == 0, "design with missing values");
	ok(d.n == 2 && d.nmissing == 2 && d.row[0] == 0 && d.row[1] == 3,
	   "listwise deletion keeps rows 0 and 3 and counts 2");
	wb_design_free(&d);
	double c[] = {NAN, NAN, NAN, NAN};
	wb_frame_set_column(f, "c", WB_COL_NUMERIC, c, &err);
	size_t cc = 2;
	ok(wb_design_build(f, &ca, 1, 1, &cc, 1, &d, &err) == WB_EINVAL, "no complete rows");
	streq(err.msg, "no complete rows: every row misses one of a, c",
	      "no complete rows message");
	wb_frame_free(f);
}

int main(void)
{
	wb_err_gsl_init();
	test_norris();
	test_longley();
	test_statsmodels();
	test_wald();
	test_errors();
	test_design_missing();
	return done();
}
