//===- Passes.td - conversion passes of the LLM compiler -*- tablegen -*-===//
//
// Conversions between dialects: `convert-<x>-to-<y>`, one folder each under
// lib/Conversion/<XToY>/.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_CONVERSION_PASSES_TD
#define LLM_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertTransformerToLinalgPass : Pass<"convert-transformer-to-linalg"> {
  let summary = "Lower transformer ops to linalg, tensor, arith and math on tensors";
  let description = [{
    Rewrites every `transformer` op into value-semantic upstream IR that
    one-shot bufferization and the CPU/GPU pipelines understand: elementwise
    ops and reductions become `linalg.generic` (numpy broadcasting through
    indexing maps), `matmul`/`linear` become `linalg.batch_matmul` /
    `linalg.matmul` (or generics for broadcast batch dims), shape ops become
    `tensor` ops, and the fused LLM ops (norms, softmax, attention, rotary)
    become sequences of generics; `attention` is lowered flash-style (tiles of
    `attention-tile-q` queries by `attention-tile-kv` keys, online softmax,
    no score matrix) unless `flash-attention=false`. Result tensors with dynamic dims get their
    sizes from `ReifyRankedShapedTypeOpInterface`.

    Broadcasting of a dynamic dim is resolved at compile time: a static 1
    broadcasts, a dynamic dim is assumed not to be a broadcast 1 (as in
    torch-mlir and IREE); the importer makes broadcast dims static.

    Before:
    ```mlir
    %y = transformer.add %x, %b : tensor<?x768xf32>, tensor<768xf32> -> tensor<?x768xf32>
    ```
    After:
    ```mlir
    %c0 = arith.constant 0 : index
    %d0 = tensor.dim %x, %c0 : tensor<?x768xf32>
    %init = tensor.empty(%d0) : tensor<?x768xf32>
    %y = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>,
                                          affine_map<(d0, d1) -> (d1)>,
                                          affine_map<(d0, d1) -> (d0, d1)>],
                         iterator_types = ["parallel", "parallel"]}
        ins(%x, %b : tensor<?x768xf32>, tensor<768xf32>) outs(%init : tensor<?x768xf32>) {
    ^bb0(%a: f32, %c: f32, %out: f32):
      %s = arith.addf %a, %c : f32
      linalg.yield %s : f32
    } -> tensor<?x768xf32>
    ```
  }];
  let options = [
    Option<"flashAttention", "flash-attention", "bool", /*default=*/"true",
           "Lower transformer.attention flash-style (tiled over keys, online "
           "softmax, no [Sq, T] score matrix); false: the naive lowering">,
    Option<"attentionTileQ", "attention-tile-q", "int64_t", /*default=*/"64",
           "Queries per tile of the flash-style attention lowering">,
    Option<"attentionTileKV", "attention-tile-kv", "int64_t", /*default=*/"64",
           "Keys/values per tile of the flash-style attention lowering">,
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // LLM_CONVERSION_PASSES_TD
