// llm-readonly-arguments marks tensor arguments of public function
// definitions read-only for bufferization; private functions, declarations
// and non-tensor arguments are left alone.
// RUN: llm-opt %s --llm-readonly-arguments | FileCheck %s

// CHECK-LABEL: func.func @main(
// CHECK-SAME: %{{.+}}: tensor<?x4xf32> {bufferization.writable = false, onnx.name = "x"},
// CHECK-SAME: %{{.+}}: index)
func.func @main(%x: tensor<?x4xf32> {onnx.name = "x"}, %n: index) -> tensor<?x4xf32> {
  return %x : tensor<?x4xf32>
}

// CHECK-LABEL: func.func private @helper(
// CHECK-SAME: %{{.+}}: tensor<4xf32>)
func.func private @helper(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// CHECK-LABEL: func.func private @external(tensor<4xf32>)
func.func private @external(tensor<4xf32>)
