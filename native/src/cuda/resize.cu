// Bilinear resizing: the CUDA twins of jkeras/resize.h, with the CPU's sampling and interpolation
// (common/resize.h). As on the CPU, both layouts are an image (outer, H, W, inner): outer = batch and inner =
// channels for channels_last, outer = batch * channels and inner = 1 for channels_first.
#include <string>
#include "common/resize.h"
#include "cuda/launch.cuh"
#include "jkeras/cuda.h"

namespace {

struct Image {
  int64_t outer, inner, in_h, in_w, out_h, out_w;
  float scale_h, scale_w;  // in / out, as the CPU computes them
  bool half_pixel;
};

/* Output t = ((o out_h + oy) out_w + ox) inner + c: its two taps and the offset of x's (o, 0, 0, c). */
struct Sample {
  jk::BilinearTap ty, tx;
  int64_t base;
};

__device__ __forceinline__ Sample sample_of(const Image& m, int64_t t) {
  const int64_t c = t % m.inner;
  int64_t r = t / m.inner;
  const int64_t ox = r % m.out_w;
  r /= m.out_w;
  const int64_t oy = r % m.out_h;
  const int64_t o = r / m.out_h;
  Sample s;
  s.ty = jk::bilinear_tap(oy, m.in_h, m.scale_h, m.half_pixel);
  s.tx = jk::bilinear_tap(ox, m.in_w, m.scale_w, m.half_pixel);
  s.base = o * m.in_h * m.in_w * m.inner + c;
  return s;
}

__device__ __forceinline__ int64_t at(const Image& m, const Sample& s, int64_t iy, int64_t ix) {
  return s.base + (iy * m.in_w + ix) * m.inner;
}

__global__ void resize_kernel(Image m, const float* __restrict__ x, float* __restrict__ y, int64_t total) {
  JKC_GRID_LOOP(t, total) {
    const Sample s = sample_of(m, t);
    const float top = jk::lerp(x[at(m, s, s.ty.lower, s.tx.lower)], x[at(m, s, s.ty.lower, s.tx.upper)], s.tx.lerp);
    const float bottom = jk::lerp(x[at(m, s, s.ty.upper, s.tx.lower)], x[at(m, s, s.ty.upper, s.tx.upper)], s.tx.lerp);
    y[t] = jk::lerp(top, bottom, s.ty.lerp);
  }
}

// Each output's gradient goes to its four taps (dx zeroed first): neighbouring outputs share taps.
__global__ void resize_backward_kernel(Image m, const float* __restrict__ dy, float* __restrict__ dx, int64_t total) {
  JKC_GRID_LOOP(t, total) {
    const Sample s = sample_of(m, t);
    const float g = dy[t];
    const float top = g * (1.f - s.ty.lerp), bottom = g * s.ty.lerp;
    const float left = 1.f - s.tx.lerp, right = s.tx.lerp;
    atomicAdd(dx + at(m, s, s.ty.lower, s.tx.lower), top * left);
    atomicAdd(dx + at(m, s, s.ty.lower, s.tx.upper), top * right);
    atomicAdd(dx + at(m, s, s.ty.upper, s.tx.lower), bottom * left);
    atomicAdd(dx + at(m, s, s.ty.upper, s.tx.upper), bottom * right);
  }
}

/* Checks the arguments as the CPU does and fills m; JK_OK with m.outer * m.inner == 0 means nothing to do. */
int image_of(const char* what, Image* m, int64_t batch, int64_t channels, int64_t in_h, int64_t in_w, int64_t out_h,
             int64_t out_w, int channels_first, int half_pixel_centers) {
  const std::string problem = jk::resize_problem(batch, channels, in_h, in_w, out_h, out_w);
  if (!problem.empty()) return jkc_fail(JK_INVALID_ARGUMENT, "%s: %s", what, problem.c_str());
  m->outer = channels_first ? batch * channels : batch;
  m->inner = channels_first ? 1 : channels;
  m->in_h = in_h;
  m->in_w = in_w;
  m->out_h = out_h;
  m->out_w = out_w;
  m->scale_h = (float)in_h / (float)out_h;
  m->scale_w = (float)in_w / (float)out_w;
  m->half_pixel = half_pixel_centers != 0;
  return JK_OK;
}

}  // namespace

extern "C" int jkc_resize_bilinear(void* stream, const float* x, float* y, int64_t batch, int64_t channels,
                                   int64_t in_h, int64_t in_w, int64_t out_h, int64_t out_w, int channels_first,
                                   int half_pixel_centers) {
  Image m;
  if (int st = image_of("jkc_resize_bilinear", &m, batch, channels, in_h, in_w, out_h, out_w, channels_first,
                        half_pixel_centers))
    return st;
  const int64_t total = m.outer * out_h * out_w * m.inner;
  if (total == 0) return JK_OK;
  resize_kernel<<<blocks_for(total), kThreads, 0, as_stream(stream)>>>(m, x, y, total);
  return jkc_check_launch("jkc_resize_bilinear");
}

extern "C" int jkc_resize_bilinear_backward(void* stream, const float* dy, float* dx, int64_t batch, int64_t channels,
                                            int64_t in_h, int64_t in_w, int64_t out_h, int64_t out_w,
                                            int channels_first, int half_pixel_centers) {
  Image m;
  if (int st = image_of("jkc_resize_bilinear_backward", &m, batch, channels, in_h, in_w, out_h, out_w,
                        channels_first, half_pixel_centers))
    return st;
  const int64_t total = m.outer * out_h * out_w * m.inner;
  if (total == 0) return JK_OK;
  const cudaStream_t s = as_stream(stream);
  const size_t dx_bytes = sizeof(float) * (size_t)(m.outer * in_h * in_w * m.inner);
  if (int st = jkc_cuda_status(cudaMemsetAsync(dx, 0, dx_bytes, s), "jkc_resize_bilinear_backward")) return st;
  resize_backward_kernel<<<blocks_for(total), kThreads, 0, s>>>(m, dy, dx, total);
  return jkc_check_launch("jkc_resize_bilinear_backward");
}
