/* Unit tests for engine/simulate: determinism, shapes, and that the planted truth is what the
 * data carry (regressions with GSL's gsl_multifit_linear). */
#include "../../engine/err.h"
#include "../../engine/frame.h"
#include "../../engine/result.h"
#include "../../engine/rng.h"
#include "../../engine/simulate.h"
#include "../tap.h"

#include <gsl/gsl_multifit.h>
#include <math.h>
#include <stdlib.h>

static wb_frame *gen(const char *scenario, size_t n, size_t p, double degree, uint64_t seed,
		     wb_result **truth)
{
	wb_rng *rng = wb_rng_new(seed);
	wb_sim_params par = {n, p, degree};
	wb_frame *f = NULL;
	wb_err err;
	if (wb_simulate(scenario, &par, rng, &f, truth, &err) != 0)
		printf("# %s\n", err.msg);
	wb_rng_free(rng);
	return f;
}

static const double *col(const wb_frame *f, const char *name)
{
	long j = wb_frame_col_index(f, name);
	return j < 0 ? NULL : wb_frame_col(f, (size_t)j);
}

/* OLS of y on an intercept and k regressors x[0..k-1] (n rows); coefficients into b[0..k]
 * (b[0] the intercept); returns the residual variance (chisq / (n - k - 1)). */
static double ols(const double *y, const double *const *x, size_t k, size_t n, double *b)
{
	gsl_matrix *X = gsl_matrix_alloc(n, k + 1);
	gsl_vector *Y = gsl_vector_alloc(n), *c = gsl_vector_alloc(k + 1);
	gsl_matrix *cov = gsl_matrix_alloc(k + 1, k + 1);
	gsl_multifit_linear_workspace *w = gsl_multifit_linear_alloc(n, k + 1);
	for (size_t i = 0; i < n; i++) {
		gsl_matrix_set(X, i, 0, 1.0);
		for (size_t j = 0; j < k; j++)
			gsl_matrix_set(X, i, j + 1, x[j][i]);
		gsl_vector_set(Y, i, y[i]);
	}
	double chisq = NAN;
	gsl_multifit_linear(X, Y, c, cov, &chisq, w);
	for (size_t j = 0; j <= k; j++)
		b[j] = gsl_vector_get(c, j);
	gsl_multifit_linear_free(w);
	gsl_matrix_free(X);
	gsl_matrix_free(cov);
	gsl_vector_free(Y);
	gsl_vector_free(c);
	return chisq / (double)(n - k - 1);
}

static double cov(const double *a, const double *b, size_t n)
{
	double ma = 0, mb = 0, s = 0;
	for (size_t i = 0; i < n; i++)
		ma += a[i], mb += b[i];
	ma /= (double)n;
	mb /= (double)n;
	for (size_t i = 0; i < n; i++)
		s += (a[i] - ma) * (b[i] - mb);
	return s / (double)(n - 1);
}

/* Value of the truth row whose quantity is `what`, or NaN. */
static double truth_value(const wb_result *r, const char *what)
{
	for (size_t i = 0; i < wb_result_nrows(r); i++) {
		const wb_cell *c = wb_result_cell(r, i, 0);
		if (c && c->kind == WB_CELL_STR && !strcmp(c->str, what))
			return wb_result_cell(r, i, 1)->num;
	}
	return NAN;
}

static int same_frames(const wb_frame *a, const wb_frame *b)
{
	if (!a || !b || wb_frame_nrows(a) != wb_frame_nrows(b) ||
	    wb_frame_ncols(a) != wb_frame_ncols(b))
		return 0;
	for (size_t j = 0; j < wb_frame_ncols(a); j++) {
		if (strcmp(wb_frame_colname(a, j), wb_frame_colname(b, j)) ||
		    wb_frame_col_kind(a, j) != wb_frame_col_kind(b, j) ||
		    memcmp(wb_frame_col(a, j), wb_frame_col(b, j),
			   wb_frame_nrows(a) * sizeof(double)))
			return 0;
	}
	const char *ta = wb_frame_attr(a, "truth"), *tb = wb_frame_attr(b, "truth");
	return ta && tb && !strcmp(ta, tb);
}

