// Lowering of the transformer shape ops to tensor/linalg ops: reshapes to
// collapse_shape/expand_shape (directly when the reassociation is provably
// right, else through 1-D), transpose to linalg.transpose, concat to
// tensor.concat, slice/split to extract_slice with ONNX start clamping,
// expand to linalg.broadcast, squeeze/unsqueeze to collapse/expand_shape and
// gather to a generic with tensor.extract.
// RUN: llm-opt %s --convert-transformer-to-linalg --split-input-file | FileCheck %s

// Splitting heads: the dynamic sizes are the input's own dims, so each
// group is provably right and one expand_shape does it.
// CHECK-LABEL: func.func @reshape_split_heads
// CHECK-SAME: ([[X:%.+]]: tensor<?x?x768xf32>)
func.func @reshape_split_heads(%x: tensor<?x?x768xf32>) -> tensor<?x?x12x64xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // CHECK: [[B:%.+]] = tensor.dim [[X]], {{%.+}}
  // CHECK: [[S:%.+]] = tensor.dim [[X]], {{%.+}}
  // CHECK: [[R:%.+]] = tensor.expand_shape [[X]] {{\[}}[0], [1], [2, 3]] output_shape {{\[}}[[B]], [[S]], 12, 64] : tensor<?x?x768xf32> into tensor<?x?x12x64xf32>
  // CHECK: return [[R]]
  %b = tensor.dim %x, %c0 : tensor<?x?x768xf32>
  %s = tensor.dim %x, %c1 : tensor<?x?x768xf32>
  %r = transformer.reshape %x [%b, %s] : tensor<?x?x768xf32> -> tensor<?x?x12x64xf32>
  return %r : tensor<?x?x12x64xf32>
}

// -----

// Merging heads: one dynamic group whose size is not provably the input's
// dim is still right (the element counts agree).
// CHECK-LABEL: func.func @reshape_merge_heads
// CHECK-SAME: ([[X:%.+]]: tensor<?x12x64xf32>, [[N:%.+]]: index)
func.func @reshape_merge_heads(%x: tensor<?x12x64xf32>, %n: index) -> tensor<?x768xf32> {
  // CHECK: [[R:%.+]] = tensor.collapse_shape [[X]] {{\[}}[0], [1, 2]] : tensor<?x12x64xf32> into tensor<?x768xf32>
  // CHECK: return [[R]]
  %r = transformer.reshape %x [%n] : tensor<?x12x64xf32> -> tensor<?x768xf32>
  return %r : tensor<?x768xf32>
}

// -----

