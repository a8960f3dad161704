/*===- llm-c/Registration.h - register the compiler (C API) -------*- C -*-===*\
|*                                                                            *|
|* The C API of the LLM compiler follows MLIR's C API (mlir-c/): the same     *|
|* handle types (MlirContext, MlirModule, ...), MlirStringRef for strings,    *|
|* MlirLogicalResult for success, and diagnostics through the context's       *|
|* handlers (mlirContextAttachDiagnosticHandler). Functions are named llm*.   *|
|* libLLMCompilerC.so exports both these functions and MLIR's own C API       *|
|* (mlirContextCreate, mlirModuleCreateParse, mlirOperationPrint, ...), so a  *|
|* C program links that one library. See docs/embedding.md.                   *|
|*                                                                            *|
|* This header registers what the compiler uses into a context.              *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef LLM_C_REGISTRATION_H
#define LLM_C_REGISTRATION_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Registers the compiler's dialects (transformer and the upstream dialects
/// its pipelines produce, with their interface models), the dialects the
/// ONNX importer creates and the LLVM IR translations that artifact emission
/// needs.
MLIR_CAPI_EXPORTED void llmRegisterAllDialects(MlirDialectRegistry registry);

/// Registers the compiler's passes and pipelines (llm-cpu-pipeline, ...) and
/// the upstream passes they use, so llmRunPassPipeline can name them. Safe to
/// call more than once and from several threads.
MLIR_CAPI_EXPORTED void llmRegisterAllPasses(void);

/// Creates a context with llmRegisterAllDialects' dialects registered and
/// calls llmRegisterAllPasses. Destroy it with mlirContextDestroy.
MLIR_CAPI_EXPORTED MlirContext llmContextCreate(void);

/// The version of the loaded library ("0.1.0"); the string is static.
MLIR_CAPI_EXPORTED MlirStringRef llmGetVersion(void);

#ifdef __cplusplus
}
#endif

#endif /* LLM_C_REGISTRATION_H */
