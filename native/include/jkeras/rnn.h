/* Whole recurrences (SimpleRNN, GRU with reset_after false and true, LSTM) in one call, forward and backward
 * through time, with Keras 2's formulas, any elementwise activations and Keras's masking rule.
 *
 * Shapes (row-major, batch first):
 *   xw      (N, T, G*H)  the input projection x.W + input bias of every step, G = gates of the cell
 *   u       (H, G*H)     the recurrent kernel, Keras's layout and gate order (LSTM i, f, c, o; GRU z, r, h)
 *   rec_bias (G*H) or NULL, added to h.u (GRU reset_after: the h part inside r * (h.u_h + b_h))
 *   h0, c0  (N, H) initial states (NULL: zeros; c0 only for LSTM)
 *   mask    (N, T) float 0/1 or NULL; a masked step keeps the previous states and outputs the previous output
 *           (zeros before the first unmasked step), as Keras 2's backend.rnn
 *   seq     (N, T, H)    seq[:, s] is the output after the s-th processed step (go_backwards: t = T-1-s)
 *   last_h, last_c (N, H) the final states (last_c only for LSTM)
 * Cell formulas (ra = recurrent activation, act = activation):
 *   SIMPLE  h = act(xw + h.u + b)
 *   LSTM    z = xw + h.u + b; i = ra(z_i), f = ra(z_f), g = act(z_c), o = ra(z_o); c = f c + i g; h = o act(c)
 *   GRU     z = ra(xw_z + h.u_z + b_z), r = ra(xw_r + h.u_r + b_r), hh = act(xw_h + (r h).u_h + b_h);
 *           h = z h + (1 - z) hh
 *   GRU_RESET_AFTER  rec = h.u + b; z = ra(xw_z + rec_z), r = ra(xw_r + rec_r), hh = act(xw_h + r rec_h);
 *           h = z h + (1 - z) hh
 * The forward pass fills a workspace (sized by jk_rnn_workspace_size) that the backward pass reads. */
#ifndef JKERAS_RNN_H
#define JKERAS_RNN_H
#include "status.h"
#ifdef __cplusplus
extern "C" {
#endif

enum jk_rnn_cell { JK_RNN_SIMPLE = 0, JK_RNN_GRU = 1, JK_RNN_GRU_RESET_AFTER = 2, JK_RNN_LSTM = 3 };

/* All fields int64 so that Java passes the descriptor as a long[]. activation / recurrent_activation are
 * jk_unary_op codes; their parameters a, b, c travel in the params argument of each call
 * (params[0..2] activation, params[3..5] recurrent activation). */
typedef struct jk_rnn_desc {
  int64_t cell;         /* jk_rnn_cell */
  int64_t batch, steps, units;
  int64_t go_backwards; /* 0 or 1 */
  int64_t activation, recurrent_activation;
} jk_rnn_desc;

/* Floats of the workspace of jk_rnn_forward / jk_rnn_backward (it depends on the activations: gate inputs are
 * kept only where a derivative needs more than the gate's output). */
int jk_rnn_workspace_size(const jk_rnn_desc* d, const float* params, int64_t* floats);

int jk_rnn_forward(const jk_rnn_desc* d, const float* params, const float* xw, const float* u, const float* rec_bias,
                   const float* h0, const float* c0, const float* mask, float* seq, float* last_h, float* last_c,
                   float* workspace);

/* Gradients given d_seq, d_last_h, d_last_c (each NULL for zeros) and the forward pass's workspace:
 * dxw (N, T, G*H), du (H, G*H), d_rec_bias (G*H, NULL: not wanted), dh0 (N, H), dc0 (N, H, LSTM only; NULL: not
 * wanted); all overwritten. */
int jk_rnn_backward(const jk_rnn_desc* d, const float* params, const float* u, const float* mask,
                    const float* workspace, const float* d_seq, const float* d_last_h, const float* d_last_c,
                    float* dxw, float* du, float* d_rec_bias, float* dh0, float* dc0);

/* The same recurrences from the layer's inputs, on oneDNN's own LSTM / GRU / linear-before-reset GRU primitives:
 * only where their formulas are Keras's exactly (LSTM, GRU, GRU_RESET_AFTER with sigmoid gates, tanh activation,
 * and no mask), which jk_rnn_fused_supported tells. x (N, T, I) and kernel (I, G*H), bias (G*H) or NULL: the input
 * side that jk_rnn_forward takes as xw = x.kernel + bias; the rest as for jk_rnn_forward. The workspace (bytes)
 * keeps what the backward pass needs besides the inputs. */
int jk_rnn_fused_supported(const jk_rnn_desc* d, const float* params, int* supported);
int jk_rnn_fused_workspace_size(const jk_rnn_desc* d, int64_t input_size, int64_t* bytes);
int jk_rnn_fused_forward(const jk_rnn_desc* d, int64_t input_size, const float* x, const float* kernel,
                         const float* bias, const float* u, const float* rec_bias, const float* h0, const float* c0,
                         float* seq, float* last_h, float* last_c, void* workspace);
/* (workspace NULL: no backward pass will follow; the inference primitive runs.)
 * dx (N, T, I), d_kernel (I, G*H), du (H, G*H) and dh0 (N, H) overwritten; d_bias, d_rec_bias and dc0 too unless
 * NULL. x, kernel, u, h0, c0 and biases are the forward pass's. */
int jk_rnn_fused_backward(const jk_rnn_desc* d, int64_t input_size, const float* x, const float* kernel,
                          const float* bias, const float* u, const float* rec_bias, const float* h0, const float* c0,
                          const void* workspace, const float* d_seq, const float* d_last_h, const float* d_last_c,
                          float* dx, float* d_kernel, float* d_bias, float* du, float* d_rec_bias, float* dh0,
                          float* dc0);

#ifdef __cplusplus
}
#endif
#endif
