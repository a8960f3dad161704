// convert-transformer-norms-to-gpu (lib/Conversion/TransformerToGPU/
// NormToGPU.cpp): each layer_norm / rms_norm / softmax / log_softmax over the
// last axis becomes ONE launch of a row-per-warp kernel (ceil(R / 4) blocks
// of 4 warps; a block of 8 warps per row for static rows of 2048 or more),
// the row sums / max a butterfly of gpu.shuffle xor 16..1 (and workgroup
// memory across a block's warps), the elementwise ops feeding the norm
// computed in the kernel.
// RUN: llm-opt %s -split-input-file --convert-transformer-norms-to-gpu -canonicalize -cse | FileCheck %s
// RUN: llm-opt %s -split-input-file --convert-transformer-norms-to-gpu="fuse-prologue=false" | FileCheck %s --check-prefix=NOFUSE
// RUN: llm-opt %s -split-input-file --convert-transformer-norms-to-gpu="block-row-threshold=0" -canonicalize -cse | FileCheck %s --check-prefix=WARPROW
// RUN: not llm-opt %s -split-input-file --convert-transformer-norms-to-gpu="warps-per-block=0" 2>&1 | FileCheck %s --check-prefix=BADWARPS
// RUN: not llm-opt %s -split-input-file --convert-transformer-norms-to-gpu="block-row-threshold=-1" 2>&1 | FileCheck %s --check-prefix=BADTHRESHOLD
// BADWARPS: convert-transformer-norms-to-gpu: warps-per-block must be in 1..32, got 0
// BADTHRESHOLD: convert-transformer-norms-to-gpu: block-row-threshold must be >= 0, got -1

