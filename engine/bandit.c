/* bandit.c — the campaign simulator's day loop, catalogue and results. See bandit.h. */
#include "bandit_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Grows *v (of *cap elements of size sz) to hold need elements; 0 or -1. */
static int grow(void *v, size_t *cap, size_t need, size_t sz)
{
	if (need <= *cap)
		return 0;
	size_t c = *cap ? *cap : 8;
	while (c < need)
		c *= 2;
	void *p = realloc(*(void **)v, c * sz);
	if (!p)
		return -1;
	*(void **)v = p;
	*cap = c;
	return 0;
}

/* ---- the random streams handed to policies ---- */

static double env_uniform(void *rng)
{
	return wb_rng_uniform(rng);
}

static double env_normal(void *rng)
{
	return wb_rng_normal(rng, 0, 1);
}

static double env_beta(void *rng, double a, double b)
{
	return wb_rng_beta(rng, a, b);
}

/* Counter-based uniform for customer i on day t (Salmon, Moraes, Dror & Shaw 2011, "Parallel
 * random numbers: as easy as 1, 2, 3"): a keyed SplitMix64 finaliser of the counter (i, t),
 * so every policy that has customer i waiting on day t sees the same draw. */
static double response_draw(uint64_t key, uint32_t i, long t)
{
	uint64_t z =
	    key ^ ((uint64_t)i * 0x9e3779b97f4a7c15ULL) ^ ((uint64_t)t * 0xd1b54a32d192ed03ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (double)(z >> 11) * 0x1.0p-53;
}

/* ---- lifecycle ---- */

static void pol_free(wb_bpol *p, size_t nchan)
{
	if (!p)
		return;
	if (p->vt && p->vt->free)
		p->vt->free(p->state);
	free(p->label);
	wb_rng_free(p->rng);
	free(p->prod);
	free(p->busy);
	for (size_t c = 0; p->q && c < nchan; c++)
		free(p->q[c].v);
	free(p->q);
	for (size_t k = 0; k < WB_BANDIT_MAX_COOLOFF; k++)
		free(p->cal[k].v);
	free(p->pend);
	free(p->mix);
	free(p->tl);
	free(p);
}

void wb_bandit_free(wb_bandit *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->npol; i++) {
		void *h = b->pol[i]->handle;
		pol_free(b->pol[i], b->nchan);
		wb_bandit_plugin_close(h);
	}
	free(b->pol);
	for (size_t k = 0; k < b->nprod; k++)
		free((char *)b->products[k].name);
	free(b->products);
	for (size_t c = 0; c < b->nchan; c++)
		free((char *)b->channels[c].name);
	free(b->channels);
	free(b->resp);
	for (size_t a = 0; a < b->narms; a++)
		free((char *)b->arms[a].name);
	free(b->arms);
	for (size_t j = 0; j < b->nfeat; j++)
		free(b->featname[j]);
	free(b->featname);
	free(b->x);
	free(b->xraw);
	free(b->prod0);
	free(b->ev);
	wb_rng_free(b->world);
	free(b->scenario);
	free(b);
}

static void refresh_envs(wb_bandit *b)
{
	for (size_t i = 0; i < b->npol; i++) {
		wb_bandit_env *e = &b->pol[i]->env;
		e->nproducts = b->nprod;
		e->products = b->products;
		e->nchannels = b->nchan;
		e->channels = b->channels;
		e->narms = b->narms;
		e->arms = b->arms;
	}
}

