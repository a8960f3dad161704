// Compile-time packing of constant matmul weights (llm-pack-constant-weights)
// and the tiled code reading the packed panels (llm-tile-contractions).
// Target: haswell (8 lanes, 16 registers); for C[8, 32] += A[8, 2] W[2, 32]
// the cost model picks 4 x 16 register tiles (llm-test-tile-sizes), so W is
// packed as [32 / 16, 2, 16]: panel p holds columns 16p..16p+15 of both rows.
// RUN: llm-opt %s --llm-pack-constant-weights="target-cpu=haswell target-desc=l1=32K,l2=1M,l3=32M,threads=1" | FileCheck %s --check-prefix=PACK
// RUN: llm-opt %s --llm-pack-constant-weights="target-cpu=haswell target-desc=l1=32K,l2=1M,l3=32M,threads=1" --llm-tile-contractions="target-cpu=haswell target-desc=l1=32K,l2=1M,l3=32M,threads=1" --canonicalize --symbol-dce | FileCheck %s --check-prefix=TILE

// W = [[0..31], [32..63]]; numpy: W.reshape(2, 2, 16).transpose(1, 0, 2):
// panel 0 = [[0..15], [32..47]], panel 1 = [[16..31], [48..63]].
// PACK: memref.global "private" constant @[[P:__llm_packed_b]] : memref<2x2x16xf32> = dense<{{\[\[\[}}0.000000e+00, 1.000000e+00, {{.*}}, 1.500000e+01], [3.200000e+01, {{.*}}, 4.700000e+01]], {{\[\[}}1.600000e+01, {{.*}}, 3.100000e+01], [4.800000e+01, {{.*}}, 6.300000e+01]]]> {alignment = 64 : i64}
// PACK: memref.global "private" constant @w :
// PACK-LABEL: func.func @packed
// PACK: linalg.matmul {llm.packed_b = {nr = 16 : i64, panels = @[[P]]}}

// The kernel loads B from the panels; there is no run-time copy of B (the
// only packing buffer is A's block: 8 rows of 2 rounded up to 8 lanes plus 16
// floats of padding) and, once unused, the original weight is gone.
// TILE-NOT: memref.global "private" constant @w
// TILE-LABEL: func.func @packed
// TILE: memref.alloc() {alignment = 64 : i64} : memref<8x24xf32>
// TILE-NOT: memref.alloc()
// TILE: %[[PANELS:.+]] = memref.get_global @__llm_packed_b : memref<2x2x16xf32>
// TILE: scf.for
// TILE-COUNT-2: vector.load %[[PANELS]][{{.+}}] : memref<2x2x16xf32>, vector<8xf32>
// TILE: vector.fma
// TILE-NOT: memref.get_global @w
// TILE: return
memref.global "private" constant @w : memref<2x32xf32> = dense<[[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0], [32.0, 33.0, 34.0, 35.0, 36.0, 37.0, 38.0, 39.0, 40.0, 41.0, 42.0, 43.0, 44.0, 45.0, 46.0, 47.0, 48.0, 49.0, 50.0, 51.0, 52.0, 53.0, 54.0, 55.0, 56.0, 57.0, 58.0, 59.0, 60.0, 61.0, 62.0, 63.0]]>
func.func @packed(%a: memref<8x2xf32>, %c: memref<8x32xf32>) {
  %w = memref.get_global @w : memref<2x32xf32>
  linalg.matmul ins(%a, %w : memref<8x2xf32>, memref<2x32xf32>) outs(%c : memref<8x32xf32>)
  return
}

// Not packed: a B that is not a constant, and N = 20 that 16-column panels
// do not divide (that one keeps the run-time copy of its micro-panels).
// PACK-LABEL: func.func @not_packed
// PACK-NOT: llm.packed_b
// PACK: return
// TILE-LABEL: func.func @not_packed
// TILE: memref.get_global @v
memref.global "private" constant @v : memref<2x20xf32> = dense<1.0>
func.func @not_packed(%a: memref<8x2xf32>, %b: memref<2x32xf32>, %c: memref<8x32xf32>, %d: memref<8x20xf32>) {
  linalg.matmul ins(%a, %b : memref<8x2xf32>, memref<2x32xf32>) outs(%c : memref<8x32xf32>)
  %v = memref.get_global @v : memref<2x20xf32>
  linalg.matmul ins(%a, %v : memref<8x2xf32>, memref<2x20xf32>) outs(%d : memref<8x20xf32>)
  return
}

// A linear's [N, K] weight (a matmul whose B is indexed (n, k)) is
// transposed at compile time into a plain matmul (W^T of @wt is @w above),
// which is then packed the same way.
// PACK: memref.global "private" constant @[[T:__llm_transposed_b]] : memref<2x32xf32> = dense<{{\[\[}}0.000000e+00, 1.000000e+00, {{.*}}, 3.100000e+01], [3.200000e+01, {{.*}}, 6.300000e+01]]> {alignment = 64 : i64}
// PACK-LABEL: func.func @linear
// PACK: %[[WT:.+]] = memref.get_global @[[T]] : memref<2x32xf32>
// PACK: linalg.matmul {llm.packed_b = {nr = 16 : i64, panels = @{{.+}}}} ins(%{{.+}}, %[[WT]] : memref<8x2xf32>, memref<2x32xf32>)
// TILE-LABEL: func.func @linear
// TILE: memref.get_global @__llm_packed_b{{.*}} : memref<2x2x16xf32>
// TILE: vector.fma
memref.global "private" constant @wt : memref<32x2xf32> = dense<[[0.0, 32.0], [1.0, 33.0], [2.0, 34.0], [3.0, 35.0], [4.0, 36.0], [5.0, 37.0], [6.0, 38.0], [7.0, 39.0], [8.0, 40.0], [9.0, 41.0], [10.0, 42.0], [11.0, 43.0], [12.0, 44.0], [13.0, 45.0], [14.0, 46.0], [15.0, 47.0], [16.0, 48.0], [17.0, 49.0], [18.0, 50.0], [19.0, 51.0], [20.0, 52.0], [21.0, 53.0], [22.0, 54.0], [23.0, 55.0], [24.0, 56.0], [25.0, 57.0], [26.0, 58.0], [27.0, 59.0], [28.0, 60.0], [29.0, 61.0], [30.0, 62.0], [31.0, 63.0]]>
func.func @linear(%a: memref<8x2xf32>, %c: memref<8x32xf32>) {
  %wt = memref.get_global @wt : memref<32x2xf32>
  linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
      ins(%a, %wt : memref<8x2xf32>, memref<32x2xf32>) outs(%c : memref<8x32xf32>)
  return
}
