/* Private helpers of every libjkeras_cuda kernel file: launch geometry, grid-stride loops, and the status
 * convention of the C ABI (a jk_status code returned, the detail in the calling thread's jkc_last_error()). */
#ifndef JKERAS_CUDA_LAUNCH_CUH
#define JKERAS_CUDA_LAUNCH_CUH
#include <cuda_runtime.h>
#include <stdint.h>
#include "jkeras/status.h"

constexpr int kThreads = 256;

/* The C ABI passes streams as void*. */
inline cudaStream_t as_stream(void* stream) { return static_cast<cudaStream_t>(stream); }

/* Blocks for a grid-stride loop over n items: enough to fill any GPU, capped since the loop covers the rest. */
inline int blocks_for(int64_t n) {
  const int64_t blocks = (n + kThreads - 1) / kThreads;
  return (int)(blocks < 65535 ? (blocks > 0 ? blocks : 1) : 65535);
}

/* for (int64_t I = first; I < N; I += stride) over the whole grid, with 64-bit indices. */
#define JKC_GRID_LOOP(I, N)                                                      \
  for (int64_t I = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; I < (N); \
       I += (int64_t)gridDim.x * blockDim.x)

/* Sets the calling thread's last error to the printf-style message and returns status. */
int jkc_fail(int status, const char* fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* JK_OK if the last launch was accepted; otherwise fails with what (the entry point) and the CUDA error. */
int jkc_check_launch(const char* what);

/* JK_OK for cudaSuccess; otherwise fails with what (the entry point) and the CUDA error's text, the status
 * chosen by the kind of error (out of memory, invalid argument, no usable driver or device, internal). */
int jkc_cuda_status(cudaError_t err, const char* what);

#endif
