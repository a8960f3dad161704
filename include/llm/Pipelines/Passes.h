//===- Passes.h - helper passes of the compiler's pipelines -----*- C++ -*-===//
//
// Declares the pipelines' helper passes generated from Passes.td
// (llm-readonly-arguments, llm-emit-c-interface, llm-set-target-cpu,
// llm-strided-copy-to-linalg, llm-unshare-fills; for the NVPTX pipeline llm-gpu-map-parallel-loops
// and llm-merge-gpu-modules)
// and `registerPipelinesPasses()`.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_PIPELINES_PASSES_H
#define LLM_PIPELINES_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <optional>
#include <string>

namespace mlir::llm {

#define GEN_PASS_DECL
#include "llm/Pipelines/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "llm/Pipelines/Passes.h.inc"

/// Checks the block shapes of llm-gpu-map-parallel-loops (tile-sizes-1d,
/// -2d, -3d; empty means the default): the right number of positive sizes,
/// at most 1024 threads. Returns what is wrong, or nullopt.
std::optional<std::string> checkGPUBlockShapes(ArrayRef<int64_t> sizes1D,
                                               ArrayRef<int64_t> sizes2D,
                                               ArrayRef<int64_t> sizes3D);

} // namespace mlir::llm

#endif // LLM_PIPELINES_PASSES_H
