#include <omp.h>
#include <algorithm>
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

namespace {

/* Throws naming the first id outside [0, rows) (one pass over the ids: cheap next to the rows they move). */
void check_ids(const int32_t* ids, int64_t n, int64_t rows) {
  for (int64_t i = 0; i < n; ++i)
    if (ids[i] < 0 || ids[i] >= rows)
      throw jk::invalid_argument("id " + std::to_string(ids[i]) + " at position " + std::to_string(i) +
                                 " is outside [0, " + std::to_string(rows) + ")");
}

}  // namespace

extern "C" int jk_gather_rows(const float* table, int64_t rows, int64_t dim, const int32_t* ids, int64_t n,
                              float* out) {
  return jk::guarded("jk_gather_rows", [&] {
    jk::require(rows >= 0 && dim >= 0 && n >= 0, "negative size");
    check_ids(ids, n, rows);
    if (dim == 0) return;
#pragma omp parallel for if (n * dim > jk::kParallelGrain)
    for (int64_t i = 0; i < n; ++i) {
      const float* src = table + (int64_t)ids[i] * dim;
      float* dst = out + i * dim;
#pragma omp simd
      for (int64_t k = 0; k < dim; ++k) dst[k] = src[k];
    }
  });
}

extern "C" int jk_scatter_add_rows(const float* src, const int32_t* ids, int64_t n, float* table, int64_t rows,
                                   int64_t dim) {
  return jk::guarded("jk_scatter_add_rows", [&] {
    jk::require(rows >= 0 && dim >= 0 && n >= 0, "negative size");
    check_ids(ids, n, rows);
    if (dim == 0 || n == 0) return;
    const int threads = n * dim > jk::kParallelGrain ? omp_get_max_threads() : 1;
    if (threads == 1) {
      for (int64_t i = 0; i < n; ++i) {
        float* dst = table + (int64_t)ids[i] * dim;
        const float* s = src + i * dim;
#pragma omp simd
        for (int64_t k = 0; k < dim; ++k) dst[k] += s[k];
      }
    } else if (dim >= 16 * threads) {
      // Each thread owns a column range (whole cache lines) of every row: repeated ids cannot race.
#pragma omp parallel num_threads(threads)
      {
        const int t = omp_get_thread_num(), p = omp_get_num_threads();
        const int64_t chunk = ((dim + p - 1) / p + 15) / 16 * 16;
        const int64_t k0 = std::min<int64_t>(dim, t * chunk), k1 = std::min<int64_t>(dim, k0 + chunk);
        for (int64_t i = 0; i < n; ++i) {
          float* dst = table + (int64_t)ids[i] * dim;
          const float* s = src + i * dim;
#pragma omp simd
          for (int64_t k = k0; k < k1; ++k) dst[k] += s[k];
        }
      }
    } else {
      // Narrow rows: each thread owns a range of table rows and adds the source rows whose id falls in it.
#pragma omp parallel num_threads(threads)
      {
        const int t = omp_get_thread_num(), p = omp_get_num_threads();
        const int64_t r0 = rows * t / p, r1 = rows * (t + 1) / p;
        for (int64_t i = 0; i < n; ++i) {
          const int64_t id = ids[i];
          if (id < r0 || id >= r1) continue;
          float* dst = table + id * dim;
          const float* s = src + i * dim;
#pragma omp simd
          for (int64_t k = 0; k < dim; ++k) dst[k] += s[k];
        }
      }
    }
  });
}
