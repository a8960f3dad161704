//===- Passes.h - helper passes of the compiler's pipelines -----*- C++ -*-===//
//
// Declares the pipelines' helper passes generated from Passes.td
// (llm-readonly-arguments, llm-emit-c-interface, llm-set-target-cpu,
// llm-strided-copy-to-linalg)
// and `registerPipelinesPasses()`.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_PIPELINES_PASSES_H
#define LLM_PIPELINES_PASSES_H

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::llm {

#define GEN_PASS_DECL
#include "llm/Pipelines/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "llm/Pipelines/Passes.h.inc"

} // namespace mlir::llm

#endif // LLM_PIPELINES_PASSES_H
