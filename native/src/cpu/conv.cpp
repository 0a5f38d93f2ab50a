#include <cstdlib>
#include <string>
#include "cpu/dnnl_context.h"
#include "cpu/guard.h"
#include "jkeras/conv.h"

using dnnl::algorithm;
using dnnl::memory;
using dnnl::prop_kind;
using tag = dnnl::memory::format_tag;

namespace {

enum ConvPass : int64_t { kForward = 0, kBackwardData = 1, kBackwardWeights = 2, kTransposeForward = 3 };

struct Geometry {
  memory::desc src, weights_user, weights_any, bias, dst;
  memory::dims strides, dilates, pad_l, pad_r;
};

void validate(const jk_conv_desc& d) {
  jk::require(d.spatial >= 1 && d.spatial <= 3, "spatial must be 1, 2 or 3");
  jk::require(d.batch >= 0 && d.in_channels > 0 && d.out_channels > 0 && d.groups > 0, "sizes must be positive");
  jk::require(d.in_channels % d.groups == 0 && d.out_channels % d.groups == 0,
              "in_channels and out_channels must be multiples of groups");
  for (int i = 0; i < d.spatial; ++i) {
    jk::require(d.in_size[i] > 0 && d.out_size[i] > 0 && d.kernel[i] > 0, "spatial sizes must be positive");
    jk::require(d.stride[i] > 0 && d.dilation[i] > 0, "strides and dilations must be positive");
    const int64_t span = (d.kernel[i] - 1) * d.dilation[i] + 1;
    const int64_t expected = (d.in_size[i] + d.pad_begin[i] + d.pad_end[i] - span) / d.stride[i] + 1;
    if (expected != d.out_size[i])
      throw jk::invalid_argument("spatial axis " + std::to_string(i) + ": input " + std::to_string(d.in_size[i]) +
                                 ", kernel span " + std::to_string(span) + ", stride " + std::to_string(d.stride[i]) +
                                 " and padding " + std::to_string(d.pad_begin[i]) + "/" + std::to_string(d.pad_end[i]) +
                                 " give " + std::to_string(expected) + " outputs, not " +
                                 std::to_string(d.out_size[i]));
  }
}

Geometry geometry(const jk_conv_desc& d) {
  const int s = (int)d.spatial;
  memory::dims src{d.batch, d.in_channels}, dst{d.batch, d.out_channels};
  memory::dims w = d.groups > 1 ? memory::dims{d.groups, d.out_channels / d.groups, d.in_channels / d.groups}
                                : memory::dims{d.out_channels, d.in_channels};
  Geometry g;
  for (int i = 0; i < s; ++i) {
    src.push_back(d.in_size[i]);
    dst.push_back(d.out_size[i]);
    w.push_back(d.kernel[i]);
    g.strides.push_back(d.stride[i]);
    g.dilates.push_back(d.dilation[i] - 1);
    g.pad_l.push_back(d.pad_begin[i]);
    g.pad_r.push_back(d.pad_end[i]);
  }
  static const tag last[] = {tag::nwc, tag::nhwc, tag::ndhwc};
  static const tag first[] = {tag::ncw, tag::nchw, tag::ncdhw};
  static const tag keras_kernel[] = {tag::wio, tag::hwio, tag::dhwio};
  static const tag keras_grouped_kernel[] = {tag::wigo, tag::hwigo, tag::dhwigo};
  const tag act = d.channels_first ? first[s - 1] : last[s - 1];
  g.src = memory::desc(src, memory::data_type::f32, act);
  g.dst = memory::desc(dst, memory::data_type::f32, act);
  g.weights_user = memory::desc(w, memory::data_type::f32,
                                d.groups > 1 ? keras_grouped_kernel[s - 1] : keras_kernel[s - 1]);
  g.weights_any = memory::desc(w, memory::data_type::f32, tag::any);
  g.bias = memory::desc({d.out_channels}, memory::data_type::f32, tag::a);
  return g;
}

jk::PrimitiveKey key_of(const jk_conv_desc& d, int64_t pass, bool with_bias) {
  const int64_t* f = reinterpret_cast<const int64_t*>(&d);
  jk::PrimitiveKey k{pass, with_bias ? 1 : 0};
  k.insert(k.end(), f, f + sizeof(jk_conv_desc) / sizeof(int64_t));
  return k;
}

dnnl::convolution_forward::primitive_desc forward_pd(const Geometry& g, bool with_bias) {
  return dnnl::convolution_forward::primitive_desc(jk::cpu_engine(), prop_kind::forward_training,
                                                   algorithm::convolution_direct, g.src, g.weights_any,
                                                   with_bias ? g.bias : memory::desc(), g.dst, g.strides, g.dilates,
                                                   g.pad_l, g.pad_r);
}

/* A primitive, the weights layout it wants, and the reorder between that layout and Keras's. */
struct ConvEntry {
  Geometry g;
  dnnl::primitive primitive;
  memory::desc weights;  // the primitive's weights (or diff weights) layout
  bool needs_reorder;
};

jk::PrimitiveCache<ConvEntry>& cache() {
  static jk::PrimitiveCache<ConvEntry> c;
  return c;
}

std::shared_ptr<ConvEntry> entry(const jk_conv_desc& d, int64_t pass, bool with_bias) {
  return cache().get(key_of(d, pass, with_bias), [&] {
    auto e = std::make_shared<ConvEntry>();
    e->g = geometry(d);
    auto fwd = forward_pd(e->g, with_bias);
    if (pass == kForward) {
      e->primitive = dnnl::convolution_forward(fwd);
      e->weights = fwd.weights_desc();
    } else if (pass == kTransposeForward) {
      // oneDNN's deconvolution is the adjoint of its convolution with the same geometry; its weights are
      // (out = filters, in, k...), which is Keras's (k..., filters, in) memory read as [d]hwoi.
      static const tag keras_transposed_kernel[] = {tag::woi, tag::hwoi, tag::dhwoi};
      memory::dims w = e->g.weights_user.get_dims();
      std::swap(w[0], w[1]);
      e->g.weights_user = memory::desc(w, memory::data_type::f32, keras_transposed_kernel[d.spatial - 1]);
      e->g.bias = memory::desc({d.in_channels}, memory::data_type::f32, tag::a);
      auto pd = dnnl::deconvolution_forward::primitive_desc(
          jk::cpu_engine(), prop_kind::forward_training, algorithm::deconvolution_direct, e->g.dst,
          memory::desc(w, memory::data_type::f32, tag::any), with_bias ? e->g.bias : memory::desc(), e->g.src,
          e->g.strides, e->g.dilates, e->g.pad_l, e->g.pad_r);
      e->primitive = dnnl::deconvolution_forward(pd);
      e->weights = pd.weights_desc();
    } else if (pass == kBackwardData) {
      auto pd = dnnl::convolution_backward_data::primitive_desc(
          jk::cpu_engine(), algorithm::convolution_direct, e->g.src, e->g.weights_any, e->g.dst, e->g.strides,
          e->g.dilates, e->g.pad_l, e->g.pad_r, fwd);
      e->primitive = dnnl::convolution_backward_data(pd);
      e->weights = pd.weights_desc();
    } else {
      auto pd = dnnl::convolution_backward_weights::primitive_desc(
          jk::cpu_engine(), algorithm::convolution_direct, e->g.src, e->g.weights_any,
          with_bias ? e->g.bias : memory::desc(), e->g.dst, e->g.strides, e->g.dilates, e->g.pad_l, e->g.pad_r, fwd);
      e->primitive = dnnl::convolution_backward_weights(pd);
      e->weights = pd.diff_weights_desc();
    }
    e->needs_reorder = e->weights != e->g.weights_user;
    return e;
  });
}

memory wrap(const memory::desc& md, const void* p) { return memory(md, jk::cpu_engine(), const_cast<void*>(p)); }

/* Scratch for weights in the primitive's layout, reused by the thread's later calls. Page-aligned: blocked
 * weights that straddle cache lines cost 10% of a 3x3 convolution (measured in bench/). */
memory scratch_weights(const memory::desc& md) {
  struct Buffer {
    void* data = nullptr;
    size_t size = 0;
    ~Buffer() { std::free(data); }
  };
  thread_local Buffer buffer;
  const size_t needed = (md.get_size() + 4095) / 4096 * 4096;
  if (buffer.size < needed) {
    std::free(buffer.data);
    buffer.data = std::aligned_alloc(4096, needed);
    buffer.size = buffer.data ? needed : 0;
    if (!buffer.data) throw std::bad_alloc();
  }
  return memory(md, jk::cpu_engine(), buffer.data);
}

}  // namespace

