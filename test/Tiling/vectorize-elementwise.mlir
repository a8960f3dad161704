// llm-vectorize-elementwise: elementwise generics on buffers become
// 16-lane vector code along their innermost loop (skylake-avx512), with a
// run-time check where the innermost size is not a known multiple of 16.
// RUN: llm-opt %s --pass-pipeline='builtin.module(func.func(llm-vectorize-elementwise{target-cpu=skylake-avx512}))' | FileCheck %s

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>

// Bias add with a broadcast row, 768 = 48 x 16: no versioning, no scalar
// remainder.
// CHECK-LABEL: func.func @bias_add
// CHECK-NOT: scf.if
// CHECK: scf.for
// CHECK: scf.for {{.+}} step %c16
// CHECK: %[[X:.+]] = vector.load %{{.+}} : memref<128x768xf32>, vector<16xf32>
// CHECK: %[[B:.+]] = vector.load %{{.+}} : memref<768xf32>, vector<16xf32>
// CHECK: %[[S:.+]] = arith.addf %[[X]], %[[B]] : vector<16xf32>
// CHECK: vector.store %[[S]], %{{.+}} : memref<128x768xf32>, vector<16xf32>
// CHECK-NOT: linalg.generic
func.func @bias_add(%x: memref<128x768xf32>, %b: memref<768xf32>, %y: memref<128x768xf32>) {
  linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %b : memref<128x768xf32>, memref<768xf32>) outs(%y : memref<128x768xf32>) {
  ^bb0(%a: f32, %c: f32, %out: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  }
  return
}

// Dynamic innermost size: full 16-lane tiles take the vector code (math ops
// stay math ops, on vectors), the last size % 16 elements the scalar op.
// CHECK-LABEL: func.func @tanh_dynamic
// CHECK: scf.if
// CHECK: math.tanh %{{.+}} : vector<16xf32>
// CHECK: } else {
// CHECK: linalg.generic
func.func @tanh_dynamic(%x: memref<4x?xf32>, %y: memref<4x?xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<4x?xf32>) outs(%y : memref<4x?xf32>) {
  ^bb0(%a: f32, %out: f32):
    %t = math.tanh %a : f32
    linalg.yield %t : f32
  }
  return
}

// Left alone: a reduction, an i1 operand, a body that indexes, a row
// shorter than one vector.
// CHECK-LABEL: func.func @untouched
// CHECK-COUNT-4: linalg.generic
// CHECK-NOT: vector.
func.func @untouched(%x: memref<8x32xf32>, %m: memref<8x32xi1>, %s: memref<8xf32>, %y: memref<8x32xf32>, %z: memref<8x8xf32>) {
  linalg.generic {indexing_maps = [#id, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<8x32xf32>) outs(%s : memref<8xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %r = arith.addf %a, %acc : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%m, %x : memref<8x32xi1>, memref<8x32xf32>) outs(%y : memref<8x32xf32>) {
  ^bb0(%c: i1, %a: f32, %out: f32):
    %r = arith.select %c, %a, %out : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [#id], iterator_types = ["parallel", "parallel"]}
      outs(%y : memref<8x32xf32>) {
  ^bb0(%out: f32):
    %i = linalg.index 1 : index
    %c = arith.index_cast %i : index to i32
    %f = arith.sitofp %c : i32 to f32
    linalg.yield %f : f32
  }
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%z : memref<8x8xf32>) outs(%z : memref<8x8xf32>) {
  ^bb0(%a: f32, %out: f32):
    %r = arith.mulf %a, %a : f32
    linalg.yield %r : f32
  }
  return
}