// A residual add feeding a LayerNorm whose result is also returned: one
// kernel reads x and a, writes y and h = x + a; the add is gone.
// CHECK-LABEL: func.func @residual_layer_norm(
// CHECK-SAME: [[X:%[^:]+]]: tensor<2x16x768xf32>, [[A:%[^:]+]]: tensor<2x16x768xf32>, [[G:%[^:]+]]: tensor<768xf32>, [[B:%[^:]+]]: tensor<768xf32>
// CHECK-NOT: transformer.
// CHECK-DAG: [[XB:%.+]] = bufferization.to_buffer [[X]] read_only : tensor<2x16x768xf32> to memref<2x16x768xf32>
// CHECK-DAG: [[X2:%.+]] = memref.collapse_shape [[XB]] {{\[\[}}0, 1], [2]] : memref<2x16x768xf32> into memref<32x768xf32>
// CHECK-DAG: [[Y:%.+]] = memref.alloc() : memref<2x16x768xf32>
// CHECK-DAG: [[H:%.+]] = memref.alloc() : memref<2x16x768xf32>
// CHECK-DAG: [[Y2:%.+]] = memref.collapse_shape [[Y]]
// CHECK-DAG: [[H2:%.+]] = memref.collapse_shape [[H]]
// 32 rows, 4 per block: 8 blocks of 128 threads.
// CHECK-DAG: [[C8:%.+]] = arith.constant 8 : index
// CHECK-DAG: [[C128:%.+]] = arith.constant 128 : index
// CHECK: gpu.launch_func @residual_layer_norm_layer_norm::@residual_layer_norm_layer_norm blocks in ([[C8]], {{%.+}}, {{%.+}}) threads in ([[C128]], {{%.+}}, {{%.+}}) args([[X2]] : memref<32x768xf32>, {{%.+}} : memref<32x768xf32>, {{%.+}} : memref<768xf32>, {{%.+}} : memref<768xf32>, [[Y2]] : memref<32x768xf32>, [[H2]] : memref<32x768xf32>)
// CHECK-DAG: [[HT:%.+]] = bufferization.to_tensor [[H]] restrict writable
// CHECK-DAG: [[YT:%.+]] = bufferization.to_tensor [[Y]] restrict writable
// CHECK: return [[YT]], [[HT]]
// CHECK: gpu.func @residual_layer_norm_layer_norm(
// CHECK-SAME: kernel
// CHECK-SAME: known_block_size = array<i32: 128, 1, 1>
// Row = block * 4 + thread / 32, guarded once per warp.
// CHECK: [[LANE:%.+]] = arith.remui %{{.+}}, %c32
// CHECK: [[ROW:%.+]] = arith.addi
// CHECK: scf.if %{{.+}} {
// 768 = 6 chunks of 4 per lane, in registers: straight-line 128-bit loads,
// no loop, no guard; the prologue's sum stored as the second output.
// CHECK-NOT: scf.for
// CHECK: [[XV:%.+]] = vector.load %arg0[[[ROW]], {{%.+}}] {alignment = 16 : i64} : memref<32x768xf32>, vector<4xf32>
// CHECK: vector.load %arg1[[[ROW]], {{%.+}}] {alignment = 16 : i64} : memref<32x768xf32>, vector<4xf32>
// CHECK: arith.addf
// CHECK: vector.store {{%.+}}, %arg5[[[ROW]], {{%.+}}] {alignment = 16 : i64} : memref<32x768xf32>, vector<4xf32>
// The mean: a butterfly over the warp.
// CHECK: gpu.shuffle xor {{%.+}}, %c16_i32, %c32_i32 : f32
// CHECK: gpu.shuffle xor {{%.+}}, %c8_i32, %c32_i32 : f32
// CHECK: gpu.shuffle xor {{%.+}}, %c4_i32, %c32_i32 : f32
// CHECK: gpu.shuffle xor {{%.+}}, %c2_i32, %c32_i32 : f32
// CHECK: gpu.shuffle xor {{%.+}}, %c1_i32, %c32_i32 : f32
// CHECK: arith.divf {{%.+}}, %cst
// The variance, then rsqrt and the normalized row with scale and bias.
// CHECK-COUNT-5: gpu.shuffle xor
// CHECK: math.rsqrt
// CHECK: vector.load %arg2[{{%.+}}] {alignment = 16 : i64} : memref<768xf32>, vector<4xf32>
// CHECK: vector.load %arg3[{{%.+}}] {alignment = 16 : i64} : memref<768xf32>, vector<4xf32>
// CHECK: vector.store {{%.+}}, %arg4[[[ROW]], {{%.+}}] {alignment = 16 : i64} : memref<32x768xf32>, vector<4xf32>
// CHECK-NOT: gpu.barrier
// CHECK: gpu.return
// Without the prologue the add stays and the kernel reads its result.
// NOFUSE-LABEL: func.func @residual_layer_norm(
// NOFUSE: transformer.add
// NOFUSE: gpu.launch_func @residual_layer_norm_layer_norm::@residual_layer_norm_layer_norm {{.*}} args({{%.+}} : memref<32x768xf32>, {{%.+}} : memref<768xf32>, {{%.+}} : memref<768xf32>, {{%.+}} : memref<32x768xf32>)
func.func @residual_layer_norm(%x: tensor<2x16x768xf32>, %a: tensor<2x16x768xf32>, %g: tensor<768xf32>, %b: tensor<768xf32>) -> (tensor<2x16x768xf32>, tensor<2x16x768xf32>) {
  %h = transformer.add %x, %a : tensor<2x16x768xf32>, tensor<2x16x768xf32> -> tensor<2x16x768xf32>
  %y = transformer.layer_norm %h scale %g : tensor<768xf32> bias %b : tensor<768xf32> {epsilon = 1.0e-05 : f32} : tensor<2x16x768xf32>
  return %y, %h : tensor<2x16x768xf32>, tensor<2x16x768xf32>
}

// -----

