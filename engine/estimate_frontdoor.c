/* estimate_frontdoor.c — the linear front-door estimate (Pearl 1995; Pearl 2009, §3.3.2):
 * when mediators M carry the whole effect of T on Y and T blocks the back-door paths from M to
 * Y, the effect is sum_k a_k b_k, with a_k the coefficient of T in the OLS of M_k on T and the
 * adjustment set, and b_k the coefficient of M_k in the OLS of Y on every M, T and the
 * adjustment set. Standard error: delta method (Sobel 1982) sqrt(b^2 se_a^2 + a^2 se_b^2) with
 * HC1 standard errors for one mediator; bootstrap for several. */
#include "estimate_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int wb_est_fit_frontdoor(const wb_est_data *d, const wb_estimate_spec *s, wb_estimate *est,
			 wb_err *err)
{
	if (d->tkind == WB_TREAT_CATEGORICAL)
		return wb_err_set(err, WB_EINVAL,
				  "needs a binary or numeric treatment; '%s' is categorical",
				  d->tname);
	double nb;
	int rc = wb_est_opt_double(s, "bootstrap", 200, 10, 100000, &nb, err);
	if (rc)
		return rc;
	size_t n = d->n, k = d->nm;
	double *mk = malloc(n * sizeof *mk), *lead = malloc(n * (k + 1) * sizeof *lead);
	double *a = calloc(k, sizeof *a), *sa = calloc(k, sizeof *sa);
	wb_ols o = {0};
	const char *ln[k + 1];
	if (!mk || !lead || !a || !sa) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	const char *tn[1] = {d->tname};
	for (size_t j = 0; j < k && rc == 0; j++) {
		for (size_t i = 0; i < n; i++)
			mk[i] = d->m[i * k + j];
		if ((rc = wb_est_ols(d, d->t, 1, tn, mk, 1, &o, err)) == 0) {
			a[j] = o.beta[0];
			sa[j] = o.se_hc1[0];
		}
		wb_ols_free(&o);
		if (rc)
			wb_err_prefix(err, "%s on %s", d->mnames[j], d->tname);
	}
	if (rc)
		goto out;
	for (size_t i = 0; i < n; i++) {
		memcpy(lead + i * (k + 1), d->m + i * k, k * sizeof *lead);
		lead[i * (k + 1) + k] = d->t[i];
	}
	for (size_t j = 0; j < k; j++)
		ln[j] = d->mnames[j];
	ln[k] = d->tname;
	if ((rc = wb_est_ols(d, lead, k + 1, ln, d->y, 1, &o, err))) {
		wb_err_prefix(err, "%s on the mediators", d->yname);
		goto out;
	}
	double tau = 0;
	for (size_t j = 0; j < k; j++)
		tau += a[j] * o.beta[j];
	double se = NAN;
	if (!d->point_only) {
		if (k == 1)
			se = sqrt(o.beta[0] * o.beta[0] * sa[0] * sa[0] +
				  a[0] * a[0] * o.se_hc1[0] * o.se_hc1[0]);
		else if ((rc = wb_est_bootstrap(d, s, wb_est_fit_frontdoor, (size_t)nb, 1, &se,
						err)))
			goto out;
	}
	double n1 = 0, n0 = 0;
	for (size_t i = 0; i < n; i++) {
		n1 += wb_est_w(d, i) * (d->t[i] == 1);
		n0 += wb_est_w(d, i) * (d->t[i] == 0);
	}
	char label[200];
	wb_est_label(d, label, sizeof label);
	if (wb_estimate_add_contrast(est, label, tau, se, n1, n0) < 0) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	if (d->point_only)
		goto out;
	if (k == 1) {
		wb_estimate_set_se_kind(est, "delta method (Sobel 1982) from HC1 standard errors");
	} else {
		char bk[64];
		snprintf(bk, sizeof bk, "bootstrap, %zu resamples", (size_t)nb);
		wb_estimate_set_se_kind(est, bk);
	}
	for (size_t j = 0; j < k; j++)
		wb_estimate_note(est, "%s -> %s: %.4g (se %.3g); %s -> %s given %s: %.4g (se %.3g)",
				 d->tname, d->mnames[j], a[j], sa[j], d->mnames[j], d->yname,
				 d->tname, o.beta[j], o.se_hc1[j]);
out:
	wb_ols_free(&o);
	free(mk);
	free(lead);
	free(a);
	free(sa);
	return rc;
}
