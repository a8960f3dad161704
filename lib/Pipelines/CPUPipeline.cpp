//===- CPUPipeline.cpp - --llm-cpu-pipeline ------------------------------===//
//
// The CPU pipeline: transformer ops -> linalg on tensors -> elementwise
// fusion -> one-shot bufferization (function boundaries included, identity
// layouts at the boundary) -> ownership-based deallocation -> loops -> the
// LLVM dialect with C-interface wrappers and the target CPU recorded. The
// result translates to LLVM IR for the JIT (llm-run) or for object / shared
// library emission (llm-opt --emit).
//
// Contractions (matmul, batch_matmul, linear) are tiled for the caches and
// registers and vectorized (llm-tile-contractions, tile sizes from the cost
// model over the target description of `target-cpu` + `target-desc`); the
// other linalg ops become loops. `tile=false` keeps the scalar reference
// lowering for everything.
//
//===----------------------------------------------------------------------===//

#include "llm/Pipelines/Pipelines.h"

#include "llm/Conversion/Passes.h"
#include "llm/Pipelines/Passes.h"

#include "PipelineStages.h"
#include "llm/Tiling/Passes.h"
#include "llm/Tiling/TargetDescription.h"

#include "Transformer/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/Regex.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;
using namespace mlir::llm;

std::string llm::resolveTargetCPU(StringRef targetCPU) {
  if (targetCPU.empty() || targetCPU == "host")
    return llvm::sys::getHostCPUName().str();
  return targetCPU.str();
}

std::optional<std::string>
llm::checkCPUPipelineOptions(const CPUPipelineOptions &options) {
  StringRef mode = options.quantize;
  if (mode != "none" && mode != "int8-weight" && mode != "int8-dynamic" &&
      mode != "int4-weight")
    return "quantize=" + options.quantize +
           " is not a quantization mode (none, int8-weight, int8-dynamic, "
           "int4-weight)";
  if (options.quantizeGroupSize <= 0)
    return "quantize-group-size=" + std::to_string(options.quantizeGroupSize) +
           " must be positive";
  if (options.quantizeScaleType != "f32" && options.quantizeScaleType != "f16")
    return "quantize-scale-type=" + options.quantizeScaleType +
           " is not f32 or f16";
  for (const std::string &pattern : options.quantizeExclude) {
    std::string error;
    if (!llvm::Regex(pattern).isValid(error))
      return "quantize-exclude pattern '" + pattern +
             "' is not a valid regular expression: " + error;
  }
  if (options.attentionTileQ <= 0 || options.attentionTileKV <= 0)
    return "attention-tile-q and attention-tile-kv must be positive, got " +
           std::to_string(options.attentionTileQ) + " and " +
           std::to_string(options.attentionTileKV);
  if (options.threads < 0)
    return "threads=" + std::to_string(options.threads) +
           " must not be negative";
  std::string error;
  if (failed(resolveCPUTarget(options.targetCPU, options.targetDesc, error)))
    return error;
  return std::nullopt;
}

int64_t llm::getCPUPipelineThreads(const CPUPipelineOptions &options) {
  if (options.threads > 0)
    return options.threads;
  std::string error;
  FailureOr<TargetDescription> target =
      resolveCPUTarget(options.targetCPU, options.targetDesc, error);
  return succeeded(target) ? std::max<int64_t>(1, target->threads) : 1;
}

/// The thread stage, part 1 (on buffers, before tiling): the outermost
/// parallel loop of each big enough linalg op is split into `threads`
/// chunks of an scf.forall (llm-parallelize-outer-loops, docs/tiling.md).
static void addThreadSplitStage(OpPassManager &pm,
                                const CPUPipelineOptions &options,
                                int64_t threads) {
  if (threads <= 1)
    return;
  LLMParallelizeOuterLoopsPassOptions splitOptions;
  splitOptions.cpu = options.targetCPU;
  splitOptions.targetDesc = options.targetDesc;
  splitOptions.threads = threads;
  splitOptions.minCycles = options.parallelMinCycles;
  pm.addNestedPass<func::FuncOp>(
      createLLMParallelizeOuterLoopsPass(splitOptions));
}

