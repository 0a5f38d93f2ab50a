/* LSTM, GRU and GRU(reset_after) on oneDNN's own fused RNN primitives (vanilla_lstm, vanilla_gru, lbr_gru), for
 * the case where their formulas are Keras's exactly: sigmoid gates, tanh activation, no mask. They take the layer's
 * input x and kernel (the input product is theirs, fused), Keras's weight layouts as ldigo, and are faster than our
 * step-by-step path for that case (measured: see the closing note). Weights are reordered into the
 * primitives' preferred layouts on every call; primitives are cached by geometry. */
#include <cstdlib>
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>
#include "cpu/dnnl_context.h"
#include "cpu/guard.h"
#include "jkeras/eltwise.h"
#include "jkeras/rnn.h"

using dnnl::memory;
using tag = dnnl::memory::format_tag;

namespace {

struct Fused {
  int cell;
  int64_t N, T, I, H, G, nb;  // nb: bias gates (LBR-GRU has a fourth, the recurrent h-gate bias)
  bool back;
};

Fused fused_geometry(const jk_rnn_desc* d, int64_t input_size) {
  jk::require(d != nullptr, "descriptor is NULL");
  jk::require(d->cell == JK_RNN_LSTM || d->cell == JK_RNN_GRU || d->cell == JK_RNN_GRU_RESET_AFTER,
              "the fused path runs LSTM, GRU and GRU_RESET_AFTER only");
  jk::require(d->activation == JK_TANH && d->recurrent_activation == JK_SIGMOID,
              "the fused path needs activation tanh and recurrent activation sigmoid");
  jk::require(d->batch > 0 && d->steps > 0 && d->units > 0 && input_size > 0,
              "the fused path needs batch, steps, units and input size > 0");
  Fused f;
  f.cell = (int)d->cell;
  f.N = d->batch;
  f.T = d->steps;
  f.I = input_size;
  f.H = d->units;
  f.G = f.cell == JK_RNN_LSTM ? 4 : 3;
  f.nb = f.cell == JK_RNN_GRU ? 3 : 4;
  f.back = d->go_backwards != 0;
  return f;
}

struct FusedEntry {
  memory::desc src_layer, dst_layer, iter, wl_user, wi_user, bias, ws;
  memory::desc wl_fwd, wi_fwd, wl_bwd, wi_bwd, dwl_bwd, dwi_bwd, wl_inf, wi_inf;
  dnnl::primitive fwd, bwd, inf;  // inf: forward_inference, for calls no backward pass follows
};

jk::PrimitiveCache<FusedEntry>& fused_cache() {
  static jk::PrimitiveCache<FusedEntry> cache;
  return cache;
}

std::shared_ptr<FusedEntry> fused_entry(const Fused& f) {
  jk::PrimitiveKey key{f.cell, f.N, f.T, f.I, f.H, f.back ? 1 : 0};
  return fused_cache().get(key, [&] {
    auto e = std::make_shared<FusedEntry>();
    const auto f32 = memory::data_type::f32;
    e->src_layer = memory::desc({f.T, f.N, f.I}, f32, tag::ntc);
    e->dst_layer = memory::desc({f.T, f.N, f.H}, f32, tag::ntc);
    e->iter = memory::desc({1, 1, f.N, f.H}, f32, tag::ldnc);
    e->wl_user = memory::desc({1, 1, f.I, f.G, f.H}, f32, tag::ldigo);
    e->wi_user = memory::desc({1, 1, f.H, f.G, f.H}, f32, tag::ldigo);
    e->bias = memory::desc({1, 1, f.nb, f.H}, f32, tag::ldgo);
    const memory::desc wl_any({1, 1, f.I, f.G, f.H}, f32, tag::any);
    const memory::desc wi_any({1, 1, f.H, f.G, f.H}, f32, tag::any);
    const auto dir = f.back ? dnnl::rnn_direction::unidirectional_right2left
                            : dnnl::rnn_direction::unidirectional_left2right;
    auto& eng = jk::cpu_engine();
    const auto fwd_kind = dnnl::prop_kind::forward_training;
    const auto bwd_kind = dnnl::prop_kind::backward;
    const auto inf_kind = dnnl::prop_kind::forward_inference;
    auto fill_inference = [&](const auto& ipd) {
      e->wl_inf = ipd.weights_layer_desc();
      e->wi_inf = ipd.weights_iter_desc();
    };
    auto fill = [&](const auto& fpd, const auto& bpd) {
      e->ws = fpd.workspace_desc();
      e->wl_fwd = fpd.weights_layer_desc();
      e->wi_fwd = fpd.weights_iter_desc();
      e->wl_bwd = bpd.weights_layer_desc();
      e->wi_bwd = bpd.weights_iter_desc();
      e->dwl_bwd = bpd.diff_weights_layer_desc();
      e->dwi_bwd = bpd.diff_weights_iter_desc();
    };
    const auto& s = e->src_layer;
    const auto& y = e->dst_layer;
    const auto& it = e->iter;
    const auto& b = e->bias;
    if (f.cell == JK_RNN_LSTM) {
      dnnl::lstm_forward::primitive_desc fpd(eng, fwd_kind, dir, s, it, it, wl_any, wi_any, b, y, it, it);
      dnnl::lstm_backward::primitive_desc bpd(eng, bwd_kind, dir, s, it, it, wl_any, wi_any, b, y, it, it, s, it, it,
                                              wl_any, wi_any, b, y, it, it, fpd);
      fill(fpd, bpd);
      e->fwd = dnnl::lstm_forward(fpd);
      e->bwd = dnnl::lstm_backward(bpd);
      dnnl::lstm_forward::primitive_desc ipd(eng, inf_kind, dir, s, it, it, wl_any, wi_any, b, y, it, it);
      fill_inference(ipd);
      e->inf = dnnl::lstm_forward(ipd);
    } else if (f.cell == JK_RNN_GRU) {
      dnnl::gru_forward::primitive_desc fpd(eng, fwd_kind, dir, s, it, wl_any, wi_any, b, y, it);
      dnnl::gru_backward::primitive_desc bpd(eng, bwd_kind, dir, s, it, wl_any, wi_any, b, y, it, s, it, wl_any,
                                             wi_any, b, y, it, fpd);
      fill(fpd, bpd);
      e->fwd = dnnl::gru_forward(fpd);
      e->bwd = dnnl::gru_backward(bpd);
      dnnl::gru_forward::primitive_desc ipd(eng, inf_kind, dir, s, it, wl_any, wi_any, b, y, it);
      fill_inference(ipd);
      e->inf = dnnl::gru_forward(ipd);
    } else {
      dnnl::lbr_gru_forward::primitive_desc fpd(eng, fwd_kind, dir, s, it, wl_any, wi_any, b, y, it);
      dnnl::lbr_gru_backward::primitive_desc bpd(eng, bwd_kind, dir, s, it, wl_any, wi_any, b, y, it, s, it, wl_any,
                                                 wi_any, b, y, it, fpd);
      fill(fpd, bpd);
      e->fwd = dnnl::lbr_gru_forward(fpd);
      e->bwd = dnnl::lbr_gru_backward(bpd);
      dnnl::lbr_gru_forward::primitive_desc ipd(eng, inf_kind, dir, s, it, wl_any, wi_any, b, y, it);
      fill_inference(ipd);
      e->inf = dnnl::lbr_gru_forward(ipd);
    }
    return e;
  });
}

/* Workspace layout (bytes, 64-aligned parts): oneDNN's workspace, then dst_layer (N, T, H in oneDNN's time order),
 * dst_iter (N, H) and dst_iter_c (N, H). */
struct Layout {
  size_t ws, dst, iter, iter_c, total;
};

size_t align64(size_t b) { return (b + 63) / 64 * 64; }

Layout layout(const Fused& f, const FusedEntry& e) {
  Layout l;
  l.ws = 0;
  l.dst = align64(e.ws.get_size());
  l.iter = l.dst + align64((size_t)(f.N * f.T * f.H) * sizeof(float));
  l.iter_c = l.iter + align64((size_t)(f.N * f.H) * sizeof(float));
  l.total = l.iter_c + align64((size_t)(f.N * f.H) * sizeof(float));
  return l;
}

/* oneDNN's bias from Keras's input bias and our recurrent bias (either may be NULL). */
std::vector<float> fused_bias(const Fused& f, const float* bias, const float* rec_bias) {
  const int64_t GH = f.G * f.H;
  std::vector<float> b((size_t)(f.nb * f.H), 0.f);
  for (int64_t k = 0; k < GH; ++k) {
    const float in = bias ? bias[k] : 0.f;
    const float rec = rec_bias ? rec_bias[k] : 0.f;
    if (f.cell == JK_RNN_GRU_RESET_AFTER && k >= 2 * f.H) {
      b[(size_t)k] = in;            // b_h outside r * (...)
      b[(size_t)(k + f.H)] = rec;   // the fourth gate: the recurrent h bias inside it
    } else {
      b[(size_t)k] = in + rec;
    }
  }
  return b;
}

/* Page-aligned buffers of the calling thread, reused across calls: a fresh multi-megabyte oneDNN memory each call
 * would fault its pages in every time. Slots: 0, 1 for the weights in the primitive's layout, 2, 3 for their
 * gradients. */
memory scratch(const memory::desc& md, int slot) {
  struct Buffer {
    void* data = nullptr;
    size_t size = 0;
    ~Buffer() { std::free(data); }
  };
  thread_local Buffer buffers[4];
  Buffer& buf = buffers[slot];
  const size_t needed = (md.get_size() + 4095) / 4096 * 4096;
  if (buf.size < needed) {
    std::free(buf.data);
    buf.data = std::aligned_alloc(4096, needed);
    buf.size = buf.data ? needed : 0;
    if (!buf.data) throw std::bad_alloc();
  }
  return memory(md, jk::cpu_engine(), buf.data);
}

memory reordered(const memory::desc& user_md, const float* user, const memory::desc& to, int slot) {
  memory src(user_md, jk::cpu_engine(), const_cast<float*>(user));
  memory dst = scratch(to, slot);
  jk::reorder(src, dst);
  return dst;
}

/* Row s of seq (Keras's order: the s-th processed step) is row t of oneDNN's dst_layer, t = T-1-s backwards. */
void copy_time_order(const Fused& f, const float* src, float* dst) {
  const int64_t N = f.N, T = f.T, H = f.H;
#pragma omp parallel for if (N * T * H > jk::kParallelGrain)
  for (int64_t n = 0; n < N; ++n)
    for (int64_t s = 0; s < T; ++s) {
      const int64_t t = f.back ? T - 1 - s : s;
      std::memcpy(dst + (n * T + s) * H, src + (n * T + t) * H, (size_t)H * sizeof(float));
    }
}

}  // namespace

