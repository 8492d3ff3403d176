/* cmd_bandit.c — the campaign simulator commands: bandit new, policy, plugin, offer, action,
 * run, step, speed, show, export, customers. See engine/bandit.h. */
#include "cmd.h"
#include "render.h"
#include "session.h"

#include "../engine/atomicio.h"
#include "../engine/bandit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The preamble of every command on the simulation: checks that a has lo to hi positional
 * arguments and, when add_usage is not NULL (a `bandit NOUN add ...` command), that the first
 * is `add`, its usage then being add_usage. Returns the simulation, or NULL with err set (to a
 * count, `add` or no-simulation error, in that order). */
static wb_bandit *need_args(wb_session *s, const wb_args *a, size_t lo, size_t hi,
			    const char *add_usage, wb_err *err)
{
	if (wb_arg_count(a, lo, hi, err))
		return NULL;
	if (add_usage && strcmp(wb_arg_word(a, 0), "add") != 0) {
		wb_err_set(err, WB_EINVAL, "%s: expected `add`, got '%s' (usage: %s)", a->name,
			   wb_arg_word(a, 0), add_usage);
		return NULL;
	}
	wb_bandit *b = wb_session_bandit(s);
	if (!b)
		wb_err_set(err, WB_EINVAL, "%s: no simulation: start one with `bandit new`",
			   a->name);
	return b;
}

static int exec_new(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 0, 0, err);
	if (rc)
		return rc;
	const char *scenario = wb_arg_opt(a, "scenario", "campaign");
	wb_bandit_config cfg;
	if ((rc = wb_bandit_scenario_config(scenario, &cfg, err)))
		return rc;
	long customers, days, seed;
	double events, ltv, tol;
	if ((rc = wb_arg_long(a, "customers", (long)cfg.customers, 1, 50000000, &customers, err)) ||
	    (rc = wb_arg_long(a, "days", cfg.days, 1, 100000, &days, err)) ||
	    (rc = wb_arg_double(a, "events", cfg.event_rate, &events, err)) ||
	    (rc = wb_arg_double(a, "ltv", cfg.ltv_months, &ltv, err)) ||
	    (rc = wb_arg_double(a, "tolerance", cfg.max_increase, &tol, err)) ||
	    (rc = wb_arg_long(a, "seed", (long)wb_session_seed(s), 0, 0x7fffffffffffffffL, &seed,
			      err)))
		return rc;
	cfg.customers = (size_t)customers;
	cfg.days = days;
	cfg.event_rate = events;
	cfg.ltv_months = ltv;
	cfg.max_increase = tol;
	const wb_frame *base = NULL;
	const char *data = wb_arg_opt(a, "data", NULL);
	if (data) {
		for (size_t i = 0; i < wb_session_ndatasets(s) && !base; i++)
			if (strcmp(wb_session_dataset_name(s, i), data) == 0)
				base = wb_session_dataset(s, i);
		if (!base)
			return wb_err_set(
			    err, WB_ENOTFOUND,
			    "bandit new: no dataset named '%s' (load one with `load PATH as %s`)",
			    data, data);
	}
	wb_rng *rng = wb_rng_new((uint64_t)seed);
	if (!rng)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	wb_bandit *b;
	rc = wb_bandit_new(scenario, &cfg, base, rng, &b, err);
	wb_rng_free(rng);
	if (rc)
		return rc;
	wb_session_set_bandit(s, b);
	const wb_bandit_config *c = wb_bandit_config_of(b);
	wb_result *r = NULL;
	if ((rc = wb_bandit_actions(b, &r, err)))
		return rc;
	char title[256];
	snprintf(title, sizeof title, "bandit new %s: %zu customers%s%s, %ld days, seed %ld",
		 scenario, c->customers, data ? " from " : "", data ? data : "", c->days, seed);
	wb_result_set_title(r, title);
	wb_result_add_note(r, "events %g per customer per day; lifetime value = price × %g months",
			   c->event_rate, c->ltv_months);
	wb_result_add_note(r, "next: `bandit policy add KIND` (%s), then `bandit run`",
			   "segment, epsilon, thompson, ucb1, linucb, random");
	return wb_session_emit(s, r, err);
}

