/* Reductions and softmax over the middle axis of a (outer, n, inner) view. */
#ifndef JKERAS_REDUCE_H
#define JKERAS_REDUCE_H
#include "status.h"
#ifdef __cplusplus
extern "C" {
#endif

enum jk_reduce_op { JK_REDUCE_SUM = 0, JK_REDUCE_MEAN = 1, JK_REDUCE_MAX = 2, JK_REDUCE_MIN = 3 };

/* y[o, i] = reduce_k x[o, k, i]; y has outer * inner elements. */
int jk_reduce(int op, const float* x, float* y, int64_t outer, int64_t n, int64_t inner);

int jk_softmax(const float* x, float* y, int64_t outer, int64_t n, int64_t inner);
/* dx = y * (dy - sum_k dy * y) */
int jk_softmax_backward(const float* y, const float* dy, float* dx, int64_t outer, int64_t n, int64_t inner);

#ifdef __cplusplus
}
#endif
#endif
