/*
 * learner_impl.h — private to learner.c and learner_xgb.c: the XGBoost half of the learner
 * interface (see learner.h for the contract).
 */
#ifndef WB_LEARNER_IMPL_H
#define WB_LEARNER_IMPL_H

#include "learner.h"

/* Fits an XGBoost ensemble (o->kind WB_LEARNER_GBM or WB_LEARNER_RF) on rows rows[0..nrows-1]
 * of X (n × p; rows NULL: all n); *booster is a new handle for wb_xgb_predict/wb_xgb_free. */
int wb_xgb_fit(const wb_learner_opts *o, wb_task task, const double *X, size_t n, size_t p,
	       const double *y, const size_t *rows, size_t nrows, void **booster, wb_err *err);

/* Predictions of booster for rows of X into out (nrows values; rows NULL: n). Classification
 * forests (fitted as regression on 0/1) are clipped to [0, 1]. */
int wb_xgb_predict(void *booster, const wb_learner_opts *o, wb_task task, const double *X, size_t n,
		   size_t p, const size_t *rows, size_t nrows, double *out, wb_err *err);

void wb_xgb_free(void *booster);

#endif
