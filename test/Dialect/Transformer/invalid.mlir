// RUN: llm-opt %s -split-input-file -verify-diagnostics

// Every verifier and type-inference error of the transformer dialect's ops.
// Errors found by type inference are followed by the interface's generic
// "failed to infer returned types".

//===----------------------------------------------------------------------===//
// math ops (TransformerMathOps.td)
//===----------------------------------------------------------------------===//

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

// -----

//===----------------------------------------------------------------------===//
// shape ops (TransformerShapeOps.td)
//===----------------------------------------------------------------------===//

// Every error the shape ops' verifiers and type inference emit.

func.func @reshape_dynamic_sizes(%x: tensor<?x?x768xf32>, %b: index) {
  // expected-error @+1 {{expects 2 dynamic sizes (one per '?' in 'tensor<?x?x12x64xf32>'), got 1}}
  %r = transformer.reshape %x [%b] : tensor<?x?x768xf32> -> tensor<?x?x12x64xf32>
  return
}

// -----

func.func @reshape_element_type(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{all of {input, result} have same element type}}
  %r = transformer.reshape %x : tensor<2x3xf32> -> tensor<6xf16>
  return
}

// -----

func.func @reshape_count(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{expects the same number of elements, got 6 (input) and 8 (result)}}
  %r = transformer.reshape %x : tensor<2x3xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @reshape_static_input(%x: tensor<2x3xf32>, %n: index) {
  // expected-error @+1 {{input has 6 elements, which is not a multiple of 4, the product of the result's static dims}}
  %r = transformer.reshape %x [%n] : tensor<2x3xf32> -> tensor<?x4xf32>
  return
}

// -----

func.func @reshape_static_input_zero(%x: tensor<2x3xf32>, %n: index) {
  // A zero static dim makes the result empty, but the input is not.
  // expected-error @+1 {{input has 6 elements, which is not a multiple of 0, the product of the result's static dims}}
  %r = transformer.reshape %x [%n] : tensor<2x3xf32> -> tensor<?x0xf32>
  return
}

// -----

func.func @reshape_static_result(%x: tensor<?x5xf32>) {
  // expected-error @+1 {{result has 12 elements, which is not a multiple of 5, the product of the input's static dims}}
  %r = transformer.reshape %x : tensor<?x5xf32> -> tensor<3x4xf32>
  return
}

// -----

func.func @transpose_length(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{'transformer.transpose' expects a permutation of length 3 (the input rank), got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %t = transformer.transpose %x {permutation = array<i64: 1, 0>} : tensor<2x3x4xf32> -> tensor<3x2xf32>
  return
}

// -----

func.func @transpose_range(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{'transformer.transpose' expects permutation entries in [0, 3), got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %t = transformer.transpose %x {permutation = array<i64: 0, 3, 1>} : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
  return
}

// -----

func.func @transpose_negative(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{'transformer.transpose' expects permutation entries in [0, 3), got -1}}
  // expected-error @+1 {{failed to infer returned types}}
  %t = transformer.transpose %x {permutation = array<i64: 0, -1, 1>} : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
  return
}

// -----

func.func @transpose_repeated(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{'transformer.transpose' permutation lists dim 1 twice}}
  // expected-error @+1 {{failed to infer returned types}}
  %t = transformer.transpose %x {permutation = array<i64: 1, 0, 1>} : tensor<2x3x4xf32> -> tensor<3x2x3xf32>
  return
}

// -----

