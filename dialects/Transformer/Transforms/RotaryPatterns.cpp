//===- RotaryPatterns.cpp - rotary embeddings in transformer-raise-patterns ===//
//
// Recognises the rotary position embeddings exporters emit and replaces them
// by `transformer.rotary_embedding`:
//
// - rotate-half (GPT-NeoX, LLaMA in Hugging Face):
//   `x * cos + concat(-x[.., R:], x[.., :R]) * sin`, where the tables repeat
//   their first half along the last dim (`cat(freqs, freqs)`);
// - interleaved (GPT-J, RoFormer): `x * cos + rotate_every_two(x) * sin` with
//   `rotate_every_two(x) = flatten(stack(-x[.., 1::2], x[.., ::2]), -2)`
//   (strided slices, unsqueeze, concat, reshape), where the tables repeat
//   every element twice (`repeat_interleave(t, 2, -1)`);
// - partial rotary (GPT-J, GPT-NeoX, Phi): `concat(rope(x[.., :r]),
//   x[.., r:])` becomes one op with `rotary_dim = r`.
//
// The repetition of the tables is proved before the per-pair tables the op
// takes are sliced off: on constant tables by their values, on tables
// computed at run time by their structure (`concat(f, f)`, the unsqueeze/
// expand/reshape that repeat_interleave exports to), through ops that move
// data only along other dims (gather by position ids, unsqueeze, slice,
// expand, transpose, reshape keeping the last dim) and elementwise math
// (cos, sin, scaling).
//
//===----------------------------------------------------------------------===//

#include "Transformer/Transforms/Passes.h"

#include "MatchUtils.h"

#include "Transformer/IR/TransformerOps.h"

#include "mlir/IR/PatternMatch.h"

#include <optional>

using namespace mlir;
using namespace mlir::llm;
using namespace mlir::llm::transformer;

