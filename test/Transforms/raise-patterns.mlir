// RUN: llm-opt %s --transformer-raise-patterns --split-input-file | FileCheck %s

// The primitive op chains transformer-raise-patterns recognises, in the
// spellings exporters use, and look-alikes it must leave alone.

// LayerNorm written out (opset < 17 exports): (x - mean) / sqrt(var + eps),
// the square as mul(d, d); then * gamma + beta become scale and bias
// (epsilon 1e-5 is the default, so it is not printed).
// CHECK-LABEL: func.func @layer_norm(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x5x8xf32>, %[[G:[^:]+]]: tensor<8xf32>, %[[B:[^:]+]]: tensor<8xf32>)
// CHECK-NEXT:    %[[Y:.+]] = transformer.layer_norm %[[X]] scale %[[G]] : tensor<8xf32> bias %[[B]] : tensor<8xf32> : tensor<2x5x8xf32>
// CHECK-NEXT:    return %[[Y]]
func.func @layer_norm(%x: tensor<2x5x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<2x5x8xf32> {
  %eps = transformer.constant dense<1.0e-05> : tensor<f32>
  %m = transformer.reduce_mean %x {axes = array<i64: -1>, keep_dims = true} : tensor<2x5x8xf32> -> tensor<2x5x1xf32>
  %d = transformer.sub %x, %m : tensor<2x5x8xf32>, tensor<2x5x1xf32> -> tensor<2x5x8xf32>
  %sq = transformer.mul %d, %d : tensor<2x5x8xf32>, tensor<2x5x8xf32> -> tensor<2x5x8xf32>
  %v = transformer.reduce_mean %sq {axes = array<i64: 2>, keep_dims = true} : tensor<2x5x8xf32> -> tensor<2x5x1xf32>
  %ve = transformer.add %v, %eps : tensor<2x5x1xf32>, tensor<f32> -> tensor<2x5x1xf32>
  %s = transformer.sqrt %ve : tensor<2x5x1xf32>
  %n = transformer.div %d, %s : tensor<2x5x8xf32>, tensor<2x5x1xf32> -> tensor<2x5x8xf32>
  %y = transformer.mul %n, %g : tensor<2x5x8xf32>, tensor<8xf32> -> tensor<2x5x8xf32>
  %z = transformer.add %b, %y : tensor<8xf32>, tensor<2x5x8xf32> -> tensor<2x5x8xf32>
  return %z : tensor<2x5x8xf32>
}

// -----

// RMSNorm as LLaMA's exporter writes it: x * (1 / sqrt(mean(x^2) + eps)),
// then * weight.
// CHECK-LABEL: func.func @rms_norm_div(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<?x16x64xf32>, %[[W:[^:]+]]: tensor<64xf32>)
// CHECK-NEXT:    %[[Y:.+]] = transformer.rms_norm %[[X]] scale %[[W]] : tensor<64xf32> {epsilon = 9.99999997E-7 : f32} : tensor<?x16x64xf32>
// CHECK-NEXT:    return %[[Y]]
func.func @rms_norm_div(%x: tensor<?x16x64xf32>, %w: tensor<64xf32>) -> tensor<?x16x64xf32> {
  %two = transformer.constant dense<2.0> : tensor<f32>
  %eps = transformer.constant dense<1.0e-06> : tensor<f32>
  %one = transformer.constant dense<1.0> : tensor<f32>
  %p = transformer.pow %x, %two : tensor<?x16x64xf32>, tensor<f32> -> tensor<?x16x64xf32>
  %m = transformer.reduce_mean %p {axes = array<i64: -1>, keep_dims = true} : tensor<?x16x64xf32> -> tensor<?x16x1xf32>
  %a = transformer.add %m, %eps : tensor<?x16x1xf32>, tensor<f32> -> tensor<?x16x1xf32>
  %s = transformer.sqrt %a : tensor<?x16x1xf32>
  %r = transformer.div %one, %s : tensor<f32>, tensor<?x16x1xf32> -> tensor<?x16x1xf32>
  %n = transformer.mul %x, %r : tensor<?x16x64xf32>, tensor<?x16x1xf32> -> tensor<?x16x64xf32>
  %y = transformer.mul %w, %n : tensor<64xf32>, tensor<?x16x64xf32> -> tensor<?x16x64xf32>
  return %y : tensor<?x16x64xf32>
}

// -----

// RMSNorm with rsqrt and no weight.
// CHECK-LABEL: func.func @rms_norm_rsqrt(
// CHECK-NEXT:    %[[Y:.+]] = transformer.rms_norm %{{.+}} : tensor<4x32xf32>
// CHECK-NEXT:    return %[[Y]]
func.func @rms_norm_rsqrt(%x: tensor<4x32xf32>) -> tensor<4x32xf32> {
  %two = transformer.constant dense<2.0> : tensor<f32>
  %eps = transformer.constant dense<1.0e-05> : tensor<f32>
  %p = transformer.pow %x, %two : tensor<4x32xf32>, tensor<f32> -> tensor<4x32xf32>
  %m = transformer.reduce_mean %p {axes = array<i64: 1>, keep_dims = true} : tensor<4x32xf32> -> tensor<4x1xf32>
  %a = transformer.add %eps, %m : tensor<f32>, tensor<4x1xf32> -> tensor<4x1xf32>
  %r = transformer.rsqrt %a : tensor<4x1xf32>
  %n = transformer.mul %r, %x : tensor<4x1xf32>, tensor<4x32xf32> -> tensor<4x32xf32>
  return %n : tensor<4x32xf32>
}

// -----

// Not a norm: the mean is over the first axis.
// CHECK-LABEL: func.func @no_norm_other_axis(
// CHECK-NOT:     transformer.rms_norm
// CHECK:         transformer.rsqrt
func.func @no_norm_other_axis(%x: tensor<4x32xf32>) -> tensor<4x32xf32> {
  %two = transformer.constant dense<2.0> : tensor<f32>
  %eps = transformer.constant dense<1.0e-05> : tensor<f32>
  %p = transformer.pow %x, %two : tensor<4x32xf32>, tensor<f32> -> tensor<4x32xf32>
  %m = transformer.reduce_mean %p {axes = array<i64: 0>, keep_dims = true} : tensor<4x32xf32> -> tensor<1x32xf32>
  %a = transformer.add %m, %eps : tensor<1x32xf32>, tensor<f32> -> tensor<1x32xf32>
  %r = transformer.rsqrt %a : tensor<1x32xf32>
  %n = transformer.mul %x, %r : tensor<4x32xf32>, tensor<1x32xf32> -> tensor<4x32xf32>
  return %n : tensor<4x32xf32>
}

// -----

// GPT-2's gelu_new: 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3))).
// CHECK-LABEL: func.func @gelu_tanh_pow(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<?x256xf32>)
// CHECK-NEXT:    %[[Y:.+]] = transformer.gelu %[[X]] approximation = tanh : tensor<?x256xf32>
// CHECK-NEXT:    return %[[Y]]
func.func @gelu_tanh_pow(%x: tensor<?x256xf32>) -> tensor<?x256xf32> {
  %one = transformer.constant dense<1.0> : tensor<f32>
  %k = transformer.constant dense<0.797884583> : tensor<f32>
  %c = transformer.constant dense<4.471500e-02> : tensor<f32>
  %three = transformer.constant dense<3.0> : tensor<f32>
  %half = transformer.constant dense<0.5> : tensor<f32>
  %h = transformer.mul %x, %half : tensor<?x256xf32>, tensor<f32> -> tensor<?x256xf32>
  %p = transformer.pow %x, %three : tensor<?x256xf32>, tensor<f32> -> tensor<?x256xf32>
  %pc = transformer.mul %p, %c : tensor<?x256xf32>, tensor<f32> -> tensor<?x256xf32>
  %s = transformer.add %x, %pc : tensor<?x256xf32>, tensor<?x256xf32> -> tensor<?x256xf32>
  %sk = transformer.mul %s, %k : tensor<?x256xf32>, tensor<f32> -> tensor<?x256xf32>
  %t = transformer.tanh %sk : tensor<?x256xf32>
  %t1 = transformer.add %t, %one : tensor<?x256xf32>, tensor<f32> -> tensor<?x256xf32>
  %y = transformer.mul %h, %t1 : tensor<?x256xf32>, tensor<?x256xf32> -> tensor<?x256xf32>
  return %y : tensor<?x256xf32>
}

// -----

// The same with the cube as a mul chain and another association:
// x * (0.5 * (1 + tanh((x + x * x * x * 0.044715) * sqrt(2/pi)))).
// CHECK-LABEL: func.func @gelu_tanh_mul_chain(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<8x16xf32>)
// CHECK-NEXT:    %[[Y:.+]] = transformer.gelu %[[X]] approximation = tanh : tensor<8x16xf32>
// CHECK-NEXT:    return %[[Y]]
func.func @gelu_tanh_mul_chain(%x: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %one = transformer.constant dense<1.0> : tensor<f32>
  %k = transformer.constant dense<0.797884583> : tensor<f32>
  %c = transformer.constant dense<4.471500e-02> : tensor<f32>
  %half = transformer.constant dense<0.5> : tensor<f32>
  %x2 = transformer.mul %x, %x : tensor<8x16xf32>, tensor<8x16xf32> -> tensor<8x16xf32>
  %x3 = transformer.mul %x2, %x : tensor<8x16xf32>, tensor<8x16xf32> -> tensor<8x16xf32>
  %pc = transformer.mul %x3, %c : tensor<8x16xf32>, tensor<f32> -> tensor<8x16xf32>
  %s = transformer.add %pc, %x : tensor<8x16xf32>, tensor<8x16xf32> -> tensor<8x16xf32>
  %sk = transformer.mul %k, %s : tensor<f32>, tensor<8x16xf32> -> tensor<8x16xf32>
  %t = transformer.tanh %sk : tensor<8x16xf32>
  %t1 = transformer.add %one, %t : tensor<f32>, tensor<8x16xf32> -> tensor<8x16xf32>
  %h = transformer.mul %half, %t1 : tensor<f32>, tensor<8x16xf32> -> tensor<8x16xf32>
  %y = transformer.mul %x, %h : tensor<8x16xf32>, tensor<8x16xf32> -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

// BERT's erf GELU: x * (1 + erf(x / sqrt(2))) * 0.5, and with * (1/sqrt(2)).
// CHECK-LABEL: func.func @gelu_erf(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x12x128xf32>, %[[Z:[^:]+]]: tensor<2x12x128xf32>)
// CHECK-NEXT:    %[[Y1:.+]] = transformer.gelu %[[X]] : tensor<2x12x128xf32>
// CHECK-NEXT:    %[[Y2:.+]] = transformer.gelu %[[Z]] : tensor<2x12x128xf32>
// CHECK-NEXT:    return %[[Y1]], %[[Y2]]
func.func @gelu_erf(%x: tensor<2x12x128xf32>, %z: tensor<2x12x128xf32>) -> (tensor<2x12x128xf32>, tensor<2x12x128xf32>) {
  %sqrt2 = transformer.constant dense<1.41421354> : tensor<f32>
  %rsqrt2 = transformer.constant dense<0.707106769> : tensor<f32>
  %one = transformer.constant dense<1.0> : tensor<f32>
  %half = transformer.constant dense<0.5> : tensor<f32>
  %d = transformer.div %x, %sqrt2 : tensor<2x12x128xf32>, tensor<f32> -> tensor<2x12x128xf32>
  %e = transformer.erf %d : tensor<2x12x128xf32>
  %e1 = transformer.add %e, %one : tensor<2x12x128xf32>, tensor<f32> -> tensor<2x12x128xf32>
  %m = transformer.mul %x, %e1 : tensor<2x12x128xf32>, tensor<2x12x128xf32> -> tensor<2x12x128xf32>
  %y1 = transformer.mul %m, %half : tensor<2x12x128xf32>, tensor<f32> -> tensor<2x12x128xf32>
  %d2 = transformer.mul %z, %rsqrt2 : tensor<2x12x128xf32>, tensor<f32> -> tensor<2x12x128xf32>
  %e2 = transformer.erf %d2 : tensor<2x12x128xf32>
  %e21 = transformer.add %one, %e2 : tensor<f32>, tensor<2x12x128xf32> -> tensor<2x12x128xf32>
  %h2 = transformer.mul %z, %half : tensor<2x12x128xf32>, tensor<f32> -> tensor<2x12x128xf32>
  %y2 = transformer.mul %h2, %e21 : tensor<2x12x128xf32>, tensor<2x12x128xf32> -> tensor<2x12x128xf32>
  return %y1, %y2 : tensor<2x12x128xf32>, tensor<2x12x128xf32>
}

// -----

// Not GELU: the factor is 0.6, and the erf argument is x / 2.
// CHECK-LABEL: func.func @no_gelu(
// CHECK-NOT:     transformer.gelu
// CHECK:         return
func.func @no_gelu(%x: tensor<16xf32>, %z: tensor<16xf32>) -> (tensor<16xf32>, tensor<16xf32>) {
  %sqrt2 = transformer.constant dense<1.41421354> : tensor<f32>
  %two = transformer.constant dense<2.0> : tensor<f32>
  %one = transformer.constant dense<1.0> : tensor<f32>
  %half = transformer.constant dense<0.5> : tensor<f32>
  %bad = transformer.constant dense<0.6> : tensor<f32>
  %d = transformer.div %x, %sqrt2 : tensor<16xf32>, tensor<f32> -> tensor<16xf32>
  %e = transformer.erf %d : tensor<16xf32>
  %e1 = transformer.add %e, %one : tensor<16xf32>, tensor<f32> -> tensor<16xf32>
  %m = transformer.mul %x, %e1 : tensor<16xf32>, tensor<16xf32> -> tensor<16xf32>
  %y1 = transformer.mul %m, %bad : tensor<16xf32>, tensor<f32> -> tensor<16xf32>
  %d2 = transformer.div %z, %two : tensor<16xf32>, tensor<f32> -> tensor<16xf32>
  %e2 = transformer.erf %d2 : tensor<16xf32>
  %e21 = transformer.add %e2, %one : tensor<16xf32>, tensor<f32> -> tensor<16xf32>
  %m2 = transformer.mul %z, %e21 : tensor<16xf32>, tensor<16xf32> -> tensor<16xf32>
  %y2 = transformer.mul %m2, %half : tensor<16xf32>, tensor<f32> -> tensor<16xf32>
  return %y1, %y2 : tensor<16xf32>, tensor<16xf32>
}

// -----

// SiLU in both operand orders; x * sigmoid(y) is not SiLU.
// CHECK-LABEL: func.func @silu(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<4x128xf32>, %[[Y:[^:]+]]: tensor<4x128xf32>)
// CHECK-NEXT:    %[[A:.+]] = transformer.silu %[[X]] : tensor<4x128xf32>
// CHECK-NEXT:    %[[SY:.+]] = transformer.sigmoid %[[Y]] : tensor<4x128xf32>
// CHECK-NEXT:    %[[B:.+]] = transformer.silu %[[Y]] : tensor<4x128xf32>
// CHECK-NEXT:    %[[C:.+]] = transformer.mul %[[X]], %[[SY]]
// CHECK-NEXT:    return %[[A]], %[[B]], %[[C]]
func.func @silu(%x: tensor<4x128xf32>, %y: tensor<4x128xf32>) -> (tensor<4x128xf32>, tensor<4x128xf32>, tensor<4x128xf32>) {
  %sx = transformer.sigmoid %x : tensor<4x128xf32>
  %a = transformer.mul %x, %sx : tensor<4x128xf32>, tensor<4x128xf32> -> tensor<4x128xf32>
  %sy = transformer.sigmoid %y : tensor<4x128xf32>
  %b = transformer.mul %sy, %y : tensor<4x128xf32>, tensor<4x128xf32> -> tensor<4x128xf32>
  %c = transformer.mul %x, %sy : tensor<4x128xf32>, tensor<4x128xf32> -> tensor<4x128xf32>
  return %a, %b, %c : tensor<4x128xf32>, tensor<4x128xf32>, tensor<4x128xf32>
}

// -----

// Rotate-half RoPE with tables that repeat their halves (cat(freqs, freqs)):
// the half tables are sliced off for transformer.rotary_embedding.
// CHECK-LABEL: func.func @rope(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<1x2x3x4xf32>)
// CHECK:         %[[COS:.+]] = transformer.constant dense<{{\[}}[1.000000e+00, 5.000000e-01, 1.000000e+00, 5.000000e-01]
// CHECK:         %[[SIN:.+]] = transformer.constant dense<{{\[}}[0.000000e+00, 2.500000e-01, 0.000000e+00, 2.500000e-01]
// CHECK:         %[[CH:.+]] = transformer.slice %[[COS]] {axes = array<i64: 1>, ends = array<i64: 2>, starts = array<i64: 0>, steps = array<i64: 1>} : tensor<3x4xf32> -> tensor<3x2xf32>
// CHECK:         %[[SH:.+]] = transformer.slice %[[SIN]] {{.+}} : tensor<3x4xf32> -> tensor<3x2xf32>
// CHECK:         %[[Y:.+]] = transformer.rotary_embedding %[[X]], %[[CH]], %[[SH]] : tensor<1x2x3x4xf32>, tensor<3x2xf32>
// CHECK-NOT:     transformer.concat
// CHECK:         return %[[Y]]
func.func @rope(%x: tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32> {
  %cos = transformer.constant dense<[[1.0, 0.5, 1.0, 0.5], [0.8, 0.4, 0.8, 0.4], [0.6, 0.3, 0.6, 0.3]]> : tensor<3x4xf32>
  %sin = transformer.constant dense<[[0.0, 0.25, 0.0, 0.25], [0.1, 0.2, 0.1, 0.2], [0.3, 0.1, 0.3, 0.1]]> : tensor<3x4xf32>
  %hi = transformer.slice %x {axes = array<i64: 3>, starts = array<i64: 2>, ends = array<i64: 9223372036854775807>, steps = array<i64: 1>} : tensor<1x2x3x4xf32> -> tensor<1x2x3x2xf32>
  %neg = transformer.neg %hi : tensor<1x2x3x2xf32>
  %lo = transformer.slice %x {axes = array<i64: -1>, starts = array<i64: 0>, ends = array<i64: 2>} : tensor<1x2x3x4xf32> -> tensor<1x2x3x2xf32>
  %rot = transformer.concat %neg, %lo {axis = -1 : i64} : tensor<1x2x3x2xf32>, tensor<1x2x3x2xf32> -> tensor<1x2x3x4xf32>
  %a = transformer.mul %x, %cos : tensor<1x2x3x4xf32>, tensor<3x4xf32> -> tensor<1x2x3x4xf32>
  %b = transformer.mul %sin, %rot : tensor<3x4xf32>, tensor<1x2x3x4xf32> -> tensor<1x2x3x4xf32>
  %y = transformer.add %b, %a : tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32> -> tensor<1x2x3x4xf32>
  return %y : tensor<1x2x3x4xf32>
}

// -----

// Not RoPE-raisable: the table's halves differ, so there is no half table.
// CHECK-LABEL: func.func @no_rope_tables_differ(
// CHECK-NOT:     transformer.rotary_embedding
// CHECK:         transformer.concat
func.func @no_rope_tables_differ(%x: tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32> {
  %cos = transformer.constant dense<[[1.0, 0.5, 1.0, 0.4], [0.8, 0.4, 0.8, 0.4], [0.6, 0.3, 0.6, 0.3]]> : tensor<3x4xf32>
  %sin = transformer.constant dense<[[0.0, 0.25, 0.0, 0.25], [0.1, 0.2, 0.1, 0.2], [0.3, 0.1, 0.3, 0.1]]> : tensor<3x4xf32>
  %hi = transformer.slice %x {axes = array<i64: 3>, starts = array<i64: 2>, ends = array<i64: 4>} : tensor<1x2x3x4xf32> -> tensor<1x2x3x2xf32>
  %neg = transformer.neg %hi : tensor<1x2x3x2xf32>
  %lo = transformer.slice %x {axes = array<i64: 3>, starts = array<i64: 0>, ends = array<i64: 2>} : tensor<1x2x3x4xf32> -> tensor<1x2x3x2xf32>
  %rot = transformer.concat %neg, %lo {axis = 3 : i64} : tensor<1x2x3x2xf32>, tensor<1x2x3x2xf32> -> tensor<1x2x3x4xf32>
  %a = transformer.mul %x, %cos : tensor<1x2x3x4xf32>, tensor<3x4xf32> -> tensor<1x2x3x4xf32>
  %b = transformer.mul %rot, %sin : tensor<1x2x3x4xf32>, tensor<3x4xf32> -> tensor<1x2x3x4xf32>
  %y = transformer.add %a, %b : tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32> -> tensor<1x2x3x4xf32>
  return %y : tensor<1x2x3x4xf32>
}
