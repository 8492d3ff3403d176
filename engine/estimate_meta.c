/*
 * estimate_meta.c — the S, T and X meta-learners of Künzel, Sekhon, Bickel & Yu (2019, PNAS
 * 116(10), "Metalearners for estimating heterogeneous treatment effects using machine
 * learning"), with any learner of learner.h, and a nonparametric bootstrap (Efron 1979) for the
 * average effect. See estimate_ml.h.
 */
#include "estimate_ml.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void wb_meta_opts_default(wb_meta_opts *o)
{
	memset(o, 0, sizeof *o);
	o->kind = WB_META_S;
	wb_learner_opts_default(&o->learner, WB_LEARNER_GBM);
	wb_learner_opts_default(&o->learner_t, WB_LEARNER_GBM);
	o->bootstrap = 100;
}

const char *wb_meta_name(wb_meta_kind kind)
{
	return kind == WB_META_S ? "slearner" : kind == WB_META_T ? "tlearner" : "xlearner";
}

void wb_meta_fit_free(wb_meta_fit *f)
{
	if (!f)
		return;
	free(f->tau);
	memset(f, 0, sizeof *f);
}

/* One dataset the learners see: rows idx[0..n-1] of (y, t, F), which hold N rows. */
typedef struct sample {
	const double *y, *t, *F;
	size_t p, N, n;
	const size_t *idx;
} sample;

/* Fits o on the rows of s where t == arm (arm < 0: every row) with target v (indexed like y)
 * and predicts every row of s into out. */
static int fit_predict(const wb_learner_opts *o, wb_task task, const sample *s, const double *X,
		       size_t p, const double *v, int arm, size_t *rows, double *out, wb_err *err)
{
	size_t m = 0;
	for (size_t i = 0; i < s->n; i++)
		if (arm < 0 || s->t[s->idx[i]] == arm)
			rows[m++] = s->idx[i];
	wb_learner *fit = NULL;
	int rc = wb_learner_fit(o, task, X, s->N, p, v, rows, m, &fit, err);
	if (rc == 0)
		rc = wb_learner_predict(fit, X, s->N, s->idx, s->n, out, err);
	wb_learner_free(fit);
	return rc;
}

