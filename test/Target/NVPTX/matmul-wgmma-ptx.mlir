// The wgmma matmul kernel (llm-gpu-matmul, chip=sm_90a, bf16 / f16) in PTX:
// `.target sm_90a`, the tiles stored to shared memory, the async-proxy
// fence and the barrier before the wgmmas, wgmma.fence, wgmma.mma_async
// (inline PTX from convert-nvvm-to-llvm) with both operands from
// descriptors (no transpose), commit_group, wait_group 0; ptxas assembles it
// for sm_90a without spills and without serializing the wgmmas. Shapes:
// odd (33 x 70 x 45), M = 1 (a decode step), a dynamic batch, a large
// linear layer (two warpgroups). sm_90 (no "a") keeps mma.sync.
// REQUIRES: ptxas
// RUN: rm -rf %t && mkdir -p %t
// RUN: llm-opt %s --llm-nvptx-pipeline="chip=sm_90a matmul-precision=bf16" --emit=ptx -o %t/bf16.ptx
// RUN: FileCheck %s --check-prefixes=CHECK,BF16 --input-file=%t/bf16.ptx
// RUN: %ptxas -arch=sm_90a -v %t/bf16.ptx -o %t/bf16.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: llm-opt %s --llm-nvptx-pipeline="chip=sm_90a matmul-precision=f16" --emit=ptx -o %t/f16.ptx
// RUN: FileCheck %s --check-prefixes=CHECK,F16 --input-file=%t/f16.ptx
// RUN: %ptxas -arch=sm_90a -v %t/f16.ptx -o %t/f16.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: llm-opt %s --llm-nvptx-pipeline="chip=sm_90 matmul-precision=bf16" --emit=ptx -o %t/sm90.ptx
// RUN: FileCheck %s --check-prefix=SM90 --input-file=%t/sm90.ptx
// RUN: %ptxas -arch=sm_90 %t/sm90.ptx -o %t/sm90.cubin

// CHECK: .target sm_90a
// CHECK-LABEL: .entry odd_kernel_0(
// CHECK: .shared .align {{[0-9]+}} .b8 {{.*}}[{{[0-9]+}}];
// CHECK: st.shared
// CHECK: fence.proxy.async.shared::cta;
// CHECK-NEXT: bar.sync
// CHECK: wgmma.fence.sync.aligned;
// BF16: wgmma.mma_async.sync.aligned.m64n{{[0-9]+}}k16.f32.bf16.bf16 {{.*}}, p, 1, 1, 0, 0;
// F16: wgmma.mma_async.sync.aligned.m64n{{[0-9]+}}k16.f32.f16.f16 {{.*}}, p, 1, 1, 0, 0;
// CHECK: wgmma.commit_group.sync.aligned;
// CHECK: wgmma.wait_group.sync.aligned 0;
// CHECK-NEXT: bar.sync
// CHECK-LABEL: .entry vecmat_kernel_{{[0-9]+}}(
// CHECK: wgmma.mma_async.sync.aligned.m64n{{[0-9]+}}k16
// CHECK-LABEL: .entry batch_kernel_{{[0-9]+}}(
// CHECK: wgmma.mma_async.sync.aligned.m64n{{[0-9]+}}k16
// CHECK-LABEL: .entry linear_kernel_{{[0-9]+}}(
// CHECK: .maxntid 256, 1, 1
// CHECK: wgmma.mma_async.sync.aligned.m64n128k16
// PTXAS-NOT: {{[1-9][0-9]*}} bytes spill
// PTXAS-NOT: Potential Performance Loss
// SM90: .target sm_90
// SM90-NOT: wgmma
// SM90: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// SM90-NOT: wgmma
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
func.func @linear(%a: tensor<?x768xf32>, %b: tensor<768x3072xf32>) -> tensor<?x3072xf32> {
  %c = transformer.matmul %a, %b : tensor<?x768xf32>, tensor<768x3072xf32> -> tensor<?x3072xf32>
  return %c : tensor<?x3072xf32>
}
