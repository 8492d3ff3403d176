/* citest.c — Fisher-z and G² conditional-independence tests. See citest.h. */
#include "citest.h"
#include "parallel.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Rows per block of the X'X pass: the block (p × CORR_BLOCK doubles) stays in cache. */
#define CORR_BLOCK 4096
/* A pivot of the correlation matrix below this (the share of a column's variance left after
 * regressing it on the columns before it) counts as collinear. */
#define COLLINEAR_TOL 1e-10

struct wb_citest {
	wb_ci_kind kind;
	size_t p, n, dropped;
	char **names; /* column names, for messages */
	/* Fisher-z */
	double *corr; /* p × p */
	/* G² */
	uint8_t **code; /* p columns of n level codes 0 .. nlev-1 */
	size_t *nlev;
};

const char *wb_ci_kind_name(wb_ci_kind k)
{
	return k == WB_CI_FISHERZ ? "fisherz" : k == WB_CI_GSQ ? "gsq" : "auto";
}

int wb_ci_kind_parse(const char *s, wb_ci_kind *out, wb_err *err)
{
	static const wb_ci_kind kinds[] = {WB_CI_AUTO, WB_CI_FISHERZ, WB_CI_GSQ};
	for (size_t i = 0; i < 3; i++)
		if (strcmp(s, wb_ci_kind_name(kinds[i])) == 0) {
			*out = kinds[i];
			return 0;
		}
	return wb_err_set(err, WB_EINVAL, "unknown test '%s' (choose fisherz, gsq or auto)", s);
}

void wb_citest_free(wb_citest *t)
{
	if (!t)
		return;
	for (size_t j = 0; t->names && j < t->p; j++)
		free(t->names[j]);
	for (size_t j = 0; t->code && j < t->p; j++)
		free(t->code[j]);
	free(t->names);
	free(t->code);
	free(t->nlev);
	free(t->corr);
	free(t);
}

wb_ci_kind wb_citest_kind(const wb_citest *t)
{
	return t->kind;
}

size_t wb_citest_nvars(const wb_citest *t)
{
	return t->p;
}

size_t wb_citest_nrows(const wb_citest *t)
{
	return t->n;
}

size_t wb_citest_ndropped(const wb_citest *t)
{
	return t->dropped;
}

const double *wb_citest_corr(const wb_citest *t)
{
	return t->corr;
}

/* ---- choosing the test ---- */

static int is_discrete_kind(wb_col_kind k)
{
	return k == WB_COL_BINARY || k == WB_COL_CATEGORICAL;
}

static int choose_kind(const wb_frame *f, const size_t *cols, size_t ncols, wb_ci_kind asked,
		       wb_ci_kind *out, wb_err *err)
{
	size_t ndisc = 0;
	for (size_t j = 0; j < ncols; j++)
		ndisc += is_discrete_kind(wb_frame_col_kind(f, cols[j]));
	wb_ci_kind k = asked != WB_CI_AUTO ? asked : ndisc == ncols ? WB_CI_GSQ : WB_CI_FISHERZ;
	if (k == WB_CI_FISHERZ)
		for (size_t j = 0; j < ncols; j++)
			if (wb_frame_col_kind(f, cols[j]) == WB_COL_CATEGORICAL &&
			    wb_frame_nlevels(f, cols[j]) > 2)
				return wb_err_set(err, WB_EINVAL,
						  "column '%s' is categorical with %zu levels: "
						  "Fisher-z needs numbers "
						  "(use test=gsq, or leave the column out)",
						  wb_frame_colname(f, cols[j]),
						  wb_frame_nlevels(f, cols[j]));
	*out = k;
	return 0;
}

/* ---- rows ---- */

/* The rows the tests use: opt's list (or all rows) without those having a missing value in
 * any chosen column. *idx is NULL when that is simply 0 .. nrows-1. */
static int select_rows(const wb_frame *f, const size_t *cols, size_t ncols,
		       const wb_ci_options *opt, size_t **idx, size_t *n, size_t *dropped)
{
	size_t N = opt->rows ? opt->nrows : wb_frame_nrows(f);
	int anymiss = 0;
	for (size_t j = 0; j < ncols && !anymiss; j++) {
		const double *v = wb_frame_col(f, cols[j]);
		size_t nr = wb_frame_nrows(f);
		for (size_t i = 0; i < nr; i++)
			if (isnan(v[i])) {
				anymiss = 1;
				break;
			}
	}
	*idx = NULL;
	*dropped = 0;
	*n = N;
	if (!anymiss && !opt->rows)
		return 0;
	size_t *out = malloc((N ? N : 1) * sizeof *out);
	if (!out)
		return WB_ENOMEM;
	size_t m = 0;
	for (size_t i = 0; i < N; i++) {
		size_t r = opt->rows ? opt->rows[i] : i;
		int ok = 1;
		for (size_t j = 0; anymiss && j < ncols && ok; j++)
			ok = !isnan(wb_frame_col(f, cols[j])[r]);
		if (ok)
			out[m++] = r;
	}
	*idx = out;
	*n = m;
	*dropped = N - m;
	return 0;
}

