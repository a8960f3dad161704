//===- WeightQuantization.h - quantizing constant weights -------*- C++ -*-===//
//
// The numerics of transformer-quantize, on plain arrays (unit-tested on
// their own): symmetric per-output-channel int8 and group-wise int4
// (symmetric, or asymmetric with zero points) of a weight matrix laid out
// [N, K] (output channel major, the layout of transformer.quantized_linear).
//
// Rounding is half to even (as ONNX QuantizeLinear); values are computed
// with the scale as it is stored (f16 scales are rounded to f16 first), so
// dequantize(quantize(w)) uses exactly the scales the model holds.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_DIALECTS_TRANSFORMER_TRANSFORMS_WEIGHTQUANTIZATION_H
#define LLM_DIALECTS_TRANSFORMER_TRANSFORMS_WEIGHTQUANTIZATION_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <vector>

namespace mlir {
namespace llm {
namespace transformer {

struct QuantizedWeights {
  /// [N, K] row-major, one value per byte (also for 4 bits).
  std::vector<int8_t> values;
  /// [N] (per channel) or [N, groups] (group-wise).
  std::vector<float> scales;
  /// Empty (symmetric) or the scales' shape (unsigned 4-bit zero points).
  std::vector<uint8_t> zeroPoints;
};

/// Symmetric int8 per output channel: scale[n] = max_k |w[n, k]| / 127,
/// q = round(w / scale) in [-127, 127]. An all-zero channel gets scale 1.
QuantizedWeights quantizeInt8PerChannel(llvm::ArrayRef<float> weights,
                                        int64_t n, int64_t k);

/// Group-wise 4-bit over `groupSize` consecutive k of each channel (the last
/// group may be partial): groups = ceil(k / groupSize).
/// - symmetric: scale = max |w| / 7, q = round(w / scale) in [-8, 7];
/// - asymmetric: the range [min, max] widened to include 0,
///   scale = (max - min) / 15, zero point = round(-min / scale) in [0, 15],
///   q = round(w / scale) + zero point in [0, 15].
/// `halfScales`: scales are rounded to f16 (and used rounded).
QuantizedWeights quantizeInt4Grouped(llvm::ArrayRef<float> weights, int64_t n,
                                     int64_t k, int64_t groupSize,
                                     bool asymmetric, bool halfScales);

/// Rounds to the nearest f16 value (round half to even), as a float.
float roundToHalf(float value);

} // namespace transformer
} // namespace llm
} // namespace mlir

#endif // LLM_DIALECTS_TRANSFORMER_TRANSFORMS_WEIGHTQUANTIZATION_H
