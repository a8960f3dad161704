//===- TilingUtils.h - helpers shared by the tiling passes ------*- C++ -*-===//
//
// Internal to lib/Tiling: tiling a linalg op with scf::tileUsingSCF, cloning
// a tile with static operand shapes, and turning vectorized tiles into
// register-sized vector code with the accumulators hoisted.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_LIB_TILING_TILINGUTILS_H
#define LLM_LIB_TILING_TILINGUTILS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/LoopLikeInterface.h"

#include <optional>

namespace mlir::llm {

/// Tiles the loops of `op` by `sizes` (0: not tiled) in the loop order
/// `interchange`, erases `op` and returns the tiled op in the innermost loop.
/// With `loops`, also returns the generated loops, outermost first (one per
/// non-zero size, in `interchange` order).
FailureOr<linalg::LinalgOp>
tileLoops(RewriterBase &rewriter, linalg::LinalgOp op, ArrayRef<int64_t> sizes,
          ArrayRef<int64_t> interchange,
          SmallVectorImpl<LoopLikeOpInterface> *loops = nullptr);

/// Clones `op` (buffer semantics) at the rewriter's insertion point with
/// each operand `memref.cast` to a shape where every dim indexed by loop d
/// is `loopSizes[d]` when that is not ShapedType::kDynamic; other dims keep
/// their size. The caller guarantees the sizes at run time.
linalg::LinalgOp cloneWithStaticLoopSizes(RewriterBase &rewriter,
                                          linalg::LinalgOp op,
                                          ArrayRef<int64_t> loopSizes);

/// Turns the vectorized tiles of `func` into register-sized vector code:
/// unroll to one vector register (`lanes` elements) per op, lower
/// contractions to FMAs, fold subviews into the transfers, CSE + LICM,
/// hoist loop-invariant transfer pairs (accumulators) out of their loops
/// (see hoistAccumulators in the .cpp) and lower the transfers to plain
/// loads and stores.
LogicalResult lowerVectorTiles(func::FuncOp func, int64_t lanes);

/// The allocation or argument a memref value is a view of (through
/// ViewLikeOpInterface ops: subviews, casts, reshapes).
Value rootBuffer(Value value);

/// The global a `memref.get_global` reads, if it is a constant with data.
std::optional<std::pair<memref::GlobalOp, ElementsAttr>>
getConstantGlobal(Value value);

/// A private constant global holding `data` with `type`, named after `base`
/// (made unique), 64-byte aligned.
memref::GlobalOp createGlobal(OpBuilder &b, Location loc, SymbolTable &symbols,
                              StringRef base, MemRefType type,
                              DenseElementsAttr data);

} // namespace mlir::llm

#endif // LLM_LIB_TILING_TILINGUTILS_H
