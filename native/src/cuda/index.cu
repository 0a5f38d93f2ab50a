// Integer-indexed primitives on device memory: the CUDA twins of jkeras/index.h.
#include <math.h>
#include "cuda/block_reduce.cuh"
#include "cuda/launch.cuh"
#include "jkeras/cuda.h"

namespace {

/* (row, column) of flat index t over rows of `cols`; I as in strided_offsets (uint32_t where the count fits). */
template <class I>
__device__ __forceinline__ void split(int64_t t, int64_t cols, int64_t& row, int64_t& col) {
  const I q = (I)t / (I)cols;
  row = (int64_t)q;
  col = t - (int64_t)q * cols;
}

// ---- id checks: the position of the first bad id, found on the device and read back after one synchronisation

__global__ void find_bad_id_kernel(const int32_t* __restrict__ ids, int64_t n, int64_t limit,
                                   unsigned long long* __restrict__ first) {
  JKC_GRID_LOOP(i, n) {
    const int32_t id = ids[i];
    if (id < 0 || id >= limit) atomicMin(first, (unsigned long long)i);
  }
}

/* JK_OK if every id is in [0, limit); otherwise JK_INVALID_ARGUMENT naming the first bad one, as the CPU does.
 * Synchronises the stream. */
int check_ids(const char* what, void* stream, const int32_t* ids, int64_t n, int64_t limit) {
  const cudaStream_t s = as_stream(stream);
  void* flag;
  if (int st = jkc_alloc(stream, sizeof(unsigned long long), &flag)) return st;
  unsigned long long first = ~0ull;  // no bad id
  cudaError_t err = cudaMemsetAsync(flag, 0xFF, sizeof first, s);
  if (err == cudaSuccess) {
    find_bad_id_kernel<<<blocks_for(n), kThreads, 0, s>>>(ids, n, limit, (unsigned long long*)flag);
    err = cudaGetLastError();
  }
  if (err == cudaSuccess) err = cudaMemcpyAsync(&first, flag, sizeof first, cudaMemcpyDeviceToHost, s);
  if (err == cudaSuccess) err = cudaStreamSynchronize(s);
  int32_t bad = 0;
  if (err == cudaSuccess && first != ~0ull) {
    err = cudaMemcpyAsync(&bad, ids + first, sizeof bad, cudaMemcpyDeviceToHost, s);
    if (err == cudaSuccess) err = cudaStreamSynchronize(s);
  }
  const int freed = jkc_free(stream, flag);
  if (int st = jkc_cuda_status(err, what)) return st;
  if (freed != JK_OK) return freed;
  if (first != ~0ull)
    return jkc_fail(JK_INVALID_ARGUMENT, "%s: id %d at position %llu is outside [0, %lld)", what, bad, first,
                    (long long)limit);
  return JK_OK;
}

// ---- one-hot

template <class I>
__global__ void one_hot_kernel(const int32_t* __restrict__ ids, float* __restrict__ out, int64_t n, int64_t depth) {
  JKC_GRID_LOOP(t, n * depth) {
    int64_t i, k;
    split<I>(t, depth, i, k);
    out[t] = ids[i] == k ? 1.f : 0.f;
  }
}

// ---- argmax: a block per row

/* The best element seen: the largest non-NaN value, the first on ties; i < 0 while none. */
struct Best {
  float v;
  int64_t i;
};

__device__ __forceinline__ Best shfl_xor(Best b, int mask) {
  return Best{__shfl_xor_sync(0xffffffffu, b.v, mask), (int64_t)__shfl_xor_sync(0xffffffffu, (long long)b.i, mask)};
}

/* Commutative (a total order on index-distinct candidates), as block_all_reduce needs. */
struct Better {
  __device__ Best operator()(Best a, Best b) const {
    if (a.i < 0) return b;
    if (b.i < 0) return a;
    if (a.v != b.v) return a.v > b.v ? a : b;
    return a.i < b.i ? a : b;
  }
};

/* The CPU's sequential rule (best = 0; take k when x[k] > x[best]) gives the first maximum among the non-NaN
 * values, or 0 when x[0] is NaN (nothing compares greater than it) or every value is NaN. */
__global__ void argmax_kernel(const float* __restrict__ x, int32_t* __restrict__ out, int64_t rows, int64_t n) {
  for (int64_t r = blockIdx.x; r < rows; r += gridDim.x) {
    const float* p = x + r * n;
    Best best{0.f, -1};
    for (int64_t k = threadIdx.x; k < n; k += blockDim.x) {
      const float v = p[k];
      if (best.i < 0 ? !isnan(v) : v > best.v) best = Best{v, k};
    }
    best = block_all_reduce(best, Best{0.f, -1}, Better());
    if (threadIdx.x == 0) out[r] = (int32_t)(best.i < 0 || isnan(p[0]) ? 0 : best.i);
  }
}

// ---- row gathers and scatter-adds

template <class I>
__global__ void gather_rows_kernel(const float* __restrict__ table, int64_t dim, const int32_t* __restrict__ ids,
                                   int64_t n, float* __restrict__ out) {
  JKC_GRID_LOOP(t, n * dim) {
    int64_t i, k;
    split<I>(t, dim, i, k);
    out[t] = table[(int64_t)ids[i] * dim + k];
  }
}

template <class I>
__global__ void scatter_add_rows_kernel(const float* __restrict__ src, const int32_t* __restrict__ ids, int64_t n,
                                        float* __restrict__ table, int64_t dim) {
  JKC_GRID_LOOP(t, n * dim) {
    int64_t i, k;
    split<I>(t, dim, i, k);
    atomicAdd(table + (int64_t)ids[i] * dim + k, src[t]);  // repeated ids accumulate
  }
}

bool fits_32(int64_t count) { return count <= (int64_t)UINT32_MAX; }

}  // namespace

