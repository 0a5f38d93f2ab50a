/* Whole recurrences on the CPU: per step one recurrent product (oneDNN matmul on the recurrent kernel, reordered
 * once per call into oneDNN's preferred layout; GRU with reset_after false needs a second one on r * h) and one
 * fused gate kernel (activations.h's branch-free element functions, vectorised), parallel over the batch rows. The
 * backward pass runs through time the same way and finishes with one large product for the recurrent kernel's
 * gradient over all steps. See jkeras/rnn.h for the formulas and layouts.
 *
 * The workspace's layout (planes of N x T rows, then the step's recurrent product) is common/rnn_layout.h's, shared
 * with the CUDA backend. Masked (n, t) rows leave the gate rows unwritten; the backward pass never reads them (rh
 * rows are zeroed: the kernel-gradient product reads every row). */
#include <omp.h>
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>
#include "common/activations.h"
#include "common/rnn_cells.h"
#include "common/rnn_layout.h"
#include "cpu/dnnl_context.h"
#include "cpu/gemm.h"
#include "cpu/guard.h"
#include "jkeras/rnn.h"

namespace {

using dnnl::memory;

// Below this many multiply-adds a step's product runs through jk::gemm (sgemm on the calling thread).
constexpr int64_t kPackedMacs = 1 << 18;

struct StepGemmEntry {
  memory::desc src, weights, dst;
  dnnl::matmul primitive;
};

jk::PrimitiveCache<StepGemmEntry>& step_gemm_cache() {
  static jk::PrimitiveCache<StepGemmEntry> cache;
  return cache;
}

/* The product of every step with one fixed weight matrix: C (m x n, rows ldc apart) (+)= A (m x k, rows lda apart)
 * . B, B (k x n) given by its element strides. Large products reorder B once into oneDNN's preferred layout and run
 * a cached matmul primitive on it each step; small ones go through jk::gemm. */
class StepGemm {
 public:
  StepGemm(int64_t m, int64_t n, int64_t k, int64_t lda, int64_t ldc, bool accumulate, const float* b,
           int64_t b_row_stride, int64_t b_col_stride)
      : m_(m), n_(n), k_(k), lda_(lda), ldc_(ldc), accumulate_(accumulate), b_(b), bs_row_(b_row_stride),
        bs_col_(b_col_stride) {
    if (m * n * k < kPackedMacs || m == 0 || n == 0 || k == 0) return;
    jk::PrimitiveKey key{m, n, k, lda, ldc, accumulate ? 1 : 0};
    entry_ = step_gemm_cache().get(key, [&] {
      auto e = std::make_shared<StepGemmEntry>();
      e->src = memory::desc({m, k}, memory::data_type::f32, memory::dims{lda, 1});
      e->dst = memory::desc({m, n}, memory::data_type::f32, memory::dims{ldc, 1});
      memory::desc any({k, n}, memory::data_type::f32, memory::format_tag::any);
      dnnl::primitive_attr attr;
      if (accumulate) {
        dnnl::post_ops ops;
        ops.append_sum(1.f);
        attr.set_post_ops(ops);
      }
      auto pd = dnnl::matmul::primitive_desc(jk::cpu_engine(), e->src, any, e->dst, attr);
      e->weights = pd.weights_desc();
      e->primitive = dnnl::matmul(pd);
      return e;
    });
    auto& eng = jk::cpu_engine();
    memory user(memory::desc({k, n}, memory::data_type::f32, memory::dims{b_row_stride, b_col_stride}), eng,
                const_cast<float*>(b));
    packed_ = memory(entry_->weights, eng);
    jk::reorder(user, packed_);
    jk::cpu_stream().wait();
  }

