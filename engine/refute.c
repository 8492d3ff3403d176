/* refute.c — refuters and sensitivity analysis on an estimate. See refute.h. */
#include "refute.h"

#include "refute_impl.h"

#include "parallel.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALPHA 0.05

const char *const wb_refute_kinds[] = {"placebo",	"random-cause", "subset", "bootstrap",
				       "dummy-outcome", "unobserved",	"evalue", NULL};

static const double default_kappa[] = {0, 0.1, 0.2, 0.3, 0.4, 0.5};

/* One line of the refutation table. */
typedef struct row {
	const char *kind;
	double estimate, mean, sd, p, lo, mid, hi;
	const char *verdict;
	char rule[400];
	char note[600];
} row;

double wb_refute_evalue_rr(double rr)
{
	if (!(rr > 0))
		return NAN;
	if (rr < 1)
		rr = 1 / rr;
	return rr + sqrt(rr * (rr - 1));
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double quantile(const double *sorted, size_t n, double q)
{
	double h = (double)(n - 1) * q;
	size_t lo = (size_t)h;
	if (lo + 1 >= n)
		return sorted[n - 1];
	return sorted[lo] + (h - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}

/* Two-sided empirical tail of x in sims (Phipson & Smyth 2010). */
static double tail_p(const double *sims, size_t n, double x)
{
	size_t ge = 0, le = 0;
	for (size_t i = 0; i < n; i++) {
		ge += sims[i] >= x;
		le += sims[i] <= x;
	}
	double p = (1.0 + 2.0 * (double)(ge < le ? ge : le)) / ((double)n + 1);
	return p > 1 ? 1 : p;
}

/* Fills the treatment column of the standardised treatment, for the unobserved confounder. */
static void standardise(const double *t, size_t n, double *z)
{
	double m = 0;
	for (size_t i = 0; i < n; i++)
		m += t[i] / (double)n;
	double sd = wb_refute_sd(t, n, NULL);
	for (size_t i = 0; i < n; i++)
		z[i] = sd > 0 ? (t[i] - m) / sd : 0;
}

/* Simulations s_lo .. s_hi-1 of one kind into sims: effects of the estimate's method refitted
 * on each simulation's changed data, its draws written out as a column. */
static int simulate_range(const wb_estimate *e, const char *kind, const wb_refute_opts *o,
			  size_t s_lo, size_t s_hi, size_t N, atomic_size_t *done, double *sims,
			  wb_refute_skip *skip, wb_err *err)
{
	const wb_est_data *d = wb_estimate_data(e);
	size_t n = d->n, p = d->p;
	wb_est_data w = *d;
	w.point_only = 1;
	w.zxy = (wb_xprod){0}; /* the data change: nothing cached holds */
	w.threads = 1;	       /* the simulations are what runs in parallel */
	wb_draw_plan plan = wb_draw_plan_of(d, kind, o->fraction);
	double *col = malloc(n * sizeof *col), *xx = NULL;
	char **names = NULL;
	int rc = 0;
	if (!col)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	int random = strcmp(kind, "random-cause") == 0;
	int weights = strcmp(kind, "subset") == 0 || strcmp(kind, "bootstrap") == 0;
	if (random) {
		size_t q = p + 1;
		xx = malloc(n * q * sizeof *xx);
		names = malloc(q * sizeof *names);
		if (!xx || !names) {
			rc = wb_err_set(err, WB_ENOMEM, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < n; i++)
			memcpy(xx + i * q, d->x + i * p, p * sizeof *xx);
		memcpy(names, d->xnames, p * sizeof *names);
		names[p] = "(random common cause)";
		w.x = xx;
		w.p = q;
		w.xnames = names;
	} else if (weights) {
		w.w = col;
	} else if (strcmp(kind, "placebo") == 0) {
		w.t = col;
	} else {
		w.y = col;
	}
	for (size_t s = s_lo; s < s_hi; s++) {
		if (wb_progress_cancelled(o->progress)) {
			rc = wb_err_set(err, WB_ECANCEL, "cancelled");
			goto out;
		}
		wb_draw dr;
		if ((rc = wb_draw_start(&dr, &plan, o->rng, s, n, err)))
			goto out;
		wb_draw_next(&dr, col, n);
		wb_draw_end(&dr);
		for (size_t i = 0; random && i < n; i++)
			xx[i * (p + 1) + p] = col[i];
		for (size_t i = 0; weights && d->w && i < n; i++)
			col[i] *= d->w[i];
		if ((rc = wb_est_refit(e, &w, &sims[s], err)) == WB_ENUMERIC) {
			wb_refute_skip_add(skip, s, err); /* this one cannot be fitted: leave it out */
			sims[s] = NAN;
			rc = 0;
		} else if (rc) {
			goto out;
		}
		wb_progress_set(o->progress, (double)(atomic_fetch_add(done, 1) + 1) / (double)N);
	}
out:
	free(col);
	free(xx);
	free(names);
	return rc;
}

typedef struct sim_ctx {
	const wb_estimate *e;
	const char *kind;
	const wb_refute_opts *o;
	size_t N;
	atomic_size_t done;
	double *sims;
	int rc[WB_PARALLEL_MAX];
	wb_err err[WB_PARALLEL_MAX];
	wb_refute_skip skip[WB_PARALLEL_MAX];
} sim_ctx;

static void sim_part(void *arg, int part, size_t lo, size_t hi)
{
	sim_ctx *c = arg;
	c->rc[part] = simulate_range(c->e, c->kind, c->o, lo, hi, c->N, &c->done, c->sims,
				     &c->skip[part], &c->err[part]);
}

/* All N simulations: by the linear path where it applies, else split over o->threads POSIX
 * threads (0: 2). Simulations that cannot be refitted go into *skip. */
static int simulate(const wb_estimate *e, const char *kind, const wb_refute_opts *o, size_t N,
		    double *sims, wb_refute_skip *skip, wb_err *err)
{
	if (!o->generic && wb_refute_linear_ok(e))
		return wb_refute_linear_sims(e, kind, o, N, sims, skip, err);
	sim_ctx c = {.e = e, .kind = kind, .o = o, .N = N, .sims = sims};
	atomic_init(&c.done, 0);
	int T = wb_parallel_run(N, o->threads, 1, sim_part, &c), rc = 0;
	for (int k = 0; k < T; k++) {
		if (c.rc[k] && rc == 0) {
			rc = c.rc[k];
			*err = c.err[k];
		}
		wb_refute_skip_merge(skip, &c.skip[k]);
	}
	return rc;
}

/* The unobserved-confounder grid into cells (nkt × nky, row-major). */
static int grid(const wb_estimate *e, const wb_refute_opts *o, const double *kt, size_t nkt,
		const double *ky, size_t nky, double *cells, wb_err *err)
{
	const wb_est_data *d = wb_estimate_data(e);
	if (d->tkind == WB_TREAT_CATEGORICAL)
		return wb_err_set(err, WB_EINVAL,
				  "unobserved: needs a binary or numeric treatment; '%s' is "
				  "categorical",
				  d->tname);
	for (size_t a = 0; a < nkt; a++)
		if (!(kt[a] >= 0 && kt[a] < 1))
			return wb_err_set(
			    err, WB_EINVAL,
			    "kappa_t values are correlations: from 0 to below 1, got %g", kt[a]);
	if (!o->generic && wb_refute_linear_ok(e))
		return wb_refute_linear_grid(e, o, kt, nkt, ky, nky, cells, err);
	size_t n = d->n;
	double *z = malloc(n * sizeof *z), *eps = malloc(n * sizeof *eps),
	       *y = malloc(n * sizeof *y);
	int rc = 0;
	if (!z || !eps || !y) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	standardise(d->t, n, z);
	double ysd = wb_refute_sd(d->y, n, d->w);
	wb_est_data w = *d;
	w.point_only = 1;
	w.zxy = (wb_xprod){0};
	w.y = y;
	/* one noise draw for the whole grid (simulation 0's), so the cells differ by the
	 * strengths only */
	wb_draw_plan plan = {WB_DRAW_NORMAL, 0, 1, NULL};
	wb_draw dr;
	if ((rc = wb_draw_start(&dr, &plan, o->rng, 0, n, err)))
		goto out;
	wb_draw_next(&dr, eps, n);
	wb_draw_end(&dr);
	for (size_t a = 0; a < nkt && rc == 0; a++)
		for (size_t b = 0; b < nky && rc == 0; b++) {
			if (wb_progress_cancelled(o->progress)) {
				rc = wb_err_set(err, WB_ECANCEL, "cancelled");
				break;
			}
			double s = sqrt(1 - kt[a] * kt[a]);
			for (size_t i = 0; i < n; i++)
				y[i] = d->y[i] - ky[b] * ysd * (kt[a] * z[i] + s * eps[i]);
			rc = wb_est_refit(e, &w, &cells[a * nky + b], err);
			wb_progress_set(o->progress,
					(double)(a * nky + b + 1) / (double)(nkt * nky));
		}
out:
	free(z);
	free(eps);
	free(y);
	return rc;
}

/* E-value of the estimate and of its confidence limit nearest the null. */
static int evalue(const wb_estimate *e, row *r, wb_err *err)
{
	const wb_est_data *d = wb_estimate_data(e);
	const wb_contrast *c = wb_estimate_contrast(e, 0);
	int binary = 1;
	for (size_t i = 0; i < d->n && binary; i++)
		binary = d->y[i] == 0 || d->y[i] == 1;
	double rr, rlo, rhi;
	if (binary) {
		double p0 = 0, c0 = 0;
		double ref = d->tkind == WB_TREAT_CATEGORICAL ? (double)d->ref : 0;
		for (size_t i = 0; i < d->n; i++)
			if (d->t[i] == ref) {
				p0 += wb_est_w(d, i) * d->y[i];
				c0 += wb_est_w(d, i);
			}
		p0 /= c0;
		if (!(p0 > 0))
			return wb_err_set(
			    err, WB_ENUMERIC,
			    "evalue: the outcome is 0 for every control unit: no risk "
			    "ratio");
		rr = (p0 + c->effect) / p0;
		rlo = (p0 + c->lo) / p0;
		rhi = (p0 + c->hi) / p0;
		snprintf(r->note, sizeof r->note,
			 "binary outcome: risk ratio (%.4g + effect) / %.4g = %.4g, control risk "
			 "%.4g",
			 p0, p0, rr, p0);
	} else {
		double sd = wb_refute_sd(d->y, d->n, d->w);
		if (!(sd > 0))
			return wb_err_set(err, WB_ENUMERIC, "evalue: the outcome is constant");
		rr = exp(0.91 * c->effect / sd);
		rlo = exp(0.91 * c->lo / sd);
		rhi = exp(0.91 * c->hi / sd);
		snprintf(
		    r->note, sizeof r->note,
		    "continuous outcome: standardised difference d = %.4g / sd(Y) %.4g = %.4g, "
		    "RR = exp(0.91 d) = %.4g (VanderWeele & Ding 2017)",
		    c->effect, sd, c->effect / sd, rr);
	}
	double ev = wb_refute_evalue_rr(rr), evci;
	if ((rlo <= 1 && rhi >= 1) || !(rlo > 0))
		evci = 1;
	else
		evci = wb_refute_evalue_rr(rr >= 1 ? rlo : rhi);
	r->mean = ev;
	r->sd = NAN;
	r->p = NAN;
	r->lo = evci;
	r->verdict = evci >= 2 ? "passed" : evci <= 1 ? "failed" : "inconclusive";
	snprintf(r->rule, sizeof r->rule,
		 "E-value %.3g, of the CI limit %.3g: passed when the CI limit's E-value >= 2, "
		 "failed when it is 1 (the interval includes no effect)",
		 ev, evci);
	return 0;
}

static int one_row(const wb_estimate *e, const char *kind, const wb_refute_opts *o, row *r,
		   wb_err *err)
{
	memset(r, 0, sizeof *r);
	r->kind = kind;
	r->estimate = wb_estimate_contrast(e, 0)->effect;
	if (strcmp(kind, "evalue") == 0)
		return evalue(e, r, err);
	if (!o->rng)
		return wb_err_set(err, WB_EINVAL, "%s needs a random stream", kind);
	if (strcmp(kind, "unobserved") == 0) {
		const double *kt = o->kappa_t ? o->kappa_t : default_kappa;
		const double *ky = o->kappa_y ? o->kappa_y : default_kappa;
		size_t nkt = o->kappa_t ? o->nkappa_t : 6, nky = o->kappa_y ? o->nkappa_y : 6;
		double *cells = malloc(nkt * nky * sizeof *cells);
		if (!cells)
			return wb_err_set(err, WB_ENOMEM, "out of memory");
		int rc = grid(e, o, kt, nkt, ky, nky, cells, err);
		if (rc == 0) {
			double mn = cells[0], mx = cells[0];
			for (size_t k = 1; k < nkt * nky; k++) {
				mn = cells[k] < mn ? cells[k] : mn;
				mx = cells[k] > mx ? cells[k] : mx;
			}
			int keeps = (r->estimate > 0 && mn > 0) || (r->estimate < 0 && mx < 0);
			r->mean = mn;
			r->hi = mx;
			r->sd = r->p = NAN;
			r->verdict = keeps ? "passed" : "inconclusive";
			snprintf(
			    r->rule, sizeof r->rule,
			    "effect from %.4g to %.4g over kappa_t <= %g, kappa_y <= %g: passed "
			    "when "
			    "it keeps its sign over the grid, inconclusive when a confounder in it "
			    "reverses the effect",
			    mn, mx, kt[nkt - 1], ky[nky - 1]);
		}
		free(cells);
		return rc;
	}
	size_t total = o->n ? o->n : 100, N = 0;
	double *sims = malloc(total * sizeof *sims);
	if (!sims)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	wb_refute_skip skip = {0};
	int rc = simulate(e, kind, o, total, sims, &skip, err);
	for (size_t i = 0; rc == 0 && i < total; i++) /* the simulations that were refitted */
		if (!isnan(sims[i]))
			sims[N++] = sims[i];
	if (rc == 0 && N < 2)
		rc = wb_err_set(err, WB_ENUMERIC,
				"%s: %zu of %zu simulations could be refitted (simulation %zu: %s)",
				kind, N, total, skip.first + 1, skip.why.msg);
	if (rc) {
		free(sims);
		return rc;
	}
	double m = 0;
	for (size_t i = 0; i < N; i++)
		m += sims[i] / (double)N;
	r->mean = m;
	r->sd = wb_refute_sd(sims, N, NULL);
	r->p = tail_p(sims, N, r->estimate);
	qsort(sims, N, sizeof *sims, cmp_dbl);
	r->lo = quantile(sims, N, 0.025);
	r->mid = quantile(sims, N, 0.5);
	r->hi = quantile(sims, N, 0.975);
	free(sims);
	int len = snprintf(r->note, sizeof r->note,
			   "%s: %zu %s, new effects 2.5%% %.4g, median %.4g, 97.5%% %.4g", kind, N,
			   strcmp(kind, "bootstrap") == 0 ? "resamples (Poisson(1) row weights)"
							  : "simulations",
			   r->lo, r->mid, r->hi);
	if (skip.count && len > 0 && (size_t)len < sizeof r->note)
		snprintf(r->note + len, sizeof r->note - (size_t)len,
			 "; %zu more left out, their refit singular (simulation %zu: %s)",
			 skip.count, skip.first + 1, skip.why.msg);
	if (strcmp(kind, "placebo") == 0 || strcmp(kind, "dummy-outcome") == 0) {
		int zero_in = r->lo <= 0 && r->hi >= 0;
		r->verdict = !zero_in ? "failed" : r->p < ALPHA ? "passed" : "inconclusive";
		snprintf(
		    r->rule, sizeof r->rule,
		    "passed when 0 is inside the middle 95%% of the %s effects and the estimate "
		    "is outside them (p < %g); failed when 0 is outside; inconclusive when the "
		    "estimate is inside",
		    strcmp(kind, "placebo") == 0 ? "placebo" : "dummy-outcome", ALPHA);
	} else {
		r->verdict = r->p >= ALPHA ? "passed" : "failed";
		snprintf(r->rule, sizeof r->rule,
			 "passed when the estimate is inside the %s distribution (p >= %g)",
			 strcmp(kind, "random-cause") == 0 ? "random-common-cause"
			 : strcmp(kind, "subset") == 0	   ? "subset"
							   : "bootstrap",
			 ALPHA);
	}
	return 0;
}

static wb_result *table(const wb_estimate *e, const char *title, const row *rows, size_t nr)
{
	wb_result *r = wb_result_new(title);
	if (!r)
		return NULL;
	static const char *const cols[] = {"refuter", "estimate", "new_effect", "new_sd",
					   "p",	      "verdict",  "rule"};
	for (size_t j = 0; j < 7; j++)
		if (wb_result_add_column(r, cols[j]) < 0)
			goto nomem;
	if (wb_result_set_view(r, "refute"))
		goto nomem;
	for (size_t k = 0; k < nr; k++) {
		long i = wb_result_add_row(r);
		if (i < 0)
			goto nomem;
		wb_result_set_str(r, (size_t)i, 0, rows[k].kind);
		wb_result_set_num(r, (size_t)i, 1, rows[k].estimate);
		wb_result_set_num(r, (size_t)i, 2, rows[k].mean);
		if (!isnan(rows[k].sd))
			wb_result_set_num(r, (size_t)i, 3, rows[k].sd);
		if (!isnan(rows[k].p))
			wb_result_set_num(r, (size_t)i, 4, rows[k].p);
		wb_result_set_str(r, (size_t)i, 5, rows[k].verdict);
		wb_result_set_str(r, (size_t)i, 6, rows[k].rule);
	}
	for (size_t k = 0; k < nr; k++)
		if (*rows[k].note && wb_result_add_note(r, "%s", rows[k].note))
			goto nomem;
	const wb_estimate_spec *s = wb_estimate_spec_of(e);
	if (wb_estimate_ncontrasts(e) > 1 &&
	    wb_result_add_note(r, "refuting the first contrast: %s",
			       wb_estimate_contrast(e, 0)->label))
		goto nomem;
	if (wb_result_add_note(r,
			       "p: two-sided empirical tail of the estimate in the simulated "
			       "distribution (Phipson & Smyth 2010); refits with method %s",
			       s->method))
		goto nomem;
	return r;
nomem:
	wb_result_free(r);
	return NULL;
}

static wb_result *heatmap(const wb_estimate *e, const double *kt, size_t nkt, const double *ky,
			  size_t nky, const double *cells)
{
	const wb_estimate_spec *s = wb_estimate_spec_of(e);
	char title[400];
	snprintf(title, sizeof title,
		 "refute unobserved: effect of %s on %s by confounder strength", s->treatment,
		 s->outcome);
	wb_result *r = wb_result_new(title);
	if (!r)
		return NULL;
	if (wb_result_add_column(r, "kappa_t \\ kappa_y") < 0 || wb_result_set_view(r, "heatmap"))
		goto nomem;
	char buf[64];
	for (size_t b = 0; b < nky; b++) {
		snprintf(buf, sizeof buf, "%g", ky[b]);
		if (wb_result_add_column(r, buf) < 0)
			goto nomem;
	}
	for (size_t a = 0; a < nkt; a++) {
		long i = wb_result_add_row(r);
		if (i < 0)
			goto nomem;
		snprintf(buf, sizeof buf, "%g", kt[a]);
		wb_result_set_str(r, (size_t)i, 0, buf);
		for (size_t b = 0; b < nky; b++)
			wb_result_set_num(r, (size_t)i, b + 1, cells[a * nky + b]);
	}
	if (wb_result_add_note(r,
			       "each cell: the effect after removing a simulated unobserved "
			       "confounder U ~ N(0,1) with correlation kappa_t with the treatment "
			       "and an effect of kappa_y outcome SDs on the outcome") ||
	    wb_result_add_note(r,
			       "the (0, 0) cell is the estimate itself (%.6g); refits with "
			       "method %s",
			       wb_estimate_contrast(e, 0)->effect, s->method))
		goto nomem;
	return r;
nomem:
	wb_result_free(r);
	return NULL;
}

int wb_refute_run(const wb_estimate *e, const char *kind, const wb_refute_opts *opts,
		  wb_result **out, wb_err *err)
{
	*out = NULL;
	int known = strcmp(kind, "all") == 0;
	for (const char *const *k = wb_refute_kinds; *k && !known; k++)
		known = strcmp(*k, kind) == 0;
	if (!known)
		return wb_err_set(err, WB_ENOTFOUND,
				  "unknown refuter '%s' (refuters: placebo, random-cause, subset, "
				  "bootstrap, dummy-outcome, unobserved, evalue, all)",
				  kind);
	if (wb_estimate_ncontrasts(e) == 0)
		return wb_err_set(err, WB_EINVAL, "the estimate has no effect to refute");
	if (opts->fraction != 0 && !(opts->fraction > 0 && opts->fraction < 1))
		return wb_err_set(err, WB_EINVAL, "fraction must be between 0 and 1, got %g",
				  opts->fraction);
	const wb_estimate_spec *s = wb_estimate_spec_of(e);
	char title[400];
	int rc = 0;
	if (strcmp(kind, "unobserved") == 0) {
		const double *kt = opts->kappa_t ? opts->kappa_t : default_kappa;
		const double *ky = opts->kappa_y ? opts->kappa_y : default_kappa;
		size_t nkt = opts->kappa_t ? opts->nkappa_t : 6,
		       nky = opts->kappa_y ? opts->nkappa_y : 6;
		double *cells = malloc(nkt * nky * sizeof *cells);
		if (!cells)
			return wb_err_set(err, WB_ENOMEM, "out of memory");
		if ((rc = grid(e, opts, kt, nkt, ky, nky, cells, err)) == 0 &&
		    !(*out = heatmap(e, kt, nkt, ky, nky, cells)))
			rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		free(cells);
		return rc;
	}
	row rows[8];
	size_t nr = 0;
	for (const char *const *k = wb_refute_kinds; *k && rc == 0; k++) {
		if (strcmp(kind, "all") != 0 && strcmp(kind, *k) != 0)
			continue;
		rc = one_row(e, *k, opts, &rows[nr++], err);
	}
	if (rc)
		return rc;
	snprintf(title, sizeof title, "refute %s: %s on %s (%s)", kind, s->treatment, s->outcome,
		 s->method);
	if (!(*out = table(e, title, rows, nr)))
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	return 0;
}
