//===- KernelLaunch.cpp - kernels that replace an op, and their launch ---===//
//
// Implements KernelLaunch.h: the kernel's gpu.module / gpu.func, its launch
// and the result tensors of the hand-built norm and attention kernels.
//
//===----------------------------------------------------------------------===//

#include "llm/Conversion/GPUCommon/KernelLaunch.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

using namespace mlir;
using namespace mlir::llm;

bool llm::isKernelFloat(Type type) {
  return type.isF16() || type.isBF16() || type.isF32();
}

std::string llm::kernelName(Operation *op, StringRef suffix) {
  auto function = op->getParentOfType<FunctionOpInterface>();
  return (function ? function.getName().str() : std::string("llm")) + "_" +
         suffix.str();
}

gpu::GPUFuncOp
llm::createKernel(OpBuilder &b, Location loc, SymbolTable &moduleSymbols,
                  StringRef name, TypeRange argumentTypes,
                  TypeRange workgroupBuffers, int64_t threads,
                  function_ref<void(gpu::GPUFuncOp kernel)> buildBody) {
  OpBuilder::InsertionGuard guard(b);
  auto module = cast<ModuleOp>(moduleSymbols.getOp());
  module->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                  b.getUnitAttr());
  b.setInsertionPointToEnd(module.getBody());
  auto kernelModule = gpu::GPUModuleOp::create(b, loc, name);
  moduleSymbols.insert(kernelModule); // renames on a clash
  b.setInsertionPointToStart(kernelModule.getBody());
  auto kernel = gpu::GPUFuncOp::create(
      b, loc, kernelModule.getName(), b.getFunctionType(argumentTypes, {}),
      workgroupBuffers);
  kernel->setAttr(gpu::GPUDialect::getKernelFuncAttrName(), b.getUnitAttr());
  kernel.setKnownBlockSizeAttr(
      b.getDenseI32ArrayAttr({static_cast<int32_t>(threads), 1, 1}));
  b.setInsertionPointToStart(&kernel.getBody().front());
  buildBody(kernel);
  gpu::ReturnOp::create(b, loc);
  return kernel;
}

void llm::launchKernel(OpBuilder &b, Location loc, gpu::GPUFuncOp kernel,
                       const gpu::KernelDim3 &grid, ValueRange operands) {
  ArrayRef<int32_t> size = *kernel.getKnownBlockSize();
  auto c = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  gpu::KernelDim3 block{c(size[0]), c(size[1]), c(size[2])};
  gpu::LaunchFuncOp::create(b, loc, kernel, grid, block,
                            /*dynamicSharedMemorySize=*/Value(), operands);
}

Value llm::kernelResult(OpBuilder &b, Location loc, TensorType type,
                        Value buffer) {
  return bufferization::ToTensorOp::create(b, loc, type, buffer,
                                           /*restrict=*/true,
                                           /*writable=*/true);
}
