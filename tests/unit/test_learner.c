/* Unit tests for engine/learner: ridge and lasso against sklearn, the λ chosen by CV, XGBoost
 * on a planted nonlinear function, determinism, folds, cross-fitting and bad input.
 *
 * Reference values: tests/data/learner/reference.py, run as
 *   cd tests/data/learner && /usr/bin/python3 reference.py
 * (sklearn 1.2.1, numpy 1.24.2) printed, as "name intercept coefficients...":
 *   lasso_0.1 1.133495321584 2.210701007334 -0.421174951752 0.261173423514 0.000000000000
 *   ridge_0.05 1.056384557023 2.194390585290 -0.435730602677 0.280469644086 0.016876205479
 *   logistic_ridge_0.02 0.217849349534 0.227357938896 -0.223669621571 -0.020097791966
 *     0.775588527367
 *   lasso_interactions_0.05 1.030004050863 1.828168333763 -0.442619396050 0.284709337216
 *     0.000000000000 0.010724064673 0.031260126478 0.624808305986 -0.000000000000
 *     0.000000000000 0.000000000000
 *   ols 1.047287542239 2.305155340929 -0.456878153829 0.294563416748 -0.010493358894
 *   logistic 0.257410501013 0.250414135559 -0.250905305850 -0.023721648572 0.862016804619
 * on tests/data/learner/linear.csv (200 rows: x1..x4 features, x4 binary; y continuous;
 * d binary), which tests/data/learner/reference.py documents. */
#include "../../engine/frame.h"
#include "../../engine/learner.h"
#include "../tap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TOL 1e-6

static double *X4, *Y, *D;
static size_t N;

static int load(void)
{
	const char *top = getenv("top_srcdir");
	char path[1024];
	snprintf(path, sizeof path, "%s/tests/data/learner/linear.csv", top ? top : ".");
	wb_frame *f = NULL;
	wb_err err;
	if (!ok(wb_frame_load_csv(path, NULL, &f, NULL, &err) == 0, "load linear.csv"))
		return -1;
	N = wb_frame_nrows(f);
	X4 = malloc(N * 4 * sizeof *X4);
	Y = malloc(N * sizeof *Y);
	D = malloc(N * sizeof *D);
	for (size_t i = 0; i < N; i++) {
		for (size_t j = 0; j < 4; j++)
			X4[i * 4 + j] = wb_frame_col(f, j)[i];
		Y[i] = wb_frame_col(f, 4)[i];
		D[i] = wb_frame_col(f, 5)[i];
	}
	wb_frame_free(f);
	return 0;
}

/* Fits and compares the intercept and k coefficients with want[0..k]. */
static void check_fit(const char *name, const wb_learner_opts *o, wb_task task, const double *y,
		      const double *want, size_t k)
{
	wb_learner *m = NULL;
	wb_err err;
	if (!ok(wb_learner_fit(o, task, X4, N, 4, y, NULL, 0, &m, &err) == 0, "%s: fits", name)) {
		printf("# %s\n", err.msg);
		return;
	}
	double b0;
	const double *beta;
	size_t got = wb_learner_coefs(m, &b0, &beta);
	ok(got == k, "%s: %zu coefficients (got %zu)", name, k, got);
	near(b0, want[0], TOL, "%s: intercept equals sklearn", name);
	for (size_t j = 0; j < k && j < got; j++)
		near(beta[j], want[j + 1], TOL, "%s: coefficient %zu equals sklearn", name, j + 1);
	wb_learner_free(m);
}

