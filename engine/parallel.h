/*
 * parallel.h — the one way the engine splits work over POSIX threads, and the allocator for
 * big arrays.
 *
 *   wb_parallel_run   calls fn(ctx, k, lo, hi) for k = 0 .. T-1 on T threads, part k getting
 *                     the items [lo, hi) of 0 .. n-1 (contiguous, in order, sizes differing
 *                     by at most one). T is `threads` (0: 2), capped at 16 and at one thread
 *                     per `grain` items, so small jobs stay on the calling thread. Part 0 runs
 *                     on the caller; a thread that cannot be created runs its part there too,
 *                     so the call always completes. Returns T: callers size per-part scratch
 *                     with wb_parallel_parts first.
 *   wb_parallel_interleave
 *                     for items of uneven cost, the same T threads: calls fn(ctx, k, T) for
 *                     k = 0 .. T-1, part k taking the items k, k + T, k + 2T, ... of 0 .. n-1,
 *                     so that a run of costly neighbours is spread over the parts. Returns T.
 *   wb_parallel_parts the T that wb_parallel_run would use for (n, threads, grain).
 *   wb_big_alloc      n doubles (uninitialised), 2 MiB-aligned and marked for transparent huge
 *                     pages when at least 4 MiB: first touching 100 MB of fresh memory 4 KiB at
 *                     a time costs as much as a pass of arithmetic over it. Free with free().
 *
 * Each part writes only its own output (its rows of an array, or its slot of a per-part scratch
 * array) and the caller combines the parts in order 0 .. T-1, which makes results independent
 * of timing. The calls share no state, so a part may make one of its own, but the threads then
 * multiply: under a call on more than one thread, a part passes threads 1 (it runs inline).
 */
#ifndef WB_PARALLEL_H
#define WB_PARALLEL_H

#include <stddef.h>

#define WB_PARALLEL_MAX 16

typedef void (*wb_parallel_fn)(void *ctx, int part, size_t lo, size_t hi);

int wb_parallel_parts(size_t n, int threads, size_t grain);
int wb_parallel_run(size_t n, int threads, size_t grain, wb_parallel_fn fn, void *ctx);

typedef void (*wb_parallel_interleave_fn)(void *ctx, int part, int parts);

int wb_parallel_interleave(size_t n, int threads, size_t grain, wb_parallel_interleave_fn fn,
			   void *ctx);

double *wb_big_alloc(size_t n);

#endif
