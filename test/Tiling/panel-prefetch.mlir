// Prefetch of the next micro-panel of packed weights (llm-tile-contractions,
// PanelPrefetch.h). Target: haswell (8 lanes, 16 registers); for
// C[16, 32] += A[16, 64] W[64, 32] the register tile is 4 x 16, so W is
// packed as [2, 64, 16] (8 KiB) and each 64 x 16 micro-panel is read by
// S = 16 / 4 = 4 m steps. With a 8 KiB last-level cache the weight is more
// than half of it and the full tiles prefetch: the micro-panel is
// 64 * 16 * 4 / 64 = 64 lines of 16 floats, m step i starts at line
// i * 64 / 4 = 16 i, k step k prefetches line min(16 i + k, 63) of the next
// panel (min(p + 1, 1): the last panel prefetches itself), whose first
// element is (next * 64 + k0) * 16 of the packed global seen as 2048 floats.
// With a 32 MiB last-level cache, or prefetch-panels=false, nothing is
// prefetched.
// RUN: llm-opt %s --llm-pack-constant-weights="target-cpu=haswell target-desc=l1=32K,l2=1M,l3=8K,threads=1" --llm-tile-contractions="target-cpu=haswell target-desc=l1=32K,l2=1M,l3=8K,threads=1" --canonicalize | FileCheck %s
// RUN: llm-opt %s --llm-pack-constant-weights="target-cpu=haswell target-desc=l1=32K,l2=1M,l3=32M,threads=1" --llm-tile-contractions="target-cpu=haswell target-desc=l1=32K,l2=1M,l3=32M,threads=1" | FileCheck %s --check-prefix=NONE
// RUN: llm-opt %s --llm-pack-constant-weights="target-cpu=haswell target-desc=l1=32K,l2=1M,l3=8K,threads=1" --llm-tile-contractions="target-cpu=haswell target-desc=l1=32K,l2=1M,l3=8K,threads=1 prefetch-panels=false" | FileCheck %s --check-prefix=NONE

// CHECK-LABEL: func.func @large_weight
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : index
// CHECK-DAG: %[[C16:.+]] = arith.constant 16 : index
// CHECK-DAG: %[[C63:.+]] = arith.constant 63 : index
// CHECK: %[[PANELS:.+]] = memref.get_global @__llm_packed_b : memref<2x64x16xf32>
// CHECK: %[[FLAT:.+]] = memref.collapse_shape %[[PANELS]] {{\[\[}}0, 1, 2]] : memref<2x64x16xf32> into memref<2048xf32>
// CHECK: scf.for %[[N1:.+]] = %{{.+}} to %{{.+}} step %[[C16]]
// CHECK: %[[P:.+]] = arith.divui %[[N1]], %[[C16]]
// CHECK: %[[NEXT:.+]] = arith.minui %{{.+}}, %[[C1]]
// CHECK: scf.for %[[M1:.+]] = %{{.+}} to %{{.+}} step %{{.+}}
// CHECK: scf.for %[[K:.+]] = %{{.+}} to %{{.+}} step %[[C1]]
// CHECK: %[[LINE:.+]] = arith.minui %{{.+}}, %[[C63]]
// CHECK: memref.prefetch %[[FLAT]][%{{.+}}], read, locality<2>, data : memref<2048xf32>
// CHECK: vector.fma
// CHECK: return
// NONE-LABEL: func.func @large_weight
// NONE-NOT: memref.prefetch
// NONE: return
memref.global "private" constant @w : memref<64x32xf32> = dense<1.0>
func.func @large_weight(%a: memref<16x64xf32>, %c: memref<16x32xf32>) {
  %w = memref.get_global @w : memref<64x32xf32>
  linalg.matmul ins(%a, %w : memref<16x64xf32>, memref<64x32xf32>) outs(%c : memref<16x32xf32>)
  return
}
