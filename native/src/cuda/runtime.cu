// The runtime part of libjkeras_cuda: the status convention, devices, streams, memory and host transfers.
#include <cstdarg>
#include <cstdio>
#include <atomic>
#include "cuda/launch.cuh"
#include "jkeras/cuda.h"

namespace {

thread_local char last_error[1024];

/* The device's default memory pool keeps freed blocks (up to jkc_trim) instead of returning them to the driver at
 * each synchronisation, so stream-ordered allocation is a cached allocator. Set once per device; devices past the
 * mask's 64 set it on every call, which is harmless (the attribute is idempotent). */
std::atomic<uint64_t> pools_raised{0};

int raise_release_threshold(int device) {
  const uint64_t bit = device < 64 ? uint64_t(1) << device : 0;
  if (bit && (pools_raised.load(std::memory_order_acquire) & bit)) return JK_OK;
  cudaMemPool_t pool;
  cudaError_t err = cudaDeviceGetDefaultMemPool(&pool, device);
  uint64_t threshold = UINT64_MAX;
  if (err == cudaSuccess) err = cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &threshold);
  if (err != cudaSuccess) return jkc_cuda_status(err, "jkc_alloc");
  pools_raised.fetch_or(bit, std::memory_order_release);
  return JK_OK;
}

int negative(const char* what) { return jkc_fail(JK_INVALID_ARGUMENT, "%s: negative size", what); }

}  // namespace

int jkc_fail(int status, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  vsnprintf(last_error, sizeof last_error, fmt, args);
  va_end(args);
  return status;
}

int jkc_cuda_status(cudaError_t err, const char* what) {
  if (err == cudaSuccess) return JK_OK;
  cudaGetLastError();  // a failed call leaves its error for the next cudaGetLastError: clear it, it is reported here
  int status = JK_INTERNAL;
  switch (err) {
    case cudaErrorMemoryAllocation: status = JK_OUT_OF_MEMORY; break;
    case cudaErrorInvalidValue:
    case cudaErrorInvalidDevice:
    case cudaErrorInvalidDevicePointer:
    case cudaErrorInvalidResourceHandle: status = JK_INVALID_ARGUMENT; break;
    case cudaErrorNoDevice:
    case cudaErrorInsufficientDriver:
    case cudaErrorCallRequiresNewerDriver:
    case cudaErrorNoKernelImageForDevice:
    case cudaErrorUnsupportedPtxVersion:
    case cudaErrorNotSupported: status = JK_UNSUPPORTED; break;
    default: break;
  }
  return jkc_fail(status, "%s: %s (%s)", what, cudaGetErrorString(err), cudaGetErrorName(err));
}

int jkc_check_launch(const char* what) { return jkc_cuda_status(cudaGetLastError(), what); }

extern "C" const char* jkc_last_error(void) { return last_error; }

// ---- devices

extern "C" int jkc_device_count(int* count) {
  *count = 0;
  const cudaError_t err = cudaGetDeviceCount(count);
  if (err != cudaSuccess) *count = 0;
  return jkc_cuda_status(err, "jkc_device_count");
}

extern "C" int jkc_versions(int* driver, int* runtime) {
  *driver = 0;
  *runtime = 0;
  if (int s = jkc_cuda_status(cudaDriverGetVersion(driver), "jkc_versions")) return s;
  return jkc_cuda_status(cudaRuntimeGetVersion(runtime), "jkc_versions");
}

extern "C" int jkc_device_properties(int device, char* name, int len, int* major, int* minor, int64_t* total_bytes) {
  if (name == nullptr || len <= 0) return jkc_fail(JK_INVALID_ARGUMENT, "jkc_device_properties: no room for the name");
  cudaDeviceProp prop;
  if (int s = jkc_cuda_status(cudaGetDeviceProperties(&prop, device), "jkc_device_properties")) return s;
  snprintf(name, (size_t)len, "%s", prop.name);
  *major = prop.major;
  *minor = prop.minor;
  *total_bytes = (int64_t)prop.totalGlobalMem;
  return JK_OK;
}

// ---- streams

