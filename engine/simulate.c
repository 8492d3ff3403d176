/* simulate.c — data generators with known ground truth. See simulate.h. */
#include "simulate.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 100000000 /* rows, and cells of a lineardag frame */
#define MAX_NODES 200

static const wb_scenario_info scenarios[] = {
    {"musicapp", "music-app personalisation (seed 001): true effect 1.0, confounded by "
		 "engagement, with an instrument"},
    {"lineardag", "random linear-Gaussian DAG over X1..Xp with the true graph attached"},
    {"incentives", "incentive recommender (seed 003): three confounded incentives for software "
		   "customers, heterogeneous true effects on revenue"},
    {NULL, NULL},
};

const wb_scenario_info *wb_simulate_scenarios(void)
{
	return scenarios;
}

/* "scenario" and "seed" attributes, set on every generated frame. */
static int set_origin(wb_frame *f, const char *scenario, const wb_rng *rng)
{
	char seed[32];
	snprintf(seed, sizeof seed, "%" PRIu64, wb_rng_seed(rng));
	if (wb_frame_set_attr(f, "scenario", scenario) < 0 ||
	    wb_frame_set_attr(f, "seed", seed) < 0)
		return WB_ENOMEM;
	return 0;
}

/* Hands a finished frame (and its truth, when asked for) to the caller; *f becomes NULL. */
static int deliver(wb_frame **f, wb_result *r, wb_frame **data, wb_result **truth)
{
	*data = *f;
	*f = NULL;
	if (truth)
		*truth = r;
	return 0;
}

/* The end of a generator, from its fail: label: frees f (NULL once delivered) and, when rc is
 * WB_ENOMEM, says "SCENARIO: out of memory" in err. Returns rc. */
static int finish(int rc, const char *scenario, wb_frame *f, wb_err *err)
{
	if (rc == WB_ENOMEM)
		wb_err_set(err, WB_ENOMEM, "%s: out of memory", scenario);
	wb_frame_free(f);
	return rc;
}

static int check_rows(const char *scenario, size_t n, wb_err *err)
{
	if (n < 2)
		return wb_err_set(err, WB_EINVAL, "%s: n must be at least 2 (got %zu)", scenario,
				  n);
	if (n > MAX_ROWS)
		return wb_err_set(err, WB_EINVAL, "%s: n must be at most %d (got %zu)", scenario,
				  MAX_ROWS, n);
	return 0;
}

/* The row count of a scenario that has no p or degree into *n (par->n, default 10000), refusing
 * p, degree, and n outside [2, MAX_ROWS]. */
static int fixed_rows(const char *scenario, const wb_sim_params *par, size_t *n, wb_err *err)
{
	if (par->p || par->degree != 0)
		return wb_err_set(err, WB_EINVAL, "%s: p and degree apply to lineardag only",
				  scenario);
	*n = par->n ? par->n : 10000;
	return check_rows(scenario, *n, err);
}

/* A new truth table titled title with the three columns cols, or NULL (out of memory). */
static wb_result *truth_new(const char *title, const char *const cols[3])
{
	wb_result *r = wb_result_new(title);
	for (int j = 0; r && j < 3; j++)
		if (wb_result_add_column(r, cols[j]) < 0) {
			wb_result_free(r);
			r = NULL;
		}
	return r;
}

/* A filled truth table: r when rc is 0 (every row and note went in); else frees r and returns
 * NULL. */
static wb_result *truth_done(wb_result *r, int rc)
{
	if (rc) {
		wb_result_free(r);
		return NULL;
	}
	return r;
}

static const char *const quantity_cols[3] = {"quantity", "value", "how"};

