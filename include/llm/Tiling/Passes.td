//===- Passes.td - tiling passes -----------------------------*- tablegen -*-===//
//
// Passes that tile and vectorize linalg ops for a target description
// (TargetDescription.h) with the tile sizes of the cost model (CostModel.h).
//
//===----------------------------------------------------------------------===//

#ifndef LLM_TILING_PASSES_TD
#define LLM_TILING_PASSES_TD

include "mlir/Pass/PassBase.td"

class TargetOptions {
  list<Option> targetOptions = [
    Option<"cpu", "target-cpu", "std::string", /*default=*/"\"host\"",
           "LLVM CPU name whose description to use, or 'host'">,
    Option<"targetDesc", "target-desc", "std::string", /*default=*/"\"\"",
           "Overrides of the target description: 'key=value,...' or "
           "'@FILE' (keys: l1, l2, l3, line, vector-bits, registers, "
           "fma-units, fma-latency, threads, shared-memory, scratchpad, "
           "accumulator, vnni, amx-int8, amx-bf16)">,
  ];
}

def LLMTestTileSizesPass
    : Pass<"llm-test-tile-sizes", "::mlir::func::FuncOp">, TargetOptions {
  let summary = "Report the cost model's tile sizes for each contraction";
  let description = [{
    A test pass: emits a remark on every `linalg` contraction (one m, one n
    and one k dim; matmul, batch_matmul, matmul-like generics) with the
    target description in use and the tile sizes `chooseContractionTiles`
    picks for the op's static sizes, e.g.

    ```
    remark: target: cpu=skylake-avx512 ... l1=49152 l2=2097152 ...
    remark: contraction m=128 n=768 k=768: mr=8 nr=48 kc=256 mc=128 nc=768 ...
    ```

    The IR is not changed.
  }];
  let options = targetOptions;
}