// Two dynamic groups with sizes from elsewhere cannot be proven (e.g. 2x3x4
// -> 4x6): collapse to 1-D, then expand with the given sizes.
// CHECK-LABEL: func.func @reshape_through_1d
// CHECK-SAME: ([[X:%.+]]: tensor<?x?x4xf32>, [[A:%.+]]: index, [[B:%.+]]: index)
func.func @reshape_through_1d(%x: tensor<?x?x4xf32>, %a: index, %b: index) -> tensor<?x?xf32> {
  // CHECK: [[F:%.+]] = tensor.collapse_shape [[X]] {{\[}}[0, 1, 2]] : tensor<?x?x4xf32> into tensor<?xf32>
  // CHECK: [[R:%.+]] = tensor.expand_shape [[F]] {{\[}}[0, 1]] output_shape {{\[}}[[A]], [[B]]] : tensor<?xf32> into tensor<?x?xf32>
  // CHECK: return [[R]]
  %r = transformer.reshape %x [%a, %b] : tensor<?x?x4xf32> -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// -----

// Static shapes without a reassociation (2x6 -> 3x4) also go through 1-D.
// CHECK-LABEL: func.func @reshape_static
// CHECK-SAME: ([[X:%.+]]: tensor<2x6xf32>)
func.func @reshape_static(%x: tensor<2x6xf32>) -> tensor<3x4xf32> {
  // CHECK: [[F:%.+]] = tensor.collapse_shape [[X]] {{\[}}[0, 1]] : tensor<2x6xf32> into tensor<12xf32>
  // CHECK: [[R:%.+]] = tensor.expand_shape [[F]] {{\[}}[0, 1]] output_shape [3, 4] : tensor<12xf32> into tensor<3x4xf32>
  // CHECK: return [[R]]
  %r = transformer.reshape %x : tensor<2x6xf32> -> tensor<3x4xf32>
  return %r : tensor<3x4xf32>
}

// -----

// Same rank, one dim refined: a tensor.cast.
// CHECK-LABEL: func.func @reshape_refine
// CHECK-SAME: ([[X:%.+]]: tensor<?x6xf32>)
func.func @reshape_refine(%x: tensor<?x6xf32>) -> tensor<4x6xf32> {
  // CHECK: [[R:%.+]] = tensor.cast [[X]] : tensor<?x6xf32> to tensor<4x6xf32>
  // CHECK: return [[R]]
  %r = transformer.reshape %x : tensor<?x6xf32> -> tensor<4x6xf32>
  return %r : tensor<4x6xf32>
}

// -----

// The collapse_shape verifier wants a dynamic collapsed dim for a group with
// a dynamic dim (and a static one for a static group): casts adapt.
// CHECK-LABEL: func.func @reshape_casts
// CHECK-SAME: ([[X:%.+]]: tensor<?x4xf32>, [[Y:%.+]]: tensor<?xf32>)
func.func @reshape_casts(%x: tensor<?x4xf32>, %y: tensor<?xf32>) -> (tensor<8xf32>, tensor<2x4xf32>) {
  // CHECK: [[C:%.+]] = tensor.collapse_shape [[X]] {{\[}}[0, 1]] : tensor<?x4xf32> into tensor<?xf32>
  // CHECK: [[R:%.+]] = tensor.cast [[C]] : tensor<?xf32> to tensor<8xf32>
  %r = transformer.reshape %x : tensor<?x4xf32> -> tensor<8xf32>
  // CHECK: [[S:%.+]] = tensor.cast [[Y]] : tensor<?xf32> to tensor<8xf32>
  // CHECK: [[E:%.+]] = tensor.expand_shape [[S]] {{\[}}[0, 1]] output_shape [2, 4] : tensor<8xf32> into tensor<2x4xf32>
  // CHECK: return [[R]], [[E]]
  %e = transformer.reshape %y : tensor<?xf32> -> tensor<2x4xf32>
  return %r, %e : tensor<8xf32>, tensor<2x4xf32>
}

// -----

// Scalars: expand from / collapse to rank 0 with an empty reassociation.
// CHECK-LABEL: func.func @reshape_scalar
// CHECK-SAME: ([[S:%.+]]: tensor<f32>, [[X:%.+]]: tensor<?x1xf32>)
func.func @reshape_scalar(%s: tensor<f32>, %x: tensor<?x1xf32>) -> (tensor<1x1xf32>, tensor<f32>) {
  // CHECK: [[E:%.+]] = tensor.expand_shape [[S]] [] output_shape [1, 1] : tensor<f32> into tensor<1x1xf32>
  %e = transformer.reshape %s : tensor<f32> -> tensor<1x1xf32>
  // CHECK: [[C:%.+]] = tensor.cast [[X]] : tensor<?x1xf32> to tensor<1x1xf32>
  // CHECK: [[R:%.+]] = tensor.collapse_shape [[C]] [] : tensor<1x1xf32> into tensor<f32>
  // CHECK: return [[E]], [[R]]
  %r = transformer.reshape %x : tensor<?x1xf32> -> tensor<f32>
  return %e, %r : tensor<1x1xf32>, tensor<f32>
}

// -----

// A dynamic result of a scalar is 1 at run time: expand to 1s, then cast.
// CHECK-LABEL: func.func @reshape_scalar_dynamic
// CHECK-SAME: ([[S:%.+]]: tensor<f32>, [[N:%.+]]: index)
func.func @reshape_scalar_dynamic(%s: tensor<f32>, %n: index) -> tensor<?xf32> {
  // CHECK: [[E:%.+]] = tensor.expand_shape [[S]] [] output_shape [1] : tensor<f32> into tensor<1xf32>
  // CHECK: [[R:%.+]] = tensor.cast [[E]] : tensor<1xf32> to tensor<?xf32>
  // CHECK: return [[R]]
  %r = transformer.reshape %s [%n] : tensor<f32> -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// -----

// CHECK-LABEL: func.func @transpose
// CHECK-SAME: ([[X:%.+]]: tensor<?x?x12x64xf32>)
func.func @transpose(%x: tensor<?x?x12x64xf32>) -> tensor<?x12x?x64xf32> {
  // CHECK-DAG: [[B:%.+]] = tensor.dim [[X]], {{%.+}}
  // CHECK-DAG: [[S:%.+]] = tensor.dim [[X]], {{%.+}}
  // CHECK: [[INIT:%.+]] = tensor.empty([[B]], [[S]]) : tensor<?x12x?x64xf32>
  // CHECK: [[T:%.+]] = linalg.transpose ins([[X]] : tensor<?x?x12x64xf32>) outs([[INIT]] : tensor<?x12x?x64xf32>) permutation = [0, 2, 1, 3]
  // CHECK: return [[T]]
  %t = transformer.transpose %x {permutation = array<i64: 0, 2, 1, 3>} : tensor<?x?x12x64xf32> -> tensor<?x12x?x64xf32>
  return %t : tensor<?x12x?x64xf32>
}

// -----

// CHECK-LABEL: func.func @concat
// CHECK-SAME: ([[P:%.+]]: tensor<1x12x?x64xf32>, [[N:%.+]]: tensor<1x12x1x64xf32>, [[A:%.+]]: tensor<?x3xf32>, [[B:%.+]]: tensor<2x?xf32>)
func.func @concat(%past: tensor<1x12x?x64xf32>, %new: tensor<1x12x1x64xf32>, %a: tensor<?x3xf32>, %b: tensor<2x?xf32>) -> (tensor<1x12x?x64xf32>, tensor<2x?xf32>) {
  // CHECK: [[KV:%.+]] = tensor.concat dim(2) [[P]], [[N]] : (tensor<1x12x?x64xf32>, tensor<1x12x1x64xf32>) -> tensor<1x12x?x64xf32>
  %kv = transformer.concat %past, %new {axis = -2} : tensor<1x12x?x64xf32>, tensor<1x12x1x64xf32> -> tensor<1x12x?x64xf32>
  // CHECK: [[AB:%.+]] = tensor.concat dim(1) [[A]], [[B]] : (tensor<?x3xf32>, tensor<2x?xf32>) -> tensor<2x?xf32>
  // CHECK: return [[KV]], [[AB]]
  %ab = transformer.concat %a, %b {axis = 1} : tensor<?x3xf32>, tensor<2x?xf32> -> tensor<2x?xf32>
  return %kv, %ab : tensor<1x12x?x64xf32>, tensor<2x?xf32>
}

// -----

// Static dims: starts clamp at compile time (-3 of 10 is 7); steps become
// strides. A start of 20 clamps to 10: an empty result, which needs no
// slice (extract_slice rejects a static offset at the end of the dim).
// CHECK-LABEL: func.func @slice_static
// CHECK-SAME: ([[X:%.+]]: tensor<8x10x64xf32>)
func.func @slice_static(%x: tensor<8x10x64xf32>) -> (tensor<4x3x32xf32>, tensor<8x0x64xf32>) {
  // CHECK: [[S:%.+]] = tensor.extract_slice [[X]][0, 7, 32] [4, 3, 32] [2, 1, 1] : tensor<8x10x64xf32> to tensor<4x3x32xf32>
  %s = transformer.slice %x {axes = array<i64: -1, 0, 1>, starts = array<i64: 32, 0, -3>,
                             ends = array<i64: 9223372036854775807, 8, 9223372036854775807>,
                             steps = array<i64: 1, 2, 1>} : tensor<8x10x64xf32> -> tensor<4x3x32xf32>
  // CHECK: [[E:%.+]] = tensor.empty() : tensor<8x0x64xf32>
  // CHECK: return [[S]], [[E]]
  %e = transformer.slice %x {axes = array<i64: 1>, starts = array<i64: 20>, ends = array<i64: 30>} : tensor<8x10x64xf32> -> tensor<8x0x64xf32>
  return %s, %e : tensor<4x3x32xf32>, tensor<8x0x64xf32>
}

// -----

// A dynamic dim: the start -3 becomes max(dim - 3, 0) at run time, the
// length max(min(end, dim) - start, 0).
// CHECK-LABEL: func.func @slice_dynamic
// CHECK-SAME: ([[X:%.+]]: tensor<8x?x64xf32>)
func.func @slice_dynamic(%x: tensor<8x?x64xf32>) -> tensor<4x?x32xf32> {
  // CHECK-DAG: [[D:%.+]] = tensor.dim [[X]], {{%.+}} : tensor<8x?x64xf32>
  // CHECK-DAG: [[M3:%.+]] = arith.constant -3 : index
  // CHECK-DAG: [[ZERO:%.+]] = arith.constant 0 : index
  // CHECK-DAG: [[SHIFTED:%.+]] = arith.addi [[D]], [[M3]] : index
  // CHECK-DAG: [[START:%.+]] = arith.maxsi [[SHIFTED]], [[ZERO]] : index
  // CHECK-DAG: [[END:%.+]] = arith.minsi {{%.+}}, [[D]] : index
  // CHECK-DAG: [[SPAN:%.+]] = arith.subi [[END]], [[START]] : index
  // CHECK-DAG: [[LEN:%.+]] = arith.maxsi [[SPAN]], {{%.+}} : index
  // CHECK: [[S:%.+]] = tensor.extract_slice [[X]][0, {{%.+}}, 32] [4, [[LEN]], 32] [2, 1, 1] : tensor<8x?x64xf32> to tensor<4x?x32xf32>
  // CHECK: return [[S]]
  %s = transformer.slice %x {axes = array<i64: -1, 0, 1>, starts = array<i64: 32, 0, -3>,
                             ends = array<i64: 9223372036854775807, 8, 9223372036854775807>,
                             steps = array<i64: 1, 2, 1>} : tensor<8x?x64xf32> -> tensor<4x?x32xf32>
  return %s : tensor<4x?x32xf32>
}

// -----

// A positive start on a dynamic dim: the offset is min(start, dim - 1),
// kept >= 0, so that an empty slice (start >= dim) stays in bounds once
// the dim folds to a constant; the length still uses min(start, dim).
// CHECK-LABEL: func.func @slice_dynamic_start
// CHECK-SAME: ([[X:%.+]]: tensor<?xf32>)
func.func @slice_dynamic_start(%x: tensor<?xf32>) -> tensor<?xf32> {
  // The length (the op's reified size) comes first.
  // CHECK: [[LEN:%.+]] = arith.maxsi
  // CHECK: [[D:%.+]] = tensor.dim [[X]], {{%.+}} : tensor<?xf32>
  // CHECK: [[C0:%.+]] = arith.constant 0 : index
  // CHECK: [[C1:%.+]] = arith.constant 1 : index
  // CHECK: [[LAST:%.+]] = arith.subi [[D]], [[C1]] : index
  // CHECK: [[C5:%.+]] = arith.constant 5 : index
  // CHECK: [[B:%.+]] = arith.minsi [[C5]], [[LAST]] : index
  // CHECK: [[OFF:%.+]] = arith.maxsi [[B]], [[C0]] : index
  // CHECK: tensor.extract_slice [[X]]{{\[}}[[OFF]]] {{\[}}[[LEN]]] [1] : tensor<?xf32> to tensor<?xf32>
  %s = transformer.slice %x {starts = array<i64: 5>, ends = array<i64: 9223372036854775807>} : tensor<?xf32> -> tensor<?xf32>
  return %s : tensor<?xf32>
}

// -----

// CHECK-LABEL: func.func @split
// CHECK-SAME: ([[X:%.+]]: tensor<?x?x2304xf32>)
func.func @split(%qkv: tensor<?x?x2304xf32>) -> (tensor<?x?x768xf32>, tensor<?x?x1536xf32>) {
  // CHECK-DAG: [[B:%.+]] = tensor.dim [[X]], {{%.+}}
  // CHECK-DAG: [[S:%.+]] = tensor.dim [[X]], {{%.+}}
  // CHECK: [[Q:%.+]] = tensor.extract_slice [[X]][0, 0, 0] {{\[}}[[B]], [[S]], 768] [1, 1, 1] : tensor<?x?x2304xf32> to tensor<?x?x768xf32>
  // CHECK: [[KV:%.+]] = tensor.extract_slice [[X]][0, 0, 768] {{\[}}[[B]], [[S]], 1536] [1, 1, 1] : tensor<?x?x2304xf32> to tensor<?x?x1536xf32>
  // CHECK: return [[Q]], [[KV]]
  %q, %kv = transformer.split %qkv {axis = -1, sizes = array<i64: 768, 1536>}
      : tensor<?x?x2304xf32> -> tensor<?x?x768xf32>, tensor<?x?x1536xf32>
  return %q, %kv : tensor<?x?x768xf32>, tensor<?x?x1536xf32>
}

// -----

// An empty piece is a tensor.empty (its offset may be the end of the dim).
// CHECK-LABEL: func.func @split_empty_piece
// CHECK-SAME: ([[X:%.+]]: tensor<2x6xf32>)
func.func @split_empty_piece(%x: tensor<2x6xf32>) -> (tensor<2x6xf32>, tensor<2x0xf32>) {
  // CHECK: [[A:%.+]] = tensor.extract_slice [[X]][0, 0] [2, 6] [1, 1] : tensor<2x6xf32> to tensor<2x6xf32>
  // CHECK: [[B:%.+]] = tensor.empty() : tensor<2x0xf32>
  // CHECK: return [[A]], [[B]]
  %a, %b = transformer.split %x {axis = 1, sizes = array<i64: 6, 0>} : tensor<2x6xf32> -> tensor<2x6xf32>, tensor<2x0xf32>
  return %a, %b : tensor<2x6xf32>, tensor<2x0xf32>
}

// -----

// The stretched size-1 dims are collapsed away, then linalg.broadcast adds
// them back with the leading dims.
// CHECK-LABEL: func.func @expand_mask
// CHECK-SAME: ([[M:%.+]]: tensor<1x1x?x?xi1>, [[B:%.+]]: index, [[S:%.+]]: index, [[T:%.+]]: index)
func.func @expand_mask(%m: tensor<1x1x?x?xi1>, %b: index, %s: index, %t: index) -> tensor<?x12x?x?xi1> {
  // CHECK: [[INIT:%.+]] = tensor.empty([[B]], [[S]], [[T]]) : tensor<?x12x?x?xi1>
  // CHECK: [[C:%.+]] = tensor.collapse_shape [[M]] {{\[}}[0, 1, 2], [3]] : tensor<1x1x?x?xi1> into tensor<?x?xi1>
  // CHECK: [[R:%.+]] = linalg.broadcast ins([[C]] : tensor<?x?xi1>) outs([[INIT]] : tensor<?x12x?x?xi1>) dimensions = [0, 1]
  // CHECK: return [[R]]
  %e = transformer.expand %m [%b, %s, %t] : tensor<1x1x?x?xi1> -> tensor<?x12x?x?xi1>
  return %e : tensor<?x12x?x?xi1>
}

// -----

// CHECK-LABEL: func.func @expand_static
// CHECK-SAME: ([[X:%.+]]: tensor<3x1xf32>, [[V:%.+]]: tensor<3xf32>)
func.func @expand_static(%x: tensor<3x1xf32>, %v: tensor<3xf32>) -> (tensor<2x3x4xf32>, tensor<2x3xf32>) {
  // CHECK: [[I1:%.+]] = tensor.empty() : tensor<2x3x4xf32>
  // CHECK: [[C:%.+]] = tensor.collapse_shape [[X]] {{\[}}[0, 1]] : tensor<3x1xf32> into tensor<3xf32>
  // CHECK: [[E1:%.+]] = linalg.broadcast ins([[C]] : tensor<3xf32>) outs([[I1]] : tensor<2x3x4xf32>) dimensions = [0, 2]
  %e1 = transformer.expand %x : tensor<3x1xf32> -> tensor<2x3x4xf32>
  // CHECK: [[I2:%.+]] = tensor.empty() : tensor<2x3xf32>
  // CHECK: [[E2:%.+]] = linalg.broadcast ins([[V]] : tensor<3xf32>) outs([[I2]] : tensor<2x3xf32>) dimensions = [0]
  // CHECK: return [[E1]], [[E2]]
  %e2 = transformer.expand %v : tensor<3xf32> -> tensor<2x3xf32>
  return %e1, %e2 : tensor<2x3x4xf32>, tensor<2x3xf32>
}

// -----

// linalg.broadcast wants the kept dims exactly as in the result: a cast
// refines a dynamic input dim or relaxes a static one.
// CHECK-LABEL: func.func @expand_casts
// CHECK-SAME: ([[X:%.+]]: tensor<?xf32>, [[Y:%.+]]: tensor<3xf32>, [[N:%.+]]: index, [[M:%.+]]: index)
func.func @expand_casts(%x: tensor<?xf32>, %y: tensor<3xf32>, %n: index, %m: index) -> (tensor<2x1xf32>, tensor<?x?xf32>) {
  // CHECK: [[I1:%.+]] = tensor.empty() : tensor<2x1xf32>
  // CHECK: [[C1:%.+]] = tensor.cast [[X]] : tensor<?xf32> to tensor<1xf32>
  // CHECK: [[E1:%.+]] = linalg.broadcast ins([[C1]] : tensor<1xf32>) outs([[I1]] : tensor<2x1xf32>) dimensions = [0]
  %e1 = transformer.expand %x : tensor<?xf32> -> tensor<2x1xf32>
  // CHECK: [[I2:%.+]] = tensor.empty([[N]], [[M]]) : tensor<?x?xf32>
  // CHECK: [[C2:%.+]] = tensor.cast [[Y]] : tensor<3xf32> to tensor<?xf32>
  // CHECK: [[E2:%.+]] = linalg.broadcast ins([[C2]] : tensor<?xf32>) outs([[I2]] : tensor<?x?xf32>) dimensions = [0]
  // CHECK: return [[E1]], [[E2]]
  %e2 = transformer.expand %y [%n, %m] : tensor<3xf32> -> tensor<?x?xf32>
  return %e1, %e2 : tensor<2x1xf32>, tensor<?x?xf32>
}

// -----

// A squeezed dynamic dim is cast to 1 first.
// CHECK-LABEL: func.func @squeeze
// CHECK-SAME: ([[X:%.+]]: tensor<?x?x768xf32>, [[Y:%.+]]: tensor<1x?xf32>)
func.func @squeeze(%x: tensor<?x?x768xf32>, %y: tensor<1x?xf32>) -> (tensor<?x768xf32>, tensor<f32>) {
  // CHECK: [[C:%.+]] = tensor.cast [[X]] : tensor<?x?x768xf32> to tensor<?x1x768xf32>
  // CHECK: [[S:%.+]] = tensor.collapse_shape [[C]] {{\[}}[0, 1], [2]] : tensor<?x1x768xf32> into tensor<?x768xf32>
  %s = transformer.squeeze %x {axes = array<i64: 1>} : tensor<?x?x768xf32> -> tensor<?x768xf32>
  // CHECK: [[CY:%.+]] = tensor.cast [[Y]] : tensor<1x?xf32> to tensor<1x1xf32>
  // CHECK: [[SY:%.+]] = tensor.collapse_shape [[CY]] [] : tensor<1x1xf32> into tensor<f32>
  // CHECK: return [[S]], [[SY]]
  %sy = transformer.squeeze %y {axes = array<i64: 0, -1>} : tensor<1x?xf32> -> tensor<f32>
  return %s, %sy : tensor<?x768xf32>, tensor<f32>
}

// -----

// CHECK-LABEL: func.func @unsqueeze
// CHECK-SAME: ([[X:%.+]]: tensor<?x?xf32>)
func.func @unsqueeze(%x: tensor<?x?xf32>) -> tensor<1x?x?x1xf32> {
  // CHECK-DAG: [[D0:%.+]] = tensor.dim [[X]], {{%.+}}
  // CHECK-DAG: [[D1:%.+]] = tensor.dim [[X]], {{%.+}}
  // CHECK: [[U:%.+]] = tensor.expand_shape [[X]] {{\[}}[0, 1], [2, 3]] output_shape [1, [[D0]], [[D1]], 1] : tensor<?x?xf32> into tensor<1x?x?x1xf32>
  // CHECK: return [[U]]
  %u = transformer.unsqueeze %x {axes = array<i64: 0, -1>} : tensor<?x?xf32> -> tensor<1x?x?x1xf32>
  return %u : tensor<1x?x?x1xf32>
}

// -----

// Embedding lookup: the generic iterates over the result; the index comes
// from the result's leading dims, a negative one wraps by the vocab size.
// CHECK-DAG: [[IDS:#map[0-9]*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: [[ID3:#map[0-9]*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @gather_rows
// CHECK-SAME: ([[T:%.+]]: tensor<50257x768xf32>, [[I:%.+]]: tensor<?x?xi64>)
func.func @gather_rows(%t: tensor<50257x768xf32>, %ids: tensor<?x?xi64>) -> tensor<?x?x768xf32> {
  // CHECK: [[INIT:%.+]] = tensor.empty({{%.+}}, {{%.+}}) : tensor<?x?x768xf32>
  // CHECK: [[V:%.+]] = arith.constant 50257 : index
  // CHECK: [[G:%.+]] = linalg.generic {indexing_maps = {{\[}}[[IDS]], [[ID3]]{{\]}}, iterator_types = ["parallel", "parallel", "parallel"]}
  // CHECK-SAME: ins([[I]] : tensor<?x?xi64>) outs([[INIT]] : tensor<?x?x768xf32>)
  // CHECK-NEXT: ^bb0([[E:%.+]]: i64, {{%.+}}: f32):
  // CHECK-NEXT: [[IX:%.+]] = arith.index_cast [[E]] : i64 to index
  // CHECK-NEXT: [[Z:%.+]] = arith.constant 0 : index
  // CHECK-NEXT: [[NEG:%.+]] = arith.cmpi slt, [[IX]], [[Z]] : index
  // CHECK-NEXT: [[WRAP:%.+]] = arith.addi [[IX]], [[V]] : index
  // CHECK-NEXT: [[ROW:%.+]] = arith.select [[NEG]], [[WRAP]], [[IX]] : index
  // CHECK-NEXT: [[COL:%.+]] = linalg.index 2 : index
  // CHECK-NEXT: [[X:%.+]] = tensor.extract [[T]]{{\[}}[[ROW]], [[COL]]] : tensor<50257x768xf32>
  // CHECK-NEXT: linalg.yield [[X]] : f32
  // CHECK: return [[G]]
  %e = transformer.gather %t, %ids {axis = 0} : tensor<50257x768xf32>, tensor<?x?xi64> -> tensor<?x?x768xf32>
  return %e : tensor<?x?x768xf32>
}

// -----

// Gathering along a dynamic middle axis: the wrap uses its run-time size.
// CHECK-DAG: [[IDS:#map[0-9]*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @gather_middle
// CHECK-SAME: ([[D:%.+]]: tensor<4x?x5xf32>, [[I:%.+]]: tensor<2xi32>)
func.func @gather_middle(%d: tensor<4x?x5xf32>, %ids: tensor<2xi32>) -> tensor<4x2x5xf32> {
  // CHECK: [[N:%.+]] = tensor.dim [[D]], {{%.+}} : tensor<4x?x5xf32>
  // CHECK: linalg.generic {indexing_maps = {{\[}}[[IDS]], {{#map[0-9]*}}{{\]}}
  // CHECK-NEXT: ^bb0([[E:%.+]]: i32, {{%.+}}: f32):
  // CHECK-NEXT: [[IX:%.+]] = arith.index_cast [[E]] : i32 to index
  // CHECK: [[WRAP:%.+]] = arith.addi [[IX]], [[N]] : index
  // CHECK: [[MID:%.+]] = arith.select {{%.+}}, [[WRAP]], [[IX]] : index
  // CHECK-NEXT: [[I0:%.+]] = linalg.index 0 : index
  // CHECK-NEXT: [[I2:%.+]] = linalg.index 2 : index
  // CHECK-NEXT: tensor.extract [[D]]{{\[}}[[I0]], [[MID]], [[I2]]] : tensor<4x?x5xf32>
  %e = transformer.gather %d, %ids {axis = -2} : tensor<4x?x5xf32>, tensor<2xi32> -> tensor<4x2x5xf32>
  return %e : tensor<4x2x5xf32>
}