/// The thread stage, part 2 (on loops): the outermost scf.forall of each
/// nest -> scf.parallel -> omp.parallel + omp.wsloop (libomp at run time),
/// nested ones -> scf.for; with one thread every forall is sequential.
static void addOpenMPStage(OpPassManager &pm, int64_t threads) {
  LLMOutermostParallelLoopsPassOptions outermostOptions;
  outermostOptions.threads = threads;
  pm.addNestedPass<func::FuncOp>(
      createLLMOutermostParallelLoopsPass(outermostOptions));
  if (threads <= 1)
    return;
  pm.addPass(createConvertSCFToOpenMPPass());
  pm.addNestedPass<func::FuncOp>(createLLMFinishOpenMPLoopsPass());
}

LogicalResult llm::buildCPUPipeline(OpPassManager &pm,
                                    const CPUPipelineOptions &options) {
  if (checkCPUPipelineOptions(options))
    return failure();

  // Quantized ONNX models: QDQ pairs around matmuls -> integer ops; raise
  // primitive-op chains (norms, GELU, SiLU, RoPE), then fuse attention
  // subgraphs (the raised ops no longer sit in the way).
  addGraphRaisingStages(pm, options.raisePatterns, options.fuseAttention);
  // Weight quantization (constant linear/matmul weights to int8/int4).
  if (options.quantize != "none") {
    transformer::TransformerQuantizePassOptions quantizeOptions;
    quantizeOptions.mode = options.quantize;
    quantizeOptions.groupSize = options.quantizeGroupSize;
    quantizeOptions.scaleType = options.quantizeScaleType;
    quantizeOptions.zeroPoint = options.quantizeZeroPoint;
    quantizeOptions.exclude = llvm::to_vector(options.quantizeExclude);
    pm.addPass(transformer::createTransformerQuantizePass(quantizeOptions));
  }

  // transformer -> linalg on tensors, elementwise fusion without
  // recomputation, then buffers (PipelineStages.h).
  int64_t threads = getCPUPipelineThreads(options);
  ConvertTransformerToLinalgPassOptions linalgOptions;
  linalgOptions.flashAttention = options.flashAttention;
  linalgOptions.attentionTileQ = options.attentionTileQ;
  linalgOptions.attentionTileKV = options.attentionTileKV;
  // With threads, flash attention's batch x head loop is an scf.forall.
  linalgOptions.parallelAttention = threads > 1;
  addTransformerToLinalgStages(pm, createLLMFuseElementwisePass(),
                               linalgOptions);
  // One zero fill per matmul (CSE merged equal ones), so that each C is a
  // fresh zero-filled buffer whose epilogue the tiling can fuse.
  pm.addPass(createLLMUnshareFillsPass());
  // Elementwise ops write into the temporary they consume (one buffer
  // instead of two for a matmul + bias, GELU, residual add).
  pm.addNestedPass<func::FuncOp>(createLLMReuseInputBuffersPass());
  addBufferizationStages(pm);

  // Contractions -> cache/register tiles with a vector micro-kernel,
  // elementwise ops -> vector code; the rest -> loops.
  if (options.tile) {
    // int8 contractions -> VNNI / AMX / portable kernels (Int8Contractions).
    // Before the thread split: it packs constant weights, which it does not
    // recognise behind a chunk's subview; with threads its panel loops are
    // scf.foralls of their own (run by the OpenMP stage below).
    LLMTileInt8ContractionsPassOptions int8Options;
    int8Options.cpu = options.targetCPU;
    int8Options.targetDesc = options.targetDesc;
    int8Options.threads = threads;
    int8Options.minCycles = options.parallelMinCycles;
    int8Options.fuseEpilogues = options.fuseEpilogues;
    pm.addPass(createLLMTileInt8ContractionsPass(int8Options));
    // Constant f32 weights -> [N / NR, K, NR] panels (compile time); before
    // the thread split, which then splits n in whole panels.
    LLMPackConstantWeightsPassOptions packOptions;
    packOptions.cpu = options.targetCPU;
    packOptions.targetDesc = options.targetDesc;
    pm.addPass(createLLMPackConstantWeightsPass(packOptions));
    // Non-constant transposed B -> a transposed view (packed at run time).
    pm.addNestedPass<func::FuncOp>(createLLMViewTransposedOperandsPass());
  }
  addThreadSplitStage(pm, options, threads);
  if (options.tile) {
    LLMTileContractionsPassOptions tileOptions;
    tileOptions.cpu = options.targetCPU;
    tileOptions.targetDesc = options.targetDesc;
    tileOptions.fuseEpilogues = options.fuseEpilogues;
    tileOptions.prefetchPanels = options.prefetchPanels;
    pm.addNestedPass<func::FuncOp>(createLLMTileContractionsPass(tileOptions));
    LLMVectorizeElementwisePassOptions vectorizeOptions;
    vectorizeOptions.cpu = options.targetCPU;
    vectorizeOptions.targetDesc = options.targetDesc;
    pm.addNestedPass<func::FuncOp>(
        createLLMVectorizeElementwisePass(vectorizeOptions));
    // Norm / softmax row sums and maxima on vector accumulators.
    LLMVectorizeRowReductionsPassOptions reductionOptions;
    reductionOptions.cpu = options.targetCPU;
    reductionOptions.targetDesc = options.targetDesc;
    pm.addNestedPass<func::FuncOp>(
        createLLMVectorizeRowReductionsPass(reductionOptions));
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
    // Weights now read only through their packed panels.
    pm.addPass(createSymbolDCEPass());
  }
  pm.addPass(createConvertLinalgToLoopsPass());

  // -> LLVM dialect.
  // Math first: convert-math-to-libm unrolls vector math without an LLVM
  // intrinsic (erf) into scalar calls and vector inserts, which the vector
  // lowering below must still see.
  // exp/tanh/erf/log as vector polynomials instead of scalar libm calls.
  pm.addPass(createLLMApproximateMathPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createConvertVectorToSCFPass());
  addOpenMPStage(pm, threads);
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  ConvertVectorToLLVMPassOptions vectorToLLVMOptions;
  vectorToLLVMOptions.amx = true; // amx.tile_* of the int8 kernels
  pm.addPass(createConvertVectorToLLVMPass(vectorToLLVMOptions));
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createLLMEmitCInterfacePass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  if (threads > 1)
    pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  LLMSetTargetCPUPassOptions targetOptions;
  targetOptions.cpu = options.targetCPU;
  pm.addPass(createLLMSetTargetCPUPass(targetOptions));
  pm.addPass(createCanonicalizerPass());
  return success();
}

