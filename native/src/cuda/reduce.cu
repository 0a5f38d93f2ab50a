// Reductions and softmax over the middle axis of an (outer, n, inner) view: the CUDA twins of jkeras/reduce.h.
// With inner == 1 the axis is contiguous and a block reduces each row (a few very long rows are split across blocks);
// otherwise, with many outputs, one thread walks the axis for each (outer, inner) pair, its loads coalesced across
// neighbouring inner indices, summing in the CPU's order, and with few outputs the axis is split across blocks
// (reduce_split_kernel) and the partials combined in a fixed order.
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

// Few outputs and a long axis (a bias gradient: outer 1, n = N*H*W, inner = channels): one thread per output would
// leave the GPU idle, so the n axis is split into `chunks` slices. Block (tile, o, chunk) covers kThreads / width
// row lanes of `width` consecutive inner columns (coalesced loads along inner); row lane r walks rows
// k0 + r, k0 + r + lanes, ... of its chunk; the lanes are combined in lane order. With chunks == 1 the block writes
// y itself; otherwise it writes its partial (double) to part[chunk][o * inner + i] and reduce_partials_kernel
// combines the chunks in chunk order. Fixed orders throughout, so the result is deterministic. fmaxf / fminf
// starting from -inf / +inf give the CPU's NaN handling in any order: a NaN loses to any number, so an all-NaN
// column gives the initial value, as the CPU's does.
template <int OP>
__global__ void reduce_split_kernel(const float* __restrict__ x, float* __restrict__ y, double* __restrict__ part,
                                    int64_t outer, int64_t n, int64_t inner, int width, int64_t chunk_rows,
                                    float scale) {
  constexpr bool kSum = OP == JK_REDUCE_SUM || OP == JK_REDUCE_MEAN;
  __shared__ double lanes_acc[kThreads];
  const int lanes = kThreads / width;
  const int col = threadIdx.x % width, lane = threadIdx.x / width;
  const int64_t i = (int64_t)blockIdx.x * width + col;
  const int64_t o = blockIdx.y;
  const int64_t k0 = (int64_t)blockIdx.z * chunk_rows, k1 = k0 + chunk_rows < n ? k0 + chunk_rows : n;
  double acc_d = 0.0;
  float acc_f = reduce_init<OP>();
  if (i < inner) {
    const float* p = x + o * n * inner + i;
    int64_t k = k0 + lane;
    // four rows in flight per thread
    for (; k + 3 * lanes < k1; k += 4 * lanes) {
      const float v0 = p[k * inner], v1 = p[(k + lanes) * inner], v2 = p[(k + 2 * lanes) * inner],
                  v3 = p[(k + 3 * lanes) * inner];
      if (kSum) {
        acc_d += v0;
        acc_d += v1;
        acc_d += v2;
        acc_d += v3;
      } else {
        acc_f = Step<OP>()(Step<OP>()(Step<OP>()(Step<OP>()(acc_f, v0), v1), v2), v3);
      }
    }
    for (; k < k1; k += lanes) {
      if (kSum) acc_d += p[k * inner];
      else acc_f = Step<OP>()(acc_f, p[k * inner]);
    }
  }
  lanes_acc[threadIdx.x] = kSum ? acc_d : (double)acc_f;
  __syncthreads();
  if (lane == 0 && i < inner) {
    double d = lanes_acc[col];
    float f = acc_f;
    for (int l = 1; l < lanes; ++l) {
      if (kSum) d += lanes_acc[l * width + col];
      else f = Step<OP>()(f, (float)lanes_acc[l * width + col]);
    }
    const int64_t t = o * inner + i;
    if (part) part[(int64_t)blockIdx.z * outer * inner + t] = kSum ? d : (double)f;
    else y[t] = (kSum ? (float)d : f) * scale;
  }
}

// y[t] = the chunks' partials of output t combined: block of kThreads = 32 outputs x 8 lanes, lane l taking chunks
// l, l + 8, ... and the lanes combined in lane order.
template <int OP>
__global__ void reduce_partials_kernel(const double* __restrict__ part, float* __restrict__ y, int64_t outputs,
                                       int64_t chunks, float scale) {
  constexpr bool kSum = OP == JK_REDUCE_SUM || OP == JK_REDUCE_MEAN;
  constexpr int kCols = 32, kLanes = kThreads / kCols;
  __shared__ double lanes_acc[kThreads];
  const int col = threadIdx.x % kCols, lane = threadIdx.x / kCols;
  const int64_t t = (int64_t)blockIdx.x * kCols + col;
  double acc_d = 0.0;
  float acc_f = reduce_init<OP>();
  if (t < outputs)
    for (int64_t c = lane; c < chunks; c += kLanes) {
      const double v = part[c * outputs + t];
      if (kSum) acc_d += v;
      else acc_f = Step<OP>()(acc_f, (float)v);
    }
  lanes_acc[threadIdx.x] = kSum ? acc_d : (double)acc_f;
  __syncthreads();
  if (lane == 0 && t < outputs) {
    double d = lanes_acc[col];
    float f = acc_f;
    for (int l = 1; l < kLanes; ++l) {
      if (kSum) d += lanes_acc[l * kCols + col];
      else f = Step<OP>()(f, (float)lanes_acc[l * kCols + col]);
    }
    y[t] = (kSum ? (float)d : f) * scale;
  }
}