/* ---- musicapp ----
 *
 * The music-app study of seed 001 (a DoWhy tutorial: naive slope 1.1475, backdoor estimate
 * 0.9996, IV estimate 0.9778). Per user, in this draw order:
 *   u  ~ N(0, 1)                 UserEngagementLevel E = 5 + 2u
 *   C  ~ {Music .5, Podcasts .3, Audiobooks .2}          PreferredContentType
 *   Z  ~ Bernoulli(.5)                                   NewFeatureExposure
 *   T  = 1[-0.75 + 1.5 Z + 0.5 u + v > 0], v ~ N(0, 1)   PersonalizedRecommendation (probit)
 *   Y  = 3 + 1.0 T + 0.13 E + d(C) + e, e ~ N(0, 1)      HoursOfContentConsumed
 * with d(Music) = 0, d(Podcasts) = 0.5, d(Audiobooks) = 1. E confounds T and Y; C affects Y
 * only; Z affects T only (an instrument). The effect of T is exactly 1.0 for every user.
 *
 * Expected naive slope (OLS of Y on T alone) = cov(Y, T) / var(T) = 1 + b cov(u, T) / var(T),
 * b = 0.13 * 2 = 0.26 per sd of u. With W = 0.5u + v ~ N(0, s^2), s^2 = 1.25, and a_z the
 * probit intercept given Z = z: E[u | W] = 0.5 W / s^2, so
 *   E[u T | Z = z] = (0.5 / s^2) E[W 1{W > -a_z}] = (0.5 / s) phi(a_z / s),
 *   P(T = 1 | Z = z) = Phi(a_z / s),
 * and averaging over Z: p = P(T = 1) = 0.5, cov(u, T) = 0.5 (0.5/s) (phi(-.75/s) +
 * phi(.75/s)) = 0.142466, so the slope is 1 + 0.26 * 0.142466 / 0.25 = 1.148164
 * (the seed measured 1.1475). musicapp_truth computes the same from these constants.
 * Checked by simulation: six runs at n = 10^7 (seeds 1-5, 12345) gave naive slopes averaging
 * 1.1477 (standard error of that mean about 0.0003) and Wald IV estimates averaging 0.9990.
 * Instrument: P(T | Z=1) - P(T | Z=0) = 2 Phi(.75/s) - 1 = 0.4977, corr(T, Z)^2 = 0.2477, so
 * the first-stage F is about 3290 at n = 10,000. */

#define MA_ALPHA (-0.75) /* probit intercept of T */
#define MA_PI 1.5	 /* instrument in the probit of T */
#define MA_GAMMA 0.5	 /* engagement (per sd) in the probit of T */
#define MA_EFFECT 1.0	 /* true effect of T on Y */
#define MA_BETA 0.13	 /* engagement (per level point) on Y */
#define MA_ELEVEL 5.0	 /* engagement level = 5 + 2u */
#define MA_ESD 2.0
#define MA_NTYPES 3

static const char *const ma_types[MA_NTYPES] = {"Music", "Podcasts", "Audiobooks"};
static const double ma_type_p[MA_NTYPES] = {0.5, 0.3, 0.2};
static const double ma_type_effect[MA_NTYPES] = {0.0, 0.5, 1.0};

typedef struct ma_expect {
	double naive, p1, p0, covut, first_stage_f;
} ma_expect;

static ma_expect musicapp_expect(size_t n)
{
	ma_expect x;
	double s = sqrt(1 + MA_GAMMA * MA_GAMMA);
	double a0 = MA_ALPHA / s, a1 = (MA_ALPHA + MA_PI) / s;
	x.p0 = gsl_cdf_ugaussian_P(a0);
	x.p1 = gsl_cdf_ugaussian_P(a1);
	double p = 0.5 * (x.p0 + x.p1);
	x.covut = 0.5 * (MA_GAMMA / s) * (gsl_ran_ugaussian_pdf(a0) + gsl_ran_ugaussian_pdf(a1));
	x.naive = MA_EFFECT + MA_BETA * MA_ESD * x.covut / (p * (1 - p));
	double covtz = 0.25 * (x.p1 - x.p0), rho2 = covtz * covtz / (p * (1 - p) * 0.25);
	x.first_stage_f = (double)(n - 2) * rho2 / (1 - rho2);
	return x;
}

