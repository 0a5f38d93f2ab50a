// Reductions and softmax over the middle axis of an (outer, n, inner) view: the CUDA twins of jkeras/reduce.h.
// With inner == 1 the axis is contiguous and a block reduces each row; otherwise one thread walks the axis for
// each (outer, inner) pair, its loads coalesced across neighbouring inner indices, summing in the CPU's order.
#include <math.h>
#include "common/softmax.h"
#include "cuda/block_reduce.cuh"
#include "cuda/launch.cuh"
#include "jkeras/cuda.h"
#include "jkeras/reduce.h"

namespace {

struct Sum {
  template <class T>
  __device__ T operator()(T a, T b) const { return a + b; }
};
struct Max {
  __device__ float operator()(float a, float b) const { return fmaxf(a, b); }
};

template <int OP>
__device__ __forceinline__ float reduce_init() {
  return OP == JK_REDUCE_MAX ? -INFINITY : (OP == JK_REDUCE_MIN ? INFINITY : 0.f);
}

// fmaxf / fminf like the CPU's std::fmax / std::fmin: a NaN loses to a number.
template <int OP>
struct Step {
  __device__ float operator()(float acc, float v) const {
    return OP == JK_REDUCE_MAX ? fmaxf(acc, v) : (OP == JK_REDUCE_MIN ? fminf(acc, v) : acc + v);
  }
};

// inner == 1. Sums accumulate in double, as the CPU's do for a contiguous axis (long rows stay accurate).
template <int OP>
__global__ void reduce_rows_kernel(const float* __restrict__ x, float* __restrict__ y, int64_t outer, int64_t n,
                                   float scale) {
  for (int64_t o = blockIdx.x; o < outer; o += gridDim.x) {
    const float* p = x + o * n;
    if (OP == JK_REDUCE_SUM || OP == JK_REDUCE_MEAN) {
      double s = 0.0;
      for (int64_t k = threadIdx.x; k < n; k += blockDim.x) s += p[k];
      s = block_all_reduce(s, 0.0, Sum());
      if (threadIdx.x == 0) y[o] = (float)s * scale;
    } else {
      float acc = reduce_init<OP>();
      for (int64_t k = threadIdx.x; k < n; k += blockDim.x) acc = Step<OP>()(acc, p[k]);
      acc = block_all_reduce(acc, reduce_init<OP>(), Step<OP>());
      if (threadIdx.x == 0) y[o] = acc;
    }
  }
}

template <int OP>
__global__ void reduce_strided_kernel(const float* __restrict__ x, float* __restrict__ y, int64_t outer, int64_t n,
                                      int64_t inner, float scale) {
  JKC_GRID_LOOP(t, outer * inner) {
    const int64_t o = t / inner, i = t - o * inner;
    const float* p = x + o * n * inner + i;
    float acc = reduce_init<OP>();
    for (int64_t k = 0; k < n; ++k) acc = Step<OP>()(acc, p[k * inner]);
    y[t] = acc * scale;
  }
}

template <int OP>
void launch_reduce(cudaStream_t s, const float* x, float* y, int64_t outer, int64_t n, int64_t inner) {
  const float scale = OP == JK_REDUCE_MEAN ? 1.f / (float)n : 1.f;
  if (inner == 1)
    reduce_rows_kernel<OP><<<blocks_for_rows(outer), threads_for_row(n), 0, s>>>(x, y, outer, n, scale);
  else
    reduce_strided_kernel<OP><<<blocks_for(outer * inner), kThreads, 0, s>>>(x, y, outer, n, inner, scale);
}

// Softmax: x and y may be the same buffer (every element is read before its own thread overwrites it).
__global__ void softmax_rows_kernel(const float* x, float* y, int64_t outer, int64_t n) {
  for (int64_t o = blockIdx.x; o < outer; o += gridDim.x) {
    const float* p = x + o * n;
    float* q = y + o * n;
    float m = -INFINITY;
    for (int64_t k = threadIdx.x; k < n; k += blockDim.x) m = fmaxf(m, p[k]);
    m = block_all_reduce(m, -INFINITY, Max());
    float s = 0.f;
    for (int64_t k = threadIdx.x; k < n; k += blockDim.x) {
      const float e = expf(p[k] - m);
      q[k] = e;
      s += e;
    }
    const float inv = 1.f / block_all_reduce(s, 0.f, Sum());
    for (int64_t k = threadIdx.x; k < n; k += blockDim.x) q[k] *= inv;
  }
}

__global__ void softmax_strided_kernel(const float* x, float* y, int64_t outer, int64_t n, int64_t inner) {
  JKC_GRID_LOOP(t, outer * inner) {
    const int64_t o = t / inner, i = t - o * inner;
    jk::softmax_column(x + o * n * inner + i, y + o * n * inner + i, n, inner);
  }
}

// dx = y * (dy - sum_k dy * y); dx may be dy's buffer (the sum is complete before any write).
__global__ void softmax_backward_rows_kernel(const float* y, const float* dy, float* dx, int64_t outer, int64_t n) {
  for (int64_t o = blockIdx.x; o < outer; o += gridDim.x) {
    const int64_t base = o * n;
    float dot = 0.f;
    for (int64_t k = threadIdx.x; k < n; k += blockDim.x) dot += dy[base + k] * y[base + k];
    dot = block_all_reduce(dot, 0.f, Sum());
    for (int64_t k = threadIdx.x; k < n; k += blockDim.x) dx[base + k] = y[base + k] * (dy[base + k] - dot);
  }
}

__global__ void softmax_backward_strided_kernel(const float* y, const float* dy, float* dx, int64_t outer, int64_t n,
                                                int64_t inner) {
  JKC_GRID_LOOP(t, outer * inner) {
    const int64_t o = t / inner, i = t - o * inner;
    const int64_t base = o * n * inner + i;
    jk::softmax_backward_column(y + base, dy + base, dx + base, n, inner);
  }
}

int check_sizes(const char* what, int64_t outer, int64_t n, int64_t inner) {
  if (outer < 0 || n < 0 || inner < 0) return jkc_fail(JK_INVALID_ARGUMENT, "%s: negative size", what);
  return JK_OK;
}

}  // namespace

