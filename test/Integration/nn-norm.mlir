// Execution test of the layer_norm / rms_norm lowerings against PyTorch:
// the last axis with scale and bias, two normalized dims with broadcast
// affine parameters (dynamic batch), RMS norm with and without scale.
// RUN: llm-opt %s --convert-transformer-to-linalg | %cpu-lower | %cpu-run \
// RUN:   | %python %S/Inputs/check_numpy.py %s

// Inputs: data(shape, seed) = sin(arange(n) * 0.731 + seed) in f32 (the
// literals below were printed from it), times a factor.
// NUMPY: import torch; F = torch.nn.functional
// NUMPY: data = lambda shape, seed: np.sin(np.arange(int(np.prod(shape))) * 0.731 + seed).reshape(shape).astype(np.float32)
// NUMPY: x = torch.from_numpy(data((2, 3, 8), 1) * np.float32(3) + np.float32(0.5))
// NUMPY: g = torch.from_numpy(data((8,), 2)); b = torch.from_numpy(data((8,), 3))
// NUMPY: b38 = torch.from_numpy(data((3, 8), 4))
// NUMPY: rms = lambda x, dims, eps: x / torch.sqrt((x * x).mean(dim=dims, keepdim=True) + eps)

func.func @layer_norm_last(%x: tensor<2x3x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<2x3x8xf32> {
  %0 = transformer.layer_norm %x scale %g : tensor<8xf32> bias %b : tensor<8xf32> : tensor<2x3x8xf32>
  return %0 : tensor<2x3x8xf32>
}

func.func @layer_norm_two_dims(%x: tensor<?x3x8xf32>, %g: tensor<8xf32>, %b: tensor<3x8xf32>) -> tensor<?x3x8xf32> {
  %0 = transformer.layer_norm %x scale %g : tensor<8xf32> bias %b : tensor<3x8xf32> {axis = 1 : i64, epsilon = 1.0e-3 : f32} : tensor<?x3x8xf32>
  return %0 : tensor<?x3x8xf32>
}

func.func @layer_norm_plain(%x: tensor<?x?x8xf32>) -> tensor<?x?x8xf32> {
  %0 = transformer.layer_norm %x : tensor<?x?x8xf32>
  return %0 : tensor<?x?x8xf32>
}

func.func @rms_norm_scale(%x: tensor<?x?x8xf32>, %g: tensor<8xf32>) -> tensor<?x?x8xf32> {
  %0 = transformer.rms_norm %x scale %g : tensor<8xf32> {epsilon = 1.0e-6 : f32} : tensor<?x?x8xf32>
  return %0 : tensor<?x?x8xf32>
}

func.func @rms_norm_two_dims(%x: tensor<2x3x8xf32>) -> tensor<2x3x8xf32> {
  %0 = transformer.rms_norm %x {axis = -2 : i64} : tensor<2x3x8xf32>
  return %0 : tensor<2x3x8xf32>
}

func.func @main() {
  %x = arith.constant dense<[[[2.5244128704071045, 2.9615845680236816, 1.8854286670684814, -0.15415412187576294, -2.11496639251709, -2.995061159133911, -2.3447225093841553, -0.4962642788887024], [1.6057779788970947, 2.8872904777526855, 2.69343900680542, 1.1232788562774658, -1.0208607912063599, -2.643355369567871, -2.915132999420166, -1.697319507598877], [0.3877999484539032, 2.27475905418396, 2.9993488788604736, 2.191314458847046, 0.2635496258735657, -1.7988853454589844, -2.942115545272827, -2.5819668769836426]], [[-0.9024701714515686, 1.238175868988037, 2.7461318969726562, 2.85085391998291, 1.4988301992416382, -0.6190741062164307, -2.420640468597412, -2.9852941036224365], [-2.024505138397217, -0.02922322228550911, 1.9809913635253906, 2.978947877883911, 2.454704523086548, 0.6761424541473389, -1.4479188919067383, -2.8321144580841064], [-2.7691400051116943, -1.2911747694015503, 0.846562385559082, 2.551718235015869, 2.9529824256896973, 1.8453150987625122, -0.20528188347816467, -2.1509828567504883]]]> : tensor<2x3x8xf32>
  %half = arith.constant dense<0.5> : tensor<2x3x8xf32>
  %e = tensor.empty() : tensor<2x3x8xf32>
  %xs = linalg.add ins(%x, %half : tensor<2x3x8xf32>, tensor<2x3x8xf32>) outs(%e : tensor<2x3x8xf32>) -> tensor<2x3x8xf32>
  %g = arith.constant dense<[0.9092974066734314, 0.3991527855396271, -0.3149532079696655, -0.8681226372718811, -0.9776937961578369, -0.5876774787902832, 0.10263364762067795, 0.7405004501342773]> : tensor<8xf32>
  %b = arith.constant dense<[0.14112000167369843, -0.5558684468269348, -0.9688161015510559, -0.8867126107215881, -0.3515116572380066, 0.3633067309856415, 0.8924805521965027, 0.965609610080719]> : tensor<8xf32>
  %b38 = arith.constant dense<[[-0.756802499294281, -0.9998268485069275, -0.7319539785385132, -0.09006310254335403, 0.5978487133979797, 0.9802683591842651, 0.8617849349975586, 0.30294176936149597], [-0.41070035099983215, -0.914480447769165, -0.95097416639328, -0.5015336871147156, 0.20418332517147064, 0.805565595626831, 0.9953153133392334, 0.6764732003211975], [0.011962982825934887, -0.6586601734161377, -0.992717444896698, -0.819510281085968, -0.2275451123714447, 0.4806923270225525, 0.9433028697967529, 0.9238991737365723]]> : tensor<3x8xf32>
  %x0 = tensor.cast %xs : tensor<2x3x8xf32> to tensor<?x3x8xf32>
  %xd = tensor.cast %xs : tensor<2x3x8xf32> to tensor<?x?x8xf32>

  // EXPECT: F.layer_norm(x, [8], g, b, eps=1e-5).numpy()
  %r0 = call @layer_norm_last(%xs, %g, %b) : (tensor<2x3x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x3x8xf32>
  %pb1 = bufferization.to_buffer %r0 : tensor<2x3x8xf32> to memref<2x3x8xf32>
  %pu1 = memref.cast %pb1 : memref<2x3x8xf32> to memref<*xf32>
  call @printMemrefF32(%pu1) : (memref<*xf32>) -> ()

  // EXPECT: F.layer_norm(x, [3, 8], g.expand(3, 8), b38, eps=1e-3).numpy()
  %r1 = call @layer_norm_two_dims(%x0, %g, %b38) : (tensor<?x3x8xf32>, tensor<8xf32>, tensor<3x8xf32>) -> tensor<?x3x8xf32>
  %pb2 = bufferization.to_buffer %r1 : tensor<?x3x8xf32> to memref<?x3x8xf32>
  %pu2 = memref.cast %pb2 : memref<?x3x8xf32> to memref<*xf32>
  call @printMemrefF32(%pu2) : (memref<*xf32>) -> ()

  // EXPECT: F.layer_norm(x, [8], eps=1e-5).numpy()
  %r2 = call @layer_norm_plain(%xd) : (tensor<?x?x8xf32>) -> tensor<?x?x8xf32>
  %pb3 = bufferization.to_buffer %r2 : tensor<?x?x8xf32> to memref<?x?x8xf32>
  %pu3 = memref.cast %pb3 : memref<?x?x8xf32> to memref<*xf32>
  call @printMemrefF32(%pu3) : (memref<*xf32>) -> ()

  // EXPECT: (rms(x, [-1], 1e-6) * g).numpy()
  %r3 = call @rms_norm_scale(%xd, %g) : (tensor<?x?x8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
  %pb4 = bufferization.to_buffer %r3 : tensor<?x?x8xf32> to memref<?x?x8xf32>
  %pu4 = memref.cast %pb4 : memref<?x?x8xf32> to memref<*xf32>
  call @printMemrefF32(%pu4) : (memref<*xf32>) -> ()

  // EXPECT: rms(x, [-2, -1], 1e-5).numpy()
  %r4 = call @rms_norm_two_dims(%xs) : (tensor<2x3x8xf32>) -> tensor<2x3x8xf32>
  %pb5 = bufferization.to_buffer %r4 : tensor<2x3x8xf32> to memref<2x3x8xf32>
  %pu5 = memref.cast %pb5 : memref<2x3x8xf32> to memref<*xf32>
  call @printMemrefF32(%pu5) : (memref<*xf32>) -> ()
  return
}

func.func private @printMemrefF32(memref<*xf32>)
