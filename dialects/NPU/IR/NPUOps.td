//===- NPUOps.td - npu dialect ops -------------------------*- tablegen -*-===//
//
// The program op, argument declarations, the instruction-level ops (one per
// instruction class of docs/npu.md; attributes are the encoding fields and
// the verifiers run lib/Target/NPU's validate() on the encoded instruction)
// and the tile-level ops on DRAM tensors.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_OPS_TD
#define NPU_OPS_TD

include "NPU/IR/NPUBase.td"

//===----------------------------------------------------------------------===//
// Program structure
//===----------------------------------------------------------------------===//

def NPU_ProgramOp : NPU_Op<"program", [Symbol, SingleBlock, NoTerminator,
                                       IsolatedFromAbove]> {
  let summary = "An NPU program: arguments, DRAM data segment, instructions";
  let description = [{
    One program for the NPU. Its body declares the arguments (`npu.arg`,
    bound to registers r1-r15 by the calling convention of docs/npu.md) and
    holds tile-level ops or instructions in program order. `data` is the
    initialized part of the data segment (r0: packed weights, biases,
    constants) as bytes; `data_size` is the whole segment including the
    zero-filled scratch space for intermediates.

    ```mlir
    npu.program @main attributes {data_size = 4096 : i64} {
      npu.arg "x" {reg = 1 : i64, role = "input", elem = "f32", shape = array<i64: 16, 64>}
      npu.dma_load {local = 0 : i64, reg = 1 : i64, offset = 0 : i64, rows = 16 : i64, bytes = 256 : i64}
      npu.halt
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       OptionalAttr<ElementsAttr>:$data,
                       DefaultValuedAttr<I64Attr, "0">:$data_size);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$sym_name attr-dict-with-keyword $body";
  let hasVerifier = 1;
}

def NPU_ArgOp : NPU_Op<"arg", [HasParent<"ProgramOp">]> {
  let summary = "A tensor the host passes in or reads back (a register)";
  let description = [{
    Declares argument `name` of the program: `role` is "input" or "output",
    `elem` the element type ("f32", "i8", ... as the binary format names
    them), `shape` its static dims, `reg` the DRAM base register (1-15).

    ```mlir
    npu.arg "x" {elem = "f32", reg = 1 : i64, role = "input", shape = array<i64: 1, 16, 64>}
    ```
  }];
  let arguments = (ins StrAttr:$name, StrAttr:$role, StrAttr:$elem,
                       DenseI64ArrayAttr:$shape, I64Attr:$reg);
  let assemblyFormat = "$name attr-dict";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Instruction-level ops
//===----------------------------------------------------------------------===//

/// An instruction: `wait` / `signal` are the dependency-token masks (bit 0
/// ld, 1 cp, 2 st). The verifier encodes the op and runs validate().
class NPU_InstOp<string mnemonic, dag fields, list<Trait> traits = []>
    : NPU_Op<mnemonic, !listconcat(traits, [HasParent<"ProgramOp">])> {
  let arguments = !con(fields, (ins DefaultValuedAttr<I64Attr, "0">:$wait,
                                    DefaultValuedAttr<I64Attr, "0">:$signal));
  let assemblyFormat = "attr-dict";
  let hasVerifier = 1;
}

def NPU_HaltOp : NPU_Op<"halt", [HasParent<"ProgramOp">]> {
  let summary = "halt: ends every queue (the last instruction)";
  let description = [{
    ```mlir
    npu.halt
    ```
  }];
  let assemblyFormat = "attr-dict";
  let hasVerifier = 1;
}

def NPU_SyncOp : NPU_InstOp<"sync", (ins StrAttr:$queue)> {
  let summary = "sync.ld|cp|st: a fence in one queue that waits and signals";
  let description = [{
    ```mlir
    npu.sync {queue = "cp", wait = 1 : i64}
    ```
  }];
}

/// Fields of dma.load / dma.store.
defvar NPU_DmaFields = (ins I64Attr:$local, I64Attr:$reg, I64Attr:$offset,
                            I64Attr:$rows, I64Attr:$bytes,
                            OptionalAttr<I64Attr>:$lstride,
                            OptionalAttr<I64Attr>:$dstride);

def NPU_DmaLoadOp : NPU_InstOp<"dma_load", NPU_DmaFields> {
  let summary = "dma.load: rows of bytes from DRAM (reg + offset) to local memory";
  let description = [{
    `local` is the unified local address (scratchpad 0x0-0x3ffff,
    accumulator 0x40000-0x4ffff); strides default to `bytes`.

    ```mlir
    npu.dma_load {local = 1024 : i64, reg = 1 : i64, offset = 64 : i64, rows = 16 : i64, bytes = 16 : i64, dstride = 64 : i64, signal = 2 : i64}
    ```
  }];
}

def NPU_DmaStoreOp : NPU_InstOp<"dma_store", NPU_DmaFields> {
  let summary = "dma.store: rows of bytes from local memory to DRAM";
  let description = [{
    ```mlir
    npu.dma_store {local = 262144 : i64, reg = 3 : i64, offset = 0 : i64, rows = 64 : i64, bytes = 128 : i64, wait = 2 : i64}
    ```
  }];
}

def NPU_DmaGatherOp : NPU_InstOp<"dma_gather",
    (ins I64Attr:$local, I64Attr:$reg, I64Attr:$offset, I64Attr:$indices,
         StrAttr:$index_type, I64Attr:$rows, I64Attr:$bytes,
         I64Attr:$table_rows)> {
  let summary = "dma.gather: table rows picked by indices in the scratchpad";
  let description = [{
    Row `i` of the destination (`rows` rows of `bytes` bytes, dense from
    `local`) is row `indices[i]` of the table of `table_rows` rows of
    `bytes` bytes at DRAM `reg + offset`; the indices (`index_type` "i32" or
    "i64") are `rows` consecutive integers at scratchpad address `indices`.
    An index outside [0, table_rows) stops the program with an error.

    ```mlir
    npu.dma_gather {local = 4096 : i64, reg = 0 : i64, offset = 0 : i64, indices = 0 : i64, index_type = "i64", rows = 16 : i64, bytes = 128 : i64, table_rows = 128 : i64}
    ```
  }];
}

def NPU_MatmulOp : NPU_InstOp<"matmul",
    (ins StrAttr:$type, I64Attr:$c, I64Attr:$a, I64Attr:$b, I64Attr:$m,
         I64Attr:$k, I64Attr:$n, OptionalAttr<I64Attr>:$astride,
         OptionalAttr<I64Attr>:$cstride, UnitAttr:$accumulate,
         UnitAttr:$transpose_b)> {
  let summary = "matmul.i8|bf16: C (accumulator) (+)= A x B on the array";
  let description = [{
    `c`, `a` and `b` are unified local addresses (C in the accumulator, A and
    B in the scratchpad); `type` is "i8" or "bf16".

    ```mlir
    npu.matmul {type = "bf16", c = 262144 : i64, a = 0 : i64, b = 4096 : i64, m = 64 : i64, k = 16 : i64, n = 16 : i64, accumulate}
    ```
  }];
}

/// Fields every vector instruction has.
defvar NPU_TileFields = (ins I64Attr:$dst, I64Attr:$rows, I64Attr:$cols,
                             OptionalAttr<I64Attr>:$stride);

def NPU_VUnaryOp : NPU_InstOp<"vunary",
    !con((ins StrAttr:$func, I64Attr:$a), NPU_TileFields)> {
  let summary = "vcopy, vneg, vabs, vrelu, vexp, vtanh, vsqrt, vrsqrt, vrecip, vsigmoid";
  let description = [{
    `func` is the mnemonic without its `v` ("exp", "relu", ...).

    ```mlir
    npu.vunary {func = "exp", dst = 0 : i64, a = 0 : i64, rows = 4 : i64, cols = 40 : i64}
    ```
  }];
}

def NPU_VBinaryOp : NPU_InstOp<"vbinary",
    !con((ins StrAttr:$func, StrAttr:$bmode, I64Attr:$a, I64Attr:$b),
         NPU_TileFields)> {
  let summary = "vadd, vsub, vmul, vmax, vmin with B as tile, row, col or scalar";
  let description = [{
    ```mlir
    npu.vbinary {func = "sub", bmode = "col", dst = 0 : i64, a = 0 : i64, b = 4096 : i64, rows = 4 : i64, cols = 40 : i64}
    ```
  }];
}

def NPU_VReduceOp : NPU_InstOp<"vreduce",
    !con((ins StrAttr:$func, I64Attr:$a, UnitAttr:$accumulate),
         NPU_TileFields)> {
  let summary = "vredsum, vredmax: one f32 per row";
  let description = [{
    ```mlir
    npu.vreduce {func = "max", dst = 4096 : i64, a = 0 : i64, rows = 4 : i64, cols = 40 : i64}
    ```
  }];
}

def NPU_VConvertOp : NPU_InstOp<"vcvt",
    !con((ins StrAttr:$from, StrAttr:$to, I64Attr:$a,
              OptionalAttr<I64Attr>:$dst_stride),
         NPU_TileFields)> {
  let summary = "vcvt: element type conversion of a tile";
  let description = [{
    `stride` is the source row stride, `dst_stride` the destination's.

    ```mlir
    npu.vcvt {from = "f32", to = "bf16", dst = 8192 : i64, a = 0 : i64, rows = 16 : i64, cols = 64 : i64}
    ```
  }];
}

def NPU_VFillOp : NPU_InstOp<"vfill", !con((ins F32Attr:$value), NPU_TileFields)> {
  let summary = "vfill: write a constant into every element of a tile";
  let description = [{
    ```mlir
    npu.vfill {value = 1.0e-05 : f32, dst = 4096 : i64, rows = 1 : i64, cols = 1 : i64}
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Tile-level ops: whole tensors in DRAM
//===----------------------------------------------------------------------===//

class NPU_TileOp<string mnemonic, dag args>
    : NPU_Op<mnemonic, [HasParent<"ProgramOp">]> {
  let arguments = args;
  let assemblyFormat = "attr-dict";
  let hasVerifier = 1;
}

def NPU_GemmOp : NPU_TileOp<"gemm",
    (ins NPU_ViewAttr:$a, OptionalAttr<NPU_ViewAttr>:$b,
         OptionalAttr<I64Attr>:$packed_b, OptionalAttr<I64Attr>:$bias,
         OptionalAttr<I64Attr>:$scales, NPU_ViewAttr:$c, StrAttr:$dtype,
         UnitAttr:$transpose_b, I64Attr:$tile_m, I64Attr:$tile_n,
         OptionalAttr<NPU_ViewAttr>:$a_bf16)> {
  let summary = "C = A x B (+ bias) on the array, f32 tensors in DRAM";
  let description = [{
    `a` is f32 `[batch..., M, K]`, `c` f32 `[batch..., M, N]`. B is either
    constant weights pre-packed in the data segment at `packed_b` (tile-major:
    16x16 tiles of `dtype`, tile (j, kk) holding rows 16kk.. and columns
    16j.., each tile contiguous, for one dense DMA per tile) or an f32 tensor
    `b` (`[batch..., K, N]`, or `[batch..., N, K]` with `transpose_b`)
    converted on chip. `bias` is the data-segment offset of f32[N]. With
    dtype "i8" the rows of A are quantized on chip (symmetric, one scale per
    row) and `scales` holds the per-column weight scales (f32[N]).
    `tile_m` x `tile_n` is the C block kept in the accumulator (from the
    NPU target description, lib/Tiling). `a_bf16` is DRAM scratch for A
    converted to bf16 (rows of K rounded up to 16 elements), given when
    K is so deep that a block of tile_m rows of A does not fit the
    scratchpad: A is then converted once and streamed in K panels.

    ```mlir
    npu.gemm {a = #npu.view<reg = 1, offset = 0, shape = [16, 64], strides = [64, 1]>,
              c = #npu.view<reg = 2, offset = 0, shape = [16, 64], strides = [64, 1]>,
              packed_b = 0 : i64, bias = 8192 : i64, dtype = "bf16", tile_m = 16 : i64, tile_n = 64 : i64}
    ```
  }];
}

def NPU_EltwiseOp : NPU_TileOp<"eltwise",
    (ins StrAttr:$kind, NPU_ViewAttr:$a, OptionalAttr<NPU_ViewAttr>:$b,
         OptionalAttr<F32Attr>:$scalar, NPU_ViewAttr:$c)> {
  let summary = "Elementwise op on the vector unit, f32 tensors in DRAM";
  let description = [{
    `c = kind(a)` for unary kinds (copy, neg, abs, relu, exp, tanh, sqrt,
    rsqrt, recip, sigmoid, gelu_tanh, silu) and `c = a kind b` for binary
    ones (add, sub, mul, max, min, div). The second operand is the view `b`,
    of a's shape with numpy broadcasting as zero strides (per block of rows
    the lowering reads it as a tile, a row, a column or a scalar, the
    vector unit's broadcast modes), or the constant `scalar`.

    ```mlir
    npu.eltwise {kind = "add", a = #npu.view<...>, b = #npu.view<...>, c = #npu.view<...>}
    ```
  }];
}

def NPU_SoftmaxOp : NPU_TileOp<"softmax",
    (ins NPU_ViewAttr:$a, NPU_ViewAttr:$c,
         DefaultValuedAttr<F32Attr, "1.0">:$scale, UnitAttr:$causal)> {
  let summary = "Softmax along the last dim on the vector unit (scaled, masked)";
  let description = [{
    `c = softmax(scale * a)` along the last dim. With `causal`, a `[..., S, T]`
    tensor of attention scores is masked: row `i` (of each S rows) keeps
    columns `j <= i + T - S` (the keys a query may attend to).

    ```mlir
    npu.softmax {a = #npu.view<...>, c = #npu.view<...>, scale = 2.5e-01 : f32, causal}
    ```
  }];
}

def NPU_LayerNormOp : NPU_TileOp<"layer_norm",
    (ins NPU_ViewAttr:$a, NPU_ViewAttr:$c, OptionalAttr<I64Attr>:$gamma,
         OptionalAttr<I64Attr>:$beta, F32Attr:$epsilon, UnitAttr:$rms)> {
  let summary = "LayerNorm (or RMSNorm with `rms`) along the last dim";
  let description = [{
    `gamma` and `beta` are data-segment offsets of f32 vectors of the last
    dim.

    ```mlir
    npu.layer_norm {a = #npu.view<...>, c = #npu.view<...>, gamma = 0 : i64, beta = 256 : i64, epsilon = 1.0e-05 : f32}
    ```
  }];
}

def NPU_AttentionOp : NPU_TileOp<"attention",
    (ins NPU_ViewAttr:$q, NPU_ViewAttr:$k, NPU_ViewAttr:$v, NPU_ViewAttr:$o,
         F32Attr:$scale, UnitAttr:$causal, I64Attr:$tile_q, I64Attr:$tile_kv,
         I64Attr:$kv_buffers, UnitAttr:$kv_resident,
         DefaultValuedAttr<I64Attr, "1">:$kv_group,
         OptionalAttr<NPU_ViewAttr>:$mask)> {
  let summary = "softmax(scale Q K^T) V, flash style on the array and the vector unit";
  let description = [{
    `q` and `o` are f32 `[batch, heads, S, D]`, `k` and `v` f32
    `[batch, heads / kv_group, T, D]` (strided views, contiguous along D):
    with `kv_group` > 1 (grouped-query attention) query head h reads KV head
    h / kv_group. An optional additive f32 `mask` `[batch, heads, S, T]`
    (contiguous along T; broadcast dims have stride 0) is added to the
    scaled scores: per (query block, key block) its block is DMAed into the
    scratchpad (a zero row stride broadcasts one row) and added to S
    before the online softmax. Per (batch,
    head) and block of `tile_q` queries, the Q block stays in the scratchpad
    (bf16, pre-scaled) while blocks of `tile_kv` keys stream through
    `kv_buffers` f32 staging buffers: S = Q K^T on the array into the
    accumulator, an online softmax on the vector unit (running row max and
    sum, the O accumulator rescaled), P (bf16) x V accumulated into O on the
    array; then O / rowsum is stored once. No [S, T] buffer in DRAM. With
    `kv_resident` the whole K and V of a head are loaded and converted once
    (into `kv_buffers` staging buffers, double-buffered across heads) and
    every query block reads its key blocks from there. With
    `causal`, query i sees keys j <= i + T - S: key blocks above the
    diagonal are skipped, only blocks crossing it are masked. The tile sizes
    come from the NPU cost model (lib/Tiling/NPUCostModel.cpp).

    ```mlir
    npu.attention {q = #npu.view<reg = 1, offset = 0, shape = [1, 2, 64, 64], strides = [8192, 64, 128, 1]>,
                   k = #npu.view<...>, v = #npu.view<...>, o = #npu.view<...>,
                   scale = 1.250000e-01 : f32, causal, tile_q = 64 : i64, tile_kv = 64 : i64, kv_buffers = 2 : i64}
    ```
  }];
}

def NPU_ReduceOp : NPU_TileOp<"reduce",
    (ins StrAttr:$kind, NPU_ViewAttr:$a, NPU_ViewAttr:$c)> {
  let summary = "Row reductions (sum, mean, max) on the vector unit";
  let description = [{
    `a` is f32 `[rows, cols]` with contiguous rows, `c` f32 `[rows]`:
    `c[i] = kind(a[i, :])`.

    ```mlir
    npu.reduce {kind = "mean", a = #npu.view<...>, c = #npu.view<...>}
    ```
  }];
}

def NPU_GatherOp : NPU_TileOp<"gather",
    (ins NPU_ViewAttr:$table, NPU_ViewAttr:$indices, StrAttr:$index_type,
         NPU_ViewAttr:$c)> {
  let summary = "Rows of an f32 table picked by run-time indices (dma.gather)";
  let description = [{
    `table` is f32 `[rows, cols]` with dense rows, `indices` a dense tensor
    of `index_type` ("i32" or "i64") integers (its strides count elements of
    that type), `c` f32 `[indices..., cols]`: `c[i..., :] = table[indices[i...], :]`.
    Blocks of indices are loaded into the scratchpad and the rows fetched by
    `dma.gather`, which stops the program on an index outside the table.

    ```mlir
    npu.gather {table = #npu.view<...>, indices = #npu.view<...>, index_type = "i64", c = #npu.view<...>}
    ```
  }];
}

def NPU_CastOp : NPU_TileOp<"cast",
    (ins NPU_ViewAttr:$a, StrAttr:$from, NPU_ViewAttr:$c)> {
  let summary = "Integer tensor (i32, i64) to f32 on the vector unit";
  let description = [{
    `a` is a dense tensor of `from` ("i32" or "i64") integers (strides in
    its elements), `c` f32 of the same shape. i64 values are converted from
    their two 32-bit halves: exact below 2^24 in magnitude, otherwise
    within f32 rounding.

    ```mlir
    npu.cast {a = #npu.view<...>, from = "i64", c = #npu.view<...>}
    ```
  }];
}

#endif // NPU_OPS_TD
