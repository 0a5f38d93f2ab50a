/* Marks a function callable from host and CUDA device code, and the bit casts that such functions need. */
#ifndef JKERAS_COMMON_HD_H
#define JKERAS_COMMON_HD_H
#include <stdint.h>

#ifdef __CUDACC__
#define JK_HD __host__ __device__ __forceinline__
#else
#define JK_HD inline
#endif

namespace jk {

/* The float with bits b. */
JK_HD float bits_to_float(uint32_t b) {
#ifdef __CUDA_ARCH__
  return __uint_as_float(b);
#else
  float f;
  __builtin_memcpy(&f, &b, sizeof f);  // folds to a register move; vectorises
  return f;
#endif
}

/* The bits of f. */
JK_HD uint32_t float_to_bits(float f) {
#ifdef __CUDA_ARCH__
  return __float_as_uint(f);
#else
  uint32_t b;
  __builtin_memcpy(&b, &f, sizeof b);
  return b;
#endif
}

}  // namespace jk
#endif
