/*
 * bandit_policies.c — the built-in campaign policies, each behind the plugin interface of
 * bandit_policy.h (so a built-in and a plugin are driven the same way).
 *
 *   segment   VIP/Gold/Silver/Bronze by lifetime value, each tier hand-mapped to a channel and
 *             an offer rule (the marketing department's reference, the seed's SegmentJunglefowl)
 *   epsilon   ε-greedy on the mean reward, fixed ε or ε_t = ε / (1 + t / decay)
 *             (Sutton & Barto 2018 §2.2; Lattimore & Szepesvári 2020 §6)
 *   thompson  Thompson sampling (Thompson 1933): Beta(1 + s, 1 + f) conversion draws times
 *             the mean delta value of a conversion, minus the channel cost; or, with
 *             model=gaussian, a Normal posterior on the mean reward (Agrawal & Goyal 2013)
 *   ucb1      mean + c·√(2 ln t / n_a) (Auer, Cesa-Bianchi & Fischer 2002), c = the observed
 *             reward range unless given, since rewards are not in [0, 1]
 *   linucb    disjoint LinUCB (Li, Chu, Langford & Schapire 2010, Algorithm 1) on the bias, the
 *             one-hot current product and the standardised customer features, ridge 1
 *   random    uniform over the actions (the seed's RandomCrayfish)
 *
 * The tabular policies (epsilon, thompson, ucb1) keep one bandit per context: the customer's
 * current product by default (context=product), or one for everybody (context=none).
 */
#include "bandit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The arm a policy chooses: of the scores offered in arm order, the first highest. Start from
 * {0, -INFINITY} (arm 0 when no score beats it, e.g. all are NaN). */
typedef struct argmax {
	size_t arm;
	double score;
} argmax;

static void argmax_offer(argmax *m, size_t arm, double score)
{
	if (score > m->score) {
		m->score = score;
		m->arm = arm;
	}
}

/* ---- parameters: "key=value key=value" ---- */

typedef struct param_spec {
	const char *key;
	const char *value; /* default text */
} param_spec;

/* Parses params against spec; vals[i] receives the text for spec[i] (copied into buf).
 * Returns 0, or -1 with a message for an unknown key or a malformed word. */
static int parse_params(const char *params, const param_spec *spec, size_t nspec, char vals[][64],
			char *err, size_t errsize)
{
	for (size_t i = 0; i < nspec; i++)
		snprintf(vals[i], 64, "%s", spec[i].value);
	const char *p = params ? params : "";
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		size_t len = strcspn(p, " ");
		const char *eq = memchr(p, '=', len);
		if (!eq) {
			snprintf(err, errsize, "parameter '%.*s' is not key=value", (int)len, p);
			return -1;
		}
		size_t klen = (size_t)(eq - p);
		size_t i = 0;
		while (i < nspec &&
		       !(strlen(spec[i].key) == klen && strncmp(spec[i].key, p, klen) == 0))
			i++;
		if (i == nspec) {
			char list[256] = "";
			size_t n = 0;
			for (size_t k = 0; k < nspec && n < sizeof list; k++)
				n += (size_t)snprintf(list + n, sizeof list - n, "%s%s",
						      k ? ", " : "", spec[k].key);
			snprintf(err, errsize, "unknown parameter '%.*s' (parameters: %s)",
				 (int)klen, p, nspec ? list : "none");
			return -1;
		}
		snprintf(vals[i], 64, "%.*s", (int)(len - klen - 1), eq + 1);
		p += len;
	}
	return 0;
}

static int param_num(const char *text, const char *key, double lo, double hi, double *out,
		     char *err, size_t errsize)
{
	char *end;
	double x = strtod(text, &end);
	if (end == text || *end || !isfinite(x) || x < lo || x > hi) {
		snprintf(err, errsize, "%s must be a number from %g to %g, got '%s'", key, lo, hi,
			 text);
		return -1;
	}
	*out = x;
	return 0;
}

