//===- ContractionMatch.cpp - recognise tileable contractions -------------===//
//
// Implements matchContraction (ContractionMatch.h).
//
//===----------------------------------------------------------------------===//

#include "llm/Tiling/ContractionMatch.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"

using namespace mlir;
using namespace mlir::llm;

/// True if the innermost result of `map` is the loop dim `dim`.
static bool innermostIs(AffineMap map, unsigned dim) {
  if (map.getNumResults() == 0)
    return false;
  auto expr = dyn_cast<AffineDimExpr>(map.getResults().back());
  return expr && expr.getPosition() == dim;
}

/// A constant upper bound of loop dim `dim` of `op`, from the output operand
/// dim it indexes (ValueBounds: `min(64, x)`, allocations of such sizes,
/// subviews, ...), or kDynamic.
static int64_t upperBoundOfLoop(linalg::LinalgOp op, unsigned dim) {
  OpOperand *init = op.getDpsInitOperand(0);
  AffineMap map = op.getMatchingIndexingMap(init);
  for (auto [pos, expr] : llvm::enumerate(map.getResults())) {
    auto d = dyn_cast<AffineDimExpr>(expr);
    if (!d || d.getPosition() != dim)
      continue;
    FailureOr<int64_t> bound = ValueBoundsConstraintSet::computeConstantBound(
        presburger::BoundType::UB,
        ValueBoundsConstraintSet::Variable(init->get(), pos),
        /*stopCondition=*/nullptr, /*closedUB=*/true);
    if (succeeded(bound) && *bound > 0)
      return *bound;
  }
  return ShapedType::kDynamic;
}

std::optional<ContractionMatch> llm::matchContraction(linalg::LinalgOp op,
                                                      bool requireContiguousN) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !linalg::isaContractionOpInterface(op))
    return std::nullopt;
  Type elementType;
  for (OpOperand &operand : op->getOpOperands()) {
    auto type = dyn_cast<ShapedType>(operand.get().getType());
    if (!type || !type.hasRank() || !isa<FloatType>(type.getElementType()))
      return std::nullopt;
    if (elementType && type.getElementType() != elementType)
      return std::nullopt;
    elementType = type.getElementType();
  }
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || dims->m.size() != 1 || dims->n.size() != 1 ||
      dims->k.size() != 1)
    return std::nullopt;
  ContractionMatch match;
  match.batchDims.assign(dims->batch.begin(), dims->batch.end());
  match.mDim = dims->m.front();
  match.nDim = dims->n.front();
  match.kDim = dims->k.front();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (requireContiguousN &&
      (!innermostIs(maps[1], match.nDim) || !innermostIs(maps[2], match.nDim)))
    return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  match.shape.m = ranges[match.mDim];
  match.shape.n = ranges[match.nDim];
  match.shape.k = ranges[match.kDim];
  match.shape.elementBytes = elementType.getIntOrFloatBitWidth() / 8;
  if (ShapedType::isDynamic(match.shape.m))
    match.shape.mBound = upperBoundOfLoop(op, match.mDim);
  if (ShapedType::isDynamic(match.shape.n))
    match.shape.nBound = upperBoundOfLoop(op, match.nDim);
  return match;
}

//===----------------------------------------------------------------------===//
// Integer contractions
//===----------------------------------------------------------------------===//

/// If `value` is `extui`/`extsi` to i32 of an 8-bit block argument of
/// `block` (possibly through the unrealized cast that makes `ui8`/`si8`
/// signless), returns the argument and sets `isUnsigned`.
static BlockArgument matchExtendedArg(Value value, Block *block,
                                      bool &isUnsigned) {
  Operation *ext = value.getDefiningOp();
  if (!ext || !value.getType().isInteger(32))
    return {};
  if (!isa<arith::ExtUIOp, arith::ExtSIOp>(ext))
    return {};
  isUnsigned = isa<arith::ExtUIOp>(ext);
  Value in = ext->getOperand(0);
  if (auto cast = in.getDefiningOp<UnrealizedConversionCastOp>())
    if (cast->getNumOperands() == 1)
      in = cast->getOperand(0);
  auto arg = dyn_cast<BlockArgument>(in);
  if (!arg || arg.getOwner() != block ||
      getElementTypeOrSelf(arg.getType()).getIntOrFloatBitWidth() != 8)
    return {};
  return arg;
}

/// The value of a per-tensor zero point folded into the body: an i32
/// constant, or the extension of an 8-bit one.
static std::optional<int32_t> matchConstantZeroPoint(Value value) {
  if (std::optional<int64_t> c = getConstantIntValue(value))
    return value.getType().isInteger(32) ? std::optional<int32_t>(*c)
                                         : std::nullopt;
  Operation *ext = value.getDefiningOp();
  if (!ext || !isa<arith::ExtUIOp, arith::ExtSIOp>(ext) ||
      !value.getType().isInteger(32))
    return std::nullopt;
  std::optional<int64_t> c = getConstantIntValue(ext->getOperand(0));
  if (!c || !ext->getOperand(0).getType().isInteger(8))
    return std::nullopt;
  return isa<arith::ExtUIOp>(ext) ? int32_t(*c & 255)
                                  : int32_t(static_cast<int8_t>(*c));
}

