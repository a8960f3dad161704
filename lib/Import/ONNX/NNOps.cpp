//===- NNOps.cpp - ONNX matrix products, normalization, activations --------===//
//
// Converters for ONNX's MatMul and Gemm, Softmax/LogSoftmax,
// LayerNormalization and Gelu into the transformer dialect's NN op group.
// MatMul's 1-D operand rules and Gemm's transposes, alpha and beta are
// expanded here into unsqueeze/squeeze, transpose, mul and add, so that
// `transformer.matmul` itself only sees rank >= 2 operands.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "Transformer/IR/TransformerOps.h"

using namespace mlir;
using namespace mlir::llm;
using namespace mlir::llm::onnx_import;
namespace tf = mlir::llm::transformer;

/// A scalar constant `value` of `elementType` (a float type).
static Value scalarConstant(NodeImporter &n, Type elementType, double value) {
  auto type = RankedTensorType::get({}, elementType);
  APFloat v(value);
  bool lost;
  v.convert(cast<FloatType>(elementType).getFloatSemantics(),
            APFloat::rmNearestTiesToEven, &lost);
  return tf::ConstantOp::create(n.builder, n.loc, type,
                                DenseElementsAttr::get(type, v));
}

//===----------------------------------------------------------------------===//
// MatMul, Gemm
//===----------------------------------------------------------------------===//

static FailureOr<Value> emitMatmul(NodeImporter &n, Value a, Value b) {
  auto op = createInferred<tf::MatmulOp>(n.builder, n.loc, 1, a, b);
  if (failed(op))
    return failure();
  return op->getResult();
}

static FailureOr<Value> emitUnsqueeze(NodeImporter &n, Value v,
                                      ArrayRef<int64_t> axes) {
  auto op = createInferred<tf::UnsqueezeOp>(
      n.builder, n.loc, 1, v, n.builder.getDenseI64ArrayAttr(axes));
  if (failed(op))
    return failure();
  return op->getResult();
}

static LogicalResult convertMatMul(NodeImporter &n) {
  FailureOr<Value> a = n.input(0), b = n.input(1);
  if (failed(a) || failed(b))
    return failure();
  int64_t ra = cast<RankedTensorType>(a->getType()).getRank();
  int64_t rb = cast<RankedTensorType>(b->getType()).getRank();
  if (ra == 0 || rb == 0)
    return n.emitError() << "expects operands of rank >= 1, got ranks " << ra
                         << " and " << rb;
  // numpy matmul: a 1-D lhs is a row vector, a 1-D rhs a column vector; the
  // added dim is removed from the result.
  if (ra == 1)
    a = emitUnsqueeze(n, *a, {0});
  if (rb == 1)
    b = emitUnsqueeze(n, *b, {1});
  if (failed(a) || failed(b))
    return failure();
  FailureOr<Value> r = emitMatmul(n, *a, *b);
  if (failed(r))
    return failure();
  SmallVector<int64_t> squeeze;
  if (ra == 1)
    squeeze.push_back(-2);
  if (rb == 1)
    squeeze.push_back(-1);
  if (!squeeze.empty()) {
    auto op = createInferred<tf::SqueezeOp>(
        n.builder, n.loc, 1, *r, n.builder.getDenseI64ArrayAttr(squeeze));
    if (failed(op))
      return failure();
    r = op->getResult();
  }
  n.setOutput(0, *r);
  return success();
}

static LogicalResult convertGemm(NodeImporter &n) {
  FailureOr<Value> a = n.input(0), b = n.input(1);
  if (failed(a) || failed(b))
    return failure();
  for (Value v : {*a, *b})
    if (cast<RankedTensorType>(v.getType()).getRank() != 2)
      return n.emitError() << "expects 2-D A and B, got " << v.getType();
  auto transpose = [&](Value v) -> FailureOr<Value> {
    auto op = createInferred<tf::TransposeOp>(
        n.builder, n.loc, 1, v, n.builder.getDenseI64ArrayAttr({1, 0}));
    if (failed(op))
      return failure();
    return op->getResult();
  };
  if (n.intAttr("transA", 0))
    a = transpose(*a);
  if (n.intAttr("transB", 0))
    b = transpose(*b);
  if (failed(a) || failed(b))
    return failure();
  FailureOr<Value> y = emitMatmul(n, *a, *b);
  if (failed(y))
    return failure();
  Type elementType = cast<RankedTensorType>(y->getType()).getElementType();
  float alpha = n.floatAttr("alpha", 1.0f), beta = n.floatAttr("beta", 1.0f);
  if ((alpha != 1.0f || beta != 1.0f) && !isa<FloatType>(elementType))
    return n.emitError() << "alpha and beta are only supported for "
                            "floating-point Gemm";
  auto mulScalar = [&](Value v, float s) -> FailureOr<Value> {
    if (s == 1.0f)
      return v;
    auto op = createInferred<tf::MulOp>(n.builder, n.loc, 1, v,
                                        scalarConstant(n, elementType, s));
    if (failed(op))
      return failure();
    return op->getResult();
  };
  y = mulScalar(*y, alpha);
  if (failed(y))
    return failure();
  if (n.hasInput(2) && beta != 0.0f) {
    FailureOr<Value> c = n.input(2);
    if (failed(c))
      return failure();
    c = mulScalar(*c, beta);
    if (failed(c))
      return failure();
    auto op = createInferred<tf::AddOp>(n.builder, n.loc, 1, *y, *c);
    if (failed(op))
      return failure();
    y = op->getResult();
  }
  n.setOutput(0, *y);
  return success();
}