/* context=product|none */
static int param_context(const char *text, int *by_product, char *err, size_t errsize)
{
	if (strcmp(text, "product") == 0)
		*by_product = 1;
	else if (strcmp(text, "none") == 0)
		*by_product = 0;
	else {
		snprintf(err, errsize, "context must be product or none, got '%s'", text);
		return -1;
	}
	return 0;
}

/* ---- per-(context, arm) statistics that grow with the catalogue ---- */

typedef struct cell {
	double n, sum, sumsq;	 /* rewards */
	double conv, conv_value; /* conversions and the sum of their delta value */
} cell;

typedef struct table {
	cell *c;
	size_t nctx, narms; /* allocated */
	double *ctx_n;	    /* decisions learnt per context */
} table;

/* Makes room for ctx < nctx, arm < narms; 0 or -1 (out of memory: the table is unchanged). */
static int table_fit(table *t, size_t nctx, size_t narms)
{
	if (nctx <= t->nctx && narms <= t->narms)
		return 0;
	size_t nc = nctx > t->nctx ? nctx + 4 : t->nctx,
	       na = narms > t->narms ? narms + 4 : t->narms;
	cell *c = calloc(nc * na, sizeof *c);
	double *cn = calloc(nc, sizeof *cn);
	if (!c || !cn) {
		free(c);
		free(cn);
		return -1;
	}
	for (size_t k = 0; k < t->nctx; k++) {
		cn[k] = t->ctx_n[k];
		for (size_t a = 0; a < t->narms; a++)
			c[k * na + a] = t->c[k * t->narms + a];
	}
	free(t->c);
	free(t->ctx_n);
	t->c = c;
	t->ctx_n = cn;
	t->nctx = nc;
	t->narms = na;
	return 0;
}

static cell *table_row(table *t, size_t ctx)
{
	return t->c + ctx * t->narms;
}

/* Common state of the tabular policies. */
typedef struct tab_policy {
	const wb_bandit_env *env;
	table t;
	int by_product;
	double t_all;	   /* decisions so far */
	double rmin, rmax; /* observed reward range */
	double all_conv, all_conv_value;
	double all_n, all_sum, all_sumsq;
	char name[64];
} tab_policy;

static size_t ctx_of(const tab_policy *p, const wb_bandit_customer *c)
{
	return p->by_product ? c->product : 0;
}

/* The row for c, fitted to the current catalogue; NULL if out of memory. */
static cell *tab_row(tab_policy *p, const wb_bandit_customer *c)
{
	size_t k = ctx_of(p, c);
	if (table_fit(&p->t, k + 1, p->env->narms))
		return NULL;
	return table_row(&p->t, k);
}

static void tab_learn(tab_policy *p, const wb_bandit_customer *c, size_t arm, double reward,
		      int responded)
{
	size_t k = ctx_of(p, c);
	if (table_fit(&p->t, k + 1, (arm + 1 > p->env->narms ? arm + 1 : p->env->narms)))
		return;
	cell *e = table_row(&p->t, k) + arm;
	e->n += 1;
	e->sum += reward;
	e->sumsq += reward * reward;
	p->t.ctx_n[k] += 1;
	if (responded) {
		double v = reward + p->env->arms[arm].cost;
		e->conv += 1;
		e->conv_value += v;
		p->all_conv += 1;
		p->all_conv_value += v;
	}
	if (p->all_n == 0 || reward < p->rmin)
		p->rmin = reward;
	if (p->all_n == 0 || reward > p->rmax)
		p->rmax = reward;
	p->all_n += 1;
	p->all_sum += reward;
	p->all_sumsq += reward * reward;
}

static tab_policy *tab_new(const wb_bandit_env *env, size_t size)
{
	tab_policy *p = calloc(1, size);
	if (p)
		p->env = env;
	return p;
}

static void tab_free(void *state)
{
	tab_policy *p = state;
	if (!p)
		return;
	free(p->t.c);
	free(p->t.ctx_n);
	free(p);
}

static const char *tab_name(void *state)
{
	return ((tab_policy *)state)->name;
}

static void tab_update(void *state, const wb_bandit_customer *c, size_t arm, double reward,
		       int responded)
{
	tab_learn(state, c, arm, reward, responded);
}

/* ---- random ---- */

