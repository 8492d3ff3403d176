/*
 * estimate_impl.h — what an estimation method (engine/estimate_<method>.c) gets and may use.
 *
 * A method's fit function receives the prepared data (wb_est_data: complete rows only, the
 * covariate design with its intercept in column 0, and the cached cross-products of that
 * design), the caller's spec (target, options, rng, progress) and an estimate to fill with
 * wb_estimate_add_contrast, wb_estimate_note, wb_estimate_set_se_kind, wb_estimate_add_table and,
 * where the method models effects that vary, wb_estimate_set_unit_effects.
 * When d->point_only is set (refuters, bootstrap replicates) it computes the effects only: no
 * standard errors, notes or tables, so a replicate costs as little as possible.
 * d->w, when not NULL, holds frequency weights (0 drops a row): subsets and resamples.
 *
 * To add a method: write engine/estimate_<name>.c defining wb_est_fit_<name> (prototype
 * below), and add one line to the table in estimate.c.
 */
#ifndef WB_ESTIMATE_IMPL_H
#define WB_ESTIMATE_IMPL_H

#include "estimate.h"
#include "glm.h"

typedef enum { WB_TREAT_BINARY = 0, WB_TREAT_CATEGORICAL, WB_TREAT_CONTINUOUS } wb_treat_kind;

struct wb_est_data {
	size_t n;  /* rows */
	double *y; /* outcome */
	double *t; /* treatment: 0/1, a level code 0 .. nlevels-1, or a number */
	wb_treat_kind tkind;
	size_t nlevels; /* categorical: levels and the reference level */
	char **levels;
	size_t ref;
	char *tname, *yname;
	double *x; /* n × p covariates, column 0 the intercept */
	size_t p;
	char **xnames;
	wb_xprod zxy; /* cross-products of [x t y] (p + 2 columns), unweighted; zxy.p is 0
		       * when not computed (split, resampled or changed data) */
	double *z;   /* n × nz instruments */
	size_t nz;
	char **znames;
	double *m; /* n × nm mediators */
	size_t nm;
	char **mnames;
	double *v; /* n × nv effect modifiers (one-hot for categorical ones) */
	size_t nv;
	char **vnames;
	size_t *row;	      /* n: the frame row of each data row (NULL in derived data) */
	double *w;	      /* frequency weights or NULL */
	const char *contrast; /* label when split from a categorical treatment ("T: B vs A") */
	int point_only;
	int threads;
};

/* The methods' fit functions (table in estimate.c). */
int wb_est_fit_naive(const wb_est_data *d, const wb_estimate_spec *s, wb_estimate *e, wb_err *err);
int wb_est_fit_regression(const wb_est_data *d, const wb_estimate_spec *s, wb_estimate *e,
			  wb_err *err);
int wb_est_fit_stratify(const wb_est_data *d, const wb_estimate_spec *s, wb_estimate *e,
			wb_err *err);
int wb_est_fit_match(const wb_est_data *d, const wb_estimate_spec *s, wb_estimate *e, wb_err *err);
int wb_est_fit_ipw(const wb_est_data *d, const wb_estimate_spec *s, wb_estimate *e, wb_err *err);
int wb_est_fit_aipw(const wb_est_data *d, const wb_estimate_spec *s, wb_estimate *e, wb_err *err);
int wb_est_fit_iv(const wb_est_data *d, const wb_estimate_spec *s, wb_estimate *e, wb_err *err);
int wb_est_fit_frontdoor(const wb_est_data *d, const wb_estimate_spec *s, wb_estimate *e,
			 wb_err *err);
/* double ML and the meta-learners (estimate_dml.c, estimate_meta.c; see estimate_ml.h), and
 * the learner options they all read */
#define WB_ML_OPTS \
	"learner learner_y learner_t degree interactions lambda cv_folds n_estimators max_depth " \
	"eta subsample colsample min_child_weight max_bin"
int wb_est_fit_dml(const wb_est_data *d, const wb_estimate_spec *s, wb_estimate *e, wb_err *err);
int wb_est_fit_slearner(const wb_est_data *d, const wb_estimate_spec *s, wb_estimate *e,
			wb_err *err);
int wb_est_fit_tlearner(const wb_est_data *d, const wb_estimate_spec *s, wb_estimate *e,
			wb_err *err);
int wb_est_fit_xlearner(const wb_est_data *d, const wb_estimate_spec *s, wb_estimate *e,
			wb_err *err);

