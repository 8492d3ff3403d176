/* estimate_match.c — nearest-neighbour matching on the logit of the propensity score, one
 * neighbour, with replacement (Rosenbaum & Rubin 1985; Austin 2011 for the caliper of 0.2 SD
 * of the logit as a common choice). For the ATT every treated unit is matched to the closest
 * control, for the ATC every control to the closest treated unit, and the ATE combines both
 * (Abadie & Imbens 2006). With caliper=C a unit whose closest match is further than C standard
 * deviations of the logit stays unmatched; unmatched units are counted and reported. Standard
 * errors by bootstrap — approximate: Abadie & Imbens (2008) show the bootstrap is not exact for
 * matching with a fixed number of neighbours. */
#include "estimate_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct unit {
	double l;
	size_t i;
} unit;

static int cmp_unit(const void *a, const void *b)
{
	double x = ((const unit *)a)->l, y = ((const unit *)b)->l;
	return x < y ? -1 : x > y;
}

/* Matches every unit of group `from` (weight > 0) to the nearest of `pool` (sorted); adds
 * w (y_from - y_match) signed so that treated minus control, and counts uses of pool units. */
static void match_group(const wb_est_data *d, const double *l, const unit *pool, size_t np,
			int from, double cal, double *sum, double *cnt, size_t *unmatched,
			double *uses)
{
	for (size_t i = 0; i < d->n; i++) {
		double w = wb_est_w(d, i);
		if (w == 0 || (d->t[i] == 1) != from)
			continue;
		size_t lo = 0, hi = np;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (pool[mid].l < l[i])
				lo = mid + 1;
			else
				hi = mid;
		}
		size_t best = lo < np ? lo : np - 1;
		if (lo > 0 && (lo == np || fabs(pool[lo - 1].l - l[i]) <= fabs(pool[lo].l - l[i])))
			best = lo - 1;
		if (cal > 0 && fabs(pool[best].l - l[i]) > cal) {
			*unmatched += (size_t)w;
			continue;
		}
		double diff = d->y[i] - d->y[pool[best].i];
		*sum += w * (from ? diff : -diff);
		*cnt += w;
		if (uses)
			uses[pool[best].i] += w;
	}
}

int wb_est_fit_match(const wb_est_data *d, const wb_estimate_spec *s, wb_estimate *est, wb_err *err)
{
	double cal_sd, nb;
	int rc = wb_est_opt_double(s, "caliper", 0, 0, 100, &cal_sd, err);
	if (rc || (rc = wb_est_opt_double(s, "bootstrap", 200, 10, 100000, &nb, err)))
		return rc;
	size_t n = d->n;
	double *e = malloc(n * sizeof *e), *l = malloc(n * sizeof *l);
	double *uses = calloc(n, sizeof *uses);
	unit *pool[2] = {malloc(n * sizeof(unit)), malloc(n * sizeof(unit))};
	size_t np[2] = {0, 0};
	if (!e || !l || !uses || !pool[0] || !pool[1]) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = wb_est_propensity(d, e, err)))
		goto out;
	double sl = 0, sl2 = 0, sw = 0;
	for (size_t i = 0; i < n; i++) {
		double p = e[i] < 1e-15 ? 1e-15 : e[i] > 1 - 1e-15 ? 1 - 1e-15 : e[i];
		l[i] = log(p / (1 - p));
		double w = wb_est_w(d, i);
		if (w == 0)
			continue;
		int t = d->t[i] == 1;
		pool[t][np[t]++] = (unit){l[i], i};
		sl += w * l[i];
		sl2 += w * l[i] * l[i];
		sw += w;
	}
	double sd = sqrt((sl2 - sl * sl / sw) / (sw - 1));
	double cal = cal_sd * sd;
	qsort(pool[0], np[0], sizeof(unit), cmp_unit);
	qsort(pool[1], np[1], sizeof(unit), cmp_unit);
	double sum[2] = {0, 0}, cnt[2] = {0, 0};
	size_t un[2] = {0, 0};
	if (s->target != WB_TARGET_ATC) /* treated matched to controls */
		match_group(d, l, pool[0], np[0], 1, cal, &sum[1], &cnt[1], &un[1], uses);
	if (s->target != WB_TARGET_ATT) /* controls matched to treated */
		match_group(d, l, pool[1], np[1], 0, cal, &sum[0], &cnt[0], &un[0], uses);
	double tau;
	if (s->target == WB_TARGET_ATT)
		tau = cnt[1] > 0 ? sum[1] / cnt[1] : NAN;
	else if (s->target == WB_TARGET_ATC)
		tau = cnt[0] > 0 ? sum[0] / cnt[0] : NAN;
	else
		tau = cnt[0] + cnt[1] > 0 ? (sum[0] + sum[1]) / (cnt[0] + cnt[1]) : NAN;
	if (isnan(tau)) {
		rc = wb_err_set(
		    err, WB_ENUMERIC,
		    "no unit has a match within the caliper of %g SD: widen caliper=", cal_sd);
		goto out;
	}
	double se = NAN;
	if (!d->point_only &&
	    (rc = wb_est_bootstrap(d, s, wb_est_fit_match, (size_t)nb, 1, &se, err)))
		goto out;
	char label[200];
	wb_est_label(d, label, sizeof label);
	if (wb_estimate_add_contrast(est, label, tau, se, (double)np[1], (double)np[0]) < 0) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	if (d->point_only)
		goto out;
	char bk[128];
	snprintf(bk, sizeof bk,
		 "bootstrap, %zu resamples (approximate for matching, Abadie & "
		 "Imbens 2008)",
		 (size_t)nb);
	wb_estimate_set_se_kind(est, bk);
	wb_estimate_note(est,
			 "1 nearest neighbour on the propensity logit (SD %.4g), with "
			 "replacement",
			 sd);
	if (cal_sd > 0)
		wb_estimate_note(est,
				 "caliper %g SD = %.4g on the logit: %zu treated and %zu "
				 "control units unmatched and left out",
				 cal_sd, cal, un[1], un[0]);
	else
		wb_estimate_note(est, "unmatched units: none (no caliper)");
	/* balance after matching: each matched unit weight 1, each used match by its uses */
	for (size_t i = 0; i < n; i++) {
		int t = d->t[i] == 1;
		int matched_side = s->target == WB_TARGET_ATT	? t
				   : s->target == WB_TARGET_ATC ? !t
								: 1;
		if (matched_side)
			uses[i] += 1;
	}
	wb_est_overlap_table(d, e, uses, "overlap and balance of the matching", est);
out:
	free(e);
	free(l);
	free(uses);
	free(pool[0]);
	free(pool[1]);
	return rc;
}
