//===- RaisePatterns.cpp - transformer-raise-patterns ---------------------===//
//
// Recognises the primitive op chains that ONNX exporters emit for LLM
// building blocks and replaces them by the transformer dialect's fused ops:
//
// - LayerNorm `(x - mean(x)) / sqrt(mean((x - mean(x))^2) + eps)` and RMSNorm
//   `x * rsqrt(mean(x^2) + eps)` (with `/ sqrt`, `* (1 / sqrt)` and
//   `* reciprocal(sqrt)` spellings, Pow or Mul for the square), normalising
//   the last axis; a following `* gamma` / `+ beta` of the last dim's size
//   becomes the norm's scale / bias (separate patterns, so that an imported
//   `layer_norm` without affine parameters takes them too).
// - GELU, tanh approximation (GPT-2's gelu_new) and erf form: the product
//   tree under the outermost `mul` is flattened, so every association and
//   operand order of `0.5 * x * (1 + f(...))` matches; the cube may be a
//   `pow(x, 3)` or a chain of muls.
// - SiLU `x * sigmoid(x)`.
// - Rotary embeddings, rotate-half: `x * cos + concat(-x[.., R:], x[.., :R]) *
//   sin`. The exported tables repeat their first half along the last dim
//   (`cat(freqs, freqs)`); this is checked on the constant they come from
//   (through gather/unsqueeze/slice/expand on other dims) before the half
//   tables, which `transformer.rotary_embedding` takes, are sliced off.
//
// Each match checks that every intermediate value it removes has no other
// user, and that broadcasting leaves the input's type unchanged.
//
//===----------------------------------------------------------------------===//

#include "Transformer/Transforms/Passes.h"

#include "MatchUtils.h"

#include "Transformer/IR/TransformerOps.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>
#include <limits>

namespace mlir::llm::transformer {
#define GEN_PASS_DEF_TRANSFORMERRAISEPATTERNSPASS
#include "Transformer/Transforms/Passes.h.inc"
} // namespace mlir::llm::transformer

using namespace mlir;
using namespace mlir::llm;
using namespace mlir::llm::transformer;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// True when `axis` (an I64Attr value, negative from the end) is the last
/// axis of a rank-`rank` tensor.
bool isLastAxis(uint64_t axis, int64_t rank) {
  auto a = static_cast<int64_t>(axis);
  return a == -1 || a == rank - 1;
}

/// True when `axes` names exactly the last axis of a rank-`rank` tensor.
bool isLastAxis(ArrayRef<int64_t> axes, int64_t rank) {
  return axes.size() == 1 && (axes[0] == -1 || axes[0] == rank - 1);
}

/// `value` if it is `reduce_mean(x)` over the last axis with kept dims.
ReduceMeanOp matchLastAxisMean(Value value) {
  auto mean = value.getDefiningOp<ReduceMeanOp>();
  if (!mean || !mean.getKeepDims() ||
      !isLastAxis(mean.getAxes(), mean.getInput().getType().getRank()))
    return {};
  return mean;
}

/// The `x` of `x^2`, or null.
Value getSquared(Value value) {
  if (auto pow = value.getDefiningOp<PowOp>()) {
    std::optional<double> e = getScalarConstant(pow.getRhs());
    if (e && *e == 2.0)
      return pow.getLhs();
  }
  if (auto mul = value.getDefiningOp<MulOp>())
    if (mul.getLhs() == mul.getRhs())
      return mul.getLhs();
  return {};
}

/// For `value = mean(sq) + eps` (either operand order) returns `sq`'s mean
/// op and sets `eps`.
ReduceMeanOp matchMeanPlusEps(Value value, double &eps) {
  auto add = value.getDefiningOp<AddOp>();
  if (!add)
    return {};
  for (auto [a, b] : {std::pair(add.getLhs(), add.getRhs()),
                      std::pair(add.getRhs(), add.getLhs())}) {
    std::optional<double> c = getScalarConstant(b);
    ReduceMeanOp mean = matchLastAxisMean(a);
    if (c && mean && add.getType() == mean.getType()) {
      eps = *c;
      return mean;
    }
  }
  return {};
}

