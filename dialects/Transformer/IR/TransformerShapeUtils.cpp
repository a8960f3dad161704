//===- TransformerShapeUtils.cpp - shape helpers for type inference ------===//
//
// Numpy broadcasting (with dynamic dims) and axis normalisation used by the
// `inferReturnTypes` implementations of every op group.
//
//===----------------------------------------------------------------------===//

#include "Transformer/IR/TransformerShapeUtils.h"

#include "mlir/Dialect/Traits.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;

namespace mlir::llm::transformer {

FailureOr<SmallVector<int64_t>>
broadcastShapes(ArrayRef<ArrayRef<int64_t>> shapes) {
  SmallVector<int64_t> result;
  for (ArrayRef<int64_t> shape : shapes) {
    SmallVector<int64_t> next;
    if (!OpTrait::util::getBroadcastedShape(result, shape, next))
      return failure();
    result = std::move(next);
  }
  return result;
}

FailureOr<SmallVector<int64_t>>
broadcastTensorShapes(std::optional<Location> loc, StringRef opName,
                      TypeRange types) {
  SmallVector<ArrayRef<int64_t>> shapes;
  for (Type type : types) {
    auto ranked = dyn_cast<RankedTensorType>(type);
    if (!ranked)
      return emitOptionalError(loc, "'", opName, "' expects ranked tensors");
    shapes.push_back(ranked.getShape());
  }
  FailureOr<SmallVector<int64_t>> result = broadcastShapes(shapes);
  if (failed(result)) {
    std::string message;
    llvm::raw_string_ostream os(message);
    llvm::interleave(types, os, ", ");
    return emitOptionalError(loc, "'", opName,
                             "' operands are not broadcast-compatible: ",
                             message);
  }
  return result;
}

bool broadcastsTo(ArrayRef<int64_t> operand, ArrayRef<int64_t> target) {
  if (operand.size() > target.size())
    return false;
  size_t offset = target.size() - operand.size();
  for (auto [i, dim] : llvm::enumerate(operand))
    if (dim != 1 && !dimsCompatible(dim, target[offset + i]))
      return false;
  return true;
}

std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

} // namespace mlir::llm::transformer
