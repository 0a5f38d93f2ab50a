#include <cmath>
#include <limits>
#include <vector>
#include "common/softmax.h"
#include "cpu/guard.h"
#include "jkeras/reduce.h"

namespace {

template <int OP>
inline float reduce_init() {
  if (OP == JK_REDUCE_MAX) return -std::numeric_limits<float>::infinity();
  if (OP == JK_REDUCE_MIN) return std::numeric_limits<float>::infinity();
  return 0.f;
}

template <int OP>
inline float reduce_step(float acc, float v) {
  if (OP == JK_REDUCE_MAX) return std::fmax(acc, v);
  if (OP == JK_REDUCE_MIN) return std::fmin(acc, v);
  return acc + v;
}

template <int OP>
void reduce_impl(const float* x, float* y, int64_t outer, int64_t n, int64_t inner) {
  const float scale = OP == JK_REDUCE_MEAN ? 1.f / (float)n : 1.f;
  const int64_t total = outer * n * inner;
  if (inner == 1) {
#pragma omp parallel for if (total > jk::kParallelGrain)
    for (int64_t o = 0; o < outer; ++o) {
      const float* p = x + o * n;
      float acc = reduce_init<OP>();
      if (OP == JK_REDUCE_SUM || OP == JK_REDUCE_MEAN) {
        // Accumulating in double keeps long rows accurate.
        double s = 0.0;
#pragma omp simd reduction(+ : s)
        for (int64_t k = 0; k < n; ++k) s += p[k];
        acc = (float)s;
      } else {
        for (int64_t k = 0; k < n; ++k) acc = reduce_step<OP>(acc, p[k]);
      }
      y[o] = acc * scale;
    }
    return;
  }
  // Blocks of the inner axis are independent too: with few outer rows (a bias gradient) they carry the parallelism.
  constexpr int64_t kBlock = 256;
  const int64_t blocks = (inner + kBlock - 1) / kBlock;
#pragma omp parallel for collapse(2) if (total > jk::kParallelGrain)
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t blk = 0; blk < blocks; ++blk) {
      const int64_t i0 = blk * kBlock, i1 = i0 + kBlock < inner ? i0 + kBlock : inner;
      float* out = y + o * inner;
      for (int64_t i = i0; i < i1; ++i) out[i] = reduce_init<OP>();
      for (int64_t k = 0; k < n; ++k) {
        const float* p = x + (o * n + k) * inner;
#pragma omp simd
        for (int64_t i = i0; i < i1; ++i) out[i] = reduce_step<OP>(out[i], p[i]);
      }
      if (scale != 1.f)
        for (int64_t i = i0; i < i1; ++i) out[i] *= scale;
    }
  }
}

}  // namespace

extern "C" int jk_reduce(int op, const float* x, float* y, int64_t outer, int64_t n, int64_t inner) {
  return jk::guarded("jk_reduce", [&] {
    jk::require(outer >= 0 && n >= 0 && inner >= 0, "negative size");
    switch (op) {
      case JK_REDUCE_SUM: reduce_impl<JK_REDUCE_SUM>(x, y, outer, n, inner); return;
      case JK_REDUCE_MEAN: reduce_impl<JK_REDUCE_MEAN>(x, y, outer, n, inner); return;
      case JK_REDUCE_MAX: reduce_impl<JK_REDUCE_MAX>(x, y, outer, n, inner); return;
      case JK_REDUCE_MIN: reduce_impl<JK_REDUCE_MIN>(x, y, outer, n, inner); return;
      default: throw jk::invalid_argument("unknown reduction " + std::to_string(op));
    }
  });
}

extern "C" int jk_softmax(const float* x, float* y, int64_t outer, int64_t n, int64_t inner) {
  return jk::guarded("jk_softmax", [&] {
    const int64_t total = outer * n * inner;
#pragma omp parallel for collapse(2) if (total > jk::kParallelGrain)
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t i = 0; i < inner; ++i) jk::softmax_column(x + o * n * inner + i, y + o * n * inner + i, n, inner);
    }
  });
}

extern "C" int jk_softmax_backward(const float* y, const float* dy, float* dx, int64_t outer, int64_t n,
                                   int64_t inner) {
  return jk::guarded("jk_softmax_backward", [&] {
    const int64_t total = outer * n * inner;
#pragma omp parallel for collapse(2) if (total > jk::kParallelGrain)
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t i = 0; i < inner; ++i) {
        const int64_t base = o * n * inner + i;
        jk::softmax_backward_column(y + base, dy + base, dx + base, n, inner);
      }
    }
  });
}
