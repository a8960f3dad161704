// Execution test of the math op lowering: lowers with
// convert-transformer-to-linalg and the reference CPU lowering, runs @main,
// and compares every printed tensor with numpy (the NUMPY:/EXPECT: lines;
// see Inputs/check_numpy.py). The inputs are written twice, as MLIR
// constants and as numpy arrays; dynamic shapes come from tensor.cast.
// RUN: llm-opt %s --convert-transformer-to-linalg | %cpu-lower | %cpu-run | %python %S/Inputs/check_numpy.py %s | FileCheck %s
// CHECK: PASS: 25 tensors match numpy

// NUMPY: import math
// NUMPY: a = np.array([[1.5, -2.0, 3.25], [0.0, 4.0, -0.5]], np.float32)
// NUMPY: b = np.array([10.0, 20.0, 30.0], np.float32)
// NUMPY: c = np.array([[2.0], [-1.0]], np.float32)
// NUMPY: x = np.arange(24, dtype=np.float32).reshape(2, 3, 4) * np.float32(0.25) - np.float32(2.0)
// NUMPY: nan = np.float32('nan')

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI32(tensor<*xi32>)
func.func private @printMemrefI64(tensor<*xi64>)

func.func @main() {
  %a = transformer.constant dense<[[1.5, -2.0, 3.25], [0.0, 4.0, -0.5]]> : tensor<2x3xf32>
  %b = transformer.constant dense<[10.0, 20.0, 30.0]> : tensor<3xf32>
  %c = transformer.constant dense<[[2.0], [-1.0]]> : tensor<2x1xf32>
  %x = transformer.constant dense<[[[-2.0, -1.75, -1.5, -1.25], [-1.0, -0.75, -0.5, -0.25], [0.0, 0.25, 0.5, 0.75]],
                                   [[1.0, 1.25, 1.5, 1.75], [2.0, 2.25, 2.5, 2.75], [3.0, 3.25, 3.5, 3.75]]]> : tensor<2x3x4xf32>
  %ad = tensor.cast %a : tensor<2x3xf32> to tensor<?x?xf32>
  %xd = tensor.cast %x : tensor<2x3x4xf32> to tensor<?x?x4xf32>

  // Broadcasting binary ops, static and dynamic.
  // EXPECT: a + b
  %add = transformer.add %a, %b : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  %add_p = tensor.cast %add : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%add_p) : (tensor<*xf32>) -> ()
  // EXPECT: c * b
  %mul = transformer.mul %c, %b : tensor<2x1xf32>, tensor<3xf32> -> tensor<2x3xf32>
  %mul_p = tensor.cast %mul : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%mul_p) : (tensor<*xf32>) -> ()
  // EXPECT: a - c
  %sub = transformer.sub %ad, %c : tensor<?x?xf32>, tensor<2x1xf32> -> tensor<2x?xf32>
  %sub_p = tensor.cast %sub : tensor<2x?xf32> to tensor<*xf32>
  call @printMemrefF32(%sub_p) : (tensor<*xf32>) -> ()
  // EXPECT: x / b[:, None]
  %b3 = transformer.constant dense<[[10.0], [20.0], [30.0]]> : tensor<3x1xf32>
  %div = transformer.div %xd, %b3 : tensor<?x?x4xf32>, tensor<3x1xf32> -> tensor<?x3x4xf32>
  %div_p = tensor.cast %div : tensor<?x3x4xf32> to tensor<*xf32>
  call @printMemrefF32(%div_p) : (tensor<*xf32>) -> ()
  // EXPECT: np.power(np.abs(a), c)
  %absa = transformer.abs %a : tensor<2x3xf32>
  %pow = transformer.pow %absa, %c : tensor<2x3xf32>, tensor<2x1xf32> -> tensor<2x3xf32>
  %pow_p = tensor.cast %pow : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%pow_p) : (tensor<*xf32>) -> ()

  // max/min propagate NaN (np.maximum / np.minimum do too).
  // NUMPY: p = np.array([1.0, nan, -3.0, 0.5], np.float32)
  // NUMPY: q = np.array([2.0, 1.0, nan, -0.5], np.float32)
  %p = transformer.constant dense<[1.0, 0x7FC00000, -3.0, 0.5]> : tensor<4xf32>
  %q = transformer.constant dense<[2.0, 1.0, 0x7FC00000, -0.5]> : tensor<4xf32>
  // EXPECT: np.maximum(p, q)
  %max = transformer.max %p, %q : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %max_p = tensor.cast %max : tensor<4xf32> to tensor<*xf32>
  call @printMemrefF32(%max_p) : (tensor<*xf32>) -> ()
  // EXPECT: np.minimum(p, q)
  %min = transformer.min %p, %q : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %min_p = tensor.cast %min : tensor<4xf32> to tensor<*xf32>
  call @printMemrefF32(%min_p) : (tensor<*xf32>) -> ()

  // compare (to i1, printed as f32) and where, broadcasting all operands.
  // EXPECT: (a < c).astype(np.float32)
  %lt = transformer.compare lt, %a, %c : tensor<2x3xf32>, tensor<2x1xf32> -> tensor<2x3xi1>
  %lt_f = transformer.cast %lt : tensor<2x3xi1> to tensor<2x3xf32>
  %lt_p = tensor.cast %lt_f : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%lt_p) : (tensor<*xf32>) -> ()
  // EXPECT: (p != q).astype(np.float32)
  %ne = transformer.compare ne, %p, %q : tensor<4xf32>, tensor<4xf32> -> tensor<4xi1>
  %ne_f = transformer.cast %ne : tensor<4xi1> to tensor<4xf32>
  %ne_p = tensor.cast %ne_f : tensor<4xf32> to tensor<*xf32>
  call @printMemrefF32(%ne_p) : (tensor<*xf32>) -> ()
  // EXPECT: np.where(a < c, a, b)
  %where = transformer.where %lt, %ad, %b : tensor<2x3xi1>, tensor<?x?xf32>, tensor<3xf32> -> tensor<2x3xf32>
  %where_p = tensor.cast %where : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%where_p) : (tensor<*xf32>) -> ()

  // Casts: f32 -> i32 truncates toward zero; i64 -> f32 rounds.
  // NUMPY: f = np.array([[1.7, -1.7, 2.5], [-0.5, 100.9, -3.99]], np.float32)
  %f = transformer.constant dense<[[1.7, -1.7, 2.5], [-0.5, 100.9, -3.99]]> : tensor<2x3xf32>
  // EXPECT: f.astype(np.int32)
  %fi = transformer.cast %f : tensor<2x3xf32> to tensor<2x3xi32>
  %fi_p = tensor.cast %fi : tensor<2x3xi32> to tensor<*xi32>
  call @printMemrefI32(%fi_p) : (tensor<*xi32>) -> ()
  // NUMPY: i = np.array([[-3, 0, 7], [123456789, -1, 2]], np.int64)
  %i = transformer.constant dense<[[-3, 0, 7], [123456789, -1, 2]]> : tensor<2x3xi64>
  %id = tensor.cast %i : tensor<2x3xi64> to tensor<?x3xi64>
  // EXPECT: i.astype(np.float32)
  %if = transformer.cast %id : tensor<?x3xi64> to tensor<?x3xf32>
  %if_p = tensor.cast %if : tensor<?x3xf32> to tensor<*xf32>
  call @printMemrefF32(%if_p) : (tensor<*xf32>) -> ()

  // Integer arithmetic: division truncates toward zero (ONNX / C), max is signed.
  // NUMPY: n = np.array([7, -7, 7, -7], np.int64)
  // NUMPY: d = np.array([2, 2, -2, -2], np.int64)
  %n = transformer.constant dense<[7, -7, 7, -7]> : tensor<4xi64>
  %d = transformer.constant dense<[2, 2, -2, -2]> : tensor<4xi64>
  // EXPECT: np.trunc(n / d).astype(np.int64)
  %idiv = transformer.div %n, %d : tensor<4xi64>, tensor<4xi64> -> tensor<4xi64>
  %idiv_p = tensor.cast %idiv : tensor<4xi64> to tensor<*xi64>
  call @printMemrefI64(%idiv_p) : (tensor<*xi64>) -> ()
  // EXPECT: np.maximum(np.abs(n - d * 5), -n)
  %c5 = transformer.constant dense<5> : tensor<i64>
  %d5 = transformer.mul %d, %c5 : tensor<4xi64>, tensor<i64> -> tensor<4xi64>
  %nd = transformer.sub %n, %d5 : tensor<4xi64>, tensor<4xi64> -> tensor<4xi64>
  %absnd = transformer.abs %nd : tensor<4xi64>
  %negn = transformer.neg %n : tensor<4xi64>
  %imax = transformer.max %absnd, %negn : tensor<4xi64>, tensor<4xi64> -> tensor<4xi64>
  %imax_p = tensor.cast %imax : tensor<4xi64> to tensor<*xi64>
  call @printMemrefI64(%imax_p) : (tensor<*xi64>) -> ()

  // Unsigned 8-bit: divui, maxui and an unsigned max reduction (200 and 255
  // are not negative), cast to f32 with uitofp.
  // NUMPY: ua = np.array([200, 10, 255, 0], np.uint8)
  // NUMPY: ub = np.array([100, 3, 1, 7], np.uint8)
  %ua = transformer.constant dense<[200, 10, 255, 0]> : tensor<4xui8>
  %ub = transformer.constant dense<[100, 3, 1, 7]> : tensor<4xui8>
  // EXPECT: np.concatenate([np.maximum(ua // ub, ub), ua.max(keepdims=True)]).astype(np.float32)
  %udiv = transformer.div %ua, %ub : tensor<4xui8>, tensor<4xui8> -> tensor<4xui8>
  %umax = transformer.max %udiv, %ub : tensor<4xui8>, tensor<4xui8> -> tensor<4xui8>
  %ured = transformer.reduce_max %ua {axes = array<i64>, keep_dims = true} : tensor<4xui8> -> tensor<1xui8>
  %ucat = transformer.concat %umax, %ured {axis = 0} : tensor<4xui8>, tensor<1xui8> -> tensor<5xui8>
  %uf = transformer.cast %ucat : tensor<5xui8> to tensor<5xf32>
  %uf_p = tensor.cast %uf : tensor<5xf32> to tensor<*xf32>
  call @printMemrefF32(%uf_p) : (tensor<*xf32>) -> ()

  // Unary float ops (math.erf is the C library's erff).
  // EXPECT: np.exp(a)
  %exp = transformer.exp %a : tensor<2x3xf32>
  %exp_p = tensor.cast %exp : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%exp_p) : (tensor<*xf32>) -> ()
  // EXPECT: np.log(np.abs(a) + 1) / np.sqrt(np.abs(a) + 1)
  %one = transformer.constant dense<1.0> : tensor<f32>
  %a1 = transformer.add %absa, %one : tensor<2x3xf32>, tensor<f32> -> tensor<2x3xf32>
  %log = transformer.log %a1 : tensor<2x3xf32>
  %rsqrt = transformer.rsqrt %a1 : tensor<2x3xf32>
  %lr = transformer.mul %log, %rsqrt : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  %lr_p = tensor.cast %lr : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%lr_p) : (tensor<*xf32>) -> ()
  // EXPECT: np.tanh(a) + np.vectorize(math.erf)(a)
  %tanh = transformer.tanh %a : tensor<2x3xf32>
  %erf = transformer.erf %a : tensor<2x3xf32>
  %te = transformer.add %tanh, %erf : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  %te_p = tensor.cast %te : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%te_p) : (tensor<*xf32>) -> ()
  // EXPECT: 1 / (1 + np.exp(-a)) + np.maximum(a, 0) + 1 / a
  %sig = transformer.sigmoid %a : tensor<2x3xf32>
  %relu = transformer.relu %a : tensor<2x3xf32>
  %rec = transformer.reciprocal %a : tensor<2x3xf32>
  %sr = transformer.add %sig, %relu : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  %srr = transformer.add %sr, %rec : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  %srr_p = tensor.cast %srr : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%srr_p) : (tensor<*xf32>) -> ()

  // Reductions.
  // EXPECT: np.mean(x, axis=1, keepdims=True)
  %mean = transformer.reduce_mean %x {axes = array<i64: 1>, keep_dims = true} : tensor<2x3x4xf32> -> tensor<2x1x4xf32>
  %mean_p = tensor.cast %mean : tensor<2x1x4xf32> to tensor<*xf32>
  call @printMemrefF32(%mean_p) : (tensor<*xf32>) -> ()
  // EXPECT: np.mean(x, axis=(0, 2), keepdims=True)
  %meand = transformer.reduce_mean %xd {axes = array<i64: 0, -1>, keep_dims = true} : tensor<?x?x4xf32> -> tensor<1x?x1xf32>
  %meand_p = tensor.cast %meand : tensor<1x?x1xf32> to tensor<*xf32>
  call @printMemrefF32(%meand_p) : (tensor<*xf32>) -> ()
  // EXPECT: np.sum(x, axis=-1)
  %sum = transformer.reduce_sum %xd {axes = array<i64: -1>} : tensor<?x?x4xf32> -> tensor<?x?xf32>
  %sum_p = tensor.cast %sum : tensor<?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%sum_p) : (tensor<*xf32>) -> ()
  // EXPECT: np.max(-x)
  %negx = transformer.neg %x : tensor<2x3x4xf32>
  %rmax = transformer.reduce_max %negx {axes = array<i64>} : tensor<2x3x4xf32> -> tensor<f32>
  %rmax_p = tensor.cast %rmax : tensor<f32> to tensor<*xf32>
  call @printMemrefF32(%rmax_p) : (tensor<*xf32>) -> ()
  // EXPECT: np.max(-i, axis=0)
  %negi = transformer.neg %i : tensor<2x3xi64>
  %imx = transformer.reduce_max %negi {axes = array<i64: 0>} : tensor<2x3xi64> -> tensor<3xi64>
  %imx_p = tensor.cast %imx : tensor<3xi64> to tensor<*xi64>
  call @printMemrefI64(%imx_p) : (tensor<*xi64>) -> ()
  // EXPECT: np.sum(i, axis=1, keepdims=True)
  %isum = transformer.reduce_sum %id {axes = array<i64: 1>, keep_dims = true} : tensor<?x3xi64> -> tensor<?x1xi64>
  %isum_p = tensor.cast %isum : tensor<?x1xi64> to tensor<*xi64>
  call @printMemrefI64(%isum_p) : (tensor<*xi64>) -> ()
  return
}
