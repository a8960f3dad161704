//===- Passes.h - transformer dialect graph transforms ----------*- C++ -*-===//
//
// Declarations of the transformer dialect's graph-level passes, and of the
// pattern sets of transformer-raise-patterns and transformer-fuse-attention
// for embedding them in other pipelines.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_DIALECTS_TRANSFORMER_TRANSFORMS_PASSES_H
#define LLM_DIALECTS_TRANSFORMER_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
namespace llm::transformer {

#define GEN_PASS_DECL
#include "Transformer/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "Transformer/Transforms/Passes.h.inc"

/// The rewrite patterns of transformer-raise-patterns (norms, GELU, SiLU,
/// rotary embeddings).
void populateRaisePatterns(RewritePatternSet &patterns);

/// The rotary-embedding patterns among them (rotate-half, interleaved,
/// partial rotary; RotaryPatterns.cpp).
void populateRotaryRaisePatterns(RewritePatternSet &patterns);

/// The rewrite pattern of transformer-fuse-attention.
void populateFuseAttentionPatterns(RewritePatternSet &patterns);

} // namespace llm::transformer
} // namespace mlir

#endif // LLM_DIALECTS_TRANSFORMER_TRANSFORMS_PASSES_H
