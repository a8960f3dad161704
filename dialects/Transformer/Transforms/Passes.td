//===- Passes.td - transformer dialect graph transforms -*- tablegen -*-===//
//
// Graph-level passes on the transformer dialect, run before lowering.
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

#endif // TRANSFORMER_TRANSFORMS_PASSES_TD
