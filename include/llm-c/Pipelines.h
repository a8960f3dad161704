/*===- llm-c/Pipelines.h - run passes and pipelines (C API) -------*- C -*-===*\
|*                                                                            *|
|* Runs registered passes and pipelines on a module, by name, as llm-opt's   *|
|* --pass-pipeline does. The passes must be registered (llmRegisterAllPasses *|
|* or llmContextCreate). A pipeline that does not parse, bad options and     *|
|* failing passes are reported through the module context's diagnostic      *|
|* handlers, and the result is then a failure.                                *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef LLM_C_PIPELINES_H
#define LLM_C_PIPELINES_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Runs the textual pass pipeline `pipeline` on `module`: a comma-separated
/// list of passes and pipelines with options, nested as in
/// `--pass-pipeline` but without the builtin.module anchor, e.g.
/// "canonicalize,cse" or "llm-cpu-pipeline{target-cpu=x86-64-v3}".
MLIR_CAPI_EXPORTED MlirLogicalResult llmRunPassPipeline(MlirModule module,
                                                        MlirStringRef pipeline);

/// Runs the one registered pass or pipeline `name` (e.g. "llm-cpu-pipeline")
/// with `options` ("" or space-separated key=value pairs, e.g.
/// "target-cpu=skylake-avx512") on `module`.
MLIR_CAPI_EXPORTED MlirLogicalResult llmRunPipeline(MlirModule module,
                                                    MlirStringRef name,
                                                    MlirStringRef options);

#ifdef __cplusplus
}
#endif

#endif /* LLM_C_PIPELINES_H */
