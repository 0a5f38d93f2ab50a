/* Whole recurrences on CUDA: the twins of jk_rnn_* (native/src/cpu/rnn.cpp) with the CPU's formulas, masking rule,
 * layouts and element functions (common/activations.h, common/rnn_cells.h). Per step one recurrent product
 * (gemm.cuh; GRU with reset_after false needs a second one on r * h_prev) and one fused gate kernel, a thread per
 * (batch row, unit) doing all of that unit's gates. The backward pass runs through time the same way (gate-gradient
 * kernel, then dh_prev += drec . u^T) and ends with one split-k product for du over all N*T rows and a column sum
 * for d_rec_bias. Everything is queued on the caller's stream; nothing waits for the device.
 *
 * The workspace (device floats) has the CPU's layout, common/rnn_layout.h's: planes of N x T rows, then one N x G*H
 * block for the step's recurrent product. Masked (n, t) rows leave the gate rows unwritten (the backward pass never
 * reads them); their rh rows are zeroed (the du product reads every row).
 *
 * The backward pass may not write the workspace: its scratch (dout, dc where dc0 is NULL, drh, GRU_RESET_AFTER's
 * drec, partial sums) comes from the stream's memory pool (cudaMallocAsync), and dh accumulates in dh0 itself. */
#include <cuda_runtime.h>
#include <stdint.h>
#include <string>
#include "common/activations.h"
#include "common/rnn_cells.h"
#include "common/rnn_layout.h"
#include "cuda/gemm.cuh"
#include "cuda/launch.cuh"
#include "jkeras/cuda.h"

#define JKC_TRY(call)                           \
  do {                                          \
    const int jkc_status_ = (call);             \
    if (jkc_status_ != JK_OK) return jkc_status_; \
  } while (0)

namespace {

using Act = jk::RnnAct;
using Geo = jk::RnnGeo;

__device__ __forceinline__ float act_forward(const Act& f, float x) {
  return jk::unary_forward(f.op, x, f.a, f.b, f.c);
}

/* f'(x) given y = f(x): from x where the workspace keeps the gates' inputs (have_x), else from y alone, as the
 * CPU's act_grad. */
__device__ __forceinline__ float act_slope(const Act& f, bool have_x, float x, float y) {
  return have_x ? jk::unary_derivative(f.op, x, y, f.a, f.b, f.c)
                : jk::unary_derivative_from_output(f.op, y, f.a, f.b, f.c);
}

/* The CPU's checks of the descriptor (common/rnn_layout.h), failing with the same messages under fn's name, and the
 * column limit of the recurrent products. */
int geometry(const char* fn, const jk_rnn_desc* d, const float* params, Geo& g) {
  const std::string problem = jk::rnn_desc_problem(d);
  if (!problem.empty()) return jkc_fail(JK_INVALID_ARGUMENT, "%s: %s", fn, problem.c_str());
  const int64_t G = jk::rnn_gates(d->cell);
  if (d->units > jkc::kGemmMaxColumns / G)
    return jkc_fail(JK_UNSUPPORTED, "%s: units must be at most %lld for this cell", fn,
                    (long long)(jkc::kGemmMaxColumns / G));
  g = jk::rnn_geometry(*d, params);
  return JK_OK;
}

/* dst row r (dst_ld apart) = src row r (src_ld apart), or zeros where src is NULL; rows x width. */
__global__ void copy_rows(const float* src, int64_t src_ld, float* dst, int64_t dst_ld, int64_t rows,
                          int64_t width) {
  JKC_GRID_LOOP(i, rows * width) {
    const int64_t r = i / width, c = i - r * width;
    dst[r * dst_ld + c] = src ? src[r * src_ld + c] : 0.f;
  }
}

/* Queues kernel over items elements (nothing for none) and checks the launch. */
template <class... P, class... A>
int launch(const char* fn, cudaStream_t stream, int64_t items, void (*kernel)(P...), A... args) {
  if (items == 0) return JK_OK;
  kernel<<<blocks_for(items), kThreads, 0, stream>>>(args...);
  return jkc_check_launch(fn);
}

// ------------------------------------------------------------------------------------------------ forward

struct Fwd {
  Geo g;
  const float* xw;
  const float* bias;
  const float* mask;
  float* seq;
  float* last_h;
  float* last_c;
  float* ws;

