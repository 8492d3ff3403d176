/*
 * learner.h — nuisance learners: one interface over several supervised learners, for double
 * ML, the meta-learners and anything else that needs E[Y | X] or P(T = 1 | X) from data.
 *
 * A learner is fitted on a plain row-major matrix X (n rows × p columns, X[i * p + j]) and a
 * target y, for a task:
 *   WB_TASK_REGRESSION      predictions are values of E[y | x]
 *   WB_TASK_CLASSIFICATION  y must be 0/1; predictions are probabilities P(y = 1 | x)
 *
 * Kinds (names as typed in commands, aliases in brackets):
 *   linear [logistic]  OLS for regression, logistic regression by IRLS for classification
 *                      (glm.h's wb_ols_solve and wb_logit_fit), unpenalised; a singular
 *                      design or perfect separation is an error naming the term.
 *   ridge, lasso       elastic-net coordinate descent (Friedman, Hastie & Tibshirani 2010) on
 *                      standardised features (mean 0, population sd 1; the intercept is not
 *                      penalised); coefficients are reported on the original scale. The
 *                      objective, with a = 0 for ridge and a = 1 for lasso, is
 *                        regression:      (1/2n) Σ (y − b − xβ)² + λ [(1−a)/2 ‖β‖² + a ‖β‖₁]
 *                        classification:  −(1/n) log-likelihood + the same penalty
 *                      (glmnet's convention; sklearn's Lasso(alpha=λ), Ridge(alpha=n·λ) and
 *                      LogisticRegression(C=1/(n·λ)) on standardised features are the same
 *                      fits). λ is given, or chosen by K-fold cross-validation (mean squared
 *                      error or deviance) over a log-spaced path of WB_LEARNER_PATH values.
 *   gbm [xgb]          gradient-boosted trees through XGBoost's C API (booster gbtree,
 *                      tree_method hist; Friedman 2001, Chen & Guestrin 2016). Defaults: 50
 *                      rounds of depth-4 trees at learning rate 0.2 — the same product of
 *                      rounds and rate as XGBoost's usual 100 × 0.1, which on the DML bench
 *                      and the incentives data gives the same effect within a tenth of its
 *                      standard error in 60% of the time.
 *   rf                 random forest through XGBoost (Breiman 2001): one round of
 *                      num_parallel_tree = n_estimators trees, row subsample and per-node column
 *                      subsample, learning rate 1.
 * The linear family can add degree-2 terms: degree=2 adds every square (except of a 0/1
 * column, whose square is itself) and pairwise product; interactions=1 adds the pairwise
 * products only. Predictions expand new rows the same way.
 *
 * Randomness: every random choice (internal CV folds, XGBoost's subsampling) comes from
 * opts.seed, which callers draw from the workspace's wb_rng, so a fit is reproducible.
 * Threads: opts.threads (from `set threads`; 0 means 2). XGBoost fits on fewer than 20,000
 * rows use one thread: there a second one costs more in synchronisation than it saves.
 *
 * Ownership: a fitted wb_learner belongs to the caller (wb_learner_free, NULL ok); input
 * arrays are only read during the call. Errors: 0 or a negative WB_E* code with one line in
 * err: a constant or non-0/1 classification target, a missing value in the linear family
 * (XGBoost treats NaN as missing), too few rows, a singular design, an XGBoost failure (its
 * own message, from XGBGetLastError).
 */
#ifndef WB_LEARNER_H
#define WB_LEARNER_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "progress.h"
#include "rng.h"

typedef enum {
	WB_LEARNER_LINEAR = 0,
	WB_LEARNER_RIDGE,
	WB_LEARNER_LASSO,
	WB_LEARNER_GBM,
	WB_LEARNER_RF
} wb_learner_kind;

typedef enum { WB_TASK_REGRESSION = 0, WB_TASK_CLASSIFICATION } wb_task;

#define WB_LEARNER_PATH 40 /* λ values tried by the internal cross-validation */

