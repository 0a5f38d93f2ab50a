/* The check of a pooling descriptor, shared by the CPU and CUDA entry points so that both refuse the same
 * descriptors with the same message. */
#ifndef JKERAS_COMMON_POOL_DESC_H
#define JKERAS_COMMON_POOL_DESC_H
#include <string>
#include "jkeras/pool.h"

namespace jk {

/* Why d is refused, or "" when it is valid. */
inline std::string pool_desc_problem(const jk_pool_desc& d) {
  if (d.spatial < 1 || d.spatial > 3) return "spatial must be 1, 2 or 3";
  if (d.algorithm != JK_POOL_MAX && d.algorithm != JK_POOL_AVG)
    return "algorithm must be JK_POOL_MAX or JK_POOL_AVG";
  if (d.batch < 0 || d.channels < 0) return "batch and channels must not be negative";
  for (int i = 0; i < d.spatial; ++i) {
    if (d.in_size[i] <= 0 || d.out_size[i] <= 0 || d.kernel[i] <= 0) return "spatial sizes must be positive";
    if (d.stride[i] <= 0) return "strides must be positive";
    if (d.pad_begin[i] < 0 || d.pad_end[i] < 0 || d.pad_begin[i] >= d.kernel[i] || d.pad_end[i] >= d.kernel[i])
      return "spatial axis " + std::to_string(i) + ": padding " + std::to_string(d.pad_begin[i]) + "/" +
             std::to_string(d.pad_end[i]) + " must be >= 0 and smaller than the window " + std::to_string(d.kernel[i]);
    const int64_t expected = (d.in_size[i] + d.pad_begin[i] + d.pad_end[i] - d.kernel[i]) / d.stride[i] + 1;
    if (d.in_size[i] + d.pad_begin[i] + d.pad_end[i] < d.kernel[i] || expected != d.out_size[i])
      return "spatial axis " + std::to_string(i) + ": input " + std::to_string(d.in_size[i]) + ", window " +
             std::to_string(d.kernel[i]) + ", stride " + std::to_string(d.stride[i]) + " and padding " +
             std::to_string(d.pad_begin[i]) + "/" + std::to_string(d.pad_end[i]) + " do not give " +
             std::to_string(d.out_size[i]) + " outputs";
  }
  return "";
}

}  // namespace jk
#endif