  void run(const float* a, float* c) const {
    if (m_ == 0 || n_ == 0) return;
    if (!entry_) {
      const bool trans_b = bs_row_ == 1 && bs_col_ != 1;
      jk::gemm(false, trans_b, m_, n_, k_, 1.f, a, lda_, b_, trans_b ? bs_col_ : bs_row_, accumulate_ ? 1.f : 0.f,
               c, ldc_);
      return;
    }
    auto& eng = jk::cpu_engine();
    entry_->primitive.execute(jk::cpu_stream(), {{DNNL_ARG_SRC, memory(entry_->src, eng, const_cast<float*>(a))},
                                                 {DNNL_ARG_WEIGHTS, packed_},
                                                 {DNNL_ARG_DST, memory(entry_->dst, eng, c)}});
    jk::cpu_stream().wait();
  }

 private:
  int64_t m_, n_, k_, lda_, ldc_;
  bool accumulate_;
  const float* b_;
  int64_t bs_row_, bs_col_;
  std::shared_ptr<StepGemmEntry> entry_;
  memory packed_;
};

using Act = jk::RnnAct;

template <int OP>
void act_loop(const float* x, float* y, int64_t n, float a, float b, float c) {
#pragma omp simd
  for (int64_t i = 0; i < n; ++i) y[i] = jk::unary_forward(OP, x[i], a, b, c);
}

/* y = f(x) over n contiguous elements (x and y may be the same). */
void act_apply(const Act& f, const float* x, float* y, int64_t n) {
  switch (f.op) {
#define X(OP) case OP: act_loop<OP>(x, y, n, f.a, f.b, f.c); return;
    JK_UNARY_OPS(X)
#undef X
    default: return;  // validated before
  }
}

template <int OP>
void act_grad_loop(const float* x, const float* y, float* d, int64_t n, float a, float b, float c) {
#pragma omp simd
  for (int64_t i = 0; i < n; ++i) d[i] *= jk::unary_derivative(OP, x[i], y[i], a, b, c);
}

template <int OP>
void act_grad_from_output_loop(const float* y, float* d, int64_t n, float a, float b, float c) {
#pragma omp simd
  for (int64_t i = 0; i < n; ++i) d[i] *= jk::unary_derivative_from_output(OP, y[i], a, b, c);
}

/* d *= f'(x), with y = f(x), over n contiguous elements; x NULL where the workspace kept only y. */
void act_grad(const Act& f, const float* x, const float* y, float* d, int64_t n) {
  if (x == nullptr) {
    switch (f.op) {
#define X(OP) case OP: act_grad_from_output_loop<OP>(y, d, n, f.a, f.b, f.c); return;
      JK_UNARY_OPS(X)
#undef X
      default: return;
    }
  }
  switch (f.op) {
#define X(OP) case OP: act_grad_loop<OP>(x, y, d, n, f.a, f.b, f.c); return;
    JK_UNARY_OPS(X)
#undef X
    default: return;
  }
}

using Geo = jk::RnnGeo;

Geo geometry(const jk_rnn_desc* d, const float* params) {
  const std::string problem = jk::rnn_desc_problem(d);
  if (!problem.empty()) throw jk::invalid_argument(problem);
  return jk::rnn_geometry(*d, params);
}

inline bool valid_at(const float* mask, const Geo& g, int64_t n, int64_t t) {
  return mask == nullptr || mask[g.row(n, t)] != 0.f;
}

/* y[i] = x[i] + r[i] (+ b[i]) */
inline void add3(const float* x, const float* r, const float* b, float* y, int64_t n) {
  if (b) {
#pragma omp simd
    for (int64_t i = 0; i < n; ++i) y[i] = x[i] + r[i] + b[i];
  } else {
#pragma omp simd
    for (int64_t i = 0; i < n; ++i) y[i] = x[i] + r[i];
  }
}

inline void copy_row(const float* src, float* dst, int64_t n) {
  if (src) std::memcpy(dst, src, (size_t)n * sizeof(float));
  else std::memset(dst, 0, (size_t)n * sizeof(float));
}

/* Runs body(n) for each batch row, in parallel when the step's element work is large enough. */
template <class Body>
void for_rows(const Geo& g, Body&& body) {
  const int64_t N = g.N;
#pragma omp parallel for schedule(static) if (N > 1 && N * g.GH * 4 > jk::kParallelGrain)
  for (int64_t n = 0; n < N; ++n) body(n);
}

// ------------------------------------------------------------------------------------------------ forward

struct Fwd {
  const Geo& g;
  const float* xw;
  const float* bias;
  const float* mask;
  float* seq;
  float* last_h;
  float* last_c;
  float* ws;

