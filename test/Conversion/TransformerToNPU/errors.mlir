// RUN: llm-opt %s -split-input-file --convert-transformer-to-npu -verify-diagnostics
// Signatures the NPU cannot take: dynamic dims (llm-run specialises models
// to their inputs) and non-f32 outputs; integer tensors used by other than
// gather, cast and shape ops; gathers along other axes.

// expected-error @+2 {{NPU: input #0 has dynamic dims 'tensor<?x8xf32>': NPU programs have static shapes}}
// expected-error @+1 {{NPU: output #0 has dynamic dims 'tensor<?x8xf32>'}}
func.func @dynamic(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %r = transformer.relu %x : tensor<?x8xf32>
  return %r : tensor<?x8xf32>
}

// -----

// Integer inputs are taken (ids, masks), integer outputs are not.
// expected-error @+1 {{NPU: output #0 is 'tensor<4xi64>'; the NPU target takes f32 tensors}}
func.func @ints(%x: tensor<4xi64>) -> tensor<4xi64> {
  return %x : tensor<4xi64>
}

// -----

// Integers feed only gather indices, cast to f32 and shape ops.
func.func @int_math(%x: tensor<4xi64>) -> tensor<4xf32> {
  // expected-error @+1 {{NPU: transformer.add reads an integer tensor; on the NPU integers only feed gather indices, cast to f32 and shape ops}}
  %s = transformer.add %x, %x : tensor<4xi64>, tensor<4xi64> -> tensor<4xi64>
  %f = transformer.cast %s : tensor<4xi64> to tensor<4xf32>
  return %f : tensor<4xf32>
}

// -----

func.func @gather_axis(%t: tensor<4x8xf32>, %i: tensor<3xi64>) -> tensor<4x3xf32> {
  // expected-error @+1 {{NPU: gather along axis 1: only axis 0 (table rows) is supported}}
  %g = transformer.gather %t, %i {axis = 1 : i64} : tensor<4x8xf32>, tensor<3xi64> -> tensor<4x3xf32>
  return %g : tensor<4x3xf32>
}