/* recalibrate=every|daily|N */
static int parse_recal(const wb_args *a, wb_recal *recal, long *n, wb_err *err)
{
	const char *v = wb_arg_opt(a, "recalibrate", "every");
	*n = 1;
	if (strcmp(v, "every") == 0) {
		*recal = WB_RECAL_EVERY;
		return 0;
	}
	if (strcmp(v, "daily") == 0) {
		*recal = WB_RECAL_DAILY;
		return 0;
	}
	char *end;
	long k = strtol(v, &end, 10);
	if (*end || end == v || k < 1 || k > 100000000)
		return wb_err_set(
		    err, WB_EINVAL,
		    "%s: recalibrate must be every, daily or a number of rewards N >= 1, got '%s'",
		    a->name, v);
	*recal = k == 1 ? WB_RECAL_EVERY : WB_RECAL_BATCH;
	*n = k;
	return 0;
}

static const char *const policy_params[] = {"epsilon", "decay",	 "model", "context",
					    "scale",   "alpha",	 "vip",	  "gold",
					    "silver",  "bronze", NULL};

static int say_policy(wb_session *s, wb_bandit *b, wb_recal recal, long n, wb_err *err)
{
	size_t i = wb_bandit_npolicies(b) - 1;
	wb_bandit_live_publish(wb_session_bandit_live(s), b, 0);
	char when[64];
	if (recal == WB_RECAL_EVERY)
		snprintf(when, sizeof when, "every reward");
	else if (recal == WB_RECAL_DAILY)
		snprintf(when, sizeof when, "daily");
	else
		snprintf(when, sizeof when, "every %ld rewards", n);
	return wb_session_say(s, err, "policy %zu: %s (recalibrates %s)", i + 1,
			      wb_bandit_policy_label(b, i), when);
}

static int exec_policy(wb_session *s, const wb_args *args, wb_err *err)
{
	wb_args a = *args;
	const char *as;
	wb_bandit *b =
	    wb_arg_as(&a, &as, err)
		? NULL
		: need_args(s, &a, 2, 2, "bandit policy add KIND [as NAME] [PARAM=V...]", err);
	if (!b)
		return err->code;
	int rc;
	const char *kind = wb_arg_word(&a, 1);
	const wb_bandit_policy *vt = wb_bandit_builtin(kind);
	if (!vt) {
		const char *const *k = wb_bandit_builtin_kinds();
		size_t n = 0;
		while (k[n])
			n++;
		const char *best = wb_closest(kind, k, n, 2);
		if (best)
			return wb_err_set(err, WB_ENOTFOUND,
					  "bandit policy: unknown kind '%s' (did you mean '%s'?)",
					  kind, best);
		return wb_err_set(err, WB_ENOTFOUND,
				  "bandit policy: unknown kind '%s' (kinds: segment, epsilon, "
				  "thompson, ucb1, linucb, random; or `bandit plugin PATH.so`)",
				  kind);
	}
	char params[1024] = "";
	size_t len = 0;
	for (size_t i = 0; policy_params[i]; i++) {
		const char *v = wb_arg_opt(&a, policy_params[i], NULL);
		if (v && len < sizeof params)
			len += (size_t)snprintf(params + len, sizeof params - len, "%s%s=%s",
						len ? " " : "", policy_params[i], v);
	}
	wb_recal recal;
	long n;
	if ((rc = parse_recal(&a, &recal, &n, err)) ||
	    (rc = wb_bandit_add_policy(b, vt, as, params, recal, n, NULL, err)))
		return rc;
	return say_policy(s, b, recal, n, err);
}

