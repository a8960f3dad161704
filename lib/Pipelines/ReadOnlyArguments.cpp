//===- ReadOnlyArguments.cpp - llm-readonly-arguments --------------------===//
//
// Marks the tensor arguments of public function definitions
// `bufferization.writable = false`, so bufferization never writes into the
// caller's input buffers (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "llm/Pipelines/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir::llm {
#define GEN_PASS_DEF_LLMREADONLYARGUMENTSPASS
#include "llm/Pipelines/Passes.h.inc"

namespace {
struct LLMReadOnlyArgumentsPass
    : impl::LLMReadOnlyArgumentsPassBase<LLMReadOnlyArgumentsPass> {
  void runOnOperation() override {
    auto readOnly = BoolAttr::get(&getContext(), false);
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (!func.isPublic() || func.isExternal())
        continue;
      for (unsigned i = 0; i < func.getNumArguments(); ++i)
        if (isa<TensorType>(func.getArgument(i).getType()))
          func.setArgAttr(
              i, bufferization::BufferizationDialect::kWritableAttrName,
              readOnly);
    }
  }
};
} // namespace
} // namespace mlir::llm
