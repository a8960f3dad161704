//===- TransformerIndexingOps.td - gather_elements, scatter_nd, cumsum -*- tablegen -*-===//
//
// The indexing op group of the transformer dialect: ops whose element
// positions are computed from data (`gather_elements`, `scatter_nd`) or that
// scan along an axis (`cumsum`). Exporters emit them for position ids
// (`cumsum` of the attention mask), for cache updates by position
// (`scatter_nd`) and for per-token selections (`gather_elements`).
//
// They lower to linalg/scf in lib/Conversion/TransformerToLinalg/
// IndexingToLinalg.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef TRANSFORMER_INDEXING_OPS_TD
#define TRANSFORMER_INDEXING_OPS_TD

include "Transformer/IR/TransformerBase.td"

//===----------------------------------------------------------------------===//
// gather_elements
//===----------------------------------------------------------------------===//

def Transformer_GatherElementsOp : Transformer_InferOp<"gather_elements", [
    AllElementTypesMatch<["data", "result"]>,
    DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
        ["reifyResultShapes"]>]> {
  let summary = "Gather single elements along an axis (ONNX GatherElements)";
  let description = [{
    `indices` has the rank of `data`; the result has the shape of `indices`
    and the element type of `data`:
    `result[i_0, ..., i_n-1] = data[i_0, ..., indices[i_0, ..., i_n-1], ..., i_n-1]`
    where the index replaces the position along `axis` (negative counts from
    the end). Along the other dims `indices` must not be larger than `data`.
    Negative indices count from the end of the axis; indices out of range
    are undefined behaviour, as in ONNX.

    Example (torch.gather along the last dim):
    ```mlir
    %g = transformer.gather_elements %x, %i {axis = 1}
        : tensor<3x5xf32>, tensor<3x2xi64> -> tensor<3x2xf32>
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

//===----------------------------------------------------------------------===//
// scatter_nd
//===----------------------------------------------------------------------===//

def Transformer_ScatterNDOp : Transformer_InferOp<"scatter_nd", [
    AllElementTypesMatch<["data", "updates"]>,
    DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
        ["reifyResultShapes"]>]> {
  let summary = "Write slices at index tuples into a copy of a tensor (ONNX ScatterND)";
  let description = [{
    `data` has rank `r`, `indices` rank `q >= 1` with a static last dim
    `k <= r`, and `updates` the shape `indices.shape[:-1] + data.shape[k:]`.
    The result is a copy of `data` in which, for every index tuple
    `t = indices[i_0, ..., i_q-2, :]`, the slice `data[t[0], ..., t[k-1], ...]`
    is replaced by (`reduction = "none"`) or combined with (`"add"`, `"mul"`,
    `"max"`, `"min"`) `updates[i_0, ..., i_q-2, ...]`, in the order of the
    index tuples. Negative indices count from the end of their dim. As in
    ONNX, duplicate tuples with `"none"` and out-of-range indices are
    undefined behaviour.

    Example (writing one row per index):
    ```mlir
    %s = transformer.scatter_nd %data, %idx, %upd {reduction = "add"}
        : tensor<4x4xf32>, tensor<2x1xi64>, tensor<2x4xf32> -> tensor<4x4xf32>
    ```
  }];
  let arguments = (ins Transformer_Tensor:$data,
                       Transformer_IndexTensor:$indices,
                       Transformer_Tensor:$updates,
                       DefaultValuedStrAttr<StrAttr, "none">:$reduction);
  let results = (outs Transformer_Tensor:$result);
  let assemblyFormat = [{
    $data `,` $indices `,` $updates attr-dict `:` type($data) `,` type($indices)
    `,` type($updates) `->` type($result)
  }];
}

//===----------------------------------------------------------------------===//
// cumsum
//===----------------------------------------------------------------------===//

def Transformer_CumSumOp : Transformer_InferOp<"cumsum", [
    DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
        ["reifyResultShapes"]>]> {
  let summary = "Cumulative sum along an axis (ONNX CumSum)";
  let description = [{
    `result[..., j, ...] = sum of input[..., i, ...]` along `axis` (negative
    counts from the end) over `i <= j`; with `exclusive` over `i < j`; with
    `reverse` over `i >= j` (`i > j` when also `exclusive`). The input has
    rank >= 1; the result has its type.

    Example (position ids from an attention mask):
    ```mlir
    %c = transformer.cumsum %mask {axis = 1} : tensor<1x?xi64> -> tensor<1x?xi64>
    ```
  }];
  let arguments = (ins Transformer_Tensor:$input,
                       I64Attr:$axis,
                       UnitAttr:$exclusive,
                       UnitAttr:$reverse);
  let results = (outs Transformer_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

#endif // TRANSFORMER_INDEXING_OPS_TD
