/* bench_bandit — the campaign simulator: decisions per second, and the cost of drawing it
 * live.
 *
 *   make -C build bench/bench_bandit && ./build/bench/bench_bandit [EVENT_RATE]
 *
 * One simulated year of the seed's campaign scenario (100,000 households) with six policies
 * (thompson, epsilon, segment, random, ucb1, linucb) on one thread. Prints decisions per
 * second (best of 5) at the scenario's event rate and at a busier one (0.05 events per
 * household a day; most events then come from customers already waiting on an action, so
 * about 340,000 decisions per policy). The busy year is also run publishing the live view
 * each day, and publishing while a second thread reads it and renders the braille chart of
 * the Timeline pane (views/chart.c) 30 times a second, as the screen does; the three are
 * interleaved round by round so that a noisy machine hurts them alike. The slowdown of the
 * simulation thread is the cost of live drawing. Figures are informational; targets are in
 * bench/README.md. */
#include "../engine/bandit.h"
#include "../views/chart.h"

#include "bench_clock.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* CPU seconds of the calling thread: decisions per core, whatever else the machine runs. */
static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double last_cpu; /* CPU seconds of the last year() */

static const char *const kinds[] = {"thompson", "epsilon", "segment", "random", "ucb1", "linucb"};

/* One year; returns the seconds of wb_bandit_run and the decisions made. */
static int year(double rate, wb_bandit_live *live, double *secs, double *decisions)
{
	wb_bandit_config cfg;
	wb_err err;
	wb_bandit_scenario_config("campaign", &cfg, &err);
	if (rate > 0)
		cfg.event_rate = rate;
	wb_rng *rng = wb_rng_new(42);
	wb_bandit *b;
	if (wb_bandit_new("campaign", &cfg, NULL, rng, &b, &err)) {
		fprintf(stderr, "bench_bandit: %s\n", err.msg);
		wb_rng_free(rng);
		return 1;
	}
	wb_rng_free(rng);
	for (size_t k = 0; k < 6; k++)
		wb_bandit_add_policy(b, wb_bandit_builtin(kinds[k]), NULL, "", WB_RECAL_EVERY, 1,
				     NULL, &err);
	double t0 = wb_bench_now(), c0 = cpu_now();
	int rc = wb_bandit_run(b, 365, live, NULL, NULL, &err);
	*secs = wb_bench_now() - t0;
	last_cpu = cpu_now() - c0;
	*decisions = 0;
	for (size_t i = 0; i < 6; i++) {
		wb_bandit_stats st;
		wb_bandit_stats_of(b, i, &st);
		*decisions += (double)st.decisions;
	}
	wb_bandit_free(b);
	if (rc)
		fprintf(stderr, "bench_bandit: %s\n", err.msg);
	return rc;
}

typedef struct drawer {
	wb_bandit_live *live;
	atomic_int stop;
	long frames;
	size_t bytes;
} drawer;

/* What the Timeline pane does per frame, minus curses: copy the live view, scale, rasterise
 * every policy's line into a 100 × 30 braille chart and compose its text. */
static void *draw_thread(void *arg)
{
	drawer *d = arg;
	wb_bandit_snapshot snap = {0};
	wb_chart chart = {0};
	char *text = malloc(100 * 30 * 4 + 31);
	double next = wb_bench_now();
	while (!atomic_load(&d->stop)) {
		wb_bandit_live_snapshot(d->live, &snap);
		double lo = 0, hi = 0;
		size_t day = (size_t)snap.day;
		for (size_t i = 0; i < snap.npolicies * day; i++) {
			lo = snap.value[i] < lo ? snap.value[i] : lo;
			hi = snap.value[i] > hi ? snap.value[i] : hi;
		}
		wb_chart_nice_range(&lo, &hi);
		wb_chart_reset(&chart, 100, 30);
		for (size_t i = 0; i < snap.npolicies; i++)
			wb_chart_line(&chart, snap.value + i * day, day, 364, lo, hi, (int)i);
		size_t n = 0;
		for (int c = 0; c < 100 * 30; c++) {
			char g[4];
			const char *s = wb_chart_glyph(chart.dots[c], g);
			size_t len = strlen(s);
			memcpy(text + n, s, len);
			n += len;
			if (c % 100 == 99)
				text[n++] = '\n';
		}
		d->bytes += n;
		d->frames++;
		next += 1.0 / 30;
		double wait = next - wb_bench_now();
		if (wait > 0) {
			struct timespec ts = {0, (long)(wait * 1e9)};
			nanosleep(&ts, NULL);
		}
	}
	free(text);
	wb_chart_free(&chart);
	wb_bandit_snapshot_free(&snap);
	return NULL;
}

