/* The oneDNN engine and stream our CPU primitives run on, and the cache of primitives keyed by their geometry. */
#ifndef JKERAS_CPU_DNNL_CONTEXT_H
#define JKERAS_CPU_DNNL_CONTEXT_H
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>
#include <oneapi/dnnl/dnnl.hpp>

namespace jk {

dnnl::engine& cpu_engine();
/* One stream per thread: primitives may then run from several Java threads at once. */
dnnl::stream& cpu_stream();

/* A key made of int64 values (the op kind first, then its descriptor fields). */
using PrimitiveKey = std::vector<int64_t>;

struct PrimitiveKeyHash {
  size_t operator()(const PrimitiveKey& k) const noexcept {
    size_t h = 1469598103934665603ull;
    for (int64_t v : k) h = (h ^ (size_t)v) * 1099511628211ull;
    return h;
  }
};

/* Thread-safe cache from keys to whatever an op family keeps per geometry (primitive descriptors, primitives). */
template <class Entry>
class PrimitiveCache {
 public:
  std::shared_ptr<Entry> get(const PrimitiveKey& key, const std::function<std::shared_ptr<Entry>()>& make) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = map_.find(key);
      if (it != map_.end()) return it->second;
    }
    std::shared_ptr<Entry> made = make();  // outside the lock: creating a primitive JIT-compiles code
    std::lock_guard<std::mutex> lock(mutex_);
    return map_.emplace(key, made).first->second;
  }

 private:
  std::mutex mutex_;
  std::unordered_map<PrimitiveKey, std::shared_ptr<Entry>, PrimitiveKeyHash> map_;
};

/* Runs src -> dst reorder of one memory into another of a different layout. */
void reorder(dnnl::memory& src, dnnl::memory& dst);

}  // namespace jk
#endif
