/* Max and average pooling (1 to 3 spatial dimensions, strides, explicit padding) on oneDNN.
 * Activations channels_last (N[D]HWC) or channels_first (NC[D]HW), told apart by a layout flag only.
 * Average pooling never counts padding (Keras's and TensorFlow's 'same' rule). Max pooling's backward pass sends
 * each output's gradient to the first maximal element of its window in (d, h, w) order, as TensorFlow's
 * MaxPoolGrad does; the forward pass records which element that is in a workspace that the backward pass reads.
 * Known deviation: a window whose elements are all -inf gives -FLT_MAX (oneDNN's starting value), not -inf. */
#ifndef JKERAS_POOL_H
#define JKERAS_POOL_H
#include "status.h"
#ifdef __cplusplus
extern "C" {
#endif

enum jk_pool_algorithm { JK_POOL_MAX = 0, JK_POOL_AVG = 1 };

/* All fields int64 so that Java passes the descriptor as a long[]. Unused spatial slots: size, kernel and
 * stride 1, padding 0. Each padding must be smaller than the window, so that no window lies in padding only. */
typedef struct jk_pool_desc {
  int64_t spatial;        /* 1, 2 or 3 */
  int64_t channels_first; /* 0: N[D]HWC, 1: NC[D]HW */
  int64_t algorithm;      /* jk_pool_algorithm */
  int64_t batch, channels;
  int64_t in_size[3], out_size[3], kernel[3], stride[3], pad_begin[3], pad_end[3];
} jk_pool_desc;

/* Bytes of the workspace that jk_pool_forward fills and jk_pool_backward reads (0: none needed, pass NULL). */
int jk_pool_workspace_size(const jk_pool_desc* d, int64_t* bytes);
/* y = pool(x); workspace as sized by jk_pool_workspace_size, or NULL when no backward pass will follow. */
int jk_pool_forward(const jk_pool_desc* d, const float* x, float* y, void* workspace);
/* dx = d pool / d x given dy (overwritten), and the workspace of the forward pass that produced y. */
int jk_pool_backward(const jk_pool_desc* d, const float* dy, const void* workspace, float* dx);

#ifdef __cplusplus
}
#endif
#endif