static int add_truth_row(wb_result *r, const char *what, double value, const char *how)
{
	long i = wb_result_add_row(r);
	if (i < 0 || wb_result_set_str(r, (size_t)i, 0, what) < 0 ||
	    wb_result_set_num(r, (size_t)i, 1, value) < 0 ||
	    wb_result_set_str(r, (size_t)i, 2, how) < 0)
		return WB_ENOMEM;
	return 0;
}

static wb_result *musicapp_truth(size_t n, const wb_rng *rng)
{
	ma_expect x = musicapp_expect(n);
	wb_result *r = truth_new("truth: musicapp", quantity_cols);
	if (!r)
		return NULL;
	int rc = 0;
	rc |= add_truth_row(
	    r, "true effect (ATE = ATT = ATC)", MA_EFFECT,
	    "constant: PersonalizedRecommendation adds exactly 1.0 hour for every user");
	rc |= add_truth_row(r, "expected naive slope", x.naive,
			    "OLS of HoursOfContentConsumed on PersonalizedRecommendation alone, in "
			    "expectation (closed form; the seed measured 1.1475)");
	rc |= add_truth_row(r, "expected naive bias", x.naive - MA_EFFECT,
			    "confounding through UserEngagementLevel");
	rc |= add_truth_row(r, "effect of UserEngagementLevel", MA_BETA,
			    "hours per engagement point (confounder: also raises the treatment)");
	rc |= add_truth_row(r, "effect of PreferredContentType=Podcasts", ma_type_effect[1],
			    "hours, against Music (affects the outcome only)");
	rc |= add_truth_row(r, "effect of PreferredContentType=Audiobooks", ma_type_effect[2],
			    "hours, against Music (affects the outcome only)");
	rc |= add_truth_row(r, "first stage P(T=1|Z=1) - P(T=1|Z=0)", x.p1 - x.p0,
			    "NewFeatureExposure (Z) on PersonalizedRecommendation (T)");
	rc |= add_truth_row(r, "expected first-stage F", x.first_stage_f,
			    "n corr(T,Z)^2 / (1 - corr(T,Z)^2) at this n: a strong instrument");
	rc |= add_truth_row(r, "expected IV (Wald) estimate", MA_EFFECT,
			    "cov(Y,Z) / cov(T,Z): Z is independent of the confounder");
	rc |= wb_result_add_note(r, "seed %" PRIu64 ", n = %zu", wb_rng_seed(rng), n) < 0;
	rc |=
	    wb_result_add_note(r, "UserEngagementLevel E = 5 + 2u, u ~ N(0,1); "
				  "PreferredContentType Music/Podcasts/Audiobooks with p .5/.3/.2; "
				  "NewFeatureExposure Z ~ Bernoulli(.5)") < 0;
	rc |= wb_result_add_note(r, "PersonalizedRecommendation T = 1[-0.75 + 1.5 Z + 0.5 u + v > "
				    "0], v ~ N(0,1)") < 0;
	rc |= wb_result_add_note(r, "HoursOfContentConsumed = 3 + 1.0 T + 0.13 E + 0.5 "
				    "[Podcasts] + 1.0 [Audiobooks] + e, e ~ N(0,1)") < 0;
	rc |= wb_result_add_note(r,
				 "expected naive slope = 1 + 0.26 cov(u,T) / var(T), cov(u,T) = "
				 "E_Z[(0.5/s) phi(a_Z/s)] = %.6f, s = sqrt(1.25), a_Z = -0.75 + "
				 "1.5 Z: %.6f",
				 x.covut, x.naive) < 0;
	rc |= wb_result_add_note(r, "backdoor adjustment set: {UserEngagementLevel} "
				    "(PreferredContentType optional, adds precision); instrument: "
				    "NewFeatureExposure") < 0;
	return truth_done(r, rc);
}

