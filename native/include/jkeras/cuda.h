/* The C ABI of libjkeras_cuda: the CUDA twins of the CPU entry points (memory.h, eltwise.h, reduce.h, random.h,
 * optim.h, index.h, pool.h, resize.h, rnn.h), prefixed jkc_, on device pointers, each launched on the stream given
 * as its first argument. Descriptors, shapes, strides and activation parameters are host arrays, as for the CPU.
 * Element math, layouts, formulas and error cases are the CPU functions' (see their headers); only what differs
 * is documented here. Convolution, GEMM and the fused (cuDNN) recurrences are not here: the CUDA backend calls
 * cuDNN and cuBLAS directly through the JavaCPP CUDA presets.
 *
 * Statuses are jk_status codes; the detail of the calling thread's last failure is in jkc_last_error(). A launch
 * returns once queued: errors of a kernel that already ran surface at the next synchronising call. This header
 * needs no CUDA header: streams travel as void*. */
#ifndef JKERAS_CUDA_H
#define JKERAS_CUDA_H
#include "status.h"
#include "pool.h"
#include "rnn.h"
#ifdef __cplusplus
extern "C" {
#endif

const char* jkc_last_error(void);

/* ---- runtime: devices, streams, memory */

/* Devices the driver reports. Fails (with the driver's reason: no driver, driver too old, ...) where CUDA is
 * unusable; that failure is how the CUDA backend learns why it cannot serve. */
int jkc_device_count(int* count);
/* The driver's and this library's CUDA runtime versions (1000 * major + 10 * minor). */
int jkc_versions(int* driver, int* runtime);
/* The device's name (NUL-terminated, at most len bytes), compute capability and global memory. */
int jkc_device_properties(int device, char* name, int len, int* major, int* minor, int64_t* total_bytes);

/* A non-blocking stream on the device (made current for the calling thread). */
int jkc_stream_create(int device, void** stream);
int jkc_stream_destroy(void* stream);
int jkc_stream_synchronize(void* stream);

/* Stream-ordered device memory from the device's memory pool, which keeps freed blocks for reuse (the caching
 * allocator: its release threshold is raised so that memory returns to the driver only on trim). */
int jkc_alloc(void* stream, int64_t bytes, void** out);
int jkc_free(void* stream, void* p);
/* Returns the pool's cached but unused memory to the driver, after the stream's pending work. */
int jkc_trim(void* stream);

/* Page-locked host memory, for the staging buffers of transfers. */
int jkc_host_alloc(int64_t bytes, void** out);
int jkc_host_free(void* p);

/* Copies between host and device, returning once the bytes have arrived (they synchronise the stream). */
int jkc_copy_to_device(void* stream, void* dst, const void* host_src, int64_t bytes);
int jkc_copy_to_host(void* stream, void* host_dst, const void* src, int64_t bytes);

/* ---- memory.h */
int jkc_fill(void* stream, float* dst, int64_t n, float value);
int jkc_copy(void* stream, void* dst, const void* src, int64_t bytes);
/* 4-byte elements; rank <= 8; strides may be negative. */
int jkc_copy_strided(void* stream, int rank, const int64_t* shape, const void* src, const int64_t* src_strides,
                     void* dst, const int64_t* dst_strides);
int jkc_int_to_float(void* stream, const int32_t* src, float* dst, int64_t n);

/* ---- eltwise.h */
int jkc_unary(void* stream, int op, const float* x, float* y, int64_t n, float a, float b, float c);
int jkc_unary_backward(void* stream, int op, const float* x, const float* y, const float* dy, float* dx, int64_t n,
                       float a, float b, float c);
/* rank <= 8 */
int jkc_binary(void* stream, int op, int rank, const int64_t* shape, const float* a, const int64_t* a_strides,
               const float* b, const int64_t* b_strides, float* out);

/* ---- reduce.h */
int jkc_reduce(void* stream, int op, const float* x, float* y, int64_t outer, int64_t n, int64_t inner);
int jkc_softmax(void* stream, const float* x, float* y, int64_t outer, int64_t n, int64_t inner);
int jkc_softmax_backward(void* stream, const float* y, const float* dy, float* dx, int64_t outer, int64_t n,
                         int64_t inner);

/* ---- random.h: the same Philox streams as the CPU, so both backends draw the same numbers */
int jkc_random_uniform(void* stream, float* out, int64_t n, uint64_t seed, uint64_t offset, float low, float high);
int jkc_random_normal(void* stream, float* out, int64_t n, uint64_t seed, uint64_t offset, float mean,
                      float stddev);
int jkc_random_truncated_normal(void* stream, float* out, int64_t n, uint64_t seed, uint64_t offset, float mean,
                                float stddev);

/* ---- optim.h */
int jkc_sgd_update(void* stream, float* w, const float* g, float* v, int64_t n, float lr, float momentum,
                   int nesterov);
int jkc_adam_update(void* stream, float* w, const float* g, float* m, float* v, int64_t n, float lr_t, float beta1,
                    float beta2, float epsilon);

/* ---- index.h */
int jkc_one_hot(void* stream, const int32_t* ids, float* out, int64_t n, int64_t depth);
int jkc_argmax(void* stream, const float* x, int32_t* out, int64_t rows, int64_t n);
/* These two check every id first (this synchronises the stream) and write nothing if one is outside [0, rows). */
int jkc_gather_rows(void* stream, const float* table, int64_t rows, int64_t dim, const int32_t* ids, int64_t n,
                    float* out);
int jkc_scatter_add_rows(void* stream, const float* src, const int32_t* ids, int64_t n, float* table, int64_t rows,
                         int64_t dim);

/* ---- pool.h: our own kernels (cuDNN pads symmetrically only; Keras's "same" pads more at the end). The max
 * workspace holds the int32 index within the input of each output's first maximal element; NULL: inference. */
int jkc_pool_workspace_size(const jk_pool_desc* d, int64_t* bytes);
int jkc_pool_forward(void* stream, const jk_pool_desc* d, const float* x, float* y, void* workspace);
int jkc_pool_backward(void* stream, const jk_pool_desc* d, const float* dy, const void* workspace, float* dx);

/* ---- resize.h */
int jkc_resize_bilinear(void* stream, const float* x, float* y, int64_t batch, int64_t channels, int64_t in_h,
                        int64_t in_w, int64_t out_h, int64_t out_w, int channels_first, int half_pixel_centers);
int jkc_resize_bilinear_backward(void* stream, const float* dy, float* dx, int64_t batch, int64_t channels,
                                 int64_t in_h, int64_t in_w, int64_t out_h, int64_t out_w, int channels_first,
                                 int half_pixel_centers);

/* ---- rnn.h: whole recurrences with any activations and masks (the cuDNN RNN serves the rest); per step one
 * recurrent product and one fused gate kernel, as on the CPU. The workspace layout is this library's own. */
int jkc_rnn_workspace_size(const jk_rnn_desc* d, const float* params, int64_t* floats);
int jkc_rnn_forward(void* stream, const jk_rnn_desc* d, const float* params, const float* xw, const float* u,
                    const float* rec_bias, const float* h0, const float* c0, const float* mask, float* seq,
                    float* last_h, float* last_c, float* workspace);
int jkc_rnn_backward(void* stream, const jk_rnn_desc* d, const float* params, const float* u, const float* mask,
                     const float* workspace, const float* d_seq, const float* d_last_h, const float* d_last_c,
                     float* dxw, float* du, float* d_rec_bias, float* dh0, float* dc0);

#ifdef __cplusplus
}
#endif
#endif
