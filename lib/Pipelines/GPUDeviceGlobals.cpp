//===- GPUDeviceGlobals.cpp - constants through their device copies -------===//
//
// llm-gpu-device-globals: in the host code of a GPU module, lowered to the
// LLVM dialect, the address of every global (a model constant the kernels
// read: weights, tables) becomes the address of its managed-memory copy,
// which our CUDA runtime makes once per process: llmCudaGlobal(address,
// bytes). See Passes.td.
//
//===----------------------------------------------------------------------===//

#include "llm/Pipelines/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/DataLayoutInterfaces.h"

namespace mlir::llm {
#define GEN_PASS_DEF_LLMGPUDEVICEGLOBALSPASS
#include "llm/Pipelines/Passes.h.inc"

namespace {

constexpr llvm::StringLiteral kGlobalFunction = "llmCudaGlobal";

struct LLMGPUDeviceGlobalsPass
    : public impl::LLMGPUDeviceGlobalsPassBase<LLMGPUDeviceGlobalsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTableCollection symbols;
    SmallVector<LLVM::AddressOfOp> addresses;
    for (auto func : module.getOps<LLVM::LLVMFuncOp>())
      func.walk([&](LLVM::AddressOfOp op) {
        if (op.getGlobal(symbols))
          addresses.push_back(op);
      });
    if (addresses.empty())
      return;

    MLIRContext *context = module.getContext();
    auto ptrType = LLVM::LLVMPointerType::get(context);
    auto i64Type = IntegerType::get(context, 64);
    auto callee = module.lookupSymbol<LLVM::LLVMFuncOp>(kGlobalFunction);
    if (!callee) {
      OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
      callee = LLVM::LLVMFuncOp::create(
          builder, module.getLoc(), kGlobalFunction,
          LLVM::LLVMFunctionType::get(ptrType, {ptrType, i64Type}));
    }
    DataLayout layout(module);
    for (LLVM::AddressOfOp address : addresses) {
      LLVM::GlobalOp global = address.getGlobal(symbols);
      uint64_t size = layout.getTypeSize(global.getGlobalType());
      OpBuilder builder(address);
      builder.setInsertionPointAfter(address);
      Location loc = address.getLoc();
      Value bytes = LLVM::ConstantOp::create(builder, loc, i64Type,
                                             builder.getI64IntegerAttr(size));
      auto call = LLVM::CallOp::create(builder, loc, callee,
                                       ValueRange{address.getRes(), bytes});
      address.getRes().replaceAllUsesExcept(call.getResult(), call);
    }
  }
};

} // namespace
} // namespace mlir::llm
