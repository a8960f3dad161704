//===- TilingUtils.h - helpers shared by the tiling passes ------*- C++ -*-===//
//
// Internal to lib/Tiling: tiling a linalg op with scf::tileUsingSCF, cloning
// a tile with static operand shapes, turning vectorized tiles into
// register-sized vector code with the accumulators hoisted, and the row
// loops of last-dim reductions.
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

/// True if `op` has buffer semantics and at least one loop, all of them
/// parallel but the last, a reduction: the row reductions that
/// buildRowLoops emits loops for.
bool isLastDimReduction(linalg::GenericOp op);

/// Emits the loops over the rows of a reduction over the last of `rank`
/// loop dims: for each dim d < rank - 1, outermost first, an scf.for over
/// [0, upperBound(builder, loc, d)) step 1, except that with `parallelRows`
/// the loop of dim rank - 2 (the rows; batch dims stay sequential around
/// it) is an scf.forall with one iteration per row. Calls `body` inside the
/// innermost loop (at `b`'s insertion point when rank is 1) with the row's
/// indices, rank - 1 of them. Used by the vector row reductions of
/// normalizations and softmax (VectorizeRowReductions.cpp) and of dynamic
/// quantization's range (RangeReductions.cpp).
void buildRowLoops(
    OpBuilder &b, Location loc, unsigned rank, bool parallelRows,
    function_ref<Value(OpBuilder &, Location, unsigned)> upperBound,
    function_ref<void(OpBuilder &, Location, ValueRange)> body);

/// A 64-byte-aligned packing buffer of `type`, allocated just before the
/// loop nest around `user` (the nearest enclosing point outside any
/// sequential loop or branch: once per function call or per parallel
/// iteration) and freed just after it. On the heap, not the stack: the
/// buffers are up to L2/2 (A) and L2/4 (B) per matmul, and stack allocations
/// of a function all live until it returns (LLVM places static allocas in
/// the entry block), so a 12-layer GPT-2 (72 buffers) overflowed the 8 MiB
/// stack.
Value createPackingBuffer(RewriterBase &rewriter, Location loc,
                          Operation *user, MemRefType type);

/// The allocation or argument a memref value is a view of (through
/// ViewLikeOpInterface ops: subviews, casts, reshapes).
Value rootBuffer(Value value);

/// `x + y` on index values, folded when both are constants.
OpFoldResult addIndex(OpBuilder &b, Location loc, OpFoldResult x,
                      OpFoldResult y);

/// The offsets, per dim, of `view` in `root` when `view` is `root` through
/// memref.casts and rank-preserving unit-stride subviews (what tiling made
/// of an operand); nullopt otherwise. A view reaching `copy` continues from
/// `copyOf`, which holds the same elements at the same indices (a packed A
/// block).
std::optional<SmallVector<OpFoldResult>>
offsetsIn(OpBuilder &b, Location loc, Value view, Value root, Value copy = {},
          Value copyOf = {});

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