extern "C" int jkc_one_hot(void* stream, const int32_t* ids, float* out, int64_t n, int64_t depth) {
  if (n < 0 || depth < 0) return jkc_fail(JK_INVALID_ARGUMENT, "jkc_one_hot: negative size");
  if (n == 0) return JK_OK;
  if (int st = check_ids("jkc_one_hot", stream, ids, n, depth)) return st;
  const cudaStream_t s = as_stream(stream);
  const int64_t total = n * depth;  // depth > 0 here: the ids passed the check
  if (fits_32(total))
    one_hot_kernel<uint32_t><<<blocks_for(total), kThreads, 0, s>>>(ids, out, n, depth);
  else
    one_hot_kernel<uint64_t><<<blocks_for(total), kThreads, 0, s>>>(ids, out, n, depth);
  return jkc_check_launch("jkc_one_hot");
}

extern "C" int jkc_argmax(void* stream, const float* x, int32_t* out, int64_t rows, int64_t n) {
  if (n <= 0) return jkc_fail(JK_INVALID_ARGUMENT, "jkc_argmax: argmax over an empty axis");
  if (rows < 0) return jkc_fail(JK_INVALID_ARGUMENT, "jkc_argmax: negative size");
  if (rows == 0) return JK_OK;
  argmax_kernel<<<blocks_for_rows(rows), threads_for_row(n), 0, as_stream(stream)>>>(x, out, rows, n);
  return jkc_check_launch("jkc_argmax");
}

extern "C" int jkc_gather_rows(void* stream, const float* table, int64_t rows, int64_t dim, const int32_t* ids,
                               int64_t n, float* out) {
  if (rows < 0 || dim < 0 || n < 0) return jkc_fail(JK_INVALID_ARGUMENT, "jkc_gather_rows: negative size");
  if (n == 0) return JK_OK;
  if (int st = check_ids("jkc_gather_rows", stream, ids, n, rows)) return st;
  if (dim == 0) return JK_OK;
  const cudaStream_t s = as_stream(stream);
  const int64_t total = n * dim;
  if (fits_32(total))
    gather_rows_kernel<uint32_t><<<blocks_for(total), kThreads, 0, s>>>(table, dim, ids, n, out);
  else
    gather_rows_kernel<uint64_t><<<blocks_for(total), kThreads, 0, s>>>(table, dim, ids, n, out);
  return jkc_check_launch("jkc_gather_rows");
}

extern "C" int jkc_scatter_add_rows(void* stream, const float* src, const int32_t* ids, int64_t n, float* table,
                                    int64_t rows, int64_t dim) {
  if (rows < 0 || dim < 0 || n < 0) return jkc_fail(JK_INVALID_ARGUMENT, "jkc_scatter_add_rows: negative size");
  if (int st = check_ids("jkc_scatter_add_rows", stream, ids, n, rows)) return st;
  if (n == 0 || dim == 0) return JK_OK;
  const cudaStream_t s = as_stream(stream);
  const int64_t total = n * dim;
  if (fits_32(total))
    scatter_add_rows_kernel<uint32_t><<<blocks_for(total), kThreads, 0, s>>>(src, ids, n, table, dim);
  else
    scatter_add_rows_kernel<uint64_t><<<blocks_for(total), kThreads, 0, s>>>(src, ids, n, table, dim);
  return jkc_check_launch("jkc_scatter_add_rows");
}