extern "C" int jk_conv_forward(const jk_conv_desc* d, const float* x, const float* w, const float* bias, float* y) {
  return jk::guarded("jk_conv_forward", [&] {
    validate(*d);
    auto e = entry(*d, kForward, bias != nullptr);
    memory user_w = wrap(e->g.weights_user, w);
    memory weights = user_w;
    if (e->needs_reorder) {
      weights = scratch_weights(e->weights);
      jk::reorder(user_w, weights);
    }
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, wrap(e->g.src, x)},
                                         {DNNL_ARG_WEIGHTS, weights},
                                         {DNNL_ARG_DST, wrap(e->g.dst, y)}};
    if (bias) args.emplace(DNNL_ARG_BIAS, wrap(e->g.bias, bias));
    e->primitive.execute(jk::cpu_stream(), args);
    jk::cpu_stream().wait();
  });
}

extern "C" int jk_conv_transpose_forward(const jk_conv_desc* d, const float* x, const float* w, const float* bias,
                                         float* y) {
  return jk::guarded("jk_conv_transpose_forward", [&] {
    validate(*d);
    jk::require(d->groups == 1, "transposed convolutions take groups = 1");
    auto e = entry(*d, kTransposeForward, bias != nullptr);
    memory user_w = wrap(e->g.weights_user, w);
    memory weights = user_w;
    if (e->needs_reorder) {
      weights = scratch_weights(e->weights);
      jk::reorder(user_w, weights);
    }
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, wrap(e->g.dst, x)},
                                         {DNNL_ARG_WEIGHTS, weights},
                                         {DNNL_ARG_DST, wrap(e->g.src, y)}};
    if (bias) args.emplace(DNNL_ARG_BIAS, wrap(e->g.bias, bias));
    e->primitive.execute(jk::cpu_stream(), args);
    jk::cpu_stream().wait();
  });
}

