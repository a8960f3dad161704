//===- TransformerQuantOps.td - quantization ops -------------*- tablegen -*-===//
//
// The quantization op group of the transformer dialect: `quantize` and
// `dequantize` (ONNX QuantizeLinear / DequantizeLinear-21: per-tensor,
// per-axis and blocked), `dynamic_quantize` (ONNX DynamicQuantizeLinear, plus
// per-row / per-token quantization for int8-dynamic), `quantized_matmul`
// (ONNX MatMulInteger: integer matmul with i32 accumulation) and
// `quantized_linear` (weight-only quantized linear layer: int8 per-channel or
// int4 group-wise weights, com.microsoft MatMulNBits).
//
// Conventions shared by every op here:
//   - Quantized values are 8- or 4-bit integers. Signless (`i8`, `i4`) and
//     signed (`si8`, `si4`) types are two's-complement signed ([-128, 127],
//     [-8, 7]); `ui8` / `ui4` are unsigned ([0, 255], [0, 15]).
//   - Element types are logical: a `tensor<NxKxi4>` holds N*K 4-bit values.
//     Packing two 4-bit values per byte is a storage and lowering matter: a
//     `dense<...> : tensor<...xi4>` attribute holds one value per element,
//     the ONNX importer unpacks ONNX's packed int4 (element 2i in the low
//     nibble of byte i), and the lowerings repack in whatever layout the
//     target's kernels want (same order for the CPU and the NPU).
//   - A zero point, where allowed, is optional; absent means 0. It has the
//     scale's shape and the quantized element type.
//   - Scales are any float type; arithmetic is done in the wider of the
//     scale's and the float operand's / result's type.
//   - Every op implements `ReifyRankedShapedTypeOpInterface` (result dims
//     computed from the operands at run time, for dynamic batch/sequence).
//
//===----------------------------------------------------------------------===//

#ifndef TRANSFORMER_QUANT_OPS_TD
#define TRANSFORMER_QUANT_OPS_TD

include "Transformer/IR/TransformerBase.td"
include "Transformer/IR/TransformerAttrs.td"

/// 8-bit integer tensors: what integer matmuls (VNNI, AMX, the NPU array) and
/// dynamic quantization take.
def TransformerQuant_Int8Tensor : RankedTensorOf<[I8, UI8, SI8]>;
/// What `dequantize` accepts: quantized tensors and the i32 accumulators of
/// integer matmuls (ONNX DequantizeLinear also takes int32).
def TransformerQuant_DequantInputTensor
    : RankedTensorOf<[I8, UI8, SI8, Transformer_I4, Transformer_UI4,
                      Transformer_SI4, I32, SI32]>;
def TransformerQuant_I32Tensor : RankedTensorOf<[I32]>;

