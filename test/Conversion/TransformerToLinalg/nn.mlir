// RUN: llm-opt %s --convert-transformer-to-linalg | FileCheck %s

// The lowering of the NN op group: which linalg op each case becomes and how
// the operands flow (the numerics are checked by test/Integration/nn-*.mlir).

// CHECK-DAG: #[[MAP_MK:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[MAP_NK:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[MAP_MN:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[BCAST_LHS:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, 0, d2, d4)>
// CHECK-DAG: #[[BCAST_RHS:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d4, d3)>
// CHECK-DAG: #[[BCAST_OUT:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>

// CHECK-LABEL: func.func @matmul_2d(
// CHECK-SAME:      %[[A:.+]]: tensor<4x8xf32>, %[[B:.+]]: tensor<8x16xf32>)
// CHECK:         %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[EMPTY:.+]] = tensor.empty() : tensor<4x16xf32>
// CHECK:         %[[FILL:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<4x16xf32>)
// CHECK:         %[[MM:.+]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<4x8xf32>, tensor<8x16xf32>) outs(%[[FILL]] : tensor<4x16xf32>)
// CHECK:         return %[[MM]]
func.func @matmul_2d(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %0 = transformer.matmul %a, %b : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// [B, S, K] x [K, N]: one matmul on the collapsed [B * S, K].
// CHECK-LABEL: func.func @matmul_rhs_matrix(
// CHECK-SAME:      %[[A:.+]]: tensor<2x?x8xf32>, %[[B:.+]]: tensor<8x16xf32>)
// CHECK:         %[[S:.+]] = tensor.dim %[[A]], %{{.+}} : tensor<2x?x8xf32>
// CHECK:         %[[FLAT:.+]] = tensor.collapse_shape %[[A]] {{\[}}[0, 1], [2]] : tensor<2x?x8xf32> into tensor<?x8xf32>
// CHECK:         %[[M:.+]] = tensor.dim %[[FLAT]], %{{.+}} : tensor<?x8xf32>
// CHECK:         %[[EMPTY:.+]] = tensor.empty(%[[M]]) : tensor<?x16xf32>
// CHECK:         %[[FILL:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[EMPTY]] : tensor<?x16xf32>)
// CHECK:         %[[MM:.+]] = linalg.matmul ins(%[[FLAT]], %[[B]] : tensor<?x8xf32>, tensor<8x16xf32>) outs(%[[FILL]] : tensor<?x16xf32>)
// CHECK:         %[[OUT:.+]] = tensor.expand_shape %[[MM]] {{\[}}[0, 1], [2]] output_shape [2, %[[S]], 16] : tensor<?x16xf32> into tensor<2x?x16xf32>
// CHECK:         return %[[OUT]]
func.func @matmul_rhs_matrix(%a: tensor<2x?x8xf32>, %b: tensor<8x16xf32>) -> tensor<2x?x16xf32> {
  %0 = transformer.matmul %a, %b : tensor<2x?x8xf32>, tensor<8x16xf32> -> tensor<2x?x16xf32>
  return %0 : tensor<2x?x16xf32>
}

// CHECK-LABEL: func.func @matmul_batch(
// CHECK-SAME:      %[[A:.+]]: tensor<?x4x8xf32>, %[[B:.+]]: tensor<?x8x16xf32>)
// CHECK:         %[[FILL:.+]] = linalg.fill
// CHECK:         %[[MM:.+]] = linalg.batch_matmul ins(%[[A]], %[[B]] : tensor<?x4x8xf32>, tensor<?x8x16xf32>) outs(%[[FILL]] : tensor<?x4x16xf32>)
// CHECK:         return %[[MM]]
func.func @matmul_batch(%a: tensor<?x4x8xf32>, %b: tensor<?x8x16xf32>) -> tensor<?x4x16xf32> {
  %0 = transformer.matmul %a, %b : tensor<?x4x8xf32>, tensor<?x8x16xf32> -> tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}

// Two batch dims are collapsed into the one of batch_matmul.
// CHECK-LABEL: func.func @matmul_batch_collapsed(
// CHECK-SAME:      %[[A:.+]]: tensor<2x3x4x8xf32>, %[[B:.+]]: tensor<2x3x8x5xf32>)
// CHECK:         %[[A3:.+]] = tensor.collapse_shape %[[A]] {{\[}}[0, 1], [2], [3]] : tensor<2x3x4x8xf32> into tensor<6x4x8xf32>
// CHECK:         %[[B3:.+]] = tensor.collapse_shape %[[B]] {{\[}}[0, 1], [2], [3]] : tensor<2x3x8x5xf32> into tensor<6x8x5xf32>
// CHECK:         %[[FILL:.+]] = linalg.fill
// CHECK:         %[[MM:.+]] = linalg.batch_matmul ins(%[[A3]], %[[B3]] : {{.+}}) outs(%[[FILL]] : tensor<6x4x5xf32>)
// CHECK:         %[[OUT:.+]] = tensor.expand_shape %[[MM]] {{\[}}[0, 1], [2], [3]] output_shape [2, 3, 4, 5] : tensor<6x4x5xf32> into tensor<2x3x4x5xf32>
// CHECK:         return %[[OUT]]
func.func @matmul_batch_collapsed(%a: tensor<2x3x4x8xf32>, %b: tensor<2x3x8x5xf32>) -> tensor<2x3x4x5xf32> {
  %0 = transformer.matmul %a, %b : tensor<2x3x4x8xf32>, tensor<2x3x8x5xf32> -> tensor<2x3x4x5xf32>
  return %0 : tensor<2x3x4x5xf32>
}

// Broadcast batch dims: a contraction generic reading the unit dim at 0.
// CHECK-LABEL: func.func @matmul_broadcast(
// CHECK-SAME:      %[[A:.+]]: tensor<2x1x4x8xf32>, %[[B:.+]]: tensor<3x8x5xf32>)
// CHECK:         %[[FILL:.+]] = linalg.fill
// CHECK:         %[[MM:.+]] = linalg.generic {indexing_maps = [#[[BCAST_LHS]], #[[BCAST_RHS]], #[[BCAST_OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME:        ins(%[[A]], %[[B]] : tensor<2x1x4x8xf32>, tensor<3x8x5xf32>) outs(%[[FILL]] : tensor<2x3x4x5xf32>)
// CHECK:         ^bb0(%[[X:.+]]: f32, %[[Y:.+]]: f32, %[[ACC:.+]]: f32):
// CHECK:           %[[P:.+]] = arith.mulf %[[X]], %[[Y]] : f32
// CHECK:           %[[S:.+]] = arith.addf %[[P]], %[[ACC]] : f32
// CHECK:           linalg.yield %[[S]] : f32
// CHECK:         return %[[MM]]
func.func @matmul_broadcast(%a: tensor<2x1x4x8xf32>, %b: tensor<3x8x5xf32>) -> tensor<2x3x4x5xf32> {
  %0 = transformer.matmul %a, %b : tensor<2x1x4x8xf32>, tensor<3x8x5xf32> -> tensor<2x3x4x5xf32>
  return %0 : tensor<2x3x4x5xf32>
}

// Two dynamic leading dims cannot be collapsed and expanded back (see
// NNToLinalg.cpp): a contraction generic over (b, s, n, k).
// CHECK-LABEL: func.func @matmul_two_dynamic(
// CHECK-SAME:      %[[A:.+]]: tensor<?x?x8xf32>, %[[B:.+]]: tensor<8x16xf32>)
// CHECK:         %[[D0:.+]] = tensor.dim %[[A]], %{{.+}}
// CHECK:         %[[D1:.+]] = tensor.dim %[[A]], %{{.+}}
// CHECK:         %[[EMPTY:.+]] = tensor.empty(%[[D0]], %[[D1]]) : tensor<?x?x16xf32>
// CHECK:         %[[FILL:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[EMPTY]] : tensor<?x?x16xf32>)
// CHECK-NOT:     tensor.collapse_shape
// CHECK:         %[[MM:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME:        ins(%[[A]], %[[B]] : tensor<?x?x8xf32>, tensor<8x16xf32>) outs(%[[FILL]] : tensor<?x?x16xf32>)
// CHECK:         return %[[MM]]
func.func @matmul_two_dynamic(%a: tensor<?x?x8xf32>, %b: tensor<8x16xf32>) -> tensor<?x?x16xf32> {
  %0 = transformer.matmul %a, %b : tensor<?x?x8xf32>, tensor<8x16xf32> -> tensor<?x?x16xf32>
  return %0 : tensor<?x?x16xf32>
}

// Unsigned integers: the named ops' bodies cannot take them, so a generic
// whose body works on signless casts (and a fill with the cast zero).
// CHECK-LABEL: func.func @matmul_unsigned(
// CHECK-SAME:      %[[A:.+]]: tensor<2x3xui32>, %[[B:.+]]: tensor<3x2xui32>)
// CHECK:         %[[ZERO_I:.+]] = arith.constant 0 : i32
// CHECK:         %[[ZERO:.+]] = builtin.unrealized_conversion_cast %[[ZERO_I]] : i32 to ui32
// CHECK:         %[[FILL:.+]] = linalg.fill ins(%[[ZERO]] : ui32) outs(%{{.+}} : tensor<2x2xui32>)
// CHECK:         %[[MM:.+]] = linalg.generic {{.+}} ins(%[[A]], %[[B]] : tensor<2x3xui32>, tensor<3x2xui32>) outs(%[[FILL]] : tensor<2x2xui32>)
// CHECK:         ^bb0(%[[X:.+]]: ui32, %[[Y:.+]]: ui32, %[[ACC:.+]]: ui32):
// CHECK-DAG:       %[[XS:.+]] = builtin.unrealized_conversion_cast %[[X]] : ui32 to i32
// CHECK-DAG:       %[[YS:.+]] = builtin.unrealized_conversion_cast %[[Y]] : ui32 to i32
// CHECK-DAG:       %[[AS:.+]] = builtin.unrealized_conversion_cast %[[ACC]] : ui32 to i32
// CHECK:           %[[P:.+]] = arith.muli %[[XS]], %[[YS]] : i32
// CHECK:           %[[S:.+]] = arith.addi %[[P]], %[[AS]] : i32
// CHECK:           %[[R:.+]] = builtin.unrealized_conversion_cast %[[S]] : i32 to ui32
// CHECK:           linalg.yield %[[R]] : ui32
// CHECK:         return %[[MM]]
func.func @matmul_unsigned(%a: tensor<2x3xui32>, %b: tensor<3x2xui32>) -> tensor<2x2xui32> {
  %0 = transformer.matmul %a, %b : tensor<2x3xui32>, tensor<3x2xui32> -> tensor<2x2xui32>
  return %0 : tensor<2x2xui32>
}

// linear: matmul with the transposed-B maps on [M, K] x [N, K], then the
// bias added in place, then the leading dims expanded back.
// CHECK-LABEL: func.func @linear_bias(
// CHECK-SAME:      %[[X:.+]]: tensor<?x3x8xf32>, %[[W:.+]]: tensor<16x8xf32>, %[[BIAS:.+]]: tensor<16xf32>)
// CHECK:         %[[BATCH:.+]] = tensor.dim %[[X]], %{{.+}} : tensor<?x3x8xf32>
// CHECK:         %[[FLAT:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1], [2]] : tensor<?x3x8xf32> into tensor<?x8xf32>
// CHECK:         %[[FILL:.+]] = linalg.fill
// CHECK:         %[[MM:.+]] = linalg.matmul indexing_maps = [#[[MAP_MK]], #[[MAP_NK]], #[[MAP_MN]]] ins(%[[FLAT]], %[[W]] : tensor<?x8xf32>, tensor<16x8xf32>) outs(%[[FILL]] : tensor<?x16xf32>)
// CHECK:         %[[BIASED:.+]] = linalg.generic {{.+}} ins(%[[BIAS]] : tensor<16xf32>) outs(%[[MM]] : tensor<?x16xf32>)
// CHECK:         ^bb0(%[[B:.+]]: f32, %[[Y:.+]]: f32):
// CHECK:           %[[SUM:.+]] = arith.addf %[[Y]], %[[B]] : f32
// CHECK:           linalg.yield %[[SUM]] : f32
// CHECK:         %[[OUT:.+]] = tensor.expand_shape %[[BIASED]] {{\[}}[0, 1], [2]] output_shape [%[[BATCH]], 3, 16] : tensor<?x16xf32> into tensor<?x3x16xf32>
// CHECK:         return %[[OUT]]
func.func @linear_bias(%x: tensor<?x3x8xf32>, %w: tensor<16x8xf32>, %b: tensor<16xf32>) -> tensor<?x3x16xf32> {
  %0 = transformer.linear %x, %w, %b : tensor<?x3x8xf32>, tensor<16x8xf32>, tensor<16xf32> -> tensor<?x3x16xf32>
  return %0 : tensor<?x3x16xf32>
}

// CHECK-LABEL: func.func @linear_vector(
// CHECK-SAME:      %[[X:.+]]: tensor<8xf32>, %[[W:.+]]: tensor<16x8xf32>)
// CHECK:         %[[FILL:.+]] = linalg.fill
// CHECK:         %[[MV:.+]] = linalg.matvec ins(%[[W]], %[[X]] : tensor<16x8xf32>, tensor<8xf32>) outs(%[[FILL]] : tensor<16xf32>)
// CHECK:         return %[[MV]]
func.func @linear_vector(%x: tensor<8xf32>, %w: tensor<16x8xf32>) -> tensor<16xf32> {
  %0 = transformer.linear %x, %w : tensor<8xf32>, tensor<16x8xf32> -> tensor<16xf32>
  return %0 : tensor<16xf32>
}

// CHECK-LABEL: func.func @linear_two_dynamic(
// CHECK-SAME:      %[[X:.+]]: tensor<?x?x8xf32>, %[[W:.+]]: tensor<16x8xf32>)
// CHECK-NOT:     tensor.collapse_shape
// CHECK:         %[[MM:.+]] = linalg.generic {{.+}} ins(%[[X]], %[[W]] : tensor<?x?x8xf32>, tensor<16x8xf32>) outs(%{{.+}} : tensor<?x?x16xf32>)
// CHECK:         return %[[MM]]
func.func @linear_two_dynamic(%x: tensor<?x?x8xf32>, %w: tensor<16x8xf32>) -> tensor<?x?x16xf32> {
  %0 = transformer.linear %x, %w : tensor<?x?x8xf32>, tensor<16x8xf32> -> tensor<?x?x16xf32>
  return %0 : tensor<?x?x16xf32>
}

// softmax: max, sum of exp(x - max), normalize; f16 accumulates in f32.
// CHECK-LABEL: func.func @softmax_f16(
// CHECK-SAME:      %[[X:.+]]: tensor<?x8xf16>)
// CHECK:         %[[N:.+]] = tensor.dim %[[X]], %{{.+}} : tensor<?x8xf16>
// CHECK:         %[[MAX_EMPTY:.+]] = tensor.empty(%[[N]]) : tensor<?xf32>
// CHECK:         %[[NEG_INF:.+]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[MAX_INIT:.+]] = linalg.fill ins(%[[NEG_INF]] : f32) outs(%[[MAX_EMPTY]] : tensor<?xf32>)
// CHECK:         %[[MAX:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<?x8xf16>) outs(%[[MAX_INIT]] : tensor<?xf32>)
// CHECK:           %[[E0:.+]] = arith.extf %{{.+}} : f16 to f32
// CHECK:           arith.maximumf %[[E0]], %{{.+}} : f32
// CHECK:         %[[SUM_INIT:.+]] = linalg.fill
// CHECK:         %[[SUM:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]} ins(%[[X]], %[[MAX]] : tensor<?x8xf16>, tensor<?xf32>) outs(%[[SUM_INIT]] : tensor<?xf32>)
// CHECK:           %[[E1:.+]] = arith.extf %{{.+}} : f16 to f32
// CHECK:           %[[D1:.+]] = arith.subf %[[E1]], %{{.+}} : f32
// CHECK:           %[[EXP1:.+]] = math.exp %[[D1]] : f32
// CHECK:           arith.addf %[[EXP1]], %{{.+}} : f32
// CHECK:         %[[OUT:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel"]} ins(%[[X]], %[[MAX]], %[[SUM]] : tensor<?x8xf16>, tensor<?xf32>, tensor<?xf32>) outs(%{{.+}} : tensor<?x8xf16>)
// CHECK:           %[[EXP2:.+]] = math.exp
// CHECK:           %[[Q:.+]] = arith.divf %[[EXP2]], %{{.+}} : f32
// CHECK:           %[[T:.+]] = arith.truncf %[[Q]] : f32 to f16
// CHECK:           linalg.yield %[[T]] : f16
// CHECK:         return %[[OUT]]
func.func @softmax_f16(%x: tensor<?x8xf16>) -> tensor<?x8xf16> {
  %0 = transformer.softmax %x : tensor<?x8xf16>
  return %0 : tensor<?x8xf16>
}

// log_softmax along axis 0: x - max - log(sum).
// CHECK-LABEL: func.func @log_softmax_axis0(
// CHECK-SAME:      %[[X:.+]]: tensor<4x8xf32>)
// CHECK:         %[[MAX:.+]] = linalg.generic {{.+}} iterator_types = ["reduction", "parallel"]} ins(%[[X]] : tensor<4x8xf32>) outs(%{{.+}} : tensor<8xf32>)
// CHECK:         %[[SUM:.+]] = linalg.generic {{.+}} iterator_types = ["reduction", "parallel"]} ins(%[[X]], %[[MAX]] : tensor<4x8xf32>, tensor<8xf32>) outs(%{{.+}} : tensor<8xf32>)
// CHECK:         %[[OUT:.+]] = linalg.generic {{.+}} ins(%[[X]], %[[MAX]], %[[SUM]] : {{.+}}) outs(%{{.+}} : tensor<4x8xf32>)
// CHECK:         ^bb0(%[[V:.+]]: f32, %[[M:.+]]: f32, %[[S:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[SHIFTED:.+]] = arith.subf %[[V]], %[[M]] : f32
// CHECK:           %[[LOG:.+]] = math.log %[[S]] : f32
// CHECK:           %[[R:.+]] = arith.subf %[[SHIFTED]], %[[LOG]] : f32
// CHECK:           linalg.yield %[[R]] : f32
// CHECK:         return %[[OUT]]
func.func @log_softmax_axis0(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = transformer.log_softmax %x {axis = 0 : i64} : tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// layer_norm over the dims [1, 3): sum, sum of squared deviations, then
// normalize with the broadcast scale [8] and bias [4, 8].
// CHECK-LABEL: func.func @layer_norm(
// CHECK-SAME:      %[[X:.+]]: tensor<?x4x8xf32>, %[[G:.+]]: tensor<8xf32>, %[[B:.+]]: tensor<4x8xf32>)
// CHECK:         %[[COUNT:.+]] = arith.constant 3.200000e+01 : f32
// CHECK:         %[[INV:.+]] = arith.divf %{{.+}}, %[[COUNT]] : f32
// CHECK:         %[[EPS:.+]] = arith.constant 9.99999974E-6 : f32
// CHECK:         %[[SUM:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "reduction", "reduction"]} ins(%[[X]] : tensor<?x4x8xf32>) outs(%{{.+}} : tensor<?xf32>)
// CHECK:         %[[SQ:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "reduction", "reduction"]} ins(%[[X]], %[[SUM]] : tensor<?x4x8xf32>, tensor<?xf32>) outs(%{{.+}} : tensor<?xf32>)
// CHECK:         ^bb0(%[[V:.+]]: f32, %[[S:.+]]: f32, %[[ACC:.+]]: f32):
// CHECK:           %[[MEAN:.+]] = arith.mulf %[[S]], %[[INV]] : f32
// CHECK:           %[[DEV:.+]] = arith.subf %[[V]], %[[MEAN]] : f32
// CHECK:           %[[DEV2:.+]] = arith.mulf %[[DEV]], %[[DEV]] : f32
// CHECK:           arith.addf %[[DEV2]], %[[ACC]] : f32
// CHECK:         %[[OUT:.+]] = linalg.generic {{.+}} ins(%[[X]], %[[SQ]], %[[SUM]], %[[G]], %[[B]] : tensor<?x4x8xf32>, tensor<?xf32>, tensor<?xf32>, tensor<8xf32>, tensor<4x8xf32>) outs(%{{.+}} : tensor<?x4x8xf32>)
// CHECK:         ^bb0(%[[V:.+]]: f32, %[[Q:.+]]: f32, %[[S:.+]]: f32, %[[GV:.+]]: f32, %[[BV:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[MEAN:.+]] = arith.mulf %[[S]], %[[INV]] : f32
// CHECK:           %[[DEV:.+]] = arith.subf %[[V]], %[[MEAN]] : f32
// CHECK:           %[[VAR:.+]] = arith.mulf %[[Q]], %[[INV]] : f32
// CHECK:           %[[VAR_EPS:.+]] = arith.addf %[[VAR]], %[[EPS]] : f32
// CHECK:           %[[RSTD:.+]] = math.rsqrt %[[VAR_EPS]] : f32
// CHECK:           %[[NORM:.+]] = arith.mulf %[[DEV]], %[[RSTD]] : f32
// CHECK:           %[[SCALED:.+]] = arith.mulf %[[NORM]], %[[GV]] : f32
// CHECK:           %[[R:.+]] = arith.addf %[[SCALED]], %[[BV]] : f32
// CHECK:           linalg.yield %[[R]] : f32
// CHECK:         return %[[OUT]]
func.func @layer_norm(%x: tensor<?x4x8xf32>, %g: tensor<8xf32>, %b: tensor<4x8xf32>) -> tensor<?x4x8xf32> {
  %0 = transformer.layer_norm %x scale %g : tensor<8xf32> bias %b : tensor<4x8xf32> {axis = 1 : i64} : tensor<?x4x8xf32>
  return %0 : tensor<?x4x8xf32>
}

// rms_norm with a dynamic normalized dim: the count comes from tensor.dim.
// CHECK-LABEL: func.func @rms_norm(
// CHECK-SAME:      %[[X:.+]]: tensor<2x?xf32>, %[[G:.+]]: tensor<?xf32>)
// CHECK:         tensor.dim %[[X]], %{{.+}} : tensor<2x?xf32>
// CHECK:         %[[D64:.+]] = arith.index_cast %{{.+}} : index to i64
// CHECK:         %[[COUNT:.+]] = arith.sitofp %[[D64]] : i64 to f32
// CHECK:         %[[INV:.+]] = arith.divf %{{.+}}, %[[COUNT]] : f32
// CHECK:         %[[SQ:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<2x?xf32>) outs(%{{.+}} : tensor<2xf32>)
// CHECK:           %[[X2:.+]] = arith.mulf %{{.+}}, %{{.+}} : f32
// CHECK:           arith.addf %[[X2]], %{{.+}} : f32
// CHECK:         %[[OUT:.+]] = linalg.generic {{.+}} ins(%[[X]], %[[SQ]], %[[G]] : tensor<2x?xf32>, tensor<2xf32>, tensor<?xf32>) outs(%{{.+}} : tensor<2x?xf32>)
// CHECK:           %[[MS:.+]] = arith.mulf %{{.+}}, %[[INV]] : f32
// CHECK:           %[[MS_EPS:.+]] = arith.addf %[[MS]], %{{.+}} : f32
// CHECK:           %[[RMS:.+]] = math.rsqrt %[[MS_EPS]] : f32
// CHECK:           %[[NORM:.+]] = arith.mulf %{{.+}}, %[[RMS]] : f32
// CHECK:           %[[R:.+]] = arith.mulf %[[NORM]], %{{.+}} : f32
// CHECK:           linalg.yield %[[R]] : f32
// CHECK:         return %[[OUT]]
func.func @rms_norm(%x: tensor<2x?xf32>, %g: tensor<?xf32>) -> tensor<2x?xf32> {
  %0 = transformer.rms_norm %x scale %g : tensor<?xf32> {epsilon = 1.0e-6 : f32} : tensor<2x?xf32>
  return %0 : tensor<2x?xf32>
}

// CHECK-LABEL: func.func @gelu_erf(
// CHECK:         linalg.generic
// CHECK:         ^bb0(%[[V:.+]]: f32, %{{.+}}: f32):
// CHECK-DAG:       %[[HALF:.+]] = arith.constant 5.000000e-01 : f32
// CHECK-DAG:       %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
// CHECK-DAG:       %[[RSQRT2:.+]] = arith.constant 0.707106769 : f32
// CHECK:           %[[SCALED:.+]] = arith.mulf %[[V]], %[[RSQRT2]] : f32
// CHECK:           %[[ERF:.+]] = math.erf %[[SCALED]] : f32
// CHECK:           %[[ONE_PLUS:.+]] = arith.addf %[[ONE]], %[[ERF]] : f32
// CHECK:           %[[HALF_X:.+]] = arith.mulf %[[HALF]], %[[V]] : f32
// CHECK:           %[[R:.+]] = arith.mulf %[[HALF_X]], %[[ONE_PLUS]] : f32
// CHECK:           linalg.yield %[[R]] : f32
func.func @gelu_erf(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %0 = transformer.gelu %x : tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// The tanh form, computed in f32 for bf16.
// CHECK-LABEL: func.func @gelu_tanh(
// CHECK:         ^bb0(%[[V:.+]]: bf16, %{{.+}}: bf16):
// CHECK:           %[[X:.+]] = arith.extf %[[V]] : bf16 to f32
// CHECK:           %[[X2:.+]] = arith.mulf %[[X]], %[[X]] : f32
// CHECK:           %[[X3:.+]] = arith.mulf %[[X2]], %[[X]] : f32
// CHECK:           %[[C:.+]] = arith.constant 4.471500e-02 : f32
// CHECK:           %[[CX3:.+]] = arith.mulf %[[C]], %[[X3]] : f32
// CHECK:           %[[INNER:.+]] = arith.addf %[[X]], %[[CX3]] : f32
// CHECK:           %[[K:.+]] = arith.constant 0.797884583 : f32
// CHECK:           %[[ARG:.+]] = arith.mulf %[[K]], %[[INNER]] : f32
// CHECK:           %[[TANH:.+]] = math.tanh %[[ARG]] : f32
// CHECK:           %[[ONE_PLUS:.+]] = arith.addf %{{.+}}, %[[TANH]] : f32
// CHECK:           %[[HALF_X:.+]] = arith.mulf %{{.+}}, %[[X]] : f32
// CHECK:           %[[R:.+]] = arith.mulf %[[HALF_X]], %[[ONE_PLUS]] : f32
// CHECK:           %[[T:.+]] = arith.truncf %[[R]] : f32 to bf16
// CHECK:           linalg.yield %[[T]] : bf16
func.func @gelu_tanh(%x: tensor<8xbf16>) -> tensor<8xbf16> {
  %0 = transformer.gelu %x approximation = tanh : tensor<8xbf16>
  return %0 : tensor<8xbf16>
}

// CHECK-LABEL: func.func @silu(
// CHECK:         ^bb0(%[[V:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[NEG:.+]] = arith.negf %[[V]] : f32
// CHECK:           %[[E:.+]] = math.exp %[[NEG]] : f32
// CHECK:           %[[DEN:.+]] = arith.addf %{{.+}}, %[[E]] : f32
// CHECK:           %[[R:.+]] = arith.divf %[[V]], %[[DEN]] : f32
// CHECK:           linalg.yield %[[R]] : f32
func.func @silu(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = transformer.silu %x : tensor<8xf32>
  return %0 : tensor<8xf32>
}

// rotate_half: x[d] pairs with x[d +- 4], the table index is d mod 4; the
// [S, 4] tables broadcast over batch and heads.
// CHECK-LABEL: func.func @rotary_rotate_half(
// CHECK-SAME:      %[[X:.+]]: tensor<?x2x?x8xf32>, %[[COS:.+]]: tensor<?x4xf32>, %[[SIN:.+]]: tensor<?x4xf32>)
// CHECK:         %[[HALF:.+]] = arith.constant 4 : index
// CHECK:         %[[OUT:.+]] = linalg.generic {{.+}} ins(%[[X]] : tensor<?x2x?x8xf32>) outs(%{{.+}} : tensor<?x2x?x8xf32>)
// CHECK:         ^bb0(%[[V:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[I0:.+]] = linalg.index 0 : index
// CHECK:           %[[I1:.+]] = linalg.index 1 : index
// CHECK:           %[[I2:.+]] = linalg.index 2 : index
// CHECK:           %[[D:.+]] = linalg.index 3 : index
// CHECK:           %[[FIRST:.+]] = arith.cmpi ult, %[[D]], %[[HALF]] : index
// CHECK:           %[[DOWN:.+]] = arith.subi %[[D]], %[[HALF]] : index
// CHECK:           %[[T:.+]] = arith.select %[[FIRST]], %[[D]], %[[DOWN]] : index
// CHECK:           %[[UP:.+]] = arith.addi %[[D]], %[[HALF]] : index
// CHECK:           %[[P:.+]] = arith.select %[[FIRST]], %[[UP]], %[[DOWN]] : index
// CHECK:           %[[XP:.+]] = tensor.extract %[[X]][%[[I0]], %[[I1]], %[[I2]], %[[P]]] : tensor<?x2x?x8xf32>
// CHECK:           %[[C:.+]] = tensor.extract %[[COS]][%[[I2]], %[[T]]] : tensor<?x4xf32>
// CHECK:           %[[S:.+]] = tensor.extract %[[SIN]][%[[I2]], %[[T]]] : tensor<?x4xf32>
// CHECK:           %[[XC:.+]] = arith.mulf %[[V]], %[[C]] : f32
// CHECK:           %[[XS:.+]] = arith.mulf %[[XP]], %[[S]] : f32
// CHECK:           %[[SUB:.+]] = arith.subf %[[XC]], %[[XS]] : f32
// CHECK:           %[[ADD:.+]] = arith.addf %[[XC]], %[[XS]] : f32
// CHECK:           %[[R:.+]] = arith.select %[[FIRST]], %[[SUB]], %[[ADD]] : f32
// CHECK:           linalg.yield %[[R]] : f32
// CHECK:         return %[[OUT]]
func.func @rotary_rotate_half(%x: tensor<?x2x?x8xf32>, %c: tensor<?x4xf32>, %s: tensor<?x4xf32>) -> tensor<?x2x?x8xf32> {
  %0 = transformer.rotary_embedding %x, %c, %s : tensor<?x2x?x8xf32>, tensor<?x4xf32>
  return %0 : tensor<?x2x?x8xf32>
}

// interleaved with rotary_dim 4 of 8: pairs (2i, 2i+1), table index d / 2,
// elements from 4 on pass through; [B, 1, S, 2] tables read head index 0.
// CHECK-LABEL: func.func @rotary_interleaved_partial(
// CHECK-SAME:      %[[X:.+]]: tensor<2x2x3x8xf32>, %[[COS:.+]]: tensor<2x1x3x2xf32>, %[[SIN:.+]]: tensor<2x1x3x2xf32>)
// CHECK:         %[[R:.+]] = arith.constant 4 : index
// CHECK:         linalg.generic {{.+}} ins(%[[X]] : tensor<2x2x3x8xf32>)
// CHECK:         ^bb0(%[[V:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[I0:.+]] = linalg.index 0 : index
// CHECK:           %[[I1:.+]] = linalg.index 1 : index
// CHECK:           %[[I2:.+]] = linalg.index 2 : index
// CHECK:           %[[D:.+]] = linalg.index 3 : index
// CHECK:           %[[PARITY:.+]] = arith.remui %[[D]], %{{.+}} : index
// CHECK:           %[[EVEN:.+]] = arith.cmpi eq, %[[PARITY]], %[[ZERO:.+]] : index
// CHECK:           %[[T:.+]] = arith.divui %[[D]], %{{.+}} : index
// CHECK:           %[[NEXT:.+]] = arith.addi %[[D]], %{{.+}} : index
// CHECK:           %[[PREV:.+]] = arith.subi %[[D]], %{{.+}} : index
// CHECK:           %[[P:.+]] = arith.select %[[EVEN]], %[[NEXT]], %[[PREV]] : index
// CHECK:           %[[ROTATED:.+]] = arith.cmpi ult, %[[D]], %[[R]] : index
// CHECK:           %[[T_SAFE:.+]] = arith.select %[[ROTATED]], %[[T]], %[[ZERO]] : index
// CHECK:           %[[P_SAFE:.+]] = arith.select %[[ROTATED]], %[[P]], %[[D]] : index
// CHECK:           %[[XP:.+]] = tensor.extract %[[X]][%[[I0]], %[[I1]], %[[I2]], %[[P_SAFE]]]
// CHECK:           %[[C:.+]] = tensor.extract %[[COS]][%[[I0]], %[[ZERO]], %[[I2]], %[[T_SAFE]]]
// CHECK:           %[[S:.+]] = tensor.extract %[[SIN]][%[[I0]], %[[ZERO]], %[[I2]], %[[T_SAFE]]]
// CHECK:           %[[ROT:.+]] = arith.select %[[EVEN]], %{{.+}}, %{{.+}} : f32
// CHECK:           %[[OUT:.+]] = arith.select %[[ROTATED]], %[[ROT]], %[[V]] : f32
// CHECK:           linalg.yield %[[OUT]] : f32
func.func @rotary_interleaved_partial(%x: tensor<2x2x3x8xf32>, %c: tensor<2x1x3x2xf32>, %s: tensor<2x1x3x2xf32>) -> tensor<2x2x3x8xf32> {
  %0 = transformer.rotary_embedding %x, %c, %s mode = interleaved {rotary_dim = 4 : i64} : tensor<2x2x3x8xf32>, tensor<2x1x3x2xf32>
  return %0 : tensor<2x2x3x8xf32>
}

// CHECK-LABEL: func.func @embedding(
// CHECK-SAME:      %[[T:.+]]: tensor<10x4xf32>, %[[IDS:.+]]: tensor<?x3xi64>)
// CHECK:         %[[N:.+]] = tensor.dim %[[IDS]], %{{.+}} : tensor<?x3xi64>
// CHECK:         %[[EMPTY:.+]] = tensor.empty(%[[N]]) : tensor<?x3x4xf32>
// CHECK:         %[[OUT:.+]] = linalg.generic {{.+}} ins(%[[IDS]] : tensor<?x3xi64>) outs(%[[EMPTY]] : tensor<?x3x4xf32>)
// CHECK:         ^bb0(%[[ID:.+]]: i64, %{{.+}}: f32):
// CHECK:           %[[ROW:.+]] = arith.index_cast %[[ID]] : i64 to index
// CHECK:           %[[COL:.+]] = linalg.index 2 : index
// CHECK:           %[[V:.+]] = tensor.extract %[[T]][%[[ROW]], %[[COL]]] : tensor<10x4xf32>
// CHECK:           linalg.yield %[[V]] : f32
// CHECK:         return %[[OUT]]
func.func @embedding(%t: tensor<10x4xf32>, %ids: tensor<?x3xi64>) -> tensor<?x3x4xf32> {
  %0 = transformer.embedding %t[%ids] : tensor<10x4xf32>, tensor<?x3xi64> -> tensor<?x3x4xf32>
  return %0 : tensor<?x3x4xf32>
}
