/* The gate math of the built-in recurrent cells (Keras 2's formulas) and its derivative, element by element,
 * shared by the CPU kernels (native/src/cpu/rnn.cpp) and the CUDA kernels so both compute the same numbers.
 * The activations themselves are activations.h's unary_forward / unary_derivative; these functions combine
 * already activated gate values.
 *
 *   LSTM   c = f c_prev + i g;  h = o act(c)
 *   GRU    h = z h_prev + (1 - z) hh        (both reset_after variants)
 * Masking (Keras 2's backend.rnn): a masked step keeps the previous states and repeats the previous output. */
#ifndef JKERAS_COMMON_RNN_CELLS_H
#define JKERAS_COMMON_RNN_CELLS_H
#include "hd.h"

namespace jk {

JK_HD float lstm_cell_state(float i, float f, float g, float c_prev) { return f * c_prev + i * g; }

JK_HD float lstm_output(float o, float act_c) { return o * act_c; }

JK_HD float gru_output(float z, float h_prev, float hh) { return z * h_prev + (1.f - z) * hh; }

/* LSTM, first half: from dh (gradient of h = o act(c)), the gradient of o and the part of dc that goes through
 * act(c) before act's derivative: dc_through = dh * o (times act'(c) afterwards). */
JK_HD void lstm_backward_output(float dh, float o, float act_c, float& d_o, float& dc_through) {
  d_o = dh * act_c;
  dc_through = dh * o;
}

/* LSTM, second half: dc the full gradient of c = f c_prev + i g; gives the gates' and c_prev's gradients. */
JK_HD void lstm_backward_cell(float dc, float i, float f, float g, float c_prev, float& d_i, float& d_f, float& d_g,
                              float& dc_prev) {
  d_i = dc * g;
  d_f = dc * c_prev;
  d_g = dc * i;
  dc_prev = dc * f;
}

/* GRU: gradients of h = z h_prev + (1 - z) hh with respect to z, hh and (directly) h_prev. */
JK_HD void gru_backward_output(float dh, float z, float h_prev, float hh, float& d_z, float& d_hh, float& dh_prev) {
  d_z = dh * (h_prev - hh);
  d_hh = dh * (1.f - z);
  dh_prev = dh * z;
}

}  // namespace jk
#endif
