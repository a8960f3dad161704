//===- LoweringUtils.h - helpers shared by transformer lowerings -*- C++ -*-===//
//
// Building blocks used by every op group's lowering to linalg: result sizes
// from ReifyRankedShapedTypeOpInterface, `tensor.empty` / filled inits,
// numpy-broadcast indexing maps, an elementwise `linalg.generic` builder, and
// scalar element-type conversion (for cast and quantization).
//
//===----------------------------------------------------------------------===//

#ifndef LLM_LIB_CONVERSION_TRANSFORMERTOLINALG_LOWERINGUTILS_H
#define LLM_LIB_CONVERSION_TRANSFORMERTOLINALG_LOWERINGUTILS_H

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"

namespace mlir::llm {

/// The sizes of result `resultIndex` of `op`: static dims as attributes,
/// dynamic ones computed through the op's ReifyRankedShapedTypeOpInterface.
/// Fails when a dim is dynamic and the op cannot reify it.
FailureOr<SmallVector<OpFoldResult>>
getResultSizes(OpBuilder &b, Operation *op, unsigned resultIndex = 0);

/// `tensor.empty` with the sizes of result `resultIndex` of `op` and its
/// element type (or `elementType` when given).
FailureOr<Value> createEmptyForResult(OpBuilder &b, Operation *op,
                                      unsigned resultIndex = 0,
                                      Type elementType = {});

/// `linalg.fill` of `value` (a scalar of the element type) into `empty`.
Value createFill(OpBuilder &b, Location loc, Value empty, Value value);

/// A scalar `arith.constant` of `type` holding `value` (float or integer).
Value createScalarConstant(OpBuilder &b, Location loc, Type type, double value);

/// The indexing map that reads an operand of `operandType` broadcast (numpy
/// rules, right-aligned) to an iteration space of rank `resultRank` whose
/// sizes are `resultShape`: a static size-1 operand dim that the result does
/// not have as 1 reads index 0. Dynamic operand dims are assumed not to
/// broadcast.
AffineMap getBroadcastIndexingMap(MLIRContext *context,
                                  RankedTensorType operandType,
                                  ArrayRef<int64_t> resultShape);

/// Body builder of an elementwise generic: gets the scalar inputs (one per
/// input operand) and returns the scalar result.
using ScalarBodyBuilder =
    function_ref<Value(OpBuilder &b, Location loc, ValueRange inputs)>;

/// An all-parallel `linalg.generic` over `init`'s shape that broadcasts each
/// of `inputs` to it and computes `body` per element.
Value buildElementwiseGeneric(OpBuilder &b, Location loc, ValueRange inputs,
                              Value init, ScalarBodyBuilder body);

/// Converts scalar `value` from `from` to `to` element type with ONNX Cast
/// semantics: float<->float extends/truncates, float->int truncates toward
/// zero (fptosi/fptoui), int->float (sitofp/uitofp per `from` signedness),
/// int->int extends per `from` signedness or truncates, i1 as 0/1. Types may
/// be signed/unsigned integer types (the value is then signless of that
/// width).
Value convertScalar(OpBuilder &b, Location loc, Value value, Type from,
                    Type to);

/// The signless integer type of the same width, or `type` if not an integer.
Type toSignless(Type type);

/// `value` as a signless integer of the same width when its type is a signed
/// or unsigned integer (through `builtin.unrealized_conversion_cast`, as the
/// upstream TOSA lowering does, since arith ops take signless integers only);
/// any other value is returned as is. Used on the block arguments of
/// generics over `ui8`/`si32`/... tensors.
Value castToSignless(OpBuilder &b, Location loc, Value value);

/// The inverse of castToSignless: `value` (signless) as `type` when `type` is
/// a signed or unsigned integer type; otherwise `value` unchanged.
Value castFromSignless(OpBuilder &b, Location loc, Value value, Type type);

/// `index` (any integer type) as an `index` value, plus `size` when negative
/// (ONNX indices count from the end of their dim).
Value wrapIndex(OpBuilder &b, Location loc, Value index, Value size);

/// True for integer element types compared and extended as unsigned:
/// unsigned integers and `i1` (so that `true > false`).
bool isUnsignedLike(Type type);

/// The reassociation that collapses the dims of a rank-`unitDims.size()`
/// shape whose `unitDims` entries are true (size-1 dims) into their
/// neighbours, or the reassociation of the matching expand_shape that
/// inserts them: every other dim starts a group, a unit dim joins the group
/// before it (leading unit dims join the first group). Empty when every dim
/// is a unit dim (a collapse to / expand from rank 0).
SmallVector<ReassociationIndices>
getUnitDimReassociation(ArrayRef<bool> unitDims);

} // namespace mlir::llm

#endif // LLM_LIB_CONVERSION_TRANSFORMERTOLINALG_LOWERINGUTILS_H
