//===- ContractionEpilogue.h - elementwise epilogues of contractions -*- C++ -*-===//
//
// Internal to lib/Tiling: recognising the elementwise consumer of a
// contraction's result buffer (bias add, GELU, residual add, the int8
// kernels' dequantization, ...) and applying its body to register tiles of
// accumulators, so that a micro-kernel stores the consumer's result once
// instead of writing C, which a second loop nest reads back. Shared by the
// int8 kernels (Int8Contractions.cpp) and the f32 GEMM
// (TileContractions.cpp); see ContractionEpilogue.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_LIB_TILING_CONTRACTIONEPILOGUE_H
#define LLM_LIB_TILING_CONTRACTIONEPILOGUE_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

#include <optional>

namespace mlir::llm {

/// The indices of `map` (results: loop dims or constants) for loop values
/// `loops` (one per loop; entries of unused loops may be null).
SmallVector<Value> mapIndices(OpBuilder &b, Location loc, AffineMap map,
                              ArrayRef<Value> loops);

/// True if the innermost dim of memref `value` has unit stride.
bool hasContiguousRows(Value value);

/// The elementwise consumer of a contraction's result C that a kernel can
/// apply to its register tiles: C is a fresh buffer (memref.alloc in the
/// contraction's block; or, `chunk`, a thread's subview of one in an
/// scf.forall body, see llm-parallelize-outer-loops), zero-filled, written by the contraction and read
/// only by `consumer` (at the identity, directly or through `view`), whose
/// other operands are read per row or per column and whose output is a
/// different buffer of C's shape (or, `inPlace`, C itself).
struct ContractionEpilogue {
  linalg::GenericOp consumer;
  /// The consumer's input position that reads C; the number of inputs when
  /// it reads C only through its output's block argument (`inPlace`).
  int cInput = -1;
  linalg::FillOp fill;
  memref::AllocOp alloc;
  /// C when it is a thread's chunk: the subview of `alloc` in the forall
  /// body that the fill, the contraction and the consumer use; null when C
  /// is `alloc` itself.
  memref::SubViewOp chunk;
  SmallVector<Operation *> deallocs;
  /// The memref.expand_shape (adding unit dims only) through which the
  /// consumer reads C; null when it reads C itself.
  memref::ExpandShapeOp view;
  /// The consumer writes its result where it reads C (C, or the view): C
  /// is then the output, and readers of C after the consumer read the
  /// result.
  bool inPlace = false;
};

/// What matchContractionEpilogue accepts beyond the int8 kernels' form.
struct EpilogueMatchOptions {
  /// The consumer may read C through a memref.expand_shape that only adds
  /// unit dims (a 2-D matmul's [M, N] read as [1, M, N]).
  bool allowUnitExpand = false;
  /// C may hold floats (zero fill +0.0); else only integers.
  bool allowFloat = false;
  /// The consumer may write its result in place of C (`inPlace`).
  bool allowInPlace = false;
  /// C may be a thread's chunk (`chunk`) of an allocation outside the
  /// scf.forall around the contraction, whose other users come after that
  /// loop (deallocations; readers of the result when `inPlace`).
  bool allowChunk = false;
};

/// The fusable epilogue of `contraction` (a contraction on buffers writing
/// one C), if any. On success the ops between the contraction and the
/// consumer (all free of memory effects: the consumer's output allocation,
/// views) have been moved before the contraction, so that the consumer's
/// operands are available where the kernel runs.
std::optional<ContractionEpilogue>
matchContractionEpilogue(linalg::LinalgOp contraction,
                         EpilogueMatchOptions options = {});

/// The consumer's loop indices of the C element at `cIndices` (one per dim
/// of C).
SmallVector<Value> epilogueLoopIndices(OpBuilder &b, Location loc,
                                       const ContractionEpilogue &epi,
                                       ArrayRef<Value> cIndices);

/// Computes the epilogue of the accumulators `acc` at the consumer's loop
/// indices `loops` (batch..., row, first column) and stores it into the
/// consumer's output. `acc` is a vector along the innermost dim (masked by
/// `mask` when non-null) or one scalar (then `mask` must be null).
void emitEpilogueStore(OpBuilder &b, Location loc,
                       const ContractionEpilogue &epi, ArrayRef<Value> loops,
                       Value acc, Value mask);

/// Erases the consumer, the view, the fill and, with `eraseC`, C's chunk
/// (once unused) and C's deallocations and allocation (once nothing else
/// uses it) after a kernel replaced them.
void eraseFusedEpilogue(ContractionEpilogue &epi, bool eraseC = true);

} // namespace mlir::llm

#endif // LLM_LIB_TILING_CONTRACTIONEPILOGUE_H
