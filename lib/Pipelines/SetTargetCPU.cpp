//===- SetTargetCPU.cpp - llm-set-target-cpu -----------------------------===//
//
// Records the target on an LLVM-dialect module: the host's triple as
// `llvm.target_triple` and the CPU as each function's `target_cpu`, which
// the LLVM IR translation turns into `target triple` and the "target-cpu"
// function attribute, so every consumer of the module (llm-opt --emit, the
// JIT, llc) generates code for the same CPU.
//
//===----------------------------------------------------------------------===//

#include "llm/Pipelines/Passes.h"
#include "llm/Pipelines/Pipelines.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "llvm/TargetParser/Host.h"

namespace mlir::llm {
#define GEN_PASS_DEF_LLMSETTARGETCPUPASS
#include "llm/Pipelines/Passes.h.inc"

namespace {
struct LLMSetTargetCPUPass
    : impl::LLMSetTargetCPUPassBase<LLMSetTargetCPUPass> {
  using Base::Base;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *context = &getContext();
    module->setAttr(LLVM::LLVMDialect::getTargetTripleAttrName(),
                    StringAttr::get(context, llvm::sys::getProcessTriple()));
    StringAttr cpuName = StringAttr::get(context, resolveTargetCPU(cpu));
    module.walk([&](LLVM::LLVMFuncOp func) {
      if (!func.isExternal())
        func.setTargetCpuAttr(cpuName);
    });
  }
};
} // namespace
} // namespace mlir::llm
