/* Softmax and its gradient along one column of an (outer, n, inner) view (jkeras/reduce.h): the n elements of the
 * column stand stride apart. Shared by the CPU kernels (native/src/cpu/reduce.cpp) and CUDA's strided kernels
 * (native/src/cuda/reduce.cu) so both compute the same numbers in the same order. */
#ifndef JKERAS_COMMON_SOFTMAX_H
#define JKERAS_COMMON_SOFTMAX_H
#include <math.h>
#include <stdint.h>
#include "hd.h"

namespace jk {

/* y = e^(x - max x) / sum e^(x - max x); y may be x (every element is read before it is written). */
JK_HD void softmax_column(const float* x, float* y, int64_t n, int64_t stride) {
  float m = -INFINITY;
  for (int64_t k = 0; k < n; ++k) m = fmaxf(m, x[k * stride]);
  float s = 0.f;
  for (int64_t k = 0; k < n; ++k) {
    const float e = expf(x[k * stride] - m);
    y[k * stride] = e;
    s += e;
  }
  const float inv = 1.f / s;
  for (int64_t k = 0; k < n; ++k) y[k * stride] *= inv;
}

/* dx = y * (dy - sum_k dy * y); dx may be dy (the sum is complete before any write). */
JK_HD void softmax_backward_column(const float* y, const float* dy, float* dx, int64_t n, int64_t stride) {
  float dot = 0.f;
  for (int64_t k = 0; k < n; ++k) dot += dy[k * stride] * y[k * stride];
  for (int64_t k = 0; k < n; ++k) {
    const int64_t j = k * stride;
    dx[j] = y[j] * (dy[j] - dot);
  }
}

}  // namespace jk
#endif