  __device__ bool valid(int64_t n, int64_t t) const { return mask == nullptr || mask[g.row(n, t)] != 0.f; }

  /* Where the step's new states go: the next step's start slots, or the final states. */
  __device__ float* h_next(int64_t n, int64_t s) const {
    return s + 1 < g.T ? ws + g.hprev + g.row(n, g.t_of(s + 1)) * g.H : last_h + n * g.H;
  }
  __device__ float* c_next(int64_t n, int64_t s) const {
    return s + 1 < g.T ? ws + g.cprev + g.row(n, g.t_of(s + 1)) * g.H : last_c + n * g.H;
  }
  __device__ float* out(int64_t n, int64_t s) const { return seq + g.row(n, s) * g.H; }

  /* Gate q's input at unit j of row r: xw + h.u (+ b), added in the CPU's order. */
  __device__ float gate_in(int64_t r, int64_t n, int64_t q, int64_t j) const {
    const int64_t o = q * g.H + j;
    const float x = xw[r * g.GH + o], h = ws[g.rec + n * g.GH + o];
    return bias ? x + h + bias[o] : x + h;
  }

  /* Keeps gate q's input p (where the workspace has a plane for it) and its activation a. */
  __device__ void keep(int64_t r, int64_t q, int64_t j, float p, float a) const {
    const int64_t o = r * g.GH + q * g.H + j;
    if (g.pre >= 0) ws[g.pre + o] = p;
    ws[g.actv + o] = a;
  }

  /* A masked step: states carried over, the previous output repeated (zeros before any). */
  __device__ void masked(int64_t n, int64_t s, int64_t t, int64_t j) const {
    const int64_t rj = g.row(n, t) * g.H + j;
    h_next(n, s)[j] = ws[g.hprev + rj];
    out(n, s)[j] = s > 0 ? seq[g.row(n, s - 1) * g.H + j] : 0.f;
    if (g.cell == JK_RNN_LSTM) c_next(n, s)[j] = ws[g.cprev + rj];
  }

  __device__ void emit(int64_t n, int64_t s, int64_t j, float h) const {
    h_next(n, s)[j] = h;
    out(n, s)[j] = h;
  }

  /* GRU, both variants: h = z h_prev + (1 - z) hh. */
  __device__ void finish_gru(int64_t n, int64_t s, int64_t r, int64_t j, float z, float hh) const {
    emit(n, s, j, jk::gru_output(z, ws[g.hprev + r * g.H + j], hh));
  }