  /* Where the step's new states go: the next step's start slots, or the final states. */
  float* h_next(int64_t n, int64_t s) const {
    return s + 1 < g.T ? ws + g.hprev + g.row(n, g.t_of(s + 1)) * g.H : last_h + n * g.H;
  }
  float* c_next(int64_t n, int64_t s) const {
    return s + 1 < g.T ? ws + g.cprev + g.row(n, g.t_of(s + 1)) * g.H : last_c + n * g.H;
  }
  float* out(int64_t n, int64_t s) const { return seq + g.row(n, s) * g.H; }
  const float* prev_out(int64_t n, int64_t s) const { return s > 0 ? seq + g.row(n, s - 1) * g.H : nullptr; }

  /* A masked step: states carried over, the previous output repeated. */
  void masked(int64_t n, int64_t s, int64_t t) const {
    const int64_t H = g.H;
    const float* hp = ws + g.hprev + g.row(n, t) * H;
    copy_row(hp, h_next(n, s), H);
    copy_row(prev_out(n, s), out(n, s), H);
    if (g.cell == JK_RNN_LSTM) copy_row(ws + g.cprev + g.row(n, t) * H, c_next(n, s), H);
  }

  void emit(int64_t n, int64_t s, const float* h) const {
    std::memcpy(h_next(n, s), h, (size_t)g.H * sizeof(float));
    std::memcpy(out(n, s), h, (size_t)g.H * sizeof(float));
  }

  void simple(int64_t n, int64_t s, int64_t t) const {
    if (!valid_at(mask, g, n, t)) return masked(n, s, t);
    const int64_t H = g.H, r = g.row(n, t);
    float* a = ws + g.actv + r * H;
    float* pre = g.pre >= 0 ? ws + g.pre + r * H : a;
    add3(xw + r * H, ws + g.rec + n * H, bias, pre, H);
    act_apply(g.act, pre, a, H);
    emit(n, s, a);
  }

  void lstm(int64_t n, int64_t s, int64_t t) const {
    if (!valid_at(mask, g, n, t)) return masked(n, s, t);
    const int64_t H = g.H, GH = g.GH, r = g.row(n, t);
    float* a = ws + g.actv + r * GH;
    float* pre = g.pre >= 0 ? ws + g.pre + r * GH : a;
    add3(xw + r * GH, ws + g.rec + n * GH, bias, pre, GH);
    act_apply(g.ract, pre, a, 2 * H);                  // i, f
    act_apply(g.act, pre + 2 * H, a + 2 * H, H);       // c
    act_apply(g.ract, pre + 3 * H, a + 3 * H, H);      // o
    const float* cp = ws + g.cprev + r * H;
    float* cn = c_next(n, s);
    float* ac = ws + g.actc + r * H;
    const float *ai = a, *af = a + H, *ag = a + 2 * H, *ao = a + 3 * H;
#pragma omp simd
    for (int64_t j = 0; j < H; ++j) cn[j] = jk::lstm_cell_state(ai[j], af[j], ag[j], cp[j]);
    act_apply(g.act, cn, ac, H);
    if (g.cnew >= 0) std::memcpy(ws + g.cnew + r * H, cn, (size_t)H * sizeof(float));
    float* hn = h_next(n, s);
    float* o = out(n, s);
#pragma omp simd
    for (int64_t j = 0; j < H; ++j) {
      const float h = jk::lstm_output(ao[j], ac[j]);
      hn[j] = h;
      o[j] = h;
    }
  }

