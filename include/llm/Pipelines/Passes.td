//===- Passes.td - helper passes of the compiler's pipelines -*- tablegen -*-===//
//
// Small passes the target pipelines (`--llm-cpu-pipeline`, ...) run between
// upstream passes: ABI attributes, target attributes, and rewrites that keep
// the generated code free of runtime-library calls.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_PIPELINES_PASSES_TD
#define LLM_PIPELINES_PASSES_TD

include "mlir/Pass/PassBase.td"

def LLMEmitCInterfacePass : Pass<"llm-emit-c-interface", "::mlir::ModuleOp"> {
  let summary = "Request C-interface wrappers for the public functions";
  let description = [{
    Sets the `llvm.emit_c_interface` unit attribute on every public
    `func.func` definition, so that `convert-func-to-llvm` adds a wrapper
    `_mlir_ciface_<name>` that takes each memref argument as a pointer to its
    descriptor (`StridedMemRefType<T, N>` of mlir/ExecutionEngine/
    CRunnerUtils.h) and returns results through a pointer passed first.
    Private functions and declarations (e.g. libm functions) are left alone.
    Run it before `convert-func-to-llvm`.

    Before:
    ```mlir
    func.func @main(%x: memref<?x4xf32>) -> memref<?x4xf32>
    ```
    After:
    ```mlir
    func.func @main(%x: memref<?x4xf32>) -> memref<?x4xf32>
        attributes {llvm.emit_c_interface}
    ```
  }];
}

def LLMReadOnlyArgumentsPass
    : Pass<"llm-readonly-arguments", "::mlir::ModuleOp"> {
  let summary = "Mark the tensor arguments of public functions read-only";
  let description = [{
    Sets `bufferization.writable = false` on every tensor argument of a
    public `func.func` definition. One-shot bufferization with
    `bufferize-function-boundaries` otherwise may update an argument's buffer
    in place (e.g. a `tensor.insert_slice` into a KV-cache input); with the
    attribute it copies first, so a compiled model never writes the caller's
    input buffers and can be called again with the same inputs.

    Before:
    ```mlir
    func.func @main(%x: tensor<?x4xf32>) -> tensor<?x4xf32>
    ```
    After:
    ```mlir
    func.func @main(%x: tensor<?x4xf32> {bufferization.writable = false}) -> tensor<?x4xf32>
    ```
  }];
}

