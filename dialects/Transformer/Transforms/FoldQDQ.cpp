//===- FoldQDQ.cpp - transformer-fold-qdq ---------------------------------===//
//
// Folds the QDQ form of quantized ONNX models (QuantizeLinear /
// DequantizeLinear around MatMul and Gemm) into the integer ops, so that
// quantized models run on integer math rather than on dequantized floats:
//
// 1. Weights: `matmul(x, dequantize(Wq))` and `linear(x, dequantize(Wq))`
//    with constant 8- or 4-bit `Wq`, constant scales and zero points,
//    per-tensor, per-output-channel or blocked along k (opset 21)
//    -> `quantized_linear(x, Wq as [N, K], scales [N] or [N, groups], zero
//    points, group_size)`.
// 2. Activations too (static quantization): when `x` is
//    `dequantize(quantize(x0, sx, zx))` with per-tensor constant sx/zx and
//    the weights are 8-bit per-tensor or per-channel, the product is exact
//    in integers: `sx * sw[n] * sum_k (xq - zx)(Wq - zw)`
//    -> `quantized_matmul(xq, Wq, zx, zw)` (i32) -> cast -> `* (sx * sw)`
//    (+ bias).
//
// Anything else (non-constant scales, per-k scales, ...) stays as it is.
//
//===----------------------------------------------------------------------===//

#include "Transformer/Transforms/ConstantData.h"
#include "Transformer/Transforms/Passes.h"

#include "Transformer/IR/TransformerOps.h"
#include "Transformer/IR/TransformerShapeUtils.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::llm::transformer {
#define GEN_PASS_DEF_TRANSFORMERFOLDQDQPASS
#include "Transformer/Transforms/Passes.h.inc"
} // namespace mlir::llm::transformer

using namespace mlir;
using namespace mlir::llm;
using namespace mlir::llm::transformer;