func.func @transpose_result_type(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<4x2x3xf32>' are incompatible with return type(s) of operation 'tensor<3x4x2xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %t = transformer.transpose %x {permutation = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<3x4x2xf32>
  return
}

// -----

func.func @concat_no_inputs() {
  // expected-error @+2 {{'transformer.concat' expects at least one input}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = "transformer.concat"() <{axis = 0 : i64}> : () -> tensor<0xf32>
  return
}

// -----

func.func @concat_axis(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'transformer.concat' expects axis in [-2, 2), got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = transformer.concat %a, %a {axis = 2} : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x6xf32>
  return
}

// -----

func.func @concat_rank(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{'transformer.concat' expects inputs of the same rank, got rank 2 (input 0) and 1 (input 1)}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = transformer.concat %a, %b {axis = 0} : tensor<2x3xf32>, tensor<3xf32> -> tensor<5x3xf32>
  return
}

// -----

func.func @concat_dims(%a: tensor<2x3xf32>, %b: tensor<?x3xf32>, %c: tensor<2x4xf32>) {
  // expected-error @+2 {{'transformer.concat' expects dim 1 (not the concatenation axis) to match, got 3 and 4 (input 2)}}
  // expected-error @+1 {{failed to infer returned types}}
  %r = transformer.concat %a, %b, %c {axis = 0} : tensor<2x3xf32>, tensor<?x3xf32>, tensor<2x4xf32> -> tensor<?x3xf32>
  return
}

// -----

func.func @concat_element_type(%a: tensor<2x3xf32>, %b: tensor<2x3xf16>) {
  // expected-error @+2 {{'transformer.concat' expects inputs of the same element type, got 'f32' (input 0) and 'f16' (input 1)}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = transformer.concat %a, %b {axis = 0} : tensor<2x3xf32>, tensor<2x3xf16> -> tensor<4x3xf32>
  return
}

// -----

func.func @concat_result_type(%a: tensor<2x3xf32>, %b: tensor<?x3xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<?x3xf32>' are incompatible with return type(s) of operation 'tensor<4x3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %c = transformer.concat %a, %b {axis = 0} : tensor<2x3xf32>, tensor<?x3xf32> -> tensor<4x3xf32>
  return
}

// -----

func.func @slice_ends_length(%x: tensor<4x6xf32>) {
  // expected-error @+2 {{'transformer.slice' expects as many ends as starts (2), got 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %s = transformer.slice %x {starts = array<i64: 0, 0>, ends = array<i64: 1>} : tensor<4x6xf32> -> tensor<1x6xf32>
  return
}

// -----

func.func @slice_axes_length(%x: tensor<4x6xf32>) {
  // expected-error @+2 {{'transformer.slice' expects as many axes as starts (1), got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %s = transformer.slice %x {axes = array<i64: 0, 1>, starts = array<i64: 0>, ends = array<i64: 1>} : tensor<4x6xf32> -> tensor<1x6xf32>
  return
}

// -----

func.func @slice_steps_length(%x: tensor<4x6xf32>) {
  // expected-error @+2 {{'transformer.slice' expects as many steps as starts (1), got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %s = transformer.slice %x {starts = array<i64: 0>, ends = array<i64: 1>, steps = array<i64>} : tensor<4x6xf32> -> tensor<1x6xf32>
  return
}

// -----

func.func @slice_axis_range(%x: tensor<4x6xf32>) {
  // expected-error @+2 {{'transformer.slice' expects axes in [-2, 2), got -3}}
  // expected-error @+1 {{failed to infer returned types}}
  %s = transformer.slice %x {axes = array<i64: -3>, starts = array<i64: 0>, ends = array<i64: 1>} : tensor<4x6xf32> -> tensor<1x6xf32>
  return
}

// -----

func.func @slice_axis_repeated(%x: tensor<4x6x8xf32>) {
  // expected-error @+2 {{'transformer.slice' axis -1 refers to dim 2 which is already listed}}
  // expected-error @+1 {{failed to infer returned types}}
  %s = transformer.slice %x {axes = array<i64: 2, -1>, starts = array<i64: 0, 0>, ends = array<i64: 1, 1>} : tensor<4x6x8xf32> -> tensor<4x6x1xf32>
  return
}

// -----

func.func @slice_implicit_axes(%x: tensor<4x6xf32>) {
  // expected-error @+2 {{'transformer.slice' without axes slices dims [0, 3), but the input rank is 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %s = transformer.slice %x {starts = array<i64: 0, 0, 0>, ends = array<i64: 1, 1, 1>} : tensor<4x6xf32> -> tensor<1x1xf32>
  return
}

// -----

func.func @slice_zero_step(%x: tensor<4x6xf32>) {
  // expected-error @+2 {{'transformer.slice' expects positive steps, got 0 for axis 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %s = transformer.slice %x {axes = array<i64: -1>, starts = array<i64: 0>, ends = array<i64: 6>, steps = array<i64: 0>} : tensor<4x6xf32> -> tensor<4x6xf32>
  return
}

// -----

func.func @slice_negative_step(%x: tensor<4x6xf32>) {
  // expected-error @+2 {{'transformer.slice' expects positive steps, got -1 for axis 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %s = transformer.slice %x {starts = array<i64: 3>, ends = array<i64: 0>, steps = array<i64: -1>} : tensor<4x6xf32> -> tensor<3x6xf32>
  return
}

// -----

func.func @slice_result_type(%x: tensor<10xf32>) {
  // Elements 1, 4, 7: three, not four.
  // expected-error @+2 {{inferred type(s) 'tensor<3xf32>' are incompatible with return type(s) of operation 'tensor<4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %s = transformer.slice %x {starts = array<i64: 1>, ends = array<i64: 10>, steps = array<i64: 3>} : tensor<10xf32> -> tensor<4xf32>
  return
}

// -----

func.func @split_axis(%x: tensor<4x6xf32>) {
  // expected-error @+2 {{'transformer.split' expects axis in [-2, 2), got -3}}
  // expected-error @+1 {{failed to infer returned types}}
  %a:2 = transformer.split %x {axis = -3, sizes = array<i64: 2, 2>} : tensor<4x6xf32> -> tensor<2x6xf32>, tensor<2x6xf32>
  return
}

// -----

func.func @split_no_sizes(%x: tensor<4x6xf32>) {
  // expected-error @+2 {{'transformer.split' expects at least one size}}
  // expected-error @+1 {{failed to infer returned types}}
  "transformer.split"(%x) <{axis = 0 : i64, sizes = array<i64>}> : (tensor<4x6xf32>) -> ()
  return
}

// -----

func.func @split_negative_size(%x: tensor<?x6xf32>) {
  // expected-error @+2 {{'transformer.split' expects non-negative sizes, got -1 at position 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %a:2 = transformer.split %x {axis = 0, sizes = array<i64: 5, -1>} : tensor<?x6xf32> -> tensor<5x6xf32>, tensor<?x6xf32>
  return
}

// -----

func.func @split_overflow(%x: tensor<?x6xf32>) {
  // expected-error @+2 {{'transformer.split' sizes overflow int64 when summed}}
  // expected-error @+1 {{failed to infer returned types}}
  %a:2 = transformer.split %x {axis = 0, sizes = array<i64: 9223372036854775807, 1>} : tensor<?x6xf32> -> tensor<9223372036854775807x6xf32>, tensor<1x6xf32>
  return
}

// -----

func.func @split_sum(%x: tensor<?x?x2304xf32>) {
  // expected-error @+2 {{'transformer.split' expects sizes summing to 2304 (dim 2 of the input), got 2303}}
  // expected-error @+1 {{failed to infer returned types}}
  %a:3 = transformer.split %x {axis = -1, sizes = array<i64: 768, 768, 767>}
      : tensor<?x?x2304xf32> -> tensor<?x?x768xf32>, tensor<?x?x768xf32>, tensor<?x?x767xf32>
  return
}

// -----

func.func @split_result_count(%x: tensor<4x6xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<4x2xf32>', 'tensor<4x4xf32>' are incompatible with return type(s) of operation 'tensor<4x2xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %a = transformer.split %x {axis = 1, sizes = array<i64: 2, 4>} : tensor<4x6xf32> -> tensor<4x2xf32>
  return
}

// -----

func.func @expand_dynamic_sizes(%x: tensor<1x?xf32>, %n: index) {
  // expected-error @+1 {{expects 2 dynamic sizes (one per '?' in 'tensor<?x?xf32>'), got 1}}
  %e = transformer.expand %x [%n] : tensor<1x?xf32> -> tensor<?x?xf32>
  return
}

// -----

func.func @expand_rank(%x: tensor<1x3x4xf32>) {
  // expected-error @+1 {{expects a result rank of at least the input rank 3, got 2}}
  %e = transformer.expand %x : tensor<1x3x4xf32> -> tensor<3x4xf32>
  return
}

// -----

func.func @expand_dim(%x: tensor<3x1xf32>) {
  // Right-aligned: input dim 0 (3) meets result dim 1 (4).
  // expected-error @+1 {{input dim 0 of size 3 cannot broadcast to result dim 1 of size 4}}
  %e = transformer.expand %x : tensor<3x1xf32> -> tensor<2x4x5xf32>
  return
}

// -----

func.func @expand_to_one(%x: tensor<3xf32>) {
  // Broadcasting never shrinks a dim.
  // expected-error @+1 {{input dim 0 of size 3 cannot broadcast to result dim 1 of size 1}}
  %e = transformer.expand %x : tensor<3xf32> -> tensor<2x1xf32>
  return
}

// -----

func.func @expand_element_type(%x: tensor<3xf32>) {
  // expected-error @+1 {{all of {input, result} have same element type}}
  %e = transformer.expand %x : tensor<3xf32> -> tensor<2x3xi32>
  return
}

// -----

func.func @squeeze_axis(%x: tensor<1x3xf32>) {
  // expected-error @+2 {{'transformer.squeeze' expects axes in [-2, 2), got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %s = transformer.squeeze %x {axes = array<i64: 2>} : tensor<1x3xf32> -> tensor<1x3xf32>
  return
}

// -----

func.func @squeeze_repeated(%x: tensor<1x3xf32>) {
  // expected-error @+2 {{'transformer.squeeze' axis -2 refers to dim 0 which is already listed}}
  // expected-error @+1 {{failed to infer returned types}}
  %s = transformer.squeeze %x {axes = array<i64: 0, -2>} : tensor<1x3xf32> -> tensor<3xf32>
  return
}

// -----

func.func @squeeze_not_one(%x: tensor<1x3xf32>) {
  // expected-error @+2 {{'transformer.squeeze' can only remove dims of size 1, but dim 1 has size 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %s = transformer.squeeze %x {axes = array<i64: -1>} : tensor<1x3xf32> -> tensor<1xf32>
  return
}

// -----

func.func @unsqueeze_axis(%x: tensor<2x3xf32>) {
  // The axes refer to the result, of rank 3.
  // expected-error @+2 {{'transformer.unsqueeze' expects axes in [-3, 3), got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %u = transformer.unsqueeze %x {axes = array<i64: 3>} : tensor<2x3xf32> -> tensor<2x3x1xf32>
  return
}

// -----

func.func @unsqueeze_repeated(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'transformer.unsqueeze' axis -4 refers to dim 0 which is already listed}}
  // expected-error @+1 {{failed to infer returned types}}
  %u = transformer.unsqueeze %x {axes = array<i64: 0, -4>} : tensor<2x3xf32> -> tensor<1x1x2x3xf32>
  return
}

// -----

func.func @unsqueeze_result_type(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<2x1x3xf32>' are incompatible with return type(s) of operation 'tensor<1x2x3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %u = transformer.unsqueeze %x {axes = array<i64: 1>} : tensor<2x3xf32> -> tensor<1x2x3xf32>
  return
}

// -----

func.func @gather_axis(%d: tensor<4x6xf32>, %i: tensor<3xi64>) {
  // expected-error @+2 {{'transformer.gather' expects axis in [-2, 2), got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %g = transformer.gather %d, %i {axis = 2} : tensor<4x6xf32>, tensor<3xi64> -> tensor<4x6x3xf32>
  return
}

// -----

func.func @gather_scalar_data(%d: tensor<f32>, %i: tensor<3xi64>) {
  // expected-error @+2 {{'transformer.gather' expects axis in [0, 0), got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %g = transformer.gather %d, %i : tensor<f32>, tensor<3xi64> -> tensor<3xf32>
  return
}

// -----

func.func @gather_index_type(%d: tensor<4x6xf32>, %i: tensor<3xf32>) {
  // expected-error @+1 {{operand #1 must be ranked tensor of 32-bit signless integer or 64-bit signless integer}}
  %g = transformer.gather %d, %i : tensor<4x6xf32>, tensor<3xf32> -> tensor<3x6xf32>
  return
}

// -----

