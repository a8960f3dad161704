// llm-opt --emit=ptx writes the PTX of all kernels as one module, which the
// CUDA toolkit's ptxas assembles for the chip it was compiled for;
// --emit=cubin runs ptxas itself and writes an NVIDIA ELF.
// REQUIRES: ptxas
// RUN: rm -rf %t && mkdir -p %t
// RUN: llm-opt %s --llm-nvptx-pipeline --emit=ptx -o %t/k90.ptx
// RUN: FileCheck %s --input-file=%t/k90.ptx
// RUN: %ptxas -arch=sm_90 %t/k90.ptx -o %t/k90.cubin
// RUN: llm-opt %s --llm-nvptx-pipeline="chip=sm_80" --emit=ptx -o %t/k80.ptx
// RUN: FileCheck %s --check-prefix=SM80 --input-file=%t/k80.ptx
// RUN: %ptxas -arch=sm_80 %t/k80.ptx -o %t/k80.cubin
// RUN: llm-opt %s --llm-nvptx-pipeline --emit=cubin -o %t/k.cubin
// RUN: llvm-readelf -h %t/k.cubin | FileCheck %s --check-prefix=ELF
// No ptxas in the given toolkit nor on PATH: a clear error naming it.
// RUN: not env PATH=/nonexistent llm-opt %s --llm-nvptx-pipeline --emit=cubin --cuda-path=/nonexistent -o %t/x.cubin 2>&1 | FileCheck %s --check-prefix=NOPTXAS
// RUN: not test -e %t/x.cubin
// Without the NVPTX pipeline there is no PTX to write.
// RUN: not llm-opt %s --emit=ptx -o %t/x.ptx 2>&1 | FileCheck %s --check-prefix=NOBIN
// RUN: not llm-opt %s --llm-nvptx-pipeline --emit=cubin 2>&1 | FileCheck %s --check-prefix=STDOUT

// CHECK: .version 8.0
// CHECK-NEXT: .target sm_90
// CHECK: .visible .entry scale_kernel(
// CHECK: .maxntid 32, 8, 1
// CHECK: mov.u32 {{.*}}%tid.x
// CHECK: ld.global
// CHECK: mul.rn.f32
// CHECK: st.global
// CHECK: .visible .entry scale_kernel_0(
// CHECK: .maxntid 256, 1, 1

// SM80: .target sm_80
// SM80: .entry scale_kernel(

// ELF: Class: ELF64
// ELF: Machine: NVIDIA CUDA architecture

// NOPTXAS: error: --emit=cubin needs ptxas (the CUDA toolkit's PTX assembler), which is neither in /nonexistent/bin nor on PATH: install the CUDA toolkit and pass --cuda-path=DIR, or write PTX with --emit=ptx
// NOBIN: error: --emit=ptx|cubin needs exactly one gpu.binary (the kernels' PTX), found 0; compile with --llm-nvptx-pipeline first
// STDOUT: error: --emit=cubin writes a binary file: give it with -o FILE

func.func @scale(%x: tensor<?x64xf32>, %s: tensor<64xf32>) -> (tensor<?x64xf32>, tensor<64xf32>) {
  %y = transformer.mul %x, %s : tensor<?x64xf32>, tensor<64xf32> -> tensor<?x64xf32>
  %n = transformer.neg %s : tensor<64xf32>
  return %y, %n : tensor<?x64xf32>, tensor<64xf32>
}
