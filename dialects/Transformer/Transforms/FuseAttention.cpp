//===- FuseAttention.cpp - transformer-fuse-attention ---------------------===//
//
// Fuses the attention subgraph exporters emit,
//
//   softmax(mask(scale * Q @ K^T)) @ V
//
// into one `transformer.attention`, the op the flash-style lowering and the
// other targets implement. The match is anchored on the softmax and walks up
// the score chain (see the pass description in Passes.td):
//
// - scaling by scalar constants, folded into the op's `scale` (on the scores
//   before or after masking, or on Q / K^T before the product);
// - at most one additive float mask and one `where` mask; masks that are
//   exactly causal (CausalMask.h) become the `causal` flag, others the
//   `mask` operand (an additive mask must not be scaled after it is added:
//   that would scale the mask);
// - Q @ K^T, where K^T is a transpose of the keys (the transpose is composed
//   with the swap of the last two dims, so GPT-2's `transpose(k, [0,2,3,1])`
//   of the head-split keys becomes `transpose(k, [0,2,1,3])`);
// - keys/values repeated for grouped-query attention by
//   `reshape(expand(unsqueeze(kv, 2)))` are used unrepeated with
//   `num_kv_heads`;
// - keys/values that are `concat(past, new)` along the sequence become the
//   op's past operands; its present results replace the concats, so a
//   returned present key/value stays a graph output.
//
// Every intermediate value the fusion removes must have no other user and
// the scores' type must stay the same along the chain (a mask that would
// broadcast the scores to a larger shape is not fused).
//
//===----------------------------------------------------------------------===//

#include "Transformer/Transforms/Passes.h"

#include "CausalMask.h"
#include "MatchUtils.h"

#include "Transformer/IR/TransformerOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::llm::transformer {
#define GEN_PASS_DEF_TRANSFORMERFUSEATTENTIONPASS
#include "Transformer/Transforms/Passes.h.inc"
} // namespace mlir::llm::transformer

using namespace mlir;
using namespace mlir::llm;
using namespace mlir::llm::transformer;