/* ---- the correlation matrix: one blocked, threaded X'X pass ----
 *
 * The rows are cut into CORR_SEGMENTS segments (fewer for small n), a number that does not
 * depend on the threads; each segment's sums and cross-products are accumulated block by
 * block in a fixed order, the threads take whole segments (a contiguous run each, by
 * wb_parallel_run), and the segments are added up in segment order at the end. So the matrix
 * is the same to the last bit for any number of threads, and on any x86-64 machine (plain IEEE
 * double arithmetic, no BLAS kernel chosen by the CPU). */

#define CORR_SEGMENTS 16

typedef struct corr_job {
	const double *const *colp; /* p column pointers */
	size_t p;
	const size_t *idx; /* row list, or NULL for 0 .. */
	size_t n, nseg;
	const double *shift;
	double *acc; /* nseg × (p + p × p): per segment, sums then X'X (upper triangle) */
	wb_progress *progress;
	int rc[WB_PARALLEL_MAX]; /* per part */
} corr_job;

/* Two doubles, for the SSE2 arithmetic every x86-64 has (GCC vector extension): lane 0 sums
 * the even rows of a block, lane 1 the odd ones, and the lanes are added at the end — a fixed
 * order, so the result does not depend on the compiler's vectorisation. */
typedef double v2d __attribute__((vector_size(16)));

static v2d load2(const double *x)
{
	v2d v;
	memcpy(&v, x, sizeof v);
	return v;
}

/* X'X of one block (m rows of p variables, variable j at buf + j*CORR_BLOCK) added into xtx:
 * 2 × 4 tiles of the upper triangle (and the few entries just below the diagonal that the
 * tiles cover, which nothing reads), each entry summed over rows in a fixed order. */
static void block_xtx(const double *buf, size_t p, size_t m, double *xtx)
{
	size_t m2 = m & ~(size_t)1;
	for (size_t a = 0; a < p; a += 2) {
		size_t na = a + 1 < p ? 2 : 1;
		for (size_t b = a; b < p; b += 4) {
			size_t nb = p - b < 4 ? p - b : 4;
			const double *xa[2], *xb[4];
			for (size_t u = 0; u < 2; u++)
				xa[u] = buf + (u < na ? a + u : a) * CORR_BLOCK;
			for (size_t w = 0; w < 4; w++)
				xb[w] = buf + (w < nb ? b + w : b) * CORR_BLOCK;
			v2d s[2][4] = {{{0, 0}}};
			for (size_t i = 0; i < m2; i += 2) {
				v2d va0 = load2(xa[0] + i), va1 = load2(xa[1] + i);
				for (size_t w = 0; w < 4; w++) {
					v2d vb = load2(xb[w] + i);
					s[0][w] += va0 * vb;
					s[1][w] += va1 * vb;
				}
			}
			for (size_t u = 0; u < na; u++)
				for (size_t w = 0; w < nb; w++) {
					double t = s[u][w][0] + s[u][w][1];
					if (m2 < m)
						t += xa[u][m2] * xb[w][m2];
					xtx[(a + u) * p + b + w] += t;
				}
		}
	}
}

