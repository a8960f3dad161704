//===- NVPTXPipeline.cpp - --llm-nvptx-pipeline --------------------------===//
//
// The NVPTX pipeline: transformer ops -> linalg on tensors -> elementwise
// fusion -> one-shot bufferization (as the CPU pipeline) -> parallel loops
// -> blocks of threads (llm-gpu-map-parallel-loops) -> gpu.launch ->
// outlined kernels, merged into one gpu.module -> NVVM -> one gpu.binary
// holding the PTX of all kernels (libdevice linked for math functions).
//
// Host code stays at the func/memref/scf level with gpu.launch_func ops;
// buildNVPTXHostPipeline (option lower-host) lowers it to the LLVM dialect
// calling our CUDA runtime (lib/Runtime/CUDA). Contractions become tiled
// tensor-core kernels with shared-memory tiles (llm-gpu-matmul, for chips
// with a GPU description); every other linalg op becomes one kernel, each
// thread computing one element of the op's parallel dims (reductions loop
// inside a thread); attention as one fused flash-attention kernel per op
// (convert-transformer-to-gpu; docs/nvptx.md).
//
//===----------------------------------------------------------------------===//

#include "llm/Pipelines/Pipelines.h"

#include "llm/Conversion/Passes.h"
#include "llm/Pipelines/Passes.h"
#include "llm/Tiling/GPUCostModel.h"
#include "llm/Tiling/TargetDescription.h"

#include "PipelineStages.h"

#include "Transformer/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstdlib>

using namespace mlir;
using namespace mlir::llm;

namespace {
/// A GPU architecture and the oldest PTX ISA version (x10) that has it;
/// older PTX makes LLVM's NVPTX back end abort.
struct Chip {
  StringRef name;
  unsigned minPTX;
};
constexpr Chip kChips[] = {{"sm_70", 60}, {"sm_75", 63}, {"sm_80", 70},
                           {"sm_86", 71}, {"sm_89", 78}, {"sm_90", 78},
                           {"sm_90a", 80}};
} // namespace

/// Whether `cudaPath` has libdevice.
static bool hasLibdevice(StringRef cudaPath) {
  SmallString<256> path(cudaPath);
  llvm::sys::path::append(path, "nvvm", "libdevice", "libdevice.10.bc");
  return llvm::sys::fs::exists(path);
}

std::string llm::resolveCUDAPath(StringRef cudaPath) {
  if (!cudaPath.empty())
    return cudaPath.str();
  const char *candidates[] = {std::getenv("CUDA_PATH"), "/usr/local/cuda"};
  for (const char *candidate : candidates)
    if (candidate && *candidate && hasLibdevice(candidate))
      return candidate;
  return "";
}

/// Whether the tensor-core matmul kernel is used for `options`: a chip with
/// a GPU description (mma.sync with bf16/tf32 needs sm_80+) and a
/// precision other than none.
static bool usesGPUMatmul(const NVPTXPipelineOptions &options) {
  std::string error;
  return options.matmulPrecision != "none" &&
         succeeded(getGPUTarget(options.chip, error));
}

/// The matmul options: a known precision, five tile sizes, overrides the
/// description parser accepts.
static std::optional<std::string>
checkGPUMatmulOptions(const NVPTXPipelineOptions &options) {
  if (options.matmulPrecision != "none" &&
      !parseGPUMatmulPrecision(options.matmulPrecision))
    return "matmul-precision=" + options.matmulPrecision +
           " is not one of f32, tf32, bf16, f16, none";
  if (!options.matmulTileSizes.empty() && options.matmulTileSizes.size() != 5)
    return "matmul-tile-sizes needs 5 values (BM,BN,BK,warpsM,warpsN), got " +
           std::to_string(options.matmulTileSizes.size());
  std::string error;
  FailureOr<TargetDescription> target = getGPUTarget(options.chip, error);
  if (failed(target)) {
    if (!options.gpuDesc.empty() || !options.matmulTileSizes.empty())
      return "gpu-desc and matmul-tile-sizes need a chip with a GPU "
             "description: " + error;
    return std::nullopt;
  }
  if (failed(applyTargetOverrides(*target, options.gpuDesc, error)))
    return "gpu-desc: " + error;
  if (std::optional<GPUMatmulPrecision> precision =
          parseGPUMatmulPrecision(options.matmulPrecision))
    if (!chooseGPUMatmulKernel(options.matmulKernel, options.chip, *precision,
                               error))
      return "matmul-kernel: " + error;
  return std::nullopt;
}

