/* glm.c — OLS, logistic regression (IRLS), 2SLS and design matrices. See glm.h. */
#include "glm.h"

#include "parallel.h"

#include <gsl/gsl_cblas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_ROWS_PER_THREAD 20000
#define BLOCK_ROWS 512
#define RCOND_MIN 1e-12

/* ---- sufficient statistics ---- */

/* OpenBLAS runs each small block product on the calling thread: the engine splits the rows
 * over its own threads, and BLAS threads inside them would only compete for the same cores.
 * The symbol is weak so that another BLAS links too. */
extern void openblas_set_num_threads(int) __attribute__((weak));
static pthread_once_t blas_once = PTHREAD_ONCE_INIT;

static void blas_single(void)
{
	if (openblas_set_num_threads)
		openblas_set_num_threads(1);
}

/* Running centred sums of a set of rows: total weight, means, and the upper triangle of
 * sum w (z - m)(z - m)'. */
typedef struct moments {
	double sw, *m, *c;
} moments;

/* Adds the moments b to a (Chan, Golub & LeVeque 1979): the centred sums of the union are
 * a.c + b.c + (sw_a sw_b / sw) (m_b - m_a)(m_b - m_a)', exact in real arithmetic and stable
 * in floating point, so a single pass over the rows keeps the precision of two. */
static void moments_merge(moments *a, const moments *b, size_t q)
{
	if (b->sw == 0)
		return;
	if (a->sw == 0) {
		a->sw = b->sw;
		memcpy(a->m, b->m, q * sizeof *a->m);
		for (size_t r = 0; r < q; r++)
			for (size_t c = r; c < q; c++)
				a->c[r * q + c] = b->c[r * q + c];
		return;
	}
	double sw = a->sw + b->sw, f = a->sw * b->sw / sw, g = b->sw / sw;
	double d[q];
	for (size_t r = 0; r < q; r++)
		d[r] = b->m[r] - a->m[r];
	for (size_t r = 0; r < q; r++)
		for (size_t c = r; c < q; c++)
			a->c[r * q + c] += b->c[r * q + c] + f * d[r] * d[c];
	for (size_t r = 0; r < q; r++)
		a->m[r] += g * d[r];
	a->sw = sw;
}

typedef struct xprod_ctx {
	const wb_xblock *blk;
	size_t nb, q;
	const double *w;
	moments part[WB_PARALLEL_MAX];
	double *scratch; /* per part, XPROD_SCRATCH(q) doubles: the block's means and sums, its
			  * rows, the part's means and sums */
} xprod_ctx;

#define XPROD_SCRATCH(q) (2 * (q) + 2 * (q) * (q) + BLOCK_ROWS * (q))

/* One part's rows, a block at a time: the block's weighted means, its rows centred and
 * scaled by sqrt(w) into a cache-sized buffer, their products by dsyrk, merged into the
 * part's running moments. */
static void xprod_part(void *arg, int k, size_t lo, size_t hi)
{
	xprod_ctx *c = arg;
	size_t q = c->q;
	double *bm = c->scratch + (size_t)k * XPROD_SCRATCH(q);
	double *bc = bm + q, *buf = bc + q * q;
	moments *acc = &c->part[k], blk = {0, bm, bc};
	acc->m = buf + BLOCK_ROWS * q;
	acc->c = acc->m + q;
	acc->sw = 0;
	memset(acc->m, 0, q * sizeof *acc->m);
	memset(acc->c, 0, q * q * sizeof *acc->c);
	for (size_t b0 = lo; b0 < hi; b0 += BLOCK_ROWS) {
		size_t b1 = b0 + BLOCK_ROWS < hi ? b0 + BLOCK_ROWS : hi, nb = b1 - b0;
		double sw = 0;
		memset(bm, 0, q * sizeof *bm);
		for (size_t i = b0; i < b1; i++) {
			double wi = c->w ? c->w[i] : 1.0, *zi = buf + (i - b0) * q;
			for (size_t g = 0, j = 0; g < c->nb; g++) {
				const wb_xblock *B = &c->blk[g];
				const double *v = B->v + i * B->stride;
				for (size_t r = 0; r < B->cols; r++)
					zi[j++] = v[r];
			}
			sw += wi;
			for (size_t r = 0; r < q; r++)
				bm[r] += wi * zi[r];
		}
		if (sw == 0)
			continue;
		for (size_t r = 0; r < q; r++)
			bm[r] /= sw;
		for (size_t i = 0; i < nb; i++) {
			double *zi = buf + i * q, s = c->w ? sqrt(c->w[b0 + i]) : 1.0;
			for (size_t r = 0; r < q; r++)
				zi[r] = s * (zi[r] - bm[r]);
		}
		cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)q, (int)nb, 1.0, buf,
			    (int)q, 0.0, bc, (int)q);
		blk.sw = sw;
		moments_merge(acc, &blk, q);
	}
}