  /* GRU (reset_after false), before the second product: z, r and r * h_prev. */
  void gru_a(int64_t n, int64_t, int64_t t) const {
    const int64_t H = g.H, GH = g.GH, r = g.row(n, t);
    float* rh = ws + g.rh + r * H;
    if (!valid_at(mask, g, n, t)) {
      std::memset(rh, 0, (size_t)H * sizeof(float));  // read by the backward pass's kernel-gradient product
      return;
    }
    float* a = ws + g.actv + r * GH;
    float* pre = g.pre >= 0 ? ws + g.pre + r * GH : a;
    add3(xw + r * GH, ws + g.rec + n * GH, bias, pre, 2 * H);
    act_apply(g.ract, pre, a, 2 * H);
    const float* hp = ws + g.hprev + r * H;
    const float* ar = a + H;
#pragma omp simd
    for (int64_t j = 0; j < H; ++j) rh[j] = ar[j] * hp[j];
  }

  /* GRU (reset_after false), after it: hh and h. */
  void gru_b(int64_t n, int64_t s, int64_t t) const {
    if (!valid_at(mask, g, n, t)) return masked(n, s, t);
    const int64_t H = g.H, GH = g.GH, r = g.row(n, t);
    float* a = ws + g.actv + r * GH;
    float* pre = g.pre >= 0 ? ws + g.pre + r * GH : a;
    add3(xw + r * GH + 2 * H, ws + g.rec + n * GH + 2 * H, bias ? bias + 2 * H : nullptr, pre + 2 * H, H);
    act_apply(g.act, pre + 2 * H, a + 2 * H, H);
    finish_gru(n, s, a, ws + g.hprev + r * H);
  }

  void finish_gru(int64_t n, int64_t s, const float* a, const float* hp) const {
    const int64_t H = g.H;
    const float *az = a, *ah = a + 2 * H;
    float* hn = h_next(n, s);
    float* o = out(n, s);
#pragma omp simd
    for (int64_t j = 0; j < H; ++j) {
      const float h = jk::gru_output(az[j], hp[j], ah[j]);
      hn[j] = h;
      o[j] = h;
    }
  }

