// RUN: llm-opt %s --convert-transformer-to-linalg=flash-attention=false | FileCheck %s

// The naive lowering of transformer.attention (NNToLinalg.cpp), kept for
// comparison with the flash-style one (attention-flash.mlir): the whole
// [Sq, T] score matrix is materialised. The numerics of both are checked by
// test/Integration/nn-attention.mlir.

// Multi-head causal attention: Q K^T contraction, scale + causal mask, the
// three softmax generics, then P V.
// CHECK-LABEL: func.func @attention_causal(
// CHECK-SAME:      %[[Q:.+]]: tensor<1x2x4x8xf32>, %[[K:.+]]: tensor<1x2x4x8xf32>, %[[V:.+]]: tensor<1x2x4x8xf32>)
// CHECK:         %[[SCORES:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[Q]], %[[K]] : tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) outs(%{{.+}} : tensor<1x2x4x4xf32>)
// CHECK:         %[[SCALE:.+]] = arith.constant 0.353553385 : f32
// CHECK:         %[[OFFSET:.+]] = arith.subi %{{.+}}, %{{.+}} : index
// CHECK:         %[[NEG_INF:.+]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[MASKED:.+]] = linalg.generic {{.+}} ins(%[[SCORES]] : tensor<1x2x4x4xf32>) outs(%{{.+}} : tensor<1x2x4x4xf32>)
// CHECK:         ^bb0(%[[S:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[SCALED:.+]] = arith.mulf %[[S]], %[[SCALE]] : f32
// CHECK:           %[[ROW:.+]] = linalg.index 2 : index
// CHECK:           %[[COL:.+]] = linalg.index 3 : index
// CHECK:           %[[LIMIT:.+]] = arith.addi %[[ROW]], %[[OFFSET]] : index
// CHECK:           %[[FUTURE:.+]] = arith.cmpi sgt, %[[COL]], %[[LIMIT]] : index
// CHECK:           %[[R:.+]] = arith.select %[[FUTURE]], %[[NEG_INF]], %[[SCALED]] : f32
// CHECK:           linalg.yield %[[R]] : f32
// CHECK:         %[[MAX:.+]] = linalg.generic {{.+}} ins(%[[MASKED]] : tensor<1x2x4x4xf32>) outs(%{{.+}} : tensor<1x2x4xf32>)
// CHECK:         %[[SUM:.+]] = linalg.generic {{.+}} ins(%[[MASKED]], %[[MAX]] : {{.+}}) outs(%{{.+}} : tensor<1x2x4xf32>)
// CHECK:         %[[PROBS:.+]] = linalg.generic {{.+}} ins(%[[MASKED]], %[[MAX]], %[[SUM]] : {{.+}}) outs(%{{.+}} : tensor<1x2x4x4xf32>)
// CHECK:         %[[OUT:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[PROBS]], %[[V]] : tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) outs(%{{.+}} : tensor<1x2x4x8xf32>)
// CHECK:         return %[[OUT]]
func.func @attention_causal(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  %0 = transformer.attention %q, %k, %v {causal} : tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32> -> tensor<1x2x4x8xf32>
  return %0 : tensor<1x2x4x8xf32>
}

