/* rng.c — see rng.h. */
#include "rng.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <pthread.h>
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

/* The ziggurat's layers: x[0] = v / f(r) (the base strip, whose area v includes the tail),
 * x[1] = r, x[i + 1] = f^-1(f(x[i]) + v / x[i]), x[128] = 0; fx[i] = f(x[i]), f(x) = e^(-x²/2).
 * Every layer has the same area v, so a layer is chosen uniformly. */
#define ZIG_N 128
#define ZIG_R 3.442619855899
#define ZIG_V 9.91256303526217e-3
static double zig_x[ZIG_N + 1], zig_fx[ZIG_N + 1];
static pthread_once_t zig_once = PTHREAD_ONCE_INIT;

static void zig_tables(void)
{
	double f = exp(-0.5 * ZIG_R * ZIG_R);
	zig_x[0] = ZIG_V / f;
	zig_x[1] = ZIG_R;
	for (int i = 1; i < ZIG_N - 1; i++)
		zig_x[i + 1] = sqrt(-2 * log(exp(-0.5 * zig_x[i] * zig_x[i]) + ZIG_V / zig_x[i]));
	zig_x[ZIG_N] = 0;
	for (int i = 0; i <= ZIG_N; i++)
		zig_fx[i] = exp(-0.5 * zig_x[i] * zig_x[i]);
}

double wb_rng_fast_normal(wb_rng_fast *f)
{
	pthread_once(&zig_once, zig_tables);
	for (;;) {
		uint64_t b = wb_rng_fast_next(f);
		int i = (int)(b & (ZIG_N - 1)); /* the layer from the low bits ... */
		double u = (double)(b >> 11) * 0x1.0p-52 - 1; /* ... the point from the high ones */
		double z = u * zig_x[i];
		if (fabs(z) < zig_x[i + 1]) /* inside the part of the layer under the curve */
			return z;
		if (i == 0) { /* the tail beyond r */
			double x, y;
			do {
				x = -log(1 - wb_rng_fast_uniform(f)) / ZIG_R;
				y = -log(1 - wb_rng_fast_uniform(f));
			} while (2 * y < x * x);
			return u < 0 ? -(ZIG_R + x) : ZIG_R + x;
		}
		double y = zig_fx[i] + wb_rng_fast_uniform(f) * (zig_fx[i + 1] - zig_fx[i]);
		if (y < exp(-0.5 * z * z))
			return z;
	}
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
