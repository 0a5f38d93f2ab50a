/* Convolutions (1 to 3 spatial dimensions, groups, strides, dilation, explicit padding) on oneDNN.
 * Keras's layouts are used as they are: activations channels_last (N[D]HWC) or channels_first (NC[D]HW), kernels
 * (k..., in / groups, out), as Keras's Conv layers store them. A transposed convolution is the backward-data pass
 * of the convolution it transposes (same kernel layout as Keras's ConvTranspose), so it needs no entry of its own. */
#ifndef JKERAS_CONV_H
#define JKERAS_CONV_H
#include "status.h"
#ifdef __cplusplus
extern "C" {
#endif

/* All fields int64 so that Java passes the descriptor as a long[]. Unused spatial slots: size, kernel, stride
 * and dilation 1, padding 0. dilation is Keras's dilation_rate (1 = none). pad_end may be negative where an
 * output is cropped (transposed convolutions with output_padding). */
typedef struct jk_conv_desc {
  int64_t spatial;        /* 1, 2 or 3 */
  int64_t channels_first; /* 0: N[D]HWC, 1: NC[D]HW */
  int64_t batch, in_channels, out_channels, groups;
  int64_t in_size[3], out_size[3], kernel[3], stride[3], dilation[3], pad_begin[3], pad_end[3];
} jk_conv_desc;

/* y = conv(x, w) + bias (bias may be NULL). */
int jk_conv_forward(const jk_conv_desc* d, const float* x, const float* w, const float* bias, float* y);
/* The transposed convolution of d, y = conv_transpose(x, w) + bias (bias may be NULL), groups 1: x has d's output
 * shape, y its input shape, w Keras's ConvTranspose kernel (k..., filters = in_channels, out_channels). Numbers as
 * jk_conv_backward_data's, with the bias fused. */
int jk_conv_transpose_forward(const jk_conv_desc* d, const float* x, const float* w, const float* bias, float* y);
/* dx = d conv / d x, given dy. */
int jk_conv_backward_data(const jk_conv_desc* d, const float* dy, const float* w, float* dx);
/* dw (and dbias unless NULL) = d conv / d w, given x and dy; both overwritten. */
int jk_conv_backward_weights(const jk_conv_desc* d, const float* x, const float* dy, float* dw, float* dbias);

#ifdef __cplusplus
}
#endif
#endif
