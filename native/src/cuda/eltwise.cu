// Elementwise kernels of the CUDA backend: the same element functions as the CPU (native/src/common).
#include <cuda_runtime.h>
#include "common/activations.h"
#include "jkeras/eltwise.h"

namespace {

template <int OP>
__global__ void unary_kernel(const float* __restrict__ x, float* __restrict__ y, int64_t n, float a, float b, float c) {
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
    y[i] = jk::unary_forward(OP, x[i], a, b, c);
}

template <int OP>
__global__ void unary_backward_kernel(const float* __restrict__ x, const float* __restrict__ y,
                                      const float* __restrict__ dy, float* __restrict__ dx, int64_t n, float a,
                                      float b, float c) {
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
    dx[i] = dy[i] * jk::unary_derivative(OP, x[i], y[i], a, b, c);
}

constexpr int kThreads = 256;

inline int blocks_for(int64_t n) {
  int64_t blocks = (n + kThreads - 1) / kThreads;
  return (int)(blocks < 65535 ? (blocks > 0 ? blocks : 1) : 65535);
}

}  // namespace

/* The CUDA twins of jk_unary / jk_unary_backward, on device pointers, launched on the given stream. */
extern "C" int jk_cuda_unary(int op, const float* x, float* y, int64_t n, float a, float b, float c,
                             cudaStream_t stream) {
  switch (op) {
#define X(OP) case OP: unary_kernel<OP><<<blocks_for(n), kThreads, 0, stream>>>(x, y, n, a, b, c); break;
    JK_UNARY_OPS(X)
#undef X
    default: return JK_INVALID_ARGUMENT;
  }
  return cudaGetLastError() == cudaSuccess ? JK_OK : JK_INTERNAL;
}

extern "C" int jk_cuda_unary_backward(int op, const float* x, const float* y, const float* dy, float* dx, int64_t n,
                                      float a, float b, float c, cudaStream_t stream) {
  switch (op) {
#define X(OP) case OP: unary_backward_kernel<OP><<<blocks_for(n), kThreads, 0, stream>>>(x, y, dy, dx, n, a, b, c); break;
    JK_UNARY_OPS(X)
#undef X
    default: return JK_INVALID_ARGUMENT;
  }
  return cudaGetLastError() == cudaSuccess ? JK_OK : JK_INTERNAL;
}