func.func @gather_result_type(%d: tensor<4x6xf32>, %i: tensor<2x3xi32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<4x2x3xf32>' are incompatible with return type(s) of operation 'tensor<2x3x6xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %g = transformer.gather %d, %i {axis = 1} : tensor<4x6xf32>, tensor<2x3xi32> -> tensor<2x3x6xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// nn ops (TransformerNNOps.td)
//===----------------------------------------------------------------------===//

// Every verifier and type-inference error of the neural-network ops.

func.func @matmul_rank(%a: tensor<4xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+2 {{'transformer.matmul' expects operands of rank >= 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.matmul %a, %b : tensor<4xf32>, tensor<4x5xf32> -> tensor<5xf32>
  return
}

// -----

func.func @matmul_contraction(%a: tensor<3x4xf32>, %b: tensor<5x6xf32>) {
  // expected-error @+2 {{contraction dims differ: lhs has 4 columns, rhs has 5 rows}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.matmul %a, %b : tensor<3x4xf32>, tensor<5x6xf32> -> tensor<3x6xf32>
  return
}

// -----

func.func @matmul_batch(%a: tensor<2x3x4xf32>, %b: tensor<3x4x5xf32>) {
  // expected-error @+2 {{batch dims are not broadcast-compatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.matmul %a, %b : tensor<2x3x4xf32>, tensor<3x4x5xf32> -> tensor<2x3x5xf32>
  return
}

// -----

func.func @matmul_wrong_result(%a: tensor<?x3x4xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<?x3x5xf32>' are incompatible with return type(s) of operation 'tensor<2x3x5xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.matmul %a, %b : tensor<?x3x4xf32>, tensor<4x5xf32> -> tensor<2x3x5xf32>
  return
}

// -----

func.func @matmul_element_types(%a: tensor<3x4xf32>, %b: tensor<4x5xf16>) {
  // expected-error @+1 {{all of {lhs, rhs, result} have same element type}}
  %0 = transformer.matmul %a, %b : tensor<3x4xf32>, tensor<4x5xf16> -> tensor<3x5xf32>
  return
}

// -----

func.func @linear_input_rank(%x: tensor<f32>, %w: tensor<4x4xf32>) {
  // expected-error @+2 {{'transformer.linear' expects an input of rank >= 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.linear %x, %w : tensor<f32>, tensor<4x4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @linear_weight_rank(%x: tensor<2x4xf32>, %w: tensor<4xf32>) {
  // expected-error @+2 {{expects a weight of rank 2 ([out_features, in_features])}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.linear %x, %w : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @linear_features(%x: tensor<2x768xf32>, %w: tensor<3072x512xf32>) {
  // expected-error @+2 {{input features (768) differ from the weight's in_features (512)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.linear %x, %w : tensor<2x768xf32>, tensor<3072x512xf32> -> tensor<2x3072xf32>
  return
}

// -----

func.func @linear_bias(%x: tensor<2x768xf32>, %w: tensor<3072x768xf32>, %b: tensor<768xf32>) {
  // expected-error @+2 {{expects a bias of shape [3072], got 'tensor<768xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.linear %x, %w, %b : tensor<2x768xf32>, tensor<3072x768xf32>, tensor<768xf32> -> tensor<2x3072xf32>
  return
}

// -----

func.func @softmax_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{axis 2 is out of range [-2, 2)}}
  %0 = transformer.softmax %x {axis = 2 : i64} : tensor<2x3xf32>
  return
}

// -----

func.func @log_softmax_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{axis -3 is out of range [-2, 2)}}
  %0 = transformer.log_softmax %x {axis = -3 : i64} : tensor<2x3xf32>
  return
}

// -----

func.func @softmax_int(%x: tensor<2x3xi32>) {
  // expected-error @+1 {{must be ranked tensor of floating-point values}}
  %0 = transformer.softmax %x : tensor<2x3xi32>
  return
}

// -----

func.func @layer_norm_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{axis 2 is out of range [-2, 2)}}
  %0 = transformer.layer_norm %x {axis = 2 : i64} : tensor<2x3xf32>
  return
}

// -----

func.func @layer_norm_scale_type(%x: tensor<2x3xf32>, %g: tensor<3xf16>) {
  // expected-error @+1 {{scale and bias must have the input's element type 'f32', got 'tensor<3xf16>'}}
  %0 = transformer.layer_norm %x scale %g : tensor<3xf16> : tensor<2x3xf32>
  return
}

// -----

func.func @layer_norm_scale_shape(%x: tensor<2x768xf32>, %g: tensor<512xf32>) {
  // expected-error @+1 {{scale and bias must broadcast to the normalized dims [768], got 'tensor<512xf32>'}}
  %0 = transformer.layer_norm %x scale %g : tensor<512xf32> : tensor<2x768xf32>
  return
}

// -----

func.func @layer_norm_bias_rank(%x: tensor<2x768xf32>, %b: tensor<2x768xf32>) {
  // Normalizing over the last axis only: a rank-2 bias is too many dims.
  // expected-error @+1 {{scale and bias must broadcast to the normalized dims [768], got 'tensor<2x768xf32>'}}
  %0 = transformer.layer_norm %x bias %b : tensor<2x768xf32> : tensor<2x768xf32>
  return
}

// -----

func.func @rms_norm_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{axis -3 is out of range [-2, 2)}}
  %0 = transformer.rms_norm %x {axis = -3 : i64} : tensor<2x3xf32>
  return
}

// -----

func.func @rms_norm_scale(%x: tensor<?x?x4096xf32>, %g: tensor<4095xf32>) {
  // expected-error @+1 {{scale and bias must broadcast to the normalized dims [4096], got 'tensor<4095xf32>'}}
  %0 = transformer.rms_norm %x scale %g : tensor<4095xf32> : tensor<?x?x4096xf32>
  return
}

// -----

func.func @gelu_result(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{expected ::mlir::llm::transformer::GeluApproximation to be one of: erf, tanh}}
  // expected-error @+1 {{failed to parse Transformer_GeluApproximationAttr parameter 'value'}}
  %0 = transformer.gelu %x approximation = fast : tensor<2x3xf32>
  return
}

// -----

func.func @rotary_rank(%x: tensor<8xf32>, %c: tensor<4xf32>) {
  // expected-error @+1 {{expects an input of rank >= 2, got 'tensor<8xf32>'}}
  %0 = transformer.rotary_embedding %x, %c, %c : tensor<8xf32>, tensor<4xf32>
  return
}

// -----

func.func @rotary_table_rank(%x: tensor<2x8xf32>, %c: tensor<f32>) {
  // expected-error @+1 {{expects cos/sin tables of rank >= 1}}
  %0 = transformer.rotary_embedding %x, %c, %c : tensor<2x8xf32>, tensor<f32>
  return
}

// -----

func.func @rotary_table_type(%x: tensor<2x8xf32>, %c: tensor<2x4xf16>) {
  // expected-error @+1 {{cos/sin must have the input's element type 'f32', got 'tensor<2x4xf16>'}}
  %0 = transformer.rotary_embedding %x, %c, %c : tensor<2x8xf32>, tensor<2x4xf16>
  return
}

// -----