def LLMReuseInputBuffersPass
    : Pass<"llm-reuse-input-buffers", "::mlir::func::FuncOp"> {
  let summary = "Let elementwise generics write into an input they consume";
  let description = [{
    Before one-shot bufferization: an elementwise `linalg.generic` whose
    output is a fresh `tensor.empty` gets one of its inputs as output
    instead, when that input is the last use of a tensor computed by a
    linalg op in the same block (possibly through `tensor.expand_shape` /
    `tensor.collapse_shape`), has the result's type and is read at the
    output's indexing map. Bufferization then updates that buffer in place
    instead of allocating a second one of the same size: the bias add after
    a matmul, the bias + GELU of the MLP, the residual adds (~3.5 MB less
    malloc'd and touched per GPT-2-small block call at seq 128). Each output
    element still reads the same input element before it is written, so
    results are bitwise the same.

    Before:
    ```mlir
    %mm = linalg.matmul ins(%a, %w : ...) outs(%fill : tensor<128x2304xf32>) -> tensor<128x2304xf32>
    %e = tensor.empty() : tensor<128x2304xf32>
    %y = linalg.generic {indexing_maps = [#id, #row, #id], ...}
           ins(%mm, %bias : tensor<128x2304xf32>, tensor<2304xf32>)
           outs(%e : tensor<128x2304xf32>) {
    ^bb0(%x: f32, %b: f32, %out: f32):
      %s = arith.addf %x, %b : f32
      linalg.yield %s : f32
    } -> tensor<128x2304xf32>
    ```
    After:
    ```mlir
    %y = linalg.generic {indexing_maps = [#row, #id], ...}
           ins(%bias : tensor<2304xf32>) outs(%mm : tensor<128x2304xf32>) {
    ^bb0(%b: f32, %x: f32):
      %s = arith.addf %x, %b : f32
      linalg.yield %s : f32
    } -> tensor<128x2304xf32>
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def LLMUnshareFillsPass : Pass<"llm-unshare-fills", "::mlir::ModuleOp"> {
  let summary = "Give every use of a tensor linalg.fill its own fill";
  let description = [{
    Replaces a `linalg.fill` on tensors that has several uses by one clone
    (with its `tensor.empty` init) per use, right before the use. Run before one-shot
    bufferization: CSE merges the identical zero fills that start two
    matmuls of one shape, and bufferization then gives the second matmul a
    copy of the zeros made at the fill (an allocation and a copy per call),
    while the epilogue fusion of the tiled matmul (llm-tile-contractions)
    needs each matmul's C to be a fresh zero-filled buffer.

    Before:
    ```mlir
    %e = tensor.empty() : tensor<128x768xf32>
    %z = linalg.fill ins(%cst : f32) outs(%e : tensor<128x768xf32>) -> tensor<128x768xf32>
    %0 = linalg.matmul ins(%a, %w0 : ...) outs(%z : tensor<128x768xf32>) -> tensor<128x768xf32>
    %1 = linalg.matmul ins(%b, %w1 : ...) outs(%z : tensor<128x768xf32>) -> tensor<128x768xf32>
    ```
    After:
    ```mlir
    %e0 = tensor.empty() : tensor<128x768xf32>
    %z0 = linalg.fill ins(%cst : f32) outs(%e0 : tensor<128x768xf32>) -> tensor<128x768xf32>
    %0 = linalg.matmul ins(%a, %w0 : ...) outs(%z0 : tensor<128x768xf32>) -> tensor<128x768xf32>
    %e1 = tensor.empty() : tensor<128x768xf32>
    %z1 = linalg.fill ins(%cst : f32) outs(%e1 : tensor<128x768xf32>) -> tensor<128x768xf32>
    %1 = linalg.matmul ins(%b, %w1 : ...) outs(%z1 : tensor<128x768xf32>) -> tensor<128x768xf32>
    ```
  }];
}

def LLMSetTargetCPUPass : Pass<"llm-set-target-cpu", "::mlir::ModuleOp"> {
  let summary = "Record the target triple and CPU on an LLVM-dialect module";
  let description = [{
    Sets `llvm.target_triple` on the module (the host's triple) and
    `target_cpu` on every `llvm.func` definition, so that the LLVM IR
    translated from the module carries them (`target triple = ...`,
    `"target-cpu"="..."`) and code generation, JIT or ahead of time, tunes for
    that CPU and may use its instruction set. `cpu=host` (the default) is the
    CPU this compiler runs on (LLVM's `sys::getHostCPUName`).

    Before:
    ```mlir
    llvm.func @main(...)
    ```
    After (`cpu=skylake-avx512`):
    ```mlir
    module attributes {llvm.target_triple = "x86_64-unknown-linux-gnu"} {
      llvm.func @main(...) attributes {target_cpu = "skylake-avx512"}
    }
    ```
  }];
  let options = [
    Option<"cpu", "cpu", "std::string", /*default=*/"\"host\"",
           "LLVM CPU name (as for llc -mcpu), or 'host'">,
  ];
}

def LLMStridedCopyToLinalgPass
    : Pass<"llm-strided-copy-to-linalg", "::mlir::ModuleOp"> {
  let summary = "Rewrite non-contiguous memref.copy into linalg.copy";
  let description = [{
    `finalize-memref-to-llvm` lowers a `memref.copy` between contiguous
    memrefs to `llvm.memcpy`, but any other copy (e.g. into the strided
    subview that bufferizing `tensor.insert_slice` or a concat produces) to a
    call of `memrefCopy` from MLIR's C runner utils library, which compiled
    models would then have to link. This pass rewrites exactly those copies
    into `linalg.copy`, which `convert-linalg-to-loops` turns into loops, so
    the generated code needs only libc and libm.

    Before:
    ```mlir
    memref.copy %src, %view : memref<2x3xf32> to memref<2x3xf32, strided<[6, 1], offset: 3>>
    ```
    After:
    ```mlir
    linalg.copy ins(%src : memref<2x3xf32>) outs(%view : memref<2x3xf32, strided<[6, 1], offset: 3>>)
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def LLMApproximateMathPass
    : Pass<"llm-approximate-math", "::mlir::ModuleOp"> {
  let summary = "Polynomial approximations of exp, tanh, erf and log";
  let description = [{
    Rewrites `math.exp`, `expm1`, `tanh`, `erf`, `log`, `log1p` and `log2`
    on f32 scalars and vectors (f16/bf16 through f32) into MLIR's upstream
    polynomial/rational approximations, i.e. plain vector arithmetic. Without
    it the LLVM lowering turns a `vector<16xf32>` exp (softmax, flash
    attention's online softmax, GELU) into 16 scalar calls to libm's `expf`,
    which then dominate attention. Accuracy: a few f32 ulps for exp/log,
    about 1e-6 absolute for tanh/erf (the ONNX conformance tests, rtol 1e-3,
    and the PyTorch model tests, 1e-4, pass with it). `sin`/`cos` stay libm
    calls: their upstream approximation has no full range reduction, and
    rotary tables take them at angles up to the context length.

    Before:
    ```mlir
    %e = math.exp %x : vector<16xf32>
    ```
    After: `arith`/`math.fma`/bit-cast arithmetic on `vector<16xf32>`.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::vector::VectorDialect"];
}

def LLMFuseElementwisePass
    : Pass<"llm-fuse-elementwise", "::mlir::ModuleOp"> {
  let summary = "Fuse elementwise linalg ops without recomputation";
  let description = [{
    Upstream `linalg-fuse-elementwise-ops` with a cost rule: an elementwise
    producer is fused into its consumer only when the consumer reads the
    producer's result through a permutation of its loops, i.e. each produced
    element is computed once. Upstream fuses regardless, so a LayerNorm
    producer ended up inside the following matmul and was recomputed N
    times per element (and the contraction was no longer a contraction the
    tiling recognises). Reshapes are propagated through elementwise ops by
    expansion, but never into or out of a contraction, so matmuls keep their
    collapsed [M, K] x [K, N] form. Constant linalg ops are folded.

    Before:
    ```mlir
    %n = linalg.generic {iterator_types = ["parallel", "parallel"]}
           ins(%x, %mean ...) outs(...)          // normalize
    %y = linalg.matmul ins(%n, %w ...) outs(...)
    ```
    After: unchanged (the normalize stays a separate op); two elementwise
    generics in a row, or an elementwise producer of a row reduction, are
    fused into one generic as upstream does.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def LLMGPUMapParallelLoopsPass
    : Pass<"llm-gpu-map-parallel-loops", "::mlir::func::FuncOp"> {
  let summary = "Tile parallel loops into GPU blocks of threads and map them";
  let description = [{
    Prepares `scf.parallel` loops for `convert-parallel-loops-to-gpu`: every
    outermost `scf.parallel` (one not nested in another) is tiled so that its
    innermost dims (up to three) form a block of threads of the given tile
    sizes (`scf::tileParallelLoop` with fixed-size inner loops guarded by
    `scf.if`, so each launch has a constant block size), and both loops get a
    `mapping` attribute: the innermost dim goes to `x` (consecutive threads
    touch consecutive elements of a row-major buffer), the next to `y`, then
    `z`; the outer loop's dims go to blocks the same way; dims beyond three
    stay sequential loops in each thread. Parallel loops nested deeper stay
    sequential.

    The tile sizes (threads per block along the innermost dims, innermost
    last) depend on the loop's rank: `tile-sizes-1d` for one dim,
    `tile-sizes-2d` for two, `tile-sizes-3d` for three or more.

    Before:
    ```mlir
    scf.parallel (%i, %j) = (%c0, %c0) to (%m, %c64) step (%c1, %c1) { ... }
    ```
    After (`tile-sizes-2d=8,32`):
    ```mlir
    scf.parallel (%bi, %bj) = (%c0, %c0) to (%m, %c64) step (%c8, %c32) {
      scf.parallel (%ti, %tj) = (%c0, %c0) to (%c8, %c32) step (%c1, %c1) {
        scf.if %in_bounds { ... }
      } {mapping = [#gpu.loop_dim_map<processor = thread_y, ...>,
                    #gpu.loop_dim_map<processor = thread_x, ...>]}
    } {mapping = [#gpu.loop_dim_map<processor = block_y, ...>,
                  #gpu.loop_dim_map<processor = block_x, ...>]}
    ```
  }];
  let options = [
    ListOption<"tileSizes1D", "tile-sizes-1d", "int64_t",
               "Threads per block of one-dimensional loops">,
    ListOption<"tileSizes2D", "tile-sizes-2d", "int64_t",
               "Threads per block along the two innermost dims">,
    ListOption<"tileSizes3D", "tile-sizes-3d", "int64_t",
               "Threads per block along the three innermost dims">,
  ];
  let dependentDialects = ["::mlir::gpu::GPUDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::arith::ArithDialect"];
}

def LLMGPUMatmulPass : Pass<"llm-gpu-matmul", "::mlir::func::FuncOp"> {
  let summary = "Tensor-core GPU kernels with shared-memory tiles for f32 "
                "contractions";
  let description = [{
    Rewrites every f32 contraction on buffers that `matchContraction`
    (lib/Tiling/ContractionMatch.cpp) accepts with any operand layout
    (`linalg.matmul`, `linalg.batch_matmul`, transposed-B / linear generics,
    broadcast batch dims) into one `gpu.launch` of a tiled kernel:

    - a grid of ceil(N / BN) x ceil(M / BM) x batch blocks of
      warpsM x warpsN warps (tile sizes from the GPU cost model,
      lib/Tiling/GPUCostModel.cpp, over the chip's target description, or
      `tile-sizes=BM,BN,BK,warpsM,warpsN`);
    - per BK step, the block's threads copy the A (BM x BK) and B (BK x BN)
      tiles into two workgroup (shared, address space 3) buffers, the gpu
      launch's workgroup attributions, rows padded against bank conflicts,
      16-bit operands rounded and packed in pairs along k; `gpu.barrier`;
    - each warp computes its tile with `nvvm.mma.sync` (m16n8k16 for bf16 /
      f16, m16n8k8 tf32; `precision=f32` is 3xTF32: operands split into
      high and low tf32 parts, three mmas), fragments loaded from shared
      memory in the PTX ISA's register layout, accumulators in f32;
    - C[m, n] += accumulator, stores guarded by m < M, n < N.

    With `kernel=wgmma` (the default `auto` picks it for chip=sm_90a and
    bf16 / f16) the block is 1 or 2 warpgroups instead (tiles of
    BM / warpgroups x BN each): the A and B tiles are stored, double
    buffered, in wgmma's core-matrix layout, and `nvvm.wgmma.mma_async`
    (m64nBNk16) reads them through shared-memory matrix descriptors
    (`fence.proxy.async` + barrier before, `wgmma.fence` /
    `commit_group` / `wait_group` around); the copy of the next k tile
    overlaps the asynchronous wgmmas (lib/Pipelines/GPUMatmulWgmma.cpp).

    Out-of-range rows and columns of A and B read as zero (clamped loads and
    selects), so any M, N, K (1, primes, dynamic) is handled by the same
    kernel. Chips without a GPU description (not sm_80 / sm_90 / sm_90a)
    are rejected by the option check of the pipeline.
  }];
  let options = [
    Option<"chip", "chip", "std::string", /*default=*/"\"sm_90\"",
           "GPU whose description (getGPUTarget) drives the tile sizes">,
    Option<"precision", "precision", "std::string", /*default=*/"\"f32\"",
           "Operand precision of the mma: f32 (3xTF32), tf32, bf16, f16">,
    Option<"targetDesc", "target-desc", "std::string", /*default=*/"\"\"",
           "Overrides of the GPU description (key=value list or @file)">,
    Option<"kernel", "kernel", "std::string", /*default=*/"\"auto\"",
           "Tensor-core instruction: auto (wgmma on sm_90a for bf16/f16, "
           "else mma.sync), mma-sync, wgmma">,
    ListOption<"tileSizes", "tile-sizes", "int64_t",
               "BM,BN,BK,warpsM,warpsN instead of the cost model's (wgmma: "
               "warpsM = 4 x warpgroups, warpsN = 1)">,
    Option<"report", "report", "bool", /*default=*/"false",
           "Emit a remark with the description and the tiles of each "
           "contraction (tests)">,
  ];
  let dependentDialects = ["::mlir::gpu::GPUDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::NVVM::NVVMDialect",
                           "::mlir::LLVM::LLVMDialect"];
}

def LLMMergeGPUModulesPass
    : Pass<"llm-merge-gpu-modules", "::mlir::ModuleOp"> {
  let summary = "Merge the gpu.modules of a module into one";
  let description = [{
    `gpu-kernel-outlining` puts every kernel into a `gpu.module` of its own,
    which would give one PTX module (and one driver module load) per kernel.
    This pass moves the contents of all `gpu.module`s into one, named by the
    `name` option, so a model compiles to a single PTX module holding all of
    its kernels. A symbol `S` of module `M` is renamed `M` when it is the
    only symbol of `M` (an outlined kernel) and `M_S` otherwise; uses inside
    the module and the `gpu.launch_func` ops of the host are updated.
    Target attributes must agree (run it before `nvvm-attach-target`, or on
    modules attached to the same targets). A module without any gpu.module
    (no kernels) gets an empty one, so the result always has exactly one.

    Before:
    ```mlir
    gpu.launch_func @main_kernel::@main_kernel ...
    gpu.launch_func @main_kernel_0::@main_kernel ...
    gpu.module @main_kernel { gpu.func @main_kernel(...) kernel { ... } }
    gpu.module @main_kernel_0 { gpu.func @main_kernel(...) kernel { ... } }
    ```
    After:
    ```mlir
    gpu.launch_func @llm_kernels::@main_kernel ...
    gpu.launch_func @llm_kernels::@main_kernel_0 ...
    gpu.module @llm_kernels {
      gpu.func @main_kernel(...) kernel { ... }
      gpu.func @main_kernel_0(...) kernel { ... }
    }
    ```
  }];
  let options = [
    Option<"name", "name", "std::string", /*default=*/"\"llm_kernels\"",
           "Symbol name of the merged gpu.module">,
  ];
  let dependentDialects = ["::mlir::gpu::GPUDialect"];
}

def LLMGPUAsyncLaunchesPass
    : Pass<"llm-gpu-async-launches", "::mlir::func::FuncOp"> {
  let summary = "Queue a host function's kernel launches on one stream, wait once";
  let description = [{
    After `llm-gpu-host-buffers`, every `gpu.launch_func` of a host function
    is synchronous (the GPU host lowering gives each a stream of its own,
    created, synchronized and destroyed around it) and every buffer free is
    a `gpu.wait async` / `gpu.dealloc async` / `gpu.wait` triple. This pass
    chains them, block by block, on one async token: the first launch or
    free starts it (`gpu.wait async`, our runtime's one stream per thread),
    each launch and free becomes asynchronous on it, and a single
    `gpu.wait [%t]` (synchronize) is placed before the first op that needs
    the host to see the results: an op with memory effects other than
    allocation/free (`memref.copy` of the results, host loops, calls) or the
    block's terminator (none if only frees were queued since the last
    wait). Frees need no wait: our runtime reuses a freed buffer only in the
    stream's order until the stream is synchronized. A `memref.copy` of
    dense buffers (identity layouts, one type) while work is queued becomes
    a stream-ordered `gpu.memcpy async` on the token (our runtime's
    `cuMemcpyAsync`): copies between device buffers and the results' copy
    out no longer make the host wait, so a host function that only
    launches, frees and copies synchronizes once, at its end.

    Before:
    ```mlir
    gpu.launch_func @llm_kernels::@k0 ... args(%a : ..., %b : ...)
    %t0 = gpu.wait async
    %t1 = gpu.dealloc async [%t0] %a : memref<4xf32>
    gpu.wait [%t1]
    gpu.launch_func @llm_kernels::@k1 ... args(%b : ..., %c : ...)
    memref.copy %c, %r : memref<4xf32> to memref<4xf32>
    ```
    After:
    ```mlir
    %s = gpu.wait async
    %l0 = gpu.launch_func async [%s] @llm_kernels::@k0 ... args(%a : ..., %b : ...)
    %t1 = gpu.dealloc async [%l0] %a : memref<4xf32>
    %l1 = gpu.launch_func async [%t1] @llm_kernels::@k1 ... args(%b : ..., %c : ...)
    %m = gpu.memcpy async [%l1] %r, %c : memref<4xf32>, memref<4xf32>
    gpu.wait [%m]
    ```
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect"];
}

def LLMGPUHostBuffersPass
    : Pass<"llm-gpu-host-buffers", "::mlir::ModuleOp"> {
  let summary = "Give the host code of a GPU module buffers the kernels can use";
  let description = [{
    After the NVPTX pipeline, the host functions allocate buffers with
    `memref.alloc` (host `malloc`) and pass them, and the caller's input
    buffers, to `gpu.launch_func`. This pass makes every buffer the host
    code allocates CUDA managed memory, which the kernels and the host code
    (its remaining loops, `memref.copy`) both address, and keeps the C ABI of
    the CPU target (docs/cpu.md): inputs are any host memory, results are
    `malloc`ed and owned by the caller.

    - `memref.alloc` in a host function becomes `gpu.alloc host_shared`
      (mgpuMemAlloc, our runtime: managed memory), `memref.dealloc` becomes a
      synchronous `gpu.dealloc` (`gpu.wait async`, `gpu.dealloc async`,
      `gpu.wait`).
    - In public functions, each memref argument is copied into such a buffer
      at entry; at each return every result is copied into a new
      `memref.alloc` (host memory) and the device buffers it came from, and
      the argument copies, are freed.

    Constant globals (weights) are handled after the lowering to LLVM by
    `llm-gpu-device-globals`.

    Before:
    ```mlir
    func.func @main(%x: memref<4xf32>) -> memref<4xf32> {
      %y = memref.alloc() : memref<4xf32>
      gpu.launch_func @llm_kernels::@k blocks in (...) threads in (...)
          args(%x : memref<4xf32>, %y : memref<4xf32>)
      return %y : memref<4xf32>
    }
    ```
    After:
    ```mlir
    func.func @main(%x: memref<4xf32>) -> memref<4xf32> {
      %xd = gpu.alloc host_shared () : memref<4xf32>
      memref.copy %x, %xd : memref<4xf32> to memref<4xf32>
      %y = gpu.alloc host_shared () : memref<4xf32>
      gpu.launch_func @llm_kernels::@k ... args(%xd : ..., %y : ...)
      %r = memref.alloc() : memref<4xf32>
      memref.copy %y, %r : memref<4xf32> to memref<4xf32>
      %t = gpu.wait async
      %t1 = gpu.dealloc async [%t] %y : memref<4xf32>
      gpu.wait [%t1]
      ... (the same for %xd)
      return %r : memref<4xf32>
    }
    ```
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect",
                           "::mlir::memref::MemRefDialect"];
}

def LLMGPUDeviceGlobalsPass
    : Pass<"llm-gpu-device-globals", "::mlir::ModuleOp"> {
  let summary = "Address constant globals through their device copies";
  let description = [{
    Runs on the host code of a GPU module after its lowering to the LLVM
    dialect. Every `llvm.mlir.addressof` of a global in a host function (the
    model's constants, e.g. weights, which the kernels read) is replaced by
    a call to our runtime's `llmCudaGlobal(address, size in bytes)`, which
    returns a managed-memory copy of the global made once per process. The
    host code's own accesses to constants read the same copy.

    Before:
    ```mlir
    %w = llvm.mlir.addressof @__constant_4xf32 : !llvm.ptr
    ```
    After:
    ```mlir
    %a = llvm.mlir.addressof @__constant_4xf32 : !llvm.ptr
    %n = llvm.mlir.constant(16 : i64) : i64
    %w = llvm.call @llmCudaGlobal(%a, %n) : (!llvm.ptr, i64) -> !llvm.ptr
    ```
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def LLMOutermostParallelLoopsPass
    : Pass<"llm-outermost-parallel-loops", "::mlir::func::FuncOp"> {
  let summary = "Keep only the outermost scf.forall of each loop nest "
                "parallel, as an scf.parallel for convert-scf-to-openmp";
  let description = [{
    Runs on buffers after the loops are built: every `scf.forall` (from
    llm-parallelize-outer-loops, the flash-attention lowering, tiling) that
    is inside another `scf.forall` / `scf.parallel` becomes sequential
    `scf.for` loops; the outermost ones become `scf.parallel`, which
    `convert-scf-to-openmp` turns into one `omp.parallel` + `omp.wsloop`
    each. So a loop nest forks threads once and nested regions never
    oversubscribe the cores. With `threads=1` every forall becomes
    sequential loops (no OpenMP at all).

    Before:
    ```mlir
    scf.forall (%i) in (2) {
      scf.forall (%j) in (4) { "work"(%i, %j) }
    }
    ```
    After:
    ```mlir
    scf.parallel (%i) = (%c0) to (%c2) step (%c1) {
      scf.for %j = %c0 to %c4 step %c1 { "work"(%i, %j) }
    }
    ```
  }];
  let options = [
    Option<"threads", "threads", "int64_t", /*default=*/"2",
           "Threads the code is compiled for: 1 makes every loop sequential">,
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect"];
}

def LLMFinishOpenMPLoopsPass
    : Pass<"llm-finish-openmp-loops", "::mlir::func::FuncOp"> {
  let summary = "Prepare the omp.parallel loops of convert-scf-to-openmp for "
                "the control-flow lowering and skip single-iteration forks";
  let description = [{
    Runs right after `convert-scf-to-openmp`:

    - The conversion wraps each loop body in a `memref.alloca_scope`, a
      single-block op that `convert-scf-to-cf` would break (the scf loops
      inside become several blocks). The scope is inlined and its allocas,
      whose sizes must not depend on the iteration, move to the start of the
      `omp.parallel` region: each thread allocates them once and reuses them
      across its iterations.
    - `omp.parallel` gets an `if` clause: only a loop with more than one
      iteration forks threads (a run-time chunk computation can give one
      chunk for a small dynamic size; then the region runs serialized on the
      calling thread without waking the others).

    Before:
    ```mlir
    omp.parallel {
      omp.wsloop { omp.loop_nest (%i) : index = (%lb) to (%ub) step (%s) {
        memref.alloca_scope { %t = memref.alloca() : memref<16xf32> ... }
        omp.yield } }
      omp.terminator }
    ```
    After:
    ```mlir
    %more = arith.cmpi slt, (%lb + %s), %ub
    omp.parallel if(%more) {
      %t = memref.alloca() : memref<16xf32>
      omp.wsloop { omp.loop_nest (%i) : index = (%lb) to (%ub) step (%s) {
        ... omp.yield } }
      omp.terminator }
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::omp::OpenMPDialect",
  ];
}

#endif // LLM_PIPELINES_PASSES_TD
