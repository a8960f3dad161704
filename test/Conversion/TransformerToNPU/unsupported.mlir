// RUN: not llm-opt %s --convert-transformer-to-npu 2>&1 | FileCheck %s
// RUN: not llm-opt %S/Inputs/relu64.mlir --convert-transformer-to-npu="dram-limit=4096" 2>&1 | FileCheck %s --check-prefix=DRAM
// Every op without an NPU lowering is reported, naming its ONNX node, before
// the pass fails (not just the first one); a program larger than the DRAM
// limit is an error naming the sizes.

// CHECK: error: NPU: no lowering for transformer.erf (ONNX node 'my_erf', onnx.Erf)
// CHECK: error: NPU: no lowering for transformer.log (ONNX node 'my_log', onnx.Log)
// CHECK-NOT: error

// DRAM: error: NPU: the model does not fit DRAM: it needs 49152 bytes (data segment 16384, arguments 32768), the limit is 4096 (dram-limit)

#file = loc("m.onnx":0:0)
func.func @unsupported(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %e = transformer.erf %x : tensor<4x8xf32> loc("my_erf"(fused<"onnx.Erf">[#file]))
  %l = transformer.log %e : tensor<4x8xf32> loc("my_log"(fused<"onnx.Log">[#file]))
  return %l : tensor<4x8xf32>
}
