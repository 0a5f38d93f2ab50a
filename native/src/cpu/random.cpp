#include "common/philox.h"
#include "cpu/guard.h"
#include "jkeras/random.h"

extern "C" int jk_random_uniform(float* out, int64_t n, uint64_t seed, uint64_t offset, float low, float high) {
  return jk::guarded("jk_random_uniform", [&] {
    const float range = high - low;
#pragma omp parallel for if (n > jk::kParallelGrain)
    for (int64_t i = 0; i < n; ++i) out[i] = jk::uniform_at(seed, offset + i, low, range);
  });
}

extern "C" int jk_random_normal(float* out, int64_t n, uint64_t seed, uint64_t offset, float mean, float stddev) {
  return jk::guarded("jk_random_normal", [&] {
#pragma omp parallel for if (n > jk::kParallelGrain)
    for (int64_t i = 0; i < n; ++i) out[i] = jk::normal_at(seed, offset + i, mean, stddev);
  });
}

extern "C" int jk_random_truncated_normal(float* out, int64_t n, uint64_t seed, uint64_t offset, float mean,
                                          float stddev) {
  return jk::guarded("jk_random_truncated_normal", [&] {
#pragma omp parallel for if (n > jk::kParallelGrain)
    for (int64_t i = 0; i < n; ++i) out[i] = jk::truncated_normal_at(seed, offset + i, mean, stddev);
  });
}
