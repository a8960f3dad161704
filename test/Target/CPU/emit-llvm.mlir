// --emit=llvm writes optimized LLVM IR: the C-interface wrapper is the only
// exported function (the model function is internal and inlined into it),
// with the target CPU as a function attribute.
// RUN: llm-opt %s --llm-cpu-pipeline="target-cpu=skylake-avx512" --emit=llvm -o %t.ll
// RUN: FileCheck %s < %t.ll
// At -O0 nothing is inlined: the internal model function stays.
// RUN: llm-opt %s --llm-cpu-pipeline --emit=llvm --opt-level=0 | FileCheck %s --check-prefix=O0

// CHECK: target triple = "x86_64-
// CHECK-NOT: define {{.*}}@main(
// CHECK: define void @_mlir_ciface_main(ptr {{.*}}, ptr {{.*}}, ptr {{.*}}) {{.*}}#[[ATTRS:[0-9]+]]
// CHECK: call {{.*}}@malloc
// CHECK: attributes #[[ATTRS]] = {{{.*}}"target-cpu"="skylake-avx512"

// O0: define internal { ptr, ptr, i64, [2 x i64], [2 x i64] } @main(
// O0: define void @_mlir_ciface_main(

func.func @main(%x: tensor<?x4xf32>, %b: tensor<4xf32>) -> tensor<?x4xf32> {
  %s = transformer.add %x, %b : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
  %e = transformer.exp %s : tensor<?x4xf32>
  return %e : tensor<?x4xf32>
}