static int gen_musicapp(const wb_sim_params *par, wb_rng *rng, wb_frame **data, wb_result **truth,
			wb_err *err)
{
	size_t n = 0;
	int rc = fixed_rows("musicapp", par, &n, err);
	if (rc < 0)
		return rc;
	double *t = malloc(n * sizeof *t), *y = malloc(n * sizeof *y), *e = malloc(n * sizeof *e);
	double *c = malloc(n * sizeof *c), *z = malloc(n * sizeof *z);
	wb_frame *f = wb_frame_new(n);
	wb_result *r = NULL;
	rc = WB_ENOMEM;
	if (!t || !y || !e || !c || !z || !f)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		double u = wb_rng_normal(rng, 0, 1);
		double pick = wb_rng_uniform(rng);
		size_t k = 0;
		while (k + 1 < MA_NTYPES && pick >= ma_type_p[k])
			pick -= ma_type_p[k++];
		z[i] = wb_rng_bernoulli(rng, 0.5);
		double v = wb_rng_normal(rng, 0, 1);
		t[i] = MA_ALPHA + MA_PI * z[i] + MA_GAMMA * u + v > 0;
		e[i] = MA_ELEVEL + MA_ESD * u;
		c[i] = (double)k;
		y[i] = 3 + MA_EFFECT * t[i] + MA_BETA * e[i] + ma_type_effect[k] +
		       wb_rng_normal(rng, 0, 1);
	}
	if (wb_frame_set_column(f, "PersonalizedRecommendation", WB_COL_BINARY, t, err) < 0 ||
	    wb_frame_set_column(f, "HoursOfContentConsumed", WB_COL_NUMERIC, y, err) < 0 ||
	    wb_frame_set_column(f, "UserEngagementLevel", WB_COL_NUMERIC, e, err) < 0 ||
	    wb_frame_set_categorical(f, "PreferredContentType", c, ma_types, MA_NTYPES, err) < 0 ||
	    wb_frame_set_column(f, "NewFeatureExposure", WB_COL_BINARY, z, err) < 0)
		goto fail;
	if (set_origin(f, "musicapp", rng) < 0 ||
	    wb_frame_set_attr(f, "truth",
			      "NewFeatureExposure -> PersonalizedRecommendation; "
			      "PersonalizedRecommendation -> HoursOfContentConsumed; "
			      "PreferredContentType -> HoursOfContentConsumed; "
			      "UserEngagementLevel -> HoursOfContentConsumed; "
			      "UserEngagementLevel -> PersonalizedRecommendation") < 0)
		goto fail;
	if (truth && !(r = musicapp_truth(n, rng)))
		goto fail;
	rc = deliver(&f, r, data, truth);
fail:
	rc = finish(rc, "musicapp", f, err);
	free(t);
	free(y);
	free(e);
	free(c);
	free(z);
	return rc;
}

/* ---- lineardag ----
 *
 * Structure: a uniformly random topological order of X1..Xp (Fisher–Yates); each pair in that
 * order gets an edge, earlier -> later, with probability q = degree / (p - 1), so a node has
 * `degree` neighbours and the graph p * degree / 2 edges in expectation (an Erdős–Rényi DAG,
 * as in Kalisch & Bühlmann 2007 and pcalg's randomDAG). Weights: a random sign times
 * U(0.5, 1.5). Data: in topological order, Xj = sum of w * parent + N(0, 1) (noise sd 1 for
 * every node). Draw order: the order, then for each pair the edge and its weight, then the
 * data node by node. */

typedef struct dag_edge {
	size_t from, to; /* 0-based node numbers */
	double w;
} dag_edge;

static int edge_cmp(const void *a, const void *b)
{
	const dag_edge *x = a, *y = b;
	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return x->to < y->to ? -1 : x->to > y->to;
}

/* "X1 -> X3; X2 -> X3" into a new string. */
static char *dag_truth_text(const dag_edge *ed, size_t ne)
{
	size_t cap = ne * 24 + 1, used = 0;
	char *s = malloc(cap);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (size_t k = 0; k < ne; k++)
		used += (size_t)snprintf(s + used, cap - used, "%sX%zu -> X%zu", k ? "; " : "",
					 ed[k].from + 1, ed[k].to + 1);
	return s;
}