//===----------------------------------------------------------------------===//
// Softmax, LayerNormalization, Gelu
//===----------------------------------------------------------------------===//

template <typename OpTy>
static LogicalResult convertSoftmax(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  if (failed(x))
    return failure();
  n.setOutput(0, OpTy::create(n.builder, n.loc, x->getType(), *x,
                              n.builder.getI64IntegerAttr(
                                  n.intAttr("axis", -1))));
  return success();
}

static std::string checkLayerNorm(const pb::NodeProto &node, int64_t) {
  for (const pb::AttributeProto &a : node.attribute())
    if (a.name() == "stash_type" && a.i() != 1)
      return "LayerNormalization stash_type " + std::to_string(a.i()) +
             " is unsupported (only 1, float32)";
  return "";
}

static LogicalResult convertLayerNorm(NodeImporter &n) {
  FailureOr<Value> x = n.input(0), scale = n.input(1);
  if (failed(x) || failed(scale))
    return failure();
  Value bias;
  if (n.hasInput(2)) {
    FailureOr<Value> b = n.input(2);
    if (failed(b))
      return failure();
    bias = *b;
  }
  int64_t axis = n.intAttr("axis", -1);
  float epsilon = n.floatAttr("epsilon", 1e-5f);
  n.setOutput(0, tf::LayerNormOp::create(
                     n.builder, n.loc, x->getType(), *x, *scale, bias,
                     n.builder.getI64IntegerAttr(axis),
                     n.builder.getF32FloatAttr(epsilon)));
  if (!n.hasOutput(1) && !n.hasOutput(2))
    return success();

  // The optional Mean and InvStdDev outputs: statistics over [axis, rank)
  // with the reduced dims kept, InvStdDev = 1 / sqrt(var + epsilon) with
  // the biased variance.
  auto type = cast<RankedTensorType>(x->getType());
  FailureOr<int64_t> first = n.normalizeAxis(axis, type.getRank(), "axis");
  if (failed(first))
    return failure();
  SmallVector<int64_t> axes;
  for (int64_t d = *first; d < type.getRank(); ++d)
    axes.push_back(d);
  auto reduceMean = [&](Value v) -> FailureOr<Value> {
    auto op = createInferred<tf::ReduceMeanOp>(
        n.builder, n.loc, 1, v, n.builder.getDenseI64ArrayAttr(axes),
        n.builder.getBoolAttr(true));
    if (failed(op))
      return failure();
    return op->getResult();
  };
  FailureOr<Value> mean = reduceMean(*x);
  if (failed(mean))
    return failure();
  n.setOutput(1, *mean);
  if (!n.hasOutput(2))
    return success();
  auto centered = createInferred<tf::SubOp>(n.builder, n.loc, 1, *x, *mean);
  if (failed(centered))
    return failure();
  auto squared = createInferred<tf::MulOp>(n.builder, n.loc, 1,
                                           centered->getResult(),
                                           centered->getResult());
  if (failed(squared))
    return failure();
  FailureOr<Value> var = reduceMean(squared->getResult());
  if (failed(var))
    return failure();
  auto shifted = createInferred<tf::AddOp>(
      n.builder, n.loc, 1, *var,
      scalarConstant(n, type.getElementType(), epsilon));
  if (failed(shifted))
    return failure();
  n.setOutput(2, tf::RsqrtOp::create(n.builder, n.loc,
                                     shifted->getResult().getType(),
                                     shifted->getResult()));
  return success();
}

static std::string checkGelu(const pb::NodeProto &node, int64_t) {
  for (const pb::AttributeProto &a : node.attribute())
    if (a.name() == "approximate" && a.s() != "none" && a.s() != "tanh")
      return "Gelu approximate='" + a.s() + "' is unsupported";
  return "";
}

static LogicalResult convertGelu(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  if (failed(x))
    return failure();
  auto approx = n.stringAttr("approximate", "none") == "tanh"
                    ? tf::GeluApproximation::Tanh
                    : tf::GeluApproximation::Erf;
  n.setOutput(0, tf::GeluOp::create(
                     n.builder, n.loc, x->getType(), *x,
                     tf::GeluApproximationAttr::get(n.getContext(), approx)));
  return success();
}

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

void mlir::llm::onnx_import::addNNOps(OpTable &t) {
  constexpr int64_t lo = 13, hi = 21;
  t.add({"", "MatMul", 9, hi, 2, 2, 1, {}, convertMatMul});
  t.add({"", "Gemm", 11, hi, 2, 3, 1, {"alpha", "beta", "transA", "transB"},
         convertGemm});
  t.add({"", "Softmax", lo, hi, 1, 1, 1, {"axis"}, convertSoftmax<tf::SoftmaxOp>});
  t.add({"", "LogSoftmax", lo, hi, 1, 1, 1, {"axis"},
         convertSoftmax<tf::LogSoftmaxOp>});
  t.add({"", "LayerNormalization", 17, hi, 2, 3, 3, {"axis", "epsilon", "stash_type"},
         convertLayerNorm, checkLayerNorm});
  t.add({"", "Gelu", 20, hi, 1, 1, 1, {"approximate"}, convertGelu, checkGelu});
}
