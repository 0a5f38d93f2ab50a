/* Host memory and layout copies. Sizes in bytes for allocation, in elements (float or int32, both 4 bytes)
 * everywhere else; strides in elements, 0 for a broadcast dimension. */
#ifndef JKERAS_MEMORY_H
#define JKERAS_MEMORY_H
#include "status.h"
#ifdef __cplusplus
extern "C" {
#endif

#define JK_MAX_RANK 8

/* 64-byte aligned; *out = NULL and JK_OUT_OF_MEMORY when it cannot. */
int jk_alloc(int64_t bytes, void** out);
void jk_free(void* p);
/* Bytes currently held by jk_alloc (for leak checks). */
int64_t jk_allocated_bytes(void);

int jk_fill(float* dst, int64_t n, float value);
int jk_copy(void* dst, const void* src, int64_t bytes);
/* dst[i] = src[i] for every index of shape, each side with its own strides (4-byte elements). */
int jk_copy_strided(int rank, const int64_t* shape, const void* src, const int64_t* src_strides,
                    void* dst, const int64_t* dst_strides);
/* int32 -> float conversion and float -> int32 (truncation), n elements. */
int jk_int_to_float(const int32_t* src, float* dst, int64_t n);

#ifdef __cplusplus
}
#endif
#endif