std::optional<std::string>
llm::checkNVPTXPipelineOptions(const NVPTXPipelineOptions &options) {
  const Chip *chip = llvm::find_if(
      kChips, [&](const Chip &c) { return c.name == options.chip; });
  if (chip == std::end(kChips)) {
    std::string names;
    for (const Chip &c : kChips)
      names += (names.empty() ? "" : ", ") + c.name.str();
    return "chip=" + options.chip + " is not a supported GPU (" + names + ")";
  }
  std::optional<unsigned> ptx;
  SmallVector<StringRef> features;
  StringRef(options.features).split(features, ',', -1, /*KeepEmpty=*/false);
  for (StringRef feature : features) {
    feature = feature.trim();
    unsigned version;
    if (!feature.consume_front("+ptx"))
      continue;
    if (feature.getAsInteger(10, version))
      return "features=" + options.features + ": '+ptx" + feature.str() +
             "' is not a PTX version (e.g. +ptx80 for PTX 8.0)";
    ptx = version;
  }
  if (!ptx)
    return "features=" + options.features +
           " names no PTX version (e.g. +ptx80)";
  if (*ptx < chip->minPTX)
    return "features=" + options.features + ": " + options.chip +
           " needs PTX " + std::to_string(chip->minPTX / 10) + "." +
           std::to_string(chip->minPTX % 10) + " or newer (+ptx" +
           std::to_string(chip->minPTX) + ")";
  if (!options.cudaPath.empty() && !hasLibdevice(options.cudaPath))
    return "cuda-path=" + options.cudaPath +
           " has no nvvm/libdevice/libdevice.10.bc (a CUDA toolkit has it)";
  if (options.optLevel < 0 || options.optLevel > 3)
    return "opt-level=" + std::to_string(options.optLevel) +
           " is not 0, 1, 2 or 3";
  if (options.attentionTileQ <= 0 || options.attentionTileKV <= 0 ||
      options.attentionTileKV % 4 != 0)
    return "attention-tile-q=" + std::to_string(options.attentionTileQ) +
           ", attention-tile-kv=" + std::to_string(options.attentionTileKV) +
           ": both must be positive, attention-tile-kv a multiple of 4";
  if (options.normWarpsPerBlock < 1 || options.normWarpsPerBlock > 32)
    return "norm-warps-per-block=" + std::to_string(options.normWarpsPerBlock) +
           " is not in 1..32 (at most 1024 threads per block)";
  if (options.attentionPrecision != "auto" &&
      options.attentionPrecision != "f32" &&
      options.attentionPrecision != "bf16" &&
      options.attentionPrecision != "f16")
    return "attention-precision=" + options.attentionPrecision +
           " is not one of auto, f32, bf16, f16";
  std::string noTarget;
  if ((options.attentionPrecision == "bf16" ||
       options.attentionPrecision == "f16") &&
      failed(getGPUTarget(options.chip, noTarget)))
    return "attention-precision=" + options.attentionPrecision +
           " needs mma.sync m16n8k16 (sm_80 or newer), chip=" + options.chip;
  if (auto problem = checkGPUMatmulOptions(options))
    return problem;
  if (auto problem = checkGPUBlockShapes(options.tileSizes1D,
                                         options.tileSizes2D,
                                         options.tileSizes3D))
    return problem;
  return std::nullopt;
}

