#include "common/activations.h"
#include "cpu/guard.h"
#include "jkeras/eltwise.h"
#include "jkeras/memory.h"

namespace {

// Each op gets its own loop with the op a compile-time constant, so the switch folds away and the loop vectorises.
/* Keras's default relu (no slope, no cap, threshold 0): the common case gets a loop without the general
 * form's per-element branches. */
inline bool plain_relu(int op, float a, float b, float c) { return op == JK_RELU && a == 0.f && isnan(b) && c == 0.f; }

template <int OP>
void unary_loop(const float* x, float* y, int64_t n, float a, float b, float c) {
  if (plain_relu(OP, a, b, c)) {
#pragma omp parallel for simd if (n > jk::kParallelGrain)
    for (int64_t i = 0; i < n; ++i) y[i] = x[i] > 0.f ? x[i] : 0.f;
    return;
  }
#pragma omp parallel for simd if (n > jk::kParallelGrain)
  for (int64_t i = 0; i < n; ++i) y[i] = jk::unary_forward(OP, x[i], a, b, c);
}

template <int OP>
void unary_backward_loop(const float* x, const float* y, const float* dy, float* dx, int64_t n, float a, float b,
                         float c) {
  if (plain_relu(OP, a, b, c)) {
#pragma omp parallel for simd if (n > jk::kParallelGrain)
    for (int64_t i = 0; i < n; ++i) dx[i] = x[i] > 0.f ? dy[i] : 0.f;
    return;
  }
#pragma omp parallel for simd if (n > jk::kParallelGrain)
  for (int64_t i = 0; i < n; ++i) dx[i] = dy[i] * jk::unary_derivative(OP, x[i], y[i], a, b, c);
}

template <int OP>
void binary_rows(int64_t rows, const int64_t* outer_shape, int outer_rank, int64_t inner, const float* a,
                 const int64_t* as, const float* b, const int64_t* bs, float* out, int64_t total) {
  int64_t ia = as[outer_rank], ib = bs[outer_rank];
#pragma omp parallel for if (total > jk::kParallelGrain)
  for (int64_t r = 0; r < rows; ++r) {
    int64_t rem = r, ao = 0, bo = 0;
    for (int d = outer_rank - 1; d >= 0; --d) {
      int64_t i = rem % outer_shape[d];
      rem /= outer_shape[d];
      ao += i * as[d];
      bo += i * bs[d];
    }
    const float* pa = a + ao;
    const float* pb = b + bo;
    float* po = out + r * inner;
    if (ia == 1 && ib == 1) {
#pragma omp simd
      for (int64_t i = 0; i < inner; ++i) po[i] = jk::binary_forward(OP, pa[i], pb[i]);
    } else if (ia == 1 && ib == 0) {
      const float vb = pb[0];
#pragma omp simd
      for (int64_t i = 0; i < inner; ++i) po[i] = jk::binary_forward(OP, pa[i], vb);
    } else if (ia == 0 && ib == 1) {
      const float va = pa[0];
#pragma omp simd
      for (int64_t i = 0; i < inner; ++i) po[i] = jk::binary_forward(OP, va, pb[i]);
    } else {
      for (int64_t i = 0; i < inner; ++i) po[i] = jk::binary_forward(OP, pa[i * ia], pb[i * ib]);
    }
  }
}

}  // namespace

extern "C" int jk_unary(int op, const float* x, float* y, int64_t n, float a, float b, float c) {
  return jk::guarded("jk_unary", [&] {
    switch (op) {
#define X(OP) case OP: unary_loop<OP>(x, y, n, a, b, c); return;
      JK_UNARY_OPS(X)
#undef X
      default: throw jk::invalid_argument("unknown unary op " + std::to_string(op));
    }
  });
}

extern "C" int jk_unary_backward(int op, const float* x, const float* y, const float* dy, float* dx, int64_t n,
                                 float a, float b, float c) {
  return jk::guarded("jk_unary_backward", [&] {
    switch (op) {
#define X(OP) case OP: unary_backward_loop<OP>(x, y, dy, dx, n, a, b, c); return;
      JK_UNARY_OPS(X)
#undef X
      default: throw jk::invalid_argument("unknown unary op " + std::to_string(op));
    }
  });
}

extern "C" int jk_binary(int op, int rank, const int64_t* shape, const float* a, const int64_t* a_strides,
                         const float* b, const int64_t* b_strides, float* out) {
  return jk::guarded("jk_binary", [&] {
    jk::require(rank >= 0 && rank <= JK_MAX_RANK, "rank out of range");
    // Merge adjacent dimensions that are contiguous on both sides (and in the output), dropping size-1 ones.
    int64_t sh[JK_MAX_RANK + 1], as[JK_MAX_RANK + 1], bs[JK_MAX_RANK + 1];
    int r = 0;
    int64_t total = 1;
    for (int d = 0; d < rank; ++d) {
      total *= shape[d];
      if (shape[d] == 1) continue;
      if (r > 0 && as[r - 1] == a_strides[d] * shape[d] && bs[r - 1] == b_strides[d] * shape[d]) {
        sh[r - 1] *= shape[d];
        as[r - 1] = a_strides[d];
        bs[r - 1] = b_strides[d];
      } else {
        sh[r] = shape[d];
        as[r] = a_strides[d];
        bs[r] = b_strides[d];
        ++r;
      }
    }
    if (total == 0) return;
    if (r == 0) { sh[0] = 1; as[0] = 0; bs[0] = 0; r = 1; }
    int64_t inner = sh[r - 1];
    int64_t rows = total / inner;
    switch (op) {
#define X(OP) case OP: binary_rows<OP>(rows, sh, r - 1, inner, a, as, b, bs, out, total); return;
      JK_BINARY_OPS(X)
#undef X
      default: throw jk::invalid_argument("unknown binary op " + std::to_string(op));
    }
  });
}
