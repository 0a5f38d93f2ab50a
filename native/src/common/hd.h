/* Marks a function callable from host and CUDA device code. */
#ifndef JKERAS_COMMON_HD_H
#define JKERAS_COMMON_HD_H
#ifdef __CUDACC__
#define JK_HD __host__ __device__ __forceinline__
#else
#define JK_HD inline
#endif
#endif
