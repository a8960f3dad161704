// --emit=obj writes an x86-64 ELF relocatable object exporting only the
// C-interface wrapper; --emit=asm the same code as assembly; --emit=shared a
// shared library whose only defined dynamic symbol is the wrapper.
// RUN: llm-opt %s --llm-cpu-pipeline --emit=obj -o %t.o
// RUN: llvm-objdump -f -t %t.o | FileCheck %s --check-prefix=OBJ
// RUN: llm-opt %s --llm-cpu-pipeline --emit=asm -o - | FileCheck %s --check-prefix=ASM
// RUN: llm-opt %s --llm-cpu-pipeline --emit=shared -o %t.so
// RUN: llvm-objdump -f -T %t.so | FileCheck %s --check-prefix=SHARED

// OBJ: file format elf64-x86-64
// OBJ: architecture: x86_64
// OBJ: SYMBOL TABLE:
// OBJ-NOT: g {{.*}} main
// OBJ: g     F .text {{[0-9a-f]+}} _mlir_ciface_main
// OBJ-NOT: g {{.*}} main

// ASM: .globl _mlir_ciface_main
// ASM: _mlir_ciface_main:
// ASM-NOT: .globl main

// SHARED: file format elf64-x86-64
// SHARED: DYNAMIC SYMBOL TABLE:
// SHARED-NOT: .text {{.*}} main
// SHARED: g    DF .text {{[0-9a-f]+}} _mlir_ciface_main
// SHARED-NOT: .text {{.*}} main

func.func @main(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %e = transformer.tanh %x : tensor<?x4xf32>
  return %e : tensor<?x4xf32>
}