// A linear layer's bias add and the residual add (GPT-2's second LayerNorm):
// both fused, the bias read at the column only.
// CHECK-LABEL: func.func @bias_residual(
// CHECK-NOT: transformer.add
// CHECK: gpu.launch_func @bias_residual_layer_norm::@bias_residual_layer_norm {{.*}} args({{%.+}} : memref<16x64xf32>, {{%.+}} : memref<16x64xf32>, {{%.+}} : memref<64xf32>, {{%.+}} : memref<64xf32>, {{%.+}} : memref<64xf32>, {{%.+}} : memref<16x64xf32>, {{%.+}} : memref<16x64xf32>)
// CHECK: gpu.func @bias_residual_layer_norm(
// 64 columns: the chunk of lanes 16..31 lies past the row: guarded loads.
// CHECK: [[IN:%.+]] = arith.cmpi ult, {{%.+}}, %c64 : index
// CHECK: scf.if [[IN]] -> (f32, f32, f32, f32) {
// CHECK: vector.load %arg0
// CHECK: vector.load %arg1
// CHECK: vector.load %arg2[{{%.+}}]
// CHECK: arith.addf
// CHECK: arith.addf
// CHECK: } else {
// Masked contributions: the select keeps lanes past the row out of the sums.
// CHECK: arith.select [[IN]]
func.func @bias_residual(%x: tensor<1x16x64xf32>, %m: tensor<1x16x64xf32>, %bm: tensor<64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>) -> (tensor<1x16x64xf32>, tensor<1x16x64xf32>) {
  %t = transformer.add %m, %bm : tensor<1x16x64xf32>, tensor<64xf32> -> tensor<1x16x64xf32>
  %h = transformer.add %x, %t : tensor<1x16x64xf32>, tensor<1x16x64xf32> -> tensor<1x16x64xf32>
  %y = transformer.layer_norm %h scale %g : tensor<64xf32> bias %b : tensor<64xf32> : tensor<1x16x64xf32>
  return %y, %h : tensor<1x16x64xf32>, tensor<1x16x64xf32>
}

// -----

// RMSNorm of f16 rows of 1536 (a row per warp; 48 > 32 elements per lane:
// an scf.for over the lane's chunks per pass, reading the row again),
// 64-bit loads of 4 halves, f32 math.
// CHECK-LABEL: func.func @rms_f16(
// CHECK: gpu.launch_func @rms_f16_rms_norm::@rms_f16_rms_norm blocks in (%c1, %c1, %c1) threads in (%c128, %c1, %c1)
// CHECK: gpu.func @rms_f16_rms_norm(
// ceil(1536 / 128) = 12 chunks per lane.
// CHECK: scf.for {{%.+}} = %c0 to %c12 step %c1 iter_args({{%.+}} = %cst_0) -> (f32)
// CHECK: arith.cmpi ult, {{%.+}}, %c1536 : index
// CHECK: vector.load %arg0[{{%.+}}, {{%.+}}] {alignment = 8 : i64} : memref<3x1536xf16>, vector<4xf16>
// CHECK: arith.extf {{%.+}} : f16 to f32
// CHECK-COUNT-5: gpu.shuffle xor
// CHECK-NOT: gpu.barrier
// CHECK: math.rsqrt
// CHECK: scf.for
// CHECK: arith.truncf {{%.+}} : f32 to f16
// CHECK: vector.store {{%.+}}, %arg2[{{%.+}}, {{%.+}}] {alignment = 8 : i64} : memref<3x1536xf16>, vector<4xf16>
func.func @rms_f16(%x: tensor<3x1536xf16>, %g: tensor<1536xf16>) -> tensor<3x1536xf16> {
  %y = transformer.rms_norm %x scale %g : tensor<1536xf16> {epsilon = 1.0e-06 : f32} : tensor<3x1536xf16>
  return %y : tensor<3x1536xf16>
}

// -----

