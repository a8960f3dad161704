//===- CPUTarget.cpp - llm-c/CPUTarget.h ----------------------------------===//
//
// Artifact emission (include/llm/Target/CPU/CPUTarget.h) for C API users.
//
//===----------------------------------------------------------------------===//

#include "llm-c/CPUTarget.h"

#include "llm/Target/CPU/CPUTarget.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Support.h"

#include <cstring>
#include <iterator>

using namespace mlir;

MlirLogicalResult llmEmitArtifact(MlirModule module, LLMArtifactKind kind,
                                  MlirStringRef outputPath,
                                  MlirStringRef targetCPU, int optLevel) {
  ModuleOp op = unwrap(module);
  // Indexed by LLMArtifactKind.
  static const llm::ArtifactKind kinds[] = {
      llm::ArtifactKind::LLVMIR, llm::ArtifactKind::Assembly,
      llm::ArtifactKind::Object, llm::ArtifactKind::SharedLibrary};
  static_assert(LLMArtifactLLVMIR == 0 && LLMArtifactAssembly == 1 &&
                    LLMArtifactObject == 2 && LLMArtifactSharedLibrary == 3,
                "kinds[] follows LLMArtifactKind");
  // A C caller may pass any int; in C++ an enum outside its enumerators'
  // range cannot be read as the enum, so read the bits.
  static_assert(sizeof(kind) == sizeof(int), "C enums are int-sized");
  int index;
  std::memcpy(&index, &kind, sizeof(int));
  if (index < 0 || index >= static_cast<int>(std::size(kinds))) {
    op.emitError() << "llmEmitArtifact: " << index
                   << " is not an LLMArtifactKind";
    return mlirLogicalResultFailure();
  }
  if (optLevel < -1 || optLevel > 3) {
    op.emitError() << "llmEmitArtifact: optimization level " << optLevel
                   << " is not 0-3 (or -1 for the default)";
    return mlirLogicalResultFailure();
  }
  llm::CPUCodegenOptions options;
  options.cpu = unwrap(targetCPU).str();
  if (optLevel >= 0)
    options.optLevel = static_cast<unsigned>(optLevel);
  return wrap(llm::emitArtifact(op, kinds[index], unwrap(outputPath), options));
}
