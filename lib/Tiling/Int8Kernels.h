//===- Int8Kernels.h - shared pieces of the low-bit kernels ----*- C++ -*-===//
//
// Helpers shared by the integer kernels (Int8Contractions.cpp) and the
// weight-only kernels (WeightOnlyContractions.cpp) of
// llm-tile-int8-contractions: reading constant weights from memref globals,
// adding packed globals, small constant builders, the weight-only
// rewrite's entry point, and the int8 names of the fused epilogue
// (ContractionEpilogue.h).
//
//===----------------------------------------------------------------------===//

#ifndef LLM_LIB_TILING_INT8KERNELS_H
#define LLM_LIB_TILING_INT8KERNELS_H

#include "llm/Tiling/TargetDescription.h"

#include "ContractionEpilogue.h"
#include "TilingUtils.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/SymbolTable.h"

#include <optional>
#include <vector>

namespace mlir::llm::int8 {

/// The values of an 8-bit constant, extended as `isUnsigned` says.
std::optional<std::vector<int32_t>> readBytes(ElementsAttr attr,
                                              bool isUnsigned);

using llm::hasContiguousRows;
using llm::mapIndices;

Value cst(OpBuilder &b, Location loc, int64_t v);
Value cstI32(OpBuilder &b, Location loc, int32_t v);

/// The panel loop of the low-bit kernels: `body(builder, loc, panel,
/// partial)` for the `full` panels of NR columns and, when `partial`, the
/// masked last one (panel index `full`). Serial: an scf.for over the full
/// panels, then the partial one. `parallel`: one scf.forall iteration per
/// panel (the partial one by a branch), which the CPU pipeline runs on
/// OpenMP threads (llm-outermost-parallel-loops); each panel is a disjoint
/// set of C's columns computed the same way whatever thread runs it, so
/// results do not depend on the thread count.
void emitPanelLoop(
    OpBuilder &b, Location loc, int64_t full, bool partial, bool parallel,
    function_ref<void(OpBuilder &, Location, Value, bool)> body);

/// True if a low-bit kernel of M x N x K (M may be dynamic) doing
/// `macsPerCycle` multiply-adds per cycle is worth splitting over `threads`
/// threads: each gets at least `minCycles` (< 0: the cost model's
/// kMinParallelCycles) cycles of work; dynamic M: always.
bool worthThreads(int64_t m, int64_t n, int64_t k, int64_t macsPerCycle,
                  int64_t threads, int64_t minCycles);

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
                       SmallVectorImpl<Operation *> &deadAfter,
                       int64_t threads, int64_t minCycles);

/// Rewrites a per-row min/max (or max |x|) reduction of one f32 input over
/// its last dim -- dynamic quantization's range -- into vector code with
/// `lanes` f32 lanes (RangeReductions.cpp), its rows an scf.forall when
/// `worthThreads` says `threads` pay (`minCycles` as there). Returns false,
/// leaving `op` alone, for other ops.
bool rewriteRangeReduction(linalg::GenericOp op, int64_t lanes, int64_t threads,
                           int64_t minCycles);

/// The elementwise consumer of an integer contraction's i32 result that the
/// int8 kernel applies to its register tiles instead of storing i32: the
/// shared form of ContractionEpilogue.h (C read by the consumer itself,
/// integer zero fill).
using Int8Epilogue = ContractionEpilogue;

/// The fusable epilogue of `contraction` (an integer contraction on
/// buffers), if any.
inline std::optional<Int8Epilogue>
matchInt8Epilogue(linalg::GenericOp contraction) {
  return matchContractionEpilogue(contraction);
}

/// Computes the epilogue of one vector of accumulators `acc` (lanes along
/// n) at C's indices `loops` (batch..., row, first column) and stores it
/// into the consumer's output, masked by `mask` when non-null.
inline void emitInt8EpilogueStore(OpBuilder &b, Location loc,
                                  const Int8Epilogue &epi,
                                  ArrayRef<Value> loops, Value acc,
                                  Value mask) {
  emitEpilogueStore(b, loc, epi, loops, acc, mask);
}

/// Erases the consumer, the fill and C once the kernel replaced them.
inline void eraseFusedInt8Epilogue(Int8Epilogue &epi) {
  eraseFusedEpilogue(epi);
}

} // namespace mlir::llm::int8

#endif // LLM_LIB_TILING_INT8KERNELS_H
