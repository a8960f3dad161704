// Result-shape reification (ReifyRankedShapedTypeOpInterface) of the shape,
// math, NN and quantization ops: -resolve-ranked-shaped-type-result-dims
// replaces `tensor.dim` of an op's result by sizes computed from its
// operands. The expected expressions follow the ops' semantics (ONNX Slice
// clamping, concat sums, numpy broadcasting, matmul [batch, M, N], attention
// [B, Hq, Sq, Dv] with a KV cache of P + Skv, ...). Run-time broadcasting of
// two dynamic dims d1, d2 is `d1 == 1 ? d2 : d1` (numpy: broadcast(0, 1) = 0).
// RUN: llm-opt %s -resolve-ranked-shaped-type-result-dims | FileCheck %s

// CHECK-LABEL: func.func @reshape
// CHECK-SAME: ([[X:%.+]]: tensor<?x768xf32>, [[B:%.+]]: index, [[S:%.+]]: index)
func.func @reshape(%x: tensor<?x768xf32>, %b: index, %s: index) -> (index, index, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  // CHECK: [[C12:%.+]] = arith.constant 12 : index
  // CHECK: return [[B]], [[S]], [[C12]]
  %r = transformer.reshape %x [%b, %s] : tensor<?x768xf32> -> tensor<?x?x12x64xf32>
  %d0 = tensor.dim %r, %c0 : tensor<?x?x12x64xf32>
  %d1 = tensor.dim %r, %c1 : tensor<?x?x12x64xf32>
  %d2 = tensor.dim %r, %c2 : tensor<?x?x12x64xf32>
  return %d0, %d1, %d2 : index, index, index
}

// CHECK-LABEL: func.func @expand
// CHECK-SAME: ([[M:%.+]]: tensor<1x1x?x?xi1>, [[B:%.+]]: index, [[S:%.+]]: index, [[T:%.+]]: index)
func.func @expand(%m: tensor<1x1x?x?xi1>, %b: index, %s: index, %t: index) -> (index, index) {
  %c0 = arith.constant 0 : index
  %c3 = arith.constant 3 : index
  // CHECK: return [[B]], [[T]]
  %e = transformer.expand %m [%b, %s, %t] : tensor<1x1x?x?xi1> -> tensor<?x12x?x?xi1>
  %d0 = tensor.dim %e, %c0 : tensor<?x12x?x?xi1>
  %d3 = tensor.dim %e, %c3 : tensor<?x12x?x?xi1>
  return %d0, %d3 : index, index
}

// CHECK-LABEL: func.func @transpose
// CHECK-SAME: ([[X:%.+]]: tensor<?x?x12x64xf32>)
func.func @transpose(%x: tensor<?x?x12x64xf32>) -> (index, index) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  // Result dim 2 is input dim permutation[2] = 1.
  // CHECK-DAG: [[C0:%.+]] = arith.constant 0 : index
  // CHECK-DAG: [[C1:%.+]] = arith.constant 1 : index
  // CHECK-DAG: [[D0:%.+]] = tensor.dim [[X]], [[C0]]
  // CHECK-DAG: [[D1:%.+]] = tensor.dim [[X]], [[C1]]
  // CHECK: return [[D0]], [[D1]]
  %t = transformer.transpose %x {permutation = array<i64: 0, 2, 1, 3>} : tensor<?x?x12x64xf32> -> tensor<?x12x?x64xf32>
  %d0 = tensor.dim %t, %c0 : tensor<?x12x?x64xf32>
  %d2 = tensor.dim %t, %c2 : tensor<?x12x?x64xf32>
  return %d0, %d2 : index, index
}

// CHECK-LABEL: func.func @concat
// CHECK-SAME: ([[X:%.+]]: tensor<?x4xf32>, [[Y:%.+]]: tensor<3x?xf32>, [[Z:%.+]]: tensor<?x2xf32>)
func.func @concat(%x: tensor<?x4xf32>, %y: tensor<3x?xf32>, %z: tensor<?x2xf32>) -> (index, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // Dim 0 is 3 (from y); dim 1 is 4 + y's dim 1 + 2.
  // CHECK-DAG: [[C6:%.+]] = arith.constant 6 : index
  // CHECK-DAG: [[C3:%.+]] = arith.constant 3 : index
  // CHECK-DAG: [[C1:%.+]] = arith.constant 1 : index
  // CHECK: [[DY:%.+]] = tensor.dim [[Y]], [[C1]]
  // CHECK: [[SUM:%.+]] = arith.addi [[DY]], [[C6]]
  // CHECK: return [[C3]], [[SUM]]
  %c = transformer.concat %x, %y, %z {axis = 1} : tensor<?x4xf32>, tensor<3x?xf32>, tensor<?x2xf32> -> tensor<3x?xf32>
  %d0 = tensor.dim %c, %c0 : tensor<3x?xf32>
  %d1 = tensor.dim %c, %c1 : tensor<3x?xf32>
  return %d0, %d1 : index, index
}

// CHECK-LABEL: func.func @concat_dynamic
// CHECK-SAME: ([[X:%.+]]: tensor<?x?xf32>, [[Y:%.+]]: tensor<?x?xf32>)
func.func @concat_dynamic(%x: tensor<?x?xf32>, %y: tensor<?x?xf32>) -> (index, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // CHECK-DAG: [[C0:%.+]] = arith.constant 0 : index
  // CHECK-DAG: [[C1:%.+]] = arith.constant 1 : index
  // CHECK-DAG: [[X0:%.+]] = tensor.dim [[X]], [[C0]]
  // CHECK-DAG: [[Y0:%.+]] = tensor.dim [[Y]], [[C0]]
  // CHECK-DAG: [[SUM:%.+]] = arith.addi [[X0]], [[Y0]]
  // CHECK-DAG: [[X1:%.+]] = tensor.dim [[X]], [[C1]]
  // CHECK: return [[SUM]], [[X1]]
  %c = transformer.concat %x, %y {axis = 0} : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xf32>
  %d0 = tensor.dim %c, %c0 : tensor<?x?xf32>
  %d1 = tensor.dim %c, %c1 : tensor<?x?xf32>
  return %d0, %d1 : index, index
}

