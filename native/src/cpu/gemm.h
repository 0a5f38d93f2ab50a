/* The matrix product behind jk_gemm, for other CPU kernels to call directly (no status round trip). */
#ifndef JKERAS_CPU_GEMM_H
#define JKERAS_CPU_GEMM_H
#include <cstdint>

namespace jk {

/* C = alpha op(A) op(B) + beta C, row-major, with explicit leading dimensions (elements between rows as stored):
 * op(A) m x k, op(B) k x n, C m x n. Cached oneDNN matmul primitives for large products with alpha 1 and beta 0
 * or 1, oneDNN's sgemm on the calling thread for small ones. Throws on failure (run it inside jk::guarded). */
void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda,
          const float* b, int64_t ldb, float beta, float* c, int64_t ldc);

}  // namespace jk
#endif
