// The cost model's tile sizes (include/llm/Tiling/CostModel.h,
// docs/tiling.md) for given target descriptions. Each expected value is
// derived by hand from the model's rules in the comments above it.
// RUN: llm-opt %s --pass-pipeline='builtin.module(func.func(llm-test-tile-sizes{target-cpu=skylake-avx512 target-desc="l1=32K,l2=1M,l3=32M,threads=1"}))' -o /dev/null 2>&1 | FileCheck %s --check-prefix=SKX
// RUN: llm-opt %s --pass-pipeline='builtin.module(func.func(llm-test-tile-sizes{target-cpu=x86-64-v3 target-desc="threads=1"}))' -o /dev/null 2>&1 | FileCheck %s --check-prefix=AVX2
// RUN: printf 'l1 = 64KiB  # a bigger L1\nl2=2M, l3=32M\nthreads=1\n' > %t.desc
// RUN: llm-opt %s --pass-pipeline="builtin.module(func.func(llm-test-tile-sizes{target-cpu=skylake-avx512 target-desc=@%t.desc}))" -o /dev/null 2>&1 | FileCheck %s --check-prefix=FILE

// SKX: remark: target: cpu=skylake-avx512 source=cpu-table+overrides vector-bits=512 registers=32 fma-units=2 fma-latency=4 l1=32768 l2=1048576 l3=33554432 line=64 threads=1
// AVX2: remark: target: cpu=x86-64-v3 source=cpu-table+overrides vector-bits=256 registers=16 fma-units=2 fma-latency=4 l1=32768 l2=524288 l3=33554432 line=64 threads=1
// FILE: remark: target: cpu=skylake-avx512 source=cpu-table+overrides vector-bits=512 registers=32 fma-units=2 fma-latency=4 l1=65536 l2=2097152 l3=33554432 line=64 threads=1

// For SKX, 16 lanes, 32 registers: MR x V accumulators + V + 1 <= 32. Tiles
// dividing 128 x 768 run at full rate (MR*V/2 FMA cycles >= 4 latency and
// >= (MR+V)/2 load cycles); among them 4 x 6 vectors has the most FMAs per
// load (24/10; 6 x 4 and 5 x 5 leave M or N edges). KC: the B micro-panel
// in a quarter of L2: 1M/4/(96*4) = 682, down to 680, balanced over 768 = 2
// blocks of 384. MC: 1M/2/(384*4) = 341 -> all 128 rows; NC: L3 half /
// (384*4) -> all 768 columns. A is packed (128 >= 4 rows, 768 > 96 columns
// reuse each block); 96 divides 768, so weights are packed 96 wide.
// For AVX2, 8 lanes, 16 registers: 4 x 3 vectors (12 + 3 + 1 = 16 registers;
// 6 x 2 leaves 2 edge rows of 128). KC: 512K/4/(24*4) = 1365 -> all 768;
// MC: 512K/2/(768*4) = 85, down to 84, balanced over 128 = 2 blocks of 64.
// With the FILE, as for SKX with L2 2M: KC = 2M/4/384 = 1365 -> all 768,
// MC = 2M/2/(768*4) = 341 -> all 128.
// SKX-LABEL: remark: contraction m=128 n=768 k=768: mr=4 nr=96 kc=384 mc=128 nc=768 lanes=16 efficiency=1.00 pack-a=1 packed-nr=96
// AVX2-LABEL: remark: contraction m=128 n=768 k=768: mr=4 nr=24 kc=768 mc=64 nc=768 lanes=8 efficiency=1.00 pack-a=1 packed-nr=24
// FILE-LABEL: remark: contraction m=128 n=768 k=768: mr=4 nr=96 kc=768 mc=128 nc=768 lanes=16 efficiency=1.00 pack-a=1 packed-nr=96
func.func @gpt2_projection(%a: tensor<128x768xf32>, %b: tensor<768x768xf32>, %c: tensor<128x768xf32>) -> tensor<128x768xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<128x768xf32>, tensor<768x768xf32>) outs(%c : tensor<128x768xf32>) -> tensor<128x768xf32>
  return %0 : tensor<128x768xf32>
}

