//===- Numerics.cpp - NPU number formats and conversions -----------------===//
//
// bfloat16 and saturating integer conversions as the NPU's vector unit
// performs them (docs/npu.md, "Numerics").
//
//===----------------------------------------------------------------------===//

#include "llm/Target/NPU/Numerics.h"

#include <cmath>
#include <cstring>

using namespace mlir::llm::npu;

uint16_t mlir::llm::npu::floatToBF16(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  if (std::isnan(value))
    return static_cast<uint16_t>((bits >> 16) | 0x40);
  uint32_t rounding = 0x7fff + ((bits >> 16) & 1);
  return static_cast<uint16_t>((bits + rounding) >> 16);
}

float mlir::llm::npu::bf16ToFloat(uint16_t bits) {
  uint32_t wide = uint32_t(bits) << 16;
  float f;
  std::memcpy(&f, &wide, sizeof(f));
  return f;
}

int8_t mlir::llm::npu::floatToI8(float value) {
  if (std::isnan(value))
    return 0;
  float r = std::nearbyint(value);
  if (r <= -128.0f)
    return -128;
  if (r >= 127.0f)
    return 127;
  return static_cast<int8_t>(r);
}

int32_t mlir::llm::npu::floatToI32(float value) {
  if (std::isnan(value))
    return 0;
  double r = std::nearbyint(static_cast<double>(value));
  if (r <= -2147483648.0)
    return INT32_MIN;
  if (r >= 2147483647.0)
    return INT32_MAX;
  return static_cast<int32_t>(r);
}