namespace {

int64_t rankOf(Value v) { return cast<RankedTensorType>(v.getType()).getRank(); }

/// The static size of the last dim of `v` (kDynamic when it is dynamic or
/// `v` is a scalar).
int64_t lastDimOf(Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  return type.getRank() == 0 ? ShapedType::kDynamic
                             : type.getDimSize(type.getRank() - 1);
}

bool isLastAxis(int64_t axis, int64_t rank) {
  return axis == -1 || axis == rank - 1;
}

bool touchesLastAxis(ArrayRef<int64_t> axes, int64_t rank) {
  return llvm::any_of(axes, [&](int64_t a) { return isLastAxis(a, rank); });
}

/// True when `slice` takes `start:end:step` of its input's last axis only
/// (normalised as ONNX does: negative from the end, clamped to the size).
bool isLastAxisSlice(SliceOp slice, int64_t start, int64_t end,
                     int64_t step = 1) {
  int64_t rank = rankOf(slice.getInput());
  int64_t size = lastDimOf(slice.getInput());
  std::optional<ArrayRef<int64_t>> axes = slice.getAxes();
  if (ShapedType::isDynamic(size) || slice.getStarts().size() != 1 ||
      (axes ? axes->size() != 1 || !isLastAxis((*axes)[0], rank) : rank != 1))
    return false;
  int64_t givenStep = 1;
  if (std::optional<ArrayRef<int64_t>> steps = slice.getSteps())
    givenStep = (*steps)[0];
  auto normalise = [&](int64_t v) {
    if (v < 0)
      v += size;
    return std::clamp<int64_t>(v, 0, size);
  };
  return givenStep == step && normalise(slice.getStarts()[0]) == start &&
         normalise(slice.getEnds()[0]) == end;
}

/// For `value = concat(-x[.., R:], x[.., :R])` along the last axis returns x.
Value matchRotateHalf(Value value) {
  auto concat = value.getDefiningOp<ConcatOp>();
  if (!concat || concat.getInputs().size() != 2 || !concat->hasOneUse())
    return {};
  int64_t rank = rankOf(concat);
  if (!isLastAxis(static_cast<int64_t>(concat.getAxis()), rank))
    return {};
  auto neg = concat.getInputs()[0].getDefiningOp<NegOp>();
  if (!neg)
    return {};
  auto second = neg.getInput().getDefiningOp<SliceOp>();
  auto first = concat.getInputs()[1].getDefiningOp<SliceOp>();
  if (!first || !second || first.getInput() != second.getInput())
    return {};
  Value x = first.getInput();
  int64_t d = lastDimOf(concat);
  if (x.getType() != concat.getType() || ShapedType::isDynamic(d) ||
      d % 2 != 0)
    return {};
  if (!isLastAxisSlice(second, d / 2, d) || !isLastAxisSlice(first, 0, d / 2))
    return {};
  return x;
}

/// For `value = reshape(concat(unsqueeze(-x[.., 1::2], -1),
/// unsqueeze(x[.., ::2], -1)), shape(x))` (torch's `stack(..., dim=-1)
/// .flatten(-2)`; the negation may come before or after the unsqueeze)
/// returns x.
Value matchRotateEveryTwo(Value value) {
  auto reshape = value.getDefiningOp<ReshapeOp>();
  if (!reshape || !reshape->hasOneUse())
    return {};
  auto concat = reshape.getInput().getDefiningOp<ConcatOp>();
  if (!concat || concat.getInputs().size() != 2 || !concat->hasOneUse() ||
      !isLastAxis(static_cast<int64_t>(concat.getAxis()), rankOf(concat)) ||
      lastDimOf(concat) != 2)
    return {};
  // Peels the unsqueeze of a new last axis and an optional negation.
  auto strip = [](Value v, bool &negated) -> SliceOp {
    negated = false;
    for (int i = 0; i < 3; ++i) {
      Operation *op = v.getDefiningOp();
      if (!op || !op->hasOneUse())
        return {};
      if (auto neg = dyn_cast<NegOp>(op)) {
        if (negated)
          return {};
        negated = true;
        v = neg.getInput();
      } else if (auto unsqueeze = dyn_cast<UnsqueezeOp>(op)) {
        int64_t rank = rankOf(unsqueeze);
        if (unsqueeze.getAxes().size() != 1 ||
            !isLastAxis(unsqueeze.getAxes()[0], rank))
          return {};
        v = unsqueeze.getInput();
      } else if (auto slice = dyn_cast<SliceOp>(op)) {
        return slice;
      } else {
        return {};
      }
    }
    return {};
  };
  bool firstNegated, secondNegated;
  SliceOp odd = strip(concat.getInputs()[0], firstNegated);
  SliceOp even = strip(concat.getInputs()[1], secondNegated);
  if (!odd || !even || !firstNegated || secondNegated ||
      odd.getInput() != even.getInput())
    return {};
  Value x = odd.getInput();
  int64_t d = lastDimOf(x);
  if (x.getType() != reshape.getType() || ShapedType::isDynamic(d) ||
      d % 2 != 0 || rankOf(concat) != rankOf(x) + 1)
    return {};
  if (!isLastAxisSlice(odd, 1, d, 2) || !isLastAxisSlice(even, 0, d, 2))
    return {};
  return x;
}

/// How a rotary table repeats its per-pair values along the last dim.
enum class TableLayout {
  Halves, ///< `t[i] == t[i + D/2]` (`cat(freqs, freqs)`), rotate-half.
  Pairs,  ///< `t[2i] == t[2i + 1]` (`repeat_interleave(t, 2)`), interleaved.
};

/// True when `value` has the repetition `layout` names along its last dim,
/// proved from a constant's values or from the structure of the ops
/// computing it (see the file header).
bool hasTableLayout(Value value, TableLayout layout, int depth = 0) {
  if (depth > 16)
    return false;
  Operation *op = value.getDefiningOp();
  int64_t rank = rankOf(value), d = lastDimOf(value);
  if (!op || ShapedType::isDynamic(d) || d % 2 != 0)
    return false;
  auto recurse = [&](Value v) {
    return lastDimOf(v) == d && hasTableLayout(v, layout, depth + 1);
  };
  // Ops that move data along other dims only.
  if (auto unsqueeze = dyn_cast<UnsqueezeOp>(op))
    return !touchesLastAxis(unsqueeze.getAxes(), rank) &&
           recurse(unsqueeze.getInput());
  if (auto gather = dyn_cast<GatherOp>(op))
    return !isLastAxis(gather.getAxis(), rankOf(gather.getData())) &&
           recurse(gather.getData());
  if (auto slice = dyn_cast<SliceOp>(op))
    return slice.getAxes() &&
           !touchesLastAxis(*slice.getAxes(), rankOf(slice.getInput())) &&
           recurse(slice.getInput());
  if (auto expand = dyn_cast<ExpandOp>(op))
    // A last dim broadcast from one element repeats it in every layout.
    return lastDimOf(expand.getInput()) == 1 || recurse(expand.getInput());
  if (auto transpose = dyn_cast<TransposeOp>(op))
    return transpose.getPermutation().back() == rank - 1 &&
           recurse(transpose.getInput());
  if (auto reshape = dyn_cast<ReshapeOp>(op)) {
    // Row-major, so an unchanged last dim keeps every row whole.
    if (lastDimOf(reshape.getInput()) == d)
      return recurse(reshape.getInput());
    // [.., D/2, 2] -> [.., D] where each pair of the input is one value
    // repeated (torch's repeat_interleave export): every element twice.
    auto in = cast<RankedTensorType>(reshape.getInput().getType());
    return layout == TableLayout::Pairs && in.getRank() >= 2 &&
           in.getDimSize(in.getRank() - 1) == 2 &&
           in.getDimSize(in.getRank() - 2) == d / 2 &&
           hasTableLayout(reshape.getInput(), layout, depth + 1);
  }
  // Elementwise math keeps the repetition; the other operand of a binary op
  // must repeat the same way or be constant along the last dim.
  if (isa<NegOp, CosOp, SinOp, ExpOp, CastOp, SqrtOp, RsqrtOp, ReciprocalOp>(
          op))
    return recurse(op->getOperand(0));
  if (isa<MulOp, AddOp, SubOp, DivOp>(op))
    return llvm::all_of(op->getOperands(), [&](Value operand) {
      return rankOf(operand) == 0 || lastDimOf(operand) == 1 ||
             recurse(operand);
    });
  if (auto concat = dyn_cast<ConcatOp>(op)) {
    if (!isLastAxis(static_cast<int64_t>(concat.getAxis()), rank))
      return false;
    ValueRange inputs = concat.getInputs();
    if (layout == TableLayout::Halves)
      return inputs.size() == 2 && inputs[0] == inputs[1];
    return llvm::all_of(inputs, [&](Value input) {
      int64_t n = lastDimOf(input);
      return !ShapedType::isDynamic(n) && n % 2 == 0 &&
             hasTableLayout(input, layout, depth + 1);
    });
  }
  if (isa<ConstantOp>(op)) {
    std::optional<SmallVector<double>> values = getConstantElements(value);
    if (!values)
      return false;
    for (size_t row = 0; row < values->size(); row += d)
      for (int64_t i = 0; i < d / 2; ++i) {
        size_t a = layout == TableLayout::Halves ? row + i : row + 2 * i;
        size_t b = layout == TableLayout::Halves ? row + i + d / 2 : a + 1;
        if ((*values)[a] != (*values)[b])
          return false;
      }
    return true;
  }
  return false;
}

/// `x * cos + rotate(x) * sin` -> rotary_embedding(x, cos', sin') with the
/// per-pair tables sliced off the full ones: `[.., :D/2]` for rotate-half,
/// `[.., ::2]` for interleaved.
struct RotaryPattern : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;

