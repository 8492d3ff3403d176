/* Unit tests for engine/parallel (the work split, contiguous and interleaved; huge-page arrays)
 * and engine/kernel (C += A B against BLAS dgemm on every edge of the 4 × 8 tiling). */
#include "../../engine/kernel.h"
#include "../../engine/parallel.h"
#include "../tap.h"

#include <gsl/gsl_cblas.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct seen {
	size_t lo[WB_PARALLEL_MAX], hi[WB_PARALLEL_MAX];
	int calls[WB_PARALLEL_MAX];
} seen;

static void record(void *arg, int part, size_t lo, size_t hi)
{
	seen *s = arg;
	s->lo[part] = lo;
	s->hi[part] = hi;
	s->calls[part]++;
}

static void test_split(void)
{
	seen s = {0};
	int t = wb_parallel_run(10, 3, 1, record, &s);
	ok(t == 3, "3 threads asked, 3 parts (%d)", t);
	ok(s.lo[0] == 0 && s.hi[0] == 3 && s.lo[1] == 3 && s.hi[1] == 6 && s.lo[2] == 6 &&
	       s.hi[2] == 10,
	   "parts are contiguous and in order: [0,3) [3,6) [6,10)");
	ok(s.calls[0] == 1 && s.calls[1] == 1 && s.calls[2] == 1, "each part runs once");
	ok(wb_parallel_parts(30000, 2, 20000) == 1, "below two grains: one part");
	ok(wb_parallel_parts(50000, 2, 20000) == 2, "two grains: two parts");
	ok(wb_parallel_parts(50000, 40, 1) == WB_PARALLEL_MAX, "threads capped at %d",
	   WB_PARALLEL_MAX);
	ok(wb_parallel_parts(0, 2, 1) == 1, "no items: one (empty) part");
	memset(&s, 0, sizeof s);
	wb_parallel_run(0, 2, 1, record, &s);
	ok(s.calls[0] == 1 && s.lo[0] == 0 && s.hi[0] == 0, "an empty range still calls part 0");
}

/* Each part of an interleave marks the items it takes with its number. */
typedef struct marks {
	size_t n;
	int owner[25], parts[WB_PARALLEL_MAX];
} marks;

static void mark(void *arg, int part, int parts)
{
	marks *m = arg;
	m->parts[part] = parts;
	for (size_t i = (size_t)part; i < m->n; i += (size_t)parts)
		m->owner[i] = m->owner[i] ? -1 : part + 1;
}

static void test_interleave(void)
{
	marks m = {.n = 25};
	int t = wb_parallel_interleave(25, 3, 1, mark, &m), each = 1, told = 1;
	for (size_t i = 0; i < 25; i++)
		each &= m.owner[i] == (int)(i % 3) + 1;
	for (int k = 0; k < 3; k++)
		told &= m.parts[k] == 3;
	ok(t == 3 && each, "3 threads over 25 items: part k takes k, k + 3, ... and no item twice");
	ok(told, "every part is told T = 3");
	ok(wb_parallel_interleave(30000, 2, 20000, mark, &(marks){0}) ==
	       wb_parallel_parts(30000, 2, 20000),
	   "as many parts as wb_parallel_run would use");
	memset(&m, 0, sizeof m);
	t = wb_parallel_interleave(0, 2, 1, mark, &m);
	ok(t == 1 && m.parts[0] == 1, "no items: part 0 of 1 still runs");
}

static void test_big_alloc(void)
{
	double *small = wb_big_alloc(10), *big = wb_big_alloc((size_t)3 << 20);
	ok(small != NULL && big != NULL, "small and big arrays");
	ok(((uintptr_t)big & (((uintptr_t)2 << 20) - 1)) == 0, "a 24 MB array is 2 MiB aligned");
	big[((size_t)3 << 20) - 1] = 1; /* the whole range is writable */
	free(small);
	free(big);
}

/* wb_gemm_acc equals dgemm, C starting non-zero, for sizes around the 4 × 8 tile. */
static void test_gemm(void)
{
	static const size_t ms[] = {1, 3, 4, 5, 9, 64}, ns[] = {1, 7, 8, 9, 17, 90}, k = 37;
	srand(3);
	int all = 1;
	double worst = 0;
	for (size_t a = 0; a < 6; a++)
		for (size_t b = 0; b < 6; b++) {
			size_t m = ms[a], n = ns[b], lda = k + 3, ldb = n + 2, ldc = n + 1;
			double *A = malloc(m * lda * sizeof *A), *B = malloc(k * ldb * sizeof *B);
			double *C = malloc(m * ldc * sizeof *C), *D = malloc(m * ldc * sizeof *D);
			for (size_t i = 0; i < m * lda; i++)
				A[i] = rand() / (double)RAND_MAX - 0.5;
			for (size_t i = 0; i < k * ldb; i++)
				B[i] = rand() / (double)RAND_MAX - 0.5;
			for (size_t i = 0; i < m * ldc; i++)
				C[i] = D[i] = rand() / (double)RAND_MAX;
			wb_gemm_acc(m, n, k, A, lda, B, ldb, C, ldc);
			cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)n,
				    (int)k, 1.0, A, (int)lda, B, (int)ldb, 1.0, D, (int)ldc);
			for (size_t r = 0; r < m; r++)
				for (size_t c = 0; c < ldc; c++) {
					double d = fabs(C[r * ldc + c] - D[r * ldc + c]);
					worst = d > worst ? d : worst;
				}
			all &= worst < 1e-12;
			free(A);
			free(B);
			free(C);
			free(D);
		}
	ok(all, "C += A B equals dgemm for m in {1,3,4,5,9,64}, n in {1,7,8,9,17,90} (worst %g, "
		"%s path), padding columns untouched",
	   worst, wb_gemm_kernel());
	double A[2] = {1, 2}, B[2] = {3, 4}, C[1] = {5};
	wb_gemm_acc(1, 1, 2, A, 2, B, 1, C, 1);
	ok(C[0] == 5 + 3 + 8, "1 × 2 times 2 × 1 added to 5 is 16 (%g)", C[0]);
	wb_gemm_acc(1, 1, 0, A, 2, B, 1, C, 1);
	ok(C[0] == 16, "k = 0 leaves C");
}

int main(void)
{
	test_split();
	test_interleave();
	test_big_alloc();
	test_gemm();
	return done();
}
