// Elementwise kernels of the CUDA backend: the same element functions as the CPU (native/src/common).
#include "common/activations.h"
#include "cuda/launch.cuh"
#include "cuda/strided.cuh"
#include "jkeras/cuda.h"

namespace {

// One kernel per op, the op a compile-time constant so that its switch folds away. No __restrict__: the ops layer
// may run these in place (an output aliasing an input), which each thread's read-then-write of one element allows.
// vec: every pointer 16-byte aligned; then n / 4 float4s go first (memory-bound: wide accesses reach the copy
// bandwidth) and the last n % 4 elements one by one.
template <int OP>
__global__ void unary_kernel(const float* x, float* y, int64_t n, float a, float b, float c, bool vec) {
  const int64_t head = vec ? n / 4 : 0;
  const float4* x4 = reinterpret_cast<const float4*>(x);
  float4* y4 = reinterpret_cast<float4*>(y);
  JKC_GRID_LOOP(i, head) {
    const float4 v = x4[i];
    y4[i] = make_float4(jk::unary_forward(OP, v.x, a, b, c), jk::unary_forward(OP, v.y, a, b, c),
                        jk::unary_forward(OP, v.z, a, b, c), jk::unary_forward(OP, v.w, a, b, c));
  }
  JKC_GRID_LOOP(j, n - 4 * head) {
    const int64_t i = 4 * head + j;
    y[i] = jk::unary_forward(OP, x[i], a, b, c);
  }
}

template <int OP>
__global__ void unary_backward_kernel(const float* x, const float* y, const float* dy, float* dx, int64_t n, float a,
                                      float b, float c, bool vec) {
  const int64_t head = vec ? n / 4 : 0;
  const float4* x4 = reinterpret_cast<const float4*>(x);
  const float4* y4 = reinterpret_cast<const float4*>(y);
  const float4* dy4 = reinterpret_cast<const float4*>(dy);
  float4* dx4 = reinterpret_cast<float4*>(dx);
  JKC_GRID_LOOP(i, head) {
    const float4 u = x4[i], v = y4[i], g = dy4[i];
    dx4[i] = make_float4(g.x * jk::unary_derivative(OP, u.x, v.x, a, b, c),
                         g.y * jk::unary_derivative(OP, u.y, v.y, a, b, c),
                         g.z * jk::unary_derivative(OP, u.z, v.z, a, b, c),
                         g.w * jk::unary_derivative(OP, u.w, v.w, a, b, c));
  }
  JKC_GRID_LOOP(j, n - 4 * head) {
    const int64_t i = 4 * head + j;
    dx[i] = dy[i] * jk::unary_derivative(OP, x[i], y[i], a, b, c);
  }
}

// out is contiguous over g's shape; g.s0 and g.s1 are a's and b's strides.
template <int OP, class I>
__global__ void binary_kernel(Strided g, int64_t total, const float* a, const float* b, float* out) {
  JKC_GRID_LOOP(i, total) {
    int64_t ia, ib;
    strided_offsets<I>(g, (I)i, ia, ib);
    out[i] = jk::binary_forward(OP, a[ia], b[ib]);
  }
}

// Fast paths for the common layouts, found on the merged view g: no index division per element, float4 loads and
// stores where the pointers are 16-byte aligned. Each element still goes through jk::binary_forward, so the results
// are bit-identical to binary_kernel's. An operand is read in one of these modes:
enum Mode {
  kFull,    // contiguous with out
  kScalar,  // one element for all of out
  kRow,     // a row of `cols` elements repeated over the rows (strides 0, 1)
  kCol,     // one element per row, repeated along it (strides 1, 0)
};

template <int OP>
__device__ __forceinline__ float4 apply4(float4 x, float4 y) {
  return make_float4(jk::binary_forward(OP, x.x, y.x), jk::binary_forward(OP, x.y, y.y),
                     jk::binary_forward(OP, x.z, y.z), jk::binary_forward(OP, x.w, y.w));
}

__device__ __forceinline__ float4 splat4(float v) { return make_float4(v, v, v, v); }

// A flat range of `total` elements: (kFull, kFull), (kFull, kScalar) or (kScalar, kFull). vec: the kFull pointers and
// out are 16-byte aligned; then total / 4 float4s go first and the last total % 4 elements one by one.
template <int OP, int MA, int MB>
__global__ void binary_flat_kernel(int64_t total, const float* a, const float* b, float* out, bool vec) {
  int64_t done = 0;
  if (vec) {
    const int64_t n4 = total >> 2;
    const float4* a4 = reinterpret_cast<const float4*>(a);
    const float4* b4 = reinterpret_cast<const float4*>(b);
    float4* o4 = reinterpret_cast<float4*>(out);
    const float sa = MA == kScalar ? a[0] : 0.f, sb = MB == kScalar ? b[0] : 0.f;
    JKC_GRID_LOOP(i, n4) {
      const float4 x = MA == kScalar ? splat4(sa) : a4[i];
      const float4 y = MB == kScalar ? splat4(sb) : b4[i];
      o4[i] = apply4<OP>(x, y);
    }
    done = n4 << 2;
  }
  for (int64_t i = done + blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < total;
       i += (int64_t)gridDim.x * blockDim.x)
    out[i] = jk::binary_forward(OP, a[MA == kScalar ? 0 : i], b[MB == kScalar ? 0 : i]);
}

// rows x cols, out contiguous; one operand kFull, the other kRow or kCol. Rows step over gridDim.y, columns over
// the threads of gridDim.x. vec: cols % 4 == 0 and every pointer 16-byte aligned (then each row's start is too).
template <int OP, int MA, int MB>
__global__ void binary_rows_kernel(int64_t rows, int64_t cols, const float* a, const float* b, float* out, bool vec) {
  const int64_t c0 = blockIdx.x * (int64_t)blockDim.x + threadIdx.x, cstep = (int64_t)gridDim.x * blockDim.x;
  if (vec) {
    const int64_t cols4 = cols >> 2;
    for (int64_t r = blockIdx.y; r < rows; r += gridDim.y) {
      const float4* ar = reinterpret_cast<const float4*>(a + (MA == kFull ? r * cols : 0));
      const float4* br = reinterpret_cast<const float4*>(b + (MB == kFull ? r * cols : 0));
      float4* orow = reinterpret_cast<float4*>(out + r * cols);
      const float sa = MA == kCol ? a[r] : 0.f, sb = MB == kCol ? b[r] : 0.f;
      for (int64_t c = c0; c < cols4; c += cstep) {
        const float4 x = MA == kCol ? splat4(sa) : ar[c];
        const float4 y = MB == kCol ? splat4(sb) : br[c];
        orow[c] = apply4<OP>(x, y);
      }
    }
  } else {
    for (int64_t r = blockIdx.y; r < rows; r += gridDim.y) {
      const float* ar = a + (MA == kFull ? r * cols : 0);
      const float* br = b + (MB == kFull ? r * cols : 0);
      float* orow = out + r * cols;
      for (int64_t c = c0; c < cols; c += cstep)
        orow[c] = jk::binary_forward(OP, ar[MA == kCol ? r : c], br[MB == kCol ? r : c]);
    }
  }
}

inline bool aligned16(const void* p) { return ((uintptr_t)p & 15) == 0; }

// The mode of operand k (0: a, 1: b) on a rank-1 or rank-2 view, or -1 if it has no fast path.
inline int operand_mode(const Strided& g, int k) {
  const int64_t* st = k == 0 ? g.s0 : g.s1;
  if (g.rank == 1) return st[0] == 1 ? kFull : (st[0] == 0 ? kScalar : -1);
  if (g.rank == 2) {
    if (st[0] == g.shape[1] && st[1] == 1) return kFull;
    if (st[0] == 0 && st[1] == 1) return kRow;
    if (st[0] == 1 && st[1] == 0) return kCol;
  }
  return -1;
}

template <int OP, int MA, int MB>
void launch_flat(cudaStream_t s, int64_t total, const float* a, const float* b, float* out) {
  const bool vec = aligned16(out) && (MA == kScalar || aligned16(a)) && (MB == kScalar || aligned16(b));
  const int64_t items = vec ? (total >> 2) + (total & 3) : total;
  binary_flat_kernel<OP, MA, MB><<<blocks_for(items), kThreads, 0, s>>>(total, a, b, out, vec);
}

template <int OP, int MA, int MB>
void launch_rows(cudaStream_t s, int64_t rows, int64_t cols, const float* a, const float* b, float* out) {
  const bool vec = cols % 4 == 0 && aligned16(out) && aligned16(a) && aligned16(b);
  const int64_t per_row = vec ? cols / 4 : cols;
  int64_t gx = (per_row + kThreads - 1) / kThreads;
  if (gx > 1024) gx = 1024;
  int64_t gy = 16384 / gx;  // about 4M threads in all: every SM full, a few rows each
  if (gy > rows) gy = rows;
  if (gy > 65535) gy = 65535;
  if (gy < 1) gy = 1;
  const dim3 grid((unsigned)gx, (unsigned)gy);
  binary_rows_kernel<OP, MA, MB><<<grid, kThreads, 0, s>>>(rows, cols, a, b, out, vec);
}

// Launches a fast path if g has one; false otherwise.
template <int OP>
bool launch_binary_fast(cudaStream_t s, const Strided& g, int64_t total, const float* a, const float* b,
                        float* out) {
  const int ma = operand_mode(g, 0), mb = operand_mode(g, 1);
  if (g.rank == 1) {
    if (ma == kFull && mb == kFull) launch_flat<OP, kFull, kFull>(s, total, a, b, out);
    else if (ma == kFull && mb == kScalar) launch_flat<OP, kFull, kScalar>(s, total, a, b, out);
    else if (ma == kScalar && mb == kFull) launch_flat<OP, kScalar, kFull>(s, total, a, b, out);
    else return false;
    return true;
  }
  if (g.rank == 2) {
    const int64_t rows = g.shape[0], cols = g.shape[1];
    if (ma == kFull && mb == kRow) launch_rows<OP, kFull, kRow>(s, rows, cols, a, b, out);
    else if (ma == kRow && mb == kFull) launch_rows<OP, kRow, kFull>(s, rows, cols, a, b, out);
    else if (ma == kFull && mb == kCol) launch_rows<OP, kFull, kCol>(s, rows, cols, a, b, out);
    else if (ma == kCol && mb == kFull) launch_rows<OP, kCol, kFull>(s, rows, cols, a, b, out);
    else return false;
    return true;
  }
  return false;
}

template <int OP>
void launch_binary(cudaStream_t s, const Strided& g, int64_t total, const float* a, const float* b, float* out) {
  if (launch_binary_fast<OP>(s, g, total, a, b, out)) return;
  if (total <= (int64_t)UINT32_MAX)
    binary_kernel<OP, uint32_t><<<blocks_for(total), kThreads, 0, s>>>(g, total, a, b, out);
  else
    binary_kernel<OP, uint64_t><<<blocks_for(total), kThreads, 0, s>>>(g, total, a, b, out);
}

}  // namespace

