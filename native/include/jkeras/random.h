/* Counter-based random numbers (Philox-4x32-10): element i of a draw depends only on (seed, offset + i),
 * so CPU and CUDA give the same numbers and the draw parallelises without shared state. */
#ifndef JKERAS_RANDOM_H
#define JKERAS_RANDOM_H
#include "status.h"
#ifdef __cplusplus
extern "C" {
#endif

int jk_random_uniform(float* out, int64_t n, uint64_t seed, uint64_t offset, float low, float high);
int jk_random_normal(float* out, int64_t n, uint64_t seed, uint64_t offset, float mean, float stddev);
/* Normal draws redrawn until within two standard deviations of the mean (Keras's TruncatedNormal). */
int jk_random_truncated_normal(float* out, int64_t n, uint64_t seed, uint64_t offset, float mean, float stddev);

#ifdef __cplusplus
}
#endif
#endif
