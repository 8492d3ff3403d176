/*
 * bandit_impl.h — the simulator's state, shared by bandit.c (the day loop, results),
 * bandit_scenario.c (presets, customer bases) and bandit_live.c (the live view). Internal.
 */
#ifndef WB_BANDIT_IMPL_H
#define WB_BANDIT_IMPL_H

#include "bandit.h"

#include <stdint.h>

#define WB_BANDIT_MAX_COOLOFF 365

/* An action chosen and waiting in its channel's queue, or taken and not yet closed. */
typedef struct wb_episode {
	uint32_t cust, arm, product; /* product held at the choice */
	int32_t chosen, when;	     /* day chosen; ready day (queued) or day taken (open) */
	int32_t responded; /* open: 1 if it closes with a response, 0 with a NULL action */
} wb_episode;

typedef struct wb_bucket { /* the actions that close on one day */
	wb_episode *v;
	size_t n, cap;
} wb_bucket;

typedef struct wb_queue { /* FIFO ring */
	wb_episode *v;
	size_t head, n, cap;
} wb_queue;

typedef struct wb_pending { /* a reward waiting for the policy's recalibration */
	wb_episode e;
	double reward;
	int responded;
} wb_pending;

typedef struct wb_bpol {
	char *label;
	const wb_bandit_policy *vt;
	void *state;
	void *handle; /* dlopen handle, or NULL */
	wb_rng *rng;
	wb_bandit_env env; /* this policy's view: shared catalogue, own random stream */
	wb_recal recal;
	long recal_n;
	uint32_t *prod;			      /* product per customer */
	uint8_t *busy;			      /* 1 while an action is queued or open */
	wb_queue *q;			      /* per channel */
	wb_bucket cal[WB_BANDIT_MAX_COOLOFF]; /* open actions by closing day, modulo */
	wb_pending *pend;
	size_t npend, cappend;
	size_t *mix, capmix;
	double *tl;
	size_t captl;
	wb_bandit_stats st;
} wb_bpol;

struct wb_bandit {
	char *scenario;
	wb_bandit_config cfg;
	long cooloff; /* default cool-off of new actions */
	size_t n, nfeat;
	char **featname;
	double *x; /* n × nfeat, standardised */
	double *xraw;
	uint32_t *prod0;
	wb_bandit_product *products;
	size_t nprod, capprod;
	wb_bandit_channel *channels;
	size_t nchan;
	double (*resp)[WB_BANDIT_MAX_COOLOFF]; /* per channel: p0 · decay^d */
	wb_bandit_arm *arms;
	size_t narms, caparms;
	double seg_cut[3];
	wb_rng *world; /* events */
	uint64_t key;  /* response draws */
	long day;
	wb_bpol **pol;
	size_t npol;
	uint32_t *ev;
	size_t capev;
};

/* Lifetime value of product k. */
static inline double wb_bandit_ltv(const wb_bandit *b, size_t k)
{
	return b->products[k].price * b->cfg.ltv_months;
}

static inline int wb_bandit_segment(const wb_bandit *b, double value)
{
	return value >= b->seg_cut[0]	? WB_SEG_VIP
	       : value >= b->seg_cut[1] ? WB_SEG_GOLD
	       : value >= b->seg_cut[2] ? WB_SEG_SILVER
					: WB_SEG_BRONZE;
}

/* bandit_scenario.c: fills products, channels, actions and the base of a new b. */
int wb_bandit_scenario_build(wb_bandit *b, const char *scenario, const wb_frame *base, wb_rng *rng,
			     wb_err *err);
/* bandit.c: appends a channel (used by the scenarios). */
int wb_bandit_add_channel(wb_bandit *b, const wb_bandit_channel *c, wb_err *err);
/* bandit.c: segment cuts from the quantiles of the base's values. */
void wb_bandit_set_segments(wb_bandit *b);

/* bandit_live.c: what the day loop needs of the live view (all accept NULL). */
void wb_bandit_live_begin(wb_bandit_live *l); /* a run starts: clears the pause request */
int wb_bandit_live_pausing(wb_bandit_live *l);
/* bandit_plugin.c: dlclose (accepts NULL). */
void wb_bandit_plugin_close(void *handle);

#endif
