//===- CausalMask.h - recognise causal attention masks ----------*- C++ -*-===//
//
// Decides whether an attention mask, as exporters build it, is exactly the
// causal mask `key j visible from query i iff j <= i + (T - S)` over scores
// of shape [..., S, T], so that transformer-fuse-attention can drop it in
// favour of the `causal` flag.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_DIALECTS_TRANSFORMER_TRANSFORMS_CAUSALMASK_H
#define LLM_DIALECTS_TRANSFORMER_TRANSFORMS_CAUSALMASK_H

#include "mlir/IR/Value.h"

namespace mlir::llm::transformer {

/// How a mask is applied to the scores.
enum class MaskKind {
  /// `where(mask, scores, fill)`: true keeps a score.
  Keep,
  /// `where(mask, fill, scores)`: true masks a score.
  Drop,
  /// `scores + mask`: 0 keeps, a very negative value masks.
  Additive,
};

/// True when `mask`, applied as `kind`, is exactly the causal mask over
/// scores whose last two dims are `[S, T]` (the mask's own last two dims;
/// its other dims must be 1). Recognised: constant masks of static shape
/// (also `where` of constants, `cast`, `unsqueeze`/`reshape` adding unit
/// dims, as the importer emits for ONNX Trilu) and, for dynamic shapes, the
/// `tensor.extract_slice` of a constant lower-triangular buffer at rows
/// `[T - S, T)` and columns `[0, T)` that PyTorch's GPT-2 takes.
bool isCausalMask(Value mask, MaskKind kind);

/// True when `value` is a fill that masks a score completely: -inf or at
/// most -1e30 (finfo(float32).min is -3.4e38).
bool isMaskingFill(double value);

} // namespace mlir::llm::transformer

#endif // LLM_DIALECTS_TRANSFORMER_TRANSFORMS_CAUSALMASK_H
