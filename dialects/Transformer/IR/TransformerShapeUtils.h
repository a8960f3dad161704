//===- TransformerShapeUtils.h - shape helpers for type inference -*- C++ -*-===//
//
// Shared helpers for the ops' type inference: numpy broadcasting with dynamic
// dims, axis normalisation, and diagnostics that work with the optional
// location `inferReturnTypes` receives.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_DIALECTS_TRANSFORMER_IR_TRANSFORMERSHAPEUTILS_H
#define LLM_DIALECTS_TRANSFORMER_IR_TRANSFORMERSHAPEUTILS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/TypeRange.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace mlir::llm::transformer {

/// Numpy-style broadcast of `shapes` (right-aligned). A dynamic dim against 1
/// stays dynamic; a dynamic dim against a static N > 1 becomes N. Returns
/// failure when two static dims differ and neither is 1.
FailureOr<SmallVector<int64_t>> broadcastShapes(ArrayRef<ArrayRef<int64_t>> shapes);

/// Broadcasts the shapes of `types` (ranked tensors) and emits an error at
/// `loc` naming `opName` when they are incompatible.
FailureOr<SmallVector<int64_t>> broadcastTensorShapes(std::optional<Location> loc,
                                                      StringRef opName,
                                                      TypeRange types);

/// Maps `axis` in [-rank, rank) to [0, rank); std::nullopt when out of range.
std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank);

/// Returns true when the two dims may be equal at run time (either is
/// dynamic, or both are the same static size).
inline bool dimsCompatible(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

/// True when a tensor of shape `operand` broadcasts (numpy rules) to
/// `target` without changing it: rank(operand) <= rank(target) and every
/// right-aligned dim of `operand` is 1 or may equal the target's.
bool broadcastsTo(ArrayRef<int64_t> operand, ArrayRef<int64_t> target);

/// The more static of two compatible dims (a static one wins over dynamic).
inline int64_t mergeDims(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) ? b : a;
}

/// Adds a dim sizes: dynamic when either is dynamic.
inline int64_t addDims(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b)
             ? ShapedType::kDynamic
             : a + b;
}

} // namespace mlir::llm::transformer

#endif // LLM_DIALECTS_TRANSFORMER_IR_TRANSFORMERSHAPEUTILS_H