static wb_result *dag_truth(const dag_edge *ed, size_t ne, const size_t *order, size_t p, size_t n,
			    double q, const wb_rng *rng)
{
	static const char *const cols[3] = {"from", "to", "weight"};
	wb_result *r = truth_new("truth: lineardag", cols);
	if (!r)
		return NULL;
	int rc = 0;
	for (size_t k = 0; k < ne && !rc; k++) {
		char a[16], b[16];
		snprintf(a, sizeof a, "X%zu", ed[k].from + 1);
		snprintf(b, sizeof b, "X%zu", ed[k].to + 1);
		long i = wb_result_add_row(r);
		rc |= i < 0;
		if (!rc) {
			rc |= wb_result_set_str(r, (size_t)i, 0, a) < 0;
			rc |= wb_result_set_str(r, (size_t)i, 1, b) < 0;
			rc |= wb_result_set_num(r, (size_t)i, 2, ed[k].w) < 0;
		}
	}
	rc |= wb_result_add_note(r, "seed %" PRIu64 ", n = %zu, p = %zu nodes, %zu edges",
				 wb_rng_seed(rng), n, p, ne) < 0;
	rc |= wb_result_add_note(r,
				 "edge probability %.6g per pair, earlier -> later in a random "
				 "topological order; weights +-U(0.5, 1.5); noise N(0, 1)",
				 q) < 0;
	char *ord = malloc(p * 8 + 1);
	if (ord) {
		size_t used = 0;
		for (size_t k = 0; k < p; k++)
			used += (size_t)snprintf(ord + used, p * 8 + 1 - used, "%sX%zu",
						 k ? ", " : "", order[k] + 1);
		rc |= wb_result_add_note(r, "topological order: %s", ord) < 0;
		free(ord);
	} else {
		rc = 1;
	}
	return truth_done(r, rc);
}

static int gen_lineardag(const wb_sim_params *par, wb_rng *rng, wb_frame **data, wb_result **truth,
			 wb_err *err)
{
	size_t n = par->n ? par->n : 1000;
	size_t p = par->p ? par->p : 10;
	int rc = check_rows("lineardag", n, err);
	if (rc < 0)
		return rc;
	if (p < 2 || p > MAX_NODES)
		return wb_err_set(err, WB_EINVAL, "lineardag: p must be between 2 and %d (got %zu)",
				  MAX_NODES, p);
	double degree = par->degree != 0 ? par->degree : (p - 1 < 2 ? (double)(p - 1) : 2.0);
	if (!(degree >= 0 && degree <= (double)(p - 1)))
		return wb_err_set(err, WB_EINVAL,
				  "lineardag: degree must be between 0 and p - 1 = %zu (got %g)",
				  p - 1, par->degree);
	if (n > MAX_ROWS / p)
		return wb_err_set(err, WB_EINVAL,
				  "lineardag: n * p must be at most %d (got %zu * %zu)", MAX_ROWS,
				  n, p);
	double q = degree / (double)(p - 1);
	size_t maxe = p * (p - 1) / 2;
	size_t *order = malloc(p * sizeof *order);
	dag_edge *ed = malloc(maxe * sizeof *ed);
	double *x = malloc(n * p * sizeof *x);
	wb_frame *f = wb_frame_new(n);
	wb_result *r = NULL;
	char *text = NULL;
	size_t ne = 0;
	rc = WB_ENOMEM;
	if (!order || !ed || !x || !f)
		goto fail;
	for (size_t k = 0; k < p; k++)
		order[k] = k;
	wb_rng_shuffle(rng, order, p);
	for (size_t a = 0; a < p; a++)
		for (size_t b = a + 1; b < p; b++)
			if (wb_rng_uniform(rng) < q) {
				double sign = wb_rng_uniform(rng) < 0.5 ? -1 : 1;
				ed[ne].from = order[a];
				ed[ne].to = order[b];
				ed[ne].w = sign * (0.5 + wb_rng_uniform(rng));
				ne++;
			}
	/* Edges were drawn by position of the source in the order, so each node's parents
	 * are complete before it is generated. */
	for (size_t a = 0; a < p; a++) {
		size_t j = order[a];
		double *xj = x + j * n;
		for (size_t i = 0; i < n; i++)
			xj[i] = wb_rng_normal(rng, 0, 1);
		for (size_t k = 0; k < ne; k++) {
			if (ed[k].to != j)
				continue;
			const double *xp = x + ed[k].from * n;
			for (size_t i = 0; i < n; i++)
				xj[i] += ed[k].w * xp[i];
		}
	}
	for (size_t j = 0; j < p; j++) {
		char name[16];
		snprintf(name, sizeof name, "X%zu", j + 1);
		if (wb_frame_set_column(f, name, WB_COL_NUMERIC, x + j * n, err) < 0)
			goto fail;
	}
	qsort(ed, ne, sizeof *ed, edge_cmp);
	text = dag_truth_text(ed, ne);
	if (!text || set_origin(f, "lineardag", rng) < 0 || wb_frame_set_attr(f, "truth", text) < 0)
		goto fail;
	if (truth && !(r = dag_truth(ed, ne, order, p, n, q, rng)))
		goto fail;
	rc = deliver(&f, r, data, truth);
fail:
	rc = finish(rc, "lineardag", f, err);
	free(text);
	free(order);
	free(ed);
	free(x);
	return rc;
}