  /* Step s's loop over (batch row n, unit j), a thread an item: a masked (n, t) carries over, a valid one runs
   * unit(n, j, r) with r its workspace row. */
  template <class Unit>
  __device__ __forceinline__ void each_unit(int64_t s, Unit&& unit) const {
    const int64_t t = g.t_of(s), H = g.H;
    JKC_GRID_LOOP(i, g.N * H) {
      const int64_t n = i / H, j = i - n * H;
      if (!valid(n, t)) {
        masked(n, s, t, j);
        continue;
      }
      unit(n, j, g.row(n, t));
    }
  }
};

__global__ void fwd_simple(Fwd f, int64_t s) {
  f.each_unit(s, [&](int64_t n, int64_t j, int64_t r) {
    const float p = f.gate_in(r, n, 0, j), a = act_forward(f.g.act, p);
    f.keep(r, 0, j, p, a);
    f.emit(n, s, j, a);
  });
}

__global__ void fwd_lstm(Fwd f, int64_t s) {
  f.each_unit(s, [&](int64_t n, int64_t j, int64_t r) {
    const int64_t rj = r * f.g.H + j;
    const float pi = f.gate_in(r, n, 0, j), pf = f.gate_in(r, n, 1, j), pg = f.gate_in(r, n, 2, j),
                po = f.gate_in(r, n, 3, j);
    const float ai = act_forward(f.g.ract, pi), af = act_forward(f.g.ract, pf), ag = act_forward(f.g.act, pg),
                ao = act_forward(f.g.ract, po);
    f.keep(r, 0, j, pi, ai);
    f.keep(r, 1, j, pf, af);
    f.keep(r, 2, j, pg, ag);
    f.keep(r, 3, j, po, ao);
    const float c = jk::lstm_cell_state(ai, af, ag, f.ws[f.g.cprev + rj]);
    f.c_next(n, s)[j] = c;
    const float ac = act_forward(f.g.act, c);
    f.ws[f.g.actc + rj] = ac;
    if (f.g.cnew >= 0) f.ws[f.g.cnew + rj] = c;
    f.emit(n, s, j, jk::lstm_output(ao, ac));
  });
}

__global__ void fwd_gru_reset_after(Fwd f, int64_t s) {
  f.each_unit(s, [&](int64_t n, int64_t j, int64_t r) {
    const int64_t H = f.g.H;
    const float pz = f.gate_in(r, n, 0, j), pr = f.gate_in(r, n, 1, j);
    const float az = act_forward(f.g.ract, pz), ar = act_forward(f.g.ract, pr);
    f.keep(r, 0, j, pz, az);
    f.keep(r, 1, j, pr, ar);
    const float rec_h = f.ws[f.g.rec + n * f.g.GH + 2 * H + j];
    const float rech = f.bias ? rec_h + f.bias[2 * H + j] : rec_h;
    f.ws[f.g.rech + r * H + j] = rech;
    const float ph = f.xw[r * f.g.GH + 2 * H + j] + ar * rech, ah = act_forward(f.g.act, ph);
    f.keep(r, 2, j, ph, ah);
    f.finish_gru(n, s, r, j, az, ah);
  });
}

/* GRU (reset_after false), before the second product: z, r and r * h_prev. */
__global__ void fwd_gru_a(Fwd f, int64_t s) {
  const int64_t t = f.g.t_of(s), H = f.g.H;
  JKC_GRID_LOOP(i, f.g.N * H) {
    const int64_t n = i / H, j = i - n * H;
    const int64_t r = f.g.row(n, t), rj = r * H + j;
    if (!f.valid(n, t)) {
      f.ws[f.g.rh + rj] = 0.f;
      continue;
    }
    const float pz = f.gate_in(r, n, 0, j), pr = f.gate_in(r, n, 1, j);
    const float az = act_forward(f.g.ract, pz), ar = act_forward(f.g.ract, pr);
    f.keep(r, 0, j, pz, az);
    f.keep(r, 1, j, pr, ar);
    f.ws[f.g.rh + rj] = ar * f.ws[f.g.hprev + rj];
  }
}

/* GRU (reset_after false), after it: hh and h. */
__global__ void fwd_gru_b(Fwd f, int64_t s) {
  f.each_unit(s, [&](int64_t n, int64_t j, int64_t r) {
    const float ph = f.gate_in(r, n, 2, j), ah = act_forward(f.g.act, ph);
    f.keep(r, 2, j, ph, ah);
    f.finish_gru(n, s, r, j, f.ws[f.g.actv + r * f.g.GH + j], ah);
  });
}

int forward(const char* fn, cudaStream_t stream, const Geo& g, const float* xw, const float* u, const float* bias,
            const float* h0, const float* c0, const float* mask, float* seq, float* last_h, float* last_c,
            float* ws) {
  const int64_t N = g.N, T = g.T, H = g.H, GH = g.GH;
  const bool lstm = g.cell == JK_RNN_LSTM, gru = g.cell == JK_RNN_GRU;
  if (N == 0) return JK_OK;
  if (T == 0) {
    JKC_TRY(launch(fn, stream, N * H, copy_rows, h0, H, last_h, H, N, H));
    if (lstm) JKC_TRY(launch(fn, stream, N * H, copy_rows, c0, H, last_c, H, N, H));
    return JK_OK;
  }
  const int64_t t0 = g.t_of(0);
  JKC_TRY(launch(fn, stream, N * H, copy_rows, h0, H, ws + g.hprev + t0 * H, T * H, N, H));
  if (lstm) JKC_TRY(launch(fn, stream, N * H, copy_rows, c0, H, ws + g.cprev + t0 * H, T * H, N, H));
  const Fwd f{g, xw, bias, mask, seq, last_h, last_c, ws};
  float* rec = ws + g.rec;
  for (int64_t s = 0; s < T; ++s) {
    const int64_t t = g.t_of(s);
    // rec = h_prev . u  (GRU: the z and r columns only); h_prev rows are T*H apart in the hprev plane
    jkc::sgemm<false, false>(stream, N, gru ? 2 * H : GH, H, ws + g.hprev + t * H, T * H, u, GH, rec, GH, false);
    JKC_TRY(jkc_check_launch(fn));
    switch (g.cell) {
      case JK_RNN_SIMPLE: JKC_TRY(launch(fn, stream, N * H, fwd_simple, f, s)); break;
      case JK_RNN_LSTM: JKC_TRY(launch(fn, stream, N * H, fwd_lstm, f, s)); break;
      case JK_RNN_GRU_RESET_AFTER: JKC_TRY(launch(fn, stream, N * H, fwd_gru_reset_after, f, s)); break;
      case JK_RNN_GRU:
        JKC_TRY(launch(fn, stream, N * H, fwd_gru_a, f, s));
        // rec_h = (r h_prev) . u_h
        jkc::sgemm<false, false>(stream, N, H, H, ws + g.rh + t * H, T * H, u + 2 * H, GH, rec + 2 * H, GH, false);
        JKC_TRY(jkc_check_launch(fn));
        JKC_TRY(launch(fn, stream, N * H, fwd_gru_b, f, s));
        break;
    }
  }
  return JK_OK;
}

// ----------------------------------------------------------------------------------------------- backward

struct Bwd {
  Geo g;
  const float* mask;
  const float* ws;
  const float* d_seq;
  float* dxw;
  float* drec;  // the gradient of rec = h.u (+ b): dxw itself except for GRU_RESET_AFTER
  float* dh;    // N x H: gradient of the h state after the step being processed (then before it)
  float* dc;    // N x H (LSTM)
  float* dout;  // N x H: gradient of the previous output, carried through masked steps
  float* drh;   // N x H (GRU): gradient of r * h_prev

