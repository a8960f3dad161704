//===- GPUKernelLaunchTest.cpp - the kernel setup of the GPU lowerings -----===//
//
// Builds kernels with GPUCommon/KernelLaunch.h as convert-transformer-to-gpu
// and convert-transformer-norms-to-gpu do and checks what the passes rely
// on: the kernel's name after its function, a gpu.module of its own whose
// name the kernel takes (renamed on a clash), the gpu.kernel attribute and
// known block size, the container-module attribute, the body followed by
// gpu.return, and a launch whose block size is the kernel's.
//
//===----------------------------------------------------------------------===//

#include "llm/Conversion/GPUCommon/KernelArith.h"
#include "llm/Conversion/GPUCommon/KernelLaunch.h"
#include "llm/InitAll.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/IR/Verifier.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::llm;

namespace {

class GPUKernelLaunchTest : public ::testing::Test {
protected:
  GPUKernelLaunchTest() {
    DialectRegistry registry;
    registerAllDialects(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
    module = ModuleOp::create(b, loc);
    b.setInsertionPointToEnd(module->getBody());
    func = func::FuncOp::create(b, loc, "model",
                                b.getFunctionType({b.getIndexType()}, {}));
    b.setInsertionPointToStart(func.addEntryBlock());
  }

  /// A kernel named after `anchor` taking one index, with `threads`
  /// threads; its body is one gpu.barrier.
  gpu::GPUFuncOp kernel(SymbolTable &symbols, Operation *anchor,
                        int64_t threads) {
    return createKernel(b, loc, symbols, kernelName(anchor, "softmax"),
                        TypeRange{b.getIndexType()}, TypeRange{}, threads,
                        [&](gpu::GPUFuncOp) { gpu::BarrierOp::create(b, loc); });
  }

  MLIRContext context;
  OpBuilder b{&context};
  Location loc = UnknownLoc::get(&context);
  OwningOpRef<ModuleOp> module;
  func::FuncOp func;
};

TEST_F(GPUKernelLaunchTest, KernelFloatTypes) {
  EXPECT_TRUE(isKernelFloat(b.getF16Type()));
  EXPECT_TRUE(isKernelFloat(b.getBF16Type()));
  EXPECT_TRUE(isKernelFloat(b.getF32Type()));
  EXPECT_FALSE(isKernelFloat(b.getF64Type()));
  EXPECT_FALSE(isKernelFloat(b.getI32Type()));
  EXPECT_FALSE(isKernelFloat(b.getIndexType()));
}

TEST_F(GPUKernelLaunchTest, KernelNamedAfterItsFunction) {
  Value arg = func.getArgument(0);
  Operation *inside = arith::AddIOp::create(b, loc, arg, arg);
  EXPECT_EQ(kernelName(inside, "attention"), "model_attention");
  // Outside a function: "llm".
  EXPECT_EQ(kernelName(func, "layer_norm"), "llm_layer_norm");
}

TEST_F(GPUKernelLaunchTest, ModulePerKernelRenamedOnClash) {
  Value arg = func.getArgument(0);
  Operation *anchor = arith::AddIOp::create(b, loc, arg, arg);
  SymbolTable symbols(*module);
  Block *hostBlock = b.getInsertionBlock();
  Block::iterator hostPoint = b.getInsertionPoint();
  gpu::GPUFuncOp first = kernel(symbols, anchor, 128);
  gpu::GPUFuncOp second = kernel(symbols, anchor, 256);
  // The host insertion point is kept.
  EXPECT_EQ(b.getInsertionBlock(), hostBlock);
  EXPECT_EQ(b.getInsertionPoint(), hostPoint);

  auto firstModule = first->getParentOfType<gpu::GPUModuleOp>();
  auto secondModule = second->getParentOfType<gpu::GPUModuleOp>();
  ASSERT_TRUE(firstModule && secondModule);
  EXPECT_TRUE(firstModule != secondModule);
  EXPECT_EQ(firstModule.getName().str(), "model_softmax");
  EXPECT_NE(secondModule.getName().str(), "model_softmax");
  EXPECT_EQ(first.getName().str(), firstModule.getName().str());
  EXPECT_EQ(second.getName().str(), secondModule.getName().str());
  EXPECT_EQ(firstModule->getParentOp(), module->getOperation());
  EXPECT_TRUE(
      (*module)->hasAttr(gpu::GPUDialect::getContainerModuleAttrName()));

  EXPECT_TRUE(first.isKernel());
  ASSERT_TRUE(first.getKnownBlockSize().has_value());
  EXPECT_EQ(SmallVector<int32_t>(*first.getKnownBlockSize()),
            SmallVector<int32_t>({128, 1, 1}));
  EXPECT_EQ(SmallVector<int32_t>(*second.getKnownBlockSize()),
            SmallVector<int32_t>({256, 1, 1}));
  // The body, then gpu.return.
  Block &entry = first.getBody().front();
  ASSERT_EQ(entry.getOperations().size(), 2u);
  EXPECT_TRUE(isa<gpu::BarrierOp>(entry.front()));
  EXPECT_TRUE(isa<gpu::ReturnOp>(entry.back()));
  func::ReturnOp::create(b, loc);
  EXPECT_TRUE(succeeded(verify(*module)));
}

TEST_F(GPUKernelLaunchTest, LaunchUsesTheKernelsBlockSize) {
  Value arg = func.getArgument(0);
  SymbolTable symbols(*module);
  gpu::GPUFuncOp k = kernel(symbols, func, 96);
  KernelArith ops(b, loc);
  Value blocks = ops.ceilDivU(arg, 4);
  launchKernel(b, loc, k, {blocks, ops.index(1), ops.index(1)},
               ValueRange{arg});
  func::ReturnOp::create(b, loc);

  gpu::LaunchFuncOp launch;
  func.walk([&](gpu::LaunchFuncOp op) { launch = op; });
  ASSERT_TRUE(launch);
  EXPECT_EQ(getConstantIntValue(launch.getBlockSizeX()).value_or(-1), 96);
  EXPECT_EQ(getConstantIntValue(launch.getBlockSizeY()).value_or(-1), 1);
  EXPECT_EQ(getConstantIntValue(launch.getBlockSizeZ()).value_or(-1), 1);
  EXPECT_TRUE(launch.getGridSizeX() == blocks);
  EXPECT_EQ(launch.getKernelName().getValue().str(), k.getName().str());
  ASSERT_EQ(launch.getKernelOperands().size(), 1u);
  EXPECT_TRUE(launch.getKernelOperands()[0] == arg);
  EXPECT_TRUE(succeeded(verify(*module)));
}

} // namespace
