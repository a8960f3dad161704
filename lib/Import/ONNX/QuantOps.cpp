//===- QuantOps.cpp - ONNX quantization ops --------------------------------===//
//
// Converters for ONNX's QuantizeLinear, DequantizeLinear,
// DynamicQuantizeLinear, MatMulInteger and QLinearMatMul into the transformer dialect's
// quantization op group. Per-tensor, per-axis and blocked (opset 21)
// granularity carry over as the ops' `axis` / `block_size` attributes; the
// quantized element type comes from the zero point, else `output_dtype`
// (opset 21), else uint8, as ONNX specifies.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "Transformer/IR/TransformerOps.h"

using namespace mlir;
using namespace mlir::llm;
using namespace mlir::llm::onnx_import;
namespace tf = mlir::llm::transformer;

/// The optional input `i`, or a null Value.
static FailureOr<Value> optionalInput(NodeImporter &n, int i) {
  if (!n.hasInput(i))
    return Value();
  return n.input(i);
}

static std::string checkQuantize(const pb::NodeProto &node, int64_t) {
  for (const pb::AttributeProto &a : node.attribute())
    if (a.name() == "output_dtype" && a.i() != 0 &&
        !isSupportedDataType(a.i()))
      return "QuantizeLinear to unsupported type " + dataTypeName(a.i());
  return "";
}

static LogicalResult convertQuantize(NodeImporter &n) {
  FailureOr<Value> x = n.input(0), scale = n.input(1);
  FailureOr<Value> zp = optionalInput(n, 2);
  if (failed(x) || failed(scale) || failed(zp))
    return failure();
  Type element;
  if (*zp)
    element = cast<RankedTensorType>(zp->getType()).getElementType();
  else if (int64_t dt = n.intAttr("output_dtype", 0))
    element = convertDataType(n.getContext(), dt);
  else
    element = IntegerType::get(n.getContext(), 8, IntegerType::Unsigned);
  auto type = cast<RankedTensorType>(x->getType()).clone(element);
  n.setOutput(0, tf::QuantizeOp::create(
                     n.builder, n.loc, type, *x, *scale, *zp,
                     n.builder.getI64IntegerAttr(n.intAttr("axis", 1)),
                     n.builder.getI64IntegerAttr(n.intAttr("block_size", 0))));
  return success();
}

static LogicalResult convertDequantize(NodeImporter &n) {
  FailureOr<Value> x = n.input(0), scale = n.input(1);
  FailureOr<Value> zp = optionalInput(n, 2);
  if (failed(x) || failed(scale) || failed(zp))
    return failure();
  Type element = cast<RankedTensorType>(scale->getType()).getElementType();
  auto type = cast<RankedTensorType>(x->getType()).clone(element);
  n.setOutput(0, tf::DequantizeOp::create(
                     n.builder, n.loc, type, *x, *scale, *zp,
                     n.builder.getI64IntegerAttr(n.intAttr("axis", 1)),
                     n.builder.getI64IntegerAttr(n.intAttr("block_size", 0))));
  return success();
}

static LogicalResult convertDynamicQuantize(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  if (failed(x))
    return failure();
  MLIRContext *ctx = n.getContext();
  auto u8 = IntegerType::get(ctx, 8, IntegerType::Unsigned);
  auto type = cast<RankedTensorType>(x->getType());
  auto op = tf::DynamicQuantizeOp::create(
      n.builder, n.loc, type.clone(u8),
      RankedTensorType::get({}, Float32Type::get(ctx)),
      RankedTensorType::get({}, u8), *x, IntegerAttr());
  n.setOutput(0, op.getOutput());
  n.setOutput(1, op.getScale());
  n.setOutput(2, op.getZeroPoint());
  return success();
}

static LogicalResult convertMatMulInteger(NodeImporter &n) {
  FailureOr<Value> a = n.input(0), b = n.input(1);
  FailureOr<Value> azp = optionalInput(n, 2), bzp = optionalInput(n, 3);
  if (failed(a) || failed(b) || failed(azp) || failed(bzp))
    return failure();
  for (Value v : {*a, *b})
    if (cast<RankedTensorType>(v.getType()).getRank() < 2)
      return n.emitError() << "1-D operands are unsupported, got "
                           << v.getType();
  auto op = createInferred<tf::QuantizedMatmulOp>(n.builder, n.loc, 1, *a, *b,
                                                  *azp, *bzp);
  if (failed(op))
    return failure();
  n.setOutput(0, op->getResult());
  return success();
}

