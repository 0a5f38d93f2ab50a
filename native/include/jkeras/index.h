/* Integer-indexed primitives: one-hot encoding and row gathers. */
#ifndef JKERAS_INDEX_H
#define JKERAS_INDEX_H
#include "status.h"
#ifdef __cplusplus
extern "C" {
#endif

/* out (n x depth) = one_hot(ids); an id outside [0, depth) is JK_INVALID_ARGUMENT and leaves out unwritten. */
int jk_one_hot(const int32_t* ids, float* out, int64_t n, int64_t depth);
/* Index of the largest of each row of x (rows x n); the first one on ties. */
int jk_argmax(const float* x, int32_t* out, int64_t rows, int64_t n);

#ifdef __cplusplus
}
#endif
#endif
