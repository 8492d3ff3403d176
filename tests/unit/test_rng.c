/* Unit tests for engine/rng's fast stream: reproducible from its wb_rng, uniforms on [0, 1)
 * with the right moments, and ziggurat normals whose distribution (body and both tails)
 * matches the standard normal: a Kolmogorov–Smirnov distance against gsl_cdf_ugaussian_P, and
 * tail frequencies against their exact probabilities. */
#include "../../engine/rng.h"
#include "../tap.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

#define N 1000000

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(void)
{
	wb_rng *r = wb_rng_new(11), *r2 = wb_rng_new(11);
	wb_rng_fast f, f2;
	wb_rng_fast_seed(&f, r);
	wb_rng_fast_seed(&f2, r2);
	int same = 1;
	for (int i = 0; i < 1000; i++)
		same &= wb_rng_fast_uniform(&f) == wb_rng_fast_uniform(&f2);
	ok(same, "the same seed gives the same fast stream");
	double s = 0, s2 = 0, lo = 1, hi = 0;
	for (int i = 0; i < N; i++) {
		double u = wb_rng_fast_uniform(&f);
		s += u;
		s2 += u * u;
		lo = u < lo ? u : lo;
		hi = u > hi ? u : hi;
	}
	/* mean 1/2 (sd of the mean 0.29/1000), E u² = 1/3 */
	near(s / N, 0.5, 0.0015, "uniform mean");
	near(s2 / N, 1.0 / 3, 0.0015, "uniform second moment");
	ok(lo >= 0 && hi < 1 && lo < 1e-5 && hi > 1 - 1e-5, "uniforms fill [0, 1) (%g, %g)", lo,
	   hi);
	double *z = malloc(N * sizeof *z);
	size_t beyond2 = 0, beyond35 = 0, neg = 0;
	for (int i = 0; i < N; i++) {
		z[i] = wb_rng_fast_normal(&f);
		beyond2 += fabs(z[i]) > 2;
		beyond35 += fabs(z[i]) > 3.5; /* past r = 3.44: only the tail algorithm gives these */
		neg += z[i] < -3.5;
	}
	qsort(z, N, sizeof *z, cmp);
	double ks = 0, m = 0, v = 0;
	for (int i = 0; i < N; i++) {
		double F = gsl_cdf_ugaussian_P(z[i]);
		double d = fmax(fabs(F - (double)i / N), fabs(F - (double)(i + 1) / N));
		ks = d > ks ? d : ks;
		m += z[i] / N;
		v += z[i] * z[i] / N;
	}
	/* KS 0.1% critical value 1.95 / sqrt(N) (over seeds 1-10 the distance was 0.0005-0.0016) */
	ok(ks < 0.00195, "normal: Kolmogorov-Smirnov distance %g < 0.00195", ks);
	near(m, 0, 0.004, "normal mean");
	near(v, 1, 0.005, "normal variance");
	/* P(|Z| > 2) = 0.0455003, P(|Z| > 3.5) = 4.6525e-4: binomial sd 208 and 21.6 */
	near((double)beyond2, 45500.3, 4 * 208, "normal: |z| > 2 as often as it should be");
	near((double)beyond35, 465.25, 4 * 21.6, "normal: |z| > 3.5 (the tail) as often");
	ok(neg > 150 && neg < 320, "both tails: %zu of them below -3.5", neg);
	free(z);
	wb_rng_free(r);
	wb_rng_free(r2);
	return done();
}