static void test_sklearn(void)
{
	wb_learner_opts o;
	wb_learner_opts_default(&o, WB_LEARNER_LASSO);
	o.lambda = 0.1;
	const double lasso[] = {1.133495321584, 2.210701007334, -0.421174951752, 0.261173423514, 0};
	check_fit("lasso λ=0.1", &o, WB_TASK_REGRESSION, Y, lasso, 4);

	wb_learner_opts_default(&o, WB_LEARNER_RIDGE);
	o.lambda = 0.05;
	const double ridge[] = {1.056384557023, 2.194390585290, -0.435730602677, 0.280469644086,
				0.016876205479};
	check_fit("ridge λ=0.05", &o, WB_TASK_REGRESSION, Y, ridge, 4);

	o.lambda = 0.02;
	const double logit[] = {0.217849349534, 0.227357938896, -0.223669621571, -0.020097791966,
				0.775588527367};
	check_fit("logistic ridge λ=0.02", &o, WB_TASK_CLASSIFICATION, D, logit, 4);

	wb_learner_opts_default(&o, WB_LEARNER_LASSO);
	o.lambda = 0.05;
	o.interactions = 1;
	const double inter[] = {1.030004050863,
				1.828168333763,
				-0.442619396050,
				0.284709337216,
				0,
				0.010724064673,
				0.031260126478,
				0.624808305986,
				0,
				0,
				0};
	check_fit("lasso with interactions λ=0.05", &o, WB_TASK_REGRESSION, Y, inter, 10);

	/* the unpenalised fits come from glm.h */
	wb_learner_opts_default(&o, WB_LEARNER_LINEAR);
	const double ols[] = {1.047287542239, 2.305155340929, -0.456878153829, 0.294563416748,
			      -0.010493358894};
	check_fit("linear (OLS)", &o, WB_TASK_REGRESSION, Y, ols, 4);
	const double lr[] = {0.257410501013, 0.250414135559, -0.250905305850, -0.023721648572,
			     0.862016804619};
	check_fit("logistic", &o, WB_TASK_CLASSIFICATION, D, lr, 4);
}

/* Lasso logistic: the KKT conditions of −(1/n) loglik + λ‖β̃‖₁ on standardised features:
 * |g_j| <= λ where β_j = 0, g_j = λ·sign(β_j) otherwise, g_j = (1/n) Σ z̃_ij (y_i − p_i). */
static void test_lasso_logistic_kkt(void)
{
	wb_learner_opts o;
	wb_learner_opts_default(&o, WB_LEARNER_LASSO);
	o.lambda = 0.03;
	wb_learner *m = NULL;
	wb_err err;
	if (!ok(wb_learner_fit(&o, WB_TASK_CLASSIFICATION, X4, N, 4, D, NULL, 0, &m, &err) == 0,
		"lasso logistic fits"))
		return;
	double *pr = malloc(N * sizeof *pr);
	wb_learner_predict(m, X4, N, NULL, 0, pr, &err);
	double b0;
	const double *beta;
	wb_learner_coefs(m, &b0, &beta);
	int zeros = 0;
	double score0 = 0;
	for (size_t i = 0; i < N; i++)
		score0 += D[i] - pr[i];
	near(score0 / (double)N, 0, 1e-9, "lasso logistic: intercept score is 0");
	for (size_t j = 0; j < 4; j++) {
		double mu = 0, ss = 0, g = 0;
		for (size_t i = 0; i < N; i++)
			mu += X4[i * 4 + j];
		mu /= (double)N;
		for (size_t i = 0; i < N; i++)
			ss += (X4[i * 4 + j] - mu) * (X4[i * 4 + j] - mu);
		double sd = sqrt(ss / (double)N);
		for (size_t i = 0; i < N; i++)
			g += (X4[i * 4 + j] - mu) / sd * (D[i] - pr[i]);
		g /= (double)N;
		if (beta[j] == 0) {
			zeros++;
			ok(fabs(g) <= o.lambda + 1e-9, "lasso logistic KKT: |g_%zu| = %g <= λ",
			   j + 1, fabs(g));
		} else {
			near(g, beta[j] > 0 ? o.lambda : -o.lambda, 1e-8,
			     "lasso logistic KKT: g_%zu = λ sign(β)", j + 1);
		}
	}
	ok(zeros >= 1 && zeros <= 3, "lasso logistic λ=0.03 zeroes 1 to 3 coefficients (%d)",
	   zeros);
	free(pr);
	wb_learner_free(m);
}

/* CV: on y (x4 has no effect) the chosen λ is on the path, and lasso keeps x1, x2, x3. */
static void test_cv(void)
{
	wb_learner_opts o;
	wb_learner_opts_default(&o, WB_LEARNER_LASSO);
	o.seed = 7;
	wb_learner *m = NULL, *m2 = NULL;
	wb_err err;
	if (!ok(wb_learner_fit(&o, WB_TASK_REGRESSION, X4, N, 4, Y, NULL, 0, &m, &err) == 0,
		"lasso with CV fits"))
		return;
	double lam = wb_learner_lambda(m);
	ok(lam > 0 && lam < 0.5, "CV chooses a λ in (0, 0.5): %g", lam);
	const double *beta;
	wb_learner_coefs(m, NULL, &beta);
	near(beta[0], 2.2, 0.3, "CV lasso: x1 coefficient near its planted 2 (plus interaction)");
	near(beta[1], -0.5, 0.1, "CV lasso: x2 coefficient near -0.5");
	near(beta[2], 0.3, 0.1, "CV lasso: x3 coefficient near 0.3");
	ok(wb_learner_fit(&o, WB_TASK_REGRESSION, X4, N, 4, Y, NULL, 0, &m2, &err) == 0 &&
	       wb_learner_lambda(m2) == lam,
	   "the same seed chooses the same λ");
	wb_learner_free(m);
	wb_learner_free(m2);
}