  __device__ bool valid(int64_t n, int64_t t) const { return mask == nullptr || mask[g.row(n, t)] != 0.f; }

  __device__ float act(int64_t r, int64_t q, int64_t j) const { return ws[g.actv + r * g.GH + q * g.H + j]; }

  /* d times gate q's activation's derivative at unit j of row r. */
  __device__ float through(const Act& f, int64_t r, int64_t q, int64_t j, float d) const {
    const int64_t o = r * g.GH + q * g.H + j;
    return d * act_slope(f, g.pre >= 0, g.pre >= 0 ? ws[g.pre + o] : 0.f, ws[g.actv + o]);
  }

  /* The step's output gradient; returns whether the step is valid. For a masked step the carries pass through
   * and the step's dxw (and drec) entries are zero. For a valid one dh becomes the gradient of the step's new h. */
  __device__ bool enter(int64_t n, int64_t s, int64_t t, int64_t j) const {
    const int64_t i = n * g.H + j;
    const float* ds = d_seq ? d_seq + g.row(n, s) * g.H + j : nullptr;
    if (valid(n, t)) {
      dh[i] += ds ? *ds + dout[i] : dout[i];
      dout[i] = 0.f;
      return true;
    }
    if (ds) dout[i] += *ds;
    const int64_t o = g.row(n, t) * g.GH + j;
    for (int64_t q = 0; q < g.G; ++q) {
      dxw[o + q * g.H] = 0.f;
      if (drec != dxw) drec[o + q * g.H] = 0.f;
    }
    return false;
  }