// Rows of 4100 (>= block-row-threshold 2048): a row per block of 8 warps
// (3 blocks of 256 threads), the row in registers (ceil(4100 / 1024) = 5
// chunks of 4 per thread, the last guarded), the warps' sums combined
// through workgroup memory after one barrier.
// CHECK-LABEL: func.func @block_rms(
// CHECK: gpu.launch_func @block_rms_rms_norm::@block_rms_rms_norm blocks in (%c3, %c1, %c1) threads in (%c256, %c1, %c1)
// CHECK: gpu.func @block_rms_rms_norm(
// CHECK-SAME: workgroup([[P:%.+]] : memref<2x8xf32, #gpu.address_space<workgroup>>)
// CHECK-SAME: known_block_size = array<i32: 256, 1, 1>
// CHECK: [[TID:%.+]] = gpu.thread_id x
// CHECK: [[ROW:%.+]] = gpu.block_id x
// CHECK-NOT: scf.for
// CHECK: vector.load %arg0[[[ROW]], {{%.+}}] {alignment = 16 : i64} : memref<3x4100xf32>, vector<4xf32>
// CHECK: arith.cmpi ult, {{%.+}}, %c4100 : index
// CHECK-COUNT-5: gpu.shuffle xor
// Lane 0 of each warp stores the warp's sum in slot 0, barrier, all read 8.
// CHECK: [[WARP:%.+]] = arith.divui [[TID]], %c32 : index
// CHECK: [[LANE:%.+]] = arith.remui [[TID]], %c32 : index
// CHECK: [[FIRST:%.+]] = arith.cmpi eq, [[LANE]], %c0 : index
// CHECK: scf.if [[FIRST]] {
// CHECK-NEXT: memref.store {{%.+}}, [[P]][%c0, [[WARP]]]
// CHECK: gpu.barrier
// CHECK: memref.load [[P]][%c0, %c0]
// CHECK: memref.load [[P]][%c0, %c7]
// CHECK: math.rsqrt
// CHECK-NOT: gpu.barrier
// CHECK: gpu.return
// With block-row-threshold=0: a row per warp.
// WARPROW-LABEL: func.func @block_rms(
// WARPROW: gpu.launch_func @block_rms_rms_norm::@block_rms_rms_norm blocks in (%c1, %c1, %c1) threads in (%c128, %c1, %c1)
// WARPROW-NOT: gpu.barrier
func.func @block_rms(%x: tensor<3x4100xf32>, %g: tensor<4100xf32>) -> tensor<3x4100xf32> {
  %y = transformer.rms_norm %x scale %g : tensor<4100xf32> {epsilon = 1.0e-06 : f32} : tensor<3x4100xf32>
  return %y : tensor<3x4100xf32>
}

// -----

// A LayerNorm of 20000 columns: a row per block, 20 chunks per thread (a
// loop per pass), two reductions in slots 0 and 1, a barrier each.
// CHECK-LABEL: func.func @block_loop(
// CHECK: gpu.launch_func @block_loop_layer_norm::@block_loop_layer_norm blocks in (%c2, %c1, %c1) threads in (%c256, %c1, %c1)
// CHECK: gpu.func @block_loop_layer_norm(
// CHECK-SAME: workgroup([[P:%.+]] : memref<2x8xf32, #gpu.address_space<workgroup>>)
// CHECK: scf.for {{%.+}} = %c0 to %c20 step %c1
// CHECK: memref.store {{%.+}}, [[P]][%c0,
// CHECK: gpu.barrier
// CHECK: scf.for {{%.+}} = %c0 to %c20 step %c1
// CHECK: memref.store {{%.+}}, [[P]][%c1,
// CHECK: gpu.barrier
// CHECK: memref.load [[P]][%c1, %c7]
// CHECK: scf.for {{%.+}} = %c0 to %c20 step %c1
// CHECK-NOT: gpu.barrier
// CHECK: gpu.return
func.func @block_loop(%x: tensor<2x20000xf32>) -> tensor<2x20000xf32> {
  %y = transformer.layer_norm %x : tensor<2x20000xf32>
  return %y : tensor<2x20000xf32>
}

// -----

