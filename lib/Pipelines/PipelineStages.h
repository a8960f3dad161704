//===- PipelineStages.h - stages shared by the target pipelines -*- C++ -*-===//
//
// The stages the target pipelines (CPU, NVPTX, NPU) share, so that a
// change to how transformer ops reach linalg or buffers applies to all.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_LIB_PIPELINES_PIPELINESTAGES_H
#define LLM_LIB_PIPELINES_PIPELINESTAGES_H

#include "llm/Conversion/Passes.h"

#include "mlir/Pass/PassManager.h"

#include <memory>

namespace mlir {
namespace llm {

/// Graph-level raising on transformer ops: QDQ pairs folded into integer
/// ops (transformer-fold-qdq), canonicalize, primitive-op chains raised to
/// the fused ops (transformer-raise-patterns, if `raisePatterns`), then
/// attention subgraphs fused (cse, transformer-fuse-attention, if
/// `fuseAttention`).
void addGraphRaisingStages(OpPassManager &pm, bool raisePatterns,
                           bool fuseAttention);

/// transformer -> linalg/tensor/arith/math on tensors, then
/// `elementwiseFusion` with canonicalize/cse around it.
void addTransformerToLinalgStages(
    OpPassManager &pm, std::unique_ptr<Pass> elementwiseFusion,
    const ConvertTransformerToLinalgPassOptions &options = {});

/// Tensors -> buffers. Identity layouts at the function boundary make the
/// C ABI plain dense row-major descriptors; inputs are read-only; returned
/// buffers are owned by the caller (the deallocation pipeline clones what it
/// does not own); non-contiguous copies become linalg.copy.
void addBufferizationStages(OpPassManager &pm);

} // namespace llm
} // namespace mlir

#endif // LLM_LIB_PIPELINES_PIPELINESTAGES_H
