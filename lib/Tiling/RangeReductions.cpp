//===- RangeReductions.cpp - vector row min/max of dynamic quantization ---===//
//
// `transformer.dynamic_quantize {axis = -1}` (int8-dynamic's per-token
// activation quantization) lowers to a reduction generic that takes, per
// row, the minimum and maximum (or the maximum of |x| for the symmetric
// form) of its input:
//
//   linalg.generic {iterator_types = [parallel, ..., reduction]}
//       ins(%x : memref<1x128x768xf32>)
//       outs(%lo, %hi : memref<1x128xf32>, memref<1x128xf32>) {
//     yield (arith.minimumf %in, %lo), (arith.maximumf %in, %hi)
//   }
//
// The elementwise vectorizer leaves reductions alone, so this ran as scalar
// code with NaN checks per element: a quarter of the int8-dynamic GPT-2
// block's time. rewriteRangeReduction emits it as vector code: per row,
// one vector accumulator per output starting at the output's value, a
// vector min/max per `lanes` elements (the last partial vector masked, its
// padding lanes set to the starting value), then a horizontal
// `vector.reduction`. minimumf / maximumf are exact and order-independent
// (NaN propagates, -0 < +0), so the result is bitwise the scalar loop's.
//
// With threads, the loop over the rows (the last dim before the reduced
// one; batch dims stay sequential loops around it) is an scf.forall with
// one iteration per row, which the OpenMP stage runs as a static
// worksharing loop (contiguous blocks of rows per thread). Each row is
// reduced by one thread in the same order, so results do not depend on the
// thread count. As for the kernels, the split needs the cost model's
// minimum work per thread (`worthThreads`, one vector load and min/max per
// `lanes` elements); a dynamic row count is always split.
//
//===----------------------------------------------------------------------===//

#include "Int8Kernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::llm;
using namespace mlir::llm::int8;

namespace {

/// One output of the reduction: out = combine(abs?(in), out).
struct RangeOutput {
  vector::CombiningKind kind;
  bool abs = false;
};

/// The outputs of `op` if it is a last-dim min/max reduction of one f32
/// input read at the identity into outputs indexed by the other dims.
std::optional<SmallVector<RangeOutput>> matchRange(linalg::GenericOp op) {
  if (!isLastDimReduction(op) || op.getNumDpsInputs() != 1 ||
      op.getNumDpsInits() < 1)
    return std::nullopt;
  unsigned rank = op.getNumLoops();
  MLIRContext *ctx = op.getContext();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (maps[0] != AffineMap::getMultiDimIdentityMap(rank, ctx))
    return std::nullopt;
  AffineMap rowMap = AffineMap::getMultiDimIdentityMap(rank, ctx).dropResult(
      rank - 1);
  for (unsigned i = 1; i < maps.size(); ++i)
    if (maps[i] != rowMap)
      return std::nullopt;
  for (Value operand : op->getOperands()) {
    auto type = dyn_cast<MemRefType>(operand.getType());
    if (!type || !type.getElementType().isF32())
      return std::nullopt;
  }
  auto inType = cast<MemRefType>(op.getDpsInputs()[0].getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(inType.getStridesAndOffset(strides, offset)) ||
      strides.back() != 1)
    return std::nullopt;

  Block *body = op.getBody();
  Value in = body->getArgument(0);
  SmallVector<RangeOutput> outputs;
  Operation *yield = body->getTerminator();
  unsigned expectedOps = 0;
  for (auto [i, yielded] : llvm::enumerate(yield->getOperands())) {
    Value out = body->getArgument(1 + i);
    Operation *combine = yielded.getDefiningOp();
    if (!combine || combine->getBlock() != body ||
        combine->getNumOperands() != 2 || !combine->hasOneUse())
      return std::nullopt;
    RangeOutput result;
    if (isa<arith::MinimumFOp>(combine))
      result.kind = vector::CombiningKind::MINIMUMF;
    else if (isa<arith::MaximumFOp>(combine))
      result.kind = vector::CombiningKind::MAXIMUMF;
    else
      return std::nullopt;
    Value lhs = combine->getOperand(0), rhs = combine->getOperand(1);
    Value other = lhs == out ? rhs : lhs;
    if ((lhs == out) == (rhs == out))
      return std::nullopt;
    ++expectedOps;
    if (auto abs = other.getDefiningOp<math::AbsFOp>()) {
      if (abs->getBlock() != body || abs.getOperand() != in ||
          !abs->hasOneUse())
        return std::nullopt;
      result.abs = true;
      ++expectedOps;
    } else if (other != in) {
      return std::nullopt;
    }
    outputs.push_back(result);
  }
  if (static_cast<unsigned>(std::distance(body->begin(), body->end())) !=
      expectedOps + 1)
    return std::nullopt;
  return outputs;
}

Value combine(OpBuilder &b, Location loc, vector::CombiningKind kind,
              Value x, Value y) {
  if (kind == vector::CombiningKind::MINIMUMF)
    return arith::MinimumFOp::create(b, loc, x, y);
  return arith::MaximumFOp::create(b, loc, x, y);
}

} // namespace