extern "C" int jkc_unary(void* stream, int op, const float* x, float* y, int64_t n, float a, float b, float c) {
  if (n < 0) return jkc_fail(JK_INVALID_ARGUMENT, "jkc_unary: negative size");
  const cudaStream_t s = as_stream(stream);
  const bool vec = aligned16(x) && aligned16(y);
  switch (op) {
#define X(OP)                                                                   \
  case OP:                                                                      \
    if (n == 0) return JK_OK;                                                   \
    unary_kernel<OP><<<blocks_for(vec ? (n + 3) / 4 : n), kThreads, 0, s>>>(x, y, n, a, b, c, vec); \
    break;
    JK_UNARY_OPS(X)
#undef X
    default: return jkc_fail(JK_INVALID_ARGUMENT, "jkc_unary: unknown unary op %d", op);
  }
  return jkc_check_launch("jkc_unary");
}

extern "C" int jkc_unary_backward(void* stream, int op, const float* x, const float* y, const float* dy, float* dx,
                                  int64_t n, float a, float b, float c) {
  if (n < 0) return jkc_fail(JK_INVALID_ARGUMENT, "jkc_unary_backward: negative size");
  const cudaStream_t s = as_stream(stream);
  const bool vec = aligned16(x) && aligned16(y) && aligned16(dy) && aligned16(dx);
  switch (op) {
#define X(OP)                                                                             \
  case OP:                                                                                \
    if (n == 0) return JK_OK;                                                             \
    unary_backward_kernel<OP><<<blocks_for(vec ? (n + 3) / 4 : n), kThreads, 0, s>>>(x, y, dy, dx, n, a, b, c, vec); \
    break;
    JK_UNARY_OPS(X)
#undef X
    default: return jkc_fail(JK_INVALID_ARGUMENT, "jkc_unary_backward: unknown unary op %d", op);
  }
  return jkc_check_launch("jkc_unary_backward");
}

extern "C" int jkc_binary(void* stream, int op, int rank, const int64_t* shape, const float* a,
                          const int64_t* a_strides, const float* b, const int64_t* b_strides, float* out) {
  if (rank < 0 || rank > JK_MAX_RANK) return jkc_fail(JK_INVALID_ARGUMENT, "jkc_binary: rank out of range");
  for (int d = 0; d < rank; ++d)
    if (shape[d] < 0) return jkc_fail(JK_INVALID_ARGUMENT, "jkc_binary: negative size");
  Strided g;
  const int64_t total = make_strided(rank, shape, a_strides, b_strides, &g);
  const cudaStream_t s = as_stream(stream);
  switch (op) {
#define X(OP) case OP: if (total == 0) return JK_OK; launch_binary<OP>(s, g, total, a, b, out); break;
    JK_BINARY_OPS(X)
#undef X
    default: return jkc_fail(JK_INVALID_ARGUMENT, "jkc_binary: unknown binary op %d", op);
  }
  return jkc_check_launch("jkc_binary");
}
