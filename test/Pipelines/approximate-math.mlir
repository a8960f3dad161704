// llm-approximate-math in the CPU pipeline: exp, tanh, erf and log become
// vector polynomials (no math op, no libm call left), sin/cos stay math ops
// (libm); the compiled values agree with numpy/math in float64, special
// values included (Inputs/approximate_math.py states the bars).
// RUN: llm-opt %s --llm-approximate-math | FileCheck %s
// RUN: rm -rf %t && %python %S/Inputs/approximate_math.py llm-run %s %t | FileCheck %s --check-prefix=VALUES

// CHECK-LABEL: func.func @main
// CHECK-NOT: math.exp
// CHECK-NOT: math.tanh
// CHECK-NOT: math.erf
// CHECK-NOT: math.log
// CHECK: math.fma
// CHECK: math.sin
// CHECK: math.cos
// CHECK: return

// VALUES: exp: 4017 values
// VALUES: tanh: 4017 values
// VALUES: erf: 4017 values
// VALUES: log: 4017 values
// VALUES: PASS

func.func @main(%x: tensor<4017xf32>) -> (tensor<4017xf32>, tensor<4017xf32>, tensor<4017xf32>, tensor<4017xf32>) {
  %e = transformer.exp %x : tensor<4017xf32>
  %t = transformer.tanh %x : tensor<4017xf32>
  %r = transformer.erf %x : tensor<4017xf32>
  %l = transformer.log %x : tensor<4017xf32>
  return %e, %t, %r, %l : tensor<4017xf32>, tensor<4017xf32>, tensor<4017xf32>, tensor<4017xf32>
}

func.func @vectors(%x: vector<16xf32>) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
  %e = math.exp %x : vector<16xf32>
  %t = math.tanh %x : vector<16xf32>
  %r = math.erf %x : vector<16xf32>
  %l = math.log %x : vector<16xf32>
  %s = math.sin %x : vector<16xf32>
  %c = math.cos %x : vector<16xf32>
  return %e, %t, %r, %l, %s, %c : vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>
}
