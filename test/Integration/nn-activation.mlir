// Execution test of the gelu (erf and tanh) and silu lowerings against
// PyTorch.
// RUN: llm-opt %s --convert-transformer-to-linalg | %cpu-lower | %cpu-run \
// RUN:   | %python %S/Inputs/check_numpy.py %s

// Inputs: data(shape, seed) = sin(arange(n) * 0.731 + seed) in f32 (the
// literals below were printed from it), times 5.
// NUMPY: import torch; F = torch.nn.functional
// NUMPY: data = lambda shape, seed: np.sin(np.arange(int(np.prod(shape))) * 0.731 + seed).reshape(shape).astype(np.float32)
// NUMPY: x = torch.from_numpy(data((3, 7), 1) * np.float32(5))

func.func @gelu_erf(%x: tensor<?x7xf32>) -> tensor<?x7xf32> {
  %0 = transformer.gelu %x : tensor<?x7xf32>
  return %0 : tensor<?x7xf32>
}

func.func @gelu_tanh(%x: tensor<3x7xf32>) -> tensor<3x7xf32> {
  %0 = transformer.gelu %x approximation = tanh : tensor<3x7xf32>
  return %0 : tensor<3x7xf32>
}

func.func @silu(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %0 = transformer.silu %x : tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

func.func @main() {
  %x = arith.constant dense<[[4.207354545593262, 4.93597412109375, 3.142380952835083, -0.25692352652549744, -3.5249438285827637, -4.991768836975098, -3.9078710079193115], [-0.8271071314811707, 2.6762964725494385, 4.812150955200195, 4.489065170288086, 1.87213134765625, -1.7014347314834595, -4.40559196472168], [-4.858554840087891, -2.8288660049438477, 0.6463332176208496, 3.7912652492523193, 4.99891471862793, 3.652190923690796, 0.4392493963241577]]> : tensor<3x7xf32>
  %x0 = tensor.cast %x : tensor<3x7xf32> to tensor<?x7xf32>
  %xd = tensor.cast %x : tensor<3x7xf32> to tensor<?x?xf32>

  // EXPECT: F.gelu(x).numpy()
  %r0 = call @gelu_erf(%x0) : (tensor<?x7xf32>) -> tensor<?x7xf32>
  %pb1 = bufferization.to_buffer %r0 : tensor<?x7xf32> to memref<?x7xf32>
  %pu1 = memref.cast %pb1 : memref<?x7xf32> to memref<*xf32>
  call @printMemrefF32(%pu1) : (memref<*xf32>) -> ()

  // EXPECT: F.gelu(x, approximate='tanh').numpy()
  %r1 = call @gelu_tanh(%x) : (tensor<3x7xf32>) -> tensor<3x7xf32>
  %pb2 = bufferization.to_buffer %r1 : tensor<3x7xf32> to memref<3x7xf32>
  %pu2 = memref.cast %pb2 : memref<3x7xf32> to memref<*xf32>
  call @printMemrefF32(%pu2) : (memref<*xf32>) -> ()

  // EXPECT: F.silu(x).numpy()
  %r2 = call @silu(%xd) : (tensor<?x?xf32>) -> tensor<?x?xf32>
  %pb3 = bufferization.to_buffer %r2 : tensor<?x?xf32> to memref<?x?xf32>
  %pu3 = memref.cast %pb3 : memref<?x?xf32> to memref<*xf32>
  call @printMemrefF32(%pu3) : (memref<*xf32>) -> ()
  return
}

func.func private @printMemrefF32(memref<*xf32>)
