//===- TransformerQuantOpsTest.cpp - C++ API tests of the quantization ops ===//
//
// Builds the quantization ops through the C++ API (`OpTy::create`), as the
// ONNX importer and the quantization passes do, and checks the inferred
// result types (with dynamic dims), the verifier on built ops, and the
// inference errors that only C++ callers can reach (unranked operands).
//
//===----------------------------------------------------------------------===//

#include "Transformer/IR/TransformerOps.h"
#include "llm/InitAll.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <gtest/gtest.h>

#include <string>

using namespace mlir;
using namespace mlir::llm;

namespace {

class TransformerQuantOpsTest : public ::testing::Test {
protected:
  TransformerQuantOpsTest() {
    DialectRegistry registry;
    registerAllDialects(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
  }

  /// A block argument of `type` to build ops on.
  Value argument(Type type) {
    return block.addArgument(type, UnknownLoc::get(&context));
  }

  RankedTensorType tensor(ArrayRef<int64_t> shape, Type elementType) {
    return RankedTensorType::get(shape, elementType);
  }

  MLIRContext context;
  Block block;
  OpBuilder b{&context};
  Location loc = b.getUnknownLoc();
  Type f32 = b.getF32Type();
  Type f16 = b.getF16Type();
  Type i8 = b.getIntegerType(8);
  Type ui8 = b.getIntegerType(8, /*isSigned=*/false);
  Type i4 = b.getIntegerType(4);
  Type ui4 = b.getIntegerType(4, /*isSigned=*/false);
  Type i32 = b.getI32Type();
  static constexpr int64_t dyn = ShapedType::kDynamic;
};

TEST_F(TransformerQuantOpsTest, QuantizePerAxisKeepsInputShape) {
  Value w = argument(tensor({3072, 768}, f32));
  Value scale = argument(tensor({3072}, f32));
  auto q = transformer::QuantizeOp::create(b, loc, w, scale, i8, Value(),
                                           /*axis=*/0);
  EXPECT_EQ(q.getType(), tensor({3072, 768}, i8));
  EXPECT_EQ(static_cast<int64_t>(q.getAxis()), 0);
  EXPECT_EQ(q.getBlockSize(), 0u);
  EXPECT_TRUE(succeeded(verify(q)));
  q->destroy();
}

TEST_F(TransformerQuantOpsTest, QuantizeDequantizeBlockedRoundTrip) {
  // int4 group-wise: groups of 32 along K, f16 scales, ui4 zero points.
  Value w = argument(tensor({dyn, 768}, f32));
  Value scale = argument(tensor({dyn, 24}, f16));
  Value zp = argument(tensor({dyn, 24}, ui4));
  auto q = transformer::QuantizeOp::create(b, loc, w, scale, ui4, zp,
                                           /*axis=*/-1, /*blockSize=*/32);
  EXPECT_EQ(q.getType(), tensor({dyn, 768}, ui4));
  EXPECT_EQ(static_cast<int64_t>(q.getAxis()), -1);
  EXPECT_TRUE(succeeded(verify(q)));

  auto dq = transformer::DequantizeOp::create(b, loc, q, scale, f16, zp,
                                              /*axis=*/1, /*blockSize=*/32);
  EXPECT_EQ(dq.getType(), tensor({dyn, 768}, f16));
  EXPECT_TRUE(succeeded(verify(dq)));

  // The shape interface gives the input's shape; the zero point fixes the
  // quantized element type, the float type is left to the writer.
  SmallVector<ShapedTypeComponents> shapes;
  ASSERT_TRUE(succeeded(transformer::QuantizeOp::inferReturnTypeComponents(
      &context, loc, transformer::QuantizeOp::Adaptor(q), shapes)));
  ASSERT_EQ(shapes.size(), 1u);
  EXPECT_EQ(shapes[0].getDims(), ArrayRef<int64_t>({dyn, 768}));
  EXPECT_EQ(shapes[0].getElementType(), ui4);
  shapes.clear();
  ASSERT_TRUE(succeeded(transformer::DequantizeOp::inferReturnTypeComponents(
      &context, loc, transformer::DequantizeOp::Adaptor(dq), shapes)));
  ASSERT_EQ(shapes.size(), 1u);
  EXPECT_EQ(shapes[0].getDims(), ArrayRef<int64_t>({dyn, 768}));
  EXPECT_FALSE(shapes[0].getElementType());
  dq->destroy();
  q->destroy();
}

TEST_F(TransformerQuantOpsTest, QuantizeVerifierRejectsBadBlockedScale) {
  Value w = argument(tensor({8, 100}, f32));
  Value scale = argument(tensor({8, 3}, f32)); // needs ceil(100 / 32) = 4
  auto q = transformer::QuantizeOp::create(b, loc, w, scale, i4, Value(),
                                           /*axis=*/1, /*blockSize=*/32);
  std::string message;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    message = diag.str();
    return success();
  });
  EXPECT_TRUE(failed(verify(q)));
  EXPECT_NE(message.find("expects a scale of [8, 4]"), std::string::npos)
      << message;
  q->destroy();
}

