//===- Passes.h - npu dialect passes -----------------------------*- C++ -*-===//
//
// npu-lower-tiles (tile-level ops -> instructions) and npu-insert-tokens
// (dependency tokens), generated from Passes.td.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_DIALECTS_NPU_TRANSFORMS_PASSES_H
#define LLM_DIALECTS_NPU_TRANSFORMS_PASSES_H

#include "NPU/IR/NPUDialect.h"

#include "mlir/Pass/Pass.h"

namespace mlir::llm::npu_ir {

#define GEN_PASS_DECL
#include "NPU/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "NPU/Transforms/Passes.h.inc"

} // namespace mlir::llm::npu_ir

#endif // LLM_DIALECTS_NPU_TRANSFORMS_PASSES_H