// GQA decode step with a cache and a boolean mask: the cache is
// concatenated (and returned), the 4 query heads are split into 2 KV heads
// x 2, the scores are collapsed back to [B, 4, 1, T] for the mask and the
// softmax, and the probabilities are split again for P V.
// CHECK-LABEL: func.func @attention_gqa_cache(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<?x4x1x8xf32>, %[[K:[^:]+]]: tensor<?x2x1x8xf32>, %[[V:[^:]+]]: tensor<?x2x1x8xf32>, %[[PK:[^:]+]]: tensor<?x2x?x8xf32>, %[[PV:[^:]+]]: tensor<?x2x?x8xf32>, %[[M:[^:]+]]: tensor<?x1x1x?xi1>)
// CHECK:         %[[KEYS:.+]] = tensor.concat dim(2) %[[PK]], %[[K]] : (tensor<?x2x?x8xf32>, tensor<?x2x1x8xf32>) -> tensor<?x2x?x8xf32>
// CHECK:         %[[VALUES:.+]] = tensor.concat dim(2) %[[PV]], %[[V]] : (tensor<?x2x?x8xf32>, tensor<?x2x1x8xf32>) -> tensor<?x2x?x8xf32>
// CHECK:         %[[QG:.+]] = tensor.expand_shape %[[Q]] {{\[}}[0], [1, 2], [3], [4]] output_shape [%{{.+}}, 2, 2, 1, 8] : tensor<?x4x1x8xf32> into tensor<?x2x2x1x8xf32>
// CHECK:         %[[SCORES:.+]] = linalg.generic {{.+}} ins(%[[QG]], %[[KEYS]] : tensor<?x2x2x1x8xf32>, tensor<?x2x?x8xf32>) outs(%{{.+}} : tensor<?x2x2x1x?xf32>)
// CHECK:         %[[SCORES4:.+]] = tensor.collapse_shape %[[SCORES]] {{\[}}[0], [1, 2], [3], [4]] : tensor<?x2x2x1x?xf32> into tensor<?x4x1x?xf32>
// CHECK:         %[[MASKED:.+]] = linalg.generic {{.+}} ins(%[[SCORES4]], %[[M]] : tensor<?x4x1x?xf32>, tensor<?x1x1x?xi1>) outs(%{{.+}} : tensor<?x4x1x?xf32>)
// CHECK:         ^bb0(%[[S:.+]]: f32, %[[KEEP:.+]]: i1, %{{.+}}: f32):
// CHECK:           %[[SCALED:.+]] = arith.mulf %[[S]], %{{.+}} : f32
// CHECK:           %[[R:.+]] = arith.select %[[KEEP]], %[[SCALED]], %{{.+}} : f32
// CHECK:           linalg.yield %[[R]] : f32
// CHECK:         %[[PROBS:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<?x4x1x?xf32>)
// CHECK:         %[[PG:.+]] = tensor.expand_shape %[[PROBS]] {{\[}}[0], [1, 2], [3], [4]] output_shape [%{{.+}}, 2, 2, 1, %{{.+}}] : tensor<?x4x1x?xf32> into tensor<?x2x2x1x?xf32>
// CHECK:         %[[OG:.+]] = linalg.generic {{.+}} ins(%[[PG]], %[[VALUES]] : tensor<?x2x2x1x?xf32>, tensor<?x2x?x8xf32>) outs(%{{.+}} : tensor<?x2x2x1x8xf32>)
// CHECK:         %[[OUT:.+]] = tensor.collapse_shape %[[OG]] {{\[}}[0], [1, 2], [3], [4]] : tensor<?x2x2x1x8xf32> into tensor<?x4x1x8xf32>
// CHECK:         return %[[OUT]], %[[KEYS]], %[[VALUES]]
func.func @attention_gqa_cache(%q: tensor<?x4x1x8xf32>, %k: tensor<?x2x1x8xf32>, %v: tensor<?x2x1x8xf32>, %pk: tensor<?x2x?x8xf32>, %pv: tensor<?x2x?x8xf32>, %m: tensor<?x1x1x?xi1>) -> (tensor<?x4x1x8xf32>, tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32>) {
  %o, %a, %b = transformer.attention %q, %k, %v mask(%m : tensor<?x1x1x?xi1>) past(%pk, %pv : tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32>) {num_kv_heads = 2 : i64} : tensor<?x4x1x8xf32>, tensor<?x2x1x8xf32>, tensor<?x2x1x8xf32> -> tensor<?x4x1x8xf32>, tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32>
  return %o, %a, %b : tensor<?x4x1x8xf32>, tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32>
}

// A float mask is added; with a dynamic head dim the default scale is
// computed at run time.
// CHECK-LABEL: func.func @attention_float_mask_dynamic_head_dim(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<1x2x4x?xf32>, %{{[^:]+}}: tensor<1x2x4x?xf32>, %{{[^:]+}}: tensor<1x2x4x6xf32>, %[[M:[^:]+]]: tensor<4x4xf32>)
// CHECK:         %[[SCORES:.+]] = linalg.generic
// CHECK:         %[[D:.+]] = tensor.dim %[[Q]], %{{.+}} : tensor<1x2x4x?xf32>
// CHECK:         %[[D64:.+]] = arith.index_cast %[[D]] : index to i64
// CHECK:         %[[DF:.+]] = arith.sitofp %[[D64]] : i64 to f32
// CHECK:         %[[SCALE:.+]] = math.rsqrt %[[DF]] : f32
// CHECK:         linalg.generic {{.+}} ins(%[[SCORES]], %[[M]] : tensor<1x2x4x4xf32>, tensor<4x4xf32>)
// CHECK:         ^bb0(%[[S:.+]]: f32, %[[MV:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[SCALED:.+]] = arith.mulf %[[S]], %[[SCALE]] : f32
// CHECK:           %[[R:.+]] = arith.addf %[[SCALED]], %[[MV]] : f32
// CHECK:           linalg.yield %[[R]] : f32
func.func @attention_float_mask_dynamic_head_dim(%q: tensor<1x2x4x?xf32>, %k: tensor<1x2x4x?xf32>, %v: tensor<1x2x4x6xf32>, %m: tensor<4x4xf32>) -> tensor<1x2x4x6xf32> {
  %0 = transformer.attention %q, %k, %v mask(%m : tensor<4x4xf32>) : tensor<1x2x4x?xf32>, tensor<1x2x4x?xf32>, tensor<1x2x4x6xf32> -> tensor<1x2x4x6xf32>
  return %0 : tensor<1x2x4x6xf32>
}
