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
    Option<"parallelAttention", "parallel-attention", "bool",
           /*default=*/"false",
           "Make the flash-style lowering's batch x head loop one scf.forall "
           "(each iteration writes its head's rows of the output), which the "
           "CPU pipeline runs on threads">,
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

def ConvertTransformerToNPUPass : Pass<"convert-transformer-to-npu", "::mlir::ModuleOp"> {
  let summary = "Lower the entry function to an npu.program of tile-level ops";
  let description = [{
    Replaces the module's entry function (static shapes, f32 tensors) by an
    `npu.program` that lays its tensors out in DRAM by the NPU calling
    convention (inputs r1.., outputs after them, constants and intermediates
    in the data segment r0; weights of matmul/linear packed as 16x16 bf16
    tiles) and computes it with tile-level ops: `npu.gemm` for
    matmul/linear (a following bias add fused) and attention's two products,
    `npu.eltwise`, `npu.softmax` (scaled and causally masked for attention),
    `npu.layer_norm`. Shape ops become strided views, with no data movement.
    Unsupported ops are all reported with their locations (ONNX nodes)
    before the pass fails; so are dynamic shapes and programs larger than
    DRAM.

    Before:
    ```mlir
    func.func @main(%x: tensor<16x64xf32>) -> tensor<16x32xf32> {
      %w = transformer.constant dense<...> : tensor<64x32xf32>
      %y = transformer.matmul %x, %w : tensor<16x64xf32>, tensor<64x32xf32> -> tensor<16x32xf32>
      return %y : tensor<16x32xf32>
    }
    ```
    After:
    ```mlir
    npu.program @main attributes {data = dense_resource<npu_data> : tensor<4096xi8>, data_size = 4096 : i64} {
      npu.arg "x" {elem = "f32", reg = 1 : i64, role = "input", shape = array<i64: 16, 64>}
      npu.arg "y" {elem = "f32", reg = 2 : i64, role = "output", shape = array<i64: 16, 32>}
      npu.gemm {a = #npu.view<reg = 1, ...>, c = #npu.view<reg = 2, ...>, packed_b = 0 : i64, dtype = "bf16", tile_m = 128 : i64, tile_n = 64 : i64}
    }
    ```
  }];
  let options = [
    Option<"dtype", "dtype", "std::string", /*default=*/"\"bf16\"",
           "Array data type: bf16, or int8 (transformer.quantized_linear "
           "with int8 weights becomes an i8 gemm; other products stay bf16)">,
    Option<"tileM", "tile-m", "int64_t", /*default=*/"128",
           "Rows of a C block kept in the accumulator">,
    Option<"tileN", "tile-n", "int64_t", /*default=*/"64",
           "Columns of a C block (a multiple of 16)">,
    Option<"dramLimit", "dram-limit", "int64_t", /*default=*/"int64_t(4) << 30",
           "DRAM bytes the program (data segment and arguments) may use">,
  ];
  let dependentDialects = ["::mlir::llm::npu_ir::NPUDialect"];
}

#endif // LLM_CONVERSION_PASSES_TD
