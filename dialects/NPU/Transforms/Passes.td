//===- Passes.td - npu dialect passes ----------------------*- tablegen -*-===//

#ifndef NPU_PASSES_TD
#define NPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def NPULowerTilesPass : Pass<"npu-lower-tiles", "::mlir::llm::npu_ir::ProgramOp"> {
  let summary = "Expand tile-level npu ops into instructions";
  let description = [{
    Replaces each tile-level op of an `npu.program` by the instructions that
    compute it, in program order and without dependency tokens (run
    `npu-insert-tokens` next), and appends `npu.halt`:

    - `npu.gemm`: per block of `tile_m` rows, A is loaded in f32 column
      chunks through two staging buffers and converted to bf16 (kept for the
      whole block); per block of `tile_n` columns of C (two accumulator
      buffers, so the store of one overlaps the next), each 16x16 weight tile
      is loaded into one of eight buffers (the loads run ahead of the array)
      and multiplied into C with `matmul.bf16`, accumulating over K; the bias
      is added on the vector unit (`b=row`) and the block stored.
      Weights that are tensors (`b`) are loaded as f32 tiles and converted.
    - `npu.eltwise`, `npu.softmax`, `npu.layer_norm`: blocks of rows through
      two buffers (loads overlap compute), the second operand read with the
      vector unit's broadcast modes (tile, row, col, scalar) according to its
      strides; row reductions with `vredmax`/`vredsum`.

    Before:
    ```mlir
    npu.eltwise {kind = "relu", a = #npu.view<reg = 1, offset = 0, shape = array<i64: 4, 8>, strides = array<i64: 8, 1>>,
                 c = #npu.view<reg = 2, offset = 0, shape = array<i64: 4, 8>, strides = array<i64: 8, 1>>}
    ```
    After:
    ```mlir
    npu.dma_load {bytes = 32 : i64, dstride = 32 : i64, local = 0 : i64, lstride = 32 : i64, offset = 0 : i64, reg = 1 : i64, rows = 4 : i64}
    npu.vunary {a = 0 : i64, cols = 8 : i64, dst = 0 : i64, func = "relu", rows = 4 : i64, stride = 32 : i64}
    npu.dma_store {bytes = 32 : i64, dstride = 32 : i64, local = 0 : i64, lstride = 32 : i64, offset = 0 : i64, reg = 2 : i64, rows = 4 : i64}
    npu.halt
    ```
  }];
}

def NPUInsertTokensPass : Pass<"npu-insert-tokens", "::mlir::llm::npu_ir::ProgramOp"> {
  let summary = "Set the dependency-token masks of an instruction-level program";
  let description = [{
    Computes the wait/signal masks of every instruction from the local
    memory and DRAM each one reads and writes (lib/Target/NPU Tokens.h):
    exactly the cross-queue orderings the straight-line program needs, so
    the load, compute and store queues overlap wherever the data allows.

    Before (no tokens): a load, a vector op reading its buffer, a store.
    After:
    ```mlir
    npu.dma_load {..., signal = 2 : i64}
    npu.vunary {..., signal = 4 : i64, wait = 1 : i64}
    npu.dma_store {..., wait = 2 : i64}
    ```
  }];
}

#endif // NPU_PASSES_TD
