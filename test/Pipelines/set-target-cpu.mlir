// llm-set-target-cpu records the host triple on the module and the CPU on
// every llvm.func definition (not on declarations).
// RUN: llm-opt %s --llm-set-target-cpu="cpu=sapphirerapids" | FileCheck %s
// RUN: llm-opt %s --llm-set-target-cpu | FileCheck %s --check-prefix=HOST

// CHECK: module attributes {llvm.target_triple = "x86_64-{{.+}}"}
// CHECK: llvm.func @malloc(i64) -> !llvm.ptr
// CHECK-NOT: target_cpu
// CHECK: llvm.func @main() attributes {target_cpu = "sapphirerapids"}
// HOST: llvm.func @main() attributes {target_cpu = "{{[a-z0-9_-]+}}"}
// HOST-NOT: target_cpu = "host"
llvm.func @malloc(i64) -> !llvm.ptr
llvm.func @main() {
  llvm.return
}
