/* estimate_ipw.c — inverse propensity weighting with normalised (Hajek) weights, and the
 * propensity-trimming rule shared with AIPW.
 *
 * Weights (Hirano, Imbens & Ridder 2003): ATE treated 1/e, controls 1/(1-e); ATT treated 1,
 * controls e/(1-e); ATC treated (1-e)/e, controls 1. The effect is the difference of the
 * weighted means of the two groups, each normalised by its own weight total (Hajek 1971).
 * Standard error from the estimator's influence function with the propensity treated as known,
 * which is conservative for the ATE (Lunceford & Davidian 2004). */
#include "estimate_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int wb_est_trim(const wb_est_data *d, const wb_estimate_spec *s, const double *e, double *keep,
		wb_estimate *est, wb_err *err)
{
	double a;
	int rc = wb_est_opt_double(s, "trim", 0, 0, 0.49, &a, err);
	if (rc)
		return rc;
	size_t dropped[2] = {0, 0}, extreme = 0;
	for (size_t i = 0; i < d->n; i++) {
		keep[i] = wb_est_w(d, i);
		if (keep[i] == 0)
			continue;
		if (a > 0 && (e[i] < a || e[i] > 1 - a)) {
			dropped[d->t[i] == 1]++;
			keep[i] = 0;
		} else if (e[i] < 1e-12 || e[i] > 1 - 1e-12) {
			extreme++;
		}
	}
	if (extreme)
		return wb_err_set(err, WB_ENUMERIC,
				  "%zu unit(s) have a propensity of 0 or 1 (no overlap): give "
				  "trim=0.01 to drop units outside [0.01, 0.99] (reported)",
				  extreme);
	double n1 = 0, n0 = 0;
	for (size_t i = 0; i < d->n; i++) {
		n1 += keep[i] * (d->t[i] == 1);
		n0 += keep[i] * (d->t[i] == 0);
	}
	if (n1 == 0 || n0 == 0)
		return wb_err_set(err, WB_EINVAL, "no %s units left after trimming at %g",
				  n1 == 0 ? "treated" : "control", a);
	if (a > 0 && !d->point_only)
		wb_estimate_note(
		    est,
		    "trimmed: %zu treated and %zu control units with propensity outside "
		    "[%g, %g] dropped (Crump et al. 2009)",
		    dropped[1], dropped[0], a, 1 - a);
	return 0;
}

void wb_est_balancing_weights(const wb_est_data *d, wb_target target, const double *e, double *bw)
{
	for (size_t i = 0; i < d->n; i++) {
		int t = d->t[i] == 1;
		double p = e[i];
		switch (target) {
		case WB_TARGET_ATT:
			bw[i] = t ? 1 : p / (1 - p);
			break;
		case WB_TARGET_ATC:
			bw[i] = t ? (1 - p) / p : 1;
			break;
		default:
			bw[i] = t ? 1 / p : 1 / (1 - p);
		}
	}
}

int wb_est_fit_ipw(const wb_est_data *d, const wb_estimate_spec *s, wb_estimate *est, wb_err *err)
{
	size_t n = d->n;
	double *e = malloc(n * sizeof *e), *keep = malloc(n * sizeof *keep),
	       *bw = malloc(n * sizeof *bw);
	int rc = 0;
	if (!e || !keep || !bw) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = wb_est_propensity(d, e, err)) || (rc = wb_est_trim(d, s, e, keep, est, err)))
		goto out;
	wb_est_balancing_weights(d, s->target, e, bw);
	double sa[2] = {0, 0}, say[2] = {0, 0}, cnt[2] = {0, 0}, wmax = 0;
	for (size_t i = 0; i < n; i++) {
		int t = d->t[i] == 1;
		double a = keep[i] * bw[i];
		sa[t] += a;
		say[t] += a * d->y[i];
		cnt[t] += keep[i];
		if (keep[i] > 0 && bw[i] > wmax)
			wmax = bw[i];
	}
	double mu[2] = {say[0] / sa[0], say[1] / sa[1]};
	double tau = mu[1] - mu[0], se = NAN;
	if (!d->point_only) {
		double v[2] = {0, 0};
		for (size_t i = 0; i < n; i++) {
			int t = d->t[i] == 1;
			double r = d->y[i] - mu[t];
			v[t] += keep[i] * bw[i] * bw[i] * r * r;
		}
		se = sqrt(v[1] / (sa[1] * sa[1]) + v[0] / (sa[0] * sa[0]));
	}
	char label[200];
	wb_est_label(d, label, sizeof label);
	if (wb_estimate_add_contrast(est, label, tau, se, cnt[1], cnt[0]) < 0) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	if (d->point_only)
		goto out;
	wb_estimate_set_se_kind(est, "influence function, propensity treated as known "
				     "(conservative for the ATE; Lunceford & Davidian 2004)");
	wb_estimate_note(est,
			 "propensity: logistic regression (IRLS) of %s on the adjustment set; "
			 "weights normalised within each group (Hajek), largest weight %.4g",
			 d->tname, wmax);
	for (size_t i = 0; i < n; i++)
		bw[i] *= keep[i] > 0;
	wb_est_overlap_table(d, e, bw, "overlap before the IPW number", est);
out:
	free(e);
	free(keep);
	free(bw);
	return rc;
}
