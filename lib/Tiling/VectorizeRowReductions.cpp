//===- VectorizeRowReductions.cpp - --llm-vectorize-row-reductions --------===//
//
// Vector code for the last-dim reductions of normalizations and softmax
// (see Passes.td). The elementwise vectorizer leaves reductions alone, so the
// sums of LayerNorm / RMSNorm (mean, variance) and of flash attention's
// softmax denominator ran as scalar loops: one dependent add per element.
// Here each row becomes a loop over vectors of one register of lanes with a
// vector accumulator:
//
//   acc = splat(identity)                     (0, -inf or +inf)
//   for j in [0, full) step lanes:            (full = size - size % lanes)
//     acc = combine(acc, term(vector loads at j, per-row splats))
//   acc = combine(acc, mask ? term(masked loads at full) : identity)
//   out[row] = reduce(acc, out[row])          (vector.reduction)
//
// where `term` is the generic's body up to its final combine, cloned on
// vectors. The order of the additions is not the scalar loop's, so sums
// differ from it by rounding (a few ulp of the row's magnitude); it depends
// only on the row's size, so results are the same for any thread count.
//
//===----------------------------------------------------------------------===//

// int8::cst, mapIndices, hasContiguousRows: generic index helpers.
#include "Int8Kernels.h"
#include "TilingUtils.h"

#include "llm/Tiling/Passes.h"
#include "llm/Tiling/TargetDescription.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"

#include <limits>

namespace mlir::llm {
#define GEN_PASS_DEF_LLMVECTORIZEROWREDUCTIONSPASS
#include "llm/Tiling/Passes.h.inc"

namespace {

/// A matched row reduction: its combining kind and final combine op, and
/// for each input whether it is read along the row (else once per row).
struct RowReduction {
  vector::CombiningKind kind;
  Operation *combine;
  SmallVector<bool> alongRow;
};

/// Matches the generics the pass rewrites (see Passes.td).
std::optional<RowReduction> matchRowReduction(linalg::GenericOp op) {
  if (!isLastDimReduction(op) || op.getNumDpsInits() != 1)
    return std::nullopt;
  unsigned rank = op.getNumLoops();
  Value out = op.getDpsInits()[0];
  Type elementType = getElementTypeOrSelf(out.getType());
  if (!isa<Float32Type, Float64Type>(elementType))
    return std::nullopt;
  for (Value operand : op->getOperands())
    if (!isa<MemRefType>(operand.getType()) ||
        getElementTypeOrSelf(operand.getType()) != elementType)
      return std::nullopt;
  MLIRContext *ctx = op.getContext();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (maps.back() != identity.dropResult(rank - 1))
    return std::nullopt;

  RowReduction match;
  for (auto [i, input] : llvm::enumerate(op.getDpsInputs())) {
    AffineMap map = maps[i];
    if (map == identity) {
      if (!int8::hasContiguousRows(input))
        return std::nullopt;
      match.alongRow.push_back(true);
      continue;
    }
    // Read once per row: the reduction dim does not appear.
    if (map.isFunctionOfDim(rank - 1) ||
        !llvm::all_of(map.getResults(), [](AffineExpr e) {
          return isa<AffineDimExpr, AffineConstantExpr>(e);
        }))
      return std::nullopt;
    match.alongRow.push_back(false);
  }

  Block *body = op.getBody();
  for (Operation &inner : body->without_terminator())
    if (!isa<arith::ArithDialect, math::MathDialect>(inner.getDialect()) ||
        inner.getNumRegions() != 0)
      return std::nullopt;
  BlockArgument outArg = body->getArguments().back();
  Operation *combine = body->getTerminator()->getOperand(0).getDefiningOp();
  if (!combine || combine->getBlock() != body || !combine->hasOneUse() ||
      !outArg.hasOneUse() || *outArg.getUsers().begin() != combine)
    return std::nullopt;
  if (isa<arith::AddFOp>(combine))
    match.kind = vector::CombiningKind::ADD;
  else if (isa<arith::MaximumFOp>(combine))
    match.kind = vector::CombiningKind::MAXIMUMF;
  else if (isa<arith::MinimumFOp>(combine))
    match.kind = vector::CombiningKind::MINIMUMF;
  else
    return std::nullopt;
  if (combine->getOperand(0) == combine->getOperand(1))
    return std::nullopt;
  match.combine = combine;
  return match;
}

/// The neutral element of `kind`.
double identityOf(vector::CombiningKind kind) {
  if (kind == vector::CombiningKind::MAXIMUMF)
    return -std::numeric_limits<double>::infinity();
  if (kind == vector::CombiningKind::MINIMUMF)
    return std::numeric_limits<double>::infinity();
  return 0.0;
}

Value combineValues(OpBuilder &b, Location loc, vector::CombiningKind kind,
                    Value x, Value y) {
  if (kind == vector::CombiningKind::MAXIMUMF)
    return arith::MaximumFOp::create(b, loc, x, y);
  if (kind == vector::CombiningKind::MINIMUMF)
    return arith::MinimumFOp::create(b, loc, x, y);
  return arith::AddFOp::create(b, loc, x, y);
}

/// Rewrites `op` (matched as `match`) into the row loops of the file
/// comment.
void rewriteRowReduction(linalg::GenericOp op, const RowReduction &match,
                         int64_t lanes) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  unsigned rank = op.getNumLoops();
  Value out = op.getDpsInits()[0];
  Type elementType = getElementTypeOrSelf(out.getType());
  auto vecType = VectorType::get({lanes}, elementType);
  auto maskType = VectorType::get({lanes}, b.getI1Type());
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  SmallVector<Range> ranges =
      cast<linalg::LinalgOp>(op.getOperation()).createLoopRanges(b, loc);
  auto valueOf = [&](OpFoldResult ofr) {
    return getValueOrCreateConstantIndexOp(b, loc, ofr);
  };
  Value size = valueOf(ranges.back().size);
  Value full = arith::SubIOp::create(
      b, loc, size,
      arith::RemUIOp::create(b, loc, size, int8::cst(b, loc, lanes)));
  Block *body = op.getBody();
  Value term = match.combine->getOperand(0) == body->getArguments().back()
                   ? match.combine->getOperand(1)
                   : match.combine->getOperand(0);
  double neutral = identityOf(match.kind);
  // Sums are reassociated (a tree instead of a chain of lane adds).
  arith::FastMathFlags reduceFlags = match.kind == vector::CombiningKind::ADD
                                         ? arith::FastMathFlags::reassoc
                                         : arith::FastMathFlags::none;