TEST_F(TransformerQuantOpsTest, DynamicQuantizeBuildsResultsPerScheme) {
  Value x = argument(tensor({dyn, dyn, 768}, f32));
  // Per-tensor asymmetric (ONNX DynamicQuantizeLinear): three results.
  auto perTensor = transformer::DynamicQuantizeOp::create(b, loc, x, ui8);
  ASSERT_EQ(perTensor->getNumResults(), 3u);
  EXPECT_EQ(perTensor.getOutput().getType(), tensor({dyn, dyn, 768}, ui8));
  EXPECT_EQ(perTensor.getScale().getType(), tensor({}, f32));
  EXPECT_EQ(perTensor.getZeroPoint().getType(), tensor({}, ui8));
  EXPECT_TRUE(succeeded(verify(perTensor)));
  // Per-token symmetric: no zero point, scale [?, ?, 1].
  auto perRow = transformer::DynamicQuantizeOp::create(b, loc, x, i8, -1);
  ASSERT_EQ(perRow->getNumResults(), 2u);
  EXPECT_FALSE(perRow.getZeroPoint());
  EXPECT_EQ(perRow.getScale().getType(), tensor({dyn, dyn, 1}, f32));
  EXPECT_TRUE(succeeded(verify(perRow)));
  perTensor->destroy();
  perRow->destroy();
}

TEST_F(TransformerQuantOpsTest, QuantizedMatmulInfersBroadcastI32) {
  Value a = argument(tensor({dyn, 1, dyn, 768}, ui8));
  Value w = argument(tensor({12, 768, 64}, i8));
  Value azp = argument(tensor({dyn, 1, dyn, 1}, ui8));
  auto mm = transformer::QuantizedMatmulOp::create(b, loc, a, w, azp, Value());
  EXPECT_EQ(mm.getType(), tensor({dyn, 12, dyn, 64}, i32));
  EXPECT_TRUE(succeeded(verify(mm)));
  mm->destroy();
}