int wb_xprod_blocks(const wb_xblock *blk, size_t nb, size_t n, const double *w, int threads,
		    wb_xprod *out, wb_err *err)
{
	memset(out, 0, sizeof *out);
	size_t q = 0;
	for (size_t g = 0; g < nb; g++)
		q += blk[g].cols;
	if (q == 0)
		return wb_err_set(err, WB_EINVAL, "cross-products of a design with no columns");
	pthread_once(&blas_once, blas_single);
	int t = wb_parallel_parts(n, threads, MIN_ROWS_PER_THREAD);
	xprod_ctx c = {.blk = blk, .nb = nb, .q = q, .w = w};
	c.scratch = malloc((size_t)t * XPROD_SCRATCH(q) * sizeof *c.scratch);
	out->mean = calloc(q, sizeof *out->mean);
	out->cxx = calloc(q * q, sizeof *out->cxx);
	out->cxy = calloc(q, sizeof *out->cxy);
	out->xtx = calloc(q * q, sizeof *out->xtx);
	out->xty = calloc(q, sizeof *out->xty);
	if (!c.scratch || !out->mean || !out->cxx || !out->cxy || !out->xtx || !out->xty) {
		free(c.scratch);
		wb_xprod_free(out);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	wb_parallel_run(n, t, MIN_ROWS_PER_THREAD, xprod_part, &c);
	moments all = {0, out->mean, out->cxx};
	for (int k = 0; k < t; k++)
		moments_merge(&all, &c.part[k], q);
	free(c.scratch);
	out->p = q;
	out->n = n;
	out->sumw = all.sw;
	double sw = all.sw;
	for (size_t r = 0; r < q; r++)
		for (size_t cc = 0; cc < r; cc++)
			out->cxx[r * q + cc] = out->cxx[cc * q + r];
	for (size_t r = 0; r < q; r++)
		for (size_t cc = 0; cc < q; cc++)
			out->xtx[r * q + cc] = out->cxx[r * q + cc] + sw * out->mean[r] * out->mean[cc];
	return 0;
}

/* The columns of x with y as one extra column, then split: x's block and y's border. */
int wb_xprod_compute(const double *x, size_t n, size_t p, const double *y, const double *w,
		     int threads, wb_xprod *out, wb_err *err)
{
	if (p == 0) {
		memset(out, 0, sizeof *out);
		return wb_err_set(err, WB_EINVAL, "cross-products of a design with no columns");
	}
	wb_xblock blk[2] = {{x, p, p}, {y, 1, 1}};
	wb_xprod z;
	int rc = wb_xprod_blocks(blk, y ? 2 : 1, n, w, threads, &z, err);
	if (rc) {
		memset(out, 0, sizeof *out);
		return rc;
	}
	if (!y) {
		*out = z;
		out->p = p;
		return 0;
	}
	size_t q = p + 1;
	z.ymean = z.mean[p];
	z.cyy = z.cxx[p * q + p];
	z.yty = z.xtx[p * q + p];
	for (size_t r = 0; r < p; r++) {
		z.cxy[r] = z.cxx[r * q + p];
		z.xty[r] = z.xtx[r * q + p];
	}
	/* rows r < p move down to r * p, never over a row still to be read */
	for (size_t r = 0; r < p; r++) {
		memmove(z.cxx + r * p, z.cxx + r * q, p * sizeof *z.cxx);
		memmove(z.xtx + r * p, z.xtx + r * q, p * sizeof *z.xtx);
	}
	*out = z;
	out->p = p;
	return 0;
}

int wb_xprod_select(const wb_xprod *all, const size_t *cols, size_t k, long ycol, wb_xprod *out,
		    wb_err *err)
{
	memset(out, 0, sizeof *out);
	size_t q = all->p;
	out->mean = malloc((k ? k : 1) * sizeof *out->mean);
	out->cxx = malloc((k ? k * k : 1) * sizeof *out->cxx);
	out->cxy = calloc(k ? k : 1, sizeof *out->cxy);
	out->xtx = malloc((k ? k * k : 1) * sizeof *out->xtx);
	out->xty = calloc(k ? k : 1, sizeof *out->xty);
	if (!out->mean || !out->cxx || !out->cxy || !out->xtx || !out->xty) {
		wb_xprod_free(out);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	out->p = k;
	out->n = all->n;
	out->sumw = all->sumw;
	for (size_t r = 0; r < k; r++) {
		out->mean[r] = all->mean[cols[r]];
		for (size_t c = 0; c < k; c++) {
			out->cxx[r * k + c] = all->cxx[cols[r] * q + cols[c]];
			out->xtx[r * k + c] = all->xtx[cols[r] * q + cols[c]];
		}
		if (ycol >= 0) {
			out->cxy[r] = all->cxx[cols[r] * q + (size_t)ycol];
			out->xty[r] = all->xtx[cols[r] * q + (size_t)ycol];
		}
	}
	if (ycol >= 0) {
		out->ymean = all->mean[ycol];
		out->cyy = all->cxx[(size_t)ycol * q + (size_t)ycol];
		out->yty = all->xtx[(size_t)ycol * q + (size_t)ycol];
	}
	return 0;
}

void wb_xprod_free(wb_xprod *s)
{
	free(s->mean);
	free(s->cxx);
	free(s->cxy);
	free(s->xtx);
	free(s->xty);
	memset(s, 0, sizeof *s);
}

/* ---- symmetric positive definite inverse with a named singularity ---- */

static void colname(const char *const *names, size_t j, char *buf, size_t size)
{
	if (names && names[j])
		snprintf(buf, size, "'%s'", names[j]);
	else
		snprintf(buf, size, "column %zu", j + 1);
}

/* Cholesky of the leading k × k block of the unit-diagonal scaled matrix s; 0 if it is
 * numerically positive definite. */
static int leading_ok(const gsl_matrix *s, size_t k, gsl_matrix *work)
{
	gsl_matrix_view wv = gsl_matrix_submatrix(work, 0, 0, k, k);
	gsl_matrix_const_view sv = gsl_matrix_const_submatrix(s, 0, 0, k, k);
	gsl_matrix_memcpy(&wv.matrix, &sv.matrix);
	if (gsl_linalg_cholesky_decomp1(&wv.matrix))
		return 0;
	double rc;
	gsl_vector *tmp = gsl_vector_alloc(3 * k);
	if (!tmp)
		return 0;
	int st = gsl_linalg_cholesky_rcond(&wv.matrix, &rc, tmp);
	gsl_vector_free(tmp);
	return st == 0 && rc > RCOND_MIN;
}

/* Inverts the p × p symmetric matrix a into inv (both row-major). The matrix is scaled to unit
 * diagonal first so the conditioning test does not depend on the columns' units. On
 * singularity, names the first column whose leading block is singular. */
static int spd_inverse(const double *a, size_t p, const char *const *names, int centred,
		       double *inv, wb_err *err)
{
	char nm[300];
	double *d = malloc(p * sizeof *d);
	gsl_matrix *s = gsl_matrix_alloc(p, p), *work = gsl_matrix_alloc(p, p);
	gsl_vector *tmp = gsl_vector_alloc(3 * p);
	int rc = 0;
	if (!d || !s || !work || !tmp) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t j = 0; j < p; j++) {
		if (!(a[j * p + j] > 0) || !isfinite(a[j * p + j])) {
			colname(names, j, nm, sizeof nm);
			rc = wb_err_set(
			    err, WB_ENUMERIC,
			    centred ? "singular design: %s is constant in the rows used (the "
				      "intercept already accounts for it)"
				    : "singular design: %s is zero in every row used",
			    nm);
			goto out;
		}
		d[j] = 1 / sqrt(a[j * p + j]);
	}
	for (size_t r = 0; r < p; r++)
		for (size_t c = 0; c < p; c++)
			gsl_matrix_set(s, r, c, a[r * p + c] * d[r] * d[c]);
	gsl_matrix_memcpy(work, s);
	double rcond = 0;
	int st = gsl_linalg_cholesky_decomp1(work);
	if (st == 0)
		st = gsl_linalg_cholesky_rcond(work, &rcond, tmp);
	if (st || !(rcond > RCOND_MIN)) {
		size_t k = 1;
		while (k < p && leading_ok(s, k + 1, work))
			k++;
		colname(names, k < p ? k : p - 1, nm, sizeof nm);
		rc = wb_err_set(
		    err, WB_ENUMERIC,
		    "singular design: %s is a linear combination of the columns before it "
		    "(constant, collinear, or a level no row has)",
		    nm);
		goto out;
	}
	if ((st = gsl_linalg_cholesky_invert(work))) {
		rc = wb_err_gsl(err, st, "inverting the normal equations");
		goto out;
	}
	for (size_t r = 0; r < p; r++)
		for (size_t c = 0; c < p; c++)
			inv[r * p + c] = gsl_matrix_get(work, r, c) * d[r] * d[c];
out:
	free(d);
	gsl_matrix_free(s);
	gsl_matrix_free(work);
	gsl_vector_free(tmp);
	return rc;
}

/* ---- OLS ---- */

void wb_ols_free(wb_ols *o)
{
	free(o->beta);
	free(o->inv);
	free(o->se);
	free(o->se_hc1);
	memset(o, 0, sizeof *o);
}

int wb_ols_solve(const wb_xprod *s, const char *const *names, wb_ols *out, wb_err *err)
{
	memset(out, 0, sizeof *out);
	size_t p = s->p;
	if (!(s->sumw > (double)p))
		return wb_err_set(err, WB_ENUMERIC, "%g rows for %zu coefficients: too few rows",
				  s->sumw, p);
	out->p = p;
	out->beta = calloc(p, sizeof *out->beta);
	out->inv = calloc(p * p, sizeof *out->inv);
	out->se = calloc(p, sizeof *out->se);
	out->se_hc1 = calloc(p, sizeof *out->se_hc1);
	if (!out->beta || !out->inv || !out->se || !out->se_hc1) {
		wb_ols_free(out);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	int centred = s->cxx && s->mean[0] == 1 && s->cxx[0] == 0;
	int rc = 0;
	double sw = s->sumw;
	if (!centred) {
		if ((rc = spd_inverse(s->xtx, p, names, 0, out->inv, err)))
			goto fail;
		for (size_t r = 0; r < p; r++) {
			double b = 0;
			for (size_t c = 0; c < p; c++)
				b += out->inv[r * p + c] * s->xty[c];
			out->beta[r] = b;
		}
		/* rss = y'y - b'X'y at the solution */
		out->rss = s->yty;
		for (size_t r = 0; r < p; r++)
			out->rss -= out->beta[r] * s->xty[r];
	} else {
		/* Column 0 is the intercept: solve the centred system for the slopes, then
		 * beta0 = ybar - m'b and the inverse by blocks (1/n + m'C^-1 m, -C^-1 m, C^-1). */
		size_t k = p - 1;
		double *C = malloc((k * k > 0 ? k * k : 1) * sizeof *C);
		double *Ci = malloc((k * k > 0 ? k * k : 1) * sizeof *Ci);
		if (!C || !Ci) {
			free(C);
			free(Ci);
			rc = wb_err_set(err, WB_ENOMEM, "out of memory");
			goto fail;
		}
		for (size_t r = 0; r < k; r++)
			for (size_t c = 0; c < k; c++)
				C[r * k + c] = s->cxx[(r + 1) * p + c + 1];
		if (k && (rc = spd_inverse(C, k, names ? names + 1 : NULL, 1, Ci, err))) {
			free(C);
			free(Ci);
			goto fail;
		}
		out->beta[0] = s->ymean;
		out->rss = s->cyy;
		out->inv[0] = 1 / sw;
		for (size_t r = 0; r < k; r++) {
			double b = 0, cm = 0;
			for (size_t c = 0; c < k; c++) {
				b += Ci[r * k + c] * s->cxy[c + 1];
				cm += Ci[r * k + c] * s->mean[c + 1];
			}
			out->beta[r + 1] = b;
			out->beta[0] -= s->mean[r + 1] * b;
			out->rss -= b * s->cxy[r + 1];
			out->inv[0] += s->mean[r + 1] * cm;
			out->inv[r + 1] = out->inv[(r + 1) * p] = -cm;
			for (size_t c = 0; c < k; c++)
				out->inv[(r + 1) * p + c + 1] = Ci[r * k + c];
		}
		free(C);
		free(Ci);
	}
	if (out->rss < 0)
		out->rss = 0;
	out->nobs = sw;
	out->df_resid = sw - (double)p;
	out->sigma2 = out->rss / out->df_resid;
	for (size_t r = 0; r < p; r++) {
		out->se[r] = sqrt(out->sigma2 * out->inv[r * p + r]);
		out->se_hc1[r] = NAN;
	}
	double tss = centred ? s->cyy : s->yty;
	out->r2 = tss > 0 ? 1 - out->rss / tss : NAN;
	out->centred = centred;
	out->tss = tss;
	return 0;
fail:
	wb_ols_free(out);
	return rc;
}

int wb_ols_hc1(const double *x, size_t n, const double *y, const double *w, const int *which,
	       wb_ols *fit, wb_err *err)
{
	size_t p = fit->p, q = 0;
	size_t *idx = malloc(p * sizeof *idx);
	double *meat = NULL;
	if (!idx)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	for (size_t j = 0; j < p; j++)
		if (!which || which[j])
			idx[q++] = j;
	meat = calloc(q ? q : 1, sizeof *meat);
	if (!meat) {
		free(idx);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	/* Var(b_j) = sum_i w_i e_i^2 (a_j'x_i)^2 with a_j row j of (X'WX)^-1. */
	double rss = 0;
	for (size_t i = 0; i < n; i++) {
		double wi = w ? w[i] : 1.0;
		if (wi == 0)
			continue;
		const double *xi = x + i * p;
		double e = y[i];
		for (size_t c = 0; c < p; c++)
			e -= fit->beta[c] * xi[c];
		rss += wi * e * e;
		for (size_t k = 0; k < q; k++) {
			const double *a = fit->inv + idx[k] * p;
			double s = 0;
			for (size_t c = 0; c < p; c++)
				s += a[c] * xi[c];
			meat[k] += wi * e * e * s * s;
		}
	}
	double scale = fit->nobs / fit->df_resid;
	for (size_t j = 0; j < p; j++)
		fit->se_hc1[j] = NAN;
	for (size_t k = 0; k < q; k++)
		fit->se_hc1[idx[k]] = sqrt(scale * meat[k]);
	fit->rss = rss;
	fit->sigma2 = rss / fit->df_resid;
	for (size_t j = 0; j < p; j++)
		fit->se[j] = sqrt(fit->sigma2 * fit->inv[j * p + j]);
	if (fit->tss > 0)
		fit->r2 = 1 - rss / fit->tss;
	free(idx);
	free(meat);
	return 0;
}

int wb_ols_fit(const double *x, size_t n, size_t p, const double *y, const double *w,
	       const char *const *names, int threads, wb_ols *out, wb_err *err)
{
	wb_xprod s;
	memset(out, 0, sizeof *out);
	int rc = wb_xprod_compute(x, n, p, y, w, threads, &s, err);
	if (rc)
		return rc;
	rc = wb_ols_solve(&s, names, out, err);
	wb_xprod_free(&s);
	if (rc == 0 && (rc = wb_ols_hc1(x, n, y, w, NULL, out, err)))
		wb_ols_free(out);
	return rc;
}

/* ---- logistic regression by IRLS ---- */

void wb_logit_free(wb_logit *l)
{
	free(l->beta);
	free(l->se);
	memset(l, 0, sizeof *l);
}

static double expit(double eta)
{
	return eta >= 0 ? 1 / (1 + exp(-eta)) : exp(eta) / (1 + exp(eta));
}

void wb_logit_predict(const wb_logit *l, const double *x, size_t n, double *prob)
{
	size_t p = l->p;
	for (size_t i = 0; i < n; i++) {
		double eta = 0;
		for (size_t c = 0; c < p; c++)
			eta += l->beta[c] * x[i * p + c];
		prob[i] = expit(eta);
	}
}

typedef struct logit_eval_ctx {
	const double *x, *y, *w, *beta;
	size_t p;
	double *ww, *z; /* IRLS weights and working residuals at beta (NULL: not wanted) */
	double dev[WB_PARALLEL_MAX];
	size_t used[WB_PARALLEL_MAX], perfect[WB_PARALLEL_MAX];
} logit_eval_ctx;

static void logit_eval_part(void *arg, int part, size_t lo, size_t hi)
{
	logit_eval_ctx *c = arg;
	size_t p = c->p, perfect = 0, used = 0;
	double dev = 0;
	for (size_t i = lo; i < hi; i++) {
		double wi = c->w ? c->w[i] : 1.0, eta = 0;
		const double *xi = c->x + i * p;
		for (size_t j = 0; j < p; j++)
			eta += c->beta[j] * xi[j];
		if (c->ww) {
			double mu = expit(eta), v = mu * (1 - mu);
			if (v < 1e-12)
				v = 1e-12;
			c->ww[i] = wi * v;
			c->z[i] = (c->y[i] - mu) / v;
		}
		if (wi == 0)
			continue;
		used++;
		/* log(1 + e^eta) - y eta, stably */
		double l1p = eta > 0 ? eta + log1p(exp(-eta)) : log1p(exp(eta));
		dev += 2 * wi * (l1p - c->y[i] * eta);
		double m = c->y[i] ? eta : -eta; /* margin: > 0 when the prediction is on y's side */
		perfect += m > 30;
	}
	c->dev[part] = dev;
	c->used[part] = used;
	c->perfect[part] = perfect;
}

/* -2 log-likelihood at beta, weights as frequencies, in one threaded pass that also fills the
 * IRLS weights ww and working residuals z at beta (when not NULL). *nperfect (may be NULL):
 * the rows not yet predicted perfectly. */
static double deviance(const double *x, size_t n, size_t p, const double *y, const double *w,
		       const double *beta, size_t *nperfect, double *ww, double *z, int threads)
{
	logit_eval_ctx c = {.x = x, .y = y, .w = w, .beta = beta, .p = p, .ww = ww, .z = z};
	int parts = wb_parallel_run(n, threads, MIN_ROWS_PER_THREAD, logit_eval_part, &c);
	double dev = 0;
	size_t used = 0, perfect = 0;
	for (int k = 0; k < parts; k++) {
		dev += c.dev[k];
		used += c.used[k];
		perfect += c.perfect[k];
	}
	if (nperfect)
		*nperfect = used - perfect;
	return dev;
}

int wb_logit_fit(const double *x, size_t n, size_t p, const double *y, const double *w,
		 const wb_logit_opts *opt, const char *const *names, wb_logit *out, wb_err *err)
{
	memset(out, 0, sizeof *out);
	wb_logit_opts o = opt ? *opt : (wb_logit_opts){0};
	int max_iter = o.max_iter > 0 ? o.max_iter : 100;
	double tol = o.tol > 0 ? o.tol : 1e-10;
	double n1 = 0, n0 = 0;
	for (size_t i = 0; i < n; i++) {
		double wi = w ? w[i] : 1.0;
		if (wi == 0)
			continue;
		if (y[i] == 1)
			n1 += wi;
		else if (y[i] == 0)
			n0 += wi;
		else
			return wb_err_set(
			    err, WB_EINVAL,
			    "logistic regression: the outcome must be 0 or 1, row %zu is %g", i + 1,
			    y[i]);
	}
	if (n1 == 0 || n0 == 0)
		return wb_err_set(
		    err, WB_EINVAL,
		    "logistic regression: the outcome is %d in every row, nothing to fit",
		    n1 ? 1 : 0);
	out->p = p;
	out->beta = calloc(p, sizeof *out->beta);
	out->se = calloc(p, sizeof *out->se);
	double *z = malloc(n * sizeof *z), *ww = malloc(n * sizeof *ww);
	double *inv = malloc(p * p * sizeof *inv), *step = malloc(p * sizeof *step);
	wb_xprod s = {0};
	int rc = 0;
	if (!out->beta || !out->se || !z || !ww || !inv || !step) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto fail;
	}
	/* Start from the intercept-only fit when column 0 is the intercept, else from 0. */
	out->beta[0] = log(n1 / n0);
	int constant0 = 1;
	for (size_t i = 0; i < n && constant0; i++)
		constant0 = x[i * p] == 1;
	if (!constant0)
		out->beta[0] = 0;
	size_t notperfect;
	/* penalised below; every evaluation also leaves the IRLS weights at its beta */
	double dev = deviance(x, n, p, y, w, out->beta, &notperfect, ww, z, o.threads);
	int converged = 0, it;
	for (it = 1; it <= max_iter; it++) {
		/* Newton step: (X'WX + l2 I) step = X'(y - mu) - l2 beta, W = w mu (1 - mu),
		 * computed as the cross-products of z = (y - mu) / (mu (1 - mu)) with weights ww
		 * (from the last evaluation, which was at the current beta).
		 */
		wb_xprod_free(&s);
		if ((rc = wb_xprod_compute(x, n, p, z, ww, o.threads, &s, err)))
			goto fail;
		for (size_t c = 1; c < p; c++) {
			s.xtx[c * p + c] += o.l2;
			s.xty[c] -= o.l2 * out->beta[c];
		}
		if ((rc = spd_inverse(s.xtx, p, names, 0, inv, err))) {
			if (it > 1)
				goto separation;
			goto fail;
		}
		for (size_t r = 0; r < p; r++) {
			step[r] = 0;
			for (size_t c = 0; c < p; c++)
				step[r] += inv[r * p + c] * s.xty[c];
		}
		/* Step halving keeps the penalised deviance from rising. */
		double newdev = dev, f = 1;
		for (int h = 0; h < 30; h++) {
			for (size_t c = 0; c < p; c++)
				out->beta[c] += f * step[c];
			double pen = 0;
			for (size_t c = 1; c < p; c++)
				pen += o.l2 * out->beta[c] * out->beta[c];
			newdev = deviance(x, n, p, y, w, out->beta, &notperfect, ww, z, o.threads) +
				 pen;
			if (newdev <= dev + 1e-12 * fabs(dev) || h == 29)
				break;
			for (size_t c = 0; c < p; c++)
				out->beta[c] -= f * step[c];
			f /= 2;
		}
		double change = fabs(newdev - dev) / (fabs(newdev) + 0.1);
		dev = newdev;
		if (notperfect == 0 || (o.l2 == 0 && dev < 1e-6))
			goto separation;
		if (change < tol) {
			converged = 1;
			break;
		}
	}
	if (!converged) {
		double big = 0;
		for (size_t c = 0; c < p; c++)
			if (fabs(out->beta[c]) > big)
				big = fabs(out->beta[c]);
		if (big > 20)
			goto separation;
		rc = wb_err_set(err, WB_ENUMERIC,
				"logistic regression: no convergence in %d iterations", max_iter);
		goto fail;
	}
	out->deviance = deviance(x, n, p, y, w, out->beta, NULL, NULL, NULL, o.threads);
	out->iterations = it;
	if (o.skip_se) {
		for (size_t c = 0; c < p; c++)
			out->se[c] = NAN;
		goto done;
	}
	/* Standard errors from the Fisher information at the solution. */
	for (size_t i = 0; i < n; i++) {
		double eta = 0;
		for (size_t c = 0; c < p; c++)
			eta += out->beta[c] * x[i * p + c];
		double mu = expit(eta);
		ww[i] = (w ? w[i] : 1.0) * mu * (1 - mu);
	}
	wb_xprod_free(&s);
	if ((rc = wb_xprod_compute(x, n, p, NULL, ww, o.threads, &s, err)))
		goto fail;
	for (size_t c = 1; c < p; c++)
		s.xtx[c * p + c] += o.l2;
	if ((rc = spd_inverse(s.xtx, p, names, 0, inv, err)))
		goto separation;
	for (size_t c = 0; c < p; c++)
		out->se[c] = sqrt(inv[c * p + c]);
	goto done;
separation:
	rc = wb_err_set(err, WB_ENUMERIC,
			"logistic regression: perfect separation: the columns predict the outcome "
			"exactly, so the maximum likelihood estimate does not exist (drop the "
			"separating column, or ask for a penalty)");
fail:
	wb_logit_free(out);
done:
	wb_xprod_free(&s);
	free(z);
	free(ww);
	free(inv);
	free(step);
	return rc;
}

/* ---- two-stage least squares ---- */

void wb_tsls_free(wb_tsls *t)
{
	free(t->beta);
	free(t->se);
	free(t->se_hc1);
	free(t->first_f);
	free(t->first_df);
	memset(t, 0, sizeof *t);
}

/* New n × (pa + pb) matrix [a b] (b may be NULL with pb 0). */
static double *hstack(size_t n, const double *a, size_t pa, const double *b, size_t pb)
{
	size_t p = pa + pb;
	double *m = malloc((n * p > 0 ? n * p : 1) * sizeof *m);
	if (!m)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (pa)
			memcpy(m + i * p, a + i * pa, pa * sizeof *m);
		if (pb)
			memcpy(m + i * p + pa, b + i * pb, pb * sizeof *m);
	}
	return m;
}

/* OLS of column j of xe on x (n × p), fitted values into fit; returns rss via *rss. */
static int stage_fit(const double *x, size_t n, size_t p, const double *yv, const double *w,
		     const char *const *names, double *fit, double *rss, wb_err *err)
{
	wb_xprod s;
	wb_ols o;
	int rc = wb_xprod_compute(x, n, p, yv, w, 0, &s, err);
	if (rc)
		return rc;
	rc = wb_ols_solve(&s, names, &o, err);
	wb_xprod_free(&s);
	if (rc)
		return rc;
	for (size_t i = 0; fit && i < n; i++) {
		double v = 0;
		for (size_t c = 0; c < p; c++)
			v += o.beta[c] * x[i * p + c];
		fit[i] = v;
	}
	*rss = o.rss;
	wb_ols_free(&o);
	return 0;
}

int wb_tsls_fit(const double *y, const double *xe, size_t ne, const double *xx, size_t nx,
		const double *z, size_t nz, size_t n, const double *w, const char *const *names,
		wb_tsls *out, wb_err *err)
{
	memset(out, 0, sizeof *out);
	if (ne == 0 || nz < ne)
		return wb_err_set(
		    err, WB_EINVAL,
		    "2SLS: %zu instrument(s) for %zu endogenous column(s): need at least "
		    "as many instruments",
		    nz, ne);
	size_t p = ne + nx, k = nz + nx;
	const char *fnames[k], *snames[p];
	for (size_t j = 0; j < k; j++)
		fnames[j] = names ? (j < nz ? names[ne + nx + j] : names[ne + j - nz]) : NULL;
	for (size_t j = 0; j < p; j++)
		snames[j] = names ? names[j] : NULL;
	double *zf = hstack(n, z, nz, xx, nx);	 /* first-stage regressors [z xx] */
	double *xcol = malloc(n * sizeof *xcol); /* one endogenous column */
	double *xhat = malloc(n * ne * sizeof *xhat);
	double *xh = NULL, *xa = NULL;
	out->p = p;
	out->nendog = ne;
	out->beta = calloc(p, sizeof *out->beta);
	out->se = calloc(p, sizeof *out->se);
	out->se_hc1 = calloc(p, sizeof *out->se_hc1);
	out->first_f = calloc(ne, sizeof *out->first_f);
	out->first_df = calloc(2 * ne, sizeof *out->first_df);
	wb_xprod s = {0};
	wb_ols o = {0};
	int rc = 0;
	if (!zf || !xcol || !xhat || !out->beta || !out->se || !out->se_hc1 || !out->first_f ||
	    !out->first_df) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	double nobs = 0;
	for (size_t i = 0; i < n; i++)
		nobs += w ? w[i] : 1.0;
	for (size_t j = 0; j < ne; j++) {
		for (size_t i = 0; i < n; i++)
			xcol[i] = xe[i * ne + j];
		double rss_u, rss_r;
		double *fit = malloc(n * sizeof *fit);
		if (!fit) {
			rc = wb_err_set(err, WB_ENOMEM, "out of memory");
			goto out;
		}
		rc = stage_fit(zf, n, k, xcol, w, fnames, fit, &rss_u, err);
		if (rc == 0 && nx)
			rc = stage_fit(xx, n, nx, xcol, w, fnames + nz, NULL, &rss_r, err);
		else if (rc == 0) {
			rss_r = 0;
			for (size_t i = 0; i < n; i++)
				rss_r += (w ? w[i] : 1.0) * xcol[i] * xcol[i];
		}
		for (size_t i = 0; rc == 0 && i < n; i++)
			xhat[i * ne + j] = fit[i];
		free(fit);
		if (rc) {
			wb_err_prefix(err, "2SLS first stage");
			goto out;
		}
		double df2 = nobs - (double)k;
		out->first_df[2 * j] = (double)nz;
		out->first_df[2 * j + 1] = df2;
		out->first_f[j] =
		    rss_u > 0 ? ((rss_r - rss_u) / (double)nz) / (rss_u / df2) : INFINITY;
	}
	xh = hstack(n, xhat, ne, xx, nx);
	xa = hstack(n, xe, ne, xx, nx);
	if (!xh || !xa) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = wb_xprod_compute(xh, n, p, y, w, 0, &s, err)) ||
	    (rc = wb_ols_solve(&s, snames, &o, err))) {
		wb_err_prefix(err, "2SLS second stage");
		goto out;
	}
	/* Residuals with the actual regressors; classical and HC1 covariance on Xhat. */
	double rss = 0;
	double *meat = calloc(p * p, sizeof *meat);
	if (!meat) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		double wi = w ? w[i] : 1.0, e = y[i];
		for (size_t c = 0; c < p; c++)
			e -= o.beta[c] * xa[i * p + c];
		rss += wi * e * e;
		const double *hi = xh + i * p;
		for (size_t r = 0; r < p; r++)
			for (size_t c = 0; c < p; c++)
				meat[r * p + c] += wi * e * e * hi[r] * hi[c];
	}
	double df = nobs - (double)p;
	for (size_t r = 0; r < p; r++) {
		out->beta[r] = o.beta[r];
		out->se[r] = sqrt(rss / df * o.inv[r * p + r]);
		double v = 0;
		for (size_t a = 0; a < p; a++)
			for (size_t b = 0; b < p; b++)
				v += o.inv[r * p + a] * meat[a * p + b] * o.inv[b * p + r];
		out->se_hc1[r] = sqrt(v * nobs / df);
	}
	free(meat);