/* Segments lo .. hi-1; part 0 reports its share done as the fraction. */
static void corr_part(void *ctx, int part, size_t lo, size_t hi)
{
	corr_job *J = ctx;
	size_t p = J->p;
	double *buf = malloc(p * CORR_BLOCK * sizeof *buf);
	if (!buf) {
		J->rc[part] = WB_ENOMEM;
		return;
	}
	for (size_t sg = lo; sg < hi && !J->rc[part]; sg++) {
		double *sum = J->acc + sg * (p + p * p), *xtx = sum + p;
		size_t r0 = J->n * sg / J->nseg, r1 = J->n * (sg + 1) / J->nseg;
		memset(sum, 0, (p + p * p) * sizeof *sum);
		for (size_t r = r0; r < r1; r += CORR_BLOCK) {
			if (wb_progress_cancelled(J->progress)) {
				J->rc[part] = WB_ECANCEL;
				break;
			}
			size_t m = r1 - r < CORR_BLOCK ? r1 - r : CORR_BLOCK;
			for (size_t j = 0; j < p; j++) {
				const double *v = J->colp[j];
				double *b = buf + j * CORR_BLOCK, sh = J->shift[j], s = 0;
				if (J->idx)
					for (size_t i = 0; i < m; i++)
						s += b[i] = v[J->idx[r + i]] - sh;
				else
					for (size_t i = 0; i < m; i++)
						s += b[i] = v[r + i] - sh;
				sum[j] += s;
			}
			block_xtx(buf, p, m, xtx);
		}
		if (part == 0)
			wb_progress_set(J->progress,
					0.9 * (double)(sg + 1 - lo) / (double)(hi - lo));
	}
	free(buf);
}

/* Covariance-then-correlation of the columns over the selected rows, with the data shifted by
 * their first selected row (the shifted-data algorithm keeps the sums of squares accurate). */
static int corr_matrix(wb_citest *t, const double *const *colp, const size_t *idx, int threads,
		       wb_progress *progress, wb_err *err)
{
	size_t p = t->p, n = t->n;
	size_t nseg = n / CORR_BLOCK + 1 < CORR_SEGMENTS ? n / CORR_BLOCK + 1 : CORR_SEGMENTS;
	double *shift = malloc(p * sizeof *shift);
	double *acc = malloc(nseg * (p + p * p) * sizeof *acc);
	t->corr = malloc(p * p * sizeof *t->corr);
	if (!shift || !acc || !t->corr) {
		free(shift);
		free(acc);
		return wb_err_set(err, WB_ENOMEM, "out of memory for the correlation matrix");
	}
	for (size_t j = 0; j < p; j++)
		shift[j] = colp[j][idx ? idx[0] : 0];
	corr_job job = {colp, p, idx, n, nseg, shift, acc, progress, {0}};
	int parts = wb_parallel_run(nseg, threads, 1, corr_part, &job), rc = 0;
	for (int k = 0; k < parts && !rc; k++)
		rc = job.rc[k];
	if (rc) {
		free(shift);
		free(acc);
		return rc == WB_ECANCEL
			   ? wb_err_set(err, rc, "cancelled")
			   : wb_err_set(err, rc, "out of memory for the correlation pass");
	}
	double *sum = acc, *xtx = acc + p;
	for (size_t sg = 1; sg < nseg; sg++) { /* in segment order */
		const double *s2 = acc + sg * (p + p * p);
		for (size_t j = 0; j < p; j++)
			sum[j] += s2[j];
		for (size_t j = 0; j < p * p; j++)
			xtx[j] += s2[p + j];
	}
	double *C = t->corr;
	for (size_t a = 0; a < p; a++)
		for (size_t b = a; b < p; b++)
			C[a * p + b] = C[b * p + a] =
			    xtx[a * p + b] - sum[a] * sum[b] / (double)n; /* upper triangle */
	rc = 0;
	for (size_t j = 0; j < p && !rc; j++)
		if (!(C[j * p + j] > 0))
			rc = wb_err_set(err, WB_EINVAL, "column '%s' is constant", t->names[j]);
	if (!rc) {
		for (size_t a = 0; a < p; a++)
			shift[a] = sqrt(C[a * p + a]);
		for (size_t a = 0; a < p; a++)
			for (size_t b = 0; b < p; b++)
				C[a * p + b] = a == b ? 1.0 : C[a * p + b] / (shift[a] * shift[b]);
	}
	free(shift);
	free(acc);
	return rc;
}

/* Cholesky of the leading k × k block of the p × p matrix C into L (k × k, row-major,
 * lower triangle); returns the smallest pivot L_jj², or -1 if the decomposition failed. */
static double leading_min_pivot(const double *C, size_t p, size_t k, double *L)
{
	for (size_t a = 0; a < k; a++)
		memcpy(L + a * k, C + a * p, k * sizeof *L);
	gsl_matrix_view M = gsl_matrix_view_array(L, k, k);
	if (gsl_linalg_cholesky_decomp1(&M.matrix) != GSL_SUCCESS)
		return -1;
	double mn = INFINITY;
	for (size_t a = 0; a < k; a++)
		if (L[a * k + a] * L[a * k + a] < mn)
			mn = L[a * k + a] * L[a * k + a];
	return mn;
}

