//===- Passes.td - transformer dialect graph transforms -*- tablegen -*-===//
//
// Graph-level passes on the transformer dialect, run before lowering:
// quantization (`transformer-quantize`, `transformer-fold-qdq`),
// `transformer-raise-patterns`, which recognises the primitive op chains that
// ONNX exporters emit for norms, activations and rotary embeddings, and
// `transformer-fuse-attention`, which turns the matmul-softmax-matmul
// attention subgraph into one `transformer.attention` (docs/fusion.md lists
// the forms matched).
//
//===----------------------------------------------------------------------===//

#ifndef TRANSFORMER_TRANSFORMS_PASSES_TD
#define TRANSFORMER_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def TransformerQuantizePass : Pass<"transformer-quantize"> {
  let summary = "Quantize constant linear/matmul weights to int8 or int4";
  let description = [{
    Rewrites `transformer.linear`, and `transformer.matmul` whose right
    operand is a constant rank-2 float weight, at compile time:

    - `mode=int8-weight`: per-output-channel symmetric int8 weights
      (`scale = max|w| / 127`), f32 activations ->
      `transformer.quantized_linear` (the lowering dequantizes in the
      matmul loop).
    - `mode=int8-dynamic`: the same int8 weights, and activations quantized
      per token at run time (asymmetric `ui8`, `transformer.dynamic_quantize`
      along the last axis), multiplied exactly in i32
      (`transformer.quantized_matmul`, VNNI's u8 x s8 form), then scaled by
      the activation and weight scales.
    - `mode=int4-weight`: group-wise 4-bit weights over `group-size`
      consecutive k (32, 64, 128, ...), symmetric `i4` (`scale = max|w| / 7`)
      or, with `zero-point`, asymmetric `ui4` with zero points; scales in
      `scale-type` (f32 or f16) -> `transformer.quantized_linear` with
      `group_size`.

    Rounding is half to even. Ops whose ONNX node name (the importer's
    location) or weight resource name matches one of the `exclude` regular
    expressions stay in float, e.g. `exclude=lm_head`.

    Before:
    ```mlir
    %w = transformer.constant dense_resource<fc.weight> : tensor<768x3072xf32>
    %y = transformer.matmul %x, %w : tensor<?x768xf32>, tensor<768x3072xf32> -> tensor<?x3072xf32>
    ```
    After `mode=int8-weight`:
    ```mlir
    %q = transformer.constant dense_resource<fc.weight.quantized> : tensor<3072x768xi8>
    %s = transformer.constant dense_resource<fc.weight.scale> : tensor<3072xf32>
    %y = transformer.quantized_linear %x, %q, %s : tensor<?x768xf32>, tensor<3072x768xi8>, tensor<3072xf32> -> tensor<?x3072xf32>
    ```
  }];
  let options = [
    Option<"mode", "mode", "std::string", /*default=*/"\"int8-weight\"",
           "none, int8-weight, int8-dynamic or int4-weight">,
    Option<"groupSize", "group-size", "int64_t", /*default=*/"32",
           "int4-weight: weights per scale along k">,
    Option<"scaleType", "scale-type", "std::string", /*default=*/"\"f32\"",
           "int4-weight: element type of the scales, f32 or f16">,
    Option<"zeroPoint", "zero-point", "bool", /*default=*/"false",
           "int4-weight: asymmetric ui4 weights with zero points">,
    ListOption<"exclude", "exclude", "std::string",
               "Regular expressions on ONNX node names or weight names of ops "
               "to keep in float">
  ];
}

def TransformerFoldQDQPass : Pass<"transformer-fold-qdq"> {
  let summary = "Fold QuantizeLinear/DequantizeLinear around matmuls into the integer ops";
  let description = [{
    Quantized ONNX models in QDQ form import as `transformer.quantize` /
    `transformer.dequantize` around float matmuls. This pass folds them so
    that the model computes on the integers:

    - `matmul(x, dequantize(Wq))` and `linear(x, dequantize(Wq))` with a
      constant 8- or 4-bit weight and constant scales / zero points,
      per-tensor, per output channel, or blocked along k (opset 21) ->
      `transformer.quantized_linear` (weights transposed to [N, K] at compile
      time, blocked scales to [N, groups] with `group_size`).
    - When the activation is `dequantize(quantize(x0, sx, zx))` with a
      per-tensor constant 8-bit scale and the weights are 8-bit per-tensor
      or per-channel, the product is done exactly in i32:
      `transformer.quantized_matmul(xq, Wq, zx, zw)`, cast to f32 and scaled
      by the constant `sx * sw` (plus the bias of a linear).

    Other forms (non-constant scales, per-k scales) are left unchanged.

    Before:
    ```mlir
    %w = transformer.dequantize %wq, %s {axis = 1 : i64} : tensor<768x3072xi8>, tensor<3072xf32> -> tensor<768x3072xf32>
    %y = transformer.matmul %x, %w : tensor<?x768xf32>, tensor<768x3072xf32> -> tensor<?x3072xf32>
    ```
    After:
    ```mlir
    %y = transformer.quantized_linear %x, %wq_nk, %s : tensor<?x768xf32>, tensor<3072x768xi8>, tensor<3072xf32> -> tensor<?x3072xf32>
    ```
  }];
}

