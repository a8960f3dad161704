// The NVPTX pipeline compiles transformer ops to GPU kernels: every linalg
// op becomes a gpu.launch_func of a kernel in the one gpu.module
// @llm_kernels, lowered to NVVM (thread/block ids, libdevice math inlined)
// and embedded as PTX for the chip in a gpu.binary. Host code keeps the
// allocations and launches; no linalg, parallel loop or transformer op is
// left.
// REQUIRES: libdevice
// RUN: llm-opt %s -split-input-file --llm-nvptx-pipeline | FileCheck %s
// RUN: llm-opt %s -split-input-file --llm-nvptx-pipeline \
// RUN:   --mlir-print-ir-after=convert-gpu-to-nvvm 2>&1 >/dev/null \
// RUN:   | FileCheck %s --check-prefix=NVVM
// RUN: llm-opt %s -split-input-file --llm-nvptx-pipeline="chip=sm_80 features=+ptx70" \
// RUN:   | FileCheck %s --check-prefix=SM80

// CHECK-NOT: transformer.
// CHECK-NOT: linalg.
// CHECK-NOT: scf.parallel
// CHECK-LABEL: func.func @elementwise(
// CHECK-SAME: [[X:%[^:]+]]: memref<?x64xf32>
// CHECK: [[OUT:%.+]] = memref.alloc(
// GELU-like chain fused into one kernel; rows over blocks y, 64 columns
// over 2 blocks x of 32 threads.
// CHECK: gpu.launch_func @llm_kernels::@elementwise_kernel blocks in (%c2, %{{[^,]+}}, %c1) threads in (%c32, %c8, %c1) args({{.*}}[[X]] : memref<?x64xf32>, {{.*}}[[OUT]] : memref<?x64xf32>)
// CHECK-NOT: gpu.launch_func
// CHECK: return [[OUT]]
// CHECK: gpu.binary @llm_kernels [#gpu.object<#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">
// CHECK-SAME: assembly = "{{.*}}.version 8.0{{.*}}.target sm_90{{.*}}.visible .entry elementwise_kernel(

// NVVM-LABEL: gpu.module @llm_kernels
// NVVM: llvm.func @elementwise_kernel(
// NVVM-SAME: gpu.kernel
// NVVM-SAME: nvvm.kernel
// NVVM-DAG: nvvm.read.ptx.sreg.ctaid.x
// NVVM-DAG: nvvm.read.ptx.sreg.tid.x
// NVVM-DAG: nvvm.read.ptx.sreg.ctaid.y
// NVVM-DAG: nvvm.read.ptx.sreg.tid.y
// NVVM: llvm.call @__nv_tanhf
// NVVM: llvm.store

// SM80: gpu.binary @llm_kernels [#gpu.object<#nvvm.target<O = 3, chip = "sm_80", features = "+ptx70">
// SM80-SAME: .target sm_80