out:
	if (rc)
		wb_tsls_free(out);
	wb_xprod_free(&s);
	wb_ols_free(&o);
	free(zf);
	free(xcol);
	free(xhat);
	free(xh);
	free(xa);
	return rc;
}

/* ---- design matrices ---- */

void wb_design_free(wb_design *d)
{
	free(d->x);
	for (size_t j = 0; d->names && j < d->p; j++)
		free(d->names[j]);
	free(d->names);
	free(d->source);
	free(d->row);
	memset(d, 0, sizeof *d);
}

typedef struct row_scan {
	const double **cols; /* the columns that must not be missing */
	size_t ncols;
	size_t *row; /* part k writes its complete rows from row + lo[k] */
	size_t lo[WB_PARALLEL_MAX], count[WB_PARALLEL_MAX];
} row_scan;

static void scan_rows(void *arg, int part, size_t lo, size_t hi)
{
	row_scan *c = arg;
	size_t m = lo;
	for (size_t i = lo; i < hi; i++) {
		int ok = 1;
		for (size_t k = 0; k < c->ncols; k++)
			ok &= !isnan(c->cols[k][i]);
		c->row[m] = i;
		m += (size_t)ok;
	}
	c->lo[part] = lo;
	c->count[part] = m - lo;
}

typedef struct design_fill {
	wb_design *d;
	const double *const *src; /* per design column: its frame column, NULL: the intercept */
	const double *level;	  /* per design column: the dummy's level, -1: the value */
	int all_rows;		  /* no row was dropped: design row i is frame row i */
} design_fill;

