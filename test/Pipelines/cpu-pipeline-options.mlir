// Option values the CPU pipeline rejects, with what is wrong with them.
// RUN: not llm-opt %s --llm-cpu-pipeline="quantize=int8" 2>&1 | FileCheck %s --check-prefix=QUANT
// RUN: not llm-opt %s --llm-cpu-pipeline="target-cpu=pentium-x" 2>&1 | FileCheck %s --check-prefix=CPU
// RUN: not llm-opt %s --llm-cpu-pipeline="no-such-option=1" 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// The reserved options are accepted.
// RUN: llm-opt %s --llm-cpu-pipeline="quantize=none fuse-attention=true raise-patterns=true target-cpu=x86-64-v3" | FileCheck %s --check-prefix=OK

// QUANT: llm-cpu-pipeline: quantize=int8 is not supported yet: the only accepted value is 'none'
// CPU: llm-cpu-pipeline: target-cpu=pentium-x is not an x86-64 CPU LLVM knows
// UNKNOWN: no-such-option
// OK: llvm.func @main({{.*}}target_cpu = "x86-64-v3"

func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %e = transformer.exp %x : tensor<4xf32>
  return %e : tensor<4xf32>
}