// inner == 1 with few, long rows: block (chunk, o) sums its slice of row o into part[chunk][o] (double for sums);
// reduce_partials_kernel then combines the chunks in order.
template <int OP>
__global__ void reduce_row_chunks_kernel(const float* __restrict__ x, double* __restrict__ part, int64_t outer,
                                         int64_t n, int64_t chunk_rows) {
  const int64_t o = blockIdx.y;
  const int64_t k0 = (int64_t)blockIdx.x * chunk_rows, k1 = k0 + chunk_rows < n ? k0 + chunk_rows : n;
  const float* p = x + o * n;
  double r;
  if (OP == JK_REDUCE_SUM || OP == JK_REDUCE_MEAN) {
    double s = 0.0;
    for (int64_t k = k0 + threadIdx.x; k < k1; k += blockDim.x) s += p[k];
    r = block_all_reduce(s, 0.0, Sum());
  } else {
    float acc = reduce_init<OP>();
    for (int64_t k = k0 + threadIdx.x; k < k1; k += blockDim.x) acc = Step<OP>()(acc, p[k]);
    r = (double)block_all_reduce(acc, reduce_init<OP>(), Step<OP>());
  }
  if (threadIdx.x == 0) part[(int64_t)blockIdx.x * outer + o] = r;
}

// The split path pays off while outer * inner threads would not fill the GPU (an H100 holds ~270k) and the axis is
// long enough to split.
constexpr int64_t kSplitMaxOutputs = 131072;
constexpr int64_t kSplitMinRows = 32;
constexpr int64_t kSplitTargetBlocks = 1024;  // several waves' worth on any current GPU

template <int OP>
int launch_reduce_split(cudaStream_t s, const float* x, float* y, int64_t outer, int64_t n, int64_t inner,
                        float scale) {
  int width = 32;
  while (width < kThreads && width < inner) width *= 2;
  const int lanes = kThreads / width;
  const int64_t tiles = (inner + width - 1) / width;
  const int64_t base = tiles * outer;
  // at least 8 rows per thread in a chunk, and no more chunks than the target asks for
  int64_t chunks = (kSplitTargetBlocks + base - 1) / base;
  const int64_t most = n / (8 * (int64_t)lanes);
  if (chunks > most) chunks = most;
  if (chunks > 65535) chunks = 65535;
  if (chunks < 1) chunks = 1;
  const int64_t chunk_rows = (n + chunks - 1) / chunks;
  chunks = (n + chunk_rows - 1) / chunk_rows;
  const dim3 grid((unsigned)tiles, (unsigned)outer, (unsigned)chunks);
  if (chunks == 1) {
    reduce_split_kernel<OP><<<grid, kThreads, 0, s>>>(x, y, nullptr, outer, n, inner, width, chunk_rows, scale);
    return jkc_check_launch("jkc_reduce");
  }
  const int64_t outputs = outer * inner;
  double* part = nullptr;
  if (int st = jkc_cuda_status(cudaMallocAsync((void**)&part, (size_t)(chunks * outputs) * sizeof(double), s),
                               "jkc_reduce"))
    return st;
  reduce_split_kernel<OP><<<grid, kThreads, 0, s>>>(x, y, part, outer, n, inner, width, chunk_rows, scale);
  int st = jkc_check_launch("jkc_reduce");
  if (st == JK_OK) {
    const int64_t blocks = (outputs + 31) / 32;
    reduce_partials_kernel<OP><<<(unsigned)blocks, kThreads, 0, s>>>(part, y, outputs, chunks, scale);
    st = jkc_check_launch("jkc_reduce");
  }
  const int freed = jkc_cuda_status(cudaFreeAsync(part, s), "jkc_reduce");
  return st != JK_OK ? st : freed;
}

// Rows (inner == 1) are split when there are fewer than this many and each is at least kRowSplitMinN long.
constexpr int64_t kRowSplitMaxRows = 512;
constexpr int64_t kRowSplitMinN = 65536;

