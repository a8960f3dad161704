// RUN: llm-opt %s | llm-opt | FileCheck %s
// RUN: llm-opt %s --mlir-print-op-generic | llm-opt | FileCheck %s

// Round trip of the neural-network ops, with static and dynamic dims.

// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[A:.+]]: tensor<?x12x?x64xf32>, %[[B:.+]]: tensor<?x12x64x?xf32>, %[[X:.+]]: tensor<?x?x768xf32>, %[[W:.+]]: tensor<768x3072xf32>, %[[C:.+]]: tensor<3x1x4x5xf32>, %[[D:.+]]: tensor<7x5x6xf32>)
func.func @matmul(%a: tensor<?x12x?x64xf32>, %b: tensor<?x12x64x?xf32>,
                  %x: tensor<?x?x768xf32>, %w: tensor<768x3072xf32>,
                  %c: tensor<3x1x4x5xf32>, %d: tensor<7x5x6xf32>)
    -> (tensor<?x12x?x?xf32>, tensor<?x?x3072xf32>, tensor<3x7x4x6xf32>) {
  // CHECK: transformer.matmul %[[A]], %[[B]] : tensor<?x12x?x64xf32>, tensor<?x12x64x?xf32> -> tensor<?x12x?x?xf32>
  %0 = transformer.matmul %a, %b : tensor<?x12x?x64xf32>, tensor<?x12x64x?xf32> -> tensor<?x12x?x?xf32>
  // CHECK: transformer.matmul %[[X]], %[[W]] : tensor<?x?x768xf32>, tensor<768x3072xf32> -> tensor<?x?x3072xf32>
  %1 = transformer.matmul %x, %w : tensor<?x?x768xf32>, tensor<768x3072xf32> -> tensor<?x?x3072xf32>
  // Batch dims broadcast: [3, 1] with [7] gives [3, 7].
  // CHECK: transformer.matmul %[[C]], %[[D]] : tensor<3x1x4x5xf32>, tensor<7x5x6xf32> -> tensor<3x7x4x6xf32>
  %2 = transformer.matmul %c, %d : tensor<3x1x4x5xf32>, tensor<7x5x6xf32> -> tensor<3x7x4x6xf32>
  return %0, %1, %2 : tensor<?x12x?x?xf32>, tensor<?x?x3072xf32>, tensor<3x7x4x6xf32>
}

// CHECK-LABEL: func.func @linear
func.func @linear(%x: tensor<?x?x768xf32>, %w: tensor<3072x768xf32>, %b: tensor<3072xf32>, %v: tensor<768xf32>)
    -> (tensor<?x?x3072xf32>, tensor<3072xf32>) {
  // CHECK: %[[Y:.+]] = transformer.linear %{{.+}}, %{{.+}}, %{{.+}} : tensor<?x?x768xf32>, tensor<3072x768xf32>, tensor<3072xf32> -> tensor<?x?x3072xf32>
  %0 = transformer.linear %x, %w, %b : tensor<?x?x768xf32>, tensor<3072x768xf32>, tensor<3072xf32> -> tensor<?x?x3072xf32>
  // CHECK: transformer.linear %{{.+}}, %{{.+}} : tensor<768xf32>, tensor<3072x768xf32> -> tensor<3072xf32>
  %1 = transformer.linear %v, %w : tensor<768xf32>, tensor<3072x768xf32> -> tensor<3072xf32>
  return %0, %1 : tensor<?x?x3072xf32>, tensor<3072xf32>
}

// CHECK-LABEL: func.func @softmax
func.func @softmax(%s: tensor<?x12x?x?xf32>) -> (tensor<?x12x?x?xf32>, tensor<?x12x?x?xf32>, tensor<?x12x?x?xf32>) {
  // The default axis (-1) is not printed.
  // CHECK: %[[P:.+]] = transformer.softmax %{{.+}} : tensor<?x12x?x?xf32>
  %0 = transformer.softmax %s : tensor<?x12x?x?xf32>
  // CHECK: transformer.softmax %[[P]] {axis = 1 : i64} : tensor<?x12x?x?xf32>
  %1 = transformer.softmax %0 {axis = 1 : i64} : tensor<?x12x?x?xf32>
  // CHECK: transformer.log_softmax %{{.+}} : tensor<?x12x?x?xf32>
  %2 = transformer.log_softmax %s : tensor<?x12x?x?xf32>
  return %0, %1, %2 : tensor<?x12x?x?xf32>, tensor<?x12x?x?xf32>, tensor<?x12x?x?xf32>
}