TEST_F(TransformerQuantOpsTest, QuantizedLinearInfersResultType) {
  // int8-weight: per-output-channel scales, no group size.
  Value x = argument(tensor({dyn, dyn, 768}, f32));
  Value w8 = argument(tensor({3072, 768}, i8));
  Value s8 = argument(tensor({3072}, f32));
  auto perChannel = transformer::QuantizedLinearOp::create(b, loc, x, w8, s8);
  EXPECT_EQ(perChannel.getType(), tensor({dyn, dyn, 3072}, f32));
  EXPECT_FALSE(perChannel.getGroupSize());
  EXPECT_TRUE(succeeded(verify(perChannel)));

  // int4-weight: groups of 128, f16 x and scales, zero points and bias.
  Value xh = argument(tensor({dyn, 4096}, f16));
  Value w4 = argument(tensor({11008, 4096}, ui4));
  Value s4 = argument(tensor({11008, 32}, f16));
  Value zp = argument(tensor({11008, 32}, ui4));
  Value bias = argument(tensor({11008}, f16));
  auto perGroup = transformer::QuantizedLinearOp::create(b, loc, xh, w4, s4,
                                                         zp, bias, 128);
  EXPECT_EQ(perGroup.getType(), tensor({dyn, 11008}, f16));
  EXPECT_EQ(perGroup.getGroupSize(), std::optional<uint64_t>(128));
  EXPECT_TRUE(succeeded(verify(perGroup)));

  // N comes from the scale when the weight's dims are dynamic.
  Value wd = argument(tensor({dyn, dyn}, i4));
  Value sd = argument(tensor({512, 6}, f32));
  Value xd = argument(tensor({2, 768}, f32));
  auto refined = transformer::QuantizedLinearOp::create(b, loc, xd, wd, sd,
                                                        Value(), Value(), 128);
  EXPECT_EQ(refined.getType(), tensor({2, 512}, f32));
  EXPECT_TRUE(succeeded(verify(refined)));
  perChannel->destroy();
  perGroup->destroy();
  refined->destroy();
}

/// Inference errors only C++ callers can reach: the parser and the ODS
/// constraints never let an unranked tensor through.
TEST_F(TransformerQuantOpsTest, InferenceRejectsUnrankedOperands) {
  std::vector<std::string> messages;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    messages.push_back(diag.str());
    return success();
  });
  Value unranked = argument(UnrankedTensorType::get(f32));
  Value unrankedQ = argument(UnrankedTensorType::get(i8));
  Value scale = argument(tensor({}, f32));
  Value w = argument(tensor({8, 8}, i8));
  Value x = argument(tensor({2, 8}, f32));

  SmallVector<ShapedTypeComponents> shapes;
  using Q = transformer::QuantizeOp;
  using DQ = transformer::DequantizeOp;
  using DynQ = transformer::DynamicQuantizeOp;
  EXPECT_TRUE(failed(Q::inferReturnTypeComponents(
      &context, loc, Q::Adaptor(ValueRange{unranked, scale}), shapes)));
  EXPECT_TRUE(failed(DQ::inferReturnTypeComponents(
      &context, loc, DQ::Adaptor(ValueRange{unrankedQ, scale}), shapes)));
  EXPECT_TRUE(failed(DynQ::inferReturnTypeComponents(
      &context, loc, DynQ::Adaptor(ValueRange{unranked}), shapes)));

  SmallVector<Type> types;
  using MM = transformer::QuantizedMatmulOp;
  using QL = transformer::QuantizedLinearOp;
  MM::Properties mmProps;
  mmProps.operandSegmentSizes = {1, 1, 0, 0};
  EXPECT_TRUE(failed(MM::inferReturnTypes(
      &context, loc, MM::Adaptor(ValueRange{unrankedQ, w}, nullptr, mmProps),
      types)));
  QL::Properties qlProps;
  qlProps.operandSegmentSizes = {1, 1, 1, 0, 0};
  EXPECT_TRUE(failed(QL::inferReturnTypes(
      &context, loc,
      QL::Adaptor(ValueRange{x, w, unranked}, nullptr, qlProps), types)));

  ASSERT_EQ(messages.size(), 5u);
  EXPECT_EQ(messages[0], "'transformer.quantize' expects a ranked input");
  EXPECT_EQ(messages[1], "'transformer.dequantize' expects a ranked input");
  EXPECT_EQ(messages[2],
            "'transformer.dynamic_quantize' expects a ranked input");
  EXPECT_EQ(messages[3],
            "'transformer.quantized_matmul' expects ranked tensors");
  EXPECT_EQ(messages[4],
            "'transformer.quantized_linear' expects ranked tensors");
}

} // namespace
