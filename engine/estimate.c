/* estimate.c — the method table, data preparation, dispatch, results and the helpers that the
 * method files share. See estimate.h and estimate_impl.h. */
#include "estimate_impl.h"
#include "parallel.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define Z975 1.959963984540054

static const wb_estimate_method methods[] = {
    {"naive", "difference in means: OLS of the outcome on the treatment alone", "", 0,
     wb_est_fit_naive},
    {"regression", "regression adjustment: OLS on the treatment and the adjustment set (HC1)", "",
     WB_EST_ADJUST | WB_EST_MODIFIERS | WB_EST_TARGETS, wb_est_fit_regression},
    {"stratify", "propensity-score stratification (quintiles; bootstrap standard errors)",
     "strata bootstrap", WB_EST_BINARY | WB_EST_ADJUST | WB_EST_TARGETS, wb_est_fit_stratify},
    {"match", "nearest-neighbour matching on the propensity logit, with replacement",
     "caliper bootstrap", WB_EST_BINARY | WB_EST_ADJUST | WB_EST_TARGETS, wb_est_fit_match},
    {"ipw", "inverse propensity weighting, normalised (Hajek) weights", "trim",
     WB_EST_BINARY | WB_EST_ADJUST | WB_EST_TARGETS, wb_est_fit_ipw},
    {"aipw", "augmented IPW, doubly robust (Robins, Rotnitzky & Zhao 1994)", "trim",
     WB_EST_BINARY | WB_EST_ADJUST | WB_EST_TARGETS, wb_est_fit_aipw},
    {"iv", "instrumental variable: two-stage least squares with the first-stage F", "",
     WB_EST_ADJUST | WB_EST_INSTRUMENT, wb_est_fit_iv},
    {"frontdoor", "linear front-door: product of the T->M and M->Y regressions", "bootstrap",
     WB_EST_ADJUST | WB_EST_MEDIATOR, wb_est_fit_frontdoor},
    {"dml", "double ML: cross-fitted partialling out, linear CATE on modifiers (LinearDML)",
     "folds " WB_ML_OPTS, WB_EST_BINARY | WB_EST_CONTINUOUS | WB_EST_ADJUST | WB_EST_MODIFIERS,
     wb_est_fit_dml},
    {"slearner", "S-learner: one outcome model with the treatment as a feature (bootstrap SE)",
     "bootstrap " WB_ML_OPTS, WB_EST_BINARY | WB_EST_ADJUST | WB_EST_MODIFIERS | WB_EST_TARGETS,
     wb_est_fit_slearner},
    {"tlearner", "T-learner: one outcome model per arm (bootstrap SE)", "bootstrap " WB_ML_OPTS,
     WB_EST_BINARY | WB_EST_ADJUST | WB_EST_MODIFIERS | WB_EST_TARGETS, wb_est_fit_tlearner},
    {"xlearner", "X-learner: imputed effects per arm, blended by the propensity (bootstrap SE)",
     "bootstrap " WB_ML_OPTS, WB_EST_BINARY | WB_EST_ADJUST | WB_EST_MODIFIERS | WB_EST_TARGETS,
     wb_est_fit_xlearner},
    {NULL, NULL, NULL, 0, NULL}};

const wb_estimate_method *wb_estimate_methods(void)
{
	return methods;
}

const wb_estimate_method *wb_estimate_method_find(const char *name)
{
	for (const wb_estimate_method *m = methods; m->name; m++)
		if (strcmp(m->name, name) == 0)
			return m;
	return NULL;
}

const char *wb_target_name(wb_target t)
{
	return t == WB_TARGET_ATT ? "att" : t == WB_TARGET_ATC ? "atc" : "ate";
}

int wb_target_parse(const char *s)
{
	if (strcmp(s, "ate") == 0)
		return WB_TARGET_ATE;
	if (strcmp(s, "att") == 0)
		return WB_TARGET_ATT;
	if (strcmp(s, "atc") == 0)
		return WB_TARGET_ATC;
	return -1;
}

/* ---- the estimate ---- */

typedef struct strlist {
	char **v;
	size_t n;
} strlist;

struct wb_estimate {
	wb_estimate_spec spec; /* strings and arrays below are owned copies */
	strlist sadjust, sinst, smed, smod;
	char *smethod, *streat, *sout, *sfrom, *sref;
	wb_kv *sopts;
	const wb_estimate_method *method;
	wb_est_data data;
	size_t nmissing;
	wb_contrast *c;
	size_t nc;
	char **notes;
	size_t nnotes;
	char *se_kind;
	wb_result **tables;
	size_t ntables;
	double *unit; /* data.n per-unit effects of contrast 0, or NULL */
};

