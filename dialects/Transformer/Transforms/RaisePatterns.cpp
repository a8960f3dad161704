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
// - Rotary embeddings (rotate-half, interleaved, partial): RotaryPatterns.cpp.
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
  patterns.add<SiluPattern, NormScalePattern, LayerNormBiasPattern>(context);
  populateRotaryRaisePatterns(patterns);
}
