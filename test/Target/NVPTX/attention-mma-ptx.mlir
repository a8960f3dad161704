// The tensor-core attention kernel's PTX (causal f16, masked bf16, GQA +
// KV cache with head dim 128 in f16, f32 attention in bf16) assembles with
// ptxas for sm_80 and sm_90, without spills (ptxas -v's registers and
// spills are in docs/nvptx.md).
// RUN: rm -rf %t && mkdir -p %t
// RUN: llm-opt %s --llm-nvptx-pipeline="chip=sm_80 attention-precision=auto" --emit=ptx -o %t/auto-80.ptx
// RUN: FileCheck %s --check-prefixes=CHECK,AUTO --input-file=%t/auto-80.ptx
// RUN: %ptxas -arch=sm_80 -v %t/auto-80.ptx -o %t/auto-80.cubin 2>&1 | FileCheck %s --check-prefix=NOSPILL
// RUN: llm-opt %s --llm-nvptx-pipeline="chip=sm_90 attention-precision=bf16" --emit=ptx -o %t/bf16-90.ptx
// RUN: FileCheck %s --check-prefixes=CHECK,BF16 --input-file=%t/bf16-90.ptx
// RUN: %ptxas -arch=sm_90 -v %t/bf16-90.ptx -o %t/bf16-90.cubin 2>&1 | FileCheck %s --check-prefix=NOSPILL
// RUN: llm-opt %s --llm-nvptx-pipeline="chip=sm_90 attention-precision=f16" --emit=ptx -o %t/f16-90.ptx
// RUN: %ptxas -arch=sm_90 -v %t/f16-90.ptx -o %t/f16-90.cubin 2>&1 | FileCheck %s --check-prefix=NOSPILL
// REQUIRES: ptxas, libdevice

// CHECK-LABEL: .entry causal_attention(
// CHECK: .shared .align {{[0-9]+}} .b8 {{.*}}[{{[0-9]+}}];
// CHECK: bar.sync
// AUTO: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
// BF16: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// CHECK: shfl.sync.bfly.b32
// CHECK-LABEL: .entry f32_attention(
// AUTO-NOT: mma.sync
// BF16: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// NOSPILL-NOT: {{[1-9][0-9]*}} bytes spill

func.func @causal(%q: tensor<1x12x256x64xf16>, %k: tensor<1x12x256x64xf16>, %v: tensor<1x12x256x64xf16>) -> tensor<1x12x256x64xf16> {
  %o = transformer.attention %q, %k, %v {causal} : tensor<1x12x256x64xf16>, tensor<1x12x256x64xf16>, tensor<1x12x256x64xf16> -> tensor<1x12x256x64xf16>
  return %o : tensor<1x12x256x64xf16>
}
func.func @masked(%q: tensor<2x12x?x64xbf16>, %k: tensor<2x12x?x64xbf16>, %v: tensor<2x12x?x64xbf16>, %m: tensor<2x1x?x?xbf16>) -> tensor<2x12x?x64xbf16> {
  %o = transformer.attention %q, %k, %v mask(%m : tensor<2x1x?x?xbf16>) : tensor<2x12x?x64xbf16>, tensor<2x12x?x64xbf16>, tensor<2x12x?x64xbf16> -> tensor<2x12x?x64xbf16>
  return %o : tensor<2x12x?x64xbf16>
}
func.func @decode(%q: tensor<?x32x?x128xf16>, %k: tensor<?x8x?x128xf16>, %v: tensor<?x8x?x128xf16>, %pk: tensor<?x8x?x128xf16>, %pv: tensor<?x8x?x128xf16>) -> (tensor<?x32x?x128xf16>, tensor<?x8x?x128xf16>, tensor<?x8x?x128xf16>) {
  %o, %npk, %npv = transformer.attention %q, %k, %v past(%pk, %pv : tensor<?x8x?x128xf16>, tensor<?x8x?x128xf16>) {causal, num_kv_heads = 8 : i64} : tensor<?x32x?x128xf16>, tensor<?x8x?x128xf16>, tensor<?x8x?x128xf16> -> tensor<?x32x?x128xf16>, tensor<?x8x?x128xf16>, tensor<?x8x?x128xf16>
  return %o, %npk, %npv : tensor<?x32x?x128xf16>, tensor<?x8x?x128xf16>, tensor<?x8x?x128xf16>
}
func.func @f32(%q: tensor<1x12x?x64xf32>, %k: tensor<1x12x?x64xf32>, %v: tensor<1x12x?x64xf32>) -> tensor<1x12x?x64xf32> {
  %o = transformer.attention %q, %k, %v : tensor<1x12x?x64xf32>, tensor<1x12x?x64xf32>, tensor<1x12x?x64xf32> -> tensor<1x12x?x64xf32>
  return %o : tensor<1x12x?x64xf32>
}