func.func @elementwise(%x: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %t = transformer.tanh %x : tensor<?x64xf32>
  %y = transformer.mul %x, %t : tensor<?x64xf32>, tensor<?x64xf32> -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

// -----

// Softmax: one fused row-per-warp kernel (convert-transformer-norms-to-gpu,
// 4 rows per 128-thread block; test/Conversion/TransformerToGPU has it in
// detail).
// CHECK-LABEL: func.func @softmax(
// CHECK: gpu.launch_func @llm_kernels::@softmax_softmax blocks in ({{.+}}) threads in (%c128, %c1, %c1)
// CHECK-NOT: gpu.launch_func
// CHECK: gpu.binary @llm_kernels
// CHECK-SAME: .entry softmax_softmax(
// The exponential comes from libdevice, linked and inlined: no call is left.
// CHECK-SAME: ex2.approx
// CHECK-NOT: __nv_expf
// NVVM-LABEL: gpu.module @llm_kernels
// NVVM: llvm.func @softmax_softmax(
// NVVM: llvm.call @__nv_expf
func.func @softmax(%x: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %s = transformer.softmax %x {axis = -1 : i64} : tensor<?x64xf32>
  return %s : tensor<?x64xf32>
}

// -----

// LayerNorm: one fused kernel too (the rows collapsed to [?, 768]).
// CHECK-LABEL: func.func @layer_norm(
// CHECK: gpu.launch_func @llm_kernels::@layer_norm_layer_norm blocks in ({{.+}}) threads in (%c128, %c1, %c1) args({{%.+}} : memref<?x768xf32>
// CHECK-NOT: gpu.launch_func
// CHECK: gpu.binary @llm_kernels
// CHECK-SAME: rsqrt.approx
// NVVM-LABEL: gpu.module @llm_kernels
// NVVM: llvm.func @layer_norm_layer_norm(
func.func @layer_norm(%x: tensor<?x?x768xf32>, %g: tensor<768xf32>, %b: tensor<768xf32>) -> tensor<?x?x768xf32> {
  %y = transformer.layer_norm %x scale %g : tensor<768xf32> bias %b : tensor<768xf32> {epsilon = 1.0e-05 : f32} : tensor<?x?x768xf32>
  return %y : tensor<?x?x768xf32>
}

// -----

// Matmul: zero fill (one thread per element), then the product as the
// tiled tensor-core kernel of llm-gpu-matmul (the default matmul-precision
// f32 is 3xTF32: three m16n8k8 tf32 mmas per step). On sm_90 (132 SMs) the
// cost model halves the 128x128 block tile until the grid fills the SMs:
// 16x16 tiles, a 16 x 8 grid of 2 warps; test/Pipelines/nvptx-matmul.mlir
// has the kernel in detail.
// CHECK-LABEL: func.func @matmul(
// CHECK: gpu.launch_func @llm_kernels::@matmul_kernel blocks in
// CHECK: gpu.launch_func @llm_kernels::@matmul_kernel_0 blocks in (%c16, %c8, %c1) threads in (%c64, %c1, %c1) args({{.*}}memref<128x96xf32>{{.*}}memref<96x256xf32>{{.*}}memref<128x256xf32>
// CHECK: gpu.binary @llm_kernels
// CHECK-SAME: .entry matmul_kernel_0(
// CHECK-SAME: ld.shared
// CHECK-SAME: mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32
// NVVM-LABEL: gpu.module @llm_kernels
// NVVM: llvm.func @matmul_kernel_0(
// NVVM: nvvm.barrier
// NVVM: nvvm.mma.sync
func.func @matmul(%a: tensor<128x96xf32>, %b: tensor<96x256xf32>) -> tensor<128x256xf32> {
  %c = transformer.matmul %a, %b : tensor<128x96xf32>, tensor<96x256xf32> -> tensor<128x256xf32>
  return %c : tensor<128x256xf32>
}

// -----

// Attention (causal, 4-D): one fused flash-attention kernel
// (convert-transformer-to-gpu; test/Target/NVPTX/attention-kernel.mlir
// checks its body): one block of 64 query rows x 4 lanes per (query tile,
// head, batch), no host loop, no other kernel.
// CHECK-LABEL: func.func @attention(
// CHECK-NOT: scf.for
// CHECK: gpu.launch_func @llm_kernels::@attention_attention blocks in (%c1, %c4, %c1) threads in (%c256, %c1, %c1)
// CHECK-NOT: gpu.launch_func
// CHECK: gpu.binary @llm_kernels
// CHECK-SAME: .entry attention_attention(
// NVVM-LABEL: gpu.module @llm_kernels
// NVVM: llvm.func @attention_attention(
// NVVM-DAG: nvvm.read.ptx.sreg.tid.x
// NVVM-DAG: nvvm.barrier
func.func @attention(%q: tensor<1x4x16x32xf32>, %k: tensor<1x4x16x32xf32>, %v: tensor<1x4x16x32xf32>) -> tensor<1x4x16x32xf32> {
  %o = transformer.attention %q, %k, %v {causal} : tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32>, tensor<1x4x16x32xf32> -> tensor<1x4x16x32xf32>
  return %o : tensor<1x4x16x32xf32>
}
