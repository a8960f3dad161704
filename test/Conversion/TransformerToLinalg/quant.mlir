// RUN: llm-opt %s --convert-transformer-to-linalg | FileCheck %s

// The lowering of the quantization op group: how scales and zero points are
// read (indexing maps for per-tensor / per-axis, tensor.extract at
// index / block_size for blocked), the rounding and saturation, the
// signedness of extensions and conversions, and the contraction bodies (the
// numerics are checked by test/Integration/quant-*.mlir).

// CHECK-DAG: #[[ID2:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[SCALAR2:.+]] = affine_map<(d0, d1) -> ()>
// CHECK-DAG: #[[ROW2:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[COL2:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[QMM_A:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[QMM_B:.+]] = affine_map<(d0, d1, d2, d3) -> (d3, d2)>
// CHECK-DAG: #[[QMM_AZP:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0)>
// CHECK-DAG: #[[QMM_BZP:.+]] = affine_map<(d0, d1, d2, d3) -> (d2)>
// CHECK-DAG: #[[QMM_OUT:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>

// Per-tensor with a ui8 zero point: round half to even, add the zero point,
// saturate to [0, 255], convert unsigned.
// CHECK-LABEL: func.func @quantize_per_tensor_ui8(
// CHECK-SAME:      %[[X:.+]]: tensor<?x8xf32>, %[[S:.+]]: tensor<f32>, %[[ZP:.+]]: tensor<ui8>)
// CHECK:         %[[N:.+]] = tensor.dim %[[X]], %{{.+}} : tensor<?x8xf32>
// CHECK:         %[[EMPTY:.+]] = tensor.empty(%[[N]]) : tensor<?x8xui8>
// CHECK:         %[[Q:.+]] = linalg.generic {indexing_maps = [#[[ID2]], #[[SCALAR2]], #[[SCALAR2]], #[[ID2]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:        ins(%[[X]], %[[S]], %[[ZP]] : tensor<?x8xf32>, tensor<f32>, tensor<ui8>) outs(%[[EMPTY]] : tensor<?x8xui8>)
// CHECK:         ^bb0(%[[XV:.+]]: f32, %[[SV:.+]]: f32, %[[ZV:.+]]: ui8, %{{.+}}: ui8):
// CHECK:           %[[DIV:.+]] = arith.divf %[[XV]], %[[SV]] : f32
// CHECK:           %[[RND:.+]] = math.roundeven %[[DIV]] : f32
// CHECK:           %[[ZI:.+]] = builtin.unrealized_conversion_cast %[[ZV]] : ui8 to i8
// CHECK:           %[[ZF:.+]] = arith.uitofp %[[ZI]] : i8 to f32
// CHECK:           %[[SUM:.+]] = arith.addf %[[RND]], %[[ZF]] : f32
// CHECK:           %[[LO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:           %[[MAX:.+]] = arith.maximumf %[[SUM]], %[[LO]] : f32
// CHECK:           %[[HI:.+]] = arith.constant 2.550000e+02 : f32
// CHECK:           %[[MIN:.+]] = arith.minimumf %[[MAX]], %[[HI]] : f32
// CHECK:           %[[INT:.+]] = arith.fptoui %[[MIN]] : f32 to i8
// CHECK:           %[[U:.+]] = builtin.unrealized_conversion_cast %[[INT]] : i8 to ui8
// CHECK:           linalg.yield %[[U]] : ui8
// CHECK:         return %[[Q]]
func.func @quantize_per_tensor_ui8(%x: tensor<?x8xf32>, %s: tensor<f32>, %zp: tensor<ui8>) -> tensor<?x8xui8> {
  %0 = transformer.quantize %x, %s zero_point(%zp : tensor<ui8>) : tensor<?x8xf32>, tensor<f32> -> tensor<?x8xui8>
  return %0 : tensor<?x8xui8>
}

