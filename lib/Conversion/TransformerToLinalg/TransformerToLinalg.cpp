//===- TransformerToLinalg.cpp - convert-transformer-to-linalg ------------===//
//
// The pass that lowers the transformer dialect to linalg/tensor/arith/math
// on tensors. The patterns live with their op group (MathToLinalg.cpp,
// ShapeToTensor.cpp, NNToLinalg.cpp, QuantToLinalg.cpp); this file runs them
// as a partial conversion, so any transformer op left over is reported with
// its location (the ONNX node) instead of being silently kept.
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
}

namespace mlir::llm {
namespace {

struct ConvertTransformerToLinalgPass
    : impl::ConvertTransformerToLinalgPassBase<ConvertTransformerToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    ConversionTarget target(*context);
    target.addIllegalDialect<transformer::TransformerDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(context);
    populateTransformerToLinalgPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace mlir::llm
