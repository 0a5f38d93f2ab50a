// Optimizer updates in place: the CPU's per-element functions (common/optim.h) on device memory.
#include "common/optim.h"
#include "cuda/launch.cuh"
#include "jkeras/cuda.h"

namespace {

__global__ void sgd_kernel(float* __restrict__ w, const float* __restrict__ g, int64_t n, float lr) {
  JKC_GRID_LOOP(i, n) jk::sgd_step(w[i], g[i], lr);
}

__global__ void sgd_momentum_kernel(float* __restrict__ w, const float* __restrict__ g, float* __restrict__ v,
                                    int64_t n, float lr, float momentum, int nesterov) {
  JKC_GRID_LOOP(i, n) jk::sgd_momentum_step(w[i], v[i], g[i], lr, momentum, nesterov);
}

__global__ void adam_kernel(float* __restrict__ w, const float* __restrict__ g, float* __restrict__ m,
                            float* __restrict__ v, int64_t n, float lr_t, float beta1, float beta2, float epsilon) {
  JKC_GRID_LOOP(i, n) jk::adam_step(w[i], m[i], v[i], g[i], lr_t, beta1, beta2, epsilon);
}

}  // namespace

extern "C" int jkc_sgd_update(void* stream, float* w, const float* g, float* v, int64_t n, float lr, float momentum,
                              int nesterov) {
  if (n < 0) return jkc_fail(JK_INVALID_ARGUMENT, "jkc_sgd_update: negative size");
  if (n == 0) return JK_OK;
  const cudaStream_t s = as_stream(stream);
  if (momentum == 0.f)  // plain SGD: v is not touched (it may be NULL), as on the CPU
    sgd_kernel<<<blocks_for(n), kThreads, 0, s>>>(w, g, n, lr);
  else
    sgd_momentum_kernel<<<blocks_for(n), kThreads, 0, s>>>(w, g, v, n, lr, momentum, nesterov);
  return jkc_check_launch("jkc_sgd_update");
}

extern "C" int jkc_adam_update(void* stream, float* w, const float* g, float* m, float* v, int64_t n, float lr_t,
                               float beta1, float beta2, float epsilon) {
  if (n < 0) return jkc_fail(JK_INVALID_ARGUMENT, "jkc_adam_update: negative size");
  if (n == 0) return JK_OK;
  adam_kernel<<<blocks_for(n), kThreads, 0, as_stream(stream)>>>(w, g, m, v, n, lr_t, beta1, beta2, epsilon);
  return jkc_check_launch("jkc_adam_update");
}
