//===- InitAll.cpp - register the compiler's dialects and passes ---------===//
//
// Registers the transformer dialect plus the upstream dialects and passes the
// pipelines rely on. Later stages (lowering, targets) add theirs here.
//
//===----------------------------------------------------------------------===//

#include "llm/Conversion/TransformerToGPU/TransformerToGPU.h"
#include "llm/InitAll.h"

#include "NPU/IR/NPUDialect.h"
#include "Transformer/IR/TransformerDialect.h"
#include "Transformer/Transforms/Passes.h"
#include "llm/Conversion/Passes.h"
#include "llm/Pipelines/Pipelines.h"
#include "llm/Tiling/Passes.h"
#include "llm/Target/NVPTX/NVPTXTarget.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Affine/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Arith/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/MemRef/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/SCF/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/BufferDeallocationOpInterfaceImpl.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/ControlFlow/Transforms/BufferDeallocationOpInterfaceImpl.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Index/IR/IndexDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Linalg/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Linalg/Transforms/TilingInterfaceImpl.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/AllocationOpInterfaceImpl.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/BufferDeallocationOpInterfaceImpl.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Transforms/Passes.h"

void mlir::llm::registerAllDialects(DialectRegistry &registry) {
  registry.insert<transformer::TransformerDialect, npu_ir::NPUDialect,
                  arith::ArithDialect,
                  func::FuncDialect, linalg::LinalgDialect, math::MathDialect,
                  memref::MemRefDialect, scf::SCFDialect,
                  tensor::TensorDialect>();

  // What the reference CPU lowering (bufferization, loops, LLVM) needs: the
  // dialects it produces and the bufferization / deallocation models of the
  // ops convert-transformer-to-linalg emits.
  registry.insert<affine::AffineDialect, bufferization::BufferizationDialect,
                  cf::ControlFlowDialect, index::IndexDialect,
                  LLVM::LLVMDialect>();
  arith::registerBufferizableOpInterfaceExternalModels(registry);
  arith::registerBufferDeallocationOpInterfaceExternalModels(registry);
  bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(
      registry);
  cf::registerBufferDeallocationOpInterfaceExternalModels(registry);
  linalg::registerBufferizableOpInterfaceExternalModels(registry);
  memref::registerAllocationOpInterfaceExternalModels(registry);
  scf::registerBufferizableOpInterfaceExternalModels(registry);
  scf::registerBufferDeallocationOpInterfaceExternalModels(registry);
  tensor::registerBufferizableOpInterfaceExternalModels(registry);

  // What the tiling passes need: TilingInterface on linalg ops, and the
  // vector dialect they vectorize into.
  registry.insert<vector::VectorDialect>();
  linalg::registerTilingInterfaceExternalModels(registry);
  // Upper bounds of dynamic tile sizes for the cost model (matchContraction).
  affine::registerValueBoundsOpInterfaceExternalModels(registry);
  arith::registerValueBoundsOpInterfaceExternalModels(registry);
  memref::registerValueBoundsOpInterfaceExternalModels(registry);
  scf::registerValueBoundsOpInterfaceExternalModels(registry);
  tensor::registerValueBoundsOpInterfaceExternalModels(registry);
  // The NVPTX pipeline: GPU/NVVM dialects, the NVVM target's serialization
  // and the lowering interfaces and translations it uses (lib/Target/NVPTX).
  registerNVPTXTarget(registry);
  // Fused kernels (convert-transformer-to-gpu) pass the deallocation pipeline.
  registerGPUMemoryEffects(registry);
}

void mlir::llm::registerAllPasses() {
  // Generic upstream transforms: canonicalize, cse, inline, symbol-dce, ...
  mlir::registerTransformsPasses();
  // Replaces tensor.dim of op results by the ops' reified result shapes
  // (ReifyRankedShapedTypeOpInterface), e.g. of the transformer shape ops.
  mlir::memref::registerResolveRankedShapeTypeResultDimsPass();
  // Graph transforms: transformer-quantize, transformer-fold-qdq,
  // transformer-raise-patterns, transformer-fuse-attention.
  transformer::registerTransformerPasses();
  // Our conversions: convert-transformer-to-linalg, ...
  registerConversionPasses();

  // The upstream passes of the reference CPU lowering used by the execution
  // tests (test/Integration, lit substitution %cpu-lower):
  // one-shot-bufferize -> buffer-deallocation-pipeline ->
  // convert-bufferization-to-memref -> convert-linalg-to-loops ->
  // convert-scf-to-cf -> expand-strided-metadata -> lower-affine ->
  // finalize-memref-to-llvm -> convert-{math-to-libm,math,arith,index,func,
  // cf}-to-llvm -> reconcile-unrealized-casts.
  bufferization::registerOneShotBufferizePass();
  bufferization::registerBufferizationPipelines();
  mlir::registerConvertBufferizationToMemRefPass();
  mlir::registerConvertLinalgToLoopsPass();
  mlir::registerSCFToControlFlowPass();
  memref::registerExpandStridedMetadataPass();
  mlir::registerLowerAffinePass();
  mlir::registerFinalizeMemRefToLLVMConversionPass();
  mlir::registerConvertMathToLibmPass();
  mlir::registerConvertMathToLLVMPass();
  mlir::registerArithToLLVMConversionPass();
  mlir::registerConvertIndexToLLVMPass();
  mlir::registerConvertFuncToLLVMPass();
  mlir::registerConvertControlFlowToLLVMPass();
  mlir::registerReconcileUnrealizedCastsPass();

  // --llm-cpu-pipeline, --llm-nvptx-pipeline and their helper passes
  // (lib/Pipelines); the upstream GPU passes the NVPTX pipeline runs, so
  // that its --dump-pass-pipeline output parses.
  mlir::registerGPUPasses();
  mlir::registerConvertGpuOpsToNVVMOps();
  mlir::registerConvertNVVMToLLVMPass();
  mlir::registerConvertParallelLoopToGpuPass();
  mlir::registerConvertLinalgToParallelLoopsPass();
  registerPipelines();
  registerTilingPasses();
}