// CHECK-LABEL: func.func @norms
func.func @norms(%x: tensor<?x?x768xf32>, %g: tensor<768xf32>, %b: tensor<768xf32>, %y: tensor<2x3x4xf16>, %g2: tensor<3x4xf16>)
    -> (tensor<?x?x768xf32>, tensor<?x?x768xf32>, tensor<2x3x4xf16>, tensor<?x?x768xf32>, tensor<2x3x4xf16>) {
  // CHECK: transformer.layer_norm %{{.+}} scale %{{.+}} : tensor<768xf32> bias %{{.+}} : tensor<768xf32> {epsilon = 9.99999997E-7 : f32} : tensor<?x?x768xf32>
  %0 = transformer.layer_norm %x scale %g : tensor<768xf32> bias %b : tensor<768xf32> {epsilon = 1.0e-06 : f32} : tensor<?x?x768xf32>
  // The default epsilon (1e-5) is not printed.
  // CHECK: transformer.layer_norm %{{.+}} scale %{{.+}} : tensor<768xf32> : tensor<?x?x768xf32>
  %5 = transformer.layer_norm %x scale %g : tensor<768xf32> {epsilon = 1.0e-05 : f32} : tensor<?x?x768xf32>
  // CHECK: transformer.layer_norm %{{.+}} : tensor<?x?x768xf32>
  %1 = transformer.layer_norm %x : tensor<?x?x768xf32>
  // Normalizing over the last two dims (axis = 1 of a rank-3 input).
  // CHECK: transformer.layer_norm %{{.+}} scale %{{.+}} : tensor<3x4xf16> {axis = 1 : i64} : tensor<2x3x4xf16>
  %2 = transformer.layer_norm %y scale %g2 : tensor<3x4xf16> {axis = 1 : i64} : tensor<2x3x4xf16>
  // CHECK: transformer.rms_norm %{{.+}} scale %{{.+}} : tensor<768xf32> {epsilon = 9.99999997E-7 : f32} : tensor<?x?x768xf32>
  %3 = transformer.rms_norm %x scale %g : tensor<768xf32> {epsilon = 1.0e-06 : f32} : tensor<?x?x768xf32>
  // CHECK: transformer.rms_norm %{{.+}} {axis = -2 : i64} : tensor<2x3x4xf16>
  %4 = transformer.rms_norm %y {axis = -2 : i64} : tensor<2x3x4xf16>
  return %0, %1, %2, %3, %4 : tensor<?x?x768xf32>, tensor<?x?x768xf32>, tensor<2x3x4xf16>, tensor<?x?x768xf32>, tensor<2x3x4xf16>
}

// CHECK-LABEL: func.func @activations
func.func @activations(%x: tensor<?x?x3072xf32>) -> (tensor<?x?x3072xf32>, tensor<?x?x3072xf32>, tensor<?x?x3072xf32>) {
  // CHECK: transformer.gelu %{{.+}} : tensor<?x?x3072xf32>
  %0 = transformer.gelu %x : tensor<?x?x3072xf32>
  // CHECK: transformer.gelu %{{.+}} approximation = tanh : tensor<?x?x3072xf32>
  %1 = transformer.gelu %x approximation = tanh : tensor<?x?x3072xf32>
  // CHECK: transformer.silu %{{.+}} : tensor<?x?x3072xf32>
  %2 = transformer.silu %x : tensor<?x?x3072xf32>
  return %0, %1, %2 : tensor<?x?x3072xf32>, tensor<?x?x3072xf32>, tensor<?x?x3072xf32>
}

// CHECK-LABEL: func.func @rotary
func.func @rotary(%q: tensor<?x32x?x128xf32>, %cos: tensor<?x64xf32>, %sin: tensor<?x64xf32>,
                  %k: tensor<2x?x4x80xf32>, %pcos: tensor<2x1x?x16xf32>, %psin: tensor<2x1x?x16xf32>)
    -> (tensor<?x32x?x128xf32>, tensor<?x32x?x128xf32>, tensor<2x?x4x80xf32>) {
  // CHECK: transformer.rotary_embedding %{{.+}}, %{{.+}}, %{{.+}} : tensor<?x32x?x128xf32>, tensor<?x64xf32>
  %0 = transformer.rotary_embedding %q, %cos, %sin : tensor<?x32x?x128xf32>, tensor<?x64xf32>
  // CHECK: transformer.rotary_embedding %{{.+}}, %{{.+}}, %{{.+}} mode = interleaved : tensor<?x32x?x128xf32>, tensor<?x64xf32>
  %1 = transformer.rotary_embedding %q, %cos, %sin mode = interleaved : tensor<?x32x?x128xf32>, tensor<?x64xf32>
  // Partial rotary (Phi): 32 of 80 elements rotate; tables gathered per position.
  // CHECK: transformer.rotary_embedding %{{.+}}, %{{.+}}, %{{.+}} {rotary_dim = 32 : i64} : tensor<2x?x4x80xf32>, tensor<2x1x?x16xf32>
  %2 = transformer.rotary_embedding %k, %pcos, %psin {rotary_dim = 32 : i64} : tensor<2x?x4x80xf32>, tensor<2x1x?x16xf32>
  return %0, %1, %2 : tensor<?x32x?x128xf32>, tensor<?x32x?x128xf32>, tensor<2x?x4x80xf32>
}

