//===- ParallelizeOuterLoops.cpp - --llm-parallelize-outer-loops ----------===//
//
// Splits one parallel loop of every outermost linalg op on buffers into
// chunks for threads: an `scf.forall` (scf::tileUsingSCF with the forall
// loop type) whose iterations the CPU pipeline later runs on OpenMP threads
// (llm-outermost-parallel-loops, convert-scf-to-openmp). The ops inside a
// chunk are then tiled and vectorized as before (llm-tile-contractions,
// llm-vectorize-elementwise).
//
// Only parallel dims are split, never a reduction (a matmul's k, a norm's
// row), so every output element is computed by one thread in the same order
// whatever the thread count: results are bitwise the same with 1 or N
// threads. Ops already inside an scf.forall / scf.parallel (the flash
// attention loop) are left alone: one parallel region per loop nest.
//
// The chunk of the split dim is max(ceil(size / threads), minimum chunk),
// the minimum chunk being the indices that give a thread
// kMinParallelCycles of work by the cost model (CostModel.h). With static
// sizes a split that would give fewer than two chunks is not made; with
// dynamic sizes the chunk is computed at run time, and a small size yields a
// one-iteration loop (a parallel region that serializes, see
// llm-outermost-parallel-loops).
//
//===----------------------------------------------------------------------===//

#include "llm/Tiling/ContractionMatch.h"
#include "llm/Tiling/CostModel.h"
#include "llm/Tiling/PackedWeights.h"
#include "llm/Tiling/Passes.h"
#include "llm/Tiling/TargetDescription.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::llm {
#define GEN_PASS_DEF_LLMPARALLELIZEOUTERLOOPSPASS
#include "llm/Tiling/Passes.h.inc"

namespace {

/// Index arithmetic on OpFoldResults that folds constants, so that static
/// shapes keep static chunk sizes.
struct IndexMath {
  RewriterBase &rewriter;
  Location loc;

  Value value(OpFoldResult ofr) {
    return getValueOrCreateConstantIndexOp(rewriter, loc, ofr);
  }
  OpFoldResult constant(int64_t v) { return rewriter.getIndexAttr(v); }

