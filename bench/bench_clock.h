/*
 * bench_clock.h — the clocks and small helpers every bench program shares (header only).
 *
 *   wb_bench_now          wall seconds (CLOCK_MONOTONIC)
 *   wb_bench_cpu          CPU seconds of the whole process, summed over its threads
 *   wb_bench_cmp_double   qsort order of doubles, for medians
 *   wb_bench_loadavg      /proc/loadavg's line into buf ("" when unreadable): figures are
 *                         printed with the machine's load beside them
 */
#ifndef WB_BENCH_CLOCK_H
#define WB_BENCH_CLOCK_H

#include <stdio.h>
#include <string.h>
#include <time.h>

static inline double wb_bench_seconds(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline double wb_bench_now(void)
{
	return wb_bench_seconds(CLOCK_MONOTONIC);
}

static inline double wb_bench_cpu(void)
{
	return wb_bench_seconds(CLOCK_PROCESS_CPUTIME_ID);
}

static inline int wb_bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static inline void wb_bench_loadavg(char *buf, size_t size)
{
	FILE *fp = fopen("/proc/loadavg", "r");
	buf[0] = '\0';
	if (fp) {
		if (!fgets(buf, (int)size, fp))
			buf[0] = '\0';
		fclose(fp);
	}
	buf[strcspn(buf, "\n")] = '\0';
}

#endif
