// Execution test of the shape op lowering (reshape, transpose, concat,
// slice, split, expand, squeeze, unsqueeze, gather), static and dynamic,
// compared with numpy (NUMPY:/EXPECT: lines, Inputs/check_numpy.py).
// RUN: llm-opt %s --convert-transformer-to-linalg | %cpu-lower | %cpu-run | %python %S/Inputs/check_numpy.py %s | FileCheck %s
// CHECK: PASS: 20 tensors match numpy

// NUMPY: x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
// NUMPY: t = np.arange(12, dtype=np.float32).reshape(4, 3) + np.float32(100)

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c6 = arith.constant 6 : index
  %x = transformer.constant dense<[[[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0], [8.0, 9.0, 10.0, 11.0]],
                                   [[12.0, 13.0, 14.0, 15.0], [16.0, 17.0, 18.0, 19.0], [20.0, 21.0, 22.0, 23.0]]]> : tensor<2x3x4xf32>
  %xd = tensor.cast %x : tensor<2x3x4xf32> to tensor<?x?x4xf32>
  %t = transformer.constant dense<[[100.0, 101.0, 102.0], [103.0, 104.0, 105.0], [106.0, 107.0, 108.0], [109.0, 110.0, 111.0]]> : tensor<4x3xf32>

  // transpose
  // EXPECT: np.transpose(x, (2, 0, 1))
  %tr = transformer.transpose %xd {permutation = array<i64: 2, 0, 1>} : tensor<?x?x4xf32> -> tensor<4x?x?xf32>
  %tr_p = tensor.cast %tr : tensor<4x?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%tr_p) : (tensor<*xf32>) -> ()

  // reshape, dynamic: a collapse with the batch from tensor.dim, an expand,
  // and 2x3x4 -> 4x6 through 1-D (sizes not provably the input's dims).
  // EXPECT: x.reshape(2, 12)
  %b = tensor.dim %xd, %c0 : tensor<?x?x4xf32>
  %r1 = transformer.reshape %xd [%b] : tensor<?x?x4xf32> -> tensor<?x12xf32>
  %r1_p = tensor.cast %r1 : tensor<?x12xf32> to tensor<*xf32>
  call @printMemrefF32(%r1_p) : (tensor<*xf32>) -> ()
  // EXPECT: x.reshape(2, 3, 2, 2)
  %s = tensor.dim %xd, %c1 : tensor<?x?x4xf32>
  %r2 = transformer.reshape %xd [%b, %s] : tensor<?x?x4xf32> -> tensor<?x?x2x2xf32>
  %r2_p = tensor.cast %r2 : tensor<?x?x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%r2_p) : (tensor<*xf32>) -> ()
  // EXPECT: x.reshape(4, 6)
  %r3 = transformer.reshape %xd [%c4, %c6] : tensor<?x?x4xf32> -> tensor<?x?xf32>
  %r3_p = tensor.cast %r3 : tensor<?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%r3_p) : (tensor<*xf32>) -> ()
  // EXPECT: x.reshape(3, 8)
  %r4 = transformer.reshape %x : tensor<2x3x4xf32> -> tensor<3x8xf32>
  %r4_p = tensor.cast %r4 : tensor<3x8xf32> to tensor<*xf32>
  call @printMemrefF32(%r4_p) : (tensor<*xf32>) -> ()

  // slice: negative start (from the end), steps, INT64_MAX end, static and
  // dynamic dims.
  // EXPECT: x[:, -2:, ::2]
  %sl1 = transformer.slice %x {axes = array<i64: 1, 2>, starts = array<i64: -2, 0>,
                               ends = array<i64: 9223372036854775807, 4>, steps = array<i64: 1, 2>}
      : tensor<2x3x4xf32> -> tensor<2x2x2xf32>
  %sl1_p = tensor.cast %sl1 : tensor<2x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%sl1_p) : (tensor<*xf32>) -> ()
  // EXPECT: x[-1:, -2:, -3::2]
  %sl2 = transformer.slice %xd {axes = array<i64: 0, 1, -1>, starts = array<i64: -1, -2, -3>,
                                ends = array<i64: 9223372036854775807, 9223372036854775807, 9223372036854775807>,
                                steps = array<i64: 1, 1, 2>}
      : tensor<?x?x4xf32> -> tensor<?x?x2xf32>
  %sl2_p = tensor.cast %sl2 : tensor<?x?x2xf32> to tensor<*xf32>
  call @printMemrefF32(%sl2_p) : (tensor<*xf32>) -> ()
  // Starts and ends beyond the dim clamp (ONNX): -10 is 0, 100 is the end.
  // EXPECT: x[:, 0:100, 1:-1]
  %sl3 = transformer.slice %xd {axes = array<i64: 1, 2>, starts = array<i64: -10, 1>, ends = array<i64: 100, -1>}
      : tensor<?x?x4xf32> -> tensor<?x?x2xf32>
  %sl3_p = tensor.cast %sl3 : tensor<?x?x2xf32> to tensor<*xf32>
  call @printMemrefF32(%sl3_p) : (tensor<*xf32>) -> ()

  // A start past the end of a dynamic dim: an empty slice.
  // EXPECT: x[:, 5:, :]
  %sl4 = transformer.slice %xd {axes = array<i64: 1>, starts = array<i64: 5>, ends = array<i64: 9223372036854775807>}
      : tensor<?x?x4xf32> -> tensor<?x?x4xf32>
  %sl4_p = tensor.cast %sl4 : tensor<?x?x4xf32> to tensor<*xf32>
  call @printMemrefF32(%sl4_p) : (tensor<*xf32>) -> ()

  // concat along a static and along a dynamic axis.
  // EXPECT: np.concatenate([x, x[:, :1, :]], axis=1)
  %x1 = transformer.slice %x {axes = array<i64: 1>, starts = array<i64: 0>, ends = array<i64: 1>} : tensor<2x3x4xf32> -> tensor<2x1x4xf32>
  %cat1 = transformer.concat %xd, %x1 {axis = 1} : tensor<?x?x4xf32>, tensor<2x1x4xf32> -> tensor<2x?x4xf32>
  %cat1_p = tensor.cast %cat1 : tensor<2x?x4xf32> to tensor<*xf32>
  call @printMemrefF32(%cat1_p) : (tensor<*xf32>) -> ()
  // EXPECT: np.concatenate([x, x, x], axis=-1)
  %cat2 = transformer.concat %x, %xd, %x {axis = -1} : tensor<2x3x4xf32>, tensor<?x?x4xf32>, tensor<2x3x4xf32> -> tensor<2x3x12xf32>
  %cat2_p = tensor.cast %cat2 : tensor<2x3x12xf32> to tensor<*xf32>
  call @printMemrefF32(%cat2_p) : (tensor<*xf32>) -> ()

  // split
  // EXPECT: x[:, :, 0:1]
  // EXPECT: x[:, :, 1:4]
  %sp0, %sp1 = transformer.split %xd {axis = 2, sizes = array<i64: 1, 3>} : tensor<?x?x4xf32> -> tensor<?x?x1xf32>, tensor<?x?x3xf32>
  %sp0_p = tensor.cast %sp0 : tensor<?x?x1xf32> to tensor<*xf32>
  call @printMemrefF32(%sp0_p) : (tensor<*xf32>) -> ()
  %sp1_p = tensor.cast %sp1 : tensor<?x?x3xf32> to tensor<*xf32>
  call @printMemrefF32(%sp1_p) : (tensor<*xf32>) -> ()

  // expand: a stretched size-1 dim plus a new leading dim; a dynamic result.
  // EXPECT: np.broadcast_to(x[:, :1, :], (3, 2, 5, 4))
  %e1 = transformer.expand %x1 : tensor<2x1x4xf32> -> tensor<3x2x5x4xf32>
  %e1_p = tensor.cast %e1 : tensor<3x2x5x4xf32> to tensor<*xf32>
  call @printMemrefF32(%e1_p) : (tensor<*xf32>) -> ()
  // EXPECT: np.broadcast_to(t[:, :1], (4, 6))
  %t1 = transformer.slice %t {axes = array<i64: 1>, starts = array<i64: 0>, ends = array<i64: 1>} : tensor<4x3xf32> -> tensor<4x1xf32>
  %e2 = transformer.expand %t1 [%c6] : tensor<4x1xf32> -> tensor<4x?xf32>
  %e2_p = tensor.cast %e2 : tensor<4x?xf32> to tensor<*xf32>
  call @printMemrefF32(%e2_p) : (tensor<*xf32>) -> ()

  // squeeze / unsqueeze
  // EXPECT: np.squeeze(x[:, :1, :], axis=1)
  %x1d = tensor.cast %x1 : tensor<2x1x4xf32> to tensor<?x?x4xf32>
  %sq = transformer.squeeze %x1d {axes = array<i64: 1>} : tensor<?x?x4xf32> -> tensor<?x4xf32>
  %sq_p = tensor.cast %sq : tensor<?x4xf32> to tensor<*xf32>
  call @printMemrefF32(%sq_p) : (tensor<*xf32>) -> ()
  // EXPECT: np.expand_dims(x, axis=(0, 3))
  %us = transformer.unsqueeze %xd {axes = array<i64: 0, -2>} : tensor<?x?x4xf32> -> tensor<1x?x?x1x4xf32>
  %us_p = tensor.cast %us : tensor<1x?x?x1x4xf32> to tensor<*xf32>
  call @printMemrefF32(%us_p) : (tensor<*xf32>) -> ()

  // gather: rows with negative indices (np.take wraps them the same way),
  // and along a dynamic middle axis.
  // NUMPY: rows = np.array([[0, -1], [2, -4]], np.int64)
  %rows = transformer.constant dense<[[0, -1], [2, -4]]> : tensor<2x2xi64>
  %rowsd = tensor.cast %rows : tensor<2x2xi64> to tensor<?x?xi64>
  // EXPECT: np.take(t, rows, axis=0)
  %g1 = transformer.gather %t, %rowsd {axis = 0} : tensor<4x3xf32>, tensor<?x?xi64> -> tensor<?x?x3xf32>
  %g1_p = tensor.cast %g1 : tensor<?x?x3xf32> to tensor<*xf32>
  call @printMemrefF32(%g1_p) : (tensor<*xf32>) -> ()
  // NUMPY: cols = np.array([-1, 0, -3, 1], np.int32)
  %cols = transformer.constant dense<[-1, 0, -3, 1]> : tensor<4xi32>
  // EXPECT: np.take(x, cols, axis=1)
  %g2 = transformer.gather %xd, %cols {axis = -2} : tensor<?x?x4xf32>, tensor<4xi32> -> tensor<?x4x4xf32>
  %g2_p = tensor.cast %g2 : tensor<?x4x4xf32> to tensor<*xf32>
  call @printMemrefF32(%g2_p) : (tensor<*xf32>) -> ()
  // A scalar index drops the axis.
  // NUMPY: last = np.array(-1, np.int64)
  %last = transformer.constant dense<-1> : tensor<i64>
  // EXPECT: np.take(x, last, axis=2)
  %g3 = transformer.gather %x, %last {axis = 2} : tensor<2x3x4xf32>, tensor<i64> -> tensor<2x3xf32>
  %g3_p = tensor.cast %g3 : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%g3_p) : (tensor<*xf32>) -> ()
  return
}
