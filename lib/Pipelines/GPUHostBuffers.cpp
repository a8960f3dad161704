//===- GPUHostBuffers.cpp - managed buffers for GPU host code -------------===//
//
// llm-gpu-host-buffers: the host functions of a module the NVPTX pipeline
// compiled allocate with memref.alloc (malloc) and pass those buffers and
// the caller's inputs to kernels. Every buffer the host code allocates
// becomes managed memory (gpu.alloc host_shared -> mgpuMemAlloc), which the
// kernels and the host code's own loops and copies both address; public
// functions copy their inputs into such buffers at entry and their results
// into malloc'ed buffers at each return, so compiled models keep the CPU
// target's C ABI (docs/cpu.md). See Passes.td for an example.
//
//===----------------------------------------------------------------------===//

#include "llm/Pipelines/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::llm {
#define GEN_PASS_DEF_LLMGPUHOSTBUFFERSPASS
#include "llm/Pipelines/Passes.h.inc"

namespace {

/// gpu.dealloc is asynchronous only: run it on a stream of its own and wait.
void deallocSync(OpBuilder &builder, Location loc, Value memref) {
  Type tokenType = gpu::AsyncTokenType::get(builder.getContext());
  Value stream =
      gpu::WaitOp::create(builder, loc, tokenType, ValueRange()).getAsyncToken();
  Value done =
      gpu::DeallocOp::create(builder, loc, tokenType, ValueRange{stream}, memref)
          .getAsyncToken();
  gpu::WaitOp::create(builder, loc, Type(), ValueRange{done});
}

/// The buffer `value` is a view of (through view-like ops).
Value getRootBuffer(Value value) {
  while (auto view = value.getDefiningOp<ViewLikeOpInterface>())
    value = view.getViewSource();
  return value;
}

struct LLMGPUHostBuffersPass
    : public impl::LLMGPUHostBuffersPassBase<LLMGPUHostBuffersPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      if (failed(convertAllocations(func)))
        return signalPassFailure();
      if (func.isPublic() && failed(copyArgumentsAndResults(func)))
        return signalPassFailure();
    }
  }

  /// memref.alloc -> gpu.alloc host_shared, memref.dealloc -> gpu.dealloc.
  LogicalResult convertAllocations(func::FuncOp func) {
    SmallVector<memref::AllocOp> allocs;
    SmallVector<memref::DeallocOp> deallocs;
    func.walk([&](Operation *op) {
      if (auto alloc = dyn_cast<memref::AllocOp>(op))
        allocs.push_back(alloc);
      else if (auto dealloc = dyn_cast<memref::DeallocOp>(op))
        deallocs.push_back(dealloc);
    });
    OpBuilder builder(func.getContext());
    for (memref::AllocOp alloc : allocs) {
      MemRefType type = alloc.getType();
      if (!type.getLayout().isIdentity() || type.getMemorySpace())
        return alloc.emitError()
               << "llm-gpu-host-buffers: only allocations with the identity "
                  "layout in the default memory space can be made GPU "
                  "buffers, got "
               << type;
      builder.setInsertionPoint(alloc);
      auto managed = gpu::AllocOp::create(
          builder, alloc.getLoc(), type, /*asyncToken=*/Type(), ValueRange(),
          alloc.getDynamicSizes(), alloc.getSymbolOperands(),
          /*hostShared=*/true);
      alloc.getResult().replaceAllUsesWith(managed.getMemref());
      alloc.erase();
    }
    for (memref::DeallocOp dealloc : deallocs) {
      builder.setInsertionPoint(dealloc);
      deallocSync(builder, dealloc.getLoc(), dealloc.getMemref());
      dealloc.erase();
    }
    return success();
  }

  /// Inputs into managed buffers at entry, results into malloc'ed buffers
  /// at each return; frees the argument copies and the results' buffers.
  LogicalResult copyArgumentsAndResults(func::FuncOp func) {
    Block &entry = func.getBody().front();
    OpBuilder builder = OpBuilder::atBlockBegin(&entry);
    SmallVector<Value> argumentCopies;
    for (BlockArgument arg : entry.getArguments()) {
      auto type = dyn_cast<MemRefType>(arg.getType());
      if (!type || arg.use_empty())
        continue;
      if (!type.getLayout().isIdentity())
        return func.emitError()
               << "llm-gpu-host-buffers: argument #" << arg.getArgNumber()
               << " of type " << type
               << " is not a dense row-major buffer (identity layout)";
      Location loc = arg.getLoc();
      llvm::SmallPtrSet<Operation *, 4> keep;
      SmallVector<Value> dynamicSizes;
      for (int64_t d = 0; d < type.getRank(); ++d)
        if (type.isDynamicDim(d)) {
          auto dim = memref::DimOp::create(builder, loc, arg, d);
          keep.insert(dim);
          dynamicSizes.push_back(dim);
        }
      auto copy = gpu::AllocOp::create(builder, loc, type, /*asyncToken=*/Type(),
                                       ValueRange(), dynamicSizes, ValueRange(),
                                       /*hostShared=*/true);
      keep.insert(memref::CopyOp::create(builder, loc, arg, copy.getMemref()));
      arg.replaceAllUsesExcept(copy.getMemref(), keep);
      argumentCopies.push_back(copy.getMemref());
    }

    SmallVector<func::ReturnOp> returns;
    func.walk([&](func::ReturnOp op) { returns.push_back(op); });
    for (func::ReturnOp ret : returns) {
      builder.setInsertionPoint(ret);
      Location loc = ret.getLoc();
      llvm::SetVector<Value> toFree(argumentCopies.begin(),
                                    argumentCopies.end());
      for (OpOperand &operand : ret->getOpOperands()) {
        auto type = dyn_cast<MemRefType>(operand.get().getType());
        if (!type)
          continue;
        if (!type.getLayout().isIdentity())
          return ret.emitError()
                 << "llm-gpu-host-buffers: result #"
                 << operand.getOperandNumber() << " of type " << type
                 << " is not a dense row-major buffer (identity layout)";
        Value device = operand.get();
        SmallVector<Value> dynamicSizes;
        for (int64_t d = 0; d < type.getRank(); ++d)
          if (type.isDynamicDim(d))
            dynamicSizes.push_back(
                memref::DimOp::create(builder, loc, device, d));
        Value host = memref::AllocOp::create(builder, loc, type, dynamicSizes,
                                             builder.getI64IntegerAttr(64));
        memref::CopyOp::create(builder, loc, device, host);
        operand.set(host);
        Value root = getRootBuffer(device);
        if (root.getDefiningOp<gpu::AllocOp>())
          toFree.insert(root);
      }
      for (Value buffer : toFree)
        deallocSync(builder, loc, buffer);
    }
    return success();
  }
};

} // namespace
} // namespace mlir::llm