static int exec_plugin(wb_session *s, const wb_args *args, wb_err *err)
{
	wb_args a = *args;
	const char *as;
	wb_bandit *b = wb_arg_as(&a, &as, err) ? NULL : need_args(s, &a, 1, 1, NULL, err);
	if (!b)
		return err->code;
	int rc;
	wb_recal recal;
	long n;
	if ((rc = parse_recal(&a, &recal, &n, err)))
		return rc;
	const wb_bandit_policy *vt;
	void *handle;
	if ((rc = wb_bandit_load_plugin(wb_arg_word(&a, 0), &vt, &handle, err)))
		return wb_err_prefix(err, "bandit plugin");
	if ((rc = wb_bandit_add_policy(b, vt, as, wb_arg_opt(&a, "params", ""), recal, n, handle,
				       err)))
		return rc;
	return say_policy(s, b, recal, n, err);
}

static int exec_offer(wb_session *s, const wb_args *a, wb_err *err)
{
	wb_bandit *b = need_args(s, a, 2, 2, "bandit offer add NAME speed=S price=P", err);
	if (!b)
		return err->code;
	int rc;
	double speed, price;
	if ((rc = wb_arg_double(a, "speed", 0, &speed, err)) ||
	    (rc = wb_arg_double(a, "price", 0, &price, err)))
		return rc;
	if ((rc = wb_bandit_add_product(b, wb_arg_word(a, 1), speed, price, err)))
		return rc;
	return wb_session_say(s, err,
			      "offer %s: speed %g, price %g a month (add actions with `bandit "
			      "action add %s CHANNEL`)",
			      wb_arg_word(a, 1), speed, price, wb_arg_word(a, 1));
}

static int exec_action(wb_session *s, const wb_args *a, wb_err *err)
{
	wb_bandit *b =
	    need_args(s, a, 3, 3, "bandit action add OFFER CHANNEL [cost=C] [cooloff=D]", err);
	if (!b)
		return err->code;
	int rc;
	double cost;
	long cooloff;
	if ((rc = wb_arg_double(a, "cost", -1, &cost, err)) ||
	    (rc = wb_arg_long(a, "cooloff", 0, 0, 364, &cooloff, err)))
		return rc;
	if (wb_arg_opt(a, "cost", NULL) && cost < 0)
		return wb_err_set(err, WB_EINVAL, "bandit action: cost must be >= 0, got '%s'",
				  wb_arg_opt(a, "cost", ""));
	long arm =
	    wb_bandit_add_action(b, wb_arg_word(a, 1), wb_arg_word(a, 2), cost, cooloff, err);
	if (arm < 0)
		return (int)arm;
	wb_bandit_live_publish(wb_session_bandit_live(s), b, 0);
	const wb_bandit_arm *x = wb_bandit_arm_at(b, (size_t)arm);
	if (!wb_bandit_npolicies(b))
		return wb_session_say(s, err, "action %ld: %s (cost %g, cool-off %ld days)",
				      arm + 1, x->name, x->cost, x->cooloff);
	return wb_session_say(
	    s, err, "action %ld: %s (cost %g, cool-off %ld days), new to the policies from day %ld",
	    arm + 1, x->name, x->cost, x->cooloff, wb_bandit_day(b) + 1);
}

/* Runs days days; live pacing and the pause key only under the screen. */
static int run_days(wb_session *s, wb_bandit *b, long days, long *ran, wb_err *err)
{
	wb_bandit_live *live = wb_session_interactive(s) ? wb_session_bandit_live(s) : NULL;
	int rc = wb_bandit_run(b, days, live, wb_session_progress(s), ran, err);
	if (!live)
		wb_bandit_live_publish(wb_session_bandit_live(s), b, 0);
	return rc;
}

