/* Philox-4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11), and the maps from
 * its words to uniform and normal floats. Shared by CPU and CUDA. */
#ifndef JKERAS_COMMON_PHILOX_H
#define JKERAS_COMMON_PHILOX_H
#include <stdint.h>
#include <math.h>
#include "hd.h"

namespace jk {

struct Philox4 { uint32_t v[4]; };

JK_HD void mulhilo(uint32_t a, uint32_t b, uint32_t* hi, uint32_t* lo) {
  uint64_t p = (uint64_t)a * (uint64_t)b;
  *hi = (uint32_t)(p >> 32);
  *lo = (uint32_t)p;
}

JK_HD Philox4 philox(uint64_t counter, uint32_t counter_hi, uint64_t key) {
  uint32_t c0 = (uint32_t)counter, c1 = (uint32_t)(counter >> 32), c2 = counter_hi, c3 = 0;
  uint32_t k0 = (uint32_t)key, k1 = (uint32_t)(key >> 32);
  for (int round = 0; round < 10; ++round) {
    uint32_t hi0, lo0, hi1, lo1;
    mulhilo(0xD2511F53u, c0, &hi0, &lo0);
    mulhilo(0xCD9E8D57u, c2, &hi1, &lo1);
    uint32_t n0 = hi1 ^ c1 ^ k0, n1 = lo1, n2 = hi0 ^ c3 ^ k1, n3 = lo0;
    c0 = n0; c1 = n1; c2 = n2; c3 = n3;
    k0 += 0x9E3779B9u; k1 += 0xBB67AE85u;
  }
  Philox4 r = {{c0, c1, c2, c3}};
  return r;
}

/* [0, 1) with 24 random bits. */
JK_HD float uniform01(uint32_t w) { return (float)(w >> 8) * (1.0f / 16777216.0f); }

/* Standard normal by Box-Muller from two words; u1 in (0, 1] keeps the log finite. */
JK_HD float normal_from(uint32_t w0, uint32_t w1) {
  float u1 = ((float)(w0 >> 8) + 1.0f) * (1.0f / 16777216.0f);
  float u2 = uniform01(w1);
  return sqrtf(-2.0f * logf(u1)) * cosf(6.28318530717958648f * u2);
}

}  // namespace jk
#endif