static void *random_init(const wb_bandit_env *env, const char *params, char *err, size_t errsize)
{
	char v[1][64];
	if (parse_params(params, NULL, 0, v, err, errsize))
		return NULL;
	tab_policy *p = tab_new(env, sizeof *p);
	if (p)
		snprintf(p->name, sizeof p->name, "random");
	return p;
}

static size_t random_choose(void *state, const wb_bandit_customer *c)
{
	(void)c;
	tab_policy *p = state;
	size_t a = (size_t)(p->env->uniform(p->env->rng) * (double)p->env->narms);
	return a < p->env->narms ? a : p->env->narms - 1;
}

static void random_update(void *state, const wb_bandit_customer *c, size_t arm, double reward,
			  int responded)
{
	(void)state, (void)c, (void)arm, (void)reward, (void)responded;
}

static const wb_bandit_policy random_policy = {WB_BANDIT_POLICY_ABI, random_init, random_choose,
					       random_update,	     tab_free,	  tab_name};

/* ---- epsilon-greedy ---- */

typedef struct eps_policy {
	tab_policy base;
	double eps, decay;
} eps_policy;

static void *eps_init(const wb_bandit_env *env, const char *params, char *err, size_t errsize)
{
	static const param_spec spec[] = {
	    {"epsilon", "0.1"}, {"decay", "0"}, {"context", "product"}};
	char v[3][64];
	double eps, decay;
	int byp;
	if (parse_params(params, spec, 3, v, err, errsize) ||
	    param_num(v[0], "epsilon", 0, 1, &eps, err, errsize) ||
	    param_num(v[1], "decay", 0, 1e12, &decay, err, errsize) ||
	    param_context(v[2], &byp, err, errsize))
		return NULL;
	eps_policy *p = (eps_policy *)tab_new(env, sizeof *p);
	if (!p)
		return NULL;
	p->eps = eps;
	p->decay = decay;
	p->base.by_product = byp;
	if (decay > 0)
		snprintf(p->base.name, sizeof p->base.name, "epsilon(%g/(1+t/%g))", eps, decay);
	else
		snprintf(p->base.name, sizeof p->base.name, "epsilon(%g)", eps);
	return p;
}

static size_t eps_choose(void *state, const wb_bandit_customer *c)
{
	eps_policy *p = state;
	const wb_bandit_env *env = p->base.env;
	size_t na = env->narms;
	double eps = p->decay > 0 ? p->eps / (1 + p->base.t_all / p->decay) : p->eps;
	p->base.t_all += 1;
	if (env->uniform(env->rng) < eps) {
		size_t a = (size_t)(env->uniform(env->rng) * (double)na);
		return a < na ? a : na - 1;
	}
	cell *row = tab_row(&p->base, c);
	if (!row)
		return 0;
	argmax best = {0, -INFINITY};
	for (size_t a = 0; a < na; a++) {
		double m = row[a].n > 0 ? row[a].sum / row[a].n : 0;
		argmax_offer(&best, a, m);
	}
	return best.arm;
}

static const wb_bandit_policy eps_policy_vt = {WB_BANDIT_POLICY_ABI, eps_init, eps_choose,
					       tab_update,	     tab_free, tab_name};

/* ---- Thompson sampling ---- */

typedef struct ts_policy {
	tab_policy base;
	int gaussian;
} ts_policy;

static void *ts_init(const wb_bandit_env *env, const char *params, char *err, size_t errsize)
{
	static const param_spec spec[] = {{"model", "beta"}, {"context", "product"}};
	char v[2][64];
	int byp;
	if (parse_params(params, spec, 2, v, err, errsize) ||
	    param_context(v[1], &byp, err, errsize))
		return NULL;
	int gaussian;
	if (strcmp(v[0], "beta") == 0)
		gaussian = 0;
	else if (strcmp(v[0], "gaussian") == 0)
		gaussian = 1;
	else {
		snprintf(err, errsize, "model must be beta or gaussian, got '%s'", v[0]);
		return NULL;
	}
	ts_policy *p = (ts_policy *)tab_new(env, sizeof *p);
	if (!p)
		return NULL;
	p->gaussian = gaussian;
	p->base.by_product = byp;
	snprintf(p->base.name, sizeof p->base.name, gaussian ? "thompson(gaussian)" : "thompson");
	return p;
}

