//===- TransformerToLinalg.cpp - convert-transformer-to-linalg ------------===//
//
// The pass that lowers the transformer dialect to linalg/tensor/arith/math
// on tensors. The patterns live with their op group (MathToLinalg.cpp,
// ShapeToTensor.cpp, NNToLinalg.cpp, QuantToLinalg.cpp, IndexingToLinalg.cpp);
// this file runs them as a partial conversion, so any transformer op left
// over is reported with its location (the ONNX node) instead of being silently kept.
//
//===----------------------------------------------------------------------===//

#include "llm/Conversion/Passes.h"
#include "llm/Conversion/TransformerToLinalg/TransformerToLinalg.h"

#include "Transformer/IR/TransformerDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::llm {
#define GEN_PASS_DEF_CONVERTTRANSFORMERTOLINALGPASS
#include "llm/Conversion/Passes.h.inc"
} // namespace mlir::llm

using namespace mlir;

void mlir::llm::populateTransformerToLinalgPatterns(
    RewritePatternSet &patterns) {
  populateTransformerMathToLinalgPatterns(patterns);
  populateTransformerShapeToTensorPatterns(patterns);
  populateTransformerNNToLinalgPatterns(patterns);
  populateTransformerQuantToLinalgPatterns(patterns);
  populateTransformerIndexingToLinalgPatterns(patterns);
}

namespace mlir::llm {
namespace {

struct ConvertTransformerToLinalgPass
    : impl::ConvertTransformerToLinalgPassBase<ConvertTransformerToLinalgPass> {
  using Base::Base;
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    ConversionTarget target(*context);
    target.addIllegalDialect<transformer::TransformerDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    if (attentionTileQ <= 0 || attentionTileKV <= 0) {
      mlir::emitError(getOperation()->getLoc())
          << "convert-transformer-to-linalg: attention-tile-q and "
             "attention-tile-kv must be positive, got "
          << static_cast<int64_t>(attentionTileQ) << " and "
          << static_cast<int64_t>(attentionTileKV);
      return signalPassFailure();
    }
    RewritePatternSet patterns(context);
    populateTransformerToLinalgPatterns(patterns);
    if (flashAttention)
      populateTransformerAttentionToLinalgPatterns(
          patterns, attentionTileQ, attentionTileKV, parallelAttention);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace mlir::llm
