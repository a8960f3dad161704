// RUN: llm-opt %s --convert-transformer-to-linalg="attention-tile-q=2 attention-tile-kv=3" --cse \
// RUN:   | FileCheck %s --implicit-check-not='tensor<1x2x4x4xf32>'
// RUN: llm-opt %s --convert-transformer-to-linalg="parallel-attention=true" --cse \
// RUN:   | FileCheck %s --check-prefix=PAR
// RUN: not llm-opt %s --convert-transformer-to-linalg="attention-tile-q=0" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BADTILE

// The flash-style lowering of transformer.attention (AttentionToLinalg.cpp):
// loops over batch, heads and query tiles, an inner loop over key tiles
// carrying the accumulator, the row maximum and the row sum, the two
// contractions as linalg.matmul on tiles, and never the [Sq, T] = 4x4 score
// matrix (the implicit CHECK-NOT). Numerics: test/Integration/nn-attention.mlir.

// Causal: the key loop stops at min(T, q0 + tq + (T - Sq)) (tiles above the
// diagonal are skipped); the diagonal tiles select -inf past the limit.
// parallel-attention: the batch x head loops are one scf.forall; each
// iteration runs the query-tile loop on its head's [Sq, D] rows and inserts
// them in parallel (disjoint slices), so threads never write the same rows.
// PAR-LABEL: func.func @causal(
// PAR:         %[[OUT:.+]] = scf.forall (%[[B:.+]], %[[H:.+]]) in (%{{.+}}, %{{.+}}) shared_outs(%[[SH:.+]] = %{{.+}}) -> (tensor<1x2x4x8xf32>)
// PAR:           %[[HEAD:.+]] = tensor.extract_slice %[[SH]][%[[B]], %[[H]], 0, 0] [1, 1, %{{.+}}, 8] [1, 1, 1, 1] : tensor<1x2x4x8xf32> to tensor<?x8xf32>
// PAR:           %[[ROWS:.+]] = scf.for %{{.+}} iter_args(%{{.+}} = %[[HEAD]]) -> (tensor<?x8xf32>)
// PAR:             tensor.insert_slice %{{.+}} into %{{.+}}[%{{.+}}, 0] [%{{.+}}, 8] [1, 1] : tensor<?x8xf32> into tensor<?x8xf32>
// PAR:           scf.forall.in_parallel
// PAR-NEXT:        tensor.parallel_insert_slice %[[ROWS]] into %[[SH]][%[[B]], %[[H]], 0, 0] [1, 1, %{{.+}}, 8] [1, 1, 1, 1]
// PAR:         return %[[OUT]]

// CHECK-LABEL: func.func @causal(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<1x2x4x8xf32>, %[[K:[^:]+]]: tensor<1x2x4x8xf32>, %[[V:[^:]+]]: tensor<1x2x4x8xf32>)
// CHECK-DAG:     %[[C2:.+]] = arith.constant 2 : index
// CHECK-DAG:     %[[C3:.+]] = arith.constant 3 : index
// CHECK:         scf.for %[[B:.+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args
// CHECK:           scf.for %[[H:.+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args
// CHECK:             %[[KVH:.+]] = arith.divui %[[H]], %{{.+}} : index
// CHECK:             %[[KH:.+]] = tensor.extract_slice %[[K]][%[[B]], %[[KVH]], 0, 0] [1, 1, %{{.+}}, 8] [1, 1, 1, 1] : tensor<1x2x4x8xf32> to tensor<?x8xf32>
// CHECK:             %[[KHT:.+]] = linalg.transpose ins(%[[KH]] : tensor<?x8xf32>) outs(%{{.+}} : tensor<8x?xf32>) permutation = [1, 0]
// CHECK:             scf.for %[[Q0:.+]] = %{{.+}} to %{{.+}} step %[[C2]] iter_args(%[[OUT:.+]] = %{{.+}})
// CHECK:               %[[TQ:.+]] = affine.min #{{[a-z0-9]+}}(%[[C2]], %{{.+}})
// CHECK:               %[[QT:.+]] = tensor.extract_slice %[[Q]][%[[B]], %[[H]], %[[Q0]], 0] [1, 1, %[[TQ]], 8] [1, 1, 1, 1] : tensor<1x2x4x8xf32> to tensor<?x8xf32>
// CHECK:               %[[QEND:.+]] = arith.addi %[[Q0]], %[[TQ]] : index
// CHECK:               %[[LAST:.+]] = arith.addi %[[QEND]], %{{.+}} : index
// CHECK:               %[[CLAMP:.+]] = arith.minsi %{{.+}}, %[[LAST]] : index
// CHECK:               %[[END:.+]] = arith.maxsi %{{.+}}, %[[CLAMP]] : index
// CHECK:               %[[R:.+]]:3 = scf.for %[[K0:.+]] = %{{.+}} to %[[END]] step %[[C3]] iter_args(%[[ACC:.+]] = %{{.+}}, %[[M:.+]] = %{{.+}}, %[[L:.+]] = %{{.+}}) -> (tensor<?x8xf32>, tensor<?xf32>, tensor<?xf32>)
// CHECK:                 %[[VT:.+]] = tensor.extract_slice %[[V]][%[[B]], %[[KVH]], %[[K0]], 0]
// CHECK:                 %[[KTT:.+]] = tensor.extract_slice %[[KHT]][0, %[[K0]]] [8, %{{.+}}] [1, 1] : tensor<8x?xf32> to tensor<8x?xf32>
// CHECK:                 %[[S:.+]] = linalg.matmul ins(%[[QT]], %[[KTT]] : tensor<?x8xf32>, tensor<8x?xf32>) outs(%{{.+}} : tensor<?x?xf32>)
// CHECK:                 %[[SM:.+]] = linalg.generic {{.+}} ins(%[[S]] : tensor<?x?xf32>)
// CHECK:                   arith.mulf
// CHECK:                   arith.cmpi sgt
// CHECK:                   arith.select
// CHECK:                 %[[TMAX:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]} ins(%[[SM]] : tensor<?x?xf32>)
// CHECK:                 %[[UPD:.+]]:2 = linalg.generic {{.+}} ins(%[[TMAX]] : tensor<?xf32>) outs(%{{.+}}, %[[M]] : tensor<?xf32>, tensor<?xf32>)
// CHECK:                   arith.maximumf
// CHECK:                   math.exp
// CHECK:                 %[[P:.+]] = linalg.generic {{.+}} ins(%[[SM]], %[[UPD]]#1 : tensor<?x?xf32>, tensor<?xf32>)
// CHECK:                   math.exp
// CHECK:                 %[[LS:.+]] = linalg.generic {{.+}} ins(%[[UPD]]#0 : tensor<?xf32>) outs(%[[L]] : tensor<?xf32>)
// CHECK:                 %[[LN:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]} ins(%[[P]] : tensor<?x?xf32>) outs(%[[LS]] : tensor<?xf32>)
// CHECK:                 %[[AS:.+]] = linalg.generic {{.+}} ins(%[[UPD]]#0 : tensor<?xf32>) outs(%[[ACC]] : tensor<?x8xf32>)
// CHECK:                 %[[AN:.+]] = linalg.matmul ins(%[[P]], %[[VT]] : tensor<?x?xf32>, tensor<?x8xf32>) outs(%[[AS]] : tensor<?x8xf32>)
// CHECK:                 scf.yield %[[AN]], %[[UPD]]#1, %[[LN]]
// CHECK:               %[[O:.+]] = linalg.generic {{.+}} ins(%[[R]]#0, %[[R]]#2 : tensor<?x8xf32>, tensor<?xf32>)
// CHECK:                 arith.divf
// CHECK:               tensor.insert_slice %[[O]] into %[[OUT]][%[[B]], %[[H]], %[[Q0]], 0] [1, 1, %[[TQ]], 8]
func.func @causal(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  %0 = transformer.attention %q, %k, %v {causal} : tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32> -> tensor<1x2x4x8xf32>
  return %0 : tensor<1x2x4x8xf32>
}

