//===- ApproximateMath.cpp - llm-approximate-math -------------------------===//
//
// Vector-friendly polynomial approximations of the transcendental functions
// the CPU code spends its time in (softmax and attention exp, GELU tanh/erf,
// log-softmax), from upstream MLIR's math transforms (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "llm/Pipelines/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/ADT/StringSwitch.h"

namespace mlir::llm {
#define GEN_PASS_DEF_LLMAPPROXIMATEMATHPASS
#include "llm/Pipelines/Passes.h.inc"

namespace {
/// The math ops approximated; upstream passes the full op name.
bool isApproximated(StringRef name) {
  name.consume_front("math.");
  return llvm::StringSwitch<bool>(name)
      .Cases({"exp", "expm1", "tanh", "erf", "log", "log1p", "log2"}, true)
      .Default(false);
}

struct LLMApproximateMathPass
    : impl::LLMApproximateMathPassBase<LLMApproximateMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMathF32ExpansionPatterns(patterns, isApproximated);
    populateMathPolynomialApproximationPatterns(patterns, isApproximated);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
} // namespace mlir::llm
