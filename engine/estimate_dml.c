/*
 * estimate_dml.c — double/debiased machine learning by partialling out (Chernozhukov et al.
 * 2018, Econometrics J. 21: the partially linear model, section 4.1, with K-fold cross-fitting,
 * definition 3.1) and its linear-CATE final stage as EconML's LinearDML. See estimate_ml.h.
 */
#include "estimate_ml.h"
#include "estimate_impl.h"
#include "parallel.h"

#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void wb_dml_opts_default(wb_dml_opts *o)
{
	memset(o, 0, sizeof *o);
	wb_learner_opts_default(&o->learner_y, WB_LEARNER_GBM);
	wb_learner_opts_default(&o->learner_t, WB_LEARNER_GBM);
	o->folds = 5;
}

void wb_dml_fit_free(wb_dml_fit *f)
{
	if (!f)
		return;
	free(f->coef);
	free(f->cov);
	free(f->yres);
	free(f->tres);
	memset(f, 0, sizeof *f);
}

/* 1 − Σ res² / Σ (v − v̄)². */
static double r2(const double *v, const double *res, size_t n)
{
	double m = 0, sse = 0, sst = 0;
	for (size_t i = 0; i < n; i++)
		m += v[i];
	m /= (double)n;
	for (size_t i = 0; i < n; i++) {
		sse += res[i] * res[i];
		sst += (v[i] - m) * (v[i] - m);
	}
	return sst > 0 ? 1 - sse / sst : NAN;
}

/* Final stage: least squares of yres on Z = tres·(1, M) without intercept, with the HC0
 * sandwich (Σ Z'Z)⁻¹ (Σ e² Z'Z) (Σ Z'Z)⁻¹ — the score variance of theorem 3.1. */
static int final_stage(wb_dml_fit *f, const double *M, wb_err *err)
{
	size_t n = f->n, k = 1 + f->q;
	gsl_matrix *A = gsl_matrix_calloc(k, k), *B = gsl_matrix_calloc(k, k);
	gsl_vector *b = gsl_vector_calloc(k), *x = gsl_vector_alloc(k);
	gsl_matrix *Ainv = gsl_matrix_alloc(k, k), *tmp = gsl_matrix_alloc(k, k);
	double *z = malloc(k * sizeof *z);
	int rc = 0;
	if (!A || !B || !b || !x || !Ainv || !tmp || !z) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		z[0] = f->tres[i];
		for (size_t j = 1; j < k; j++)
			z[j] = f->tres[i] * M[i * f->q + j - 1];
		for (size_t j = 0; j < k; j++) {
			*gsl_vector_ptr(b, j) += z[j] * f->yres[i];
			for (size_t l = 0; l < k; l++)
				*gsl_matrix_ptr(A, j, l) += z[j] * z[l];
		}
	}
	gsl_matrix_memcpy(Ainv, A);
	int st = gsl_linalg_cholesky_decomp1(Ainv);
	if (st == 0)
		st = gsl_linalg_cholesky_solve(Ainv, b, x);
	if (st == 0)
		st = gsl_linalg_cholesky_invert(Ainv);
	if (st) {
		rc = wb_err_set(
		    err, WB_ENUMERIC,
		    "the final stage is singular: the residual treatment does not vary "
		    "with the modifiers independently (a modifier constant or collinear)");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		z[0] = f->tres[i];
		for (size_t j = 1; j < k; j++)
			z[j] = f->tres[i] * M[i * f->q + j - 1];
		double e = f->yres[i];
		for (size_t j = 0; j < k; j++)
			e -= z[j] * gsl_vector_get(x, j);
		for (size_t j = 0; j < k; j++)
			for (size_t l = 0; l < k; l++)
				*gsl_matrix_ptr(B, j, l) += e * e * z[j] * z[l];
	}
	/* cov = Ainv B Ainv */
	for (size_t j = 0; j < k; j++)
		for (size_t l = 0; l < k; l++) {
			double s = 0;
			for (size_t m = 0; m < k; m++)
				s += gsl_matrix_get(Ainv, j, m) * gsl_matrix_get(B, m, l);
			gsl_matrix_set(tmp, j, l, s);
		}
	for (size_t j = 0; j < k; j++) {
		f->coef[j] = gsl_vector_get(x, j);
		for (size_t l = 0; l < k; l++) {
			double s = 0;
			for (size_t m = 0; m < k; m++)
				s += gsl_matrix_get(tmp, j, m) * gsl_matrix_get(Ainv, m, l);
			f->cov[j * k + l] = s;
		}
	}
	/* the effect at the modifiers' mean: coef·(1, M̄), variance m̄' cov m̄ */
	for (size_t j = 0; j < k; j++) {
		double mj = 1;
		if (j > 0) {
			mj = 0;
			for (size_t i = 0; i < n; i++)
				mj += M[i * f->q + j - 1];
			mj /= (double)n;
		}
		z[j] = mj;
	}
	f->theta = 0;
	double v = 0;
	for (size_t j = 0; j < k; j++) {
		f->theta += f->coef[j] * z[j];
		for (size_t l = 0; l < k; l++)
			v += z[j] * f->cov[j * k + l] * z[l];
	}
	f->se = sqrt(v);