/* ---- incentives ----
 *
 * The incentive recommender of seed 003, after EconML's multi-investment attribution case study
 * (a software company's Tech Support, Discount and New Strategy incentives, allocated for a
 * year without a policy), with constants of our own. Per customer, in this draw order:
 *   Size           = 100000 exp(N(0, 0.6))        last year's revenue, $
 *   GlobalFlag ~ B(.25), MajorFlag ~ B(.2), SMCFlag ~ B(.5), CommercialFlag ~ B(.7)
 *   EmployeeCount  = max(1, round(Size / 500 exp(N(0, 0.3))))
 *   PCCount        = max(1, round(EmployeeCount U(0.4, 1.2)))
 *   ITSpend        = 0.15 Size exp(N(0, 0.25))
 *   PlanningSummit ~ B(σ(−1 + 1.2 Major + 0.6 Global))
 *   TechSupport    ~ B(σ(−0.5 + Major + 0.8 Summit + 0.5 ln(PCCount / 150)))
 *   Discount       ~ B(σ(−0.5 + SMC − 0.6 ln(Size / 100000) + 0.5 Summit))
 *   NewStrategy    ~ B(σ(−0.3 + 0.8 Global + 0.4 Major))
 *   Revenue = 5000 + 0.1 Size + 0.2 ITSpend + 4000 Major + 3000 Summit + 2000 Commercial
 *             + 1500 Global + τ_TS TechSupport + τ_D Discount + N(0, 4000²)
 * with true effects τ_TS = 5000 + 0.02 Size, τ_D = 3000 − 0.01 Size + 4000 SMC and
 * τ_NS = 0 (σ the logistic function). MajorFlag and PlanningSummit raise both tech support and
 * revenue (a naive contrast overstates it); discounts go to small and SMC customers (a naive
 * contrast understates it); the new strategy goes to global and major customers and looks
 * profitable though it does nothing. Costs for a recommender: tech support $100 per PC, a
 * discount $7,000. */

static double logistic(double t)
{
	return 1 / (1 + exp(-t));
}