extern "C" int jk_rnn_fused_supported(const jk_rnn_desc* d, const float* params, int* supported) {
  return jk::guarded("jk_rnn_fused_supported", [&] {
    jk::require(d != nullptr && supported != nullptr, "d and supported are required");
    (void)params;  // tanh and sigmoid take no parameters
    *supported = (d->cell == JK_RNN_LSTM || d->cell == JK_RNN_GRU || d->cell == JK_RNN_GRU_RESET_AFTER) &&
                 d->activation == JK_TANH && d->recurrent_activation == JK_SIGMOID && d->batch > 0 &&
                 d->steps > 0 && d->units > 0;
  });
}

extern "C" int jk_rnn_fused_workspace_size(const jk_rnn_desc* d, int64_t input_size, int64_t* bytes) {
  return jk::guarded("jk_rnn_fused_workspace_size", [&] {
    jk::require(bytes != nullptr, "bytes is NULL");
    const Fused f = fused_geometry(d, input_size);
    *bytes = (int64_t)layout(f, *fused_entry(f)).total;
  });
}

extern "C" int jk_rnn_fused_forward(const jk_rnn_desc* d, int64_t input_size, const float* x, const float* kernel,
                                    const float* bias, const float* u, const float* rec_bias, const float* h0,
                                    const float* c0, float* seq, float* last_h, float* last_c, void* workspace) {
  return jk::guarded("jk_rnn_fused_forward", [&] {
    const Fused f = fused_geometry(d, input_size);
    jk::require(x && kernel && u && seq && last_h, "x, kernel, u, seq and last_h are required");
    const bool lstm = f.cell == JK_RNN_LSTM;
    jk::require(!lstm || last_c != nullptr, "LSTM needs last_c");
    auto e = fused_entry(f);
    auto& eng = jk::cpu_engine();
    // Without a workspace no backward pass follows: the inference primitive writes the outputs directly (the time
    // order of oneDNN's output is Keras's unless going backwards).
    const bool training = workspace != nullptr;
    const Layout l = layout(f, *e);
    char* w = static_cast<char*>(workspace);
    thread_local std::vector<float> reversed;
    float* dst = training ? reinterpret_cast<float*>(w + l.dst) : seq;
    if (!training && f.back) {
      reversed.resize((size_t)(f.N * f.T * f.H));
      dst = reversed.data();
    }
    float* dst_iter = training ? reinterpret_cast<float*>(w + l.iter) : last_h;
    float* dst_iter_c = training ? reinterpret_cast<float*>(w + l.iter_c) : last_c;
    memory wl = reordered(e->wl_user, kernel, training ? e->wl_fwd : e->wl_inf, 0);
    memory wi = reordered(e->wi_user, u, training ? e->wi_fwd : e->wi_inf, 1);
    std::vector<float> b = fused_bias(f, bias, rec_bias);
    std::vector<float> zeros(h0 && (c0 || !lstm) ? 0 : (size_t)(f.N * f.H), 0.f);
    std::unordered_map<int, memory> args{
        {DNNL_ARG_SRC_LAYER, memory(e->src_layer, eng, const_cast<float*>(x))},
        {DNNL_ARG_SRC_ITER, memory(e->iter, eng, const_cast<float*>(h0 ? h0 : zeros.data()))},
        {DNNL_ARG_WEIGHTS_LAYER, wl},
        {DNNL_ARG_WEIGHTS_ITER, wi},
        {DNNL_ARG_BIAS, memory(e->bias, eng, b.data())},
        {DNNL_ARG_DST_LAYER, memory(e->dst_layer, eng, dst)},
        {DNNL_ARG_DST_ITER, memory(e->iter, eng, dst_iter)}};
    if (training) args[DNNL_ARG_WORKSPACE] = memory(e->ws, eng, w + l.ws);
    if (lstm) {
      args[DNNL_ARG_SRC_ITER_C] = memory(e->iter, eng, const_cast<float*>(c0 ? c0 : zeros.data()));
      args[DNNL_ARG_DST_ITER_C] = memory(e->iter, eng, dst_iter_c);
    }
    (training ? e->fwd : e->inf).execute(jk::cpu_stream(), args);
    jk::cpu_stream().wait();
    if (training || f.back) copy_time_order(f, dst, seq);
    if (training) {
      std::memcpy(last_h, dst_iter, (size_t)(f.N * f.H) * sizeof(float));
      if (lstm) std::memcpy(last_c, dst_iter_c, (size_t)(f.N * f.H) * sizeof(float));
    }
  });
}