// M = 1 (decode): every tile is a 1 x NR row, whose rate is bounded by the
// loads (1 broadcast + V vectors per V FMAs): V = 8 is the best row (8/2
// FMA cycles over 9/2 load cycles = 0.89); with V = 8, MR <= 2 registers-wise
// and MR = 2 has the higher FMA/load ratio as a tie-break. KC: 1M/4/(128*4)
// = 512, 768 = 2 blocks of 384 (llm-tile-contractions takes all of K for
// M <= MR). MC: M = 1 rounded up to MR. One row: A is not packed.
// SKX-LABEL: remark: contraction m=1 n=768 k=768: mr=2 nr=128 kc=384 mc=2 nc=768 lanes=16 efficiency=0.89 pack-a=0 packed-nr=128
func.func @decode(%a: tensor<1x768xf32>, %b: tensor<768x768xf32>, %c: tensor<1x768xf32>) -> tensor<1x768xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<1x768xf32>, tensor<768x768xf32>) outs(%c : tensor<1x768xf32>) -> tensor<1x768xf32>
  return %0 : tensor<1x768xf32>
}

// Dynamic M: no M edge is assumed; 6 x 4 and 4 x 6 tie at 24/10 FMAs per
// load and the first found (fewer vectors) is kept. KC: 1M/4/256 = 1024 ->
// all 768; MC: 1M/2/(768*4) = 170, down to a multiple of 6. A dynamic M may
// have full tiles: A is packed.
// SKX-LABEL: remark: contraction m=? n=768 k=768: mr=6 nr=64 kc=768 mc=168 nc=768 lanes=16 efficiency=1.00 pack-a=1 packed-nr=64
func.func @dynamic_m(%a: tensor<?x768xf32>, %b: tensor<768x768xf32>, %c: tensor<?x768xf32>) -> tensor<?x768xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<?x768xf32>, tensor<768x768xf32>) outs(%c : tensor<?x768xf32>) -> tensor<?x768xf32>
  return %0 : tensor<?x768xf32>
}

// Batch matmul (attention scores), per batch m=128 n=128 k=64. Tiles that
// divide 128 x 128 have V in {1, 2, 4, 8}: V = 4 allows MR <= 5 -> 4 x 4
// (16 FMAs / 8 loads = 2.0); V = 2 -> 8 x 2 (16/10); V = 8 -> 2 x 8
// (16/10). So mr=4 nr=64. KC: K = 64 (below 1M/4/256). Two register panels
// reuse each A block: pack-a (the code generator packs 2-D A only, so the
// batched one stays where it is).
// SKX-LABEL: remark: contraction m=128 n=128 k=64: mr=4 nr=64 kc=64 mc=128 nc=128 lanes=16 efficiency=1.00 pack-a=1 packed-nr=64
func.func @scores(%q: tensor<12x128x64xf32>, %k: tensor<12x64x128xf32>, %s: tensor<12x128x128xf32>) -> tensor<12x128x128xf32> {
  %0 = linalg.batch_matmul ins(%q, %k : tensor<12x128x64xf32>, tensor<12x64x128xf32>) outs(%s : tensor<12x128x128xf32>) -> tensor<12x128x128xf32>
  return %0 : tensor<12x128x128xf32>
}

// A tile of flash attention: m and n are `min(64, remaining)`, dynamic with
// the upper bound 64 (ValueBounds through affine.min, the allocation and
// the subviews), which the model plans for as m = n = 64: V = 4 (64 columns)
// allows MR <= 6; 4 x 4 divides 64 rows (16 FMAs / 8 loads, efficiency 1),
// MR = 5 or 6 leave 4 rows to 1 x 4 edge tiles. So mr=4 nr=64, KC = K = 64,
// MC = NC = 64 (the bound). Without the bound it would be the unbounded
// choice of @dynamic_m's kind. One register panel (NC = NR = 64): A is
// not packed; a dynamic N has no compile-time panels.
// SKX-LABEL: remark: contraction m=?(<=64) n=?(<=64) k=64: mr=4 nr=64 kc=64 mc=64 nc=64 lanes=16 efficiency=1.00 pack-a=0 packed-nr=0
func.func @bounded_tile(%a: memref<?x64xf32>, %b: memref<64x?xf32>, %s: index, %i: index) {
  %r = arith.subi %s, %i : index
  %t = affine.min affine_map<(d0) -> (64, d0)>(%r)
  %c = memref.alloc(%t, %t) : memref<?x?xf32>
  %av = memref.subview %a[0, 0] [%t, 64] [1, 1] : memref<?x64xf32> to memref<?x64xf32, strided<[64, 1]>>
  %bv = memref.subview %b[0, 0] [64, %t] [1, 1] : memref<64x?xf32> to memref<64x?xf32, strided<[?, 1]>>
  linalg.matmul ins(%av, %bv : memref<?x64xf32, strided<[64, 1]>>, memref<64x?xf32, strided<[?, 1]>>) outs(%c : memref<?x?xf32>)
  return
}

