// Lowering of the transformer math ops to linalg/arith/math on tensors:
// constants, elementwise ops as one linalg.generic with numpy-broadcast
// indexing maps (a static 1 against a larger dim reads index 0; missing
// leading dims are dropped from the map), and reductions as generics with
// reduction iterators into a filled init.
// RUN: llm-opt %s --convert-transformer-to-linalg --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @constant
func.func @constant() -> (tensor<2xf32>, tensor<768x768xf32>) {
  // CHECK-DAG: [[D:%.+]] = arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
  // CHECK-DAG: [[W:%.+]] = arith.constant dense_resource<wq> : tensor<768x768xf32>
  // CHECK: return [[D]], [[W]]
  %d = transformer.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %w = transformer.constant dense_resource<wq> : tensor<768x768xf32>
  return %d, %w : tensor<2xf32>, tensor<768x768xf32>
}

// -----

// The documented example: a dynamic batch plus a broadcast bias.
// CHECK-DAG: [[ID:#map[0-9]*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: [[LAST:#map[0-9]*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @add_bias
// CHECK-SAME: ([[X:%.+]]: tensor<?x768xf32>, [[B:%.+]]: tensor<768xf32>)
func.func @add_bias(%x: tensor<?x768xf32>, %b: tensor<768xf32>) -> tensor<?x768xf32> {
  // CHECK: [[C0:%.+]] = arith.constant 0 : index
  // CHECK: [[N:%.+]] = tensor.dim [[X]], [[C0]] : tensor<?x768xf32>
  // CHECK: [[INIT:%.+]] = tensor.empty([[N]]) : tensor<?x768xf32>
  // CHECK: [[R:%.+]] = linalg.generic {indexing_maps = {{\[}}[[ID]], [[LAST]], [[ID]]{{\]}}, iterator_types = ["parallel", "parallel"]}
  // CHECK-SAME: ins([[X]], [[B]] : tensor<?x768xf32>, tensor<768xf32>) outs([[INIT]] : tensor<?x768xf32>)
  // CHECK-NEXT: ^bb0([[XE:%.+]]: f32, [[BE:%.+]]: f32, {{%.+}}: f32):
  // CHECK-NEXT: [[S:%.+]] = arith.addf [[XE]], [[BE]] : f32
  // CHECK-NEXT: linalg.yield [[S]] : f32
  // CHECK: return [[R]]
  %y = transformer.add %x, %b : tensor<?x768xf32>, tensor<768xf32> -> tensor<?x768xf32>
  return %y : tensor<?x768xf32>
}

// -----

// Both operands stretch: [?, 1] against [1, ?] reads index 0 of each size-1
// dim; the result dims come from the operand that is not 1.
// CHECK-DAG: [[COL:#map[0-9]*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-DAG: [[ROW:#map[0-9]*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-DAG: [[ID:#map[0-9]*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @compare_outer
// CHECK-SAME: ([[P:%.+]]: tensor<?x1xi64>, [[L:%.+]]: tensor<1x?xi64>)
func.func @compare_outer(%p: tensor<?x1xi64>, %l: tensor<1x?xi64>) -> tensor<?x?xi1> {
  // CHECK-DAG: [[D0:%.+]] = tensor.dim [[P]], {{%.+}} : tensor<?x1xi64>
  // CHECK-DAG: [[D1:%.+]] = tensor.dim [[L]], {{%.+}} : tensor<1x?xi64>
  // CHECK: [[INIT:%.+]] = tensor.empty([[D0]], [[D1]]) : tensor<?x?xi1>
  // CHECK: linalg.generic {indexing_maps = {{\[}}[[COL]], [[ROW]], [[ID]]{{\]}}
  // CHECK-SAME: ins([[P]], [[L]] : tensor<?x1xi64>, tensor<1x?xi64>) outs([[INIT]] : tensor<?x?xi1>)
  // CHECK-NEXT: ^bb0([[A:%.+]]: i64, [[B:%.+]]: i64, {{%.+}}: i1):
  // CHECK-NEXT: [[C:%.+]] = arith.cmpi slt, [[A]], [[B]] : i64
  // CHECK-NEXT: linalg.yield [[C]] : i1
  %m = transformer.compare lt, %p, %l : tensor<?x1xi64>, tensor<1x?xi64> -> tensor<?x?xi1>
  return %m : tensor<?x?xi1>
}

// -----