/// QLinearMatMul: y = quantize(((a - a_zp) @ (b - b_zp)) * a_scale *
/// b_scale, y_scale, y_zp): an exact integer matmul (i32), then one float
/// rescale and the requantization. Scales and zero points are per tensor,
/// or per row of `a` ([M]) / per column of `b` ([N]).
static LogicalResult convertQLinearMatMul(NodeImporter &n) {
  FailureOr<Value> a = n.input(0), aScale = n.input(1), aZp = n.input(2);
  FailureOr<Value> b = n.input(3), bScale = n.input(4), bZp = n.input(5);
  FailureOr<Value> yScale = n.input(6), yZp = optionalInput(n, 7);
  for (FailureOr<Value> v : {a, aScale, aZp, b, bScale, bZp, yScale, yZp})
    if (failed(v))
      return failure();
  for (Value v : {*a, *b})
    if (cast<RankedTensorType>(v.getType()).getRank() < 2)
      return n.emitError() << "1-D operands are unsupported, got "
                           << v.getType();
  auto acc = createInferred<tf::QuantizedMatmulOp>(n.builder, n.loc, 1, *a,
                                                   *b, *aZp, *bZp);
  if (failed(acc))
    return failure();
  auto accType = cast<RankedTensorType>(acc->getResult().getType());
  Type f32 = n.builder.getF32Type();
  Value y = tf::CastOp::create(n.builder, n.loc, accType.clone(f32),
                               acc->getResult());
  // a's per-row scale [M] multiplies rows: as [M, 1].
  Value rowScale = *aScale;
  auto aScaleType = cast<RankedTensorType>(rowScale.getType());
  if (aScaleType.getRank() == 1 && aScaleType.getDimSize(0) != 1) {
    auto op = createInferred<tf::UnsqueezeOp>(
        n.builder, n.loc, 1, rowScale, n.builder.getDenseI64ArrayAttr({1}));
    if (failed(op))
      return failure();
    rowScale = op->getResult();
  }
  for (Value scale : {rowScale, *bScale}) {
    if (cast<RankedTensorType>(scale.getType()).getElementType() != f32)
      return n.emitError() << "expects f32 scales, got " << scale.getType();
    auto mul = createInferred<tf::MulOp>(n.builder, n.loc, 1, y, scale);
    if (failed(mul))
      return failure();
    y = mul->getResult();
  }
  Type element = *yZp ? cast<RankedTensorType>(yZp->getType()).getElementType()
                      : IntegerType::get(n.getContext(), 8,
                                         IntegerType::Unsigned);
  n.setOutput(0, tf::QuantizeOp::create(
                     n.builder, n.loc,
                     cast<RankedTensorType>(y.getType()).clone(element), y,
                     *yScale, *yZp, n.builder.getI64IntegerAttr(1),
                     n.builder.getI64IntegerAttr(0)));
  return success();
}

void mlir::llm::onnx_import::addQuantOps(OpTable &t) {
  constexpr int64_t hi = 21;
  // Opsets 10-12 are the per-tensor forms (a scalar scale), which the
  // converters handle as a special case of the later ones.
  t.add({"", "QuantizeLinear", 10, hi, 2, 3, 1,
         {"axis", "saturate", "block_size", "output_dtype"}, convertQuantize,
         checkQuantize});
  t.add({"", "DequantizeLinear", 10, hi, 2, 3, 1, {"axis", "block_size"},
         convertDequantize});
  t.add({"", "DynamicQuantizeLinear", 11, hi, 1, 1, 3, {},
         convertDynamicQuantize});
  t.add({"", "MatMulInteger", 10, hi, 2, 4, 1, {}, convertMatMulInteger});
  t.add({"", "QLinearMatMul", 10, hi, 7, 8, 1, {}, convertQLinearMatMul});
}