/* Ridge with λ by CV does not depend on the target's units: y in thousands gives the
 * coefficients of y times a thousand and the same λ. (Its path is that of the standardised
 * target; it once scaled with the target, so revenue-sized outcomes were shrunk by half.) */
static void test_ridge_scale(void)
{
	wb_learner_opts o;
	wb_learner_opts_default(&o, WB_LEARNER_RIDGE);
	o.seed = 7;
	double *Yk = malloc(N * sizeof *Yk);
	for (size_t i = 0; i < N; i++)
		Yk[i] = 1000 * Y[i];
	wb_learner *m = NULL, *mk = NULL;
	wb_err err;
	if (ok(wb_learner_fit(&o, WB_TASK_REGRESSION, X4, N, 4, Y, NULL, 0, &m, &err) == 0 &&
		   wb_learner_fit(&o, WB_TASK_REGRESSION, X4, N, 4, Yk, NULL, 0, &mk, &err) == 0,
	       "ridge with CV fits y and 1000 y")) {
		const double *b, *bk;
		wb_learner_coefs(m, NULL, &b);
		wb_learner_coefs(mk, NULL, &bk);
		near(wb_learner_lambda(mk), wb_learner_lambda(m), 1e-12 * wb_learner_lambda(m),
		     "the same λ for y and 1000 y (%g)", wb_learner_lambda(m));
		for (int j = 0; j < 4; j++)
			near(bk[j], 1000 * b[j], 1e-6 * fabs(1000 * b[j]) + 1e-9,
			     "coefficient %d scales with the target", j + 1);
		near(b[1], -0.5, 0.1, "CV ridge: x2 coefficient near its planted -0.5 (%g)", b[1]);
	}
	wb_learner_free(m);
	wb_learner_free(mk);
	free(Yk);
}

/* A planted nonlinear function: y = 2 sin(2 x1) + x2 x3 + e, x ~ U(-2, 2)^4, e ~ N(0, 0.5²).
 * Var(2 sin 2x1) = 4 (1/2 − sin 8 / 16) = 1.7527, Var(x2 x3) = (4/3)² = 1.7778, so the best
 * possible R² is 3.5305 / (3.5305 + 0.25) = 0.934; a linear fit explains almost nothing of the
 * product and only the linear part of the sine. */
static void planted(size_t n, double **X, double **y, uint64_t seed)
{
	wb_rng *r = wb_rng_new(seed);
	*X = malloc(n * 4 * sizeof **X);
	*y = malloc(n * sizeof **y);
	for (size_t i = 0; i < n; i++) {
		double *x = *X + i * 4;
		for (int j = 0; j < 4; j++)
			x[j] = 4 * wb_rng_uniform(r) - 2;
		(*y)[i] = 2 * sin(2 * x[0]) + x[1] * x[2] + wb_rng_normal(r, 0, 0.5);
	}
	wb_rng_free(r);
}

static double oof_r2(const wb_learner_opts *o, const double *X, const double *y, size_t n,
		     wb_task task, double *oof)
{
	int *fold = malloc(n * sizeof *fold);
	wb_rng *r = wb_rng_new(11);
	wb_err err;
	double r2 = NAN;
	if (wb_learner_folds(n, 5, NULL, r, fold, &err) == 0 &&
	    wb_learner_crossfit(o, task, X, n, 4, y, fold, 5, NULL, oof, NULL, &err) == 0) {
		double m = 0, sse = 0, sst = 0;
		for (size_t i = 0; i < n; i++)
			m += y[i];
		m /= (double)n;
		for (size_t i = 0; i < n; i++) {
			sse += (y[i] - oof[i]) * (y[i] - oof[i]);
			sst += (y[i] - m) * (y[i] - m);
		}
		r2 = 1 - sse / sst;
	} else {
		printf("# %s\n", err.msg);
	}
	free(fold);
	wb_rng_free(r);
	return r2;
}

