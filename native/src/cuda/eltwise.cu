// Elementwise kernels of the CUDA backend: the same element functions as the CPU (native/src/common).
#include "common/activations.h"
#include "cuda/launch.cuh"
#include "cuda/strided.cuh"
#include "jkeras/cuda.h"

namespace {

// One kernel per op, the op a compile-time constant so that its switch folds away. No __restrict__: the ops layer
// may run these in place (an output aliasing an input), which each thread's read-then-write of one element allows.
template <int OP>
__global__ void unary_kernel(const float* x, float* y, int64_t n, float a, float b, float c) {
  JKC_GRID_LOOP(i, n) y[i] = jk::unary_forward(OP, x[i], a, b, c);
}

template <int OP>
__global__ void unary_backward_kernel(const float* x, const float* y, const float* dy, float* dx, int64_t n, float a,
                                      float b, float c) {
  JKC_GRID_LOOP(i, n) dx[i] = dy[i] * jk::unary_derivative(OP, x[i], y[i], a, b, c);
}

// out is contiguous over g's shape; g.s0 and g.s1 are a's and b's strides.
template <int OP, class I>
__global__ void binary_kernel(Strided g, int64_t total, const float* a, const float* b, float* out) {
  JKC_GRID_LOOP(i, total) {
    int64_t ia, ib;
    strided_offsets<I>(g, (I)i, ia, ib);
    out[i] = jk::binary_forward(OP, a[ia], b[ib]);
  }
}

template <int OP>
void launch_binary(cudaStream_t s, const Strided& g, int64_t total, const float* a, const float* b, float* out) {
  if (total <= (int64_t)UINT32_MAX)
    binary_kernel<OP, uint32_t><<<blocks_for(total), kThreads, 0, s>>>(g, total, a, b, out);
  else
    binary_kernel<OP, uint64_t><<<blocks_for(total), kThreads, 0, s>>>(g, total, a, b, out);
}

}  // namespace

extern "C" int jkc_unary(void* stream, int op, const float* x, float* y, int64_t n, float a, float b, float c) {
  if (n < 0) return jkc_fail(JK_INVALID_ARGUMENT, "jkc_unary: negative size");
  const cudaStream_t s = as_stream(stream);
  switch (op) {
#define X(OP)                                                                   \
  case OP:                                                                      \
    if (n == 0) return JK_OK;                                                   \
    unary_kernel<OP><<<blocks_for(n), kThreads, 0, s>>>(x, y, n, a, b, c);      \
    break;
    JK_UNARY_OPS(X)
#undef X
    default: return jkc_fail(JK_INVALID_ARGUMENT, "jkc_unary: unknown unary op %d", op);
  }
  return jkc_check_launch("jkc_unary");
}

extern "C" int jkc_unary_backward(void* stream, int op, const float* x, const float* y, const float* dy, float* dx,
                                  int64_t n, float a, float b, float c) {
  if (n < 0) return jkc_fail(JK_INVALID_ARGUMENT, "jkc_unary_backward: negative size");
  const cudaStream_t s = as_stream(stream);
  switch (op) {
#define X(OP)                                                                             \
  case OP:                                                                                \
    if (n == 0) return JK_OK;                                                             \
    unary_backward_kernel<OP><<<blocks_for(n), kThreads, 0, s>>>(x, y, dy, dx, n, a, b, c); \
    break;
    JK_UNARY_OPS(X)
#undef X
    default: return jkc_fail(JK_INVALID_ARGUMENT, "jkc_unary_backward: unknown unary op %d", op);
  }
  return jkc_check_launch("jkc_unary_backward");
}

extern "C" int jkc_binary(void* stream, int op, int rank, const int64_t* shape, const float* a,
                          const int64_t* a_strides, const float* b, const int64_t* b_strides, float* out) {
  if (rank < 0 || rank > JK_MAX_RANK) return jkc_fail(JK_INVALID_ARGUMENT, "jkc_binary: rank out of range");
  for (int d = 0; d < rank; ++d)
    if (shape[d] < 0) return jkc_fail(JK_INVALID_ARGUMENT, "jkc_binary: negative size");
  Strided g;
  const int64_t total = make_strided(rank, shape, a_strides, b_strides, &g);
  const cudaStream_t s = as_stream(stream);
  switch (op) {
#define X(OP) case OP: if (total == 0) return JK_OK; launch_binary<OP>(s, g, total, a, b, out); break;
    JK_BINARY_OPS(X)
#undef X
    default: return jkc_fail(JK_INVALID_ARGUMENT, "jkc_binary: unknown binary op %d", op);
  }
  return jkc_check_launch("jkc_binary");
}
