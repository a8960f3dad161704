//===- TestTileSizes.cpp - --llm-test-tile-sizes --------------------------===//
//
// Reports, as remarks, the target description in use and the tile sizes the
// cost model chooses for every contraction, so that lit tests can check the
// model's choices for given descriptions without running any code.
//
//===----------------------------------------------------------------------===//

#include "llm/Tiling/ContractionMatch.h"
#include "llm/Tiling/CostModel.h"
#include "llm/Tiling/Passes.h"
#include "llm/Tiling/TargetDescription.h"

namespace mlir::llm {
#define GEN_PASS_DEF_LLMTESTTILESIZESPASS
#include "llm/Tiling/Passes.h.inc"

namespace {

/// Prints a static size or '?'.
std::string sizeString(int64_t size, int64_t bound = ShapedType::kDynamic) {
  if (!ShapedType::isDynamic(size))
    return std::to_string(size);
  return ShapedType::isDynamic(bound) ? "?" : "?(<=" + std::to_string(bound) + ")";
}

struct TestTileSizesPass : impl::LLMTestTileSizesPassBase<TestTileSizesPass> {
  using LLMTestTileSizesPassBase::LLMTestTileSizesPassBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    FailureOr<TargetDescription> target =
        resolvePassTarget(func, "llm-test-tile-sizes", cpu, targetDesc);
    if (failed(target))
      return signalPassFailure();
    bool first = true;
    func.walk([&](linalg::LinalgOp op) {
      std::optional<ContractionMatch> match = matchContraction(op);
      if (!match)
        return;
      if (first) {
        std::string text;
        llvm::raw_string_ostream os(text);
        target->print(os);
        func.emitRemark() << "target: " << text;
        first = false;
      }
      ContractionTiles tiles = chooseContractionTiles(*target, match->shape);
      std::string text;
      llvm::raw_string_ostream os(text);
      tiles.print(os);
      op.emitRemark() << "contraction m="
                      << sizeString(match->shape.m, match->shape.mBound)
                      << " n=" << sizeString(match->shape.n, match->shape.nBound)
                      << " k=" << sizeString(match->shape.k) << ": " << text
                      << " packed-nr="
                      << choosePackedPanelWidth(*target, match->shape);
    });
  }
};

} // namespace
} // namespace mlir::llm
