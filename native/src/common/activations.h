/* Element functions of the unary ops (every Keras 2 activation) and their derivatives, shared by the CPU
 * kernels and the CUDA kernels so both backends compute the same numbers. */
#ifndef JKERAS_COMMON_ACTIVATIONS_H
#define JKERAS_COMMON_ACTIVATIONS_H
#include <math.h>
#include <stdint.h>
#include "hd.h"
#include "jkeras/eltwise.h"

/* Every unary op, for the dispatch switches of the kernels. */
#define JK_UNARY_OPS(X)                                                                                   \
  X(JK_LINEAR) X(JK_RELU) X(JK_ELU) X(JK_SELU) X(JK_SOFTPLUS) X(JK_SOFTSIGN) X(JK_TANH) X(JK_SIGMOID)   \
  X(JK_HARD_SIGMOID) X(JK_EXP) X(JK_NEG) X(JK_LOG) X(JK_SQRT) X(JK_SQUARE) X(JK_ABS) X(JK_RECIPROCAL)  \
  X(JK_AFFINE) X(JK_CLIP) X(JK_POW) X(JK_STEP) X(JK_SIGN) X(JK_THRESHOLDED_RELU)

/* Every binary op. */
#define JK_BINARY_OPS(X) \
  X(JK_ADD) X(JK_SUB) X(JK_MUL) X(JK_DIV) X(JK_MAXIMUM) X(JK_MINIMUM) X(JK_GREATER_EQUAL) X(JK_EQUAL) X(JK_POW_BINARY)

