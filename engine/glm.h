/*
 * glm.h — linear and logistic regression on plain matrices, and the design-matrix builder.
 *
 * Matrices are dense, row-major, n rows × p columns (`x[i * p + j]`), so a learner that already
 * holds its features in an array can fit without copying. Optional row weights w (NULL: all 1)
 * are frequency weights: a row of weight 2 counts as two rows (a bootstrap resample or a data
 * subset is a weight vector, no copy of the data).
 *
 *   wb_xprod       sufficient statistics X'WX, X'Wy, y'Wy in one threaded pass (of columns
 *                  gathered from several arrays: wb_xprod_blocks), and the products of a
 *                  subset of those columns (wb_xprod_select); OLS, the refuters and anything
 *                  that only needs cross-products reuse them.
 *   wb_ols         OLS from sufficient statistics: coefficients, classical standard errors, and
 *                  HC1 (White 1980 with the n/(n-p) correction of MacKinnon & White 1985) from
 *                  one more pass over the rows — the two statsmodels calls OLS(y, X).fit() and
 *                  .fit(cov_type="HC1").
 *   wb_logit       logistic regression by iteratively reweighted least squares (Newton's method
 *                  on the log-likelihood; McCullagh & Nelder 1989, ch. 4), unpenalised unless
 *                  an L2 penalty is asked for; standard errors from the inverse Fisher
 *                  information (statsmodels Logit(y, X).fit()).
 *   wb_tsls        two-stage least squares (Theil 1953): first stage of each endogenous column
 *                  on the instruments and exogenous columns with its F statistic, second stage
 *                  with residuals from the actual, not fitted, regressors.
 *   wb_design      the design matrix of some frame columns: intercept, numeric/binary columns
 *                  as they are, categorical columns one-hot with the first level dropped, rows
 *                  with a missing value in any used column deleted (and counted).
 *
 * A design that does not determine the coefficients (a constant column next to the
 * intercept, a dummy of a level no row has, two collinear columns) is refused with WB_ENUMERIC
 * and a message naming the first column that is a linear combination of the ones before it.
 * Ownership: structs filled through `*out` own their arrays; free them with the matching
 * wb_*_free, which accepts a zeroed or already freed struct. Inputs are borrowed, never kept.
 */
#ifndef WB_GLM_H
#define WB_GLM_H

#include <stddef.h>

#include "err.h"
#include "frame.h"

/* ---- sufficient statistics ---- */

typedef struct wb_xprod {
	size_t p;     /* columns */
	size_t n;     /* rows read (weight 0 rows included) */
	double sumw;  /* sum of weights (n when unweighted) */
	double *mean; /* p weighted column means m */
	double ymean; /* weighted mean of y */
	double *cxx;  /* p × p centred: sum_i w_i (x_i - m)(x_i - m)' */
	double *cxy;  /* p: sum_i w_i (x_i - m)(y_i - ymean) */
	double cyy;   /* sum_i w_i (y_i - ymean)^2 */
	double *xtx;  /* p × p, symmetric, row-major: sum_i w_i x_i x_i' (= cxx + sumw m m') */
	double *xty;  /* p: sum_i w_i x_i y_i (zeros when y is NULL) */
	double yty;   /* sum_i w_i y_i^2 */
} wb_xprod;

/* Computes the cross-products of x (n × p) and y (may be NULL) with weights w (may be NULL),
 * split over `threads` POSIX threads (0: 2), in one pass (see wb_xprod_blocks; the raw
 * cross-products follow from the centred ones). A caller may fill a wb_xprod itself with
 * only xtx, xty, yty, sumw (cxx NULL): wb_ols_solve then works from the raw sums. Fails with
 * WB_EINVAL if p is 0 and WB_ENOMEM. */
int wb_xprod_compute(const double *x, size_t n, size_t p, const double *y, const double *w,
		     int threads, wb_xprod *out, wb_err *err);
/* Columns gathered from several arrays: element (i, j) of a block is v[i * stride + j]. A
 * design is {x, p, p}; its first k columns {x, k, p}; a separate column {t, 1, 1}. */
typedef struct wb_xblock {
	const double *v;
	size_t cols, stride;
} wb_xblock;

/* The same for the columns of blocks blk[0 .. nb-1] side by side (q columns in all): out->p =
 * q, cxx/xtx the q × q products, the y parts zero. One threaded pass over the rows: each block
 * of rows is centred at its own means and multiplied by BLAS, and the row blocks' moments are
 * merged exactly (Chan, Golub & LeVeque 1979), as precise as centring at the global means
 * (NIST Longley's years) without a second pass. */
int wb_xprod_blocks(const wb_xblock *blk, size_t nb, size_t n, const double *w, int threads,
		    wb_xprod *out, wb_err *err);
/* The cross-products of some of all's columns, cols[0 .. k-1] in that order, with column
 * ycol (-1: none) as y: what a regression on those columns needs, read from products
 * computed once for a wider set (the refuters refit from one pass this way). WB_ENOMEM. */
int wb_xprod_select(const wb_xprod *all, const size_t *cols, size_t k, long ycol, wb_xprod *out,
		    wb_err *err);
void wb_xprod_free(wb_xprod *s);

/* ---- least squares ---- */

typedef struct wb_ols {
	size_t p;
	double nobs;	 /* sum of weights */
	double df_resid; /* nobs - p */
	double *beta;	 /* p coefficients */
	double *inv;	 /* p × p: (X'WX)^-1 */
	double *se;	 /* p classical standard errors: sqrt(s^2 diag((X'WX)^-1)) */
	double *se_hc1;	 /* p HC1 standard errors, NaN until wb_ols_hc1 ran */
	double rss;	 /* residual sum of squares */
	double sigma2;	 /* rss / df_resid */
	double r2;	 /* 1 - rss / tss */
	double tss;	 /* total sum of squares: centred when column 0 is the intercept */
	int centred;	 /* 1 when solved in centred form (column 0 the intercept) */
} wb_ols;