static void strlist_free(strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int strlist_copy(strlist *l, const char *const *v, size_t n)
{
	l->v = calloc(n ? n : 1, sizeof *l->v);
	if (!l->v)
		return WB_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (!(l->v[l->n++] = strdup(v[i])))
			return WB_ENOMEM;
	return 0;
}

static void free_names(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

void wb_est_data_free(wb_est_data *d)
{
	free(d->y);
	free(d->t);
	free_names(d->levels, d->nlevels);
	free(d->tname);
	free(d->yname);
	free(d->x);
	free_names(d->xnames, d->p);
	wb_xprod_free(&d->zxy);
	free(d->z);
	free_names(d->znames, d->nz);
	free(d->m);
	free_names(d->mnames, d->nm);
	free(d->v);
	free_names(d->vnames, d->nv);
	free(d->w);
	free(d->row);
	memset(d, 0, sizeof *d);
}

void wb_est_reset(wb_estimate *e)
{
	free(e->c);
	e->c = NULL;
	e->nc = 0;
	for (size_t i = 0; i < e->nnotes; i++)
		free(e->notes[i]);
	free(e->notes);
	e->notes = NULL;
	e->nnotes = 0;
	free(e->se_kind);
	e->se_kind = NULL;
	for (size_t i = 0; i < e->ntables; i++)
		wb_result_free(e->tables[i]);
	free(e->tables);
	e->tables = NULL;
	e->ntables = 0;
	free(e->unit);
	e->unit = NULL;
}

void wb_estimate_free(wb_estimate *e)
{
	if (!e)
		return;
	wb_est_reset(e);
	strlist_free(&e->sadjust);
	strlist_free(&e->sinst);
	strlist_free(&e->smed);
	strlist_free(&e->smod);
	free(e->smethod);
	free(e->streat);
	free(e->sout);
	free(e->sfrom);
	free(e->sref);
	for (size_t i = 0; e->sopts && i < e->spec.nopts; i++) {
		free((char *)e->sopts[i].key);
		free((char *)e->sopts[i].value);
	}
	free(e->sopts);
	wb_est_data_free(&e->data);
	free(e);
}

wb_estimate *wb_est_scratch(void)
{
	return calloc(1, sizeof(wb_estimate));
}

int wb_estimate_set_unit_effects(wb_estimate *e, const wb_est_data *d, const double *tau)
{
	if (d != &e->data || d->point_only)
		return 0;
	size_t n = d->n;
	free(e->unit);
	if (!(e->unit = malloc((n ? n : 1) * sizeof *e->unit)))
		return WB_ENOMEM;
	memcpy(e->unit, tau, n * sizeof *e->unit);
	return 0;
}

int wb_estimate_unit_column(const wb_estimate *e, size_t nrows, double *out, wb_err *err)
{
	const wb_est_data *d = &e->data;
	if (d->tkind == WB_TREAT_CATEGORICAL)
		return wb_err_set(err, WB_EINVAL,
				  "per-unit effects need a binary or numeric treatment; '%s' is "
				  "categorical",
				  d->tname);
	if (!e->unit || !d->row)
		return wb_err_set(err, WB_EINVAL,
				  "per-unit effects need modifiers= with regression or dml, or a "
				  "meta-learner (slearner, tlearner, xlearner)");
	for (size_t i = 0; i < nrows; i++)
		out[i] = NAN;
	for (size_t i = 0; i < d->n; i++) {
		if (d->row[i] >= nrows)
			return wb_err_set(err, WB_EINVAL,
					  "the dataset has %zu rows, fewer than when the effect was "
					  "estimated",
					  nrows);
		out[d->row[i]] = e->unit[i];
	}
	return 0;
}

long wb_estimate_add_contrast(wb_estimate *e, const char *label, double effect, double se,
			      double n1, double n0)
{
	wb_contrast *c = realloc(e->c, (e->nc + 1) * sizeof *c);
	if (!c)
		return WB_ENOMEM;
	e->c = c;
	wb_contrast *k = &c[e->nc];
	memset(k, 0, sizeof *k);
	snprintf(k->label, sizeof k->label, "%s", label);
	k->effect = effect;
	k->se = se;
	k->lo = effect - Z975 * se;
	k->hi = effect + Z975 * se;
	k->p = se > 0 ? 2 * gsl_cdf_ugaussian_Q(fabs(effect) / se) : NAN;
	k->n1 = n1;
	k->n0 = n0;
	return (long)e->nc++;
}

void wb_estimate_set_slope(wb_estimate *e, size_t k)
{
	if (k < e->nc)
		e->c[k].slope = 1;
}

int wb_estimate_note(wb_estimate *e, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	char **n = realloc(e->notes, (e->nnotes + 1) * sizeof *n);
	if (!n)
		return WB_ENOMEM;
	e->notes = n;
	if (!(n[e->nnotes] = strdup(line)))
		return WB_ENOMEM;
	e->nnotes++;
	return 0;
}

int wb_estimate_set_se_kind(wb_estimate *e, const char *kind)
{
	char *k = strdup(kind);
	if (!k)
		return WB_ENOMEM;
	free(e->se_kind);
	e->se_kind = k;
	return 0;
}

int wb_estimate_add_table(wb_estimate *e, wb_result *r)
{
	if (!r)
		return WB_ENOMEM;
	wb_result **t = realloc(e->tables, (e->ntables + 1) * sizeof *t);
	if (!t) {
		wb_result_free(r);
		return WB_ENOMEM;
	}
	e->tables = t;
	t[e->ntables++] = r;
	return 0;
}

size_t wb_estimate_ntables(const wb_estimate *e)
{
	return e->ntables;
}

wb_result *wb_estimate_take_table(wb_estimate *e, size_t i)
{
	if (i >= e->ntables)
		return NULL;
	wb_result *r = e->tables[i];
	e->tables[i] = NULL;
	return r;
}

const wb_estimate_spec *wb_estimate_spec_of(const wb_estimate *e)
{
	return &e->spec;
}

const wb_estimate_method *wb_estimate_method_of(const wb_estimate *e)
{
	return e->method;
}

size_t wb_estimate_ncontrasts(const wb_estimate *e)
{
	return e->nc;
}

const wb_contrast *wb_estimate_contrast(const wb_estimate *e, size_t k)
{
	return k < e->nc ? &e->c[k] : NULL;
}

const char *wb_estimate_se_kind(const wb_estimate *e)
{
	return e->se_kind ? e->se_kind : "";
}

size_t wb_estimate_nobs(const wb_estimate *e)
{
	return e->data.n;
}

const wb_est_data *wb_estimate_data(const wb_estimate *e)
{
	return &e->data;
}

void wb_est_label(const wb_est_data *d, char *buf, size_t size)
{
	snprintf(buf, size, "%s", d->contrast ? d->contrast : d->tname);
}

/* ---- spec copy ---- */

static int copy_spec(wb_estimate *e, const wb_estimate_spec *s)
{
	e->spec = *s;
	if (strlist_copy(&e->sadjust, s->adjust, s->nadjust) ||
	    strlist_copy(&e->sinst, s->instruments, s->ninstruments) ||
	    strlist_copy(&e->smed, s->mediators, s->nmediators) ||
	    strlist_copy(&e->smod, s->modifiers, s->nmodifiers))
		return WB_ENOMEM;
	e->smethod = strdup(s->method ? s->method : "regression");
	e->streat = strdup(s->treatment);
	e->sout = strdup(s->outcome);
	e->sfrom = strdup(s->adjust_from ? s->adjust_from : "given");
	e->sref = s->reference ? strdup(s->reference) : NULL;
	e->sopts = calloc(s->nopts ? s->nopts : 1, sizeof *e->sopts);
	if (!e->smethod || !e->streat || !e->sout || !e->sfrom || (s->reference && !e->sref) ||
	    !e->sopts)
		return WB_ENOMEM;
	for (size_t i = 0; i < s->nopts; i++) {
		e->sopts[i].key = strdup(s->opts[i].key);
		e->sopts[i].value = strdup(s->opts[i].value);
		if (!e->sopts[i].key || !e->sopts[i].value)
			return WB_ENOMEM;
	}
	e->spec.method = e->smethod;
	e->spec.treatment = e->streat;
	e->spec.outcome = e->sout;
	e->spec.adjust_from = e->sfrom;
	e->spec.reference = e->sref;
	e->spec.adjust = (const char *const *)e->sadjust.v;
	e->spec.instruments = (const char *const *)e->sinst.v;
	e->spec.mediators = (const char *const *)e->smed.v;
	e->spec.modifiers = (const char *const *)e->smod.v;
	e->spec.opts = e->sopts;
	e->spec.rng = NULL;
	e->spec.progress = NULL;
	return 0;
}

/* ---- data preparation ---- */

static int find_cols(const wb_frame *f, const char *what, const char *const *names, size_t n,
		     size_t *out, wb_err *err)
{
	for (size_t i = 0; i < n; i++) {
		long j = wb_frame_col_index(f, names[i]);
		if (j < 0)
			return wb_err_set(err, WB_ENOTFOUND, "unknown %s column '%s'", what,
					  names[i]);
		out[i] = (size_t)j;
	}
	return 0;
}

/* Copies columns of a design (or of frame columns) at the design's rows into an n × k matrix. */
static double *gather(const wb_frame *f, const size_t *cols, size_t k, const size_t *row, size_t n)
{
	double *m = malloc((n * k > 0 ? n * k : 1) * sizeof *m);
	if (!m)
		return NULL;
	for (size_t c = 0; c < k; c++) {
		const double *v = wb_frame_col(f, cols[c]);
		for (size_t i = 0; i < n; i++)
			m[i * k + c] = v[row[i]];
	}
	return m;
}

static char **names_of(const wb_frame *f, const size_t *cols, size_t k)
{
	char **v = calloc(k ? k : 1, sizeof *v);
	for (size_t c = 0; v && c < k; c++)
		if (!(v[c] = strdup(wb_frame_colname(f, cols[c])))) {
			free_names(v, c);
			return NULL;
		}
	return v;
}

static int prepare(const wb_frame *f, wb_estimate *e, wb_err *err)
{
	const wb_estimate_spec *s = &e->spec;
	wb_est_data *d = &e->data;
	size_t na = s->nadjust, nz = s->ninstruments, nm = s->nmediators, nv = s->nmodifiers;
	size_t nreq = 2 + nz + nm + nv + na;
	size_t adj[na ? na : 1], req[nreq], modc[nv ? nv : 1];
	long tj = wb_frame_col_index(f, s->treatment), yj = wb_frame_col_index(f, s->outcome);
	if (tj < 0)
		return wb_err_set(err, WB_ENOTFOUND, "unknown treatment column '%s'", s->treatment);
	if (yj < 0)
		return wb_err_set(err, WB_ENOTFOUND, "unknown outcome column '%s'", s->outcome);
	if (tj == yj)
		return wb_err_set(err, WB_EINVAL,
				  "the treatment and the outcome are the same column");
	if (wb_frame_col_kind(f, (size_t)yj) == WB_COL_CATEGORICAL)
		return wb_err_set(
		    err, WB_EINVAL,
		    "the outcome '%s' is categorical: give a numeric or binary outcome "
		    "(derive one, e.g. derive y = %s == \"level\")",
		    s->outcome, s->outcome);
	int rc;
	req[0] = (size_t)tj;
	req[1] = (size_t)yj;
	if ((rc = find_cols(f, "adjustment", s->adjust, na, adj, err)) ||
	    (rc = find_cols(f, "instrument", s->instruments, nz, req + 2, err)) ||
	    (rc = find_cols(f, "mediator", s->mediators, nm, req + 2 + nz, err)) ||
	    (rc = find_cols(f, "modifier", s->modifiers, nv, modc, err)))
		return rc;
	for (size_t i = 0; i < nv; i++)
		req[2 + nz + nm + i] = modc[i];
	for (size_t i = 0; i < na; i++) {
		req[2 + nz + nm + nv + i] = adj[i];
		if (adj[i] == (size_t)tj || adj[i] == (size_t)yj)
			return wb_err_set(
			    err, WB_EINVAL, "'%s' cannot be in the adjustment set: it is the %s",
			    s->adjust[i], adj[i] == (size_t)tj ? "treatment" : "outcome");
	}
	for (size_t i = 0; i < nz + nm; i++)
		if (req[2 + i] == (size_t)tj || req[2 + i] == (size_t)yj)
			return wb_err_set(err, WB_EINVAL, "'%s' cannot be an %s: it is the %s",
					  wb_frame_colname(f, req[2 + i]),
					  i < nz ? "instrument" : "mediator",
					  req[2 + i] == (size_t)tj ? "treatment" : "outcome");
	wb_design x, v = {0};
	if ((rc = wb_design_build(f, adj, na, 1, req, nreq - na, &x, err)))
		return rc;
	if (nv && (rc = wb_design_build(f, modc, nv, 0, req, nreq, &v, err))) {
		wb_design_free(&x);
		return rc;
	}
	size_t n = x.n;
	e->nmissing = x.nmissing;
	d->n = n;
	d->threads = s->threads;
	d->x = x.x;
	d->p = x.p;
	d->xnames = x.names;
	x.x = NULL;
	x.names = NULL;
	d->v = v.x;
	d->nv = v.p;
	d->vnames = v.names;
	v.x = NULL;
	v.names = NULL;
	wb_design_free(&v);
	d->y = gather(f, &req[1], 1, x.row, n);
	d->t = gather(f, &req[0], 1, x.row, n);
	d->z = gather(f, req + 2, nz, x.row, n);
	d->nz = nz;
	d->znames = names_of(f, req + 2, nz);
	d->m = gather(f, req + 2 + nz, nm, x.row, n);
	d->nm = nm;
	d->mnames = names_of(f, req + 2 + nz, nm);
	d->tname = strdup(s->treatment);
	d->yname = strdup(s->outcome);
	d->row = x.row;
	x.row = NULL;
	wb_design_free(&x);
	if (!d->y || !d->t || !d->z || !d->znames || !d->m || !d->mnames || !d->tname || !d->yname)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	for (size_t j = 0; j < nz + nm; j++)
		if (wb_frame_col_kind(f, req[2 + j]) == WB_COL_CATEGORICAL)
			return wb_err_set(err, WB_EINVAL,
					  "%s '%s' is categorical: give a numeric or binary column",
					  j < nz ? "instrument" : "mediator",
					  wb_frame_colname(f, req[2 + j]));

	/* the treatment's kind */
	wb_col_kind tk = wb_frame_col_kind(f, (size_t)tj);
	if (tk == WB_COL_CATEGORICAL) {
		size_t L = wb_frame_nlevels(f, (size_t)tj);
		d->tkind = WB_TREAT_CATEGORICAL;
		d->nlevels = L;
		d->levels = calloc(L ? L : 1, sizeof *d->levels);
		if (!d->levels)
			return wb_err_set(err, WB_ENOMEM, "out of memory");
		for (size_t l = 0; l < L; l++)
			if (!(d->levels[l] = strdup(wb_frame_level(f, (size_t)tj, l))))
				return wb_err_set(err, WB_ENOMEM, "out of memory");
		if (s->reference) {
			long r = wb_frame_level_index(f, (size_t)tj, s->reference);
			if (r < 0)
				return wb_err_set(err, WB_ENOTFOUND,
						  "treatment '%s' has no level '%s'", s->treatment,
						  s->reference);
			d->ref = (size_t)r;
		}
		size_t *cnt = calloc(L ? L : 1, sizeof *cnt);
		if (!cnt)
			return wb_err_set(err, WB_ENOMEM, "out of memory");
		for (size_t i = 0; i < n; i++)
			cnt[(size_t)d->t[i]]++;
		for (size_t l = 0; l < L; l++)
			if (cnt[l] == 0) {
				rc = wb_err_set(
				    err, WB_EINVAL,
				    "treatment level '%s' of '%s' has no complete rows: drop "
				    "the level (filter) or fill its rows",
				    d->levels[l], s->treatment);
				break;
			}
		if (rc == 0 && L < 2)
			rc = wb_err_set(
			    err, WB_EINVAL,
			    "treatment '%s' has one level ('%s'): no contrast to estimate",
			    s->treatment, L ? d->levels[0] : "");
		free(cnt);
		if (rc)
			return rc;
	} else {
		int binary = 1;
		double first = d->t[0];
		int constant = 1;
		for (size_t i = 0; i < n; i++) {
			binary &= d->t[i] == 0 || d->t[i] == 1;
			constant &= d->t[i] == first;
		}
		if (constant)
			return wb_err_set(err, WB_EINVAL,
					  "treatment '%s' is constant (%g in every row used): no "
					  "contrast to estimate",
					  s->treatment, first);
		d->tkind = binary ? WB_TREAT_BINARY : WB_TREAT_CONTINUOUS;
	}
	/* cross-products of the covariates, the treatment and the outcome, once */
	wb_xblock blk[3] = {{d->x, d->p, d->p}, {d->t, 1, 1}, {d->y, 1, 1}};
	return wb_xprod_blocks(blk, 3, n, NULL, s->threads, &d->zxy, err);
}

/* ---- dispatch ---- */

/* The rows of levels {ref, level} of a categorical treatment as a binary problem (t = 1 for
 * level). The new data owns its arrays; names are copied. */
static int split_binary(const wb_est_data *d, size_t level, wb_est_data *out, char *label,
			size_t lsize, wb_err *err)
{
	memset(out, 0, sizeof *out);
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++)
		n += d->t[i] == (double)level || d->t[i] == (double)d->ref;
	snprintf(label, lsize, "%s: %s vs %s", d->tname, d->levels[level], d->levels[d->ref]);
	out->n = n;
	out->p = d->p;
	out->nz = d->nz;
	out->nm = d->nm;
	out->nv = d->nv;
	out->tkind = WB_TREAT_BINARY;
	out->point_only = d->point_only;
	out->threads = d->threads;
	out->contrast = label;
	out->tname = strdup(d->tname);
	out->yname = strdup(d->yname);
	out->y = malloc((n ? n : 1) * sizeof *out->y);
	out->t = malloc((n ? n : 1) * sizeof *out->t);
	out->x = malloc((n * d->p > 0 ? n * d->p : 1) * sizeof *out->x);
	out->z = malloc((n * d->nz > 0 ? n * d->nz : 1) * sizeof *out->z);
	out->m = malloc((n * d->nm > 0 ? n * d->nm : 1) * sizeof *out->m);
	out->v = malloc((n * d->nv > 0 ? n * d->nv : 1) * sizeof *out->v);
	if (d->w)
		out->w = malloc((n ? n : 1) * sizeof *out->w);
	/* names are borrowed: this view never outlives d (freed with free_split) */
	out->xnames = d->xnames;
	out->znames = d->znames;
	out->mnames = d->mnames;
	out->vnames = d->vnames;
	if (!out->tname || !out->yname || !out->y || !out->t || !out->x || !out->z || !out->m ||
	    !out->v || (d->w && !out->w))
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	size_t k = 0;
	for (size_t i = 0; i < d->n; i++) {
		if (!(d->t[i] == (double)level || d->t[i] == (double)d->ref))
			continue;
		out->y[k] = d->y[i];
		out->t[k] = d->t[i] == (double)level;
		memcpy(out->x + k * d->p, d->x + i * d->p, d->p * sizeof *out->x);
		if (d->nz)
			memcpy(out->z + k * d->nz, d->z + i * d->nz, d->nz * sizeof *out->z);
		if (d->nm)
			memcpy(out->m + k * d->nm, d->m + i * d->nm, d->nm * sizeof *out->m);
		if (d->nv)
			memcpy(out->v + k * d->nv, d->v + i * d->nv, d->nv * sizeof *out->v);
		if (d->w)
			out->w[k] = d->w[i];
		k++;
	}
	return 0;
}

static void free_split(wb_est_data *d)
{
	d->xnames = d->znames = d->mnames = d->vnames = NULL;
	d->p = d->nz = d->nm = d->nv = 0;
	wb_est_data_free(d);
}

/* Runs method m on d into e: binary methods get one binary problem per contrast. */
static int dispatch(const wb_estimate_method *m, const wb_est_data *d, const wb_estimate_spec *s,
		    wb_estimate *e, wb_err *err)
{
	if (!(m->flags & WB_EST_BINARY) || d->tkind == WB_TREAT_BINARY ||
	    (d->tkind == WB_TREAT_CONTINUOUS && (m->flags & WB_EST_CONTINUOUS)))
		return m->fit(d, s, e, err);
	if (d->tkind == WB_TREAT_CONTINUOUS)
		return wb_err_set(err, WB_EINVAL,
				  "needs a binary (0/1) or categorical treatment; '%s' is numeric "
				  "with more than two values",
				  d->tname);
	for (size_t l = 0; l < d->nlevels; l++) {
		if (l == d->ref)
			continue;
		wb_est_data sub;
		char label[160];
		int rc = split_binary(d, l, &sub, label, sizeof label, err);
		if (rc == 0)
			rc = m->fit(&sub, s, e, err);
		free_split(&sub);
		if (rc)
			return rc;
	}
	return 0;
}

int wb_est_refit(const wb_estimate *orig, const wb_est_data *d, double *effect, wb_err *err)
{
	wb_estimate *e = wb_est_scratch();
	if (!e)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	int rc = dispatch(orig->method, d, &orig->spec, e, err);
	if (rc == 0 && e->nc == 0)
		rc = wb_err_set(err, WB_ENUMERIC, "no effect estimated");
	if (rc == 0)
		*effect = e->c[0].effect;
	wb_estimate_free(e);
	return rc;
}

/* Checks the spec's options against the method's. */
static int check_opts(const wb_estimate_method *m, const wb_estimate_spec *s, wb_err *err)
{
	for (size_t i = 0; i < s->nopts; i++) {
		const char *k = s->opts[i].key, *p = m->options;
		size_t len = strlen(k);
		int known = 0;
		while (*p && !known) {
			size_t w = strcspn(p, " ");
			known = w == len && strncmp(p, k, len) == 0;
			p += w + (p[w] == ' ');
		}
		if (!known) {
			if (*m->options)
				return wb_err_set(
				    err, WB_EINVAL,
				    "method %s takes no option '%s' (its options: %s)", m->name, k,
				    m->options);
			return wb_err_set(err, WB_EINVAL, "method %s takes no option '%s'", m->name,
					  k);
		}
	}
	return 0;
}

int wb_estimate_run(const wb_frame *f, const wb_estimate_spec *spec, wb_estimate **out, wb_err *err)
{
	*out = NULL;
	const char *mname = spec->method ? spec->method : "regression";
	const wb_estimate_method *m = wb_estimate_method_find(mname);
	if (!m) {
		char list[300] = "";
		size_t len = 0;
		for (const wb_estimate_method *k = methods; k->name && len < sizeof list; k++)
			len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
						k == methods ? "" : ", ", k->name);
		return wb_err_set(err, WB_ENOTFOUND, "unknown method '%s' (methods: %s)", mname,
				  list);
	}
	int rc = check_opts(m, spec, err);
	if (rc)
		return rc;
	if ((m->flags & WB_EST_INSTRUMENT) && spec->ninstruments == 0)
		return wb_err_set(err, WB_EINVAL, "%s: needs instrument=Z", m->name);
	if (!(m->flags & WB_EST_INSTRUMENT) && spec->ninstruments)
		return wb_err_set(err, WB_EINVAL, "%s: takes no instrument= (use method=iv)",
				  m->name);
	if ((m->flags & WB_EST_MEDIATOR) && spec->nmediators == 0)
		return wb_err_set(err, WB_EINVAL, "%s: needs mediator=M (the front-door set)",
				  m->name);
	if (!(m->flags & WB_EST_MEDIATOR) && spec->nmediators)
		return wb_err_set(err, WB_EINVAL, "%s: takes no mediator= (use method=frontdoor)",
				  m->name);
	if (!(m->flags & WB_EST_MODIFIERS) && spec->nmodifiers)
		return wb_err_set(err, WB_EINVAL, "%s: takes no modifiers= (use method=regression)",
				  m->name);
	if (!(m->flags & WB_EST_TARGETS) && spec->target != WB_TARGET_ATE)
		return wb_err_set(err, WB_EINVAL,
				  "%s: estimates the ATE only (target=%s needs another method)",
				  m->name, wb_target_name(spec->target));
	wb_estimate *e = calloc(1, sizeof *e);
	if (!e)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	e->method = m;
	if ((rc = copy_spec(e, spec)))
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
	wb_estimate_spec run = e->spec;
	run.rng = spec->rng;
	run.progress = spec->progress;
	if (rc == 0)
		rc = prepare(f, e, err);
	if (rc == 0)
		rc = dispatch(m, &e->data, &run, e, err);
	if (rc) {
		wb_err_prefix(err, "%s", m->name);
		wb_estimate_free(e);
		return rc;
	}
	*out = e;
	return 0;
}