// CHECK-LABEL: func.func @slice
// CHECK-SAME: ([[X:%.+]]: tensor<?x6xf32>)
func.func @slice(%x: tensor<?x6xf32>) -> (index, index, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // [1, -1) of d: start = min(1, d), end = max(d - 1, 0), length = max(end - start, 0).
  // CHECK-DAG: [[C0:%.+]] = arith.constant 0 : index
  // CHECK-DAG: [[C1:%.+]] = arith.constant 1 : index
  // CHECK-DAG: [[CM1:%.+]] = arith.constant -1 : index
  // CHECK-DAG: [[CM5:%.+]] = arith.constant -5 : index
  // CHECK-DAG: [[C2:%.+]] = arith.constant 2 : index
  // CHECK-DAG: [[C3:%.+]] = arith.constant 3 : index
  // CHECK: [[D:%.+]] = tensor.dim [[X]], [[C0]]
  // CHECK: [[START:%.+]] = arith.minsi [[D]], [[C1]]
  // CHECK: [[SHIFTED:%.+]] = arith.addi [[D]], [[CM1]]
  // CHECK: [[END:%.+]] = arith.maxsi [[SHIFTED]], [[C0]]
  // CHECK: [[SPAN:%.+]] = arith.subi [[END]], [[START]]
  // CHECK: [[LEN:%.+]] = arith.maxsi [[SPAN]], [[C0]]
  %s = transformer.slice %x {axes = array<i64: 0>, starts = array<i64: 1>, ends = array<i64: -1>} : tensor<?x6xf32> -> tensor<?x6xf32>
  %d = tensor.dim %s, %c0 : tensor<?x6xf32>
  // [-5, end) step 2: start = max(d - 5, 0), end = min(INT64_MAX, d) = d,
  // length = max(ceildiv(end - start, 2), 0).
  // CHECK: [[D2:%.+]] = tensor.dim [[X]], [[C0]]
  // CHECK: [[SHIFTED2:%.+]] = arith.addi [[D2]], [[CM5]]
  // CHECK: [[START2:%.+]] = arith.maxsi [[SHIFTED2]], [[C0]]
  // CHECK: [[SPAN2:%.+]] = arith.subi [[D2]], [[START2]]
  // CHECK: [[DIV2:%.+]] = arith.ceildivsi [[SPAN2]], [[C2]]
  // CHECK: [[LEN2:%.+]] = arith.maxsi [[DIV2]], [[C0]]
  %s2 = transformer.slice %x {axes = array<i64: 0, 1>, starts = array<i64: -5, 1>, ends = array<i64: 9223372036854775807, 6>, steps = array<i64: 2, 2>}
      : tensor<?x6xf32> -> tensor<?x3xf32>
  %d2 = tensor.dim %s2, %c0 : tensor<?x3xf32>
  // The static dim: elements 1, 3, 5.
  %d3 = tensor.dim %s2, %c1 : tensor<?x3xf32>
  // CHECK: return [[LEN]], [[LEN2]], [[C3]]
  return %d, %d2, %d3 : index, index, index
}

// CHECK-LABEL: func.func @split
// CHECK-SAME: ([[X:%.+]]: tensor<?x?x2304xf32>)
func.func @split(%x: tensor<?x?x2304xf32>) -> (index, index) {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  // CHECK-DAG: [[C1:%.+]] = arith.constant 1 : index
  // CHECK-DAG: [[C768:%.+]] = arith.constant 768 : index
  // CHECK-DAG: [[D1:%.+]] = tensor.dim [[X]], [[C1]]
  // CHECK: return [[D1]], [[C768]]
  %q:3 = transformer.split %x {axis = 2, sizes = array<i64: 768, 768, 768>}
      : tensor<?x?x2304xf32> -> tensor<?x?x768xf32>, tensor<?x?x768xf32>, tensor<?x?x768xf32>
  %d1 = tensor.dim %q#1, %c1 : tensor<?x?x768xf32>
  %d2 = tensor.dim %q#2, %c2 : tensor<?x?x768xf32>
  return %d1, %d2 : index, index
}

// CHECK-LABEL: func.func @squeeze_unsqueeze
// CHECK-SAME: ([[X:%.+]]: tensor<?x1x?xf32>)
func.func @squeeze_unsqueeze(%x: tensor<?x1x?xf32>) -> (index, index, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  // squeeze dim 1: result dim 1 is input dim 2.
  // unsqueeze at 0 and 2: result dim 3 is input dim 2 (input dim 1 is the 1).
  // CHECK-DAG: [[C1:%.+]] = arith.constant 1 : index
  // CHECK-DAG: [[C2:%.+]] = arith.constant 2 : index
  // CHECK: [[S1:%.+]] = tensor.dim [[X]], [[C2]]
  // CHECK: [[U4:%.+]] = tensor.dim [[X]], [[C2]]
  // CHECK: return [[S1]], [[C1]], [[U4]]
  %s = transformer.squeeze %x {axes = array<i64: 1>} : tensor<?x1x?xf32> -> tensor<?x?xf32>
  %d0 = tensor.dim %s, %c1 : tensor<?x?xf32>
  %u = transformer.unsqueeze %x {axes = array<i64: 0, 2>} : tensor<?x1x?xf32> -> tensor<1x?x1x1x?xf32>
  %d1 = tensor.dim %u, %c0 : tensor<1x?x1x1x?xf32>
  %c4 = arith.constant 4 : index
  %d2 = tensor.dim %u, %c4 : tensor<1x?x1x1x?xf32>
  return %d0, %d1, %d2 : index, index, index
}

