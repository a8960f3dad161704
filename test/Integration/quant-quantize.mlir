// Execution test of quantize / dequantize / dynamic_quantize against numpy
// implementations of ONNX QuantizeLinear / DequantizeLinear-21 and
// DynamicQuantizeLinear: per-tensor with a zero point, round half to even,
// saturation, per-axis, blocked int4 with a partial last block, i32 input,
// per-tensor ui8 and per-row i8 dynamic quantization, an all-zero row.
// Integer results are printed through transformer.cast to i32.
// RUN: llm-opt %s --convert-transformer-to-linalg | %cpu-lower | %cpu-run \
// RUN:   | %python %S/Inputs/check_numpy.py %s

// Inputs: data(shape, seed) = sin(arange(n) * 0.731 + seed) in f32 and
// integer formulas of i = arange(n) (the literals below were printed from
// them).
// NUMPY: data = lambda shape, seed: np.sin(np.arange(int(np.prod(shape))) * 0.731 + seed).reshape(shape).astype(np.float32)
// NUMPY: f32 = np.float32
// NUMPY: quant = lambda x, s, zp, lo, hi: np.clip(np.round(x / s) + zp, lo, hi)
// NUMPY: x1 = data((2, 6), 1) * f32(4)
// NUMPY: ties = np.array([[0.5, 1.5, 2.5, -0.5, -1.5, -2.5]], np.float32)
// NUMPY: w3 = data((3, 8), 2); s3 = np.array([0.01, 0.02, 0.05], np.float32)
// NUMPY: w4 = data((2, 10), 3); s4 = np.array([[0.1, 0.2, 0.15], [0.05, 0.3, 0.25]], np.float32); zp4 = np.array([[8, 7, 9], [0, 15, 8]])
// NUMPY: blocks = lambda p: np.repeat(p, 4, axis=1)[:, :10]
// NUMPY: q5 = ((np.arange(12) * 37 + 5) % 256 - 128).reshape(3, 4); s5 = np.array([0.5, 0.25, 0.125, 2.0], np.float32); zp5 = np.array([0, -3, 7, 100])
// NUMPY: q6 = ((np.arange(20) * 5 + 1) % 16).reshape(2, 10)
// NUMPY: acc = np.array([[123456, -7], [0, 99999]])
// NUMPY: x8 = data((3, 5), 4) * f32(3)
// NUMPY: lo8, hi8 = min(f32(0), x8.min()), max(f32(0), x8.max()); s8 = (hi8 - lo8) / f32(255); zp8 = np.clip(np.round(-lo8 / s8), 0, 255)
// NUMPY: amax9 = np.abs(x8).max(axis=1, keepdims=True); s9 = amax9 / f32(127)
// NUMPY: x10 = np.concatenate([data((1, 4), 5) + f32(0.25), np.zeros((1, 4), np.float32)])
// NUMPY: lo10 = np.minimum(f32(0), x10.min(1, keepdims=True)); hi10 = np.maximum(f32(0), x10.max(1, keepdims=True)); s10 = (hi10 - lo10) / f32(255)
// NUMPY: safe10 = np.where(s10 == 0, f32(1), s10); zp10 = np.clip(np.round(-lo10 / safe10), 0, 255)

func.func @per_tensor_ui8(%x: tensor<?x6xf32>, %s: tensor<f32>, %zp: tensor<ui8>) -> tensor<?x6xui8> {
  %0 = transformer.quantize %x, %s zero_point(%zp : tensor<ui8>) : tensor<?x6xf32>, tensor<f32> -> tensor<?x6xui8>
  return %0 : tensor<?x6xui8>
}

func.func @ties_i8(%x: tensor<1x6xf32>, %s: tensor<1xf32>) -> tensor<1x6xi8> {
  %0 = transformer.quantize %x, %s : tensor<1x6xf32>, tensor<1xf32> -> tensor<1x6xi8>
  return %0 : tensor<1x6xi8>
}

