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

#endif // LLM_PIPELINES_PASSES_TD
