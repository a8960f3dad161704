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
// A contraction takes its zero fill and its fusible elementwise consumer
// (ContractionEpilogue.h: bias, GELU, residual add) into its chunks: one
// scf.forall whose body fills the chunk of C, runs the contraction on it and
// applies the consumer to the same columns (or rows, or batch),
//
//   scf.forall (%n) = (0) to (N) step (chunk) {
//     %cc = memref.subview %c[0, %n] [M, chunk] [1, 1]
//     linalg.fill ins(%zero) outs(%cc)
//     linalg.matmul ins(%a, %b_chunk) outs(%cc)
//     %v = memref.expand_shape %cc [[0, 1], [2]] ...        (if C is viewed)
//     linalg.generic ins(%v, %bias_chunk ...) outs(%y_chunk or %v)
//   }
//
// so that llm-tile-contractions fuses the consumer into the register tiles of
// each chunk as it does without threads (one pass over C, no fill pass, one
// fork per matmul), instead of a fork for the fill, one for the matmul and
// one for the consumer. A contraction too small to split keeps its fill and
// consumer sequential too. The consumer is elementwise and reads C only at
// the element it writes, so computing it chunk by chunk is the same
// computation (bitwise) as computing it after the whole contraction.
//
//===----------------------------------------------------------------------===//

#include "llm/Tiling/ContractionMatch.h"
#include "llm/Tiling/CostModel.h"
#include "llm/Tiling/PackedWeights.h"
#include "llm/Tiling/Passes.h"
#include "llm/Tiling/TargetDescription.h"

#include "ContractionEpilogue.h"
#include "TilingUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/TilingInterface.h"

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

/// The ops that go into a contraction's chunks: the zero fill of its C and
/// its fusible elementwise consumer.
struct Companions {
  linalg::FillOp fill;
  std::optional<ContractionEpilogue> epi;
};

