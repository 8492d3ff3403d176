/*
 * estimate.h — causal effect estimation: ATE, ATT, ATC and CATE of a treatment on an outcome.
 *
 * One entry point, wb_estimate_run, prepares the data once (listwise deletion over every column
 * used, the covariate design with categorical columns one-hot, its cross-products in one
 * threaded pass) and dispatches by method name through a table. Each method lives in its own
 * file, engine/estimate_<method>.c, and exposes one fit function with the common signature of
 * estimate_impl.h; adding a method is one line in the table (estimate.c) and one file.
 *
 * Treatments: binary (0/1), categorical (one contrast per level against a reference level, the
 * first level unless `reference` is given) and, for the regression-type methods, continuous
 * (the effect of one unit more). Methods that need a binary treatment get one binary problem
 * per contrast (the rows of the level and the reference) from the framework.
 *
 * Every estimate carries, per contrast: the effect, its standard error (analytic where one
 * exists — HC1 for regressions, the influence function for IPW/AIPW — a seeded bootstrap
 * otherwise), the 95% interval effect ± 1.96 se and the two-sided normal p-value. The result
 * states the estimand, the adjustment set and where it came from, the standard-error kind,
 * rows dropped for missing values, and every trimming or unmatched unit.
 *
 * Ownership: a wb_estimate from wb_estimate_run belongs to the caller (wb_estimate_free accepts
 * NULL); it keeps its own copy of the spec and of the prepared data, so refuters can re-run it
 * after the frame has changed. Strings in the spec are copied. Results returned by
 * wb_estimate_result are new objects for the caller.
 * Errors: 0 or negative WB_E* with one line in err, prefixed "METHOD: ".
 */
#ifndef WB_ESTIMATE_H
#define WB_ESTIMATE_H

#include <stddef.h>

#include "err.h"
#include "frame.h"
#include "progress.h"
#include "result.h"
#include "rng.h"

typedef struct wb_estimate wb_estimate;

typedef enum { WB_TARGET_ATE = 0, WB_TARGET_ATT, WB_TARGET_ATC } wb_target;

/* "ate", "att", "atc". */
const char *wb_target_name(wb_target t);
/* Parses "ate"/"att"/"atc"; -1 if none. */
int wb_target_parse(const char *s);

/* A method option, key=value, as typed (`trim=0.01`). */
typedef struct wb_kv {
	const char *key, *value;
} wb_kv;

typedef struct wb_estimate_spec {
	const char *method;		 /* NULL: "regression" */
	const char *treatment, *outcome; /* column names */
	const char *const *adjust;	 /* backdoor adjustment set */
	size_t nadjust;
	const char *adjust_from;	/* where the set came from, echoed: "given", "graph" */
	const char *const *instruments; /* iv */
	size_t ninstruments;
	const char *const *mediators; /* frontdoor */
	size_t nmediators;
	const char *const *modifiers; /* effect modifiers: CATE */
	size_t nmodifiers;
	wb_target target;
	const char *reference; /* reference level of a categorical treatment, or NULL */
	const wb_kv *opts;     /* method options (see the method's `options`) */
	size_t nopts;
	wb_rng *rng;	       /* borrowed during the call; bootstraps split from it */
	int threads;	       /* 0: 2 */
	wb_progress *progress; /* may be NULL */
} wb_estimate_spec;

/* One effect. */
typedef struct wb_contrast {
	char label[160]; /* "PersonalizedRecommendation", "Plan: premium vs free", "x Age" */
	double effect, se, lo, hi, p;
	double n1, n0; /* units treated / in the reference group (weighted counts) */
	int slope;     /* 1 for a CATE slope row (change of the effect per unit of a modifier) */
} wb_contrast;

/* ---- methods ---- */

enum {
	WB_EST_BINARY = 1 << 0,	    /* needs a binary treatment (categorical: split per contrast) */
	WB_EST_ADJUST = 1 << 1,	    /* uses the adjustment set */
	WB_EST_INSTRUMENT = 1 << 2, /* needs instrument= */
	WB_EST_MEDIATOR = 1 << 3,   /* needs mediator= */
	WB_EST_MODIFIERS = 1 << 4,  /* accepts modifiers= (CATE) */
	WB_EST_TARGETS = 1 << 5,    /* distinguishes ATE, ATT and ATC */
	WB_EST_CONTINUOUS = 1 << 6  /* with WB_EST_BINARY: a numeric treatment is taken as it is */
};

