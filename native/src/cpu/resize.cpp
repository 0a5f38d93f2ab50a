#include <cstring>
#include <string>
#include <vector>
#include "common/resize.h"
#include "cpu/guard.h"
#include "jkeras/resize.h"

/* Both layouts through one kernel: an image is (outer, H, W, inner) with outer = batch and inner = channels for
 * channels_last, outer = batch * channels and inner = 1 for channels_first. */

namespace {

using Tap = jk::BilinearTap;

std::vector<Tap> taps(int64_t in, int64_t out, bool half_pixel) {
  const float scale = (float)in / (float)out;
  std::vector<Tap> t((size_t)out);
  for (int64_t o = 0; o < out; ++o) t[(size_t)o] = jk::bilinear_tap(o, in, scale, half_pixel);
  return t;
}

void validate(int64_t batch, int64_t channels, int64_t in_h, int64_t in_w, int64_t out_h, int64_t out_w) {
  const std::string problem = jk::resize_problem(batch, channels, in_h, in_w, out_h, out_w);
  if (!problem.empty()) throw jk::invalid_argument(problem);
}

}  // namespace

extern "C" int jk_resize_bilinear(const float* x, float* y, int64_t batch, int64_t channels, int64_t in_h,
                                  int64_t in_w, int64_t out_h, int64_t out_w, int channels_first,
                                  int half_pixel_centers) {
  return jk::guarded("jk_resize_bilinear", [&] {
    validate(batch, channels, in_h, in_w, out_h, out_w);
    const int64_t outer = channels_first ? batch * channels : batch, inner = channels_first ? 1 : channels;
    if (outer == 0 || inner == 0) return;
    const std::vector<Tap> ty = taps(in_h, out_h, half_pixel_centers != 0);
    const std::vector<Tap> tx = taps(in_w, out_w, half_pixel_centers != 0);
    // channels_first (inner == 1): the columns' taps as int32 so that the loop over a row vectorises with gathers
    std::vector<int32_t> left((size_t)out_w), right((size_t)out_w);
    std::vector<float> xlerp((size_t)out_w);
    for (int64_t ox = 0; ox < out_w; ++ox) {
      left[(size_t)ox] = (int32_t)tx[(size_t)ox].lower;
      right[(size_t)ox] = (int32_t)tx[(size_t)ox].upper;
      xlerp[(size_t)ox] = tx[(size_t)ox].lerp;
    }
    const int64_t total = outer * out_h * out_w * inner;
#pragma omp parallel for collapse(2) if (total > jk::kParallelGrain)
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t oy = 0; oy < out_h; ++oy) {
        const Tap& v = ty[(size_t)oy];
        const float* top = x + (o * in_h + v.lower) * in_w * inner;
        const float* bottom = x + (o * in_h + v.upper) * in_w * inner;
        float* out = y + (o * out_h + oy) * out_w * inner;
        const float yl = v.lerp;
        if (inner == 1) {
          const int32_t* l = left.data();
          const int32_t* r = right.data();
          const float* xl = xlerp.data();
#pragma omp simd
          for (int64_t ox = 0; ox < out_w; ++ox) {
            const float t = jk::lerp(top[l[ox]], top[r[ox]], xl[ox]);
            const float b = jk::lerp(bottom[l[ox]], bottom[r[ox]], xl[ox]);
            out[ox] = jk::lerp(t, b, yl);
          }
          continue;
        }
        for (int64_t ox = 0; ox < out_w; ++ox) {
          const Tap& h = tx[(size_t)ox];
          const float* tl = top + h.lower * inner;
          const float* tr = top + h.upper * inner;
          const float* bl = bottom + h.lower * inner;
          const float* br = bottom + h.upper * inner;
          float* q = out + ox * inner;
          const float xl = h.lerp;
#pragma omp simd
          for (int64_t c = 0; c < inner; ++c) {
            const float t = jk::lerp(tl[c], tr[c], xl);
            const float b = jk::lerp(bl[c], br[c], xl);
            q[c] = jk::lerp(t, b, yl);
          }
        }
      }
    }
  });
}