static void test_scenarios(void)
{
	const wb_scenario_info *s = wb_simulate_scenarios();
	streq(s[0].name, "musicapp", "first scenario");
	streq(s[1].name, "lineardag", "second scenario");
	streq(s[2].name, "incentives", "third scenario");
	ok(s[3].name == NULL && s[0].summary && s[1].summary && s[2].summary,
	   "list ends with NULL; summaries set");
}

static void test_determinism(void)
{
	const char *names[] = {"musicapp", "lineardag"};
	for (int k = 0; k < 2; k++) {
		wb_frame *a = gen(names[k], 500, 0, 0, 7, NULL),
			 *b = gen(names[k], 500, 0, 0, 7, NULL);
		wb_frame *c = gen(names[k], 500, 0, 0, 8, NULL);
		ok(same_frames(a, b), "%s: same seed, identical frames", names[k]);
		ok(a && c && !same_frames(a, c), "%s: another seed, different frames", names[k]);
		streq(a ? wb_frame_attr(a, "seed") : NULL, "7", "%s: seed attribute", names[k]);
		streq(c ? wb_frame_attr(c, "seed") : NULL, "8", "%s: seed attribute of the other",
		      names[k]);
		streq(a ? wb_frame_attr(a, "scenario") : NULL, names[k], "%s: scenario attribute",
		      names[k]);
		wb_frame_free(a);
		wb_frame_free(b);
		wb_frame_free(c);
	}
}

static void test_musicapp_shape(void)
{
	wb_result *truth = NULL;
	wb_frame *f = gen("musicapp", 0, 0, 0, 1, &truth);
	ok(f && wb_frame_nrows(f) == 10000 && wb_frame_ncols(f) == 5,
	   "musicapp: 10000 x 5 default");
	const char *names[] = {"PersonalizedRecommendation", "HoursOfContentConsumed",
			       "UserEngagementLevel", "PreferredContentType", "NewFeatureExposure"};
	wb_col_kind kinds[] = {WB_COL_BINARY, WB_COL_NUMERIC, WB_COL_NUMERIC, WB_COL_CATEGORICAL,
			       WB_COL_BINARY};
	for (size_t j = 0; f && j < 5; j++)
		ok(!strcmp(wb_frame_colname(f, j), names[j]) && wb_frame_col_kind(f, j) == kinds[j],
		   "musicapp column %zu is %s (%s)", j + 1, names[j], wb_col_kind_name(kinds[j]));
	if (f) {
		ok(wb_frame_nlevels(f, 3) == 3 && !strcmp(wb_frame_level(f, 3, 0), "Music") &&
		       !strcmp(wb_frame_level(f, 3, 1), "Podcasts") &&
		       !strcmp(wb_frame_level(f, 3, 2), "Audiobooks"),
		   "content types Music, Podcasts, Audiobooks");
		streq(wb_frame_attr(f, "truth"),
		      "NewFeatureExposure -> PersonalizedRecommendation; "
		      "PersonalizedRecommendation -> "
		      "HoursOfContentConsumed; PreferredContentType -> HoursOfContentConsumed; "
		      "UserEngagementLevel -> HoursOfContentConsumed; UserEngagementLevel -> "
		      "PersonalizedRecommendation",
		      "musicapp truth graph");
		/* Content-type shares .5/.3/.2 within 3 sd at n = 10,000. */
		const double *c = col(f, "PreferredContentType");
		double share[3] = {0};
		for (size_t i = 0; i < 10000; i++)
			share[(int)c[i]] += 1e-4;
		near(share[0], 0.5, 0.015, "share of Music");
		near(share[2], 0.2, 0.012, "share of Audiobooks");
		/* A strong instrument: first-stage F in the thousands at n = 10,000. */
		const double *t = col(f, "PersonalizedRecommendation"),
			     *z = col(f, "NewFeatureExposure");
		double ctz = cov(t, z, 10000),
		       r2 = ctz * ctz / (cov(t, t, 10000) * cov(z, z, 10000));
		double F = 9998 * r2 / (1 - r2),
		       want = truth_value(truth, "expected first-stage F");
		ok(F > 2000, "first-stage F %.0f is in the thousands", F);
		near(F, want, 0.15 * want, "first-stage F near its expectation");
	}
	ok(truth && !strcmp(wb_result_title(truth), "truth: musicapp") &&
	       wb_result_ncols(truth) == 3 && wb_result_nnotes(truth) >= 4,
	   "musicapp truth result shape");
	near(truth_value(truth, "true effect (ATE = ATT = ATC)"), 1.0, 0, "true effect is 1.0");
	/* The closed form of the comment in simulate.c, checked by hand:
	 * 1 + 0.26 * 0.5 * (0.5/sqrt(1.25)) * 2 phi(0.75/sqrt(1.25)) / 0.25. */
	double s = sqrt(1.25), phi = exp(-0.5 * (0.75 / s) * (0.75 / s)) / sqrt(2 * M_PI);
	near(truth_value(truth, "expected naive slope"), 1 + 0.26 * (0.5 / s) * phi / 0.25, 1e-12,
	     "expected naive slope is the closed form (1.148164)");
	near(truth_value(truth, "expected naive slope"), 1.148164, 5e-7, "1.148164");
	wb_result_free(truth);
	wb_frame_free(f);
}

