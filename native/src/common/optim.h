/* One element of each optimizer update (Keras 2's formulas, see jkeras/optim.h), shared by the CPU loops and the
 * CUDA kernels. */
#ifndef JKERAS_COMMON_OPTIM_H
#define JKERAS_COMMON_OPTIM_H
#include <math.h>
#include "hd.h"

namespace jk {

/* Plain SGD (momentum 0): no velocity. */
JK_HD void sgd_step(float& w, float g, float lr) { w -= lr * g; }

/* v = momentum v - lr g;  w += nesterov ? momentum v - lr g : v */
JK_HD void sgd_momentum_step(float& w, float& v, float g, float lr, float momentum, int nesterov) {
  const float vi = momentum * v - lr * g;
  v = vi;
  w += nesterov ? momentum * vi - lr * g : vi;
}

/* m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;  w -= lr_t m / (sqrt(v) + eps) */
JK_HD void adam_step(float& w, float& m, float& v, float g, float lr_t, float beta1, float beta2, float epsilon) {
  const float mi = beta1 * m + (1.f - beta1) * g;
  const float vi = beta2 * v + (1.f - beta2) * g * g;
  m = mi;
  v = vi;
  w -= lr_t * mi / (sqrtf(vi) + epsilon);
}

}  // namespace jk
#endif
