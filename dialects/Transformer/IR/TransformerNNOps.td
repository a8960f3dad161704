//===- TransformerNNOps.td - matmul, norms, activations, attention -*- tablegen -*-===//
//
// The neural-network op group of the transformer dialect: the ops an LLM is
// made of once raised from primitive ONNX ops. `matmul`, `linear`, `softmax`,
// `log_softmax`, `layer_norm`, `rms_norm`, `gelu`, `silu`,
// `rotary_embedding`, `attention` (masks, causal flag, grouped-query
// attention, KV cache) and `embedding`. These op names are a public contract:
// tests, users and the lowering passes depend on them.
//
// Every op implements `ReifyRankedShapedTypeOpInterface`: its dynamic result
// dims (batch, sequence, KV-cache length) are computed from its operands at
// run time, so that the lowerings can size their destination tensors.
//
//===----------------------------------------------------------------------===//

#ifndef TRANSFORMER_NN_OPS_TD
#define TRANSFORMER_NN_OPS_TD

include "Transformer/IR/TransformerBase.td"
include "Transformer/IR/TransformerAttrs.td"

//===----------------------------------------------------------------------===//
// matmul, linear
//===----------------------------------------------------------------------===//

def Transformer_MatmulOp : Transformer_InferOp<"matmul",
    [AllElementTypesMatch<["lhs", "rhs", "result"]>,
     DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
         ["reifyResultShapes"]>]> {
  let summary = "Batched matrix product with numpy broadcasting of batch dims";
  let description = [{
    `result[..., m, n] = sum_k lhs[..., m, k] * rhs[..., k, n]`. Both operands
    have rank >= 2; the leading (batch) dims broadcast with numpy rules, as in
    ONNX MatMul (1-D operands are reshaped by the importer). The contraction
    dims must agree when static.

    Example:
    ```mlir
    %s = transformer.matmul %q, %kt : tensor<?x12x?x64xf32>, tensor<?x12x64x?xf32> -> tensor<?x12x?x?xf32>
    %y = transformer.matmul %x, %w : tensor<?x?x768xf32>, tensor<768x3072xf32> -> tensor<?x?x3072xf32>
    ```
  }];
  let arguments = (ins Transformer_Tensor:$lhs, Transformer_Tensor:$rhs);
  let results = (outs Transformer_Tensor:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)";
}