// CHECK-LABEL: func.func @gather
// CHECK-SAME: ([[D:%.+]]: tensor<?x3x?xf32>, [[I:%.+]]: tensor<?x5xi64>)
func.func @gather(%d: tensor<?x3x?xf32>, %i: tensor<?x5xi64>) -> (index, index, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  // Result shape d[0] x i[0] x i[1] x d[2] = ? x ? x 5 x ?.
  // CHECK-DAG: [[C0:%.+]] = arith.constant 0 : index
  // CHECK-DAG: [[C2:%.+]] = arith.constant 2 : index
  // CHECK-DAG: [[D0:%.+]] = tensor.dim [[D]], [[C0]]
  // CHECK-DAG: [[I0:%.+]] = tensor.dim [[I]], [[C0]]
  // CHECK-DAG: [[D2:%.+]] = tensor.dim [[D]], [[C2]]
  // CHECK: return [[D0]], [[I0]], [[D2]]
  %g = transformer.gather %d, %i {axis = 1} : tensor<?x3x?xf32>, tensor<?x5xi64> -> tensor<?x?x5x?xf32>
  %r0 = tensor.dim %g, %c0 : tensor<?x?x5x?xf32>
  %r1 = tensor.dim %g, %c1 : tensor<?x?x5x?xf32>
  %r3 = tensor.dim %g, %c3 : tensor<?x?x5x?xf32>
  return %r0, %r1, %r3 : index, index, index
}

//===----------------------------------------------------------------------===//
// Math ops
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @unary_and_cast
// CHECK-SAME: ([[X:%.+]]: tensor<?x?x768xf32>, [[Y:%.+]]: tensor<?x?xf32>)
func.func @unary_and_cast(%x: tensor<?x?x768xf32>, %y: tensor<?x?xf32>) -> (index, index, index, index, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  // Same shape as the input.
  // CHECK-DAG: [[C0:%.+]] = arith.constant 0 : index
  // CHECK-DAG: [[C1:%.+]] = arith.constant 1 : index
  // CHECK-DAG: [[C768:%.+]] = arith.constant 768 : index
  // CHECK-DAG: [[C4:%.+]] = arith.constant 4 : index
  // CHECK-DAG: [[E0:%.+]] = tensor.dim [[X]], [[C0]]
  // CHECK-DAG: [[E1:%.+]] = tensor.dim [[X]], [[C1]]
  // CHECK-DAG: [[Y0:%.+]] = tensor.dim [[Y]], [[C0]]
  %e = transformer.exp %x : tensor<?x?x768xf32>
  %d0 = tensor.dim %e, %c0 : tensor<?x?x768xf32>
  %r = transformer.relu %e : tensor<?x?x768xf32>
  %d1 = tensor.dim %r, %c1 : tensor<?x?x768xf32>
  %d2 = tensor.dim %r, %c2 : tensor<?x?x768xf32>
  // A cast may write a more static result type: its static dim wins.
  %h = transformer.cast %y : tensor<?x?xf32> to tensor<?x4xf16>
  %d3 = tensor.dim %h, %c0 : tensor<?x4xf16>
  %d4 = tensor.dim %h, %c1 : tensor<?x4xf16>
  // CHECK-NOT: transformer.exp
  // CHECK: return [[E0]], [[E1]], [[C768]], [[Y0]], [[C4]]
  return %d0, %d1, %d2, %d3, %d4 : index, index, index, index, index
}

// CHECK-LABEL: func.func @binary_broadcast
// CHECK-SAME: ([[A:%.+]]: tensor<?x1x?xf32>, [[B:%.+]]: tensor<?x?xf32>, [[V:%.+]]: tensor<768xf32>, [[H:%.+]]: tensor<?x768xf32>)
func.func @binary_broadcast(%a: tensor<?x1x?xf32>, %b: tensor<?x?xf32>, %v: tensor<768xf32>, %h: tensor<?x768xf32>) -> (index, index, index, index, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  // [a0, 1, a2] + [b0, b1] (right-aligned) = [a0, b0, a2 bcast b1]:
  // dim 0 only a has; dim 1 a has as a static 1 (it stretches), so b0;
  // dim 2 both have dynamic: a2 == 1 ? b1 : a2.
  // CHECK-DAG: [[C0:%.+]] = arith.constant 0 : index
  // CHECK-DAG: [[C1:%.+]] = arith.constant 1 : index
  // CHECK-DAG: [[C2:%.+]] = arith.constant 2 : index
  // CHECK-DAG: [[C768:%.+]] = arith.constant 768 : index
  // CHECK-DAG: [[A0:%.+]] = tensor.dim [[A]], [[C0]]
  // CHECK-DAG: [[B0:%.+]] = tensor.dim [[B]], [[C0]]
  // CHECK-DAG: [[A2:%.+]] = tensor.dim [[A]], [[C2]]
  // CHECK-DAG: [[B1:%.+]] = tensor.dim [[B]], [[C1]]
  // CHECK-DAG: [[ONE:%.+]] = arith.cmpi eq, [[A2]], [[C1]]
  // CHECK-DAG: [[BC:%.+]] = arith.select [[ONE]], [[B1]], [[A2]]
  %s = transformer.add %a, %b : tensor<?x1x?xf32>, tensor<?x?xf32> -> tensor<?x?x?xf32>
  %d0 = tensor.dim %s, %c0 : tensor<?x?x?xf32>
  %d1 = tensor.dim %s, %c1 : tensor<?x?x?xf32>
  %d2 = tensor.dim %s, %c2 : tensor<?x?x?xf32>
  // [h0, 768] * [768] = [h0, 768].
  // CHECK-DAG: [[H0:%.+]] = tensor.dim [[H]], [[C0]]
  %m = transformer.mul %h, %v : tensor<?x768xf32>, tensor<768xf32> -> tensor<?x768xf32>
  %d3 = tensor.dim %m, %c0 : tensor<?x768xf32>
  %d4 = tensor.dim %m, %c1 : tensor<?x768xf32>
  // CHECK: return [[A0]], [[B0]], [[BC]], [[H0]], [[C768]]
  return %d0, %d1, %d2, %d3, %d4 : index, index, index, index, index
}