/// Matches `ext(x)`, `ext(x) - ext(zp)` or `ext(x) - constant`; returns
/// false otherwise.
static bool matchOperandTerm(Value value, Block *block, BlockArgument &arg,
                             bool &isUnsigned, BlockArgument &zp,
                             bool &zpUnsigned,
                             std::optional<int32_t> &zpConstant) {
  if (auto sub = value.getDefiningOp<arith::SubIOp>()) {
    arg = matchExtendedArg(sub.getLhs(), block, isUnsigned);
    zpConstant = matchConstantZeroPoint(sub.getRhs());
    if (zpConstant)
      return static_cast<bool>(arg);
    zp = matchExtendedArg(sub.getRhs(), block, zpUnsigned);
    return arg && zp;
  }
  arg = matchExtendedArg(value, block, isUnsigned);
  return static_cast<bool>(arg);
}

/// True if `map` has no result using loop dim `dim`.
static bool doesNotUse(AffineMap map, unsigned dim) {
  return !llvm::any_of(map.getResults(), [&](AffineExpr e) {
    return e.isFunctionOfDim(dim);
  });
}

std::optional<IntegerContractionMatch>
llm::matchIntegerContraction(linalg::GenericOp op) {
  if (op.getNumDpsInits() != 1 || op.getNumDpsInputs() < 2 ||
      op.getNumDpsInputs() > 4)
    return std::nullopt;
  auto cType = dyn_cast<ShapedType>(op.getDpsInits()[0].getType());
  if (!cType || !cType.hasRank() || cType.getRank() < 2 ||
      !cType.getElementType().isInteger(32))
    return std::nullopt;
  unsigned rank = cType.getRank();
  if (op.getNumLoops() != rank + 1)
    return std::nullopt;
  IntegerContractionMatch match;
  match.mDim = rank - 2;
  match.nDim = rank - 1;
  match.kDim = rank;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  for (unsigned d = 0; d <= rank; ++d)
    if ((iterators[d] == utils::IteratorType::reduction) != (d == rank))
      return std::nullopt;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  MLIRContext *ctx = op.getContext();
  SmallVector<AffineExpr> outExprs;
  for (unsigned d = 0; d < rank; ++d)
    outExprs.push_back(getAffineDimExpr(d, ctx));
  if (maps.back() != AffineMap::get(rank + 1, 0, outExprs, ctx))
    return std::nullopt;
  auto endsWith = [](AffineMap map, unsigned first, unsigned second) {
    unsigned n = map.getNumResults();
    if (n < 2)
      return false;
    auto a = dyn_cast<AffineDimExpr>(map.getResult(n - 2));
    auto b = dyn_cast<AffineDimExpr>(map.getResult(n - 1));
    return a && b && a.getPosition() == first && b.getPosition() == second;
  };
  if (!endsWith(maps[0], match.mDim, match.kDim) ||
      !endsWith(maps[1], match.kDim, match.nDim) ||
      !doesNotUse(maps[0].dropResults({maps[0].getNumResults() - 2,
                                       maps[0].getNumResults() - 1}),
                  match.nDim))
    return std::nullopt;

  // Body: yield(addi(muli(termA, termB), out)).
  Block *block = op.getBody();
  auto yield = cast<linalg::YieldOp>(block->getTerminator());
  auto add = yield->getOperand(0).getDefiningOp<arith::AddIOp>();
  if (!add)
    return std::nullopt;
  Value out = block->getArguments().back();
  Value productValue = add.getLhs() == out ? add.getRhs() : add.getLhs();
  if ((add.getLhs() == out) == (add.getRhs() == out))
    return std::nullopt;
  auto mul = productValue.getDefiningOp<arith::MulIOp>();
  if (!mul)
    return std::nullopt;
  BlockArgument a, aZp, b, bZp;
  if (!matchOperandTerm(mul.getLhs(), block, a, match.aUnsigned, aZp,
                        match.aZeroPointUnsigned, match.aZeroPointConstant) ||
      !matchOperandTerm(mul.getRhs(), block, b, match.bUnsigned, bZp,
                        match.bZeroPointUnsigned, match.bZeroPointConstant))
    return std::nullopt;
  if (a.getArgNumber() != 0 || b.getArgNumber() != 1)
    return std::nullopt;
  unsigned used = 2;
  if (aZp) {
    match.aZeroPoint = aZp.getArgNumber();
    AffineMap map = maps[match.aZeroPoint];
    if (match.aZeroPoint < 2 || !doesNotUse(map, match.kDim) ||
        !doesNotUse(map, match.nDim))
      return std::nullopt;
    ++used;
  }
  if (bZp) {
    match.bZeroPoint = bZp.getArgNumber();
    AffineMap map = maps[match.bZeroPoint];
    if (match.bZeroPoint < 2 || match.bZeroPoint == match.aZeroPoint ||
        !doesNotUse(map, match.kDim) || !doesNotUse(map, match.mDim))
      return std::nullopt;
    ++used;
  }
  if (used != op.getNumDpsInputs())
    return std::nullopt;
  // Nothing else in the body: the casts, extensions and arithmetic above.
  for (Operation &inner : block->without_terminator())
    if (!isa<UnrealizedConversionCastOp, arith::ExtUIOp, arith::ExtSIOp,
             arith::SubIOp, arith::MulIOp, arith::AddIOp, arith::ConstantOp>(
            inner))
      return std::nullopt;
  return match;
}