  void gru_reset_after(int64_t n, int64_t s, int64_t t) const {
    if (!valid_at(mask, g, n, t)) return masked(n, s, t);
    const int64_t H = g.H, GH = g.GH, r = g.row(n, t);
    float* a = ws + g.actv + r * GH;
    float* pre = g.pre >= 0 ? ws + g.pre + r * GH : a;
    const float* x = xw + r * GH;
    const float* rec = ws + g.rec + n * GH;
    add3(x, rec, bias, pre, 2 * H);
    act_apply(g.ract, pre, a, 2 * H);
    float* rech = ws + g.rech + r * H;
    const float* ar = a + H;
    const float* xh = x + 2 * H;
    const float* rh = rec + 2 * H;
    float* ph = pre + 2 * H;
    if (bias) {
      const float* bh = bias + 2 * H;
#pragma omp simd
      for (int64_t j = 0; j < H; ++j) rech[j] = rh[j] + bh[j];
    } else {
      std::memcpy(rech, rh, (size_t)H * sizeof(float));
    }
#pragma omp simd
    for (int64_t j = 0; j < H; ++j) ph[j] = xh[j] + ar[j] * rech[j];
    act_apply(g.act, ph, a + 2 * H, H);
    finish_gru(n, s, a, ws + g.hprev + r * H);
  }
};

void forward(const Geo& g, const float* xw, const float* u, const float* bias, const float* h0, const float* c0,
             const float* mask, float* seq, float* last_h, float* last_c, float* ws) {
  const int64_t N = g.N, T = g.T, H = g.H, GH = g.GH;
  const bool lstm = g.cell == JK_RNN_LSTM;
  if (T == 0) {
    for (int64_t n = 0; n < N; ++n) {
      copy_row(h0 ? h0 + n * H : nullptr, last_h + n * H, H);
      if (lstm) copy_row(c0 ? c0 + n * H : nullptr, last_c + n * H, H);
    }
    return;
  }
  const int64_t t0 = g.t_of(0);
  for (int64_t n = 0; n < N; ++n) {
    copy_row(h0 ? h0 + n * H : nullptr, ws + g.hprev + g.row(n, t0) * H, H);
    if (lstm) copy_row(c0 ? c0 + n * H : nullptr, ws + g.cprev + g.row(n, t0) * H, H);
  }
  Fwd f{g, xw, bias, mask, seq, last_h, last_c, ws};
  float* rec = ws + g.rec;
  // rec = h_prev . u  (GRU: the z and r columns only); h_prev rows are T*H apart in the hprev plane
  const bool gru = g.cell == JK_RNN_GRU;
  const StepGemm rec_gemm(N, gru ? 2 * H : GH, H, T * H, GH, false, u, GH, 1);
  const StepGemm rh_gemm(gru ? N : 0, H, H, T * H, GH, false, u + 2 * H, GH, 1);  // (r h_prev) . u_h
  for (int64_t s = 0; s < T; ++s) {
    const int64_t t = g.t_of(s);
    rec_gemm.run(ws + g.hprev + t * H, rec);
    switch (g.cell) {
      case JK_RNN_SIMPLE: for_rows(g, [&](int64_t n) { f.simple(n, s, t); }); break;
      case JK_RNN_LSTM: for_rows(g, [&](int64_t n) { f.lstm(n, s, t); }); break;
      case JK_RNN_GRU_RESET_AFTER:
        for_rows(g, [&](int64_t n) { f.gru_reset_after(n, s, t); });
        break;
      case JK_RNN_GRU:
        for_rows(g, [&](int64_t n) { f.gru_a(n, s, t); });
        rh_gemm.run(ws + g.rh + t * H, rec + 2 * H);
        for_rows(g, [&](int64_t n) { f.gru_b(n, s, t); });
        break;
    }
  }
}

// ----------------------------------------------------------------------------------------------- backward

struct Bwd {
  const Geo& g;
  const float* mask;
  const float* ws;
  const float* d_seq;
  float* dxw;
  float* drec;  // the gradient of rec = h.u (+ b): dxw itself except for GRU_RESET_AFTER
  float* dh;    // N x H: gradient of the h state after the step being processed (then before it)
  float* dc;    // N x H (LSTM)
  float* dout;  // N x H: gradient of the previous output, carried through masked steps
  float* drh;   // N x H (GRU): gradient of r * h_prev

  /* The gates' inputs from offset off of row r, or NULL where the workspace keeps only their outputs. */
  const float* pre_at(int64_t r, int64_t off) const { return g.pre >= 0 ? ws + g.pre + r * g.GH + off : nullptr; }

  /* The step's output gradient; returns whether the step is valid. For a masked step the carries pass through
   * and dxw's row is zero. For a valid one dh becomes the gradient of the step's new h. */
  bool enter(int64_t n, int64_t s, int64_t t) const {
    const int64_t H = g.H, r = g.row(n, t);
    float* dhr = dh + n * H;
    float* dor = dout + n * H;
    const float* ds = d_seq ? d_seq + g.row(n, s) * H : nullptr;
    const bool valid = valid_at(mask, g, n, t);
    if (valid) {
      if (ds) {
#pragma omp simd
        for (int64_t j = 0; j < H; ++j) dhr[j] += ds[j] + dor[j];
      } else {
#pragma omp simd
        for (int64_t j = 0; j < H; ++j) dhr[j] += dor[j];
      }
      std::memset(dor, 0, (size_t)H * sizeof(float));
    } else {
      if (ds) {
#pragma omp simd
        for (int64_t j = 0; j < H; ++j) dor[j] += ds[j];
      }
      std::memset(dxw + r * g.GH, 0, (size_t)g.GH * sizeof(float));
      if (drec != dxw) std::memset(drec + r * g.GH, 0, (size_t)g.GH * sizeof(float));
    }
    return valid;
  }

