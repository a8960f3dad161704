// RUN: llm-opt %s -split-input-file -verify-diagnostics

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
