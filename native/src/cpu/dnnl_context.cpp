#include "cpu/dnnl_context.h"

namespace jk {

dnnl::engine& cpu_engine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::stream& cpu_stream() {
  thread_local dnnl::stream stream(cpu_engine());
  return stream;
}

void reorder(dnnl::memory& src, dnnl::memory& dst) {
  dnnl::reorder(src, dst).execute(cpu_stream(), src, dst);
}

}  // namespace jk