  void simple(int64_t n, int64_t s, int64_t t) const {
    if (!enter(n, s, t)) return;
    const int64_t H = g.H, r = g.row(n, t);
    float* d = dxw + r * H;
    float* dhr = dh + n * H;
    std::memcpy(d, dhr, (size_t)H * sizeof(float));
    std::memset(dhr, 0, (size_t)H * sizeof(float));
    act_grad(g.act, pre_at(r, 0), ws + g.actv + r * H, d, H);
  }

  void lstm(int64_t n, int64_t s, int64_t t) const {
    if (!enter(n, s, t)) return;
    const int64_t H = g.H, GH = g.GH, r = g.row(n, t);
    const float* a = ws + g.actv + r * GH;
    const float* cp = ws + g.cprev + r * H;
    const float* cn = g.cnew >= 0 ? ws + g.cnew + r * H : nullptr;
    const float* ac = ws + g.actc + r * H;
    float* d = dxw + r * GH;
    float* dhr = dh + n * H;
    float* dcr = dc + n * H;
    const float *ai = a, *af = a + H, *ag = a + 2 * H, *ao = a + 3 * H;
    float *di = d, *df = d + H, *dg = d + 2 * H, *dO = d + 3 * H;
#pragma omp simd
    for (int64_t j = 0; j < H; ++j) {
      float d_o, through;
      jk::lstm_backward_output(dhr[j], ao[j], ac[j], d_o, through);
      dO[j] = d_o;
      dhr[j] = through;
    }
    act_grad(g.act, cn, ac, dhr, H);  // dh now holds the part of dc through act(c)
#pragma omp simd
    for (int64_t j = 0; j < H; ++j) {
      float d_i, d_f, d_g, dcp;
      jk::lstm_backward_cell(dcr[j] + dhr[j], ai[j], af[j], ag[j], cp[j], d_i, d_f, d_g, dcp);
      di[j] = d_i;
      df[j] = d_f;
      dg[j] = d_g;
      dcr[j] = dcp;
      dhr[j] = 0.f;
    }
    act_grad(g.ract, pre_at(r, 0), a, d, 2 * H);
    act_grad(g.act, pre_at(r, 2 * H), a + 2 * H, d + 2 * H, H);
    act_grad(g.ract, pre_at(r, 3 * H), a + 3 * H, d + 3 * H, H);
  }

  /* GRU, both variants, first part: z and hh's gradients, dh becomes h_prev's direct part. */
  void gru_output(int64_t n, int64_t t) const {
    const int64_t H = g.H, GH = g.GH, r = g.row(n, t);
    const float* a = ws + g.actv + r * GH;
    const float* hp = ws + g.hprev + r * H;
    float* d = dxw + r * GH;
    float* dhr = dh + n * H;
    const float *az = a, *ah = a + 2 * H;
    float *dz = d, *dhh = d + 2 * H;
#pragma omp simd
    for (int64_t j = 0; j < H; ++j) {
      float d_z, d_hh, dhp;
      jk::gru_backward_output(dhr[j], az[j], hp[j], ah[j], d_z, d_hh, dhp);
      dz[j] = d_z;
      dhh[j] = d_hh;
      dhr[j] = dhp;
    }
    act_grad(g.ract, pre_at(r, 0), a, d, H);
    act_grad(g.act, pre_at(r, 2 * H), a + 2 * H, d + 2 * H, H);
  }

  void gru_a(int64_t n, int64_t s, int64_t t) const {
    if (!enter(n, s, t)) return;
    gru_output(n, t);
  }