// CHECK-LABEL: func.func @compare_where
// CHECK-SAME: ([[P:%.+]]: tensor<?x1xi64>, [[L:%.+]]: tensor<1x?xi64>, [[M:%.+]]: tensor<1x1x?x?xi1>, [[S:%.+]]: tensor<?x12x?x?xf32>, [[N:%.+]]: tensor<f32>)
func.func @compare_where(%p: tensor<?x1xi64>, %l: tensor<1x?xi64>, %m: tensor<1x1x?x?xi1>, %s: tensor<?x12x?x?xf32>, %n: tensor<f32>) -> (index, index, index, index, index, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  // [p0, 1] vs [1, l1] = [p0, l1].
  // CHECK-DAG: [[C0:%.+]] = arith.constant 0 : index
  // CHECK-DAG: [[C1:%.+]] = arith.constant 1 : index
  // CHECK-DAG: [[C2:%.+]] = arith.constant 2 : index
  // CHECK-DAG: [[C3:%.+]] = arith.constant 3 : index
  // CHECK-DAG: [[C12:%.+]] = arith.constant 12 : index
  // CHECK-DAG: [[P0:%.+]] = tensor.dim [[P]], [[C0]]
  // CHECK-DAG: [[L1:%.+]] = tensor.dim [[L]], [[C1]]
  %c = transformer.compare lt, %p, %l : tensor<?x1xi64>, tensor<1x?xi64> -> tensor<?x?xi1>
  %d0 = tensor.dim %c, %c0 : tensor<?x?xi1>
  %d1 = tensor.dim %c, %c1 : tensor<?x?xi1>
  // where([1, 1, m2, m3], [s0, 12, s2, s3], []) = [s0, 12, m2 bcast s2, m3 bcast s3].
  // CHECK-DAG: [[S0:%.+]] = tensor.dim [[S]], [[C0]]
  // CHECK-DAG: [[M2:%.+]] = tensor.dim [[M]], [[C2]]
  // CHECK-DAG: [[S2:%.+]] = tensor.dim [[S]], [[C2]]
  // CHECK-DAG: [[ONE2:%.+]] = arith.cmpi eq, [[M2]], [[C1]]
  // CHECK-DAG: [[W2:%.+]] = arith.select [[ONE2]], [[S2]], [[M2]]
  // CHECK-DAG: [[M3:%.+]] = tensor.dim [[M]], [[C3]]
  // CHECK-DAG: [[S3:%.+]] = tensor.dim [[S]], [[C3]]
  // CHECK-DAG: [[ONE3:%.+]] = arith.cmpi eq, [[M3]], [[C1]]
  // CHECK-DAG: [[W3:%.+]] = arith.select [[ONE3]], [[S3]], [[M3]]
  %w = transformer.where %m, %s, %n : tensor<1x1x?x?xi1>, tensor<?x12x?x?xf32>, tensor<f32> -> tensor<?x12x?x?xf32>
  %d2 = tensor.dim %w, %c0 : tensor<?x12x?x?xf32>
  %d3 = tensor.dim %w, %c1 : tensor<?x12x?x?xf32>
  %d4 = tensor.dim %w, %c2 : tensor<?x12x?x?xf32>
  %d5 = tensor.dim %w, %c3 : tensor<?x12x?x?xf32>
  // CHECK: return [[P0]], [[L1]], [[S0]], [[C12]], [[W2]], [[W3]]
  return %d0, %d1, %d2, %d3, %d4, %d5 : index, index, index, index, index, index
}

// CHECK-LABEL: func.func @broadcast_three
// CHECK-SAME: ([[X:%.+]]: tensor<?xf32>, [[Y:%.+]]: tensor<?xf32>, [[Z:%.+]]: tensor<?xi1>)
func.func @broadcast_three(%x: tensor<?xf32>, %y: tensor<?xf32>, %z: tensor<?xi1>) -> index {
  %c0 = arith.constant 0 : index
  // Three dynamic candidates fold left: r = z0 == 1 ? x0 : z0; r == 1 ? y0 : r.
  // CHECK-DAG: [[C0:%.+]] = arith.constant 0 : index
  // CHECK-DAG: [[C1:%.+]] = arith.constant 1 : index
  // CHECK-DAG: [[Z0:%.+]] = tensor.dim [[Z]], [[C0]]
  // CHECK-DAG: [[X0:%.+]] = tensor.dim [[X]], [[C0]]
  // CHECK-DAG: [[Y0:%.+]] = tensor.dim [[Y]], [[C0]]
  // CHECK: [[ZONE:%.+]] = arith.cmpi eq, [[Z0]], [[C1]]
  // CHECK: [[ZX:%.+]] = arith.select [[ZONE]], [[X0]], [[Z0]]
  // CHECK: [[RONE:%.+]] = arith.cmpi eq, [[ZX]], [[C1]]
  // CHECK: [[R:%.+]] = arith.select [[RONE]], [[Y0]], [[ZX]]
  // CHECK: return [[R]]
  %w = transformer.where %z, %x, %y : tensor<?xi1>, tensor<?xf32>, tensor<?xf32> -> tensor<?xf32>
  %d = tensor.dim %w, %c0 : tensor<?xf32>
  return %d : index
}

// CHECK-LABEL: func.func @reductions
// CHECK-SAME: ([[X:%.+]]: tensor<?x?x768xf32>, [[Y:%.+]]: tensor<?x?x?xf32>)
func.func @reductions(%x: tensor<?x?x768xf32>, %y: tensor<?x?x?xf32>) -> (index, index, index, index, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  // keep_dims over the last axis: [x0, x1, 1].
  // CHECK-DAG: [[C0:%.+]] = arith.constant 0 : index
  // CHECK-DAG: [[C1:%.+]] = arith.constant 1 : index
  // CHECK-DAG: [[C2:%.+]] = arith.constant 2 : index
  // CHECK-DAG: [[X0:%.+]] = tensor.dim [[X]], [[C0]]
  // CHECK-DAG: [[X1:%.+]] = tensor.dim [[X]], [[C1]]
  %m = transformer.reduce_mean %x {axes = array<i64: -1>, keep_dims = true} : tensor<?x?x768xf32> -> tensor<?x?x1xf32>
  %d0 = tensor.dim %m, %c0 : tensor<?x?x1xf32>
  %d1 = tensor.dim %m, %c1 : tensor<?x?x1xf32>
  %d2 = tensor.dim %m, %c2 : tensor<?x?x1xf32>
  // Dropping axis 1: [y0, y2].
  // CHECK-DAG: [[Y0:%.+]] = tensor.dim [[Y]], [[C0]]
  // CHECK-DAG: [[Y2:%.+]] = tensor.dim [[Y]], [[C2]]
  %s = transformer.reduce_sum %y {axes = array<i64: 1>} : tensor<?x?x?xf32> -> tensor<?x?xf32>
  %d3 = tensor.dim %s, %c0 : tensor<?x?xf32>
  %d4 = tensor.dim %s, %c1 : tensor<?x?xf32>
  // CHECK: return [[X0]], [[X1]], [[C1]], [[Y0]], [[Y2]]
  return %d0, %d1, %d2, %d3, %d4 : index, index, index, index, index
}

