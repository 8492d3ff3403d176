/*
 * estimate_ml.c — what the machine-learning estimate methods (dml, slearner, tlearner,
 * xlearner) share: learner options from the spec, the feature matrix from the prepared data
 * (frequency weights expanded into repeated rows), and the CATE distribution table. See
 * estimate_ml.h.
 */
#include "estimate_ml.h"
#include "estimate_impl.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *opt_str(const wb_estimate_spec *s, const char *key)
{
	for (size_t i = 0; i < s->nopts; i++)
		if (strcmp(s->opts[i].key, key) == 0)
			return s->opts[i].value;
	return NULL;
}

int wb_est_ml_learner(const wb_estimate_spec *s, const char *key, wb_task task, int threads,
		      wb_learner_opts *o, wb_err *err)
{
	const char *name = opt_str(s, key);
	if (!name)
		name = opt_str(s, "learner");
	wb_learner_kind kind = WB_LEARNER_GBM;
	int rc;
	if (name && (rc = wb_learner_parse(name, &kind, err)))
		return rc;
	if (name && task == WB_TASK_REGRESSION && strcmp(name, "logistic") == 0)
		return wb_err_set(err, WB_EINVAL,
				  "%s=logistic: outcome models are regressions; use linear (the "
				  "model of a binary treatment is then logistic)",
				  opt_str(s, key) ? key : "learner");
	wb_learner_opts_default(o, kind);
	/* the tuning options: key, range, and the field they set (an int or a double) */
	static const struct {
		const char *key;
		double lo, hi;
		size_t off;
		int is_int;
	} num[] = {
	    {"degree", 1, 2, offsetof(wb_learner_opts, degree), 1},
	    {"interactions", 0, 1, offsetof(wb_learner_opts, interactions), 1},
	    {"lambda", 0, 1e6, offsetof(wb_learner_opts, lambda), 0},
	    {"cv_folds", 2, 20, offsetof(wb_learner_opts, cv_folds), 1},
	    {"n_estimators", 1, 10000, offsetof(wb_learner_opts, n_estimators), 1},
	    {"max_depth", 1, 30, offsetof(wb_learner_opts, max_depth), 1},
	    {"eta", 1e-6, 1, offsetof(wb_learner_opts, eta), 0},
	    {"subsample", 1e-3, 1, offsetof(wb_learner_opts, subsample), 0},
	    {"colsample", 1e-3, 1, offsetof(wb_learner_opts, colsample), 0},
	    {"min_child_weight", 0, 1e6, offsetof(wb_learner_opts, min_child_weight), 0},
	    {"max_bin", 2, 65535, offsetof(wb_learner_opts, max_bin), 1},
	};
	for (size_t k = 0; k < sizeof num / sizeof num[0]; k++) {
		if (!opt_str(s, num[k].key))
			continue;
		double v;
		if ((rc = wb_est_opt_double(s, num[k].key, 0, num[k].lo, num[k].hi, &v, err)))
			return rc;
		char *field = (char *)o + num[k].off;
		if (num[k].is_int)
			*(int *)(void *)field = (int)v;
		else
			*(double *)(void *)field = v;
	}
	o->threads = threads > 0 ? threads : 2;
	return 0;
}

#define REFIT_SEED 20180101 /* the refits' stream (Chernozhukov et al. 2018) */

wb_rng *wb_est_ml_rng(const wb_estimate_spec *s, wb_rng **own)
{
	*own = NULL;
	if (s->rng)
		return s->rng;
	return *own = wb_rng_new(REFIT_SEED);
}

