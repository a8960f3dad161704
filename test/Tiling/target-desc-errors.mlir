// Bad target descriptions are errors that name the problem, from the
// pipeline option and from the tiling passes' own options.
// RUN: not llm-opt %s --llm-cpu-pipeline="target-desc=l1=32K,l4=1M" 2>&1 | FileCheck %s --check-prefix=KEY
// RUN: not llm-opt %s --llm-cpu-pipeline="target-desc=l2=lots" 2>&1 | FileCheck %s --check-prefix=VALUE
// RUN: not llm-opt %s --llm-cpu-pipeline="target-desc=registers=0" 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: not llm-opt %s --llm-cpu-pipeline="target-desc=vector-bits=384" 2>&1 | FileCheck %s --check-prefix=BITS
// RUN: not llm-opt %s --llm-cpu-pipeline="target-desc=@%t.missing" 2>&1 | FileCheck %s --check-prefix=FILE
// RUN: not llm-opt %s --pass-pipeline='builtin.module(func.func(llm-tile-contractions{target-cpu=pentium-x}))' 2>&1 | FileCheck %s --check-prefix=CPU
// RUN: not llm-opt %s --pass-pipeline='builtin.module(func.func(llm-test-tile-sizes{target-desc=l1}))' 2>&1 | FileCheck %s --check-prefix=NOVALUE

// KEY: llm-cpu-pipeline: unknown target description key 'l4' (known: l1, l2, l3, line, vector-bits, registers, fma-units, fma-latency, threads, shared-memory, scratchpad, accumulator, vnni, amx-int8, amx-bf16; GPU: sms, warp-size, registers-per-sm, registers-per-thread, shared-memory-per-sm, threads-per-sm, threads-per-block, blocks-per-sm, tensor-macs, memory-bytes)
// VALUE: llm-cpu-pipeline: bad value 'lots' for target description key 'l2'
// ZERO: llm-cpu-pipeline: bad value '0' for target description key 'registers'
// BITS: llm-cpu-pipeline: vector-bits=384 must be a power of two of at least 64
// FILE: llm-cpu-pipeline: cannot read target description file '{{.*}}.missing'
// CPU: error: llm-tile-contractions: target-cpu=pentium-x is not an x86-64 CPU LLVM knows
// NOVALUE: error: llm-test-tile-sizes: bad value '' for target description key 'l1'
func.func @main(%a: tensor<2x2xf32>) -> tensor<2x2xf32> {
  return %a : tensor<2x2xf32>
}