LogicalResult llm::buildNVPTXPipeline(OpPassManager &pm,
                                      const NVPTXPipelineOptions &options) {
  if (checkNVPTXPipelineOptions(options))
    return failure();

  // transformer -> linalg on tensors with llm-fuse-elementwise (as the CPU
  // pipeline: a producer is fused only where each of its elements is
  // computed once, never into a matmul).
  // Graph raising as the CPU pipeline: QDQ folding, fused norms/GELU/RoPE,
  // attention subgraphs -> transformer.attention.
  addGraphRaisingStages(pm, options.raisePatterns, options.fuseAttention);
  // Attention -> one fused flash-attention kernel (gpu.launch) per op.
  ConvertTransformerToGPUPassOptions attentionOptions;
  attentionOptions.tileQ = options.attentionTileQ;
  attentionOptions.tileKV = options.attentionTileKV;
  // Tensor-core attention (mma.sync m16n8k16) needs sm_80+.
  std::string noTarget;
  attentionOptions.precision = succeeded(getGPUTarget(options.chip, noTarget))
                                   ? std::string(options.attentionPrecision)
                                   : std::string("f32");
  pm.addPass(createConvertTransformerToGPUPass(attentionOptions));
  // LayerNorm / RMSNorm / softmax (with the elementwise ops feeding them)
  // -> one row-per-warp kernel each (lib/Conversion/TransformerToGPU/
  // NormToGPU.cpp).
  if (options.fuseNorms) {
    ConvertTransformerNormsToGPUPassOptions normOptions;
    normOptions.warpsPerBlock = options.normWarpsPerBlock;
    pm.addPass(createConvertTransformerNormsToGPUPass(normOptions));
  }
  addTransformerToLinalgStages(pm, createLLMFuseElementwisePass());
  // Tensors -> buffers (identity layouts at the boundary, read-only inputs).
  addBufferizationStages(pm);

  // Contractions -> tiled tensor-core kernels (gpu.launch with shared-memory
  // tiles; lib/Pipelines/GPUMatmul.cpp).
  if (usesGPUMatmul(options)) {
    LLMGPUMatmulPassOptions matmulOptions;
    matmulOptions.chip = options.chip;
    matmulOptions.precision = options.matmulPrecision;
    matmulOptions.targetDesc = options.gpuDesc;
    matmulOptions.kernel = options.matmulKernel;
    matmulOptions.tileSizes = llvm::to_vector(options.matmulTileSizes);
    pm.addNestedPass<func::FuncOp>(createLLMGPUMatmulPass(matmulOptions));
  }

  // Other linalg ops -> parallel loops -> blocks of threads -> gpu.launch ->
  // kernels.
  pm.addPass(createConvertLinalgToParallelLoopsPass());
  pm.addPass(createCanonicalizerPass());
  LLMGPUMapParallelLoopsPassOptions mapOptions;
  mapOptions.tileSizes1D = llvm::to_vector(options.tileSizes1D);
  mapOptions.tileSizes2D = llvm::to_vector(options.tileSizes2D);
  mapOptions.tileSizes3D = llvm::to_vector(options.tileSizes3D);
  pm.addNestedPass<func::FuncOp>(createLLMGPUMapParallelLoopsPass(mapOptions));
  pm.addPass(createConvertParallelLoopToGpuPass());
  pm.addPass(createCanonicalizerPass());
  // Constants (and index computations on them) back into the launches the
  // canonicalizer hoisted them out of, so that kernels see them as
  // constants (a division by a warp size stays a shift) instead of taking
  // them as parameters.
  pm.addPass(createGpuLaunchSinkIndexComputationsPass());
  pm.addPass(createGpuKernelOutliningPass());
  pm.addPass(createLLMMergeGPUModulesPass());

  // Kernels -> NVVM -> PTX.
  GpuNVVMAttachTargetOptions targetOptions;
  targetOptions.chip = options.chip;
  targetOptions.features = options.features;
  targetOptions.optLevel = options.optLevel;
  pm.addPass(createGpuNVVMAttachTarget(targetOptions));
  OpPassManager &device = pm.nest<gpu::GPUModuleOp>();
  device.addPass(createLowerAffinePass());
  device.addPass(createSCFToControlFlowPass());
  device.addPass(memref::createExpandStridedMetadataPass());
  device.addPass(createConvertGpuOpsToNVVMOps());
  // NVVM ops without an LLVM intrinsic (nvvm.wgmma.mma_async) -> inline PTX.
  device.addPass(createConvertNVVMToLLVMPass());
  device.addPass(createCanonicalizerPass());
  device.addPass(createCSEPass());
  device.addPass(createReconcileUnrealizedCastsPass());
  GpuModuleToBinaryPassOptions binaryOptions;
  binaryOptions.compilationTarget = "isa";
  binaryOptions.toolkitPath = resolveCUDAPath(options.cudaPath);
  pm.addPass(createGpuModuleToBinaryPass(binaryOptions));
  pm.addPass(createCanonicalizerPass());
  if (options.lowerHost)
    buildNVPTXHostPipeline(pm);
  return success();
}

void llm::buildNVPTXHostPipeline(OpPassManager &pm) {
  pm.addPass(createLLMGPUHostBuffersPass());
  // One stream per call: launches queued without waiting, one sync.
  pm.addNestedPass<func::FuncOp>(createLLMGPUAsyncLaunchesPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createLLMEmitCInterfacePass());
  pm.addPass(createGpuToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createLLMGPUDeviceGlobalsPass());
  pm.addPass(createCanonicalizerPass());
}

void llm::registerNVPTXPipeline() {
  registerPassPipeline(
      "llm-nvptx-pipeline",
      "Compile transformer ops to GPU kernels in PTX for NVIDIA GPUs, "
      "launched from host code; see include/llm/Pipelines/Pipelines.h",
      [](OpPassManager &pm, StringRef optionsStr,
         function_ref<LogicalResult(const Twine &)> errorHandler) {
        NVPTXPipelineOptions options;
        if (failed(options.parseFromString(optionsStr)))
          return failure();
        if (auto problem = checkNVPTXPipelineOptions(options))
          return errorHandler("llm-nvptx-pipeline: " + *problem);
        return buildNVPTXPipeline(pm, options);
      },
      [](function_ref<void(const detail::PassOptions &)> optHandler) {
        optHandler(NVPTXPipelineOptions());
      });
}