template <int OP>
int launch_reduce_row_chunks(cudaStream_t s, const float* x, float* y, int64_t outer, int64_t n, float scale) {
  int64_t chunks = (kSplitTargetBlocks + outer - 1) / outer;
  const int64_t most = n / (16 * (int64_t)kThreads);  // at least 16 elements per thread
  if (chunks > most) chunks = most;
  if (chunks < 1) chunks = 1;
  const int64_t chunk_rows = (n + chunks - 1) / chunks;
  chunks = (n + chunk_rows - 1) / chunk_rows;
  double* part = nullptr;
  if (int st = jkc_cuda_status(cudaMallocAsync((void**)&part, (size_t)(chunks * outer) * sizeof(double), s),
                               "jkc_reduce"))
    return st;
  const dim3 grid((unsigned)chunks, (unsigned)outer);
  reduce_row_chunks_kernel<OP><<<grid, kThreads, 0, s>>>(x, part, outer, n, chunk_rows);
  int st = jkc_check_launch("jkc_reduce");
  if (st == JK_OK) {
    const int64_t blocks = (outer + 31) / 32;
    reduce_partials_kernel<OP><<<(unsigned)blocks, kThreads, 0, s>>>(part, y, outer, chunks, scale);
    st = jkc_check_launch("jkc_reduce");
  }
  const int freed = jkc_cuda_status(cudaFreeAsync(part, s), "jkc_reduce");
  return st != JK_OK ? st : freed;
}

