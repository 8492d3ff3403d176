/* estimate_stratify.c — propensity-score stratification (Rosenbaum & Rubin 1984): units are
 * cut into K strata at the quantiles of the estimated propensity (quintiles by default, which
 * remove about 90% of the bias from a covariate), the difference in mean outcome is taken
 * within each stratum, and the strata are averaged with weights equal to their share of the
 * target population (everyone, the treated, the controls). A stratum without treated or
 * without control units is dropped, and that is reported. Bootstrap standard errors (the
 * propensity model is refitted on each resample). */
#include "estimate_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int wb_est_fit_stratify(const wb_est_data *d, const wb_estimate_spec *s, wb_estimate *est,
			wb_err *err)
{
	double kd, nb;
	int rc = wb_est_opt_double(s, "strata", 5, 2, 100, &kd, err);
	if (rc || (rc = wb_est_opt_double(s, "bootstrap", 200, 10, 100000, &nb, err)))
		return rc;
	size_t K = (size_t)kd, n = d->n;
	double *e = malloc(n * sizeof *e), *sorted = malloc(n * sizeof *sorted);
	double *cut = malloc((K + 1) * sizeof *cut);
	double(*acc)[6] = calloc(K, sizeof *acc); /* sum w y, sum w per group; n per group */
	if (!e || !sorted || !cut || !acc) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = wb_est_propensity(d, e, err)))
		goto out;
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (wb_est_w(d, i) > 0)
			sorted[m++] = e[i];
	qsort(sorted, m, sizeof *sorted, cmp_dbl);
	for (size_t k = 1; k < K; k++)
		cut[k] = sorted[(m * k) / K];
	for (size_t i = 0; i < n; i++) {
		double w = wb_est_w(d, i);
		if (w == 0)
			continue;
		size_t k = 0;
		while (k + 1 < K && e[i] >= cut[k + 1])
			k++;
		int t = d->t[i] == 1;
		acc[k][t] += w * d->y[i];
		acc[k][2 + t] += w;
	}
	double tau = 0, wsum = 0, n1 = 0, n0 = 0;
	size_t dropped = 0;
	char droptext[400] = "";
	size_t dl = 0;
	for (size_t k = 0; k < K; k++) {
		double c1 = acc[k][3], c0 = acc[k][2];
		n1 += c1;
		n0 += c0;
		if (c1 == 0 || c0 == 0) {
			dropped++;
			if (dl < sizeof droptext)
				dl += (size_t)snprintf(droptext + dl, sizeof droptext - dl,
						       "%s%zu (no %s)", dropped > 1 ? ", " : "",
						       k + 1, c1 == 0 ? "treated" : "controls");
			continue;
		}
		double share = s->target == WB_TARGET_ATT   ? c1
			       : s->target == WB_TARGET_ATC ? c0
							    : c1 + c0;
		tau += share * (acc[k][1] / c1 - acc[k][0] / c0);
		wsum += share;
	}
	if (wsum == 0) {
		rc = wb_err_set(
		    err, WB_ENUMERIC,
		    "every propensity stratum lacks treated or control units: no overlap");
		goto out;
	}
	tau /= wsum;
	double se = NAN;
	if (!d->point_only &&
	    (rc = wb_est_bootstrap(d, s, wb_est_fit_stratify, (size_t)nb, 1, &se, err)))
		goto out;
	char label[200];
	wb_est_label(d, label, sizeof label);
	if (wb_estimate_add_contrast(est, label, tau, se, n1, n0) < 0) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	if (d->point_only)
		goto out;
	char bk[64];
	snprintf(bk, sizeof bk, "bootstrap, %zu resamples", (size_t)nb);
	wb_estimate_set_se_kind(est, bk);
	wb_estimate_note(est,
			 "%zu strata at the quantiles of the propensity (logistic regression, "
			 "IRLS); within-stratum differences weighted by the %s in each",
			 K,
			 s->target == WB_TARGET_ATT   ? "treated"
			 : s->target == WB_TARGET_ATC ? "controls"
						      : "units");
	if (dropped)
		wb_estimate_note(est, "dropped %zu stratum/strata without both groups: %s", dropped,
				 droptext);
	wb_est_overlap_table(d, e, NULL, "overlap before the stratification number", est);
out:
	free(e);
	free(sorted);
	free(cut);
	free(acc);
	return rc;
}
