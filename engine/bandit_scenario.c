/*
 * bandit_scenario.c — the scenario presets of the campaign simulator and its customer base
 * (generated, or taken from a frame). See bandit.h.
 *
 * "campaign" is the seed's telecom world (004_571813a289574a9d): households each holding one
 * internet product, an upgrade offer per product, channels call (cost 3, at most 200 a day,
 * daily response probability 0.035·0.8^d) and e-mail (cost 0, 0.005·0.8^d), a 21-day
 * cool-off, and a household accepts only an offer that is faster and at most 10% dearer.
 * The seed did not publish its product table, event rate or lifetime horizon; the ones here
 * are ours and are stated in `help bandit new`.
 */
#include "bandit_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct preset_product {
	const char *name;
	double speed, price, share;
} preset_product;

typedef struct preset {
	const char *name;
	wb_bandit_config cfg;
	long cooloff;
	const preset_product *products;
	size_t nproducts;
	const wb_bandit_channel *channels;
	size_t nchannels;
} preset;

/* Speeds in Mbit/s, prices per month. From 30M the 60M and 100M offers are within 10%; from
 * 60M only 100M; from 100M only 200M; from 200M nothing (500M is 17% dearer); from 500M
 * 1000M; 1000M holders have nothing to move to. */
static const preset_product campaign_products[] = {
    {"30M", 30, 30.00, 0.28},	{"60M", 60, 31.50, 0.24},   {"100M", 100, 32.90, 0.20},
    {"200M", 200, 35.90, 0.14}, {"500M", 500, 41.90, 0.09}, {"1000M", 1000, 45.90, 0.05}};
static const wb_bandit_channel campaign_channels[] = {
    {"call", 3, 200, 0, 0.035, 0.8},
    {"email", 0, 0, 0, 0.005, 0.8},
};

static const preset_product tiny_products[] = {
    {"basic", 10, 20, 0.5}, {"plus", 20, 21, 0.3}, {"max", 40, 30, 0.2}};
static const wb_bandit_channel tiny_channels[] = {
    {"call", 1, 5, 1, 0.5, 0.5},
    {"email", 0, 0, 0, 0.1, 0.5},
};

static const preset presets[] = {
    {"campaign", {100000, 365, 0.0015, 0.10, 12}, 21, campaign_products, 6, campaign_channels, 2},
    {"tiny", {200, 30, 0.1, 0.10, 12}, 3, tiny_products, 3, tiny_channels, 2},
};
#define NPRESETS (sizeof presets / sizeof presets[0])

/* The same names as presets[], in the same order. */
static const wb_bandit_scenario_info infos[] = {
    {"campaign",
     "the seed's telecom upgrade campaign: 100,000 households, call and e-mail, one year"},
    {"tiny",
     "3 products, 200 customers, 30 days: small enough to follow by hand (tests, examples)"},
    {NULL, NULL}};

const wb_bandit_scenario_info *wb_bandit_scenarios(void)
{
	return infos;
}

static const preset *find_preset(const char *name, wb_err *err)
{
	for (size_t i = 0; i < NPRESETS; i++)
		if (strcmp(presets[i].name, name) == 0)
			return &presets[i];
	char list[128] = "";
	size_t n = 0;
	for (size_t i = 0; i < NPRESETS; i++)
		n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "",
				      presets[i].name);
	wb_err_set(err, WB_ENOTFOUND, "bandit: unknown scenario '%s' (scenarios: %s)", name, list);
	return NULL;
}