// Per-axis along dim 0: the scale is read at d0; signed saturation.
// CHECK-LABEL: func.func @quantize_per_axis_i8(
// CHECK-SAME:      %[[X:.+]]: tensor<4x8xf32>, %[[S:.+]]: tensor<4xf32>)
// CHECK:         linalg.generic {indexing_maps = [#[[ID2]], #[[ROW2]], #[[ID2]]], {{.+}}} ins(%[[X]], %[[S]] : tensor<4x8xf32>, tensor<4xf32>)
// CHECK:           math.roundeven
// CHECK:           arith.constant -1.280000e+02 : f32
// CHECK:           arith.constant 1.270000e+02 : f32
// CHECK:           %[[INT:.+]] = arith.fptosi %{{.+}} : f32 to i8
// CHECK:           linalg.yield %[[INT]] : i8
func.func @quantize_per_axis_i8(%x: tensor<4x8xf32>, %s: tensor<4xf32>) -> tensor<4x8xi8> {
  %0 = transformer.quantize %x, %s {axis = 0 : i64} : tensor<4x8xf32>, tensor<4xf32> -> tensor<4x8xi8>
  return %0 : tensor<4x8xi8>
}

// Blocked int4 with f16 scales: scale[i, j / 32], computed in f32, int4
// range [-8, 7].
// CHECK-LABEL: func.func @quantize_blocked_i4(
// CHECK-SAME:      %[[X:.+]]: tensor<4x64xf32>, %[[S:.+]]: tensor<4x2xf16>)
// CHECK:         linalg.generic {indexing_maps = [#[[ID2]], #[[ID2]]], {{.+}}} ins(%[[X]] : tensor<4x64xf32>) outs(%{{.+}} : tensor<4x64xi4>)
// CHECK:         ^bb0(%[[XV:.+]]: f32, %{{.+}}: i4):
// CHECK:           %[[I:.+]] = linalg.index 0 : index
// CHECK:           %[[J:.+]] = linalg.index 1 : index
// CHECK:           %[[BLOCK:.+]] = arith.divui %[[J]], %{{.+}} : index
// CHECK:           %[[SV:.+]] = tensor.extract %[[S]][%[[I]], %[[BLOCK]]] : tensor<4x2xf16>
// CHECK:           %[[SF:.+]] = arith.extf %[[SV]] : f16 to f32
// CHECK:           %[[DIV:.+]] = arith.divf %[[XV]], %[[SF]] : f32
// CHECK:           math.roundeven %[[DIV]] : f32
// CHECK:           arith.constant -8.000000e+00 : f32
// CHECK:           arith.constant 7.000000e+00 : f32
// CHECK:           %[[INT:.+]] = arith.fptosi %{{.+}} : f32 to i4
// CHECK:           linalg.yield %[[INT]] : i4
func.func @quantize_blocked_i4(%x: tensor<4x64xf32>, %s: tensor<4x2xf16>) -> tensor<4x64xi4> {
  %0 = transformer.quantize %x, %s {axis = 1 : i64, block_size = 32 : i64} : tensor<4x64xf32>, tensor<4x2xf16> -> tensor<4x64xi4>
  return %0 : tensor<4x64xi4>
}

// Blocked ui4 dequantization: (q - zp) in i32 with unsigned extension, then
// times the block's scale.
// CHECK-LABEL: func.func @dequantize_blocked_ui4(
// CHECK-SAME:      %[[Q:.+]]: tensor<4x64xui4>, %[[S:.+]]: tensor<4x2xf32>, %[[ZP:.+]]: tensor<4x2xui4>)
// CHECK:         linalg.generic {{.+}} ins(%[[Q]] : tensor<4x64xui4>) outs(%{{.+}} : tensor<4x64xf32>)
// CHECK:         ^bb0(%[[QV:.+]]: ui4, %{{.+}}: f32):
// CHECK:           %[[I:.+]] = linalg.index 0 : index
// CHECK:           %[[J:.+]] = linalg.index 1 : index
// CHECK:           %[[BLOCK:.+]] = arith.divui %[[J]], %{{.+}} : index
// CHECK:           %[[SV:.+]] = tensor.extract %[[S]][%[[I]], %[[BLOCK]]] : tensor<4x2xf32>
// CHECK:           %[[ZV:.+]] = tensor.extract %[[ZP]][%[[I]], %[[BLOCK]]] : tensor<4x2xui4>
// CHECK:           %[[QS:.+]] = builtin.unrealized_conversion_cast %[[QV]] : ui4 to i4
// CHECK:           %[[QI:.+]] = arith.extui %[[QS]] : i4 to i32
// CHECK:           %[[ZS:.+]] = builtin.unrealized_conversion_cast %[[ZV]] : ui4 to i4
// CHECK:           %[[ZI:.+]] = arith.extui %[[ZS]] : i4 to i32
// CHECK:           %[[D:.+]] = arith.subi %[[QI]], %[[ZI]] : i32
// CHECK:           %[[DF:.+]] = arith.sitofp %[[D]] : i32 to f32
// CHECK:           %[[R:.+]] = arith.mulf %[[DF]], %[[SV]] : f32
// CHECK:           linalg.yield %[[R]] : f32
func.func @dequantize_blocked_ui4(%q: tensor<4x64xui4>, %s: tensor<4x2xf32>, %zp: tensor<4x2xui4>) -> tensor<4x64xf32> {
  %0 = transformer.dequantize %q, %s zero_point(%zp : tensor<4x2xui4>) {axis = 1 : i64, block_size = 32 : i64} : tensor<4x64xui4>, tensor<4x2xf32> -> tensor<4x64xf32>
  return %0 : tensor<4x64xf32>
}

