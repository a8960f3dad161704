func.func @too_large(%x: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %r = transformer.relu %x : tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}
