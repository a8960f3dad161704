// llm-emit-c-interface requests C wrappers for public function definitions
// only: not for private functions or declarations (e.g. libm functions).
// RUN: llm-opt %s --llm-emit-c-interface | FileCheck %s

// CHECK-LABEL: func.func @main(
// CHECK-SAME: attributes {llvm.emit_c_interface}
func.func @main(%x: memref<4xf32>) {
  return
}

// CHECK-LABEL: func.func private @helper(
// CHECK-NOT: llvm.emit_c_interface
// CHECK-SAME: {
func.func private @helper(%x: memref<4xf32>) {
  return
}

// CHECK-LABEL: func.func private @erff(f32) -> f32
// CHECK-NOT: llvm.emit_c_interface
func.func private @erff(f32) -> f32
