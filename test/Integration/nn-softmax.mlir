// Execution test of the softmax / log_softmax lowerings against PyTorch:
// last axis and an inner axis, static and dynamic shapes.
// RUN: llm-opt %s --convert-transformer-to-linalg | %cpu-lower | %cpu-run \
// RUN:   | %python %S/Inputs/check_numpy.py %s

// Inputs: data(shape, seed) = sin(arange(n) * 0.731 + seed) in f32 (the
// literals below were printed from it), times 4.
// NUMPY: import torch
// NUMPY: data = lambda shape, seed: np.sin(np.arange(int(np.prod(shape))) * 0.731 + seed).reshape(shape).astype(np.float32)
// NUMPY: x = torch.from_numpy(data((2, 3, 5), 1) * np.float32(4))

func.func @softmax_last(%x: tensor<?x?x5xf32>) -> tensor<?x?x5xf32> {
  %0 = transformer.softmax %x : tensor<?x?x5xf32>
  return %0 : tensor<?x?x5xf32>
}

func.func @softmax_inner(%x: tensor<2x3x5xf32>) -> tensor<2x3x5xf32> {
  %0 = transformer.softmax %x {axis = 1 : i64} : tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

func.func @log_softmax_last(%x: tensor<2x3x5xf32>) -> tensor<2x3x5xf32> {
  %0 = transformer.log_softmax %x {axis = -1 : i64} : tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

func.func @log_softmax_first(%x: tensor<?x3x5xf32>) -> tensor<?x3x5xf32> {
  %0 = transformer.log_softmax %x {axis = 0 : i64} : tensor<?x3x5xf32>
  return %0 : tensor<?x3x5xf32>
}

func.func @main() {
  %x = arith.constant dense<[[[3.3658838272094727, 3.948779344558716, 2.5139048099517822, -0.2055388242006302, -2.8199551105499268], [-3.993414878845215, -3.1262967586517334, -0.6616857051849365, 2.1410372257232666, 3.8497207164764404], [3.591252088546753, 1.497705101966858, -1.3611477613449097, -3.5244736671447754, -3.8868439197540283]], [[-2.2630927562713623, 0.5170665979385376, 3.0330121517181396, 3.999131917953491, 2.921752691268921], [0.3513995110988617, -2.3985137939453125, -3.922820806503296, -3.442622661590576, -1.2032935619354248], [1.650901198387146, 3.6615092754364014, 3.801138401031494, 1.9984402656555176, -0.8254321813583374]]]> : tensor<2x3x5xf32>
  %xd = tensor.cast %x : tensor<2x3x5xf32> to tensor<?x?x5xf32>
  %x0 = tensor.cast %x : tensor<2x3x5xf32> to tensor<?x3x5xf32>

  // EXPECT: torch.softmax(x, -1).numpy()
  %r0 = call @softmax_last(%xd) : (tensor<?x?x5xf32>) -> tensor<?x?x5xf32>
  %pb1 = bufferization.to_buffer %r0 : tensor<?x?x5xf32> to memref<?x?x5xf32>
  %pu1 = memref.cast %pb1 : memref<?x?x5xf32> to memref<*xf32>
  call @printMemrefF32(%pu1) : (memref<*xf32>) -> ()

  // EXPECT: torch.softmax(x, 1).numpy()
  %r1 = call @softmax_inner(%x) : (tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
  %pb2 = bufferization.to_buffer %r1 : tensor<2x3x5xf32> to memref<2x3x5xf32>
  %pu2 = memref.cast %pb2 : memref<2x3x5xf32> to memref<*xf32>
  call @printMemrefF32(%pu2) : (memref<*xf32>) -> ()

  // EXPECT: torch.log_softmax(x, -1).numpy()
  %r2 = call @log_softmax_last(%x) : (tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
  %pb3 = bufferization.to_buffer %r2 : tensor<2x3x5xf32> to memref<2x3x5xf32>
  %pu3 = memref.cast %pb3 : memref<2x3x5xf32> to memref<*xf32>
  call @printMemrefF32(%pu3) : (memref<*xf32>) -> ()

  // EXPECT: torch.log_softmax(x, 0).numpy()
  %r3 = call @log_softmax_first(%x0) : (tensor<?x3x5xf32>) -> tensor<?x3x5xf32>
  %pb4 = bufferization.to_buffer %r3 : tensor<?x3x5xf32> to memref<?x3x5xf32>
  %pu4 = memref.cast %pb4 : memref<?x3x5xf32> to memref<*xf32>
  call @printMemrefF32(%pu4) : (memref<*xf32>) -> ()
  return
}

func.func private @printMemrefF32(memref<*xf32>)
