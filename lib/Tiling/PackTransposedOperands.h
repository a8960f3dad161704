//===- PackTransposedOperands.h - run-time panels of a transposed B -*- C++ -*-===//
//
// Internal to lib/Tiling: the part of llm-tile-contractions that handles a
// contraction whose B is stored transposed ([..., N, K], k innermost:
// linalg.matmul_transpose_b, the transposed-B batch matmul generics of the
// naive attention lowering) and is not a compile-time constant. See
// PackTransposedOperands.cpp and docs/tiling.md ("Transposed B at run time").
//
//===----------------------------------------------------------------------===//

#ifndef LLM_LIB_TILING_PACKTRANSPOSEDOPERANDS_H
#define LLM_LIB_TILING_PACKTRANSPOSEDOPERANDS_H

#include "llm/Tiling/ContractionMatch.h"
#include "llm/Tiling/CostModel.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

#include <optional>

namespace mlir::llm {

/// (ViewTransposedOperands.cpp) True if `op` is an f32 contraction on buffers that matchContraction only
/// rejects because n is not B's innermost dim: B is indexed (batch..., n, k)
/// in any order with k innermost and unit stride, and C has n innermost.
bool isTransposedBContraction(linalg::LinalgOp op);

/// (ViewTransposedOperands.cpp) When B of the f32 contraction `op` is a
/// temporary buffer that only a `linalg.transpose` of another buffer X
/// writes (before `op`, same block, X not written in between) and only
/// `op` reads, makes `op` read X through a `memref.transpose` view instead
/// and erases the copy and the temporary (ONNX MatMul(A, Transpose(B)),
/// Gemm transB = 1 with B an input). Only when the view has unit stride
/// along n or k (the tiling reads or packs it). Returns true if folded.
bool foldTransposeIntoB(RewriterBase &rewriter, linalg::LinalgOp op);

/// Rewrites a contraction for which isTransposedBContraction holds into a
/// linalg.generic that reads B through a `memref.transpose` view with k and
/// n swapped (batch dims first, then k, then n), so that n is B's innermost
/// loop dim and the CPU tiling applies.
/// The view is strided along n: every register tile must read B from the
/// panels of packTransposedBBlock instead. Returns the new op.
linalg::LinalgOp viewTransposedB(RewriterBase &rewriter, linalg::LinalgOp op);

/// True if `op` (a contraction matched by matchContraction, n innermost in
/// B's indexing map) reads B through a view whose n stride is not 1 and
/// whose k stride is 1, as viewTransposedB makes: its register tiles must
/// read B from panels (packTransposedBBlock).
bool readsTransposedB(linalg::LinalgOp op, const ContractionMatch &match);

/// B of one cache block packed at run time into register panels.
struct TransposedPanels {
  /// The block's B operand (a view of the memref.transpose of
  /// viewTransposedB): the register tiles' B are subviews of it.
  Value blockB;
  /// [ceil(NC / NR), 1 x (batch dims - 1), KC, NR]: panel p holds the
  /// block's columns p*NR .. p*NR+NR-1 of B^T, k by k.
  Value panels;
  int64_t nr = 0;
  /// The positions of k and n in B's (transposed-view) indexing map.
  unsigned kPos = 0, nPos = 0;
};

/// Copies the B block of `block` (a cache tile of a viewTransposedB op)
/// transposed into panels, once per (n0, k0) block, before the m loop, with
/// lanes x lanes register transposes (scalar copies for the edges). The
/// buffer is on the heap, allocated outside the sequential loops. nullopt
/// (nothing changed) when B is not such a view.
std::optional<TransposedPanels>
packTransposedBBlock(RewriterBase &rewriter, linalg::LinalgOp block,
                     const ContractionMatch &match,
                     const ContractionTiles &tiles);

/// Makes `tiled` (a register tile of the block, in the n loop of the register
/// tiling) read B from its panel: panels[n1 / NR][k1 : +kSize][0 : nSize].
/// Every tile of the edge cascade cut from it then reads the panels too.
/// Returns failure when B is not a chain of unit-stride subviews of
/// `panels.blockB`.
LogicalResult readTransposedPanels(RewriterBase &rewriter,
                                   linalg::LinalgOp tiled,
                                   const TransposedPanels &panels);

/// The full register tile `tile` (batch dims of size 1) as a linalg.matmul
/// on rank-reduced views when it is an f32 contraction linalg.generic whose
/// operands are A [m, k], B [k, n] and C [m, n] besides the unit batch dims;
/// else `tile` itself. The vectorizer turns named contractions into
/// vector.contract (the FMA micro-kernel) but a generic into broadcasts and
/// a multi-reduction that the register-tile lowering does not handle (B was
/// read one element at a time). `match` is updated to the returned op.
linalg::LinalgOp asNamedMatmul(RewriterBase &rewriter, linalg::LinalgOp tile,
                               ContractionMatch &match);

} // namespace mlir::llm

#endif // LLM_LIB_TILING_PACKTRANSPOSEDOPERANDS_H
