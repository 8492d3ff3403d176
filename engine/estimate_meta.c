/*
 * estimate_meta.c — the S, T and X meta-learners of Künzel, Sekhon, Bickel & Yu (2019, PNAS
 * 116(10), "Metalearners for estimating heterogeneous treatment effects using machine
 * learning"), with any learner of learner.h. See estimate_ml.h.
 */
#include "estimate_ml.h"
#include "estimate_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void wb_meta_opts_default(wb_meta_opts *o)
{
	memset(o, 0, sizeof *o);
	o->kind = WB_META_S;
	wb_learner_opts_default(&o->learner, WB_LEARNER_GBM);
	wb_learner_opts_default(&o->learner_t, WB_LEARNER_GBM);
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

int wb_meta_estimate(const wb_meta_opts *o, const double *y, const double *t, const double *F,
		     size_t n, size_t p, wb_rng *rng, wb_meta_fit *out, wb_err *err)
{
	memset(out, 0, sizeof *out);
	size_t nt = 0;
	for (size_t i = 0; i < n; i++) {
		if (t[i] != 0 && t[i] != 1)
			return wb_err_set(err, WB_EINVAL,
					  "%s needs a 0/1 treatment (row %zu is %g)",
					  wb_meta_name(o->kind), i + 1, t[i]);
		nt += t[i] == 1;
	}
	if (nt < 2 || n - nt < 2)
		return wb_err_set(
		    err, WB_EINVAL,
		    "%s needs at least 2 treated and 2 control rows (got %zu and %zu)",
		    wb_meta_name(o->kind), nt, n - nt);
	size_t *idx = malloc(n * sizeof *idx);
	out->tau = malloc(n * sizeof *out->tau);
	if (!idx || !out->tau) {
		free(idx);
		wb_meta_fit_free(out);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	sample s = {y, t, F, p, n, n, idx};
	int rc = meta_cate(o, &s, wb_rng_int(rng, 2147483647ul), out->tau, err);
	free(idx);
	if (rc) {
		wb_meta_fit_free(out);
		return rc;
	}
	out->n = n;
	double sum = 0, s1 = 0;
	for (size_t i = 0; i < n; i++) {
		sum += out->tau[i];
		s1 += t[i] * out->tau[i];
	}
	out->ate = sum / (double)n;
	out->att = s1 / (double)nt;
	out->atc = (sum - s1) / (double)(n - nt);
	return 0;
}

/* ---- the estimate methods `slearner`, `tlearner`, `xlearner` ---- */

#define META_BOOTSTRAP 50 /* default resamples for the standard error */

static int fit_meta(wb_meta_kind kind, wb_estimate_fit_fn self, const wb_est_data *d,
		    const wb_estimate_spec *s, wb_estimate *e, wb_err *err)
{
	wb_meta_opts o;
	wb_meta_opts_default(&o);
	o.kind = kind;
	double nb;
	wb_est_ml m;
	int rc;
	if ((rc = wb_est_opt_double(s, "bootstrap", META_BOOTSTRAP, 10, 100000, &nb, err)) ||
	    (rc = wb_est_ml_learner(s, "learner_y", WB_TASK_REGRESSION, d->threads, &o.learner,
				    err)) ||
	    (rc = wb_est_ml_learner(s, "learner_t", WB_TASK_CLASSIFICATION, d->threads,
				    &o.learner_t, err)) ||
	    (rc = wb_est_ml_prepare(d, &m, err)))
		return rc;
	o.learner.names = o.learner_t.names = m.names;
	wb_meta_fit f;
	wb_rng *own, *rng = wb_est_ml_rng(s, &own);
	rc = rng ? wb_meta_estimate(&o, m.y, m.t, m.F, m.n, m.p, rng, &f, err)
		 : wb_err_set(err, WB_ENOMEM, "out of memory");
	wb_rng_free(own);
	if (rc) {
		wb_est_ml_free(&m);
		return rc;
	}
	double effect = s->target == WB_TARGET_ATT   ? f.att
			: s->target == WB_TARGET_ATC ? f.atc
						     : f.ate;
	double se = NAN, n1 = 0, n0 = 0;
	for (size_t i = 0; i < m.n; i++) {
		n1 += m.t[i] == 1;
		n0 += m.t[i] == 0;
	}
	/* the whole procedure, every model refitted, on each resample */
	if (!d->point_only && (rc = wb_est_bootstrap(d, s, self, (size_t)nb, 1, &se, err)))
		goto out;
	char label[200];
	wb_est_label(d, label, sizeof label);
	if (wb_estimate_add_contrast(e, label, effect, se, n1, n0) < 0) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	if (d->point_only)
		goto out;
	if (m.n == d->n && wb_estimate_set_unit_effects(e, d, f.tau)) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	char lo[200], lt[200], title[300], sk[64];
	wb_est_ml_describe(&o.learner, WB_TASK_REGRESSION, lo, sizeof lo);
	wb_est_ml_describe(&o.learner_t, WB_TASK_CLASSIFICATION, lt, sizeof lt);
	static const char *const how[] = {
	    "one model of the outcome on the features and the treatment; effect = its "
	    "prediction at T = 1 minus at T = 0",
	    "one outcome model per arm; effect = treated model minus control model",
	    "per-arm outcome models, imputed effects modelled per arm, blended by the "
	    "propensity"};
	wb_estimate_note(e, "%s (Künzel et al. 2019): %s", wb_meta_name(kind), how[kind]);
	wb_estimate_note(e, "outcome models: %s", lo);
	if (kind == WB_META_X)
		wb_estimate_note(e, "propensity: %s", lt);
	wb_estimate_note(e,
			 "%s = mean of the per-unit effects over %s; their distribution is "
			 "the next table",
			 s->target == WB_TARGET_ATT   ? "ATT"
			 : s->target == WB_TARGET_ATC ? "ATC"
						      : "ATE",
			 s->target == WB_TARGET_ATT   ? "the treated"
			 : s->target == WB_TARGET_ATC ? "the controls"
						      : "all units");
	snprintf(sk, sizeof sk, "bootstrap, %zu resamples", (size_t)nb);
	wb_estimate_set_se_kind(e, sk);
	snprintf(title, sizeof title, "CATE distribution (%s): %s", wb_meta_name(kind), label);
	wb_result *t = wb_est_ml_cate_table(&m, f.tau, title);
	if (!t || wb_estimate_add_table(e, t))
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
out:
	wb_meta_fit_free(&f);
	wb_est_ml_free(&m);
	return rc;
}

int wb_est_fit_slearner(const wb_est_data *d, const wb_estimate_spec *s, wb_estimate *e,
			wb_err *err)
{
	return fit_meta(WB_META_S, wb_est_fit_slearner, d, s, e, err);
}

int wb_est_fit_tlearner(const wb_est_data *d, const wb_estimate_spec *s, wb_estimate *e,
			wb_err *err)
{
	return fit_meta(WB_META_T, wb_est_fit_tlearner, d, s, e, err);
}

int wb_est_fit_xlearner(const wb_est_data *d, const wb_estimate_spec *s, wb_estimate *e,
			wb_err *err)
{
	return fit_meta(WB_META_X, wb_est_fit_xlearner, d, s, e, err);
}
