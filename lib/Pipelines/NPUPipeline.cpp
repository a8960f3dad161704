//===- NPUPipeline.cpp - --llm-npu-pipeline ------------------------------===//
//
// The NPU pipeline: the graph-level raising shared with the other targets
// (QDQ folding, pattern raising, attention fusion), then
// convert-transformer-to-npu (DRAM layout, tile-level ops),
// npu-lower-tiles (instructions) and npu-insert-tokens (queue ordering).
//
// Tile sizes come from the NPU part of the tiling framework
// (lib/Tiling/NPUCostModel.cpp) over the NPU's target description: the gemm
// C block here (tile-m / tile-n override it), the attention blocks per op in
// convert-transformer-to-npu.
//
//===----------------------------------------------------------------------===//

#include "llm/Pipelines/Pipelines.h"

#include "PipelineStages.h"

#include "NPU/Transforms/Passes.h"
#include "Transformer/Transforms/Passes.h"
#include "llm/Conversion/Passes.h"
#include "llm/Target/NPU/ISA.h"
#include "llm/Tiling/NPUCostModel.h"

#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::llm;

std::optional<std::string>
llm::checkNPUPipelineOptions(const NPUPipelineOptions &options) {
  if (options.dtype != "bf16" && options.dtype != "int8")
    return "dtype=" + options.dtype + " is not bf16 or int8";
  if (options.tileN < 0 || options.tileN % 16)
    return "tile-n=" + std::to_string(options.tileN) +
           " must be a positive multiple of 16";
  if (options.tileM < 0 || options.tileM > 4095)
    return "tile-m=" + std::to_string(options.tileM) + " must be 1-4095";
  if (options.tileN * 4 * std::max<int64_t>(options.tileM, 1) >
      npu::kAccumulatorBytes / 2)
    return "tile-m x tile-n f32 must fit half the accumulator (32 KiB)";
  if (options.dramLimit <= 0)
    return std::string("dram-limit must be positive");
  return std::nullopt;
}

LogicalResult llm::buildNPUPipeline(OpPassManager &pm,
                                    const NPUPipelineOptions &options) {
  if (checkNPUPipelineOptions(options))
    return failure();
  addGraphRaisingStages(pm, options.raisePatterns, options.fuseAttention);
  if (options.dtype == "int8") {
    // int8 weights per output channel; activations are quantized per row
    // on chip (npu-lower-tiles).
    transformer::TransformerQuantizePassOptions quantizeOptions;
    quantizeOptions.mode = "int8-weight";
    pm.addPass(transformer::createTransformerQuantizePass(quantizeOptions));
  }
  pm.addPass(createCanonicalizerPass());
  auto [tileM, tileN] = chooseNPUGemmTiles(getNPUTargetDescription(),
                                           options.tileM, options.tileN);
  ConvertTransformerToNPUPassOptions convertOptions;
  convertOptions.dtype = options.dtype;
  convertOptions.tileM = tileM;
  convertOptions.tileN = tileN;
  convertOptions.dramLimit = options.dramLimit;
  pm.addPass(createConvertTransformerToNPUPass(convertOptions));
  OpPassManager &program = pm.nest<npu_ir::ProgramOp>();
  program.addPass(npu_ir::createNPULowerTilesPass());
  program.addPass(npu_ir::createNPUInsertTokensPass());
  return success();
}

void llm::registerNPUPipeline() {
  npu_ir::registerNPUPasses();
  registerPassPipeline(
      "llm-npu-pipeline",
      "Compile transformer ops to an NPU program (tile-level ops, then "
      "instructions with dependency tokens); see "
      "include/llm/Pipelines/Pipelines.h",
      [](OpPassManager &pm, StringRef optionsStr,
         function_ref<LogicalResult(const Twine &)> errorHandler) {
        NPUPipelineOptions options;
        if (failed(options.parseFromString(optionsStr)))
          return failure();
        if (auto problem = checkNPUPipelineOptions(options))
          return errorHandler("llm-npu-pipeline: " + *problem);
        return buildNPUPipeline(pm, options);
      },
      [](function_ref<void(const detail::PassOptions &)> fn) {
        fn(NPUPipelineOptions());
      });
}