/* Every principal submatrix is positive definite when the whole matrix is, so one check here
 * means no test can meet a singular submatrix. On failure the message names the first column
 * that is a linear function of those before it (found by bisection on the leading size). */
static int check_collinear(const wb_citest *t, wb_err *err)
{
	size_t p = t->p;
	double *L = malloc(p * p * sizeof *L);
	if (!L)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	int rc = 0;
	if (leading_min_pivot(t->corr, p, p, L) < COLLINEAR_TOL) {
		size_t lo = 1, hi = p; /* leading size lo is fine, hi is not */
		while (hi - lo > 1) {
			size_t mid = (lo + hi) / 2;
			if (leading_min_pivot(t->corr, p, mid, L) < COLLINEAR_TOL)
				hi = mid;
			else
				lo = mid;
		}
		rc = wb_err_set(err, WB_EINVAL,
				"columns are collinear: '%s' is a linear function of the columns "
				"listed before it",
				t->names[hi - 1]);
	}
	free(L);
	return rc;
}

/* ---- G²: recoding to compact level codes ---- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Codes column v over the selected rows as 0 .. L-1 in increasing order of the values that
 * occur (so an absent level takes no code). */
static int recode(wb_citest *t, size_t j, const double *v, const size_t *idx, wb_err *err)
{
	size_t n = t->n;
	double *vals = malloc(n * sizeof *vals);
	t->code[j] = malloc(n);
	if (!vals || !t->code[j]) {
		free(vals);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++)
		vals[i] = v[idx ? idx[i] : i];
	qsort(vals, n, sizeof *vals, cmp_double);
	size_t L = 0;
	for (size_t i = 0; i < n; i++)
		if (i == 0 || vals[i] != vals[L - 1]) {
			if (L == WB_CI_MAX_LEVELS) {
				free(vals);
				return wb_err_set(
				    err, WB_EINVAL,
				    "column '%s' has more than %d distinct values: G² "
				    "needs discrete columns (use test=fisherz)",
				    t->names[j], WB_CI_MAX_LEVELS);
			}
			vals[L++] = vals[i];
		}
	if (L < 2) {
		free(vals);
		return wb_err_set(err, WB_EINVAL, "column '%s' is constant", t->names[j]);
	}
	for (size_t i = 0; i < n; i++) {
		double x = v[idx ? idx[i] : i];
		size_t lo = 0, hi = L - 1;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (vals[mid] < x)
				lo = mid + 1;
			else
				hi = mid;
		}
		t->code[j][i] = (uint8_t)lo;
	}
	t->nlev[j] = L;
	free(vals);
	return 0;
}

/* ---- construction ---- */

int wb_citest_new(const wb_frame *f, const size_t *cols, size_t ncols, const wb_ci_options *opt,
		  wb_progress *progress, wb_citest **out, wb_err *err)
{
	static const wb_ci_options defaults = {0};
	if (!opt)
		opt = &defaults;
	*out = NULL;
	if (ncols < 2)
		return wb_err_set(err, WB_EINVAL, "a CI test needs at least 2 columns, got %zu",
				  ncols);
	for (size_t a = 0; a < ncols; a++) {
		if (cols[a] >= wb_frame_ncols(f))
			return wb_err_set(err, WB_EINVAL, "column %zu out of range", cols[a]);
		for (size_t b = 0; b < a; b++)
			if (cols[a] == cols[b])
				return wb_err_set(err, WB_EINVAL, "column '%s' is given twice",
						  wb_frame_colname(f, cols[a]));
	}
	wb_ci_kind kind;
	int rc = choose_kind(f, cols, ncols, opt->kind, &kind, err);
	if (rc)
		return rc;
	wb_citest *t = calloc(1, sizeof *t);
	const double **colp = malloc(ncols * sizeof *colp);
	if (!t || !colp || !(t->names = calloc(ncols, sizeof *t->names))) {
		free(t);
		free(colp);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	t->kind = kind;
	t->p = ncols;
	for (size_t j = 0; j < ncols; j++) {
		colp[j] = wb_frame_col(f, cols[j]);
		if (!(t->names[j] = strdup(wb_frame_colname(f, cols[j])))) {
			rc = wb_err_set(err, WB_ENOMEM, "out of memory");
			goto fail;
		}
	}
	size_t *idx = NULL;
	if (select_rows(f, cols, ncols, opt, &idx, &t->n, &t->dropped) < 0) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto fail;
	}
	if (t->n < 4) {
		rc = wb_err_set(
		    err, WB_EINVAL,
		    "%zu complete rows (%zu dropped for missing values): a CI test needs "
		    "at least 4",
		    t->n, t->dropped);
	} else if (kind == WB_CI_FISHERZ) {
		rc = corr_matrix(t, colp, idx, opt->threads, progress, err);
		if (!rc)
			rc = check_collinear(t, err);
	} else {
		t->code = calloc(ncols, sizeof *t->code);
		t->nlev = calloc(ncols, sizeof *t->nlev);
		if (!t->code || !t->nlev)
			rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		for (size_t j = 0; j < ncols && !rc; j++)
			rc = recode(t, j, colp[j], idx, err);
	}
	free(idx);
	if (rc)
		goto fail;
	free(colp);
	wb_progress_set(progress, 1.0);
	*out = t;
	return 0;
fail:
	free(colp);
	wb_citest_free(t);
	return rc;
}

