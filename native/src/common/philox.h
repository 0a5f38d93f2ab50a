/* Philox-4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11), the maps from its words
 * to uniform and normal floats, and the draw of element `counter` of each distribution. Shared by CPU and CUDA,
 * which must give bit-identical numbers: everything here is integer arithmetic, exactly rounded float operations
 * (+ - * / sqrtf) and explicit fmaf, never libm's logf / cosf (whose last bits differ between glibc and CUDA) nor
 * a multiply-add left for the compiler to fuse or not. */
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

/* ln u for a normal float u in (0, 1]: Cephes's logf (u = m 2^e with m in [sqrt(1/2), sqrt(2)), a degree-8
 * polynomial in m - 1, ln 2 in two parts), within 1 ulp. */
JK_HD float log_unit(float u) {
  const uint32_t b = float_to_bits(u);
  const float m = bits_to_float((b & 0x007FFFFFu) | 0x3F000000u);  // u = m 2^(b's exponent - 126), m in [0.5, 1)
  const bool small = m < 0.707106781186547524f;
  const float e = (float)((int)(b >> 23) - (small ? 127 : 126));
  const float x = small ? (m + m) - 1.f : m - 1.f;  // exact (Sterbenz)
  const float z = x * x;
  float p = fmaf(7.0376836292e-2f, x, -1.1514610310e-1f);
  p = fmaf(p, x, 1.1676998740e-1f);
  p = fmaf(p, x, -1.2420140846e-1f);
  p = fmaf(p, x, 1.4249322787e-1f);
  p = fmaf(p, x, -1.6668057665e-1f);
  p = fmaf(p, x, 2.0000714765e-1f);
  p = fmaf(p, x, -2.4999993993e-1f);
  p = fmaf(p, x, 3.3333331174e-1f);
  float y = (p * x) * z;
  y = fmaf(e, -2.12194440e-4f, y);
  y = fmaf(-0.5f, z, y);
  return fmaf(e, 0.693359375f, x + y);
}

/* cos(2 pi t) for t in [0, 1) a multiple of 2^-24 (a uniform01 value): 4t = j + r with j the nearest integer and
 * r in [-1/2, 1/2] (both exact), then cos or sin of r pi/2 in [-pi/4, pi/4] by Cephes's polynomials, within 2 ulp. */
JK_HD float cos_2pi(float t) {
  const float s = 4.f * t;
  const int j = (int)(s + 0.5f);
  const float x = (s - (float)j) * 1.57079632679489662f;
  const float z = x * x;
  const float ps = fmaf(fmaf(-1.9515295891e-4f, z, 8.3321608736e-3f), z, -1.6666654611e-1f);
  const float sin_x = fmaf(ps * z, x, x);
  const float pc = fmaf(fmaf(2.443315711809948e-5f, z, -1.388731625493765e-3f), z, 4.166664568298827e-2f);
  const float cos_x = fmaf(pc * z, z, fmaf(-0.5f, z, 1.f));
  switch (j & 3) {  // cos(j pi/2 + x)
    case 0: return cos_x;
    case 1: return -sin_x;
    case 2: return -cos_x;
    default: return sin_x;
  }
}

/* Standard normal by Box-Muller from two words; u1 in (0, 1] keeps the log finite. */
JK_HD float normal_from(uint32_t w0, uint32_t w1) {
  const float u1 = ((float)(w0 >> 8) + 1.0f) * (1.0f / 16777216.0f);
  return sqrtf(-2.0f * log_unit(u1)) * cos_2pi(uniform01(w1));
}

/* Element `counter` of each draw: the counter is offset + i, the key the seed. */
JK_HD float uniform_at(uint64_t seed, uint64_t counter, float low, float range) {
  return fmaf(range, uniform01(philox(counter, 0, seed).v[0]), low);
}

JK_HD float normal_at(uint64_t seed, uint64_t counter, float mean, float stddev) {
  const Philox4 r = philox(counter, 0, seed);
  return fmaf(stddev, normal_from(r.v[0], r.v[1]), mean);
}

/* Normal draws redrawn until within two standard deviations; each redraw uses the next value of the counter's
 * high word, so element `counter` is still one value per (seed, counter). */
JK_HD float truncated_normal_at(uint64_t seed, uint64_t counter, float mean, float stddev) {
  float z;
  uint32_t attempt = 0;
  do {
    const Philox4 r = philox(counter, attempt++, seed);
    z = normal_from(r.v[0], r.v[1]);
  } while (z < -2.f || z > 2.f);
  return fmaf(stddev, z, mean);
}

}  // namespace jk
#endif
