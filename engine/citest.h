/*
 * citest.h — conditional-independence tests for discovery (PC) and for `graph check`.
 *
 * A wb_citest is a "CI test context": it is built once from a frame and a list of columns, and
 * then answers "is X independent of Y given S?" for variables named by their position in that
 * column list (0 .. nvars-1), without another pass over the data for Fisher-z.
 *
 * Tests
 *   Fisher-z (Fisher 1924; as in Spirtes, Glymour & Scheines 2000 and causal-learn's fisherz):
 *     the correlation matrix of the columns is computed once, when the context is built (one
 *     blocked X'X pass, fixed row segments shared by up to `threads` threads and summed in a
 *     fixed order, so the matrix is the same for any number of threads). The partial
 *     correlation r of X and Y given S is read from the Cholesky factor of the correlation
 *     submatrix ordered (S, X, Y), which is the same number as -P_xy / sqrt(P_xx P_yy) from its
 *     inverse P; then z = ½·ln((1+r)/(1−r))·√(n − |S| − 3) and p = 2·(1 − Φ(|z|)).
 *     The statistic reported is z (signed like r); df is 0 (normal reference distribution).
 *   G² (likelihood-ratio chi-square; Spirtes et al. 2000, Tsamardinos et al. 2006):
 *     G² = 2 Σ O·ln(O/E) summed over the strata of S, E = n_x+·n_+y / n_s within a stratum.
 *     Degrees of freedom, with the reduction for empty cells: each stratum s that holds data
 *     adds (r_s − 1)(c_s − 1), where r_s and c_s are the numbers of levels of X and of Y that
 *     occur in s; strata with no rows add nothing. This equals (|X|−1)(|Y|−1)·Π|S_k| when every
 *     level occurs in every stratum. When df comes to 0 the data hold no evidence against
 *     independence: G² = 0 and p = 1.
 *
 * Choice of test (WB_CI_AUTO, the default): G² when every column is binary or categorical;
 * otherwise Fisher-z, with binary columns taken as 0/1 numbers and dates as day numbers. A
 * categorical column with more than two levels among numeric ones is refused (its codes are
 * not numbers) — ask for G² explicitly, which then takes a numeric column as discrete if it has
 * at most WB_CI_MAX_LEVELS distinct values.
 *
 * Missing values: a row with a missing value in any of the chosen columns is dropped from every
 * test (complete-case analysis); wb_citest_ndropped says how many were.
 *
 * Thread safety: after wb_citest_new the context is read-only, so wb_citest_test may be called
 * from several threads at once.
 *
 * Ownership: the context borrows nothing after wb_citest_new returns except for G², which
 * keeps its own recoded copy of the columns; the frame may be freed afterwards.
 * Errors: 0 or a negative WB_E* code with one line in err.
 */
#ifndef WB_CITEST_H
#define WB_CITEST_H

#include <stddef.h>

#include "err.h"
#include "frame.h"
#include "progress.h"

typedef struct wb_citest wb_citest;

typedef enum { WB_CI_AUTO = 0, WB_CI_FISHERZ, WB_CI_GSQ } wb_ci_kind;

/* Most distinct values a column may have to be used by G². */
#define WB_CI_MAX_LEVELS 64

/* One test's outcome. */
typedef struct wb_ci_outcome {
	double stat; /* Fisher-z: z; G²: the G² statistic */
	double p;    /* p-value in [0, 1] */
	double df;   /* G²: degrees of freedom (rule above); Fisher-z: 0 */
	double r;    /* Fisher-z: the partial correlation; G²: 0 */
} wb_ci_outcome;

/* Options for wb_citest_new; a zeroed struct means: automatic test, all rows, 2 threads. */
typedef struct wb_ci_options {
	wb_ci_kind kind;
	const size_t *rows; /* rows to use, repeats allowed (a bootstrap resample); NULL: all */
	size_t nrows;	    /* entries in rows */
	int threads;	    /* for the correlation pass; 0: 2 */
} wb_ci_options;

/* "fisherz", "gsq" ("auto" for WB_CI_AUTO). */
const char *wb_ci_kind_name(wb_ci_kind k);
/* Parses "fisherz" / "gsq" / "auto"; WB_EINVAL naming the choices otherwise. */
int wb_ci_kind_parse(const char *s, wb_ci_kind *out, wb_err *err);

/* Builds a context over columns cols[0..ncols-1] of f (ncols >= 2, no repeats), reading the
 * data once. Fails (nothing returned) with WB_EINVAL when a column is constant, when fewer
 * than 4 complete rows remain, when a column does not suit the test (rules above), or when the
 * columns are collinear (the correlation matrix is not positive definite: "columns are
 * collinear: X3 is a linear function of X1, X2"); WB_ECANCEL if progress was cancelled.
 * *out is a new context for the caller (free with wb_citest_free). */
int wb_citest_new(const wb_frame *f, const size_t *cols, size_t ncols, const wb_ci_options *opt,
		  wb_progress *progress, wb_citest **out, wb_err *err);
void wb_citest_free(wb_citest *t);

/* The test actually used (never WB_CI_AUTO). */
wb_ci_kind wb_citest_kind(const wb_citest *t);
size_t wb_citest_nvars(const wb_citest *t);
/* Rows used by every test, and rows dropped for a missing value. */
size_t wb_citest_nrows(const wb_citest *t);
size_t wb_citest_ndropped(const wb_citest *t);
/* The nvars × nvars correlation matrix, row-major (Fisher-z only; NULL for G²). Borrowed. */
const double *wb_citest_corr(const wb_citest *t);

/* Tests x ⫫ y | S for variable positions x != y and S[0..ns-1] (distinct, neither x nor y).
 * Fills *out. WB_EINVAL for bad positions or, for Fisher-z, when n − |S| − 3 < 1;
 * WB_ENUMERIC if the conditioning submatrix is singular. */
int wb_citest_test(const wb_citest *t, size_t x, size_t y, const size_t *S, size_t ns,
		   wb_ci_outcome *out, wb_err *err);

#endif
