// Max and average pooling over 1 to 3 spatial axes, both layouts, explicit (asymmetric) padding: our own kernels,
// since cuDNN pads symmetrically only. Semantics are the CPU's (oneDNN's, see jkeras/pool.h): average pooling
// never counts padding; max pooling's output is the largest element above -FLT_MAX (oneDNN's starting value) and
// its gradient goes to the first maximal element in window scan order (d, h, w), padding never.
#include <float.h>
#include <string>
#include "common/pool_desc.h"
#include "cuda/launch.cuh"
#include "jkeras/cuda.h"

namespace {

/* The descriptor as three spatial axes (d, h, w): a 1-d or 2-d pooling gets leading axes of size 1. */
struct Geometry {
  int64_t channels;
  int64_t in[3], out[3], kernel[3], stride[3], pad[3];
  int64_t outputs;  // batch * channels * out[0] * out[1] * out[2]
  int channels_first;
};

Geometry geometry(const jk_pool_desc& d) {
  Geometry g;
  g.channels = d.channels;
  g.channels_first = d.channels_first != 0;
  g.outputs = d.batch * d.channels;
  for (int a = 0; a < 3; ++a) {
    const int i = a - (3 - (int)d.spatial);  // the descriptor's slot of axis a, < 0 for a leading unit axis
    g.in[a] = i < 0 ? 1 : d.in_size[i];
    g.out[a] = i < 0 ? 1 : d.out_size[i];
    g.kernel[a] = i < 0 ? 1 : d.kernel[i];
    g.stride[a] = i < 0 ? 1 : d.stride[i];
    g.pad[a] = i < 0 ? 0 : d.pad_begin[i];
    g.outputs *= g.out[a];
  }
  return g;
}

/* The window of output t: the input index of its first element inside the input, the index steps along the
 * three axes, the number of its positions inside the input on each (the padding left out), and whether its
 * first position (0, 0, 0) is inside the input rather than in the padding. */
struct Window {
  int64_t first;
  int64_t step[3];
  int64_t count[3];
  bool origin_inside;
};

__device__ __forceinline__ Window window_of(const Geometry& g, int64_t t) {
  // channels_first: t = (((n C + c) OD + od) OH + oh) OW + ow
  // channels_last:  t = (((n OD + od) OH + oh) OW + ow) C + c
  const int64_t c = g.channels_first ? 0 : t % g.channels;
  int64_t r = g.channels_first ? t : t / g.channels;
  int64_t o[3];
#pragma unroll
  for (int a = 2; a >= 0; --a) {
    o[a] = r % g.out[a];
    r /= g.out[a];
  }
  Window w;
  w.step[2] = g.channels_first ? 1 : g.channels;
  w.step[1] = w.step[2] * g.in[2];
  w.step[0] = w.step[1] * g.in[1];
  // r is now n C + c (channels_first) or n (channels_last): the index of a block of step[0] in[0] elements
  w.first = c + r * w.step[0] * g.in[0];
  w.origin_inside = true;
#pragma unroll
  for (int a = 0; a < 3; ++a) {
    const int64_t start = o[a] * g.stride[a] - g.pad[a];  // may lie in the padding
    const int64_t lo = start < 0 ? -start : 0;
    const int64_t hi = g.in[a] - start < g.kernel[a] ? g.in[a] - start : g.kernel[a];
    w.first += (start + lo) * w.step[a];
    w.count[a] = hi - lo;
    w.origin_inside = w.origin_inside && lo == 0;
  }
  return w;
}

/* Calls f(input index) for each element of the window inside the input, in scan order (d, h, w). */
template <class F>
__device__ __forceinline__ void for_each_in(const Window& w, F f) {
  int64_t i0 = w.first;
  for (int64_t k0 = 0; k0 < w.count[0]; ++k0, i0 += w.step[0]) {
    int64_t i1 = i0;
    for (int64_t k1 = 0; k1 < w.count[1]; ++k1, i1 += w.step[1]) {
      int64_t i2 = i1;
      for (int64_t k2 = 0; k2 < w.count[2]; ++k2, i2 += w.step[2]) f(i2);
    }
  }
}

__device__ __forceinline__ int64_t size_of(const Window& w) { return w.count[0] * w.count[1] * w.count[2]; }

/* With a workspace, also records the input index of the element that gets the gradient: the first maximal one.
 * Where no element exceeds -FLT_MAX (all -inf or NaN) oneDNN gives it to the window's position (0, 0, 0), so
 * nowhere (-1) when that position is padding. */
template <bool WORKSPACE>
__global__ void max_forward_kernel(Geometry g, const float* __restrict__ x, float* __restrict__ y,
                                   int32_t* __restrict__ workspace) {
  JKC_GRID_LOOP(t, g.outputs) {
    const Window w = window_of(g, t);
    float best = -FLT_MAX;
    int64_t arg = w.origin_inside ? w.first : -1;
    for_each_in(w, [&](int64_t i) {
      const float v = x[i];
      if (v > best) {
        best = v;
        arg = i;
      }
    });
    y[t] = best;
    if (WORKSPACE) workspace[t] = (int32_t)arg;
  }
}

__global__ void avg_forward_kernel(Geometry g, const float* __restrict__ x, float* __restrict__ y) {
  JKC_GRID_LOOP(t, g.outputs) {
    const Window w = window_of(g, t);
    float sum = 0.f;
    for_each_in(w, [&](int64_t i) { sum += x[i]; });
    y[t] = sum / (float)size_of(w);
  }
}

// The backward kernels add into dx, zeroed first: windows overlap when the stride is smaller than the window.
__global__ void max_backward_kernel(int64_t outputs, const float* __restrict__ dy,
                                    const int32_t* __restrict__ workspace, float* __restrict__ dx) {
  JKC_GRID_LOOP(t, outputs) {
    const int32_t i = workspace[t];
    if (i >= 0) atomicAdd(dx + i, dy[t]);
  }
}

__global__ void avg_backward_kernel(Geometry g, const float* __restrict__ dy, float* __restrict__ dx) {
  JKC_GRID_LOOP(t, g.outputs) {
    const Window w = window_of(g, t);
    const float share = dy[t] / (float)size_of(w);
    for_each_in(w, [&](int64_t i) { atomicAdd(dx + i, share); });
  }
}

int64_t inputs_of(const jk_pool_desc& d) {
  int64_t n = d.batch * d.channels;
  for (int i = 0; i < d.spatial; ++i) n *= d.in_size[i];
  return n;
}

/* The CPU's descriptor check, and the limit of the max workspace's int32 input indices. */
int validate(const char* what, const jk_pool_desc& d, bool max_workspace) {
  const std::string problem = jk::pool_desc_problem(d);
  if (!problem.empty()) return jkc_fail(JK_INVALID_ARGUMENT, "%s: %s", what, problem.c_str());
  if (max_workspace && d.algorithm == JK_POOL_MAX && inputs_of(d) > (int64_t)INT32_MAX)
    return jkc_fail(JK_UNSUPPORTED, "%s: the max workspace holds int32 indices, the input has %lld elements", what,
                    (long long)inputs_of(d));
  return JK_OK;
}

}  // namespace

