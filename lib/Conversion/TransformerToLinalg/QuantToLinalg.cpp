//===- QuantToLinalg.cpp - lowering of one transformer op group ---------------===//
//
// (in progress)
//
//===----------------------------------------------------------------------===//

#include "llm/Conversion/TransformerToLinalg/TransformerToLinalg.h"

#include "LoweringUtils.h"

using namespace mlir;

void mlir::llm::populateTransformerQuantToLinalgPatterns(RewritePatternSet &patterns) {
  (void)patterns;
}