/* A Beta(a, b) draw. With a = 1 or b = 1 (no conversion yet, or no failure) by inversion of
 * the closed-form distribution function, 1 − U^(1/b) or U^(1/a); past 60 pseudo-observations
 * the Normal with the same mean and variance (the Beta is then close to Normal, and the draw
 * ten times cheaper); otherwise GSL's gamma-ratio sampler. */
static double beta_draw(const wb_bandit_env *env, double a, double b)
{
	if (a == 1)
		return 1 - pow(1 - env->uniform(env->rng), 1 / b);
	if (b == 1)
		return pow(1 - env->uniform(env->rng), 1 / a);
	double s = a + b;
	if (s < 60)
		return env->beta(env->rng, a, b);
	double m = a / s, sd = sqrt(a * b / (s * s * (s + 1)));
	double x = m + sd * env->normal(env->rng);
	return x < 0 ? 0 : x > 1 ? 1 : x;
}

static size_t ts_choose(void *state, const wb_bandit_customer *c)
{
	ts_policy *p = state;
	const wb_bandit_env *env = p->base.env;
	size_t na = env->narms;
	cell *row = tab_row(&p->base, c);
	if (!row)
		return 0;
	argmax best = {0, -INFINITY};
	if (!p->gaussian) {
		/* An arm with no conversion yet borrows the mean value of all conversions. */
		double prior_v =
		    p->base.all_conv > 0 ? p->base.all_conv_value / p->base.all_conv : 1;
		for (size_t a = 0; a < na; a++) {
			double s = row[a].conv, f = row[a].n - s;
			double v = s > 0 ? row[a].conv_value / s : prior_v;
			double sc = beta_draw(env, 1 + s, 1 + f) * v - env->arms[a].cost;
			argmax_offer(&best, a, sc);
		}
		return best.arm;
	}
	/* Normal–Normal: prior mean 0 with the weight of one observation, noise SD pooled. */
	double n = p->base.all_n;
	double var =
	    n >= 2 ? (p->base.all_sumsq - p->base.all_sum * p->base.all_sum / n) / (n - 1) : 100;
	double sd = sqrt(var > 1e-12 ? var : 1e-12);
	for (size_t a = 0; a < na; a++) {
		double m = row[a].sum / (row[a].n + 1);
		double sc = m + sd / sqrt(row[a].n + 1) * env->normal(env->rng);
		argmax_offer(&best, a, sc);
	}
	return best.arm;
}

static const wb_bandit_policy ts_policy_vt = {WB_BANDIT_POLICY_ABI, ts_init,  ts_choose,
					      tab_update,	    tab_free, tab_name};

/* ---- UCB1 ---- */

typedef struct ucb_policy {
	tab_policy base;
	double scale; /* 0: the observed reward range */
} ucb_policy;

static void *ucb_init(const wb_bandit_env *env, const char *params, char *err, size_t errsize)
{
	static const param_spec spec[] = {{"scale", "0"}, {"context", "product"}};
	char v[2][64];
	double scale;
	int byp;
	if (parse_params(params, spec, 2, v, err, errsize) ||
	    param_num(v[0], "scale", 0, 1e12, &scale, err, errsize) ||
	    param_context(v[1], &byp, err, errsize))
		return NULL;
	ucb_policy *p = (ucb_policy *)tab_new(env, sizeof *p);
	if (!p)
		return NULL;
	p->scale = scale;
	p->base.by_product = byp;
	if (scale > 0)
		snprintf(p->base.name, sizeof p->base.name, "ucb1(scale=%g)", scale);
	else
		snprintf(p->base.name, sizeof p->base.name, "ucb1");
	return p;
}