static wb_result *incentives_truth(const double *tts, const double *td, size_t n, const wb_rng *rng)
{
	double mts = 0, md = 0;
	for (size_t i = 0; i < n; i++) {
		mts += tts[i];
		md += td[i];
	}
	wb_result *r = truth_new("truth: incentives", quantity_cols);
	if (!r)
		return NULL;
	int rc = 0;
	rc |= add_truth_row(r, "ATE of TechSupport (this sample)", mts / (double)n,
			    "mean of 5000 + 0.02 Size over the rows") < 0;
	rc |= add_truth_row(r, "TechSupport effect: intercept", 5000, "$ at Size 0") < 0;
	rc |= add_truth_row(r, "TechSupport effect: per $ of Size", 0.02, "slope on Size") < 0;
	rc |= add_truth_row(r, "ATE of Discount (this sample)", md / (double)n,
			    "mean of 3000 - 0.01 Size + 4000 SMCFlag over the rows") < 0;
	rc |= add_truth_row(r, "Discount effect: intercept", 3000, "$ at Size 0, SMCFlag 0") < 0;
	rc |= add_truth_row(r, "Discount effect: per $ of Size", -0.01, "slope on Size") < 0;
	rc |= add_truth_row(r, "Discount effect: SMCFlag", 4000, "extra $ for an SMC") < 0;
	rc |= add_truth_row(r, "ATE of NewStrategy", 0, "no effect for anyone") < 0;
	rc |= add_truth_row(r, "cost of TechSupport per PC", 100, "$ (a recommender's cost)") < 0;
	rc |= add_truth_row(r, "cost of Discount", 7000, "$ per customer") < 0;
	rc |= wb_result_add_note(r, "seed %" PRIu64 ", n = %zu", wb_rng_seed(rng), n) < 0;
	rc |= wb_result_add_note(r, "confounders: MajorFlag, PlanningSummit (TechSupport); "
				    "SMCFlag, Size, PlanningSummit (Discount); GlobalFlag, "
				    "MajorFlag (NewStrategy)") < 0;
	rc |= wb_result_add_note(r, "the equations are in engine/simulate.c (incentives)") < 0;
	return truth_done(r, rc);
}

enum {
	IN_GLOBAL,
	IN_MAJOR,
	IN_SMC,
	IN_COMMERCIAL,
	IN_SUMMIT,
	IN_ITSPEND,
	IN_EMPLOYEES,
	IN_PCS,
	IN_SIZE,
	IN_TS,
	IN_DISCOUNT,
	IN_NEWSTRAT,
	IN_REVENUE,
	IN_NCOLS
};

static const char *const in_names[IN_NCOLS] = {
    "GlobalFlag", "MajorFlag",	   "SMCFlag", "CommercialFlag", "PlanningSummit",
    "ITSpend",	  "EmployeeCount", "PCCount", "Size",		"TechSupport",
    "Discount",	  "NewStrategy",   "Revenue"};