def LLMTileContractionsPass
    : Pass<"llm-tile-contractions", "::mlir::func::FuncOp">, TargetOptions {
  let summary = "Tile and vectorize f32 contractions on buffers for the CPU";
  let description = [{
    Rewrites every f32 `linalg` contraction on memrefs whose n dim is the
    innermost dim of B and C (matmul, batch_matmul, the matmul-like generics
    of convert-transformer-to-linalg) into the cache- and register-tiled loop
    nest of the cost model (CostModel.h, docs/tiling.md):

    - cache tiles NC, KC, MC with `scf::tileUsingSCF` (loop order n, k, m);
    - register tiles MR x NR (loop order n, m); each tile is versioned on its
      run-time size: a full tile takes the vector micro-kernel, an edge tile
      is retiled into 1 x NR, then 1 x lanes vector tiles, and what is left
      (fewer than `lanes` columns) stays a linalg op for the loop lowering;
    - the micro-kernel: the k loop (step 1) around a contraction vectorized
      with `linalg::vectorize` into `vector.contract`, unrolled into
      lane-wide pieces, lowered to broadcast + `vector.fma`, with the
      accumulators hoisted out of the k loop (folded subviews, CSE, LICM,
      `hoistRedundantVectorTransfers`) so they stay in registers.

    Before:
    ```mlir
    linalg.matmul ins(%a, %b : memref<128x768xf32>, memref<768x768xf32>)
                  outs(%c : memref<128x768xf32>)
    ```
    After (sketch):
    ```mlir
    scf.for %n0 ... step 768 { scf.for %k0 ... step 256 { scf.for %m0 ... {
      scf.for %n1 ... step 48 { scf.for %m1 ... step 8 {
        scf.if %full {
          %c0 = vector.load ... : vector<16xf32>   // 24 accumulators
          %r = scf.for %k ... iter_args(...) {
            %a = memref.load ...; %ab = vector.broadcast %a
            %b = vector.load ... : vector<16xf32>
            vector.fma %ab, %b, %acc ...
          }
          vector.store ...
        } else { ... edge tiles ... }
    }}}}}
    ```

    With `pack-b` (the default), each full KC x NR micro-panel of B is
    copied into a contiguous heap buffer in the n1 loop, before the m1 loop
    whose full tiles read it (blocks with at least MR rows only).

    With `prefetch-panels` (the default) and compile-time packed weights
    larger than half of the last-level cache, the k loop of each full tile
    prefetches one cache line of the next KC x NR micro-panel into L2
    (`memref.prefetch ..., read, locality<2>, data` on the packed global
    collapsed to 1-D), m step i starting i / S of the way into it, so the
    next panel comes from memory during the S m steps of the current one
    instead of stalling the first m step that reads it.

    With `pack-a` (the default), where the cost model asks for it
    (`ContractionTiles::packA`), each MC x KC block of A is copied, before
    the register tiles of the block, into a heap buffer whose rows are KC
    (rounded up to the lanes) plus one cache line apart, and every tile of
    the block reads A from there: A's own row stride (K * 4 bytes, a
    multiple of 4 KiB for K = 1024, 2048, 3072, 4096) maps the block's rows
    onto a few cache sets, so the block did not stay in L2 between the
    register panels that reuse it.

    With `fuse-epilogues` (the default), the elementwise consumer of a
    contraction's zero-filled result buffer C (bias add, GELU, residual add:
    whatever elementwise fusion left in one linalg.generic reading C at the
    identity, directly or through an expand_shape adding unit dims) is
    applied to each register tile after the last k block and its result
    stored once into the consumer's output (ContractionEpilogue.h); the
    first k block starts from zero accumulators, so the fill goes. The
    k blocks before the last keep their partial sums in the consumer's
    output, and C, the fill and the second loop nest disappear; when an
    input of the consumer shares the output's buffer (an in-place residual)
    C stays as the partial sums' buffer, without its fill.

    ```mlir
    linalg.fill ins(%zero) outs(%c)
    linalg.matmul ins(%a, %w) outs(%c)
    %v = memref.expand_shape %c [[0, 1], [2]] ...
    linalg.generic ins(%v, %bias) outs(%y) { addf, GELU }
    ```
    becomes the tiled matmul writing %y, each register tile ending with
    ```mlir
    scf.if %last_k_block {
      %acc = vector.load %y_tile[...] : vector<16xf32>
      %b = vector.load %bias[%n] : vector<16xf32>
      ... GELU on vector<16xf32> ...
      vector.store %r, %y[%c0, %m, %n] : memref<1x128x3072xf32>, vector<16xf32>
    }
    ```
  }];
  let options = targetOptions # [
    Option<"packB", "pack-b", "bool", /*default=*/"true",
           "Copy B's micro-panels into a contiguous buffer for the full "
           "register tiles">,
    Option<"packA", "pack-a", "bool", /*default=*/"true",
           "Copy each cache block of A into a buffer with a padded row "
           "stride when the cost model asks for it">,
    Option<"fuseEpilogues", "fuse-epilogues", "bool", /*default=*/"true",
           "Apply the elementwise consumer of a contraction's result (bias, "
           "GELU, residual add) to the register tiles after the last k "
           "block and start the first from zero instead of a filled C "
           "(ContractionEpilogue.h)">,
    Option<"prefetchPanels", "prefetch-panels", "bool", /*default=*/"true",
           "With weights packed at compile time that do not fit in half of "
           "the last-level cache, prefetch the next B micro-panel into L2 "
           "from the k loops of the current one, spread over its m steps "
           "(PanelPrefetch.h)">,
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect", "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect", "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def LLMVectorizeElementwisePass
    : Pass<"llm-vectorize-elementwise", "::mlir::func::FuncOp">,
      TargetOptions {
  let summary = "Vectorize elementwise linalg.generic ops on buffers";
  let description = [{
    Tiles every elementwise `linalg.generic` on memrefs (all loops
    parallel, an arith/math body, the innermost loop contiguous in the
    output) by 1 in its outer loops and by one vector register of lanes in
    its innermost loop, versions each tile on its run-time width (full
    tiles are vectorized with `linalg::vectorize`, the last width % lanes
    elements stay a linalg op for the loop lowering) and lowers the vector
    ops to plain vector loads, stores and arithmetic. Broadcast operands
    become vector broadcasts; math ops stay math ops on vectors.

    Before:
    ```mlir
    linalg.generic {indexing_maps = [#id, #bias, #id],
                    iterator_types = ["parallel", "parallel"]}
      ins(%x, %b : memref<128x768xf32>, memref<768xf32>)
      outs(%y : memref<128x768xf32>) { addf ... }
    ```
    After (sketch):
    ```mlir
    scf.for %i = 0 to 128 { scf.for %j = 0 to 768 step 16 {
      %v = vector.load %x[%i, %j] : vector<16xf32>
      %w = vector.load %b[%j] : vector<16xf32>
      vector.store (arith.addf %v, %w), %y[%i, %j]
    }}
    ```
  }];
  let options = targetOptions;
  let dependentDialects = [
    "::mlir::affine::AffineDialect", "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect", "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def LLMVectorizeRowReductionsPass
    : Pass<"llm-vectorize-row-reductions", "::mlir::func::FuncOp">,
      TargetOptions {
  let summary = "Vectorize last-dim sum/max/min reductions on buffers";
  let description = [{
    The row reductions of LayerNorm / RMSNorm (sum, sum of squares), softmax
    (max, sum of exponentials) and flash attention's running sum: a
    `linalg.generic` on memrefs whose only reduction loop is the innermost
    one, one float output indexed by the other loops, a body of arith/math
    ops that ends in `out = addf|maximumf|minimumf(term, out)`, and inputs
    read either at the identity (unit stride along the row: vector loads) or
    independently of the reduction loop (per-row values: a scalar load
    broadcast). Per row, the term is computed on vectors of one register of
    lanes and combined into a vector accumulator (the last size % lanes
    elements by a masked load, masked-off lanes giving the combining
    identity), then reduced horizontally into the output's value. The
    summation order differs from the scalar loop's (results within a few ulp
    of it), but it is fixed per row: the same for any thread count.

    Before:
    ```mlir
    linalg.generic {indexing_maps = [#id, #row],
                    iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<128x768xf32>) outs(%sum : memref<128xf32>) {
    ^bb0(%in: f32, %out: f32):
      %s = arith.addf %in, %out : f32
      linalg.yield %s : f32
    }
    ```
    After (sketch):
    ```mlir
    scf.for %i = 0 to 128 {
      %acc = scf.for %j = 0 to 768 step 16 iter_args(%a = zeros) {
        %v = vector.load %x[%i, %j] : vector<16xf32>
        scf.yield (arith.addf %a, %v)
      }
      // masked tail, then
      %r = vector.reduction <add>, %acc, (memref.load %sum[%i])
      memref.store %r, %sum[%i]
    }
    ```
  }];
  let options = targetOptions;
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect", "::mlir::vector::VectorDialect"
  ];
}

