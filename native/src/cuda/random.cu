// Random draws: the CPU's per-element functions (common/philox.h), so both backends give bit-identical numbers.
#include "common/philox.h"
#include "cuda/launch.cuh"
#include "jkeras/cuda.h"

namespace {

__global__ void uniform_kernel(float* __restrict__ out, int64_t n, uint64_t seed, uint64_t offset, float low,
                               float range) {
  JKC_GRID_LOOP(i, n) out[i] = jk::uniform_at(seed, offset + (uint64_t)i, low, range);
}

__global__ void normal_kernel(float* __restrict__ out, int64_t n, uint64_t seed, uint64_t offset, float mean,
                              float stddev) {
  JKC_GRID_LOOP(i, n) out[i] = jk::normal_at(seed, offset + (uint64_t)i, mean, stddev);
}

__global__ void truncated_normal_kernel(float* __restrict__ out, int64_t n, uint64_t seed, uint64_t offset,
                                        float mean, float stddev) {
  JKC_GRID_LOOP(i, n) out[i] = jk::truncated_normal_at(seed, offset + (uint64_t)i, mean, stddev);
}

}  // namespace

extern "C" int jkc_random_uniform(void* stream, float* out, int64_t n, uint64_t seed, uint64_t offset, float low,
                                  float high) {
  if (n < 0) return jkc_fail(JK_INVALID_ARGUMENT, "jkc_random_uniform: negative size");
  if (n == 0) return JK_OK;
  uniform_kernel<<<blocks_for(n), kThreads, 0, as_stream(stream)>>>(out, n, seed, offset, low, high - low);
  return jkc_check_launch("jkc_random_uniform");
}

extern "C" int jkc_random_normal(void* stream, float* out, int64_t n, uint64_t seed, uint64_t offset, float mean,
                                 float stddev) {
  if (n < 0) return jkc_fail(JK_INVALID_ARGUMENT, "jkc_random_normal: negative size");
  if (n == 0) return JK_OK;
  normal_kernel<<<blocks_for(n), kThreads, 0, as_stream(stream)>>>(out, n, seed, offset, mean, stddev);
  return jkc_check_launch("jkc_random_normal");
}

extern "C" int jkc_random_truncated_normal(void* stream, float* out, int64_t n, uint64_t seed, uint64_t offset,
                                           float mean, float stddev) {
  if (n < 0) return jkc_fail(JK_INVALID_ARGUMENT, "jkc_random_truncated_normal: negative size");
  if (n == 0) return JK_OK;
  truncated_normal_kernel<<<blocks_for(n), kThreads, 0, as_stream(stream)>>>(out, n, seed, offset, mean, stddev);
  return jkc_check_launch("jkc_random_truncated_normal");
}
