// Constants of signed/unsigned integers (ONNX uint8 zero points) lower to a
// signless arith.constant of the same bits plus an elementwise generic that
// casts to the declared type: arith takes signless integers only, and
// folding an element out of a `tensor<ui8>` constant (elementwise fusion of
// a splat, tensor.extract) would make an invalid `arith.constant 128 : ui8`.
// RUN: llm-opt %s --convert-transformer-to-linalg --split-input-file | FileCheck %s
// After fusion the splat is a signless scalar in the consumer's body and
// the ui8 casts cancel; the whole CPU pipeline compiles it.
// RUN: llm-opt %s --convert-transformer-to-linalg --linalg-fuse-elementwise-ops --canonicalize --split-input-file | FileCheck %s --check-prefix=FUSED
// RUN: llm-opt %s --llm-cpu-pipeline --split-input-file | FileCheck %s --check-prefix=LLVM

// CHECK-DAG: [[SCALAR:#map[0-9]*]] = affine_map<() -> ()>
// CHECK-LABEL: func.func @ui8_splat
// 128 as i8 bits is -128.
// CHECK: [[BITS:%.+]] = arith.constant dense<-128> : tensor<i8>
// CHECK: [[E:%.+]] = tensor.empty() : tensor<ui8>
// CHECK: [[ZP:%.+]] = linalg.generic {indexing_maps = [[[SCALAR]], [[SCALAR]]], iterator_types = []} ins([[BITS]] : tensor<i8>) outs([[E]] : tensor<ui8>)
// CHECK-NEXT: ^bb0([[IN:%.+]]: i8, {{%.+}}: ui8):
// CHECK-NEXT: [[U:%.+]] = builtin.unrealized_conversion_cast [[IN]] : i8 to ui8
// CHECK-NEXT: linalg.yield [[U]] : ui8
// The quantize generic reads the zero point as its signless bits (the
// quantization lowerings take constant zero points that way, QuantToLinalg
// signlessConstant; the body extends them by the op's element type).
// CHECK: [[ZPBITS:%.+]] = arith.constant dense<-128> : tensor<i8>
// CHECK: linalg.generic {{.*}} ins({{.*}}, [[ZPBITS]] : {{.*}}, tensor<i8>)
// CHECK: arith.uitofp {{%.+}} : i8 to f32

// One generic is left, with no ui8 value anywhere: the zero point is folded
// to the constant 128 (as f32 for quantize, i32 for dequantize).
// FUSED-LABEL: func.func @ui8_splat
// FUSED-NOT: ui8
// FUSED-DAG: arith.constant 128 : i32
// FUSED-DAG: arith.constant 1.280000e+02 : f32
// FUSED: linalg.generic
// FUSED-NOT: ui8
// FUSED-NOT: linalg.generic
// FUSED: return

// LLVM-LABEL: llvm.func @ui8_splat
// LLVM-NOT: ui8
// LLVM-LABEL: llvm.func @_mlir_ciface_ui8_splat
func.func @ui8_splat(%x: tensor<4xf32>) -> tensor<4xf32> {
  %s = transformer.constant dense<0.5> : tensor<f32>
  %zp = transformer.constant dense<128> : tensor<ui8>
  %q = transformer.quantize %x, %s zero_point(%zp : tensor<ui8>) : tensor<4xf32>, tensor<f32> -> tensor<4xui8>
  %d = transformer.dequantize %q, %s zero_point(%zp : tensor<ui8>) : tensor<4xui8>, tensor<f32> -> tensor<4xf32>
  return %d : tensor<4xf32>
}

// -----

// Non-splat data and other signedness take the same route; signless
// constants (and dense_resource blobs) stay plain arith.constants.
// CHECK-LABEL: func.func @integer_data
// CHECK-DAG: [[I:%.+]] = arith.constant dense<[1, -1]> : tensor<2xi8>
// CHECK-DAG: [[UBITS:%.+]] = arith.constant dense<[0, 1, -1]> : tensor<3xi8>
// CHECK: [[U:%.+]] = linalg.generic {{.*}} ins([[UBITS]] : tensor<3xi8>) outs({{%.+}} : tensor<3xui8>)
// CHECK: unrealized_conversion_cast {{%.+}} : i8 to ui8
// CHECK: [[SBITS:%.+]] = arith.constant dense<[-5, 7]> : tensor<2xi32>
// CHECK: [[S:%.+]] = linalg.generic {{.*}} ins([[SBITS]] : tensor<2xi32>) outs({{%.+}} : tensor<2xsi32>)
// CHECK: unrealized_conversion_cast {{%.+}} : i32 to si32
// CHECK: return [[I]], [[U]], [[S]]
// LLVM-LABEL: llvm.func @integer_data
func.func @integer_data() -> (tensor<2xi8>, tensor<3xui8>, tensor<2xsi32>) {
  %i = transformer.constant dense<[1, -1]> : tensor<2xi8>
  %u = transformer.constant dense<[0, 1, 255]> : tensor<3xui8>
  %s = transformer.constant dense<[-5, 7]> : tensor<2xsi32>
  return %i, %u, %s : tensor<2xi8>, tensor<3xui8>, tensor<2xsi32>
}