/// An op whose result element types are chosen by the written result types
/// (the quantized or float type); its result shapes are inferred
/// (`inferReturnTypeComponents`) and the verifier checks them.
class TransformerQuant_ShapedOp<string mnemonic, list<Trait> traits = []>
    : Transformer_Op<mnemonic, !listconcat(traits, [InferShapedTypeOpAdaptor,
        DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
            ["reifyResultShapes"]>])> {
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// quantize / dequantize
//===----------------------------------------------------------------------===//

def Transformer_QuantizeOp : TransformerQuant_ShapedOp<"quantize"> {
  let summary = "Float to 8/4-bit integer (ONNX QuantizeLinear-21)";
  let description = [{
    Quantizes `input` with a linear scale:
    `result = saturate(round_half_to_even(input / scale) + zero_point)`,
    saturating to the range of the result's element type (`i8`, `si8`, `ui8`,
    `i4`, `si4`, `ui4`; signless is signed). The result has the input's shape;
    its element type is the written one. The granularity follows ONNX
    QuantizeLinear-21, chosen by the scale's shape and `block_size`:

    - per-tensor: `scale` is `tensor<f32>` or `tensor<1xf32>` (`axis` is
      ignored);
    - per-axis: `scale` is 1-D with `input.shape[axis]` elements, one scale
      per slice along `axis` (per-output-channel weights);
    - blocked (`block_size` > 0): `scale` has the input's rank, its dim at
      `axis` is `ceil(input.shape[axis] / block_size)` and its other dims are
      the input's; element `i` along `axis` uses scale `i / block_size`
      (group-wise int4 weights).

    `axis` defaults to 1 as in ONNX and may be negative (counted from the
    end); `block_size` defaults to 0 (not blocked). `zero_point` is optional
    (0 when absent) and has the scale's shape and the result's element type.

    Example:
    ```mlir
    // per-tensor, asymmetric
    %q0 = transformer.quantize %x, %s zero_point(%zp : tensor<ui8>)
        : tensor<?x768xf32>, tensor<f32> -> tensor<?x768xui8>
    // per-output-channel symmetric int8 weights
    %q1 = transformer.quantize %w, %s1 {axis = 0 : i64}
        : tensor<3072x768xf32>, tensor<3072xf32> -> tensor<3072x768xi8>
    // int4 groups of 32 along K
    %q2 = transformer.quantize %w, %s2 {axis = 1 : i64, block_size = 32 : i64}
        : tensor<3072x768xf32>, tensor<3072x24xf16> -> tensor<3072x768xi4>
    ```
  }];
  let arguments = (ins Transformer_FloatTensor:$input,
                       Transformer_FloatTensor:$scale,
                       Optional<Transformer_QuantTensor>:$zero_point,
                       DefaultValuedAttr<I64Attr, "1">:$axis,
                       DefaultValuedAttr<I64Attr, "0">:$block_size);
  let results = (outs Transformer_QuantTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale (`zero_point` `(` $zero_point^ `:` type($zero_point) `)`)?
    attr-dict `:` type($input) `,` type($scale) `->` type($result)
  }];
  let builders = [
    /// Builds a quantize to `resultElementType` with the input's shape (the
    /// operands come first so that this does not overload-clash with the
    /// default builders, which take the result type first).
    OpBuilder<(ins "::mlir::Value":$input, "::mlir::Value":$scale,
                   "::mlir::Type":$resultElementType,
                   CArg<"::mlir::Value", "{}">:$zeroPoint,
                   CArg<"int64_t", "1">:$axis,
                   CArg<"int64_t", "0">:$blockSize)>
  ];
  let hasCanonicalizeMethod = 1;
}

def Transformer_DequantizeOp : TransformerQuant_ShapedOp<"dequantize"> {
  let summary = "8/4-bit (or i32) integer to float (ONNX DequantizeLinear-21)";
  let description = [{
    The inverse of `transformer.quantize`:
    `result = (input - zero_point) * scale`, computed in the result's float
    type (`f32`, `f16`, `bf16`, written in the result type). The result has
    the input's shape. Granularity (per-tensor, per-axis, blocked), `axis`,
    `block_size` and `zero_point` are as for `transformer.quantize`; the zero
    point has the input's element type. The input may also be `i32` (ONNX
    allows dequantizing integer-matmul accumulators).

    Example:
    ```mlir
    %w = transformer.dequantize %q, %s zero_point(%zp : tensor<3072x24xui4>)
        {axis = 1 : i64, block_size = 32 : i64}
        : tensor<3072x768xui4>, tensor<3072x24xf16> -> tensor<3072x768xf16>
    ```
  }];
  let arguments = (ins TransformerQuant_DequantInputTensor:$input,
                       Transformer_FloatTensor:$scale,
                       Optional<TransformerQuant_DequantInputTensor>:$zero_point,
                       DefaultValuedAttr<I64Attr, "1">:$axis,
                       DefaultValuedAttr<I64Attr, "0">:$block_size);
  let results = (outs Transformer_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale (`zero_point` `(` $zero_point^ `:` type($zero_point) `)`)?
    attr-dict `:` type($input) `,` type($scale) `->` type($result)
  }];
  let builders = [
    /// Builds a dequantize to `resultElementType` with the input's shape (the
    /// operands come first so that this does not overload-clash with the
    /// default builders, which take the result type first).
    OpBuilder<(ins "::mlir::Value":$input, "::mlir::Value":$scale,
                   "::mlir::Type":$resultElementType,
                   CArg<"::mlir::Value", "{}">:$zeroPoint,
                   CArg<"int64_t", "1">:$axis,
                   CArg<"int64_t", "0">:$blockSize)>
  ];
  let hasCanonicalizeMethod = 1;
}

//===----------------------------------------------------------------------===//
// dynamic_quantize
//===----------------------------------------------------------------------===//