// CHECK-LABEL: func.func @attention
func.func @attention(%q: tensor<?x12x?x64xf32>, %k: tensor<?x12x?x64xf32>, %v: tensor<?x12x?x64xf32>,
                     %mask: tensor<?x1x1x?xf32>, %bmask: tensor<?x?xi1>)
    -> (tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32>) {
  // CHECK: transformer.attention %{{.+}}, %{{.+}}, %{{.+}} {causal} : tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32> -> tensor<?x12x?x64xf32>
  %0 = transformer.attention %q, %k, %v {causal} : tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32> -> tensor<?x12x?x64xf32>
  // CHECK: transformer.attention %{{.+}}, %{{.+}}, %{{.+}} mask(%{{.+}} : tensor<?x1x1x?xf32>) {scale = 1.250000e-01 : f32} : tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32> -> tensor<?x12x?x64xf32>
  %1 = transformer.attention %q, %k, %v mask(%mask : tensor<?x1x1x?xf32>) {scale = 0.125 : f32} : tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32> -> tensor<?x12x?x64xf32>
  // CHECK: transformer.attention %{{.+}}, %{{.+}}, %{{.+}} mask(%{{.+}} : tensor<?x?xi1>) : tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32> -> tensor<?x12x?x64xf32>
  %2 = transformer.attention %q, %k, %v mask(%bmask : tensor<?x?xi1>) : tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32> -> tensor<?x12x?x64xf32>
  return %0, %1, %2 : tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32>, tensor<?x12x?x64xf32>
}

// Grouped-query attention decode step with a KV cache: 32 query heads share
// 8 KV heads; one new token is appended to P past positions.
// CHECK-LABEL: func.func @attention_gqa_kv_cache
func.func @attention_gqa_kv_cache(%q: tensor<1x32x1x128xf32>, %k: tensor<1x8x1x128xf32>, %v: tensor<1x8x1x128xf32>,
                                  %pk: tensor<1x8x?x128xf32>, %pv: tensor<1x8x?x128xf32>, %pk7: tensor<1x8x7x128xf32>)
    -> (tensor<1x32x1x128xf32>, tensor<1x8x?x128xf32>, tensor<1x8x?x128xf32>, tensor<1x8x8x128xf32>) {
  // CHECK: %{{.+}}, %{{.+}}:2 = transformer.attention %{{.+}}, %{{.+}}, %{{.+}} past(%{{.+}}, %{{.+}} : tensor<1x8x?x128xf32>, tensor<1x8x?x128xf32>) {causal, num_kv_heads = 8 : i64} : tensor<1x32x1x128xf32>, tensor<1x8x1x128xf32>, tensor<1x8x1x128xf32> -> tensor<1x32x1x128xf32>, tensor<1x8x?x128xf32>, tensor<1x8x?x128xf32>
  %o, %pk2, %pv2 = transformer.attention %q, %k, %v past(%pk, %pv : tensor<1x8x?x128xf32>, tensor<1x8x?x128xf32>) {causal, num_kv_heads = 8 : i64}
      : tensor<1x32x1x128xf32>, tensor<1x8x1x128xf32>, tensor<1x8x1x128xf32> -> tensor<1x32x1x128xf32>, tensor<1x8x?x128xf32>, tensor<1x8x?x128xf32>
  // A static cache of 7 positions gives a static present of 8.
  // CHECK: transformer.attention {{.+}} -> tensor<1x32x1x128xf32>, tensor<1x8x8x128xf32>, tensor<1x8x8x128xf32>
  %o2, %k8, %v8 = transformer.attention %q, %k, %v past(%pk7, %pk7 : tensor<1x8x7x128xf32>, tensor<1x8x7x128xf32>)
      : tensor<1x32x1x128xf32>, tensor<1x8x1x128xf32>, tensor<1x8x1x128xf32> -> tensor<1x32x1x128xf32>, tensor<1x8x8x128xf32>, tensor<1x8x8x128xf32>
  return %o, %pk2, %pv2, %k8 : tensor<1x32x1x128xf32>, tensor<1x8x?x128xf32>, tensor<1x8x?x128xf32>, tensor<1x8x8x128xf32>
}

// CHECK-LABEL: func.func @embedding
func.func @embedding(%wte: tensor<50257x768xf32>, %ids: tensor<?x?xi64>, %pos: tensor<16xi32>)
    -> (tensor<?x?x768xf32>, tensor<16x768xf32>) {
  // CHECK: transformer.embedding %{{.+}}[%{{.+}}] : tensor<50257x768xf32>, tensor<?x?xi64> -> tensor<?x?x768xf32>
  %0 = transformer.embedding %wte[%ids] : tensor<50257x768xf32>, tensor<?x?xi64> -> tensor<?x?x768xf32>
  // CHECK: transformer.embedding %{{.+}}[%{{.+}}] : tensor<50257x768xf32>, tensor<16xi32> -> tensor<16x768xf32>
  %1 = transformer.embedding %wte[%pos] : tensor<50257x768xf32>, tensor<16xi32> -> tensor<16x768xf32>
  return %0, %1 : tensor<?x?x768xf32>, tensor<16x768xf32>
}
