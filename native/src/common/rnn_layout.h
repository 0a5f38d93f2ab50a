/* The check of a whole-recurrence descriptor (jkeras/rnn.h) and the layout of its workspace, shared by the CPU
 * (native/src/cpu/rnn.cpp) and CUDA (native/src/cuda/rnn.cu) entry points so that both refuse the same
 * descriptors with the same messages and lay out the workspace the same way.
 *
 * The workspace (floats) holds, per (n, t) (t the time index of xw, not the processing step), planes of N x T
 * rows, row (n, t) at n * T + t:
 *   pre   G*H  the gates' inputs to their activations, only where a derivative needs them (activations.h's
 *              derivative_from_output)
 *   act   G*H  the activated gates                    hprev H  the h state the step started from
 *   LSTM: cprev H (the c state the step started from), cnew H (the step's c, only if act'(c) needs c),
 *         actc H (act(c))
 *   GRU: rh H (r * h_prev, the second product's input)   GRU_RESET_AFTER: rech H (h.u_h + b_h)
 * then one N x G*H block for the step's recurrent product. */
#ifndef JKERAS_COMMON_RNN_LAYOUT_H
#define JKERAS_COMMON_RNN_LAYOUT_H
#include <stdint.h>
#include <string>
#include "activations.h"
#include "hd.h"
#include "jkeras/rnn.h"

namespace jk {

/* An activation op with its parameters a, b, c (activations.h's element functions). */
struct RnnAct {
  int op;
  float a, b, c;
};

/* The shape of a recurrence and its workspace's plane offsets. */
struct RnnGeo {
  int cell;
  int64_t N, T, H, G, GH;
  bool back;
  RnnAct act, ract;
  // plane offsets in the workspace, in floats (-1: absent)
  int64_t pre, actv, hprev, cprev, cnew, actc, rh, rech, rec, total;

  /* The time index of processing step s. */
  JK_HD int64_t t_of(int64_t s) const { return back ? T - 1 - s : s; }
  /* The workspace row (and mask index) of (n, t). */
  JK_HD int64_t row(int64_t n, int64_t t) const { return n * T + t; }
};

inline bool rnn_valid_op(int64_t op) {
  switch (op) {
#define X(OP) case OP: return true;
    JK_UNARY_OPS(X)
#undef X
    default: return false;
  }
}

/* Gates per unit: 1 (simple), 4 (LSTM), 3 (GRU, both variants). */
inline int64_t rnn_gates(int64_t cell) { return cell == JK_RNN_SIMPLE ? 1 : cell == JK_RNN_LSTM ? 4 : 3; }

/* Why d is refused, or "" when it is valid. */
inline std::string rnn_desc_problem(const jk_rnn_desc* d) {
  if (d == nullptr) return "descriptor is NULL";
  if (d->cell < JK_RNN_SIMPLE || d->cell > JK_RNN_LSTM) return "unknown cell";
  if (d->batch < 0 || d->steps < 0 || d->units <= 0) return "batch and steps must be >= 0, units > 0";
  if (d->go_backwards != 0 && d->go_backwards != 1) return "go_backwards must be 0 or 1";
  if (!rnn_valid_op(d->activation) || !rnn_valid_op(d->recurrent_activation))
    return "unknown activation op " +
           std::to_string(rnn_valid_op(d->activation) ? d->recurrent_activation : d->activation);
  return "";
}

/* The geometry of a descriptor that rnn_desc_problem accepts; params holds the activation's a, b, c and the
 * recurrent activation's. */
inline RnnGeo rnn_geometry(const jk_rnn_desc& d, const float* params) {
  RnnGeo g;
  g.cell = (int)d.cell;
  g.N = d.batch;
  g.T = d.steps;
  g.H = d.units;
  g.G = rnn_gates(d.cell);
  g.GH = g.G * g.H;
  g.back = d.go_backwards != 0;
  g.act = RnnAct{(int)d.activation, params[0], params[1], params[2]};
  g.ract = RnnAct{(int)d.recurrent_activation, params[3], params[4], params[5]};
  const int64_t rows = g.N * g.T, H = g.H;
  int64_t off = 0;
  auto plane = [&](int64_t width) {
    const int64_t at = off;
    off += rows * width;
    return at;
  };
  const bool act_from_y = derivative_from_output(g.act.op, g.act.a, g.act.b, g.act.c);
  const bool ract_from_y = derivative_from_output(g.ract.op, g.ract.a, g.ract.b, g.ract.c);
  // the gates' inputs only where a derivative needs them
  g.pre = !act_from_y || (g.cell != JK_RNN_SIMPLE && !ract_from_y) ? plane(g.GH) : -1;
  g.actv = plane(g.GH);
  g.hprev = plane(H);
  g.cprev = g.cnew = g.actc = g.rh = g.rech = -1;
  if (g.cell == JK_RNN_LSTM) {
    g.cprev = plane(H);
    if (!act_from_y) g.cnew = plane(H);
    g.actc = plane(H);
  } else if (g.cell == JK_RNN_GRU) {
    g.rh = plane(H);
  } else if (g.cell == JK_RNN_GRU_RESET_AFTER) {
    g.rech = plane(H);
  }
  g.rec = off;
  g.total = off + g.N * g.GH;
  return g;
}

}  // namespace jk
#endif
