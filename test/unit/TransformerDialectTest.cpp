//===- TransformerDialectTest.cpp - C++ API tests of the transformer dialect ===//
//
// Builds ops through the C++ API (as the ONNX importer does) and checks the
// inferred result types, including dynamic dims, and the folders.
//
//===----------------------------------------------------------------------===//

#include "Transformer/IR/TransformerOps.h"
#include "llm/InitAll.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mlir;
using namespace mlir::llm;

namespace {

class TransformerDialectTest : public ::testing::Test {
protected:
  TransformerDialectTest() {
    DialectRegistry registry;
    registerAllDialects(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
  }

  /// A block argument of `type` to build ops on.
  Value argument(Type type) {
    if (!block)
      block = std::make_unique<Block>();
    return block->addArgument(type, UnknownLoc::get(&context));
  }

  MLIRContext context;
  std::unique_ptr<Block> block;
};

TEST_F(TransformerDialectTest, BroadcastInfersDynamicDims) {
  OpBuilder b(&context);
  Location loc = b.getUnknownLoc();
  Type f32 = b.getF32Type();
  int64_t dyn = ShapedType::kDynamic;
  Value x = argument(RankedTensorType::get({dyn, dyn, 768}, f32));
  Value bias = argument(RankedTensorType::get({768}, f32));
  Value col = argument(RankedTensorType::get({dyn, 1, 1}, f32));
  auto add = transformer::AddOp::create(b, loc, x, bias);
  EXPECT_EQ(add.getType(), RankedTensorType::get({dyn, dyn, 768}, f32));
  // A dynamic dim against 1 stays dynamic; against a static 768 it is 768.
  auto mul = transformer::MulOp::create(b, loc, col, bias);
  EXPECT_EQ(mul.getType(), RankedTensorType::get({dyn, 1, 768}, f32));
  add->destroy();
  mul->destroy();
}

TEST_F(TransformerDialectTest, ReduceInfersKeepDims) {
  OpBuilder b(&context);
  Location loc = b.getUnknownLoc();
  Type f32 = b.getF32Type();
  int64_t dyn = ShapedType::kDynamic;
  Value x = argument(RankedTensorType::get({dyn, dyn, 768}, f32));
  auto keep = transformer::ReduceMeanOp::create(
      b, loc, x, b.getDenseI64ArrayAttr({-1}), b.getBoolAttr(true));
  EXPECT_EQ(keep.getType(), RankedTensorType::get({dyn, dyn, 1}, f32));
  auto drop = transformer::ReduceSumOp::create(
      b, loc, x, b.getDenseI64ArrayAttr({0, 2}), b.getBoolAttr(false));
  EXPECT_EQ(drop.getType(), RankedTensorType::get({dyn}, f32));
  keep->destroy();
  drop->destroy();
}

TEST_F(TransformerDialectTest, ConstantArithmeticFolds) {
  OpBuilder b(&context);
  Location loc = b.getUnknownLoc();
  auto type = RankedTensorType::get({3}, b.getI64Type());
  auto lhs = transformer::ConstantOp::create(
      b, loc, DenseElementsAttr::get(type, ArrayRef<int64_t>{2, 4, 6}));
  auto rhs = transformer::ConstantOp::create(
      b, loc, DenseElementsAttr::get(type, ArrayRef<int64_t>{1, 2, 3}));
  auto div = transformer::DivOp::create(b, loc, lhs, rhs);
  SmallVector<OpFoldResult> results;
  ASSERT_TRUE(succeeded(div->fold(results)));
  ASSERT_EQ(results.size(), 1u);
  auto folded = dyn_cast<DenseElementsAttr>(cast<Attribute>(results[0]));
  ASSERT_TRUE(folded);
  EXPECT_EQ(llvm::to_vector(folded.getValues<int64_t>()),
            (SmallVector<int64_t>{2, 2, 2}));
  div->destroy();
  lhs->destroy();
  rhs->destroy();
}

TEST_F(TransformerDialectTest, AttentionInfersKVCacheResults) {
  OpBuilder b(&context);
  Location loc = b.getUnknownLoc();
  Type f32 = b.getF32Type();
  int64_t dyn = ShapedType::kDynamic;
  // A GQA decode step: 32 query heads over 8 KV heads, 7 cached positions.
  Value q = argument(RankedTensorType::get({dyn, 32, 1, 128}, f32));
  Value k = argument(RankedTensorType::get({dyn, 8, 1, 128}, f32));
  Value v = argument(RankedTensorType::get({dyn, 8, 1, 96}, f32));
  Value pastK = argument(RankedTensorType::get({2, 8, 7, 128}, f32));
  Value pastV = argument(RankedTensorType::get({2, 8, 7, 96}, f32));
  auto attention = transformer::AttentionOp::create(
      b, loc, q, k, v, /*mask=*/Value(), pastK, pastV, /*scale=*/nullptr,
      /*causal=*/b.getUnitAttr(), /*num_kv_heads=*/b.getI64IntegerAttr(8));
  ASSERT_EQ(attention->getNumResults(), 3u);
  // The output has the query's heads and the value's head dim; the batch is
  // dynamic in q/k/v and taken from them.
  EXPECT_EQ(attention.getOutput().getType(),
            RankedTensorType::get({dyn, 32, 1, 96}, f32));
  // The present cache holds 7 + 1 positions.
  EXPECT_EQ(attention.getPresentKey().getType(),
            RankedTensorType::get({dyn, 8, 8, 128}, f32));
  EXPECT_EQ(attention.getPresentValue().getType(),
            RankedTensorType::get({dyn, 8, 8, 96}, f32));
  EXPECT_TRUE(succeeded(verify(attention)));
  // Default scale: 1/sqrt(128).
  std::optional<double> scale = attention.getEffectiveScale();
  ASSERT_TRUE(scale.has_value());
  EXPECT_DOUBLE_EQ(*scale, 1.0 / std::sqrt(128.0));
  attention->destroy();
}

TEST_F(TransformerDialectTest, AttentionWithoutCacheHasOneResult) {
  OpBuilder b(&context);
  Location loc = b.getUnknownLoc();
  Type f32 = b.getF32Type();
  int64_t dyn = ShapedType::kDynamic;
  Value q = argument(RankedTensorType::get({1, 12, dyn, 64}, f32));
  Value mask = argument(RankedTensorType::get({dyn, dyn}, b.getI1Type()));
  auto attention = transformer::AttentionOp::create(
      b, loc, q, q, q, mask, Value(), Value(), b.getF32FloatAttr(0.125f),
      nullptr, nullptr);
  EXPECT_EQ(attention->getNumResults(), 1u);
  EXPECT_FALSE(attention.getPresentKey());
  EXPECT_EQ(attention.getEffectiveScale(), std::optional<double>(0.125));
  EXPECT_TRUE(succeeded(verify(attention)));
  attention->destroy();
}

TEST_F(TransformerDialectTest, MatmulAndLinearInferShapes) {
  OpBuilder b(&context);
  Location loc = b.getUnknownLoc();
  Type f32 = b.getF32Type();
  int64_t dyn = ShapedType::kDynamic;
  Value x = argument(RankedTensorType::get({dyn, dyn, 768}, f32));
  Value w = argument(RankedTensorType::get({3072, 768}, f32));
  Value bias = argument(RankedTensorType::get({3072}, f32));
  auto linear = transformer::LinearOp::create(b, loc, x, w, bias);
  EXPECT_EQ(linear.getType(), RankedTensorType::get({dyn, dyn, 3072}, f32));
  // Batch dims [3, 1] and [7] broadcast to [3, 7].
  Value lhs = argument(RankedTensorType::get({3, 1, 4, 5}, f32));
  Value rhs = argument(RankedTensorType::get({7, 5, 6}, f32));
  auto matmul = transformer::MatmulOp::create(b, loc, lhs, rhs);
  EXPECT_EQ(matmul.getType(), RankedTensorType::get({3, 7, 4, 6}, f32));
  linear->destroy();
  matmul->destroy();
}

TEST_F(TransformerDialectTest, EmbeddingAppendsTableDim) {
  OpBuilder b(&context);
  Location loc = b.getUnknownLoc();
  int64_t dyn = ShapedType::kDynamic;
  Value table = argument(RankedTensorType::get({256, 64}, b.getF16Type()));
  Value ids = argument(RankedTensorType::get({dyn, dyn}, b.getI64Type()));
  auto embedding = transformer::EmbeddingOp::create(b, loc, table, ids);
  EXPECT_EQ(embedding.getType(),
            RankedTensorType::get({dyn, dyn, 64}, b.getF16Type()));
  embedding->destroy();
}

} // namespace
