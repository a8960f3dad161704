//===- TransformerIndexingOps.cpp - gather_elements, scatter_nd, cumsum ---===//
//
// Type inference (which is also the verification: the generated verifier
// compares the written result type with the inferred one) and result-shape
// reification of the indexing op group. Static dims that the operands
// constrain are checked here; dynamic ones are left to run time, where out of
// range indices are undefined behaviour as in ONNX.
//
//===----------------------------------------------------------------------===//

#include "Transformer/IR/TransformerOps.h"
#include "Transformer/IR/TransformerShapeUtils.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::llm::transformer;

/// Reports "'<opName>' <message>" at `location` (when given).
static LogicalResult fail(std::optional<Location> location, StringRef opName,
                          const Twine &message) {
  return emitOptionalError(location, "'", opName, "' ", message.str());
}

//===----------------------------------------------------------------------===//
// GatherElementsOp
//===----------------------------------------------------------------------===//

LogicalResult GatherElementsOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<Type> &inferred) {
  auto dataType = cast<RankedTensorType>(adaptor.getData().getType());
  auto indicesType = cast<RankedTensorType>(adaptor.getIndices().getType());
  int64_t rank = dataType.getRank();
  if (rank == 0)
    return fail(location, getOperationName(), "expects data of rank >= 1");
  if (indicesType.getRank() != rank)
    return fail(location, getOperationName(),
                "expects indices of the data's rank (" + Twine(rank) +
                    "), got rank " + Twine(indicesType.getRank()));
  FailureOr<int64_t> axis = normalizeAxisOrEmit(
      location, getOperationName(), static_cast<int64_t>(adaptor.getAxis()),
      rank);
  if (failed(axis))
    return failure();
  for (int64_t d = 0; d < rank; ++d) {
    int64_t i = indicesType.getDimSize(d), x = dataType.getDimSize(d);
    if (d != *axis && !ShapedType::isDynamic(i) && !ShapedType::isDynamic(x) &&
        i > x)
      return fail(location, getOperationName(),
                  "indices dim " + Twine(d) + " (" + Twine(i) +
                      ") exceeds the data's (" + Twine(x) + ")");
  }
  inferred.push_back(
      RankedTensorType::get(indicesType.getShape(), dataType.getElementType()));
  return success();
}

LogicalResult GatherElementsOp::reifyResultShapes(
    OpBuilder &builder, ReifiedRankedShapedTypeDims &reifiedShapes) {
  reifiedShapes.push_back(
      reifySameShape(builder, getLoc(), getType(), getIndices()));
  return success();
}

//===----------------------------------------------------------------------===//
// ScatterNDOp
//===----------------------------------------------------------------------===//

LogicalResult
ScatterNDOp::inferReturnTypes(MLIRContext *, std::optional<Location> location,
                              Adaptor adaptor,
                              SmallVectorImpl<Type> &inferred) {
  auto dataType = cast<RankedTensorType>(adaptor.getData().getType());
  auto indicesType = cast<RankedTensorType>(adaptor.getIndices().getType());
  auto updatesType = cast<RankedTensorType>(adaptor.getUpdates().getType());
  StringRef name = getOperationName();
  StringRef reduction = adaptor.getReduction();
  if (reduction != "none" && reduction != "add" && reduction != "mul" &&
      reduction != "max" && reduction != "min")
    return fail(location, name,
                "expects reduction none, add, mul, max or min, got '" +
                    reduction + "'");
  if (reduction != "none" && dataType.getElementType().isInteger(1))
    return fail(location, name,
                "reduction '" + reduction + "' is not defined on i1");
  int64_t r = dataType.getRank(), q = indicesType.getRank();
  if (r == 0)
    return fail(location, name, "expects data of rank >= 1");
  if (q == 0)
    return fail(location, name, "expects indices of rank >= 1");
  int64_t k = indicesType.getDimSize(q - 1);
  if (ShapedType::isDynamic(k))
    return fail(location, name,
                "expects a static last dim of indices (the index length)");
  if (k < 1 || k > r)
    return fail(location, name,
                "expects an index length in [1, " + Twine(r) + "], got " +
                    Twine(k));
  SmallVector<int64_t> expected(indicesType.getShape().drop_back());
  llvm::append_range(expected, dataType.getShape().drop_front(k));
  if (updatesType.getRank() != static_cast<int64_t>(expected.size()))
    return fail(location, name,
                "expects updates of rank " + Twine(expected.size()) +
                    " (indices.shape[:-1] + data.shape[" + Twine(k) +
                    ":]), got rank " + Twine(updatesType.getRank()));
  for (auto [d, e] : llvm::enumerate(expected))
    if (!dimsCompatible(e, updatesType.getDimSize(d)))
      return fail(location, name,
                  "updates dim " + Twine(d) + " is " +
                      Twine(updatesType.getDimSize(d)) + ", expected " +
                      Twine(e));
  inferred.push_back(dataType);
  return success();
}

LogicalResult
ScatterNDOp::reifyResultShapes(OpBuilder &builder,
                               ReifiedRankedShapedTypeDims &reifiedShapes) {
  reifiedShapes.push_back(
      reifySameShape(builder, getLoc(), getType(), getData()));
  return success();
}

//===----------------------------------------------------------------------===//
// CumSumOp
//===----------------------------------------------------------------------===//

LogicalResult CumSumOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  auto type = cast<RankedTensorType>(adaptor.getInput().getType());
  if (type.getElementType().isInteger(1))
    return fail(location, getOperationName(), "is not defined on i1");
  if (type.getRank() == 0)
    return fail(location, getOperationName(), "expects an input of rank >= 1");
  if (failed(normalizeAxisOrEmit(location, getOperationName(),
                                 static_cast<int64_t>(adaptor.getAxis()),
                                 type.getRank())))
    return failure();
  inferred.push_back(type);
  return success();
}

LogicalResult
CumSumOp::reifyResultShapes(OpBuilder &builder,
                            ReifiedRankedShapedTypeDims &reifiedShapes) {
  return reifyResultsLikeOperand(*this, builder, reifiedShapes);
}

#define GET_OP_CLASSES
#include "Transformer/IR/TransformerIndexingOps.cpp.inc"
