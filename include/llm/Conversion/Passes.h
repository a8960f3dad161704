//===- Passes.h - conversion passes of the LLM compiler ---------*- C++ -*-===//
//
// Declares the conversion passes (`convert-<x>-to-<y>`) generated from
// Passes.td, and `registerConversionPasses()`.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_CONVERSION_PASSES_H
#define LLM_CONVERSION_PASSES_H

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::llm {

#define GEN_PASS_DECL
#include "llm/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "llm/Conversion/Passes.h.inc"

} // namespace mlir::llm

#endif // LLM_CONVERSION_PASSES_H
