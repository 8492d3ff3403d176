/* estimate_regression.c — regression adjustment: the coefficient of the treatment in an OLS
 * of the outcome on the treatment and a backdoor adjustment set (Pearl 2009, §3.3.1, with a
 * linear outcome model), with HC1 standard errors (MacKinnon & White 1985). With effect
 * modifiers M the model has T x (M - mean of M over the target population), so the treatment
 * coefficient is the average effect over that population (ATE: everyone, ATT: the treated,
 * ATC: the controls) and each interaction coefficient is a CATE slope. */
#include "estimate_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The per-unit effects of a binary or numeric treatment with modifiers: the average effect
 * plus the slopes times each unit's modifiers minus their means (beta: [effect, slopes ...]). */
static int unit_effects(const wb_est_data *d, wb_estimate *e, const double *beta,
			const double *center, wb_err *err)
{
	size_t n = d->n, nv = d->nv;
	double *tau = malloc((n ? n : 1) * sizeof *tau);
	if (!tau)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		double t = beta[0];
		for (size_t j = 0; j < nv; j++)
			t += beta[1 + j] * (d->v[i * nv + j] - center[j]);
		tau[i] = t;
	}
	int rc = wb_estimate_set_unit_effects(e, d, tau);
	free(tau);
	return rc ? wb_err_set(err, WB_ENOMEM, "out of memory") : 0;
}