extern "C" int jk_conv_backward_data(const jk_conv_desc* d, const float* dy, const float* w, float* dx) {
  return jk::guarded("jk_conv_backward_data", [&] {
    validate(*d);
    auto e = entry(*d, kBackwardData, false);
    memory user_w = wrap(e->g.weights_user, w);
    memory weights = user_w;
    if (e->needs_reorder) {
      weights = scratch_weights(e->weights);
      jk::reorder(user_w, weights);
    }
    e->primitive.execute(jk::cpu_stream(), {{DNNL_ARG_DIFF_DST, wrap(e->g.dst, dy)},
                                            {DNNL_ARG_WEIGHTS, weights},
                                            {DNNL_ARG_DIFF_SRC, wrap(e->g.src, dx)}});
    jk::cpu_stream().wait();
  });
}

extern "C" int jk_conv_backward_weights(const jk_conv_desc* d, const float* x, const float* dy, float* dw,
                                        float* dbias) {
  return jk::guarded("jk_conv_backward_weights", [&] {
    validate(*d);
    auto e = entry(*d, kBackwardWeights, dbias != nullptr);
    memory user_dw = wrap(e->g.weights_user, dw);
    memory diff_weights = e->needs_reorder ? scratch_weights(e->weights) : user_dw;
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, wrap(e->g.src, x)},
                                         {DNNL_ARG_DIFF_DST, wrap(e->g.dst, dy)},
                                         {DNNL_ARG_DIFF_WEIGHTS, diff_weights}};
    if (dbias) args.emplace(DNNL_ARG_DIFF_BIAS, wrap(e->g.bias, dbias));
    e->primitive.execute(jk::cpu_stream(), args);
    if (e->needs_reorder) jk::reorder(diff_weights, user_dw);
    jk::cpu_stream().wait();
  });
}
