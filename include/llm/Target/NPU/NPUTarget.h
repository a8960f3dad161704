//===- NPUTarget.h - NPU artifacts from a compiled module -------*- C++ -*-===//
//
// The bridge from the compiler (a module whose `npu.program` the NPU
// pipeline produced) to lib/Target/NPU: the program in the assembler's
// canonical text or the binary format (llm-opt --emit=npu-asm|npu-bin), and
// running it on the simulator library (llm-run --target=npu).
//
//===----------------------------------------------------------------------===//

#ifndef LLM_TARGET_NPU_NPUTARGET_H
#define LLM_TARGET_NPU_NPUTARGET_H

#include "llm/Target/NPU/Program.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include <optional>

namespace mlir {
class DialectRegistry;
namespace llm {

enum class NPUArtifactKind { Asm, Bin };

/// "npu-asm" / "npu-bin" -> the kind; nullopt for other names.
std::optional<NPUArtifactKind> parseNPUArtifactKind(StringRef name);

/// The module's single `npu.program` as an npu::Program (errors are emitted
/// on the module).
FailureOr<npu::Program> getNPUProgram(ModuleOp module);

/// Writes the program as assembly text or a binary to `path` ("-": stdout).
LogicalResult emitNPUArtifact(ModuleOp module, NPUArtifactKind kind,
                              StringRef path);

} // namespace llm
} // namespace mlir

#endif // LLM_TARGET_NPU_NPUTARGET_H
