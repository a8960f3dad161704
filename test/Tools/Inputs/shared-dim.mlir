// Two inputs sharing the symbolic dim `n` (as the ONNX importer records it in
// onnx.dim_params), for llm-run's input checks.
func.func @main(%a: tensor<?x4xf32> {onnx.name = "a", onnx.dim_params = ["n", ""]},
                %c: tensor<?x4xf32> {onnx.name = "c", onnx.dim_params = ["n", ""]}) -> tensor<?x4xf32> {
  %0 = transformer.add %a, %c : tensor<?x4xf32>, tensor<?x4xf32> -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}