extern "C" int jk_rnn_fused_backward(const jk_rnn_desc* d, int64_t input_size, const float* x, const float* kernel,
                                     const float* bias, const float* u, const float* rec_bias, const float* h0,
                                     const float* c0, const void* workspace, const float* d_seq,
                                     const float* d_last_h, const float* d_last_c, float* dx, float* d_kernel,
                                     float* d_bias, float* du, float* d_rec_bias, float* dh0, float* dc0) {
  return jk::guarded("jk_rnn_fused_backward", [&] {
    const Fused f = fused_geometry(d, input_size);
    jk::require(x && kernel && u && workspace && dx && d_kernel && du && dh0,
                "x, kernel, u, workspace, dx, d_kernel, du and dh0 are required");
    const bool lstm = f.cell == JK_RNN_LSTM;
    auto e = fused_entry(f);
    const Layout l = layout(f, *e);
    char* w = const_cast<char*>(static_cast<const char*>(workspace));
    auto& eng = jk::cpu_engine();
    const int64_t NH = f.N * f.H, NTH = f.N * f.T * f.H;
    memory wl = reordered(e->wl_user, kernel, e->wl_bwd, 0);
    memory wi = reordered(e->wi_user, u, e->wi_bwd, 1);
    std::vector<float> b = fused_bias(f, bias, rec_bias);
    std::vector<float> zeros((size_t)NH, 0.f);
    // d(seq) in oneDNN's time order (zeros where not given)
    std::vector<float> dy;
    const float* ddst = d_seq;
    if (d_seq == nullptr) {
      dy.assign((size_t)NTH, 0.f);
      ddst = dy.data();
    } else if (f.back) {
      dy.resize((size_t)NTH);
      copy_time_order(f, d_seq, dy.data());  // the reversal is its own inverse
      ddst = dy.data();
    }
    memory dwl = scratch(e->dwl_bwd, 2), dwi = scratch(e->dwi_bwd, 3);
    std::memset(dwl.get_data_handle(), 0, e->dwl_bwd.get_size());
    std::memset(dwi.get_data_handle(), 0, e->dwi_bwd.get_size());
    std::vector<float> db((size_t)(f.nb * f.H), 0.f);
    std::vector<float> dc0_scratch(lstm && dc0 == nullptr ? (size_t)NH : 0);
    std::unordered_map<int, memory> args{
        {DNNL_ARG_SRC_LAYER, memory(e->src_layer, eng, const_cast<float*>(x))},
        {DNNL_ARG_SRC_ITER, memory(e->iter, eng, const_cast<float*>(h0 ? h0 : zeros.data()))},
        {DNNL_ARG_WEIGHTS_LAYER, wl},
        {DNNL_ARG_WEIGHTS_ITER, wi},
        {DNNL_ARG_BIAS, memory(e->bias, eng, b.data())},
        {DNNL_ARG_DST_LAYER, memory(e->dst_layer, eng, w + l.dst)},
        {DNNL_ARG_DST_ITER, memory(e->iter, eng, w + l.iter)},
        {DNNL_ARG_WORKSPACE, memory(e->ws, eng, w + l.ws)},
        {DNNL_ARG_DIFF_SRC_LAYER, memory(e->src_layer, eng, dx)},
        {DNNL_ARG_DIFF_SRC_ITER, memory(e->iter, eng, dh0)},
        {DNNL_ARG_DIFF_WEIGHTS_LAYER, dwl},
        {DNNL_ARG_DIFF_WEIGHTS_ITER, dwi},
        {DNNL_ARG_DIFF_BIAS, memory(e->bias, eng, db.data())},
        {DNNL_ARG_DIFF_DST_LAYER, memory(e->dst_layer, eng, const_cast<float*>(ddst))},
        {DNNL_ARG_DIFF_DST_ITER, memory(e->iter, eng, const_cast<float*>(d_last_h ? d_last_h : zeros.data()))}};
    if (lstm) {
      args[DNNL_ARG_SRC_ITER_C] = memory(e->iter, eng, const_cast<float*>(c0 ? c0 : zeros.data()));
      args[DNNL_ARG_DST_ITER_C] = memory(e->iter, eng, w + l.iter_c);
      args[DNNL_ARG_DIFF_SRC_ITER_C] = memory(e->iter, eng, dc0 ? dc0 : dc0_scratch.data());
      args[DNNL_ARG_DIFF_DST_ITER_C] =
          memory(e->iter, eng, const_cast<float*>(d_last_c ? d_last_c : zeros.data()));
    }
    e->bwd.execute(jk::cpu_stream(), args);
    memory dwl_user(e->wl_user, eng, d_kernel), dwi_user(e->wi_user, eng, du);
    jk::reorder(dwl, dwl_user);
    jk::reorder(dwi, dwi_user);
    jk::cpu_stream().wait();
    const int64_t GH = f.G * f.H;
    for (int64_t k = 0; k < GH; ++k) {
      const bool split = f.cell == JK_RNN_GRU_RESET_AFTER && k >= 2 * f.H;
      if (d_bias) d_bias[k] = db[(size_t)k];
      if (d_rec_bias) d_rec_bias[k] = split ? db[(size_t)(k + f.H)] : db[(size_t)k];
    }
  });
}
