/* estimate_iv.c — instrumental variables by two-stage least squares (Theil 1953; Angrist &
 * Pischke 2009, ch. 4): the treatment is regressed on the instruments and the covariates, the
 * outcome on the fitted treatment and the covariates; HC1 standard errors with residuals from
 * the actual treatment. The first-stage F of the excluded instruments is reported and an F
 * below 10 is flagged as a weak instrument (Staiger & Stock 1997). With one binary instrument,
 * a binary treatment and no covariates the estimate is the Wald ratio cov(Y,Z)/cov(T,Z). */
#include "estimate_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int wb_est_fit_iv(const wb_est_data *d, const wb_estimate_spec *s, wb_estimate *est, wb_err *err)
{
	if (d->tkind == WB_TREAT_CATEGORICAL)
		return wb_err_set(
		    err, WB_EINVAL,
		    "needs a binary or numeric treatment; '%s' is categorical (derive "
		    "one indicator per level)",
		    d->tname);
	size_t nn = 1 + d->p + d->nz;
	const char *names[nn];
	names[0] = d->tname;
	for (size_t c = 0; c < d->p; c++)
		names[1 + c] = d->xnames[c];
	for (size_t c = 0; c < d->nz; c++)
		names[1 + d->p + c] = d->znames[c];
	wb_tsls t;
	int rc = wb_tsls_fit(d->y, d->t, 1, d->x, d->p, d->z, d->nz, d->n, d->w, names, &t, err);
	if (rc)
		return rc;
	double n1 = 0, n0 = 0;
	for (size_t i = 0; i < d->n; i++) {
		n1 += wb_est_w(d, i) * (d->t[i] == 1);
		n0 += wb_est_w(d, i) * (d->t[i] == 0);
	}
	char label[200];
	wb_est_label(d, label, sizeof label);
	if (wb_estimate_add_contrast(est, label, t.beta[0], d->point_only ? NAN : t.se_hc1[0], n1,
				     n0) < 0) {
		wb_tsls_free(&t);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	if (!d->point_only) {
		double F = t.first_f[0];
		char zl[400] = "";
		size_t len = 0;
		for (size_t c = 0; c < d->nz && len < sizeof zl; c++)
			len += (size_t)snprintf(zl + len, sizeof zl - len, "%s%s", c ? ", " : "",
						d->znames[c]);
		wb_estimate_set_se_kind(est, "HC1 (2SLS, residuals from the actual treatment)");
		wb_estimate_note(est,
				 "instrument(s): {%s}; first stage: %s on the instrument(s) and "
				 "the adjustment set, F(%g, %g) = %.4g",
				 zl, d->tname, t.first_df[0], t.first_df[1], F);
		if (F < 10)
			wb_estimate_note(
			    est,
			    "warning: weak instrument: first-stage F = %.3g < 10 (Staiger "
			    "& Stock 1997): the estimate is biased toward OLS and its "
			    "interval is unreliable",
			    F);
		if (d->nz == 1 && d->p == 1)
			wb_estimate_note(est,
					 "one instrument, no covariates: this is the Wald ratio "
					 "cov(Y,Z) / cov(T,Z)");
	}
	wb_tsls_free(&t);
	return 0;
}
