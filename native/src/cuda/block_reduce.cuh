/* Reductions of one row per block (a softmax row, an argmax row, a sum over the last axis): the block's
 * geometry, and a reduction whose result every thread of the block receives. */
#ifndef JKERAS_CUDA_BLOCK_REDUCE_CUH
#define JKERAS_CUDA_BLOCK_REDUCE_CUH
#include "cuda/launch.cuh"

/* Threads for a block over a row of n elements: a multiple of the warp size, at most kThreads, no more warps
 * than the row can keep busy (short rows are common: softmax over a few classes). */
inline int threads_for_row(int64_t n) {
  if (n >= kThreads) return kThreads;
  return n <= 32 ? 32 : (int)((n + 31) / 32 * 32);
}

/* Blocks for `rows` rows, each block looping over rows blockIdx.x, blockIdx.x + gridDim.x, ... */
inline int blocks_for_rows(int64_t rows) { return (int)(rows < 65535 ? (rows > 0 ? rows : 1) : 65535); }

__device__ __forceinline__ float shfl_xor(float v, int mask) { return __shfl_xor_sync(0xffffffffu, v, mask); }
__device__ __forceinline__ double shfl_xor(double v, int mask) { return __shfl_xor_sync(0xffffffffu, v, mask); }

/* op over the block's values, returned to every thread. op must be commutative (the butterfly then gives every
 * lane bit-identical results); identity fills the unused slots. blockDim.x must be a multiple of 32, every thread
 * must call it, and it synchronises the block (it may be called again right away). T needs a shfl_xor overload. */
template <class T, class Op>
__device__ T block_all_reduce(T v, T identity, Op op) {
  __shared__ T partial[32];
#pragma unroll
  for (int m = 16; m > 0; m >>= 1) v = op(v, shfl_xor(v, m));
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  if (lane == 0) partial[warp] = v;
  __syncthreads();
  v = lane < (int)(blockDim.x >> 5) ? partial[lane] : identity;
#pragma unroll
  for (int m = 16; m > 0; m >>= 1) v = op(v, shfl_xor(v, m));
  __syncthreads();  // partial is free again
  return v;
}

#endif