/// The normalisation factor of a norm: for `value = 1 / sqrt(d)` in any of
/// its spellings (`rsqrt(d)`, `reciprocal(sqrt(d))`, `div(1, sqrt(d))`)
/// returns `d`.
Value matchInverseSqrt(Value value) {
  if (auto rsqrt = value.getDefiningOp<RsqrtOp>())
    return rsqrt.getInput();
  if (auto rec = value.getDefiningOp<ReciprocalOp>())
    if (auto sqrt = rec.getInput().getDefiningOp<SqrtOp>())
      return sqrt.getInput();
  if (auto div = value.getDefiningOp<DivOp>()) {
    std::optional<double> one = getScalarConstant(div.getLhs());
    auto sqrt = div.getRhs().getDefiningOp<SqrtOp>();
    if (one && *one == 1.0 && sqrt && div.getType() == sqrt.getType())
      return sqrt.getInput();
  }
  return {};
}

/// Matches `x * invsqrt(d)` (either order) or `x / sqrt(d)` rooted at `op`,
/// setting `x` and `d`.
bool matchNormalize(Operation *op, Value &x, Value &d) {
  if (auto div = dyn_cast<DivOp>(op)) {
    auto sqrt = div.getRhs().getDefiningOp<SqrtOp>();
    if (!sqrt)
      return false;
    x = div.getLhs();
    d = sqrt.getInput();
    return true;
  }
  auto mul = dyn_cast<MulOp>(op);
  if (!mul)
    return false;
  for (auto [a, b] : {std::pair(mul.getLhs(), mul.getRhs()),
                      std::pair(mul.getRhs(), mul.getLhs())}) {
    if (Value inner = matchInverseSqrt(b)) {
      x = a;
      d = inner;
      return true;
    }
  }
  return false;
}

FloatAttr getEpsilonAttr(Builder &b, double eps) {
  return b.getF32FloatAttr(static_cast<float>(eps));
}

//===----------------------------------------------------------------------===//
// LayerNorm, RMSNorm
//===----------------------------------------------------------------------===//

/// `(x - mean(x)) * invsqrt(mean((x - mean(x))^2) + eps)` -> layer_norm and
/// `x * invsqrt(mean(x^2) + eps)` -> rms_norm, anchored on the final
/// `mul`/`div`.
template <typename OpTy>
struct NormPattern : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Value x, d;
    if (!matchNormalize(op, x, d) || x.getType() != op.getType())
      return failure();
    auto type = cast<RankedTensorType>(x.getType());
    if (!isa<FloatType>(type.getElementType()))
      return failure();
    double eps = 0.0;
    ReduceMeanOp variance = matchMeanPlusEps(d, eps);
    if (!variance || eps < 0.0)
      return failure();
    Value squared = getSquared(variance.getInput());
    if (!squared || squared != x)
      return failure();

    // LayerNorm: x is the centred input `sub(input, mean(input))`.
    if (auto sub = x.getDefiningOp<SubOp>()) {
      ReduceMeanOp mean = matchLastAxisMean(sub.getRhs());
      if (mean && mean.getInput() == sub.getLhs() &&
          sub.getType() == sub.getLhs().getType()) {
        rewriter.replaceOpWithNewOp<LayerNormOp>(
            op, type, sub.getLhs(), Value(), Value(),
            rewriter.getI64IntegerAttr(-1), getEpsilonAttr(rewriter, eps));
        return success();
      }
    }
    rewriter.replaceOpWithNewOp<RMSNormOp>(op, type, x, Value(),
                                           rewriter.getI64IntegerAttr(-1),
                                           getEpsilonAttr(rewriter, eps));
    return success();
  }
};