namespace {

/// What the walk up the score chain found.
struct ScoreChain {
  MatmulOp qk;
  double scale = 1.0;
  Value mask;
  bool causal = false;
};

/// True when `value` leads, through the ops the score chain may contain, to
/// a rank-4 matmul (used to tell the scores from the mask in an `add` or
/// `where`).
bool leadsToScores(Value value) {
  for (int depth = 0; depth < 8; ++depth) {
    Operation *op = value.getDefiningOp();
    if (!op)
      return false;
    if (isa<MatmulOp>(op))
      return true;
    if (auto where = dyn_cast<WhereOp>(op)) {
      value = getScalarConstant(where.getFalseValue()) ? where.getTrueValue()
                                                       : where.getFalseValue();
    } else if (isa<AddOp, MulOp, DivOp>(op)) {
      Value lhs = op->getOperand(0), rhs = op->getOperand(1);
      value = lhs.getType() == op->getResult(0).getType() ? lhs : rhs;
    } else {
      return false;
    }
  }
  return false;
}

/// Walks from the softmax input up to Q @ K^T.
FailureOr<ScoreChain> matchScoreChain(Value input) {
  ScoreChain chain;
  Type scoresType = input.getType();
  Value boolMask, floatMask;
  // The product of the scales met so far, i.e. applied after the op being
  // looked at.
  double laterScale = 1.0;
  Value current = input;
  for (int depth = 0; depth < 16; ++depth) {
    if (current.getType() != scoresType || !current.hasOneUse())
      return failure();
    Operation *op = current.getDefiningOp();
    if (!op)
      return failure();
    if (auto matmul = dyn_cast<MatmulOp>(op)) {
      chain.qk = matmul;
      chain.scale = laterScale;
      chain.mask = boolMask ? boolMask : floatMask;
      if (boolMask && floatMask)
        return failure();
      return chain;
    }
    if (isa<MulOp, DivOp>(op)) {
      Value lhs = op->getOperand(0), rhs = op->getOperand(1);
      std::optional<double> c = getScalarConstant(rhs);
      Value scores = lhs;
      if (!c && isa<MulOp>(op)) {
        c = getScalarConstant(lhs);
        scores = rhs;
      }
      if (!c)
        return failure();
      double factor = isa<DivOp>(op) ? 1.0 / *c : *c;
      if (!(factor > 0.0))
        return failure();
      laterScale *= factor;
      current = scores;
      continue;
    }
    if (auto add = dyn_cast<AddOp>(op)) {
      Value scores = add.getLhs(), mask = add.getRhs();
      if (!leadsToScores(scores) || scores.getType() != scoresType)
        std::swap(scores, mask);
      if (!leadsToScores(scores) || scores.getType() != scoresType)
        return failure();
      auto maskType = cast<RankedTensorType>(mask.getType());
      if (maskType.getRank() > 4 || !isa<FloatType>(maskType.getElementType()))
        return failure();
      if (isCausalMask(mask, MaskKind::Additive) && laterScale > 0.0 &&
          laterScale <= 1.0) {
        chain.causal = true;
      } else {
        // The scale must come before the mask is added.
        if (floatMask || laterScale != 1.0)
          return failure();
        floatMask = mask;
      }
      current = scores;
      continue;
    }
    if (auto where = dyn_cast<WhereOp>(op)) {
      Value condition = where.getCondition();
      std::optional<double> fill = getScalarConstant(where.getFalseValue());
      MaskKind kind = MaskKind::Keep;
      Value scores = where.getTrueValue();
      if (!fill) {
        fill = getScalarConstant(where.getTrueValue());
        kind = MaskKind::Drop;
        scores = where.getFalseValue();
      }
      if (!fill || !isMaskingFill(*fill * laterScale) ||
          cast<RankedTensorType>(condition.getType()).getRank() > 4)
        return failure();
      if (isCausalMask(condition, kind)) {
        chain.causal = true;
      } else {
        if (kind != MaskKind::Keep || boolMask)
          return failure();
        boolMask = condition;
      }
      current = scores;
      continue;
    }
    return failure();
  }
  return failure();
}

/// Peels scalar-constant `mul`/`div` ops off a Q or K^T operand, folding
/// them into `scale`.
Value peelScale(Value value, double &scale) {
  while (value.hasOneUse()) {
    Operation *op = value.getDefiningOp();
    if (!op || !isa<MulOp, DivOp>(op) ||
        op->getResult(0).getType() != op->getOperand(0).getType())
      break;
    std::optional<double> c = getScalarConstant(op->getOperand(1));
    if (!c || !(*c > 0.0))
      break;
    scale *= isa<DivOp>(op) ? 1.0 / *c : *c;
    value = op->getOperand(0);
  }
  return value;
}

/// For keys/values repeated for grouped-query attention,
/// `reshape(expand(unsqueeze(kv, [2])))` from [B, Hkv, T, D] through
/// [B, Hkv, G, T, D] to [B, Hkv * G, T, D], returns kv and sets `groups`.
Value unwrapRepeatedHeads(Value value, int64_t &groups) {
  auto reshape = value.getDefiningOp<ReshapeOp>();
  if (!reshape)
    return {};
  auto expand = reshape.getInput().getDefiningOp<ExpandOp>();
  if (!expand || !expand->hasOneUse())
    return {};
  auto unsqueeze = expand.getInput().getDefiningOp<UnsqueezeOp>();
  if (!unsqueeze || !unsqueeze->hasOneUse() || unsqueeze.getAxes().size() != 1 ||
      unsqueeze.getAxes()[0] != 2)
    return {};
  Value kv = unsqueeze.getInput();
  auto kvType = cast<RankedTensorType>(kv.getType());
  auto expandType = cast<RankedTensorType>(expand.getType());
  auto outType = cast<RankedTensorType>(reshape.getType());
  if (kvType.getRank() != 4 || expandType.getRank() != 5 ||
      outType.getRank() != 4)
    return {};
  int64_t kvHeads = kvType.getDimSize(1), g = expandType.getDimSize(2);
  if (ShapedType::isDynamic(kvHeads) || ShapedType::isDynamic(g) ||
      expandType.getDimSize(1) != kvHeads || outType.getDimSize(1) != kvHeads * g)
    return {};
  for (auto [a, b] : {std::pair(2, 3), std::pair(3, 4)})
    if (!ShapedType::isDynamic(outType.getDimSize(a)) &&
        outType.getDimSize(a) != expandType.getDimSize(b))
      return {};
  groups = g;
  return kv;
}

/// The keys as [B, H, T, D] for K^T = `kt`: the input of a transpose whose
/// permutation swaps the last two dims, a new transpose composing the
/// permutation with that swap, or a transpose of `kt` itself.
Value getKeys(PatternRewriter &rewriter, Location loc, Value kt) {
  SmallVector<int64_t> perm = {0, 1, 3, 2};
  Value source = kt;
  if (auto transpose = kt.getDefiningOp<TransposeOp>()) {
    ArrayRef<int64_t> p = transpose.getPermutation();
    perm = {p[0], p[1], p[3], p[2]};
    source = transpose.getInput();
  }
  if (llvm::equal(perm, llvm::seq<int64_t>(0, 4)))
    return source;
  return TransposeOp::create(rewriter, loc, source,
                             rewriter.getDenseI64ArrayAttr(perm));
}

struct FuseAttentionPattern : OpRewritePattern<SoftmaxOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(SoftmaxOp softmax,
                                PatternRewriter &rewriter) const override {
    auto scoresType = cast<RankedTensorType>(softmax.getType());
    if (scoresType.getRank() != 4 ||
        (static_cast<int64_t>(softmax.getAxis()) != -1 &&
         softmax.getAxis() != 3))
      return rewriter.notifyMatchFailure(softmax, "not the last of 4 axes");
    if (!softmax->hasOneUse())
      return rewriter.notifyMatchFailure(softmax, "probabilities reused");
    auto pv = dyn_cast<MatmulOp>(*softmax->getUsers().begin());
    if (!pv || pv.getLhs() != softmax.getResult())
      return rewriter.notifyMatchFailure(softmax, "not followed by P @ V");
    FailureOr<ScoreChain> chain = matchScoreChain(softmax.getInput());
    if (failed(chain))
      return rewriter.notifyMatchFailure(softmax, "no Q @ K^T score chain");

    double scale = chain->scale;
    Value query = peelScale(chain->qk.getLhs(), scale);
    Value keysT = peelScale(chain->qk.getRhs(), scale);
    Value value = pv.getRhs();
    auto qType = cast<RankedTensorType>(query.getType());
    auto ktType = cast<RankedTensorType>(keysT.getType());
    auto vType = cast<RankedTensorType>(value.getType());
    if (qType.getRank() != 4 || ktType.getRank() != 4 || vType.getRank() != 4)
      return rewriter.notifyMatchFailure(softmax, "operands not of rank 4");
    Type elementType = qType.getElementType();
    if (ktType.getElementType() != elementType ||
        vType.getElementType() != elementType ||
        scoresType.getElementType() != elementType)
      return rewriter.notifyMatchFailure(softmax, "mixed element types");
    if (Value mask = chain->mask) {
      Type maskElement = getElementTypeOrSelf(mask.getType());
      if (!maskElement.isInteger(1) && maskElement != elementType)
        return rewriter.notifyMatchFailure(softmax, "mask element type");
    }

    Location loc = softmax.getLoc();
    Value key = getKeys(rewriter, loc, keysT);

    // Grouped-query attention: both keys and values repeated alike.
    int64_t keyGroups = 1, valueGroups = 1;
    Value kvKey = unwrapRepeatedHeads(key, keyGroups);
    Value kvValue = unwrapRepeatedHeads(value, valueGroups);
    IntegerAttr numKVHeads;
    if (kvKey && kvValue && keyGroups == valueGroups && keyGroups > 1) {
      key = kvKey;
      value = kvValue;
      numKVHeads = rewriter.getI64IntegerAttr(
          cast<RankedTensorType>(key.getType()).getDimSize(1));
    }

    // KV cache: keys and values both concatenated to a past along dim 2.
    Value pastKey, pastValue;
    ConcatOp keyConcat = key.getDefiningOp<ConcatOp>();
    ConcatOp valueConcat = value.getDefiningOp<ConcatOp>();
    auto isCacheConcat = [](ConcatOp concat) {
      return concat && concat.getInputs().size() == 2 &&
             (concat.getAxis() == 2 ||
              static_cast<int64_t>(concat.getAxis()) == -2);
    };
    if (isCacheConcat(keyConcat) && isCacheConcat(valueConcat)) {
      pastKey = keyConcat.getInputs()[0];
      key = keyConcat.getInputs()[1];
      pastValue = valueConcat.getInputs()[0];
      value = valueConcat.getInputs()[1];
    } else {
      keyConcat = valueConcat = {};
    }

    // Shapes the op needs (its verifier would reject the rest).
    auto kType = cast<RankedTensorType>(key.getType());
    vType = cast<RankedTensorType>(value.getType());
    auto compatible = [](int64_t a, int64_t b) {
      return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
    };
    int64_t qHeads = qType.getDimSize(1), kvHeads = kType.getDimSize(1);
    if (kType.getRank() != 4 || !compatible(qType.getDimSize(3), kType.getDimSize(3)) ||
        !compatible(kType.getDimSize(1), vType.getDimSize(1)) ||
        !compatible(kType.getDimSize(2), vType.getDimSize(2)) ||
        !compatible(qType.getDimSize(0), kType.getDimSize(0)) ||
        (!numKVHeads && !compatible(qHeads, kvHeads)) ||
        (!ShapedType::isDynamic(qHeads) && !ShapedType::isDynamic(kvHeads) &&
         qHeads % kvHeads != 0))
      return rewriter.notifyMatchFailure(softmax, "incompatible Q/K/V shapes");
    if (!(scale > 0.0) || std::isinf(scale))
      return rewriter.notifyMatchFailure(softmax, "scale not positive");

    auto attention = AttentionOp::create(
        rewriter, loc, query, key, value, chain->mask, pastKey, pastValue,
        rewriter.getF32FloatAttr(static_cast<float>(scale)), chain->causal,
        numKVHeads);
    Value output = attention.getOutput();
    if (output.getType() != pv.getType())
      output = tensor::CastOp::create(rewriter, loc, pv.getType(), output);
    if (keyConcat) {
      auto replacePresent = [&](ConcatOp concat, Value present) {
        if (present.getType() != concat.getType())
          present =
              tensor::CastOp::create(rewriter, loc, concat.getType(), present);
        rewriter.replaceAllUsesWith(concat.getResult(), present);
      };
      replacePresent(keyConcat, attention.getPresentKey());
      replacePresent(valueConcat, attention.getPresentValue());
    }
    rewriter.replaceOp(pv, output);
    return success();
  }
};


} // namespace

namespace mlir::llm::transformer {
namespace {

struct TransformerFuseAttentionPass
    : impl::TransformerFuseAttentionPassBase<TransformerFuseAttentionPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateFuseAttentionPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace mlir::llm::transformer

void transformer::populateFuseAttentionPatterns(RewritePatternSet &patterns) {
  patterns.add<FuseAttentionPattern>(patterns.getContext());
}
