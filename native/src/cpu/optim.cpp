#include <cmath>
#include "cpu/guard.h"
#include "jkeras/optim.h"

extern "C" int jk_sgd_update(float* w, const float* g, float* v, int64_t n, float lr, float momentum, int nesterov) {
  return jk::guarded("jk_sgd_update", [&] {
    if (momentum == 0.f) {
#pragma omp parallel for simd if (n > jk::kParallelGrain)
      for (int64_t i = 0; i < n; ++i) w[i] -= lr * g[i];
      return;
    }
#pragma omp parallel for simd if (n > jk::kParallelGrain)
    for (int64_t i = 0; i < n; ++i) {
      float vi = momentum * v[i] - lr * g[i];
      v[i] = vi;
      w[i] += nesterov ? momentum * vi - lr * g[i] : vi;
    }
  });
}

extern "C" int jk_adam_update(float* w, const float* g, float* m, float* v, int64_t n, float lr_t, float beta1,
                              float beta2, float epsilon) {
  return jk::guarded("jk_adam_update", [&] {
#pragma omp parallel for simd if (n > jk::kParallelGrain)
    for (int64_t i = 0; i < n; ++i) {
      float mi = beta1 * m[i] + (1.f - beta1) * g[i];
      float vi = beta2 * v[i] + (1.f - beta2) * g[i] * g[i];
      m[i] = mi;
      v[i] = vi;
      w[i] -= lr_t * mi / (std::sqrt(vi) + epsilon);
    }
  });
}
