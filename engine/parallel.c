/* parallel.c — work split over POSIX threads; big arrays on huge pages. See parallel.h. */
#include "parallel.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>

int wb_parallel_parts(size_t n, int threads, size_t grain)
{
	int t = threads > 0 ? threads : 2;
	if (t > WB_PARALLEL_MAX)
		t = WB_PARALLEL_MAX;
	size_t most = grain ? n / grain : n;
	if ((size_t)t > most)
		t = most ? (int)most : 1;
	return t;
}

typedef struct part {
	wb_parallel_fn fn;
	void *ctx;
	int k;
	size_t lo, hi;
} part;

static void *part_run(void *arg)
{
	part *p = arg;
	p->fn(p->ctx, p->k, p->lo, p->hi);
	return NULL;
}

int wb_parallel_run(size_t n, int threads, size_t grain, wb_parallel_fn fn, void *ctx)
{
	int t = wb_parallel_parts(n, threads, grain);
	part parts[WB_PARALLEL_MAX];
	pthread_t tid[WB_PARALLEL_MAX];
	int started[WB_PARALLEL_MAX] = {0};
	for (int k = 0; k < t; k++)
		parts[k] = (part){fn, ctx, k, n * (size_t)k / (size_t)t,
				  n * (size_t)(k + 1) / (size_t)t};
	for (int k = 1; k < t; k++) {
		started[k] = pthread_create(&tid[k], NULL, part_run, &parts[k]) == 0;
		if (!started[k])
			part_run(&parts[k]);
	}
	part_run(&parts[0]);
	for (int k = 1; k < t; k++)
		if (started[k])
			pthread_join(tid[k], NULL);
	return t;
}

typedef struct interleave {
	wb_parallel_interleave_fn fn;
	void *ctx;
	int parts;
} interleave;

static void interleave_part(void *arg, int k, size_t lo, size_t hi)
{
	interleave *c = arg;
	(void)lo;
	(void)hi;
	c->fn(c->ctx, k, c->parts);
}

/* The T parts are the items of a wb_parallel_run, one each. */
int wb_parallel_interleave(size_t n, int threads, size_t grain, wb_parallel_interleave_fn fn,
			   void *ctx)
{
	interleave c = {fn, ctx, wb_parallel_parts(n, threads, grain)};
	return wb_parallel_run((size_t)c.parts, c.parts, 1, interleave_part, &c);
}

double *wb_big_alloc(size_t n)
{
	size_t bytes = (n ? n : 1) * sizeof(double), huge = (size_t)2 << 20;
	if (bytes < 2 * huge)
		return malloc(bytes);
	bytes = (bytes + huge - 1) / huge * huge;
	double *v = aligned_alloc(huge, bytes);
#ifdef MADV_HUGEPAGE
	if (v)
		madvise(v, bytes, MADV_HUGEPAGE);
#endif
	return v;
}
