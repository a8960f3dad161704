// The tensor-core matmul kernel (llm-gpu-matmul) in PTX: for each chip and
// precision the kernel uses mma.sync of the right shape and types, stores
// the operand tiles to shared memory and reads the fragments from it,
// synchronizes the block, and the module assembles with ptxas for sm_80
// and sm_90. Shapes: odd (33 x 70 x 45), M = 1 (a decode step), a batch.
// REQUIRES: ptxas
// RUN: rm -rf %t && mkdir -p %t
// RUN: llm-opt %s --llm-nvptx-pipeline="chip=sm_80 matmul-precision=bf16" --emit=ptx -o %t/bf16-80.ptx
// RUN: FileCheck %s --check-prefixes=CHECK,BF16 --input-file=%t/bf16-80.ptx
// RUN: %ptxas -arch=sm_80 %t/bf16-80.ptx -o %t/bf16-80.cubin
// RUN: llm-opt %s --llm-nvptx-pipeline="chip=sm_90 matmul-precision=bf16" --emit=ptx -o %t/bf16-90.ptx
// RUN: FileCheck %s --check-prefixes=CHECK,BF16 --input-file=%t/bf16-90.ptx
// RUN: %ptxas -arch=sm_90 %t/bf16-90.ptx -o %t/bf16-90.cubin
// RUN: llm-opt %s --llm-nvptx-pipeline="chip=sm_80 matmul-precision=f16" --emit=ptx -o %t/f16-80.ptx
// RUN: FileCheck %s --check-prefixes=CHECK,F16 --input-file=%t/f16-80.ptx
// RUN: %ptxas -arch=sm_80 %t/f16-80.ptx -o %t/f16-80.cubin
// RUN: llm-opt %s --llm-nvptx-pipeline="chip=sm_90 matmul-precision=tf32" --emit=ptx -o %t/tf32-90.ptx
// RUN: FileCheck %s --check-prefixes=CHECK,TF32 --input-file=%t/tf32-90.ptx
// RUN: %ptxas -arch=sm_90 %t/tf32-90.ptx -o %t/tf32-90.cubin
// RUN: llm-opt %s --llm-nvptx-pipeline="chip=sm_80" --emit=ptx -o %t/f32-80.ptx
// RUN: FileCheck %s --check-prefixes=CHECK,TF32 --input-file=%t/f32-80.ptx
// RUN: %ptxas -arch=sm_80 %t/f32-80.ptx -o %t/f32-80.cubin
// RUN: llm-opt %s --llm-nvptx-pipeline="chip=sm_90 matmul-precision=f32" --emit=ptx -o %t/f32-90.ptx
// RUN: FileCheck %s --check-prefixes=CHECK,TF32 --input-file=%t/f32-90.ptx
// RUN: %ptxas -arch=sm_90 %t/f32-90.ptx -o %t/f32-90.cubin
// matmul-precision=none: the one-thread-per-element kernel, no mma.
// RUN: llm-opt %s --llm-nvptx-pipeline="matmul-precision=none" --emit=ptx -o %t/none.ptx
// RUN: FileCheck %s --check-prefix=NONE --input-file=%t/none.ptx
// RUN: %ptxas -arch=sm_90 %t/none.ptx -o %t/none.cubin

// CHECK-LABEL: .entry odd_kernel_0(
// CHECK: .shared .align {{[0-9]+}} .b8 {{.*}}[{{[0-9]+}}];
// CHECK: st.shared
// CHECK: bar.sync
// CHECK: ld.shared
// BF16: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// F16: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
// TF32: mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32
// CHECK: bar.sync
// CHECK-LABEL: .entry vecmat_kernel_{{[0-9]+}}(
// CHECK: mma.sync.aligned
// CHECK-LABEL: .entry batch_kernel_{{[0-9]+}}(
// CHECK: mma.sync.aligned
// NONE-NOT: mma.sync
// NONE-NOT: .shared
func.func @odd(%a: tensor<33x70xf32>, %b: tensor<70x45xf32>) -> tensor<33x45xf32> {
  %c = transformer.matmul %a, %b : tensor<33x70xf32>, tensor<70x45xf32> -> tensor<33x45xf32>
  return %c : tensor<33x45xf32>
}
func.func @vecmat(%a: tensor<1x768xf32>, %b: tensor<768x768xf32>) -> tensor<1x768xf32> {
  %c = transformer.matmul %a, %b : tensor<1x768xf32>, tensor<768x768xf32> -> tensor<1x768xf32>
  return %c : tensor<1x768xf32>
}
func.func @batch(%a: tensor<12x?x64xf32>, %b: tensor<12x64x?xf32>) -> tensor<12x?x?xf32> {
  %c = transformer.matmul %a, %b : tensor<12x?x64xf32>, tensor<12x64x?xf32> -> tensor<12x?x?xf32>
  return %c : tensor<12x?x?xf32>
}