typedef struct wb_est_data wb_est_data;
typedef int (*wb_estimate_fit_fn)(const wb_est_data *d, const wb_estimate_spec *s, wb_estimate *e,
				  wb_err *err);

typedef struct wb_estimate_method {
	const char *name;    /* "ipw" */
	const char *summary; /* one line, for help */
	const char *options; /* option keys it reads, space separated ("trim"); "" for none */
	int flags;	     /* WB_EST_* */
	wb_estimate_fit_fn fit;
} wb_estimate_method;

/* The methods, terminated by an entry with name NULL. */
const wb_estimate_method *wb_estimate_methods(void);
/* The method called name, or NULL. */
const wb_estimate_method *wb_estimate_method_find(const char *name);

/* ---- running ---- */

/* Estimates the effect of spec->treatment on spec->outcome in f. Fails (nothing returned) on
 * an unknown method or column, a method option it does not take, a constant treatment, a
 * treatment level with no rows, a singular design, or the method's own failure. */
int wb_estimate_run(const wb_frame *f, const wb_estimate_spec *spec, wb_estimate **out,
		    wb_err *err);
void wb_estimate_free(wb_estimate *e);

/* The estimate as a result table (contrast, effect, se, ci_low, ci_high, p, n_treated,
 * n_control; view hint "forest") with its notes. New object for the caller; NULL if out of
 * memory. */
wb_result *wb_estimate_result(const wb_estimate *e);
/* Further tables the method made (overlap diagnostics, first stage ...), in order. take
 * hands table i to the caller (later calls for i return NULL). */
size_t wb_estimate_ntables(const wb_estimate *e);
wb_result *wb_estimate_take_table(wb_estimate *e, size_t i);

const wb_estimate_spec *wb_estimate_spec_of(const wb_estimate *e); /* the copied spec */
const wb_estimate_method *wb_estimate_method_of(const wb_estimate *e);
size_t wb_estimate_ncontrasts(const wb_estimate *e);
const wb_contrast *wb_estimate_contrast(const wb_estimate *e, size_t k);
/* What the standard errors are ("HC1", "influence function", "bootstrap, 200 resamples"). */
const char *wb_estimate_se_kind(const wb_estimate *e);
/* Rows used (after deletion of rows with missing values). */
size_t wb_estimate_nobs(const wb_estimate *e);

/* The per-unit effect of the estimate's first contrast — EconML's effect(X) — as a column of
 * the frame it was estimated on (nrows rows, out[nrows]): the effect at each row's modifiers
 * for regression and dml with modifiers=, the imputed effect for the meta-learners, NaN on
 * rows the estimate did not use. WB_EINVAL when the estimate has none ("per-unit effects need
 * modifiers= with regression or dml, or a meta-learner (slearner, tlearner, xlearner)"; a
 * categorical treatment: "... need a binary or numeric treatment") or nrows is not the
 * frame's. */
int wb_estimate_unit_column(const wb_estimate *e, size_t nrows, double *out, wb_err *err);

/* ---- for method files (see estimate_impl.h for the data they get) ---- */

/* Appends a contrast; lo, hi and p are computed from effect and se (normal, 95%). label is
 * copied (truncated to fit). Returns its index or WB_ENOMEM. */
long wb_estimate_add_contrast(wb_estimate *e, const char *label, double effect, double se,
			      double n1, double n0);
/* Marks contrast k as a CATE slope. */
void wb_estimate_set_slope(wb_estimate *e, size_t k);
int wb_estimate_note(wb_estimate *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int wb_estimate_set_se_kind(wb_estimate *e, const char *kind);
/* Appends a further table; the estimate takes ownership (also on failure). */
int wb_estimate_add_table(wb_estimate *e, wb_result *r);
/* Keeps the per-unit effects tau (d->n values) of the first contrast, when d is e's own data;
 * for a contrast split from a categorical treatment, or a replicate, it keeps nothing.
 * WB_ENOMEM. */
int wb_estimate_set_unit_effects(wb_estimate *e, const wb_est_data *d, const double *tau);

#endif