/* ---- result ---- */

static void set_text(char *buf, size_t size, const char *const *v, size_t n)
{
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "", v[i]);
}

wb_result *wb_estimate_result(const wb_estimate *e)
{
	const wb_estimate_spec *s = &e->spec;
	static const char *const up[] = {"ATE", "ATT", "ATC"};
	char title[512];
	snprintf(title, sizeof title, "estimate: %s of %s on %s (%s)",
		 e->data.tkind == WB_TREAT_CONTINUOUS ? "effect per unit" : up[s->target],
		 s->treatment, s->outcome, e->method->name);
	wb_result *r = wb_result_new(title);
	if (!r)
		return NULL;
	static const char *const cols[] = {"contrast", "effect", "se",	      "ci_low",
					   "ci_high",  "p",	 "n_treated", "n_control"};
	for (size_t j = 0; j < 8; j++)
		if (wb_result_add_column(r, cols[j]) < 0)
			goto nomem;
	if (wb_result_set_view(r, "forest"))
		goto nomem;
	for (size_t k = 0; k < e->nc; k++) {
		const wb_contrast *c = &e->c[k];
		long row = wb_result_add_row(r);
		if (row < 0)
			goto nomem;
		size_t i = (size_t)row;
		wb_result_set_str(r, i, 0, c->label);
		wb_result_set_num(r, i, 1, c->effect);
		wb_result_set_num(r, i, 2, c->se);
		wb_result_set_num(r, i, 3, c->lo);
		wb_result_set_num(r, i, 4, c->hi);
		wb_result_set_num(r, i, 5, c->p);
		if (!c->slope && e->data.tkind != WB_TREAT_CONTINUOUS) {
			wb_result_set_num(r, i, 6, c->n1);
			wb_result_set_num(r, i, 7, c->n0);
		}
	}
	char buf[600];
	if (e->method->flags & (WB_EST_ADJUST)) {
		set_text(buf, sizeof buf, s->adjust, s->nadjust);
		if (wb_result_add_note(r, "adjusted for: {%s} (%s)", buf, s->adjust_from))
			goto nomem;
	} else if (s->nadjust &&
		   wb_result_add_note(r, "adjustment set ignored by %s", e->method->name)) {
		goto nomem;
	}
	for (size_t i = 0; i < e->nnotes; i++)
		if (wb_result_add_note(r, "%s", e->notes[i]))
			goto nomem;
	if (wb_result_add_note(r,
			       "standard errors: %s; 95%% CI = effect ± 1.96 se; p two-sided "
			       "(normal)",
			       e->se_kind ? e->se_kind : "none") ||
	    wb_result_add_note(r, "rows: %zu used, %zu dropped for missing values", e->data.n,
			       e->nmissing))
		goto nomem;
	return r;
nomem:
	wb_result_free(r);
	return NULL;
}