func.func @rotary_cos_sin_types(%x: tensor<2x8xf32>, %c: tensor<2x4xf32>, %s: tensor<1x4xf32>) {
  // expected-error @+1 {{'transformer.rotary_embedding' op failed to verify that all of {cos, sin} have same type}}
  %0 = "transformer.rotary_embedding"(%x, %c, %s) : (tensor<2x8xf32>, tensor<2x4xf32>, tensor<1x4xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @rotary_dim_odd(%x: tensor<2x8xf32>, %c: tensor<2x4xf32>) {
  // expected-error @+1 {{rotary_dim must be positive and even, got 3}}
  %0 = transformer.rotary_embedding %x, %c, %c {rotary_dim = 3 : i64} : tensor<2x8xf32>, tensor<2x4xf32>
  return
}

// -----

func.func @rotary_dim_too_big(%x: tensor<2x8xf32>, %c: tensor<2x8xf32>) {
  // expected-error @+1 {{rotary_dim 16 exceeds the last dim 8}}
  %0 = transformer.rotary_embedding %x, %c, %c {rotary_dim = 16 : i64} : tensor<2x8xf32>, tensor<2x8xf32>
  return
}

// -----

func.func @rotary_odd_head_dim(%x: tensor<2x7xf32>, %c: tensor<2x3xf32>) {
  // expected-error @+1 {{the rotated last dim must be even, got 7}}
  %0 = transformer.rotary_embedding %x, %c, %c : tensor<2x7xf32>, tensor<2x3xf32>
  return
}

// -----

func.func @rotary_table_width(%x: tensor<2x8xf32>, %c: tensor<2x8xf32>) {
  // Tables hold one value per rotated pair: 8 / 2 = 4, not 8.
  // expected-error @+1 {{cos/sin last dim must be rotary_dim / 2 = 4, got 8}}
  %0 = transformer.rotary_embedding %x, %c, %c : tensor<2x8xf32>, tensor<2x8xf32>
  return
}

// -----

func.func @rotary_table_broadcast(%x: tensor<1x2x16x8xf32>, %c: tensor<32x4xf32>) {
  // expected-error @+1 {{cos/sin leading dims must broadcast to the input's leading dims}}
  %0 = transformer.rotary_embedding %x, %c, %c : tensor<1x2x16x8xf32>, tensor<32x4xf32>
  return
}

// -----

func.func @attention_rank(%q: tensor<2x16x64xf32>) {
  // expected-error @+1 {{'transformer.attention' expects query, key and value of rank 4 ([batch, heads, seq, head_dim])}}
  %0 = transformer.attention %q, %q, %q : tensor<2x16x64xf32>, tensor<2x16x64xf32>, tensor<2x16x64xf32> -> tensor<2x16x64xf32>
  return
}

// -----

func.func @attention_past_key_only(%q: tensor<1x2x3x8xf32>, %p: tensor<1x2x5x8xf32>) {
  // expected-error @+1 {{'transformer.attention' expects both past_key and past_value or neither}}
  %0:3 = "transformer.attention"(%q, %q, %q, %p) {operandSegmentSizes = array<i32: 1, 1, 1, 0, 1, 0>}
      : (tensor<1x2x3x8xf32>, tensor<1x2x3x8xf32>, tensor<1x2x3x8xf32>, tensor<1x2x5x8xf32>)
      -> (tensor<1x2x3x8xf32>, tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>)
  return
}

// -----

func.func @attention_past_rank(%q: tensor<1x2x3x8xf32>, %p: tensor<2x5x8xf32>) {
  // expected-error @+1 {{expects past_key and past_value of rank 4}}
  %0:3 = transformer.attention %q, %q, %q past(%p, %p : tensor<2x5x8xf32>, tensor<2x5x8xf32>)
      : tensor<1x2x3x8xf32>, tensor<1x2x3x8xf32>, tensor<1x2x3x8xf32> -> tensor<1x2x3x8xf32>, tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>
  return
}

// -----

func.func @attention_element_type(%q: tensor<1x2x3x8xf32>, %k: tensor<1x2x3x8xf16>) {
  // expected-error @+1 {{query, key, value and past operands must have the same element type 'f32', got 'tensor<1x2x3x8xf16>'}}
  %0 = transformer.attention %q, %k, %k : tensor<1x2x3x8xf32>, tensor<1x2x3x8xf16>, tensor<1x2x3x8xf16> -> tensor<1x2x3x8xf32>
  return
}

// -----

func.func @attention_batch(%q: tensor<1x2x3x8xf32>, %k: tensor<2x2x3x8xf32>) {
  // expected-error @+1 {{batch sizes of query, key and value differ: 1 vs 2}}
  %0 = transformer.attention %q, %k, %k : tensor<1x2x3x8xf32>, tensor<2x2x3x8xf32>, tensor<2x2x3x8xf32> -> tensor<1x2x3x8xf32>
  return
}

// -----

func.func @attention_head_dim(%q: tensor<1x2x3x8xf32>, %k: tensor<1x2x3x16xf32>) {
  // expected-error @+1 {{head dims of query and key differ: 8 vs 16}}
  %0 = transformer.attention %q, %k, %k : tensor<1x2x3x8xf32>, tensor<1x2x3x16xf32>, tensor<1x2x3x16xf32> -> tensor<1x2x3x16xf32>
  return
}

// -----

func.func @attention_kv_heads(%q: tensor<1x4x3x8xf32>, %k: tensor<1x2x3x8xf32>, %v: tensor<1x4x3x8xf32>) {
  // expected-error @+1 {{KV head counts of key and value differ: 2 vs 4}}
  %0 = transformer.attention %q, %k, %v : tensor<1x4x3x8xf32>, tensor<1x2x3x8xf32>, tensor<1x4x3x8xf32> -> tensor<1x4x3x8xf32>
  return
}

// -----

func.func @attention_kv_seq(%q: tensor<1x2x3x8xf32>, %k: tensor<1x2x5x8xf32>, %v: tensor<1x2x6x8xf32>) {
  // expected-error @+1 {{sequence lengths of key and value differ: 5 vs 6}}
  %0 = transformer.attention %q, %k, %v : tensor<1x2x3x8xf32>, tensor<1x2x5x8xf32>, tensor<1x2x6x8xf32> -> tensor<1x2x3x8xf32>
  return
}

// -----

func.func @attention_num_kv_heads_zero(%q: tensor<1x4x3x8xf32>, %k: tensor<1x?x3x8xf32>) {
  // expected-error @+1 {{num_kv_heads must be positive, got 0}}
  %0 = transformer.attention %q, %k, %k {num_kv_heads = 0 : i64} : tensor<1x4x3x8xf32>, tensor<1x?x3x8xf32>, tensor<1x?x3x8xf32> -> tensor<1x4x3x8xf32>
  return
}

// -----

func.func @attention_num_kv_heads_mismatch(%q: tensor<1x4x3x8xf32>, %k: tensor<1x2x3x8xf32>) {
  // expected-error @+1 {{num_kv_heads 1 differs from the key's head count 2}}
  %0 = transformer.attention %q, %k, %k {num_kv_heads = 1 : i64} : tensor<1x4x3x8xf32>, tensor<1x2x3x8xf32>, tensor<1x2x3x8xf32> -> tensor<1x4x3x8xf32>
  return
}

// -----

func.func @attention_gqa_multiple(%q: tensor<1x6x3x8xf32>, %k: tensor<1x4x3x8xf32>) {
  // expected-error @+1 {{query heads (6) must be a multiple of KV heads (4)}}
  %0 = transformer.attention %q, %k, %k : tensor<1x6x3x8xf32>, tensor<1x4x3x8xf32>, tensor<1x4x3x8xf32> -> tensor<1x6x3x8xf32>
  return
}

// -----

func.func @attention_gqa_multiple_attr(%q: tensor<1x6x3x8xf32>, %k: tensor<1x?x3x8xf32>) {
  // expected-error @+1 {{query heads (6) must be a multiple of KV heads (4)}}
  %0 = transformer.attention %q, %k, %k {num_kv_heads = 4 : i64} : tensor<1x6x3x8xf32>, tensor<1x?x3x8xf32>, tensor<1x?x3x8xf32> -> tensor<1x6x3x8xf32>
  return
}

// -----

func.func @attention_past_heads(%q: tensor<1x2x1x8xf32>, %p: tensor<1x4x5x8xf32>) {
  // expected-error @+1 {{past_key/past_value batch and head dims must match the key's}}
  %0:3 = transformer.attention %q, %q, %q past(%p, %p : tensor<1x4x5x8xf32>, tensor<1x4x5x8xf32>)
      : tensor<1x2x1x8xf32>, tensor<1x2x1x8xf32>, tensor<1x2x1x8xf32> -> tensor<1x2x1x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32>
  return
}

// -----

func.func @attention_past_head_dim(%q: tensor<1x2x1x8xf32>, %pk: tensor<1x2x5x16xf32>, %pv: tensor<1x2x5x8xf32>) {
  // expected-error @+1 {{past_key/past_value head dims must match key and value}}
  %0:3 = transformer.attention %q, %q, %q past(%pk, %pv : tensor<1x2x5x16xf32>, tensor<1x2x5x8xf32>)
      : tensor<1x2x1x8xf32>, tensor<1x2x1x8xf32>, tensor<1x2x1x8xf32> -> tensor<1x2x1x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32>
  return
}

// -----

func.func @attention_past_seq(%q: tensor<1x2x1x8xf32>, %pk: tensor<1x2x5x8xf32>, %pv: tensor<1x2x4x8xf32>) {
  // expected-error @+1 {{past sequence lengths of past_key and past_value differ: 5 vs 4}}
  %0:3 = transformer.attention %q, %q, %q past(%pk, %pv : tensor<1x2x5x8xf32>, tensor<1x2x4x8xf32>)
      : tensor<1x2x1x8xf32>, tensor<1x2x1x8xf32>, tensor<1x2x1x8xf32> -> tensor<1x2x1x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32>
  return
}

// -----

func.func @attention_mask_type(%q: tensor<1x2x3x8xf32>, %m: tensor<3x3xi32>) {
  // expected-error @+1 {{mask must be i1 or have the query's element type 'f32', got 'tensor<3x3xi32>'}}
  %0 = transformer.attention %q, %q, %q mask(%m : tensor<3x3xi32>) : tensor<1x2x3x8xf32>, tensor<1x2x3x8xf32>, tensor<1x2x3x8xf32> -> tensor<1x2x3x8xf32>
  return
}

// -----

func.func @attention_mask_shape(%q: tensor<1x2x3x8xf32>, %k: tensor<1x2x5x8xf32>, %m: tensor<3x3xf32>) {
  // Scores are [1, 2, 3, 5]: a 3x3 mask does not cover the 5 keys.
  // expected-error @+1 {{mask 'tensor<3x3xf32>' does not broadcast to the scores shape [1, 2, 3, 5]}}
  %0 = transformer.attention %q, %k, %k mask(%m : tensor<3x3xf32>) : tensor<1x2x3x8xf32>, tensor<1x2x5x8xf32>, tensor<1x2x5x8xf32> -> tensor<1x2x3x8xf32>
  return
}

// -----

func.func @attention_mask_with_cache(%q: tensor<1x2x1x8xf32>, %p: tensor<1x2x5x8xf32>, %m: tensor<1x1x1x5xf32>) {
  // With 5 cached positions and 1 new one, the mask must cover 6 keys.
  // expected-error @+1 {{does not broadcast to the scores shape [1, 2, 1, 6]}}
  %0:3 = transformer.attention %q, %q, %q mask(%m : tensor<1x1x1x5xf32>) past(%p, %p : tensor<1x2x5x8xf32>, tensor<1x2x5x8xf32>)
      : tensor<1x2x1x8xf32>, tensor<1x2x1x8xf32>, tensor<1x2x1x8xf32> -> tensor<1x2x1x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32>
  return
}

// -----

func.func @attention_scale(%q: tensor<1x2x3x8xf32>) {
  // expected-error @+1 {{scale must be positive and finite, got -1}}
  %0 = transformer.attention %q, %q, %q {scale = -1.0 : f32} : tensor<1x2x3x8xf32>, tensor<1x2x3x8xf32>, tensor<1x2x3x8xf32> -> tensor<1x2x3x8xf32>
  return
}

// -----

func.func @attention_wrong_present(%q: tensor<1x2x1x8xf32>, %p: tensor<1x2x5x8xf32>) {
  // The present cache holds 5 + 1 = 6 positions, not 5.
  // expected-error @+2 {{inferred type(s) 'tensor<1x2x1x8xf32>', 'tensor<1x2x6x8xf32>', 'tensor<1x2x6x8xf32>' are incompatible with return type(s) of operation 'tensor<1x2x1x8xf32>', 'tensor<1x2x5x8xf32>', 'tensor<1x2x5x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:3 = transformer.attention %q, %q, %q past(%p, %p : tensor<1x2x5x8xf32>, tensor<1x2x5x8xf32>)
      : tensor<1x2x1x8xf32>, tensor<1x2x1x8xf32>, tensor<1x2x1x8xf32> -> tensor<1x2x1x8xf32>, tensor<1x2x5x8xf32>, tensor<1x2x5x8xf32>
  return
}

// -----

func.func @embedding_table_rank(%t: tensor<10x4x2xf32>, %i: tensor<3xi64>) {
  // expected-error @+2 {{'transformer.embedding' expects a table of rank 2 ([vocab, dim])}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.embedding %t[%i] : tensor<10x4x2xf32>, tensor<3xi64> -> tensor<3x4xf32>
  return
}

// -----

func.func @embedding_float_indices(%t: tensor<10x4xf32>, %i: tensor<3xf32>) {
  // expected-error @+1 {{operand #1 must be ranked tensor of}}
  %0 = transformer.embedding %t[%i] : tensor<10x4xf32>, tensor<3xf32> -> tensor<3x4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// quant ops (TransformerQuantOps.td)
//===----------------------------------------------------------------------===//

// Every verifier and type-inference error of the quantization ops.

//===----------------------------------------------------------------------===//
// quantize / dequantize
//===----------------------------------------------------------------------===//

func.func @quantize_negative_block_size(%x: tensor<4x64xf32>, %s: tensor<4x2xf32>) {
  // expected-error @+1 {{'transformer.quantize' expects block_size >= 0, got -32}}
  %0 = transformer.quantize %x, %s {block_size = -32} : tensor<4x64xf32>, tensor<4x2xf32> -> tensor<4x64xi8>
  return
}

// -----

func.func @quantize_rank2_scale_without_block(%x: tensor<4x64xf32>, %s: tensor<4x2xf32>) {
  // expected-error @+1 {{'transformer.quantize' expects a scale of rank 0 or 1 (per-tensor or per-axis) without block_size, got 'tensor<4x2xf32>'}}
  %0 = transformer.quantize %x, %s : tensor<4x64xf32>, tensor<4x2xf32> -> tensor<4x64xi8>
  return
}

// -----

func.func @quantize_per_axis_axis_range(%x: tensor<4x64xf32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'transformer.quantize' per-axis quantization expects axis in [-2, 2), got 2}}
  %0 = transformer.quantize %x, %s {axis = 2} : tensor<4x64xf32>, tensor<4xf32> -> tensor<4x64xi8>
  return
}

// -----

func.func @quantize_per_axis_default_axis_scalar_input(%x: tensor<f32>, %s: tensor<4xf32>) {
  // The default axis 1 is out of range for a rank-0 input with a per-axis scale.
  // expected-error @+1 {{'transformer.quantize' per-axis quantization expects axis in [0, 0), got 1}}
  %0 = transformer.quantize %x, %s : tensor<f32>, tensor<4xf32> -> tensor<i8>
  return
}

// -----

func.func @quantize_per_axis_length(%x: tensor<4x64xf32>, %s: tensor<4xf32>) {
  // The default axis is 1 (64 elements), not 0.
  // expected-error @+1 {{'transformer.quantize' per-axis quantization expects a scale of [64] (input dim 1), got 'tensor<4xf32>'}}
  %0 = transformer.quantize %x, %s : tensor<4x64xf32>, tensor<4xf32> -> tensor<4x64xi8>
  return
}

// -----

func.func @dequantize_per_axis_length(%q: tensor<?x3072xi32>, %s: tensor<768xf32>) {
  // expected-error @+1 {{'transformer.dequantize' per-axis quantization expects a scale of [3072] (input dim 1), got 'tensor<768xf32>'}}
  %0 = transformer.dequantize %q, %s {axis = -1} : tensor<?x3072xi32>, tensor<768xf32> -> tensor<?x3072xf32>
  return
}

// -----

func.func @quantize_blocked_rank(%x: tensor<4x64xf32>, %s: tensor<2xf32>) {
  // expected-error @+1 {{'transformer.quantize' blocked quantization expects a scale of the input's rank 2, got 'tensor<2xf32>'}}
  %0 = transformer.quantize %x, %s {block_size = 32} : tensor<4x64xf32>, tensor<2xf32> -> tensor<4x64xi4>
  return
}

// -----

func.func @quantize_blocked_axis_range(%x: tensor<4x64xf32>, %s: tensor<4x2xf32>) {
  // expected-error @+1 {{'transformer.quantize' blocked quantization expects axis in [-2, 2), got -3}}
  %0 = transformer.quantize %x, %s {axis = -3, block_size = 32} : tensor<4x64xf32>, tensor<4x2xf32> -> tensor<4x64xi4>
  return
}

// -----

func.func @quantize_blocked_block_count(%x: tensor<4x100xf32>, %s: tensor<4x3xf32>) {
  // ceil(100 / 32) = 4 blocks, not 3.
  // expected-error @+1 {{'transformer.quantize' blocked quantization expects a scale of [4, 4] (input [4, 100] with ceil(dim / 32) along axis 1), got 'tensor<4x3xf32>'}}
  %0 = transformer.quantize %x, %s {block_size = 32} : tensor<4x100xf32>, tensor<4x3xf32> -> tensor<4x100xi4>
  return
}

// -----

func.func @dequantize_blocked_other_dim(%q: tensor<?x64xui4>, %s: tensor<8x2xf16>) {
  // Along axis 0 with blocks of 32: the scale is [ceil(? / 32), 64] = [?, 64].
  // expected-error @+1 {{'transformer.dequantize' blocked quantization expects a scale of [?, 64] (input [?, 64] with ceil(dim / 32) along axis 0), got 'tensor<8x2xf16>'}}
  %0 = transformer.dequantize %q, %s {axis = 0, block_size = 32} : tensor<?x64xui4>, tensor<8x2xf16> -> tensor<?x64xf16>
  return
}

// -----

func.func @quantize_zero_point_shape(%x: tensor<4x64xf32>, %s: tensor<4xf32>, %zp: tensor<ui8>) {
  // expected-error @+1 {{'transformer.quantize' expects a zero_point of the scale's shape [4], got 'tensor<ui8>'}}
  %0 = transformer.quantize %x, %s zero_point(%zp : tensor<ui8>) {axis = 0} : tensor<4x64xf32>, tensor<4xf32> -> tensor<4x64xui8>
  return
}

// -----

func.func @quantize_zero_point_type(%x: tensor<4x64xf32>, %s: tensor<f32>, %zp: tensor<i8>) {
  // expected-error @+1 {{'transformer.quantize' expects zero_point element type 'ui8' (the quantized type), got 'i8'}}
  %0 = transformer.quantize %x, %s zero_point(%zp : tensor<i8>) : tensor<4x64xf32>, tensor<f32> -> tensor<4x64xui8>
  return
}

// -----

func.func @dequantize_zero_point_type(%q: tensor<4x64xui4>, %s: tensor<4x2xf32>, %zp: tensor<4x2xi4>) {
  // expected-error @+1 {{'transformer.dequantize' expects zero_point element type 'ui4' (the quantized type), got 'i4'}}
  %0 = transformer.dequantize %q, %s zero_point(%zp : tensor<4x2xi4>) {block_size = 32} : tensor<4x64xui4>, tensor<4x2xf32> -> tensor<4x64xf32>
  return
}

// -----

func.func @quantize_result_shape(%x: tensor<?x64xf32>, %s: tensor<f32>) {
  // expected-error @+1 {{'transformer.quantize' op expects a result of shape [?, 64] (the input's), got 'tensor<4x64xi8>'}}
  %0 = transformer.quantize %x, %s : tensor<?x64xf32>, tensor<f32> -> tensor<4x64xi8>
  return
}

// -----

func.func @dequantize_result_shape(%q: tensor<4x64xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'transformer.dequantize' op expects a result of shape [4, 64] (the input's), got 'tensor<64x4xf32>'}}
  %0 = transformer.dequantize %q, %s : tensor<4x64xi8>, tensor<f32> -> tensor<64x4xf32>
  return
}

// -----

func.func @quantize_float_result(%x: tensor<4xf32>, %s: tensor<f32>) {
  // expected-error @+1 {{result #0 must be ranked tensor of 8-bit signless integer or 8-bit unsigned integer or 8-bit signed integer or 4-bit signless integer or 4-bit unsigned integer or 4-bit signed integer values}}
  %0 = transformer.quantize %x, %s : tensor<4xf32>, tensor<f32> -> tensor<4xf16>
  return
}

// -----

func.func @dequantize_integer_result(%q: tensor<4xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{result #0 must be ranked tensor of floating-point values}}
  %0 = transformer.dequantize %q, %s : tensor<4xi8>, tensor<f32> -> tensor<4xi32>
  return
}

// -----

func.func @quantize_integer_scale(%x: tensor<4xf32>, %s: tensor<i32>) {
  // expected-error @+1 {{operand #1 must be ranked tensor of floating-point values}}
  %0 = transformer.quantize %x, %s : tensor<4xf32>, tensor<i32> -> tensor<4xi8>
  return
}

// -----

//===----------------------------------------------------------------------===//
// dynamic_quantize
//===----------------------------------------------------------------------===//

func.func @dynamic_quantize_axis_range(%x: tensor<?x768xf32>) {
  // expected-error @+1 {{'transformer.dynamic_quantize' per-row quantization expects axis in [-2, 2), got 2}}
  %q, %s = transformer.dynamic_quantize %x {axis = 2} : tensor<?x768xf32> -> tensor<?x768xi8>, tensor<?x1xf32>
  return
}

// -----

func.func @dynamic_quantize_output_shape(%x: tensor<?x768xf32>) {
  // expected-error @+1 {{'transformer.dynamic_quantize' op expects an output of shape [?, 768] (the input's), got 'tensor<4x768xi8>'}}
  %q, %s = transformer.dynamic_quantize %x : tensor<?x768xf32> -> tensor<4x768xi8>, tensor<f32>
  return
}

// -----

func.func @dynamic_quantize_per_tensor_scale(%x: tensor<?x768xf32>) {
  // ONNX's per-tensor scale is a rank-0 tensor.
  // expected-error @+1 {{'transformer.dynamic_quantize' op expects a scale of shape [] (per-tensor), got 'tensor<1xf32>'}}
  %q, %s = transformer.dynamic_quantize %x : tensor<?x768xf32> -> tensor<?x768xi8>, tensor<1xf32>
  return
}

// -----

func.func @dynamic_quantize_per_row_scale(%x: tensor<?x?x768xf32>) {
  // expected-error @+1 {{'transformer.dynamic_quantize' op expects a scale of shape [?, ?, 1] (per-row), got 'tensor<?x?xf32>'}}
  %q, %s = transformer.dynamic_quantize %x {axis = -1} : tensor<?x?x768xf32> -> tensor<?x?x768xi8>, tensor<?x?xf32>
  return
}

// -----

func.func @dynamic_quantize_missing_zero_point(%x: tensor<?x768xf32>) {
  // expected-error @+1 {{'transformer.dynamic_quantize' op expects a zero_point result for the unsigned (asymmetric) output type 'ui8'}}
  %q, %s = transformer.dynamic_quantize %x : tensor<?x768xf32> -> tensor<?x768xui8>, tensor<f32>
  return
}

// -----

func.func @dynamic_quantize_extra_zero_point(%x: tensor<?x768xf32>) {
  // expected-error @+1 {{'transformer.dynamic_quantize' op expects no zero_point result for the signed (symmetric) output type 'i8'}}
  %q, %s, %zp = transformer.dynamic_quantize %x : tensor<?x768xf32> -> tensor<?x768xi8>, tensor<f32>, tensor<i8>
  return
}

// -----

func.func @dynamic_quantize_zero_point_type(%x: tensor<?x768xf32>) {
  // expected-error @+1 {{'transformer.dynamic_quantize' op expects zero_point element type 'ui8' (the output's), got 'i8'}}
  %q, %s, %zp = transformer.dynamic_quantize %x : tensor<?x768xf32> -> tensor<?x768xui8>, tensor<f32>, tensor<i8>
  return
}

// -----

func.func @dynamic_quantize_zero_point_shape(%x: tensor<?x768xf32>) {
  // expected-error @+1 {{'transformer.dynamic_quantize' op expects a zero_point of shape [?, 1] (the scale's), got 'tensor<ui8>'}}
  %q, %s, %zp = transformer.dynamic_quantize %x {axis = 1} : tensor<?x768xf32> -> tensor<?x768xui8>, tensor<?x1xf32>, tensor<ui8>
  return
}

// -----

func.func @dynamic_quantize_int4(%x: tensor<?x768xf32>) {
  // expected-error @+1 {{result #0 must be ranked tensor of 8-bit signless integer or 8-bit unsigned integer or 8-bit signed integer values}}
  %q, %s = transformer.dynamic_quantize %x : tensor<?x768xf32> -> tensor<?x768xi4>, tensor<f32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// quantized_matmul
//===----------------------------------------------------------------------===//

func.func @quantized_matmul_rank_a(%a: tensor<768xi8>, %b: tensor<768x8xi8>) {
  // expected-error @+2 {{'transformer.quantized_matmul' expects a of rank >= 2, got 'tensor<768xi8>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_matmul %a, %b : tensor<768xi8>, tensor<768x8xi8> -> tensor<8xi32>
  return
}

// -----

func.func @quantized_matmul_rank_b(%a: tensor<4x768xi8>, %b: tensor<768xi8>) {
  // expected-error @+2 {{'transformer.quantized_matmul' expects b of rank >= 2, got 'tensor<768xi8>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_matmul %a, %b : tensor<4x768xi8>, tensor<768xi8> -> tensor<4xi32>
  return
}

// -----

func.func @quantized_matmul_contraction(%a: tensor<?x768xi8>, %b: tensor<512x8xi8>) {
  // expected-error @+2 {{'transformer.quantized_matmul' expects the contraction dims to match: a is 'tensor<?x768xi8>', b is 'tensor<512x8xi8>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_matmul %a, %b : tensor<?x768xi8>, tensor<512x8xi8> -> tensor<?x8xi32>
  return
}

// -----

func.func @quantized_matmul_batch(%a: tensor<2x4x8xi8>, %b: tensor<3x8x5xi8>) {
  // expected-error @+2 {{'transformer.quantized_matmul' batch dims [2] of a and [3] of b are not broadcast-compatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_matmul %a, %b : tensor<2x4x8xi8>, tensor<3x8x5xi8> -> tensor<2x4x5xi32>
  return
}

// -----

func.func @quantized_matmul_a_zero_point_type(%a: tensor<4x8xui8>, %b: tensor<8x5xi8>, %zp: tensor<i8>) {
  // expected-error @+2 {{'transformer.quantized_matmul' expects a_zero_point element type 'ui8' (its operand's), got 'i8'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_matmul %a, %b a_zero_point(%zp : tensor<i8>) : tensor<4x8xui8>, tensor<8x5xi8> -> tensor<4x5xi32>
  return
}

// -----

func.func @quantized_matmul_b_zero_point_type(%a: tensor<4x8xui8>, %b: tensor<8x5xi8>, %zp: tensor<5xsi8>) {
  // expected-error @+2 {{'transformer.quantized_matmul' expects b_zero_point element type 'i8' (its operand's), got 'si8'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_matmul %a, %b b_zero_point(%zp : tensor<5xsi8>) : tensor<4x8xui8>, tensor<8x5xi8> -> tensor<4x5xi32>
  return
}

// -----

func.func @quantized_matmul_a_zero_point_shape(%a: tensor<?x4x8xui8>, %b: tensor<8x5xi8>, %zp: tensor<?x1x4xui8>) {
  // expected-error @+2 {{'transformer.quantized_matmul' expects a_zero_point per-tensor ([] or [1]) or per-row of a ([4] or [?, 4, 1]), got 'tensor<?x1x4xui8>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_matmul %a, %b a_zero_point(%zp : tensor<?x1x4xui8>) : tensor<?x4x8xui8>, tensor<8x5xi8> -> tensor<?x4x5xi32>
  return
}

// -----

func.func @quantized_matmul_b_zero_point_shape(%a: tensor<4x8xui8>, %b: tensor<8x5xi8>, %zp: tensor<8xi8>) {
  // Per-column means N (5) zero points, not K (8).
  // expected-error @+2 {{'transformer.quantized_matmul' expects b_zero_point per-tensor ([] or [1]) or per-column of b ([5] or [1, 5]), got 'tensor<8xi8>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_matmul %a, %b b_zero_point(%zp : tensor<8xi8>) : tensor<4x8xui8>, tensor<8x5xi8> -> tensor<4x5xi32>
  return
}

// -----

func.func @quantized_matmul_result_type(%a: tensor<4x8xi8>, %b: tensor<8x5xi8>) {
  // expected-error @+2 {{'transformer.quantized_matmul' op inferred type(s) 'tensor<4x5xi32>' are incompatible with return type(s) of operation 'tensor<5x4xi32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_matmul %a, %b : tensor<4x8xi8>, tensor<8x5xi8> -> tensor<5x4xi32>
  return
}

// -----

func.func @quantized_matmul_int4(%a: tensor<4x8xi4>, %b: tensor<8x5xi8>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 8-bit signless integer or 8-bit unsigned integer or 8-bit signed integer values}}
  %0 = transformer.quantized_matmul %a, %b : tensor<4x8xi4>, tensor<8x5xi8> -> tensor<4x5xi32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// quantized_linear
//===----------------------------------------------------------------------===//

func.func @quantized_linear_group_size(%x: tensor<?x64xf32>, %w: tensor<8x64xi4>, %s: tensor<8x2xf32>) {
  // expected-error @+2 {{'transformer.quantized_linear' expects group_size > 0, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_linear %x, %w, %s {group_size = 0} : tensor<?x64xf32>, tensor<8x64xi4>, tensor<8x2xf32> -> tensor<?x8xf32>
  return
}

// -----

func.func @quantized_linear_input_rank(%x: tensor<f32>, %w: tensor<8x64xi8>, %s: tensor<8xf32>) {
  // expected-error @+2 {{'transformer.quantized_linear' expects an input of rank >= 1, got 'tensor<f32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_linear %x, %w, %s : tensor<f32>, tensor<8x64xi8>, tensor<8xf32> -> tensor<8xf32>
  return
}

// -----

func.func @quantized_linear_weight_rank(%x: tensor<?x64xf32>, %w: tensor<2x8x64xi8>, %s: tensor<8xf32>) {
  // expected-error @+2 {{'transformer.quantized_linear' expects a weight of rank 2 ([N, K]), got 'tensor<2x8x64xi8>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_linear %x, %w, %s : tensor<?x64xf32>, tensor<2x8x64xi8>, tensor<8xf32> -> tensor<?x8xf32>
  return
}

// -----

func.func @quantized_linear_k(%x: tensor<?x64xf32>, %w: tensor<64x8xi8>, %s: tensor<64xf32>) {
  // The weight is [N, K] (transposed), so K = 8 here.
  // expected-error @+2 {{'transformer.quantized_linear' expects the weight's K ([8]) to match the input's last dim ([64])}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_linear %x, %w, %s : tensor<?x64xf32>, tensor<64x8xi8>, tensor<64xf32> -> tensor<?x64xf32>
  return
}

// -----

func.func @quantized_linear_per_channel_scale(%x: tensor<?x64xf32>, %w: tensor<8x64xi8>, %s: tensor<64xf32>) {
  // expected-error @+2 {{'transformer.quantized_linear' expects a scale of [8] ([N], per output channel, without group_size), got 'tensor<64xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_linear %x, %w, %s : tensor<?x64xf32>, tensor<8x64xi8>, tensor<64xf32> -> tensor<?x8xf32>
  return
}

// -----

func.func @quantized_linear_group_scale(%x: tensor<?x100xf32>, %w: tensor<8x100xi4>, %s: tensor<8x3xf32>) {
  // ceil(100 / 32) = 4 groups.
  // expected-error @+2 {{'transformer.quantized_linear' expects a scale of [8, 4] ([N, ceil(K / group_size)], per group), got 'tensor<8x3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_linear %x, %w, %s {group_size = 32} : tensor<?x100xf32>, tensor<8x100xi4>, tensor<8x3xf32> -> tensor<?x8xf32>
  return
}

// -----

func.func @quantized_linear_zero_point_shape(%x: tensor<?x64xf32>, %w: tensor<8x64xui4>, %s: tensor<8x2xf32>, %zp: tensor<8xui4>) {
  // expected-error @+2 {{'transformer.quantized_linear' expects a zero_point of the scale's shape [8, 2], got 'tensor<8xui4>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_linear %x, %w, %s zero_point(%zp : tensor<8xui4>) {group_size = 32} : tensor<?x64xf32>, tensor<8x64xui4>, tensor<8x2xf32> -> tensor<?x8xf32>
  return
}

// -----

func.func @quantized_linear_zero_point_type(%x: tensor<?x64xf32>, %w: tensor<8x64xui4>, %s: tensor<8x2xf32>, %zp: tensor<8x2xui8>) {
  // expected-error @+2 {{'transformer.quantized_linear' expects zero_point element type 'ui4' (the weight's), got 'ui8'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_linear %x, %w, %s zero_point(%zp : tensor<8x2xui8>) {group_size = 32} : tensor<?x64xf32>, tensor<8x64xui4>, tensor<8x2xf32> -> tensor<?x8xf32>
  return
}

// -----

func.func @quantized_linear_bias_shape(%x: tensor<?x64xf32>, %w: tensor<8x64xi8>, %s: tensor<8xf32>, %b: tensor<64xf32>) {
  // expected-error @+2 {{'transformer.quantized_linear' expects a bias of [8] ([N]), got 'tensor<64xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_linear %x, %w, %s bias(%b : tensor<64xf32>) : tensor<?x64xf32>, tensor<8x64xi8>, tensor<8xf32> -> tensor<?x8xf32>
  return
}

// -----

func.func @quantized_linear_bias_type(%x: tensor<?x64xf32>, %w: tensor<8x64xi8>, %s: tensor<8xf32>, %b: tensor<8xf16>) {
  // expected-error @+2 {{'transformer.quantized_linear' expects bias element type 'f32' (the input's), got 'f16'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_linear %x, %w, %s bias(%b : tensor<8xf16>) : tensor<?x64xf32>, tensor<8x64xi8>, tensor<8xf32> -> tensor<?x8xf32>
  return
}

// -----

func.func @quantized_linear_result_type(%x: tensor<?x64xf16>, %w: tensor<8x64xi8>, %s: tensor<8xf32>) {
  // The result has the input's element type.
  // expected-error @+2 {{'transformer.quantized_linear' op inferred type(s) 'tensor<?x8xf16>' are incompatible with return type(s) of operation 'tensor<?x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.quantized_linear %x, %w, %s : tensor<?x64xf16>, tensor<8x64xi8>, tensor<8xf32> -> tensor<?x8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// indexing ops (TransformerIndexingOps.td)

func.func @gather_elements_rank(%x: tensor<3x4xf32>, %i: tensor<3xi64>) {
  // expected-error @+2 {{'transformer.gather_elements' expects indices of the data's rank (2), got rank 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.gather_elements %x, %i : tensor<3x4xf32>, tensor<3xi64> -> tensor<3xf32>
  return
}

// -----

func.func @gather_elements_dim(%x: tensor<3x4xf32>, %i: tensor<5x2xi64>) {
  // expected-error @+2 {{'transformer.gather_elements' indices dim 0 (5) exceeds the data's (3)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.gather_elements %x, %i {axis = 1} : tensor<3x4xf32>, tensor<5x2xi64> -> tensor<5x2xf32>
  return
}

// -----

func.func @gather_elements_axis(%x: tensor<3x4xf32>, %i: tensor<3x2xi64>) {
  // expected-error @+2 {{'transformer.gather_elements' expects axis in [-2, 2), got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.gather_elements %x, %i {axis = 2} : tensor<3x4xf32>, tensor<3x2xi64> -> tensor<3x2xf32>
  return
}

// -----

func.func @gather_elements_result(%x: tensor<3x4xf32>, %i: tensor<3x2xi64>) {
  // expected-error @+2 {{'transformer.gather_elements' op inferred type(s) 'tensor<3x2xf32>' are incompatible with return type(s) of operation 'tensor<3x4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.gather_elements %x, %i {axis = 1} : tensor<3x4xf32>, tensor<3x2xi64> -> tensor<3x4xf32>
  return
}

// -----

func.func @scatter_nd_reduction(%d: tensor<4xf32>, %i: tensor<2x1xi64>, %u: tensor<2xf32>) {
  // expected-error @+2 {{'transformer.scatter_nd' expects reduction none, add, mul, max or min, got 'sum'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.scatter_nd %d, %i, %u {reduction = "sum"} : tensor<4xf32>, tensor<2x1xi64>, tensor<2xf32> -> tensor<4xf32>
  return
}

// -----

func.func @scatter_nd_bool_reduction(%d: tensor<4xi1>, %i: tensor<2x1xi64>, %u: tensor<2xi1>) {
  // expected-error @+2 {{'transformer.scatter_nd' reduction 'add' is not defined on i1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.scatter_nd %d, %i, %u {reduction = "add"} : tensor<4xi1>, tensor<2x1xi64>, tensor<2xi1> -> tensor<4xi1>
  return
}

// -----

func.func @scatter_nd_dynamic_index_length(%d: tensor<4xf32>, %i: tensor<2x?xi64>, %u: tensor<2xf32>) {
  // expected-error @+2 {{'transformer.scatter_nd' expects a static last dim of indices (the index length)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.scatter_nd %d, %i, %u : tensor<4xf32>, tensor<2x?xi64>, tensor<2xf32> -> tensor<4xf32>
  return
}

// -----

func.func @scatter_nd_index_length(%d: tensor<4xf32>, %i: tensor<2x2xi64>, %u: tensor<2xf32>) {
  // expected-error @+2 {{'transformer.scatter_nd' expects an index length in [1, 1], got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.scatter_nd %d, %i, %u : tensor<4xf32>, tensor<2x2xi64>, tensor<2xf32> -> tensor<4xf32>
  return
}

// -----

func.func @scatter_nd_scalar_indices(%d: tensor<4xf32>, %i: tensor<i64>, %u: tensor<f32>) {
  // expected-error @+2 {{'transformer.scatter_nd' expects indices of rank >= 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.scatter_nd %d, %i, %u : tensor<4xf32>, tensor<i64>, tensor<f32> -> tensor<4xf32>
  return
}

// -----

func.func @scatter_nd_updates_rank(%d: tensor<4x3xf32>, %i: tensor<2x1xi64>, %u: tensor<2xf32>) {
  // expected-error @+2 {{'transformer.scatter_nd' expects updates of rank 2 (indices.shape[:-1] + data.shape[1:]), got rank 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.scatter_nd %d, %i, %u : tensor<4x3xf32>, tensor<2x1xi64>, tensor<2xf32> -> tensor<4x3xf32>
  return
}

// -----

func.func @scatter_nd_updates_dim(%d: tensor<4x3xf32>, %i: tensor<2x1xi64>, %u: tensor<2x5xf32>) {
  // expected-error @+2 {{'transformer.scatter_nd' updates dim 1 is 5, expected 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.scatter_nd %d, %i, %u : tensor<4x3xf32>, tensor<2x1xi64>, tensor<2x5xf32> -> tensor<4x3xf32>
  return
}

// -----

func.func @scatter_nd_element_types(%d: tensor<4xf32>, %i: tensor<2x1xi64>, %u: tensor<2xf16>) {
  // expected-error @+1 {{'transformer.scatter_nd' op failed to verify that all of {data, updates} have same element type}}
  %0 = transformer.scatter_nd %d, %i, %u : tensor<4xf32>, tensor<2x1xi64>, tensor<2xf16> -> tensor<4xf32>
  return
}

// -----

func.func @cumsum_bool(%x: tensor<4xi1>) {
  // expected-error @+2 {{'transformer.cumsum' is not defined on i1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.cumsum %x {axis = 0} : tensor<4xi1> -> tensor<4xi1>
  return
}

// -----

func.func @cumsum_scalar(%x: tensor<f32>) {
  // expected-error @+2 {{'transformer.cumsum' expects an input of rank >= 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.cumsum %x {axis = 0} : tensor<f32> -> tensor<f32>
  return
}

// -----

func.func @cumsum_axis(%x: tensor<4x2xf32>) {
  // expected-error @+2 {{'transformer.cumsum' expects axis in [-2, 2), got -3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = transformer.cumsum %x {axis = -3} : tensor<4x2xf32> -> tensor<4x2xf32>
  return
}
