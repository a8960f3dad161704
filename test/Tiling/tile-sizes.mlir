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
// load (24/10; 6 x 4 and 5 x 5 leave M or N edges). KC: 32K/2/(96*4) = 42,
// down to 40, balanced over 768 = 20 blocks of 39. MC: 1M/2/(39*4) -> all
// 128 rows; NC: L3 half / (39*4) -> all 768 columns.
// For AVX2, 8 lanes, 16 registers: 4 x 3 vectors (12 + 3 + 1 = 16 registers;
// 6 x 2 leaves 2 edge rows of 128). KC: 32K/2/(24*4) = 170, down to 168,
// balanced over 768 = 5 blocks of 154; MC: 512K/2/(154*4) -> all 128 rows.
// With the FILE, as for SKX with L1 64K: KC = 64K/2/384 = 85 -> 80, 768 = 10 blocks of
// 77 (76.8 rounded up).
// SKX-LABEL: remark: contraction m=128 n=768 k=768: mr=4 nr=96 kc=39 mc=128 nc=768 lanes=16 efficiency=1.00
// AVX2-LABEL: remark: contraction m=128 n=768 k=768: mr=4 nr=24 kc=154 mc=128 nc=768 lanes=8 efficiency=1.00
// FILE-LABEL: remark: contraction m=128 n=768 k=768: mr=4 nr=96 kc=77 mc=128 nc=768 lanes=16 efficiency=1.00
func.func @gpt2_projection(%a: tensor<128x768xf32>, %b: tensor<768x768xf32>, %c: tensor<128x768xf32>) -> tensor<128x768xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<128x768xf32>, tensor<768x768xf32>) outs(%c : tensor<128x768xf32>) -> tensor<128x768xf32>
  return %0 : tensor<128x768xf32>
}

// M = 1 (decode): every tile is a 1 x NR row, whose rate is bounded by the
// loads (1 broadcast + V vectors per V FMAs): V = 8 is the best row (8/2
// FMA cycles over 9/2 load cycles = 0.89); with V = 8, MR <= 2 registers-wise
// and MR = 2 has the higher FMA/load ratio as a tie-break. KC: 32K/2/(128*4)
// = 32, 768 = 24 blocks of 32. MC: M = 1 rounded up to MR.
// SKX-LABEL: remark: contraction m=1 n=768 k=768: mr=2 nr=128 kc=32 mc=2 nc=768 lanes=16 efficiency=0.89
func.func @decode(%a: tensor<1x768xf32>, %b: tensor<768x768xf32>, %c: tensor<1x768xf32>) -> tensor<1x768xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<1x768xf32>, tensor<768x768xf32>) outs(%c : tensor<1x768xf32>) -> tensor<1x768xf32>
  return %0 : tensor<1x768xf32>
}

// Dynamic M: no M edge is assumed; 6 x 4 and 4 x 6 tie at 24/10 FMAs per
// load and the first found (fewer vectors) is kept. KC: 32K/2/256 = 64,
// 768 = 12 blocks of 64; MC: 1M/2/(64*4) = 2048, down to a multiple of 6.
// SKX-LABEL: remark: contraction m=? n=768 k=768: mr=6 nr=64 kc=64 mc=2046 nc=768 lanes=16 efficiency=1.00
func.func @dynamic_m(%a: tensor<?x768xf32>, %b: tensor<768x768xf32>, %c: tensor<?x768xf32>) -> tensor<?x768xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<?x768xf32>, tensor<768x768xf32>) outs(%c : tensor<?x768xf32>) -> tensor<?x768xf32>
  return %0 : tensor<?x768xf32>
}

// Batch matmul (attention scores), per batch m=128 n=128 k=64. Tiles that
// divide 128 x 128 have V in {1, 2, 4, 8}: V = 4 allows MR <= 5 -> 4 x 4
// (16 FMAs / 8 loads = 2.0); V = 2 -> 8 x 2 (16/10); V = 8 -> 2 x 8
// (16/10). So mr=4 nr=64. KC: 32K/2/256 = 64 = K.
// SKX-LABEL: remark: contraction m=128 n=128 k=64: mr=4 nr=64 kc=64 mc=128 nc=128 lanes=16 efficiency=1.00
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
// choice of @dynamic_m's kind.
// SKX-LABEL: remark: contraction m=?(<=64) n=?(<=64) k=64: mr=4 nr=64 kc=64 mc=64 nc=64 lanes=16 efficiency=1.00
func.func @bounded_tile(%a: memref<?x64xf32>, %b: memref<64x?xf32>, %s: index, %i: index) {
  %r = arith.subi %s, %i : index
  %t = affine.min affine_map<(d0) -> (64, d0)>(%r)
  %c = memref.alloc(%t, %t) : memref<?x?xf32>
  %av = memref.subview %a[0, 0] [%t, 64] [1, 1] : memref<?x64xf32> to memref<?x64xf32, strided<[64, 1]>>
  %bv = memref.subview %b[0, 0] [64, %t] [1, 1] : memref<64x?xf32> to memref<64x?xf32, strided<[?, 1]>>
  linalg.matmul ins(%av, %bv : memref<?x64xf32, strided<[64, 1]>>, memref<64x?xf32, strided<[?, 1]>>) outs(%c : memref<?x?xf32>)
  return
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
