//===- KernelArith.h - arith shorthands for hand-built GPU kernels -------===//
//
// The index and f32 arithmetic the hand-built GPU kernels write at every
// step (the attention kernels of convert-transformer-to-gpu, the norm
// kernels of convert-transformer-norms-to-gpu, llm-gpu-matmul's kernels),
// as short member functions on a builder and a location, and the
// butterfly reduction across lanes (gpu.shuffle xor) they share.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_CONVERSION_GPUCOMMON_KERNELARITH_H
#define LLM_CONVERSION_GPUCOMMON_KERNELARITH_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/Builders.h"

#include <limits>

namespace mlir::llm {

/// Creates arith (and gpu.shuffle) ops at `b`'s insertion point with
/// location `loc`.
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

  /// f32 arithmetic.
  Value addF(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value subF(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value mulF(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value maxF(Value x, Value y) {
    return arith::MaximumFOp::create(b, loc, x, y);
  }
  /// `max(x, y)` when `isMax`, else `x + y` (the combine of a row max or sum).
  Value maxOrAdd(Value x, Value y, bool isMax) {
    return isMax ? maxF(x, y) : addF(x, y);
  }
  /// `v` as f32: extended unless it is f32 (f16/bf16 kernel operands).
  Value toF32(Value v) {
    Type f32 = b.getF32Type();
    return v.getType() == f32 ? v : arith::ExtFOp::create(b, loc, f32, v);
  }
  /// The f32 `v` as `element`: truncated unless `element` is f32.
  Value fromF32(Value v, Type element) {
    return element.isF32() ? v : arith::TruncFOp::create(b, loc, element, v);
  }

  /// The max (`isMax`) or sum of `v` over lanes: for each offset in turn, `v`
  /// combined with `v` of lane `lane ^ offset` (gpu.shuffle xor, width 32).
  Value xorShuffleReduce(Value v, ArrayRef<int32_t> offsets, bool isMax) {
    for (int32_t offset : offsets) {
      Value other = gpu::ShuffleOp::create(b, loc, v, offset, /*width=*/32,
                                           gpu::ShuffleMode::XOR)
                        .getShuffleResult();
      v = maxOrAdd(v, other, isMax);
    }
    return v;
  }

  OpBuilder &b;
  Location loc;
};

} // namespace mlir::llm

#endif // LLM_CONVERSION_GPUCOMMON_KERNELARITH_H