static void test_musicapp_truth(void)
{
	size_t n = 200000;
	wb_result *truth = NULL;
	wb_frame *f = gen("musicapp", n, 0, 0, 2024, &truth);
	if (!ok(f != NULL, "musicapp at n = 200,000"))
		return;
	const double *t = col(f, "PersonalizedRecommendation"),
		     *y = col(f, "HoursOfContentConsumed");
	const double *e = col(f, "UserEngagementLevel"), *c = col(f, "PreferredContentType");
	const double *z = col(f, "NewFeatureExposure");
	double b[5];
	const double *x1[] = {t};
	ols(y, x1, 1, n, b);
	double want = truth_value(truth, "expected naive slope");
	near(b[1], want, 0.01, "naive slope %.4f within 0.01 of the expected %.4f", b[1], want);

	double *pod = malloc(n * sizeof *pod), *aud = malloc(n * sizeof *aud);
	for (size_t i = 0; i < n; i++) {
		pod[i] = c[i] == 1;
		aud[i] = c[i] == 2;
	}
	const double *x4[] = {t, e, pod, aud};
	double s2 = ols(y, x4, 4, n, b);
	near(b[1], 1.0, 0.02, "adjusted OLS recovers the effect 1.0 (%.4f)", b[1]);
	near(b[2], 0.13, 0.005, "engagement coefficient 0.13 (%.4f)", b[2]);
	near(b[3], 0.5, 0.03, "Podcasts coefficient 0.5 (%.4f)", b[3]);
	near(b[4], 1.0, 0.03, "Audiobooks coefficient 1.0 (%.4f)", b[4]);
	near(s2, 1.0, 0.02, "residual variance 1 (%.4f)", s2);
	double wald = cov(y, z, n) / cov(t, z, n);
	near(wald, 1.0, 0.05, "Wald IV ratio cov(Y,Z)/cov(T,Z) = %.4f", wald);
	/* The instrument is independent of the confounder and of the content type. */
	near(cov(e, z, n), 0, 0.02, "instrument independent of engagement");
	free(pod);
	free(aud);
	wb_result_free(truth);
	wb_frame_free(f);
}

/* Parses "X1 -> X3; X2 -> X3" into an adjacency matrix adj[from * p + to]; returns the number
 * of edges, or -1 if the text is malformed. */
static long parse_truth(const char *s, size_t p, unsigned char *adj)
{
	memset(adj, 0, p * p);
	long ne = 0;
	while (s && *s) {
		unsigned a, b;
		int used = 0;
		if (sscanf(s, "X%u -> X%u%n", &a, &b, &used) != 2 || a < 1 || b < 1 || a > p ||
		    b > p)
			return -1;
		adj[(a - 1) * p + (b - 1)] = 1;
		ne++;
		s += used;
		if (*s == ';')
			s += 2;
	}
	return ne;
}

/* desc[i * p + j] = 1 when j is a descendant of i (Warshall's transitive closure). */
static void closure(const unsigned char *adj, size_t p, unsigned char *desc)
{
	memcpy(desc, adj, p * p);
	for (size_t k = 0; k < p; k++)
		for (size_t i = 0; i < p; i++)
			if (desc[i * p + k])
				for (size_t j = 0; j < p; j++)
					if (desc[k * p + j])
						desc[i * p + j] = 1;
}

