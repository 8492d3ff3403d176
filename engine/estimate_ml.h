/*
 * estimate_ml.h — the machine-learning estimators of treatment effects on plain matrices:
 * double ML (estimate_dml.c) and the S, T and X meta-learners (estimate_meta.c), with the
 * nuisance learners of learner.h. The `estimate` methods dml, slearner, tlearner and xlearner
 * are thin wrappers over these functions.
 *
 * Data: y (outcome) and t (treatment) hold n values; F is the n × p row-major matrix of the
 * features the nuisance models see (adjustment set and effect modifiers); M is the n × q
 * matrix of the effect modifiers alone (q may be 0, M then NULL). No missing values (the
 * caller drops incomplete rows).
 *
 * Ownership: the fit structs own their arrays; free them with wb_dml_fit_free /
 * wb_meta_fit_free (which accept a zeroed struct). Errors: 0 or a negative WB_E* code with one
 * line in err: constant treatment, treatment explained by the features (no residual
 * variation), a constant modifier, a learner failure ("outcome model, fold 2 of 5: ..."),
 * cancellation (WB_ECANCEL through progress).
 */
#ifndef WB_ESTIMATE_ML_H
#define WB_ESTIMATE_ML_H

#include <stddef.h>

#include "err.h"
#include "estimate.h"
#include "learner.h"
#include "progress.h"
#include "rng.h"

/* ---- double ML ---- */

typedef struct wb_dml_opts {
	wb_learner_opts learner_y; /* E[Y | F]: a regression */
	wb_learner_opts learner_t; /* E[T | F]: classification when binary_t */
	int folds;		   /* K of the cross-fitting, 2 .. 20 (default 5) */
	int binary_t;		   /* T is 0/1: its nuisance is a probability, folds stratified */
	const size_t *unit; /* n or NULL: rows of one unit (copies in a resample) share a fold */
} wb_dml_opts;

typedef struct wb_dml_fit {
	size_t n, q;
	double theta, se;    /* the average effect (at the mean of the modifiers when q > 0) */
	double *coef;	     /* 1 + q: CATE intercept, then one slope per modifier */
	double *cov;	     /* (1 + q)²: their robust covariance, row-major */
	double *yres, *tres; /* n: Y − Ŷ and T − T̂ (out of fold) */
	double r2_y, r2_t;   /* out-of-fold R² of the two nuisance models */
} wb_dml_fit;

/* Defaults: both learners gbm (wb_learner_opts_default), 5 folds, binary_t 0. */
void wb_dml_opts_default(wb_dml_opts *o);

/* Double ML by partialling out (Chernozhukov, Chetverikov, Demirer, Duflo, Hansen, Newey &
 * Robins 2018, "Double/debiased machine learning for treatment and structural parameters",
 * Econometrics J. 21, section 4.1 and definition 3.1): fold assignment from rng (stratified
 * by t when binary_t), out-of-fold Ŷ = E[Y | F] and T̂ = E[T | F], then the final stage
 *   Y − Ŷ = (T − T̂)·(θ₀ + θ'M) + ε
 * by least squares without intercept, as EconML's LinearDML. With q = 0 this is
 * θ = Σ(T − T̂)(Y − Ŷ) / Σ(T − T̂)². Standard errors: the sandwich of the score ψ = (Ỹ − θ'Z̃)Z̃
 * (theorem 3.1's variance estimator; HC0 of the final regression). With modifiers, theta is
 * the effect at the modifiers' mean, coef·(1, M̄), with se from cov. *out is filled (free
 * with wb_dml_fit_free). progress may be NULL. */
int wb_dml_estimate(const wb_dml_opts *o, const double *y, const double *t, const double *F,
		    size_t n, size_t p, const double *M, size_t q, wb_rng *rng,
		    wb_progress *progress, wb_dml_fit *out, wb_err *err);

void wb_dml_fit_free(wb_dml_fit *f);

/* ---- meta-learners ---- */

typedef enum { WB_META_S = 0, WB_META_T, WB_META_X } wb_meta_kind;

