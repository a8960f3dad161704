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

def ConvertTransformerToGPUPass : Pass<"convert-transformer-to-gpu", "::mlir::ModuleOp"> {
  let summary = "Lower transformer.attention to one fused flash-attention GPU kernel";
  let description = [{
    Rewrites each `transformer.attention` (masks, causal, GQA, KV cache,
    scale) into ONE `gpu.launch` with a grid of
    `ceil(Sq / tile-q) x Hq x B` blocks: each block stages its query tile
    in workgroup (shared) memory, walks the keys in tiles of `tile-kv`
    (K and V tiles loaded cooperatively into workgroup memory, separated by
    `gpu.barrier`s), keeps the running row maximum, the running softmax
    denominator and its rows of the output in registers (online softmax),
    and writes its `[tile-q, Dv]` output once. Causal attention ends the key
    loop at the last key the block's last query sees (the tiles above the
    diagonal are never loaded) and trims the key loop of the diagonal tile.
    No `[Sq, T]` buffer exists. The operands enter through
    `bufferization.to_buffer` (any strided layout), the output is a
    `memref.alloc` returned through `bufferization.to_tensor restrict
    writable`, so one-shot bufferization connects it to the rest of the
    graph; the KV-cache concatenation stays a tensor op.

    Each query row is handled by `threads-per-row` consecutive lanes (the
    scores of a key tile split between them, row max/sum combined with
    `gpu.shuffle xor`, output columns `lane + threads-per-row * k`). Tile
    sizes shrink (the larger of the two halved first) until the workgroup
    buffers fit `max-shared-bytes` (static shared memory, at most 48 KiB).
    Attention with a dynamic or larger than 128 head dim, or element types
    other than f16/bf16/f32, is left alone (convert-transformer-to-linalg
    lowers it to host loops of small kernels).

    With tensor cores (`precision=auto` on f16/bf16 attention, or
    `precision=bf16|f16`) and head dims that are multiples of 16, the
    kernel is FlashAttention-2's instead: `tile-q / 16` warps (at most 8)
    of 16 query rows each, S = Q K^T and O += P V as `nvvm.mma.sync`
    m16n8k16 with f32 accumulators, Q's fragments in registers, K and V
    (transposed) staged in workgroup memory as 16-bit pairs, the online
    softmax on the accumulator fragments (row max over the row's 4 lanes),
    P converted to the A fragment layout in registers, masks and the causal
    edge applied on fragment coordinates; `tile-kv` (a multiple of 16,
    halved until the tiles fit `max-shared-bytes`) keys per tile.

    Before:
    ```mlir
    %o = transformer.attention %q, %k, %v {causal} : tensor<1x12x?x64xf32>,
        tensor<1x12x?x64xf32>, tensor<1x12x?x64xf32> -> tensor<1x12x?x64xf32>
    ```
    After (sketch):
    ```mlir
    %qb = bufferization.to_buffer %q read_only : ... to memref<1x12x?x64xf32, strided<[?, ?, ?, ?], offset: ?>>
    %ob = memref.alloc(%sq) : memref<1x12x?x64xf32>
    gpu.launch blocks(%bx, %by, %bz) in (%gx = %qtiles, %gy = %c12, %gz = %c1)
               threads(%tx, %ty, %tz) in (%nx = %c256, %ny = %c1, %nz = %c1)
               workgroup(%qs : memref<64x65xf32, #gpu.address_space<workgroup>>, ...) {
      ... Q tile -> %qs; gpu.barrier
      scf.for %tile = %c0 to %ntiles step %c1 iter_args(%m, %l, %o0, ...) { ... }
      ... memref.store to %ob
      gpu.terminator
    }
    %o = bufferization.to_tensor %ob restrict writable : ...
    ```
  }];
  let options = [
    Option<"tileQ", "tile-q", "int64_t", /*default=*/"64",
           "Queries per block (before shrinking to fit shared memory)">,
    Option<"tileKV", "tile-kv", "int64_t", /*default=*/"32",
           "Keys/values per shared-memory tile (before shrinking)">,
    Option<"threadsPerRow", "threads-per-row", "int64_t", /*default=*/"4",
           "Lanes that share one query row (a power of two, at most 32)">,
    Option<"maxSharedBytes", "max-shared-bytes", "int64_t",
           /*default=*/"49152",
           "Static workgroup memory a block may use (at most 49152)">,
    Option<"precision", "precision", "std::string", /*default=*/"\"auto\"",
           "Products of the kernel: auto (tensor cores in the element type "
           "for f16/bf16 attention, CUDA cores in f32 for f32), f32 (CUDA "
           "cores always), bf16 or f16 (tensor cores, operands and P "
           "rounded to it, f32 accumulation)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::math::MathDialect",
    "::mlir::NVVM::NVVMDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def ConvertTransformerNormsToGPUPass : Pass<"convert-transformer-norms-to-gpu", "::mlir::ModuleOp"> {
  let summary = "Lower layer_norm, rms_norm and softmax to one fused GPU kernel each";
  let description = [{
    Rewrites each `transformer.layer_norm`, `transformer.rms_norm`,
    `transformer.softmax` and `transformer.log_softmax` over the last axis
    into ONE `gpu.launch_func` of a row-per-warp kernel: `ceil(R / W)`
    blocks of `W` = `warps-per-block` warps for `R` rows; each lane
    accumulates its columns (128-bit vector loads when the row length is a
    static multiple of 4), the row sum / max is a butterfly of
    `gpu.shuffle xor` across the warp, and the lane writes its normalized
    columns. Rows of at most 1024 static elements stay in registers between
    the passes; longer or dynamic rows are read again per pass. Static rows
    of at least `block-row-threshold` elements get a block of 8 warps each
    (the warps' partial sums combined through workgroup memory after one
    `gpu.barrier`), so a few long rows (LLaMA's 4096-wide RMSNorm at decode)
    still fill the GPU. With
    `fuse-prologue`, the `transformer.add/sub/mul/div` ops computing the
    input (a residual add, a bias add, a scale) are computed in the kernel;
    when their result has other users (the residual stream), the kernel also
    writes it. Operands enter through `bufferization.to_buffer` (identity
    layout), outputs are `memref.alloc`s behind `bufferization.to_tensor
    restrict writable`. Other axes and element types are left to
    convert-transformer-to-linalg.

    Before:
    ```mlir
    %h = transformer.add %x, %a : tensor<1x16x768xf32>, tensor<1x16x768xf32> -> tensor<1x16x768xf32>
    %y = transformer.layer_norm %h scale %g : tensor<768xf32> bias %b : tensor<768xf32> : tensor<1x16x768xf32>
    ```
    After (sketch; %h has another user, so the kernel writes it too):
    ```mlir
    %xb = bufferization.to_buffer %x read_only : tensor<1x16x768xf32> to memref<1x16x768xf32>
    %x2 = memref.collapse_shape %xb [[0, 1], [2]] : memref<1x16x768xf32> into memref<16x768xf32>
    ...
    gpu.launch_func @main_layer_norm::@main_layer_norm blocks in (%c4, %c1, %c1)
        threads in (%c128, %c1, %c1) args(%x2 : memref<16x768xf32>, %a2 : ..., %g : ...,
        %b : ..., %y2 : memref<16x768xf32>, %h2 : memref<16x768xf32>)
    %y = bufferization.to_tensor %yb restrict writable : ...
    %h = bufferization.to_tensor %hb restrict writable : ...
    ```
  }];
  let options = [
    Option<"warpsPerBlock", "warps-per-block", "int64_t", /*default=*/"4",
           "Rows (one per warp) per block, 1..32">,
    Option<"fusePrologue", "fuse-prologue", "bool", /*default=*/"true",
           "Compute the elementwise add/sub/mul/div ops feeding a norm in its kernel">,
    Option<"blockRowThreshold", "block-row-threshold", "int64_t", /*default=*/"2048",
           "Static row length from which a row gets a block of 8 warps "
           "(partial sums combined in workgroup memory) instead of a warp; "
           "0: a warp per row always">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
  ];
}

#endif // LLM_CONVERSION_PASSES_TD