func.func @per_axis_i8(%w: tensor<3x8xf32>, %s: tensor<3xf32>) -> tensor<3x8xi8> {
  %0 = transformer.quantize %w, %s {axis = 0 : i64} : tensor<3x8xf32>, tensor<3xf32> -> tensor<3x8xi8>
  return %0 : tensor<3x8xi8>
}

func.func @blocked_ui4(%w: tensor<2x10xf32>, %s: tensor<2x3xf32>, %zp: tensor<2x3xui4>) -> tensor<2x10xui4> {
  %0 = transformer.quantize %w, %s zero_point(%zp : tensor<2x3xui4>) {axis = 1 : i64, block_size = 4 : i64} : tensor<2x10xf32>, tensor<2x3xf32> -> tensor<2x10xui4>
  return %0 : tensor<2x10xui4>
}

func.func @dequant_per_axis(%q: tensor<3x4xi8>, %s: tensor<4xf32>, %zp: tensor<4xi8>) -> tensor<3x4xf32> {
  %0 = transformer.dequantize %q, %s zero_point(%zp : tensor<4xi8>) {axis = -1 : i64} : tensor<3x4xi8>, tensor<4xf32> -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

func.func @dequant_blocked_ui4(%q: tensor<?x10xui4>, %s: tensor<?x3xf32>, %zp: tensor<?x3xui4>) -> tensor<?x10xf32> {
  %0 = transformer.dequantize %q, %s zero_point(%zp : tensor<?x3xui4>) {axis = 1 : i64, block_size = 4 : i64} : tensor<?x10xui4>, tensor<?x3xf32> -> tensor<?x10xf32>
  return %0 : tensor<?x10xf32>
}

func.func @dequant_i32(%q: tensor<2x2xi32>, %s: tensor<f32>) -> tensor<2x2xf32> {
  %0 = transformer.dequantize %q, %s : tensor<2x2xi32>, tensor<f32> -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

func.func @dynamic_per_tensor(%x: tensor<?x5xf32>) -> (tensor<?x5xui8>, tensor<f32>, tensor<ui8>) {
  %q, %s, %zp = transformer.dynamic_quantize %x : tensor<?x5xf32> -> tensor<?x5xui8>, tensor<f32>, tensor<ui8>
  return %q, %s, %zp : tensor<?x5xui8>, tensor<f32>, tensor<ui8>
}

func.func @dynamic_per_row_i8(%x: tensor<?x5xf32>) -> (tensor<?x5xi8>, tensor<?x1xf32>) {
  %q, %s = transformer.dynamic_quantize %x {axis = -1 : i64} : tensor<?x5xf32> -> tensor<?x5xi8>, tensor<?x1xf32>
  return %q, %s : tensor<?x5xi8>, tensor<?x1xf32>
}

func.func @dynamic_per_row_zero(%x: tensor<2x4xf32>) -> (tensor<2x4xui8>, tensor<2x1xf32>, tensor<2x1xui8>) {
  %q, %s, %zp = transformer.dynamic_quantize %x {axis = 1 : i64} : tensor<2x4xf32> -> tensor<2x4xui8>, tensor<2x1xf32>, tensor<2x1xui8>
  return %q, %s, %zp : tensor<2x4xui8>, tensor<2x1xf32>, tensor<2x1xui8>
}

func.func @main() {
  %x1 = arith.constant dense<[[3.3658838272094727, 3.948779344558716, 2.5139048099517822, -0.2055388242006302, -2.8199551105499268, -3.993414878845215], [-3.1262967586517334, -0.6616857051849365, 2.1410372257232666, 3.8497207164764404, 3.591252088546753, 1.497705101966858]]> : tensor<2x6xf32>
  %s1 = arith.constant dense<0.03> : tensor<f32>
  %zp1 = arith.constant dense<128> : tensor<ui8>
  %ties = arith.constant dense<[[0.5, 1.5, 2.5, -0.5, -1.5, -2.5]]> : tensor<1x6xf32>
  %one = arith.constant dense<1.0> : tensor<1xf32>
  %w3 = arith.constant dense<[[0.9092974066734314, 0.3991527855396271, -0.3149532079696655, -0.8681226372718811, -0.9776937961578369, -0.5876774787902832, 0.10263364762067795, 0.7405004501342773], [0.9999821186065674, 0.7484872341156006, 0.11452611535787582, -0.5779561996459961, -0.975111186504364, -0.8739983439445496, -0.32628482580184937, 0.3881555497646332], [0.9042540192604065, 0.9582915902137756, 0.5226559042930603, -0.18004946410655975, -0.790752112865448, -0.9973918199539185, -0.6943785548210144, -0.03654778003692627]]> : tensor<3x8xf32>
  %s3 = arith.constant dense<[0.01, 0.02, 0.05]> : tensor<3xf32>
  %w4 = arith.constant dense<[[0.14112000167369843, -0.5558684468269348, -0.9688161015510559, -0.8867126107215881, -0.3515116572380066, 0.3633067309856415, 0.8924805521965027, 0.965609610080719, 0.5453259944915771, -0.153611421585083], [-0.7740556001663208, -0.9989684224128723, -0.7134227156639099, -0.06332820653915405, 0.6191260814666748, 0.9852158427238464, 0.8478744029998779, 0.2772812843322754, -0.43499860167503357, -0.9250004291534424]]> : tensor<2x10xf32>
  %s4 = arith.constant dense<[[0.1, 0.2, 0.15], [0.05, 0.3, 0.25]]> : tensor<2x3xf32>
  %zp4 = arith.constant dense<[[8, 7, 9], [0, 15, 8]]> : tensor<2x3xui4>
  %q5 = arith.constant dense<[[-123, -86, -49, -12], [25, 62, 99, -120], [-83, -46, -9, 28]]> : tensor<3x4xi8>
  %s5 = arith.constant dense<[0.5, 0.25, 0.125, 2.0]> : tensor<4xf32>
  %zp5 = arith.constant dense<[0, -3, 7, 100]> : tensor<4xi8>
  %q6 = arith.constant dense<[[1, 6, 11, 0, 5, 10, 15, 4, 9, 14], [3, 8, 13, 2, 7, 12, 1, 6, 11, 0]]> : tensor<2x10xui4>
  %acc = arith.constant dense<[[123456, -7], [0, 99999]]> : tensor<2x2xi32>
  %s7 = arith.constant dense<0.001> : tensor<f32>
  %x8 = arith.constant dense<[[-2.2704074382781982, -2.9994804859161377, -2.19586181640625, -0.2701893150806427, 1.793546199798584], [2.940804958343506, 2.585354804992676, 0.9088252782821655, -1.2321010828018188, -2.743441343307495], [-2.8529224395751953, -1.504601001739502, 0.6125499606132507, 2.416696786880493, 2.9859459400177]]> : tensor<3x5xf32>
  %x10a = arith.constant dense<[[-0.9589242935180664, -0.5245490074157715, 0.17786328494548798, 0.789389967918396]]> : tensor<1x4xf32>
  %quarter = arith.constant dense<0.25> : tensor<1x4xf32>
  %e10 = tensor.empty() : tensor<1x4xf32>
  %x10b = linalg.add ins(%x10a, %quarter : tensor<1x4xf32>, tensor<1x4xf32>) outs(%e10 : tensor<1x4xf32>) -> tensor<1x4xf32>
  %zeros = arith.constant dense<0.0> : tensor<1x4xf32>
  %x10 = tensor.concat dim(0) %x10b, %zeros : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<2x4xf32>

  // EXPECT: quant(x1, f32(0.03), 128, 0, 255)
  %x1d = tensor.cast %x1 : tensor<2x6xf32> to tensor<?x6xf32>
  %r0 = call @per_tensor_ui8(%x1d, %s1, %zp1) : (tensor<?x6xf32>, tensor<f32>, tensor<ui8>) -> tensor<?x6xui8>
  %c0 = transformer.cast %r0 : tensor<?x6xui8> to tensor<?x6xi32>
  %pb1 = bufferization.to_buffer %c0 : tensor<?x6xi32> to memref<?x6xi32>
  %pu1 = memref.cast %pb1 : memref<?x6xi32> to memref<*xi32>
  call @printMemrefI32(%pu1) : (memref<*xi32>) -> ()

  // EXPECT: np.array([[0, 2, 2, 0, -2, -2]])
  %r1 = call @ties_i8(%ties, %one) : (tensor<1x6xf32>, tensor<1xf32>) -> tensor<1x6xi8>
  %c1 = transformer.cast %r1 : tensor<1x6xi8> to tensor<1x6xi32>
  %pb2 = bufferization.to_buffer %c1 : tensor<1x6xi32> to memref<1x6xi32>
  %pu2 = memref.cast %pb2 : memref<1x6xi32> to memref<*xi32>
  call @printMemrefI32(%pu2) : (memref<*xi32>) -> ()

  // EXPECT: quant(w3, s3[:, None], 0, -128, 127)
  %r2 = call @per_axis_i8(%w3, %s3) : (tensor<3x8xf32>, tensor<3xf32>) -> tensor<3x8xi8>
  %c2 = transformer.cast %r2 : tensor<3x8xi8> to tensor<3x8xi32>
  %pb3 = bufferization.to_buffer %c2 : tensor<3x8xi32> to memref<3x8xi32>
  %pu3 = memref.cast %pb3 : memref<3x8xi32> to memref<*xi32>
  call @printMemrefI32(%pu3) : (memref<*xi32>) -> ()

  // EXPECT: quant(w4, blocks(s4), blocks(zp4), 0, 15)
  %r3 = call @blocked_ui4(%w4, %s4, %zp4) : (tensor<2x10xf32>, tensor<2x3xf32>, tensor<2x3xui4>) -> tensor<2x10xui4>
  %c3 = transformer.cast %r3 : tensor<2x10xui4> to tensor<2x10xi32>
  %pb4 = bufferization.to_buffer %c3 : tensor<2x10xi32> to memref<2x10xi32>
  %pu4 = memref.cast %pb4 : memref<2x10xi32> to memref<*xi32>
  call @printMemrefI32(%pu4) : (memref<*xi32>) -> ()

  // EXPECT: (q5 - zp5) * s5
  %r4 = call @dequant_per_axis(%q5, %s5, %zp5) : (tensor<3x4xi8>, tensor<4xf32>, tensor<4xi8>) -> tensor<3x4xf32>
  %pb5 = bufferization.to_buffer %r4 : tensor<3x4xf32> to memref<3x4xf32>
  %pu5 = memref.cast %pb5 : memref<3x4xf32> to memref<*xf32>
  call @printMemrefF32(%pu5) : (memref<*xf32>) -> ()

  // EXPECT: (q6 - blocks(zp4)) * blocks(s4)
  %q6d = tensor.cast %q6 : tensor<2x10xui4> to tensor<?x10xui4>
  %s4d = tensor.cast %s4 : tensor<2x3xf32> to tensor<?x3xf32>
  %zp4d = tensor.cast %zp4 : tensor<2x3xui4> to tensor<?x3xui4>
  %r5 = call @dequant_blocked_ui4(%q6d, %s4d, %zp4d) : (tensor<?x10xui4>, tensor<?x3xf32>, tensor<?x3xui4>) -> tensor<?x10xf32>
  %pb6 = bufferization.to_buffer %r5 : tensor<?x10xf32> to memref<?x10xf32>
  %pu6 = memref.cast %pb6 : memref<?x10xf32> to memref<*xf32>
  call @printMemrefF32(%pu6) : (memref<*xf32>) -> ()

  // EXPECT: acc * f32(0.001)
  %r6 = call @dequant_i32(%acc, %s7) : (tensor<2x2xi32>, tensor<f32>) -> tensor<2x2xf32>
  %pb7 = bufferization.to_buffer %r6 : tensor<2x2xf32> to memref<2x2xf32>
  %pu7 = memref.cast %pb7 : memref<2x2xf32> to memref<*xf32>
  call @printMemrefF32(%pu7) : (memref<*xf32>) -> ()

  // ONNX DynamicQuantizeLinear.
  // EXPECT: quant(x8, s8, zp8, 0, 255)
  // EXPECT: s8
  // EXPECT: zp8
  %x8d = tensor.cast %x8 : tensor<3x5xf32> to tensor<?x5xf32>
  %r7:3 = call @dynamic_per_tensor(%x8d) : (tensor<?x5xf32>) -> (tensor<?x5xui8>, tensor<f32>, tensor<ui8>)
  %c7q = transformer.cast %r7#0 : tensor<?x5xui8> to tensor<?x5xi32>
  %c7z = transformer.cast %r7#2 : tensor<ui8> to tensor<i32>
  %pb8 = bufferization.to_buffer %c7q : tensor<?x5xi32> to memref<?x5xi32>
  %pu8 = memref.cast %pb8 : memref<?x5xi32> to memref<*xi32>
  call @printMemrefI32(%pu8) : (memref<*xi32>) -> ()
  %pb9 = bufferization.to_buffer %r7#1 : tensor<f32> to memref<f32>
  %pu9 = memref.cast %pb9 : memref<f32> to memref<*xf32>
  call @printMemrefF32(%pu9) : (memref<*xf32>) -> ()
  %pb10 = bufferization.to_buffer %c7z : tensor<i32> to memref<i32>
  %pu10 = memref.cast %pb10 : memref<i32> to memref<*xi32>
  call @printMemrefI32(%pu10) : (memref<*xi32>) -> ()

  // Per-row symmetric.
  // EXPECT: quant(x8, s9, 0, -127, 127)
  // EXPECT: s9
  %r8:2 = call @dynamic_per_row_i8(%x8d) : (tensor<?x5xf32>) -> (tensor<?x5xi8>, tensor<?x1xf32>)
  %c8 = transformer.cast %r8#0 : tensor<?x5xi8> to tensor<?x5xi32>
  %pb11 = bufferization.to_buffer %c8 : tensor<?x5xi32> to memref<?x5xi32>
  %pu11 = memref.cast %pb11 : memref<?x5xi32> to memref<*xi32>
  call @printMemrefI32(%pu11) : (memref<*xi32>) -> ()
  %pb12 = bufferization.to_buffer %r8#1 : tensor<?x1xf32> to memref<?x1xf32>
  %pu12 = memref.cast %pb12 : memref<?x1xf32> to memref<*xf32>
  call @printMemrefF32(%pu12) : (memref<*xf32>) -> ()

  // An all-zero row: scale 0, zero point 0, values at the zero point.
  // EXPECT: quant(x10, safe10, zp10, 0, 255)
  // EXPECT: s10
  // EXPECT: zp10
  %r9:3 = call @dynamic_per_row_zero(%x10) : (tensor<2x4xf32>) -> (tensor<2x4xui8>, tensor<2x1xf32>, tensor<2x1xui8>)
  %c9q = transformer.cast %r9#0 : tensor<2x4xui8> to tensor<2x4xi32>
  %c9z = transformer.cast %r9#2 : tensor<2x1xui8> to tensor<2x1xi32>
  %pb13 = bufferization.to_buffer %c9q : tensor<2x4xi32> to memref<2x4xi32>
  %pu13 = memref.cast %pb13 : memref<2x4xi32> to memref<*xi32>
  call @printMemrefI32(%pu13) : (memref<*xi32>) -> ()
  %pb14 = bufferization.to_buffer %r9#1 : tensor<2x1xf32> to memref<2x1xf32>
  %pu14 = memref.cast %pb14 : memref<2x1xf32> to memref<*xf32>
  call @printMemrefF32(%pu14) : (memref<*xf32>) -> ()
  %pb15 = bufferization.to_buffer %c9z : tensor<2x1xi32> to memref<2x1xi32>
  %pu15 = memref.cast %pb15 : memref<2x1xi32> to memref<*xi32>
  call @printMemrefI32(%pu15) : (memref<*xi32>) -> ()
  return
}

func.func private @printMemrefF32(memref<*xf32>)
func.func private @printMemrefI32(memref<*xi32>)