namespace jk {

constexpr float kSeluAlpha = 1.6732632423543772848170429916717f;
constexpr float kSeluScale = 1.0507009873554804934193349852946f;

/* max / min by comparison: unlike fmaxf / fminf they vectorise without -ffast-math (a NaN x gives the bound). */
JK_HD float maxf(float x, float bound) { return x > bound ? x : bound; }
JK_HD float minf(float x, float bound) { return x < bound ? x : bound; }

/* e^x without branches, so that loops of it vectorise (libm's expf is a call per element): Cephes's range
 * reduction x = n ln2 + r, a degree-6 polynomial for e^r and 2^n from exponent bits in two halves (subnormal
 * results stay right). Within 2 ulp of e^x; 0 below -104, inf above 88.73, NaN stays NaN. */
JK_HD float exp_poly(float x) {
  const float xc = minf(maxf(x, -104.f), 88.8f);
  // n = round(x / ln2) by the 1.5 * 2^23 trick (floorf and rintf are calls without -ffast-math, this vectorises)
  const float n = (xc * 1.44269504088896341f + 12582912.f) - 12582912.f;
  float r = xc - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  const float p = ((((1.9875691500e-4f * r + 1.3981999507e-3f) * r + 8.3334519073e-3f) * r + 4.1665795894e-2f) * r +
                   1.6666665459e-1f) * r + 5.0000001201e-1f;
  const float y = p * (r * r) + r + 1.f;
  const int k = (int)n;
  const int k1 = k >> 1;  // 2^k = 2^k1 2^(k - k1), each factor a normal float
  const float e = y * bits_to_float((uint32_t)(k1 + 127) << 23) * bits_to_float((uint32_t)(k - k1 + 127) << 23);
  return x != x ? x : (x > 88.7228394f ? INFINITY : e);
}

/* tanh without branches (vectorises): Cephes's odd polynomial below |x| = 0.625, 1 - 2 / (e^{2|x|} + 1) above;
 * within 3 ulp. */
JK_HD float tanh_poly(float x) {
  const float ax = fabsf(x);
  const float big = 1.f - 2.f / (exp_poly(2.f * ax) + 1.f);
  const float s = x * x;
  const float small =
      ((((-5.70498872745e-3f * s + 2.06390887954e-2f) * s - 5.37397155531e-2f) * s + 1.33314422036e-1f) * s -
       3.33332819422e-1f) * s * x + x;
  return ax < 0.625f ? small : copysignf(big, x);
}

/* 1 / (1 + e^-x): e^-x overflowing to inf gives the right limit 0, so one branch-free formula serves. */
JK_HD float sigmoidf(float x) { return 1.f / (1.f + exp_poly(-x)); }

JK_HD float softplusf(float x) { return x > 0.f ? x + log1pf(expf(-x)) : log1pf(expf(x)); }

/* Keras 2 backend relu: alpha = negative slope, max_value NaN for none, threshold. */
JK_HD float reluf(float x, float alpha, float max_value, float threshold) {
  float pos = x > threshold ? x : 0.f;
  if (!isnan(max_value)) pos = minf(maxf(pos, 0.f), max_value);
  if (alpha != 0.f) pos -= alpha * maxf(threshold - x, 0.f);
  return pos;
}

JK_HD float relu_grad(float x, float alpha, float max_value, float threshold) {
  float g = x > threshold ? 1.f : 0.f;
  if (!isnan(max_value)) {
    float pos = x > threshold ? x : 0.f;
    if (pos < 0.f || pos > max_value) g = 0.f;
  }
  if (alpha != 0.f && threshold - x > 0.f) g += alpha;
  return g;
}

JK_HD float unary_forward(int op, float x, float a, float b, float c) {
  switch (op) {
    case JK_LINEAR: return x;
    case JK_RELU: return reluf(x, a, b, c);
    case JK_ELU: return x > 0.f ? x : a * expm1f(x);
    case JK_SELU: return kSeluScale * (x > 0.f ? x : kSeluAlpha * expm1f(x));
    case JK_SOFTPLUS: return softplusf(x);
    case JK_SOFTSIGN: return x / (1.f + fabsf(x));
    case JK_TANH: return tanh_poly(x);
    case JK_SIGMOID: return sigmoidf(x);
    case JK_HARD_SIGMOID: return minf(maxf(0.2f * x + 0.5f, 0.f), 1.f);
    case JK_EXP: return expf(x);
    case JK_NEG: return -x;
    case JK_LOG: return logf(x);
    case JK_SQRT: return sqrtf(x);
    case JK_SQUARE: return x * x;
    case JK_ABS: return fabsf(x);
    case JK_RECIPROCAL: return 1.f / x;
    case JK_AFFINE: return a * x + b;
    case JK_CLIP: return minf(maxf(x, a), b);
    case JK_POW: return powf(x, a);
    case JK_STEP: return x >= a ? 1.f : 0.f;
    case JK_SIGN: return x > 0.f ? 1.f : (x < 0.f ? -1.f : 0.f);
    case JK_THRESHOLDED_RELU: return x > a ? x : 0.f;
    default: return NAN;
  }
}

/* f'(x), given x and y = f(x). */
JK_HD float unary_derivative(int op, float x, float y, float a, float b, float c) {
  switch (op) {
    case JK_LINEAR: return 1.f;
    case JK_RELU: return relu_grad(x, a, b, c);
    case JK_ELU: return x > 0.f ? 1.f : y + a;
    case JK_SELU: return x > 0.f ? kSeluScale : y + kSeluScale * kSeluAlpha;
    case JK_SOFTPLUS: return sigmoidf(x);
    case JK_SOFTSIGN: { float d = 1.f + fabsf(x); return 1.f / (d * d); }
    case JK_TANH: return 1.f - y * y;
    case JK_SIGMOID: return y * (1.f - y);
    case JK_HARD_SIGMOID: return (x > -2.5f && x < 2.5f) ? 0.2f : 0.f;
    case JK_EXP: return y;
    case JK_NEG: return -1.f;
    case JK_LOG: return 1.f / x;
    case JK_SQRT: return 0.5f / y;
    case JK_SQUARE: return 2.f * x;
    case JK_ABS: return x > 0.f ? 1.f : (x < 0.f ? -1.f : 0.f);
    case JK_RECIPROCAL: return -y * y;
    case JK_AFFINE: return a;
    case JK_CLIP: return (x >= a && x <= b) ? 1.f : 0.f;
    case JK_POW: return a * powf(x, a - 1.f);
    case JK_STEP: return 0.f;
    case JK_SIGN: return 0.f;
    case JK_THRESHOLDED_RELU: return x > a ? 1.f : 0.f;
    default: return NAN;
  }
}

/* Whether f'(x) follows from y = f(x) alone (the recurrences' workspaces then keep only y). */
JK_HD bool derivative_from_output(int op, float a, float b, float c) {
  switch (op) {
    case JK_LINEAR: case JK_TANH: case JK_SIGMOID: case JK_HARD_SIGMOID: case JK_EXP: case JK_SELU: return true;
    case JK_RELU: return a == 0.f && isnan(b) && c == 0.f;
    case JK_ELU: return a >= 0.f;
    default: return false;
  }
}

/* f'(x) from y = f(x) alone, for the ops derivative_from_output accepts: unary_derivative with y passed for x too
 * (its sign and its value decide the same branches), except hard_sigmoid, whose slope is 0.2 exactly where
 * 0 < y < 1. */
JK_HD float unary_derivative_from_output(int op, float y, float a, float b, float c) {
  if (op == JK_HARD_SIGMOID) return (y > 0.f && y < 1.f) ? 0.2f : 0.f;
  return unary_derivative(op, y, y, a, b, c);
}

JK_HD float binary_forward(int op, float a, float b) {
  switch (op) {
    case JK_ADD: return a + b;
    case JK_SUB: return a - b;
    case JK_MUL: return a * b;
    case JK_DIV: return a / b;
    case JK_MAXIMUM: return maxf(a, b);
    case JK_MINIMUM: return minf(a, b);
    case JK_GREATER_EQUAL: return a >= b ? 1.f : 0.f;
    case JK_EQUAL: return a == b ? 1.f : 0.f;
    case JK_POW_BINARY: return powf(a, b);
    default: return NAN;
  }
}

}  // namespace jk
#endif
