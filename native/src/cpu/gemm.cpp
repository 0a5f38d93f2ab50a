#include <string>
#include <oneapi/dnnl/dnnl.h>
#include "cpu/guard.h"
#include "jkeras/gemm.h"

// oneDNN's sgemm: the same JIT kernels as its matmul primitive, without a primitive to create per shape.
extern "C" int jk_gemm(int trans_a, int trans_b, int64_t batch, int64_t m, int64_t n, int64_t k, float alpha,
                       const float* a, int64_t stride_a, const float* b, int64_t stride_b, float beta, float* c,
                       int64_t stride_c) {
  return jk::guarded("jk_gemm", [&] {
    jk::require(batch >= 0 && m >= 0 && n >= 0 && k >= 0, "negative size");
    if (m == 0 || n == 0) return;
    if (k == 0) {  // op(A) op(B) is all zeros; BLAS leading dimensions must be >= 1, so do it here
      for (int64_t i = 0; i < batch; ++i)
        for (int64_t j = 0; j < m * n; ++j) c[i * stride_c + j] = beta == 0.f ? 0.f : beta * c[i * stride_c + j];
      return;
    }
    const int64_t lda = trans_a ? m : k;
    const int64_t ldb = trans_b ? k : n;
    for (int64_t i = 0; i < batch; ++i) {
      dnnl_status_t st = dnnl_sgemm(trans_a ? 'T' : 'N', trans_b ? 'T' : 'N', m, n, k, alpha, a + i * stride_a,
                                    lda, b + i * stride_b, ldb, beta, c + i * stride_c, n);
      if (st != dnnl_success) throw std::runtime_error("dnnl_sgemm failed with status " + std::to_string((int)st));
    }
  });
}
