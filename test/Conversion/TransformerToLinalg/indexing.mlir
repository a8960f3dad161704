// Lowering of the transformer indexing ops (IndexingToLinalg.cpp):
// gather_elements to a generic over the indices with tensor.extract,
// cumsum to a generic with a reduction dim over the axis and a masked add,
// scatter_nd to an scf.for over the index tuples that inserts (or combines
// and inserts) each update slice. Numerics: the ONNX node tests
// (test_gather_elements_*, test_cumsum_*, test_scatternd*) in the
// conformance run.
// RUN: llm-opt %s --convert-transformer-to-linalg --split-input-file | FileCheck %s

// CHECK-DAG: [[ID2:#.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @gather_elements
// CHECK-SAME: ([[X:%.+]]: tensor<3x?xf32>, [[I:%.+]]: tensor<3x2xi64>)
// CHECK: [[INIT:%.+]] = tensor.empty() : tensor<3x2xf32>
// CHECK: [[N:%.+]] = tensor.dim [[X]], %c1
// CHECK: linalg.generic {indexing_maps = [[[ID2]], [[ID2]]], iterator_types = ["parallel", "parallel"]} ins([[I]] : tensor<3x2xi64>) outs([[INIT]] : tensor<3x2xf32>)
// CHECK: ^bb0([[IN:%.+]]: i64, {{.*}}: f32):
// CHECK: [[ROW:%.+]] = linalg.index 0 : index
// CHECK: [[IDX:%.+]] = arith.index_cast [[IN]] : i64 to index
// CHECK: [[NEG:%.+]] = arith.cmpi slt, [[IDX]]
// CHECK: [[WRAP:%.+]] = arith.addi [[IDX]], [[N]] : index
// CHECK: [[SEL:%.+]] = arith.select [[NEG]], [[WRAP]], [[IDX]] : index
// CHECK: [[E:%.+]] = tensor.extract [[X]][[[ROW]], [[SEL]]] : tensor<3x?xf32>
// CHECK: linalg.yield [[E]] : f32
func.func @gather_elements(%x: tensor<3x?xf32>, %i: tensor<3x2xi64>) -> tensor<3x2xf32> {
  %0 = transformer.gather_elements %x, %i {axis = 1} : tensor<3x?xf32>, tensor<3x2xi64> -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// An exclusive cumsum along dim 1: k < j.
// CHECK-DAG: [[IN_MAP:#.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: [[OUT_MAP:#.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @cumsum
// CHECK-SAME: ([[X:%.+]]: tensor<2x?xi64>)
// CHECK: [[EMPTY:%.+]] = tensor.empty({{.*}}) : tensor<2x?xi64>
// CHECK: [[ZERO:%.+]] = arith.constant 0 : i64
// CHECK: [[FILL:%.+]] = linalg.fill ins([[ZERO]] : i64) outs([[EMPTY]] : tensor<2x?xi64>)
// CHECK: linalg.generic {indexing_maps = [[[IN_MAP]], [[OUT_MAP]]], iterator_types = ["parallel", "parallel", "reduction"]} ins([[X]] : tensor<2x?xi64>) outs([[FILL]] : tensor<2x?xi64>)
// CHECK: ^bb0([[IN:%.+]]: i64, [[ACC:%.+]]: i64):
// CHECK: [[J:%.+]] = linalg.index 1 : index
// CHECK: [[K:%.+]] = linalg.index 2 : index
// CHECK: [[TAKE:%.+]] = arith.cmpi ult, [[K]], [[J]] : index
// CHECK: [[Z:%.+]] = arith.constant 0 : i64
// CHECK: [[ADDEND:%.+]] = arith.select [[TAKE]], [[IN]], [[Z]] : i64
// CHECK: [[SUM:%.+]] = arith.addi [[ACC]], [[ADDEND]] : i64
// CHECK: linalg.yield [[SUM]] : i64
func.func @cumsum(%x: tensor<2x?xi64>) -> tensor<2x?xi64> {
  %0 = transformer.cumsum %x {axis = 1, exclusive} : tensor<2x?xi64> -> tensor<2x?xi64>
  return %0 : tensor<2x?xi64>
}

// -----

// A reverse inclusive cumsum: k >= j.
// CHECK-LABEL: func.func @cumsum_reverse
// CHECK: arith.cmpi uge
// CHECK: arith.addf
func.func @cumsum_reverse(%x: tensor<5xf32>) -> tensor<5xf32> {
  %0 = transformer.cumsum %x {axis = 0, reverse} : tensor<5xf32> -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

// Row slices with the add reduction: read the current row, add, insert.
// CHECK-LABEL: func.func @scatter_nd
// CHECK-SAME: ([[D:%.+]]: tensor<4x?xf32>, [[I:%.+]]: tensor<2x1xi64>, [[U:%.+]]: tensor<2x?xf32>)
// CHECK: [[N:%.+]] = tensor.dim [[D]], %c1
// CHECK: [[R:%.+]] = scf.for [[IV:%.+]] = %c0 to %c2 step %c1{{.*}} iter_args([[ACC:%.+]] = [[D]]) -> (tensor<4x?xf32>)
// CHECK: [[RAW:%.+]] = tensor.extract [[I]][[[IV]], %c0{{.*}}] : tensor<2x1xi64>
// CHECK: [[IDX:%.+]] = arith.index_cast [[RAW]] : i64 to index
// CHECK: [[ROW:%.+]] = arith.select {{.*}}, {{.*}}, [[IDX]] : index
// CHECK: [[UPD:%.+]] = tensor.extract_slice [[U]][[[IV]], 0] [1, [[N]]] [1, 1] : tensor<2x?xf32> to tensor<?xf32>
// CHECK: [[CUR:%.+]] = tensor.extract_slice [[ACC]][[[ROW]], 0] [1, [[N]]] [1, 1] : tensor<4x?xf32> to tensor<?xf32>
// CHECK: [[SUM:%.+]] = linalg.generic {{.*}} ins([[CUR]], [[UPD]] : tensor<?xf32>, tensor<?xf32>)
// CHECK: arith.addf
// CHECK: [[NEW:%.+]] = tensor.insert_slice [[SUM]] into [[ACC]][[[ROW]], 0] [1, [[N]]] [1, 1] : tensor<?xf32> into tensor<4x?xf32>
// CHECK: scf.yield [[NEW]] : tensor<4x?xf32>
// CHECK: return [[R]]
func.func @scatter_nd(%d: tensor<4x?xf32>, %i: tensor<2x1xi64>, %u: tensor<2x?xf32>) -> tensor<4x?xf32> {
  %0 = transformer.scatter_nd %d, %i, %u {reduction = "add"} : tensor<4x?xf32>, tensor<2x1xi64>, tensor<2x?xf32> -> tensor<4x?xf32>
  return %0 : tensor<4x?xf32>
}

// -----

// Full index tuples: one element each, a dynamic number of tuples.
// CHECK-LABEL: func.func @scatter_nd_elements
// CHECK-SAME: ([[D:%.+]]: tensor<4x3xi32>, [[I:%.+]]: tensor<?x2xi64>, [[U:%.+]]: tensor<?xi32>)
// CHECK: [[T:%.+]] = tensor.dim [[I]], %c0
// CHECK: scf.for [[IV:%.+]] = %c0 to [[T]] step %c1 iter_args([[ACC:%.+]] = [[D]]) -> (tensor<4x3xi32>)
// CHECK: [[ROW:%.+]] = arith.select
// CHECK: [[COL:%.+]] = arith.select
// CHECK: [[V:%.+]] = tensor.extract [[U]][[[IV]]] : tensor<?xi32>
// CHECK: [[NEW:%.+]] = tensor.insert [[V]] into [[ACC]][[[ROW]], [[COL]]] : tensor<4x3xi32>
// CHECK: scf.yield [[NEW]]
func.func @scatter_nd_elements(%d: tensor<4x3xi32>, %i: tensor<?x2xi64>, %u: tensor<?xi32>) -> tensor<4x3xi32> {
  %0 = transformer.scatter_nd %d, %i, %u : tensor<4x3xi32>, tensor<?x2xi64>, tensor<?xi32> -> tensor<4x3xi32>
  return %0 : tensor<4x3xi32>
}
