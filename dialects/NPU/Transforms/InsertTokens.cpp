//===- InsertTokens.cpp - npu-insert-tokens ------------------------------===//
//
// Exports the program's instructions, computes their dependency tokens with
// lib/Target/NPU (insertDependencyTokens: the one implementation, also
// usable on assembled programs) and writes the masks back to the ops.
//
//===----------------------------------------------------------------------===//

#include "NPU/Transforms/Passes.h"

#include "llm/Target/NPU/Tokens.h"

namespace mlir::llm::npu_ir {
#define GEN_PASS_DEF_NPUINSERTTOKENSPASS
#include "NPU/Transforms/Passes.h.inc"
} // namespace mlir::llm::npu_ir

using namespace mlir;
using namespace mlir::llm;
using namespace mlir::llm::npu_ir;

namespace {
struct NPUInsertTokensPass
    : public mlir::llm::npu_ir::impl::NPUInsertTokensPassBase<
          NPUInsertTokensPass> {
  void runOnOperation() override {
    SmallVector<Operation *> ops;
    std::vector<npu::Instruction> instructions;
    for (Operation &op : getOperation().getBody().front()) {
      if (isTileOp(&op)) {
        op.emitOpError("tile-level op left: run npu-lower-tiles first");
        return signalPassFailure();
      }
      if (!isInstructionOp(&op))
        continue;
      std::string error;
      std::optional<npu::Instruction> inst = encodeInstruction(&op, error);
      if (!inst) {
        op.emitOpError() << error;
        return signalPassFailure();
      }
      ops.push_back(&op);
      instructions.push_back(*inst);
    }
    npu::insertDependencyTokens(instructions);
    for (auto [op, inst] : llvm::zip(ops, instructions))
      setTokens(op, inst.get(npu::Field::Wait), inst.get(npu::Field::Signal));
  }
};
} // namespace