// A large layer, 512 x 4096 x 4096. V = 5 allows MR <= 5 (25 + 5 + 1 = 31
// registers): 5 x 5 vectors runs at full rate (25/2 FMA cycles) with the
// most FMAs per load (25/10), and its edges (512 = 102 x 5 + 2 rows, 4096 =
// 51 x 80 + 16 columns) cost less than the 0.5% tie margin, so mr=5
// nr=80. KC: 1M/4/(80*4) = 819 -> 816, 4096 = 6 blocks of 683; MC:
// 1M/2/(683*4) = 191 -> 190, 512 = 3 blocks of 171 -> 175 (a multiple of
// 5); NC: 16M/(683*4) = 6142 -> all 4096 (rounded up to 4160 = 52 x 80).
// 80 does not divide 4096, so weights are packed with the best width that
// does, V in {1, 2, 4, 8}, each with its own best MR: V = 1 is load-bound
// (MR/2 FMA cycles against (MR+1)/2 load cycles); V = 2 gives 8 x 2
// (divides 512: efficiency 1, 16/10 FMAs per load); V = 4 gives 6 x 4
// (2 edge rows at half rate: 512/514 = 0.996, within the margin, 24/10);
// V = 8 gives 2 x 8 (1, 16/10). Tied, 6 x 4 has the most FMAs per load:
// packed-nr=64.
// SKX-LABEL: remark: contraction m=512 n=4096 k=4096: mr=5 nr=80 kc=683 mc=175 nc=4160 lanes=16 efficiency=1.00 pack-a=1 packed-nr=64
// For AVX2 (16 registers, 8 lanes): 4 x 3 vectors as for @gpt2_projection;
// KC 512K/4/96 = 1365 -> 1360, 4096 = 4 blocks of 1024; MC 512K/2/4096 =
// 64; NC 16M/4096 = 4096 -> 4080 (a multiple of 24), 4096 = 2 blocks of
// 2048 -> 2064. 24 does not divide 4096; dividing widths: V = 1 is
// load-bound; V = 2 gives 4 x 2 (divides 512, efficiency 1, 8/6 FMAs per
// load; 6 x 2 leaves 2 rows at a quarter rate: 512/518, outside the margin);
// V = 4 gives 2 x 4 (4 x 4 + 4 + 1 > 16 registers; 8/6, a tie that keeps the
// first); V = 8 fits no row at all (8 + 8 + 1 > 16). packed-nr=16.
// AVX2-LABEL: remark: contraction m=512 n=4096 k=4096: mr=4 nr=24 kc=1024 mc=64 nc=2064 lanes=8 efficiency=1.00 pack-a=1 packed-nr=16
func.func @large(%a: tensor<512x4096xf32>, %b: tensor<4096x4096xf32>, %c: tensor<512x4096xf32>) -> tensor<512x4096xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<512x4096xf32>, tensor<4096x4096xf32>) outs(%c : tensor<512x4096xf32>) -> tensor<512x4096xf32>
  return %0 : tensor<512x4096xf32>
}

// Not contractions the model tiles: B's innermost dim is k (transposed B),
// and an elementwise generic. No remark.
// SKX-NOT: remark: contraction
func.func @not_tiled(%a: tensor<8x16xf32>, %b: tensor<32x16xf32>, %c: tensor<8x32xf32>) -> tensor<8x32xf32> {
  %0 = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%a, %b : tensor<8x16xf32>, tensor<32x16xf32>) outs(%c : tensor<8x32xf32>) -> tensor<8x32xf32>
  %1 = linalg.add ins(%0, %0 : tensor<8x32xf32>, tensor<8x32xf32>) outs(%c : tensor<8x32xf32>) -> tensor<8x32xf32>
  return %1 : tensor<8x32xf32>
}