  SmallVector<Value> loops;
  // `term` on vectors for the elements starting at `col` (mask: the valid
  // lanes of the last, partial vector).
  // `identity`: the splat of the combining identity (for masked-off lanes),
  // `padding`: zeros for the masked loads.
  auto emitTerm = [&](OpBuilder &tb, Location tl, Value col, Value mask,
                      Value identity, Value padding,
                      IRMapping mapping) -> Value {
    SmallVector<Value> idx(loops);
    idx.push_back(col);
    for (auto [i, input] : llvm::enumerate(op.getDpsInputs())) {
      if (!match.alongRow[i])
        continue;
      Value loaded;
      if (mask) {
        loaded = vector::MaskedLoadOp::create(tb, tl, vecType, input, idx, mask,
                                              padding);
      } else {
        loaded = vector::LoadOp::create(tb, tl, vecType, input, idx);
      }
      mapping.map(body->getArgument(i), loaded);
    }
    for (Operation &inner : body->without_terminator()) {
      if (&inner == match.combine)
        continue;
      if (auto constant = dyn_cast<arith::ConstantOp>(inner)) {
        auto attr = cast<TypedAttr>(constant.getValue());
        auto type = VectorType::get({lanes}, attr.getType());
        mapping.map(constant.getResult(),
                    arith::ConstantOp::create(
                        tb, tl, DenseElementsAttr::get(type, attr)));
        continue;
      }
      Operation *clone = tb.clone(inner, mapping);
      for (Value result : clone->getResults())
        result.setType(VectorType::get({lanes}, result.getType()));
    }
    Value value = mapping.lookup(term);
    if (mask)
      value = arith::SelectOp::create(tb, tl, mask, value, identity);
    return value;
  };