  /* GRU (reset_after false), after drh = d(hh's input) . u_h^T: r's gradient and h_prev's part through r * h. */
  void gru_b(int64_t n, int64_t, int64_t t) const {
    if (!valid_at(mask, g, n, t)) return;
    const int64_t H = g.H, GH = g.GH, r = g.row(n, t);
    const float* a = ws + g.actv + r * GH;
    const float* hp = ws + g.hprev + r * H;
    const float* dr = drh + n * H;
    float* d = dxw + r * GH + H;
    float* dhr = dh + n * H;
    const float* ar = a + H;
#pragma omp simd
    for (int64_t j = 0; j < H; ++j) {
      d[j] = dr[j] * hp[j];
      dhr[j] += dr[j] * ar[j];
    }
    act_grad(g.ract, pre_at(r, H), a + H, d, H);
  }

  void gru_reset_after(int64_t n, int64_t s, int64_t t) const {
    if (!enter(n, s, t)) return;
    gru_output(n, t);
    const int64_t H = g.H, GH = g.GH, r = g.row(n, t);
    const float* a = ws + g.actv + r * GH;
    const float* rech = ws + g.rech + r * H;
    float* d = dxw + r * GH;
    float* dR = drec + r * GH;
    const float* ar = a + H;
    const float* dph = d + 2 * H;  // gradient of hh's input xw_h + r * rech
    float* dr = d + H;
    float* drh_ = dR + 2 * H;
#pragma omp simd
    for (int64_t j = 0; j < H; ++j) {
      drh_[j] = dph[j] * ar[j];
      dr[j] = dph[j] * rech[j];
    }
    act_grad(g.ract, pre_at(r, H), a + H, dr, H);
    std::memcpy(dR, d, (size_t)(2 * H) * sizeof(float));
  }
};

void backward(const Geo& g, const float* u, const float* mask, const float* ws, const float* d_seq,
              const float* d_last_h, const float* d_last_c, float* dxw, float* du, float* d_rec_bias, float* dh0,
              float* dc0) {
  const int64_t N = g.N, T = g.T, H = g.H, GH = g.GH, NT = N * T;
  const bool lstm = g.cell == JK_RNN_LSTM;
  std::vector<float> dh((size_t)(N * H)), dc(lstm ? (size_t)(N * H) : 0), dout((size_t)(N * H), 0.f),
      drh(g.cell == JK_RNN_GRU ? (size_t)(N * H) : 0),
      drec_own(g.cell == JK_RNN_GRU_RESET_AFTER ? (size_t)(NT * GH) : 0);
  copy_row(d_last_h, dh.data(), N * H);
  if (lstm) copy_row(d_last_c, dc.data(), N * H);
  float* drec = g.cell == JK_RNN_GRU_RESET_AFTER ? drec_own.data() : dxw;
  Bwd b{g, mask, ws, d_seq, dxw, drec, dh.data(), dc.data(), dout.data(), drh.data()};
  const bool gru = g.cell == JK_RNN_GRU;
  // dh_prev += drec . u^T  (GRU: the z and r columns; hh's went through drh); u^T (k x H) has strides (1, GH)
  const StepGemm dh_gemm(N, H, gru ? 2 * H : GH, T * GH, H, true, u, 1, GH);
  const StepGemm drh_gemm(gru ? N : 0, H, H, T * GH, H, false, u + 2 * H, 1, GH);  // d(hh input) . u_h^T
  for (int64_t s = T - 1; s >= 0; --s) {
    const int64_t t = g.t_of(s);
    switch (g.cell) {
      case JK_RNN_SIMPLE: for_rows(g, [&](int64_t n) { b.simple(n, s, t); }); break;
      case JK_RNN_LSTM: for_rows(g, [&](int64_t n) { b.lstm(n, s, t); }); break;
      case JK_RNN_GRU_RESET_AFTER: for_rows(g, [&](int64_t n) { b.gru_reset_after(n, s, t); }); break;
      case JK_RNN_GRU:
        for_rows(g, [&](int64_t n) { b.gru_a(n, s, t); });
        drh_gemm.run(dxw + t * GH + 2 * H, drh.data());
        for_rows(g, [&](int64_t n) { b.gru_b(n, s, t); });
        break;
    }
    dh_gemm.run(drec + t * GH, dh.data());
  }
  // du = sum over (n, t) of h_prev^T . drec  (GRU: (r h_prev)^T . d(hh's input) for the h columns)
  if (NT == 0) {
    std::fill(du, du + H * GH, 0.f);
    if (d_rec_bias) std::fill(d_rec_bias, d_rec_bias + GH, 0.f);
  } else {
    const float* hprev = ws + g.hprev;
    if (g.cell == JK_RNN_GRU) {
      jk::gemm(true, false, H, 2 * H, NT, 1.f, hprev, H, drec, GH, 0.f, du, GH);
      jk::gemm(true, false, H, H, NT, 1.f, ws + g.rh, H, drec + 2 * H, GH, 0.f, du + 2 * H, GH);
    } else {
      jk::gemm(true, false, H, GH, NT, 1.f, hprev, H, drec, GH, 0.f, du, GH);
    }
    if (d_rec_bias) {
      std::vector<float> ones((size_t)NT, 1.f);
      jk::gemm(false, false, 1, GH, NT, 1.f, ones.data(), NT, drec, GH, 0.f, d_rec_bias, GH);
    }
  }
  std::memcpy(dh0, dh.data(), (size_t)(N * H) * sizeof(float));
  if (lstm && dc0) std::memcpy(dc0, dc.data(), (size_t)(N * H) * sizeof(float));
}

}  // namespace

