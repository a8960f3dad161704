// The fused normalization kernels (convert-transformer-norms-to-gpu) through
// the whole NVPTX pipeline: one kernel per norm (the residual add included,
// no fill or reduction kernels), warp shuffles (shfl.sync.bfly), 128-bit
// global loads/stores for static rows, shared memory and a barrier only for
// the long rows of a row per block; the PTX assembles for sm_90 and sm_80. With fuse-norms=false the same module
// takes the linalg route's 4 + 5 + 4 kernels (and the add's).
// REQUIRES: ptxas, libdevice
// RUN: rm -rf %t && mkdir -p %t
// RUN: llm-opt %s --llm-nvptx-pipeline --emit=ptx -o %t/n90.ptx
// RUN: FileCheck %s --input-file=%t/n90.ptx
// RUN: %ptxas -arch=sm_90 %t/n90.ptx -o %t/n90.cubin
// RUN: llm-opt %s --llm-nvptx-pipeline="chip=sm_80" --emit=ptx -o %t/n80.ptx
// RUN: FileCheck %s --input-file=%t/n80.ptx
// RUN: %ptxas -arch=sm_80 %t/n80.ptx -o %t/n80.cubin
// RUN: grep -c "^.visible .entry" %t/n90.ptx | FileCheck %s --check-prefix=COUNT
// RUN: llm-opt %s --llm-nvptx-pipeline="fuse-norms=false" --emit=ptx -o %t/unfused.ptx
// RUN: grep -c "^.visible .entry" %t/unfused.ptx | FileCheck %s --check-prefix=UNFUSED
// RUN: llm-opt %s --llm-nvptx-pipeline="norm-warps-per-block=8" | FileCheck %s --check-prefix=WARPS8
// RUN: not llm-opt %s --llm-nvptx-pipeline="norm-warps-per-block=33" 2>&1 | FileCheck %s --check-prefix=BADWARPS

// COUNT: 3
// UNFUSED: {{1[0-9]}}
// 2 x 16 rows of LayerNorm, 8 per block; 256 threads.
// WARPS8: gpu.launch_func @llm_kernels::@main_layer_norm blocks in (%c4, %c1, %c1) threads in (%c256, %c1, %c1)
// BADWARPS: norm-warps-per-block=33 is not in 1..32

// CHECK-DAG: .visible .entry main_layer_norm(
// CHECK-DAG: .visible .entry main_softmax(
// CHECK-DAG: .visible .entry main_rms_norm(
// CHECK-DAG: shfl.sync.bfly.b32 {{.*}}, 16, 31, -1;
// CHECK-DAG: shfl.sync.bfly.b32 {{.*}}, 1, 31, -1;
// CHECK-DAG: ld.global.v4.b32
// CHECK-DAG: st.global.v4.b32
// CHECK-DAG: ld.global.v4.b16
// The RMSNorm's rows (4100) get a block each: its warps' sums go through
// 64 bytes of shared memory and one barrier, the only one in the module.
// CHECK-DAG: .shared .align {{[0-9]+}} .b8 {{.*}}[64];
// CHECK-DAG: bar.sync 0;
// RUN: grep -c "bar.sync" %t/n90.ptx | FileCheck %s --check-prefix=BARRIERS
// BARRIERS: 1
func.func @main(%x: tensor<2x16x768xf32>, %a: tensor<2x16x768xf32>, %g: tensor<768xf32>, %b: tensor<768xf32>,
                %s: tensor<?x12x?x?xf32>, %r: tensor<3x4100xf16>, %rg: tensor<4100xf16>)
    -> (tensor<2x16x768xf32>, tensor<2x16x768xf32>, tensor<?x12x?x?xf32>, tensor<3x4100xf16>) {
  %h = transformer.add %x, %a : tensor<2x16x768xf32>, tensor<2x16x768xf32> -> tensor<2x16x768xf32>
  %y = transformer.layer_norm %h scale %g : tensor<768xf32> bias %b : tensor<768xf32> {epsilon = 1.0e-05 : f32} : tensor<2x16x768xf32>
  %p = transformer.softmax %s {axis = -1 : i64} : tensor<?x12x?x?xf32>
  %q = transformer.rms_norm %r scale %rg : tensor<4100xf16> {epsilon = 1.0e-06 : f32} : tensor<3x4100xf16>
  return %y, %h, %p, %q : tensor<2x16x768xf32>, tensor<2x16x768xf32>, tensor<?x12x?x?xf32>, tensor<3x4100xf16>
}