// Per-axis along the last dim, into f16 (computed in the scale's f32).
// CHECK-LABEL: func.func @dequantize_per_axis_i8(
// CHECK-SAME:      %[[Q:.+]]: tensor<?x8xi8>, %[[S:.+]]: tensor<8xf32>)
// CHECK:         linalg.generic {indexing_maps = [#[[ID2]], #[[COL2]], #[[ID2]]], {{.+}}} ins(%[[Q]], %[[S]] : tensor<?x8xi8>, tensor<8xf32>) outs(%{{.+}} : tensor<?x8xf16>)
// CHECK:         ^bb0(%[[QV:.+]]: i8, %[[SV:.+]]: f32, %{{.+}}: f16):
// CHECK:           %[[QI:.+]] = arith.extsi %[[QV]] : i8 to i32
// CHECK:           %[[QF:.+]] = arith.sitofp %[[QI]] : i32 to f32
// CHECK:           %[[R:.+]] = arith.mulf %[[QF]], %[[SV]] : f32
// CHECK:           %[[T:.+]] = arith.truncf %[[R]] : f32 to f16
// CHECK:           linalg.yield %[[T]] : f16
func.func @dequantize_per_axis_i8(%q: tensor<?x8xi8>, %s: tensor<8xf32>) -> tensor<?x8xf16> {
  %0 = transformer.dequantize %q, %s {axis = -1 : i64} : tensor<?x8xi8>, tensor<8xf32> -> tensor<?x8xf16>
  return %0 : tensor<?x8xf16>
}

