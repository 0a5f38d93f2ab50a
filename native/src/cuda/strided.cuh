/* Strided views of up to JK_MAX_RANK dimensions with two sets of element strides (a copy's source and
 * destination, a binary op's two operands): built and simplified on the host, passed to kernels by value, and
 * turned from a row-major index over the shape into the two element offsets on the device. */
#ifndef JKERAS_CUDA_STRIDED_CUH
#define JKERAS_CUDA_STRIDED_CUH
#include <stdint.h>
#include "jkeras/memory.h"

struct Strided {
  int rank;  // after merging: 0 (a single element) to JK_MAX_RANK
  int64_t shape[JK_MAX_RANK];
  int64_t s0[JK_MAX_RANK], s1[JK_MAX_RANK];
};

/* Fills g from the view, dropping size-1 dimensions and merging adjacent dimensions that are contiguous on both
 * sides (fewer divisions per element, same elements in the same order); returns the number of elements. The sizes
 * must be checked non-negative first. */
inline int64_t make_strided(int rank, const int64_t* shape, const int64_t* s0, const int64_t* s1, Strided* g) {
  int64_t total = 1;
  int r = 0;
  for (int d = 0; d < rank; ++d) {
    total *= shape[d];
    if (shape[d] == 1) continue;
    if (r > 0 && g->s0[r - 1] == s0[d] * shape[d] && g->s1[r - 1] == s1[d] * shape[d]) {
      g->shape[r - 1] *= shape[d];
      g->s0[r - 1] = s0[d];
      g->s1[r - 1] = s1[d];
    } else {
      g->shape[r] = shape[d];
      g->s0[r] = s0[d];
      g->s1[r] = s1[d];
      ++r;
    }
  }
  g->rank = r;
  return total;
}

/* The two offsets of row-major index i. I is uint32_t where the element count fits (32-bit division is several
 * times cheaper), else uint64_t. The loop is unrolled over the fixed maximum rank so that g stays in the
 * kernel's parameter space instead of being copied to local memory for dynamic indexing. */
template <class I>
__device__ __forceinline__ void strided_offsets(const Strided& g, I i, int64_t& o0, int64_t& o1) {
  o0 = 0;
  o1 = 0;
#pragma unroll
  for (int d = JK_MAX_RANK - 1; d > 0; --d) {
    if (d < g.rank) {
      const I extent = (I)g.shape[d];
      const I q = i / extent;
      const int64_t k = (int64_t)(i - q * extent);
      o0 += k * g.s0[d];
      o1 += k * g.s1[d];
      i = q;
    }
  }
  if (g.rank > 0) {
    o0 += (int64_t)i * g.s0[0];
    o1 += (int64_t)i * g.s1[0];
  }
}

#endif