extern "C" int jk_resize_bilinear_backward(const float* dy, float* dx, int64_t batch, int64_t channels, int64_t in_h,
                                           int64_t in_w, int64_t out_h, int64_t out_w, int channels_first,
                                           int half_pixel_centers) {
  return jk::guarded("jk_resize_bilinear_backward", [&] {
    validate(batch, channels, in_h, in_w, out_h, out_w);
    const int64_t outer = channels_first ? batch * channels : batch, inner = channels_first ? 1 : channels;
    if (outer == 0 || inner == 0) return;
    const std::vector<Tap> ty = taps(in_h, out_h, half_pixel_centers != 0);
    const std::vector<Tap> tx = taps(in_w, out_w, half_pixel_centers != 0);
    // Gather form of TensorFlow's scatter, so that threads own whole rows of dx and need no atomics: for each
    // input row, the output rows that read it and their weights (a CSR list), and likewise for the columns. A row
    // of dx is then acc = sum over its output rows of weight * dy row (contiguous), spread over the columns.
    struct Lists {
      std::vector<int64_t> begin, index;
      std::vector<float> weight;
    };
    auto lists = [](const std::vector<Tap>& taps, int64_t in) {
      Lists l;
      l.begin.assign((size_t)in + 1, 0);
      for (const Tap& t : taps) {
        ++l.begin[(size_t)t.lower + 1];
        ++l.begin[(size_t)t.upper + 1];
      }
      for (int64_t i = 0; i < in; ++i) l.begin[(size_t)i + 1] += l.begin[(size_t)i];
      l.index.resize((size_t)l.begin[(size_t)in]);
      l.weight.resize(l.index.size());
      std::vector<int64_t> at(l.begin.begin(), l.begin.end() - 1);
      for (size_t o = 0; o < taps.size(); ++o) {
        const Tap& t = taps[o];
        l.index[(size_t)at[(size_t)t.lower]] = (int64_t)o;
        l.weight[(size_t)at[(size_t)t.lower]++] = 1.f - t.lerp;
        l.index[(size_t)at[(size_t)t.upper]] = (int64_t)o;
        l.weight[(size_t)at[(size_t)t.upper]++] = t.lerp;
      }
      return l;
    };
    const Lists rows = lists(ty, in_h), cols = lists(tx, in_w);
    const int64_t total = outer * out_h * out_w * inner;
    const int64_t row = out_w * inner;
#pragma omp parallel if (total > jk::kParallelGrain)
    {
      std::vector<float> acc((size_t)row);
#pragma omp for collapse(2)
      for (int64_t o = 0; o < outer; ++o) {
        for (int64_t iy = 0; iy < in_h; ++iy) {
          float* a = acc.data();
          std::memset(a, 0, sizeof(float) * (size_t)row);
          for (int64_t e = rows.begin[(size_t)iy]; e < rows.begin[(size_t)iy + 1]; ++e) {
            const float wy = rows.weight[(size_t)e];
            const float* g = dy + (o * out_h + rows.index[(size_t)e]) * row;
#pragma omp simd
            for (int64_t i = 0; i < row; ++i) a[i] += g[i] * wy;
          }
          float* d = dx + (o * in_h + iy) * in_w * inner;
          if (inner == 1) {
            for (int64_t ix = 0; ix < in_w; ++ix) {
              float s = 0.f;
              for (int64_t f = cols.begin[(size_t)ix]; f < cols.begin[(size_t)ix + 1]; ++f)
                s += a[cols.index[(size_t)f]] * cols.weight[(size_t)f];
              d[ix] = s;
            }
            continue;
          }
          for (int64_t ix = 0; ix < in_w; ++ix) {
            float* q = d + ix * inner;
            for (int64_t c = 0; c < inner; ++c) q[c] = 0.f;
            for (int64_t f = cols.begin[(size_t)ix]; f < cols.begin[(size_t)ix + 1]; ++f) {
              const float wx = cols.weight[(size_t)f];
              const float* p = a + cols.index[(size_t)f] * inner;
#pragma omp simd
              for (int64_t c = 0; c < inner; ++c) q[c] += p[c] * wx;
            }
          }
        }
      }
    }
  });
}
