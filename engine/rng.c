/* rng.c — see rng.h. */
#include "rng.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdlib.h>

struct wb_rng {
	gsl_rng *g;
	uint64_t seed;
};

wb_rng *wb_rng_new(uint64_t seed)
{
	wb_rng *r = malloc(sizeof *r);
	if (!r)
		return NULL;
	r->g = gsl_rng_alloc(gsl_rng_mt19937);
	if (!r->g) {
		free(r);
		return NULL;
	}
	r->seed = seed;
	/* MT19937 takes an unsigned long seed; fold the upper half in. */
	gsl_rng_set(r->g, (unsigned long)(seed ^ (seed >> 32)));
	return r;
}

void wb_rng_free(wb_rng *r)
{
	if (!r)
		return;
	gsl_rng_free(r->g);
	free(r);
}

uint64_t wb_rng_seed(const wb_rng *r)
{
	return r->seed;
}

/* SplitMix64 finaliser: spreads (seed, index) pairs into well-separated seeds. */
static uint64_t mix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

wb_rng *wb_rng_split(const wb_rng *r, uint64_t index)
{
	return wb_rng_new(mix64(r->seed ^ mix64(index + 1)));
}

void wb_rng_fast_seed(wb_rng_fast *f, wb_rng *from)
{
	uint64_t z = ((uint64_t)gsl_rng_get(from->g) << 32) ^ (uint64_t)gsl_rng_get(from->g);
	for (int k = 0; k < 4; k++)
		f->s[k] = z = mix64(z); /* a bijection of distinct inputs: at most one word is 0 */
}

double wb_rng_uniform(wb_rng *r)
{
	return gsl_rng_uniform(r->g);
}

double wb_rng_normal(wb_rng *r, double mu, double sd)
{
	return mu + gsl_ran_gaussian_ziggurat(r->g, sd);
}

int wb_rng_bernoulli(wb_rng *r, double p)
{
	return gsl_rng_uniform(r->g) < p;
}

unsigned long wb_rng_int(wb_rng *r, unsigned long n)
{
	return gsl_rng_uniform_int(r->g, n);
}

double wb_rng_beta(wb_rng *r, double a, double b)
{
	return gsl_ran_beta(r->g, a, b);
}

double wb_rng_gamma(wb_rng *r, double shape, double scale)
{
	return gsl_ran_gamma(r->g, shape, scale);
}

unsigned int wb_rng_poisson(wb_rng *r, double mu)
{
	return gsl_ran_poisson(r->g, mu);
}

void wb_rng_shuffle(wb_rng *r, size_t *idx, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = gsl_rng_uniform_int(r->g, i);
		size_t t = idx[i - 1];
		idx[i - 1] = idx[j];
		idx[j] = t;
	}
}
