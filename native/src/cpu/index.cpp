#include <cstring>
#include <string>
#include "cpu/guard.h"
#include "jkeras/index.h"

extern "C" int jk_one_hot(const int32_t* ids, float* out, int64_t n, int64_t depth) {
  return jk::guarded("jk_one_hot", [&] {
    for (int64_t i = 0; i < n; ++i)
      if (ids[i] < 0 || ids[i] >= depth)
        throw jk::invalid_argument("id " + std::to_string(ids[i]) + " at position " + std::to_string(i) +
                                   " is outside [0, " + std::to_string(depth) + ")");
    std::memset(out, 0, (size_t)(n * depth) * sizeof(float));
    for (int64_t i = 0; i < n; ++i) out[i * depth + ids[i]] = 1.f;
  });
}

extern "C" int jk_argmax(const float* x, int32_t* out, int64_t rows, int64_t n) {
  return jk::guarded("jk_argmax", [&] {
    jk::require(n > 0, "argmax over an empty axis");
#pragma omp parallel for if (rows * n > jk::kParallelGrain)
    for (int64_t r = 0; r < rows; ++r) {
      const float* p = x + r * n;
      int64_t best = 0;
      for (int64_t k = 1; k < n; ++k)
        if (p[k] > p[best]) best = k;
      out[r] = (int32_t)best;
    }
  });
}
