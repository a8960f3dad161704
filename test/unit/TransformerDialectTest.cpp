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

} // namespace
