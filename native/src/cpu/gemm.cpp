#include <omp.h>
#include <string>
#include <oneapi/dnnl/dnnl.h>
#include "cpu/dnnl_context.h"
#include "cpu/guard.h"
#include "cpu/gemm.h"
#include "jkeras/gemm.h"

using dnnl::memory;

namespace {

// Below this many multiply-adds, waking the thread pool costs more than the product (measured in bench/).
constexpr int64_t kParallelMacs = 1 << 20;

/* oneDNN's sgemm, one call per batch item, run on the calling thread alone when the product is small. */
void sgemm(int trans_a, int trans_b, int64_t batch, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
           int64_t lda, int64_t stride_a, const float* b, int64_t ldb, int64_t stride_b, float beta, float* c,
           int64_t ldc, int64_t stride_c) {
  const int saved_threads = omp_get_max_threads();
  const bool serial = m * n * k < kParallelMacs;
  if (serial) omp_set_num_threads(1);
  struct Restore {
    bool on;
    int threads;
    ~Restore() { if (on) omp_set_num_threads(threads); }
  } restore{serial, saved_threads};
  for (int64_t i = 0; i < batch; ++i) {
    dnnl_status_t st = dnnl_sgemm(trans_a ? 'T' : 'N', trans_b ? 'T' : 'N', m, n, k, alpha, a + i * stride_a, lda,
                                  b + i * stride_b, ldb, beta, c + i * stride_c, ldc);
    if (st != dnnl_success) throw std::runtime_error("dnnl_sgemm failed with status " + std::to_string((int)st));
  }
}

/* The matmul primitive of one geometry: transposes and broadcast batches are strides of its memory descriptors. */
struct MatmulEntry {
  memory::desc a, b, c;
  dnnl::matmul primitive;
};

jk::PrimitiveCache<MatmulEntry>& matmul_cache() {
  static jk::PrimitiveCache<MatmulEntry> cache;
  return cache;
}

memory::desc operand(int64_t batch, int64_t rows, int64_t cols, bool transposed, int64_t ld, int64_t batch_stride) {
  // A transposed operand is stored cols x rows (ld apart): its logical (rows, cols) view has strides (1, ld).
  const bool shared = batch_stride == 0;
  memory::dims dims{shared ? 1 : batch, rows, cols};
  memory::dims strides{shared ? rows * cols : batch_stride, transposed ? 1 : ld, transposed ? ld : 1};
  return memory::desc(dims, memory::data_type::f32, strides);
}

std::shared_ptr<MatmulEntry> matmul_entry(int trans_a, int trans_b, int64_t batch, int64_t m, int64_t n, int64_t k,
                                          int64_t lda, int64_t stride_a, int64_t ldb, int64_t stride_b, int64_t ldc,
                                          int64_t stride_c, bool accumulate) {
  jk::PrimitiveKey key{trans_a, trans_b, batch, m, n, k, lda, stride_a, ldb, stride_b, ldc, stride_c,
                       accumulate ? 1 : 0};
  return matmul_cache().get(key, [&] {
    auto e = std::make_shared<MatmulEntry>();
    e->a = operand(batch, m, k, trans_a, lda, stride_a);
    e->b = operand(batch, k, n, trans_b, ldb, stride_b);
    e->c = memory::desc({batch, m, n}, memory::data_type::f32, memory::dims{stride_c, ldc, 1});
    dnnl::primitive_attr attr;
    if (accumulate) {
      dnnl::post_ops ops;
      ops.append_sum(1.f);
      attr.set_post_ops(ops);
    }
    e->primitive = dnnl::matmul(dnnl::matmul::primitive_desc(jk::cpu_engine(), e->a, e->b, e->c, attr));
    return e;
  });
}

/* The body of jk_gemm with explicit leading dimensions; throws. */
void gemm_impl(int trans_a, int trans_b, int64_t batch, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
               int64_t lda, int64_t stride_a, const float* b, int64_t ldb, int64_t stride_b, float beta, float* c,
               int64_t ldc, int64_t stride_c) {
  jk::require(batch >= 0 && m >= 0 && n >= 0 && k >= 0, "negative size");
  if (batch == 0 || m == 0 || n == 0) return;
  if (k == 0) {  // op(A) op(B) is all zeros; BLAS leading dimensions must be >= 1, so do it here
    for (int64_t i = 0; i < batch; ++i)
      for (int64_t r = 0; r < m; ++r)
        for (int64_t j = 0; j < n; ++j) {
          float& v = c[i * stride_c + r * ldc + j];
          v = beta == 0.f ? 0.f : beta * v;
        }
    return;
  }
  const bool primitive_fits = alpha == 1.f && (beta == 0.f || beta == 1.f) && (batch == 1 || stride_c == m * ldc);
  if (!primitive_fits || m * n * k < kParallelMacs) {
    sgemm(trans_a, trans_b, batch, m, n, k, alpha, a, lda, stride_a, b, ldb, stride_b, beta, c, ldc, stride_c);
    return;
  }
  auto e = matmul_entry(trans_a, trans_b, batch, m, n, k, lda, batch > 1 ? stride_a : 0, ldb,
                        batch > 1 ? stride_b : 0, ldc, batch > 1 ? stride_c : m * ldc, beta == 1.f);
  auto& eng = jk::cpu_engine();
  e->primitive.execute(jk::cpu_stream(), {{DNNL_ARG_SRC, memory(e->a, eng, const_cast<float*>(a))},
                                          {DNNL_ARG_WEIGHTS, memory(e->b, eng, const_cast<float*>(b))},
                                          {DNNL_ARG_DST, memory(e->c, eng, c)}});
  jk::cpu_stream().wait();
}

}  // namespace

namespace jk {

void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda,
          const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  gemm_impl(trans_a, trans_b, 1, m, n, k, alpha, a, lda, 0, b, ldb, 0, beta, c, ldc, 0);
}

}  // namespace jk

/* Large products run as cached oneDNN matmul primitives (faster than sgemm here, see bench/), small ones
 * through sgemm on one thread; alpha != 1 or a beta other than 0 and 1 also take the sgemm path. */
extern "C" int jk_gemm(int trans_a, int trans_b, int64_t batch, int64_t m, int64_t n, int64_t k, float alpha,
                       const float* a, int64_t stride_a, const float* b, int64_t stride_b, float beta, float* c,
                       int64_t stride_c) {
  return jk::guarded("jk_gemm", [&] {
    gemm_impl(trans_a, trans_b, batch, m, n, k, alpha, a, trans_a ? m : k, stride_a, b, trans_b ? k : n, stride_b,
              beta, c, n, stride_c);
  });
}
