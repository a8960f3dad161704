//===- IndexingOps.cpp - ONNX GatherElements, ScatterND, CumSum ------------===//
//
// Converters for ONNX's data-dependent indexing ops into the transformer
// dialect's indexing op group:
//  - GatherElements -> gather_elements;
//  - ScatterND (reduction none/add/mul/max/min) -> scatter_nd;
//  - CumSum (exclusive, reverse) -> cumsum. Its axis is an input: a constant
//    becomes the op's attribute; an axis only known at run time (a graph
//    input, as in ONNX's own tests) is handled by computing the cumsum along
//    every axis the input has and selecting the one whose index equals the
//    axis (`compare` + `where`); a 1-D input needs no selection.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "Transformer/IR/TransformerOps.h"

using namespace mlir;
using namespace mlir::llm;
using namespace mlir::llm::onnx_import;
namespace tf = mlir::llm::transformer;

//===----------------------------------------------------------------------===//
// GatherElements
//===----------------------------------------------------------------------===//

static LogicalResult convertGatherElements(NodeImporter &n) {
  FailureOr<Value> data = n.input(0), indices = n.input(1);
  if (failed(data) || failed(indices))
    return failure();
  auto op = createInferred<tf::GatherElementsOp>(
      n.builder, n.loc, 1, *data, *indices,
      n.builder.getI64IntegerAttr(n.intAttr("axis", 0)));
  if (failed(op))
    return failure();
  n.setOutput(0, op->getResult());
  return success();
}

//===----------------------------------------------------------------------===//
// ScatterND
//===----------------------------------------------------------------------===//

static std::string checkScatterND(const pb::NodeProto &node, int64_t opset) {
  for (const pb::AttributeProto &a : node.attribute()) {
    if (a.name() != "reduction")
      continue;
    const std::string &r = a.s();
    bool known = r == "none" || (opset >= 16 && (r == "add" || r == "mul")) ||
                 (opset >= 18 && (r == "max" || r == "min"));
    if (!known)
      return "ScatterND reduction '" + r + "' is not defined at opset " +
             std::to_string(opset);
  }
  return "";
}

static LogicalResult convertScatterND(NodeImporter &n) {
  FailureOr<Value> data = n.input(0), indices = n.input(1),
                   updates = n.input(2);
  if (failed(data) || failed(indices) || failed(updates))
    return failure();
  auto op = createInferred<tf::ScatterNDOp>(
      n.builder, n.loc, 1, *data, *indices, *updates,
      n.builder.getStringAttr(n.stringAttr("reduction", "none")));
  if (failed(op))
    return failure();
  n.setOutput(0, op->getResult());
  return success();
}

//===----------------------------------------------------------------------===//
// CumSum
//===----------------------------------------------------------------------===//

static FailureOr<Value> emitCumSum(NodeImporter &n, Value x, int64_t axis) {
  auto op = createInferred<tf::CumSumOp>(
      n.builder, n.loc, 1, x, n.builder.getI64IntegerAttr(axis),
      n.intAttr("exclusive", 0) ? n.builder.getUnitAttr() : UnitAttr(),
      n.intAttr("reverse", 0) ? n.builder.getUnitAttr() : UnitAttr());
  if (failed(op))
    return failure();
  return op->getResult();
}

/// A rank-0 constant of `type` (an integer type) holding `value`.
static Value intScalar(NodeImporter &n, Type type, int64_t value) {
  auto t = RankedTensorType::get({}, type);
  return tf::ConstantOp::create(
      n.builder, n.loc, t,
      DenseElementsAttr::get(t, APInt(type.getIntOrFloatBitWidth(), value,
                                      /*isSigned=*/true)));
}

static LogicalResult convertCumSum(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  if (failed(x))
    return failure();
  int64_t rank = cast<RankedTensorType>(x->getType()).getRank();
  RankedTensorType axisType = n.inputType(1);
  if (axisType.getRank() > 1 ||
      (axisType.getRank() == 1 && axisType.getDimSize(0) != 1))
    return n.emitError() << "expects a scalar (or 1-element) axis, got "
                         << axisType;

  if (const SymInts *axis = n.inputInts(1);
      axis && axis->size() == 1 && (*axis)[0].isConstant()) {
    FailureOr<Value> r = emitCumSum(n, *x, (*axis)[0].constant);
    if (failed(r))
      return failure();
    n.setOutput(0, *r);
    return success();
  }
  if (rank == 0)
    return n.emitError() << "expects an input of rank >= 1";
  // A 1-D input has one valid axis, whatever its spelling (0 or -1).
  FailureOr<Value> result = emitCumSum(n, *x, 0);
  if (failed(result))
    return failure();
  if (rank == 1) {
    n.setOutput(0, *result);
    return success();
  }

  // Axis known at run time: select, element by element, the cumsum along
  // the axis `d` that equals the axis (d or d - rank). An axis out of range
  // selects dim 0, as ONNX leaves it undefined.
  FailureOr<Value> axis = n.input(1);
  if (failed(axis))
    return failure();
  Type axisElement = axisType.getElementType();
  auto equals = [&](int64_t value) -> FailureOr<Value> {
    auto op = createInferred<tf::CompareOp>(
        n.builder, n.loc, 1, tf::ComparePredicate::EQ, *axis,
        intScalar(n, axisElement, value));
    if (failed(op))
      return failure();
    return op->getResult();
  };
  for (int64_t d = 1; d < rank; ++d) {
    FailureOr<Value> along = emitCumSum(n, *x, d);
    FailureOr<Value> pos = equals(d), neg = equals(d - rank);
    if (failed(along) || failed(pos) || failed(neg))
      return failure();
    auto either = createInferred<tf::OrOp>(n.builder, n.loc, 1, *pos, *neg);
    if (failed(either))
      return failure();
    auto select = createInferred<tf::WhereOp>(
        n.builder, n.loc, 1, either->getResult(), *along, *result);
    if (failed(select))
      return failure();
    result = select->getResult();
  }
  n.setOutput(0, *result);
  return success();
}

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

void mlir::llm::onnx_import::addIndexingOps(OpTable &t) {
  constexpr int64_t hi = 21;
  t.add({"", "GatherElements", 11, hi, 2, 2, 1, {"axis"},
         convertGatherElements});
  t.add({"", "ScatterND", 11, hi, 3, 3, 1, {"reduction"}, convertScatterND,
         checkScatterND});
  t.add({"", "CumSum", 11, hi, 2, 2, 1, {"exclusive", "reverse"},
         convertCumSum});
}
