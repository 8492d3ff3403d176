/* kernel.c — C += A B, register-blocked for AVX2/FMA, BLAS elsewhere. See kernel.h. */
#include "kernel.h"

#include <gsl/gsl_cblas.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define WB_HAVE_AVX2_PATH 1
#include <immintrin.h>

/* A 4 × 8 tile of C: eight 4-wide accumulators, each step of k one pair of loads of B's row,
 * four broadcasts of A's column and eight fused multiply-adds. */
__attribute__((target("avx2,fma"))) static void tile4x8(size_t k, const double *a, size_t lda,
							 const double *b, size_t ldb, double *c,
							 size_t ldc)
{
	__m256d c00 = _mm256_loadu_pd(c), c01 = _mm256_loadu_pd(c + 4);
	__m256d c10 = _mm256_loadu_pd(c + ldc), c11 = _mm256_loadu_pd(c + ldc + 4);
	__m256d c20 = _mm256_loadu_pd(c + 2 * ldc), c21 = _mm256_loadu_pd(c + 2 * ldc + 4);
	__m256d c30 = _mm256_loadu_pd(c + 3 * ldc), c31 = _mm256_loadu_pd(c + 3 * ldc + 4);
	for (size_t i = 0; i < k; i++) {
		const double *bi = b + i * ldb;
		__m256d b0 = _mm256_loadu_pd(bi), b1 = _mm256_loadu_pd(bi + 4);
		__m256d a0 = _mm256_broadcast_sd(a + i), a1 = _mm256_broadcast_sd(a + lda + i);
		__m256d a2 = _mm256_broadcast_sd(a + 2 * lda + i);
		__m256d a3 = _mm256_broadcast_sd(a + 3 * lda + i);
		c00 = _mm256_fmadd_pd(a0, b0, c00);
		c01 = _mm256_fmadd_pd(a0, b1, c01);
		c10 = _mm256_fmadd_pd(a1, b0, c10);
		c11 = _mm256_fmadd_pd(a1, b1, c11);
		c20 = _mm256_fmadd_pd(a2, b0, c20);
		c21 = _mm256_fmadd_pd(a2, b1, c21);
		c30 = _mm256_fmadd_pd(a3, b0, c30);
		c31 = _mm256_fmadd_pd(a3, b1, c31);
	}
	_mm256_storeu_pd(c, c00);
	_mm256_storeu_pd(c + 4, c01);
	_mm256_storeu_pd(c + ldc, c10);
	_mm256_storeu_pd(c + ldc + 4, c11);
	_mm256_storeu_pd(c + 2 * ldc, c20);
	_mm256_storeu_pd(c + 2 * ldc + 4, c21);
	_mm256_storeu_pd(c + 3 * ldc, c30);
	_mm256_storeu_pd(c + 3 * ldc + 4, c31);
}

/* One row of C against 8 columns: the rows left over below the last 4-row tile. */
__attribute__((target("avx2,fma"))) static void tile1x8(size_t k, const double *a,
							 const double *b, size_t ldb, double *c)
{
	__m256d c0 = _mm256_loadu_pd(c), c1 = _mm256_loadu_pd(c + 4);
	for (size_t i = 0; i < k; i++) {
		__m256d ai = _mm256_broadcast_sd(a + i);
		c0 = _mm256_fmadd_pd(ai, _mm256_loadu_pd(b + i * ldb), c0);
		c1 = _mm256_fmadd_pd(ai, _mm256_loadu_pd(b + i * ldb + 4), c1);
	}
	_mm256_storeu_pd(c, c0);
	_mm256_storeu_pd(c + 4, c1);
}

__attribute__((target("avx2,fma"))) static void gemm_avx2(size_t m, size_t n, size_t k,
							   const double *a, size_t lda,
							   const double *b, size_t ldb, double *c,
							   size_t ldc)
{
	size_t n8 = n - n % 8;
	for (size_t r = 0; r < m; r += 4) {
		size_t rows = m - r < 4 ? m - r : 4;
		for (size_t j = 0; j < n8; j += 8) {
			if (rows == 4)
				tile4x8(k, a + r * lda, lda, b + j, ldb, c + r * ldc + j, ldc);
			else
				for (size_t q = 0; q < rows; q++)
					tile1x8(k, a + (r + q) * lda, b + j, ldb,
						c + (r + q) * ldc + j);
		}
		/* the last n % 8 columns, one entry at a time */
		for (size_t q = 0; q < rows; q++)
			for (size_t j = n8; j < n; j++) {
				double s = c[(r + q) * ldc + j];
				for (size_t i = 0; i < k; i++)
					s += a[(r + q) * lda + i] * b[i * ldb + j];
				c[(r + q) * ldc + j] = s;
			}
	}
}

static int use_avx2(void)
{
	return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#endif

void wb_gemm_acc(size_t m, size_t n, size_t k, const double *a, size_t lda, const double *b,
		 size_t ldb, double *c, size_t ldc)
{
	if (m == 0 || n == 0 || k == 0)
		return;
#ifdef WB_HAVE_AVX2_PATH
	if (use_avx2()) {
		gemm_avx2(m, n, k, a, lda, b, ldb, c, ldc);
		return;
	}
#endif
	cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)n, (int)k, 1.0, a,
		    (int)lda, b, (int)ldb, 1.0, c, (int)ldc);
}

const char *wb_gemm_kernel(void)
{
#ifdef WB_HAVE_AVX2_PATH
	if (use_avx2())
		return "avx2";
#endif
	return "blas";
}