def TransformerRaisePatternsPass : Pass<"transformer-raise-patterns"> {
  let summary = "Raise primitive-op chains to layer_norm, rms_norm, gelu, silu and rotary_embedding";
  let description = [{
    Greedy rewrite patterns that recognise the forms PyTorch's ONNX exporter
    (and hand-written graphs) produce:

    - LayerNorm: `(x - mean(x)) / sqrt(mean((x - mean(x))^2) + eps)` (Pow or
      Mul for the square), then `* gamma` and `+ beta` folded into the op's
      scale and bias -> `transformer.layer_norm`.
    - RMSNorm: `x * rsqrt(mean(x^2) + eps)`, `x / sqrt(...)`,
      `x * (1 / sqrt(...))`, `x * reciprocal(sqrt(...))`, then `* weight`
      -> `transformer.rms_norm`.
    - GELU: `0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))` with
      Pow or Mul chains for the cube, and `0.5 * x * (1 + erf(x / sqrt(2)))`
      (Div or Mul by 1/sqrt(2)), in any association and operand order
      -> `transformer.gelu`.
    - SiLU: `x * sigmoid(x)` -> `transformer.silu`.
    - Rotary embeddings, rotate-half form: `x * cos + concat(-x[.., R:],
      x[.., :R]) * sin` where the cos/sin tables repeat their first half
      (checked on the constant table they are gathered from) ->
      `transformer.rotary_embedding` with the half tables.

    Before:
    ```mlir
    %s = transformer.sigmoid %x : tensor<?x128xf32>
    %y = transformer.mul %x, %s : tensor<?x128xf32>, tensor<?x128xf32> -> tensor<?x128xf32>
    ```
    After:
    ```mlir
    %y = transformer.silu %x : tensor<?x128xf32>
    ```
  }];
}

def TransformerFuseAttentionPass : Pass<"transformer-fuse-attention"> {
  let summary = "Fuse matmul-softmax-matmul attention subgraphs into transformer.attention";
  let description = [{
    Anchored on `transformer.softmax` over the last axis of a rank-4 tensor
    whose only user is the `P @ V` matmul. Walking up from the softmax it
    accepts, in any order, scaling by a scalar constant (`mul`/`div`, also
    on Q or K^T before the product), one additive float mask (broadcast to
    the scores' shape, scores' shape unchanged) and one `where` mask with a
    very negative fill, down to `Q @ K^T` (K^T a `transpose` of the keys or
    any `[B, H, D, T]` value). A mask that is exactly causal (a constant
    lower-triangular mask, or the slice of a lower-triangular buffer that
    PyTorch takes with `[T - S : T, :T]`) becomes the `causal` flag. Keys
    and values repeated for grouped-query attention (unsqueeze, expand and
    reshape) are unwrapped into `num_kv_heads`, and a KV cache (`concat` of
    past and new keys/values along the sequence) becomes the op's past
    operands, whose present results replace the concats.

    Before (GPT-2, head split omitted):
    ```mlir
    %s = transformer.matmul %q, %kt : tensor<1x4x16x16xf32>, tensor<1x4x16x16xf32> -> tensor<1x4x16x16xf32>
    %d = transformer.div %s, %c4 : tensor<1x4x16x16xf32>, tensor<f32> -> tensor<1x4x16x16xf32>
    %m = transformer.where %tril, %d, %min : tensor<1x1x16x16xi1>, tensor<1x4x16x16xf32>, tensor<f32> -> tensor<1x4x16x16xf32>
    %p = transformer.softmax %m : tensor<1x4x16x16xf32>
    %o = transformer.matmul %p, %v : tensor<1x4x16x16xf32>, tensor<1x4x16x16xf32> -> tensor<1x4x16x16xf32>
    ```
    After:
    ```mlir
    %o = transformer.attention %q, %k, %v {causal, scale = 2.500000e-01 : f32}
        : tensor<1x4x16x16xf32>, tensor<1x4x16x16xf32>, tensor<1x4x16x16xf32> -> tensor<1x4x16x16xf32>
    ```
  }];
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
}

#endif // TRANSFORMER_TRANSFORMS_PASSES_TD
