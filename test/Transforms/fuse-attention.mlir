// RUN: llm-opt %s --transformer-fuse-attention --split-input-file | FileCheck %s

// Attention subgraphs in the forms PyTorch's exporter emits become one
// transformer.attention; look-alikes stay as they are.

// GPT-2: K^T is transpose(k, [0, 2, 3, 1]) of the head-split keys, division
// by pow(16, 0.5), a constant lower-triangular i1 mask applied with Where and
// finfo.min -> causal, scale 1/4, keys transpose(k, [0, 2, 1, 3]).
// CHECK-LABEL: func.func @gpt2(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<1x2x3x4xf32>, %[[KH:[^:]+]]: tensor<1x3x2x4xf32>, %[[V:[^:]+]]: tensor<1x2x3x4xf32>)
// CHECK:         %[[K:.+]] = transformer.transpose %[[KH]] {permutation = array<i64: 0, 2, 1, 3>}
// CHECK-NEXT:    %[[O:.+]] = transformer.attention %[[Q]], %[[K]], %[[V]] {causal, scale = 2.500000e-01 : f32} : tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32> -> tensor<1x2x3x4xf32>
// CHECK-NEXT:    return %[[O]]
func.func @gpt2(%q: tensor<1x2x3x4xf32>, %kh: tensor<1x3x2x4xf32>, %v: tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32> {
  %tril = transformer.constant dense<[[[[true, false, false], [true, true, false], [true, true, true]]]]> : tensor<1x1x3x3xi1>
  %min = transformer.constant dense<-3.40282347E+38> : tensor<f32>
  %sixteen = transformer.constant dense<16.0> : tensor<f32>
  %half = transformer.constant dense<0.5> : tensor<f32>
  %kt = transformer.transpose %kh {permutation = array<i64: 0, 2, 3, 1>} : tensor<1x3x2x4xf32> -> tensor<1x2x4x3xf32>
  %s = transformer.matmul %q, %kt : tensor<1x2x3x4xf32>, tensor<1x2x4x3xf32> -> tensor<1x2x3x3xf32>
  %c = transformer.pow %sixteen, %half : tensor<f32>, tensor<f32> -> tensor<f32>
  %d = transformer.div %s, %c : tensor<1x2x3x3xf32>, tensor<f32> -> tensor<1x2x3x3xf32>
  %m = transformer.where %tril, %d, %min : tensor<1x1x3x3xi1>, tensor<1x2x3x3xf32>, tensor<f32> -> tensor<1x2x3x3xf32>
  %p = transformer.softmax %m : tensor<1x2x3x3xf32>
  %o = transformer.matmul %p, %v : tensor<1x2x3x3xf32>, tensor<1x2x3x4xf32> -> tensor<1x2x3x4xf32>
  return %o : tensor<1x2x3x4xf32>
}

// -----

// BERT: an additive padding mask from an input (not causal) after scaling
// by a Mul on the scores; K^T = transpose(k, [0, 1, 3, 2]) is unwrapped.
// CHECK-LABEL: func.func @bert(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<2x2x3x4xf32>, %[[K:[^:]+]]: tensor<2x2x3x4xf32>, %[[V:[^:]+]]: tensor<2x2x3x4xf32>, %[[M:[^:]+]]: tensor<2x1x1x3xf32>)
// CHECK-NEXT:    %[[O:.+]] = transformer.attention %[[Q]], %[[K]], %[[V]] mask(%[[M]] : tensor<2x1x1x3xf32>) {scale = 5.000000e-01 : f32}
// CHECK-NEXT:    return %[[O]]
func.func @bert(%q: tensor<2x2x3x4xf32>, %k: tensor<2x2x3x4xf32>, %v: tensor<2x2x3x4xf32>, %mask: tensor<2x1x1x3xf32>) -> tensor<2x2x3x4xf32> {
  %c = transformer.constant dense<0.5> : tensor<f32>
  %kt = transformer.transpose %k {permutation = array<i64: 0, 1, 3, 2>} : tensor<2x2x3x4xf32> -> tensor<2x2x4x3xf32>
  %s = transformer.matmul %q, %kt : tensor<2x2x3x4xf32>, tensor<2x2x4x3xf32> -> tensor<2x2x3x3xf32>
  %d = transformer.mul %c, %s : tensor<f32>, tensor<2x2x3x3xf32> -> tensor<2x2x3x3xf32>
  %a = transformer.add %d, %mask : tensor<2x2x3x3xf32>, tensor<2x1x1x3xf32> -> tensor<2x2x3x3xf32>
  %p = transformer.softmax %a {axis = 3 : i64} : tensor<2x2x3x3xf32>
  %o = transformer.matmul %p, %v : tensor<2x2x3x3xf32>, tensor<2x2x3x4xf32> -> tensor<2x2x3x4xf32>
  return %o : tensor<2x2x3x4xf32>
}

// -----

// LLaMA: grouped-query attention with the KV heads repeated by
// unsqueeze/expand/reshape (4 query heads over 2 KV heads), an additive
// causal mask built as ONNX Trilu imports (where of constants, unsqueezed),
// Q pre-scaled by a Mul before the product.
// CHECK-LABEL: func.func @llama_gqa(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<1x4x3x4xf32>, %[[K:[^:]+]]: tensor<1x2x3x4xf32>, %[[V:[^:]+]]: tensor<1x2x3x4xf32>)
// CHECK-NEXT:    %[[O:.+]] = transformer.attention %[[Q]], %[[K]], %[[V]] {causal, num_kv_heads = 2 : i64, scale = 2.500000e-01 : f32} : tensor<1x4x3x4xf32>, tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32> -> tensor<1x4x3x4xf32>
// CHECK-NEXT:    return %[[O]]
func.func @llama_gqa(%q: tensor<1x4x3x4xf32>, %k: tensor<1x2x3x4xf32>, %v: tensor<1x2x3x4xf32>) -> tensor<1x4x3x4xf32> {
  %upper = transformer.constant dense<[[false, true, true], [false, false, true], [false, false, false]]> : tensor<3x3xi1>
  %full = transformer.constant dense<-3.40282347E+38> : tensor<3x3xf32>
  %zero = transformer.constant dense<0.0> : tensor<f32>
  %c = transformer.constant dense<0.25> : tensor<f32>
  %qs = transformer.mul %q, %c : tensor<1x4x3x4xf32>, tensor<f32> -> tensor<1x4x3x4xf32>
  %ku = transformer.unsqueeze %k {axes = array<i64: 2>} : tensor<1x2x3x4xf32> -> tensor<1x2x1x3x4xf32>
  %ke = transformer.expand %ku : tensor<1x2x1x3x4xf32> -> tensor<1x2x2x3x4xf32>
  %kr = transformer.reshape %ke : tensor<1x2x2x3x4xf32> -> tensor<1x4x3x4xf32>
  %vu = transformer.unsqueeze %v {axes = array<i64: 2>} : tensor<1x2x3x4xf32> -> tensor<1x2x1x3x4xf32>
  %ve = transformer.expand %vu : tensor<1x2x1x3x4xf32> -> tensor<1x2x2x3x4xf32>
  %vr = transformer.reshape %ve : tensor<1x2x2x3x4xf32> -> tensor<1x4x3x4xf32>
  %kt = transformer.transpose %kr {permutation = array<i64: 0, 1, 3, 2>} : tensor<1x4x3x4xf32> -> tensor<1x4x4x3xf32>
  %s = transformer.matmul %qs, %kt : tensor<1x4x3x4xf32>, tensor<1x4x4x3xf32> -> tensor<1x4x3x3xf32>
  %tri = transformer.where %upper, %full, %zero : tensor<3x3xi1>, tensor<3x3xf32>, tensor<f32> -> tensor<3x3xf32>
  %m3 = transformer.unsqueeze %tri {axes = array<i64: 0, 1>} : tensor<3x3xf32> -> tensor<1x1x3x3xf32>
  %a = transformer.add %s, %m3 : tensor<1x4x3x3xf32>, tensor<1x1x3x3xf32> -> tensor<1x4x3x3xf32>
  %p = transformer.softmax %a : tensor<1x4x3x3xf32>
  %o = transformer.matmul %p, %vr : tensor<1x4x3x3xf32>, tensor<1x4x3x4xf32> -> tensor<1x4x3x4xf32>
  return %o : tensor<1x4x3x4xf32>
}

// -----

// A decode step with a KV cache: keys/values are concat(past, new) and also
// returned (present); the causal mask is PyTorch's slice
// bias[:, :, T - S : T, :T] of a lower-triangular buffer, with the offset
// computed and clamped from the dims as the exporter does.
// CHECK-LABEL: func.func @decode_cache(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<1x2x?x4xf32>, %[[K:[^:]+]]: tensor<1x2x?x4xf32>, %[[V:[^:]+]]: tensor<1x2x?x4xf32>, %[[PK:[^:]+]]: tensor<1x2x?x4xf32>, %[[PV:[^:]+]]: tensor<1x2x?x4xf32>)
// CHECK:         %[[O:[^,]+]], %[[PR:.+]]:2 = transformer.attention %[[Q]], %[[K]], %[[V]] past(%[[PK]], %[[PV]] : tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>) {causal, scale = 5.000000e-01 : f32}
// CHECK-NOT:     transformer.softmax
// CHECK:         return %[[O]], %[[PR]]#0, %[[PR]]#1
func.func @decode_cache(%q: tensor<1x2x?x4xf32>, %k: tensor<1x2x?x4xf32>, %v: tensor<1x2x?x4xf32>, %pk: tensor<1x2x?x4xf32>, %pv: tensor<1x2x?x4xf32>) -> (tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>) {
  %buf = transformer.constant dense<[[[[true, false, false, false], [true, true, false, false], [true, true, true, false], [true, true, true, true]]]]> : tensor<1x1x4x4xi1>
  %min = transformer.constant dense<-3.40282347E+38> : tensor<f32>
  %two = transformer.constant dense<2.0> : tensor<f32>
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %keys = transformer.concat %pk, %k {axis = -2 : i64} : tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32> -> tensor<1x2x?x4xf32>
  %values = transformer.concat %pv, %v {axis = 2 : i64} : tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32> -> tensor<1x2x?x4xf32>
  %kt = transformer.transpose %keys {permutation = array<i64: 0, 1, 3, 2>} : tensor<1x2x?x4xf32> -> tensor<1x2x4x?xf32>
  %s = transformer.matmul %q, %kt : tensor<1x2x?x4xf32>, tensor<1x2x4x?xf32> -> tensor<1x2x?x?xf32>
  %d = transformer.div %s, %two : tensor<1x2x?x?xf32>, tensor<f32> -> tensor<1x2x?x?xf32>
  %sq = tensor.dim %q, %c2 : tensor<1x2x?x4xf32>
  %t = tensor.dim %keys, %c2 : tensor<1x2x?x4xf32>
  %off0 = arith.subi %t, %sq : index
  %neg = arith.cmpi slt, %off0, %c0 : index
  %wrap = arith.addi %off0, %c4 : index
  %off1 = arith.select %neg, %wrap, %off0 : index
  %off2 = arith.minsi %off1, %c4 : index
  %off = arith.maxsi %off2, %c0 : index
  %end = arith.minsi %t, %c4 : index
  %rows0 = arith.subi %end, %off : index
  %rows = arith.maxsi %rows0, %c0 : index
  %r = tensor.extract_slice %buf[0, 0, %off, 0] [1, 1, %rows, 4] [1, 1, 1, 1] : tensor<1x1x4x4xi1> to tensor<1x1x?x4xi1>
  %cols = arith.minsi %t, %c4 : index
  %mask = tensor.extract_slice %r[0, 0, 0, 0] [1, 1, %rows, %cols] [1, 1, 1, 1] : tensor<1x1x?x4xi1> to tensor<1x1x?x?xi1>
  %w = transformer.where %mask, %d, %min : tensor<1x1x?x?xi1>, tensor<1x2x?x?xf32>, tensor<f32> -> tensor<1x2x?x?xf32>
  %p = transformer.softmax %w : tensor<1x2x?x?xf32>
  %o = transformer.matmul %p, %values : tensor<1x2x?x?xf32>, tensor<1x2x?x4xf32> -> tensor<1x2x?x4xf32>
  return %o, %keys, %values : tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>
}

// -----

// A boolean mask that is not causal stays a mask operand (-inf for false).
// CHECK-LABEL: func.func @bool_mask(
// CHECK:         transformer.attention %{{.+}}, %{{.+}}, %{{.+}} mask(%{{.+}} : tensor<1x1x3x3xi1>) {scale = 1.000000e+00 : f32}
func.func @bool_mask(%q: tensor<1x2x3x4xf32>, %kt: tensor<1x2x4x3xf32>, %v: tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32> {
  %keep = transformer.constant dense<[[[[true, true, false], [true, true, true], [false, true, true]]]]> : tensor<1x1x3x3xi1>
  %ninf = transformer.constant dense<0xFF800000> : tensor<f32>
  %s = transformer.matmul %q, %kt : tensor<1x2x3x4xf32>, tensor<1x2x4x3xf32> -> tensor<1x2x3x3xf32>
  %m = transformer.where %keep, %s, %ninf : tensor<1x1x3x3xi1>, tensor<1x2x3x3xf32>, tensor<f32> -> tensor<1x2x3x3xf32>
  %p = transformer.softmax %m : tensor<1x2x3x3xf32>
  %o = transformer.matmul %p, %v : tensor<1x2x3x3xf32>, tensor<1x2x3x4xf32> -> tensor<1x2x3x4xf32>
  return %o : tensor<1x2x3x4xf32>
}

// -----

// Not attention: softmax over the query axis.
// CHECK-LABEL: func.func @softmax_other_axis(
// CHECK-NOT:     transformer.attention
// CHECK:         transformer.softmax
func.func @softmax_other_axis(%q: tensor<1x2x3x4xf32>, %kt: tensor<1x2x4x3xf32>, %v: tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32> {
  %s = transformer.matmul %q, %kt : tensor<1x2x3x4xf32>, tensor<1x2x4x3xf32> -> tensor<1x2x3x3xf32>
  %p = transformer.softmax %s {axis = 2 : i64} : tensor<1x2x3x3xf32>
  %o = transformer.matmul %p, %v : tensor<1x2x3x3xf32>, tensor<1x2x3x4xf32> -> tensor<1x2x3x4xf32>
  return %o : tensor<1x2x3x4xf32>
}

// -----

// Not fused: the mask broadcasts the scores to a larger shape (batch 2 from
// scores of batch 1).
// CHECK-LABEL: func.func @mask_enlarges_scores(
// CHECK-NOT:     transformer.attention
// CHECK:         transformer.softmax
func.func @mask_enlarges_scores(%q: tensor<1x2x3x4xf32>, %kt: tensor<1x2x4x3xf32>, %v: tensor<1x2x3x4xf32>, %mask: tensor<2x1x3x3xf32>) -> tensor<2x2x3x4xf32> {
  %s = transformer.matmul %q, %kt : tensor<1x2x3x4xf32>, tensor<1x2x4x3xf32> -> tensor<1x2x3x3xf32>
  %a = transformer.add %s, %mask : tensor<1x2x3x3xf32>, tensor<2x1x3x3xf32> -> tensor<2x2x3x3xf32>
  %p = transformer.softmax %a : tensor<2x2x3x3xf32>
  %o = transformer.matmul %p, %v : tensor<2x2x3x3xf32>, tensor<1x2x3x4xf32> -> tensor<2x2x3x4xf32>
  return %o : tensor<2x2x3x4xf32>
}

// -----

// Not fused: the probabilities are also returned, the scale is applied after
// adding a (non-causal) mask, and a Where fills with 0 instead of masking.
// CHECK-LABEL: func.func @look_alikes(
// CHECK-NOT:     transformer.attention
// CHECK-COUNT-3: transformer.softmax
func.func @look_alikes(%q: tensor<1x2x3x4xf32>, %kt: tensor<1x2x4x3xf32>, %v: tensor<1x2x3x4xf32>, %mask: tensor<1x1x3x3xf32>, %keep: tensor<1x1x3x3xi1>) -> (tensor<1x2x3x4xf32>, tensor<1x2x3x3xf32>, tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>) {
  %c = transformer.constant dense<0.5> : tensor<f32>
  %zero = transformer.constant dense<0.0> : tensor<f32>
  %s = transformer.matmul %q, %kt : tensor<1x2x3x4xf32>, tensor<1x2x4x3xf32> -> tensor<1x2x3x3xf32>
  %p = transformer.softmax %s : tensor<1x2x3x3xf32>
  %o = transformer.matmul %p, %v : tensor<1x2x3x3xf32>, tensor<1x2x3x4xf32> -> tensor<1x2x3x4xf32>
  %s2 = transformer.matmul %q, %kt : tensor<1x2x3x4xf32>, tensor<1x2x4x3xf32> -> tensor<1x2x3x3xf32>
  %a2 = transformer.add %s2, %mask : tensor<1x2x3x3xf32>, tensor<1x1x3x3xf32> -> tensor<1x2x3x3xf32>
  %m2 = transformer.mul %a2, %c : tensor<1x2x3x3xf32>, tensor<f32> -> tensor<1x2x3x3xf32>
  %p2 = transformer.softmax %m2 : tensor<1x2x3x3xf32>
  %o2 = transformer.matmul %p2, %v : tensor<1x2x3x3xf32>, tensor<1x2x3x4xf32> -> tensor<1x2x3x4xf32>
  %s3 = transformer.matmul %q, %kt : tensor<1x2x3x4xf32>, tensor<1x2x4x3xf32> -> tensor<1x2x3x3xf32>
  %w3 = transformer.where %keep, %s3, %zero : tensor<1x1x3x3xi1>, tensor<1x2x3x3xf32>, tensor<f32> -> tensor<1x2x3x3xf32>
  %p3 = transformer.softmax %w3 : tensor<1x2x3x3xf32>
  %o3 = transformer.matmul %p3, %v : tensor<1x2x3x3xf32>, tensor<1x2x3x4xf32> -> tensor<1x2x3x4xf32>
  return %o, %p, %o2, %o3 : tensor<1x2x3x4xf32>, tensor<1x2x3x3xf32>, tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>
}
