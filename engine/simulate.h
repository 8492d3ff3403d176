/*
 * simulate.h — data generators with known ground truth, one per seed scenario.
 *
 * Scenarios so far:
 *   musicapp   the music-app personalisation study (seed 001): binary treatment
 *              PersonalizedRecommendation, outcome HoursOfContentConsumed, confounder
 *              UserEngagementLevel, categorical PreferredContentType, instrument
 *              NewFeatureExposure. True effect 1.0; the naive regression of the outcome on the
 *              treatment overestimates it by about 15%.
 *   lineardag  a random linear-Gaussian DAG over p nodes X1..Xp with n rows; the true graph is
 *              kept with the data (frame attribute "truth", dagitty edge syntax
 *              "X1 -> X3; X2 -> X3", and in the truth result with the edge weights).
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