  /// For `mul = a * b` returns the operand that is not `x` when the other is.
  static Value otherFactor(MulOp mul, Value x) {
    if (mul.getLhs() == x)
      return mul.getRhs();
    if (mul.getRhs() == x)
      return mul.getLhs();
    return {};
  }

  LogicalResult matchAndRewrite(AddOp op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    for (auto [a, b] : {std::pair(op.getLhs(), op.getRhs()),
                        std::pair(op.getRhs(), op.getLhs())}) {
      auto cosMul = a.getDefiningOp<MulOp>();
      auto sinMul = b.getDefiningOp<MulOp>();
      if (!cosMul || !sinMul || !a.hasOneUse() || !b.hasOneUse() ||
          cosMul.getType() != type || sinMul.getType() != type)
        continue;
      // Which operand of the sin product is rotate(x), and how is it rotated?
      Value x, sin;
      RotaryMode mode = RotaryMode::RotateHalf;
      for (auto [r, s] : {std::pair(sinMul.getLhs(), sinMul.getRhs()),
                          std::pair(sinMul.getRhs(), sinMul.getLhs())}) {
        if (Value rotated = matchRotateHalf(r)) {
          x = rotated;
        } else if (Value rotated = matchRotateEveryTwo(r)) {
          x = rotated;
          mode = RotaryMode::Interleaved;
        } else {
          continue;
        }
        sin = s;
        break;
      }
      if (!x || x.getType() != type)
        continue;
      Value cos = otherFactor(cosMul, x);
      if (!cos || cos.getType() != sin.getType())
        continue;
      auto tableType = cast<RankedTensorType>(cos.getType());
      int64_t rank = type.getRank(), tableRank = tableType.getRank();
      int64_t d = type.getDimSize(rank - 1);
      TableLayout layout = mode == RotaryMode::RotateHalf ? TableLayout::Halves
                                                          : TableLayout::Pairs;
      if (tableRank < 1 || tableRank > rank ||
          tableType.getDimSize(tableRank - 1) != d ||
          tableType.getElementType() != type.getElementType() ||
          !hasTableLayout(cos, layout) || !hasTableLayout(sin, layout))
        continue;
      SmallVector<int64_t> halfShape(tableType.getShape());
      halfShape.back() = d / 2;
      auto halfType = RankedTensorType::get(halfShape, tableType.getElementType());
      bool interleaved = mode == RotaryMode::Interleaved;
      auto perPair = [&](Value table) {
        return SliceOp::create(
                   rewriter, op.getLoc(), halfType, table,
                   rewriter.getDenseI64ArrayAttr({0}),
                   rewriter.getDenseI64ArrayAttr({interleaved ? d : d / 2}),
                   rewriter.getDenseI64ArrayAttr({tableRank - 1}),
                   rewriter.getDenseI64ArrayAttr({interleaved ? 2 : 1}))
            .getResult();
      };
      Value cosPairs = perPair(cos), sinPairs = perPair(sin);
      rewriter.replaceOpWithNewOp<RotaryEmbeddingOp>(
          op, type, x, cosPairs, sinPairs, mode, IntegerAttr());
      return success();
    }
    return failure();
  }
};

