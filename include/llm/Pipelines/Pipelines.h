//===- Pipelines.h - the compiler's target pipelines ------------*- C++ -*-===//
//
// The pass pipelines that take a module of `transformer` ops (as the ONNX
// importer produces it) to a target: `buildCPUPipeline` lowers it to the
// LLVM dialect for x86-64, ready for translation to LLVM IR (llm-opt
// --emit=llvm|asm|obj|shared) or for the JIT (llm-run); `buildNVPTXPipeline`
// compiles it to GPU kernels in PTX launched from host code (llm-opt
// --emit=ptx|cubin). Each pipeline is
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
  PassOptions::Option<bool> fuseEpilogues{
      *this, "fuse-epilogues",
      llvm::cl::desc("Apply the elementwise consumer of a matmul's result "
                     "(bias, GELU, residual add, int8 dequantization) to the "
                     "kernels' register tiles instead of a second pass over "
                     "a result buffer (false: unfused, for comparisons)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> prefetchPanels{
      *this, "prefetch-panels",
      llvm::cl::desc("Prefetch the next micro-panel of packed weights larger "
                     "than the caches during the current one (false: no "
                     "prefetch, for comparisons)"),
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
  PassOptions::Option<int64_t> threads{
      *this, "threads",
      llvm::cl::desc("Threads the code is compiled for (0: the target "
                     "description's `threads`, the host's cores by default; "
                     "1: single-threaded code without OpenMP). The outermost "
                     "parallel loops are split into this many chunks and run "
                     "on OpenMP threads (OMP_NUM_THREADS / "
                     "omp_set_num_threads at run time); see docs/cpu.md"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> parallelMinCycles{
      *this, "parallel-min-cycles",
      llvm::cl::desc("Least work per thread (estimated cycles) for a loop to "
                     "be split across threads (-1: the cost model's "
                     "default; 0: split every loop, for tests)"),
      llvm::cl::init(-1)};
  PassOptions::Option<bool> raisePatterns{
      *this, "raise-patterns",
      llvm::cl::desc("Raise primitive-op chains (norms, GELU, SiLU, RoPE) to "
                     "the fused ops (transformer-raise-patterns)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> flashAttention{
      *this, "flash-attention",
      llvm::cl::desc("Lower transformer.attention flash-style (tiles, online "
                     "softmax); false: the naive lowering with the S x S "
                     "scores"),
      llvm::cl::init(true)};
  PassOptions::Option<int64_t> attentionTileQ{
      *this, "attention-tile-q",
      llvm::cl::desc("Queries per tile of the flash-style attention"),
      llvm::cl::init(64)};
  PassOptions::Option<int64_t> attentionTileKV{
      *this, "attention-tile-kv",
      llvm::cl::desc("Keys per tile of the flash-style attention"),
      llvm::cl::init(64)};
};

/// Checks option values the option parser cannot: returns a message saying
/// what is wrong ("quantize=int8 is not supported yet: ...") or nullopt.
std::optional<std::string>
checkCPUPipelineOptions(const CPUPipelineOptions &options);

/// The CPU target name `target-cpu` denotes: the host CPU's LLVM name for
/// "host" (or an empty value), else the value itself.
/// The threads `options` compiles for: `threads`, or the target
/// description's `threads` field when 0 (at least 1).
int64_t getCPUPipelineThreads(const CPUPipelineOptions &options);

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

/// Options of the NVPTX pipeline (`--llm-nvptx-pipeline="opt=value ..."`).
///
/// GPU tile sizes live here (until the tiling framework's target description
/// provides them): threads per block along the innermost dims of each
/// parallel loop, by the loop's rank, innermost last. The defaults give
/// 256-thread blocks whose x dim (consecutive threads) walks the innermost,
/// contiguous dim: 1-D `256`, 2-D `8,32`, 3-D and more `2,4,32`.
struct NVPTXPipelineOptions : public PassPipelineOptions<NVPTXPipelineOptions> {
  PassOptions::Option<std::string> chip{
      *this, "chip",
      llvm::cl::desc("NVIDIA GPU architecture: sm_70, sm_75, sm_80, sm_86, "
                     "sm_89, sm_90 or sm_90a"),
      llvm::cl::init("sm_90")};
  PassOptions::Option<std::string> features{
      *this, "features",
      llvm::cl::desc("NVPTX target features, e.g. +ptx80 (the PTX ISA "
                     "version; at least the chip's minimum)"),
      llvm::cl::init("+ptx80")};
  PassOptions::Option<int64_t> optLevel{
      *this, "opt-level",
      llvm::cl::desc("LLVM optimization level (0-3) of the device code"),
      llvm::cl::init(3)};
  PassOptions::Option<std::string> cudaPath{
      *this, "cuda-path",
      llvm::cl::desc("CUDA toolkit whose nvvm/libdevice/libdevice.10.bc is "
                     "linked into kernels that call math functions; empty: "
                     "$CUDA_PATH, else /usr/local/cuda, if it has libdevice"),
      llvm::cl::init("")};
  PassOptions::ListOption<int64_t> tileSizes1D{
      *this, "tile-sizes-1d",
      llvm::cl::desc("Threads per block of one-dimensional loops (256)")};
  PassOptions::ListOption<int64_t> tileSizes2D{
      *this, "tile-sizes-2d",
      llvm::cl::desc("Threads per block along the two innermost dims (8,32)")};
  PassOptions::ListOption<int64_t> tileSizes3D{
      *this, "tile-sizes-3d",
      llvm::cl::desc("Threads per block along the three innermost dims "
                     "(2,4,32)")};
  PassOptions::Option<bool> raisePatterns{
      *this, "raise-patterns",
      llvm::cl::desc("Raise primitive-op chains (norms, GELU, SiLU, RoPE) to "
                     "the fused ops (transformer-raise-patterns)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> fuseAttention{
      *this, "fuse-attention",
      llvm::cl::desc("Fuse matmul-softmax-matmul attention subgraphs into "
                     "transformer.attention (transformer-fuse-attention), "
                     "which becomes the fused attention kernel"),
      llvm::cl::init(true)};
  PassOptions::Option<int64_t> attentionTileQ{
      *this, "attention-tile-q",
      llvm::cl::desc("Queries per block of the fused attention kernel "
                     "(convert-transformer-to-gpu; halved while its shared "
                     "memory exceeds 48 KiB)"),
      llvm::cl::init(64)};
  PassOptions::Option<int64_t> attentionTileKV{
      *this, "attention-tile-kv",
      llvm::cl::desc("Keys per shared-memory tile of the fused attention "
                     "kernel (a multiple of 4)"),
      llvm::cl::init(32)};
  PassOptions::Option<bool> fuseNorms{
      *this, "fuse-norms",
      llvm::cl::desc("LayerNorm, RMSNorm and (log-)softmax over the last "
                     "axis, with the elementwise ops feeding them, as one "
                     "row-per-warp kernel each "
                     "(convert-transformer-norms-to-gpu); false: the "
                     "one-thread-per-row kernels of the linalg route"),
      llvm::cl::init(true)};
  PassOptions::Option<int64_t> normWarpsPerBlock{
      *this, "norm-warps-per-block",
      llvm::cl::desc("Rows (one per warp) per block of the fused "
                     "normalization kernels, 1..32"),
      llvm::cl::init(4)};
  PassOptions::Option<std::string> attentionPrecision{
      *this, "attention-precision",
      llvm::cl::desc("Products of the fused attention kernel: auto (tensor "
                     "cores, mma.sync, in the element type for f16/bf16 "
                     "attention on sm_80+; CUDA cores in f32 otherwise), "
                     "f32 (CUDA cores), bf16 or f16 (tensor cores, sm_80+)"),
      llvm::cl::init("auto")};
  PassOptions::Option<std::string> matmulPrecision{
      *this, "matmul-precision",
      llvm::cl::desc("Operands of the tensor-core matmul kernel "
                     "(llm-gpu-matmul, sm_80/sm_90/sm_90a): f32 (3xTF32, "
                     "about f32 accuracy), tf32, bf16 or f16 (f32 "
                     "accumulation); none: the one-thread-per-element "
                     "kernel"),
      llvm::cl::init("f32")};
  PassOptions::Option<std::string> matmulKernel{
      *this, "matmul-kernel",
      llvm::cl::desc("Tensor-core instruction of the matmul kernel: auto "
                     "(wgmma for chip=sm_90a and bf16/f16, else mma.sync), "
                     "mma-sync or wgmma (sm_90a, bf16/f16)"),
      llvm::cl::init("auto")};
  PassOptions::ListOption<int64_t> matmulTileSizes{
      *this, "matmul-tile-sizes",
      llvm::cl::desc("BM,BN,BK,warpsM,warpsN of the matmul kernel instead "
                     "of the GPU cost model's")};
  PassOptions::Option<std::string> gpuDesc{
      *this, "gpu-desc",
      llvm::cl::desc("Overrides of the chip's GPU description for the cost "
                     "model (key=value list or @file; docs/tiling.md)"),
      llvm::cl::init("")};
  PassOptions::Option<bool> lowerHost{
      *this, "lower-host",
      llvm::cl::desc("Also lower the host code to the LLVM dialect for our "
                     "CUDA runtime (buildNVPTXHostPipeline)"),
      llvm::cl::init(false)};
};

/// Checks NVPTX option values the option parser cannot (known chip, a PTX
/// version the chip supports, tile sizes); returns what is wrong or nullopt.
std::optional<std::string>
checkNVPTXPipelineOptions(const NVPTXPipelineOptions &options);

/// The CUDA toolkit the NVPTX pipeline links libdevice from: `cudaPath` if
/// given, else $CUDA_PATH, else /usr/local/cuda, the first that has
/// nvvm/libdevice/libdevice.10.bc; "" if none has (kernels that call math
/// functions then fail at llm-opt --emit).
std::string resolveCUDAPath(StringRef cudaPath);

/// Appends the NVPTX pipeline to `pm` (anchored on builtin.module):
///   transformer-fold-qdq -> canonicalize -> convert-transformer-to-linalg ->
///   canonicalize, cse -> llm-fuse-elementwise -> canonicalize, cse ->
///   llm-readonly-arguments -> one-shot-bufferize (as the CPU pipeline) ->
///   buffer-deallocation-pipeline -> convert-bufferization-to-memref ->
///   llm-strided-copy-to-linalg -> llm-gpu-matmul{chip, matmul-precision,
///   matmul-tile-sizes, gpu-desc} (sm_80, sm_90, sm_90a; unless
///   matmul-precision=none) -> convert-linalg-to-parallel-loops ->
///   canonicalize -> llm-gpu-map-parallel-loops{tile sizes} ->
///   convert-parallel-loops-to-gpu -> canonicalize -> gpu-kernel-outlining ->
///   llm-merge-gpu-modules -> nvvm-attach-target{chip, features, O} ->
///   gpu.module(lower-affine, convert-scf-to-cf, expand-strided-metadata,
///   convert-gpu-to-nvvm, canonicalize, cse, reconcile-unrealized-casts) ->
///   gpu-module-to-binary{format=isa toolkit=resolveCUDAPath(cuda-path)} -> canonicalize.
/// The result is host code (func, memref, scf, arith) that launches the
/// kernels with gpu.launch_func, and one gpu.binary @llm_kernels holding the
/// PTX of all kernels (llm-opt --emit=ptx|cubin writes it).
/// Fails, adding nothing, if checkNVPTXPipelineOptions reports a problem.
LogicalResult buildNVPTXPipeline(OpPassManager &pm,
                                 const NVPTXPipelineOptions &options);

/// Lowers the host code the NVPTX pipeline leaves (func/memref/scf with
/// gpu.launch_func, next to the gpu.binary) to the LLVM dialect, calling our
/// CUDA runtime (lib/Runtime/CUDA, the mgpu* ABI): llm-gpu-host-buffers
/// (managed buffers, inputs and results copied, the CPU target's C ABI) ->
/// math, scf, strided metadata, affine -> finalize-memref-to-llvm ->
/// llm-emit-c-interface -> gpu-to-llvm -> arith/index/func/cf/ub to LLVM ->
/// reconcile-unrealized-casts -> llm-gpu-device-globals -> canonicalize.
/// The gpu.binary and the lowered gpu.launch_func ops are translated to
/// LLVM IR (module load in a global constructor, launches) with the GPU
/// dialect's LLVM IR translation. Added by `lower-host=true`.
void buildNVPTXHostPipeline(OpPassManager &pm);

/// Registers `--llm-nvptx-pipeline` (called by registerPipelines).
void registerNVPTXPipeline();

/// Options of the NPU pipeline (`--llm-npu-pipeline="opt=value ..."`).
struct NPUPipelineOptions : public PassPipelineOptions<NPUPipelineOptions> {
  PassOptions::Option<std::string> dtype{
      *this, "dtype",
      llvm::cl::desc("Data type of the systolic array's operands: bf16, or "
                     "int8 (weights quantized per output channel by "
                     "transformer-quantize{mode=int8-weight}, activations "
                     "per row on chip; attention stays bf16)"),
      llvm::cl::init("bf16")};
  PassOptions::Option<int64_t> tileM{
      *this, "tile-m",
      llvm::cl::desc("Rows of a C block in the accumulator (0: from the NPU "
                     "target description)"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> tileN{
      *this, "tile-n",
      llvm::cl::desc("Columns of a C block, a multiple of 16 (0: from the NPU "
                     "target description)"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> dramLimit{
      *this, "dram-limit",
      llvm::cl::desc("DRAM bytes a program may use (data segment and "
                     "arguments); npu-sim's default is 4 GiB"),
      llvm::cl::init(int64_t(4) << 30)};
  PassOptions::Option<bool> fuseAttention{
      *this, "fuse-attention",
      llvm::cl::desc("Fuse attention subgraphs (transformer-fuse-attention)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> raisePatterns{
      *this, "raise-patterns",
      llvm::cl::desc("Raise primitive-op chains to the fused ops "
                     "(transformer-raise-patterns)"),
      llvm::cl::init(true)};
};

/// Checks NPU option values; returns what is wrong or nullopt.
std::optional<std::string>
checkNPUPipelineOptions(const NPUPipelineOptions &options);

/// Appends the NPU pipeline to `pm` (anchored on builtin.module):
///   transformer-fold-qdq -> canonicalize -> transformer-raise-patterns ->
///   cse -> transformer-fuse-attention -> (dtype=int8:
///   transformer-quantize{mode=int8-weight}) -> canonicalize ->
///   convert-transformer-to-npu{dtype, tile sizes, dram-limit} ->
///   npu.program(npu-lower-tiles, npu-insert-tokens).
/// The result is one `npu.program` of instructions (llm-opt
/// --emit=npu-asm|npu-bin writes it; llm-run --target=npu runs it on the
/// simulator). Tile sizes not given come from the NPU's target description
/// (lib/Tiling: the scratchpad size; the accumulator holds two C blocks).
/// Fails, adding nothing, if checkNPUPipelineOptions reports a problem.
LogicalResult buildNPUPipeline(OpPassManager &pm,
                               const NPUPipelineOptions &options);

/// Registers `--llm-npu-pipeline` (called by registerPipelines).
void registerNPUPipeline();

/// Registers `--llm-cpu-pipeline`, `--llm-nvptx-pipeline` and the pipelines'
/// helper passes (llm-readonly-arguments, llm-emit-c-interface,
/// llm-set-target-cpu, llm-strided-copy-to-linalg, llm-gpu-map-parallel-loops,
/// llm-merge-gpu-modules).
void registerPipelines();

} // namespace llm
} // namespace mlir

#endif // LLM_PIPELINES_PIPELINES_H