int wb_bandit_scenario_config(const char *scenario, wb_bandit_config *cfg, wb_err *err)
{
	const preset *p = find_preset(scenario, err);
	if (!p)
		return WB_ENOTFOUND;
	*cfg = p->cfg;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

void wb_bandit_set_segments(wb_bandit *b)
{
	size_t n = b->n;
	double *v = malloc((n ? n : 1) * sizeof *v);
	if (!v || n == 0) {
		free(v);
		b->seg_cut[0] = b->seg_cut[1] = b->seg_cut[2] = 0;
		return;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = wb_bandit_ltv(b, b->prod0[i]);
	qsort(v, n, sizeof *v, cmp_double);
	/* VIP: the top 10% by value, Gold the next 20%, Silver the next 30%, Bronze the rest. */
	static const double q[3] = {0.90, 0.70, 0.40};
	for (int k = 0; k < 3; k++)
		b->seg_cut[k] = v[(size_t)(q[k] * (double)(n - 1))];
	free(v);
}

static int set_features(wb_bandit *b, const char *const *names, size_t nfeat, wb_err *err)
{
	b->nfeat = nfeat;
	b->featname = calloc(nfeat ? nfeat : 1, sizeof *b->featname);
	size_t cells = b->n * nfeat > 0 ? b->n * nfeat : 1;
	b->x = malloc(cells * sizeof *b->x);
	b->xraw = malloc(cells * sizeof *b->xraw);
	if (!b->featname || !b->x || !b->xraw)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	for (size_t j = 0; j < nfeat; j++) {
		size_t len = strlen(names[j]) + 1;
		if (!(b->featname[j] = malloc(len)))
			return wb_err_set(err, WB_ENOMEM, "out of memory");
		memcpy(b->featname[j], names[j], len);
	}
	return 0;
}

/* Standardises the raw features into x (a constant column becomes 0). */
static void standardise(wb_bandit *b)
{
	size_t n = b->n, p = b->nfeat;
	for (size_t j = 0; j < p; j++) {
		double m = 0, ss = 0;
		for (size_t i = 0; i < n; i++)
			m += b->xraw[i * p + j];
		m /= n ? (double)n : 1;
		for (size_t i = 0; i < n; i++) {
			double d = b->xraw[i * p + j] - m;
			ss += d * d;
		}
		double sd = n > 1 ? sqrt(ss / (double)(n - 1)) : 0;
		for (size_t i = 0; i < n; i++)
			b->x[i * p + j] = sd > 1e-12 ? (b->xraw[i * p + j] - m) / sd : 0;
	}
}

/* Generated households: a product by the preset's shares; tenure (years, exponential with
 * mean 4, at most 20), age (Normal(45, 14) within 18..90) and monthly usage in GB (log-normal,
 * growing with the speed held). */
static int generate_base(wb_bandit *b, const preset *pr, wb_rng *rng, wb_err *err)
{
	static const char *const names[] = {"tenure", "age", "usage"};
	int rc = set_features(b, names, 3, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < b->n; i++) {
		double u = wb_rng_uniform(rng), acc = 0;
		size_t k = 0;
		while (k + 1 < pr->nproducts && u >= (acc += pr->products[k].share))
			k++;
		b->prod0[i] = (uint32_t)k;
		double tenure = -4 * log(1 - wb_rng_uniform(rng));
		double age = wb_rng_normal(rng, 45, 14);
		double usage = exp(wb_rng_normal(rng, log(20 + pr->products[k].speed / 4), 0.5));
		double *x = b->xraw + i * 3;
		x[0] = round((tenure < 20 ? tenure : 20) * 10) / 10;
		x[1] = round(age < 18 ? 18 : age > 90 ? 90 : age);
		x[2] = round(usage * 10) / 10;
	}
	return 0;
}

static int base_from_frame(wb_bandit *b, const wb_frame *f, wb_err *err)
{
	long pc = wb_frame_col_index(f, "product");
	if (pc < 0)
		return wb_err_set(err, WB_EINVAL,
				  "bandit: the customer data needs a column 'product' naming each "
				  "customer's product");
	size_t n = wb_frame_nrows(f), nc = wb_frame_ncols(f);
	if (n == 0)
		return wb_err_set(err, WB_EINVAL, "bandit: the customer data has no rows");
	if (n > UINT32_MAX / 2)
		return wb_err_set(err, WB_EINVAL, "bandit: at most %u customers", UINT32_MAX / 2);
	const double *pv = wb_frame_col(f, (size_t)pc);
	int cat = wb_frame_col_kind(f, (size_t)pc) == WB_COL_CATEGORICAL;
	/* level -> product */
	size_t nlev = cat ? wb_frame_nlevels(f, (size_t)pc) : 0;
	long *map = malloc((nlev ? nlev : 1) * sizeof *map);
	if (!map)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	for (size_t l = 0; l < nlev; l++) {
		const char *lv = wb_frame_level(f, (size_t)pc, l);
		map[l] = -1;
		for (size_t k = 0; k < b->nprod; k++)
			if (strcmp(b->products[k].name, lv) == 0)
				map[l] = (long)k;
	}
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		double v = pv[i];
		long k = -1;
		if (isnan(v))
			rc = wb_err_set(err, WB_EINVAL,
					"bandit: customer data row %zu: missing product", i + 1);
		else if (cat)
			k = map[(size_t)v];
		else if (v == floor(v) && v >= 0 && v < (double)b->nprod)
			k = (long)v;
		if (rc == 0 && k < 0) {
			char buf[128];
			rc = wb_err_set(
			    err, WB_EINVAL,
			    "bandit: customer data row %zu: unknown product '%s' (products: %s%s)",
			    i + 1, wb_frame_cell_text(f, i, (size_t)pc, buf, sizeof buf),
			    b->products[0].name, b->nprod > 1 ? ", …" : "");
		}
		if (rc == 0)
			b->prod0[i] = (uint32_t)k;
	}
	free(map);
	if (rc)
		return rc;
	/* features: numeric and binary columns other than product, id and value */
	const char *names[256] = {NULL};
	size_t cols[256], p = 0;
	for (size_t j = 0; j < nc && p < 256; j++) {
		const char *nm = wb_frame_colname(f, j);
		wb_col_kind k = wb_frame_col_kind(f, j);
		if ((long)j == pc || strcmp(nm, "id") == 0 || strcmp(nm, "value") == 0 ||
		    (k != WB_COL_NUMERIC && k != WB_COL_BINARY))
			continue;
		const double *c = wb_frame_col(f, j);
		for (size_t i = 0; i < n; i++)
			if (isnan(c[i]))
				return wb_err_set(err, WB_EINVAL,
						  "bandit: customer data row %zu: missing %s",
						  i + 1, nm);
		names[p] = nm;
		cols[p++] = j;
	}
	if ((rc = set_features(b, names, p, err)))
		return rc;
	for (size_t j = 0; j < p; j++) {
		const double *c = wb_frame_col(f, cols[j]);
		for (size_t i = 0; i < n; i++)
			b->xraw[i * p + j] = c[i];
	}
	return 0;
}

int wb_bandit_scenario_build(wb_bandit *b, const char *scenario, const wb_frame *base, wb_rng *rng,
			     wb_err *err)
{
	const preset *pr = find_preset(scenario, err);
	if (!pr)
		return WB_ENOTFOUND;
	b->cooloff = pr->cooloff;
	int rc = 0;
	for (size_t k = 0; k < pr->nproducts && rc == 0; k++)
		rc = wb_bandit_add_product(b, pr->products[k].name, pr->products[k].speed,
					   pr->products[k].price, err);
	for (size_t c = 0; c < pr->nchannels && rc == 0; c++)
		rc = wb_bandit_add_channel(b, &pr->channels[c], err);
	/* an offer per product that someone can move up to, by every channel */
	for (size_t k = 1; k < pr->nproducts && rc == 0; k++)
		for (size_t c = 0; c < pr->nchannels && rc == 0; c++) {
			long a = wb_bandit_add_action(b, pr->products[k].name, pr->channels[c].name,
						      -1, 0, err);
			rc = a < 0 ? (int)a : 0;
		}
	if (rc)
		return rc;
	b->n = base ? wb_frame_nrows(base) : b->cfg.customers;
	if (b->n == 0)
		return wb_err_set(err, WB_EINVAL, "bandit: customers must be at least 1");
	if (b->n > 50000000)
		return wb_err_set(err, WB_EINVAL, "bandit: at most 50,000,000 customers");
	b->prod0 = malloc(b->n * sizeof *b->prod0);
	if (!b->prod0)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	rc = base ? base_from_frame(b, base, err) : generate_base(b, pr, rng, err);
	if (rc)
		return rc;
	b->cfg.customers = b->n;
	standardise(b);
	wb_bandit_set_segments(b);
	return 0;
}
