/*
 * simulate.h — data generators with known ground truth, one per seed scenario.
 *
 * Scenarios so far:
 *   musicapp   the music-app personalisation study (seed 001): binary treatment
 *              PersonalizedRecommendation, outcome HoursOfContentConsumed, confounder
 *              UserEngagementLevel, categorical PreferredContentType (Music, Podcasts,
 *              Audiobooks; affects the outcome only), instrument NewFeatureExposure (affects the
 *              treatment only). True effect 1.0 for every user; the naive regression of the
 *              outcome on the treatment has expectation 1.148164 (about 15% too high; the seed
 *              measured 1.1475); first-stage F about 3300 at the default n = 10,000. The
 *              equations and the derivation are in simulate.c and the truth result's notes.
 *   lineardag  a random linear-Gaussian DAG over p nodes X1..Xp (default 10) with n rows
 *              (default 1,000): a random topological order, each pair joined (earlier ->
 *              later) with probability degree / (p - 1) (default degree min(2, p - 1), so about
 *              p edges), weights +-U(0.5, 1.5), noise N(0, 1) on every node. Columns come in
 *              name order X1..Xp, not topological order. The true graph is kept with the data
 *              (frame attribute "truth", dagitty edge syntax "X1 -> X3; X2 -> X3", edges sorted
 *              by source then target number), and in the truth result (columns from, to,
 *              weight; same order).
 *   incentives the incentive recommender (seed 003, after EconML's multi-investment attribution
 *              case study): software customers (GlobalFlag, MajorFlag, SMCFlag,
 *              CommercialFlag, PlanningSummit, ITSpend, EmployeeCount, PCCount, Size),
 *              three binary incentives allocated without a policy and confounded by them
 *              (TechSupport, Discount, NewStrategy), and Revenue. True effects:
 *              TechSupport 5000 + 0.02 Size, Discount 3000 − 0.01 Size + 4000 SMCFlag,
 *              NewStrategy 0 (default n = 10,000). The equations are in simulate.c; the
 *              truth result gives the sample ATEs, the effect coefficients and the costs.
 * Every generated frame has attributes "scenario", "seed" (wb_rng_seed of the stream, decimal)
 * and "truth" (the true graph; for musicapp too).
 * Params: n >= 2 (at most 10^8; for lineardag n * p at most 10^8), 2 <= p <= 200,
 * 0 <= degree <= p - 1 (0 in the struct means the default); musicapp takes no p or degree.
 * Every generator draws only from the given wb_rng, so (scenario, params, seed) fixes the data.
 * Ownership: *data and *truth are new objects for the caller.
 */
#ifndef WB_SIMULATE_H
#define WB_SIMULATE_H

#include <stddef.h>

#include "err.h"
#include "frame.h"
#include "result.h"
#include "rng.h"

typedef struct wb_sim_params {
	size_t n;      /* rows; 0 = scenario default */
	size_t p;      /* nodes (lineardag); 0 = default */
	double degree; /* expected edges per node (lineardag); 0 = default */
} wb_sim_params;

typedef struct wb_scenario_info {
	const char *name;
	const char *summary; /* one line, for help */
} wb_scenario_info;

/* The scenarios, terminated by an entry with name NULL. */
const wb_scenario_info *wb_simulate_scenarios(void);

/* Generates scenario data. truth may be NULL; otherwise *truth is a result that states the
 * planted truth (true effects, true edges). WB_ENOTFOUND for an unknown scenario,
 * WB_EINVAL for out-of-range params. */
int wb_simulate(const char *scenario, const wb_sim_params *params, wb_rng *rng, wb_frame **data,
		wb_result **truth, wb_err *err);

#endif