/* Solves the normal equations of s with a Cholesky factorisation. names (p strings, may be
 * NULL) name columns in errors. WB_ENUMERIC when X'WX is singular ("singular design: 'B' is a
 * linear combination of the columns before it") or when nobs <= p ("2 rows for 3
 * coefficients"). */
int wb_ols_solve(const wb_xprod *s, const char *const *names, wb_ols *out, wb_err *err);

/* Fills fit->se_hc1 from one pass over the rows: the sandwich (X'WX)^-1 (sum w e^2 x x')
 * (X'WX)^-1 times nobs / (nobs - p). Only the coefficients flagged in which (p flags, NULL:
 * all) are computed, at O(n p) cost each; the others are left NaN. The same pass recomputes
 * rss, sigma2, se and r2 from the residuals themselves (exact where y'y - b'X'y cancels). */
int wb_ols_hc1(const double *x, size_t n, const double *y, const double *w, const int *which,
	       wb_ols *fit, wb_err *err);

/* OLS of y on x in one call: wb_xprod_compute, wb_ols_solve and wb_ols_hc1 for all
 * coefficients. */
int wb_ols_fit(const double *x, size_t n, size_t p, const double *y, const double *w,
	       const char *const *names, int threads, wb_ols *out, wb_err *err);
void wb_ols_free(wb_ols *o);

/* ---- logistic regression ---- */

typedef struct wb_logit_opts {
	double l2;    /* ridge penalty 0.5 l2 |beta|^2 on every coefficient but column 0 */
	int max_iter; /* 0: 100 */
	double tol;   /* convergence on the relative change of the deviance; 0: 1e-10 */
	int threads;  /* 0: 2 */
	int skip_se;  /* 1: leave se NaN (one pass less when only predictions are needed) */
} wb_logit_opts;

typedef struct wb_logit {
	size_t p;
	double *beta;	 /* p coefficients (log odds) */
	double *se;	 /* p: sqrt(diag(I(beta)^-1)), I the (penalised) Fisher information */
	double deviance; /* -2 log-likelihood */
	int iterations;
} wb_logit;

/* Fits P(y = 1) = 1 / (1 + exp(-x'beta)) by IRLS; y must be 0/1. opt may be NULL. Fails with
 * WB_EINVAL when y is not 0/1 or all one value, and WB_ENUMERIC on a singular design or
 * perfect separation ("perfect separation: the columns predict y exactly, the maximum
 * likelihood estimate does not exist"), or no convergence. */
int wb_logit_fit(const double *x, size_t n, size_t p, const double *y, const double *w,
		 const wb_logit_opts *opt, const char *const *names, wb_logit *out, wb_err *err);
void wb_logit_free(wb_logit *l);

/* Fitted probabilities 1 / (1 + exp(-x_i'beta)) into prob (n entries). */
void wb_logit_predict(const wb_logit *l, const double *x, size_t n, double *prob);

/* ---- two-stage least squares ---- */

typedef struct wb_tsls {
	size_t p;	  /* second-stage coefficients: nendog + nexog */
	double *beta;	  /* endogenous columns first, then the exogenous ones */
	double *se;	  /* classical: sqrt(s^2 diag((Xhat'Xhat)^-1)), s^2 = rss / (n - p) */
	double *se_hc1;	  /* HC1 sandwich with the actual regressors' residuals */
	double *first_f;  /* nendog: F statistic of the excluded instruments in each first stage */
	double *first_df; /* nendog pairs (df1, df2) = (ninst, n - ninst - nexog) */
	size_t nendog;
} wb_tsls;

/* Two-stage least squares of y on endogenous columns xe (n × ne) with exogenous columns xx
 * (n × nx, include the intercept there) and excluded instruments z (n × nz, nz >= ne). names
 * (ne + nx + nz, may be NULL) name columns in errors. With one binary instrument, one
 * endogenous column and only an intercept this equals the Wald ratio cov(y,z)/cov(x,z).
 * WB_EINVAL when nz < ne; WB_ENUMERIC when a stage is singular. */
int wb_tsls_fit(const double *y, const double *xe, size_t ne, const double *xx, size_t nx,
		const double *z, size_t nz, size_t n, const double *w, const char *const *names,
		wb_tsls *out, wb_err *err);
void wb_tsls_free(wb_tsls *t);

/* ---- design matrices from frame columns ---- */

typedef struct wb_design {
	size_t n;	 /* rows kept */
	size_t p;	 /* columns */
	double *x;	 /* n × p, row-major */
	char **names;	 /* p: "(Intercept)", "Age", "Plan[premium]" */
	long *source;	 /* p: the index into cols[] each column came from, -1 for the intercept */
	size_t *row;	 /* n: the frame row of each design row */
	size_t nmissing; /* frame rows dropped for a missing value in a used column */
} wb_design;

/* Builds the design of frame columns cols[0..ncols-1], with an intercept column first when
 * intercept != 0. Rows are deleted listwise when any of cols, or any of require[0..nrequire-1]
 * (columns that are not in the design but must be present, such as the outcome), is missing.
 * Date columns enter as numbers. Fails with WB_EINVAL when no row is complete ("no complete
 * rows: every row misses one of A, B") and WB_ENOMEM. */
int wb_design_build(const wb_frame *f, const size_t *cols, size_t ncols, int intercept,
		    const size_t *require, size_t nrequire, wb_design *out, wb_err *err);
void wb_design_free(wb_design *d);

#endif
