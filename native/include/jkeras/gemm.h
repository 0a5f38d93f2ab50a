/* Matrix products, row-major. */
#ifndef JKERAS_GEMM_H
#define JKERAS_GEMM_H
#include "status.h"
#ifdef __cplusplus
extern "C" {
#endif

/* For each of batch products: C = alpha op(A) op(B) + beta C, op(A) M x K, op(B) K x N, C M x N.
 * stride_a / stride_b / stride_c: elements between consecutive batch items (0 broadcasts one matrix). */
int jk_gemm(int trans_a, int trans_b, int64_t batch, int64_t m, int64_t n, int64_t k, float alpha,
            const float* a, int64_t stride_a, const float* b, int64_t stride_b, float beta,
            float* c, int64_t stride_c);

#ifdef __cplusplus
}
#endif
#endif
