// llm-vectorize-row-reductions: last-dim sum / max reductions on buffers
// (LayerNorm's mean and variance, softmax's max and sum) become a loop over
// 16-lane vectors with a vector accumulator, a masked last vector and one
// horizontal reduction per row (skylake-avx512: 16 f32 lanes).
// RUN: llm-opt %s --pass-pipeline='builtin.module(func.func(llm-vectorize-row-reductions{target-cpu=skylake-avx512}))' | FileCheck %s

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// The variance of LayerNorm: (x - mean)^2 summed per row; the mean is read
// once per row and broadcast, the constant 1/768 splatted; 768 = 48 x 16
// (the masked tail is empty). The sum starts at the output's value.
// CHECK-LABEL: func.func @variance
// CHECK: scf.for %[[I:[^ ]+]] = %{{.+}} to %{{.+}} step %{{.+}} {
// CHECK: %[[M:.+]] = memref.load %{{.+}}[%[[I]]] : memref<128xf32>
// CHECK: %[[MV:.+]] = vector.broadcast %[[M]] : f32 to vector<16xf32>
// CHECK: %[[ZEROS:.+]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK: %[[ACC:.+]] = scf.for %[[J:[^ ]+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args(%[[A:.+]] = %[[ZEROS]]) -> (vector<16xf32>) {
// CHECK: %[[X:.+]] = vector.load %{{.+}}[%[[I]], %[[J]]] : memref<128x768xf32>, vector<16xf32>
// CHECK: %[[S:.+]] = arith.mulf %[[MV]], %{{.+}} : vector<16xf32>
// CHECK: %[[D:.+]] = arith.subf %[[X]], %[[S]] : vector<16xf32>
// CHECK: %[[SQ:.+]] = arith.mulf %[[D]], %[[D]] : vector<16xf32>
// CHECK: %[[N:.+]] = arith.addf %[[A]], %[[SQ]] : vector<16xf32>
// CHECK: scf.yield %[[N]]
// CHECK: %[[MASK:.+]] = vector.create_mask %{{.+}} : vector<16xi1>
// CHECK: vector.maskedload %{{.+}}, %[[MASK]], %{{.+}} : memref<128x768xf32>, vector<16xi1>, vector<16xf32> into vector<16xf32>
// CHECK: %[[T:.+]] = arith.select %[[MASK]], %{{.+}}, %[[ZEROS]] : vector<16xi1>, vector<16xf32>
// CHECK: %[[ALL:.+]] = arith.addf %[[ACC]], %[[T]] : vector<16xf32>
// CHECK: %[[INIT:.+]] = memref.load %{{.+}}[%[[I]]] : memref<128xf32>
// CHECK: %[[R:.+]] = vector.reduction <add>, %[[ALL]], %[[INIT]] fastmath<reassoc> : vector<16xf32> into f32
// CHECK: memref.store %[[R]], %{{.+}}[%[[I]]] : memref<128xf32>
// CHECK-NOT: linalg.generic
func.func @variance(%x: memref<128x768xf32>, %mean: memref<128xf32>, %var: memref<128xf32>) {
  %c = arith.constant 0.00130208337 : f32
  linalg.generic {indexing_maps = [#id, #row, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x, %mean : memref<128x768xf32>, memref<128xf32>) outs(%var : memref<128xf32>) {
  ^bb0(%in: f32, %m: f32, %out: f32):
    %s = arith.mulf %m, %c : f32
    %d = arith.subf %in, %s : f32
    %sq = arith.mulf %d, %d : f32
    %r = arith.addf %sq, %out : f32
    linalg.yield %r : f32
  }
  return
}

// Softmax's row maximum over a strided chunk with dynamic sizes: the
// masked-off lanes of the last vector give -inf.
// CHECK-LABEL: func.func @row_max
// CHECK: %[[NEG:[^ ]+]] = arith.constant dense<0xFF800000> : vector<16xf32>
// CHECK: scf.for {{.+}} iter_args(%{{.+}} = %[[NEG]]) -> (vector<16xf32>)
// CHECK: arith.maximumf %{{.+}} : vector<16xf32>
// CHECK: arith.select %{{.+}}, %{{.+}}, %[[NEG]] :
// CHECK: vector.reduction <maximumf>, %{{.+}}, %{{.+}} : vector<16xf32> into f32
func.func @row_max(%x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %m: memref<?xf32>) {
  linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<?x?xf32, strided<[?, 1], offset: ?>>) outs(%m : memref<?xf32>) {
  ^bb0(%in: f32, %out: f32):
    %e = math.exp %in : f32
    %r = arith.maximumf %e, %out : f32
    linalg.yield %r : f32
  }
  return
}

// Left alone: a reduction over a non-innermost dim, a column stride that is
// not 1, and a body whose result is not a sum / max / min of the output.
// CHECK-LABEL: func.func @left_alone
// CHECK-COUNT-3: linalg.generic
func.func @left_alone(%x: memref<8x32xf32>, %s: memref<8x32xf32, strided<[1, 8]>>, %col: memref<32xf32>, %r: memref<8xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<8x32xf32>) outs(%col : memref<32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  }
  linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%s : memref<8x32xf32, strided<[1, 8]>>) outs(%r : memref<8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  }
  linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<8x32xf32>) outs(%r : memref<8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.mulf %in, %out : f32
    linalg.yield %a : f32
  }
  return
}
