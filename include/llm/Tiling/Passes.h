//===- Passes.h - tiling passes ----------------------------------*- C++
//-*-===//
//
// Declarations of the tiling passes (Passes.td): llm-test-tile-sizes and
// llm-tile-contractions, and their registration.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_TILING_PASSES_H
#define LLM_TILING_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
namespace llm {

#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "llm/Tiling/Passes.h.inc"

} // namespace llm
} // namespace mlir

#endif // LLM_TILING_PASSES_H