void llm::registerPipelines() {
  registerPipelinesPasses();
  // Upstream passes of the CPU pipeline that InitAll does not register, so
  // that `--dump-pass-pipeline` output and reproducers parse.
  registerLinalgElementwiseOpFusionPass();
  registerConvertVectorToSCF();
  registerConvertVectorToLLVMPass();
  registerUBToLLVMConversionPass();
  registerConvertSCFToOpenMPPass();
  registerConvertOpenMPToLLVMPass();

  registerNVPTXPipeline();
  registerNPUPipeline();

  registerPassPipeline(
      "llm-cpu-pipeline",
      "Lower transformer ops to the LLVM dialect for x86-64 CPUs (loops, "
      "C-interface wrappers); see include/llm/Pipelines/Pipelines.h",
      [](OpPassManager &pm, StringRef optionsStr,
         function_ref<LogicalResult(const Twine &)> errorHandler) {
        CPUPipelineOptions options;
        if (failed(options.parseFromString(optionsStr)))
          return failure();
        if (auto problem = checkCPUPipelineOptions(options))
          return errorHandler("llm-cpu-pipeline: " + *problem);
        return buildCPUPipeline(pm, options);
      },
      [](function_ref<void(const detail::PassOptions &)> optHandler) {
        optHandler(CPUPipelineOptions());
      });
}