def Transformer_LinearOp : Transformer_InferOp<"linear",
    [AllElementTypesMatch<["input", "weight", "result"]>,
     DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
         ["reifyResultShapes"]>]> {
  let summary = "Fully connected layer: input * weight^T + bias";
  let description = [{
    `result[..., n] = sum_k input[..., k] * weight[n, k] + bias[n]`, the
    PyTorch `nn.Linear` convention (weight stored output-major, [N, K]). The
    input has rank >= 1 and any leading dims (batch, sequence). `bias` is
    optional. Weights are usually `transformer.constant`s, which the CPU
    pipeline packs into a blocked layout at compile time.

    Example:
    ```mlir
    %y = transformer.linear %x, %w, %b
        : tensor<?x?x768xf32>, tensor<3072x768xf32>, tensor<3072xf32> -> tensor<?x?x3072xf32>
    ```
  }];
  let arguments = (ins Transformer_Tensor:$input, Transformer_Tensor:$weight,
                       Optional<Transformer_Tensor>:$bias);
  let results = (outs Transformer_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` type($input) `,` type($weight)
    (`,` type($bias)^)? `->` type($result)
  }];
}

//===----------------------------------------------------------------------===//
// softmax, normalization
//===----------------------------------------------------------------------===//

class Transformer_SoftmaxBase<string mnemonic, string math>
    : Transformer_Op<mnemonic, [SameOperandsAndResultType,
        DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
            ["reifyResultShapes"]>]> {
  let summary = math # " along one axis";
  let description = [{
    Computes }] # math # [{ of `input` along `axis` (default -1, the last
    axis; negative counts from the end), numerically stable (the maximum is
    subtracted first). This is ONNX's opset-13 semantics: one axis, not the
    flattened trailing dims of opset 11.

    Example:
    ```mlir
    %p = transformer.}] # mnemonic # [{ %scores {axis = -1 : i64} : tensor<?x12x?x?xf32>
    ```
  }];
  let arguments = (ins Transformer_FloatTensor:$input,
                       DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs Transformer_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Transformer_SoftmaxOp : Transformer_SoftmaxBase<"softmax", "softmax">;
def Transformer_LogSoftmaxOp : Transformer_SoftmaxBase<"log_softmax", "log(softmax)">;

def Transformer_LayerNormOp : Transformer_Op<"layer_norm",
    [AttrSizedOperandSegments, AllTypesMatch<["input", "result"]>,
     DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
         ["reifyResultShapes"]>]> {
  let summary = "Layer normalization over the trailing dims from `axis`";
  let description = [{
    Normalizes `input` over the dims `[axis, rank)` (ONNX LayerNormalization;
    default axis -1): `(x - mean) / sqrt(var + epsilon) * scale + bias`,
    with the biased variance. `scale` and `bias` are optional and broadcast
    against the normalized dims (right-aligned, rank at most `rank - axis`).

    Example:
    ```mlir
    %y = transformer.layer_norm %x scale %g : tensor<768xf32> bias %b : tensor<768xf32>
        {epsilon = 1.0e-05 : f32} : tensor<?x?x768xf32>
    ```
  }];
  let arguments = (ins Transformer_FloatTensor:$input,
                       Optional<Transformer_FloatTensor>:$scale,
                       Optional<Transformer_FloatTensor>:$bias,
                       DefaultValuedAttr<I64Attr, "-1">:$axis,
                       DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon);
  let results = (outs Transformer_FloatTensor:$result);
  let assemblyFormat = [{
    $input (`scale` $scale^ `:` type($scale))? (`bias` $bias^ `:` type($bias))?
    attr-dict `:` type($input)
  }];
  let hasVerifier = 1;
}

def Transformer_RMSNormOp : Transformer_Op<"rms_norm",
    [AllTypesMatch<["input", "result"]>,
     DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
         ["reifyResultShapes"]>]> {
  let summary = "RMS normalization over the trailing dims from `axis`";
  let description = [{
    `x / sqrt(mean(x^2 over dims [axis, rank)) + epsilon) * scale` (LLaMA's
    RMSNorm, ONNX SimplifiedLayerNormalization; default axis -1). `scale` is
    optional and broadcasts against the normalized dims.

    Example:
    ```mlir
    %y = transformer.rms_norm %x scale %g : tensor<4096xf32> {epsilon = 1.0e-06 : f32} : tensor<?x?x4096xf32>
    ```
  }];
  let arguments = (ins Transformer_FloatTensor:$input,
                       Optional<Transformer_FloatTensor>:$scale,
                       DefaultValuedAttr<I64Attr, "-1">:$axis,
                       DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon);
  let results = (outs Transformer_FloatTensor:$result);
  let assemblyFormat = [{
    $input (`scale` $scale^ `:` type($scale))? attr-dict `:` type($input)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

def Transformer_GeluOp : Transformer_Op<"gelu",
    [SameOperandsAndResultType, Elementwise,
     DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
         ["reifyResultShapes"]>]> {
  let summary = "GELU activation (erf or tanh approximation)";
  let description = [{
    `approximation = erf` (default): `0.5 * x * (1 + erf(x / sqrt(2)))`.
    `approximation = tanh`: `0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))`,
    GPT-2's `gelu_new`.

    Example:
    ```mlir
    %y = transformer.gelu %x approximation = tanh : tensor<?x?x3072xf32>
    ```
  }];
  let arguments = (ins Transformer_FloatTensor:$input,
                       DefaultValuedAttr<Transformer_GeluApproximationAttr,
                           "::mlir::llm::transformer::GeluApproximation::Erf">:$approximation);
  let results = (outs Transformer_FloatTensor:$result);
  let assemblyFormat =
      "$input (`approximation` `=` $approximation^)? attr-dict `:` type($input)";
}

def Transformer_SiluOp : Transformer_Op<"silu",
    [SameOperandsAndResultType, Elementwise,
     DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
         ["reifyResultShapes"]>]> {
  let summary = "SiLU (swish) activation: x * sigmoid(x)";
  let description = [{
    `x * sigmoid(x)`, the activation of LLaMA/Mistral MLPs.

    Example:
    ```mlir
    %y = transformer.silu %x : tensor<?x?x11008xf32>
    ```
  }];
  let arguments = (ins Transformer_FloatTensor:$input);
  let results = (outs Transformer_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

//===----------------------------------------------------------------------===//
// Rotary position embedding
//===----------------------------------------------------------------------===//

def Transformer_RotaryEmbeddingOp : Transformer_Op<"rotary_embedding",
    [AllTypesMatch<["input", "result"]>, AllTypesMatch<["cos", "sin"]>,
     DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
         ["reifyResultShapes"]>]> {
  let summary = "Rotary position embedding (rotate-half or interleaved)";
  let description = [{
    Rotates pairs of the first `rotary_dim` elements of the last dim of
    `input` (default: all of it) by position-dependent angles; the remaining
    elements pass through (partial rotary, as in Phi/GPT-NeoX). `cos` and
    `sin` hold one value per pair: their last dim is `rotary_dim / 2`, and
    their other dims broadcast (numpy rules) against `input`'s dims other
    than the last, typically `[seq, rotary_dim/2]` or
    `[batch, 1, seq, rotary_dim/2]` for position-gathered tables.

    With `R = rotary_dim / 2` and `i < R`:
    - `rotate_half` (GPT-NeoX/LLaMA in Hugging Face): pairs are `(x[i], x[i+R])`:
      `y[i] = x[i]*cos[i] - x[i+R]*sin[i]`, `y[i+R] = x[i+R]*cos[i] + x[i]*sin[i]`.
    - `interleaved` (GPT-J, original RoFormer): pairs are `(x[2i], x[2i+1])`:
      `y[2i] = x[2i]*cos[i] - x[2i+1]*sin[i]`, `y[2i+1] = x[2i+1]*cos[i] + x[2i]*sin[i]`.

    Example:
    ```mlir
    %q2 = transformer.rotary_embedding %q, %cos, %sin mode = rotate_half
        : tensor<?x32x?x128xf32>, tensor<?x64xf32>
    ```
  }];
  let arguments = (ins Transformer_FloatTensor:$input,
                       Transformer_FloatTensor:$cos,
                       Transformer_FloatTensor:$sin,
                       DefaultValuedAttr<Transformer_RotaryModeAttr,
                           "::mlir::llm::transformer::RotaryMode::RotateHalf">:$mode,
                       OptionalAttr<I64Attr>:$rotary_dim);
  let results = (outs Transformer_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $cos `,` $sin (`mode` `=` $mode^)? attr-dict `:` type($input) `,` type($cos)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The number of rotated elements of the last dim: `rotary_dim`, or the
    /// whole last dim (kDynamic when that is dynamic).
    int64_t getEffectiveRotaryDim();
  }];
}

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

def Transformer_AttentionOp : Transformer_InferOp<"attention",
    [AttrSizedOperandSegments,
     DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
         ["reifyResultShapes"]>]> {
  let summary = "Scaled dot-product attention with masks, GQA and a KV cache";
  let description = [{
    Multi-head scaled dot-product attention on head-split operands:
    - `query`: `[B, Hq, Sq, D]`, `key`: `[B, Hkv, Skv, D]`, `value`: `[B, Hkv, Skv, Dv]`.
    - Grouped-query attention: `Hq` is a multiple of `Hkv` (`num_kv_heads`,
      optional, must match `key`'s dim 1); query head `h` uses KV head
      `h / (Hq / Hkv)`. `Hkv == Hq` is multi-head attention, `Hkv == 1`
      multi-query attention.
    - KV cache: with `past_key` `[B, Hkv, P, D]` and `past_value`
      `[B, Hkv, P, Dv]` (both or neither), the keys attended to are
      `concat(past_key, key)` along the sequence (length `T = P + Skv`), and
      the op also returns `present_key` / `present_value` (`[B, Hkv, T, D|Dv]`),
      the cache for the next step. Without past operands `T = Skv` and there
      are no present results.
    - `scores = scale * query @ keys^T` with `scale` defaulting to `1/sqrt(D)`.
    - `mask` (optional) broadcasts to `[B, Hq, Sq, T]`: a float mask is added
      to the scores (0 or -inf / finfo.min); an `i1` mask keeps the scores
      where it is true and masks the others.
    - `causal`: query `i` attends to keys `j <= i + (T - Sq)` (aligned to the
      end, so decode steps with a cache attend to all past positions).
    - `output = softmax(scores) @ values`: `[B, Hq, Sq, Dv]`.

    Example (LLaMA-style decode step with GQA, 32 query and 8 KV heads):
    ```mlir
    %o, %pk, %pv = transformer.attention %q, %k, %v past(%past_k, %past_v
        : tensor<?x8x?x128xf32>, tensor<?x8x?x128xf32>) {causal, num_kv_heads = 8 : i64}
        : tensor<?x32x1x128xf32>, tensor<?x8x1x128xf32>, tensor<?x8x1x128xf32>
        -> tensor<?x32x1x128xf32>, tensor<?x8x?x128xf32>, tensor<?x8x?x128xf32>
    ```
  }];
  let arguments = (ins Transformer_FloatTensor:$query,
                       Transformer_FloatTensor:$key,
                       Transformer_FloatTensor:$value,
                       Optional<Transformer_Tensor>:$mask,
                       Optional<Transformer_FloatTensor>:$past_key,
                       Optional<Transformer_FloatTensor>:$past_value,
                       OptionalAttr<F32Attr>:$scale,
                       UnitAttr:$causal,
                       OptionalAttr<I64Attr>:$num_kv_heads);
  let results = (outs Transformer_FloatTensor:$output,
                      Variadic<Transformer_FloatTensor>:$present);
  let assemblyFormat = [{
    $query `,` $key `,` $value (`mask` `(` $mask^ `:` type($mask) `)`)?
    (`past` `(` $past_key^ `,` $past_value `:` type($past_key) `,` type($past_value) `)`)?
    attr-dict `:` type($query) `,` type($key) `,` type($value) `->` type(results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The softmax scale: the `scale` attribute or 1/sqrt(head dim).
    /// std::nullopt when it defaults and the head dim is dynamic.
    std::optional<double> getEffectiveScale();
    /// `present_key` (only when `past_key` is given).
    ::mlir::Value getPresentKey() {
      return getPresent().empty() ? ::mlir::Value() : getPresent()[0];
    }
    /// `present_value` (only when `past_value` is given).
    ::mlir::Value getPresentValue() {
      return getPresent().empty() ? ::mlir::Value() : getPresent()[1];
    }
  }];
}

//===----------------------------------------------------------------------===//
// Embedding
//===----------------------------------------------------------------------===//

def Transformer_EmbeddingOp : Transformer_InferOp<"embedding",
    [AllElementTypesMatch<["table", "result"]>,
     DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
         ["reifyResultShapes"]>]> {
  let summary = "Embedding lookup: gathers rows of a table";
  let description = [{
    `result[i..., :] = table[indices[i...], :]` for a `[V, D]` table and
    integer indices of any shape; the result is `indices.shape + [D]`. Indices
    must be in `[0, V)` (negative indices are normalised by the importer).

    Example:
    ```mlir
    %h = transformer.embedding %wte[%ids] : tensor<50257x768xf32>, tensor<?x?xi64> -> tensor<?x?x768xf32>
    ```
  }];
  let arguments = (ins Transformer_Tensor:$table,
                       Transformer_IndexTensor:$indices);
  let results = (outs Transformer_Tensor:$result);
  let assemblyFormat = [{
    $table `[` $indices `]` attr-dict `:` type($table) `,` type($indices) `->` type($result)
  }];
}

#endif // TRANSFORMER_NN_OPS_TD