extern "C" int jk_rnn_workspace_size(const jk_rnn_desc* d, const float* params, int64_t* floats) {
  return jk::guarded("jk_rnn_workspace_size", [&] {
    jk::require(params != nullptr && floats != nullptr, "params and floats are required");
    *floats = geometry(d, params).total;
  });
}

extern "C" int jk_rnn_forward(const jk_rnn_desc* d, const float* params, const float* xw, const float* u,
                              const float* rec_bias, const float* h0, const float* c0, const float* mask, float* seq,
                              float* last_h, float* last_c, float* workspace) {
  return jk::guarded("jk_rnn_forward", [&] {
    jk::require(params != nullptr, "params is NULL");
    Geo g = geometry(d, params);
    jk::require(last_h != nullptr && u != nullptr, "u and last_h are required");
    jk::require(g.cell != JK_RNN_LSTM || last_c != nullptr, "LSTM needs last_c");
    jk::require(g.N * g.T == 0 || (xw != nullptr && seq != nullptr && workspace != nullptr),
                "xw, seq and workspace are required");
    forward(g, xw, u, rec_bias, h0, g.cell == JK_RNN_LSTM ? c0 : nullptr, mask, seq, last_h, last_c, workspace);
  });
}

extern "C" int jk_rnn_backward(const jk_rnn_desc* d, const float* params, const float* u, const float* mask,
                               const float* workspace, const float* d_seq, const float* d_last_h,
                               const float* d_last_c, float* dxw, float* du, float* d_rec_bias, float* dh0,
                               float* dc0) {
  return jk::guarded("jk_rnn_backward", [&] {
    jk::require(params != nullptr, "params is NULL");
    Geo g = geometry(d, params);
    jk::require(u != nullptr && du != nullptr && dh0 != nullptr, "u, du and dh0 are required");
    jk::require(g.N * g.T == 0 || (dxw != nullptr && workspace != nullptr), "dxw and workspace are required");
    backward(g, u, mask, workspace, d_seq, d_last_h, g.cell == JK_RNN_LSTM ? d_last_c : nullptr, dxw, du,
             d_rec_bias, dh0, dc0);
  });
}
