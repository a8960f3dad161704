//===- Pipelines.h - the compiler's target pipelines ------------*- C++ -*-===//
//
// The pass pipelines that take a module of `transformer` ops (as the ONNX
// importer produces it) to a target: `buildCPUPipeline` lowers it to the
// LLVM dialect for x86-64, ready for translation to LLVM IR (llm-opt
// --emit=llvm|asm|obj|shared) or for the JIT (llm-run). Each pipeline is
// also registered as an llm-opt flag with the same options:
//
//   llm-opt model.onnx --llm-cpu-pipeline="target-cpu=skylake-avx512"
//
// and embeds in another compiler in a few lines:
//
//   mlir::PassManager pm(&context);
//   mlir::llm::CPUPipelineOptions options;
//   if (failed(mlir::llm::buildCPUPipeline(pm, options)) ||
//       failed(pm.run(module)))
//     ...;
//
//===----------------------------------------------------------------------===//

#ifndef LLM_PIPELINES_PIPELINES_H
#define LLM_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"
#include "mlir/Support/LLVM.h"

#include <optional>
#include <string>

namespace mlir {
namespace llm {

/// Options of the CPU pipeline (`--llm-cpu-pipeline="opt=value ..."`).
struct CPUPipelineOptions : public PassPipelineOptions<CPUPipelineOptions> {
  PassOptions::Option<std::string> targetCPU{
      *this, "target-cpu",
      llvm::cl::desc("LLVM CPU the code is tuned for and may use the "
                     "instructions of (as for llc -mcpu), or 'host'"),
      llvm::cl::init("host")};
  PassOptions::Option<std::string> targetDesc{
      *this, "target-desc",
      llvm::cl::desc("Overrides of the target description the tile sizes "
                     "come from: 'key=value,...' or '@FILE' (see "
                     "include/llm/Tiling/TargetDescription.h)"),
      llvm::cl::init("")};
  PassOptions::Option<bool> tile{
      *this, "tile",
      llvm::cl::desc("Tile and vectorize contractions and elementwise ops "
                     "(false: the scalar "
                     "reference lowering, for comparisons)"),
      llvm::cl::init(true)};
  PassOptions::Option<std::string> quantize{
      *this, "quantize",
      llvm::cl::desc("Weight quantization (transformer-quantize): none, "
                     "int8-weight, int8-dynamic or int4-weight"),
      llvm::cl::init("none")};
  PassOptions::Option<int64_t> quantizeGroupSize{
      *this, "quantize-group-size",
      llvm::cl::desc("int4-weight: weights per scale along k (32, 64, 128)"),
      llvm::cl::init(32)};
  PassOptions::Option<std::string> quantizeScaleType{
      *this, "quantize-scale-type",
      llvm::cl::desc("int4-weight: scale element type, f32 or f16"),
      llvm::cl::init("f32")};
  PassOptions::Option<bool> quantizeZeroPoint{
      *this, "quantize-zero-point",
      llvm::cl::desc("int4-weight: asymmetric weights with zero points"),
      llvm::cl::init(false)};
  PassOptions::ListOption<std::string> quantizeExclude{
      *this, "quantize-exclude",
      llvm::cl::desc("Regular expressions on ONNX node or weight names kept "
                     "in float (e.g. lm_head)")};
  PassOptions::Option<bool> fuseAttention{
      *this, "fuse-attention",
      llvm::cl::desc("Fuse matmul-softmax-matmul attention subgraphs into "
                     "transformer.attention (transformer-fuse-attention)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> raisePatterns{
      *this, "raise-patterns",
      llvm::cl::desc("Raise primitive-op chains (norms, GELU, SiLU, RoPE) to "
                     "the fused ops (transformer-raise-patterns)"),
      llvm::cl::init(true)};
};

/// Checks option values the option parser cannot: returns a message saying
/// what is wrong ("quantize=int8 is not supported yet: ...") or nullopt.
std::optional<std::string>
checkCPUPipelineOptions(const CPUPipelineOptions &options);

/// The CPU target name `target-cpu` denotes: the host CPU's LLVM name for
/// "host" (or an empty value), else the value itself.
std::string resolveTargetCPU(StringRef targetCPU);

/// Appends the CPU pipeline to `pm` (anchored on builtin.module):
///   canonicalize -> transformer-raise-patterns (raise-patterns=true) ->
///   cse, transformer-fuse-attention (fuse-attention=true) ->
///   canonicalize -> convert-transformer-to-linalg -> canonicalize, cse ->
///   llm-fuse-elementwise -> canonicalize, cse ->
///   llm-readonly-arguments ->
///   one-shot-bufferize{bufferize-function-boundaries,
///     function-boundary-type-conversion=identity-layout-map} ->
///   buffer-deallocation-pipeline -> convert-bufferization-to-memref ->
///   llm-strided-copy-to-linalg -> llm-tile-contractions,
///   llm-vectorize-elementwise (unless tile=false) -> canonicalize, cse ->
///   convert-linalg-to-loops -> convert-math-to-llvm -> convert-math-to-libm
///   -> convert-vector-to-scf -> convert-scf-to-cf -> expand-strided-metadata
///   -> lower-affine -> convert-vector-to-llvm -> finalize-memref-to-llvm ->
///   llm-emit-c-interface ->
///   convert-{arith,index,func,cf,ub}-to-llvm -> reconcile-unrealized-casts
///   -> llm-set-target-cpu -> canonicalize.
/// Fails, adding nothing, if checkCPUPipelineOptions reports a problem.
LogicalResult buildCPUPipeline(OpPassManager &pm,
                               const CPUPipelineOptions &options);

/// Registers `--llm-cpu-pipeline` and the pipelines' helper passes
/// (llm-readonly-arguments, llm-emit-c-interface, llm-set-target-cpu,
/// llm-strided-copy-to-linalg).
void registerPipelines();

} // namespace llm
} // namespace mlir

#endif // LLM_PIPELINES_PIPELINES_H
