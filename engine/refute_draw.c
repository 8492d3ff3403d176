/* refute_draw.c — the random draws of a refuter's simulation, row by row, and the record of
 * simulations left out. See refute_impl.h. */
#include "refute_impl.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

double wb_refute_sd(const double *v, size_t n, const double *w)
{
	double s = 0, s2 = 0, c = 0;
	for (size_t i = 0; i < n; i++) {
		double wi = w ? w[i] : 1;
		s += wi * v[i];
		s2 += wi * v[i] * v[i];
		c += wi;
	}
	double m = s / c, var = (s2 - c * m * m) / (c - 1);
	return var > 0 ? sqrt(var) : 0;
}

void wb_refute_skip_add(wb_refute_skip *k, size_t s, const wb_err *why)
{
	if (k->count++ == 0 || s < k->first) {
		k->first = s;
		k->why = *why;
	}
}

void wb_refute_skip_merge(wb_refute_skip *into, const wb_refute_skip *from)
{
	if (from->count == 0)
		return;
	size_t c = into->count;
	wb_refute_skip_add(into, from->first, &from->why);
	into->count = c + from->count;
}

wb_draw_plan wb_draw_plan_of(const wb_est_data *d, const char *kind, double fraction)
{
	wb_draw_plan p = {WB_DRAW_NORMAL, 0, 1, NULL};
	if (strcmp(kind, "placebo") == 0) {
		if (d->tkind == WB_TREAT_BINARY) {
			p.kind = WB_DRAW_PICK;
			for (size_t i = 0; i < d->n; i++)
				p.count += d->t[i] == 1;
		} else {
			p.kind = WB_DRAW_SHUFFLE;
			p.values = d->t;
		}
	} else if (strcmp(kind, "subset") == 0) {
		p.kind = WB_DRAW_PICK;
		p.count = (size_t)llround((fraction > 0 ? fraction : 0.8) * (double)d->n);
	} else if (strcmp(kind, "bootstrap") == 0) {
		p.kind = WB_DRAW_POISSON;
	} else if (strcmp(kind, "dummy-outcome") == 0) {
		p.sd = wb_refute_sd(d->y, d->n, d->w);
	}
	return p;
}

int wb_draw_start(wb_draw *dr, const wb_draw_plan *plan, const wb_rng *rng, size_t s, size_t n,
		  wb_err *err)
{
	memset(dr, 0, sizeof *dr);
	dr->plan = *plan;
	dr->n = n;
	dr->need = plan->count;
	if (!(dr->g = wb_rng_split(rng, s)))
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	wb_rng_fast_seed(&dr->fast, dr->g);
	if (plan->kind == WB_DRAW_SHUFFLE) {
		if (!(dr->values = malloc((n ? n : 1) * sizeof *dr->values))) {
			wb_draw_end(dr);
			return wb_err_set(err, WB_ENOMEM, "out of memory");
		}
		memcpy(dr->values, plan->values, n * sizeof *dr->values);
		for (size_t i = n; i > 1; i--) {
			size_t j = (size_t)(wb_rng_fast_uniform(&dr->fast) * (double)i);
			double tmp = dr->values[i - 1];
			dr->values[i - 1] = dr->values[j];
			dr->values[j] = tmp;
		}
	}
	return 0;
}

/* P(K <= k) for K ~ Poisson(1), k = 0 .. 17 (the last is 1 to double precision). */
static double poisson1_cdf[18];
static pthread_once_t poisson1_once = PTHREAD_ONCE_INIT;

static void poisson1_table(void)
{
	double p = exp(-1.0), F = p;
	for (int k = 0; k < 18; k++) {
		poisson1_cdf[k] = F;
		p /= (double)(k + 1);
		F += p;
	}
	poisson1_cdf[17] = 1;
}

/* The loops work on local copies of the stream and the counters, which the compiler can
 * keep in registers (out, a double array, could otherwise alias the tables). */
void wb_draw_next(wb_draw *dr, double *out, size_t m)
{
	wb_rng_fast f = dr->fast;
	switch (dr->plan.kind) {
	case WB_DRAW_PICK: {
		size_t need = dr->need, left = dr->n - dr->i;
		for (size_t k = 0; k < m; k++, left--) {
			int take = wb_rng_fast_uniform(&f) * (double)left < (double)need;
			need -= (size_t)take;
			out[k] = take;
		}
		dr->need = need;
		break;
	}
	case WB_DRAW_SHUFFLE:
		memcpy(out, dr->values + dr->i, m * sizeof *out);
		break;
	case WB_DRAW_NORMAL:
		for (size_t k = 0; k < m; k++)
			out[k] = dr->plan.sd * wb_rng_fast_normal(&f);
		break;
	case WB_DRAW_POISSON: {
		pthread_once(&poisson1_once, poisson1_table);
		double F[7];
		memcpy(F, poisson1_cdf, sizeof F);
		for (size_t k = 0; k < m; k++) {
			/* inversion: the count is the number of cdf values <= u, summed without
			 * branches up to 7 (all but 1 draw in 10^5), then searched */
			double u = wb_rng_fast_uniform(&f);
			int c = 0;
			for (int j = 0; j < 7; j++)
				c += u >= F[j];
			while (c < 17 && u >= poisson1_cdf[c]) /* false unless c is 7 */
				c++;
			out[k] = c;
		}
		break;
	}
	}
	dr->fast = f;
	dr->i += m;
}

void wb_draw_end(wb_draw *dr)
{
	wb_rng_free(dr->g);
	free(dr->values);
	memset(dr, 0, sizeof *dr);
}
