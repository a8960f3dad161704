// A model compiled with threads=2 as a shared library: it needs libomp
// (DT_NEEDED, so a plain C program links and runs it without knowing), its
// outer matmul loop is a parallel region, and a C program gets numpy's
// result with 1 and 2 OpenMP threads (OMP_NUM_THREADS), bitwise the same.
// M = 1 (split by columns), 61 (prime) and 200 (several register tiles).
// RUN: rm -rf %t && mkdir -p %t
// RUN: llm-opt %s --llm-cpu-pipeline=threads=2 --emit=shared -o %t/libgemm.so
// RUN: llvm-readelf --dynamic-table %t/libgemm.so | FileCheck %s --check-prefix=NEEDED
// RUN: %clang -std=c11 -Wall -Wextra -Werror %S/Inputs/threads_gemm.c -L%t -lgemm -Wl,-rpath,%t -o %t/gemm
// RUN: env OMP_NUM_THREADS=1 %t/gemm 1 > %t/m1-t1.bin
// RUN: env OMP_NUM_THREADS=2 %t/gemm 1 > %t/m1-t2.bin
// RUN: %python %S/Inputs/check_threads_gemm.py %t/m1-t2.bin 1 %t/m1-t1.bin | FileCheck %s --check-prefix=M1
// RUN: env OMP_NUM_THREADS=1 %t/gemm 61 > %t/m61-t1.bin
// RUN: env OMP_NUM_THREADS=2 %t/gemm 61 > %t/m61-t2.bin
// RUN: %python %S/Inputs/check_threads_gemm.py %t/m61-t2.bin 61 %t/m61-t1.bin | FileCheck %s --check-prefix=M61
// RUN: env OMP_NUM_THREADS=2 %t/gemm 200 > %t/m200-t2.bin
// RUN: %python %S/Inputs/check_threads_gemm.py %t/m200-t2.bin 200 | FileCheck %s --check-prefix=M200

// NEEDED: (NEEDED) Shared library: [libomp.so
// M1: threads gemm m=1 matches numpy
// M61: threads gemm m=61 matches numpy
// M200: threads gemm m=200 matches numpy

func.func @main(%a: tensor<?x256xf32>, %b: tensor<256x384xf32>) -> tensor<?x384xf32> {
  %0 = transformer.matmul %a, %b : tensor<?x256xf32>, tensor<256x384xf32> -> tensor<?x384xf32>
  return %0 : tensor<?x384xf32>
}
