#include <string>
#include "common/pool_desc.h"
#include "cpu/dnnl_context.h"
#include "cpu/guard.h"
#include "jkeras/pool.h"

/* oneDNN's pooling, chosen by measurement over our own vectorised OpenMP kernels on NHWC (MaxPooling2D 2x2,
 * batch 32, 112x112x64, 2 cores, best of 25 interleaved rounds): forward within noise of ours (9-14 ms against
 * 12 ms, memcpy of the input 15 ms), backward with its workspace 15.5 ms against 26.5 ms for ours recomputing the
 * argmax from x, and ours with a one-byte workspace of its own within noise of it (12-15 ms). oneDNN also serves
 * channels_first through its format tag without a second path, so it is the one kept. Its tie rule (the first
 * maximal element in window order gets the gradient, padding never) is TensorFlow's; the Java tests pin it. */

using dnnl::algorithm;
using dnnl::memory;
using dnnl::prop_kind;
using tag = dnnl::memory::format_tag;

namespace {

enum PoolPass : int64_t { kForward = 0, kBackward = 1, kInference = 2 };

void validate(const jk_pool_desc& d) {
  const std::string problem = jk::pool_desc_problem(d);
  if (!problem.empty()) throw jk::invalid_argument(problem);
}

bool empty(const jk_pool_desc& d) { return d.batch == 0 || d.channels == 0; }

struct Geometry {
  memory::desc src, dst;
  memory::dims strides, kernel, dilation, pad_l, pad_r;
  algorithm alg;
};

Geometry geometry(const jk_pool_desc& d) {
  const int s = (int)d.spatial;
  memory::dims src{d.batch, d.channels}, dst{d.batch, d.channels};
  Geometry g;
  for (int i = 0; i < s; ++i) {
    src.push_back(d.in_size[i]);
    dst.push_back(d.out_size[i]);
    g.strides.push_back(d.stride[i]);
    g.kernel.push_back(d.kernel[i]);
    g.dilation.push_back(0);
    g.pad_l.push_back(d.pad_begin[i]);
    g.pad_r.push_back(d.pad_end[i]);
  }
  static const tag last[] = {tag::nwc, tag::nhwc, tag::ndhwc};
  static const tag first[] = {tag::ncw, tag::nchw, tag::ncdhw};
  const tag act = d.channels_first ? first[s - 1] : last[s - 1];
  g.src = memory::desc(src, memory::data_type::f32, act);
  g.dst = memory::desc(dst, memory::data_type::f32, act);
  g.alg = d.algorithm == JK_POOL_MAX ? algorithm::pooling_max : algorithm::pooling_avg_exclude_padding;
  return g;
}

dnnl::pooling_forward::primitive_desc forward_pd(const Geometry& g, bool training = true) {
  return dnnl::pooling_forward::primitive_desc(jk::cpu_engine(),
                                               training ? prop_kind::forward_training : prop_kind::forward_inference,
                                               g.alg, g.src, g.dst, g.strides, g.kernel, g.dilation, g.pad_l, g.pad_r);
}

struct PoolEntry {
  Geometry g;
  dnnl::primitive primitive;
  memory::desc workspace;  // empty for average pooling
};

jk::PrimitiveCache<PoolEntry>& cache() {
  static jk::PrimitiveCache<PoolEntry> c;
  return c;
}

std::shared_ptr<PoolEntry> entry(const jk_pool_desc& d, int64_t pass) {
  const int64_t* f = reinterpret_cast<const int64_t*>(&d);
  jk::PrimitiveKey key{pass};
  key.insert(key.end(), f, f + sizeof(jk_pool_desc) / sizeof(int64_t));
  return cache().get(key, [&] {
    auto e = std::make_shared<PoolEntry>();
    e->g = geometry(d);
    auto fwd = forward_pd(e->g);
    e->workspace = fwd.workspace_desc();
    if (pass == kInference) {
      // No gradient wanted: no workspace to write (the training primitive is 4-16% slower, see bench/).
      e->primitive = dnnl::pooling_forward(forward_pd(e->g, false));
      e->workspace = memory::desc();
    } else if (pass == kForward) {
      e->primitive = dnnl::pooling_forward(fwd);
    } else {
      auto pd = dnnl::pooling_backward::primitive_desc(jk::cpu_engine(), e->g.alg, e->g.src, e->g.dst, e->g.strides,
                                                       e->g.kernel, e->g.dilation, e->g.pad_l, e->g.pad_r, fwd);
      e->primitive = dnnl::pooling_backward(pd);
    }
    return e;
  });
}

memory wrap(const memory::desc& md, const void* p) { return memory(md, jk::cpu_engine(), const_cast<void*>(p)); }

}  // namespace

extern "C" int jk_pool_workspace_size(const jk_pool_desc* d, int64_t* bytes) {
  return jk::guarded("jk_pool_workspace_size", [&] {
    *bytes = 0;
    validate(*d);
    if (empty(*d)) return;
    *bytes = (int64_t)entry(*d, kForward)->workspace.get_size();
  });
}

extern "C" int jk_pool_forward(const jk_pool_desc* d, const float* x, float* y, void* workspace) {
  return jk::guarded("jk_pool_forward", [&] {
    validate(*d);
    if (empty(*d)) return;
    auto e = entry(*d, workspace != nullptr ? kForward : kInference);
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, wrap(e->g.src, x)}, {DNNL_ARG_DST, wrap(e->g.dst, y)}};
    if (e->workspace.get_size() > 0) args.emplace(DNNL_ARG_WORKSPACE, wrap(e->workspace, workspace));
    e->primitive.execute(jk::cpu_stream(), args);
    jk::cpu_stream().wait();
  });
}

extern "C" int jk_pool_backward(const jk_pool_desc* d, const float* dy, const void* workspace, float* dx) {
  return jk::guarded("jk_pool_backward", [&] {
    validate(*d);
    if (empty(*d)) return;
    auto e = entry(*d, kBackward);
    std::unordered_map<int, memory> args{{DNNL_ARG_DIFF_DST, wrap(e->g.dst, dy)},
                                         {DNNL_ARG_DIFF_SRC, wrap(e->g.src, dx)}};
    if (e->workspace.get_size() > 0) {
      jk::require(workspace != nullptr, "max pooling's backward pass needs the forward pass's workspace");
      args.emplace(DNNL_ARG_WORKSPACE, wrap(e->workspace, workspace));
    }
    e->primitive.execute(jk::cpu_stream(), args);
    jk::cpu_stream().wait();
  });
}