template <int OP>
int launch_reduce(cudaStream_t s, const float* x, float* y, int64_t outer, int64_t n, int64_t inner) {
  const float scale = OP == JK_REDUCE_MEAN ? 1.f / (float)n : 1.f;
  if (inner == 1 && outer <= kRowSplitMaxRows && n >= kRowSplitMinN) {
    return launch_reduce_row_chunks<OP>(s, x, y, outer, n, scale);
  } else if (inner == 1) {
    reduce_rows_kernel<OP><<<blocks_for_rows(outer), threads_for_row(n), 0, s>>>(x, y, outer, n, scale);
  } else if (outer * inner <= kSplitMaxOutputs && n >= kSplitMinRows && outer <= 65535) {
    return launch_reduce_split<OP>(s, x, y, outer, n, inner, scale);
  } else {
    reduce_strided_kernel<OP><<<blocks_for(outer * inner), kThreads, 0, s>>>(x, y, outer, n, inner, scale);
  }
  return jkc_check_launch("jkc_reduce");
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

// Softmax over contiguous rows held in registers: each row is read once and written once. TPR threads per row
// (32: a warp per row, kThreads / 32 rows per block; kThreads: a block per row), each holding ITEMS elements; with
// VEC == 4 (n % 4 == 0, x and y 16-byte aligned) they move as float4. Element j of a thread's slot v is at
// ((v * TPR + t) * VEC + j). The formula is the CPU's (jk::softmax_column): e = expf(x - max), y = e * (1 / sum e),
// the max and sum by butterfly. Every thread runs the same number of reductions (a row past outer reduces
// nothing) and reads all its elements before writing any, so y may be x.
template <int TPR, int VEC, int ITEMS>
__global__ void softmax_rows_reg_kernel(const float* x, float* y, int64_t outer, int64_t n) {
  constexpr int kSlots = ITEMS / VEC;
  constexpr int kRowsPerBlock = kThreads / TPR;
  const int t = threadIdx.x % TPR;
  const int64_t first = (int64_t)blockIdx.x * kRowsPerBlock + threadIdx.x / TPR;
  const int64_t step = (int64_t)gridDim.x * kRowsPerBlock;
  const int64_t rounds = (outer - (int64_t)blockIdx.x * kRowsPerBlock + step - 1) / step;  // same for the block
  for (int64_t round = 0; round < rounds; ++round) {
    const int64_t o = first + round * step;
    const bool live = o < outer;
    const float* p = x + (live ? o : 0) * n;
    float* q = y + (live ? o : 0) * n;
    float v[ITEMS];
    float m = -INFINITY;
#pragma unroll
    for (int sl = 0; sl < kSlots; ++sl) {
      const int64_t at = ((int64_t)sl * TPR + t) * VEC;
      if (live && at < n) {
        if (VEC == 4) {
          const float4 f = *reinterpret_cast<const float4*>(p + at);
          v[sl * VEC] = f.x;
          v[sl * VEC + (VEC > 1 ? 1 : 0)] = f.y;
          v[sl * VEC + (VEC > 2 ? 2 : 0)] = f.z;
          v[sl * VEC + (VEC > 3 ? 3 : 0)] = f.w;
        } else {
          v[sl] = p[at];
        }
      } else {
#pragma unroll
        for (int j = 0; j < VEC; ++j) v[sl * VEC + j] = -INFINITY;
      }
#pragma unroll
      for (int j = 0; j < VEC; ++j) m = fmaxf(m, v[sl * VEC + j]);
    }
    if (TPR == 32) {
#pragma unroll
      for (int k = 16; k > 0; k >>= 1) m = fmaxf(m, shfl_xor(m, k));
    } else {
      m = block_all_reduce(m, -INFINITY, Max());
    }
    float sum = 0.f;
#pragma unroll
    for (int sl = 0; sl < kSlots; ++sl) {
      const int64_t at = ((int64_t)sl * TPR + t) * VEC;
#pragma unroll
      for (int j = 0; j < VEC; ++j) {
        const float e = live && at < n ? expf(v[sl * VEC + j] - m) : 0.f;
        v[sl * VEC + j] = e;
        sum += e;
      }
    }
    if (TPR == 32) {
#pragma unroll
      for (int k = 16; k > 0; k >>= 1) sum += shfl_xor(sum, k);
    } else {
      sum = block_all_reduce(sum, 0.f, Sum());
    }
    const float inv = 1.f / sum;
#pragma unroll
    for (int sl = 0; sl < kSlots; ++sl) {
      const int64_t at = ((int64_t)sl * TPR + t) * VEC;
      if (live && at < n) {
        if (VEC == 4) {
          *reinterpret_cast<float4*>(q + at) = make_float4(v[sl * VEC] * inv, v[sl * VEC + (VEC > 1 ? 1 : 0)] * inv,
                                                           v[sl * VEC + (VEC > 2 ? 2 : 0)] * inv,
                                                           v[sl * VEC + (VEC > 3 ? 3 : 0)] * inv);
        } else {
          q[at] = v[sl] * inv;
        }
      }
    }
  }
}

// Launches the register kernel for rows of n <= kSoftmaxRegMax elements; false for longer rows.
constexpr int64_t kSoftmaxRegMax = 8192;

template <int TPR, int VEC, int ITEMS>
void launch_softmax_reg(cudaStream_t s, const float* x, float* y, int64_t outer, int64_t n) {
  constexpr int kRowsPerBlock = kThreads / TPR;
  int64_t blocks = (outer + kRowsPerBlock - 1) / kRowsPerBlock;
  if (blocks > 65535) blocks = 65535;
  softmax_rows_reg_kernel<TPR, VEC, ITEMS><<<(unsigned)blocks, kThreads, 0, s>>>(x, y, outer, n);
}

template <int VEC>
bool launch_softmax_rows_vec(cudaStream_t s, const float* x, float* y, int64_t outer, int64_t n) {
  // a warp per row up to 1024 elements, a block per row beyond
  if (n <= 32 * VEC) launch_softmax_reg<32, VEC, VEC>(s, x, y, outer, n);
  else if (n <= 64 * VEC) launch_softmax_reg<32, VEC, 2 * VEC>(s, x, y, outer, n);
  else if (n <= 128 * VEC) launch_softmax_reg<32, VEC, 4 * VEC>(s, x, y, outer, n);
  else if (n <= 256) launch_softmax_reg<32, VEC, 8>(s, x, y, outer, n);
  else if (n <= 512) launch_softmax_reg<32, VEC, 16>(s, x, y, outer, n);
  else if (n <= 1024) launch_softmax_reg<32, VEC, 32>(s, x, y, outer, n);
  else if (n <= 2048) launch_softmax_reg<kThreads, VEC, 8>(s, x, y, outer, n);
  else if (n <= 4096) launch_softmax_reg<kThreads, VEC, 16>(s, x, y, outer, n);
  else if (n <= kSoftmaxRegMax) launch_softmax_reg<kThreads, VEC, 32>(s, x, y, outer, n);
  else return false;
  return true;
}

bool launch_softmax_rows_reg(cudaStream_t s, const float* x, float* y, int64_t outer, int64_t n) {
  const bool vec = n % 4 == 0 && ((uintptr_t)x & 15) == 0 && ((uintptr_t)y & 15) == 0;
  return vec ? launch_softmax_rows_vec<4>(s, x, y, outer, n) : launch_softmax_rows_vec<1>(s, x, y, outer, n);
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
    case JK_REDUCE_SUM: return launch_reduce<JK_REDUCE_SUM>(s, x, y, outer, n, inner);
    case JK_REDUCE_MEAN: return launch_reduce<JK_REDUCE_MEAN>(s, x, y, outer, n, inner);
    case JK_REDUCE_MAX: return launch_reduce<JK_REDUCE_MAX>(s, x, y, outer, n, inner);
    default: return launch_reduce<JK_REDUCE_MIN>(s, x, y, outer, n, inner);
  }
}

extern "C" int jkc_softmax(void* stream, const float* x, float* y, int64_t outer, int64_t n, int64_t inner) {
  if (int st = check_sizes("jkc_softmax", outer, n, inner)) return st;
  if (outer == 0 || n == 0 || inner == 0) return JK_OK;
  const cudaStream_t s = as_stream(stream);
  if (inner == 1 && launch_softmax_rows_reg(s, x, y, outer, n)) {
    // done
  } else if (inner == 1)
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