/* ---- helpers for methods ---- */

int wb_est_opt_double(const wb_estimate_spec *s, const char *key, double def, double lo, double hi,
		      double *out, wb_err *err)
{
	*out = def;
	for (size_t i = 0; i < s->nopts; i++) {
		if (strcmp(s->opts[i].key, key) != 0)
			continue;
		char *end;
		double x = strtod(s->opts[i].value, &end);
		if (end == s->opts[i].value || *end || !(x >= lo && x <= hi))
			return wb_err_set(err, WB_EINVAL,
					  "%s must be a number from %g to %g, got '%s'", key, lo,
					  hi, s->opts[i].value);
		*out = x;
	}
	return 0;
}

typedef struct hc1_ctx {
	const wb_est_data *d;
	const double *lead, *y;
	size_t q, px;
	const wb_ols *o;
	double *meat; /* per part, q sums */
} hc1_ctx;

/* a'b over n entries with two running sums: half the chain of dependent additions. */
static inline double dot2(const double *a, const double *b, size_t n)
{
	double s0 = 0, s1 = 0;
	size_t j = 0;
	for (; j + 1 < n; j += 2) {
		s0 += a[j] * b[j];
		s1 += a[j + 1] * b[j + 1];
	}
	if (j < n)
		s0 += a[j] * b[j];
	return s0 + s1;
}