//===----------------------------------------------------------------------===//
// NN ops
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @same_shape_nn
// CHECK-SAME: ([[A:%.+]]: tensor<?x?x768xf32>, [[B:%.+]]: tensor<?x?x768xf32>, [[C:%.+]]: tensor<?x?x768xf32>, [[D:%.+]]: tensor<?x?x768xf32>, [[E:%.+]]: tensor<?x?x768xf32>, [[F:%.+]]: tensor<?x?x768xf32>, [[G:%.+]]: tensor<768xf32>, [[Q:%.+]]: tensor<?x32x?x128xf32>, [[COS:%.+]]: tensor<?x64xf32>)
func.func @same_shape_nn(%a: tensor<?x?x768xf32>, %b: tensor<?x?x768xf32>, %c: tensor<?x?x768xf32>, %d: tensor<?x?x768xf32>,
                         %e: tensor<?x?x768xf32>, %f: tensor<?x?x768xf32>, %g: tensor<768xf32>, %q: tensor<?x32x?x128xf32>, %cos: tensor<?x64xf32>)
    -> (index, index, index, index, index, index, index, index, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  // Each result has its input's shape.
  // CHECK-DAG: [[C0:%.+]] = arith.constant 0 : index
  // CHECK-DAG: [[C1:%.+]] = arith.constant 1 : index
  // CHECK-DAG: [[C2:%.+]] = arith.constant 2 : index
  // CHECK-DAG: [[C32:%.+]] = arith.constant 32 : index
  // CHECK-DAG: [[C768:%.+]] = arith.constant 768 : index
  // CHECK-DAG: [[A0:%.+]] = tensor.dim [[A]], [[C0]]
  // CHECK-DAG: [[B1:%.+]] = tensor.dim [[B]], [[C1]]
  // CHECK-DAG: [[C0D:%.+]] = tensor.dim [[C]], [[C0]]
  // CHECK-DAG: [[D1:%.+]] = tensor.dim [[D]], [[C1]]
  // CHECK-DAG: [[E0:%.+]] = tensor.dim [[E]], [[C0]]
  // CHECK-DAG: [[F1:%.+]] = tensor.dim [[F]], [[C1]]
  // CHECK-DAG: [[Q2:%.+]] = tensor.dim [[Q]], [[C2]]
  %ge = transformer.gelu %a approximation = tanh : tensor<?x?x768xf32>
  %d0 = tensor.dim %ge, %c0 : tensor<?x?x768xf32>
  %sm = transformer.softmax %b {axis = -1 : i64} : tensor<?x?x768xf32>
  %d1 = tensor.dim %sm, %c1 : tensor<?x?x768xf32>
  %ls = transformer.log_softmax %c : tensor<?x?x768xf32>
  %d2 = tensor.dim %ls, %c0 : tensor<?x?x768xf32>
  %ln = transformer.layer_norm %d scale %g : tensor<768xf32> bias %g : tensor<768xf32> : tensor<?x?x768xf32>
  %d3 = tensor.dim %ln, %c1 : tensor<?x?x768xf32>
  %rn = transformer.rms_norm %e scale %g : tensor<768xf32> : tensor<?x?x768xf32>
  %d4 = tensor.dim %rn, %c0 : tensor<?x?x768xf32>
  %si = transformer.silu %f : tensor<?x?x768xf32>
  %d5 = tensor.dim %si, %c1 : tensor<?x?x768xf32>
  %d6 = tensor.dim %si, %c2 : tensor<?x?x768xf32>
  %ro = transformer.rotary_embedding %q, %cos, %cos : tensor<?x32x?x128xf32>, tensor<?x64xf32>
  %d7 = tensor.dim %ro, %c2 : tensor<?x32x?x128xf32>
  %d8 = tensor.dim %ro, %c1 : tensor<?x32x?x128xf32>
  // CHECK: return [[A0]], [[B1]], [[C0D]], [[D1]], [[E0]], [[F1]], [[C768]], [[Q2]], [[C32]]
  return %d0, %d1, %d2, %d3, %d4, %d5, %d6, %d7, %d8 : index, index, index, index, index, index, index, index, index
}

// CHECK-LABEL: func.func @matmul
// CHECK-SAME: ([[A:%.+]]: tensor<?x12x?x64xf32>, [[B:%.+]]: tensor<?x12x64x?xf32>, [[X:%.+]]: tensor<?x?x768xf32>, [[W:%.+]]: tensor<768x3072xf32>)
func.func @matmul(%a: tensor<?x12x?x64xf32>, %b: tensor<?x12x64x?xf32>, %x: tensor<?x?x768xf32>, %w: tensor<768x3072xf32>)
    -> (index, index, index, index, index, index, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  // [a0, 12, M, K] @ [b0, 12, K, N]: batch a0 bcast b0, 12; M = a2; N = b3.
  // CHECK-DAG: [[C0:%.+]] = arith.constant 0 : index
  // CHECK-DAG: [[C1:%.+]] = arith.constant 1 : index
  // CHECK-DAG: [[C2:%.+]] = arith.constant 2 : index
  // CHECK-DAG: [[C3:%.+]] = arith.constant 3 : index
  // CHECK-DAG: [[C12:%.+]] = arith.constant 12 : index
  // CHECK-DAG: [[C3072:%.+]] = arith.constant 3072 : index
  // CHECK-DAG: [[A0:%.+]] = tensor.dim [[A]], [[C0]]
  // CHECK-DAG: [[B0:%.+]] = tensor.dim [[B]], [[C0]]
  // CHECK-DAG: [[ONE:%.+]] = arith.cmpi eq, [[A0]], [[C1]]
  // CHECK-DAG: [[BATCH:%.+]] = arith.select [[ONE]], [[B0]], [[A0]]
  // CHECK-DAG: [[M:%.+]] = tensor.dim [[A]], [[C2]]
  // CHECK-DAG: [[N:%.+]] = tensor.dim [[B]], [[C3]]
  %s = transformer.matmul %a, %b : tensor<?x12x?x64xf32>, tensor<?x12x64x?xf32> -> tensor<?x12x?x?xf32>
  %d0 = tensor.dim %s, %c0 : tensor<?x12x?x?xf32>
  %d1 = tensor.dim %s, %c1 : tensor<?x12x?x?xf32>
  %d2 = tensor.dim %s, %c2 : tensor<?x12x?x?xf32>
  %d3 = tensor.dim %s, %c3 : tensor<?x12x?x?xf32>
  // [x0, x1, 768] @ [768, 3072]: the weight has no batch dims: [x0, x1, 3072].
  // CHECK-DAG: [[X0:%.+]] = tensor.dim [[X]], [[C0]]
  // CHECK-DAG: [[X1:%.+]] = tensor.dim [[X]], [[C1]]
  %y = transformer.matmul %x, %w : tensor<?x?x768xf32>, tensor<768x3072xf32> -> tensor<?x?x3072xf32>
  %d4 = tensor.dim %y, %c0 : tensor<?x?x3072xf32>
  %d5 = tensor.dim %y, %c1 : tensor<?x?x3072xf32>
  %d6 = tensor.dim %y, %c2 : tensor<?x?x3072xf32>
  // CHECK: return [[BATCH]], [[C12]], [[M]], [[N]], [[X0]], [[X1]], [[C3072]]
  return %d0, %d1, %d2, %d3, %d4, %d5, %d6 : index, index, index, index, index, index, index
}