static void test_xgb(void)
{
	size_t n = 3000;
	double *X, *y, *oof = malloc(n * sizeof *oof), *oof2 = malloc(n * sizeof *oof2);
	planted(n, &X, &y, 5);
	wb_learner_opts o;
	wb_learner_opts_default(&o, WB_LEARNER_GBM);
	o.seed = 3;
	o.threads = 2;
	double r2 = oof_r2(&o, X, y, n, WB_TASK_REGRESSION, oof);
	ok(r2 > 0.85, "gbm: out-of-fold R² %.3f > 0.85 on the planted function (best 0.934)", r2);
	wb_learner_opts_default(&o, WB_LEARNER_RF);
	o.seed = 3;
	double r2f = oof_r2(&o, X, y, n, WB_TASK_REGRESSION, oof);
	ok(r2f > 0.65 && r2f < r2, "rf: out-of-fold R² %.3f in (0.65, gbm's)", r2f);
	double r2f2 = oof_r2(&o, X, y, n, WB_TASK_REGRESSION, oof2);
	ok(r2f == r2f2 && memcmp(oof, oof2, n * sizeof *oof) == 0,
	   "rf: the same seed gives identical predictions");
	o.seed = 4;
	oof_r2(&o, X, y, n, WB_TASK_REGRESSION, oof2);
	ok(memcmp(oof, oof2, n * sizeof *oof) != 0, "rf: another seed gives other predictions");
	wb_learner_opts_default(&o, WB_LEARNER_RIDGE);
	double r2l = oof_r2(&o, X, y, n, WB_TASK_REGRESSION, oof);
	ok(r2l < 0.45, "ridge: out-of-fold R² %.3f < 0.45 (the function is nonlinear)", r2l);
	o.degree = 2;
	double r2q = oof_r2(&o, X, y, n, WB_TASK_REGRESSION, oof);
	/* the product's share of the variance is 1.7778 / 3.7805 = 0.47, and the sine's linear
	 * part adds a little; its square does not help (the sine is odd) */
	ok(r2q > 0.45 && r2q < 0.6,
	   "ridge degree 2 catches the product only: R² %.3f in (0.45, 0.6)", r2q);

	/* classification: P(t = 1 | x) = sigmoid(3 sin(2 x1)); mean log-loss of gbm below that
	 * of a constant and within 0.05 of the true probabilities' */
	double *t = malloc(n * sizeof *t), *pt = malloc(n * sizeof *pt);
	wb_rng *r = wb_rng_new(9);
	double ll_true = 0, ll_gbm = 0, ll_const = 0, mt = 0;
	for (size_t i = 0; i < n; i++) {
		pt[i] = 1 / (1 + exp(-3 * sin(2 * X[i * 4])));
		t[i] = wb_rng_bernoulli(r, pt[i]);
		mt += t[i];
	}
	mt /= (double)n;
	wb_learner_opts_default(&o, WB_LEARNER_GBM);
	oof_r2(&o, X, t, n, WB_TASK_CLASSIFICATION, oof);
	for (size_t i = 0; i < n; i++) {
		ll_true -= t[i] ? log(pt[i]) : log(1 - pt[i]);
		ll_gbm -= t[i] ? log(oof[i]) : log(1 - oof[i]);
		ll_const -= t[i] ? log(mt) : log(1 - mt);
	}
	ll_true /= (double)n;
	ll_gbm /= (double)n;
	ll_const /= (double)n;
	ok(ll_gbm < ll_true + 0.05 && ll_gbm < ll_const - 0.1,
	   "gbm classifier: log-loss %.4f within 0.05 of the truth's %.4f, below constant %.4f",
	   ll_gbm, ll_true, ll_const);
	wb_learner_opts_default(&o, WB_LEARNER_RF);
	oof_r2(&o, X, t, n, WB_TASK_CLASSIFICATION, oof);
	double lo = 1, hi = 0, ll_rf = 0;
	for (size_t i = 0; i < n; i++) {
		lo = oof[i] < lo ? oof[i] : lo;
		hi = oof[i] > hi ? oof[i] : hi;
		double q = t[i] ? oof[i] : 1 - oof[i];
		ll_rf -= log(q > 1e-3 ? q : 1e-3);
	}
	ll_rf /= (double)n;
	ok(lo >= 0 && hi <= 1 && ll_rf < ll_const - 0.1,
	   "rf classifier: probabilities in [0, 1], log-loss %.4f below constant %.4f", ll_rf,
	   ll_const);
	wb_rng_free(r);
	free(t);
	free(pt);
	free(X);
	free(y);
	free(oof);
	free(oof2);
}

