//===- NPUTarget.cpp - NPU artifacts from a compiled module --------------===//
//
// Exports the module's `npu.program` (dialects/NPU, NPUExport.cpp) and
// writes it with lib/Target/NPU's own printer (disassemble: the canonical
// assembly) or binary writer, so there is one encoder.
//
//===----------------------------------------------------------------------===//

#include "llm/Target/NPU/NPUTarget.h"

#include "NPU/IR/NPUDialect.h"
#include "llm/Target/NPU/Assembler.h"

#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
using namespace mlir::llm;

std::optional<NPUArtifactKind> llm::parseNPUArtifactKind(StringRef name) {
  if (name == "npu-asm")
    return NPUArtifactKind::Asm;
  if (name == "npu-bin")
    return NPUArtifactKind::Bin;
  return std::nullopt;
}

FailureOr<npu::Program> llm::getNPUProgram(ModuleOp module) {
  SmallVector<npu_ir::ProgramOp> programs(module.getOps<npu_ir::ProgramOp>());
  if (programs.size() != 1)
    return module.emitError("expected one npu.program (run the NPU pipeline, "
                            "--llm-npu-pipeline), found ")
           << programs.size();
  return npu_ir::exportProgram(programs.front());
}

LogicalResult llm::emitNPUArtifact(ModuleOp module, NPUArtifactKind kind,
                                   StringRef path) {
  FailureOr<npu::Program> program = getNPUProgram(module);
  if (failed(program))
    return failure();
  std::string bytes;
  if (kind == NPUArtifactKind::Asm) {
    bytes = npu::disassemble(*program);
  } else {
    llvm::Expected<std::string> binary = npu::writeBinary(*program);
    if (!binary)
      return module.emitError("cannot encode the NPU program: ")
             << llvm::toString(binary.takeError());
    bytes = std::move(*binary);
  }
  std::string error;
  auto file = openOutputFile(path, &error);
  if (!file)
    return module.emitError(error);
  file->os() << bytes;
  file->keep();
  return success();
}