typedef struct wb_meta_opts {
	wb_meta_kind kind;
	wb_learner_opts learner;   /* outcome models (and the X-learner's effect models) */
	wb_learner_opts learner_t; /* the X-learner's propensity e(F): a classification */
} wb_meta_opts;

typedef struct wb_meta_fit {
	size_t n;
	double ate, att, atc; /* mean of the per-unit effects over all, the treated, the controls */
	double *tau;	      /* n: the per-unit effect estimates τ̂(F_i) */
} wb_meta_fit;

/* Defaults: kind S, both learners gbm. */
void wb_meta_opts_default(wb_meta_opts *o);

/* "slearner", "tlearner", "xlearner". */
const char *wb_meta_name(wb_meta_kind kind);

/* The meta-learners of Künzel, Sekhon, Bickel & Yu (2019, "Metalearners for estimating
 * heterogeneous treatment effects using machine learning", PNAS 116(10)) for a binary t:
 *   S  one model μ(F, T); τ(x) = μ(x, 1) − μ(x, 0)
 *   T  μ₀ on the controls, μ₁ on the treated; τ(x) = μ₁(x) − μ₀(x)
 *   X  the T-learner's μ₀, μ₁; imputed effects D¹ = Y − μ₀(F) on the treated and
 *      D⁰ = μ₁(F) − Y on the controls; τ₁, τ₀ fitted to them; a propensity e(x);
 *      τ(x) = e(x) τ₀(x) + (1 − e(x)) τ₁(x)
 * The learners' seeds come from rng. Needs at least 2 treated and 2 control rows. Standard
 * errors are the caller's (the estimate methods bootstrap the whole procedure). */
int wb_meta_estimate(const wb_meta_opts *o, const double *y, const double *t, const double *F,
		     size_t n, size_t p, wb_rng *rng, wb_meta_fit *out, wb_err *err);

void wb_meta_fit_free(wb_meta_fit *f);

/* ---- for the estimate methods (estimate_dml.c, estimate_meta.c) ---- */

/* The prepared data as the learners see it: frequency weights (bootstrap resamples, subsets)
 * become repeated rows, unit[i] the prepared row that row i repeats. F holds the covariates
 * without the intercept, then the modifiers that are not covariates; M the modifiers. Names
 * are borrowed from the prepared data. */
typedef struct wb_est_ml {
	size_t n, p, q;
	double *y, *t, *F, *M;
	size_t *unit;
	const char **names;	   /* p feature names */
	const char *const *mnames; /* q modifier names */
} wb_est_ml;

/* Builds m from d. Fails with WB_EINVAL when there are no features at all ("give adjust= ...
 * or modifiers=") or a weight is not a whole number. */
int wb_est_ml_prepare(const wb_est_data *d, wb_est_ml *m, wb_err *err);
void wb_est_ml_free(wb_est_ml *m);

/* Learner options from the spec: the learner named by option key (e.g. "learner_y"), else by
 * "learner", else gbm; then the tuning options every learner of the method shares (degree,
 * interactions, lambda, cv_folds, n_estimators, max_depth, eta, subsample, colsample,
 * min_child_weight, max_bin), range-checked. `logistic` for a regression model is refused. */
int wb_est_ml_learner(const wb_estimate_spec *s, const char *key, wb_task task, int threads,
		      wb_learner_opts *o, wb_err *err);

/* The random stream for a method: the spec's, or — for refits, whose spec carries none — a
 * new stream with a fixed seed, so refits stay reproducible; *own is what to free (NULL when
 * borrowed). NULL if out of memory. */
wb_rng *wb_est_ml_rng(const wb_estimate_spec *s, wb_rng **own);

/* One line describing a learner for the notes: "gbm (XGBoost, 100 rounds, depth 4, eta 0.1)". */
void wb_est_ml_describe(const wb_learner_opts *o, wb_task task, char *buf, size_t size);

/* The distribution of per-unit effects tau (m->n values) as a table: columns group, n,
 * mean_effect, sd, min, q25, median, q75, max; a row for all units, then per modifier one row
 * per quartile group (two rows, = 0 and = 1, for a 0/1 modifier). New result; NULL if out of
 * memory. */
wb_result *wb_est_ml_cate_table(const wb_est_ml *m, const double *tau, const char *title);

#endif