// A rank-0 operand reads no index; where broadcasts all three operands.
// CHECK-DAG: [[ID:#map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: [[MASK:#map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> (0, 0, d2, d3)>
// CHECK-DAG: [[SCALAR:#map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> ()>
// CHECK-LABEL: func.func @where_mask
// CHECK-SAME: ([[M:%.+]]: tensor<1x1x?x?xi1>, [[S:%.+]]: tensor<?x12x?x?xf32>, [[F:%.+]]: tensor<f32>)
func.func @where_mask(%m: tensor<1x1x?x?xi1>, %s: tensor<?x12x?x?xf32>, %f: tensor<f32>) -> tensor<?x12x?x?xf32> {
  // CHECK: [[INIT:%.+]] = tensor.empty({{.*}}) : tensor<?x12x?x?xf32>
  // CHECK: linalg.generic {indexing_maps = {{\[}}[[MASK]], [[ID]], [[SCALAR]], [[ID]]{{\]}}, iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
  // CHECK-SAME: ins([[M]], [[S]], [[F]] : tensor<1x1x?x?xi1>, tensor<?x12x?x?xf32>, tensor<f32>) outs([[INIT]] : tensor<?x12x?x?xf32>)
  // CHECK-NEXT: ^bb0([[C:%.+]]: i1, [[T:%.+]]: f32, [[E:%.+]]: f32, {{%.+}}: f32):
  // CHECK-NEXT: [[SEL:%.+]] = arith.select [[C]], [[T]], [[E]] : f32
  // CHECK-NEXT: linalg.yield [[SEL]] : f32
  %r = transformer.where %m, %s, %f : tensor<1x1x?x?xi1>, tensor<?x12x?x?xf32>, tensor<f32> -> tensor<?x12x?x?xf32>
  return %r : tensor<?x12x?x?xf32>
}

// -----