def LLMViewTransposedOperandsPass
    : Pass<"llm-view-transposed-operands", "::mlir::func::FuncOp"> {
  let summary = "Read a transposed, non-constant B of f32 contractions "
                "through a memref.transpose view";
  let description = [{
    For every f32 contraction on buffers whose B is stored transposed
    ([batch..., N, K], k innermost with unit stride; linalg.matmul with the
    transpose_b maps, the Q K^T generic of the naive attention lowering)
    and that matchContraction rejects only because n is not B's innermost
    dim, reads B through a `memref.transpose` view [batch..., K, N] in a
    linalg.generic with the matching indexing map. n is then B's innermost
    loop dim: llm-parallelize-outer-loops splits n (or a batch dim) like any
    contraction's, and llm-tile-contractions recognises the view (n stride
    not 1, k stride 1) and packs B per cache block into register panels at
    run time (docs/tiling.md, "Transposed B at run time"). Constant weights
    are transposed at compile time by llm-pack-constant-weights instead,
    which runs first in the CPU pipeline.

    Before:
    ```mlir
    linalg.matmul indexing_maps = [(m, n, k) -> (m, k), (m, n, k) -> (n, k),
                                   (m, n, k) -> (m, n)]
        ins(%a, %w : memref<128x768xf32>, memref<3072x768xf32>) ...
    ```
    After:
    ```mlir
    %v = memref.transpose %w (d0, d1) -> (d1, d0)
        : memref<3072x768xf32> to memref<768x3072xf32, strided<[1, 768]>>
    linalg.generic {indexing_maps = [(m, n, k) -> (m, k), (m, n, k) -> (k, n),
                                     (m, n, k) -> (m, n)], ...}
        ins(%a, %v : ...) ...
    ```
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def LLMPackConstantWeightsPass
    : Pass<"llm-pack-constant-weights", "::mlir::ModuleOp">, TargetOptions {
  let summary = "Pack the constant B of f32 matmuls into register panels";
  let description = [{
    For every f32 contraction on buffers without batch dims whose B [K, N]
    (indexed (k, n)) is a `memref.get_global` of a constant, picks the
    register tile width NR with the cost model for the op's shape and, when
    NR divides N, adds a private constant global holding B packed at
    compile time as [N / NR, K, NR] (panel p = columns p*NR..p*NR+NR-1,
    row by row: each KC x NR micro-panel the kernel reads is contiguous),
    and names it on the op (`llm.packed_b`, PackedWeights.h).
    llm-tile-contractions then reads B from the panels (no run-time copy),
    llm-parallelize-outer-loops splits n in multiples of NR, and the
    original global, once unused, is removed by symbol DCE. Several ops
    reading one weight with one NR share one packed global. A linear's
    constant [N, K] weight (B indexed (n, k), matmul_transpose_b) is first
    transposed at compile time into a new global and the op replaced by a
    plain linalg.matmul, which the tiling then handles like any other.

    Before:
    ```mlir
    %w = memref.get_global @__constant_768x768xf32 : memref<768x768xf32>
    linalg.matmul ins(%a, %w : memref<128x768xf32>, memref<768x768xf32>) ...
    ```
    After:
    ```mlir
    memref.global "private" constant @__llm_packed_b : memref<12x768x64xf32> = dense<...>
    linalg.matmul {llm.packed_b = {nr = 64 : i64, panels = @__llm_packed_b}}
        ins(%a, %w : memref<128x768xf32>, memref<768x768xf32>) ...
    ```
  }];
  let options = targetOptions;
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def LLMTileInt8ContractionsPass
    : Pass<"llm-tile-int8-contractions", "::mlir::ModuleOp">, TargetOptions {
  let summary = "Tile int8 contractions into VNNI / AMX / portable kernels";
  let description = [{
    Rewrites every integer contraction of `transformer.quantized_matmul` on
    buffers (8-bit A [batch..., M, K] x a constant 8-bit B [K, N] -> i32,
    optional zero points; `matchIntegerContraction`) into a blocked loop
    nest whose inner product is AVX-512 VNNI `vpdpbusd` when the target
    description has `vnni`, AMX `tdpbusd` tiles when it has `amx-int8` and
    M >= the cost model's threshold (a run-time branch for dynamic M), and
    otherwise the same blocking with the 4-byte dot product emulated with
    shifts and 32-bit multiplies. B minus its zero point is packed at
    compile time into the VNNI layout (four consecutive k of a column per
    32-bit lane) with its column sums; a signed A takes the +128 offset and
    the column sums correct for it and for A's zero point
    (Int8Contractions.cpp, docs/quantization.md). Contractions with a
    non-constant B, or whose B minus zero point does not fit in s8, are
    left to the loop lowering. A module that uses AMX gets a global
    constructor requesting the AMX state from the kernel (arch_prctl).

    Before:
    ```mlir
    linalg.generic {... iterator_types = ["parallel", "parallel", "reduction"]}
        ins(%a, %w, %azp : memref<?x768xui8>, memref<768x3072xi8>, memref<?x1xui8>)
        outs(%c : memref<?x3072xi32>) { extui, extsi, subi, muli, addi }
    ```
    After (VNNI, sketch):
    ```mlir
    %bp = memref.get_global @__llm_int8_packed_weights : memref<48x192x256xi8>
    scf.for %panel ... { scf.for %kb ... step 96 { scf.for %m ... step 6 {
      %acc = vector.load %c[...] : vector<16xi32>   // 6 x 4 accumulators
      scf.for %k4 = %kb to ... iter_args(...) {
        %b = vector.load %bp[%panel, %k4, %c0] : vector<64xi8>
        %a = vector.broadcast (4 bytes of A as i32) : vector<16xi32>
        llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%acc, %a, %b)
    ...
    ```
  }];
  let options = targetOptions # [
    Option<"amx", "amx", "bool", /*default=*/"true",
           "Use AMX tiles when the target has amx-int8">,
    Option<"amxMinM", "amx-min-m", "int64_t", /*default=*/"0",
           "Smallest M that takes the AMX kernel (0: the cost model's)">,
    Option<"threads", "threads", "int64_t", /*default=*/"1",
           "Threads of the compiled code: with more than 1, the panel loop "
           "of the VNNI / portable and weight-only kernels is an scf.forall "
           "(one panel per iteration) when each thread gets enough work "
           "(CostModel.h kMinParallelCycles); results do not depend on it">,
    Option<"minCycles", "min-cycles", "int64_t", /*default=*/"-1",
           "Least cycles of work per thread for a kernel to use threads "
           "(-1: kMinParallelCycles of CostModel.h; 0: every kernel)">,
    Option<"fuseEpilogues", "fuse-epilogues", "bool", /*default=*/"true",
           "Apply the elementwise consumer of an integer matmul's i32 "
           "result (dequantization, bias, residual, GELU) to the kernel's "
           "register tiles and store its f32 result (Int8Epilogue.cpp)">,
  ];
  let dependentDialects = ["::mlir::amx::AMXDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect"];
}

def LLMParallelizeOuterLoopsPass
    : Pass<"llm-parallelize-outer-loops", "::mlir::func::FuncOp">,
      TargetOptions {
  let summary = "Split the outermost parallel loop of linalg ops on buffers "
                "across threads (scf.forall)";
  let description = [{
    For every linalg op on memrefs that is not already inside an
    `scf.forall` / `scf.parallel` (e.g. the flash-attention loop), tiles one
    parallel loop into at most `threads` chunks with `scf::tileUsingSCF`
    (loop type `scf.forall`): for a contraction a batch dim, else n (weights
    split by columns, chunks a multiple of the vector lanes), else m; for
    other ops the outermost parallel dim. Reduction dims (a matmul's k, a
    norm's row) are never split, so results do not depend on the thread
    count. The chunk is `max(ceil(size / threads), minimum chunk)` where the
    minimum chunk gives a thread at least `kMinParallelCycles` of work by the
    cost model (CostModel.h, `kMinParallelCycles`); a static op whose work
    is below that is left alone, a dynamic one computes the chunk at run
    time (then a small size gives one iteration). Runs before
    llm-tile-contractions / llm-vectorize-elementwise, which tile each chunk.
    A contraction's zero fill of C and its fusible elementwise consumer
    (bias, GELU, residual add: what llm-tile-contractions' epilogue fusion
    takes) go into the contraction's chunks, in the same scf.forall, so that
    the epilogue is fused per chunk; a contraction too small to split keeps
    them sequential.

    Before:
    ```mlir
    linalg.matmul ins(%a, %b : memref<128x768xf32>, memref<768x768xf32>)
                  outs(%c : memref<128x768xf32>)
    ```
    After (threads=2):
    ```mlir
    scf.forall (%n) = (0) to (768) step (384) {
      %bs = memref.subview %b[0, %n] [768, 384] [1, 1]
      %cs = memref.subview %c[0, %n] [128, 384] [1, 1]
      linalg.matmul ins(%a, %bs : ...) outs(%cs : ...)
    }
    ```
    With a fill and a bias add (threads=2):
    ```mlir
    scf.forall (%n) = (0) to (768) step (384) {
      %cs = memref.subview %c[0, %n] [128, 384] [1, 1]
      linalg.fill ins(%zero : f32) outs(%cs : ...)
      linalg.matmul ins(%a, %bs : ...) outs(%cs : ...)
      %biass = memref.subview %bias[%n] [384] [1]
      %ys = memref.subview %y[0, %n] [128, 384] [1, 1]
      linalg.generic ... ins(%cs, %biass : ...) outs(%ys : ...) { addf }
    }
    ```
  }];
  let options = targetOptions # [
    Option<"threads", "threads", "int64_t", /*default=*/"0",
           "Chunks per parallel loop (0: the target description's threads; "
           "1: leave everything sequential)">,
    Option<"minCycles", "min-cycles", "int64_t", /*default=*/"-1",
           "Least work per thread, in estimated cycles, for a split (-1: "
           "kMinParallelCycles of CostModel.h; 0: split every op, for "
           "tests)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
  ];
}

#endif // LLM_TILING_PASSES_TD