def Transformer_DynamicQuantizeOp : TransformerQuant_ShapedOp<"dynamic_quantize"> {
  let summary = "Quantize to 8 bits with scales computed at run time";
  let description = [{
    Computes the scale (and zero point) from the data at run time and
    quantizes with it; activations of int8-dynamic models go through it.

    Granularity is set by the optional `axis` attribute:
    - absent: per-tensor, as ONNX DynamicQuantizeLinear. `scale` is
      `tensor<f32>` (rank 0), `zero_point` likewise.
    - `axis = a`: per-row (per-token): the range is reduced over axis `a`
      only (negative counts from the end; `-1`, the hidden dim, for
      activations), so `scale` and `zero_point` have the input's shape with
      dim `a` set to 1. This is blocked quantization along `a` with a single
      block, so `transformer.dequantize` with `axis = a` and
      `block_size = input.shape[a]` inverts it, and the zero point feeds
      `transformer.quantized_matmul` as a per-row `a_zero_point` when `a` is
      the last axis.

    The scheme follows the written element type of `output` (8-bit only):
    - unsigned (`ui8`), asymmetric: the op has a third result `zero_point`
      (`ui8`, the scale's shape). As ONNX: the range [min(x), max(x)] is
      widened to include 0, `scale = (max - min) / 255`,
      `zero_point = saturate(round_half_to_even(-min / scale))`.
    - signed (`i8`, `si8`), symmetric: no zero point result;
      `scale = max(|x|) / 127`, values in [-127, 127].
    Then `output = saturate(round_half_to_even(x / scale) + zero_point)`.
    An all-zero row (or tensor) gets scale 0 and quantizes to the zero point.
    `scale` has any float type written (typically `f32`).

    Example:
    ```mlir
    // ONNX DynamicQuantizeLinear
    %q, %s, %zp = transformer.dynamic_quantize %x
        : tensor<?x768xf32> -> tensor<?x768xui8>, tensor<f32>, tensor<ui8>
    // per-token symmetric int8 for int8-dynamic
    %qa, %sa = transformer.dynamic_quantize %h {axis = -1 : i64}
        : tensor<?x?x768xf32> -> tensor<?x?x768xi8>, tensor<?x?x1xf32>
    ```
  }];
  let arguments = (ins Transformer_FloatTensor:$input,
                       OptionalAttr<I64Attr>:$axis);
  let results = (outs TransformerQuant_Int8Tensor:$output,
                      Transformer_FloatTensor:$scale,
                      Optional<TransformerQuant_Int8Tensor>:$zero_point);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($output) `,` type($scale)
    (`,` type($zero_point)^)?
  }];
  let builders = [
    /// Builds a dynamic quantization to `outputElementType` (a zero point
    /// result is added for unsigned types), per-tensor when `axis` is
    /// std::nullopt, per-row along `axis` otherwise.
    OpBuilder<(ins "::mlir::Value":$input, "::mlir::Type":$outputElementType,
                   CArg<"std::optional<int64_t>", "std::nullopt">:$axis,
                   CArg<"::mlir::Type", "{}">:$scaleElementType)>
  ];
}

//===----------------------------------------------------------------------===//
// quantized_matmul
//===----------------------------------------------------------------------===//

