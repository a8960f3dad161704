//===- CausalMask.cpp - recognise causal attention masks ------------------===//
//
// Static masks are evaluated: the mask subgraph (constants, `where` of
// constants, casts, unit-dim reshapes and static slices) is folded into a 2-D grid of
// values and compared with the causal pattern. Dynamic masks are recognised
// structurally: `buffer[T - S : T, :T]` of a constant lower-triangular
// buffer, where the slice's row offset `off`, row count `n` and column count
// `m` satisfy `off + n == m` by construction (`n = max(m - off, 0)`), which
// makes the mask `j <= i + off = i + (m - n)` causal whatever `off` is.
//
//===----------------------------------------------------------------------===//

#include "CausalMask.h"

#include "MatchUtils.h"

#include "Transformer/IR/TransformerOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

#include <cmath>

using namespace mlir;
using namespace mlir::llm;
using namespace mlir::llm::transformer;

namespace {

/// A mask folded to its last two dims (leading dims are 1).
struct Grid {
  int64_t rows = 1, cols = 1;
  SmallVector<double> values;
  double at(int64_t i, int64_t j) const {
    return values[(rows == 1 ? 0 : i) * cols + (cols == 1 ? 0 : j)];
  }
};

/// The static `[rows, cols]` of a type whose other dims are 1.
std::optional<std::pair<int64_t, int64_t>> getGridShape(Type type) {
  auto tensorType = dyn_cast<RankedTensorType>(type);
  if (!tensorType || !tensorType.hasStaticShape())
    return std::nullopt;
  ArrayRef<int64_t> shape = tensorType.getShape();
  int64_t rank = shape.size();
  for (int64_t d = 0; d + 2 < rank; ++d)
    if (shape[d] != 1)
      return std::nullopt;
  int64_t rows = rank >= 2 ? shape[rank - 2] : 1;
  int64_t cols = rank >= 1 ? shape[rank - 1] : 1;
  return std::pair(rows, cols);
}

std::optional<Grid> evaluate(Value value, int depth = 0) {
  if (depth > 8)
    return std::nullopt;
  std::optional<std::pair<int64_t, int64_t>> shape =
      getGridShape(value.getType());
  if (!shape)
    return std::nullopt;
  Operation *op = value.getDefiningOp();
  if (!op)
    return std::nullopt;
  Grid grid;
  grid.rows = shape->first;
  grid.cols = shape->second;
  if (std::optional<double> splat = getScalarConstant(value)) {
    grid.values.assign(grid.rows * grid.cols, *splat);
    return grid;
  }
  if (isa<ConstantOp>(op)) {
    std::optional<SmallVector<double>> values = getConstantElements(value);
    if (!values)
      return std::nullopt;
    grid.values = std::move(*values);
    return grid;
  }
  if (isa<UnsqueezeOp, ReshapeOp, CastOp>(op)) {
    // Adding or removing unit dims (the grid shape is unchanged), or a cast:
    // bool -> float is 0/1, float -> float keeps the values we compare.
    std::optional<Grid> input = evaluate(op->getOperand(0), depth + 1);
    if (!input || input->rows != grid.rows || input->cols != grid.cols)
      return std::nullopt;
    return input;
  }
  if (auto slice = dyn_cast<SliceOp>(op)) {
    // A static slice of the grid (`buffer[:, :, :S, :S]` of a constant
    // buffer when the sequence length is static).
    std::optional<Grid> input = evaluate(slice.getInput(), depth + 1);
    if (!input)
      return std::nullopt;
    int64_t rank = slice.getInput().getType().getRank();
    std::optional<ArrayRef<int64_t>> steps = slice.getSteps();
    int64_t firstRow = 0, firstCol = 0, rowStep = 1, colStep = 1;
    for (auto [k, start] : llvm::enumerate(slice.getStarts())) {
      int64_t axis = slice.getAxes() ? (*slice.getAxes())[k]
                                     : static_cast<int64_t>(k);
      if (axis < 0)
        axis += rank;
      int64_t size = axis == rank - 1   ? input->cols
                     : axis == rank - 2 ? input->rows
                                        : 1;
      int64_t begin = start < 0 ? start + size : start;
      begin = std::clamp<int64_t>(begin, 0, size);
      int64_t step = steps ? (*steps)[k] : 1;
      if (step <= 0)
        return std::nullopt;
      if (axis == rank - 1) {
        firstCol = begin;
        colStep = step;
      } else if (axis == rank - 2) {
        firstRow = begin;
        rowStep = step;
      }
    }
    if ((input->rows != 1 && firstRow + (grid.rows - 1) * rowStep >= input->rows) ||
        (input->cols != 1 && firstCol + (grid.cols - 1) * colStep >= input->cols))
      return std::nullopt;
    grid.values.resize(grid.rows * grid.cols);
    for (int64_t i = 0; i < grid.rows; ++i)
      for (int64_t j = 0; j < grid.cols; ++j)
        grid.values[i * grid.cols + j] =
            input->at(firstRow + i * rowStep, firstCol + j * colStep);
    return grid;
  }
  if (auto where = dyn_cast<WhereOp>(op)) {
    std::optional<Grid> c = evaluate(where.getCondition(), depth + 1);
    std::optional<Grid> t = evaluate(where.getTrueValue(), depth + 1);
    std::optional<Grid> f = evaluate(where.getFalseValue(), depth + 1);
    if (!c || !t || !f)
      return std::nullopt;
    grid.values.resize(grid.rows * grid.cols);
    for (int64_t i = 0; i < grid.rows; ++i)
      for (int64_t j = 0; j < grid.cols; ++j)
        grid.values[i * grid.cols + j] =
            c->at(i, j) != 0.0 ? t->at(i, j) : f->at(i, j);
    return grid;
  }
  return std::nullopt;
}

/// True when the grid, applied as `kind`, keeps exactly `j <= i + cols - rows`.
bool isCausalGrid(const Grid &grid, MaskKind kind) {
  int64_t offset = grid.cols - grid.rows;
  if (offset < 0)
    return false;
  for (int64_t i = 0; i < grid.rows; ++i) {
    for (int64_t j = 0; j < grid.cols; ++j) {
      bool visible = j <= i + offset;
      double v = grid.values[i * grid.cols + j];
      bool keeps;
      switch (kind) {
      case MaskKind::Keep:
        keeps = v != 0.0;
        break;
      case MaskKind::Drop:
        keeps = v == 0.0;
        break;
      case MaskKind::Additive:
        if (v != 0.0 && !isMaskingFill(v))
          return false;
        keeps = v == 0.0;
        break;
      }
      if (keeps != visible)
        return false;
    }
  }
  return true;
}

/// Structural equality of two index values: the same value, equal constants,
/// or the same op on equivalent operands (exporters recompute `min(T, N)`).
bool areEquivalent(Value a, Value b, int depth = 0) {
  if (a == b)
    return true;
  std::optional<int64_t> ca = getConstantIntValue(a);
  std::optional<int64_t> cb = getConstantIntValue(b);
  if (ca || cb)
    return ca && cb && *ca == *cb;
  Operation *opA = a.getDefiningOp(), *opB = b.getDefiningOp();
  if (depth > 4 || !opA || !opB || opA->getName() != opB->getName() ||
      opA->getAttrDictionary() != opB->getAttrDictionary() ||
      opA->getNumOperands() != opB->getNumOperands() ||
      opA->getNumResults() != 1 || !isPure(opA))
    return false;
  for (auto [x, y] : llvm::zip(opA->getOperands(), opB->getOperands()))
    if (!areEquivalent(x, y, depth + 1))
      return false;
  return true;
}

bool isEquivalent(OpFoldResult a, OpFoldResult b) {
  std::optional<int64_t> ca = getConstantIntValue(a);
  std::optional<int64_t> cb = getConstantIntValue(b);
  if (ca || cb)
    return ca && cb && *ca == *cb;
  return areEquivalent(cast<Value>(a), cast<Value>(b));
}

/// True when `n` is `m - off` or `max(m - off, 0)`.
bool isRemainder(OpFoldResult n, OpFoldResult m, OpFoldResult off) {
  auto value = dyn_cast<Value>(n);
  if (!value)
    return false;
  if (auto max = value.getDefiningOp<arith::MaxSIOp>()) {
    std::optional<int64_t> zero = getConstantIntValue(max.getRhs());
    if (!zero || *zero != 0)
      return false;
    value = max.getLhs();
  }
  auto sub = value.getDefiningOp<arith::SubIOp>();
  return sub && isEquivalent(sub.getLhs(), m) && isEquivalent(sub.getRhs(), off);
}

/// True when `value` is a constant whose last two dims form a square
/// lower-triangular boolean buffer (`tril(ones(N, N))`) with unit leading
/// dims.
bool isLowerTriangularBuffer(Value value) {
  std::optional<Grid> grid = evaluate(value);
  if (!grid || grid->rows != grid->cols)
    return false;
  return isCausalGrid(*grid, MaskKind::Keep);
}

/// `buffer[.., off : off + n, 0 : m]` with `off + n == m` (one slice or two
/// nested slices, unit strides, leading dims sliced whole at size 1).
bool isCausalSlice(Value mask) {
  auto outer = mask.getDefiningOp<tensor::ExtractSliceOp>();
  if (!outer || !outer.hasUnitStride())
    return false;
  auto type = outer.getSourceType();
  int64_t rank = type.getRank();
  if (rank < 2 || outer.getResultType().getRank() != rank)
    return false;
  SmallVector<OpFoldResult> offsets = outer.getMixedOffsets();
  SmallVector<OpFoldResult> sizes = outer.getMixedSizes();
  OpFoldResult rowOffset = offsets[rank - 2];
  OpFoldResult rows = sizes[rank - 2];
  OpFoldResult cols = sizes[rank - 1];
  if (!isConstantIntValue(offsets[rank - 1], 0))
    return false;
  for (int64_t d = 0; d + 2 < rank; ++d)
    if (!isConstantIntValue(offsets[d], 0) || !isConstantIntValue(sizes[d], 1))
      return false;
  Value source = outer.getSource();
  // PyTorch slices rows first, then columns: the inner slice gives the row
  // offset, the outer one keeps its rows from 0.
  if (auto inner = source.getDefiningOp<tensor::ExtractSliceOp>()) {
    if (!inner.hasUnitStride() || !isConstantIntValue(rowOffset, 0))
      return false;
    SmallVector<OpFoldResult> innerOffsets = inner.getMixedOffsets();
    SmallVector<OpFoldResult> innerSizes = inner.getMixedSizes();
    if (!isConstantIntValue(innerOffsets[rank - 1], 0) ||
        !isEquivalent(innerSizes[rank - 2], rows))
      return false;
    for (int64_t d = 0; d + 2 < rank; ++d)
      if (!isConstantIntValue(innerOffsets[d], 0) ||
          !isConstantIntValue(innerSizes[d], 1))
        return false;
    rowOffset = innerOffsets[rank - 2];
    source = inner.getSource();
  }
  return isRemainder(rows, cols, rowOffset) && isLowerTriangularBuffer(source);
}

} // namespace

bool transformer::isMaskingFill(double value) {
  return value <= -1e30 || (std::isinf(value) && value < 0);
}

bool transformer::isCausalMask(Value mask, MaskKind kind) {
  if (std::optional<Grid> grid = evaluate(mask))
    return isCausalGrid(*grid, kind);
  return kind == MaskKind::Keep && isCausalSlice(mask);
}
