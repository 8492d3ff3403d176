/*
 * bandit_policy.h — the C interface of a campaign policy, for the built-in policies and for
 * policies loaded from a shared object with `bandit plugin PATH.so`.
 *
 * The simulator (bandit.h) asks a policy for a next-best action each time a customer event
 * arrives from a customer who is not already waiting on an action, and tells it the reward
 * of each action once that action closes: the customer responded (reward = change in the
 * customer's lifetime value minus the channel cost) or the cool-off passed with no response
 * (the NULL action: reward = minus the channel cost). When the updates reach the policy is
 * the policy's recalibration schedule (every reward, every N rewards, daily), which the
 * simulator applies: the policy just learns from each update it is given.
 *
 * Writing a plugin: a shared object exports one function
 *
 *     const wb_bandit_policy *wb_bandit_policy_entry(void);
 *
 * returning a static table whose abi field is WB_BANDIT_POLICY_ABI. Build it with
 * `cc -shared -fPIC -I/path/to/whybench -o mypolicy.so mypolicy.c`; it needs nothing from
 * whybench at link time (randomness comes through the function pointers in wb_bandit_env).
 * examples/policy_softmax.c is a complete plugin (Boltzmann exploration), built by `make`.
 *
 * Threading: all calls for one policy instance come from one thread, one at a time. A
 * policy must draw its randomness only from env->uniform/normal/beta, so that results are
 * reproducible from the workspace seed.
 */
#ifndef WB_BANDIT_POLICY_H
#define WB_BANDIT_POLICY_H

#include <stddef.h>

/* Bumped whenever a struct below changes shape; the loader refuses a plugin built against
 * another version. */
#define WB_BANDIT_POLICY_ABI 1

/* Customer segments by lifetime value (thresholds in wb_bandit_env.seg_cut). */
enum { WB_SEG_VIP = 0, WB_SEG_GOLD = 1, WB_SEG_SILVER = 2, WB_SEG_BRONZE = 3, WB_NSEG = 4 };

/* A product a customer can hold, and the target of an offer. */
typedef struct wb_bandit_product {
	const char *name;
	double speed; /* quality: an offer is attractive only if faster than what one has */
	double price; /* per month */
} wb_bandit_product;

/* A channel that carries actions to customers. */
typedef struct wb_bandit_channel {
	const char *name;
	double cost;  /* charged per action taken */
	long quota;   /* actions taken per day at most; 0 = unlimited */
	long delay;   /* days between the choice and the earliest day it is taken */
	double p0;    /* daily response probability on the day the action is taken */
	double decay; /* the probability d days later is p0 * decay^d */
} wb_bandit_channel;

/* An action (an arm): an offer (a product to move to) carried by a channel. */
typedef struct wb_bandit_arm {
	const char *name; /* "200M/call" */
	size_t offer;	  /* index into env->products */
	size_t channel;	  /* index into env->channels */
	double cost;	  /* the channel cost of this action */
	long cooloff;	  /* days after it is taken before a non-response closes it (NULL action) */
} wb_bandit_arm;

/* What a policy may know of the world. The simulator owns it and keeps it valid for the
 * policy's whole life; actions (and the products they offer) may be added while the
 * simulation runs, so read narms, nproducts and the array pointers afresh at every call. */
typedef struct wb_bandit_env {
	size_t nproducts;
	const wb_bandit_product *products;
	size_t nchannels;
	const wb_bandit_channel *channels;
	size_t narms;
	const wb_bandit_arm *arms;
	size_t nfeatures;		  /* customer features (tenure, usage, ...) */
	const char *const *feature_names; /* nfeatures names */
	double seg_cut[3]; /* value >= seg_cut[0]: VIP, >= [1]: Gold, >= [2]: Silver */

	/* This policy's own random stream (derived from the workspace seed). */
	void *rng;
	double (*uniform)(void *rng);		       /* [0, 1) */
	double (*normal)(void *rng);		       /* standard normal */
	double (*beta)(void *rng, double a, double b); /* Beta(a, b), a, b > 0 */
} wb_bandit_env;

/* The customer asking for a next-best action (and, in update, as it was when chosen). */
typedef struct wb_bandit_customer {
	size_t id;
	size_t product;	 /* index into env->products: what the customer holds */
	double value;	 /* lifetime value of that product */
	int segment;	 /* WB_SEG_* */
	const double *x; /* env->nfeatures features */
	long day;	 /* simulation day (0-based) of the choice */
} wb_bandit_customer;

typedef struct wb_bandit_policy {
	int abi; /* WB_BANDIT_POLICY_ABI */

	/* New policy state for env (borrowed, outlives the state) and params, a string of
	 * "key=value" words separated by spaces (may be empty). Returns NULL on failure after
	 * writing a one-line reason into errbuf (errsize bytes), e.g. "unknown parameter 'x'". */
	void *(*init)(const wb_bandit_env *env, const char *params, char *errbuf, size_t errsize);

	/* The action for customer c: an index below env->narms (at least one action exists). */
	size_t (*choose)(void *state, const wb_bandit_customer *c);

	/* Learns the reward of action arm chosen for c (c as it was at the choice); responded is
	 * 1 if the customer took the offer, 0 for the NULL action. */
	void (*update)(void *state, const wb_bandit_customer *c, size_t arm, double reward,
		       int responded);

	/* Frees the state (NULL is accepted). */
	void (*free)(void *state);

	/* A short name for tables and the legend ("softmax(tau=2)"); valid while state lives. */
	const char *(*name)(void *state);
} wb_bandit_policy;

/* The symbol a plugin exports. */
typedef const wb_bandit_policy *(*wb_bandit_policy_entry_fn)(void);
#define WB_BANDIT_POLICY_ENTRY "wb_bandit_policy_entry"

#endif