  /* GRU, both variants, first part: z and hh's gradients (stored in dxw and returned), dh becomes h_prev's
   * direct part. */
  __device__ void gru_output(int64_t n, int64_t r, int64_t j, float& dz, float& dhh) const {
    const int64_t i = n * g.H + j;
    float d_z, d_hh, dhp;
    jk::gru_backward_output(dh[i], act(r, 0, j), ws[g.hprev + r * g.H + j], act(r, 2, j), d_z, d_hh, dhp);
    dh[i] = dhp;
    dz = through(g.ract, r, 0, j, d_z);
    dhh = through(g.act, r, 2, j, d_hh);
    const int64_t o = r * g.GH + j;
    dxw[o] = dz;
    dxw[o + 2 * g.H] = dhh;
  }

  /* Step s's loop over (batch row n, unit j), a thread an item: enter() for each, then for a valid (n, t)
   * unit(i, n, j, r), i = n * H + j the item and r its workspace row. */
  template <class Unit>
  __device__ __forceinline__ void each_unit(int64_t s, Unit&& unit) const {
    const int64_t t = g.t_of(s), H = g.H;
    JKC_GRID_LOOP(i, g.N * H) {
      const int64_t n = i / H, j = i - n * H;
      if (enter(n, s, t, j)) unit(i, n, j, g.row(n, t));
    }
  }
};

__global__ void bwd_simple(Bwd b, int64_t s) {
  b.each_unit(s, [&](int64_t i, int64_t, int64_t j, int64_t r) {
    const float d = b.dh[i];
    b.dh[i] = 0.f;
    b.dxw[r * b.g.H + j] = b.through(b.g.act, r, 0, j, d);
  });
}

__global__ void bwd_lstm(Bwd b, int64_t s) {
  b.each_unit(s, [&](int64_t i, int64_t, int64_t j, int64_t r) {
    const int64_t H = b.g.H, rj = r * H + j;
    const float ac = b.ws[b.g.actc + rj];
    float d_o, dc_act;
    jk::lstm_backward_output(b.dh[i], b.act(r, 3, j), ac, d_o, dc_act);
    dc_act *= act_slope(b.g.act, b.g.cnew >= 0, b.g.cnew >= 0 ? b.ws[b.g.cnew + rj] : 0.f, ac);
    float d_i, d_f, d_g, dc_prev;
    jk::lstm_backward_cell(b.dc[i] + dc_act, b.act(r, 0, j), b.act(r, 1, j), b.act(r, 2, j), b.ws[b.g.cprev + rj],
                           d_i, d_f, d_g, dc_prev);
    b.dc[i] = dc_prev;
    b.dh[i] = 0.f;
    const int64_t o = r * b.g.GH + j;
    b.dxw[o] = b.through(b.g.ract, r, 0, j, d_i);
    b.dxw[o + H] = b.through(b.g.ract, r, 1, j, d_f);
    b.dxw[o + 2 * H] = b.through(b.g.act, r, 2, j, d_g);
    b.dxw[o + 3 * H] = b.through(b.g.ract, r, 3, j, d_o);
  });
}

__global__ void bwd_gru_reset_after(Bwd b, int64_t s) {
  b.each_unit(s, [&](int64_t, int64_t n, int64_t j, int64_t r) {
    const int64_t H = b.g.H, o = r * b.g.GH + j;
    float dz, dhh;  // dhh: the gradient of hh's input xw_h + r * rech
    b.gru_output(n, r, j, dz, dhh);
    const float dr = b.through(b.g.ract, r, 1, j, dhh * b.ws[b.g.rech + r * H + j]);
    b.dxw[o + H] = dr;
    b.drec[o] = dz;
    b.drec[o + H] = dr;
    b.drec[o + 2 * H] = dhh * b.act(r, 1, j);
  });
}

/* GRU (reset_after false), before drh = d(hh's input) . u_h^T. */
__global__ void bwd_gru_a(Bwd b, int64_t s) {
  b.each_unit(s, [&](int64_t, int64_t n, int64_t j, int64_t r) {
    float dz, dhh;
    b.gru_output(n, r, j, dz, dhh);
  });
}

/* GRU (reset_after false), after it: r's gradient and h_prev's part through r * h_prev. */
__global__ void bwd_gru_b(Bwd b, int64_t s) {
  const int64_t t = b.g.t_of(s), H = b.g.H;
  JKC_GRID_LOOP(i, b.g.N * H) {
    const int64_t n = i / H, j = i - n * H;
    if (!b.valid(n, t)) continue;
    const int64_t r = b.g.row(n, t);
    const float dr = b.drh[i];
    b.dxw[r * b.g.GH + H + j] = b.through(b.g.ract, r, 1, j, dr * b.ws[b.g.hprev + r * H + j]);
    b.dh[i] += dr * b.act(r, 1, j);
  }
}

constexpr int kSumColumns = 32, kSumRows = 8;

/* Block (x, y) sums the columns [32 x, 32 x + 32) of x (rows x cols, contiguous) over the rows
 * [y * chunk, (y + 1) * chunk) into out + y * cols. */
__global__ void __launch_bounds__(kSumColumns * kSumRows)
    column_sum(const float* __restrict__ x, int64_t rows, int64_t cols, int64_t chunk, float* __restrict__ out) {
  __shared__ float part[kSumRows][kSumColumns + 1];
  const int64_t c = (int64_t)blockIdx.x * kSumColumns + threadIdx.x;
  const int64_t r0 = (int64_t)blockIdx.y * chunk, r1 = rows - r0 < chunk ? rows : r0 + chunk;
  float sum = 0.f;
  if (c < cols)
    for (int64_t r = r0 + threadIdx.y; r < r1; r += kSumRows) sum += x[r * cols + c];
  part[threadIdx.y][threadIdx.x] = sum;
  __syncthreads();
  if (threadIdx.y == 0 && c < cols) {
    float total = 0.f;
    for (int k = 0; k < kSumRows; ++k) total += part[k][threadIdx.x];
    out[blockIdx.y * cols + c] = total;
  }
}

/* The backward pass's pool memory, returned to the pool (stream-ordered) however the pass ends. */
struct Scratch {
  cudaStream_t stream;
  float* p = nullptr;
  ~Scratch() {
    if (p) (void)cudaFreeAsync(p, stream);
  }
  int release(const char* fn) {
    float* q = p;
    p = nullptr;
    return jkc_cuda_status(cudaFreeAsync(q, stream), fn);
  }
};

int backward(const char* fn, cudaStream_t stream, const Geo& g, const float* u, const float* mask, const float* ws,
             const float* d_seq, const float* d_last_h, const float* d_last_c, float* dxw, float* du,
             float* d_rec_bias, float* dh0, float* dc0) {
  const int64_t N = g.N, T = g.T, H = g.H, GH = g.GH, NT = N * T;
  const bool lstm = g.cell == JK_RNN_LSTM, gru = g.cell == JK_RNN_GRU,
             reset_after = g.cell == JK_RNN_GRU_RESET_AFTER;
  if (NT == 0) {
    JKC_TRY(launch(fn, stream, N * H, copy_rows, d_last_h, H, dh0, H, N, H));
    if (lstm && dc0) JKC_TRY(launch(fn, stream, N * H, copy_rows, d_last_c, H, dc0, H, N, H));
    JKC_TRY(jkc_cuda_status(cudaMemsetAsync(du, 0, (size_t)(H * GH) * sizeof(float), stream), fn));
    if (d_rec_bias) JKC_TRY(jkc_cuda_status(cudaMemsetAsync(d_rec_bias, 0, (size_t)GH * sizeof(float), stream), fn));
    return JK_OK;
  }
  const jkc::SplitK du_split = jkc::plan_split_k(H, GH, NT);
  // d_rec_bias: row slices of about 256 rows, at most 1024 of them
  const int64_t most_bias_slices = (NT + 255) / 256 < 1024 ? (NT + 255) / 256 : 1024;
  const int64_t bias_chunk = (NT + most_bias_slices - 1) / most_bias_slices;
  const int64_t bias_slices = (NT + bias_chunk - 1) / bias_chunk;

  int64_t floats = 0;
  auto take = [&](bool wanted, int64_t n) {
    const int64_t at = floats;
    if (wanted) floats += n;
    return at;
  };
  const int64_t at_dout = take(true, N * H), at_dc = take(lstm && !dc0, N * H), at_drh = take(gru, N * H),
                at_drec = take(reset_after, NT * GH), at_du = take(du_split.slices > 1, du_split.slices * H * GH),
                at_bias = take(d_rec_bias && bias_slices > 1, bias_slices * GH);
  Scratch scratch{stream};
  JKC_TRY(jkc_cuda_status(cudaMallocAsync((void**)&scratch.p, (size_t)floats * sizeof(float), stream), fn));
  float* mem = scratch.p;

  float* dh = dh0;
  float* dc = lstm ? (dc0 ? dc0 : mem + at_dc) : nullptr;
  float* drec = reset_after ? mem + at_drec : dxw;
  JKC_TRY(launch(fn, stream, N * H, copy_rows, d_last_h, H, dh, H, N, H));
  if (lstm) JKC_TRY(launch(fn, stream, N * H, copy_rows, d_last_c, H, dc, H, N, H));
  JKC_TRY(jkc_cuda_status(cudaMemsetAsync(mem + at_dout, 0, (size_t)(N * H) * sizeof(float), stream), fn));
  const Bwd b{g, mask, ws, d_seq, dxw, drec, dh, dc, mem + at_dout, gru ? mem + at_drh : nullptr};
  for (int64_t s = T - 1; s >= 0; --s) {
    const int64_t t = g.t_of(s);
    switch (g.cell) {
      case JK_RNN_SIMPLE: JKC_TRY(launch(fn, stream, N * H, bwd_simple, b, s)); break;
      case JK_RNN_LSTM: JKC_TRY(launch(fn, stream, N * H, bwd_lstm, b, s)); break;
      case JK_RNN_GRU_RESET_AFTER: JKC_TRY(launch(fn, stream, N * H, bwd_gru_reset_after, b, s)); break;
      case JK_RNN_GRU:
        JKC_TRY(launch(fn, stream, N * H, bwd_gru_a, b, s));
        // drh = d(hh's input) . u_h^T; u_h^T (H x H) is u + 2H read transposed
        jkc::sgemm<false, true>(stream, N, H, H, dxw + t * GH + 2 * H, T * GH, u + 2 * H, GH, b.drh, H, false);
        JKC_TRY(jkc_check_launch(fn));
        JKC_TRY(launch(fn, stream, N * H, bwd_gru_b, b, s));
        break;
    }
    // dh_prev += drec . u^T  (GRU: the z and r columns; hh's went through drh)
    jkc::sgemm<false, true>(stream, N, H, gru ? 2 * H : GH, drec + t * GH, T * GH, u, GH, dh, H, true);
    JKC_TRY(jkc_check_launch(fn));
  }
  // du = sum over (n, t) of h_prev^T . drec  (GRU: (r h_prev)^T . d(hh's input) for the h columns), split over
  // (n, t) into slices that sum_slices adds up
  const int64_t du_size = H * GH;
  float* du_parts = du_split.slices > 1 ? mem + at_du : du;
  if (gru) {
    jkc::sgemm<true, false>(stream, H, 2 * H, NT, ws + g.hprev, H, drec, GH, du_parts, GH, false, du_split, du_size);
    JKC_TRY(jkc_check_launch(fn));
    jkc::sgemm<true, false>(stream, H, H, NT, ws + g.rh, H, drec + 2 * H, GH, du_parts + 2 * H, GH, false, du_split,
                            du_size);
  } else {
    jkc::sgemm<true, false>(stream, H, GH, NT, ws + g.hprev, H, drec, GH, du_parts, GH, false, du_split, du_size);
  }
  JKC_TRY(jkc_check_launch(fn));
  if (du_split.slices > 1) {
    jkc::sum_slices(stream, du_parts, du_split.slices, du_size, du_size, du);
    JKC_TRY(jkc_check_launch(fn));
  }
  if (d_rec_bias) {
    float* parts = bias_slices > 1 ? mem + at_bias : d_rec_bias;
    const dim3 grid((unsigned)((GH + kSumColumns - 1) / kSumColumns), (unsigned)bias_slices);
    column_sum<<<grid, dim3(kSumColumns, kSumRows), 0, stream>>>(drec, NT, GH, bias_chunk, parts);
    JKC_TRY(jkc_check_launch(fn));
    if (bias_slices > 1) {
      jkc::sum_slices(stream, parts, bias_slices, GH, GH, d_rec_bias);
      JKC_TRY(jkc_check_launch(fn));
    }
  }
  return scratch.release(fn);
}

}  // namespace

