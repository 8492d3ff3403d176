/* estimate_aipw.c — augmented inverse propensity weighting, the doubly robust estimator
 * (Robins, Rotnitzky & Zhao 1994): outcome models mu1(x), mu0(x) by OLS within each group,
 * propensity e(x) by logistic regression, and
 *   ATE = mean of  mu1 - mu0 + T (Y - mu1) / e - (1 - T)(Y - mu0) / (1 - e),
 *   ATT = sum of [T (Y - mu0) - (1 - T) e/(1-e) (Y - mu0)] / number treated,
 *   ATC = sum of [(1 - T)(mu1 - Y) + T (1-e)/e (Y - mu1)] / number of controls,
 * consistent when either model is right. The standard error is the standard deviation of the
 * influence function over sqrt(n) (Lunceford & Davidian 2004; Kennedy 2016 for ATT/ATC). */
#include "estimate_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* OLS of y on the covariates within one group (group weights gw), fitted for every row. */
static int arm_fit(const wb_est_data *d, const double *gw, double *mu, wb_err *err)
{
	wb_xprod s;
	wb_ols o;
	int rc = wb_xprod_compute(d->x, d->n, d->p, d->y, gw, d->threads, &s, err);
	if (rc)
		return rc;
	rc = wb_ols_solve(&s, (const char *const *)d->xnames, &o, err);
	wb_xprod_free(&s);
	if (rc)
		return rc;
	for (size_t i = 0; i < d->n; i++) {
		double v = 0;
		for (size_t c = 0; c < d->p; c++)
			v += o.beta[c] * d->x[i * d->p + c];
		mu[i] = v;
	}
	wb_ols_free(&o);
	return 0;
}

int wb_est_fit_aipw(const wb_est_data *d, const wb_estimate_spec *s, wb_estimate *est, wb_err *err)
{
	size_t n = d->n;
	double *e = malloc(n * sizeof *e), *keep = malloc(n * sizeof *keep);
	double *mu1 = malloc(n * sizeof *mu1), *mu0 = malloc(n * sizeof *mu0);
	double *gw = malloc(n * sizeof *gw), *psi = malloc(n * sizeof *psi);
	int rc = 0;
	if (!e || !keep || !mu1 || !mu0 || !gw || !psi) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = wb_est_propensity(d, e, err)) || (rc = wb_est_trim(d, s, e, keep, est, err)))
		goto out;
	for (int arm = 0; arm < 2 && rc == 0; arm++) {
		for (size_t i = 0; i < n; i++)
			gw[i] = keep[i] * ((d->t[i] == 1) == arm);
		rc = arm_fit(d, gw, arm ? mu1 : mu0, err);
		if (rc)
			wb_err_prefix(err, "outcome model of the %s", arm ? "treated" : "controls");
	}
	if (rc)
		goto out;
	double N = 0, n1 = 0, n0 = 0, sum = 0;
	for (size_t i = 0; i < n; i++) {
		double t = d->t[i] == 1, y = d->y[i], p = e[i];
		double v;
		if (s->target == WB_TARGET_ATT)
			v = t * (y - mu0[i]) - (1 - t) * p / (1 - p) * (y - mu0[i]);
		else if (s->target == WB_TARGET_ATC)
			v = (1 - t) * (mu1[i] - y) + t * (1 - p) / p * (y - mu1[i]);
		else
			v = mu1[i] - mu0[i] + t * (y - mu1[i]) / p -
			    (1 - t) * (y - mu0[i]) / (1 - p);
		psi[i] = v;
		N += keep[i];
		n1 += keep[i] * t;
		n0 += keep[i] * (1 - t);
		sum += keep[i] * v;
	}
	double denom = s->target == WB_TARGET_ATT ? n1 : s->target == WB_TARGET_ATC ? n0 : N;
	double tau = sum / denom, se = NAN;
	if (!d->point_only) {
		/* influence function: (psi - g tau) / P(group), g the target-group indicator */
		double ss = 0;
		for (size_t i = 0; i < n; i++) {
			double g = s->target == WB_TARGET_ATT	? d->t[i] == 1
				   : s->target == WB_TARGET_ATC ? d->t[i] == 0
								: 1;
			double f = (psi[i] - g * tau) * N / denom;
			ss += keep[i] * f * f;
		}
		se = sqrt(ss) / N;
	}
	char label[200];
	wb_est_label(d, label, sizeof label);
	if (wb_estimate_add_contrast(est, label, tau, se, n1, n0) < 0) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	if (d->point_only)
		goto out;
	wb_estimate_set_se_kind(est, "influence function (doubly robust)");
	wb_estimate_note(est,
			 "outcome models: OLS of %s on the adjustment set in each group; "
			 "propensity: logistic regression (IRLS)",
			 d->yname);
	wb_est_balancing_weights(d, s->target, e, gw);
	for (size_t i = 0; i < n; i++)
		gw[i] *= keep[i] > 0;
	wb_est_overlap_table(d, e, gw, "overlap before the AIPW number", est);
out:
	free(e);
	free(keep);
	free(mu1);
	free(mu0);
	free(gw);
	free(psi);
	return rc;
}