  template <typename OpTy>
  OpFoldResult binary(OpFoldResult a, OpFoldResult b,
                      function_ref<int64_t(int64_t, int64_t)> fold) {
    std::optional<int64_t> ca = getConstantIntValue(a);
    std::optional<int64_t> cb = getConstantIntValue(b);
    if (ca && cb)
      return constant(fold(*ca, *cb));
    return OpTy::create(rewriter, loc, value(a), value(b)).getResult();
  }
  OpFoldResult mul(OpFoldResult a, OpFoldResult b) {
    return binary<arith::MulIOp>(a, b, [](int64_t x, int64_t y) { return x * y; });
  }
  OpFoldResult add(OpFoldResult a, OpFoldResult b) {
    return binary<arith::AddIOp>(a, b, [](int64_t x, int64_t y) { return x + y; });
  }
  OpFoldResult floorDiv(OpFoldResult a, OpFoldResult b) {
    return binary<arith::DivUIOp>(a, b,
                                  [](int64_t x, int64_t y) { return x / y; });
  }
  OpFoldResult ceilDiv(OpFoldResult a, OpFoldResult b) {
    return binary<arith::CeilDivUIOp>(
        a, b, [](int64_t x, int64_t y) { return (x + y - 1) / y; });
  }
  OpFoldResult max(OpFoldResult a, OpFoldResult b) {
    return binary<arith::MaxUIOp>(
        a, b, [](int64_t x, int64_t y) { return std::max(x, y); });
  }
};

/// The loop to split and the granularity of its chunks.
struct SplitChoice {
  unsigned dim;
  int64_t multiple;
};

/// A contraction's batch dims, then n (chunks of whole vectors), then m;
/// other ops' parallel dims in loop order. The first whose static size gives
/// every thread at least one chunk wins; else the last dynamic one (in ONNX
/// models the leading dynamic dim is the batch, usually 1, the next the
/// sequence).
std::optional<SplitChoice>
chooseSplit(linalg::LinalgOp op, const std::optional<ContractionMatch> &match,
            int64_t threads, int64_t lanes) {
  SmallVector<int64_t> sizes = op.getStaticLoopRanges();
  SmallVector<SplitChoice> candidates;
  if (match) {
    for (unsigned d : match->batchDims)
      candidates.push_back({d, 1});
    // Whole panels of compile-time packed weights (PackedWeights.h).
    std::optional<PackedWeights> packed = getPackedWeights(op);
    candidates.push_back({match->nDim, packed ? packed->nr : lanes});
    candidates.push_back({match->mDim, 1});
  } else {
    for (auto [d, type] : llvm::enumerate(op.getIteratorTypesArray()))
      if (type == utils::IteratorType::parallel)
        candidates.push_back({static_cast<unsigned>(d), 1});
  }
  for (SplitChoice c : candidates)
    if (!ShapedType::isDynamic(sizes[c.dim]) &&
        sizes[c.dim] >= threads * c.multiple)
      return c;
  for (SplitChoice c : llvm::reverse(candidates))
    if (ShapedType::isDynamic(sizes[c.dim]))
      return c;
  return std::nullopt;
}

ParallelWorkKind workKind(linalg::LinalgOp op,
                          const std::optional<ContractionMatch> &match) {
  if (match)
    return ParallelWorkKind::Contraction;
  if (isa<linalg::FillOp, linalg::CopyOp>(op.getOperation()))
    return ParallelWorkKind::FillOrCopy;
  return ParallelWorkKind::Other;
}

/// Splits `op` per the file comment; `op` is replaced by an scf.forall
/// around its chunk, or left alone when a split does not pay.
LogicalResult parallelize(RewriterBase &rewriter, linalg::LinalgOp op,
                          const TargetDescription &target, int64_t threads,
                          int64_t minCycles) {
  std::optional<ContractionMatch> match = matchContraction(op);
  int64_t lanes = target.vectorLanes(4);
  std::optional<SplitChoice> choice = chooseSplit(op, match, threads, lanes);
  if (!choice)
    return success();
  unsigned dim = choice->dim;

  rewriter.setInsertionPoint(op);
  IndexMath math{rewriter, op.getLoc()};
  SmallVector<Range> ranges = op.createLoopRanges(rewriter, op.getLoc());
  // Work of one index of `dim`: the other loops' iterations, plus the bytes
  // of B one index streams (a contraction's column of B, or its whole B
  // for a batch index).
  OpFoldResult others = math.constant(1);
  for (auto [d, range] : llvm::enumerate(ranges))
    if (d != dim)
      others = math.mul(others, range.size);
  OpFoldResult bBytes = math.constant(0);
  if (match && dim != match->mDim) {
    bBytes = math.mul(ranges[match->kDim].size, math.constant(4));
    if (dim != match->nDim)
      bBytes = math.mul(bBytes, ranges[match->nDim].size);
  }
  OpFoldResult cycles = math.add(
      math.floorDiv(others, math.constant(parallelIterationsPerCycle(
                                target, workKind(op, match)))),
      math.floorDiv(bBytes, math.constant(kParallelBytesPerCycle)));
  cycles = math.max(cycles, math.constant(1));
  // At least 1: a dynamic size of 0 must not give a step of 0.
  OpFoldResult minChunk = math.max(
      math.ceilDiv(math.constant(minCycles), cycles), math.constant(1));
  OpFoldResult size = ranges[dim].size;
  OpFoldResult chunk =
      math.max(math.ceilDiv(size, math.constant(threads)), minChunk);
  if (choice->multiple > 1) {
    OpFoldResult multiple = math.constant(choice->multiple);
    chunk = math.mul(math.ceilDiv(chunk, multiple), multiple);
  }

  std::optional<int64_t> staticSize = getConstantIntValue(size);
  std::optional<int64_t> staticChunk = getConstantIntValue(chunk);
  if (staticSize && staticChunk && *staticChunk >= *staticSize)
    return success(); // One chunk: not worth a parallel region.

  SmallVector<OpFoldResult> tileSizes(op.getNumLoops(), math.constant(0));
  tileSizes[dim] = chunk;
  scf::SCFTilingOptions options;
  options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  options.setTileSizes(tileSizes);
  FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(tiled))
    return op.emitError("llm-parallelize-outer-loops: tiling failed");
  rewriter.eraseOp(op);
  return success();
}

struct ParallelizeOuterLoopsPass
    : impl::LLMParallelizeOuterLoopsPassBase<ParallelizeOuterLoopsPass> {
  using LLMParallelizeOuterLoopsPassBase::LLMParallelizeOuterLoopsPassBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    FailureOr<TargetDescription> target =
        resolvePassTarget(func, "llm-parallelize-outer-loops", cpu, targetDesc);
    if (failed(target))
      return signalPassFailure();
    if (threads < 0) {
      func.emitError("llm-parallelize-outer-loops: threads must not be "
                     "negative, got ")
          << static_cast<int64_t>(threads);
      return signalPassFailure();
    }
    int64_t count = threads > 0 ? static_cast<int64_t>(threads)
                                : target->threads;
    int64_t minWork = minCycles >= 0 ? static_cast<int64_t>(minCycles)
                                     : kMinParallelCycles;
    if (count <= 1)
      return;

    SmallVector<linalg::LinalgOp> ops;
    func.walk([&](linalg::LinalgOp op) {
      if (op.hasPureBufferSemantics() && op.getNumParallelLoops() > 0 &&
          !op->getParentOfType<scf::ForallOp>() &&
          !op->getParentOfType<scf::ParallelOp>())
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops)
      if (failed(parallelize(rewriter, op, *target, count, minWork)))
        return signalPassFailure();
  }
};

} // namespace
} // namespace mlir::llm
