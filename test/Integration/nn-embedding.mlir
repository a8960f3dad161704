// Execution test of the embedding lowering against numpy indexing: i64 ids
// of a dynamic batch, i32 ids of rank 1.
// RUN: llm-opt %s --convert-transformer-to-linalg | %cpu-lower | %cpu-run \
// RUN:   | %python %S/Inputs/check_numpy.py %s

// Inputs: data(shape, seed) = sin(arange(n) * 0.731 + seed) in f32 (the
// literal below was printed from it).
// NUMPY: data = lambda shape, seed: np.sin(np.arange(int(np.prod(shape))) * 0.731 + seed).reshape(shape).astype(np.float32)
// NUMPY: table = data((10, 4), 1)

func.func @lookup(%t: tensor<10x4xf32>, %ids: tensor<?x3xi64>) -> tensor<?x3x4xf32> {
  %0 = transformer.embedding %t[%ids] : tensor<10x4xf32>, tensor<?x3xi64> -> tensor<?x3x4xf32>
  return %0 : tensor<?x3x4xf32>
}

func.func @lookup_i32(%t: tensor<10x4xf32>, %ids: tensor<5xi32>) -> tensor<5x4xf32> {
  %0 = transformer.embedding %t[%ids] : tensor<10x4xf32>, tensor<5xi32> -> tensor<5x4xf32>
  return %0 : tensor<5x4xf32>
}

func.func @main() {
  %t = arith.constant dense<[[0.8414709568023682, 0.987194836139679, 0.6284762024879456, -0.05138470605015755], [-0.7049887776374817, -0.9983537197113037, -0.7815741896629333, -0.16542142629623413], [0.5352593064308167, 0.9624301791191101, 0.8978130221366882, 0.3744262754917145], [-0.3402869403362274, -0.8811184167861938, -0.9717109799385071, -0.5657731890678406], [0.1292666494846344, 0.7582530379295349, 0.9997829794883728, 0.7304381728172302], [0.08784987777471542, -0.5996284484863281, -0.980705201625824, -0.860655665397644], [-0.3008233904838562, 0.4127252995967865, 0.9153773188591003, 0.9502846002578735], [0.4996100664138794, -0.20635804533958435, -0.8068801760673523, -0.9950980544090271], [-0.6748350858688354, -0.009741074405610561, 0.6603304743766785, 0.9929826259613037], [0.8182348608970642, 0.2253808081150055, -0.4826396405696869, -0.9440381526947021]]> : tensor<10x4xf32>
  %ids = arith.constant dense<[[1, 5, 0], [9, 3, 3]]> : tensor<2x3xi64>
  %ids32 = arith.constant dense<[7, 7, 2, 0, 9]> : tensor<5xi32>

  // EXPECT: table[np.array([[1, 5, 0], [9, 3, 3]])]
  %idsd = tensor.cast %ids : tensor<2x3xi64> to tensor<?x3xi64>
  %r0 = call @lookup(%t, %idsd) : (tensor<10x4xf32>, tensor<?x3xi64>) -> tensor<?x3x4xf32>
  %pb1 = bufferization.to_buffer %r0 : tensor<?x3x4xf32> to memref<?x3x4xf32>
  %pu1 = memref.cast %pb1 : memref<?x3x4xf32> to memref<*xf32>
  call @printMemrefF32(%pu1) : (memref<*xf32>) -> ()

  // EXPECT: table[[7, 7, 2, 0, 9]]
  %r1 = call @lookup_i32(%t, %ids32) : (tensor<10x4xf32>, tensor<5xi32>) -> tensor<5x4xf32>
  %pb2 = bufferization.to_buffer %r1 : tensor<5x4xf32> to memref<5x4xf32>
  %pu2 = memref.cast %pb2 : memref<5x4xf32> to memref<*xf32>
  call @printMemrefF32(%pu2) : (memref<*xf32>) -> ()
  return
}

func.func private @printMemrefF32(memref<*xf32>)
