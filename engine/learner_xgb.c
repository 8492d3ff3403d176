/*
 * learner_xgb.c — tree ensembles through XGBoost's C API (Chen & Guestrin 2016, "XGBoost: A
 * Scalable Tree Boosting System", KDD): gradient boosting with booster gbtree and the hist
 * tree method, and a random forest (Breiman 2001) as XGBoost builds one — a single round of
 * num_parallel_tree trees with row and per-node column subsampling and learning rate 1.
 *
 * Two deliberate choices:
 *   - base_score is the training mean of y, so boosting starts from the mean (XGBoost 1.7
 *     starts from 0.5 whatever the scale of y).
 *   - a classification forest is grown as a regression forest on the 0/1 labels with a tiny
 *     L2 penalty, so each leaf holds the proportion of 1s and the forest averages them (as
 *     sklearn's RandomForestClassifier); XGBoost's logistic objective in a single round would
 *     give a Newton step, not a proportion. Predictions are clipped to [0, 1].
 * Every XGBoost return code is checked; its message (XGBGetLastError) goes into wb_err.
 */
#include "learner_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xgboost/c_api.h>

static int xgb_fail(wb_err *err, const char *what)
{
	const char *msg = XGBGetLastError();
	/* XGBoost messages start with "[time] file:line: " and may run over several lines; keep
	 * the first line. */
	char line[WB_ERR_MAX / 2];
	snprintf(line, sizeof line, "%s", msg && *msg ? msg : "unknown error");
	char *nl = strchr(line, '\n');
	if (nl)
		*nl = '\0';
	return wb_err_set(err, WB_ENUMERIC, "XGBoost %s failed: %s", what, line);
}

/* Rows of X as the float matrix XGBoost reads; NULL if out of memory. */
static float *to_float(const double *X, size_t n, size_t p, const size_t *rows, size_t nrows)
{
	size_t m = rows ? nrows : n;
	float *f = malloc((m ? m : 1) * (p ? p : 1) * sizeof *f);
	if (!f)
		return NULL;
	for (size_t i = 0; i < m; i++) {
		const double *x = X + (rows ? rows[i] : i) * p;
		for (size_t j = 0; j < p; j++)
			f[i * p + j] = (float)x[j];
	}
	return f;
}

/* Threads for XGBoost on m rows: below XGB_MT_ROWS a second thread costs more in OpenMP
 * synchronisation than it saves (much more on a loaded machine, where spinning threads wait for
 * descheduled ones). */
#define XGB_MT_ROWS 20000
static int xgb_threads(const wb_learner_opts *o, size_t m)
{
	int t = o->threads > 0 ? o->threads : 2;
	return m < XGB_MT_ROWS ? 1 : t;
}

static int make_dmatrix(const double *X, size_t n, size_t p, const size_t *rows, size_t nrows,
			int threads, DMatrixHandle *d, wb_err *err)
{
	size_t m = rows ? nrows : n;
	float *f = to_float(X, n, p, rows, nrows);
	if (!f)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	int rc = XGDMatrixCreateFromMat_omp(f, (bst_ulong)m, (bst_ulong)p, NAN, d, threads);
	free(f);
	return rc ? xgb_fail(err, "DMatrix") : 0;
}

static int set_param(BoosterHandle b, const char *key, const char *fmt, double v, wb_err *err)
{
	char buf[64];
	snprintf(buf, sizeof buf, fmt, v);
	if (XGBoosterSetParam(b, key, buf)) {
		char what[96];
		snprintf(what, sizeof what, "parameter %s=%s", key, buf);
		return xgb_fail(err, what);
	}
	return 0;
}