static size_t ucb_choose(void *state, const wb_bandit_customer *c)
{
	ucb_policy *p = state;
	size_t na = p->base.env->narms;
	cell *row = tab_row(&p->base, c);
	if (!row)
		return 0;
	/* Each arm once first (Auer et al. 2002: "play each machine once"). */
	for (size_t a = 0; a < na; a++)
		if (row[a].n == 0)
			return a;
	double range = p->base.rmax - p->base.rmin;
	double cst = p->scale > 0 ? p->scale : range > 1e-9 ? range : 1;
	double lt = 2 * log(p->base.t.ctx_n[ctx_of(&p->base, c)]);
	argmax best = {0, -INFINITY};
	for (size_t a = 0; a < na; a++) {
		double sc = row[a].sum / row[a].n + cst * sqrt(lt / row[a].n);
		argmax_offer(&best, a, sc);
	}
	return best.arm;
}

static const wb_bandit_policy ucb_policy_vt = {WB_BANDIT_POLICY_ABI, ucb_init, ucb_choose,
					       tab_update,	     tab_free, tab_name};

/* ---- segment rules ---- */

enum { RULE_NEXT, RULE_SECOND, RULE_TOP };

typedef struct seg_rule {
	char channel[32];
	int rule;
} seg_rule;

typedef struct seg_policy {
	tab_policy base;
	seg_rule tier[WB_NSEG];
} seg_policy;

static int parse_rule(const wb_bandit_env *env, const char *key, const char *text, seg_rule *r,
		      char *err, size_t errsize)
{
	const char *colon = strchr(text, ':');
	const char *rule = colon ? colon + 1 : "next";
	size_t clen = colon ? (size_t)(colon - text) : strlen(text);
	snprintf(r->channel, sizeof r->channel, "%.*s", (int)clen, text);
	size_t ch = 0;
	while (ch < env->nchannels && strcmp(env->channels[ch].name, r->channel) != 0)
		ch++;
	if (ch == env->nchannels) {
		snprintf(err, errsize, "%s: unknown channel '%s' (write CHANNEL:next|second|top)",
			 key, r->channel);
		return -1;
	}
	if (strcmp(rule, "next") == 0)
		r->rule = RULE_NEXT;
	else if (strcmp(rule, "second") == 0)
		r->rule = RULE_SECOND;
	else if (strcmp(rule, "top") == 0)
		r->rule = RULE_TOP;
	else {
		snprintf(err, errsize, "%s: offer rule must be next, second or top, got '%s'", key,
			 rule);
		return -1;
	}
	return 0;
}

static void *seg_init(const wb_bandit_env *env, const char *params, char *err, size_t errsize)
{
	/* Defaults: call the valuable customers, e-mail the rest, always the next speed up. */
	const char *call = env->nchannels > 0 ? env->channels[0].name : "call";
	const char *mail = env->nchannels > 1 ? env->channels[1].name : call;
	char d[4][64];
	snprintf(d[0], 64, "%s:top", call);
	snprintf(d[1], 64, "%s:next", call);
	snprintf(d[2], 64, "%s:next", mail);
	snprintf(d[3], 64, "%s:next", mail);
	const param_spec spec[] = {
	    {"vip", d[0]}, {"gold", d[1]}, {"silver", d[2]}, {"bronze", d[3]}};
	char v[4][64];
	if (parse_params(params, spec, 4, v, err, errsize))
		return NULL;
	seg_policy *p = (seg_policy *)tab_new(env, sizeof *p);
	if (!p)
		return NULL;
	for (int k = 0; k < WB_NSEG; k++)
		if (parse_rule(env, spec[k].key, v[k], &p->tier[k], err, errsize)) {
			tab_free(p);
			return NULL;
		}
	snprintf(p->base.name, sizeof p->base.name, "segment");
	return p;
}

/* The offered product the rule picks for someone holding product `held`, or -1. */
static long rule_offer(const wb_bandit_env *env, size_t held, int rule)
{
	/* offered products faster than held, by speed */
	long first = -1, second = -1, top = -1;
	double s0 = env->products[held].speed;
	for (size_t a = 0; a < env->narms; a++) {
		size_t o = env->arms[a].offer;
		double s = env->products[o].speed;
		if (s <= s0)
			continue;
		if (top < 0 || s > env->products[top].speed)
			top = (long)o;
		if (first < 0 || s < env->products[first].speed) {
			if (first >= 0 && (long)o != first)
				second = first;
			first = (long)o;
		} else if ((long)o != first && (second < 0 || s < env->products[second].speed)) {
			second = (long)o;
		}
	}
	return rule == RULE_TOP	     ? top
	       : rule == RULE_SECOND ? (second >= 0 ? second : first)
				     : first;
}

