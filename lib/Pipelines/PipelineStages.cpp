//===- PipelineStages.cpp - stages shared by the target pipelines ---------===//

#include "PipelineStages.h"

#include "llm/Conversion/Passes.h"
#include "llm/Pipelines/Passes.h"

#include "Transformer/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void llm::addGraphRaisingStages(OpPassManager &pm, bool raisePatterns,
                                bool fuseAttention) {
  pm.addPass(transformer::createTransformerFoldQDQPass());
  pm.addPass(createCanonicalizerPass());
  if (raisePatterns)
    pm.addPass(transformer::createTransformerRaisePatternsPass());
  if (fuseAttention) {
    pm.addPass(createCSEPass());
    pm.addPass(transformer::createTransformerFuseAttentionPass());
  }
}

void llm::addTransformerToLinalgStages(
    OpPassManager &pm, std::unique_ptr<Pass> elementwiseFusion,
    const ConvertTransformerToLinalgPassOptions &options) {
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createConvertTransformerToLinalgPass(options));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(std::move(elementwiseFusion));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void llm::addBufferizationStages(OpPassManager &pm) {
  pm.addPass(createLLMReadOnlyArgumentsPass());
  bufferization::OneShotBufferizePassOptions bufferizeOptions;
  bufferizeOptions.bufferizeFunctionBoundaries = true;
  bufferizeOptions.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferizeOptions));
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createConvertBufferizationToMemRefPass());
  pm.addPass(createLLMStridedCopyToLinalgPass());
}