/* ---- Fisher-z ---- */

/* Partial correlation of x and y given S from the Cholesky factor L of the correlation
 * submatrix ordered (S, x, y): with k = |S|, L[k][k]² is the residual variance of x given S,
 * L[k+1][k]·L[k][k] the residual covariance, L[k+1][k]² + L[k+1][k+1]² the residual variance
 * of y, so r = L[k+1][k] / sqrt(L[k+1][k]² + L[k+1][k+1]²). The last pivot may vanish (y a
 * linear function of S and x: r = ±1), which the decomposition would refuse, so only the
 * S-and-x block is decomposed by GSL and the last row is solved for here. */
static int fisherz(const wb_citest *t, size_t x, size_t y, const size_t *S, size_t k,
		   wb_ci_outcome *out, wb_err *err)
{
	if (t->n < k + 4)
		return wb_err_set(err, WB_EINVAL,
				  "%zu rows are too few for Fisher-z given %zu variables "
				  "(needs n - |S| - 3 >= 1)",
				  t->n, k);
	size_t m = k + 1, p = t->p;
	double stackbuf[32 * 32 + 32], *A = stackbuf;
	if (m > 31 && !(A = malloc((m * m + m) * sizeof *A)))
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	double *c = A + m * m; /* correlations of y with (S, x) */
	const double *C = t->corr;
	for (size_t a = 0; a < m; a++) {
		size_t va = a < k ? S[a] : x;
		for (size_t b = 0; b <= a; b++)
			A[a * m + b] = A[b * m + a] = C[va * p + (b < k ? S[b] : x)];
		c[a] = C[y * p + va];
	}
	gsl_matrix_view M = gsl_matrix_view_array(A, m, m);
	gsl_vector_view cv = gsl_vector_view_array(c, m);
	int rc = 0;
	if (gsl_linalg_cholesky_decomp1(&M.matrix) != GSL_SUCCESS ||
	    gsl_blas_dtrsv(CblasLower, CblasNoTrans, CblasNonUnit, &M.matrix, &cv.vector)) {
		rc = wb_err_set(err, WB_ENUMERIC,
				"correlation submatrix of '%s' and %zu conditioning variables is "
				"singular",
				t->names[x], k);
	} else {
		/* c now holds row k+1 of L: c[k] = L[k+1][k]; residual variance of y is
		 * 1 − Σ_{b<=k} c[b]². */
		double ry = 1.0;
		for (size_t b = 0; b < m; b++)
			ry -= c[b] * c[b];
		double lxy = c[k];
		double den = sqrt(lxy * lxy + (ry > 0 ? ry : 0));
		double r = den > 0 ? lxy / den : 0;
		const double rmax = 1 - 1e-15;
		if (r > rmax)
			r = rmax;
		if (r < -rmax)
			r = -rmax;
		double z = 0.5 * log((1 + r) / (1 - r)) * sqrt((double)(t->n - k - 3));
		*out = (wb_ci_outcome){z, 2 * gsl_cdf_ugaussian_Q(fabs(z)), 0, r};
	}
	if (A != stackbuf)
		free(A);
	return rc;
}

/* ---- G² ---- */

typedef struct gsq_acc {
	double g2, df;
	size_t lx, ly;
	double *rs, *cs; /* lx and ly margins */
} gsq_acc;