void wb_est_ml_describe(const wb_learner_opts *o, wb_task task, char *buf, size_t size)
{
	const char *name = wb_learner_name(o->kind, task);
	switch (o->kind) {
	case WB_LEARNER_GBM:
		snprintf(buf, size, "%s (XGBoost, %d rounds, depth %d, eta %g)", name,
			 o->n_estimators, o->max_depth, o->eta);
		break;
	case WB_LEARNER_RF:
		snprintf(buf, size, "%s (XGBoost, %d trees, depth %d)", name, o->n_estimators,
			 o->max_depth);
		break;
	case WB_LEARNER_RIDGE:
	case WB_LEARNER_LASSO:
		if (o->lambda >= 0)
			snprintf(buf, size, "%s (lambda %g%s)", name, o->lambda,
				 o->degree == 2	   ? ", degree 2"
				 : o->interactions ? ", interactions"
						   : "");
		else
			snprintf(buf, size, "%s (lambda by %d-fold CV%s)", name, o->cv_folds,
				 o->degree == 2	   ? ", degree 2"
				 : o->interactions ? ", interactions"
						   : "");
		break;
	default:
		snprintf(buf, size, "%s%s", name,
			 o->degree == 2	   ? " (degree 2)"
			 : o->interactions ? " (interactions)"
					   : "");
		break;
	}
}

void wb_est_ml_free(wb_est_ml *m)
{
	free(m->y);
	free(m->t);
	free(m->F);
	free(m->M);
	free(m->unit);
	free(m->names);
	memset(m, 0, sizeof *m);
}

int wb_est_ml_prepare(const wb_est_data *d, wb_est_ml *m, wb_err *err)
{
	memset(m, 0, sizeof *m);
	/* features: the covariates but the intercept, then the modifiers not among them */
	size_t px = d->p > 0 ? d->p - 1 : 0, q = d->nv, p = px;
	int *vin = calloc(q ? q : 1, sizeof *vin); /* modifier j already a covariate */
	if (!vin)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	for (size_t j = 0; j < q; j++) {
		for (size_t k = 1; k < d->p && !vin[j]; k++)
			vin[j] = strcmp(d->vnames[j], d->xnames[k]) == 0;
		p += !vin[j];
	}
	if (p == 0) {
		free(vin);
		return wb_err_set(err, WB_EINVAL,
				  "needs features for its models: give adjust= (the controls) or "
				  "modifiers=");
	}
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++) {
		double w = wb_est_w(d, i);
		if (!(w >= 0 && w == floor(w))) {
			free(vin);
			return wb_err_set(err, WB_EINVAL,
					  "needs whole-number row weights (row %zu has %g)", i + 1,
					  w);
		}
		n += (size_t)w;
	}
	m->n = n;
	m->p = p;
	m->q = q;
	m->mnames = (const char *const *)d->vnames;
	m->y = malloc((n ? n : 1) * sizeof *m->y);
	m->t = malloc((n ? n : 1) * sizeof *m->t);
	m->F = malloc((n ? n : 1) * p * sizeof *m->F);
	m->M = malloc((n ? n : 1) * (q ? q : 1) * sizeof *m->M);
	m->unit = malloc((n ? n : 1) * sizeof *m->unit);
	m->names = malloc(p * sizeof *m->names);
	if (!m->y || !m->t || !m->F || !m->M || !m->unit || !m->names) {
		free(vin);
		wb_est_ml_free(m);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	size_t c = 0;
	for (size_t k = 1; k < d->p; k++)
		m->names[c++] = d->xnames[k];
	for (size_t j = 0; j < q; j++)
		if (!vin[j])
			m->names[c++] = d->vnames[j];
	size_t r = 0;
	for (size_t i = 0; i < d->n; i++) {
		size_t w = (size_t)wb_est_w(d, i);
		for (size_t copy = 0; copy < w; copy++, r++) {
			m->y[r] = d->y[i];
			m->t[r] = d->t[i];
			m->unit[r] = i;
			double *f = m->F + r * p;
			for (size_t k = 1; k < d->p; k++)
				*f++ = d->x[i * d->p + k];
			for (size_t j = 0; j < q; j++) {
				double v = d->v[i * q + j];
				m->M[r * q + j] = v;
				if (!vin[j])
					*f++ = v;
			}
		}
	}
	free(vin);
	return 0;
}

