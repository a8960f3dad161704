// Every error the shape ops' verifiers and type inference emit.
// RUN: llm-opt %s -split-input-file -verify-diagnostics

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