static void fill_rows(void *arg, int part, size_t lo, size_t hi)
{
	const design_fill *c = arg;
	size_t p = c->d->p;
	for (size_t i = lo; i < hi; i++) {
		double *xi = c->d->x + i * p;
		size_t r = c->all_rows ? i : c->d->row[i];
		for (size_t k = 0; k < p; k++) {
			const double *v = c->src[k];
			xi[k] = !v ? 1 : c->level[k] < 0 ? v[r] : v[r] == c->level[k];
		}
	}
}

int wb_design_build(const wb_frame *f, const size_t *cols, size_t ncols, int intercept,
		    const size_t *require, size_t nrequire, wb_design *out, wb_err *err)
{
	memset(out, 0, sizeof *out);
	size_t nr = wb_frame_nrows(f), p = intercept ? 1 : 0;
	for (size_t k = 0; k < ncols; k++) {
		size_t j = cols[k];
		if (wb_frame_col_kind(f, j) == WB_COL_CATEGORICAL) {
			size_t L = wb_frame_nlevels(f, j);
			p += L > 1 ? L - 1 : 0;
		} else {
			p++;
		}
	}
	out->p = p;
	out->names = calloc(p ? p : 1, sizeof *out->names);
	out->source = calloc(p ? p : 1, sizeof *out->source);
	out->row = malloc((nr ? nr : 1) * sizeof *out->row);
	if (!out->names || !out->source || !out->row)
		goto nomem;
	/* rows complete in every used column, the rows split over threads */
	const double **used = malloc((ncols + nrequire + 1) * sizeof *used);
	if (!used)
		goto nomem;
	for (size_t k = 0; k < ncols + nrequire; k++)
		used[k] = wb_frame_col(f, k < ncols ? cols[k] : require[k - ncols]);
	row_scan scan = {used, ncols + nrequire, out->row, {0}, {0}};
	int parts = wb_parallel_run(nr, 0, MIN_ROWS_PER_THREAD, scan_rows, &scan);
	free(used);
	size_t n = 0;
	for (int k = 0; k < parts; k++) {
		memmove(out->row + n, out->row + scan.lo[k], scan.count[k] * sizeof *out->row);
		n += scan.count[k];
	}
	out->n = n;
	out->nmissing = nr - n;
	if (n == 0 && nr > 0) {
		char list[300] = "";
		size_t len = 0;
		for (size_t k = 0; k < ncols + nrequire && len < sizeof list; k++) {
			size_t j = k < ncols ? cols[k] : require[k - ncols];
			len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
						k ? ", " : "", wb_frame_colname(f, j));
		}
		wb_design_free(out);
		return wb_err_set(err, WB_EINVAL, "no complete rows: every row misses one of %s",
				  list);
	}
	if (n == 0) {
		wb_design_free(out);
		return wb_err_set(err, WB_EINVAL, "the dataset has no rows");
	}
	out->x = wb_big_alloc(n * (p ? p : 1));
	if (!out->x)
		goto nomem;
	/* names first; per design column its source values and level (-1: the value itself) */
	const double **src = malloc((p ? p : 1) * sizeof *src);
	double *level = malloc((p ? p : 1) * sizeof *level);
	if (!src || !level) {
		free(src);
		free(level);
		goto nomem;
	}
	size_t c = 0;
	if (intercept) {
		if (!(out->names[c] = strdup("(Intercept)")))
			goto nomem_src;
		out->source[c] = -1;
		src[c] = NULL;
		level[c++] = -1;
	}
	for (size_t k = 0; k < ncols; k++) {
		size_t j = cols[k];
		const double *v = wb_frame_col(f, j);
		const char *nm = wb_frame_colname(f, j);
		if (wb_frame_col_kind(f, j) == WB_COL_CATEGORICAL) {
			size_t L = wb_frame_nlevels(f, j);
			for (size_t l = 1; l < L; l++, c++) {
				const char *lv = wb_frame_level(f, j, l);
				size_t len = strlen(nm) + strlen(lv) + 3;
				if (!(out->names[c] = malloc(len)))
					goto nomem_src;
				snprintf(out->names[c], len, "%s[%s]", nm, lv);
				out->source[c] = (long)k;
				src[c] = v;
				level[c] = (double)l;
			}
		} else {
			if (!(out->names[c] = strdup(nm)))
				goto nomem_src;
			out->source[c] = (long)k;
			src[c] = v;
			level[c++] = -1;
		}
	}
	/* then the rows, each written once from left to right, the rows split over threads */
	design_fill fill = {out, (const double *const *)src, level, n == nr};
	wb_parallel_run(n, 0, MIN_ROWS_PER_THREAD, fill_rows, &fill);
	free(src);
	free(level);
	return 0;
nomem_src:
	free(src);
	free(level);
	goto nomem;
nomem:
	wb_design_free(out);
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}
