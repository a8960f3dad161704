//===- Passes.h - transformer dialect graph transforms ----------*- C++ -*-===//
//
// Declarations of the transformer dialect's graph-level passes.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_DIALECTS_TRANSFORMER_TRANSFORMS_PASSES_H
#define LLM_DIALECTS_TRANSFORMER_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir {
namespace llm::transformer {

#define GEN_PASS_DECL
#include "Transformer/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "Transformer/Transforms/Passes.h.inc"

} // namespace llm::transformer
} // namespace mlir

#endif // LLM_DIALECTS_TRANSFORMER_TRANSFORMS_PASSES_H