static int exec_run(wb_session *s, const wb_args *a, wb_err *err)
{
	wb_bandit *b = need_args(s, a, 0, 0, NULL, err);
	if (!b)
		return err->code;
	int rc;
	long left = wb_bandit_horizon(b) - wb_bandit_day(b), days;
	if ((rc = wb_arg_long(a, "days", left, 1, 100000, &days, err)))
		return rc;
	if (days < 1)
		return wb_err_set(err, WB_EINVAL,
				  "bandit run: the horizon of %ld days is reached; `bandit run "
				  "days=N` runs further",
				  wb_bandit_horizon(b));
	long ran;
	if ((rc = run_days(s, b, days, &ran, err)))
		return rc;
	wb_result *r;
	if ((rc = wb_bandit_summary(b, &r, err)))
		return rc;
	if (ran < days)
		wb_result_add_note(r,
				   "paused at day %ld (%ld of %ld days run); `bandit run` goes on",
				   wb_bandit_day(b), ran, days);
	return wb_session_emit(s, r, err);
}

static int exec_step(wb_session *s, const wb_args *a, wb_err *err)
{
	wb_bandit *b = need_args(s, a, 0, 0, NULL, err);
	if (!b)
		return err->code;
	int rc;
	long days, ran;
	if ((rc = wb_arg_long(a, "days", 1, 1, 100000, &days, err)) ||
	    (rc = run_days(s, b, days, &ran, err)))
		return rc;
	char line[900];
	size_t len = (size_t)snprintf(line, sizeof line, "day %ld:", wb_bandit_day(b));
	for (size_t i = 0; i < wb_bandit_npolicies(b) && len < sizeof line; i++) {
		wb_bandit_stats st;
		wb_bandit_stats_of(b, i, &st);
		char num[32];
		len += (size_t)snprintf(line + len, sizeof line - len, "%s %s %s", i ? " ·" : "",
					wb_bandit_policy_label(b, i),
					wb_fmt_num(st.value, 10, num, sizeof num));
	}
	return wb_session_say(s, err, "%s", line);
}

static int exec_speed(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 1, 1, err);
	if (rc)
		return rc;
	const char *v = wb_arg_word(a, 0);
	double x = 0;
	if (strcmp(v, "max") != 0) {
		char *end;
		x = strtod(v, &end);
		if (*end || end == v || !(x > 0) || x > 1e6)
			return wb_err_set(
			    err, WB_EINVAL,
			    "bandit speed: give days per second (a number > 0) or max, got '%s'",
			    v);
	}
	wb_bandit_live_set_speed(wb_session_bandit_live(s), x);
	if (x == 0)
		return wb_session_say(s, err, "bandit speed: as fast as possible");
	return wb_session_say(s, err, "bandit speed: %g simulated days a second on the screen", x);
}

typedef int (*table_fn)(const wb_bandit *, wb_result **, wb_err *);

static int pick_table(const char *what, table_fn *fn, const char *cmd, wb_err *err)
{
	if (strcmp(what, "summary") == 0)
		*fn = wb_bandit_summary;
	else if (strcmp(what, "mix") == 0)
		*fn = wb_bandit_mix;
	else if (strcmp(what, "actions") == 0)
		*fn = wb_bandit_actions;
	else if (strcmp(what, "timeline") == 0)
		*fn = wb_bandit_timeline;
	else
		return wb_err_set(err, WB_EINVAL,
				  "%s: expected summary, mix, actions or timeline, got '%s'", cmd,
				  what);
	return 0;
}

static int exec_show(wb_session *s, const wb_args *a, wb_err *err)
{
	wb_bandit *b = need_args(s, a, 0, 1, NULL, err);
	if (!b)
		return err->code;
	int rc;
	table_fn fn;
	wb_result *r;
	if ((rc = pick_table(a->npos ? wb_arg_word(a, 0) : "summary", &fn, a->name, err)) ||
	    (rc = fn(b, &r, err)))
		return rc;
	return wb_session_emit(s, r, err);
}

static int write_csv(FILE *fp, const void *ctx, wb_err *err)
{
	return wb_render_csv(ctx, fp) ? wb_err_set(err, WB_EIO, "write error") : 0;
}

