//===- TransformerShapeOps.td - reshape, transpose, slice, ... -*- tablegen -*-===//
//
// The shape op group of the transformer dialect: ops that move or regroup
// elements without computing on them: `reshape`, `transpose`, `concat`,
// `slice`, `split`, `expand`, `squeeze`, `unsqueeze` and `gather`. They are
// what ONNX's data-movement ops import to (attention's head split/merge, KV
// concatenation, causal-mask broadcasting, embedding lookups).
//
// All work on ranked tensors with dynamic dims. Ops whose result shape follows
// from operands and attributes infer it (`Transformer_InferOp`); `reshape`
// and `expand` take an explicit result type plus one `index` operand per
// dynamic result dim (as `tensor.empty` does), so that every size is
// available when they lower to tensor.expand_shape/collapse_shape/reshape or
// linalg.broadcast. Ops that can compute their result dims from operands
// implement `ReifyRankedShapedTypeOpInterface`.
//
//===----------------------------------------------------------------------===//

#ifndef TRANSFORMER_SHAPE_OPS_TD
#define TRANSFORMER_SHAPE_OPS_TD

include "Transformer/IR/TransformerBase.td"
include "Transformer/IR/TransformerAttrs.td"

//===----------------------------------------------------------------------===//
// reshape
//===----------------------------------------------------------------------===//