static void test_lineardag_shape(void)
{
	wb_result *truth = NULL;
	wb_frame *f = gen("lineardag", 0, 0, 0, 3, &truth);
	ok(f && wb_frame_nrows(f) == 1000 && wb_frame_ncols(f) == 10,
	   "lineardag: 1000 x 10 default");
	int names = 1;
	for (size_t j = 0; f && j < 10; j++) {
		char want[8];
		snprintf(want, sizeof want, "X%zu", j + 1);
		names &= !strcmp(wb_frame_colname(f, j), want) &&
			 wb_frame_col_kind(f, j) == WB_COL_NUMERIC;
	}
	ok(names, "columns X1..X10 in name order, numeric");
	unsigned char adj[100], desc[100];
	long ne = parse_truth(f ? wb_frame_attr(f, "truth") : NULL, 10, adj);
	ok(ne > 0, "truth attribute parses: %s", f ? wb_frame_attr(f, "truth") : "");
	ok(truth && (long)wb_result_nrows(truth) == ne && wb_result_ncols(truth) == 3 &&
	       !strcmp(wb_result_colname(truth, 0), "from") &&
	       !strcmp(wb_result_colname(truth, 2), "weight"),
	   "truth result has one row per edge (from, to, weight)");
	int sorted = 1, match = 1;
	unsigned pa = 0, pb = 0;
	for (size_t i = 0; truth && i < wb_result_nrows(truth); i++) {
		unsigned a, b;
		sscanf(wb_result_cell(truth, i, 0)->str, "X%u", &a);
		sscanf(wb_result_cell(truth, i, 1)->str, "X%u", &b);
		double w = fabs(wb_result_cell(truth, i, 2)->num);
		match &= adj[(a - 1) * 10 + (b - 1)] && w >= 0.5 && w <= 1.5;
		sorted &= a > pa || (a == pa && b > pb);
		pa = a;
		pb = b;
	}
	ok(match, "truth rows are the attribute's edges, |weight| in [0.5, 1.5]");
	ok(sorted, "edges sorted by source, then target");
	closure(adj, 10, desc);
	int acyclic = 1;
	for (size_t i = 0; i < 10; i++)
		acyclic &= !desc[i * 10 + i];
	ok(acyclic, "the graph is acyclic");
	wb_result_free(truth);
	wb_frame_free(f);

	/* Edge probability degree / (p - 1): 200 graphs over 20 nodes with degree 2 average
	 * 20 edges (sd of the mean 0.3). */
	wb_rng *rng = wb_rng_new(99);
	double total = 0;
	for (int g = 0; g < 200; g++) {
		wb_sim_params par = {2, 20, 2};
		wb_frame *d = NULL;
		wb_err err;
		wb_simulate("lineardag", &par, rng, &d, NULL, &err);
		unsigned char a2[400];
		total += (double)parse_truth(d ? wb_frame_attr(d, "truth") : NULL, 20, a2);
		wb_frame_free(d);
	}
	wb_rng_free(rng);
	near(total / 200, 20, 1.2, "mean number of edges is p * degree / 2 = 20 (%.2f)",
	     total / 200);

	wb_frame *two = gen("lineardag", 10, 2, 0, 5, NULL);
	const char *t2 = two ? wb_frame_attr(two, "truth") : "";
	ok(!strcmp(t2, "X1 -> X2") || !strcmp(t2, "X2 -> X1"),
	   "p = 2: default degree 1 joins the two nodes (%s)", t2);
	wb_frame_free(two);
}

