//===- Pipelines.cpp - llm-c/Pipelines.h -----------------------------------===//
//
// Runs textual pass pipelines on a module for C API users. Parse errors of
// the pipeline text, which MLIR writes to a stream, become error diagnostics
// on the module, so they reach the same handlers as everything else.
//
//===----------------------------------------------------------------------===//

#include "llm-c/Pipelines.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Support.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

using namespace mlir;

MlirLogicalResult llmRunPassPipeline(MlirModule module,
                                     MlirStringRef pipeline) {
  ModuleOp op = unwrap(module);
  PassManager pm(op->getName());
  std::string errors;
  llvm::raw_string_ostream errorStream(errors);
  if (failed(parsePassPipeline(unwrap(pipeline), pm, errorStream))) {
    op.emitError() << "cannot parse the pass pipeline '" << unwrap(pipeline)
                   << "': " << llvm::StringRef(errors).trim();
    return mlirLogicalResultFailure();
  }
  return wrap(pm.run(op));
}

MlirLogicalResult llmRunPipeline(MlirModule module, MlirStringRef name,
                                 MlirStringRef options) {
  std::string pipeline = unwrap(name).str();
  if (options.length != 0)
    pipeline += "{" + unwrap(options).str() + "}";
  return llmRunPassPipeline(module, mlirStringRefCreate(pipeline.data(),
                                                        pipeline.size()));
}