/// True when `param` can be a norm's scale or bias for `input`: a 1-D tensor
/// of the (static) last dim's size, or all leading dims 1.
bool isAffineParameter(Value param, RankedTensorType inputType) {
  auto type = dyn_cast<RankedTensorType>(param.getType());
  if (!type || type.getRank() == 0 || type.getRank() > inputType.getRank() ||
      type.getElementType() != inputType.getElementType())
    return false;
  int64_t last = inputType.getDimSize(inputType.getRank() - 1);
  if (ShapedType::isDynamic(last) ||
      type.getDimSize(type.getRank() - 1) != last)
    return false;
  return llvm::all_of(type.getShape().drop_back(),
                      [](int64_t d) { return d == 1; });
}

/// `norm(x) * gamma` -> norm(x) with scale gamma (layer_norm or rms_norm
/// over the last axis with no scale yet, and for layer_norm no bias).
struct NormScalePattern : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MulOp op,
                                PatternRewriter &rewriter) const override {
    for (auto [a, b] : {std::pair(op.getLhs(), op.getRhs()),
                        std::pair(op.getRhs(), op.getLhs())}) {
      if (!a.hasOneUse() || a.getType() != op.getType())
        continue;
      auto type = cast<RankedTensorType>(op.getType());
      if (!isAffineParameter(b, type))
        continue;
      if (auto ln = a.getDefiningOp<LayerNormOp>()) {
        if (ln.getScale() || ln.getBias() ||
            !isLastAxis(ln.getAxis(), type.getRank()))
          continue;
        rewriter.replaceOpWithNewOp<LayerNormOp>(
            op, type, ln.getInput(), b, Value(), ln.getAxisAttr(),
            ln.getEpsilonAttr());
        return success();
      }
      if (auto rms = a.getDefiningOp<RMSNormOp>()) {
        if (rms.getScale() ||
            !isLastAxis(rms.getAxis(), type.getRank()))
          continue;
        rewriter.replaceOpWithNewOp<RMSNormOp>(op, type, rms.getInput(), b,
                                               rms.getAxisAttr(),
                                               rms.getEpsilonAttr());
        return success();
      }
    }
    return failure();
  }
};

/// `layer_norm(x) + beta` -> layer_norm(x) with bias beta.
struct LayerNormBiasPattern : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AddOp op,
                                PatternRewriter &rewriter) const override {
    for (auto [a, b] : {std::pair(op.getLhs(), op.getRhs()),
                        std::pair(op.getRhs(), op.getLhs())}) {
      auto ln = a.getDefiningOp<LayerNormOp>();
      auto type = cast<RankedTensorType>(op.getType());
      if (!ln || !a.hasOneUse() || a.getType() != type || ln.getBias() ||
          !isLastAxis(ln.getAxis(), type.getRank()) ||
          !isAffineParameter(b, type))
        continue;
      rewriter.replaceOpWithNewOp<LayerNormOp>(op, type, ln.getInput(),
                                               ln.getScale(), b,
                                               ln.getAxisAttr(),
                                               ln.getEpsilonAttr());
      return success();
    }
    return failure();
  }
};

//===----------------------------------------------------------------------===//
// GELU, SiLU
//===----------------------------------------------------------------------===//

/// Splits flattened factors into the product of the constant ones and the
/// others.
double splitConstantFactors(ArrayRef<Value> factors,
                            SmallVectorImpl<Value> &others) {
  double product = 1.0;
  for (Value f : factors) {
    if (std::optional<double> c = getScalarConstant(f))
      product *= *c;
    else
      others.push_back(f);
  }
  return product;
}

/// For `value = 1 + t` (either order) returns `t`.
Value matchOnePlus(Value value) {
  auto add = value.getDefiningOp<AddOp>();
  if (!add || !add->hasOneUse())
    return {};
  for (auto [a, b] : {std::pair(add.getLhs(), add.getRhs()),
                      std::pair(add.getRhs(), add.getLhs())}) {
    std::optional<double> one = getScalarConstant(b);
    if (one && *one == 1.0 && a.getType() == add.getType())
      return a;
  }
  return {};
}

