/* Bilinear resizing of the two spatial axes of N H W C (channels_last) or N C H W (channels_first) images, as
 * tf.image.resize(method='bilinear', antialias=False) computes it: with half_pixel_centers (TensorFlow 2) an
 * output pixel o samples the input at (o + 0.5) * in / out - 0.5, without (TensorFlow 1's resize_bilinear,
 * align_corners=False) at o * in / out; the two neighbours on each axis are clamped to the image and weighted
 * by the fractional part. */
#ifndef JKERAS_RESIZE_H
#define JKERAS_RESIZE_H
#include "status.h"
#ifdef __cplusplus
extern "C" {
#endif

int jk_resize_bilinear(const float* x, float* y, int64_t batch, int64_t channels, int64_t in_h, int64_t in_w,
                       int64_t out_h, int64_t out_w, int channels_first, int half_pixel_centers);
/* dx (batch, in_h, in_w, channels in the given layout; overwritten) = d resize / d x given dy. */
int jk_resize_bilinear_backward(const float* dy, float* dx, int64_t batch, int64_t channels, int64_t in_h,
                                int64_t in_w, int64_t out_h, int64_t out_w, int channels_first,
                                int half_pixel_centers);

#ifdef __cplusplus
}
#endif
#endif