int wb_xgb_fit(const wb_learner_opts *o, wb_task task, const double *X, size_t n, size_t p,
	       const double *y, const size_t *rows, size_t nrows, void **booster, wb_err *err)
{
	size_t m = rows ? nrows : n;
	int rf = o->kind == WB_LEARNER_RF;
	float *label = malloc((m ? m : 1) * sizeof *label);
	if (!label)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	double mean = 0;
	for (size_t i = 0; i < m; i++) {
		label[i] = (float)y[rows ? rows[i] : i];
		mean += label[i];
	}
	mean /= (double)m;
	DMatrixHandle d = NULL;
	BoosterHandle b = NULL;
	int rc = make_dmatrix(X, n, p, rows, nrows, xgb_threads(o, m), &d, err);
	if (rc)
		goto out;
	if (XGDMatrixSetFloatInfo(d, "label", label, (bst_ulong)m)) {
		rc = xgb_fail(err, "labels");
		goto out;
	}
	if (XGBoosterCreate(&d, 1, &b)) {
		rc = xgb_fail(err, "booster");
		goto out;
	}
	int logistic = task == WB_TASK_CLASSIFICATION && !rf;
	const char *objective = logistic ? "binary:logistic" : "reg:squarederror";
	if (XGBoosterSetParam(b, "objective", objective) ||
	    XGBoosterSetParam(b, "booster", "gbtree") ||
	    XGBoosterSetParam(b, "tree_method", "hist") || XGBoosterSetParam(b, "verbosity", "0")) {
		rc = xgb_fail(err, "parameters");
		goto out;
	}
	if ((rc = set_param(b, "base_score", "%.17g", mean, err)) ||
	    (rc = set_param(b, "max_depth", "%.0f", o->max_depth, err)) ||
	    (rc = set_param(b, "min_child_weight", "%.17g", o->min_child_weight, err)) ||
	    (rc = set_param(b, "subsample", "%.17g", o->subsample, err)) ||
	    (rc = set_param(b, "colsample_bynode", "%.17g", o->colsample, err)) ||
	    (rc = set_param(b, "max_bin", "%.0f", o->max_bin, err)) ||
	    (rc = set_param(b, "seed", "%.0f", (double)(o->seed % 2147483647u), err)) ||
	    (rc = set_param(b, "nthread", "%.0f", xgb_threads(o, m), err)))
		goto out;
	int rounds = o->n_estimators;
	if (rf) {
		if ((rc = set_param(b, "num_parallel_tree", "%.0f", o->n_estimators, err)) ||
		    (rc = set_param(b, "eta", "%.0f", 1, err)) ||
		    (rc = set_param(b, "lambda", "%g", 1e-5, err)))
			goto out;
		rounds = 1;
	} else if ((rc = set_param(b, "eta", "%.17g", o->eta, err))) {
		goto out;
	}
	for (int it = 0; it < rounds; it++)
		if (XGBoosterUpdateOneIter(b, it, d)) {
			rc = xgb_fail(err, "boosting");
			goto out;
		}
out:
	free(label);
	if (d)
		XGDMatrixFree(d);
	if (rc) {
		if (b)
			XGBoosterFree(b);
		return rc;
	}
	*booster = b;
	return 0;
}

int wb_xgb_predict(void *booster, const wb_learner_opts *o, wb_task task, const double *X, size_t n,
		   size_t p, const size_t *rows, size_t nrows, double *out, wb_err *err)
{
	size_t m = rows ? nrows : n;
	DMatrixHandle d = NULL;
	int rc = make_dmatrix(X, n, p, rows, nrows, xgb_threads(o, m), &d, err);
	if (rc)
		return rc;
	bst_ulong len = 0;
	const float *pred = NULL;
	if (XGBoosterPredict((BoosterHandle)booster, d, 0, 0, 0, &len, &pred)) {
		rc = xgb_fail(err, "prediction");
	} else if (len != (bst_ulong)m) {
		rc = wb_err_set(err, WB_ENUMERIC, "XGBoost prediction: %lu values for %zu rows",
				(unsigned long)len, m);
	} else {
		int clip = task == WB_TASK_CLASSIFICATION && o->kind == WB_LEARNER_RF;
		for (size_t i = 0; i < m; i++) {
			double v = pred[i];
			out[i] = clip ? (v < 0 ? 0 : v > 1 ? 1 : v) : v;
		}
	}
	XGDMatrixFree(d);
	return rc;
}

void wb_xgb_free(void *booster)
{
	if (booster)
		XGBoosterFree((BoosterHandle)booster);
}