def Transformer_ReshapeOp : Transformer_Op<"reshape", [
    AllElementTypesMatch<["input", "result"]>,
    DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
        ["reifyResultShapes"]>]> {
  let summary = "Reshape to an explicit result type (row-major order kept)";
  let description = [{
    Reinterprets the elements of `input`, in row-major order, with the shape
    of the result type. The result type is written out; `dynamic_sizes` gives
    one `index` value per dynamic (`?`) dim of the result, in order, so that
    the result's shape is always known when the op lowers. The element count
    must not change: the verifier rejects a static mismatch, and a fully static
    side whose element count is not a multiple of the other side's static
    dims.

    Folds: a reshape to the same static type is its input; a reshape of a
    reshape reshapes the original input; a reshape of a `dense<...>` constant
    is a constant.

    Example (splitting the hidden dim into 12 heads of 64):
    ```mlir
    %r = transformer.reshape %x [%b, %s] : tensor<?x?x768xf32> -> tensor<?x?x12x64xf32>
    ```
  }];
  let arguments = (ins Transformer_Tensor:$input,
                       Variadic<Index>:$dynamic_sizes);
  let results = (outs Transformer_Tensor:$result);
  let assemblyFormat = [{
    $input (` ` `[` $dynamic_sizes^ `]`)? attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizeMethod = 1;
}

//===----------------------------------------------------------------------===//
// transpose
//===----------------------------------------------------------------------===//

def Transformer_TransposeOp : Transformer_InferOp<"transpose", [
    AllElementTypesMatch<["input", "result"]>,
    DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
        ["reifyResultShapes"]>]> {
  let summary = "Permute the dims of a tensor";
  let description = [{
    `result[i_0, ..., i_n-1]` takes the element of `input` whose index along
    dim `permutation[k]` is `i_k`, so result dim `k` is input dim
    `permutation[k]` (ONNX Transpose `perm`, numpy `transpose`).
    `permutation` must be a permutation of `[0, rank)`.

    Folds: the identity permutation is the input; a transpose of a transpose
    becomes one transpose with the composed permutation
    (`p[k] = inner[outer[k]]`).

    Example (heads before sequence):
    ```mlir
    %t = transformer.transpose %x {permutation = array<i64: 0, 2, 1, 3>}
        : tensor<?x?x12x64xf32> -> tensor<?x12x?x64xf32>
    ```
  }];
  let arguments = (ins Transformer_Tensor:$input,
                       DenseI64ArrayAttr:$permutation);
  let results = (outs Transformer_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasFolder = 1;
  let hasCanonicalizeMethod = 1;
}

//===----------------------------------------------------------------------===//
// concat
//===----------------------------------------------------------------------===//

def Transformer_ConcatOp : Transformer_InferOp<"concat", [
    DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
        ["reifyResultShapes"]>]> {
  let summary = "Concatenate tensors along an axis";
  let description = [{
    Joins one or more `inputs` of the same rank and element type along `axis`
    (negative counts from the end). The other dims must agree: two different
    static sizes are an error, and the result dim is static when any input has
    it static. The result's `axis` dim is the sum of the inputs' (dynamic when
    any is dynamic). A concat of a single input folds to it.

    Example (appending to a KV cache):
    ```mlir
    %kv = transformer.concat %past, %new {axis = 2}
        : tensor<1x12x?x64xf32>, tensor<1x12x1x64xf32> -> tensor<1x12x?x64xf32>
    ```
  }];
  let arguments = (ins Variadic<Transformer_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs Transformer_Tensor:$result);
  let assemblyFormat = "$inputs attr-dict `:` type($inputs) `->` type($result)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// slice
//===----------------------------------------------------------------------===//

def Transformer_SliceOp : Transformer_InferOp<"slice", [
    AllElementTypesMatch<["input", "result"]>,
    DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
        ["reifyResultShapes"]>]> {
  let summary = "Strided slice with static bounds (ONNX Slice)";
  let description = [{
    ONNX Slice with constant bounds. For each listed axis (`axes`, default
    `[0, n)` for `n` starts; negative axes count from the end; no axis twice)
    the result keeps the elements `start, start + step, ...` below `end`.
    Negative `starts`/`ends` count from the end of the dim; both are then
    clamped to `[0, dim]`, so an `end` of INT64_MAX means "to the end".
    `steps` defaults to 1 and must be positive. The length of a sliced dim is
    `max(0, ceil((end - start) / step))` after clamping: static when the
    input dim is static, `?` otherwise. Unlisted axes are kept whole.

    A slice that provably keeps everything folds to its input.

    Example (the second half of the last dim, every other row):
    ```mlir
    %s = transformer.slice %x {axes = array<i64: -1, 0>, starts = array<i64: 32, 0>,
                               ends = array<i64: 9223372036854775807, 8>,
                               steps = array<i64: 1, 2>}
        : tensor<8x?x64xf32> -> tensor<4x?x32xf32>
    ```
  }];
  let arguments = (ins Transformer_Tensor:$input,
                       DenseI64ArrayAttr:$starts,
                       DenseI64ArrayAttr:$ends,
                       OptionalAttr<DenseI64ArrayAttr>:$axes,
                       OptionalAttr<DenseI64ArrayAttr>:$steps);
  let results = (outs Transformer_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// split
//===----------------------------------------------------------------------===//

def Transformer_SplitOp : Transformer_InferOp<"split", [
    DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
        ["reifyResultShapes"]>]> {
  let summary = "Split a tensor along an axis into pieces of given sizes";
  let description = [{
    Cuts `input` along `axis` (negative counts from the end) into one result
    per entry of `sizes`, in order: result `k` holds the `sizes[k]` slices
    starting at `sizes[0] + ... + sizes[k-1]`. Sizes are non-negative and,
    when the input dim is static, sum to it. Every other dim is the input's.
    A split into one piece of the input's type folds to the input.

    Example (a fused QKV projection):
    ```mlir
    %q, %k, %v = transformer.split %qkv {axis = 2, sizes = array<i64: 768, 768, 768>}
        : tensor<?x?x2304xf32> -> tensor<?x?x768xf32>, tensor<?x?x768xf32>, tensor<?x?x768xf32>
    ```
  }];
  let arguments = (ins Transformer_Tensor:$input, I64Attr:$axis,
                       DenseI64ArrayAttr:$sizes);
  let results = (outs Variadic<Transformer_Tensor>:$outputs);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($outputs)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// expand
//===----------------------------------------------------------------------===//

def Transformer_ExpandOp : Transformer_Op<"expand", [
    AllElementTypesMatch<["input", "result"]>,
    DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
        ["reifyResultShapes"]>]> {
  let summary = "Broadcast a tensor to an explicit result type (numpy rules)";
  let description = [{
    Broadcasts `input` to the result type with numpy rules: dims are aligned
    from the right, the result has at least the input's rank, and each input
    dim is 1 (it is repeated) or equal to the result dim. As for
    `transformer.reshape`, the result type is written out and
    `dynamic_sizes` gives one `index` per dynamic result dim. A dynamic dim
    on either side is accepted; it must satisfy the rule at run time. ONNX
    Expand imports to it once the broadcast shape is known.

    Folds to the input when the types are equal and every dynamic size is
    the input's own dim (`tensor.dim`); an expand of a splat constant is a
    splat constant.

    Example (a causal mask to every head):
    ```mlir
    %m = transformer.expand %mask [%b, %s, %t] : tensor<1x1x?x?xi1> -> tensor<?x12x?x?xi1>
    ```
  }];
  let arguments = (ins Transformer_Tensor:$input,
                       Variadic<Index>:$dynamic_sizes);
  let results = (outs Transformer_Tensor:$result);
  let assemblyFormat = [{
    $input (` ` `[` $dynamic_sizes^ `]`)? attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// squeeze / unsqueeze
//===----------------------------------------------------------------------===//

def Transformer_SqueezeOp : Transformer_InferOp<"squeeze", [
    AllElementTypesMatch<["input", "result"]>,
    DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
        ["reifyResultShapes"]>]> {
  let summary = "Remove size-1 dims (ONNX Squeeze with explicit axes)";
  let description = [{
    Drops the dims listed in `axes` (negative counts from the end of the
    input; no axis twice). A listed dim must be 1: a static size other than 1
    is an error, a dynamic one must be 1 at run time. Unlike ONNX, `axes` is
    required and an empty list squeezes nothing (the importer resolves ONNX's
    "all size-1 dims" from the static shape), so empty `axes` folds to the
    input, as does a squeeze of an unsqueeze with the same axes. A squeeze of
    a `dense<...>` constant is a constant.

    Example:
    ```mlir
    %s = transformer.squeeze %x {axes = array<i64: 1>} : tensor<?x1x768xf32> -> tensor<?x768xf32>
    ```
  }];
  let arguments = (ins Transformer_Tensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs Transformer_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasFolder = 1;
}

def Transformer_UnsqueezeOp : Transformer_InferOp<"unsqueeze", [
    AllElementTypesMatch<["input", "result"]>,
    DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
        ["reifyResultShapes"]>]> {
  let summary = "Insert size-1 dims (ONNX Unsqueeze)";
  let description = [{
    Inserts a dim of size 1 at each position in `axes`, which refer to the
    result (rank = input rank + number of axes; negative counts from the end
    of the result; no position twice). The input's dims fill the remaining
    positions in order. Empty `axes` folds to the input; so does an unsqueeze
    of a squeeze with the same axes when the types match. An unsqueeze of a
    `dense<...>` constant is a constant.

    Example:
    ```mlir
    %u = transformer.unsqueeze %x {axes = array<i64: 0, 3>} : tensor<?x?xf32> -> tensor<1x?x?x1xf32>
    ```
  }];
  let arguments = (ins Transformer_Tensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs Transformer_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// gather
//===----------------------------------------------------------------------===//

def Transformer_GatherOp : Transformer_InferOp<"gather", [
    AllElementTypesMatch<["data", "result"]>,
    DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
        ["reifyResultShapes"]>]> {
  let summary = "Gather slices along an axis by index (ONNX Gather)";
  let description = [{
    Takes, for every element of `indices` (any rank, i32 or i64), the slice of
    `data` at that index along `axis` (negative counts from the end). The
    result shape is `data.shape[:axis] + indices.shape + data.shape[axis+1:]`
    with `data`'s element type. Negative indices count from the end of the
    dim; indices out of range are undefined behaviour, as in ONNX.

    Example (an embedding lookup):
    ```mlir
    %e = transformer.gather %table, %ids {axis = 0}
        : tensor<50257x768xf32>, tensor<?x?xi64> -> tensor<?x?x768xf32>
    ```
  }];
  let arguments = (ins Transformer_Tensor:$data,
                       Transformer_IndexTensor:$indices,
                       DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs Transformer_Tensor:$result);
  let assemblyFormat = [{
    $data `,` $indices attr-dict `:` type($data) `,` type($indices) `->` type($result)
  }];
}

#endif // TRANSFORMER_SHAPE_OPS_TD