extern "C" int jkc_rnn_workspace_size(const jk_rnn_desc* d, const float* params, int64_t* floats) {
  const char* fn = "jkc_rnn_workspace_size";
  if (params == nullptr || floats == nullptr)
    return jkc_fail(JK_INVALID_ARGUMENT, "%s: params and floats are required", fn);
  Geo g;
  JKC_TRY(geometry(fn, d, params, g));
  *floats = g.total;
  return JK_OK;
}

extern "C" int jkc_rnn_forward(void* stream, const jk_rnn_desc* d, const float* params, const float* xw,
                               const float* u, const float* rec_bias, const float* h0, const float* c0,
                               const float* mask, float* seq, float* last_h, float* last_c, float* workspace) {
  const char* fn = "jkc_rnn_forward";
  if (params == nullptr) return jkc_fail(JK_INVALID_ARGUMENT, "%s: params is NULL", fn);
  Geo g;
  JKC_TRY(geometry(fn, d, params, g));
  if (last_h == nullptr || u == nullptr) return jkc_fail(JK_INVALID_ARGUMENT, "%s: u and last_h are required", fn);
  if (g.cell == JK_RNN_LSTM && last_c == nullptr) return jkc_fail(JK_INVALID_ARGUMENT, "%s: LSTM needs last_c", fn);
  if (g.N * g.T != 0 && (xw == nullptr || seq == nullptr || workspace == nullptr))
    return jkc_fail(JK_INVALID_ARGUMENT, "%s: xw, seq and workspace are required", fn);
  return forward(fn, (cudaStream_t)stream, g, xw, u, rec_bias, h0, g.cell == JK_RNN_LSTM ? c0 : nullptr, mask, seq,
                 last_h, last_c, workspace);
}

extern "C" int jkc_rnn_backward(void* stream, const jk_rnn_desc* d, const float* params, const float* u,
                                const float* mask, const float* workspace, const float* d_seq, const float* d_last_h,
                                const float* d_last_c, float* dxw, float* du, float* d_rec_bias, float* dh0,
                                float* dc0) {
  const char* fn = "jkc_rnn_backward";
  if (params == nullptr) return jkc_fail(JK_INVALID_ARGUMENT, "%s: params is NULL", fn);
  Geo g;
  JKC_TRY(geometry(fn, d, params, g));
  if (u == nullptr || du == nullptr || dh0 == nullptr)
    return jkc_fail(JK_INVALID_ARGUMENT, "%s: u, du and dh0 are required", fn);
  if (g.N * g.T != 0 && (dxw == nullptr || workspace == nullptr))
    return jkc_fail(JK_INVALID_ARGUMENT, "%s: dxw and workspace are required", fn);
  return backward(fn, (cudaStream_t)stream, g, u, mask, workspace, d_seq, d_last_h,
                  g.cell == JK_RNN_LSTM ? d_last_c : nullptr, dxw, du, d_rec_bias, dh0, dc0);
}