static size_t seg_choose(void *state, const wb_bandit_customer *c)
{
	seg_policy *p = state;
	const wb_bandit_env *env = p->base.env;
	const seg_rule *r = &p->tier[c->segment >= 0 && c->segment < WB_NSEG ? c->segment : 3];
	long offer = rule_offer(env, c->product, r->rule);
	size_t any_offer = env->narms, cheapest = 0;
	for (size_t a = 0; a < env->narms; a++) {
		const wb_bandit_arm *arm = &env->arms[a];
		if (arm->cost < env->arms[cheapest].cost)
			cheapest = a;
		if ((long)arm->offer != offer)
			continue;
		if (strcmp(env->channels[arm->channel].name, r->channel) == 0)
			return a;
		if (any_offer == env->narms)
			any_offer = a;
	}
	/* No such action: the offer by another channel, else the cheapest action. */
	return any_offer < env->narms ? any_offer : cheapest;
}

static const wb_bandit_policy seg_policy_vt = {WB_BANDIT_POLICY_ABI, seg_init, seg_choose,
					       random_update,	     tab_free, tab_name};

/* ---- LinUCB (disjoint) ---- */

typedef struct lin_arm {
	double *ainv;  /* d × d, the inverse of A = I + Σ x xᵀ */
	double *b;     /* d */
	double *theta; /* A⁻¹ b */
} lin_arm;

typedef struct lin_policy {
	const wb_bandit_env *env;
	double alpha;
	size_t d, nslots; /* features: bias, one-hot product (nslots), customer features */
	lin_arm *arm;
	size_t narm;
	double *x, *tmp;
	size_t *nz, nnz; /* indices of the non-zero features of x */
	char name[64];
} lin_policy;

static void lin_free(void *state)
{
	lin_policy *p = state;
	if (!p)
		return;
	for (size_t a = 0; a < p->narm; a++) {
		free(p->arm[a].ainv);
		free(p->arm[a].b);
		free(p->arm[a].theta);
	}
	free(p->arm);
	free(p->x);
	free(p->tmp);
	free(p->nz);
	free(p);
}

static int lin_fit(lin_policy *p, size_t narms)
{
	if (narms <= p->narm)
		return 0;
	lin_arm *arm = realloc(p->arm, narms * sizeof *arm);
	if (!arm)
		return -1;
	p->arm = arm;
	size_t d = p->d;
	while (p->narm < narms) {
		lin_arm *l = &arm[p->narm];
		l->ainv = calloc(d * d, sizeof *l->ainv);
		l->b = calloc(d, sizeof *l->b);
		l->theta = calloc(d, sizeof *l->theta);
		if (!l->ainv || !l->b || !l->theta) {
			free(l->ainv);
			free(l->b);
			free(l->theta);
			return -1;
		}
		for (size_t i = 0; i < d; i++)
			l->ainv[i * d + i] = 1;
		p->narm++;
	}
	return 0;
}

static void *lin_init(const wb_bandit_env *env, const char *params, char *err, size_t errsize)
{
	static const param_spec spec[] = {{"alpha", "1"}};
	char v[1][64];
	double alpha;
	if (parse_params(params, spec, 1, v, err, errsize) ||
	    param_num(v[0], "alpha", 0, 1e6, &alpha, err, errsize))
		return NULL;
	lin_policy *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->env = env;
	p->alpha = alpha;
	p->nslots = env->nproducts;
	p->d = 1 + p->nslots + env->nfeatures;
	p->x = calloc(p->d, sizeof *p->x);
	p->tmp = calloc(p->d, sizeof *p->tmp);
	p->nz = calloc(p->d, sizeof *p->nz);
	if (!p->x || !p->tmp || !p->nz || lin_fit(p, env->narms)) {
		lin_free(p);
		snprintf(err, errsize, "out of memory");
		return NULL;
	}
	snprintf(p->name, sizeof p->name, "linucb(alpha=%g)", alpha);
	return p;
}