bool int8::rewriteRangeReduction(linalg::GenericOp op, int64_t lanes,
                                 int64_t threads, int64_t minCycles) {
  std::optional<SmallVector<RangeOutput>> outputs = matchRange(op);
  if (!outputs)
    return false;
  OpBuilder b(op);
  Location loc = op.getLoc();
  Value input = op.getDpsInputs()[0];
  unsigned rank = op.getNumLoops();
  auto inType = cast<MemRefType>(input.getType());
  int64_t cols = inType.getDimSize(rank - 1);
  bool parallel =
      rank >= 2 && (ShapedType::isDynamic(cols)
                        ? threads > 1
                        : worthThreads(inType.getDimSize(rank - 2), cols, 1,
                                       lanes, threads, minCycles));
  auto vecType = VectorType::get({lanes}, b.getF32Type());
  auto maskType = VectorType::get({lanes}, b.getI1Type());
  Value size = memref::DimOp::create(b, loc, input, rank - 1);
  Value full = arith::SubIOp::create(
      b, loc, size, arith::RemUIOp::create(b, loc, size, cst(b, loc, lanes)));
  auto upperBound = [&](OpBuilder &rb, Location rl, unsigned dim) -> Value {
    return memref::DimOp::create(rb, rl, input, dim);
  };
  auto emitRow = [&](OpBuilder &rb, Location rl, ValueRange rowIndices) {
    SmallVector<Value> rows(rowIndices);
    SmallVector<Value> inits, accs;
    for (Value out : op.getDpsInits()) {
      Value init = memref::LoadOp::create(rb, rl, out, rows);
      inits.push_back(vector::BroadcastOp::create(rb, rl, vecType, init));
    }
    auto index = [&](Value col) {
      SmallVector<Value> idx(rows);
      idx.push_back(col);
      return idx;
    };
    auto step = [&](OpBuilder &sb, Location sl, Value x, ValueRange in,
                    Value mask) {
      SmallVector<Value> next;
      Value absX;
      for (auto [i, out] : llvm::enumerate(*outputs)) {
        Value term = x;
        if (out.abs) {
          if (!absX)
            absX = math::AbsFOp::create(sb, sl, x);
          term = absX;
        }
        if (mask)
          term = arith::SelectOp::create(sb, sl, mask, term, inits[i]);
        next.push_back(combine(sb, sl, out.kind, in[i], term));
      }
      return next;
    };
    auto loop = scf::ForOp::create(
        rb, rl, cst(rb, rl, 0), full, cst(rb, rl, lanes), inits,
        [&](OpBuilder &lb, Location ll, Value col, ValueRange in) {
          Value x = vector::LoadOp::create(lb, ll, vecType, input, index(col));
          scf::YieldOp::create(lb, ll, step(lb, ll, x, in, Value()));
        });
    accs.assign(loop.getResults().begin(), loop.getResults().end());
    // The last size % lanes elements, masked.
    Value rest = arith::SubIOp::create(rb, rl, size, full);
    Value mask =
        vector::CreateMaskOp::create(rb, rl, maskType, ValueRange{rest});
    Value zero = arith::ConstantOp::create(
        rb, rl, DenseElementsAttr::get(vecType, rb.getF32FloatAttr(0)));
    Value x = vector::MaskedLoadOp::create(rb, rl, vecType, input, index(full),
                                           mask, zero);
    accs = step(rb, rl, x, accs, mask);
    for (auto [i, out] : llvm::enumerate(op.getDpsInits())) {
      Value r =
          vector::ReductionOp::create(rb, rl, (*outputs)[i].kind, accs[i]);
      memref::StoreOp::create(rb, rl, r, out, rows);
    }
  };
  buildRowLoops(b, loc, rank, parallel, upperBound, emitRow);
  op.erase();
  return true;
}