/* ---- helpers for methods ---- */

/* Regression adjustment (estimate_regression.c), shared with naive: OLS of y on the treatment
 * block (t; one dummy per non-reference level; with modifiers, t x (v - mean of v over the
 * target population)) and, when use_x, the covariates. One contrast per treatment column and
 * one slope row per interaction, HC1 standard errors. */
int wb_est_regress(const wb_est_data *d, const wb_estimate_spec *s, wb_estimate *e, int use_x,
		   wb_err *err);

/* Weight of row i (1 without weights). */
static inline double wb_est_w(const wb_est_data *d, size_t i)
{
	return d->w ? d->w[i] : 1.0;
}

/* OLS of y on [lead x]: lead is n × q (the treatment block), x the data's covariates (all of
 * them when use_x, else only the intercept). Reads the cached d->zxy when lead is d->t and y
 * is d->y, else makes one threaded pass for the cross-products; then one threaded pass for
 * the HC1 standard errors of the q lead coefficients unless
 * d->point_only. names: q names of the lead columns (errors). out owns its arrays. */
int wb_est_ols(const wb_est_data *d, const double *lead, size_t q, const char *const *names,
	       const double *y, int use_x, wb_ols *out, wb_err *err);

/* Propensity scores P(T = 1 | x) by logistic regression (IRLS) of the binary treatment on the
 * covariates, into e (n entries). */
int wb_est_propensity(const wb_est_data *d, double *e, wb_err *err);

/* Values of option key from the spec: def if absent; a message naming the option if it is not
 * a number in [lo, hi]. */
int wb_est_opt_double(const wb_estimate_spec *s, const char *key, double def, double lo, double hi,
		      double *out, wb_err *err);

/* Bootstrap standard errors (Efron & Tibshirani 1993): nboot resamples as multinomial
 * frequency weights drawn from streams split off s->rng, each fitted by fit with point_only;
 * se[k] is the standard deviation of contrast k over the replicates (ncontrast of them).
 * Reports progress; WB_ECANCEL when cancelled. */
int wb_est_bootstrap(const wb_est_data *d, const wb_estimate_spec *s, wb_estimate_fit_fn fit,
		     size_t nboot, size_t ncontrast, double *se, wb_err *err);

/* The overlap diagnostics of a propensity method as a table: per group the propensity's
 * minimum, quartiles and maximum and a 10-bin histogram; the effective sample size
 * (sum w)^2 / sum w^2 of the given balancing weights per group; and the standardised mean
 * difference of every covariate before and after weighting (bw, NULL: no "after"). */
wb_result *wb_est_overlap(const wb_est_data *d, const double *e, const double *bw,
			  const char *title);

/* wb_est_overlap titled "what: contrast", added to est as a further table. */
int wb_est_overlap_table(const wb_est_data *d, const double *e, const double *bw, const char *what,
			 wb_estimate *est);

/* Propensity trimming (estimate_ipw.c): option trim=A sets keep[i] to 0 for units with
 * propensity outside [A, 1-A], else to the unit's weight; the drop is noted in est. Fails when
 * a unit has propensity 0 or 1 without trimming, or a group is left empty. */
int wb_est_trim(const wb_est_data *d, const wb_estimate_spec *s, const double *e, double *keep,
		wb_estimate *est, wb_err *err);
/* IPW balancing weights for target (estimate_ipw.c): ATE 1/e and 1/(1-e); ATT 1 and
 * e/(1-e); ATC (1-e)/e and 1. */
void wb_est_balancing_weights(const wb_est_data *d, wb_target target, const double *e, double *bw);

/* A scratch estimate for point-only replicates; free with wb_estimate_free. */
wb_estimate *wb_est_scratch(void);
/* Drops every contrast, note and table (reuse between replicates). */
void wb_est_reset(wb_estimate *e);

/* The label of the binary contrast of d ("T" for a binary treatment, "T: level vs ref"). */
void wb_est_label(const wb_est_data *d, char *buf, size_t size);

/* The data prepared for a spec (the estimate's own copy), and a fit of a method on other
 * data into a fresh estimate (refuters). */
const wb_est_data *wb_estimate_data(const wb_estimate *e);
int wb_est_refit(const wb_estimate *orig, const wb_est_data *d, double *effect, wb_err *err);

/* Frees the arrays a prepared wb_est_data owns. */
void wb_est_data_free(wb_est_data *d);

#endif