extern "C" int jkc_stream_create(int device, void** stream) {
  *stream = nullptr;
  if (int s = jkc_cuda_status(cudaSetDevice(device), "jkc_stream_create")) return s;
  cudaStream_t s = nullptr;
  if (int st = jkc_cuda_status(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking), "jkc_stream_create")) return st;
  *stream = s;
  return JK_OK;
}

extern "C" int jkc_stream_destroy(void* stream) {
  return jkc_cuda_status(cudaStreamDestroy(as_stream(stream)), "jkc_stream_destroy");
}

extern "C" int jkc_stream_synchronize(void* stream) {
  return jkc_cuda_status(cudaStreamSynchronize(as_stream(stream)), "jkc_stream_synchronize");
}

// ---- device memory

extern "C" int jkc_alloc(void* stream, int64_t bytes, void** out) {
  *out = nullptr;
  if (bytes < 0) return negative("jkc_alloc");
  const cudaStream_t s = as_stream(stream);
  int device;
  if (int st = jkc_cuda_status(cudaStreamGetDevice(s, &device), "jkc_alloc")) return st;
  if (int st = raise_release_threshold(device)) return st;
  // At least one byte: a distinct, non-NULL address even for an empty tensor, as jk_alloc gives.
  const cudaError_t err = cudaMallocAsync(out, bytes > 0 ? (size_t)bytes : 1, s);
  if (err == cudaErrorMemoryAllocation) {
    cudaGetLastError();
    *out = nullptr;
    return jkc_fail(JK_OUT_OF_MEMORY, "jkc_alloc: cannot allocate %lld bytes of device memory on device %d",
                    (long long)bytes, device);
  }
  if (err != cudaSuccess) *out = nullptr;
  return jkc_cuda_status(err, "jkc_alloc");
}

extern "C" int jkc_free(void* stream, void* p) {
  if (p == nullptr) return JK_OK;
  return jkc_cuda_status(cudaFreeAsync(p, as_stream(stream)), "jkc_free");
}

extern "C" int jkc_trim(void* stream) {
  const cudaStream_t s = as_stream(stream);
  if (int st = jkc_cuda_status(cudaStreamSynchronize(s), "jkc_trim")) return st;
  int device;
  if (int st = jkc_cuda_status(cudaStreamGetDevice(s, &device), "jkc_trim")) return st;
  cudaMemPool_t pool;
  if (int st = jkc_cuda_status(cudaDeviceGetDefaultMemPool(&pool, device), "jkc_trim")) return st;
  return jkc_cuda_status(cudaMemPoolTrimTo(pool, 0), "jkc_trim");
}

// ---- pinned host memory and transfers

extern "C" int jkc_host_alloc(int64_t bytes, void** out) {
  *out = nullptr;
  if (bytes < 0) return negative("jkc_host_alloc");
  const cudaError_t err = cudaMallocHost(out, bytes > 0 ? (size_t)bytes : 1);
  if (err != cudaSuccess) *out = nullptr;
  return jkc_cuda_status(err, "jkc_host_alloc");
}

extern "C" int jkc_host_free(void* p) {
  if (p == nullptr) return JK_OK;
  return jkc_cuda_status(cudaFreeHost(p), "jkc_host_free");
}

namespace {

int transfer(const char* what, void* stream, void* dst, const void* src, int64_t bytes, cudaMemcpyKind kind) {
  if (bytes < 0) return negative(what);
  if (bytes == 0) return JK_OK;
  const cudaStream_t s = as_stream(stream);
  if (int st = jkc_cuda_status(cudaMemcpyAsync(dst, src, (size_t)bytes, kind, s), what)) return st;
  return jkc_cuda_status(cudaStreamSynchronize(s), what);
}

}  // namespace

extern "C" int jkc_copy_to_device(void* stream, void* dst, const void* host_src, int64_t bytes) {
  return transfer("jkc_copy_to_device", stream, dst, host_src, bytes, cudaMemcpyHostToDevice);
}

extern "C" int jkc_copy_to_host(void* stream, void* host_dst, const void* src, int64_t bytes) {
  return transfer("jkc_copy_to_host", stream, host_dst, src, bytes, cudaMemcpyDeviceToHost);
}