/* HC1 meat of the lead coefficients over one part's rows: sum w e^2 (a_k' r_i)^2, with
 * r_i = [lead_i x_i] and a_k row k of (R'WR)^-1. */
static void hc1_part(void *arg, int part, size_t lo, size_t hi)
{
	const hc1_ctx *c = arg;
	const wb_est_data *d = c->d;
	size_t q = c->q, px = c->px, p = d->p, P = q + px;
	const double *beta = c->o->beta, *inv = c->o->inv;
	double *meat = c->meat + (size_t)part * q;
	for (size_t k = 0; k < q; k++)
		meat[k] = 0;
	for (size_t i = lo; i < hi; i++) {
		double wi = wb_est_w(d, i);
		if (wi == 0)
			continue;
		const double *li = c->lead + i * q, *xi = d->x + i * p;
		double e = c->y[i] - dot2(beta, li, q) - dot2(beta + q, xi, px);
		for (size_t k = 0; k < q; k++) {
			const double *a = inv + k * P;
			double sk = dot2(a, li, q) + dot2(a + q, xi, px);
			meat[k] += wi * e * e * sk * sk;
		}
	}
}

/* The fit is solved with the covariates first, so that the intercept is column 0 and the
 * system is centred; its arrays are then reordered to the caller's [lead x]. */
