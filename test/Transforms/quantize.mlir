// transformer-quantize on small weights; expected values worked out by hand
// from the documented recipes (scale = max|w| / 127 per output channel for
// int8; max|w| / 7 per group for symmetric int4; (max - min) / 15 and zero
// point round(-min / scale) for asymmetric int4; rounding half to even).
// RUN: llm-opt %s --transformer-quantize="mode=int8-weight" --split-input-file | FileCheck %s --check-prefix=W8
// RUN: llm-opt %s --transformer-quantize="mode=int8-dynamic" --split-input-file | FileCheck %s --check-prefix=DYN
// RUN: llm-opt %s --transformer-quantize="mode=int4-weight group-size=2" --split-input-file | FileCheck %s --check-prefix=W4
// RUN: llm-opt %s --transformer-quantize="mode=int4-weight group-size=2 zero-point=true scale-type=f16" --split-input-file | FileCheck %s --check-prefix=W4ZP
// RUN: llm-opt %s --transformer-quantize="mode=int8-weight exclude=lm_head,^proj$" --split-input-file | FileCheck %s --check-prefix=EXCL

// matmul x[?, K=2] * w[K=2, N=2]: channel 0 is w[:, 0] = [1.0, 0.5]
// (scale 1/127, q = [127, round(63.5) = 64]), channel 1 is [-2.0, 0.25]
// (scale 2/127, q = [-127, round(15.875) = 16]); weights become [N, K].
// W8-LABEL: func.func @matmul_weight
// W8-DAG: %[[Q:.*]] = transformer.constant dense<{{\[}}[127, 64], [-127, 16]]> : tensor<2x2xi8>
// W8-DAG: %[[S:.*]] = transformer.constant dense<[0.00787401571, 0.0157480314]> : tensor<2xf32>
// W8: %[[Y:.*]] = transformer.quantized_linear %arg0, %[[Q]], %[[S]] : tensor<?x2xf32>, tensor<2x2xi8>, tensor<2xf32> -> tensor<?x2xf32>
// W8: return %[[Y]]
// DYN-LABEL: func.func @matmul_weight
// DYN-DAG: %[[Q:.*]] = transformer.constant dense<{{\[}}[127, -127], [64, 16]]> : tensor<2x2xi8>
// DYN-DAG: %[[S:.*]] = transformer.constant dense<[0.00787401571, 0.0157480314]> : tensor<2xf32>
// DYN: %[[X:.*]], %[[XS:.*]], %[[XZP:.*]] = transformer.dynamic_quantize %arg0 {axis = -1 : i64} : tensor<?x2xf32> -> tensor<?x2xui8>, tensor<?x1xf32>, tensor<?x1xui8>
// DYN: %[[ACC:.*]] = transformer.quantized_matmul %[[X]], %[[Q]] a_zero_point(%[[XZP]] : tensor<?x1xui8>) : tensor<?x2xui8>, tensor<2x2xi8> -> tensor<?x2xi32>
// DYN: %[[F:.*]] = transformer.cast %[[ACC]] : tensor<?x2xi32> to tensor<?x2xf32>
// DYN: %[[M:.*]] = transformer.mul %[[F]], %[[XS]]
// DYN: %[[Y:.*]] = transformer.mul %[[M]], %[[S]]
// DYN: return %[[Y]]
// Symmetric int4 (group size 2 = K: one group per channel): channel 0 scale
// fl(1/7) = 0.142857149, q = [7, round(0.5 / 0.142857149 = 3.4999998) = 3]
// (the division uses the stored f32 scale, as QuantizeLinear does);
// channel 1 scale 2/7, q = [-7, round(0.875) = 1].
// W4-LABEL: func.func @matmul_weight
// W4-DAG: %[[Q:.*]] = transformer.constant dense<{{\[}}[7, 3], [-7, 1]]> : tensor<2x2xi4>
// W4-DAG: %[[S:.*]] = transformer.constant dense<{{\[}}[0.142857149], [0.285714298]]> : tensor<2x1xf32>
// W4: transformer.quantized_linear %arg0, %[[Q]], %[[S]] {group_size = 2 : i64} : tensor<?x2xf32>, tensor<2x2xi4>, tensor<2x1xf32> -> tensor<?x2xf32>
// Asymmetric int4 with f16 scales, channel 0 range [0, 1]: scale 1/15 (f16: 0.06665), zero point 0,
// q = [round(15.0037) = 15, round(7.5019) = 8]; channel 1 range [-2, 0.25]:
// scale 0.15 (f16: 0.1500244), zero point round(13.331) = 13,
// q = [round(-13.331) + 13 = 0, round(1.666) + 13 = 15].
// W4ZP-LABEL: func.func @matmul_weight
// W4ZP-DAG: %[[Q:.*]] = transformer.constant dense<{{\[}}[15, 8], [0, 15]]> : tensor<2x2xui4>
// W4ZP-DAG: %[[S:.*]] = transformer.constant dense<{{\[}}[6.665040e-02], [1.500240e-01]]> : tensor<2x1xf16>
// W4ZP-DAG: %[[ZP:.*]] = transformer.constant dense<{{\[}}[0], [13]]> : tensor<2x1xui4>
// W4ZP: transformer.quantized_linear %arg0, %[[Q]], %[[S]] zero_point(%[[ZP]] : tensor<2x1xui4>) {group_size = 2 : i64}
// EXCL-LABEL: func.func @matmul_weight
// EXCL: transformer.quantized_linear
func.func @matmul_weight(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %w = transformer.constant dense<[[1.0, -2.0], [0.5, 0.25]]> : tensor<2x2xf32>
  %y = transformer.matmul %x, %w : tensor<?x2xf32>, tensor<2x2xf32> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// linear keeps its [N, K] layout and its bias.
// W8-LABEL: func.func @linear_bias
// W8-DAG: %[[Q:.*]] = transformer.constant dense<{{\[}}[127, -127, 0]]> : tensor<1x3xi8>
// W8-DAG: %[[S:.*]] = transformer.constant dense<0.0314960629> : tensor<1xf32>
// W8: transformer.quantized_linear %arg0, %[[Q]], %[[S]] bias(%arg1 : tensor<1xf32>)
// DYN-LABEL: func.func @linear_bias
// DYN: transformer.quantized_matmul
// DYN: %[[M:.*]] = transformer.mul
// DYN: %[[M2:.*]] = transformer.mul %[[M]]
// DYN: transformer.add %[[M2]], %arg1
func.func @linear_bias(%x: tensor<4x3xf32>, %b: tensor<1xf32>) -> tensor<4x1xf32> {
  %w = transformer.constant dense<[[4.0, -4.0, 0.0]]> : tensor<1x3xf32>
  %y = transformer.linear %x, %w, %b : tensor<4x3xf32>, tensor<1x3xf32>, tensor<1xf32> -> tensor<4x1xf32>
  return %y : tensor<4x1xf32>
}

// -----

// Not quantized: a matmul of two activations (attention scores), and ops
// whose ONNX node name matches an exclude pattern.
// W8-LABEL: func.func @left_alone
// W8: transformer.matmul %arg0, %arg1
// W8: transformer.quantized_linear
// W8: transformer.quantized_linear
// EXCL-LABEL: func.func @left_alone
// EXCL: transformer.matmul %arg0, %arg1
// EXCL-NOT: quantized_linear
// EXCL: transformer.matmul %{{.*}}, %{{.*}} : tensor<2x2xf32>, tensor<2x2xf32> -> tensor<2x2xf32>
// EXCL-NOT: quantized_linear
// EXCL: transformer.matmul %{{.*}}, %{{.*}} : tensor<2x2xf32>, tensor<2x2xf32> -> tensor<2x2xf32>
// EXCL-NOT: quantized_linear
func.func @left_alone(%a: tensor<2x2xf32>, %b: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %s = transformer.matmul %a, %b : tensor<2x2xf32>, tensor<2x2xf32> -> tensor<2x2xf32>
  %w = transformer.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %h = transformer.matmul %s, %w : tensor<2x2xf32>, tensor<2x2xf32> -> tensor<2x2xf32> loc("/model/lm_head/MatMul")
  %y = transformer.matmul %h, %w : tensor<2x2xf32>, tensor<2x2xf32> -> tensor<2x2xf32> loc("proj")
  return %y : tensor<2x2xf32>
}
