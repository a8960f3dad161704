//===- WeightQuantization.cpp - quantizing constant weights ---------------===//

#include "Transformer/Transforms/WeightQuantization.h"

#include "llvm/ADT/APFloat.h"

#include <algorithm>
#include <cmath>

using namespace mlir::llm::transformer;

float mlir::llm::transformer::roundToHalf(float value) {
  llvm::APFloat f(value);
  // Scales are positive: keep them positive (the smallest f16 subnormal)
  // rather than rounding tiny ones to 0.
  if (value > 0 && value < std::ldexp(1.0f, -24))
    return std::ldexp(1.0f, -24);
  bool losesInfo = false;
  f.convert(llvm::APFloat::IEEEhalf(), llvm::APFloat::rmNearestTiesToEven,
            &losesInfo);
  f.convert(llvm::APFloat::IEEEsingle(), llvm::APFloat::rmNearestTiesToEven,
            &losesInfo);
  return f.convertToFloat();
}

/// Round half to even (the default floating-point environment's mode).
static float roundEven(float x) { return std::nearbyint(x); }

static int8_t clampToInt(float x, int lo, int hi) {
  return static_cast<int8_t>(
      std::min<float>(std::max<float>(x, static_cast<float>(lo)),
                      static_cast<float>(hi)));
}

QuantizedWeights mlir::llm::transformer::quantizeInt8PerChannel(
    llvm::ArrayRef<float> weights, int64_t n, int64_t k) {
  QuantizedWeights q;
  q.values.resize(static_cast<size_t>(n * k));
  q.scales.resize(static_cast<size_t>(n));
  for (int64_t row = 0; row < n; ++row) {
    llvm::ArrayRef<float> w = weights.slice(row * k, k);
    float amax = 0;
    for (float v : w)
      amax = std::max(amax, std::fabs(v));
    float scale = amax > 0 ? amax / 127.0f : 1.0f;
    q.scales[row] = scale;
    for (int64_t i = 0; i < k; ++i)
      q.values[row * k + i] = clampToInt(roundEven(w[i] / scale), -127, 127);
  }
  return q;
}

QuantizedWeights mlir::llm::transformer::quantizeInt4Grouped(
    llvm::ArrayRef<float> weights, int64_t n, int64_t k, int64_t groupSize,
    bool asymmetric, bool halfScales) {
  int64_t groups = (k + groupSize - 1) / groupSize;
  QuantizedWeights q;
  q.values.resize(static_cast<size_t>(n * k));
  q.scales.resize(static_cast<size_t>(n * groups));
  if (asymmetric)
    q.zeroPoints.resize(static_cast<size_t>(n * groups));
  for (int64_t row = 0; row < n; ++row) {
    for (int64_t g = 0; g < groups; ++g) {
      int64_t begin = g * groupSize, end = std::min(k, begin + groupSize);
      llvm::ArrayRef<float> w = weights.slice(row * k + begin, end - begin);
      float lo = 0, hi = 0;
      for (float v : w) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
      float scale;
      int zeroPoint = 0;
      if (asymmetric) {
        scale = hi > lo ? (hi - lo) / 15.0f : 1.0f;
        if (halfScales)
          scale = roundToHalf(scale);
        zeroPoint = static_cast<int>(
            std::min(15.0f, std::max(0.0f, roundEven(-lo / scale))));
        q.zeroPoints[row * groups + g] = static_cast<uint8_t>(zeroPoint);
      } else {
        float amax = std::max(-lo, hi);
        scale = amax > 0 ? amax / 7.0f : 1.0f;
        if (halfScales)
          scale = roundToHalf(scale);
      }
      q.scales[row * groups + g] = scale;
      for (int64_t i = begin; i < end; ++i) {
        float v = roundEven(weights[row * k + i] / scale) + zeroPoint;
        q.values[row * k + i] =
            asymmetric ? clampToInt(v, 0, 15) : clampToInt(v, -8, 7);
      }
    }
  }
  return q;
}
