/* Our own single-precision GEMM for the CUDA kernels that need a product between their own launches (the
 * recurrences' per-step products), without cuBLAS:
 *
 *   C (m x n, rows ldc apart) = op(A) . op(B)  (+ C when accumulate)
 *   op(A) (m x k): A[i * lda + p], or A[p * lda + i] when TA;  op(B) (k x n): B[p * ldb + j], or B[j * ldb + p] when TB
 *
 * 64 x 64 output tiles, 256 threads each computing a 4 x 4 block, depth slices of 16 staged through shared memory
 * (the next slice is fetched into registers while the current one is multiplied). A product with few output tiles
 * and a long k can split k into slices (SplitK): slice z writes its partial product to C + z * slice_stride, and
 * sum_slices adds them up in a fixed order, so results do not depend on scheduling. C must not overlap A or B. */
#ifndef JKERAS_CUDA_GEMM_CUH
#define JKERAS_CUDA_GEMM_CUH
#include <cuda_runtime.h>
#include <stdint.h>
#include "cuda/launch.cuh"

namespace jkc {

constexpr int kGemmTile = 64;     // rows and columns of a block's output tile
constexpr int kGemmDepth = 16;    // depth of a shared-memory slice
constexpr int kGemmThreads = 256; // 16 x 16 threads, 4 x 4 outputs each
constexpr int kGemmPerThread = kGemmTile * kGemmDepth / kGemmThreads;  // elements of a slice each thread loads
constexpr int kGemmPad = 4;       // keeps the transposing stores to 2-way bank conflicts and rows 16-byte aligned
// grid.y holds the column tiles
constexpr int64_t kGemmMaxColumns = (int64_t)65535 * kGemmTile;

/* Coordinates (row r of the tile, depth p) of the e-th element a thread block loads from an operand; consecutive
 * threads walk the operand's contiguous direction (depth where k_contiguous), so that global loads coalesce. */
template <bool k_contiguous>
__host__ __device__ __forceinline__ void gemm_tile_element(int e, int& r, int& p) {
  if (k_contiguous) {
    p = e % kGemmDepth;
    r = e / kGemmDepth;
  } else {
    r = e % kGemmTile;
    p = e / kGemmTile;
  }
}

/* This thread's elements of the slice at depth p0 of an operand viewed as (rows x k): element (r, p) at
 * x[r * ld + p] (k_contiguous) or x[p * ld + r]; zeros outside rows and [p0, p_end). */
template <bool k_contiguous>
__device__ __forceinline__ void gemm_load(const float* __restrict__ x, int64_t ld, int64_t r0, int64_t rows,
                                          int64_t p0, int64_t p_end, float (&v)[kGemmPerThread]) {
#pragma unroll
  for (int i = 0; i < kGemmPerThread; ++i) {
    int r, p;
    gemm_tile_element<k_contiguous>((int)threadIdx.x + i * kGemmThreads, r, p);
    const int64_t gr = r0 + r, gp = p0 + p;
    v[i] = gr < rows && gp < p_end ? (k_contiguous ? x[gr * ld + gp] : x[gp * ld + gr]) : 0.f;
  }
}

/* Stores them depth-major into the shared slice s[p][r]. */
template <bool k_contiguous>
__device__ __forceinline__ void gemm_store(float (*s)[kGemmTile + kGemmPad], const float (&v)[kGemmPerThread]) {
#pragma unroll
  for (int i = 0; i < kGemmPerThread; ++i) {
    int r, p;
    gemm_tile_element<k_contiguous>((int)threadIdx.x + i * kGemmThreads, r, p);
    s[p][r] = v[i];
  }
}

/* Block (x, y, z): output tile (x, y) over depths [z * k_chunk, (z + 1) * k_chunk) of k, written to
 * c + z * slice_stride. */
template <bool TA, bool TB>
__global__ void __launch_bounds__(kGemmThreads)
    sgemm_kernel(int64_t m, int64_t n, int64_t k, const float* __restrict__ a, int64_t lda,
                 const float* __restrict__ b, int64_t ldb, float* __restrict__ c, int64_t ldc, bool accumulate,
                 int64_t k_chunk, int64_t slice_stride) {
  __shared__ __align__(16) float as[kGemmDepth][kGemmTile + kGemmPad];
  __shared__ __align__(16) float bs[kGemmDepth][kGemmTile + kGemmPad];
  const int tx = (int)threadIdx.x % 16, ty = (int)threadIdx.x / 16;
  const int64_t m0 = (int64_t)blockIdx.x * kGemmTile, n0 = (int64_t)blockIdx.y * kGemmTile;
  const int64_t k_begin = (int64_t)blockIdx.z * k_chunk;
  const int64_t k_end = k - k_begin < k_chunk ? k : k_begin + k_chunk;
  float acc[4][4] = {};
  float va[kGemmPerThread], vb[kGemmPerThread];
  gemm_load<!TA>(a, lda, m0, m, k_begin, k_end, va);
  gemm_load<TB>(b, ldb, n0, n, k_begin, k_end, vb);
  for (int64_t p0 = k_begin; p0 < k_end; p0 += kGemmDepth) {
    gemm_store<!TA>(as, va);
    gemm_store<TB>(bs, vb);
    __syncthreads();
    if (p0 + kGemmDepth < k_end) {
      gemm_load<!TA>(a, lda, m0, m, p0 + kGemmDepth, k_end, va);
      gemm_load<TB>(b, ldb, n0, n, p0 + kGemmDepth, k_end, vb);
    }
#pragma unroll
    for (int p = 0; p < kGemmDepth; ++p) {
      const float4 av = *reinterpret_cast<const float4*>(&as[p][ty * 4]);
      const float4 bv = *reinterpret_cast<const float4*>(&bs[p][tx * 4]);
      const float ar[4] = {av.x, av.y, av.z, av.w};
      const float br[4] = {bv.x, bv.y, bv.z, bv.w};
#pragma unroll
      for (int i = 0; i < 4; ++i)
#pragma unroll
        for (int j = 0; j < 4; ++j) acc[i][j] += ar[i] * br[j];
    }
    __syncthreads();  // the slice is read before the next one overwrites it
  }
  c += blockIdx.z * slice_stride;
#pragma unroll
  for (int i = 0; i < 4; ++i) {
    const int64_t gm = m0 + ty * 4 + i;
    if (gm >= m) break;
#pragma unroll
    for (int j = 0; j < 4; ++j) {
      const int64_t gn = n0 + tx * 4 + j;
      if (gn < n) {
        float* out = c + gm * ldc + gn;
        *out = accumulate ? *out + acc[i][j] : acc[i][j];
      }
    }
  }
}

/* How a product splits k: slices (1: not split) of chunk depths each. */
struct SplitK {
  int64_t slices, chunk;
};

/* Enough slices to give about 2 blocks per SM of a large GPU, each slice at least 256 deep. */
inline SplitK plan_split_k(int64_t m, int64_t n, int64_t k) {
  constexpr int64_t kTargetBlocks = 264, kMinDepth = 256;
  const int64_t tiles = ((m + kGemmTile - 1) / kGemmTile) * ((n + kGemmTile - 1) / kGemmTile);
  int64_t slices = tiles > 0 ? (kTargetBlocks + tiles - 1) / tiles : 1;
  const int64_t deepest = (k + kMinDepth - 1) / kMinDepth;
  if (slices > deepest) slices = deepest;
  if (slices > 65535) slices = 65535;
  if (slices <= 1) return SplitK{1, k};
  const int64_t chunk = ((k + slices - 1) / slices + kGemmDepth - 1) / kGemmDepth * kGemmDepth;
  return SplitK{(k + chunk - 1) / chunk, chunk};
}

/* Queues the product on the stream (nothing when m or n is 0; k 0 gives zeros, or leaves C when accumulate).
 * n <= kGemmMaxColumns. With split.slices > 1, accumulate must be false and C receives the slices' partial
 * products slice_stride apart (see sum_slices). The caller checks the launch. */
template <bool TA, bool TB>
void sgemm(cudaStream_t stream, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b,
           int64_t ldb, float* c, int64_t ldc, bool accumulate, SplitK split = SplitK{1, 0},
           int64_t slice_stride = 0) {
  if (m == 0 || n == 0) return;
  const dim3 grid((unsigned)((m + kGemmTile - 1) / kGemmTile), (unsigned)((n + kGemmTile - 1) / kGemmTile),
                  (unsigned)split.slices);
  const int64_t chunk = split.slices > 1 ? split.chunk : k;
  sgemm_kernel<TA, TB><<<grid, kGemmThreads, 0, stream>>>(m, n, k, a, lda, b, ldb, c, ldc, accumulate, chunk, slice_stride);
}

/* out[i] = sum over z of parts[z * stride + i], z in order, for i < count. (static: each .cu has its own.) */
static __global__ void sum_slices_kernel(const float* __restrict__ parts, int64_t slices, int64_t stride, int64_t count,
                                  float* __restrict__ out) {
  JKC_GRID_LOOP(i, count) {
    float s = 0.f;
    for (int64_t z = 0; z < slices; ++z) s += parts[z * stride + i];
    out[i] = s;
  }
}

inline void sum_slices(cudaStream_t stream, const float* parts, int64_t slices, int64_t stride, int64_t count,
                       float* out) {
  if (count == 0) return;
  sum_slices_kernel<<<blocks_for(count), kThreads, 0, stream>>>(parts, slices, stride, count, out);
}

}  // namespace jkc
#endif
