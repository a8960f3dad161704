//===- TransformerReifyTest.cpp - result-shape reification from C++ -------===//
//
// Calls `reifyResultShapes` (ReifyRankedShapedTypeOpInterface) on ops built
// through the C++ API, as the CPU lowering does to size its `tensor.empty`
// destinations, and checks what it returns: static dims as index attributes,
// dynamic ones as `tensor.dim` of the right operand and dim, run-time
// broadcasting of two dynamic batch dims (`d1 == 1 ? d2 : d1`), and the
// KV-cache length `P + Skv` of attention's present results.
//
//===----------------------------------------------------------------------===//

#include "Transformer/IR/TransformerOps.h"
#include "llm/InitAll.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"

#include <gtest/gtest.h>

#include <memory>

using namespace mlir;
using namespace mlir::llm;

namespace {

class TransformerReifyTest : public ::testing::Test {
protected:
  TransformerReifyTest() {
    DialectRegistry registry;
    registerAllDialects(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
    b.setInsertionPointToEnd(block.get());
  }

  /// A block argument of shape `shape` (f32) to build ops on.
  Value argument(ArrayRef<int64_t> shape, Type elementType = {}) {
    return block->addArgument(
        RankedTensorType::get(shape, elementType ? elementType : f32), loc);
  }

  /// True when `size` is the static size `expected` (an attribute).
  static bool isStatic(OpFoldResult size, int64_t expected) {
    return isa<Attribute>(size) && getConstantIntValue(size) == expected;
  }

  /// True when `size` is `tensor.dim source, dim`.
  static bool isDimOf(OpFoldResult size, Value source, int64_t dim) {
    auto value = dyn_cast<Value>(size);
    auto dimOp = value ? value.getDefiningOp<tensor::DimOp>() : nullptr;
    return dimOp && dimOp.getSource() == source &&
           dimOp.getConstantIndex() == dim;
  }

  MLIRContext context;
  std::unique_ptr<Block> block = std::make_unique<Block>();
  OpBuilder b{&context};
  Location loc = b.getUnknownLoc();
  Type f32 = b.getF32Type();
  static constexpr int64_t dyn = ShapedType::kDynamic;
};

TEST_F(TransformerReifyTest, MatmulBroadcastsBatchDims) {
  // [?, 12, M, 64] @ [?, 12, 64, N]: both batch dims dynamic.
  Value lhs = argument({dyn, 12, dyn, 64});
  Value rhs = argument({dyn, 12, 64, dyn});
  auto matmul = transformer::MatmulOp::create(b, loc, lhs, rhs);
  ASSERT_EQ(matmul.getType(),
            RankedTensorType::get({dyn, 12, dyn, dyn}, f32));

  ReifiedRankedShapedTypeDims shapes;
  ASSERT_TRUE(succeeded(reifyResultShapes(b, matmul, shapes)));
  ASSERT_EQ(shapes.size(), 1u);
  ArrayRef<OpFoldResult> sizes = shapes[0];
  ASSERT_EQ(sizes.size(), 4u);

  // Batch: lhs0 == 1 ? rhs0 : lhs0.
  auto select = dyn_cast<Value>(sizes[0]).getDefiningOp<arith::SelectOp>();
  ASSERT_TRUE(select);
  EXPECT_TRUE(isDimOf(select.getTrueValue(), rhs, 0));
  EXPECT_TRUE(isDimOf(select.getFalseValue(), lhs, 0));
  auto cmp = select.getCondition().getDefiningOp<arith::CmpIOp>();
  ASSERT_TRUE(cmp);
  EXPECT_EQ(cmp.getPredicate(), arith::CmpIPredicate::eq);
  EXPECT_TRUE(isDimOf(cmp.getLhs(), lhs, 0));
  EXPECT_EQ(getConstantIntValue(cmp.getRhs()), 1);

  EXPECT_TRUE(isStatic(sizes[1], 12));
  EXPECT_TRUE(isDimOf(sizes[2], lhs, 2)); // M
  EXPECT_TRUE(isDimOf(sizes[3], rhs, 3)); // N
}

TEST_F(TransformerReifyTest, MatmulStaticOneBatchDoesNotContribute) {
  // [?, S, 768] @ [1, 768, 3072]: the rhs batch dim is a static 1, so the
  // batch is lhs's alone; N is static.
  Value lhs = argument({dyn, dyn, 768});
  Value rhs = argument({1, 768, 3072});
  auto matmul = transformer::MatmulOp::create(b, loc, lhs, rhs);

  ReifiedRankedShapedTypeDims shapes;
  ASSERT_TRUE(succeeded(reifyResultShapes(b, matmul, shapes)));
  ASSERT_EQ(shapes.size(), 1u);
  ASSERT_EQ(shapes[0].size(), 3u);
  EXPECT_TRUE(isDimOf(shapes[0][0], lhs, 0));
  EXPECT_TRUE(isDimOf(shapes[0][1], lhs, 1));
  EXPECT_TRUE(isStatic(shapes[0][2], 3072));
}

TEST_F(TransformerReifyTest, AttentionWithKVCache) {
  // GQA decode with a cache: 32 query heads, 8 KV heads, dynamic batch,
  // query length, new KV length and past length.
  Value q = argument({dyn, 32, dyn, 128});
  Value k = argument({dyn, 8, dyn, 128});
  Value v = argument({dyn, 8, dyn, 128});
  Value pastK = argument({dyn, 8, dyn, 128});
  Value pastV = argument({dyn, 8, dyn, 128});
  auto attention = transformer::AttentionOp::create(
      b, loc, q, k, v, /*mask=*/Value(), pastK, pastV, /*scale=*/FloatAttr(),
      /*causal=*/b.getUnitAttr(), b.getI64IntegerAttr(8));
  ASSERT_EQ(attention->getNumResults(), 3u);

  ReifiedRankedShapedTypeDims shapes;
  ASSERT_TRUE(succeeded(reifyResultShapes(b, attention, shapes)));
  ASSERT_EQ(shapes.size(), 3u);
  for (ArrayRef<OpFoldResult> sizes : shapes)
    ASSERT_EQ(sizes.size(), 4u);

  // output: [B, Hq, Sq, Dv] = [q0, 32, q2, 128].
  EXPECT_TRUE(isDimOf(shapes[0][0], q, 0));
  EXPECT_TRUE(isStatic(shapes[0][1], 32));
  EXPECT_TRUE(isDimOf(shapes[0][2], q, 2));
  EXPECT_TRUE(isStatic(shapes[0][3], 128));

  // present_key / present_value: [B, Hkv, P + Skv, 128], one shared sum.
  for (int result : {1, 2}) {
    ArrayRef<OpFoldResult> sizes = shapes[result];
    EXPECT_TRUE(isDimOf(sizes[0], q, 0));
    EXPECT_TRUE(isStatic(sizes[1], 8));
    auto add = dyn_cast<Value>(sizes[2]).getDefiningOp<arith::AddIOp>();
    ASSERT_TRUE(add);
    EXPECT_TRUE(isDimOf(add.getLhs(), pastK, 2));
    EXPECT_TRUE(isDimOf(add.getRhs(), k, 2));
    EXPECT_TRUE(isStatic(sizes[3], 128));
  }
  EXPECT_EQ(dyn_cast<Value>(shapes[1][2]), dyn_cast<Value>(shapes[2][2]));
}

TEST_F(TransformerReifyTest, AttentionWithStaticPastLength) {
  // A static past length P = 7 and a dynamic new length: 7 + Skv, with the
  // static side materialized as a constant.
  Value q = argument({1, 8, dyn, 64});
  Value k = argument({1, 8, dyn, 64});
  Value v = argument({1, 8, dyn, 64});
  Value pastK = argument({1, 8, 7, 64});
  Value pastV = argument({1, 8, 7, 64});
  auto attention = transformer::AttentionOp::create(
      b, loc, q, k, v, Value(), pastK, pastV, FloatAttr(), UnitAttr(),
      IntegerAttr());

  ReifiedRankedShapedTypeDims shapes;
  ASSERT_TRUE(succeeded(reifyResultShapes(b, attention, shapes)));
  ASSERT_EQ(shapes.size(), 3u);
  EXPECT_TRUE(isStatic(shapes[0][0], 1));
  EXPECT_TRUE(isDimOf(shapes[0][2], q, 2));
  auto add = dyn_cast<Value>(shapes[1][2]).getDefiningOp<arith::AddIOp>();
  ASSERT_TRUE(add);
  EXPECT_EQ(getConstantIntValue(add.getLhs()), 7);
  EXPECT_TRUE(isDimOf(add.getRhs(), k, 2));
}

TEST_F(TransformerReifyTest, AttentionWithoutCacheHasOneResult) {
  // Without past operands there are no present results: one shape only.
  Value q = argument({dyn, 12, dyn, 64});
  Value k = argument({dyn, 12, dyn, 64});
  Value v = argument({dyn, 12, dyn, 32});
  auto attention = transformer::AttentionOp::create(
      b, loc, q, k, v, Value(), Value(), Value(), FloatAttr(), UnitAttr(),
      IntegerAttr());

  ReifiedRankedShapedTypeDims shapes;
  ASSERT_TRUE(succeeded(reifyResultShapes(b, attention, shapes)));
  ASSERT_EQ(shapes.size(), 1u);
  ASSERT_EQ(shapes[0].size(), 4u);
  EXPECT_TRUE(isDimOf(shapes[0][0], q, 0));
  EXPECT_TRUE(isStatic(shapes[0][1], 12));
  EXPECT_TRUE(isDimOf(shapes[0][2], q, 2));
  EXPECT_TRUE(isStatic(shapes[0][3], 32)); // Dv from value
}

} // namespace