static int exec_export(wb_session *s, const wb_args *a, wb_err *err)
{
	wb_bandit *b = need_args(s, a, 1, 1, NULL, err);
	if (!b)
		return err->code;
	int rc;
	const char *path = wb_arg_word(a, 0);
	size_t n = strlen(path);
	if (n < 4 || strcmp(path + n - 4, ".csv") != 0)
		return wb_err_set(err, WB_EINVAL,
				  "bandit export: %s: the file name must end in .csv", path);
	table_fn fn;
	wb_result *r;
	if ((rc = pick_table(wb_arg_opt(a, "what", "timeline"), &fn, a->name, err)) ||
	    (rc = fn(b, &r, err)))
		return rc;
	rc = wb_write_atomic(path, write_csv, r, err);
	size_t rows = wb_result_nrows(r), cols = wb_result_ncols(r);
	wb_result_free(r);
	if (rc)
		return rc;
	return wb_session_say(s, err, "exported the %s to %s: %zu rows × %zu columns",
			      wb_arg_opt(a, "what", "timeline"), path, rows, cols);
}

static int exec_customers(wb_session *s, const wb_args *args, wb_err *err)
{
	wb_args a = *args;
	const char *as;
	wb_bandit *b = wb_arg_as(&a, &as, err) ? NULL : need_args(s, &a, 0, 0, NULL, err);
	if (!b)
		return err->code;
	int rc;
	wb_frame *f;
	if ((rc = wb_bandit_customers(b, &f, err)))
		return rc;
	const char *name = as ? as : "customers";
	size_t nr = wb_frame_nrows(f), nc = wb_frame_ncols(f);
	if ((rc = wb_session_put_frame(s, name, f, err)))
		return rc;
	return wb_session_say(s, err, "the customer base at day 0 as %s: %zu rows × %zu columns",
			      name, nr, nc);
}

static const wb_option new_opts[] = {
    {"scenario", "NAME", "campaign (default: the seed's telecom world) or tiny"},
    {"customers", "N", "households to generate (campaign 100000, tiny 200)"},
    {"days", "D", "horizon of `bandit run` (campaign 365, tiny 30)"},
    {"events", "RATE", "customer events per customer per day (campaign 0.0015, tiny 0.1)"},
    {"ltv", "MONTHS", "lifetime value = monthly price × MONTHS (campaign 12, tiny 12)"},
    {"tolerance", "F", "an offer is taken only if at most F dearer (default 0.10)"},
    {"data", "DATASET", "customers from a dataset: a product column and numeric features"},
    {"seed", "S", "random seed (default: the workspace seed, see `set seed`)"},
    {NULL, NULL, NULL}};
static const wb_option policy_opts[] = {
    {"recalibrate", "every|daily|N", "when the policy learns: each reward, daily, every N rewards"},
    {"epsilon", "E", "epsilon: exploration share (default 0.1)"},
    {"decay", "D", "epsilon: ε_t = ε / (1 + t/D) after t decisions (default 0: fixed)"},
    {"model", "beta|gaussian", "thompson: Beta conversions × value (default) or Normal reward"},
    {"context", "product|none", "epsilon, thompson, ucb1: a bandit per current product or one"},
    {"scale", "C", "ucb1: width of the bonus (default: the observed reward range)"},
    {"alpha", "A", "linucb: width of the confidence bonus (default 1)"},
    {"vip", "CHANNEL:RULE", "segment: what VIPs get; RULE next, second or top (call:top)"},
    {"gold", "CHANNEL:RULE", "segment: Gold (default call:next)"},
    {"silver", "CHANNEL:RULE", "segment: Silver (default email:next)"},
    {"bronze", "CHANNEL:RULE", "segment: Bronze (default email:next)"},
    {NULL, NULL, NULL}};
static const wb_option plugin_opts[] = {
    {"params", "\"K=V ...\"", "parameters handed to the plugin's init"},
    {"recalibrate", "every|daily|N", "when the policy learns (default every)"},
    {NULL, NULL, NULL}};
static const wb_option offer_opts[] = {{"speed", "S", "the product's speed (> 0)"},
				       {"price", "P", "monthly price (> 0)"},
				       {NULL, NULL, NULL}};