// ONNX DynamicQuantizeLinear: min and max in one reduction, then the scale
// and zero point of the range widened to 0, then the quantization.
// CHECK-LABEL: func.func @dynamic_quantize_per_tensor(
// CHECK-SAME:      %[[X:.+]]: tensor<?x8xf32>)
// CHECK:         %[[INF:.+]] = arith.constant 0x7F800000 : f32
// CHECK:         %[[MIN_INIT:.+]] = linalg.fill ins(%[[INF]] : f32) outs(%{{.+}} : tensor<f32>)
// CHECK:         %[[NEG_INF:.+]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[MAX_INIT:.+]] = linalg.fill ins(%[[NEG_INF]] : f32) outs(%{{.+}} : tensor<f32>)
// CHECK:         %[[RANGE:.+]]:2 = linalg.generic {{.+}} iterator_types = ["reduction", "reduction"]} ins(%[[X]] : tensor<?x8xf32>) outs(%[[MIN_INIT]], %[[MAX_INIT]] : tensor<f32>, tensor<f32>)
// CHECK:           arith.minimumf
// CHECK:           arith.maximumf
// CHECK:         %[[PARAMS:.+]]:2 = linalg.generic {{.+}} iterator_types = []} ins(%[[RANGE]]#0, %[[RANGE]]#1 : tensor<f32>, tensor<f32>) outs(%{{.+}}, %{{.+}} : tensor<f32>, tensor<ui8>)
// CHECK:         ^bb0(%[[MN:.+]]: f32, %[[MX:.+]]: f32, %{{.+}}: f32, %{{.+}}: ui8):
// CHECK:           %[[LO:.+]] = arith.minimumf %[[MN]], %[[ZERO:.+]] : f32
// CHECK:           %[[HI:.+]] = arith.maximumf %[[MX]], %[[ZERO]] : f32
// CHECK:           %[[WIDTH:.+]] = arith.subf %[[HI]], %[[LO]] : f32
// CHECK:           %[[SCALE:.+]] = arith.divf %[[WIDTH]], %{{.+}} : f32
// CHECK:           %[[IS_ZERO:.+]] = arith.cmpf oeq, %[[SCALE]], %[[ZERO]] : f32
// CHECK:           %[[SAFE:.+]] = arith.select %[[IS_ZERO]], %{{.+}}, %[[SCALE]] : f32
// CHECK:           %[[NEG_LO:.+]] = arith.negf %[[LO]] : f32
// CHECK:           %[[ZP_DIV:.+]] = arith.divf %[[NEG_LO]], %[[SAFE]] : f32
// CHECK:           math.roundeven %[[ZP_DIV]] : f32
// CHECK:           %[[ZP_INT:.+]] = arith.fptoui %{{.+}} : f32 to i8
// CHECK:           %[[ZP_U:.+]] = builtin.unrealized_conversion_cast %[[ZP_INT]] : i8 to ui8
// CHECK:           linalg.yield %[[SCALE]], %[[ZP_U]] : f32, ui8
// CHECK:         %[[Q:.+]] = linalg.generic {{.+}} ins(%[[X]], %[[PARAMS]]#0, %[[PARAMS]]#1 : tensor<?x8xf32>, tensor<f32>, tensor<ui8>) outs(%{{.+}} : tensor<?x8xui8>)
// CHECK:           arith.select
// CHECK:           math.roundeven
// CHECK:           arith.fptoui
// CHECK:         return %[[Q]], %[[PARAMS]]#0, %[[PARAMS]]#1
func.func @dynamic_quantize_per_tensor(%x: tensor<?x8xf32>) -> (tensor<?x8xui8>, tensor<f32>, tensor<ui8>) {
  %q, %s, %zp = transformer.dynamic_quantize %x : tensor<?x8xf32> -> tensor<?x8xui8>, tensor<f32>, tensor<ui8>
  return %q, %s, %zp : tensor<?x8xui8>, tensor<f32>, tensor<ui8>
}

// Per-row symmetric: max |x| over the last dim, / 127, clamp to
// [-127, 127]; the scale gets its unit dim back with expand_shape.
// CHECK-LABEL: func.func @dynamic_quantize_per_row(
// CHECK-SAME:      %[[X:.+]]: tensor<?x?x8xf32>)
// CHECK:         %[[D0:.+]] = tensor.dim %[[X]], %{{.+}}
// CHECK:         %[[D1:.+]] = tensor.dim %[[X]], %{{.+}}
// CHECK:         %[[AMAX:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[X]] : tensor<?x?x8xf32>) outs(%{{.+}} : tensor<?x?xf32>)
// CHECK:           %[[ABS:.+]] = math.absf %{{.+}} : f32
// CHECK:           arith.maximumf %[[ABS]], %{{.+}} : f32
// CHECK:         %[[SCALE:.+]] = linalg.generic {{.+}} ins(%[[AMAX]] : tensor<?x?xf32>) outs(%{{.+}} : tensor<?x?xf32>)
// CHECK:           %[[C127:.+]] = arith.constant 1.270000e+02 : f32
// CHECK:           %[[S:.+]] = arith.divf %{{.+}}, %[[C127]] : f32
// CHECK:           linalg.yield %[[S]] : f32
// CHECK:         %[[Q:.+]] = linalg.generic {{.+}} ins(%[[X]], %[[SCALE]] : tensor<?x?x8xf32>, tensor<?x?xf32>) outs(%{{.+}} : tensor<?x?x8xi8>)
// CHECK:           arith.constant -1.270000e+02 : f32
// CHECK:           arith.fptosi %{{.+}} : f32 to i8
// CHECK:         %[[S3:.+]] = tensor.expand_shape %[[SCALE]] {{\[}}[0], [1, 2]] output_shape [%[[D0]], %[[D1]], 1] : tensor<?x?xf32> into tensor<?x?x1xf32>
// CHECK:         return %[[Q]], %[[S3]]
func.func @dynamic_quantize_per_row(%x: tensor<?x?x8xf32>) -> (tensor<?x?x8xi8>, tensor<?x?x1xf32>) {
  %q, %s = transformer.dynamic_quantize %x {axis = -1 : i64} : tensor<?x?x8xf32> -> tensor<?x?x8xi8>, tensor<?x?x1xf32>
  return %q, %s : tensor<?x?x8xi8>, tensor<?x?x1xf32>
}