/// True when `value` is `x^3`: `pow(x, 3)`, or a product of x's and
/// `pow(x, k)`s whose exponents sum to 3.
bool isCubeOf(Value value, Value x) {
  SmallVector<Value> factors;
  flattenProduct(value, factors);
  double exponent = 0.0;
  for (Value f : factors) {
    if (f == x) {
      exponent += 1.0;
      continue;
    }
    auto pow = f.getDefiningOp<PowOp>();
    std::optional<double> e = pow ? getScalarConstant(pow.getRhs())
                                  : std::nullopt;
    if (!pow || pow.getLhs() != x || !e)
      return false;
    exponent += *e;
  }
  return exponent == 3.0;
}

/// The tanh argument `sqrt(2/pi) * (x + 0.044715 * x^3)`.
bool isTanhGeluArgument(Value value, Value x) {
  SmallVector<Value> factors, others;
  flattenProduct(value, factors);
  double c = splitConstantFactors(factors, others);
  if (others.size() != 1 || !isApproximately(c, std::sqrt(2.0 / M_PI)))
    return false;
  auto add = others[0].getDefiningOp<AddOp>();
  if (!add || !add->hasOneUse())
    return false;
  for (auto [a, b] : {std::pair(add.getLhs(), add.getRhs()),
                      std::pair(add.getRhs(), add.getLhs())}) {
    if (a != x || !b.hasOneUse())
      continue;
    SmallVector<Value> cubeFactors, cubeOthers;
    flattenProduct(b, cubeFactors);
    double k = splitConstantFactors(cubeFactors, cubeOthers);
    if (!isApproximately(k, 0.044715))
      continue;
    // The remaining factors multiply to x^3.
    double exponent = 0.0;
    bool ok = true;
    for (Value f : cubeOthers) {
      if (f == x) {
        exponent += 1.0;
      } else if (isCubeOf(f, x)) {
        exponent += 3.0;
      } else if (auto pow = f.getDefiningOp<PowOp>()) {
        std::optional<double> e = getScalarConstant(pow.getRhs());
        ok = ok && pow.getLhs() == x && e;
        exponent += e ? *e : 0.0;
      } else {
        ok = false;
      }
    }
    if (ok && exponent == 3.0)
      return true;
  }
  return false;
}

/// The erf argument `x / sqrt(2)` or `x * (1 / sqrt(2))`.
bool isErfGeluArgument(Value value, Value x) {
  if (auto div = value.getDefiningOp<DivOp>()) {
    std::optional<double> c = getScalarConstant(div.getRhs());
    return div.getLhs() == x && c && isApproximately(*c, std::sqrt(2.0));
  }
  SmallVector<Value> factors, others;
  flattenProduct(value, factors);
  double c = splitConstantFactors(factors, others);
  return others.size() == 1 && others[0] == x &&
         isApproximately(c, 1.0 / std::sqrt(2.0));
}

/// `0.5 * x * (1 + tanh(...))` and `0.5 * x * (1 + erf(x / sqrt(2)))`, in any
/// association, anchored on the outermost `mul`.
struct GeluPattern : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MulOp op,
                                PatternRewriter &rewriter) const override {
    SmallVector<Value> factors, others;
    flattenProduct(op.getResult(), factors);
    double half = splitConstantFactors(factors, others);
    if (others.size() != 2 || !isApproximately(half, 0.5))
      return failure();
    for (auto [x, onePlus] : {std::pair(others[0], others[1]),
                              std::pair(others[1], others[0])}) {
      if (x.getType() != op.getType() ||
          !isa<FloatType>(getElementTypeOrSelf(x.getType())))
        continue;
      Value t = matchOnePlus(onePlus);
      if (!t || !t.hasOneUse())
        continue;
      std::optional<GeluApproximation> approximation;
      if (auto tanh = t.getDefiningOp<TanhOp>()) {
        if (isTanhGeluArgument(tanh.getInput(), x))
          approximation = GeluApproximation::Tanh;
      } else if (auto erf = t.getDefiningOp<ErfOp>()) {
        if (isErfGeluArgument(erf.getInput(), x))
          approximation = GeluApproximation::Erf;
      }
      if (!approximation)
        continue;
      rewriter.replaceOpWithNewOp<GeluOp>(op, op.getType(), x, *approximation);
      return success();
    }
    return failure();
  }
};

