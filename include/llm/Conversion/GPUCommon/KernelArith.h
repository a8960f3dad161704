//===- KernelArith.h - arith shorthands for hand-built GPU kernels -------===//
//
// The index and f32 arithmetic the hand-built GPU kernels write at every
// step (the attention kernels of convert-transformer-to-gpu, the norm
// kernels of convert-transformer-norms-to-gpu, llm-gpu-matmul's kernels),
// as short member functions on a builder and a location.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_CONVERSION_GPUCOMMON_KERNELARITH_H
#define LLM_CONVERSION_GPUCOMMON_KERNELARITH_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"

#include <limits>

namespace mlir::llm {

/// Creates arith ops at `b`'s insertion point with location `loc`.
class KernelArith {
public:
  KernelArith(OpBuilder &b, Location loc) : b(b), loc(loc) {}

  /// An index constant.
  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  /// An f32 constant.
  Value f32Const(double v) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
  }
  /// -inf as f32.
  Value negInf() { return f32Const(-std::numeric_limits<double>::infinity()); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  /// Unsigned `x / y` and `x % y` by a constant.
  Value divU(Value x, int64_t y) {
    return arith::DivUIOp::create(b, loc, x, index(y));
  }
  Value remU(Value x, int64_t y) {
    return arith::RemUIOp::create(b, loc, x, index(y));
  }
  /// Unsigned `ceil(x / y)` by a constant.
  Value ceilDivU(Value x, int64_t y) { return divU(add(x, index(y - 1)), y); }
  /// Unsigned `min(x, y)`.
  Value minU(Value x, Value y) { return arith::MinUIOp::create(b, loc, x, y); }
  /// Unsigned `x < y`.
  Value ult(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, x, y);
  }

  OpBuilder &b;
  Location loc;
};

} // namespace mlir::llm

#endif // LLM_CONVERSION_GPUCOMMON_KERNELARITH_H