extern "C" int jkc_pool_workspace_size(const jk_pool_desc* d, int64_t* bytes) {
  *bytes = 0;
  if (int st = validate("jkc_pool_workspace_size", *d, true)) return st;
  if (d->algorithm == JK_POOL_MAX) *bytes = 4 * geometry(*d).outputs;
  return JK_OK;
}

extern "C" int jkc_pool_forward(void* stream, const jk_pool_desc* d, const float* x, float* y, void* workspace) {
  if (int st = validate("jkc_pool_forward", *d, workspace != nullptr)) return st;
  const Geometry g = geometry(*d);
  if (g.outputs == 0) return JK_OK;
  const cudaStream_t s = as_stream(stream);
  if (d->algorithm == JK_POOL_AVG)
    avg_forward_kernel<<<blocks_for(g.outputs), kThreads, 0, s>>>(g, x, y);
  else if (workspace != nullptr)
    max_forward_kernel<true><<<blocks_for(g.outputs), kThreads, 0, s>>>(g, x, y, (int32_t*)workspace);
  else
    max_forward_kernel<false><<<blocks_for(g.outputs), kThreads, 0, s>>>(g, x, y, nullptr);
  return jkc_check_launch("jkc_pool_forward");
}

extern "C" int jkc_pool_backward(void* stream, const jk_pool_desc* d, const float* dy, const void* workspace,
                                 float* dx) {
  if (int st = validate("jkc_pool_backward", *d, true)) return st;
  if (d->algorithm == JK_POOL_MAX && workspace == nullptr)
    return jkc_fail(JK_INVALID_ARGUMENT,
                    "jkc_pool_backward: max pooling's backward pass needs the forward pass's workspace");
  const Geometry g = geometry(*d);
  if (g.outputs == 0) return JK_OK;
  const cudaStream_t s = as_stream(stream);
  if (int st = jkc_cuda_status(cudaMemsetAsync(dx, 0, sizeof(float) * (size_t)inputs_of(*d), s), "jkc_pool_backward"))
    return st;
  if (d->algorithm == JK_POOL_AVG)
    avg_backward_kernel<<<blocks_for(g.outputs), kThreads, 0, s>>>(g, dy, dx);
  else
    max_backward_kernel<<<blocks_for(g.outputs), kThreads, 0, s>>>(g.outputs, dy, (const int32_t*)workspace, dx);
  return jkc_check_launch("jkc_pool_backward");
}
