//===- TransformerShapeUtils.h - shape helpers for type inference -*- C++ -*-===//
//
// Shared helpers for the ops' type inference: numpy broadcasting with dynamic
// dims, axis normalisation, and diagnostics that work with the optional
// location `inferReturnTypes` receives. Also the shared pieces of the ops'
// `ReifyRankedShapedTypeOpInterface` implementations, which compute result
// dims at run time (`tensor.dim` of operands, `arith` on them) so that the
// lowerings can size `tensor.empty` destinations when batch and sequence are
// dynamic. They return static dims as index attributes and create IR only
// for dynamic ones.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_DIALECTS_TRANSFORMER_IR_TRANSFORMERSHAPEUTILS_H
#define LLM_DIALECTS_TRANSFORMER_IR_TRANSFORMERSHAPEUTILS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/TypeRange.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
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

/// normalizeAxis, or an error at `loc` ("'<opName>' expects axis in [-r, r),
/// got <axis>") when out of range.
FailureOr<int64_t> normalizeAxisOrEmit(std::optional<Location> loc,
                                       StringRef opName, int64_t axis,
                                       int64_t rank);

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

//===----------------------------------------------------------------------===//
// Result-shape reification
//===----------------------------------------------------------------------===//

/// Dim `dim` of tensor value `value`: the pair names where a result dim is
/// read from at run time.
using DimSource = std::pair<Value, int64_t>;

/// A dim that several operands must agree on (e.g. the batch of query, key
/// and value): the first of `sources` whose dim is static, as an attribute,
/// or else a `tensor.dim` of the first source. All sources must be equal at
/// run time (the verifiers only let through dims that may be).
/// `sources` must not be empty.
OpFoldResult reifySourceDim(OpBuilder &builder, Location loc,
                            ArrayRef<DimSource> sources);

/// Size of dim `dim` of a result of type `resultType`: an index attribute
/// when the result dim is static, otherwise `reifySourceDim(sources)`.
OpFoldResult reifyDim(OpBuilder &builder, Location loc,
                      RankedTensorType resultType, int64_t dim,
                      ArrayRef<DimSource> sources);

/// The sizes of a result of type `resultType` that has the shape of `source`
/// (same rank): static result dims as attributes, the others read from
/// `source`.
SmallVector<OpFoldResult> reifySameShape(OpBuilder &builder, Location loc,
                                         RankedTensorType resultType,
                                         Value source);

/// Body of `reifyResultShapes` for ops whose every result has the shape of
/// operand `operandIndex`: elementwise unary ops, casts, activations,
/// softmax, normalizations, rotary embedding, quantize/dequantize.
LogicalResult reifyResultsLikeOperand(Operation *op, OpBuilder &builder,
                                      ReifiedRankedShapedTypeDims &shapes,
                                      unsigned operandIndex = 0);

/// Numpy broadcasting at run time: the sizes of `resultShape`, the broadcast
/// of `operands`' shapes without their last `trailingDims` dims (0 for
/// elementwise ops, 2 for the batch dims of a matmul), right-aligned. A dim
/// static in `resultShape` is an attribute. For a dynamic one, the operands
/// that have the dim and whose dim is not a static 1 are the candidates: a
/// static candidate gives its size; a single dynamic candidate its
/// `tensor.dim`; several are combined pairwise as `d1 == 1 ? d2 : d1`
/// (`arith.cmpi` + `arith.select`), which is the broadcast of two compatible
/// dims including size 0 (broadcast(0, 1) = 0, where a max would give 1).
SmallVector<OpFoldResult> reifyBroadcastShape(OpBuilder &builder,
                                              Location loc,
                                              ArrayRef<int64_t> resultShape,
                                              ValueRange operands,
                                              int64_t trailingDims = 0);

/// The sizes of a batched matmul result `[batch..., M, N]` of type
/// `resultType`: batch dims broadcast from `lhs` and `rhs` (without their
/// last two dims), M from `lhs`'s dim -2, N from `rhs`'s last dim
/// (`transformer.matmul`, `transformer.quantized_matmul`).
SmallVector<OpFoldResult> reifyMatmulShape(OpBuilder &builder, Location loc,
                                           RankedTensorType resultType,
                                           Value lhs, Value rhs);

/// The sizes of a linear layer's result `[leading..., N]` of type
/// `resultType`: the leading dims of `input` (all but its last) and N from
/// `outFeatures` (the weight's dim 0 and whatever else must equal it)
/// (`transformer.linear`, `transformer.quantized_linear`).
SmallVector<OpFoldResult> reifyLinearShape(OpBuilder &builder, Location loc,
                                           RankedTensorType resultType,
                                           Value input,
                                           ArrayRef<DimSource> outFeatures);

/// `lhs + rhs` for index sizes: an attribute when both are static, otherwise
/// an `arith.addi` (a static side becomes an `arith.constant`).
OpFoldResult addSizes(OpBuilder &builder, Location loc, OpFoldResult lhs,
                      OpFoldResult rhs);

} // namespace mlir::llm::transformer

#endif // LLM_DIALECTS_TRANSFORMER_IR_TRANSFORMERSHAPEUTILS_H
