//===- TransformerToLinalg.h - transformer -> linalg patterns ---*- C++ -*-===//
//
// Pattern sets of convert-transformer-to-linalg, one per op group, so that
// other pipelines (e.g. one that keeps attention for a fused GPU kernel) can
// pick what they lower.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_CONVERSION_TRANSFORMERTOLINALG_TRANSFORMERTOLINALG_H
#define LLM_CONVERSION_TRANSFORMERTOLINALG_TRANSFORMERTOLINALG_H

#include "mlir/IR/PatternMatch.h"

namespace mlir {
class ConversionTarget;
class TypeConverter;
namespace llm {

/// constant, elementwise unary/binary, compare, where, cast, reductions.
void populateTransformerMathToLinalgPatterns(RewritePatternSet &patterns);

/// reshape, transpose, concat, slice, split, expand, squeeze, unsqueeze,
/// gather.
void populateTransformerShapeToTensorPatterns(RewritePatternSet &patterns);

/// matmul, linear, softmax, log_softmax, layer_norm, rms_norm, gelu, silu,
/// rotary_embedding, attention, embedding.
void populateTransformerNNToLinalgPatterns(RewritePatternSet &patterns);

/// quantize, dequantize, dynamic_quantize, quantized_matmul,
/// quantized_linear.
void populateTransformerQuantToLinalgPatterns(RewritePatternSet &patterns);

/// gather_elements, scatter_nd, cumsum.
void populateTransformerIndexingToLinalgPatterns(RewritePatternSet &patterns);

/// All of the above.
void populateTransformerToLinalgPatterns(RewritePatternSet &patterns);

/// The flash-style lowering of transformer.attention (AttentionToLinalg.cpp):
/// query tiles of `tileQ` rows, key/value tiles of `tileKV` rows, online
/// softmax. It has a higher benefit than the naive lowering that
/// populateTransformerNNToLinalgPatterns adds, so it wins when both are in
/// the set.
void populateTransformerAttentionToLinalgPatterns(RewritePatternSet &patterns,
                                                  int64_t tileQ,
                                                  int64_t tileKV,
                                                  bool parallel = false);

} // namespace llm
} // namespace mlir

#endif // LLM_CONVERSION_TRANSFORMERTOLINALG_TRANSFORMERTOLINALG_H