/// `concat(rotary_embedding(x[.., :r]), x[.., r:])` along the last axis ->
/// `rotary_embedding(x) {rotary_dim = r}`.
struct PartialRotaryPattern : OpRewritePattern<ConcatOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ConcatOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getInputs().size() != 2 ||
        !isLastAxis(static_cast<int64_t>(op.getAxis()), rankOf(op)))
      return failure();
    auto rope = op.getInputs()[0].getDefiningOp<RotaryEmbeddingOp>();
    auto pass = op.getInputs()[1].getDefiningOp<SliceOp>();
    if (!rope || !pass || !rope->hasOneUse() || rope.getRotaryDim())
      return failure();
    auto rotated = rope.getInput().getDefiningOp<SliceOp>();
    if (!rotated || rotated.getInput() != pass.getInput() ||
        rotated.getInput().getType() != op.getType())
      return failure();
    int64_t d = lastDimOf(op), r = lastDimOf(rope);
    if (ShapedType::isDynamic(d) || ShapedType::isDynamic(r) ||
        !isLastAxisSlice(rotated, 0, r) || !isLastAxisSlice(pass, r, d))
      return failure();
    rewriter.replaceOpWithNewOp<RotaryEmbeddingOp>(
        op, op.getType(), rotated.getInput(), rope.getCos(), rope.getSin(),
        rope.getMode(), rewriter.getI64IntegerAttr(r));
    return success();
  }
};

} // namespace

void transformer::populateRotaryRaisePatterns(RewritePatternSet &patterns) {
  patterns.add<RotaryPattern, PartialRotaryPattern>(patterns.getContext());
}