int wb_bandit_new(const char *scenario, const wb_bandit_config *cfg, const wb_frame *base,
		  wb_rng *rng, wb_bandit **out, wb_err *err)
{
	*out = NULL;
	if (cfg->days < 1 || cfg->event_rate <= 0 || cfg->event_rate > 1 || cfg->ltv_months <= 0 ||
	    cfg->max_increase < 0)
		return wb_err_set(err, WB_EINVAL,
				  "bandit: days must be >= 1, the event rate in (0, 1], lifetime "
				  "months > 0 and the price tolerance >= 0");
	wb_bandit *b = calloc(1, sizeof *b);
	if (!b || !(b->scenario = strdup(scenario))) {
		free(b);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	b->cfg = *cfg;
	b->world = wb_rng_split(rng, 1);
	wb_rng *keyr = wb_rng_split(rng, 2);
	wb_rng *gen = wb_rng_split(rng, 3);
	if (!b->world || !keyr || !gen) {
		wb_rng_free(keyr);
		wb_rng_free(gen);
		wb_bandit_free(b);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	b->key =
	    ((uint64_t)wb_rng_int(keyr, 1UL << 31) << 32) ^ (uint64_t)wb_rng_int(keyr, 1UL << 31);
	b->key = b->key * 0x9e3779b97f4a7c15ULL + wb_rng_seed(rng);
	wb_rng_free(keyr);
	int rc = wb_bandit_scenario_build(b, scenario, base, gen, err);
	wb_rng_free(gen);
	if (rc) {
		wb_bandit_free(b);
		return rc;
	}
	*out = b;
	return 0;
}

/* ---- catalogue ---- */

int wb_bandit_add_channel(wb_bandit *b, const wb_bandit_channel *c, wb_err *err)
{
	wb_bandit_channel *ch = realloc(b->channels, (b->nchan + 1) * sizeof *ch);
	if (ch)
		b->channels = ch;
	double(*resp)[WB_BANDIT_MAX_COOLOFF] = realloc(b->resp, (b->nchan + 1) * sizeof *resp);
	if (resp)
		b->resp = resp;
	char *name = strdup(c->name);
	if (!ch || !resp || !name) {
		free(name);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	ch[b->nchan] = *c;
	ch[b->nchan].name = name;
	double p = c->p0;
	for (int d = 0; d < WB_BANDIT_MAX_COOLOFF; d++, p *= c->decay)
		resp[b->nchan][d] = p;
	b->nchan++;
	refresh_envs(b);
	return 0;
}

static long find_product(const wb_bandit *b, const char *name)
{
	for (size_t k = 0; k < b->nprod; k++)
		if (strcmp(b->products[k].name, name) == 0)
			return (long)k;
	return -1;
}

int wb_bandit_add_product(wb_bandit *b, const char *name, double speed, double price, wb_err *err)
{
	if (!(speed > 0) || !(price > 0) || !isfinite(speed) || !isfinite(price))
		return wb_err_set(err, WB_EINVAL,
				  "bandit: product %s: speed and price must be positive numbers",
				  name);
	if (find_product(b, name) >= 0)
		return wb_err_set(err, WB_EINVAL, "bandit: there is already a product named '%s'",
				  name);
	char *nm = strdup(name);
	if (!nm || grow(&b->products, &b->capprod, b->nprod + 1, sizeof *b->products)) {
		free(nm);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	b->products[b->nprod++] = (wb_bandit_product){nm, speed, price};
	refresh_envs(b);
	return 0;
}

static void list_names(char *buf, size_t size, const char *const *names, size_t n, size_t stride)
{
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && len < size; i++) {
		const char *nm = *(const char *const *)((const char *)names + i * stride);
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "", nm);
	}
}

long wb_bandit_add_action(wb_bandit *b, const char *offer, const char *channel, double cost,
			  long cooloff, wb_err *err)
{
	char list[512];
	long k = find_product(b, offer);
	if (k < 0) {
		list_names(list, sizeof list, &b->products[0].name, b->nprod, sizeof *b->products);
		return wb_err_set(err, WB_ENOTFOUND, "bandit: unknown offer '%s' (products: %s)",
				  offer, list);
	}
	size_t c = 0;
	while (c < b->nchan && strcmp(b->channels[c].name, channel) != 0)
		c++;
	if (c == b->nchan) {
		list_names(list, sizeof list, &b->channels[0].name, b->nchan, sizeof *b->channels);
		return wb_err_set(err, WB_ENOTFOUND, "bandit: unknown channel '%s' (channels: %s)",
				  channel, list);
	}
	if (cooloff >= WB_BANDIT_MAX_COOLOFF)
		return wb_err_set(err, WB_EINVAL, "bandit: cool-off must be below %d days",
				  WB_BANDIT_MAX_COOLOFF);
	char name[160];
	snprintf(name, sizeof name, "%s/%s", offer, channel);
	for (size_t a = 0; a < b->narms; a++)
		if (strcmp(b->arms[a].name, name) == 0)
			return wb_err_set(err, WB_EINVAL, "bandit: action %s exists already", name);
	char *nm = strdup(name);
	if (!nm || grow(&b->arms, &b->caparms, b->narms + 1, sizeof *b->arms)) {
		free(nm);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	b->arms[b->narms] =
	    (wb_bandit_arm){nm, (size_t)k, c, cost >= 0 ? cost : b->channels[c].cost,
			    cooloff >= 1 ? cooloff : b->cooloff};
	b->narms++;
	refresh_envs(b);
	return (long)b->narms - 1;
}

const wb_bandit_env *wb_bandit_env_of(const wb_bandit *b)
{
	return b->npol ? &b->pol[0]->env : NULL;
}

const wb_bandit_arm *wb_bandit_arm_at(const wb_bandit *b, size_t a)
{
	return a < b->narms ? &b->arms[a] : NULL;
}

/* ---- policies ---- */

int wb_bandit_add_policy(wb_bandit *b, const wb_bandit_policy *vt, const char *label,
			 const char *params, wb_recal recal, long recal_n, void *handle,
			 wb_err *err)
{
	if (b->day > 0) {
		wb_bandit_plugin_close(handle);
		return wb_err_set(
		    err, WB_EINVAL,
		    "bandit: policies are added before the first day runs (day %ld now; "
		    "`bandit new` starts over)",
		    b->day);
	}
	wb_bpol *p = calloc(1, sizeof *p);
	wb_bpol **pl = realloc(b->pol, (b->npol + 1) * sizeof *pl);
	if (pl)
		b->pol = pl;
	if (!p || !pl) {
		free(p);
		wb_bandit_plugin_close(handle);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	p->vt = vt;
	p->recal = recal;
	p->recal_n = recal_n > 0 ? recal_n : 1;
	p->rng = wb_rng_split(b->world, 1000 + b->npol);
	p->prod = malloc((b->n ? b->n : 1) * sizeof *p->prod);
	p->busy = calloc(b->n ? b->n : 1, 1);
	p->q = calloc(b->nchan ? b->nchan : 1, sizeof *p->q);
	if (!p->rng || !p->prod || !p->busy || !p->q) {
		pol_free(p, b->nchan);
		wb_bandit_plugin_close(handle);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	memcpy(p->prod, b->prod0, b->n * sizeof *p->prod);
	p->env = (wb_bandit_env){.nfeatures = b->nfeat,
				 .feature_names = (const char *const *)b->featname,
				 .rng = p->rng,
				 .uniform = env_uniform,
				 .normal = env_normal,
				 .beta = env_beta};
	memcpy(p->env.seg_cut, b->seg_cut, sizeof b->seg_cut);
	b->pol[b->npol++] = p; /* owned by b from here on */
	refresh_envs(b);
	char msg[256] = "";
	p->state = vt->init(&p->env, params ? params : "", msg, sizeof msg);
	const char *nm = p->state && vt->name ? vt->name(p->state) : NULL;
	if (!label)
		label = nm ? nm : "plugin";
	for (size_t i = 0; p->state && i + 1 < b->npol; i++)
		if (strcmp(b->pol[i]->label, label) == 0) {
			snprintf(msg, sizeof msg,
				 "there is already a policy labelled '%s' (add `as NAME`)", label);
			vt->free(p->state);
			p->state = NULL;
		}
	if (!p->state || !(p->label = strdup(label))) {
		int code = p->state ? WB_ENOMEM : WB_EINVAL;
		b->npol--;
		pol_free(p, b->nchan);
		wb_bandit_plugin_close(handle);
		return wb_err_set(err, code, "bandit policy: %s", msg[0] ? msg : "out of memory");
	}
	p->handle = handle;
	return 0;
}

size_t wb_bandit_npolicies(const wb_bandit *b)
{
	return b->npol;
}

const char *wb_bandit_policy_label(const wb_bandit *b, size_t i)
{
	return i < b->npol ? b->pol[i]->label : NULL;
}

/* ---- one day ---- */

static wb_bandit_customer customer(const wb_bandit *b, uint32_t i, uint32_t product, long day)
{
	double v = wb_bandit_ltv(b, product);
	return (wb_bandit_customer){
	    i, product, v, wb_bandit_segment(b, v), b->x + (size_t)i * b->nfeat, day};
}

static void flush(wb_bandit *b, wb_bpol *p)
{
	for (size_t k = 0; k < p->npend; k++) {
		const wb_pending *q = &p->pend[k];
		wb_bandit_customer c = customer(b, q->e.cust, q->e.product, q->e.chosen);
		p->vt->update(p->state, &c, q->e.arm, q->reward, q->responded);
	}
	p->npend = 0;
}

static int deliver(wb_bandit *b, wb_bpol *p, const wb_episode *e, double reward, int responded)
{
	if (p->recal == WB_RECAL_EVERY) {
		wb_bandit_customer c = customer(b, e->cust, e->product, e->chosen);
		p->vt->update(p->state, &c, e->arm, reward, responded);
		return 0;
	}
	if (grow(&p->pend, &p->cappend, p->npend + 1, sizeof *p->pend))
		return -1;
	p->pend[p->npend++] = (wb_pending){*e, reward, responded};
	if (p->recal == WB_RECAL_BATCH && (long)p->npend >= p->recal_n)
		flush(b, p);
	return 0;
}

static int acceptable(const wb_bandit *b, size_t held, size_t offer)
{
	const wb_bandit_product *h = &b->products[held], *o = &b->products[offer];
	return o->speed > h->speed &&
	       o->price <= (1 + b->cfg.max_increase) * h->price * (1 + 1e-12);
}

static int pol_day(wb_bandit *b, wb_bpol *p, long d, size_t nev)
{
	size_t na = b->narms, oldcap = p->capmix;
	if (grow(&p->mix, &p->capmix, na, sizeof *p->mix))
		return -1;
	if (p->capmix > oldcap)
		memset(p->mix + oldcap, 0, (p->capmix - oldcap) * sizeof *p->mix);
	/* (1) decisions */
	for (size_t k = 0; k < nev; k++) {
		uint32_t i = b->ev[k];
		if (p->busy[i]) {
			p->st.busy++;
			continue;
		}
		wb_bandit_customer c = customer(b, i, p->prod[i], d);
		size_t a = p->vt->choose(p->state, &c);
		if (a >= na)
			a = na - 1; /* a plugin out of range: the last action */
		p->mix[a]++;
		p->st.decisions++;
		const wb_bandit_arm *arm = &b->arms[a];
		wb_queue *q = &p->q[arm->channel];
		if (q->n == q->cap) { /* grow the ring, unrolling it */
			size_t cap = q->cap ? 2 * q->cap : 256;
			wb_episode *v = malloc(cap * sizeof *v);
			if (!v)
				return -1;
			for (size_t j = 0; j < q->n; j++)
				v[j] = q->v[(q->head + j) % q->cap];
			free(q->v);
			q->v = v;
			q->cap = cap;
			q->head = 0;
		}
		q->v[(q->head + q->n++) % q->cap] =
		    (wb_episode){i,
				 (uint32_t)a,
				 p->prod[i],
				 (int32_t)d,
				 (int32_t)(d + b->channels[arm->channel].delay),
				 0};
		p->busy[i] = 1;
		p->st.queued++;
	}
	/* (2) each channel takes up to its quota, first come first served. The day the action
	 * closes is known now: the response draws are fixed numbers of (customer, day), and the
	 * customer's product cannot change while the action is open. So the action goes straight
	 * into the calendar bucket of its closing day, and (3) only reads today's bucket. */
	for (size_t ch = 0; ch < b->nchan; ch++) {
		wb_queue *q = &p->q[ch];
		long quota = b->channels[ch].quota, taken = 0;
		while (q->n && (quota <= 0 || taken < quota) && q->v[q->head].when <= d) {
			wb_episode e = q->v[q->head];
			const wb_bandit_arm *arm = &b->arms[e.arm];
			long close = d + arm->cooloff - 1;
			e.when = (int32_t)d;
			e.responded = 0;
			if (acceptable(b, e.product, arm->offer))
				for (long t = d; t <= close; t++)
					if (response_draw(b->key, e.cust, t) < b->resp[ch][t - d]) {
						e.responded = 1;
						close = t;
						break;
					}
			wb_bucket *bk = &p->cal[close % WB_BANDIT_MAX_COOLOFF];
			if (grow(&bk->v, &bk->cap, bk->n + 1, sizeof *bk->v))
				return -1;
			bk->v[bk->n++] = e;
			q->head = (q->head + 1) % q->cap;
			q->n--;
			taken++;
			p->st.taken++;
			p->st.queued--;
		}
	}
	/* (3) today's responses, and the NULL actions whose cool-off has passed */
	wb_bucket *today = &p->cal[d % WB_BANDIT_MAX_COOLOFF];
	for (size_t k = 0; k < today->n; k++) {
		wb_episode e = today->v[k];
		const wb_bandit_arm *arm = &b->arms[e.arm];
		double reward = -arm->cost;
		if (e.responded) {
			reward += wb_bandit_ltv(b, arm->offer) - wb_bandit_ltv(b, e.product);
			p->prod[e.cust] = (uint32_t)arm->offer;
			p->st.responses++;
		} else {
			p->st.nulls++;
		}
		p->st.value += reward;
		p->st.cost += arm->cost;
		p->busy[e.cust] = 0;
		if (deliver(b, p, &e, reward, e.responded))
			return -1;
	}
	today->n = 0;
	if (p->recal == WB_RECAL_DAILY)
		flush(b, p);
	if (grow(&p->tl, &p->captl, (size_t)d + 1, sizeof *p->tl))
		return -1;
	p->tl[d] = p->st.value;
	return 0;
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Waits until `until` (monotonic seconds), in short naps so that a pause or a cancel is seen. */
static void pace(double until, wb_bandit_live *live, wb_progress *progress)
{
	for (;;) {
		double left = until - now_seconds();
		if (left <= 0 || wb_progress_cancelled(progress) || wb_bandit_live_pausing(live))
			return;
		if (left > 0.02)
			left = 0.02;
		struct timespec ts = {0, (long)(left * 1e9)};
		nanosleep(&ts, NULL);
	}
}

int wb_bandit_run(wb_bandit *b, long days, wb_bandit_live *live, wb_progress *progress, long *ran,
		  wb_err *err)
{
	if (ran)
		*ran = 0;
	if (days < 1)
		return wb_err_set(err, WB_EINVAL, "bandit run: days must be at least 1");
	if (b->npol == 0)
		return wb_err_set(
		    err, WB_EINVAL,
		    "bandit run: no policy yet: add one with `bandit policy add thompson`");
	if (b->narms == 0)
		return wb_err_set(
		    err, WB_EINVAL,
		    "bandit run: no action yet: add one with `bandit action add OFFER CHANNEL`");
	if (b->day + days > 100000)
		return wb_err_set(err, WB_EINVAL, "bandit run: at most 100000 simulated days");
	wb_bandit_live_begin(live);
	double start = now_seconds();
	int rc = 0;
	long done = 0;
	while (done < days) {
		if (wb_progress_cancelled(progress)) {
			rc =
			    wb_err_set(err, WB_ECANCEL, "bandit run: cancelled at day %ld", b->day);
			break;
		}
		if (wb_bandit_live_pausing(live))
			break;
		long d = b->day;
		double mean = (double)b->n * b->cfg.event_rate;
		size_t nev = b->n ? wb_rng_poisson(b->world, mean) : 0;
		if (grow(&b->ev, &b->capev, nev + 1, sizeof *b->ev)) {
			rc = wb_err_set(err, WB_ENOMEM, "out of memory");
			break;
		}
		for (size_t k = 0; k < nev; k++)
			b->ev[k] = (uint32_t)wb_rng_int(b->world, b->n);
		for (size_t i = 0; i < b->npol && rc == 0; i++)
			if (pol_day(b, b->pol[i], d, nev))
				rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		if (rc)
			break;
		b->day++;
		done++;
		if (ran)
			*ran = done;
		wb_progress_set(progress, (double)done / (double)days);
		if (live) {
			wb_bandit_live_publish(live, b, 1);
			double speed = wb_bandit_live_speed(live);
			if (speed > 0 && done < days)
				pace(start + (double)done / speed, live, progress);
		}
	}
	if (live)
		wb_bandit_live_publish(live, b, 0);
	return rc;
}

long wb_bandit_day(const wb_bandit *b)
{
	return b->day;
}

long wb_bandit_horizon(const wb_bandit *b)
{
	return b->cfg.days;
}

const wb_bandit_config *wb_bandit_config_of(const wb_bandit *b)
{
	return &b->cfg;
}

const char *wb_bandit_scenario(const wb_bandit *b)
{
	return b->scenario;
}

void wb_bandit_stats_of(const wb_bandit *b, size_t i, wb_bandit_stats *out)
{
	*out = i < b->npol ? b->pol[i]->st : (wb_bandit_stats){0};
}

double wb_bandit_value_at(const wb_bandit *b, size_t i, long d)
{
	if (i >= b->npol || d < 0 || d >= b->day)
		return NAN;
	return b->pol[i]->tl[d];
}

size_t wb_bandit_mix_count(const wb_bandit *b, size_t i, size_t a)
{
	if (i >= b->npol || a >= b->pol[i]->capmix || a >= b->narms)
		return 0;
	return b->pol[i]->mix[a];
}

/* ---- results ---- */

static int new_table(wb_result **out, const char *title, const char *const *cols, size_t n,
		     wb_err *err)
{
	*out = wb_result_new(title);
	if (!*out)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	for (size_t j = 0; j < n; j++)
		if (wb_result_add_column(*out, cols[j]) < 0) {
			wb_result_free(*out);
			*out = NULL;
			return wb_err_set(err, WB_ENOMEM, "out of memory");
		}
	return 0;
}

static int nomem(wb_result **out, wb_err *err)
{
	wb_result_free(*out);
	*out = NULL;
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

int wb_bandit_summary(const wb_bandit *b, wb_result **out, wb_err *err)
{
	static const char *const cols[] = {"policy", "value",	   "regret",	    "decisions",
					   "taken",  "responses",  "response rate", "NULL actions",
					   "cost",   "top action", "top share"};
	char title[200];
	snprintf(title, sizeof title, "bandit %s: day %ld of %ld, %zu customers", b->scenario,
		 b->day, b->cfg.days, b->n);
	int rc = new_table(out, title, cols, 11, err);
	if (rc)
		return rc;
	double best = -INFINITY;
	size_t besti = 0;
	for (size_t i = 0; i < b->npol; i++)
		if (b->pol[i]->st.value > best) {
			best = b->pol[i]->st.value;
			besti = i;
		}
	wb_result_set_digits(*out, 1, 10);
	wb_result_set_digits(*out, 2, 10);
	wb_result_set_digits(*out, 8, 10);
	wb_result_set_digits(*out, 6, 4);
	wb_result_set_digits(*out, 10, 3);
	for (size_t i = 0; i < b->npol; i++) {
		const wb_bpol *p = b->pol[i];
		long r = wb_result_add_row(*out);
		if (r < 0)
			return nomem(out, err);
		size_t row = (size_t)r, top = 0;
		for (size_t a = 0; a < b->narms && a < p->capmix; a++)
			if (p->mix[a] > p->mix[top])
				top = a;
		double closed = (double)(p->st.responses + p->st.nulls);
		/* rounded to cents so that the table does not show float noise */
		wb_result_set_str(*out, row, 0, p->label);
		wb_result_set_num(*out, row, 1, round(p->st.value * 100) / 100);
		wb_result_set_num(*out, row, 2, round((best - p->st.value) * 100) / 100);
		wb_result_set_num(*out, row, 3, (double)p->st.decisions);
		wb_result_set_num(*out, row, 4, (double)p->st.taken);
		wb_result_set_num(*out, row, 5, (double)p->st.responses);
		if (closed > 0)
			wb_result_set_num(*out, row, 6, (double)p->st.responses / closed);
		wb_result_set_num(*out, row, 7, (double)p->st.nulls);
		wb_result_set_num(*out, row, 8, round(p->st.cost * 100) / 100);
		if (p->st.decisions && p->capmix) {
			wb_result_set_str(*out, row, 9, b->arms[top].name);
			wb_result_set_num(*out, row, 10,
					  (double)p->mix[top] / (double)p->st.decisions);
		}
	}
	if (b->npol && b->day > 0)
		wb_result_add_note(*out,
				   "best in hindsight: %s; value = change in lifetime value minus "
				   "channel cost of the actions closed so far",
				   b->pol[besti]->label);
	wb_result_add_note(
	    *out,
	    "common random numbers: every policy saw the same customer events and response draws");
	return 0;
}

int wb_bandit_mix(const wb_bandit *b, wb_result **out, wb_err *err)
{
	char title[160];
	snprintf(title, sizeof title, "bandit action mix (%% of decisions), day %ld", b->day);
	const char *first = "action";
	int rc = new_table(out, title, &first, 1, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < b->npol; i++)
		if (wb_result_add_column(*out, b->pol[i]->label) < 0)
			return nomem(out, err);
	for (size_t a = 0; a < b->narms; a++) {
		long r = wb_result_add_row(*out);
		if (r < 0)
			return nomem(out, err);
		wb_result_set_str(*out, (size_t)r, 0, b->arms[a].name);
		for (size_t i = 0; i < b->npol; i++) {
			const wb_bpol *p = b->pol[i];
			double c = a < p->capmix ? (double)p->mix[a] : 0;
			wb_result_set_num(
			    *out, (size_t)r, i + 1,
			    p->st.decisions ? round(1000 * c / (double)p->st.decisions) / 10 : 0);
		}
	}
	return 0;
}

int wb_bandit_timeline(const wb_bandit *b, wb_result **out, wb_err *err)
{
	char title[160];
	snprintf(title, sizeof title, "bandit timeline: cumulative delta value by day (%ld days)",
		 b->day);
	const char *first = "day";
	int rc = new_table(out, title, &first, 1, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < b->npol; i++) {
		if (wb_result_add_column(*out, b->pol[i]->label) < 0)
			return nomem(out, err);
		wb_result_set_digits(*out, i + 1, 10);
	}
	for (long d = 0; d < b->day; d++) {
		long r = wb_result_add_row(*out);
		if (r < 0)
			return nomem(out, err);
		wb_result_set_num(*out, (size_t)r, 0, (double)(d + 1));
		for (size_t i = 0; i < b->npol; i++)
			wb_result_set_num(*out, (size_t)r, i + 1,
					  round(b->pol[i]->tl[d] * 100) / 100);
	}
	return 0;
}

int wb_bandit_actions(const wb_bandit *b, wb_result **out, wb_err *err)
{
	static const char *const cols[] = {"action", "offer",	 "speed", "price", "channel",
					   "cost",   "cool-off", "quota", "delay", "p0"};
	int rc = new_table(out, "bandit actions", cols, 10, err);
	if (rc)
		return rc;
	for (size_t a = 0; a < b->narms; a++) {
		const wb_bandit_arm *arm = &b->arms[a];
		const wb_bandit_channel *ch = &b->channels[arm->channel];
		long r = wb_result_add_row(*out);
		if (r < 0)
			return nomem(out, err);
		size_t row = (size_t)r;
		wb_result_set_str(*out, row, 0, arm->name);
		wb_result_set_str(*out, row, 1, b->products[arm->offer].name);
		wb_result_set_num(*out, row, 2, b->products[arm->offer].speed);
		wb_result_set_num(*out, row, 3, b->products[arm->offer].price);
		wb_result_set_str(*out, row, 4, ch->name);
		wb_result_set_num(*out, row, 5, arm->cost);
		wb_result_set_num(*out, row, 6, (double)arm->cooloff);
		if (ch->quota > 0)
			wb_result_set_num(*out, row, 7, (double)ch->quota);
		wb_result_set_num(*out, row, 8, (double)ch->delay);
		wb_result_set_num(*out, row, 9, ch->p0);
	}
	wb_result_add_note(*out,
			   "an offer is taken only if faster than the product held and at most "
			   "%g%% dearer; quota empty = unlimited",
			   b->cfg.max_increase * 100);
	return 0;
}

int wb_bandit_customers(const wb_bandit *b, wb_frame **out, wb_err *err)
{
	*out = NULL;
	size_t n = b->n;
	wb_frame *f = wb_frame_new(n);
	double *v = malloc((n ? n : 1) * sizeof *v);
	const char **levels = malloc((b->nprod ? b->nprod : 1) * sizeof *levels);
	int rc = 0;
	if (!f || !v || !levels) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = (double)(i + 1);
	if ((rc = wb_frame_set_column(f, "id", WB_COL_NUMERIC, v, err)))
		goto out;
	for (size_t k = 0; k < b->nprod; k++)
		levels[k] = b->products[k].name;
	for (size_t i = 0; i < n; i++)
		v[i] = b->prod0[i];
	if ((rc = wb_frame_set_categorical(f, "product", v, levels, b->nprod, err)))
		goto out;
	for (size_t i = 0; i < n; i++)
		v[i] = wb_bandit_ltv(b, b->prod0[i]);
	if ((rc = wb_frame_set_column(f, "value", WB_COL_NUMERIC, v, err)))
		goto out;
	static const char *const segs[] = {"VIP", "Gold", "Silver", "Bronze"};
	for (size_t i = 0; i < n; i++)
		v[i] = wb_bandit_segment(b, wb_bandit_ltv(b, b->prod0[i]));
	if ((rc = wb_frame_set_categorical(f, "segment", v, segs, 4, err)))
		goto out;
	for (size_t j = 0; j < b->nfeat; j++) {
		for (size_t i = 0; i < n; i++)
			v[i] = b->xraw[i * b->nfeat + j];
		if ((rc = wb_frame_set_column(f, b->featname[j], WB_COL_NUMERIC, v, err)))
			goto out;
	}
	wb_frame_set_attr(f, "scenario", b->scenario);
	*out = f;
	f = NULL;
out:
	wb_frame_free(f);
	free(v);
	free(levels);
	return rc;
}