/// `x * sigmoid(x)` -> silu(x).
struct SiluPattern : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MulOp op,
                                PatternRewriter &rewriter) const override {
    for (auto [a, b] : {std::pair(op.getLhs(), op.getRhs()),
                        std::pair(op.getRhs(), op.getLhs())}) {
      auto sigmoid = b.getDefiningOp<SigmoidOp>();
      if (!sigmoid || sigmoid.getInput() != a || a.getType() != op.getType())
        continue;
      rewriter.replaceOpWithNewOp<SiluOp>(op, op.getType(), a);
      return success();
    }
    return failure();
  }
};

//===----------------------------------------------------------------------===//
// Rotary embeddings
//===----------------------------------------------------------------------===//

/// True when `slice` takes `[start, end)` of the last axis of its input only,
/// with step 1 (`end` at or past the dim size means "to the end").
bool isLastAxisSlice(SliceOp slice, int64_t start, int64_t end) {
  auto inputType = slice.getInput().getType();
  int64_t rank = inputType.getRank();
  int64_t size = inputType.getDimSize(rank - 1);
  std::optional<ArrayRef<int64_t>> axes = slice.getAxes();
  if (slice.getStarts().size() != 1 ||
      (axes ? !isLastAxis(*axes, rank) : rank != 1))
    return false;
  if (std::optional<ArrayRef<int64_t>> steps = slice.getSteps())
    if ((*steps)[0] != 1)
      return false;
  int64_t s = slice.getStarts()[0], e = slice.getEnds()[0];
  if (s < 0)
    s += size;
  if (e < 0)
    e += size;
  return s == start && std::min(e, size) == end;
}

/// For `value = concat(-x[.., R:], x[.., :R])` along the last axis returns x.
Value matchRotateHalf(Value value) {
  auto concat = value.getDefiningOp<ConcatOp>();
  if (!concat || concat.getInputs().size() != 2 || !concat->hasOneUse())
    return {};
  auto type = cast<RankedTensorType>(concat.getType());
  int64_t rank = type.getRank();
  if (!isLastAxis(concat.getAxis(), rank))
    return {};
  auto neg = concat.getInputs()[0].getDefiningOp<NegOp>();
  if (!neg)
    return {};
  auto second = neg.getInput().getDefiningOp<SliceOp>();
  auto first = concat.getInputs()[1].getDefiningOp<SliceOp>();
  if (!first || !second || first.getInput() != second.getInput())
    return {};
  Value x = first.getInput();
  int64_t d = type.getDimSize(rank - 1);
  if (x.getType() != type || ShapedType::isDynamic(d) || d % 2 != 0)
    return {};
  if (!isLastAxisSlice(second, d / 2, d) || !isLastAxisSlice(first, 0, d / 2))
    return {};
  return x;
}