// CHECK-LABEL: func.func @linear
// CHECK-SAME: ([[X:%.+]]: tensor<?x?x768xf32>, [[W:%.+]]: tensor<?x768xf32>, [[W2:%.+]]: tensor<3072x768xf32>)
func.func @linear(%x: tensor<?x?x768xf32>, %w: tensor<?x768xf32>, %w2: tensor<3072x768xf32>) -> (index, index, index, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  // [x0, x1, K] x [N, K]^T = [x0, x1, N] with N = w0.
  // CHECK-DAG: [[C0:%.+]] = arith.constant 0 : index
  // CHECK-DAG: [[C1:%.+]] = arith.constant 1 : index
  // CHECK-DAG: [[C3072:%.+]] = arith.constant 3072 : index
  // CHECK-DAG: [[X0:%.+]] = tensor.dim [[X]], [[C0]]
  // CHECK-DAG: [[X1:%.+]] = tensor.dim [[X]], [[C1]]
  // CHECK-DAG: [[N:%.+]] = tensor.dim [[W]], [[C0]]
  %y = transformer.linear %x, %w : tensor<?x?x768xf32>, tensor<?x768xf32> -> tensor<?x?x?xf32>
  %d0 = tensor.dim %y, %c0 : tensor<?x?x?xf32>
  %d1 = tensor.dim %y, %c1 : tensor<?x?x?xf32>
  %d2 = tensor.dim %y, %c2 : tensor<?x?x?xf32>
  %y2 = transformer.linear %x, %w2 : tensor<?x?x768xf32>, tensor<3072x768xf32> -> tensor<?x?x3072xf32>
  %d3 = tensor.dim %y2, %c2 : tensor<?x?x3072xf32>
  // CHECK: return [[X0]], [[X1]], [[N]], [[C3072]]
  return %d0, %d1, %d2, %d3 : index, index, index, index
}

// CHECK-LABEL: func.func @attention_kv_cache
// CHECK-SAME: ([[Q:%.+]]: tensor<?x32x?x128xf32>, [[K:%.+]]: tensor<?x8x?x128xf32>, [[V:%.+]]: tensor<?x8x?x128xf32>, [[PK:%.+]]: tensor<?x8x?x128xf32>, [[PV:%.+]]: tensor<?x8x?x128xf32>)
func.func @attention_kv_cache(%q: tensor<?x32x?x128xf32>, %k: tensor<?x8x?x128xf32>, %v: tensor<?x8x?x128xf32>,
                              %pk: tensor<?x8x?x128xf32>, %pv: tensor<?x8x?x128xf32>)
    -> (index, index, index, index, index, index, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  // output [B, Hq, Sq, Dv] = [q0, 32, q2, 128];
  // present [B, Hkv, P + Skv, D] = [q0, 8, pk2 + k2, 128].
  // CHECK-DAG: [[C0:%.+]] = arith.constant 0 : index
  // CHECK-DAG: [[C2:%.+]] = arith.constant 2 : index
  // CHECK-DAG: [[C8:%.+]] = arith.constant 8 : index
  // CHECK-DAG: [[C32:%.+]] = arith.constant 32 : index
  // CHECK-DAG: [[C128:%.+]] = arith.constant 128 : index
  // CHECK-DAG: [[B:%.+]] = tensor.dim [[Q]], [[C0]]
  // CHECK-DAG: [[SQ:%.+]] = tensor.dim [[Q]], [[C2]]
  // CHECK-DAG: [[P:%.+]] = tensor.dim [[PK]], [[C2]]
  // CHECK-DAG: [[SKV:%.+]] = tensor.dim [[K]], [[C2]]
  // CHECK-DAG: [[T:%.+]] = arith.addi [[P]], [[SKV]]
  // CHECK-DAG: [[PV2:%.+]] = tensor.dim [[PK]], [[C2]]
  // CHECK-DAG: [[KV2:%.+]] = tensor.dim [[K]], [[C2]]
  // CHECK-DAG: [[TV:%.+]] = arith.addi [[PV2]], [[KV2]]
  %o, %pk2, %pv2 = transformer.attention %q, %k, %v past(%pk, %pv : tensor<?x8x?x128xf32>, tensor<?x8x?x128xf32>) {causal, num_kv_heads = 8 : i64}
      : tensor<?x32x?x128xf32>, tensor<?x8x?x128xf32>, tensor<?x8x?x128xf32>
      -> tensor<?x32x?x128xf32>, tensor<?x8x?x128xf32>, tensor<?x8x?x128xf32>
  %d0 = tensor.dim %o, %c0 : tensor<?x32x?x128xf32>
  %d1 = tensor.dim %o, %c1 : tensor<?x32x?x128xf32>
  %d2 = tensor.dim %o, %c2 : tensor<?x32x?x128xf32>
  %d3 = tensor.dim %pk2, %c1 : tensor<?x8x?x128xf32>
  %d4 = tensor.dim %pk2, %c2 : tensor<?x8x?x128xf32>
  %d5 = tensor.dim %pv2, %c2 : tensor<?x8x?x128xf32>
  %d6 = tensor.dim %pv2, %c3 : tensor<?x8x?x128xf32>
  // CHECK: return [[B]], [[C32]], [[SQ]], [[C8]], [[T]], [[TV]], [[C128]]
  return %d0, %d1, %d2, %d3, %d4, %d5, %d6 : index, index, index, index, index, index, index
}

