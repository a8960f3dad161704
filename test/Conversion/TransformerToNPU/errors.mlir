// RUN: llm-opt %s -split-input-file --convert-transformer-to-npu -verify-diagnostics
// Signatures the NPU cannot take: dynamic dims (llm-run specialises models
// to their inputs) and non-f32 tensors.

// expected-error @+2 {{NPU: input #0 has dynamic dims 'tensor<?x8xf32>': NPU programs have static shapes}}
// expected-error @+1 {{NPU: output #0 has dynamic dims 'tensor<?x8xf32>'}}
func.func @dynamic(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %r = transformer.relu %x : tensor<?x8xf32>
  return %r : tensor<?x8xf32>
}

// -----

// expected-error @+2 {{NPU: input #0 is 'tensor<4xi64>'; the NPU target takes f32 tensors}}
// expected-error @+1 {{NPU: output #0 is 'tensor<4xi64>'}}
func.func @ints(%x: tensor<4xi64>) -> tensor<4xi64> {
  return %x : tensor<4xi64>
}

// -----

func.func @mask(%q: tensor<1x2x8x16xf32>, %m: tensor<1x1x8x8xf32>) -> tensor<1x2x8x16xf32> {
  // expected-error @+1 {{NPU: attention with a mask operand or a KV cache is not supported}}
  %o = transformer.attention %q, %q, %q mask(%m : tensor<1x1x8x8xf32>) : tensor<1x2x8x16xf32>, tensor<1x2x8x16xf32>, tensor<1x2x8x16xf32> -> tensor<1x2x8x16xf32>
  return %o : tensor<1x2x8x16xf32>
}