// u8 x s8 with a per-row a zero point [B, M, 1] and a per-column b zero
// point [N]: i32 accumulation of (a - azp) * (b - bzp).
// CHECK-LABEL: func.func @quantized_matmul(
// CHECK-SAME:      %[[A:.+]]: tensor<?x4x8xui8>, %[[B:.+]]: tensor<8x16xi8>, %[[AZP:.+]]: tensor<?x4x1xui8>, %[[BZP:.+]]: tensor<16xi8>)
// CHECK:         %[[ZERO:.+]] = arith.constant 0 : i32
// CHECK:         %[[FILL:.+]] = linalg.fill ins(%[[ZERO]] : i32) outs(%{{.+}} : tensor<?x4x16xi32>)
// CHECK:         %[[MM:.+]] = linalg.generic {indexing_maps = [#[[QMM_A]], #[[QMM_B]], #[[QMM_AZP]], #[[QMM_BZP]], #[[QMM_OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME:        ins(%[[A]], %[[B]], %[[AZP]], %[[BZP]] : tensor<?x4x8xui8>, tensor<8x16xi8>, tensor<?x4x1xui8>, tensor<16xi8>) outs(%[[FILL]] : tensor<?x4x16xi32>)
// CHECK:         ^bb0(%[[AV:.+]]: ui8, %[[BV:.+]]: i8, %[[AZV:.+]]: ui8, %[[BZV:.+]]: i8, %[[ACC:.+]]: i32):
// CHECK:           %[[AS:.+]] = builtin.unrealized_conversion_cast %[[AV]] : ui8 to i8
// CHECK:           %[[AI:.+]] = arith.extui %[[AS]] : i8 to i32
// CHECK:           %[[BI:.+]] = arith.extsi %[[BV]] : i8 to i32
// CHECK:           %[[AZS:.+]] = builtin.unrealized_conversion_cast %[[AZV]] : ui8 to i8
// CHECK:           %[[AZI:.+]] = arith.extui %[[AZS]] : i8 to i32
// CHECK:           %[[AD:.+]] = arith.subi %[[AI]], %[[AZI]] : i32
// CHECK:           %[[BZI:.+]] = arith.extsi %[[BZV]] : i8 to i32
// CHECK:           %[[BD:.+]] = arith.subi %[[BI]], %[[BZI]] : i32
// CHECK:           %[[P:.+]] = arith.muli %[[AD]], %[[BD]] : i32
// CHECK:           %[[SUM:.+]] = arith.addi %[[P]], %[[ACC]] : i32
// CHECK:           linalg.yield %[[SUM]] : i32
// CHECK:         return %[[MM]]
func.func @quantized_matmul(%a: tensor<?x4x8xui8>, %b: tensor<8x16xi8>, %azp: tensor<?x4x1xui8>, %bzp: tensor<16xi8>) -> tensor<?x4x16xi32> {
  %0 = transformer.quantized_matmul %a, %b a_zero_point(%azp : tensor<?x4x1xui8>) b_zero_point(%bzp : tensor<16xi8>) : tensor<?x4x8xui8>, tensor<8x16xi8> -> tensor<?x4x16xi32>
  return %0 : tensor<?x4x16xi32>
}

