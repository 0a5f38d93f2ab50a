/* Integer-indexed primitives: one-hot encoding, argmax, row gathers and scatter-adds (Embedding). */
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
/* out (n x dim) = rows ids of table (rows x dim); an id outside [0, rows) is JK_INVALID_ARGUMENT naming it, and
 * nothing is written. */
int jk_gather_rows(const float* table, int64_t rows, int64_t dim, const int32_t* ids, int64_t n, float* out);
/* table[ids[i]] += src[i] for each of the n rows of src (n x dim); repeated ids accumulate. Ids are checked as
 * in jk_gather_rows before anything is written. */
int jk_scatter_add_rows(const float* src, const int32_t* ids, int64_t n, float* table, int64_t rows, int64_t dim);

#ifdef __cplusplus
}
#endif
#endif