out:
	gsl_matrix_free(A);
	gsl_matrix_free(B);
	gsl_vector_free(b);
	gsl_vector_free(x);
	gsl_matrix_free(Ainv);
	gsl_matrix_free(tmp);
	free(z);
	return rc;
}

/* Folds of the cross-fitting: per row, or per unit so that the copies of a resampled row never
 * sit on both sides of a split. */
static int assign_folds(const wb_dml_opts *o, const double *t, size_t n, wb_rng *rng, int *fold,
			wb_err *err)
{
	if (!o->unit)
		return wb_learner_folds(n, o->folds, o->binary_t ? t : NULL, rng, fold, err);
	size_t U = 0;
	for (size_t i = 0; i < n; i++)
		if (o->unit[i] + 1 > U)
			U = o->unit[i] + 1;
	int *uf = malloc(U * sizeof *uf);
	double *ut = malloc(U * sizeof *ut);
	int rc = 0;
	if (!uf || !ut) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
	} else {
		/* units absent from the sample keep NaN, a stratum of their own */
		for (size_t u = 0; u < U; u++)
			ut[u] = NAN;
		for (size_t i = 0; i < n; i++)
			ut[o->unit[i]] = o->binary_t ? t[i] : 0;
		rc = wb_learner_folds(U, o->folds, ut, rng, uf, err);
		for (size_t i = 0; rc == 0 && i < n; i++)
			fold[i] = uf[o->unit[i]];
	}
	free(uf);
	free(ut);
	return rc;
}

/* One cross-fit of a nuisance model. */
typedef struct nuisance {
	const wb_learner_opts *o;
	wb_task task;
	const double *F;
	size_t n, p;
	const double *v;
	const int *fold;
	int k;
	double *oof;
	wb_progress *progress; /* read for cancellation only */
	int rc;
	wb_err err;
} nuisance;

/* The cross-fits lo .. hi-1 of an array of them, one after the other. */
static void nuisance_part(void *ctx, int part, size_t lo, size_t hi)
{
	(void)part;
	for (size_t i = lo; i < hi; i++) {
		nuisance *j = (nuisance *)ctx + i;
		wb_err_clear(&j->err);
		j->rc = wb_learner_crossfit(j->o, j->task, j->F, j->n, j->p, j->v, j->fold, j->k,
					    NULL, j->oof, j->progress, &j->err);
	}
}

/* A learner's options with a seed drawn from rng. */
static wb_learner_opts seeded(const wb_learner_opts *o, wb_rng *rng)
{
	wb_learner_opts s = *o;
	s.seed = wb_rng_int(rng, 2147483647ul);
	return s;
}

