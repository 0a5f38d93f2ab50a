#include <atomic>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include "cpu/guard.h"
#include "jkeras/memory.h"

namespace {
constexpr size_t kAlignment = 64;
// The size of each block sits in a 64-byte header in front of it, so jk_free can account for it.
std::atomic<int64_t> allocated{0};

/* Large blocks are kept for reuse instead of going back to the system: a fresh multi-megabyte block is mmap'd
 * pages, and faulting them in costs several times the work done on them (a 100 MB copy: 55 ms fresh vs 15 ms
 * reused). Blocks are reused by exact (rounded) size, up to a bounded total. */
class LargeBlockCache {
 public:
  static constexpr size_t kMinBytes = 1 << 20;
  static constexpr size_t kGranule = 1 << 16;
  static constexpr size_t kMaxCached = size_t(1) << 30;

  static size_t round(size_t bytes) {
    return bytes < kMinBytes ? (bytes + kAlignment - 1) / kAlignment * kAlignment
                             : (bytes + kGranule - 1) / kGranule * kGranule;
  }

  void* take(size_t rounded) {
    if (rounded < kMinBytes) return nullptr;
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = free_.find(rounded);
    if (it == free_.end()) return nullptr;
    void* block = it->second;
    free_.erase(it);
    cached_ -= rounded;
    return block;
  }

  /* Keeps the block if there is room; false means the caller frees it. */
  bool give(void* block, size_t rounded) {
    if (rounded < kMinBytes) return false;
    std::lock_guard<std::mutex> lock(mutex_);
    if (cached_ + rounded > kMaxCached) return false;
    free_.emplace(rounded, block);
    cached_ += rounded;
    return true;
  }

 private:
  std::mutex mutex_;
  std::multimap<size_t, void*> free_;
  size_t cached_ = 0;
};

LargeBlockCache& large_blocks() {
  static LargeBlockCache* cache = new LargeBlockCache();  // never destroyed: frees may come during JVM exit
  return *cache;
}
}  // namespace

extern "C" int jk_alloc(int64_t bytes, void** out) {
  *out = nullptr;
  if (bytes < 0) {
    jk::set_error("jk_alloc: negative size");
    return JK_INVALID_ARGUMENT;
  }
  const size_t rounded = LargeBlockCache::round((size_t)bytes);
  void* block = large_blocks().take(rounded);
  if (!block) block = std::aligned_alloc(kAlignment, rounded + kAlignment);
  if (!block) {
    jk::set_error("jk_alloc: cannot allocate " + std::to_string(bytes) + " bytes of host memory");
    return JK_OUT_OF_MEMORY;
  }
  *(int64_t*)block = bytes;
  allocated += bytes;
  *out = (char*)block + kAlignment;
  return JK_OK;
}

extern "C" void jk_free(void* p) {
  if (!p) return;
  void* block = (char*)p - kAlignment;
  const int64_t bytes = *(int64_t*)block;
  allocated -= bytes;
  if (!large_blocks().give(block, LargeBlockCache::round((size_t)bytes))) std::free(block);
}

extern "C" int64_t jk_allocated_bytes(void) { return allocated.load(); }

extern "C" int jk_fill(float* dst, int64_t n, float value) {
  return jk::guarded("jk_fill", [&] {
#pragma omp parallel for simd if (n > jk::kParallelGrain)
    for (int64_t i = 0; i < n; ++i) dst[i] = value;
  });
}

extern "C" int jk_copy(void* dst, const void* src, int64_t bytes) {
  return jk::guarded("jk_copy", [&] {
    if (bytes > 0 && dst != src) std::memmove(dst, src, (size_t)bytes);
  });
}

extern "C" int jk_copy_strided(int rank, const int64_t* shape, const void* src_v, const int64_t* src_strides,
                               void* dst_v, const int64_t* dst_strides) {
  return jk::guarded("jk_copy_strided", [&] {
    jk::require(rank >= 0 && rank <= JK_MAX_RANK, "rank out of range");
    // Elements are 4 bytes whatever their type; copy them as int32 bit patterns.
    const int32_t* src = (const int32_t*)src_v;
    int32_t* dst = (int32_t*)dst_v;
    int64_t total = 1;
    for (int d = 0; d < rank; ++d) total *= shape[d];
    if (total == 0) return;
    if (rank == 0) { dst[0] = src[0]; return; }
    int64_t inner = shape[rank - 1], ss = src_strides[rank - 1], ds = dst_strides[rank - 1];
    int64_t rows = total / inner;
#pragma omp parallel for if (total > jk::kParallelGrain)
    for (int64_t r = 0; r < rows; ++r) {
      int64_t rem = r, so = 0, doff = 0;
      for (int d = rank - 2; d >= 0; --d) {
        int64_t i = rem % shape[d];
        rem /= shape[d];
        so += i * src_strides[d];
        doff += i * dst_strides[d];
      }
      const int32_t* s = src + so;
      int32_t* t = dst + doff;
      if (ss == 1 && ds == 1) {
        std::memcpy(t, s, (size_t)inner * 4);
      } else if (ss == 0 && ds == 1) {  // a broadcast row
        const int32_t v = *s;
#pragma omp simd
        for (int64_t i = 0; i < inner; ++i) t[i] = v;
      } else {
        for (int64_t i = 0; i < inner; ++i) t[i * ds] = s[i * ss];
      }
    }
  });
}

extern "C" int jk_int_to_float(const int32_t* src, float* dst, int64_t n) {
  return jk::guarded("jk_int_to_float", [&] {
#pragma omp parallel for simd if (n > jk::kParallelGrain)
    for (int64_t i = 0; i < n; ++i) dst[i] = (float)src[i];
  });
}