// Float unary ops: one math/arith op per element (sigmoid and reciprocal
// expand to their formulas).
// CHECK-LABEL: func.func @float_unary
func.func @float_unary(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  // CHECK: linalg.generic
  // CHECK-NEXT: ^bb0([[A:%.+]]: f32, {{%.+}}: f32):
  // CHECK-NEXT: [[R:%.+]] = arith.negf [[A]] : f32
  // CHECK-NEXT: linalg.yield [[R]]
  %neg = transformer.neg %x : tensor<4xf32>
  // CHECK: linalg.generic
  // CHECK-NEXT: ^bb0([[A:%.+]]: f32, {{%.+}}: f32):
  // CHECK-NEXT: [[R:%.+]] = math.absf [[A]] : f32
  // CHECK-NEXT: linalg.yield [[R]]
  %abs = transformer.abs %x : tensor<4xf32>
  // CHECK: linalg.generic
  // CHECK-NEXT: ^bb0([[A:%.+]]: f32, {{%.+}}: f32):
  // CHECK-NEXT: [[R:%.+]] = math.exp [[A]] : f32
  // CHECK-NEXT: linalg.yield [[R]]
  %exp = transformer.exp %x : tensor<4xf32>
  // CHECK: linalg.generic
  // CHECK-NEXT: ^bb0([[A:%.+]]: f32, {{%.+}}: f32):
  // CHECK-NEXT: [[R:%.+]] = math.log [[A]] : f32
  // CHECK-NEXT: linalg.yield [[R]]
  %log = transformer.log %x : tensor<4xf32>
  // CHECK: linalg.generic
  // CHECK-NEXT: ^bb0([[A:%.+]]: f32, {{%.+}}: f32):
  // CHECK-NEXT: [[R:%.+]] = math.sqrt [[A]] : f32
  // CHECK-NEXT: linalg.yield [[R]]
  %sqrt = transformer.sqrt %x : tensor<4xf32>
  // CHECK: linalg.generic
  // CHECK-NEXT: ^bb0([[A:%.+]]: f32, {{%.+}}: f32):
  // CHECK-NEXT: [[R:%.+]] = math.rsqrt [[A]] : f32
  // CHECK-NEXT: linalg.yield [[R]]
  %rsqrt = transformer.rsqrt %x : tensor<4xf32>
  // CHECK: linalg.generic
  // CHECK-NEXT: ^bb0([[A:%.+]]: f32, {{%.+}}: f32):
  // CHECK-NEXT: [[R:%.+]] = math.tanh [[A]] : f32
  // CHECK-NEXT: linalg.yield [[R]]
  %tanh = transformer.tanh %x : tensor<4xf32>
  // CHECK: linalg.generic
  // CHECK-NEXT: ^bb0([[A:%.+]]: f32, {{%.+}}: f32):
  // CHECK-NEXT: [[R:%.+]] = math.erf [[A]] : f32
  // CHECK-NEXT: linalg.yield [[R]]
  %erf = transformer.erf %x : tensor<4xf32>
  // 1 / (1 + exp(-x)).
  // CHECK: linalg.generic
  // CHECK-NEXT: ^bb0([[A:%.+]]: f32, {{%.+}}: f32):
  // CHECK-NEXT: [[ONE:%.+]] = arith.constant 1.000000e+00 : f32
  // CHECK-NEXT: [[N:%.+]] = arith.negf [[A]] : f32
  // CHECK-NEXT: [[E:%.+]] = math.exp [[N]] : f32
  // CHECK-NEXT: [[D:%.+]] = arith.addf [[ONE]], [[E]] : f32
  // CHECK-NEXT: [[R:%.+]] = arith.divf [[ONE]], [[D]] : f32
  // CHECK-NEXT: linalg.yield [[R]]
  %sigmoid = transformer.sigmoid %x : tensor<4xf32>
  // max(x, 0), NaN-propagating.
  // CHECK: linalg.generic
  // CHECK-NEXT: ^bb0([[A:%.+]]: f32, {{%.+}}: f32):
  // CHECK-NEXT: [[Z:%.+]] = arith.constant 0.000000e+00 : f32
  // CHECK-NEXT: [[R:%.+]] = arith.maximumf [[A]], [[Z]] : f32
  // CHECK-NEXT: linalg.yield [[R]]
  %relu = transformer.relu %x : tensor<4xf32>
  // CHECK: linalg.generic
  // CHECK-NEXT: ^bb0([[A:%.+]]: f32, {{%.+}}: f32):
  // CHECK-NEXT: [[ONE:%.+]] = arith.constant 1.000000e+00 : f32
  // CHECK-NEXT: [[R:%.+]] = arith.divf [[ONE]], [[A]] : f32
  // CHECK-NEXT: linalg.yield [[R]]
  %reciprocal = transformer.reciprocal %x : tensor<4xf32>
  return %neg, %abs, %exp, %log, %sqrt, %rsqrt, %tanh, %erf, %sigmoid, %relu, %reciprocal : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Integer unary ops: neg is 0 - x, abs is math.absi, relu is maxsi with 0;
// not is xor with true.
// CHECK-LABEL: func.func @int_unary
func.func @int_unary(%x: tensor<4xi32>, %b: tensor<4xi1>) -> (tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi1>) {
  // CHECK: linalg.generic
  // CHECK-NEXT: ^bb0([[A:%.+]]: i32, {{%.+}}: i32):
  // CHECK-NEXT: [[Z:%.+]] = arith.constant 0 : i32
  // CHECK-NEXT: [[R:%.+]] = arith.subi [[Z]], [[A]] : i32
  // CHECK-NEXT: linalg.yield [[R]]
  %neg = transformer.neg %x : tensor<4xi32>
  // CHECK: linalg.generic
  // CHECK-NEXT: ^bb0([[A:%.+]]: i32, {{%.+}}: i32):
  // CHECK-NEXT: [[R:%.+]] = math.absi [[A]] : i32
  // CHECK-NEXT: linalg.yield [[R]]
  %abs = transformer.abs %x : tensor<4xi32>
  // CHECK: linalg.generic
  // CHECK-NEXT: ^bb0([[A:%.+]]: i32, {{%.+}}: i32):
  // CHECK-NEXT: [[Z:%.+]] = arith.constant 0 : i32
  // CHECK-NEXT: [[R:%.+]] = arith.maxsi [[A]], [[Z]] : i32
  // CHECK-NEXT: linalg.yield [[R]]
  %relu = transformer.relu %x : tensor<4xi32>
  // CHECK: linalg.generic
  // CHECK-NEXT: ^bb0([[A:%.+]]: i1, {{%.+}}: i1):
  // CHECK-NEXT: [[T:%.+]] = arith.constant true
  // CHECK-NEXT: [[R:%.+]] = arith.xori [[A]], [[T]] : i1
  // CHECK-NEXT: linalg.yield [[R]]
  %not = transformer.not %b : tensor<4xi1>
  return %neg, %abs, %relu, %not : tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi1>
}

// -----

// Float binary ops; max/min propagate NaN (maximumf/minimumf).
// CHECK-LABEL: func.func @float_binary
func.func @float_binary(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  // CHECK: ^bb0([[A:%.+]]: f32, [[B:%.+]]: f32, {{%.+}}: f32):
  // CHECK-NEXT: arith.addf [[A]], [[B]] : f32
  %add = transformer.add %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  // CHECK: ^bb0([[A:%.+]]: f32, [[B:%.+]]: f32, {{%.+}}: f32):
  // CHECK-NEXT: arith.subf [[A]], [[B]] : f32
  %sub = transformer.sub %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  // CHECK: ^bb0([[A:%.+]]: f32, [[B:%.+]]: f32, {{%.+}}: f32):
  // CHECK-NEXT: arith.mulf [[A]], [[B]] : f32
  %mul = transformer.mul %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  // CHECK: ^bb0([[A:%.+]]: f32, [[B:%.+]]: f32, {{%.+}}: f32):
  // CHECK-NEXT: arith.divf [[A]], [[B]] : f32
  %div = transformer.div %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  // CHECK: ^bb0([[A:%.+]]: f32, [[B:%.+]]: f32, {{%.+}}: f32):
  // CHECK-NEXT: math.powf [[A]], [[B]] : f32
  %pow = transformer.pow %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  // CHECK: ^bb0([[A:%.+]]: f32, [[B:%.+]]: f32, {{%.+}}: f32):
  // CHECK-NEXT: arith.maximumf [[A]], [[B]] : f32
  %max = transformer.max %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  // CHECK: ^bb0([[A:%.+]]: f32, [[B:%.+]]: f32, {{%.+}}: f32):
  // CHECK-NEXT: arith.minimumf [[A]], [[B]] : f32
  %min = transformer.min %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  return %add, %sub, %mul, %div, %pow, %max, %min : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Signed integer binary ops (signless means signed), and i1 logic.
// CHECK-LABEL: func.func @int_binary
func.func @int_binary(%a: tensor<4xi64>, %b: tensor<4xi64>, %p: tensor<4xi1>, %q: tensor<4xi1>) -> (tensor<4xi64>, tensor<4xi64>, tensor<4xi64>, tensor<4xi64>, tensor<4xi64>, tensor<4xi64>, tensor<4xi1>, tensor<4xi1>) {
  // CHECK: ^bb0([[A:%.+]]: i64, [[B:%.+]]: i64, {{%.+}}: i64):
  // CHECK-NEXT: arith.addi [[A]], [[B]] : i64
  %add = transformer.add %a, %b : tensor<4xi64>, tensor<4xi64> -> tensor<4xi64>
  // CHECK: ^bb0([[A:%.+]]: i64, [[B:%.+]]: i64, {{%.+}}: i64):
  // CHECK-NEXT: arith.subi [[A]], [[B]] : i64
  %sub = transformer.sub %a, %b : tensor<4xi64>, tensor<4xi64> -> tensor<4xi64>
  // CHECK: ^bb0([[A:%.+]]: i64, [[B:%.+]]: i64, {{%.+}}: i64):
  // CHECK-NEXT: arith.muli [[A]], [[B]] : i64
  %mul = transformer.mul %a, %b : tensor<4xi64>, tensor<4xi64> -> tensor<4xi64>
  // CHECK: ^bb0([[A:%.+]]: i64, [[B:%.+]]: i64, {{%.+}}: i64):
  // CHECK-NEXT: arith.divsi [[A]], [[B]] : i64
  %div = transformer.div %a, %b : tensor<4xi64>, tensor<4xi64> -> tensor<4xi64>
  // CHECK: ^bb0([[A:%.+]]: i64, [[B:%.+]]: i64, {{%.+}}: i64):
  // CHECK-NEXT: arith.maxsi [[A]], [[B]] : i64
  %max = transformer.max %a, %b : tensor<4xi64>, tensor<4xi64> -> tensor<4xi64>
  // CHECK: ^bb0([[A:%.+]]: i64, [[B:%.+]]: i64, {{%.+}}: i64):
  // CHECK-NEXT: arith.minsi [[A]], [[B]] : i64
  %min = transformer.min %a, %b : tensor<4xi64>, tensor<4xi64> -> tensor<4xi64>
  // CHECK: ^bb0([[A:%.+]]: i1, [[B:%.+]]: i1, {{%.+}}: i1):
  // CHECK-NEXT: arith.andi [[A]], [[B]] : i1
  %and = transformer.and %p, %q : tensor<4xi1>, tensor<4xi1> -> tensor<4xi1>
  // CHECK: ^bb0([[A:%.+]]: i1, [[B:%.+]]: i1, {{%.+}}: i1):
  // CHECK-NEXT: arith.ori [[A]], [[B]] : i1
  %or = transformer.or %p, %q : tensor<4xi1>, tensor<4xi1> -> tensor<4xi1>
  return %add, %sub, %mul, %div, %max, %min, %and, %or : tensor<4xi64>, tensor<4xi64>, tensor<4xi64>, tensor<4xi64>, tensor<4xi64>, tensor<4xi64>, tensor<4xi1>, tensor<4xi1>
}

// -----

// Unsigned element types: arith takes signless integers, so the block
// arguments are cast to i8 and the result back to ui8; the unsigned ops are
// picked (divui, maxui, minui, cmpi ult); abs and relu are the identity.
// CHECK-LABEL: func.func @unsigned
func.func @unsigned(%a: tensor<4xui8>, %b: tensor<4xui8>) -> (tensor<4xui8>, tensor<4xui8>, tensor<4xui8>, tensor<4xi1>, tensor<4xui8>, tensor<4xui8>) {
  // CHECK: ^bb0([[A:%.+]]: ui8, [[B:%.+]]: ui8, {{%.+}}: ui8):
  // CHECK-NEXT: [[SA:%.+]] = builtin.unrealized_conversion_cast [[A]] : ui8 to i8
  // CHECK-NEXT: [[SB:%.+]] = builtin.unrealized_conversion_cast [[B]] : ui8 to i8
  // CHECK-NEXT: [[D:%.+]] = arith.divui [[SA]], [[SB]] : i8
  // CHECK-NEXT: [[R:%.+]] = builtin.unrealized_conversion_cast [[D]] : i8 to ui8
  // CHECK-NEXT: linalg.yield [[R]] : ui8
  %div = transformer.div %a, %b : tensor<4xui8>, tensor<4xui8> -> tensor<4xui8>
  // CHECK: arith.maxui {{%.+}}, {{%.+}} : i8
  %max = transformer.max %a, %b : tensor<4xui8>, tensor<4xui8> -> tensor<4xui8>
  // CHECK: arith.minui {{%.+}}, {{%.+}} : i8
  %min = transformer.min %a, %b : tensor<4xui8>, tensor<4xui8> -> tensor<4xui8>
  // CHECK: arith.cmpi ult, {{%.+}}, {{%.+}} : i8
  %lt = transformer.compare lt, %a, %b : tensor<4xui8>, tensor<4xui8> -> tensor<4xi1>
  // CHECK: ^bb0([[A:%.+]]: ui8, {{%.+}}: ui8):
  // CHECK-NEXT: [[SA:%.+]] = builtin.unrealized_conversion_cast [[A]] : ui8 to i8
  // CHECK-NEXT: [[R:%.+]] = builtin.unrealized_conversion_cast [[SA]] : i8 to ui8
  // CHECK-NEXT: linalg.yield [[R]] : ui8
  %abs = transformer.abs %a : tensor<4xui8>
  // CHECK: ^bb0([[A:%.+]]: ui8, {{%.+}}: ui8):
  // CHECK-NEXT: [[SA:%.+]] = builtin.unrealized_conversion_cast [[A]] : ui8 to i8
  // CHECK-NEXT: [[R:%.+]] = builtin.unrealized_conversion_cast [[SA]] : i8 to ui8
  // CHECK-NEXT: linalg.yield [[R]] : ui8
  %relu = transformer.relu %a : tensor<4xui8>
  return %div, %max, %min, %lt, %abs, %relu : tensor<4xui8>, tensor<4xui8>, tensor<4xui8>, tensor<4xi1>, tensor<4xui8>, tensor<4xui8>
}

// -----

// Float comparisons are ordered, except ne (true when either is NaN);
// signed integers compare signed, i1 as unsigned (true > false).
// CHECK-LABEL: func.func @compare_predicates
func.func @compare_predicates(%a: tensor<4xf32>, %b: tensor<4xf32>, %i: tensor<4xsi32>, %p: tensor<4xi1>) -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) {
  // CHECK: arith.cmpf oeq, {{%.+}}, {{%.+}} : f32
  %eq = transformer.compare eq, %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xi1>
  // CHECK: arith.cmpf une, {{%.+}}, {{%.+}} : f32
  %ne = transformer.compare ne, %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xi1>
  // CHECK: arith.cmpf olt, {{%.+}}, {{%.+}} : f32
  %lt = transformer.compare lt, %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xi1>
  // CHECK: arith.cmpf ole, {{%.+}}, {{%.+}} : f32
  %le = transformer.compare le, %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xi1>
  // CHECK: arith.cmpf ogt, {{%.+}}, {{%.+}} : f32
  %gt = transformer.compare gt, %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xi1>
  // CHECK: arith.cmpf oge, {{%.+}}, {{%.+}} : f32
  %ge = transformer.compare ge, %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xi1>
  // CHECK: arith.cmpi sle, {{%.+}}, {{%.+}} : i32
  %sle = transformer.compare le, %i, %i : tensor<4xsi32>, tensor<4xsi32> -> tensor<4xi1>
  // CHECK: arith.cmpi ugt, {{%.+}}, {{%.+}} : i1
  %bgt = transformer.compare gt, %p, %p : tensor<4xi1>, tensor<4xi1> -> tensor<4xi1>
  // CHECK: arith.cmpi ne, {{%.+}}, {{%.+}} : i1
  %bne = transformer.compare ne, %p, %p : tensor<4xi1>, tensor<4xi1> -> tensor<4xi1>
  return %eq, %ne, %lt, %le, %gt, %ge, %sle, %bgt, %bne : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
}

// -----

// Casts follow ONNX Cast: float->int truncates (fptosi/fptoui), int->float
// by source signedness, i1 as 0/1, float->i1 is x != 0.
// CHECK-LABEL: func.func @casts
func.func @casts(%f: tensor<?x4xf32>, %i: tensor<?x4xi64>, %u: tensor<?x4xui8>, %b: tensor<?x4xi1>) -> (tensor<?x4xi32>, tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf16>, tensor<?x4xi1>, tensor<?x4xui8>) {
  // CHECK: ^bb0([[A:%.+]]: f32, {{%.+}}: i32):
  // CHECK-NEXT: [[R:%.+]] = arith.fptosi [[A]] : f32 to i32
  // CHECK-NEXT: linalg.yield [[R]] : i32
  %fi = transformer.cast %f : tensor<?x4xf32> to tensor<?x4xi32>
  // CHECK: ^bb0([[A:%.+]]: i64, {{%.+}}: f32):
  // CHECK-NEXT: [[R:%.+]] = arith.sitofp [[A]] : i64 to f32
  // CHECK-NEXT: linalg.yield [[R]] : f32
  %if = transformer.cast %i : tensor<?x4xi64> to tensor<?x4xf32>
  // CHECK: ^bb0([[A:%.+]]: ui8, {{%.+}}: f32):
  // CHECK-NEXT: [[S:%.+]] = builtin.unrealized_conversion_cast [[A]] : ui8 to i8
  // CHECK-NEXT: [[R:%.+]] = arith.uitofp [[S]] : i8 to f32
  // CHECK-NEXT: linalg.yield [[R]] : f32
  %uf = transformer.cast %u : tensor<?x4xui8> to tensor<?x4xf32>
  // CHECK: ^bb0([[A:%.+]]: i1, {{%.+}}: f32):
  // CHECK-NEXT: [[R:%.+]] = arith.uitofp [[A]] : i1 to f32
  // CHECK-NEXT: linalg.yield [[R]] : f32
  %bf = transformer.cast %b : tensor<?x4xi1> to tensor<?x4xf32>
  // CHECK: ^bb0([[A:%.+]]: f32, {{%.+}}: f16):
  // CHECK-NEXT: [[R:%.+]] = arith.truncf [[A]] : f32 to f16
  // CHECK-NEXT: linalg.yield [[R]] : f16
  %ff = transformer.cast %f : tensor<?x4xf32> to tensor<?x4xf16>
  // CHECK: ^bb0([[A:%.+]]: f32, {{%.+}}: i1):
  // CHECK-NEXT: [[Z:%.+]] = arith.constant 0.000000e+00 : f32
  // CHECK-NEXT: [[R:%.+]] = arith.cmpf une, [[A]], [[Z]] : f32
  // CHECK-NEXT: linalg.yield [[R]] : i1
  %fb = transformer.cast %f : tensor<?x4xf32> to tensor<?x4xi1>
  // CHECK: ^bb0([[A:%.+]]: f32, {{%.+}}: ui8):
  // CHECK-NEXT: [[C:%.+]] = arith.fptoui [[A]] : f32 to i8
  // CHECK-NEXT: [[R:%.+]] = builtin.unrealized_conversion_cast [[C]] : i8 to ui8
  // CHECK-NEXT: linalg.yield [[R]] : ui8
  %fu = transformer.cast %f : tensor<?x4xf32> to tensor<?x4xui8>
  return %fi, %if, %uf, %bf, %ff, %fb, %fu : tensor<?x4xi32>, tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf16>, tensor<?x4xi1>, tensor<?x4xui8>
}

// -----

// reduce_sum over the last axis: a reduction iterator on d2, the init
// filled with 0 and shaped like the kept dims.
// CHECK-DAG: [[IN:#map[0-9]*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: [[OUT:#map[0-9]*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @reduce_sum
// CHECK-SAME: ([[X:%.+]]: tensor<?x?x768xf32>)
func.func @reduce_sum(%x: tensor<?x?x768xf32>) -> tensor<?x?xf32> {
  // CHECK-DAG: [[D0:%.+]] = tensor.dim [[X]], {{%.+}} : tensor<?x?x768xf32>
  // CHECK-DAG: [[D1:%.+]] = tensor.dim [[X]], {{%.+}} : tensor<?x?x768xf32>
  // CHECK: [[EMPTY:%.+]] = tensor.empty([[D0]], [[D1]]) : tensor<?x?xf32>
  // CHECK: [[ZERO:%.+]] = arith.constant 0.000000e+00 : f32
  // CHECK: [[INIT:%.+]] = linalg.fill ins([[ZERO]] : f32) outs([[EMPTY]] : tensor<?x?xf32>)
  // CHECK: [[R:%.+]] = linalg.generic {indexing_maps = {{\[}}[[IN]], [[OUT]]{{\]}}, iterator_types = ["parallel", "parallel", "reduction"]}
  // CHECK-SAME: ins([[X]] : tensor<?x?x768xf32>) outs([[INIT]] : tensor<?x?xf32>)
  // CHECK-NEXT: ^bb0([[E:%.+]]: f32, [[ACC:%.+]]: f32):
  // CHECK-NEXT: [[S:%.+]] = arith.addf [[E]], [[ACC]] : f32
  // CHECK-NEXT: linalg.yield [[S]] : f32
  // CHECK: return [[R]]
  %s = transformer.reduce_sum %x {axes = array<i64: -1>} : tensor<?x?x768xf32> -> tensor<?x?xf32>
  return %s : tensor<?x?xf32>
}

// -----

// reduce_mean with keep_dims over a static axis: divide by 768, then insert
// the unit dim with expand_shape.
// CHECK-DAG: [[IN:#map[0-9]*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: [[OUT:#map[0-9]*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: [[ID1:#map[0-9]*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @reduce_mean_keep
// CHECK-SAME: ([[X:%.+]]: tensor<?x768xf32>)
func.func @reduce_mean_keep(%x: tensor<?x768xf32>) -> tensor<?x1xf32> {
  // CHECK: [[D0:%.+]] = tensor.dim [[X]], {{%.+}} : tensor<?x768xf32>
  // CHECK: [[EMPTY:%.+]] = tensor.empty([[D0]]) : tensor<?xf32>
  // CHECK: [[INIT:%.+]] = linalg.fill
  // CHECK: [[SUM:%.+]] = linalg.generic {indexing_maps = {{\[}}[[IN]], [[OUT]]{{\]}}, iterator_types = ["parallel", "reduction"]}
  // CHECK: arith.addf
  // CHECK: [[N:%.+]] = arith.constant 7.680000e+02 : f32
  // CHECK: [[MEAN:%.+]] = linalg.generic {indexing_maps = {{\[}}[[ID1]], [[ID1]]{{\]}}, iterator_types = ["parallel"]} ins([[SUM]] : tensor<?xf32>) outs([[SUM]] : tensor<?xf32>)
  // CHECK-NEXT: ^bb0([[E:%.+]]: f32, {{%.+}}: f32):
  // CHECK-NEXT: [[Q:%.+]] = arith.divf [[E]], [[N]] : f32
  // CHECK-NEXT: linalg.yield [[Q]] : f32
  // CHECK: [[R:%.+]] = tensor.expand_shape [[MEAN]] {{\[}}[0, 1]] output_shape {{\[}}[[D0]], 1] : tensor<?xf32> into tensor<?x1xf32>
  // CHECK: return [[R]]
  %m = transformer.reduce_mean %x {axes = array<i64: 1>, keep_dims = true} : tensor<?x768xf32> -> tensor<?x1xf32>
  return %m : tensor<?x1xf32>
}

// -----

// reduce_mean over dynamic dims: the count is the run-time product of the
// reduced dims (d0 * 4), converted to f32.
// CHECK-LABEL: func.func @reduce_mean_dynamic
// CHECK-SAME: ([[X:%.+]]: tensor<?x?x4xf32>)
func.func @reduce_mean_dynamic(%x: tensor<?x?x4xf32>) -> tensor<1x?x1xf32> {
  // CHECK-DAG: [[C0:%.+]] = arith.constant 0 : index
  // CHECK-DAG: [[C1:%.+]] = arith.constant 1 : index
  // CHECK-DAG: [[D0:%.+]] = tensor.dim [[X]], [[C0]]
  // CHECK-DAG: [[D1:%.+]] = tensor.dim [[X]], [[C1]]
  // CHECK: tensor.empty([[D1]]) : tensor<?xf32>
  // CHECK: [[SUM:%.+]] = linalg.generic {{.*}} iterator_types = ["reduction", "parallel", "reduction"]
  // CHECK: [[C4:%.+]] = arith.constant 4 : index
  // CHECK: [[N:%.+]] = arith.muli [[D0]], [[C4]] : index
  // CHECK: [[NI:%.+]] = arith.index_cast [[N]] : index to i64
  // CHECK: [[NF:%.+]] = arith.sitofp [[NI]] : i64 to f32
  // CHECK: [[MEAN:%.+]] = linalg.generic
  // CHECK: arith.divf {{%.+}}, [[NF]] : f32
  // CHECK: tensor.expand_shape [[MEAN]] {{\[}}[0, 1, 2]] output_shape [1, [[D1]], 1] : tensor<?xf32> into tensor<1x?x1xf32>
  %m = transformer.reduce_mean %x {axes = array<i64: 0, -1>, keep_dims = true} : tensor<?x?x4xf32> -> tensor<1x?x1xf32>
  return %m : tensor<1x?x1xf32>
}

// -----

// reduce_max: -inf for floats (maximumf keeps NaN), the smallest value for
// signed integers, 0 for unsigned ones; empty axes reduce everything.
// CHECK-DAG: [[ALL:#map[0-9]*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @reduce_max
func.func @reduce_max(%f: tensor<2x3xf32>, %i: tensor<2x3xi32>, %u: tensor<2x3xui8>) -> (tensor<f32>, tensor<1x1xi32>, tensor<2xui8>) {
  // CHECK: [[NINF:%.+]] = arith.constant 0xFF800000 : f32
  // CHECK: [[FI:%.+]] = linalg.fill ins([[NINF]] : f32) outs({{%.+}} : tensor<f32>)
  // CHECK: linalg.generic {indexing_maps = [{{#map[0-9]*}}, [[ALL]]], iterator_types = ["reduction", "reduction"]}
  // CHECK-SAME: outs([[FI]] : tensor<f32>)
  // CHECK: arith.maximumf
  %fm = transformer.reduce_max %f {axes = array<i64>} : tensor<2x3xf32> -> tensor<f32>
  // CHECK: [[IMIN:%.+]] = arith.constant -2147483648 : i32
  // CHECK: [[II:%.+]] = linalg.fill ins([[IMIN]] : i32) outs({{%.+}} : tensor<i32>)
  // CHECK: [[IR:%.+]] = linalg.generic {{.*}} outs([[II]] : tensor<i32>)
  // CHECK: arith.maxsi
  // CHECK: tensor.expand_shape [[IR]] [] output_shape [1, 1] : tensor<i32> into tensor<1x1xi32>
  %im = transformer.reduce_max %i {axes = array<i64: 0, 1>, keep_dims = true} : tensor<2x3xi32> -> tensor<1x1xi32>
  // CHECK: [[UZ:%.+]] = arith.constant 0 : i8
  // CHECK: [[UZC:%.+]] = builtin.unrealized_conversion_cast [[UZ]] : i8 to ui8
  // CHECK: linalg.fill ins([[UZC]] : ui8) outs({{%.+}} : tensor<2xui8>)
  // CHECK: arith.maxui {{%.+}}, {{%.+}} : i8
  %um = transformer.reduce_max %u {axes = array<i64: 1>} : tensor<2x3xui8> -> tensor<2xui8>
  return %fm, %im, %um : tensor<f32>, tensor<1x1xi32>, tensor<2xui8>
}

// -----

// Reducing a scalar: a generic without loops; keep_dims has nothing to
// re-insert.
// CHECK-DAG: [[SCALAR:#map[0-9]*]] = affine_map<() -> ()>
// CHECK-LABEL: func.func @reduce_scalar
// CHECK-SAME: ([[X:%.+]]: tensor<f32>)
func.func @reduce_scalar(%x: tensor<f32>) -> tensor<f32> {
  // CHECK: [[R:%.+]] = linalg.generic {indexing_maps = {{\[}}[[SCALAR]], [[SCALAR]]{{\]}}, iterator_types = []} ins([[X]] : tensor<f32>)
  // CHECK-NOT: tensor.expand_shape
  // CHECK: return [[R]]
  %y = transformer.reduce_sum %x {axes = array<i64>, keep_dims = true} : tensor<f32> -> tensor<f32>
  return %y : tensor<f32>
}
