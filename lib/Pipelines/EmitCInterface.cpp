//===- EmitCInterface.cpp - llm-emit-c-interface -------------------------===//
//
// Marks the public function definitions of a module with
// `llvm.emit_c_interface`, so convert-func-to-llvm generates their
// `_mlir_ciface_<name>` wrappers: the C ABI of compiled models (docs/cpu.md)
// and what llm-run's JIT calls.
//
//===----------------------------------------------------------------------===//

#include "llm/Pipelines/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace mlir::llm {
#define GEN_PASS_DEF_LLMEMITCINTERFACEPASS
#include "llm/Pipelines/Passes.h.inc"

namespace {
struct LLMEmitCInterfacePass
    : impl::LLMEmitCInterfacePassBase<LLMEmitCInterfacePass> {
  void runOnOperation() override {
    StringAttr name = StringAttr::get(
        &getContext(), LLVM::LLVMDialect::getEmitCWrapperAttrName());
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (func.isPublic() && !func.isExternal())
        func->setAttr(name, UnitAttr::get(&getContext()));
  }
};
} // namespace
} // namespace mlir::llm
