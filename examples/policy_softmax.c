/*
 * policy_softmax.c — an example campaign policy plugin: Boltzmann (softmax) exploration
 * (Sutton & Barto 2018, §2.8 and §13.1; Luce 1959). For the customer's current product it
 * keeps the mean reward of each action and chooses action a with probability
 * exp(mean_a / tau) / Σ_b exp(mean_b / tau): tau large explores evenly, tau small is greedy.
 *
 * Build (`make` does this): cc -shared -fPIC -I. -o policy_softmax.so examples/policy_softmax.c -lm
 * Use:  bandit plugin build/examples/policy_softmax.so as softmax params="tau=2"
 *
 * It shows the whole interface of engine/bandit_policy.h: init parses the parameters and
 * fails with a message, choose reads the catalogue afresh (actions may be added while the
 * simulation runs), update learns one reward, free and name.
 */
#include "engine/bandit_policy.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct softmax {
	const wb_bandit_env *env;
	double tau;
	size_t nctx, narms; /* allocated shape of n and sum */
	double *n, *sum;    /* nctx × narms */
	double *w;	    /* narms weights, scratch */
	char name[48];
} softmax;

/* Makes room for context ctx and narms actions; 0 or -1. */
static int fit(softmax *p, size_t ctx, size_t narms)
{
	if (ctx < p->nctx && narms <= p->narms)
		return 0;
	size_t nc = ctx + 1 > p->nctx ? ctx + 4 : p->nctx;
	size_t na = narms > p->narms ? narms + 4 : p->narms;
	double *n = calloc(nc * na, sizeof *n), *sum = calloc(nc * na, sizeof *sum);
	double *w = calloc(na, sizeof *w);
	if (!n || !sum || !w) {
		free(n);
		free(sum);
		free(w);
		return -1;
	}
	for (size_t k = 0; k < p->nctx; k++)
		for (size_t a = 0; a < p->narms; a++) {
			n[k * na + a] = p->n[k * p->narms + a];
			sum[k * na + a] = p->sum[k * p->narms + a];
		}
	free(p->n);
	free(p->sum);
	free(p->w);
	p->n = n;
	p->sum = sum;
	p->w = w;
	p->nctx = nc;
	p->narms = na;
	return 0;
}

static void *sm_init(const wb_bandit_env *env, const char *params, char *err, size_t errsize)
{
	double tau = 1;
	const char *t = params ? strstr(params, "tau=") : NULL;
	if (params && *params && !t) {
		snprintf(err, errsize, "softmax takes one parameter, tau=T (got '%s')", params);
		return NULL;
	}
	if (t) {
		char *end;
		tau = strtod(t + 4, &end);
		if (end == t + 4 || (*end && *end != ' ') || !(tau > 0)) {
			snprintf(err, errsize, "tau must be a number > 0");
			return NULL;
		}
	}
	softmax *p = calloc(1, sizeof *p);
	if (!p) {
		snprintf(err, errsize, "out of memory");
		return NULL;
	}
	p->env = env;
	p->tau = tau;
	snprintf(p->name, sizeof p->name, "softmax(tau=%g)", tau);
	return p;
}

static size_t sm_choose(void *state, const wb_bandit_customer *c)
{
	softmax *p = state;
	size_t na = p->env->narms;
	if (fit(p, c->product, na))
		return 0;
	const double *n = p->n + c->product * p->narms, *sum = p->sum + c->product * p->narms;
	double top = -INFINITY, total = 0;
	for (size_t a = 0; a < na; a++) {
		p->w[a] = n[a] > 0 ? sum[a] / n[a] / p->tau : 0;
		if (p->w[a] > top)
			top = p->w[a];
	}
	for (size_t a = 0; a < na; a++) /* shifted by the largest, so exp never overflows */
		total += p->w[a] = exp(p->w[a] - top);
	double u = p->env->uniform(p->env->rng) * total;
	for (size_t a = 0; a < na; a++)
		if ((u -= p->w[a]) < 0)
			return a;
	return na - 1;
}

static void sm_update(void *state, const wb_bandit_customer *c, size_t arm, double reward,
		      int responded)
{
	(void)responded;
	softmax *p = state;
	if (fit(p, c->product, arm + 1 > p->env->narms ? arm + 1 : p->env->narms))
		return;
	p->n[c->product * p->narms + arm] += 1;
	p->sum[c->product * p->narms + arm] += reward;
}

static void sm_free(void *state)
{
	softmax *p = state;
	if (!p)
		return;
	free(p->n);
	free(p->sum);
	free(p->w);
	free(p);
}

static const char *sm_name(void *state)
{
	return ((softmax *)state)->name;
}

static const wb_bandit_policy table = {
    WB_BANDIT_POLICY_ABI, sm_init, sm_choose, sm_update, sm_free, sm_name};

const wb_bandit_policy *wb_bandit_policy_entry(void);

const wb_bandit_policy *wb_bandit_policy_entry(void)
{
	return &table;
}
