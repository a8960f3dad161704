// Option values the CPU pipeline rejects, with what is wrong with them.
// RUN: not llm-opt %s --llm-cpu-pipeline="quantize=int8" 2>&1 | FileCheck %s --check-prefix=QUANT
// RUN: not llm-opt %s --llm-cpu-pipeline="target-cpu=pentium-x" 2>&1 | FileCheck %s --check-prefix=CPU
// RUN: not llm-opt %s --llm-cpu-pipeline="no-such-option=1" 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not llm-opt %s --llm-cpu-pipeline="quantize=int4-weight quantize-scale-type=bf16" 2>&1 | FileCheck %s --check-prefix=SCALE
// RUN: not llm-opt %s --transformer-quantize="mode=int2" 2>&1 | FileCheck %s --check-prefix=PASS
// The other options are accepted (fuse-attention/raise-patterns: test/Transforms/cpu-pipeline-fusion.mlir).
// RUN: llm-opt %s --llm-cpu-pipeline="quantize=none fuse-attention=true raise-patterns=true target-cpu=x86-64-v3" | FileCheck %s --check-prefix=OK
// RUN: llm-opt %s --llm-cpu-pipeline="quantize=int4-weight quantize-group-size=64 quantize-scale-type=f16 quantize-zero-point=true quantize-exclude=lm_head,embed" | FileCheck %s --check-prefix=OK2

// QUANT: llm-cpu-pipeline: quantize=int8 is not a quantization mode (none, int8-weight, int8-dynamic, int4-weight)
// SCALE: llm-cpu-pipeline: quantize-scale-type=bf16 is not f32 or f16
// PASS: error: transformer-quantize: mode=int2 is not one of none, int8-weight, int8-dynamic, int4-weight
// CPU: llm-cpu-pipeline: target-cpu=pentium-x is not an x86-64 CPU LLVM knows
// UNKNOWN: no-such-option
// OK: llvm.func @main({{.*}}target_cpu = "x86-64-v3"
// OK2: llvm.func @main(

func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %e = transformer.exp %x : tensor<4xf32>
  return %e : tensor<4xf32>
}