static int gen_incentives(const wb_sim_params *par, wb_rng *rng, wb_frame **data, wb_result **truth,
			  wb_err *err)
{
	size_t n = 0;
	int rc = fixed_rows("incentives", par, &n, err);
	if (rc < 0)
		return rc;
	double *col[IN_NCOLS] = {0};
	double *tts = malloc(n * sizeof *tts), *td = malloc(n * sizeof *td);
	wb_frame *f = wb_frame_new(n);
	wb_result *r = NULL;
	rc = WB_ENOMEM;
	int okc = tts && td && f;
	for (int j = 0; j < IN_NCOLS; j++)
		okc &= (col[j] = malloc(n * sizeof *col[j])) != NULL;
	if (!okc)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		double size = 100000 * exp(wb_rng_normal(rng, 0, 0.6));
		double global = wb_rng_bernoulli(rng, 0.25), major = wb_rng_bernoulli(rng, 0.2);
		double smc = wb_rng_bernoulli(rng, 0.5), comm = wb_rng_bernoulli(rng, 0.7);
		double emp = round(size / 500 * exp(wb_rng_normal(rng, 0, 0.3)));
		emp = emp < 1 ? 1 : emp;
		double pcs = round(emp * (0.4 + 0.8 * wb_rng_uniform(rng)));
		pcs = pcs < 1 ? 1 : pcs;
		double it = 0.15 * size * exp(wb_rng_normal(rng, 0, 0.25));
		double summit = wb_rng_bernoulli(rng, logistic(-1 + 1.2 * major + 0.6 * global));
		double ts = wb_rng_bernoulli(
		    rng, logistic(-0.5 + major + 0.8 * summit + 0.5 * log(pcs / 150)));
		double disc = wb_rng_bernoulli(
		    rng, logistic(-0.5 + smc - 0.6 * log(size / 100000) + 0.5 * summit));
		double ns = wb_rng_bernoulli(rng, logistic(-0.3 + 0.8 * global + 0.4 * major));
		tts[i] = 5000 + 0.02 * size;
		td[i] = 3000 - 0.01 * size + 4000 * smc;
		double rev = 5000 + 0.1 * size + 0.2 * it + 4000 * major + 3000 * summit +
			     2000 * comm + 1500 * global + tts[i] * ts + td[i] * disc +
			     wb_rng_normal(rng, 0, 4000);
		const double v[IN_NCOLS] = {global, major, smc, comm, summit, it, emp,
					    pcs,    size,  ts,	disc, ns,     rev};
		for (int j = 0; j < IN_NCOLS; j++)
			col[j][i] = v[j];
	}
	for (int j = 0; j < IN_NCOLS; j++) {
		int binary = j <= IN_SUMMIT || (j >= IN_TS && j <= IN_NEWSTRAT);
		if (wb_frame_set_column(f, in_names[j], binary ? WB_COL_BINARY : WB_COL_NUMERIC,
					col[j], err) < 0)
			goto fail;
	}
	if (set_origin(f, "incentives", rng) < 0 ||
	    wb_frame_set_attr(
		f, "truth",
		"MajorFlag -> PlanningSummit; GlobalFlag -> PlanningSummit; "
		"MajorFlag -> TechSupport; PlanningSummit -> TechSupport; "
		"PCCount -> TechSupport; SMCFlag -> Discount; Size -> Discount; "
		"PlanningSummit -> Discount; GlobalFlag -> NewStrategy; "
		"MajorFlag -> NewStrategy; Size -> EmployeeCount; "
		"EmployeeCount -> PCCount; Size -> ITSpend; Size -> Revenue; "
		"ITSpend -> Revenue; MajorFlag -> Revenue; PlanningSummit -> Revenue; "
		"CommercialFlag -> Revenue; GlobalFlag -> Revenue; "
		"TechSupport -> Revenue; Discount -> Revenue; SMCFlag -> Revenue") < 0)
		goto fail;
	if (truth && !(r = incentives_truth(tts, td, n, rng)))
		goto fail;
	rc = deliver(&f, r, data, truth);
fail:
	rc = finish(rc, "incentives", f, err);
	for (int j = 0; j < IN_NCOLS; j++)
		free(col[j]);
	free(tts);
	free(td);
	return rc;
}

int wb_simulate(const char *scenario, const wb_sim_params *params, wb_rng *rng, wb_frame **data,
		wb_result **truth, wb_err *err)
{
	*data = NULL;
	if (truth)
		*truth = NULL;
	wb_sim_params none = {0, 0, 0};
	const wb_sim_params *par = params ? params : &none;
	if (!scenario || !rng)
		return wb_err_set(err, WB_EINVAL, "simulate: no scenario or no random stream");
	if (!strcmp(scenario, "musicapp"))
		return gen_musicapp(par, rng, data, truth, err);
	if (!strcmp(scenario, "lineardag"))
		return gen_lineardag(par, rng, data, truth, err);
	if (!strcmp(scenario, "incentives"))
		return gen_incentives(par, rng, data, truth, err);
	char list[200];
	size_t used = 0;
	for (const wb_scenario_info *s = scenarios; s->name; s++)
		used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
					 s == scenarios ? "" : ", ", s->name);
	return wb_err_set(err, WB_ENOTFOUND, "unknown scenario '%s' (scenarios: %s)", scenario,
			  list);
}
