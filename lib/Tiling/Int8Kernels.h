//===- Int8Kernels.h - shared pieces of the low-bit kernels ----*- C++ -*-===//
//
// Helpers shared by the integer kernels (Int8Contractions.cpp) and the
// weight-only kernels (WeightOnlyContractions.cpp) of
// llm-tile-int8-contractions: reading constant weights from memref globals,
// adding packed globals, small constant builders, and the weight-only
// rewrite's entry point.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_LIB_TILING_INT8KERNELS_H
#define LLM_LIB_TILING_INT8KERNELS_H

#include "llm/Tiling/TargetDescription.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/SymbolTable.h"

#include <optional>
#include <vector>

namespace mlir::llm::int8 {

/// The global a `memref.get_global` reads, if it is a constant with data.
std::optional<std::pair<memref::GlobalOp, ElementsAttr>>
getConstantGlobal(Value value);

/// The values of an 8-bit constant, extended as `isUnsigned` says.
std::optional<std::vector<int32_t>> readBytes(ElementsAttr attr,
                                              bool isUnsigned);

/// A private constant global holding `data` with `type`, named after `base`
/// (made unique), 64-byte aligned.
memref::GlobalOp createGlobal(OpBuilder &b, Location loc, SymbolTable &symbols,
                              StringRef base, MemRefType type,
                              DenseElementsAttr data);

Value cst(OpBuilder &b, Location loc, int64_t v);
Value cstI32(OpBuilder &b, Location loc, int32_t v);

/// Rewrites a weight-only contraction of `transformer.quantized_linear`
/// (f32 activations x constant 8- or 4-bit weights with per-channel or
/// grouped scales and zero points) into the f32 kernel that unpacks and
/// converts the weights in registers. Returns false, leaving `op` alone,
/// when `op` is not such a contraction or its weights are not constants.
/// The ops that fed only its weights (get_globals, the generic filling a
/// 4-bit buffer) are appended to `deadAfter` for the caller to erase once
/// unused.
bool rewriteWeightOnly(linalg::GenericOp op, const TargetDescription &target,
                       SymbolTable &symbols,
                       SmallVectorImpl<Operation *> &deadAfter);

} // namespace mlir::llm::int8

#endif // LLM_LIB_TILING_INT8KERNELS_H
