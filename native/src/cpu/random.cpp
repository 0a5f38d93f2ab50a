#include "common/philox.h"
#include "cpu/guard.h"
#include "jkeras/random.h"

extern "C" int jk_random_uniform(float* out, int64_t n, uint64_t seed, uint64_t offset, float low, float high) {
  return jk::guarded("jk_random_uniform", [&] {
    const float range = high - low;
#pragma omp parallel for if (n > jk::kParallelGrain)
    for (int64_t i = 0; i < n; ++i) out[i] = low + range * jk::uniform01(jk::philox(offset + i, 0, seed).v[0]);
  });
}

extern "C" int jk_random_normal(float* out, int64_t n, uint64_t seed, uint64_t offset, float mean, float stddev) {
  return jk::guarded("jk_random_normal", [&] {
#pragma omp parallel for if (n > jk::kParallelGrain)
    for (int64_t i = 0; i < n; ++i) {
      jk::Philox4 r = jk::philox(offset + i, 0, seed);
      out[i] = mean + stddev * jk::normal_from(r.v[0], r.v[1]);
    }
  });
}

extern "C" int jk_random_truncated_normal(float* out, int64_t n, uint64_t seed, uint64_t offset, float mean,
                                          float stddev) {
  return jk::guarded("jk_random_truncated_normal", [&] {
#pragma omp parallel for if (n > jk::kParallelGrain)
    for (int64_t i = 0; i < n; ++i) {
      // Each redraw uses the next value of the counter's high word: still one value per (seed, offset + i).
      float z;
      uint32_t attempt = 0;
      do {
        jk::Philox4 r = jk::philox(offset + i, attempt++, seed);
        z = jk::normal_from(r.v[0], r.v[1]);
      } while (z < -2.f || z > 2.f);
      out[i] = mean + stddev * z;
    }
  });
}