static double best_cpu; /* the least CPU time of the last best_of */

static int best_of(int reps, double rate, wb_bandit_live *live, int with_drawer, double *best,
		   double *dec, double *fps)
{
	*best = INFINITY;
	best_cpu = INFINITY;
	for (int r = 0; r < reps; r++) {
		drawer d = {live, 0, 0, 0};
		pthread_t th;
		double t0 = wb_bench_now();
		if (with_drawer)
			pthread_create(&th, NULL, draw_thread, &d);
		double s;
		int rc = year(rate, live, &s, dec);
		if (with_drawer) {
			atomic_store(&d.stop, 1);
			pthread_join(th, NULL);
			*fps = (double)d.frames / (wb_bench_now() - t0);
		}
		if (rc)
			return rc;
		*best = s < *best ? s : *best;
		best_cpu = last_cpu < best_cpu ? last_cpu : best_cpu;
	}
	return 0;
}

int main(int argc, char **argv)
{
	double busy = argc > 1 ? atof(argv[1]) : 0.05;
	double s, dec, fps = 0;
	if (best_of(5, 0, NULL, 0, &s, &dec, &fps))
		return 1;
	printf("campaign, 100,000 households, 6 policies, 365 days, default event rate 0.0015:\n");
	printf("  %.0f decisions in %.3f s wall, %.3f s CPU: %.0f decisions per CPU second (one "
	       "thread, best of 5)\n",
	       dec, s, best_cpu, dec / best_cpu);
	wb_bandit_live *live = wb_bandit_live_new();
	double plain = INFINITY, pub = INFINITY, drawn = INFINITY, t;
	double cplain = INFINITY, cpub = INFINITY, cdrawn = INFINITY;
	for (int r = 0; r < 5; r++) {
		if (best_of(1, busy, NULL, 0, &t, &dec, &fps))
			return 1;
		plain = t < plain ? t : plain;
		cplain = best_cpu < cplain ? best_cpu : cplain;
		if (best_of(1, busy, live, 0, &t, &dec, &fps))
			return 1;
		pub = t < pub ? t : pub;
		cpub = best_cpu < cpub ? best_cpu : cpub;
		if (best_of(1, busy, live, 1, &t, &dec, &fps))
			return 1;
		drawn = t < drawn ? t : drawn;
		cdrawn = best_cpu < cdrawn ? best_cpu : cdrawn;
	}
	wb_bandit_live_free(live);
	printf("busy: event rate %g, %.0f decisions in %.3f s wall, %.3f s CPU: %.0f decisions per "
	       "CPU second (best of 5)\n",
	       busy, dec, plain, cplain, dec / cplain);
	printf("  publishing the live view each day: %.3f s wall (%+.1f%%), %.3f s CPU (%+.1f%%)\n",
	       pub, 100 * (pub / plain - 1), cpub, 100 * (cpub / cplain - 1));
	printf("  and drawing it at %.0f frames/s on another thread: %.3f s wall (%+.1f%%), %.3f s "
	       "CPU (%+.1f%%), against no live view\n",
	       fps, drawn, 100 * (drawn / plain - 1), cdrawn, 100 * (cdrawn / cplain - 1));
	return 0;
}
