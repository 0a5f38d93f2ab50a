/* Elementwise primitives: unary functions (every Keras activation among them) and broadcasting binary ops. */
#ifndef JKERAS_ELTWISE_H
#define JKERAS_ELTWISE_H
#include "status.h"
#ifdef __cplusplus
extern "C" {
#endif

/* Unary functions y = f(x; a, b, c). The parameters a, b, c are named where a function uses them. */
enum jk_unary_op {
  JK_LINEAR = 0,
  JK_RELU = 1,          /* a = alpha (negative slope), b = max_value (<0: none), c = threshold */
  JK_ELU = 2,           /* a = alpha */
  JK_SELU = 3,
  JK_SOFTPLUS = 4,
  JK_SOFTSIGN = 5,
  JK_TANH = 6,
  JK_SIGMOID = 7,
  JK_HARD_SIGMOID = 8,  /* Keras 2: clip(0.2 x + 0.5, 0, 1) */
  JK_EXP = 9,
  JK_NEG = 10,
  JK_LOG = 11,
  JK_SQRT = 12,
  JK_SQUARE = 13,
  JK_ABS = 14,
  JK_RECIPROCAL = 15,
  JK_AFFINE = 16,       /* a x + b */
  JK_CLIP = 17,         /* min(max(x, a), b) */
  JK_POW = 18,          /* x^a */
  JK_STEP = 19,         /* x >= a ? 1 : 0 (no gradient) */
  JK_SIGN = 20,         /* no gradient */
  JK_THRESHOLDED_RELU = 21 /* x > a ? x : 0 */
};

int jk_unary(int op, const float* x, float* y, int64_t n, float a, float b, float c);
/* dx = dy * f'(x); y = f(x) is passed too, for the functions whose derivative is cheaper from it. */
int jk_unary_backward(int op, const float* x, const float* y, const float* dy, float* dx, int64_t n,
                      float a, float b, float c);

enum jk_binary_op {
  JK_ADD = 0, JK_SUB = 1, JK_MUL = 2, JK_DIV = 3, JK_MAXIMUM = 4, JK_MINIMUM = 5,
  JK_GREATER_EQUAL = 6,   /* 1 or 0 */
  JK_EQUAL = 7,           /* 1 or 0 */
  JK_POW_BINARY = 8
};

/* out[i] = a[i] op b[i] over out's shape; a and b carry strides (0 where broadcast). */
int jk_binary(int op, int rank, const int64_t* shape, const float* a, const int64_t* a_strides,
              const float* b, const int64_t* b_strides, float* out);

#ifdef __cplusplus
}
#endif
#endif