int wb_est_regress(const wb_est_data *d, const wb_estimate_spec *s, wb_estimate *e, int use_x,
		   wb_err *err)
{
	size_t n = d->n, nv = d->nv;
	/* treatment columns: the levels other than the reference, or t itself */
	size_t na = d->tkind == WB_TREAT_CATEGORICAL ? d->nlevels - 1 : 1;
	size_t lev[na];
	for (size_t a = 0, l = 0; d->tkind == WB_TREAT_CATEGORICAL && l < d->nlevels; l++)
		if (l != d->ref)
			lev[a++] = l;
	/* the modifiers' main effects come last, except those already in the adjustment set */
	size_t main[nv ? nv : 1], nmain = 0;
	for (size_t j = 0; j < nv; j++) {
		int in_x = 0;
		for (size_t c = 1; c < d->p && !in_x; c++)
			in_x = strcmp(d->xnames[c], d->vnames[j]) == 0;
		if (!in_x || !use_x)
			main[nmain++] = j;
	}
	size_t q = na * (1 + nv), ql = q + nmain;
	/* a binary or numeric treatment without modifiers is its own lead column: no copy */
	int simple = d->tkind != WB_TREAT_CATEGORICAL && nv == 0;
	double *lead = simple ? NULL : malloc((n * ql > 0 ? n * ql : 1) * sizeof *lead);
	char **names = calloc(ql, sizeof *names);
	double *center = calloc(na * (nv ? nv : 1), sizeof *center);
	double *n1 = calloc(na, sizeof *n1), n0 = 0;
	wb_ols o = {0};
	int rc = 0;
	if ((!simple && !lead) || !names || !center || !n1) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	/* group sizes and the modifiers' means over each contrast's target population (a
	 * replicate needs only the means) */
	for (size_t a = 0; a < na && (!d->point_only || nv); a++) {
		double cw = 0;
		for (size_t i = 0; i < n; i++) {
			double wi = wb_est_w(d, i);
			int treated = d->tkind == WB_TREAT_CATEGORICAL ? d->t[i] == (double)lev[a]
								       : d->t[i] == 1;
			int control = d->tkind == WB_TREAT_CATEGORICAL ? d->t[i] == (double)d->ref
								       : d->t[i] == 0;
			n1[a] += treated * wi;
			if (a == 0)
				n0 += control * wi;
			int in = s->target == WB_TARGET_ATE ||
				 (s->target == WB_TARGET_ATT && treated) ||
				 (s->target == WB_TARGET_ATC && control);
			if (!in || !nv)
				continue;
			cw += wi;
			for (size_t j = 0; j < nv; j++)
				center[a * nv + j] += wi * d->v[i * nv + j];
		}
		for (size_t j = 0; j < nv && cw > 0; j++)
			center[a * nv + j] /= cw;
	}
	for (size_t i = 0; i < n && !simple; i++) {
		double *li = lead + i * ql;
		for (size_t j = 0; j < nmain; j++)
			li[q + j] = d->v[i * nv + main[j]];
		for (size_t a = 0; a < na; a++) {
			double ta =
			    d->tkind == WB_TREAT_CATEGORICAL ? d->t[i] == (double)lev[a] : d->t[i];
			li[a * (1 + nv)] = ta;
			for (size_t j = 0; j < nv; j++)
				li[a * (1 + nv) + 1 + j] =
				    ta * (d->v[i * nv + j] - center[a * nv + j]);
		}
	}
	for (size_t a = 0; a < na; a++) {
		char buf[300];
		if (d->tkind == WB_TREAT_CATEGORICAL)
			snprintf(buf, sizeof buf, "%s: %s vs %s", d->tname, d->levels[lev[a]],
				 d->levels[d->ref]);
		else
			wb_est_label(d, buf, sizeof buf);
		names[a * (1 + nv)] = strdup(buf);
		for (size_t j = 0; j < nv; j++) {
			char b2[600];
			snprintf(b2, sizeof b2, "%s x %s", buf, d->vnames[j]);
			names[a * (1 + nv) + 1 + j] = strdup(b2);
		}
	}
	for (size_t j = 0; j < nmain; j++)
		names[q + j] = strdup(d->vnames[main[j]]);
	for (size_t k = 0; k < ql; k++)
		if (!names[k]) {
			rc = wb_err_set(err, WB_ENOMEM, "out of memory");
			goto out;
		}
	if ((rc = wb_est_ols(d, simple ? d->t : lead, ql, (const char *const *)names, d->y, use_x,
			     &o, err)))
		goto out;
	for (size_t k = 0; k < q && rc == 0; k++) {
		int slope = k % (1 + nv) != 0;
		size_t a = k / (1 + nv);
		long c = wb_estimate_add_contrast(e, names[k], o.beta[k],
						  d->point_only ? NAN : o.se_hc1[k], n1[a], n0);
		if (c < 0)
			rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		else if (slope)
			wb_estimate_set_slope(e, (size_t)c);
	}
	if (rc || d->point_only)
		goto out;
	if (nv && na == 1 && (rc = unit_effects(d, e, o.beta, center, err)))
		goto out;
	wb_estimate_set_se_kind(e, "HC1 (heteroskedasticity-robust)");
	if (d->tkind == WB_TREAT_CONTINUOUS)
		wb_estimate_note(e, "continuous treatment: the effect of one unit more of %s",
				 d->tname);
	if (use_x)
		wb_estimate_note(e, "model: OLS of %s on %s%s and the adjustment set (R² %.4g)",
				 d->yname, d->tname, nv ? " × modifiers" : "", o.r2);
	if (nv) {
		wb_estimate_note(e,
				 "CATE: effect = average over the %s population + slope × "
				 "(modifier - its mean there); slope rows are marked 'x'",
				 s->target == WB_TARGET_ATT   ? "treated"
				 : s->target == WB_TARGET_ATC ? "control"
							      : "whole");
	} else if (use_x && s->target != WB_TARGET_ATE) {
		wb_estimate_note(e, "no modifiers: the linear model has one effect for everyone, "
				    "so ATT = ATC = ATE (give modifiers= for effects that vary)");
	}
out:
	for (size_t k = 0; names && k < ql; k++)
		free(names[k]);
	free(names);
	free(lead);
	free(center);
	free(n1);
	wb_ols_free(&o);
	return rc;
}

int wb_est_fit_regression(const wb_est_data *d, const wb_estimate_spec *s, wb_estimate *e,
			  wb_err *err)
{
	return wb_est_regress(d, s, e, 1, err);
}
