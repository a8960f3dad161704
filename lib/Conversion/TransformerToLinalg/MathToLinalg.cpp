//===- MathToLinalg.cpp - lowering of one transformer op group ---------------===//
//
// (in progress)
//
//===----------------------------------------------------------------------===//

#include "llm/Conversion/TransformerToLinalg/TransformerToLinalg.h"

#include "LoweringUtils.h"

using namespace mlir;

void mlir::llm::populateTransformerMathToLinalgPatterns(RewritePatternSet &patterns) {
  (void)patterns;
}