static void test_folds(void)
{
	size_t n = 103;
	int fold[103], fold2[103], count[5] = {0}, ones[5] = {0};
	double s[103];
	for (size_t i = 0; i < n; i++)
		s[i] = i < 30;
	wb_rng *r = wb_rng_new(1), *r2 = wb_rng_new(1);
	wb_err err;
	ok(wb_learner_folds(n, 5, s, r, fold, &err) == 0, "stratified folds");
	wb_learner_folds(n, 5, s, r2, fold2, &err);
	ok(memcmp(fold, fold2, sizeof fold) == 0, "folds: same seed, same assignment");
	for (size_t i = 0; i < n; i++) {
		count[fold[i]]++;
		ones[fold[i]] += s[i] == 1;
	}
	int okc = 1, oko = 1;
	for (int f = 0; f < 5; f++) {
		okc &= count[f] == 20 || count[f] == 21;
		oko &= ones[f] == 6;
	}
	ok(okc, "folds of 103 rows hold 20 or 21 rows");
	ok(oko, "each fold holds 6 of the 30 treated rows");
	ok(wb_learner_folds(n, 1, NULL, r, fold, &err) == WB_EINVAL &&
	       strcmp(err.msg, "folds must be between 2 and 103 (got 1)") == 0,
	   "folds=1 refused: %s", err.msg);
	wb_rng_free(r);
	wb_rng_free(r2);
}

static void test_errors(void)
{
	wb_err err;
	wb_learner_kind k;
	ok(wb_learner_parse("forest", &k, &err) == WB_EINVAL, "unknown learner");
	streq(err.msg,
	      "unknown learner 'forest' (one of linear, logistic, ridge, lasso, gbm, xgb, rf)",
	      "unknown learner message");
	ok(wb_learner_parse("xgb", &k, &err) == 0 && k == WB_LEARNER_GBM, "xgb is gbm");
	wb_learner_opts o;
	wb_learner_opts_default(&o, WB_LEARNER_GBM);
	wb_learner *m = NULL;
	double y[4] = {1, 1, 1, 1}, X[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	ok(wb_learner_fit(&o, WB_TASK_CLASSIFICATION, X, 4, 2, y, NULL, 0, &m, &err) == WB_EINVAL,
	   "constant classification target refused");
	streq(err.msg, "classification target is constant (all 1)", "constant target message");
	y[2] = 2;
	wb_learner_fit(&o, WB_TASK_CLASSIFICATION, X, 4, 2, y, NULL, 0, &m, &err);
	streq(err.msg, "classification target must be 0 or 1 (row 3 is 2)", "non-0/1 message");
	o.max_depth = 0;
	ok(wb_learner_fit(&o, WB_TASK_REGRESSION, X, 4, 2, y, NULL, 0, &m, &err) == WB_EINVAL,
	   "max_depth 0 refused");
	streq(err.msg, "max_depth must be between 1 and 30 (got 0)", "max_depth message");
	wb_learner_opts_default(&o, WB_LEARNER_RIDGE);
	X[3] = NAN;
	wb_learner_fit(&o, WB_TASK_REGRESSION, X, 4, 2, y, NULL, 0, &m, &err);
	streq(err.msg, "feature 2 is missing in row 2 (the linear learners need complete rows)",
	      "missing feature message");
	wb_learner_opts_default(&o, WB_LEARNER_GBM);
	ok(wb_learner_fit(&o, WB_TASK_REGRESSION, X, 4, 2, y, NULL, 0, &m, &err) == 0,
	   "XGBoost takes a missing feature");
	wb_learner_free(m);
	/* a duplicated column: the unpenalised fit names the term */
	double Xd[12] = {1, 2, 2, 4, 3, 6, 4, 8, 5, 10, 6, 12}, yd[6] = {1, 3, 2, 5, 4, 6};
	const char *nm[] = {"Age", "Income"};
	wb_learner_opts_default(&o, WB_LEARNER_LINEAR);
	o.names = nm;
	wb_learner_fit(&o, WB_TASK_REGRESSION, Xd, 6, 2, yd, NULL, 0, &m, &err);
	streq(err.msg,
	      "singular design: 'Income' is a linear combination of the columns before it "
	      "(constant, collinear, or a level no row has)",
	      "singular design message names the term");
}

int main(void)
{
	wb_err_gsl_init();
	if (load() == 0) {
		test_sklearn();
		test_lasso_logistic_kkt();
		test_cv();
		test_ridge_scale();
	}
	test_xgb();
	test_folds();
	test_errors();
	free(X4);
	free(Y);
	free(D);
	return done();
}
