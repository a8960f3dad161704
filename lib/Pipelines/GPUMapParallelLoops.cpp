//===- GPUMapParallelLoops.cpp - llm-gpu-map-parallel-loops --------------===//
//
// Turns the `scf.parallel` loops that convert-linalg-to-parallel-loops makes
// of each linalg op into GPU blocks of threads: the outermost parallel loop
// is tiled (fixed-size inner loops, guarded by scf.if, so every launch has a
// constant block size) and both loops are mapped to hardware ids, innermost
// dim to `x` so consecutive threads of a warp access consecutive elements of
// row-major buffers. convert-parallel-loops-to-gpu then makes a gpu.launch
// of each mapped loop.
//
// Upstream's scf-parallel-loop-tiling + gpu-map-parallel-loops use one tile
// size list for loops of every rank (a 1-D loop would get a 16-thread block)
// and map the outermost dim to `x`; this pass picks the block shape by rank.
//
//===----------------------------------------------------------------------===//

#include "llm/Pipelines/Passes.h"

#include "mlir/Dialect/GPU/Transforms/ParallelLoopMapper.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/IR/Builders.h"

namespace mlir::llm {
#define GEN_PASS_DEF_LLMGPUMAPPARALLELLOOPSPASS
#include "llm/Pipelines/Passes.h.inc"

namespace {

/// The hardware id of dim `dim` of a `rank`-dim loop: the innermost three
/// dims go to x, y, z (innermost x); outer dims stay sequential.
gpu::Processor processorFor(int64_t dim, int64_t rank, bool threads) {
  int64_t fromInnermost = rank - 1 - dim;
  if (fromInnermost >= 3)
    return gpu::Processor::Sequential;
  static constexpr gpu::Processor blocks[] = {
      gpu::Processor::BlockX, gpu::Processor::BlockY, gpu::Processor::BlockZ};
  static constexpr gpu::Processor threadIds[] = {
      gpu::Processor::ThreadX, gpu::Processor::ThreadY,
      gpu::Processor::ThreadZ};
  return threads ? threadIds[fromInnermost] : blocks[fromInnermost];
}

/// Sets the mapping attribute of `loop`: hardware ids by processorFor, or
/// every dim sequential.
void mapLoop(scf::ParallelOp loop, bool threads, bool sequential) {
  MLIRContext *context = loop.getContext();
  Builder builder(context);
  int64_t rank = loop.getNumLoops();
  SmallVector<gpu::ParallelLoopDimMappingAttr> mapping;
  for (int64_t dim = 0; dim < rank; ++dim)
    mapping.push_back(gpu::ParallelLoopDimMappingAttr::get(
        context,
        sequential ? gpu::Processor::Sequential
                   : processorFor(dim, rank, threads),
        builder.getDimIdentityMap(), builder.getDimIdentityMap()));
  (void)gpu::setMappingAttr(loop, mapping);
}

} // namespace

std::optional<std::string> checkGPUBlockShapes(ArrayRef<int64_t> sizes1D,
                                               ArrayRef<int64_t> sizes2D,
                                               ArrayRef<int64_t> sizes3D) {
  struct {
    ArrayRef<int64_t> sizes;
    size_t count;
    const char *name;
  } lists[] = {{sizes1D, 1, "tile-sizes-1d"},
               {sizes2D, 2, "tile-sizes-2d"},
               {sizes3D, 3, "tile-sizes-3d"}};
  for (auto &list : lists) {
    if (list.sizes.empty())
      continue;
    int64_t threads = 1;
    for (int64_t size : list.sizes)
      threads *= size > 0 ? size : 0;
    if (list.sizes.size() != list.count || threads == 0 || threads > 1024)
      return std::string(list.name) + " needs " + std::to_string(list.count) +
             " positive sizes with at most 1024 threads in all (a block's "
             "limit)";
  }
  return std::nullopt;
}

namespace {
struct LLMGPUMapParallelLoopsPass
    : impl::LLMGPUMapParallelLoopsPassBase<LLMGPUMapParallelLoopsPass> {
  using Base::Base;

  /// The block shape of `rank`-dim loops (innermost last), from the options
  /// or the defaults documented in include/llm/Pipelines/Pipelines.h.
  SmallVector<int64_t> blockShape(int64_t rank) const {
    if (rank == 1)
      return tileSizes1D.empty() ? SmallVector<int64_t>{256}
                                 : llvm::to_vector(tileSizes1D);
    if (rank == 2)
      return tileSizes2D.empty() ? SmallVector<int64_t>{8, 32}
                                 : llvm::to_vector(tileSizes2D);
    return tileSizes3D.empty() ? SmallVector<int64_t>{2, 4, 32}
                               : llvm::to_vector(tileSizes3D);
  }

  void runOnOperation() override {
    if (auto problem =
            checkGPUBlockShapes(tileSizes1D, tileSizes2D, tileSizes3D)) {
      getOperation().emitError("llm-gpu-map-parallel-loops: ") << *problem;
      return signalPassFailure();
    }
    // Outermost parallel loops without reductions, outside GPU code.
    SmallVector<scf::ParallelOp> outermost;
    getOperation().walk([&](scf::ParallelOp loop) {
      if (!loop->getParentOfType<scf::ParallelOp>() &&
          !loop->getParentOfType<gpu::LaunchOp>() &&
          loop.getNumReductions() == 0 && !loop->hasAttr(gpu::getMappingAttrName()))
        outermost.push_back(loop);
    });
    for (scf::ParallelOp loop : outermost) {
      int64_t rank = loop.getNumLoops();
      SmallVector<int64_t> shape = blockShape(std::min<int64_t>(rank, 3));
      SmallVector<int64_t> tileSizes(rank - shape.size(), 1);
      tileSizes.append(shape);
      auto [outer, inner] =
          scf::tileParallelLoop(loop, tileSizes, /*noMinMaxBounds=*/true);
      mapLoop(outer, /*threads=*/false, /*sequential=*/false);
      mapLoop(inner, /*threads=*/true, /*sequential=*/false);
      inner.getBody()->walk([](scf::ParallelOp nested) {
        mapLoop(nested, /*threads=*/false, /*sequential=*/true);
      });
    }
  }
};
} // namespace
} // namespace mlir::llm