def Transformer_QuantizedMatmulOp : Transformer_InferOp<"quantized_matmul",
    [AttrSizedOperandSegments,
     DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
         ["reifyResultShapes"]>]> {
  let summary = "Integer matmul with i32 accumulation (ONNX MatMulInteger)";
  let description = [{
    `result[..., m, n] = sum_k (a[..., m, k] - a_zero_point) *
                               (b[..., k, n] - b_zero_point)`,
    accumulated exactly in `i32`. `a` and `b` are 8-bit (`i8`/`si8`/`ui8`,
    independently, so VNNI's u8 x s8 form is expressible), of rank >= 2; the
    batch dims (all but the last two) broadcast with numpy rules, and the
    result is `tensor<batch x M x N x i32>`.

    Zero points are optional (0 when absent), of their operand's element
    type, and as in MatMulInteger:
    - `a_zero_point`: per-tensor (`tensor<i8>` or `tensor<1xi8>`), or
      per-row of `a`: `tensor<Mxi8>`, or a's rank with shape
      `a.shape[:-1] + [1]` (what per-token `dynamic_quantize` produces);
    - `b_zero_point`: per-tensor, or per-column of `b`: `tensor<Nxi8>`, or
      b's rank with shape `b.shape[:-2] + [1, N]`.

    Example:
    ```mlir
    %acc = transformer.quantized_matmul %a, %b
        a_zero_point(%azp : tensor<?x?x1xui8>)
        : tensor<?x?x768xui8>, tensor<768x3072xi8> -> tensor<?x?x3072xi32>
    ```
  }];
  let arguments = (ins TransformerQuant_Int8Tensor:$a,
                       TransformerQuant_Int8Tensor:$b,
                       Optional<TransformerQuant_Int8Tensor>:$a_zero_point,
                       Optional<TransformerQuant_Int8Tensor>:$b_zero_point);
  let results = (outs TransformerQuant_I32Tensor:$result);
  let assemblyFormat = [{
    $a `,` $b
    (`a_zero_point` `(` $a_zero_point^ `:` type($a_zero_point) `)`)?
    (`b_zero_point` `(` $b_zero_point^ `:` type($b_zero_point) `)`)?
    attr-dict `:` type($a) `,` type($b) `->` type($result)
  }];
  let hasCanonicalizeMethod = 1;
}

//===----------------------------------------------------------------------===//
// quantized_linear
//===----------------------------------------------------------------------===//

def Transformer_QuantizedLinearOp : Transformer_InferOp<"quantized_linear",
    [AttrSizedOperandSegments,
     DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
         ["reifyResultShapes"]>]> {
  let summary = "Linear layer with quantized weights (weight-only quantization)";
  let description = [{
    `result = input * dequant(weight)^T + bias`, where
    `dequant(weight)[n, k] = (weight[n, k] - zero_point[n, g]) * scale[n, g]`
    with `g = k / group_size`:

    - `input`: float `[..., K]` (rank >= 1); the result is `[..., N]` with
      the input's element type.
    - `weight`: `[N, K]` of `i8`/`si8`/`ui8`/`i4`/`si4`/`ui4` (logical
      element type; two 4-bit values per byte is a storage matter, see the
      file header), the layout of ONNX Gemm with transB and of MatMulNBits.
    - `scale`: any float type; `[N]` (per output channel) without
      `group_size`, `[N, ceil(K / group_size)]` with it (per group of
      `group_size` consecutive k; the last group may be partial).
    - `zero_point` (optional, 0 when absent): the scale's shape, the
      weight's element type. Note that com.microsoft MatMulNBits defaults
      the zero point of its unsigned weights to 2^(bits-1) (8 for 4 bits):
      its importer writes that zero point explicitly.
    - `bias` (optional): `[N]` of the input's element type.

    Recipes: int8-weight is `i8` weights, `[N]` f32 scales, no zero point;
    int4-weight is `i4` (symmetric) or `ui4` with zero points, `group_size`
    32/64/128, f32 or f16 scales. The CPU lowering dequantizes weight tiles
    in registers (or pairs with `dynamic_quantize` for VNNI/AMX); the NPU
    takes the op as is.

    Example:
    ```mlir
    %y = transformer.quantized_linear %x, %w, %s
        zero_point(%zp : tensor<3072x24xui4>) bias(%b : tensor<3072xf32>)
        {group_size = 32 : i64}
        : tensor<?x?x768xf32>, tensor<3072x768xui4>, tensor<3072x24xf16>
        -> tensor<?x?x3072xf32>
    ```
  }];
  let arguments = (ins Transformer_FloatTensor:$input,
                       Transformer_QuantTensor:$weight,
                       Transformer_FloatTensor:$scale,
                       Optional<Transformer_QuantTensor>:$zero_point,
                       Optional<Transformer_FloatTensor>:$bias,
                       OptionalAttr<I64Attr>:$group_size);
  let results = (outs Transformer_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight `,` $scale
    (`zero_point` `(` $zero_point^ `:` type($zero_point) `)`)?
    (`bias` `(` $bias^ `:` type($bias) `)`)?
    attr-dict `:` type($input) `,` type($weight) `,` type($scale)
    `->` type($result)
  }];
  let builders = [
    /// Builds a quantized linear with inferred result type; `groupSize`
    /// std::nullopt means per-output-channel scales.
    OpBuilder<(ins "::mlir::Value":$input, "::mlir::Value":$weight,
                   "::mlir::Value":$scale,
                   CArg<"::mlir::Value", "{}">:$zeroPoint,
                   CArg<"::mlir::Value", "{}">:$bias,
                   CArg<"std::optional<int64_t>", "std::nullopt">:$groupSize)>
  ];
  let hasCanonicalizeMethod = 1;
}

#endif // TRANSFORMER_QUANT_OPS_TD
