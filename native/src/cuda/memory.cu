// Fills and copies on device memory: the CUDA twins of jkeras/memory.h.
#include "cuda/launch.cuh"
#include "cuda/strided.cuh"
#include "jkeras/cuda.h"

namespace {

__global__ void fill_kernel(float* __restrict__ dst, int64_t n, float value) {
  JKC_GRID_LOOP(i, n) dst[i] = value;
}

// Elements are 4 bytes whatever their type: copied as int32 bit patterns.
template <class I>
__global__ void copy_strided_kernel(Strided g, int64_t total, const int32_t* __restrict__ src,
                                    int32_t* __restrict__ dst) {
  JKC_GRID_LOOP(i, total) {
    int64_t from, to;
    strided_offsets<I>(g, (I)i, from, to);
    dst[to] = src[from];
  }
}

__global__ void int_to_float_kernel(const int32_t* __restrict__ src, float* __restrict__ dst, int64_t n) {
  JKC_GRID_LOOP(i, n) dst[i] = (float)src[i];
}

}  // namespace

extern "C" int jkc_fill(void* stream, float* dst, int64_t n, float value) {
  if (n < 0) return jkc_fail(JK_INVALID_ARGUMENT, "jkc_fill: negative size");
  if (n == 0) return JK_OK;
  fill_kernel<<<blocks_for(n), kThreads, 0, as_stream(stream)>>>(dst, n, value);
  return jkc_check_launch("jkc_fill");
}

extern "C" int jkc_copy(void* stream, void* dst, const void* src, int64_t bytes) {
  if (bytes < 0) return jkc_fail(JK_INVALID_ARGUMENT, "jkc_copy: negative size");
  if (bytes == 0 || dst == src) return JK_OK;
  const cudaStream_t s = as_stream(stream);
  const char* d = (const char*)dst;
  const char* c = (const char*)src;
  if (d < c + bytes && c < d + bytes) {
    // Overlapping ranges (jk_copy is a memmove; cudaMemcpy's result is undefined there): through a temporary.
    void* tmp;
    if (int st = jkc_alloc(stream, bytes, &tmp)) return st;
    cudaError_t err = cudaMemcpyAsync(tmp, src, (size_t)bytes, cudaMemcpyDeviceToDevice, s);
    if (err == cudaSuccess) err = cudaMemcpyAsync(dst, tmp, (size_t)bytes, cudaMemcpyDeviceToDevice, s);
    const int st = jkc_cuda_status(err, "jkc_copy");
    const int freed = jkc_free(stream, tmp);
    return st != JK_OK ? st : freed;
  }
  return jkc_cuda_status(cudaMemcpyAsync(dst, src, (size_t)bytes, cudaMemcpyDeviceToDevice, s), "jkc_copy");
}

extern "C" int jkc_copy_strided(void* stream, int rank, const int64_t* shape, const void* src,
                                const int64_t* src_strides, void* dst, const int64_t* dst_strides) {
  if (rank < 0 || rank > JK_MAX_RANK) return jkc_fail(JK_INVALID_ARGUMENT, "jkc_copy_strided: rank out of range");
  for (int d = 0; d < rank; ++d)
    if (shape[d] < 0) return jkc_fail(JK_INVALID_ARGUMENT, "jkc_copy_strided: negative size");
  Strided g;
  const int64_t total = make_strided(rank, shape, src_strides, dst_strides, &g);
  if (total == 0) return JK_OK;
  const cudaStream_t s = as_stream(stream);
  if (total <= (int64_t)UINT32_MAX)
    copy_strided_kernel<uint32_t><<<blocks_for(total), kThreads, 0, s>>>(g, total, (const int32_t*)src, (int32_t*)dst);
  else
    copy_strided_kernel<uint64_t><<<blocks_for(total), kThreads, 0, s>>>(g, total, (const int32_t*)src, (int32_t*)dst);
  return jkc_check_launch("jkc_copy_strided");
}

extern "C" int jkc_int_to_float(void* stream, const int32_t* src, float* dst, int64_t n) {
  if (n < 0) return jkc_fail(JK_INVALID_ARGUMENT, "jkc_int_to_float: negative size");
  if (n == 0) return JK_OK;
  int_to_float_kernel<<<blocks_for(n), kThreads, 0, as_stream(stream)>>>(src, dst, n);
  return jkc_check_launch("jkc_int_to_float");
}
