/*
 * bandit_live.c — the live view of a running simulation: the simulation thread publishes a
 * copy of the timelines under a mutex after each day; a drawing thread copies them out under
 * the same mutex into its own snapshot, so neither ever reads what the other is writing.
 * Pause and speed are atomics the drawing side sets. See bandit.h.
 */
#include "bandit_impl.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct wb_bandit_live {
	pthread_mutex_t mu;
	atomic_int pause;
	_Atomic double speed;
	/* under mu */
	unsigned long version;
	int have, running;
	long day, horizon;
	size_t npol, narms;
	char (*label)[48];
	char (*arm)[48];
	double *value;
	size_t *mix, *decisions;
	size_t value_cap, mix_cap, pol_cap, arm_cap;
};

wb_bandit_live *wb_bandit_live_new(void)
{
	wb_bandit_live *l = calloc(1, sizeof *l);
	if (!l)
		return NULL;
	if (pthread_mutex_init(&l->mu, NULL)) {
		free(l);
		return NULL;
	}
	atomic_init(&l->pause, 0);
	atomic_init(&l->speed, 0.0);
	return l;
}

void wb_bandit_live_free(wb_bandit_live *l)
{
	if (!l)
		return;
	pthread_mutex_destroy(&l->mu);
	free(l->label);
	free(l->arm);
	free(l->value);
	free(l->mix);
	free(l->decisions);
	free(l);
}

void wb_bandit_live_set_speed(wb_bandit_live *l, double days_per_second)
{
	if (l)
		atomic_store(&l->speed, days_per_second > 0 ? days_per_second : 0);
}

double wb_bandit_live_speed(const wb_bandit_live *l)
{
	return l ? atomic_load(&((wb_bandit_live *)l)->speed) : 0;
}

void wb_bandit_live_request_pause(wb_bandit_live *l)
{
	if (l)
		atomic_store(&l->pause, 1);
}

void wb_bandit_live_begin(wb_bandit_live *l)
{
	if (l)
		atomic_store(&l->pause, 0);
}

int wb_bandit_live_pausing(wb_bandit_live *l)
{
	return l ? atomic_load(&l->pause) : 0;
}

/* memcpy that accepts an empty copy from a NULL source. */
static void copy(void *dst, const void *src, size_t n)
{
	if (n)
		memcpy(dst, src, n);
}

/* Grows *p to hold n elements of size sz; 0 or -1. */
static int fit(void *p, size_t *cap, size_t n, size_t sz)
{
	if (n <= *cap)
		return 0;
	size_t c = n + n / 2 + 16;
	void *q = realloc(*(void **)p, c * sz);
	if (!q)
		return -1;
	*(void **)p = q;
	*cap = c;
	return 0;
}

/* The arrays of a live view and of a snapshot have the same shape. */
typedef struct shape {
	char (**label)[48];
	char (**arm)[48];
	double **value;
	size_t **mix, **decisions;
	size_t *value_cap, *mix_cap, *pol_cap, *arm_cap;
} shape;

static int fit_shape(const shape *s, size_t npol, size_t narms, long day)
{
	size_t pc = *s->pol_cap, ac = *s->arm_cap;
	if (fit(s->label, &pc, npol, sizeof **s->label) ||
	    fit(s->decisions, s->pol_cap, npol, sizeof **s->decisions) ||
	    fit(s->arm, &ac, narms, sizeof **s->arm) ||
	    fit(s->value, s->value_cap, npol * (size_t)day, sizeof **s->value) ||
	    fit(s->mix, s->mix_cap, npol * narms, sizeof **s->mix))
		return -1;
	*s->arm_cap = ac > *s->arm_cap ? ac : *s->arm_cap;
	return 0;
}

int wb_bandit_live_publish(wb_bandit_live *l, const wb_bandit *b, int running)
{
	if (!l)
		return 0;
	size_t np = b->npol, na = b->narms;
	long day = b->day;
	pthread_mutex_lock(&l->mu);
	/* label and decisions share pol_cap: grow labels first, with their own count */
	shape sh = {&l->label,	   &l->arm,	&l->value,   &l->mix,	 &l->decisions,
		    &l->value_cap, &l->mix_cap, &l->pol_cap, &l->arm_cap};
	int rc = 0;
	if (fit_shape(&sh, np, na, day)) {
		rc = WB_ENOMEM;
	} else {
		for (size_t i = 0; i < np; i++) {
			const wb_bpol *p = b->pol[i];
			snprintf(l->label[i], sizeof l->label[i], "%s", p->label);
			copy(l->value + i * (size_t)day, p->tl, (size_t)day * sizeof *l->value);
			for (size_t a = 0; a < na; a++)
				l->mix[i * na + a] = a < p->capmix ? p->mix[a] : 0;
			l->decisions[i] = p->st.decisions;
		}
		for (size_t a = 0; a < na; a++)
			snprintf(l->arm[a], sizeof l->arm[a], "%s", b->arms[a].name);
		l->npol = np;
		l->narms = na;
		l->day = day;
		l->horizon = b->cfg.days;
		l->have = 1;
		l->running = running;
		l->version++;
	}
	pthread_mutex_unlock(&l->mu);
	return rc;
}

int wb_bandit_live_running(wb_bandit_live *l)
{
	if (!l)
		return 0;
	pthread_mutex_lock(&l->mu);
	int r = l->running;
	pthread_mutex_unlock(&l->mu);
	return r;
}

void wb_bandit_live_clear(wb_bandit_live *l)
{
	if (!l)
		return;
	pthread_mutex_lock(&l->mu);
	l->have = 0;
	l->running = 0;
	l->npol = l->narms = 0;
	l->day = 0;
	l->version++;
	pthread_mutex_unlock(&l->mu);
}

int wb_bandit_live_snapshot(wb_bandit_live *l, wb_bandit_snapshot *s)
{
	if (!l)
		return 0;
	pthread_mutex_lock(&l->mu);
	int rc = 0;
	if (l->version == s->version && s->version != 0) {
		s->speed = atomic_load(&l->speed);
		pthread_mutex_unlock(&l->mu);
		return 0;
	}
	shape sh = {&s->label,	   &s->arm,	&s->value,   &s->mix,	 &s->decisions,
		    &s->value_cap, &s->mix_cap, &s->pol_cap, &s->arm_cap};
	if (fit_shape(&sh, l->npol, l->narms, l->day)) {
		rc = WB_ENOMEM;
	} else {
		copy(s->label, l->label, l->npol * sizeof *s->label);
		copy(s->arm, l->arm, l->narms * sizeof *s->arm);
		copy(s->value, l->value, l->npol * (size_t)l->day * sizeof *s->value);
		copy(s->mix, l->mix, l->npol * l->narms * sizeof *s->mix);
		copy(s->decisions, l->decisions, l->npol * sizeof *s->decisions);
		s->npolicies = l->npol;
		s->narms = l->narms;
		s->day = l->day;
		s->horizon = l->horizon;
		s->have = l->have;
		s->running = l->running;
		s->version = l->version;
		rc = 1;
	}
	s->speed = atomic_load(&l->speed);
	pthread_mutex_unlock(&l->mu);
	return rc;
}

void wb_bandit_snapshot_free(wb_bandit_snapshot *s)
{
	if (!s)
		return;
	free(s->label);
	free(s->arm);
	free(s->value);
	free(s->mix);
	free(s->decisions);
	memset(s, 0, sizeof *s);
}