static void test_lineardag_truth(void)
{
	size_t n = 100000, p = 10;
	wb_result *truth = NULL;
	wb_frame *f = gen("lineardag", n, p, 2, 11, &truth);
	if (!ok(f && truth, "lineardag at n = 100,000"))
		return;
	unsigned char adj[100], desc[100];
	long ne = parse_truth(wb_frame_attr(f, "truth"), p, adj);
	closure(adj, p, desc);
	ok(ne >= 5, "%ld edges", ne);
	int weights_ok = 1, resid_ok = 1, ci_ok = 1, ci_tested = 0;
	for (size_t j = 0; j < p; j++) {
		const double *x[12];
		size_t par[12], k = 0;
		for (size_t i = 0; i < p && k < 11; i++)
			if (adj[i * p + j]) {
				par[k] = i;
				x[k++] = wb_frame_col(f, i);
			}
		double b[13];
		double s2 = ols(wb_frame_col(f, j), x, k, n, b);
		if (fabs(s2 - 1) > 0.03) {
			resid_ok = 0;
			printf("#   X%zu residual variance %g\n", j + 1, s2);
		}
		for (size_t m = 0; m < k; m++) {
			char from[8], to[8];
			snprintf(from, sizeof from, "X%zu", par[m] + 1);
			snprintf(to, sizeof to, "X%zu", j + 1);
			for (size_t r = 0; r < wb_result_nrows(truth); r++)
				if (!strcmp(wb_result_cell(truth, r, 0)->str, from) &&
				    !strcmp(wb_result_cell(truth, r, 1)->str, to) &&
				    fabs(wb_result_cell(truth, r, 2)->num - b[m + 1]) > 0.05) {
					weights_ok = 0;
					printf("#   %s -> %s: weight %g, estimate %g\n", from, to,
					       wb_result_cell(truth, r, 2)->num, b[m + 1]);
				}
		}
		/* Local Markov property: a non-descendant i that is not a parent adds nothing. */
		for (size_t i = 0; i < p; i++) {
			if (i == j || adj[i * p + j] || desc[j * p + i])
				continue;
			x[k] = wb_frame_col(f, i);
			ols(wb_frame_col(f, j), x, k + 1, n, b);
			ci_tested++;
			if (fabs(b[k + 1]) > 0.02) {
				ci_ok = 0;
				printf("#   X%zu on X%zu given its parents: %g\n", j + 1, i + 1,
				       b[k + 1]);
			}
		}
	}
	ok(weights_ok, "each node regressed on its true parents recovers the weights within 0.05");
	ok(resid_ok, "and leaves noise variance 1 (no parent missing from the truth)");
	ok(ci_ok && ci_tested > 0,
	   "%d non-adjacent non-descendants are conditionally independent given the parents",
	   ci_tested);
	wb_result_free(truth);
	wb_frame_free(f);
}

static void bad(const char *scenario, size_t n, size_t p, double degree, int code, const char *msg)
{
	wb_rng *rng = wb_rng_new(1);
	wb_sim_params par = {n, p, degree};
	wb_frame *f = (wb_frame *)1;
	wb_result *r = (wb_result *)1;
	wb_err err;
	wb_err_clear(&err);
	int rc = wb_simulate(scenario, &par, rng, &f, &r, &err);
	ok(rc == code && f == NULL && r == NULL, "%s n=%zu p=%zu degree=%g fails with %d", scenario,
	   n, p, degree, code);
	streq(err.msg, msg, "message");
	wb_rng_free(rng);
}

static void test_errors(void)
{
	bad("x", 0, 0, 0, WB_ENOTFOUND,
	    "unknown scenario 'x' (scenarios: musicapp, lineardag, incentives)");
	bad("musicapp", 1, 0, 0, WB_EINVAL, "musicapp: n must be at least 2 (got 1)");
	bad("musicapp", 0, 5, 0, WB_EINVAL, "musicapp: p and degree apply to lineardag only");
	bad("lineardag", 1, 0, 0, WB_EINVAL, "lineardag: n must be at least 2 (got 1)");
	bad("lineardag", 0, 201, 0, WB_EINVAL, "lineardag: p must be between 2 and 200 (got 201)");
	bad("lineardag", 0, 1, 0, WB_EINVAL, "lineardag: p must be between 2 and 200 (got 1)");
	bad("lineardag", 0, 0, -1, WB_EINVAL,
	    "lineardag: degree must be between 0 and p - 1 = 9 (got -1)");
	bad("lineardag", 0, 0, 10, WB_EINVAL,
	    "lineardag: degree must be between 0 and p - 1 = 9 (got 10)");
	bad("lineardag", 0, 5, NAN, WB_EINVAL,
	    "lineardag: degree must be between 0 and p - 1 = 4 (got nan)");
	bad("lineardag", 2000000, 100, 0, WB_EINVAL,
	    "lineardag: n * p must be at most 100000000 (got 2000000 * 100)");
	bad("musicapp", 200000000, 0, 0, WB_EINVAL,
	    "musicapp: n must be at most 100000000 (got 200000000)");
}

int main(void)
{
	wb_err_gsl_init();
	test_scenarios();
	test_determinism();
	test_musicapp_shape();
	test_musicapp_truth();
	test_lineardag_shape();
	test_lineardag_truth();
	test_errors();
	return done();
}