static const wb_option action_opts[] = {
    {"cost", "C", "cost per action (default: the channel's)"},
    {"cooloff", "D", "days before a NULL action closes it (default: the scenario's)"},
    {NULL, NULL, NULL}};
static const wb_option days_opts[] = {{"days", "N", "days to simulate"}, {NULL, NULL, NULL}};
static const wb_option export_opts[] = {
    {"what", "timeline|summary|mix|actions", "which table (default timeline)"}, {NULL, NULL, NULL}};

const wb_cmd wb_cmds_bandit[] = {
    {"bandit new",
     "bandit new [scenario=campaign] [customers=N] [days=D] [events=RATE] [ltv=MONTHS] "
     "[tolerance=F] [data=DATASET] [seed=S]",
     "start a campaign policy simulation",
     "Starts an event-driven campaign simulation (replacing any earlier one) and shows its "
     "action catalogue. Customers hold a product (speed, monthly price); an action is an offer "
     "(a product to move to) by a channel. Each day customer events arrive (a Poisson number, "
     "customers × RATE); an event from a customer with no action under way asks each policy for "
     "a next-best action, which waits in its channel's queue (daily quota, delay). Once taken, "
     "the customer responds on day d with probability p0·0.8^d if the offer is faster and at "
     "most 10% dearer (reward: change in lifetime value minus the channel cost), or the "
     "cool-off passes and a NULL action closes it (reward: minus the cost). Every policy sees "
     "the same events and the same response draws (common random numbers).\n\nScenario "
     "campaign (the seed's): 100,000 households; products 30M/60M/100M/200M/500M/1000M at "
     "30.00/31.50/32.90/35.90/41.90/45.90 a month held by 28/24/20/14/9/5%; an upgrade offer "
     "to each product but the slowest, by call (cost 3, 200 a day, p0 0.035) and e-mail (cost "
     "0, p0 0.005); 21-day cool-off; lifetime value = 12 months of the price; 0.0015 events "
     "per household a day (one every 22 months); 365 days. The seed did not publish its products, "
     "event rate "
     "or lifetime, so these are ours. With data=DATASET the customers are a dataset's rows: a "
     "column product naming the scenario's products, every other numeric column (but id and "
     "value) a feature, as `bandit customers` writes them.\n\nExample:\n  bandit new "
     "scenario=campaign customers=100000 days=365",
     new_opts, WB_COMPLETE_DATASETS, WB_CMD_MODIFIES, exec_new},
    {"bandit policy", "bandit policy add KIND [as NAME] [recalibrate=every|daily|N] [PARAM=V...]",
     "add a policy to the simulation",
     "Adds a built-in policy (before the first day runs). KIND is one of:\n  segment   "
     "VIP/Gold/Silver/Bronze (top 10%, next 20%, next 30%, rest by lifetime value), each "
     "mapped by hand to CHANNEL:RULE, RULE next (the next faster product), second or top\n  "
     "epsilon   ε-greedy on the mean reward, fixed or decaying ε (Sutton & Barto 2018)\n  "
     "thompson  Thompson sampling: Beta(1+s, 1+f) conversion draw × mean delta value − cost; "
     "model=gaussian samples a Normal mean reward (Agrawal & Goyal 2013)\n  ucb1      mean + "
     "C·√(2 ln t / n) (Auer et al. 2002), C = the observed reward range unless scale=C\n  "
     "linucb    disjoint LinUCB on the bias, the current product and the standardised "
     "customer features, ridge 1 (Li et al. 2010)\n  random    a uniformly random action\n"
     "epsilon, thompson and ucb1 keep one bandit per current product unless context=none. "
     "recalibrate says when rewards reach the policy: every reward, every N rewards, or at the "
     "end of each day.\n\nExample:\n  bandit policy add epsilon as eps epsilon=0.05 "
     "recalibrate=daily",
     policy_opts, 0, WB_CMD_MODIFIES, exec_policy},
    {"bandit plugin", "bandit plugin PATH.so [as NAME] [params=\"K=V ...\"] [recalibrate=...]",
     "add a policy written in C, from a shared object",
     "Loads a policy from a shared object that exports wb_bandit_policy_entry (the interface "
     "is engine/bandit_policy.h: init, choose, update, free, name) and adds it like a built-in "
     "one. `make` builds the example examples/policy_softmax.so (Boltzmann exploration, "
     "parameter tau). A file that does not load, lacks the entry point or was built for "
     "another interface version is refused with the reason.\n\nExample:\n  bandit plugin "
     "build/examples/policy_softmax.so as softmax params=\"tau=2\"",
     plugin_opts, WB_COMPLETE_PATHS, WB_CMD_MODIFIES, exec_plugin},
    {"bandit offer", "bandit offer add NAME speed=S price=P", "add a new product to offer",
     "Adds a product that offers can move customers to; nobody holds it yet. Give it actions "
     "with `bandit action add NAME CHANNEL`, also while the simulation is under way: the "
     "policies then meet an offer they know nothing of.\n\nExample:\n  bandit offer add 2000M "
     "speed=2000 price=49.90",
     offer_opts, 0, WB_CMD_MODIFIES, exec_offer},
    {"bandit action", "bandit action add OFFER CHANNEL [cost=C] [cooloff=D]",
     "add an action (offer × channel)",
     "Adds the action OFFER/CHANNEL to the catalogue, at any time: the policies can choose it "
     "from the next decision on.\n\nExample:\n  bandit action add 2000M email",
     action_opts, 0, WB_CMD_MODIFIES, exec_action},
    {"bandit run", "bandit run [days=N]", "run the simulation and show the final table",
     "Runs N more days (default: up to the horizon of `bandit new`) and shows one row per "
     "policy: cumulative delta value, regret against the best policy in hindsight, decisions, "
     "actions taken, responses, NULL actions, cost and the most chosen action. On the screen "
     "the Timeline pane draws the values as they grow: p pauses (the run ends at that day; "
     "`bandit run` goes on), + and - change the speed.\n\nExample:\n  bandit run days=365",
     days_opts, 0, WB_CMD_MODIFIES, exec_run},
    {"bandit step", "bandit step [days=N]", "advance the simulation by N days (default 1)",
     "Runs N days (default one) and says each policy's value so far.\n\nExample:\n  bandit "
     "step days=7",
     days_opts, 0, WB_CMD_MODIFIES, exec_step},
    {"bandit speed", "bandit speed DAYS|max", "pace of runs on the screen",
     "Simulated days per second while `bandit run` draws the Timeline pane (default 30); max "
     "runs as fast as possible. Batch runs are never paced.\n\nExample:\n  bandit speed 60",
     NULL, 0, 0, exec_speed},
    {"bandit show", "bandit show [summary|mix|actions|timeline]", "tables of the simulation",
     "summary: the final table of `bandit run` for the days run so far; mix: each policy's "
     "share of decisions per action; actions: the catalogue; timeline: the cumulative value of "
     "each policy by day.\n\nExample:\n  bandit show mix",
     NULL, 0, 0, exec_show},
    {"bandit export", "bandit export PATH.csv [what=timeline|summary|mix|actions]",
     "write the timeline (or another table) as CSV",
     "Writes the timeline — day, then one column per policy with its cumulative delta value — "
     "or another table of `bandit show`, atomically.\n\nExample:\n  bandit export "
     "/tmp/timeline.csv",
     export_opts, WB_COMPLETE_PATHS, 0, exec_export},
    {"bandit customers", "bandit customers [as NAME]", "the customer base as a dataset",
     "Makes the simulation's customer base (as at day 0: id, product, value, segment and the "
     "features) a dataset, named customers unless `as NAME`. Save it with `save data`, edit it, "
     "load it back and start from it with `bandit new data=NAME`.\n\nExample:\n  bandit "
     "customers as base",
     NULL, 0, WB_CMD_MODIFIES, exec_customers},
    {NULL, NULL, NULL, NULL, NULL, 0, 0, NULL}};