int wb_dml_estimate(const wb_dml_opts *o, const double *y, const double *t, const double *F,
		    size_t n, size_t p, const double *M, size_t q, wb_rng *rng,
		    wb_progress *progress, wb_dml_fit *out, wb_err *err)
{
	memset(out, 0, sizeof *out);
	if (o->folds < 2 || o->folds > 20)
		return wb_err_set(err, WB_EINVAL, "folds must be between 2 and 20 (got %d)",
				  o->folds);
	if (n < (size_t)(2 * o->folds))
		return wb_err_set(err, WB_EINVAL,
				  "double ML with %d folds needs at least %d rows (got %zu)",
				  o->folds, 2 * o->folds, n);
	double t0 = t[0];
	size_t i;
	for (i = 1; i < n && t[i] == t0; i++)
		;
	if (i == n)
		return wb_err_set(err, WB_EINVAL, "the treatment is constant (every row is %g)",
				  t0);
	for (size_t j = 0; j < q; j++) {
		for (i = 1; i < n && M[i * q + j] == M[j]; i++)
			;
		if (i == n)
			return wb_err_set(err, WB_EINVAL, "effect modifier %zu is constant", j + 1);
	}
	int *fold = malloc(n * sizeof *fold);
	out->n = n;
	out->q = q;
	out->coef = calloc(1 + q, sizeof *out->coef);
	out->cov = calloc((1 + q) * (1 + q), sizeof *out->cov);
	out->yres = malloc(n * sizeof *out->yres);
	out->tres = malloc(n * sizeof *out->tres);
	int rc = 0;
	if (!fold || !out->coef || !out->cov || !out->yres || !out->tres) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = assign_folds(o, t, n, rng, fold, err)))
		goto out;
	wb_learner_opts ly = seeded(&o->learner_y, rng), lt = seeded(&o->learner_t, rng);
	/* out-of-fold nuisances, written into the residual arrays, then subtracted; the two
	 * cross-fits (outcome, then treatment) run side by side when there are threads to spare */
	nuisance nu[2];
	nu[0] = (nuisance){.o = &ly,
			   .task = WB_TASK_REGRESSION,
			   .F = F,
			   .n = n,
			   .p = p,
			   .v = y,
			   .fold = fold,
			   .k = o->folds,
			   .oof = out->yres,
			   .progress = progress};
	nu[1] = nu[0];
	nu[1].o = &lt;
	nu[1].task = o->binary_t ? WB_TASK_CLASSIFICATION : WB_TASK_REGRESSION;
	nu[1].v = t;
	nu[1].oof = out->tres;
	int par = ly.threads > 1 && lt.threads > 1;
	if (par)
		ly.threads = lt.threads = 1;
	wb_parallel_run(2, par ? 2 : 1, 1, nuisance_part, nu);
	if ((rc = nu[0].rc)) {
		*err = nu[0].err;
		wb_err_prefix(err, "outcome model");
		goto out;
	}
	if ((rc = nu[1].rc)) {
		*err = nu[1].err;
		wb_err_prefix(err, "treatment model");
		goto out;
	}
	wb_progress_set(progress, 1);
	double tss = 0, tvar = 0, tm = 0;
	for (i = 0; i < n; i++) {
		out->yres[i] = y[i] - out->yres[i];
		out->tres[i] = t[i] - out->tres[i];
		tss += out->tres[i] * out->tres[i];
		tm += t[i];
	}
	tm /= (double)n;
	for (i = 0; i < n; i++)
		tvar += (t[i] - tm) * (t[i] - tm);
	out->r2_y = r2(y, out->yres, n);
	out->r2_t = r2(t, out->tres, n);
	/* T̂ reproducing T leaves nothing to learn the effect from */
	if (!(tss > 1e-2 * tvar))
		rc = wb_err_set(err, WB_ENUMERIC,
				"the treatment is explained by the controls (out-of-fold R² %.4f): "
				"too little variation left to estimate the effect",
				out->r2_t);
	else
		rc = final_stage(out, M, err);
out:
	free(fold);
	if (rc)
		wb_dml_fit_free(out);
	return rc;
}

/* ---- the estimate method `dml` ---- */