int wb_est_ols(const wb_est_data *d, const double *lead, size_t q, const char *const *names,
	       const double *y, int use_x, wb_ols *out, wb_err *err)
{
	size_t p = d->p, px = use_x ? p : 1, P = q + px, n = d->n;
	const char *nm[P];
	size_t cols[P];
	for (size_t j = 0; j < P; j++) {
		nm[j] = j < px ? d->xnames[j] : (names ? names[j - px] : NULL);
		cols[j] = j;
	}
	memset(out, 0, sizeof *out);
	wb_xprod all = {0}, s = {0};
	int rc;
	if (d->zxy.p == p + 2 && q == 1 && lead == d->t && y == d->y && !d->w) {
		/* the products of [x t y] computed with the data */
		cols[px] = p;
		rc = wb_xprod_select(&d->zxy, cols, P, (long)p + 1, &s, err);
	} else {
		wb_xblock blk[3] = {{d->x, px, p}, {lead, q, q}, {y, 1, 1}};
		if ((rc = wb_xprod_blocks(blk, 3, n, d->w, d->threads, &all, err)) == 0)
			rc = wb_xprod_select(&all, cols, P, (long)P, &s, err);
		wb_xprod_free(&all);
	}
	wb_ols o = {0};
	if (rc == 0)
		rc = wb_ols_solve(&s, nm, &o, err);
	wb_xprod_free(&s);
	if (rc)
		return rc;
	/* position j of the caller's order [lead x] is position at[j] of the solved one */
	size_t at[P];
	for (size_t j = 0; j < P; j++)
		at[j] = j < q ? px + j : j - q;
	*out = o;
	out->beta = malloc(P * sizeof *out->beta);
	out->se = malloc(P * sizeof *out->se);
	out->se_hc1 = malloc(P * sizeof *out->se_hc1);
	out->inv = malloc(P * P * sizeof *out->inv);
	if (!out->beta || !out->se || !out->se_hc1 || !out->inv) {
		free(out->beta);
		free(out->se);
		free(out->se_hc1);
		free(out->inv);
		memset(out, 0, sizeof *out);
		wb_ols_free(&o);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	for (size_t j = 0; j < P; j++) {
		out->beta[j] = o.beta[at[j]];
		out->se[j] = o.se[at[j]];
		out->se_hc1[j] = NAN;
		for (size_t k = 0; k < P; k++)
			out->inv[j * P + k] = o.inv[at[j] * P + at[k]];
	}
	wb_ols_free(&o);
	if (d->point_only)
		return 0;
	int T = wb_parallel_parts(n, d->threads, 20000);
	double *meat = calloc((size_t)T * (q ? q : 1), sizeof *meat);
	if (!meat) {
		wb_ols_free(out);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	hc1_ctx c = {d, lead, y, q, px, out, meat};
	wb_parallel_run(n, T, 20000, hc1_part, &c);
	for (size_t k = 0; k < q; k++) {
		double m = 0;
		for (int t = 0; t < T; t++)
			m += meat[(size_t)t * q + k];
		out->se_hc1[k] = sqrt(m * out->nobs / out->df_resid);
	}
	free(meat);
	return 0;
}

int wb_est_propensity(const wb_est_data *d, double *e, wb_err *err)
{
	wb_logit l;
	wb_logit_opts o = {.threads = d->threads, .skip_se = 1};
	int rc =
	    wb_logit_fit(d->x, d->n, d->p, d->t, d->w, &o, (const char *const *)d->xnames, &l, err);
	if (rc)
		return wb_err_prefix(err, "propensity model of %s", d->tname);
	wb_logit_predict(&l, d->x, d->n, e);
	wb_logit_free(&l);
	return 0;
}

int wb_est_bootstrap(const wb_est_data *d, const wb_estimate_spec *s, wb_estimate_fit_fn fit,
		     size_t nboot, size_t ncontrast, double *se, wb_err *err)
{
	if (!s->rng)
		return wb_err_set(err, WB_EINVAL, "bootstrap needs a random stream");
	size_t n = d->n;
	double *w = malloc(n * sizeof *w), *sum = calloc(ncontrast, sizeof *sum),
	       *sum2 = calloc(ncontrast, sizeof *sum2);
	wb_estimate *e = wb_est_scratch();
	int rc = 0;
	if (!w || !sum || !sum2 || !e) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	wb_est_data b = *d;
	b.w = w;
	b.point_only = 1;
	b.zxy = (wb_xprod){0};
	size_t ok = 0;
	for (size_t r = 0; r < nboot; r++) {
		if (wb_progress_cancelled(s->progress)) {
			rc = wb_err_set(err, WB_ECANCEL, "cancelled");
			goto out;
		}
		wb_rng *g = wb_rng_split(s->rng, r);
		if (!g) {
			rc = wb_err_set(err, WB_ENOMEM, "out of memory");
			goto out;
		}
		memset(w, 0, n * sizeof *w);
		for (size_t i = 0; i < n; i++)
			w[wb_rng_int(g, n)] += 1;
		if (d->w)
			for (size_t i = 0; i < n; i++)
				w[i] *= d->w[i];
		wb_rng_free(g);
		wb_est_reset(e);
		wb_err e2 = {0};
		/* A resample can make a stage singular (an empty stratum, say): skip it. */
		if (fit(&b, s, e, &e2) == 0 && e->nc >= ncontrast) {
			for (size_t k = 0; k < ncontrast; k++) {
				sum[k] += e->c[k].effect;
				sum2[k] += e->c[k].effect * e->c[k].effect;
			}
			ok++;
		}
		wb_progress_set(s->progress, (double)(r + 1) / (double)nboot);
	}
	if (ok < 2) {
		rc = wb_err_set(err, WB_ENUMERIC,
				"bootstrap: fewer than 2 of %zu resamples could be "
				"fitted",
				nboot);
		goto out;
	}
	for (size_t k = 0; k < ncontrast; k++) {
		double m = sum[k] / (double)ok;
		double v = (sum2[k] - (double)ok * m * m) / (double)(ok - 1);
		se[k] = sqrt(v > 0 ? v : 0);
	}
out:
	free(w);
	free(sum);
	free(sum2);
	wb_estimate_free(e);
	return rc;
}

int wb_est_overlap_table(const wb_est_data *d, const double *e, const double *bw, const char *what,
			 wb_estimate *est)
{
	char title[400], label[200];
	wb_est_label(d, label, sizeof label);
	snprintf(title, sizeof title, "%s: %s", what, label);
	return wb_estimate_add_table(est, wb_est_overlap(d, e, bw, title));
}

/* Weighted quantile-free summaries of the propensity within a group. */
/* Rearranges v[lo..hi) so that v[k] holds what sorting would put there, with nothing larger
 * before it and nothing smaller after it (Hoare's quickselect, median-of-three pivots):
 * order statistics in linear time, where sorting the propensities was the overlap table's
 * main cost. */
static void select_kth(double *v, long lo, long hi, long k)
{
	while (hi - lo > 1) {
		double a = v[lo], b = v[lo + (hi - lo) / 2], c = v[hi - 1];
		double piv = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
		long i = lo, j = hi - 1;
		while (i <= j) {
			while (v[i] < piv)
				i++;
			while (v[j] > piv)
				j--;
			if (i <= j) {
				double t = v[i];
				v[i++] = v[j];
				v[j--] = t;
			}
		}
		/* [lo, j] <= piv, [i, hi) >= piv, and anything between equals piv */
		if (k <= j)
			hi = j + 1;
		else if (k >= i)
			lo = i;
		else
			return;
	}
}

/* The q-quantile of v[0..n) (linear interpolation, as numpy's default), for q increasing
 * over successive calls with the same *from (start at 0): each call leaves v[*from..n) the
 * largest values, so the next selects among them only. */
static double quantile_next(double *v, size_t n, double q, size_t *from)
{
	double h = (double)(n - 1) * q;
	size_t lo = (size_t)h;
	if (lo >= n - 1) {
		double mx = v[*from];
		for (size_t i = *from; i < n; i++)
			mx = v[i] > mx ? v[i] : mx;
		return mx;
	}
	select_kth(v, (long)*from, (long)n, (long)lo);
	*from = lo;
	double next = v[lo + 1];
	for (size_t i = lo + 2; i < n; i++)
		next = v[i] < next ? v[i] : next;
	return v[lo] + (h - (double)lo) * (next - v[lo]);
}

wb_result *wb_est_overlap(const wb_est_data *d, const double *e, const double *bw,
			  const char *title)
{
	wb_result *r = wb_result_new(title);
	if (!r)
		return NULL;
	static const char *const cols[] = {"diagnostic", "treated", "control", "smd_before",
					   "smd_after"};
	for (size_t j = 0; j < 5; j++)
		if (wb_result_add_column(r, cols[j]) < 0)
			goto nomem;
	size_t n = d->n, ng[2] = {0, 0};
	double *g[2];
	g[0] = malloc((n ? n : 1) * sizeof *g[0]);
	g[1] = malloc((n ? n : 1) * sizeof *g[1]);
	if (!g[0] || !g[1]) {
		free(g[0]);
		free(g[1]);
		goto nomem;
	}
	double sw[2] = {0, 0}, sw2[2] = {0, 0};
	for (size_t i = 0; i < n; i++) {
		if (wb_est_w(d, i) == 0)
			continue;
		int k = d->t[i] == 1;
		g[k][ng[k]++] = e[i];
		double b = bw ? bw[i] * wb_est_w(d, i) : wb_est_w(d, i);
		sw[k] += b;
		sw2[k] += b * b;
	}
	static const char *const qn[] = {"propensity min", "propensity 25%", "propensity median",
					 "propensity 75%", "propensity max"};
	static const double qv[] = {0, 0.25, 0.5, 0.75, 1};
	int rc = 0;
	size_t from[2] = {0, 0};
	for (size_t q = 0; q < 5 && rc == 0; q++) {
		long row = wb_result_add_row(r);
		if (row < 0) {
			rc = WB_ENOMEM;
			break;
		}
		wb_result_set_str(r, (size_t)row, 0, qn[q]);
		for (int k = 0; k < 2; k++)
			if (ng[k])
				wb_result_set_num(r, (size_t)row, (size_t)(2 - k),
						  quantile_next(g[k], ng[k], qv[q], &from[k]));
	}
	/* a 10-bin histogram over [0, 1] per group, as block characters */
	static const char *const bars[] = {" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
	long row = rc ? -1 : wb_result_add_row(r);
	if (row >= 0) {
		wb_result_set_str(r, (size_t)row, 0, "histogram 0..1");
		for (int k = 0; k < 2; k++) {
			size_t h[10] = {0}, mx = 0;
			for (size_t i = 0; i < ng[k]; i++) {
				size_t b = (size_t)(g[k][i] * 10);
				h[b > 9 ? 9 : b]++;
			}
			for (size_t b = 0; b < 10; b++)
				mx = h[b] > mx ? h[b] : mx;
			char s[64] = "";
			size_t len = 0;
			for (size_t b = 0; b < 10; b++) {
				size_t lv = mx ? (h[b] * 8 + mx - 1) / mx : 0;
				len += (size_t)snprintf(s + len, sizeof s - len, "%s", bars[lv]);
			}
			wb_result_set_str(r, (size_t)row, (size_t)(2 - k), s);
		}
		row = wb_result_add_row(r);
	}
	if (row >= 0) {
		wb_result_set_str(r, (size_t)row, 0,
				  bw ? "effective sample size (weighted)"
				     : "effective sample size");
		for (int k = 0; k < 2; k++)
			if (sw2[k] > 0)
				wb_result_set_num(r, (size_t)row, (size_t)(2 - k),
						  sw[k] * sw[k] / sw2[k]);
		row = wb_result_add_row(r);
	}
	if (row >= 0) {
		wb_result_set_str(r, (size_t)row, 0, "units");
		wb_result_set_num(r, (size_t)row, 1, (double)ng[1]);
		wb_result_set_num(r, (size_t)row, 2, (double)ng[0]);
	}
	free(g[0]);
	free(g[1]);
	if (row < 0)
		goto nomem;
	/* standardised mean differences (Austin 2009): (m1 - m0) / sqrt((s1^2 + s0^2) / 2) */
	for (size_t c = 1; c < d->p; c++) {
		double m[2] = {0, 0}, m2[2] = {0, 0}, cnt[2] = {0, 0}, wm[2] = {0, 0},
		       wc[2] = {0, 0};
		for (size_t i = 0; i < n; i++) {
			double wi = wb_est_w(d, i);
			if (wi == 0)
				continue;
			int k = d->t[i] == 1;
			double xv = d->x[i * d->p + c];
			m[k] += wi * xv;
			m2[k] += wi * xv * xv;
			cnt[k] += wi;
			if (bw) {
				wm[k] += wi * bw[i] * xv;
				wc[k] += wi * bw[i];
			}
		}
		double v[2];
		for (int k = 0; k < 2; k++) {
			m[k] /= cnt[k];
			v[k] = cnt[k] > 1 ? (m2[k] - cnt[k] * m[k] * m[k]) / (cnt[k] - 1) : 0;
		}
		double sd = sqrt((v[0] + v[1]) / 2);
		long rw = wb_result_add_row(r);
		if (rw < 0)
			goto nomem;
		char lab[300];
		snprintf(lab, sizeof lab, "mean %s", d->xnames[c]);
		wb_result_set_str(r, (size_t)rw, 0, lab);
		wb_result_set_num(r, (size_t)rw, 1, m[1]);
		wb_result_set_num(r, (size_t)rw, 2, m[0]);
		if (sd > 0) {
			wb_result_set_num(r, (size_t)rw, 3, (m[1] - m[0]) / sd);
			if (bw && wc[0] > 0 && wc[1] > 0)
				wb_result_set_num(r, (size_t)rw, 4,
						  (wm[1] / wc[1] - wm[0] / wc[0]) / sd);
		}
	}
	if (wb_result_add_note(r, "standardised mean difference (Austin 2009): (mean treated - "
				  "mean control) / sqrt((var treated + var control) / 2); |smd| < "
				  "0.1 is the usual bar for balance") ||
	    wb_result_add_note(r, "effective sample size (Kish): (sum of weights)^2 / sum of "
				  "squared weights"))
		goto nomem;
	return r;
nomem:
	wb_result_free(r);
	return NULL;
}
