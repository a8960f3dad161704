//===- GPUCostModel.h - GPU matmul tile sizes from a target ----*- C++ -*-===//
//
// The GPU sibling of CostModel.h: block, warp and k tiles of the tensor-core
// matmul kernel (lib/Pipelines/GPUMatmul.cpp) from a GPU TargetDescription
// (getGPUTarget) and a contraction's shape. The kernel's loop nest:
//
//   grid (N / BN, M / BM, batch)           one block per BM x BN tile of C
//    block of warpsM x warpsN warps        each warp a WTM x WTN tile
//     for k0 in K step BK:
//       A[BM, BK], B[BK, BN] -> shared     cooperative copy, barrier
//       for kk in BK step mmaK:            fragments from shared memory
//         for each 16 x 8 mma tile of the warp tile: mma.sync
//     C tile += accumulators               guarded stores
//
// The model (docs/nvptx.md, "The GPU cost model"):
//  1. warp tile: the largest of 64x64, 64x32, 32x32, 32x16, 16x16, 16x8
//     whose register estimate (accumulators + one k step's A and B
//     fragments + 40 for addresses and indices) fits registers-per-thread;
//     the block is 2 x 2 such warps;
//  2. the block tile is clamped to the problem (M and N rounded up to
//     powers of two, at least the mma shape 16 x 8);
//  3. while the grid has fewer blocks than the GPU has SMs (a partly idle
//     first wave), the larger of BM and BN is halved (not below 16):
//     parallelism over per-block data reuse;
//  4. warps: min(2, BM / 16) x min(2, BN / 8);
//  5. BK: the largest of 64, 32, 16, 8 (a multiple of the mma k, at most K
//     rounded up to it) whose A and B tiles fit the block's static shared
//     memory (`shared-memory`).
//
//===----------------------------------------------------------------------===//

#ifndef LLM_TILING_GPUCOSTMODEL_H
#define LLM_TILING_GPUCOSTMODEL_H

#include "llm/Tiling/CostModel.h"

#include <optional>

namespace mlir {
namespace llm {

/// Operand precision of the tensor-core matmul (accumulation is f32):
///   f32:  3xTF32 (each operand split into a tf32 high part and a tf32 low
///         part, three m16n8k8 tf32 mmas per step), close to f32 accuracy;
///   tf32: one m16n8k8 tf32 mma (10-bit mantissa operands);
///   bf16, f16: operands rounded when copied to shared memory, m16n8k16.
enum class GPUMatmulPrecision { F32, TF32, BF16, F16 };

/// The tensor-core instruction of the kernel:
///   MmaSync: warp-level nvvm.mma.sync (sm_80 and later), fragments loaded
///            from shared memory by each thread;
///   Wgmma:   warpgroup-level nvvm.wgmma.mma_async (sm_90a only; bf16 and
///            f16), both operands read by the tensor cores from shared memory
///            through matrix descriptors, asynchronously.
enum class GPUMatmulKernel { MmaSync, Wgmma };

/// Parses "f32", "tf32", "bf16", "f16".
std::optional<GPUMatmulPrecision> parseGPUMatmulPrecision(StringRef text);
StringRef stringifyGPUMatmulPrecision(GPUMatmulPrecision precision);

/// The kernel for the `kernel` option ("auto", "mma-sync", "wgmma") on
/// `chip`: auto is wgmma where it exists (chip sm_90a: the "a" features,
/// which the wgmma instructions need) for bf16 / f16, mma.sync otherwise;
/// wgmma asked for where it does not exist is an error (in `error`).
std::optional<GPUMatmulKernel> chooseGPUMatmulKernel(StringRef option,
                                                     StringRef chip,
                                                     GPUMatmulPrecision precision,
                                                     std::string &error);

/// k of the mma shape (m16n8k16 for 16-bit operands, m16n8k8 for tf32).
int64_t gpuMmaK(GPUMatmulPrecision precision);
/// Bytes per operand element in shared memory (16-bit types are stored as
/// pairs along k in 32-bit words).
int64_t gpuSharedElementBytes(GPUMatmulPrecision precision);
/// Padding of each shared-memory row, in 32-bit words: with it, the eight
/// rows one fragment load touches fall into distinct banks.
constexpr int64_t kGPUSharedRowPadWords = 4;

/// Tile sizes of the GPU matmul kernel; see the file comment. For the wgmma
/// kernel, warpsM is 4 x the warpgroups (stacked along M, each computing
/// BM / warpgroups rows with m64 wgmmas) and warpsN is 1.
struct GPUContractionTiles {
  GPUMatmulKernel kernel = GPUMatmulKernel::MmaSync;
  int64_t blockM = 0, blockN = 0, blockK = 0;
  int64_t warpsM = 0, warpsN = 0;
  /// Shared-memory copies of the A and B tiles: 2 = double buffering (the
  /// tile k + 1 is copied while the tensor cores work on tile k).
  int64_t stages = 1;
  /// Derived: shared memory of the A and B tiles, the register estimate per
  /// thread, resident blocks per SM (registers, shared memory, threads), and
  /// the blocks of the grid (0 when M or N is dynamic without a bound).
  int64_t sharedBytes = 0, registers = 0, blocksPerSM = 0, gridBlocks = 0;

  int64_t warpTileM() const { return blockM / warpsM; }
  int64_t warpTileN() const { return blockN / warpsN; }
  int64_t warps() const { return warpsM * warpsN; }
  /// wgmma: warpgroups of the block and rows of C per warpgroup.
  int64_t warpgroups() const { return warpsM / 4; }
  int64_t warpgroupTileM() const { return blockM / warpgroups(); }
  void print(llvm::raw_ostream &os) const;
};

/// Register estimate per thread for a warp tile.
int64_t gpuRegisterEstimate(int64_t warpTileM, int64_t warpTileN,
                            GPUMatmulPrecision precision);

/// Register estimate per thread of the wgmma kernel whose warpgroups each
/// compute `warpgroupTileM` x `blockN`.
int64_t gpuWgmmaRegisterEstimate(int64_t warpgroupTileM, int64_t blockN);

/// Chooses the tiles for `shape` (with `batch` independent contractions;
/// kDynamic if unknown) on GPU `target` for `kernel` (Wgmma needs 16-bit
/// precision).
GPUContractionTiles chooseGPUContractionTiles(
    const TargetDescription &target, const ContractionShape &shape,
    int64_t batch, GPUMatmulPrecision precision,
    GPUMatmulKernel kernel = GPUMatmulKernel::MmaSync);

/// Checks tiles given by hand (kernel, blockM, blockN, blockK, warpsM,
/// warpsN set; stages is the kernel's) against the mma shape and the target's limits, and fills the derived
/// fields; returns what is wrong or nullopt.
std::optional<std::string>
completeGPUContractionTiles(const TargetDescription &target,
                            const ContractionShape &shape, int64_t batch,
                            GPUMatmulPrecision precision,
                            GPUContractionTiles &tiles);

} // namespace llm
} // namespace mlir

#endif // LLM_TILING_GPUCOSTMODEL_H