extern "C" int jkc_reduce(void* stream, int op, const float* x, float* y, int64_t outer, int64_t n, int64_t inner) {
  if (int st = check_sizes("jkc_reduce", outer, n, inner)) return st;
  if (op < JK_REDUCE_SUM || op > JK_REDUCE_MIN)
    return jkc_fail(JK_INVALID_ARGUMENT, "jkc_reduce: unknown reduction %d", op);
  if (outer == 0 || inner == 0) return JK_OK;  // no output; n == 0 still writes the empty reduction
  const cudaStream_t s = as_stream(stream);
  switch (op) {
    case JK_REDUCE_SUM: launch_reduce<JK_REDUCE_SUM>(s, x, y, outer, n, inner); break;
    case JK_REDUCE_MEAN: launch_reduce<JK_REDUCE_MEAN>(s, x, y, outer, n, inner); break;
    case JK_REDUCE_MAX: launch_reduce<JK_REDUCE_MAX>(s, x, y, outer, n, inner); break;
    default: launch_reduce<JK_REDUCE_MIN>(s, x, y, outer, n, inner); break;
  }
  return jkc_check_launch("jkc_reduce");
}

extern "C" int jkc_softmax(void* stream, const float* x, float* y, int64_t outer, int64_t n, int64_t inner) {
  if (int st = check_sizes("jkc_softmax", outer, n, inner)) return st;
  if (outer == 0 || n == 0 || inner == 0) return JK_OK;
  const cudaStream_t s = as_stream(stream);
  if (inner == 1)
    softmax_rows_kernel<<<blocks_for_rows(outer), threads_for_row(n), 0, s>>>(x, y, outer, n);
  else
    softmax_strided_kernel<<<blocks_for(outer * inner), kThreads, 0, s>>>(x, y, outer, n, inner);
  return jkc_check_launch("jkc_softmax");
}

extern "C" int jkc_softmax_backward(void* stream, const float* y, const float* dy, float* dx, int64_t outer, int64_t n,
                                    int64_t inner) {
  if (int st = check_sizes("jkc_softmax_backward", outer, n, inner)) return st;
  if (outer == 0 || n == 0 || inner == 0) return JK_OK;
  const cudaStream_t s = as_stream(stream);
  if (inner == 1)
    softmax_backward_rows_kernel<<<blocks_for_rows(outer), threads_for_row(n), 0, s>>>(y, dy, dx, outer, n);
  else
    softmax_backward_strided_kernel<<<blocks_for(outer * inner), kThreads, 0, s>>>(y, dy, dx, outer, n, inner);
  return jkc_check_launch("jkc_softmax_backward");
}
