// Result-shape reification of the shape ops (ReifyRankedShapedTypeOpInterface):
// -resolve-ranked-shaped-type-result-dims replaces `tensor.dim` of an op's
// result by sizes computed from its operands. The expected expressions follow
// the ops' semantics (ONNX Slice clamping, concat sums, ...).
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
