#include "common/optim.h"
#include "cpu/guard.h"
#include "jkeras/optim.h"

extern "C" int jk_sgd_update(float* w, const float* g, float* v, int64_t n, float lr, float momentum, int nesterov) {
  return jk::guarded("jk_sgd_update", [&] {
    if (momentum == 0.f) {
#pragma omp parallel for simd if (n > jk::kParallelGrain)
      for (int64_t i = 0; i < n; ++i) jk::sgd_step(w[i], g[i], lr);
      return;
    }
#pragma omp parallel for simd if (n > jk::kParallelGrain)
    for (int64_t i = 0; i < n; ++i) jk::sgd_momentum_step(w[i], v[i], g[i], lr, momentum, nesterov);
  });
}

extern "C" int jk_adam_update(float* w, const float* g, float* m, float* v, int64_t n, float lr_t, float beta1,
                              float beta2, float epsilon) {
  return jk::guarded("jk_adam_update", [&] {
#pragma omp parallel for simd if (n > jk::kParallelGrain)
    for (int64_t i = 0; i < n; ++i) jk::adam_step(w[i], m[i], v[i], g[i], lr_t, beta1, beta2, epsilon);
  });
}