/// True when the last dim of `value` repeats its first half
/// (`t[..., i] == t[..., i + D/2]`), traced through ops that only move data
/// along other dims to the constant table it comes from.
bool hasRepeatedHalves(Value value) {
  for (int depth = 0; depth < 8; ++depth) {
    Operation *op = value.getDefiningOp();
    if (!op)
      return false;
    auto rankOf = [](Value v) {
      return cast<RankedTensorType>(v.getType()).getRank();
    };
    if (auto unsqueeze = dyn_cast<UnsqueezeOp>(op)) {
      int64_t rank = rankOf(unsqueeze.getResult());
      if (llvm::any_of(unsqueeze.getAxes(), [&](int64_t a) {
            return a == -1 || a == rank - 1;
          }))
        return false;
      value = unsqueeze.getInput();
    } else if (auto gather = dyn_cast<GatherOp>(op)) {
      if (static_cast<int64_t>(gather.getAxis()) == rankOf(gather.getData()) - 1)
        return false;
      value = gather.getData();
    } else if (auto slice = dyn_cast<SliceOp>(op)) {
      int64_t rank = rankOf(slice.getInput());
      if (!slice.getAxes() || llvm::any_of(*slice.getAxes(), [&](int64_t a) {
            return a == -1 || a == rank - 1;
          }))
        return false;
      value = slice.getInput();
    } else if (auto expand = dyn_cast<ExpandOp>(op)) {
      auto in = expand.getInput().getType();
      auto out = cast<RankedTensorType>(expand.getType());
      if (in.getDimSize(in.getRank() - 1) != out.getDimSize(out.getRank() - 1))
        return false;
      value = expand.getInput();
    } else if (isa<ConstantOp>(op)) {
      std::optional<SmallVector<double>> values = getConstantElements(value);
      auto type = cast<RankedTensorType>(value.getType());
      int64_t d = type.getDimSize(type.getRank() - 1);
      if (!values || d % 2 != 0)
        return false;
      for (size_t row = 0; row < values->size(); row += d)
        for (int64_t i = 0; i < d / 2; ++i)
          if ((*values)[row + i] != (*values)[row + i + d / 2])
            return false;
      return true;
    } else {
      return false;
    }
  }
  return false;
}

/// `x * cos + rotate_half(x) * sin` -> rotary_embedding(x, cos[.., :D/2],
/// sin[.., :D/2]) in rotate-half mode.
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
      // Which operand of the sin product is rotate_half(x)?
      Value x, sin;
      for (auto [r, s] : {std::pair(sinMul.getLhs(), sinMul.getRhs()),
                          std::pair(sinMul.getRhs(), sinMul.getLhs())}) {
        if (Value rotated = matchRotateHalf(r)) {
          x = rotated;
          sin = s;
          break;
        }
      }
      if (!x || x.getType() != type)
        continue;
      Value cos = otherFactor(cosMul, x);
      if (!cos || cos.getType() != sin.getType())
        continue;
      auto tableType = cast<RankedTensorType>(cos.getType());
      int64_t rank = type.getRank(), tableRank = tableType.getRank();
      int64_t d = type.getDimSize(rank - 1);
      if (tableRank < 1 || tableRank > rank ||
          tableType.getDimSize(tableRank - 1) != d ||
          tableType.getElementType() != type.getElementType() ||
          !hasRepeatedHalves(cos) || !hasRepeatedHalves(sin))
        continue;
      SmallVector<int64_t> halfShape(tableType.getShape());
      halfShape.back() = d / 2;
      auto halfType = RankedTensorType::get(halfShape, tableType.getElementType());
      auto half = [&](Value table) {
        return SliceOp::create(rewriter, op.getLoc(), halfType, table,
                               rewriter.getDenseI64ArrayAttr({0}),
                               rewriter.getDenseI64ArrayAttr({d / 2}),
                               rewriter.getDenseI64ArrayAttr({tableRank - 1}),
                               rewriter.getDenseI64ArrayAttr({1}))
            .getResult();
      };
      Value cosHalf = half(cos), sinHalf = half(sin);
      rewriter.replaceOpWithNewOp<RotaryEmbeddingOp>(
          op, type, x, cosHalf, sinHalf, RotaryMode::RotateHalf,
          IntegerAttr());
      return success();
    }
    return failure();
  }
};

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//


} // namespace

namespace mlir::llm::transformer {
namespace {

struct TransformerRaisePatternsPass
    : impl::TransformerRaisePatternsPassBase<TransformerRaisePatternsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateRaisePatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace mlir::llm::transformer

void transformer::populateRaisePatterns(RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  // The compound patterns (GELU, norms) are tried before the affine folds so
  // that a product tree is matched whole.
  patterns.add<GeluPattern, NormPattern<MulOp>, NormPattern<DivOp>>(
      context, /*benefit=*/2);
  patterns.add<SiluPattern, NormScalePattern, LayerNormBiasPattern,
               RotaryPattern>(context);
}
