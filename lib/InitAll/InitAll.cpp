//===- InitAll.cpp - register the compiler's dialects and passes ---------===//
//
// Registers the transformer dialect plus the upstream dialects and passes the
// pipelines rely on. Later stages (lowering, targets) add theirs here.
//
//===----------------------------------------------------------------------===//

#include "llm/InitAll.h"

#include "Transformer/IR/TransformerDialect.h"
#include "llm/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Transforms/Passes.h"

void mlir::llm::registerAllDialects(DialectRegistry &registry) {
  registry.insert<transformer::TransformerDialect, arith::ArithDialect,
                  func::FuncDialect, linalg::LinalgDialect, math::MathDialect,
                  memref::MemRefDialect, scf::SCFDialect,
                  tensor::TensorDialect>();
}

void mlir::llm::registerAllPasses() {
  // Generic upstream transforms: canonicalize, cse, inline, symbol-dce, ...
  mlir::registerTransformsPasses();
  // Replaces tensor.dim of op results by the ops' reified result shapes
  // (ReifyRankedShapedTypeOpInterface), e.g. of the transformer shape ops.
  mlir::memref::registerResolveRankedShapeTypeResultDimsPass();
  // Our conversions: convert-transformer-to-linalg, ...
  registerConversionPasses();
}
