// RUN: llm-opt %s -split-input-file -verify-diagnostics

// Every verifier and type-inference error of the math ops.

func.func @constant_not_elements() {
  // expected-error @+1 {{invalid kind of attribute specified}}
  %0 = transformer.constant 1 : i32
  return
}

// -----

func.func @binary_not_broadcastable(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{'transformer.add' operands are not broadcast-compatible: tensor<2x3xf32>, tensor<4xf32>}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.add %a, %b : tensor<2x3xf32>, tensor<4xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @binary_element_types(%a: tensor<2x3xf32>, %b: tensor<3xf16>) {
  // expected-error @+1 {{all of {lhs, rhs, result} have same element type}}
  %0 = transformer.mul %a, %b : tensor<2x3xf32>, tensor<3xf16> -> tensor<2x3xf32>
  return
}

// -----

func.func @binary_wrong_result(%a: tensor<?x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<?x3xf32>' are incompatible with return type(s) of operation 'tensor<2x3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.sub %a, %b : tensor<?x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @pow_int(%a: tensor<3xi32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of floating-point values}}
  %0 = transformer.pow %a, %a : tensor<3xi32>, tensor<3xi32> -> tensor<3xi32>
  return
}

// -----

func.func @and_float(%a: tensor<3xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 1-bit signless integer values}}
  %0 = transformer.and %a, %a : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  return
}

// -----

func.func @exp_int(%a: tensor<3xi32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of floating-point values}}
  %0 = transformer.exp %a : tensor<3xi32>
  return
}

// -----

func.func @unary_unranked(%a: tensor<*xf32>) {
  // expected-error @+1 {{invalid kind of type specified: expected builtin.tensor, but found 'tensor<*xf32>'}}
  %0 = transformer.tanh %a : tensor<*xf32>
  return
}

// -----

func.func @compare_not_broadcastable(%a: tensor<2xi64>, %b: tensor<3xi64>) {
  // expected-error @+2 {{'transformer.compare' operands are not broadcast-compatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.compare eq, %a, %b : tensor<2xi64>, tensor<3xi64> -> tensor<3xi1>
  return
}

// -----

func.func @compare_element_types(%a: tensor<2xi64>, %b: tensor<2xi32>) {
  // expected-error @+1 {{all of {lhs, rhs} have same element type}}
  %0 = transformer.compare eq, %a, %b : tensor<2xi64>, tensor<2xi32> -> tensor<2xi1>
  return
}

// -----

func.func @compare_predicate(%a: tensor<2xi64>) {
  // expected-error @+2 {{expected ::mlir::llm::transformer::ComparePredicate to be one of: eq, ne, lt, le, gt, ge}}
  // expected-error @+1 {{failed to parse Transformer_ComparePredicateAttr parameter 'value'}}
  %0 = transformer.compare uge, %a, %a : tensor<2xi64>, tensor<2xi64> -> tensor<2xi1>
  return
}

// -----

func.func @where_condition(%c: tensor<2xf32>, %a: tensor<2xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 1-bit signless integer values}}
  %0 = transformer.where %c, %a, %a : tensor<2xf32>, tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  return
}

// -----

func.func @where_not_broadcastable(%c: tensor<2x1xi1>, %a: tensor<3xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{'transformer.where' operands are not broadcast-compatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.where %c, %a, %b : tensor<2x1xi1>, tensor<3xf32>, tensor<4xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @where_element_types(%c: tensor<2xi1>, %a: tensor<2xf32>, %b: tensor<2xf16>) {
  // expected-error @+1 {{all of {true_value, false_value, result} have same element type}}
  %0 = transformer.where %c, %a, %b : tensor<2xi1>, tensor<2xf32>, tensor<2xf16> -> tensor<2xf32>
  return
}

// -----

func.func @cast_shape(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{all non-scalar operands/results must have the same shape and base type}}
  %0 = transformer.cast %a : tensor<2x3xf32> to tensor<3x2xf16>
  return
}

// -----

func.func @reduce_axis_range(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'transformer.reduce_mean' axis 2 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.reduce_mean %a {axes = array<i64: 2>} : tensor<2x3xf32> -> tensor<2xf32>
  return
}

// -----

func.func @reduce_axis_repeated(%a: tensor<2x3xf32>) {
  // -1 and 1 name the same axis of a rank-2 tensor.
  // expected-error @+2 {{'transformer.reduce_sum' axis 1 is repeated}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.reduce_sum %a {axes = array<i64: -1, 1>} : tensor<2x3xf32> -> tensor<2xf32>
  return
}

// -----

func.func @reduce_wrong_result(%a: tensor<2x3xf32>) {
  // keep_dims keeps the reduced axis as size 1.
  // expected-error @+2 {{inferred type(s) 'tensor<2x1xf32>' are incompatible with return type(s) of operation 'tensor<2xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.reduce_max %a {axes = array<i64: 1>, keep_dims = true} : tensor<2x3xf32> -> tensor<2xf32>
  return
}

// -----

func.func @reduce_mean_int(%a: tensor<2x3xi32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of floating-point values}}
  %0 = transformer.reduce_mean %a {axes = array<i64: 1>} : tensor<2x3xi32> -> tensor<2xi32>
  return
}
