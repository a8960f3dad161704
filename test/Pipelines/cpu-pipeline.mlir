// The CPU pipeline takes transformer ops (with dynamic dims) all the way to
// the LLVM dialect: nothing of transformer, linalg, tensor, memref, arith,
// scf, cf or func is left; the public function gets its C-interface wrapper
// and the target CPU is recorded. exp is a polynomial (llm-approximate-math:
// fma and a floor for the range reduction, a bitcast building 2^n), not an
// intrinsic that LLVM turns into libm calls.
// RUN: llm-opt %s --llm-cpu-pipeline | FileCheck %s
// RUN: llm-opt %s --llm-cpu-pipeline="target-cpu=skylake-avx512" | FileCheck %s --check-prefix=SKX

// CHECK: module attributes {llvm.target_triple = "x86_64-
// CHECK-NOT: transformer.
// CHECK-NOT: linalg.
// CHECK-NOT: tensor.
// CHECK-NOT: memref.
// CHECK-NOT: arith.
// CHECK-NOT: scf.
// CHECK-NOT: cf.
// CHECK-NOT: func.
// CHECK-LABEL: llvm.func @main(
// CHECK-SAME: -> !llvm.struct<(struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>, struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>)>
// CHECK-SAME: attributes {llvm.emit_c_interface, target_cpu = "{{.+}}"}
// CHECK: llvm.call @malloc
// CHECK-NOT: llvm.intr.exp
// CHECK: llvm.intr.floor
// CHECK: llvm.intr.fma
// CHECK: llvm.bitcast
// CHECK-NOT: llvm.intr.exp
// CHECK-LABEL: llvm.func @_mlir_ciface_main(
// CHECK-SAME: [[RES:%.+]]: !llvm.ptr, [[X:%.+]]: !llvm.ptr, [[B:%.+]]: !llvm.ptr)
// CHECK: llvm.load [[X]]
// CHECK: llvm.load [[B]]
// CHECK: [[R:%.+]] = llvm.call @main(
// CHECK: llvm.store [[R]], [[RES]]
// CHECK-NOT: transformer.
// CHECK-NOT: linalg.

// SKX: llvm.func @main(
// SKX-SAME: target_cpu = "skylake-avx512"
// SKX: llvm.func @_mlir_ciface_main(
// SKX-SAME: target_cpu = "skylake-avx512"

func.func @main(%x: tensor<?x4xf32>, %b: tensor<4xf32>) -> (tensor<?x4xf32>, tensor<?xf32>) {
  %s = transformer.add %x, %b : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
  %e = transformer.exp %s : tensor<?x4xf32>
  %r = transformer.reduce_sum %e {axes = array<i64: 1>} : tensor<?x4xf32> -> tensor<?xf32>
  return %e, %r : tensor<?x4xf32>, tensor<?xf32>
}
