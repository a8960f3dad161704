//===- Numerics.h - NPU number formats and conversions ----------*- C++ -*-===//
//
// The conversions the NPU performs (docs/npu.md, "Numerics"), shared by the
// simulator, the assembler's data directives and the tests: bfloat16 with
// round-to-nearest-even, and saturating float -> integer conversion with
// round-to-nearest-even (NaN converts to 0).
//
//===----------------------------------------------------------------------===//

#ifndef LLM_TARGET_NPU_NUMERICS_H
#define LLM_TARGET_NPU_NUMERICS_H

#include <cstdint>

namespace mlir {
namespace llm {
namespace npu {

/// f32 -> bf16 bits, round to nearest even; NaN stays a (quiet) NaN.
uint16_t floatToBF16(float value);
/// bf16 bits -> f32 (exact).
float bf16ToFloat(uint16_t bits);
/// f32 -> i8 / i32: round to nearest even, saturate; NaN -> 0.
int8_t floatToI8(float value);
int32_t floatToI32(float value);

} // namespace npu
} // namespace llm
} // namespace mlir

#endif // LLM_TARGET_NPU_NUMERICS_H