/// True if `op` or an op nested in it has an operand that is a view of
/// `root`.
bool usesBuffer(Operation *op, Value root) {
  WalkResult result = op->walk([&](Operation *inner) {
    for (Value operand : inner->getOperands())
      if (isa<MemRefType>(operand.getType()) && rootBuffer(operand) == root)
        return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return result.wasInterrupted();
}

/// The fill of C that can move into `op`'s chunks: it writes exactly `op`'s
/// C, earlier in the block, and nothing in between touches C's buffer.
linalg::FillOp findFill(linalg::LinalgOp op) {
  if (op.getNumDpsInits() != 1)
    return {};
  Value c = op.getDpsInits()[0];
  Value root = rootBuffer(c);
  linalg::FillOp fill;
  for (Operation *prev = op->getPrevNode(); prev; prev = prev->getPrevNode()) {
    if (auto candidate = dyn_cast<linalg::FillOp>(prev);
        candidate && candidate.hasPureBufferSemantics() &&
        candidate.getDpsInits()[0] == c) {
      fill = candidate;
      break;
    }
    if (usesBuffer(prev, root))
      return {};
  }
  return fill;
}

/// The fill and the fusible consumer of contraction `op` (the consumer only
/// when computing it chunk by chunk, concurrently with other chunks of the
/// contraction, cannot change what anything reads).
Companions findCompanions(linalg::LinalgOp op) {
  Companions companions;
  companions.epi = matchContractionEpilogue(
      op, EpilogueMatchOptions{/*allowUnitExpand=*/true, /*allowFloat=*/true,
                               /*allowInPlace=*/true});
  if (ContractionEpilogue *epi = companions.epi ? &*companions.epi : nullptr) {
    linalg::GenericOp consumer = epi->consumer;
    Value out = consumer.getDpsInits()[0];
    Value outRoot = rootBuffer(out);
    // Another chunk's contraction must not read what this chunk's consumer
    // writes.
    bool safe = llvm::none_of(op.getDpsInputs(), [&](Value input) {
      return rootBuffer(input) == outRoot;
    });
    // An input sharing the output's buffer is read only at the element
    // being written (a residual added in place).
    SmallVector<AffineMap> maps = consumer.getIndexingMapsArray();
    for (OpOperand *input : consumer.getDpsInputOperands())
      if (static_cast<int>(input->getOperandNumber()) != epi->cInput &&
          rootBuffer(input->get()) == outRoot &&
          (input->get().getType() != out.getType() ||
           maps[input->getOperandNumber()] != maps.back()))
        safe = false;
    if (safe && epi->fill.getDpsInits()[0] == op.getDpsInits()[0]) {
      companions.fill = epi->fill;
      return companions;
    }
    companions.epi.reset();
  }
  companions.fill = findFill(op);
  return companions;
}

/// Moves `companions` of the original contraction into the chunk of its
/// tiled copy `tiled` (in the forall body, C a subview of the original C):
/// the fill right before it, the consumer, tiled to the same chunk and
/// reading C's chunk, right after it. Returns false (nothing changed) when
/// the chunk of C is not a subview.
bool joinChunk(RewriterBase &rewriter, linalg::LinalgOp tiled,
               linalg::LinalgOp original, unsigned dim,
               Companions &companions) {
  auto chunk = tiled.getDpsInits()[0].getDefiningOp<memref::SubViewOp>();
  if (!chunk || chunk.getSource() != original.getDpsInits()[0])
    return false;
  std::optional<unsigned> cPos =
      original.getMatchingIndexingMap(original.getDpsInitOperand(0))
          .getResultPosition(getAffineDimExpr(dim, original.getContext()));
  if (!cPos)
    return false;
  Location loc = tiled.getLoc();
  if (companions.epi) {
    ContractionEpilogue &epi = *companions.epi;
    OpFoldResult offset = chunk.getMixedOffsets()[*cPos];
    OpFoldResult size = chunk.getMixedSizes()[*cPos];
    // The chunk as the consumer reads C: C's dim `cPos` is the view's dim
    // `viewPos` (its group's dim that is not a static 1).
    rewriter.setInsertionPointAfter(tiled);
    Value cRead = chunk.getResult();
    Value originalRead = epi.view ? epi.view.getResult() : original.getDpsInits()[0];
    unsigned viewPos = *cPos;
    if (memref::ExpandShapeOp view = epi.view) {
      ArrayRef<int64_t> shape = view.getResultType().getShape();
      ReassociationIndices group = view.getReassociationIndices()[*cPos];
      viewPos = group.back();
      for (int64_t d : group)
        if (shape[d] != 1)
          viewPos = d;
      SmallVector<int64_t> chunkShape(shape);
      chunkShape[viewPos] =
          getConstantIntValue(size).value_or(ShapedType::kDynamic);
      SmallVector<OpFoldResult> outputShape = view.getMixedOutputShape();
      outputShape[viewPos] = size;
      cRead = memref::ExpandShapeOp::create(rewriter, loc, chunkShape, cRead,
                                            view.getReassociationIndices(),
                                            outputShape);
    }
    linalg::GenericOp consumer = epi.consumer;
    SmallVector<Range> ranges = cast<linalg::LinalgOp>(consumer.getOperation())
                                    .createLoopRanges(rewriter, loc);
    SmallVector<OpFoldResult> offsets(ranges.size(), rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes;
    for (const Range &range : ranges)
      sizes.push_back(range.size);
    offsets[viewPos] = offset;
    sizes[viewPos] = size;
    FailureOr<TilingResult> tiledConsumer =
        cast<TilingInterface>(consumer.getOperation())
            .getTiledImplementation(rewriter, offsets, sizes);
    if (failed(tiledConsumer) || tiledConsumer->tiledOps.size() != 1)
      return false;
    Operation *newConsumer = tiledConsumer->tiledOps.front();
    for (OpOperand &operand : newConsumer->getOpOperands()) {
      if (consumer->getOperand(operand.getOperandNumber()) != originalRead)
        continue;
      Value slice = operand.get();
      operand.set(cRead);
      if (Operation *def = slice.getDefiningOp(); def && def->use_empty())
        rewriter.eraseOp(def);
    }
    rewriter.eraseOp(consumer);
    if (epi.view && epi.view->use_empty())
      rewriter.eraseOp(epi.view);
  }
  if (linalg::FillOp fill = companions.fill) {
    rewriter.setInsertionPoint(tiled);
    linalg::FillOp::create(rewriter, loc, fill.getInputs()[0],
                           chunk.getResult());
    rewriter.eraseOp(fill);
  }
  return true;
}

/// Splits `op` per the file comment; `op` is replaced by an scf.forall
/// around its chunk, or left alone when a split does not pay. The ops of
/// `companions` (a contraction's) go into the same chunks, or stay
/// sequential with `op`: they are added to `joined`.
LogicalResult parallelize(RewriterBase &rewriter, linalg::LinalgOp op,
                          const TargetDescription &target, int64_t threads,
                          int64_t minCycles,
                          DenseSet<Operation *> &joined) {
  std::optional<ContractionMatch> match = matchContraction(op);
  Companions companions;
  if (match)
    companions = findCompanions(op);
  auto join = [&] {
    if (companions.fill)
      joined.insert(companions.fill);
    if (companions.epi)
      joined.insert(companions.epi->consumer);
  };
  int64_t lanes = target.vectorLanes(4);
  std::optional<SplitChoice> choice = chooseSplit(op, match, threads, lanes);
  if (!choice) {
    join();
    return success();
  }
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
  if (staticSize && staticChunk && *staticChunk >= *staticSize) {
    join(); // One chunk: not worth a parallel region, for them either.
    return success();
  }

  SmallVector<OpFoldResult> tileSizes(op.getNumLoops(), math.constant(0));
  tileSizes[dim] = chunk;
  scf::SCFTilingOptions options;
  options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  options.setTileSizes(tileSizes);
  FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(tiled))
    return op.emitError("llm-parallelize-outer-loops: tiling failed");
  if ((companions.fill || companions.epi) &&
      joinChunk(rewriter, cast<linalg::LinalgOp>(tiled->tiledOps.back()), op,
                dim, companions))
    join();
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

    // Contractions first: they take their fills and consumers along.
    SmallVector<linalg::LinalgOp> contractions, others;
    func.walk([&](linalg::LinalgOp op) {
      if (op.hasPureBufferSemantics() && op.getNumParallelLoops() > 0 &&
          !op->getParentOfType<scf::ForallOp>() &&
          !op->getParentOfType<scf::ParallelOp>())
        (matchContraction(op) ? contractions : others).push_back(op);
    });
    IRRewriter rewriter(&getContext());
    DenseSet<Operation *> joined;
    for (linalg::LinalgOp op : contractions)
      if (failed(parallelize(rewriter, op, *target, count, minWork, joined)))
        return signalPassFailure();
    for (linalg::LinalgOp op : others)
      if (!joined.contains(op.getOperation()) &&
          failed(parallelize(rewriter, op, *target, count, minWork, joined)))
        return signalPassFailure();
  }
};

} // namespace
} // namespace mlir::llm
