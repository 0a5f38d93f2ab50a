#include <omp.h>
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
    // Below this many multiply-adds, waking the thread pool costs more than the product (measured in bench/).
    constexpr int64_t kParallelMacs = 1 << 20;
    const int saved_threads = omp_get_max_threads();
    const bool serial = m * n * k < kParallelMacs;
    if (serial) omp_set_num_threads(1);
    struct Restore {
      bool on; int threads;
      ~Restore() { if (on) omp_set_num_threads(threads); }
    } restore{serial, saved_threads};
    const int64_t lda = trans_a ? m : k;
    const int64_t ldb = trans_b ? k : n;
    for (int64_t i = 0; i < batch; ++i) {
      dnnl_status_t st = dnnl_sgemm(trans_a ? 'T' : 'N', trans_b ? 'T' : 'N', m, n, k, alpha, a + i * stride_a,
                                    lda, b + i * stride_b, ldb, beta, c + i * stride_c, n);
      if (st != dnnl_success) throw std::runtime_error("dnnl_sgemm failed with status " + std::to_string((int)st));
    }
  });
}