// CHECK-LABEL: func.func @attention_static_past
// CHECK-SAME: ([[Q:%.+]]: tensor<1x32x?x?xf32>, [[K:%.+]]: tensor<1x8x?x?xf32>, [[V:%.+]]: tensor<1x8x?x?xf32>, [[PK:%.+]]: tensor<1x8x7x?xf32>, [[PV:%.+]]: tensor<1x8x7x96xf32>)
func.func @attention_static_past(%q: tensor<1x32x?x?xf32>, %k: tensor<1x8x?x?xf32>, %v: tensor<1x8x?x?xf32>,
                                 %pk: tensor<1x8x7x?xf32>, %pv: tensor<1x8x7x96xf32>)
    -> (index, index, index, index) {
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  // P = 7 (static), Skv = k2: the length is k2 + 7 (the folder puts the
  // constant on the right). The output's head dim
  // Dv is v3 (dynamic in its type); present_key's D is k3.
  // CHECK-DAG: [[C2:%.+]] = arith.constant 2 : index
  // CHECK-DAG: [[C3:%.+]] = arith.constant 3 : index
  // CHECK-DAG: [[C7:%.+]] = arith.constant 7 : index
  // CHECK-DAG: [[SKV:%.+]] = tensor.dim [[K]], [[C2]]
  // CHECK-DAG: [[T:%.+]] = arith.addi [[SKV]], [[C7]]
  // CHECK-DAG: [[DV:%.+]] = tensor.dim [[V]], [[C3]]
  // CHECK-DAG: [[D:%.+]] = tensor.dim [[K]], [[C3]]
  %o, %pk2, %pv2 = transformer.attention %q, %k, %v past(%pk, %pv : tensor<1x8x7x?xf32>, tensor<1x8x7x96xf32>)
      : tensor<1x32x?x?xf32>, tensor<1x8x?x?xf32>, tensor<1x8x?x?xf32>
      -> tensor<1x32x?x?xf32>, tensor<1x8x?x?xf32>, tensor<1x8x?x?xf32>
  %d0 = tensor.dim %o, %c3 : tensor<1x32x?x?xf32>
  %d1 = tensor.dim %pk2, %c2 : tensor<1x8x?x?xf32>
  %d2 = tensor.dim %pk2, %c3 : tensor<1x8x?x?xf32>
  // present_value's Dv: v3 is dynamic but past_value's is 96.
  // CHECK-DAG: [[C96:%.+]] = arith.constant 96 : index
  %d3 = tensor.dim %pv2, %c3 : tensor<1x8x?x?xf32>
  // CHECK: return [[DV]], [[T]], [[D]], [[C96]]
  return %d0, %d1, %d2, %d3 : index, index, index, index
}

// CHECK-LABEL: func.func @embedding
// CHECK-SAME: ([[T:%.+]]: tensor<50257x?xf32>, [[I:%.+]]: tensor<?x?xi64>)
func.func @embedding(%t: tensor<50257x?xf32>, %i: tensor<?x?xi64>) -> (index, index, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  // indices.shape + [table dim 1] = [i0, i1, t1].
  // CHECK-DAG: [[C0:%.+]] = arith.constant 0 : index
  // CHECK-DAG: [[C1:%.+]] = arith.constant 1 : index
  // CHECK-DAG: [[I0:%.+]] = tensor.dim [[I]], [[C0]]
  // CHECK-DAG: [[I1:%.+]] = tensor.dim [[I]], [[C1]]
  // CHECK-DAG: [[T1:%.+]] = tensor.dim [[T]], [[C1]]
  %e = transformer.embedding %t[%i] : tensor<50257x?xf32>, tensor<?x?xi64> -> tensor<?x?x?xf32>
  %d0 = tensor.dim %e, %c0 : tensor<?x?x?xf32>
  %d1 = tensor.dim %e, %c1 : tensor<?x?x?xf32>
  %d2 = tensor.dim %e, %c2 : tensor<?x?x?xf32>
  // CHECK: return [[I0]], [[I1]], [[T1]]
  return %d0, %d1, %d2 : index, index, index
}

//===----------------------------------------------------------------------===//
// Quantization ops
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @quantize_dequantize
// CHECK-SAME: ([[X:%.+]]: tensor<?x?x768xf32>, [[S:%.+]]: tensor<f32>)
func.func @quantize_dequantize(%x: tensor<?x?x768xf32>, %s: tensor<f32>) -> (index, index, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  // Both keep their input's shape; the dequantize's input is the quantize,
  // whose dims resolve to x's in turn (and the quantize is then dead).
  // CHECK-DAG: [[C0:%.+]] = arith.constant 0 : index
  // CHECK-DAG: [[C1:%.+]] = arith.constant 1 : index
  // CHECK-DAG: [[C768:%.+]] = arith.constant 768 : index
  // CHECK-DAG: [[X0:%.+]] = tensor.dim [[X]], [[C0]]
  // CHECK-DAG: [[X1:%.+]] = tensor.dim [[X]], [[C1]]
  // CHECK-NOT: transformer.quantize
  %q = transformer.quantize %x, %s : tensor<?x?x768xf32>, tensor<f32> -> tensor<?x?x768xi8>
  %d0 = tensor.dim %q, %c0 : tensor<?x?x768xi8>
  %y = transformer.dequantize %q, %s : tensor<?x?x768xi8>, tensor<f32> -> tensor<?x?x768xf32>
  %d1 = tensor.dim %y, %c1 : tensor<?x?x768xf32>
  %d2 = tensor.dim %y, %c2 : tensor<?x?x768xf32>
  // CHECK: return [[X0]], [[X1]], [[C768]]
  return %d0, %d1, %d2 : index, index, index
}