/* Adds one stratum's lx × ly table of counts. */
static void gsq_stratum(gsq_acc *A, const uint32_t *tab)
{
	double ns = 0;
	size_t rnz = 0, cnz = 0;
	memset(A->rs, 0, A->lx * sizeof *A->rs);
	memset(A->cs, 0, A->ly * sizeof *A->cs);
	for (size_t a = 0; a < A->lx; a++)
		for (size_t b = 0; b < A->ly; b++) {
			A->rs[a] += tab[a * A->ly + b];
			A->cs[b] += tab[a * A->ly + b];
		}
	for (size_t a = 0; a < A->lx; a++) {
		ns += A->rs[a];
		rnz += A->rs[a] > 0;
	}
	for (size_t b = 0; b < A->ly; b++)
		cnz += A->cs[b] > 0;
	if (ns == 0)
		return;
	for (size_t a = 0; a < A->lx; a++)
		for (size_t b = 0; b < A->ly; b++) {
			double o = tab[a * A->ly + b];
			if (o > 0)
				A->g2 += 2 * o * log(o * ns / (A->rs[a] * A->cs[b]));
		}
	A->df += (double)((rnz - 1) * (cnz - 1));
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static int gsq(const wb_citest *t, size_t x, size_t y, const size_t *S, size_t k,
	       wb_ci_outcome *out, wb_err *err)
{
	size_t n = t->n, lx = t->nlev[x], ly = t->nlev[y], cell = lx * ly;
	double nstrata = 1;
	for (size_t a = 0; a < k; a++)
		nstrata *= (double)t->nlev[S[a]];
	if (nstrata * (double)cell > 1e18)
		return wb_err_set(err, WB_EINVAL,
				  "G² given %zu variables has too many strata (%.3g)", k, nstrata);
	double margins[2 * WB_CI_MAX_LEVELS];
	gsq_acc A = {0, 0, lx, ly, margins, margins + WB_CI_MAX_LEVELS};
	const uint8_t *cx = t->code[x], *cy = t->code[y];
	/* Dense table when it is small next to n, else sort the rows by their cell key. */
	int dense = nstrata * (double)cell <= (double)(4 * n + 65536);
	size_t ncell = dense ? (size_t)nstrata * cell : cell;
	uint32_t *tab = calloc(ncell, sizeof *tab);
	uint64_t *keys = dense ? NULL : malloc(n * sizeof *keys);
	if (!tab || (!dense && !keys)) {
		free(tab);
		free(keys);
		return wb_err_set(err, WB_ENOMEM, "out of memory for a G² table");
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t s = 0;
		for (size_t a = 0; a < k; a++)
			s = s * t->nlev[S[a]] + t->code[S[a]][i];
		uint64_t key = s * cell + (uint64_t)cx[i] * ly + cy[i];
		if (dense)
			tab[key]++;
		else
			keys[i] = key;
	}
	if (dense) {
		for (size_t s = 0; s < (size_t)nstrata; s++)
			gsq_stratum(&A, tab + s * cell);
	} else {
		qsort(keys, n, sizeof *keys, cmp_u64);
		for (size_t i = 0; i < n;) {
			uint64_t s = keys[i] / cell;
			memset(tab, 0, cell * sizeof *tab);
			for (; i < n && keys[i] / cell == s; i++)
				tab[keys[i] % cell]++;
			gsq_stratum(&A, tab);
		}
	}
	free(tab);
	free(keys);
	double p = A.df > 0 ? gsl_cdf_chisq_Q(A.g2 > 0 ? A.g2 : 0, A.df) : 1.0;
	*out = (wb_ci_outcome){A.df > 0 ? (A.g2 > 0 ? A.g2 : 0) : 0, p, A.df, 0};
	return 0;
}

int wb_citest_test(const wb_citest *t, size_t x, size_t y, const size_t *S, size_t ns,
		   wb_ci_outcome *out, wb_err *err)
{
	if (x >= t->p || y >= t->p || x == y)
		return wb_err_set(err, WB_EINVAL, "CI test of variables %zu and %zu (of %zu)", x, y,
				  t->p);
	for (size_t a = 0; a < ns; a++) {
		if (S[a] >= t->p || S[a] == x || S[a] == y)
			return wb_err_set(err, WB_EINVAL, "conditioning variable %zu is invalid",
					  S[a]);
		for (size_t b = 0; b < a; b++)
			if (S[a] == S[b])
				return wb_err_set(err, WB_EINVAL,
						  "conditioning variable %zu given twice", S[a]);
	}
	return t->kind == WB_CI_FISHERZ ? fisherz(t, x, y, S, ns, out, err)
					: gsq(t, x, y, S, ns, out, err);
}
