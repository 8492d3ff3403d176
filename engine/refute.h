/*
 * refute.h — trying to break an estimate: DoWhy's refuter family and sensitivity analysis.
 *
 * Every refuter re-runs the estimate's own method on changed data N times (n, default 100)
 * and compares:
 *   placebo        the treatment permuted at random: the new effects should centre on 0
 *   random-cause   an independent N(0,1) covariate added to the adjustment set: no change
 *   subset         random subsets of `fraction` (default 0.8) of the rows: no change
 *   bootstrap      resamples with replacement: the distribution of the estimate
 *   dummy-outcome  the outcome replaced by noise N(0, sd(Y)) independent of everything: ≈ 0
 *   unobserved     a simulated unobserved confounder U ~ N(0,1) with correlation kappa_t with
 *                  the treatment and an effect of kappa_y outcome SDs on the outcome, over a
 *                  grid of (kappa_t, kappa_y): the table of new effects (a heatmap)
 *   evalue         the E-value (VanderWeele & Ding 2017): the risk ratio an unmeasured
 *                  confounder would need with both treatment and outcome to explain the effect
 *                  away, for the estimate and for its confidence limit nearest the null
 *                  (continuous outcomes via RR = exp(0.91 d), d the standardised difference)
 *   all            every kind above in one table, one row each
 *
 * A simulation whose refit cannot be fitted (a resample or subset without any row of some
 * category, so its dummy is constant; a stage left singular) is left out, and the result's
 * note says how many and why; fewer than 2 refitted simulations is an error (WB_ENUMERIC).
 *
 * p-value: the two-sided empirical tail of the original estimate in the simulated
 * distribution, (1 + 2 min(#{sim >= est}, #{sim <= est})) / (N + 1), capped at 1 (Phipson &
 * Smyth 2010). Each result states its verdict — passed, failed or inconclusive — and the rule
 * that gave it, with significance level 0.05.
 *
 * The draws: placebo permutes the treatment (a binary one by placing its ones at random rows
 * with selection sampling), subset keeps exactly round(fraction n) rows, bootstrap weights
 * the rows by Poisson(1) counts (the Poisson bootstrap, Hanley & MacGibbon 2006: a resample
 * of n rows on average), random-cause and dummy-outcome draw normals. Simulation s draws from
 * stream s split off opts->rng, so a refutation is reproducible and the same for any number
 * of threads.
 *
 * Speed (DESIGN: sufficient statistics first): a regression or naive estimate without
 * modifiers is refitted from cross-products — a pass over the rows serves 32 simulations,
 * as one BLAS product of their draws with the rows' centred columns — and the unobserved
 * grid from one pass in all. Other methods refit on each simulation's data, the simulations
 * split over threads.
 * Ownership: *out is a new result for the caller; the estimate is not changed.
 */
#ifndef WB_REFUTE_H
#define WB_REFUTE_H

#include <stddef.h>

#include "err.h"
#include "estimate.h"
#include "progress.h"
#include "result.h"
#include "rng.h"

typedef struct wb_refute_opts {
	size_t n;	       /* simulations (0: 100) */
	double fraction;       /* subset: share of rows kept (0: 0.8) */
	const double *kappa_t; /* unobserved: grid of treatment strengths (NULL: 0, .1, ... .5) */
	size_t nkappa_t;
	const double *kappa_y; /* unobserved: grid of outcome strengths (NULL: 0, .1, ... .5) */
	size_t nkappa_y;
	wb_rng *rng;	       /* required for the simulating kinds */
	wb_progress *progress; /* may be NULL */
	int threads;	       /* simulations run on this many POSIX threads (0: 2) */
	int generic;	       /* 1: refit the method on each simulation's data even where the
				* linear path applies (tests hold the two to each other) */
} wb_refute_opts;

/* The kinds, in the order of `refute all`, terminated by NULL. */
extern const char *const wb_refute_kinds[];

/* Runs refuter kind on estimate e. Fails with WB_ENOTFOUND for an unknown kind, WB_EINVAL for
 * bad options (fraction outside (0, 1), kappa_t outside [0, 1)) or a treatment the kind
 * cannot handle, WB_ECANCEL when cancelled, and the method's own errors. For "unobserved",
 * the result is the grid (view hint "heatmap"); for the others a table with the columns
 * refuter, estimate, new_effect, new_sd, p, verdict, rule (view hint "refute"). */
int wb_refute_run(const wb_estimate *e, const char *kind, const wb_refute_opts *opts,
		  wb_result **out, wb_err *err);

/* E-value of a risk ratio (VanderWeele & Ding 2017): RR + sqrt(RR (RR - 1)) for RR >= 1, and
 * of 1/RR for RR < 1. */
double wb_refute_evalue_rr(double rr);

#endif