/* τ̂ for every row of s into tau (s->n values). seed makes the learners' randomness. */
static int meta_cate(const wb_meta_opts *o, const sample *s, uint64_t seed, double *tau,
		     wb_err *err)
{
	size_t n = s->n, p = s->p, N = s->N;
	wb_learner_opts lo = o->learner, lt = o->learner_t;
	lo.seed = seed;
	lt.seed = seed + 1;
	size_t *rows = malloc((n ? n : 1) * sizeof *rows);
	double *a = malloc((n ? n : 1) * sizeof *a), *b = malloc((n ? n : 1) * sizeof *b);
	double *XT = NULL, *D = NULL;
	int rc = 0;
	if (!rows || !a || !b) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	if (o->kind == WB_META_S) {
		/* features (F, T) for the N rows the sample indexes; predictions at T = 1 and 0 */
		XT = malloc(N * (p + 1) * sizeof *XT);
		if (!XT) {
			rc = wb_err_set(err, WB_ENOMEM, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < N; i++) {
			memcpy(XT + i * (p + 1), s->F + i * p, p * sizeof *XT);
			XT[i * (p + 1) + p] = s->t[i];
		}
		for (size_t i = 0; i < n; i++)
			rows[i] = s->idx[i];
		wb_learner *fit = NULL;
		rc =
		    wb_learner_fit(&lo, WB_TASK_REGRESSION, XT, N, p + 1, s->y, rows, n, &fit, err);
		for (int arm = 1; arm >= 0 && rc == 0; arm--) {
			for (size_t i = 0; i < N; i++)
				XT[i * (p + 1) + p] = arm;
			rc = wb_learner_predict(fit, XT, N, s->idx, n, arm ? a : b, err);
		}
		wb_learner_free(fit);
		if (rc)
			goto out;
		for (size_t i = 0; i < n; i++)
			tau[i] = a[i] - b[i];
		goto out;
	}
	/* μ₁ into a, μ₀ into b (outcome models by arm) */
	if ((rc = fit_predict(&lo, WB_TASK_REGRESSION, s, s->F, p, s->y, 1, rows, a, err)) ||
	    (rc = fit_predict(&lo, WB_TASK_REGRESSION, s, s->F, p, s->y, 0, rows, b, err)))
		goto out;
	if (o->kind == WB_META_T) {
		for (size_t i = 0; i < n; i++)
			tau[i] = a[i] - b[i];
		goto out;
	}
	/* X-learner: imputed effects D (indexed like y), τ₁ on the treated, τ₀ on the controls,
	 * combined with the propensity e: τ = e τ₀ + (1 − e) τ₁ */
	D = malloc(N * sizeof *D);
	double *t1 = malloc(n * sizeof *t1), *t0 = malloc(n * sizeof *t0),
	       *e = malloc(n * sizeof *e);
	if (!D || !t1 || !t0 || !e) {
		free(t1);
		free(t0);
		free(e);
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < N; i++)
		D[i] = NAN;
	for (size_t i = 0; i < n; i++) {
		size_t r = s->idx[i];
		D[r] = s->t[r] == 1 ? s->y[r] - b[i] : a[i] - s->y[r];
	}
	lo.seed = seed + 2;
	if (!(rc = fit_predict(&lo, WB_TASK_REGRESSION, s, s->F, p, D, 1, rows, t1, err)) &&
	    !(rc = fit_predict(&lo, WB_TASK_REGRESSION, s, s->F, p, D, 0, rows, t0, err)) &&
	    !(rc = fit_predict(&lt, WB_TASK_CLASSIFICATION, s, s->F, p, s->t, -1, rows, e, err)))
		for (size_t i = 0; i < n; i++)
			tau[i] = e[i] * t0[i] + (1 - e[i]) * t1[i];
	free(t1);
	free(t0);
	free(e);
out:
	free(rows);
	free(a);
	free(b);
	free(XT);
	free(D);
	return rc;
}

static size_t count_treated(const double *t, const size_t *idx, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += t[idx[i]] == 1;
	return c;
}

int wb_meta_estimate(const wb_meta_opts *o, const double *y, const double *t, const double *F,
		     size_t n, size_t p, wb_rng *rng, wb_progress *progress, wb_meta_fit *out,
		     wb_err *err)
{
	memset(out, 0, sizeof *out);
	if (o->bootstrap < 0 || o->bootstrap > 10000)
		return wb_err_set(err, WB_EINVAL, "bootstrap must be between 0 and 10000 (got %d)",
				  o->bootstrap);
	for (size_t i = 0; i < n; i++)
		if (t[i] != 0 && t[i] != 1)
			return wb_err_set(err, WB_EINVAL,
					  "%s needs a 0/1 treatment (row %zu is %g)",
					  wb_meta_name(o->kind), i + 1, t[i]);
	size_t *idx = malloc((n ? n : 1) * sizeof *idx);
	double *tau = malloc((n ? n : 1) * sizeof *tau);
	double *boot = malloc((o->bootstrap ? (size_t)o->bootstrap : 1) * sizeof *boot);
	int rc = 0;
	if (!idx || !tau || !boot) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	size_t nt = count_treated(t, idx, n);
	if (nt < 2 || n - nt < 2) {
		rc = wb_err_set(err, WB_EINVAL,
				"%s needs at least 2 treated and 2 control rows (got %zu and %zu)",
				wb_meta_name(o->kind), nt, n - nt);
		goto fail;
	}
	sample s = {y, t, F, p, n, n, idx};
	uint64_t seed = wb_rng_int(rng, 2147483647ul);
	if ((rc = meta_cate(o, &s, seed, tau, err)))
		goto fail;
	double ate = 0;
	for (size_t i = 0; i < n; i++)
		ate += tau[i];
	out->ate = ate / (double)n;
	out->n = n;
	out->tau = tau;
	tau = NULL;
	out->se = out->lo = out->hi = NAN;
	/* bootstrap: resample rows, refit everything, keep the mean effect */
	for (int b = 0; b < o->bootstrap; b++) {
		if (wb_progress_cancelled(progress)) {
			rc = wb_err_set(err, WB_ECANCEL, "cancelled");
			goto fail;
		}
		do {
			for (size_t i = 0; i < n; i++)
				idx[i] = wb_rng_int(rng, n);
			nt = count_treated(t, idx, n);
		} while (nt < 2 || n - nt < 2);
		double *tb = malloc(n * sizeof *tb);
		if (!tb) {
			rc = wb_err_set(err, WB_ENOMEM, "out of memory");
			goto fail;
		}
		rc = meta_cate(o, &s, wb_rng_int(rng, 2147483647ul), tb, err);
		double m = 0;
		for (size_t i = 0; i < n; i++)
			m += tb[i];
		free(tb);
		if (rc) {
			wb_err_prefix(err, "bootstrap resample %d", b + 1);
			goto fail;
		}
		boot[b] = m / (double)n;
		wb_progress_set(progress, (double)(b + 1) / o->bootstrap);
	}
	if (o->bootstrap > 1) {
		out->bootstrap = o->bootstrap;
		out->se = gsl_stats_sd(boot, 1, (size_t)o->bootstrap);
		gsl_sort(boot, 1, (size_t)o->bootstrap);
		out->lo = gsl_stats_quantile_from_sorted_data(boot, 1, (size_t)o->bootstrap, 0.025);
		out->hi = gsl_stats_quantile_from_sorted_data(boot, 1, (size_t)o->bootstrap, 0.975);
	}
	free(idx);
	free(boot);
	return 0;
fail:
	free(idx);
	free(tau);
	free(boot);
	wb_meta_fit_free(out);
	return rc;
}