// CHECK-LABEL: func.func @dynamic_quantize
// CHECK-SAME: ([[X:%.+]]: tensor<?x?x?xf32>, [[Y:%.+]]: tensor<?x768xf32>)
func.func @dynamic_quantize(%x: tensor<?x?x?xf32>, %y: tensor<?x768xf32>) -> (index, index, index, index, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  // Per-row along axis 1: output [x0, x1, x2], scale and zero point
  // [x0, 1, x2].
  // CHECK-DAG: [[C0:%.+]] = arith.constant 0 : index
  // CHECK-DAG: [[C1:%.+]] = arith.constant 1 : index
  // CHECK-DAG: [[C2:%.+]] = arith.constant 2 : index
  // CHECK-DAG: [[X1:%.+]] = tensor.dim [[X]], [[C1]]
  // CHECK-DAG: [[X2:%.+]] = tensor.dim [[X]], [[C2]]
  // CHECK-DAG: [[X0:%.+]] = tensor.dim [[X]], [[C0]]
  %q, %s, %z = transformer.dynamic_quantize %x {axis = 1} : tensor<?x?x?xf32> -> tensor<?x?x?xui8>, tensor<?x1x?xf32>, tensor<?x1x?xui8>
  %d0 = tensor.dim %q, %c1 : tensor<?x?x?xui8>
  %d1 = tensor.dim %s, %c1 : tensor<?x1x?xf32>
  %d2 = tensor.dim %s, %c2 : tensor<?x1x?xf32>
  %d3 = tensor.dim %z, %c0 : tensor<?x1x?xui8>
  // Per-tensor: the output has the input's shape (the scale is rank 0).
  // CHECK-DAG: [[Y0:%.+]] = tensor.dim [[Y]], [[C0]]
  %q1, %s1 = transformer.dynamic_quantize %y : tensor<?x768xf32> -> tensor<?x768xi8>, tensor<f32>
  %d4 = tensor.dim %q1, %c0 : tensor<?x768xi8>
  // CHECK: return [[X1]], [[C1]], [[X2]], [[X0]], [[Y0]]
  return %d0, %d1, %d2, %d3, %d4 : index, index, index, index, index
}

// CHECK-LABEL: func.func @quantized_matmul
// CHECK-SAME: ([[A:%.+]]: tensor<?x?x768xui8>, [[B:%.+]]: tensor<?x768x?xi8>)
func.func @quantized_matmul(%a: tensor<?x?x768xui8>, %b: tensor<?x768x?xi8>) -> (index, index, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  // [a0, M, K] @ [b0, K, N] = [a0 bcast b0, a1, b2].
  // CHECK-DAG: [[C0:%.+]] = arith.constant 0 : index
  // CHECK-DAG: [[C1:%.+]] = arith.constant 1 : index
  // CHECK-DAG: [[C2:%.+]] = arith.constant 2 : index
  // CHECK-DAG: [[A0:%.+]] = tensor.dim [[A]], [[C0]]
  // CHECK-DAG: [[B0:%.+]] = tensor.dim [[B]], [[C0]]
  // CHECK-DAG: [[ONE:%.+]] = arith.cmpi eq, [[A0]], [[C1]]
  // CHECK-DAG: [[BATCH:%.+]] = arith.select [[ONE]], [[B0]], [[A0]]
  // CHECK-DAG: [[M:%.+]] = tensor.dim [[A]], [[C1]]
  // CHECK-DAG: [[N:%.+]] = tensor.dim [[B]], [[C2]]
  %r = transformer.quantized_matmul %a, %b : tensor<?x?x768xui8>, tensor<?x768x?xi8> -> tensor<?x?x?xi32>
  %d0 = tensor.dim %r, %c0 : tensor<?x?x?xi32>
  %d1 = tensor.dim %r, %c1 : tensor<?x?x?xi32>
  %d2 = tensor.dim %r, %c2 : tensor<?x?x?xi32>
  // CHECK: return [[BATCH]], [[M]], [[N]]
  return %d0, %d1, %d2 : index, index, index
}

// CHECK-LABEL: func.func @quantized_linear
// CHECK-SAME: ([[X:%.+]]: tensor<?x?x768xf32>, [[W:%.+]]: tensor<?x768xi8>, [[S:%.+]]: tensor<?xf32>, [[S2:%.+]]: tensor<3072x24xf16>)
func.func @quantized_linear(%x: tensor<?x?x768xf32>, %w: tensor<?x768xi8>, %s: tensor<?xf32>, %s2: tensor<3072x24xf16>)
    -> (index, index, index, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  // [x0, x1, K] with N = w0.
  // CHECK-DAG: [[C0:%.+]] = arith.constant 0 : index
  // CHECK-DAG: [[C1:%.+]] = arith.constant 1 : index
  // CHECK-DAG: [[X0:%.+]] = tensor.dim [[X]], [[C0]]
  // CHECK-DAG: [[X1:%.+]] = tensor.dim [[X]], [[C1]]
  // CHECK-DAG: [[N:%.+]] = tensor.dim [[W]], [[C0]]
  %y = transformer.quantized_linear %x, %w, %s : tensor<?x?x768xf32>, tensor<?x768xi8>, tensor<?xf32> -> tensor<?x?x?xf32>
  %d0 = tensor.dim %y, %c0 : tensor<?x?x?xf32>
  %d1 = tensor.dim %y, %c1 : tensor<?x?x?xf32>
  %d2 = tensor.dim %y, %c2 : tensor<?x?x?xf32>
  // The weight's N is dynamic but the group-wise scale's is 3072.
  // CHECK-DAG: [[C3072:%.+]] = arith.constant 3072 : index
  %y2 = transformer.quantized_linear %x, %w, %s2 {group_size = 32 : i64}
      : tensor<?x?x768xf32>, tensor<?x768xi8>, tensor<3072x24xf16> -> tensor<?x?x3072xf32>
  %d3 = tensor.dim %y2, %c2 : tensor<?x?x3072xf32>
  // CHECK: return [[X0]], [[X1]], [[N]], [[C3072]]
  return %d0, %d1, %d2, %d3 : index, index, index, index
}