// A decode step with GQA, a cache and a rank-2 float mask: the cache is
// concatenated (and returned), query head h reads KV head h / 2, the mask
// is expanded to rank 4 and its tile read with the query rows broadcast
// (its dim of size 1) and no causal select; the key loop runs to T.
// CHECK-LABEL: func.func @decode_gqa_cache(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<?x4x1x8xf32>, %[[K:[^:]+]]: tensor<?x2x1x8xf32>, %[[V:[^:]+]]: tensor<?x2x1x8xf32>, %[[PK:[^:]+]]: tensor<?x2x?x8xf32>, %[[PV:[^:]+]]: tensor<?x2x?x8xf32>, %[[MASK:[^:]+]]: tensor<1x?xf32>)
// CHECK:         %[[KEYS:.+]] = tensor.concat dim(2) %[[PK]], %[[K]]
// CHECK:         %[[VALUES:.+]] = tensor.concat dim(2) %[[PV]], %[[V]]
// CHECK:         %[[T:.+]] = tensor.dim %[[KEYS]], %{{.+}} : tensor<?x2x?x8xf32>
// CHECK:         %[[G:.+]] = arith.divui %{{.+}}, %{{.+}} : index
// CHECK:         %[[M4:.+]] = tensor.expand_shape %[[MASK]] {{\[}}[0, 1, 2], [3]] output_shape [1, 1, 1, %{{.+}}] : tensor<1x?xf32> into tensor<1x1x1x?xf32>
// CHECK:         scf.for
// CHECK:           scf.for %[[H:.+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args
// CHECK:             %[[KVH:.+]] = arith.divui %[[H]], %[[G]] : index
// CHECK:             tensor.extract_slice %[[KEYS]][%{{.+}}, %[[KVH]], 0, 0] [1, 1, %[[T]], 8]
// CHECK:           scf.for %{{.+}} = %{{.+}} to %[[T]] step %{{.+}} iter_args
// CHECK:             tensor.extract_slice %[[M4]][0, 0, 0, %{{.+}}] [1, 1, 1, %{{.+}}] [1, 1, 1, 1] : tensor<1x1x1x?xf32> to tensor<1x?xf32>
// CHECK:             linalg.generic {indexing_maps = [#{{.+}}, #[[MASKMAP:.+]], #{{.+}}]
// CHECK-NOT:           arith.cmpi
// CHECK:               arith.addf
// CHECK:         return %{{.+}}, %[[KEYS]], %[[VALUES]]
func.func @decode_gqa_cache(%q: tensor<?x4x1x8xf32>, %k: tensor<?x2x1x8xf32>, %v: tensor<?x2x1x8xf32>, %pk: tensor<?x2x?x8xf32>, %pv: tensor<?x2x?x8xf32>, %m: tensor<1x?xf32>) -> (tensor<?x4x1x8xf32>, tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32>) {
  %o, %a, %b = transformer.attention %q, %k, %v mask(%m : tensor<1x?xf32>) past(%pk, %pv : tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32>) {num_kv_heads = 2 : i64} : tensor<?x4x1x8xf32>, tensor<?x2x1x8xf32>, tensor<?x2x1x8xf32> -> tensor<?x4x1x8xf32>, tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32>
  return %o, %a, %b : tensor<?x4x1x8xf32>, tensor<?x2x?x8xf32>, tensor<?x2x?x8xf32>
}

// BADTILE: attention-tile-q and attention-tile-kv must be positive, got 0 and 64
