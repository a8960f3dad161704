// --emit errors: a module that is not in the LLVM dialect, an unknown kind,
// and -split-input-file (one artifact per run).
// RUN: not llm-opt %s --emit=obj -o %t.o 2>&1 | FileCheck %s --check-prefix=NOTLLVM
// RUN: not llm-opt %s --emit=exe -o %t.o 2>&1 | FileCheck %s --check-prefix=KIND
// RUN: not llm-opt %s --llm-cpu-pipeline --emit=obj -split-input-file -o %t.o 2>&1 | FileCheck %s --check-prefix=SPLIT
// --emit=mlir is the default: MLIR printed as usual.
// RUN: llm-opt %s --emit=mlir | FileCheck %s --check-prefix=MLIR

// NOTLLVM: error: 'func.func' is not in the LLVM dialect: only a module lowered to the LLVM dialect (e.g. by --llm-cpu-pipeline) can be translated to LLVM IR
// KIND: llm-opt: --emit=exe is not one of mlir, llvm, asm, obj, shared
// SPLIT: llm-opt: --emit=obj writes one artifact and cannot be combined with -split-input-file
// MLIR: func.func @main

func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %e = transformer.exp %x : tensor<4xf32>
  return %e : tensor<4xf32>
}