// int4 groups of 32: the weight element is dequantized inside the
// contraction over (b, s, n, k) with scale/zero point [n, k / 32]; the bias
// is added afterwards.
// CHECK-LABEL: func.func @quantized_linear_int4(
// CHECK-SAME:      %[[X:.+]]: tensor<?x?x64xf32>, %[[W:.+]]: tensor<16x64xui4>, %[[S:.+]]: tensor<16x2xf16>, %[[ZP:.+]]: tensor<16x2xui4>, %[[BIAS:.+]]: tensor<16xf32>)
// CHECK:         %[[FILL:.+]] = linalg.fill
// CHECK:         %[[ACC:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[X]], %[[W]] : tensor<?x?x64xf32>, tensor<16x64xui4>) outs(%[[FILL]] : tensor<?x?x16xf32>)
// CHECK:         ^bb0(%[[XV:.+]]: f32, %[[WV:.+]]: ui4, %[[OUT:.+]]: f32):
// CHECK:           %[[N:.+]] = linalg.index 2 : index
// CHECK:           %[[K:.+]] = linalg.index 3 : index
// CHECK:           %[[G:.+]] = arith.divui %[[K]], %{{.+}} : index
// CHECK:           %[[SV:.+]] = tensor.extract %[[S]][%[[N]], %[[G]]] : tensor<16x2xf16>
// CHECK:           %[[ZV:.+]] = tensor.extract %[[ZP]][%[[N]], %[[G]]] : tensor<16x2xui4>
// CHECK:           %[[WS:.+]] = builtin.unrealized_conversion_cast %[[WV]] : ui4 to i4
// CHECK:           %[[WI:.+]] = arith.extui %[[WS]] : i4 to i32
// CHECK:           %[[ZS:.+]] = builtin.unrealized_conversion_cast %[[ZV]] : ui4 to i4
// CHECK:           %[[ZI:.+]] = arith.extui %[[ZS]] : i4 to i32
// CHECK:           %[[D:.+]] = arith.subi %[[WI]], %[[ZI]] : i32
// CHECK:           %[[DF:.+]] = arith.sitofp %[[D]] : i32 to f32
// CHECK:           %[[SF:.+]] = arith.extf %[[SV]] : f16 to f32
// CHECK:           %[[WF:.+]] = arith.mulf %[[DF]], %[[SF]] : f32
// CHECK:           %[[P:.+]] = arith.mulf %[[XV]], %[[WF]] : f32
// CHECK:           %[[SUM:.+]] = arith.addf %[[P]], %[[OUT]] : f32
// CHECK:           linalg.yield %[[SUM]] : f32
// CHECK:         %[[Y:.+]] = linalg.generic {{.+}} ins(%[[ACC]], %[[BIAS]] : tensor<?x?x16xf32>, tensor<16xf32>) outs(%{{.+}} : tensor<?x?x16xf32>)
// CHECK:           arith.addf
// CHECK:         return %[[Y]]
func.func @quantized_linear_int4(%x: tensor<?x?x64xf32>, %w: tensor<16x64xui4>, %s: tensor<16x2xf16>, %zp: tensor<16x2xui4>, %b: tensor<16xf32>) -> tensor<?x?x16xf32> {
  %0 = transformer.quantized_linear %x, %w, %s zero_point(%zp : tensor<16x2xui4>) bias(%b : tensor<16xf32>) {group_size = 32 : i64} : tensor<?x?x64xf32>, tensor<16x64xui4>, tensor<16x2xf16> -> tensor<?x?x16xf32>
  return %0 : tensor<?x?x16xf32>
}

// int8 per output channel: the scale is an input read at n.
// CHECK-LABEL: func.func @quantized_linear_int8(
// CHECK-SAME:      %[[X:.+]]: tensor<2x64xf32>, %[[W:.+]]: tensor<16x64xi8>, %[[S:.+]]: tensor<16xf32>)
// CHECK:         %[[ACC:.+]] = linalg.generic {{.+}} ins(%[[X]], %[[W]], %[[S]] : tensor<2x64xf32>, tensor<16x64xi8>, tensor<16xf32>) outs(%{{.+}} : tensor<2x16xf32>)
// CHECK:         ^bb0(%[[XV:.+]]: f32, %[[WV:.+]]: i8, %[[SV:.+]]: f32, %[[OUT:.+]]: f32):
// CHECK:           %[[WI:.+]] = arith.extsi %[[WV]] : i8 to i32
// CHECK:           %[[WF:.+]] = arith.sitofp %[[WI]] : i32 to f32
// CHECK:           %[[WS:.+]] = arith.mulf %[[WF]], %[[SV]] : f32
// CHECK:           %[[P:.+]] = arith.mulf %[[XV]], %[[WS]] : f32
// CHECK:           %[[SUM:.+]] = arith.addf %[[P]], %[[OUT]] : f32
// CHECK:           linalg.yield %[[SUM]] : f32
// CHECK:         return %[[ACC]]
func.func @quantized_linear_int8(%x: tensor<2x64xf32>, %w: tensor<16x64xi8>, %s: tensor<16xf32>) -> tensor<2x16xf32> {
  %0 = transformer.quantized_linear %x, %w, %s : tensor<2x64xf32>, tensor<16x64xi8>, tensor<16xf32> -> tensor<2x16xf32>
  return %0 : tensor<2x16xf32>
}
