/*
 * rng.h — seeded random streams. All randomness in whybench comes from a wb_rng, so every
 * result is reproducible from the workspace seed (`set seed N`). Backed by GSL's MT19937.
 */
#ifndef WB_RNG_H
#define WB_RNG_H

#include <stdint.h>
#include <stddef.h>

typedef struct wb_rng wb_rng;

/* New stream seeded with seed; NULL if out of memory. Free with wb_rng_free (accepts NULL). */
wb_rng *wb_rng_new(uint64_t seed);
void wb_rng_free(wb_rng *r);

/* The seed this stream was created with (echoed in stochastic results). */
uint64_t wb_rng_seed(const wb_rng *r);

/* A new independent stream derived from r and a stream index (for worker threads and
 * per-replicate streams): the same (seed, index) always gives the same stream. */
wb_rng *wb_rng_split(const wb_rng *r, uint64_t index);

double wb_rng_uniform(wb_rng *r);                 /* [0, 1) */
double wb_rng_normal(wb_rng *r, double mu, double sd);
int wb_rng_bernoulli(wb_rng *r, double p);        /* 1 with probability p */
unsigned long wb_rng_int(wb_rng *r, unsigned long n); /* uniform on 0 .. n-1, n > 0 */
double wb_rng_beta(wb_rng *r, double a, double b);
double wb_rng_gamma(wb_rng *r, double shape, double scale);
unsigned int wb_rng_poisson(wb_rng *r, double mu);
/* A fast stream for bulk uniforms (xoshiro256+, Blackman & Vigna 2018), seeded from a wb_rng
 * so it is as reproducible as every other draw, and a few times cheaper per number than
 * MT19937 through GSL: the refuters' millions of draws per simulation use it. */
typedef struct wb_rng_fast {
	uint64_t s[4];
} wb_rng_fast;
void wb_rng_fast_seed(wb_rng_fast *f, wb_rng *from);
/* The next 64 random bits. */
static inline uint64_t wb_rng_fast_next(wb_rng_fast *f)
{
	uint64_t *s = f->s, r = s[0] + s[3], t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = (s[3] << 45) | (s[3] >> 19);
	return r;
}
/* Uniform on [0, 1) with 53 random bits. */
static inline double wb_rng_fast_uniform(wb_rng_fast *f)
{
	return (double)(wb_rng_fast_next(f) >> 11) * 0x1.0p-53;
}
/* Standard normal by the ziggurat method (Marsaglia & Tsang 2000: 128 layers, the tail beyond
 * r = 3.4426 by Marsaglia's exponential rejection), on the fast stream. */
double wb_rng_fast_normal(wb_rng_fast *f);
/* Fisher–Yates shuffle of idx[0..n-1] in place. */
void wb_rng_shuffle(wb_rng *r, size_t *idx, size_t n);

#endif
