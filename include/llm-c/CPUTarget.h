/*===- llm-c/CPUTarget.h - CPU artifacts (C API) ------------------*- C -*-===*\
|*                                                                            *|
|* Writes a module that the CPU pipeline (llm-cpu-pipeline) lowered to the    *|
|* LLVM dialect as LLVM IR, assembly, an object file or a shared library, as  *|
|* llm-opt --emit does. The shared library's C ABI is in docs/cpu.md.         *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef LLM_C_CPUTARGET_H
#define LLM_C_CPUTARGET_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#ifdef __cplusplus
extern "C" {
#endif

/// What llmEmitArtifact writes.
typedef enum LLMArtifactKind {
  /// Textual LLVM IR (.ll).
  LLMArtifactLLVMIR = 0,
  /// Assembly (.s).
  LLMArtifactAssembly = 1,
  /// An ELF relocatable object (.o), position independent.
  LLMArtifactObject = 2,
  /// A shared library (.so), linked by the system C compiler driver.
  LLMArtifactSharedLibrary = 3,
} LLMArtifactKind;

/// Translates `module` (in the LLVM dialect) to LLVM IR, optimizes it and
/// writes it as `kind` to `outputPath` ("-" is stdout). `targetCPU` is an
/// LLVM CPU name or "host"; empty means the CPU the pipeline recorded on the
/// module. `optLevel` is LLVM's optimization level 0-3, or -1 for the
/// default (2). Errors (a module not in the LLVM dialect, an unwritable
/// path, ...) go to the context's diagnostic handlers.
MLIR_CAPI_EXPORTED MlirLogicalResult
llmEmitArtifact(MlirModule module, LLMArtifactKind kind,
                MlirStringRef outputPath, MlirStringRef targetCPU,
                int optLevel);

#ifdef __cplusplus
}
#endif

#endif /* LLM_C_CPUTARGET_H */
