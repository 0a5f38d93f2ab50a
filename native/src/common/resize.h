/* Bilinear resizing's sampling (see jkeras/resize.h), shared by the CPU and CUDA kernels: where an output index
 * samples its axis, the interpolation, and the argument check. The multiply-adds are explicit fmaf so that both
 * backends round alike. */
#ifndef JKERAS_COMMON_RESIZE_H
#define JKERAS_COMMON_RESIZE_H
#include <math.h>
#include <stdint.h>
#include <string>
#include "hd.h"

namespace jk {

/* Where output index o of an axis samples the input: its two neighbours and the weight of the upper one, as
 * TensorFlow's compute_interpolation_weights computes them (in float, like TensorFlow). */
struct BilinearTap {
  int64_t lower, upper;
  float lerp;
};

/* scale = in / out of the axis, computed once per axis by the caller: (float)in / (float)out. */
JK_HD BilinearTap bilinear_tap(int64_t o, int64_t in, float scale, bool half_pixel_centers) {
  const float at = half_pixel_centers ? fmaf((float)o + 0.5f, scale, -0.5f) : (float)o * scale;
  const float f = floorf(at);
  BilinearTap t;
  t.lower = (int64_t)f > 0 ? (int64_t)f : 0;
  t.upper = (int64_t)ceilf(at) < in - 1 ? (int64_t)ceilf(at) : in - 1;
  t.lerp = at - f;
  return t;
}

/* a + (b - a) w */
JK_HD float lerp(float a, float b, float w) { return fmaf(b - a, w, a); }

/* Why the arguments of a resize are refused, or "" when they are valid. */
inline std::string resize_problem(int64_t batch, int64_t channels, int64_t in_h, int64_t in_w, int64_t out_h,
                                  int64_t out_w) {
  if (batch < 0 || channels < 0) return "batch and channels must not be negative";
  if (in_h <= 0 || in_w <= 0 || out_h <= 0 || out_w <= 0)
    return "image sizes must be positive, got " + std::to_string(in_h) + "x" + std::to_string(in_w) + " -> " +
           std::to_string(out_h) + "x" + std::to_string(out_w);
  return "";
}

}  // namespace jk
#endif
