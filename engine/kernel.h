/*
 * kernel.h — the dense matrix product behind the refuters' many-simulations-per-pass path.
 *
 *   wb_gemm_acc   C += A B for row-major A (m × k, row stride lda), B (k × n, ldb) and C
 *                 (m × n, ldc).
 *
 * On a CPU with AVX2 and FMA it runs a register-blocked kernel written here (4 rows × 8
 * columns of C held in registers while k streams past); elsewhere it calls BLAS dgemm. The
 * reason it exists: OpenBLAS picks its kernels by CPU model, and a release that does not know
 * the model (Debian 12's 0.3.21 on recent Xeons) falls back to SSE3 kernels at half the speed.
 * Results equal dgemm's to rounding (the sums are taken in the same order of k within each
 * entry, but dgemm may split k). wb_gemm_kernel() names the path in use ("avx2" or "blas").
 */
#ifndef WB_KERNEL_H
#define WB_KERNEL_H

#include <stddef.h>

void wb_gemm_acc(size_t m, size_t n, size_t k, const double *a, size_t lda, const double *b,
		 size_t ldb, double *c, size_t ldc);

const char *wb_gemm_kernel(void);

#endif