// Softmax of the scaled scores of unfused attention, every size dynamic:
// scalar loads (the row length is unknown), the scale fused; max by
// shuffles with maximumf, then the sum of exponentials, then the division.
// CHECK-LABEL: func.func @scaled_softmax(
// CHECK-NOT: transformer.mul
// CHECK: [[S:%.+]] = memref.collapse_shape {{%.+}} {{\[\[}}0, 1, 2], [3]] : memref<?x12x?x?xf32> into memref<?x?xf32>
// CHECK: gpu.launch_func @scaled_softmax_softmax::@scaled_softmax_softmax blocks in ({{%.+}}, %c1, %c1) threads in (%c128, %c1, %c1) args([[S]] : memref<?x?xf32>, {{%.+}} : memref<f32>, {{%.+}} : memref<?x?xf32>)
// CHECK: gpu.func @scaled_softmax_softmax(
// CHECK: scf.for
// CHECK: memref.load %arg0
// CHECK: memref.load %arg1[] : memref<f32>
// CHECK: arith.mulf
// CHECK: arith.maximumf
// CHECK: gpu.shuffle xor {{%.+}}, %c16_i32, %c32_i32 : f32
// CHECK-NEXT: arith.maximumf
// CHECK: math.exp
// CHECK-COUNT-5: gpu.shuffle xor
// CHECK: math.exp
// CHECK: arith.divf
// CHECK: memref.store {{%.+}}, %arg2
func.func @scaled_softmax(%s: tensor<?x12x?x?xf32>) -> tensor<?x12x?x?xf32> {
  %c = transformer.constant dense<1.250000e-01> : tensor<f32>
  %t = transformer.mul %s, %c : tensor<?x12x?x?xf32>, tensor<f32> -> tensor<?x12x?x?xf32>
  %p = transformer.softmax %t {axis = -1 : i64} : tensor<?x12x?x?xf32>
  return %p : tensor<?x12x?x?xf32>
}

// -----

// log_softmax over 1000 columns: 8 chunks of 4 per lane in registers, the
// last one (columns 896..1023) guarded; y = x - max - log(sum).
// CHECK-LABEL: func.func @log_softmax(
// CHECK: gpu.launch_func @log_softmax_log_softmax::@log_softmax_log_softmax
// CHECK: gpu.func @log_softmax_log_softmax(
// CHECK-NOT: scf.for
// CHECK: arith.cmpi ult, {{%.+}}, %c1000 : index
// CHECK: math.log
// CHECK: arith.subf
// CHECK: arith.subf
func.func @log_softmax(%x: tensor<3x1000xf32>) -> tensor<3x1000xf32> {
  %y = transformer.log_softmax %x {axis = 1 : i64} : tensor<3x1000xf32>
  return %y : tensor<3x1000xf32>
}

// -----

// A 1-D LayerNorm of 50 (not a multiple of 4: scalar loads): one row.
// CHECK-LABEL: func.func @one_row(
// CHECK: memref.expand_shape {{%.+}} {{\[\[}}0, 1]] output_shape [1, 50] : memref<50xf32> into memref<1x50xf32>
// CHECK: gpu.launch_func @one_row_layer_norm::@one_row_layer_norm blocks in (%c1, %c1, %c1)
// CHECK: gpu.func @one_row_layer_norm(
// CHECK-NOT: vector.load
// CHECK: memref.load %arg0
func.func @one_row(%x: tensor<50xf32>, %g: tensor<50xf32>) -> tensor<50xf32> {
  %y = transformer.layer_norm %x scale %g : tensor<50xf32> : tensor<50xf32>
  return %y : tensor<50xf32>
}

// -----

// Left to convert-transformer-to-linalg: softmax over another axis,
// LayerNorm over two dims; a residual whose other user comes before the
// norm is not fused.
// CHECK-LABEL: func.func @left_alone(
// CHECK: transformer.softmax {{%.+}} {axis = 0 : i64}
// CHECK: transformer.layer_norm {{%.+}} {axis = -2 : i64}
// CHECK: [[H:%.+]] = transformer.add
// CHECK: transformer.exp [[H]]
// CHECK: gpu.launch_func @left_alone_layer_norm::@left_alone_layer_norm {{.*}} args({{%.+}} : memref<4x8xf32>, {{%.+}} : memref<4x8xf32>)
func.func @left_alone(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  %a = transformer.softmax %x {axis = 0 : i64} : tensor<4x8xf32>
  %b = transformer.layer_norm %x {axis = -2 : i64} : tensor<4x8xf32>
  %h = transformer.add %x, %x : tensor<4x8xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
  %e = transformer.exp %h : tensor<4x8xf32>
  %c = transformer.layer_norm %h : tensor<4x8xf32>
  return %a, %b, %e, %c : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}