int wb_est_fit_dml(const wb_est_data *d, const wb_estimate_spec *s, wb_estimate *e, wb_err *err)
{
	wb_dml_opts o;
	wb_dml_opts_default(&o);
	o.binary_t = d->tkind == WB_TREAT_BINARY;
	wb_task tt = o.binary_t ? WB_TASK_CLASSIFICATION : WB_TASK_REGRESSION;
	double folds;
	wb_est_ml m;
	int rc;
	if ((rc = wb_est_opt_double(s, "folds", 5, 2, 20, &folds, err)) ||
	    (rc = wb_est_ml_learner(s, "learner_y", WB_TASK_REGRESSION, d->threads, &o.learner_y,
				    err)) ||
	    (rc = wb_est_ml_learner(s, "learner_t", tt, d->threads, &o.learner_t, err)) ||
	    (rc = wb_est_ml_prepare(d, &m, err)))
		return rc;
	o.folds = (int)folds;
	o.unit = d->w ? m.unit : NULL;
	o.learner_y.names = o.learner_t.names = m.names;
	wb_dml_fit f;
	wb_rng *own, *rng = wb_est_ml_rng(s, &own);
	rc = rng ? wb_dml_estimate(&o, m.y, m.t, m.F, m.n, m.p, m.q ? m.M : NULL, m.q, rng,
				   s->progress, &f, err)
		 : wb_err_set(err, WB_ENOMEM, "out of memory");
	wb_rng_free(own);
	if (rc) {
		wb_est_ml_free(&m);
		return rc;
	}
	char label[200], buf[400];
	wb_est_label(d, label, sizeof label);
	double n1 = 0, n0 = 0;
	for (size_t i = 0; i < m.n; i++) {
		n1 += m.t[i] == 1;
		n0 += m.t[i] == 0;
	}
	if (wb_estimate_add_contrast(e, label, f.theta, d->point_only ? NAN : f.se, n1, n0) < 0)
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
	for (size_t j = 0; j < m.q && rc == 0 && !d->point_only; j++) {
		snprintf(buf, sizeof buf, "%s x %s", label, m.mnames[j]);
		long c = wb_estimate_add_contrast(e, buf, f.coef[1 + j],
						  sqrt(f.cov[(1 + j) * (2 + m.q)]), 0, 0);
		if (c < 0)
			rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		else
			wb_estimate_set_slope(e, (size_t)c);
	}
	if (rc == 0 && !d->point_only) {
		char ly[200], lt[200];
		wb_est_ml_describe(&o.learner_y, WB_TASK_REGRESSION, ly, sizeof ly);
		wb_est_ml_describe(&o.learner_t, tt, lt, sizeof lt);
		wb_estimate_note(e,
				 "double ML, partialling out (Chernozhukov et al. 2018), %d-fold "
				 "cross-fitting%s",
				 o.folds, o.binary_t ? " stratified by treatment" : "");
		wb_estimate_note(e, "E[%s | W]: %s, out-of-fold R² %.4g", d->yname, ly, f.r2_y);
		wb_estimate_note(e, "E[%s | W]: %s, out-of-fold R² %.4g", d->tname, lt, f.r2_t);
		if (m.q)
			wb_estimate_note(e,
					 "CATE (as EconML's LinearDML): effect = value at the "
					 "modifiers' mean + slope × (modifier - its mean); slope "
					 "rows are marked 'x'");
		if (d->tkind == WB_TREAT_CONTINUOUS)
			wb_estimate_note(
			    e, "continuous treatment: the effect of one unit more of %s", d->tname);
		wb_estimate_set_se_kind(e, "score of the final stage (HC0 sandwich)");
		if (m.q && m.n == d->n) { /* the per-unit effects coef·(1, M_i) */
			double *tau = malloc(m.n * sizeof *tau);
			for (size_t i = 0; tau && i < m.n; i++) {
				tau[i] = f.coef[0];
				for (size_t j = 0; j < m.q; j++)
					tau[i] += f.coef[1 + j] * m.M[i * m.q + j];
			}
			if (!tau || wb_estimate_set_unit_effects(e, d, tau))
				rc = wb_err_set(err, WB_ENOMEM, "out of memory");
			free(tau);
		}
		if (o.binary_t && !d->w) {
			double *ps = malloc(m.n * sizeof *ps);
			if (ps) {
				for (size_t i = 0; i < m.n; i++)
					ps[i] = m.t[i] - f.tres[i];
				wb_est_overlap_table(d, ps, NULL,
						     "overlap (out-of-fold propensity)", e);
				free(ps);
			}
		}
	}
	wb_dml_fit_free(&f);
	wb_est_ml_free(&m);
	return rc;
}
