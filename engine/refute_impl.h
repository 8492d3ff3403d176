/*
 * refute_impl.h — what the refuters share inside the engine: the random draws of a
 * simulation, and the fast path that refits linear regressions from sufficient statistics.
 *
 * A simulation changes the data by draws over the rows in order, from its own stream
 * (wb_rng_split(rng, s) for simulation s). So the same simulation gives the same numbers
 * whether its draws are written out as a column for a generic refit or consumed a block of
 * rows at a time by the linear path, and a test can hold the two paths to each other.
 *
 *   WB_DRAW_PICK     0/1 with exactly `count` ones at uniformly random rows: Knuth's
 *                    selection sampling (Algorithm S, TAOCP vol. 2, 3.4.2), one uniform a
 *                    row. A random permutation of a binary column with `count` ones, or a
 *                    subset of `count` rows.
 *   WB_DRAW_SHUFFLE  the values of a column in uniformly random order (Fisher–Yates up front:
 *                    the one kind that holds a column per simulation).
 *   WB_DRAW_NORMAL   N(0, sd), one a row (the ziggurat on the fast stream).
 *   WB_DRAW_POISSON  Poisson(1) counts, one a row: bootstrap frequency weights (Hanley &
 *                    MacGibbon 2006), a resample of n rows on average that needs no pass over
 *                    the whole resample before its first row is known.
 */
#ifndef WB_REFUTE_IMPL_H
#define WB_REFUTE_IMPL_H

#include "estimate_impl.h"
#include "refute.h"

typedef enum { WB_DRAW_PICK, WB_DRAW_SHUFFLE, WB_DRAW_NORMAL, WB_DRAW_POISSON } wb_draw_kind;

/* What a refuter kind draws: the kind of draw and its parameter. */
typedef struct wb_draw_plan {
	wb_draw_kind kind;
	size_t count;	      /* PICK */
	double sd;	      /* NORMAL */
	const double *values; /* SHUFFLE: n values, borrowed */
} wb_draw_plan;

typedef struct wb_draw {
	wb_draw_plan plan;
	wb_rng *g;	  /* the simulation's stream, which seeds ... */
	wb_rng_fast fast; /* ... the one every draw comes from */
	size_t n, i;	  /* rows, the next row */
	size_t need;	/* PICK: ones still to place */
	double *values; /* SHUFFLE: this simulation's order */
} wb_draw;

/* The plan of simulating refuter kind (placebo, random-cause, subset, bootstrap,
 * dummy-outcome) on data d; fraction is the subset's share of rows (0: 0.8). */
wb_draw_plan wb_draw_plan_of(const wb_est_data *d, const char *kind, double fraction);

/* Starts simulation s's draws over n rows. WB_ENOMEM. */
int wb_draw_start(wb_draw *dr, const wb_draw_plan *plan, const wb_rng *rng, size_t s, size_t n,
		  wb_err *err);
/* The next m rows' draws into out (m rows at most n - rows drawn so far). */
void wb_draw_next(wb_draw *dr, double *out, size_t m);
void wb_draw_end(wb_draw *dr);

/* Simulations whose refit fails for want of data (a resample or subset without any row of a
 * category, a permutation that leaves a stage singular) are left out, not fatal: their effect
 * is NaN, and the skip record keeps how many and the reason of the first (lowest index). Each
 * thread part fills its own record; wb_refute_skip_merge combines them in order. */
typedef struct wb_refute_skip {
	size_t count;
	size_t first; /* index of the first skipped simulation */
	wb_err why;   /* its reason */
} wb_refute_skip;

/* Records simulation s as skipped for the reason in why. */
void wb_refute_skip_add(wb_refute_skip *k, size_t s, const wb_err *why);
/* Adds the record from into into. */
void wb_refute_skip_merge(wb_refute_skip *into, const wb_refute_skip *from);

/* 1 when e is a regression or naive estimate of a binary or numeric treatment without
 * modifiers on unweighted data: then every simulating refuter and the unobserved grid refit
 * from cross-products, a pass over the rows serving many simulations at once. */
int wb_refute_linear_ok(const wb_estimate *e);

/* The effects of simulations 0 .. N-1 of kind into sims, equal (to rounding) to refitting
 * the regression on each simulation's changed data; threads split the simulations. A refit
 * that is singular (a column constant in the simulation's rows) is skipped into *skip.
 * Reports progress; WB_ECANCEL when cancelled, WB_ENOMEM. */
int wb_refute_linear_sims(const wb_estimate *e, const char *kind, const wb_refute_opts *o,
			  size_t N, double *sims, wb_refute_skip *skip, wb_err *err);

/* The unobserved-confounder grid (see refute.c's grid) from one pass: the outcome's change
 * is linear in the treatment and one noise column, so each cell is algebra on their
 * cross-products. */
int wb_refute_linear_grid(const wb_estimate *e, const wb_refute_opts *o, const double *kt,
			  size_t nkt, const double *ky, size_t nky, double *cells, wb_err *err);

/* Sample standard deviation (n - 1) of v with optional frequency weights. */
double wb_refute_sd(const double *v, size_t n, const double *w);

#endif