/* ---- the CATE distribution ---- */

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Quantile q of sorted v[0..n-1] by linear interpolation (type 7). */
static double quantile(const double *v, size_t n, double q)
{
	double h = (double)(n - 1) * q;
	size_t lo = (size_t)floor(h);
	return lo + 1 < n ? v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]) : v[n - 1];
}

/* One row: label, n, mean, sd, min, quartiles, max of the values v[0..n-1] (sorted here). */
static int summary_row(wb_result *r, const char *label, double *v, size_t n)
{
	long row = wb_result_add_row(r);
	if (row < 0)
		return WB_ENOMEM;
	size_t i = (size_t)row;
	wb_result_set_str(r, i, 0, label);
	wb_result_set_num(r, i, 1, (double)n);
	if (n == 0)
		return 0;
	double m = 0, ss = 0;
	for (size_t k = 0; k < n; k++)
		m += v[k];
	m /= (double)n;
	for (size_t k = 0; k < n; k++)
		ss += (v[k] - m) * (v[k] - m);
	qsort(v, n, sizeof *v, cmp_dbl);
	wb_result_set_num(r, i, 2, m);
	if (n > 1)
		wb_result_set_num(r, i, 3, sqrt(ss / (double)(n - 1)));
	const double qs[] = {0, 0.25, 0.5, 0.75, 1};
	for (size_t k = 0; k < 5; k++)
		wb_result_set_num(r, i, 4 + k, quantile(v, n, qs[k]));
	return 0;
}

wb_result *wb_est_ml_cate_table(const wb_est_ml *m, const double *tau, const char *title)
{
	wb_result *r = wb_result_new(title);
	double *v = malloc((m->n ? m->n : 1) * sizeof *v),
	       *key = malloc((m->n ? m->n : 1) * sizeof *key);
	if (!r || !v || !key)
		goto nomem;
	static const char *const cols[] = {"group", "n",      "mean_effect", "sd", "min",
					   "q25",   "median", "q75",	     "max"};
	for (size_t j = 0; j < 9; j++)
		if (wb_result_add_column(r, cols[j]) < 0)
			goto nomem;
	memcpy(v, tau, m->n * sizeof *v);
	if (summary_row(r, "all units", v, m->n))
		goto nomem;
	/* per modifier: its quartile groups, or its two values when it is 0/1 */
	for (size_t j = 0; j < m->q; j++) {
		int binary = 1;
		for (size_t i = 0; i < m->n; i++) {
			key[i] = m->M[i * m->q + j];
			binary &= key[i] == 0 || key[i] == 1;
		}
		qsort(key, m->n, sizeof *key, cmp_dbl);
		double cut[5];
		size_t ng = binary ? 2 : 4;
		for (size_t g = 0; g <= 4; g++)
			cut[g] = binary ? (double)g - 0.5 : quantile(key, m->n, (double)g / 4);
		const char *name = m->mnames[j];
		for (size_t g = 0; g < ng; g++) {
			size_t c = 0;
			for (size_t i = 0; i < m->n; i++) {
				double x = m->M[i * m->q + j];
				int in = binary ? x == (double)g
						: (x >= cut[g] && (x < cut[g + 1] || g == ng - 1));
				if (in)
					v[c++] = tau[i];
			}
			char label[200];
			if (binary)
				snprintf(label, sizeof label, "%s = %zu", name, g);
			else
				snprintf(label, sizeof label, "%s Q%zu [%.4g, %.4g%c", name, g + 1,
					 cut[g], cut[g + 1], g == ng - 1 ? ']' : ')');
			if (summary_row(r, label, v, c))
				goto nomem;
		}
	}
	free(v);
	free(key);
	return r;
nomem:
	wb_result_free(r);
	free(v);
	free(key);
	return NULL;
}
