// RUN: llm-opt %s --transformer-raise-patterns --split-input-file | FileCheck %s

// Rotary embeddings in the forms exporters produce besides rotate-half with
// constant tables (raise-patterns.mlir): interleaved (GPT-J's
// rotate_every_two), tables computed at run time, partial rotary; and
// look-alikes that must stay as they are. The models these come from are
// tested end to end against PyTorch in pytorch-gptj-block.test and
// pytorch-neox-block.test.

// Interleaved with constant tables that repeat every element twice: the
// per-pair tables are the even columns.
// CHECK-LABEL: func.func @rope_interleaved(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<1x2x3x4xf32>)
// CHECK:         %[[CH:.+]] = transformer.slice %{{.+}} {axes = array<i64: 1>, ends = array<i64: 4>, starts = array<i64: 0>, steps = array<i64: 2>} : tensor<3x4xf32> -> tensor<3x2xf32>
// CHECK:         %[[SH:.+]] = transformer.slice %{{.+}} {axes = array<i64: 1>, ends = array<i64: 4>, starts = array<i64: 0>, steps = array<i64: 2>} : tensor<3x4xf32> -> tensor<3x2xf32>
// CHECK:         %[[Y:.+]] = transformer.rotary_embedding %[[X]], %[[CH]], %[[SH]] mode = {{ *}}interleaved : tensor<1x2x3x4xf32>, tensor<3x2xf32>
// CHECK-NOT:     transformer.concat
// CHECK:         return %[[Y]]
func.func @rope_interleaved(%x: tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32> {
  %cos = transformer.constant dense<[[1.0, 1.0, 0.5, 0.5], [0.8, 0.8, 0.4, 0.4], [0.6, 0.6, 0.3, 0.3]]> : tensor<3x4xf32>
  %sin = transformer.constant dense<[[0.0, 0.0, 0.25, 0.25], [0.1, 0.1, 0.2, 0.2], [0.3, 0.3, 0.1, 0.1]]> : tensor<3x4xf32>
  %even = transformer.slice %x {axes = array<i64: 3>, starts = array<i64: 0>, ends = array<i64: 9223372036854775807>, steps = array<i64: 2>} : tensor<1x2x3x4xf32> -> tensor<1x2x3x2xf32>
  %odd = transformer.slice %x {axes = array<i64: 3>, starts = array<i64: 1>, ends = array<i64: 9223372036854775807>, steps = array<i64: 2>} : tensor<1x2x3x4xf32> -> tensor<1x2x3x2xf32>
  %neg = transformer.neg %odd : tensor<1x2x3x2xf32>
  %u0 = transformer.unsqueeze %neg {axes = array<i64: -1>} : tensor<1x2x3x2xf32> -> tensor<1x2x3x2x1xf32>
  %u1 = transformer.unsqueeze %even {axes = array<i64: -1>} : tensor<1x2x3x2xf32> -> tensor<1x2x3x2x1xf32>
  %st = transformer.concat %u0, %u1 {axis = -1 : i64} : tensor<1x2x3x2x1xf32>, tensor<1x2x3x2x1xf32> -> tensor<1x2x3x2x2xf32>
  %rot = transformer.reshape %st : tensor<1x2x3x2x2xf32> -> tensor<1x2x3x4xf32>
  %a = transformer.mul %x, %cos : tensor<1x2x3x4xf32>, tensor<3x4xf32> -> tensor<1x2x3x4xf32>
  %b = transformer.mul %rot, %sin : tensor<1x2x3x4xf32>, tensor<3x4xf32> -> tensor<1x2x3x4xf32>
  %y = transformer.add %a, %b : tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32> -> tensor<1x2x3x4xf32>
  return %y : tensor<1x2x3x4xf32>
}

// -----

// Interleaved, partial (the first 4 of 6 dims), with tables computed at run
// time from angles by repeat_interleave (unsqueeze, expand, reshape) and
// cos/sin: one op with rotary_dim = 4.
// CHECK-LABEL: func.func @rope_interleaved_partial_runtime(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<1x3x2x6xf32>
// CHECK:         %[[Y:.+]] = transformer.rotary_embedding %[[X]], %{{.+}}, %{{.+}} mode = {{ *}}interleaved {rotary_dim = 4 : i64} : tensor<1x3x2x6xf32>, tensor<3x1x2xf32>
// CHECK-NOT:     transformer.concat
// CHECK:         return %[[Y]]
func.func @rope_interleaved_partial_runtime(%x: tensor<1x3x2x6xf32>, %angles: tensor<3x1x2xf32>) -> tensor<1x3x2x6xf32> {
  %u = transformer.unsqueeze %angles {axes = array<i64: 3>} : tensor<3x1x2xf32> -> tensor<3x1x2x1xf32>
  %e = transformer.expand %u : tensor<3x1x2x1xf32> -> tensor<3x1x2x2xf32>
  %rep = transformer.reshape %e : tensor<3x1x2x2xf32> -> tensor<3x1x4xf32>
  %cos = transformer.cos %rep : tensor<3x1x4xf32>
  %sin = transformer.sin %rep : tensor<3x1x4xf32>
  %r = transformer.slice %x {axes = array<i64: 3>, starts = array<i64: 0>, ends = array<i64: 4>, steps = array<i64: 1>} : tensor<1x3x2x6xf32> -> tensor<1x3x2x4xf32>
  %p = transformer.slice %x {axes = array<i64: 3>, starts = array<i64: 4>, ends = array<i64: 9223372036854775807>, steps = array<i64: 1>} : tensor<1x3x2x6xf32> -> tensor<1x3x2x2xf32>
  %even = transformer.slice %r {axes = array<i64: 3>, starts = array<i64: 0>, ends = array<i64: 9223372036854775807>, steps = array<i64: 2>} : tensor<1x3x2x4xf32> -> tensor<1x3x2x2xf32>
  %odd = transformer.slice %r {axes = array<i64: 3>, starts = array<i64: 1>, ends = array<i64: 9223372036854775807>, steps = array<i64: 2>} : tensor<1x3x2x4xf32> -> tensor<1x3x2x2xf32>
  %u0 = transformer.unsqueeze %odd {axes = array<i64: -1>} : tensor<1x3x2x2xf32> -> tensor<1x3x2x2x1xf32>
  %neg = transformer.neg %u0 : tensor<1x3x2x2x1xf32>
  %u1 = transformer.unsqueeze %even {axes = array<i64: -1>} : tensor<1x3x2x2xf32> -> tensor<1x3x2x2x1xf32>
  %st = transformer.concat %neg, %u1 {axis = 4 : i64} : tensor<1x3x2x2x1xf32>, tensor<1x3x2x2x1xf32> -> tensor<1x3x2x2x2xf32>
  %rot = transformer.reshape %st : tensor<1x3x2x2x2xf32> -> tensor<1x3x2x4xf32>
  %a = transformer.mul %r, %cos : tensor<1x3x2x4xf32>, tensor<3x1x4xf32> -> tensor<1x3x2x4xf32>
  %b = transformer.mul %sin, %rot : tensor<3x1x4xf32>, tensor<1x3x2x4xf32> -> tensor<1x3x2x4xf32>
  %s = transformer.add %b, %a : tensor<1x3x2x4xf32>, tensor<1x3x2x4xf32> -> tensor<1x3x2x4xf32>
  %y = transformer.concat %s, %p {axis = -1 : i64} : tensor<1x3x2x4xf32>, tensor<1x3x2x2xf32> -> tensor<1x3x2x6xf32>
  return %y : tensor<1x3x2x6xf32>
}

// -----

// Rotate-half, partial, with run-time tables cos/sin(cat(f, f)) scaled by a
// constant (Hugging Face's attention_scaling).
// CHECK-LABEL: func.func @rope_half_partial_runtime(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<1x2x3x8xf32>
// CHECK:         %[[Y:.+]] = transformer.rotary_embedding %[[X]], %{{.+}}, %{{.+}} {rotary_dim = 4 : i64} : tensor<1x2x3x8xf32>, tensor<1x1x3x2xf32>
// CHECK-NOT:     transformer.concat
// CHECK:         return %[[Y]]
func.func @rope_half_partial_runtime(%x: tensor<1x2x3x8xf32>, %f: tensor<1x3x2xf32>) -> tensor<1x2x3x8xf32> {
  %emb = transformer.concat %f, %f {axis = -1 : i64} : tensor<1x3x2xf32>, tensor<1x3x2xf32> -> tensor<1x3x4xf32>
  %c0 = transformer.cos %emb : tensor<1x3x4xf32>
  %s0 = transformer.sin %emb : tensor<1x3x4xf32>
  %k = transformer.constant dense<1.5> : tensor<f32>
  %c1 = transformer.mul %c0, %k : tensor<1x3x4xf32>, tensor<f32> -> tensor<1x3x4xf32>
  %s1 = transformer.mul %s0, %k : tensor<1x3x4xf32>, tensor<f32> -> tensor<1x3x4xf32>
  %cos = transformer.unsqueeze %c1 {axes = array<i64: 1>} : tensor<1x3x4xf32> -> tensor<1x1x3x4xf32>
  %sin = transformer.unsqueeze %s1 {axes = array<i64: 1>} : tensor<1x3x4xf32> -> tensor<1x1x3x4xf32>
  %r = transformer.slice %x {axes = array<i64: 3>, starts = array<i64: 0>, ends = array<i64: 4>, steps = array<i64: 1>} : tensor<1x2x3x8xf32> -> tensor<1x2x3x4xf32>
  %p = transformer.slice %x {axes = array<i64: 3>, starts = array<i64: 4>, ends = array<i64: 9223372036854775807>, steps = array<i64: 1>} : tensor<1x2x3x8xf32> -> tensor<1x2x3x4xf32>
  %hi = transformer.slice %r {axes = array<i64: 3>, starts = array<i64: 2>, ends = array<i64: 4>, steps = array<i64: 1>} : tensor<1x2x3x4xf32> -> tensor<1x2x3x2xf32>
  %neg = transformer.neg %hi : tensor<1x2x3x2xf32>
  %lo = transformer.slice %r {axes = array<i64: 3>, starts = array<i64: 0>, ends = array<i64: 2>, steps = array<i64: 1>} : tensor<1x2x3x4xf32> -> tensor<1x2x3x2xf32>
  %rot = transformer.concat %neg, %lo {axis = -1 : i64} : tensor<1x2x3x2xf32>, tensor<1x2x3x2xf32> -> tensor<1x2x3x4xf32>
  %a = transformer.mul %r, %cos : tensor<1x2x3x4xf32>, tensor<1x1x3x4xf32> -> tensor<1x2x3x4xf32>
  %b = transformer.mul %rot, %sin : tensor<1x2x3x4xf32>, tensor<1x1x3x4xf32> -> tensor<1x2x3x4xf32>
  %s = transformer.add %a, %b : tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32> -> tensor<1x2x3x4xf32>
  %y = transformer.concat %s, %p {axis = 3 : i64} : tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32> -> tensor<1x2x3x8xf32>
  return %y : tensor<1x2x3x8xf32>
}

// -----

// Not raisable: rotate_every_two with tables that repeat their halves
// (cat(f, f)) instead of every element: the pairs would get wrong angles.
// CHECK-LABEL: func.func @no_rope_interleaved_half_tables(
// CHECK-NOT:     transformer.rotary_embedding
// CHECK:         return
func.func @no_rope_interleaved_half_tables(%x: tensor<1x2x3x4xf32>, %f: tensor<3x2xf32>) -> tensor<1x2x3x4xf32> {
  %emb = transformer.concat %f, %f {axis = 1 : i64} : tensor<3x2xf32>, tensor<3x2xf32> -> tensor<3x4xf32>
  %cos = transformer.cos %emb : tensor<3x4xf32>
  %sin = transformer.sin %emb : tensor<3x4xf32>
  %even = transformer.slice %x {axes = array<i64: 3>, starts = array<i64: 0>, ends = array<i64: 4>, steps = array<i64: 2>} : tensor<1x2x3x4xf32> -> tensor<1x2x3x2xf32>
  %odd = transformer.slice %x {axes = array<i64: 3>, starts = array<i64: 1>, ends = array<i64: 4>, steps = array<i64: 2>} : tensor<1x2x3x4xf32> -> tensor<1x2x3x2xf32>
  %neg = transformer.neg %odd : tensor<1x2x3x2xf32>
  %u0 = transformer.unsqueeze %neg {axes = array<i64: -1>} : tensor<1x2x3x2xf32> -> tensor<1x2x3x2x1xf32>
  %u1 = transformer.unsqueeze %even {axes = array<i64: -1>} : tensor<1x2x3x2xf32> -> tensor<1x2x3x2x1xf32>
  %st = transformer.concat %u0, %u1 {axis = -1 : i64} : tensor<1x2x3x2x1xf32>, tensor<1x2x3x2x1xf32> -> tensor<1x2x3x2x2xf32>
  %rot = transformer.reshape %st : tensor<1x2x3x2x2xf32> -> tensor<1x2x3x4xf32>
  %a = transformer.mul %x, %cos : tensor<1x2x3x4xf32>, tensor<3x4xf32> -> tensor<1x2x3x4xf32>
  %b = transformer.mul %rot, %sin : tensor<1x2x3x4xf32>, tensor<3x4xf32> -> tensor<1x2x3x4xf32>
  %y = transformer.add %a, %b : tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32> -> tensor<1x2x3x4xf32>
  return %y : tensor<1x2x3x4xf32>
}

// -----

// Not raisable: the negation is on the even elements (stack(x1, -x2) is a
// rotation the other way); and run-time tables of unknown layout.
// CHECK-LABEL: func.func @no_rope_wrong_sign(
// CHECK-NOT:     transformer.rotary_embedding
// CHECK:         return
func.func @no_rope_wrong_sign(%x: tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32> {
  %cos = transformer.constant dense<[[1.0, 1.0, 0.5, 0.5], [0.8, 0.8, 0.4, 0.4], [0.6, 0.6, 0.3, 0.3]]> : tensor<3x4xf32>
  %sin = transformer.constant dense<[[0.0, 0.0, 0.25, 0.25], [0.1, 0.1, 0.2, 0.2], [0.3, 0.3, 0.1, 0.1]]> : tensor<3x4xf32>
  %even = transformer.slice %x {axes = array<i64: 3>, starts = array<i64: 0>, ends = array<i64: 4>, steps = array<i64: 2>} : tensor<1x2x3x4xf32> -> tensor<1x2x3x2xf32>
  %odd = transformer.slice %x {axes = array<i64: 3>, starts = array<i64: 1>, ends = array<i64: 4>, steps = array<i64: 2>} : tensor<1x2x3x4xf32> -> tensor<1x2x3x2xf32>
  %neg = transformer.neg %even : tensor<1x2x3x2xf32>
  %u0 = transformer.unsqueeze %odd {axes = array<i64: -1>} : tensor<1x2x3x2xf32> -> tensor<1x2x3x2x1xf32>
  %u1 = transformer.unsqueeze %neg {axes = array<i64: -1>} : tensor<1x2x3x2xf32> -> tensor<1x2x3x2x1xf32>
  %st = transformer.concat %u0, %u1 {axis = -1 : i64} : tensor<1x2x3x2x1xf32>, tensor<1x2x3x2x1xf32> -> tensor<1x2x3x2x2xf32>
  %rot = transformer.reshape %st : tensor<1x2x3x2x2xf32> -> tensor<1x2x3x4xf32>
  %a = transformer.mul %x, %cos : tensor<1x2x3x4xf32>, tensor<3x4xf32> -> tensor<1x2x3x4xf32>
  %b = transformer.mul %rot, %sin : tensor<1x2x3x4xf32>, tensor<3x4xf32> -> tensor<1x2x3x4xf32>
  %y = transformer.add %a, %b : tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32> -> tensor<1x2x3x4xf32>
  return %y : tensor<1x2x3x4xf32>
}

// CHECK-LABEL: func.func @no_rope_unknown_tables(
// CHECK-NOT:     transformer.rotary_embedding
// CHECK:         return
func.func @no_rope_unknown_tables(%x: tensor<1x2x3x4xf32>, %cos: tensor<3x4xf32>, %sin: tensor<3x4xf32>) -> tensor<1x2x3x4xf32> {
  %hi = transformer.slice %x {axes = array<i64: 3>, starts = array<i64: 2>, ends = array<i64: 4>, steps = array<i64: 1>} : tensor<1x2x3x4xf32> -> tensor<1x2x3x2xf32>
  %neg = transformer.neg %hi : tensor<1x2x3x2xf32>
  %lo = transformer.slice %x {axes = array<i64: 3>, starts = array<i64: 0>, ends = array<i64: 2>, steps = array<i64: 1>} : tensor<1x2x3x4xf32> -> tensor<1x2x3x2xf32>
  %rot = transformer.concat %neg, %lo {axis = -1 : i64} : tensor<1x2x3x2xf32>, tensor<1x2x3x2xf32> -> tensor<1x2x3x4xf32>
  %a = transformer.mul %x, %cos : tensor<1x2x3x4xf32>, tensor<3x4xf32> -> tensor<1x2x3x4xf32>
  %b = transformer.mul %rot, %sin : tensor<1x2x3x4xf32>, tensor<3x4xf32> -> tensor<1x2x3x4xf32>
  %y = transformer.add %a, %b : tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32> -> tensor<1x2x3x4xf32>
  return %y : tensor<1x2x3x4xf32>
}

// -----

// Partial rotary only when the pass-through part is the rest of the same
// tensor: here it comes from another tensor, so the rotary op stays on the
// slice and the concat stays.
// CHECK-LABEL: func.func @no_partial_other_tensor(
// CHECK:         transformer.rotary_embedding %{{.+}} : tensor<1x2x3x4xf32>, tensor<3x2xf32>
// CHECK-NOT:     rotary_dim
// CHECK:         transformer.concat
func.func @no_partial_other_tensor(%x: tensor<1x2x3x8xf32>, %z: tensor<1x2x3x8xf32>, %f: tensor<3x2xf32>) -> tensor<1x2x3x8xf32> {
  %emb = transformer.concat %f, %f {axis = 1 : i64} : tensor<3x2xf32>, tensor<3x2xf32> -> tensor<3x4xf32>
  %cos = transformer.cos %emb : tensor<3x4xf32>
  %sin = transformer.sin %emb : tensor<3x4xf32>
  %r = transformer.slice %x {axes = array<i64: 3>, starts = array<i64: 0>, ends = array<i64: 4>, steps = array<i64: 1>} : tensor<1x2x3x8xf32> -> tensor<1x2x3x4xf32>
  %p = transformer.slice %z {axes = array<i64: 3>, starts = array<i64: 4>, ends = array<i64: 8>, steps = array<i64: 1>} : tensor<1x2x3x8xf32> -> tensor<1x2x3x4xf32>
  %hi = transformer.slice %r {axes = array<i64: 3>, starts = array<i64: 2>, ends = array<i64: 4>, steps = array<i64: 1>} : tensor<1x2x3x4xf32> -> tensor<1x2x3x2xf32>
  %neg = transformer.neg %hi : tensor<1x2x3x2xf32>
  %lo = transformer.slice %r {axes = array<i64: 3>, starts = array<i64: 0>, ends = array<i64: 2>, steps = array<i64: 1>} : tensor<1x2x3x4xf32> -> tensor<1x2x3x2xf32>
  %rot = transformer.concat %neg, %lo {axis = -1 : i64} : tensor<1x2x3x2xf32>, tensor<1x2x3x2xf32> -> tensor<1x2x3x4xf32>
  %a = transformer.mul %r, %cos : tensor<1x2x3x4xf32>, tensor<3x4xf32> -> tensor<1x2x3x4xf32>
  %b = transformer.mul %rot, %sin : tensor<1x2x3x4xf32>, tensor<3x4xf32> -> tensor<1x2x3x4xf32>
  %s = transformer.add %a, %b : tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32> -> tensor<1x2x3x4xf32>
  %y = transformer.concat %s, %p {axis = 3 : i64} : tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32> -> tensor<1x2x3x8xf32>
  return %y : tensor<1x2x3x8xf32>
}