namespace {

/// Constant quantized weights in the [N, K] layout of quantized_linear.
struct QuantizedWeightData {
  IntegerType elementType;
  int64_t n = 0, k = 0;
  std::vector<int64_t> values;     // [N, K]
  std::vector<float> scales;       // [N] or [N, groups]
  std::vector<int64_t> zeroPoints; // empty or the scales' layout
  int64_t groupSize = 0;           // 0: per channel
  bool perTensor = false;          // the ONNX scale was a single value
  std::string name;
};

template <typename T>
std::optional<std::vector<T>> readConstant(Value v) {
  auto constant = v.getDefiningOp<ConstantOp>();
  if (!constant)
    return std::nullopt;
  if constexpr (std::is_same_v<T, float>)
    return readFloatConstant(constant.getValue());
  else
    return readIntConstant(constant.getValue());
}

/// Reads `dequantize(Wq)` whose Wq is `[rows, cols]`; `kDim` says which of
/// the two dims is k (0 for matmul's [K, N], 1 for linear's [N, K]).
std::optional<QuantizedWeightData> readDequantizedWeight(DequantizeOp dq,
                                                         unsigned kDim) {
  auto qType = dyn_cast<RankedTensorType>(dq.getInput().getType());
  auto scaleType = dyn_cast<RankedTensorType>(dq.getScale().getType());
  if (!qType || !scaleType || qType.getRank() != 2 ||
      !qType.hasStaticShape() || !scaleType.hasStaticShape())
    return std::nullopt;
  auto elementType = dyn_cast<IntegerType>(qType.getElementType());
  if (!elementType || elementType.getWidth() > 8)
    return std::nullopt;
  std::optional<std::vector<int64_t>> q = readConstant<int64_t>(dq.getInput());
  std::optional<std::vector<float>> s = readConstant<float>(dq.getScale());
  if (!q || !s)
    return std::nullopt;
  std::optional<std::vector<int64_t>> zp;
  if (dq.getZeroPoint()) {
    zp = readConstant<int64_t>(dq.getZeroPoint());
    if (!zp)
      return std::nullopt;
  }
  int64_t rows = qType.getDimSize(0), cols = qType.getDimSize(1);
  unsigned nDim = 1 - kDim;
  QuantizedWeightData w;
  w.elementType = elementType;
  w.n = kDim == 0 ? cols : rows;
  w.k = kDim == 0 ? rows : cols;
  auto at = [&](int64_t n, int64_t k) {
    return kDim == 0 ? k * cols + n : n * cols + k;
  };
  w.values.resize(w.n * w.k);
  for (int64_t n = 0; n < w.n; ++n)
    for (int64_t k = 0; k < w.k; ++k)
      w.values[n * w.k + k] = (*q)[at(n, k)];

  int64_t blockSize = static_cast<int64_t>(dq.getBlockSize());
  std::optional<int64_t> axis =
      normalizeAxis(static_cast<int64_t>(dq.getAxis()), 2);
  if (!axis)
    return std::nullopt;
  auto zeroAt = [&](int64_t i) { return zp ? (*zp)[i] : 0; };
  if (s->size() == 1 && scaleType.getRank() <= 1) {
    // Per-tensor: one scale for every channel.
    w.perTensor = true;
    w.scales.assign(w.n, (*s)[0]);
    if (zp)
      w.zeroPoints.assign(w.n, zeroAt(0));
  } else if (blockSize == 0 && scaleType.getRank() == 1 &&
             *axis == static_cast<int64_t>(nDim) &&
             scaleType.getDimSize(0) == w.n) {
    // Per output channel.
    w.scales = *s;
    if (zp)
      w.zeroPoints = *zp;
  } else if (blockSize > 0 && scaleType.getRank() == 2 &&
             *axis == static_cast<int64_t>(kDim)) {
    // Blocked along k: ONNX's scale is [groups, N] (matmul) or [N, groups]
    // (linear); quantized_linear wants [N, groups].
    int64_t groups = (w.k + blockSize - 1) / blockSize;
    if (scaleType.getDimSize(kDim) != groups ||
        scaleType.getDimSize(nDim) != w.n)
      return std::nullopt;
    w.groupSize = blockSize;
    w.scales.resize(w.n * groups);
    if (zp)
      w.zeroPoints.resize(w.n * groups);
    for (int64_t n = 0; n < w.n; ++n)
      for (int64_t g = 0; g < groups; ++g) {
        int64_t src = kDim == 0 ? g * w.n + n : n * groups + g;
        w.scales[n * groups + g] = (*s)[src];
        if (zp)
          w.zeroPoints[n * groups + g] = zeroAt(src);
      }
  } else {
    return std::nullopt;
  }
  if (auto constant = dq.getInput().getDefiningOp<ConstantOp>())
    w.name = getResourceName(constant.getValue());
  if (w.name.empty())
    w.name = "qdq_weight";
  return w;
}

/// `dequantize(quantize(x0, sx, zx))` with per-tensor constant 8-bit
/// parameters: the quantize op, its scale and zero point.
struct QuantizedActivation {
  QuantizeOp quantize;
  float scale;
  Value zeroPoint; // may be null
};

std::optional<QuantizedActivation> matchQuantizedActivation(Value x) {
  auto dq = x.getDefiningOp<DequantizeOp>();
  if (!dq)
    return std::nullopt;
  auto q = dq.getInput().getDefiningOp<QuantizeOp>();
  if (!q || q.getScale() != dq.getScale() ||
      q.getZeroPoint() != dq.getZeroPoint())
    return std::nullopt;
  auto qType = cast<RankedTensorType>(q.getType());
  if (qType.getElementType().getIntOrFloatBitWidth() != 8 ||
      qType.getRank() < 2)
    return std::nullopt;
  std::optional<std::vector<float>> s = readConstant<float>(q.getScale());
  if (!s || s->size() != 1)
    return std::nullopt;
  if (q.getZeroPoint()) {
    auto zpType = cast<RankedTensorType>(q.getZeroPoint().getType());
    if (zpType.getNumElements() != 1)
      return std::nullopt;
  }
  return QuantizedActivation{q, (*s)[0], q.getZeroPoint()};
}

/// matmul / linear of a dequantized constant weight.
struct FoldDequantizedWeight : RewritePattern {
  FoldDequantizedWeight(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    Value x, weight, bias;
    unsigned kDim;
    if (auto matmul = dyn_cast<MatmulOp>(op)) {
      x = matmul.getLhs();
      weight = matmul.getRhs();
      kDim = 0;
      // Gemm with transB: matmul(x, transpose(dequantize(W[N, K]))).
      if (Value inner = lookThroughTranspose2D(weight)) {
        weight = inner;
        kDim = 1;
      }
    } else if (auto linear = dyn_cast<LinearOp>(op)) {
      x = linear.getInput();
      weight = linear.getWeight();
      bias = linear.getBias();
      kDim = 1;
    } else {
      return failure();
    }
    auto dq = weight.getDefiningOp<DequantizeOp>();
    auto xType = dyn_cast<RankedTensorType>(x.getType());
    if (!dq || !xType || !xType.getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "no dequantized f32 weight");
    std::optional<QuantizedWeightData> w = readDequantizedWeight(dq, kDim);
    if (!w)
      return rewriter.notifyMatchFailure(op, "weight form not handled");
    Location loc = op->getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Type f32 = rewriter.getF32Type();

    std::optional<QuantizedActivation> act = matchQuantizedActivation(x);
    if (act && w->groupSize == 0 && w->elementType.getWidth() == 8) {
      // Integer product: quantized_matmul takes b as [K, N].
      std::vector<int64_t> kn(w->values.size());
      for (int64_t n = 0; n < w->n; ++n)
        for (int64_t k = 0; k < w->k; ++k)
          kn[k * w->n + n] = w->values[n * w->k + k];
      Value b = createSmallIntConstant(
          rewriter, loc, RankedTensorType::get({w->k, w->n}, w->elementType),
          kn, w->name + ".kn");
      Value bZeroPoint;
      if (!w->zeroPoints.empty()) {
        SmallVector<int64_t> zpShape;
        if (!w->perTensor)
          zpShape.push_back(w->n);
        ArrayRef<int64_t> zps(w->zeroPoints);
        bZeroPoint = createSmallIntConstant(
            rewriter, loc, RankedTensorType::get(zpShape, w->elementType),
            w->perTensor ? zps.take_front(1) : zps, w->name + ".zero_point");
      }
      Value acc = QuantizedMatmulOp::create(rewriter, loc,
                                            act->quantize.getResult(), b,
                                            act->zeroPoint, bZeroPoint);
      Value accFloat = CastOp::create(
          rewriter, loc, cast<RankedTensorType>(acc.getType()).clone(f32),
          acc);
      std::vector<float> combined(w->n);
      for (int64_t n = 0; n < w->n; ++n)
        combined[n] = act->scale * w->scales[n];
      Value scale = createFloatConstant(rewriter, loc, {w->n}, combined, f32,
                                        w->name + ".combined_scale");
      Value y = MulOp::create(rewriter, loc, accFloat, scale);
      if (bias)
        y = AddOp::create(rewriter, loc, y, bias);
      if (y.getType() != op->getResult(0).getType())
        return rewriter.notifyMatchFailure(op, "result type would change");
      rewriter.replaceOp(op, y);
      return success();
    }

    // Weight-only: quantized_linear on the float activations.
    Value q = createSmallIntConstant(
        rewriter, loc, RankedTensorType::get({w->n, w->k}, w->elementType),
        w->values, w->name + ".nk");
    SmallVector<int64_t> scaleShape = {w->n};
    if (w->groupSize)
      scaleShape.push_back(static_cast<int64_t>(w->scales.size()) / w->n);
    Type scaleElementType =
        getElementTypeOrSelf(dq.getScale().getType()).isF16()
            ? Type(Float16Type::get(ctx))
            : f32;
    Value scales = createFloatConstant(rewriter, loc, scaleShape, w->scales,
                                       scaleElementType, w->name + ".scale");
    Value zeroPoint;
    if (!w->zeroPoints.empty())
      zeroPoint = createSmallIntConstant(
          rewriter, loc, RankedTensorType::get(scaleShape, w->elementType),
          w->zeroPoints, w->name + ".zero_point");
    std::optional<int64_t> group;
    if (w->groupSize)
      group = w->groupSize;
    Value y = QuantizedLinearOp::create(rewriter, loc, x, q, scales,
                                        zeroPoint, bias, group);
    if (y.getType() != op->getResult(0).getType())
      return rewriter.notifyMatchFailure(op, "result type would change");
    rewriter.replaceOp(op, y);
    return success();
  }
};

struct FoldQDQPass
    : public transformer::impl::TransformerFoldQDQPassBase<FoldQDQPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldDequantizedWeight>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