typedef struct wb_learner_opts {
	wb_learner_kind kind;
	/* linear family */
	int degree;	  /* 1 (default) or 2: squares and pairwise products */
	int interactions; /* 1: pairwise products (implied by degree 2) */
	double lambda;	  /* ridge/lasso penalty; negative (default): chosen by CV */
	int cv_folds;	  /* folds of that CV, 2..20 (default 5) */
	/* tree ensembles */
	int n_estimators;	 /* boosting rounds (gbm, default 50) or trees (rf, 100) */
	int max_depth;		 /* gbm default 4, rf 8 */
	double eta;		 /* learning rate, gbm default 0.2 (rf always 1) */
	double subsample;	 /* row fraction per tree: gbm 1, rf 0.632 */
	double colsample;	 /* column fraction per node: gbm 1, rf 0.8 */
	double min_child_weight; /* default 1 */
	int max_bin;		 /* histogram bins, default 256 */
	/* both */
	int threads;
	uint64_t seed;
	const char *const *names; /* p feature names for messages ("Age×Income"); may be NULL */
} wb_learner_opts;

typedef struct wb_learner wb_learner;

/* Fills o with the defaults of kind (above); seed 0, threads 0. */
void wb_learner_opts_default(wb_learner_opts *o, wb_learner_kind kind);

/* Parses a learner name (or alias, above) into *kind. Unknown: WB_EINVAL with
 * "unknown learner 'x' (one of linear, logistic, ridge, lasso, gbm, xgb, rf)". */
int wb_learner_parse(const char *name, wb_learner_kind *kind, wb_err *err);

/* Canonical name of a kind for a task: "linear"/"logistic", "ridge", "lasso", "gbm", "rf". */
const char *wb_learner_name(wb_learner_kind kind, wb_task task);

/* Checks the option ranges (degree 1..2, cv_folds 2..20, n_estimators 1..10000, max_depth
 * 1..30, 0 < eta <= 1, 0 < subsample, colsample <= 1, max_bin 2..65535, lambda finite);
 * WB_EINVAL naming the option and its range. wb_learner_fit checks the same. */
int wb_learner_check(const wb_learner_opts *o, wb_err *err);

/* Fits a learner of o->kind for task on rows rows[0..nrows-1] of X (n × p, row-major) and y
 * (n values); rows NULL means all n rows (nrows is then ignored). *out is a new model. */
int wb_learner_fit(const wb_learner_opts *o, wb_task task, const double *X, size_t n, size_t p,
		   const double *y, const size_t *rows, size_t nrows, wb_learner **out,
		   wb_err *err);

/* Predicts rows rows[0..nrows-1] of X (n × p with the p of the fit; rows NULL: all n) into
 * out (nrows values, or n): values for regression, probabilities for classification. */
int wb_learner_predict(const wb_learner *m, const double *X, size_t n, const size_t *rows,
		       size_t nrows, double *out, wb_err *err);

void wb_learner_free(wb_learner *m);

/* The linear family's fitted intercept and coefficients on the original scale of the
 * (expanded) features: *beta points into the model (k values, borrowed). Returns k, or 0 for
 * a tree ensemble. */
size_t wb_learner_coefs(const wb_learner *m, double *intercept, const double **beta);

/* The λ used by ridge/lasso (given or chosen by CV); NaN for other kinds. */
double wb_learner_lambda(const wb_learner *m);

/* ---- cross-fitting ---- */

/* Seeded assignment of n rows to k folds (fold[i] in 0..k-1), sizes differing by at most one
 * per stratum. strata NULL: one stratum; otherwise rows with equal strata[i] are dealt out
 * together, so each fold keeps the class balance of a binary treatment (as EconML's
 * stratified folds). WB_EINVAL unless 2 <= k <= n. */
int wb_learner_folds(size_t n, int k, const double *strata, wb_rng *rng, int *fold, wb_err *err);

/* Out-of-fold predictions: for each fold f, fits o on the rows outside f and predicts the
 * rows in f into oof (n values). rows restricted to where use is nonzero when use is not
 * NULL (rows with use[i] == 0 are neither fitted nor predicted; their oof is left alone).
 * progress (may be NULL) advances by one k-th per fold; cancellation returns WB_ECANCEL.
 * Errors name the fold: "fold 3 of 5: ...". */
int wb_learner_crossfit(const wb_learner_opts *o, wb_task task, const double *X, size_t n, size_t p,
			const double *y, const int *fold, int k, const unsigned char *use,
			double *oof, wb_progress *progress, wb_err *err);

#endif