static void lin_features(lin_policy *p, const wb_bandit_customer *c)
{
	double *x = p->x;
	memset(x, 0, p->d * sizeof *x);
	x[0] = 1;
	/* a product added after the start has no slot: bias and features only */
	if (c->product < p->nslots)
		x[1 + c->product] = 1;
	for (size_t j = 0; j < p->env->nfeatures; j++)
		x[1 + p->nslots + j] = c->x[j];
	p->nnz = 0;
	for (size_t i = 0; i < p->d; i++)
		if (x[i] != 0)
			p->nz[p->nnz++] = i;
}

static size_t lin_choose(void *state, const wb_bandit_customer *c)
{
	lin_policy *p = state;
	size_t na = p->env->narms, d = p->d;
	if (lin_fit(p, na))
		return 0;
	lin_features(p, c);
	const double *x = p->x;
	argmax best = {0, -INFINITY};
	/* x is sparse (bias, one product, a few features): sums over its non-zeros only */
	const size_t *nz = p->nz, nnz = p->nnz;
	for (size_t a = 0; a < na; a++) {
		const lin_arm *l = &p->arm[a];
		double mean = 0, q = 0;
		for (size_t u = 0; u < nnz; u++) {
			size_t i = nz[u];
			mean += l->theta[i] * x[i];
			const double *row = l->ainv + i * d;
			double s = 0;
			for (size_t v = 0; v < nnz; v++)
				s += row[nz[v]] * x[nz[v]];
			q += x[i] * s;
		}
		double sc = mean + p->alpha * sqrt(q > 0 ? q : 0);
		argmax_offer(&best, a, sc);
	}
	return best.arm;
}

static void lin_update(void *state, const wb_bandit_customer *c, size_t arm, double reward,
		       int responded)
{
	(void)responded;
	lin_policy *p = state;
	if (lin_fit(p, arm + 1))
		return;
	lin_features(p, c);
	size_t d = p->d;
	lin_arm *l = &p->arm[arm];
	double *u = p->tmp, *x = p->x;
	/* Sherman–Morrison: A⁻¹ ← A⁻¹ − (A⁻¹x)(A⁻¹x)ᵀ / (1 + xᵀA⁻¹x) (A⁻¹ is symmetric). */
	double q = 0;
	for (size_t i = 0; i < d; i++) {
		double s = 0;
		for (size_t j = 0; j < d; j++)
			s += l->ainv[i * d + j] * x[j];
		u[i] = s;
		q += x[i] * s;
	}
	double k = 1 / (1 + q);
	for (size_t i = 0; i < d; i++)
		for (size_t j = 0; j < d; j++)
			l->ainv[i * d + j] -= k * u[i] * u[j];
	for (size_t i = 0; i < d; i++)
		l->b[i] += reward * x[i];
	for (size_t i = 0; i < d; i++) {
		double s = 0;
		for (size_t j = 0; j < d; j++)
			s += l->ainv[i * d + j] * l->b[j];
		l->theta[i] = s;
	}
}

static const char *lin_name(void *state)
{
	return ((lin_policy *)state)->name;
}

static const wb_bandit_policy lin_policy_vt = {WB_BANDIT_POLICY_ABI, lin_init, lin_choose,
					       lin_update,	     lin_free, lin_name};

/* ---- the table of kinds ---- */

static const char *const kinds[] = {"segment", "epsilon", "thompson", "ucb1",
				    "linucb",  "random",  NULL};
static const wb_bandit_policy *const tables[] = {&seg_policy_vt, &eps_policy_vt, &ts_policy_vt,
						 &ucb_policy_vt, &lin_policy_vt, &random_policy};

const char *const *wb_bandit_builtin_kinds(void)
{
	return kinds;
}

const wb_bandit_policy *wb_bandit_builtin(const char *kind)
{
	for (size_t i = 0; kinds[i]; i++)
		if (strcmp(kinds[i], kind) == 0)
			return tables[i];
	return NULL;
}