  auto upperBound = [&](OpBuilder &rb, Location rl, unsigned dim) {
    return getValueOrCreateConstantIndexOp(rb, rl, ranges[dim].size);
  };
  auto emitRow = [&](OpBuilder &rb, Location rl, ValueRange rows) {
    loops.assign(rows.begin(), rows.end());
    // Per-row values: inputs read once per row and scalars defined
    // outside the body, as splats.
    IRMapping rowMapping;
    SmallVector<Value> rowLoops(loops);
    rowLoops.push_back(int8::cst(rb, rl, 0));
    for (auto [i, input] : llvm::enumerate(op.getDpsInputs())) {
      if (match.alongRow[i])
        continue;
      Value scalar = memref::LoadOp::create(
          rb, rl, input, int8::mapIndices(rb, rl, maps[i], rowLoops));
      rowMapping.map(body->getArgument(i),
                     vector::BroadcastOp::create(rb, rl, vecType, scalar));
    }
    for (Operation &inner : body->without_terminator())
      for (Value operand : inner.getOperands())
        if (operand.getParentBlock() != body && !rowMapping.contains(operand))
          rowMapping.map(
              operand, vector::BroadcastOp::create(
                           rb, rl, VectorType::get({lanes}, operand.getType()),
                           operand));
    Value identity = arith::ConstantOp::create(
        rb, rl,
        DenseElementsAttr::get(vecType, rb.getFloatAttr(elementType, neutral)));
    Value padding = arith::ConstantOp::create(
        rb, rl,
        DenseElementsAttr::get(vecType, rb.getFloatAttr(elementType, 0.0)));
    auto loop = scf::ForOp::create(
        rb, rl, int8::cst(rb, rl, 0), full, int8::cst(rb, rl, lanes),
        ValueRange{identity},
        [&](OpBuilder &lb, Location ll, Value col, ValueRange acc) {
          Value value =
              emitTerm(lb, ll, col, Value(), identity, padding, rowMapping);
          scf::YieldOp::create(
              lb, ll, combineValues(lb, ll, match.kind, acc[0], value));
        });
    Value rest = arith::SubIOp::create(rb, rl, size, full);
    Value mask =
        vector::CreateMaskOp::create(rb, rl, maskType, ValueRange{rest});
    Value tail = emitTerm(rb, rl, full, mask, identity, padding, rowMapping);
    Value acc = combineValues(rb, rl, match.kind, loop.getResult(0), tail);
    SmallVector<Value> outIdx = int8::mapIndices(rb, rl, maps.back(), rowLoops);
    Value init = memref::LoadOp::create(rb, rl, out, outIdx);
    Value reduced =
        vector::ReductionOp::create(rb, rl, match.kind, acc, init, reduceFlags);
    memref::StoreOp::create(rb, rl, reduced, out, outIdx);
  };
  buildRowLoops(b, loc, rank, /*parallelRows=*/false, upperBound, emitRow);
  op.erase();
}

struct VectorizeRowReductionsPass
    : impl::LLMVectorizeRowReductionsPassBase<VectorizeRowReductionsPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    FailureOr<TargetDescription> target = resolvePassTarget(
        func, "llm-vectorize-row-reductions", cpu, targetDesc);
    if (failed(target))
      return signalPassFailure();
    SmallVector<std::pair<linalg::GenericOp, RowReduction>> ops;
    func.walk([&](linalg::GenericOp op) {
      if (std::optional<RowReduction> match = matchRowReduction(op))
        ops.emplace_back(op, *match);
    });
    for (auto &[op, match] : ops) {
      int64_t bytes = getElementTypeOrSelf(op.getDpsInits()[0].getType())
                          .getIntOrFloatBitWidth() /
                      8;
      rewriteRowReduction(op, match, target->vectorLanes(bytes));
    }
  }
};

} // namespace
} // namespace mlir::llm
