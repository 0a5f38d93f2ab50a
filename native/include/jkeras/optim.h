/* Optimizer updates, in place, Keras 2 formulas. */
#ifndef JKERAS_OPTIM_H
#define JKERAS_OPTIM_H
#include "status.h"
#ifdef __cplusplus
extern "C" {
#endif

/* v = momentum v - lr g;  w += nesterov ? momentum v - lr g : v   (plain SGD when momentum = 0) */
int jk_sgd_update(float* w, const float* g, float* v, int64_t n, float lr, float momentum, int nesterov);
/* m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;  w -= lr_t m / (sqrt(v) + eps) */
int jk_adam_update(float* w, const float* g, float* m, float* v, int64_t n, float lr_t, float beta1,
                   float beta2, float epsilon);

#ifdef __cplusplus
}
#endif
#endif
