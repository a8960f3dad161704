//===- GPUCostModel.cpp - GPU matmul tile sizes from a target -------------===//
//
// Implements chooseGPUContractionTiles (see GPUCostModel.h, docs/nvptx.md).
//
//===----------------------------------------------------------------------===//

#include "llm/Tiling/GPUCostModel.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/ErrorHandling.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::llm;

std::optional<GPUMatmulPrecision>
llm::parseGPUMatmulPrecision(StringRef text) {
  return llvm::StringSwitch<std::optional<GPUMatmulPrecision>>(text)
      .Case("f32", GPUMatmulPrecision::F32)
      .Case("tf32", GPUMatmulPrecision::TF32)
      .Case("bf16", GPUMatmulPrecision::BF16)
      .Case("f16", GPUMatmulPrecision::F16)
      .Default(std::nullopt);
}

StringRef llm::stringifyGPUMatmulPrecision(GPUMatmulPrecision precision) {
  switch (precision) {
  case GPUMatmulPrecision::F32:
    return "f32";
  case GPUMatmulPrecision::TF32:
    return "tf32";
  case GPUMatmulPrecision::BF16:
    return "bf16";
  case GPUMatmulPrecision::F16:
    return "f16";
  }
  llvm_unreachable("unknown GPUMatmulPrecision");
}

static bool isSixteenBit(GPUMatmulPrecision precision) {
  return precision == GPUMatmulPrecision::BF16 ||
         precision == GPUMatmulPrecision::F16;
}

std::optional<GPUMatmulKernel>
llm::chooseGPUMatmulKernel(StringRef option, StringRef chip,
                           GPUMatmulPrecision precision, std::string &error) {
  bool wgmmaChip = chip == "sm_90a";
  if (option == "mma-sync")
    return GPUMatmulKernel::MmaSync;
  if (option == "auto")
    return wgmmaChip && isSixteenBit(precision) ? GPUMatmulKernel::Wgmma
                                                : GPUMatmulKernel::MmaSync;
  if (option != "wgmma") {
    error = "kernel=" + option.str() + " is not one of auto, mma-sync, wgmma";
    return std::nullopt;
  }
  if (!wgmmaChip) {
    error = "the wgmma kernel needs chip=sm_90a (wgmma is an sm_90a "
            "instruction), not " + chip.str();
    return std::nullopt;
  }
  if (!isSixteenBit(precision)) {
    error = "the wgmma kernel takes precision bf16 or f16, not " +
            stringifyGPUMatmulPrecision(precision).str();
    return std::nullopt;
  }
  return GPUMatmulKernel::Wgmma;
}

int64_t llm::gpuMmaK(GPUMatmulPrecision precision) {
  return isSixteenBit(precision) ? 16 : 8;
}

int64_t llm::gpuSharedElementBytes(GPUMatmulPrecision precision) {
  return isSixteenBit(precision) ? 2 : 4;
}

void GPUContractionTiles::print(llvm::raw_ostream &os) const {
  os << "block=" << blockM << "x" << blockN << "x" << blockK
     << " warps=" << warpsM << "x" << warpsN;
  if (kernel == GPUMatmulKernel::Wgmma)
    os << " warpgroup-tile=" << warpgroupTileM() << "x" << blockN;
  else
    os << " warp-tile=" << warpTileM() << "x" << warpTileN();
  os << " shared=" << sharedBytes
     << " registers=" << registers << " blocks-per-sm=" << blocksPerSM
     << " grid-blocks=" << gridBlocks << " kernel="
     << (kernel == GPUMatmulKernel::Wgmma ? "wgmma" : "mma-sync")
     << " stages=" << stages;
}

int64_t llm::gpuRegisterEstimate(int64_t warpTileM, int64_t warpTileN,
                                 GPUMatmulPrecision precision) {
  // Accumulators: the warp tile's f32 elements over 32 lanes. Fragments of
  // one k step: 4 registers per 16-row A tile, 2 per 8-column B tile (both
  // mma shapes), twice for 3xTF32 (high and low parts).
  int64_t accumulators = warpTileM * warpTileN / 32;
  int64_t fragments = warpTileM / 16 * 4 + warpTileN / 8 * 2;
  if (precision == GPUMatmulPrecision::F32)
    fragments *= 2;
  return accumulators + fragments + 40;
}

int64_t llm::gpuWgmmaRegisterEstimate(int64_t warpgroupTileM,
                                      int64_t blockN) {
  // Accumulators: the warpgroup tile's f32 elements over 128 threads (the
  // operands stay in shared memory), plus 40 for descriptors, addresses and
  // the copy's temporaries.
  return warpgroupTileM * blockN / 128 + 40;
}

static int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }
static int64_t roundUp(int64_t a, int64_t b) { return ceilDiv(a, b) * b; }

/// Shared memory of the A (BM x BK) and B (BN x BK, stored n-major) tiles:
/// rows of BK elements packed in 32-bit words, plus the row padding.
static int64_t sharedTileBytes(int64_t blockM, int64_t blockN, int64_t blockK,
                               GPUMatmulPrecision precision) {
  int64_t words = blockK * gpuSharedElementBytes(precision) / 4;
  return (blockM + blockN) * (words + kGPUSharedRowPadWords) * 4;
}

/// Shared memory of the wgmma kernel's tiles: `stages` copies of A
/// (BM x BK) and B (BN x BK) as 16-bit elements in 8 x 8 core matrices
/// (no padding: the tensor cores read them through descriptors), plus 16
/// bytes per buffer for aligning its start to 16 bytes.
static int64_t wgmmaSharedBytes(int64_t blockM, int64_t blockN, int64_t blockK,
                                int64_t stages) {
  return stages * (blockM + blockN) * blockK * 2 + 2 * 16;
}

static int64_t tilesSharedBytes(const GPUContractionTiles &tiles,
                                GPUMatmulPrecision precision) {
  if (tiles.kernel == GPUMatmulKernel::Wgmma)
    return wgmmaSharedBytes(tiles.blockM, tiles.blockN, tiles.blockK,
                            tiles.stages);
  return sharedTileBytes(tiles.blockM, tiles.blockN, tiles.blockK, precision);
}

static int64_t tilesRegisters(const GPUContractionTiles &tiles,
                              GPUMatmulPrecision precision) {
  if (tiles.kernel == GPUMatmulKernel::Wgmma)
    return gpuWgmmaRegisterEstimate(tiles.warpgroupTileM(), tiles.blockN);
  return gpuRegisterEstimate(tiles.warpTileM(), tiles.warpTileN(), precision);
}

/// A static size, or its bound, or kDynamic.
static int64_t plannedSize(int64_t size, int64_t bound) {
  return ShapedType::isDynamic(size) ? bound : size;
}

/// Blocks of a bm x bn grid over m x n (planned sizes) and `batch`; unknown
/// sizes count as large (as many tiles as SMs).
static int64_t plannedGridBlocks(const TargetDescription &target, int64_t m,
                                 int64_t n, int64_t batch, int64_t bm,
                                 int64_t bn) {
  int64_t tilesM = ShapedType::isDynamic(m) ? target.gpuSMs : ceilDiv(m, bm);
  int64_t tilesN = ShapedType::isDynamic(n) ? target.gpuSMs : ceilDiv(n, bn);
  return tilesM * tilesN * (ShapedType::isDynamic(batch) ? 1 : batch);
}

/// `block` clamped to a static `size` rounded up to a power of two (at least
/// `minimum`, the mma's extent), unchanged for unknown sizes.
static int64_t clampBlock(int64_t block, int64_t size, int64_t minimum) {
  if (ShapedType::isDynamic(size))
    return block;
  return std::min<int64_t>(
      block, std::max<uint64_t>(minimum, llvm::PowerOf2Ceil(size)));
}

/// Fills the derived fields of `tiles`.
static void deriveFields(const TargetDescription &target,
                         const ContractionShape &shape, int64_t batch,
                         GPUMatmulPrecision precision,
                         GPUContractionTiles &tiles) {
  tiles.sharedBytes = tilesSharedBytes(tiles, precision);
  tiles.registers = tilesRegisters(tiles, precision);
  int64_t threads = tiles.warps() * target.gpuWarpSize;
  tiles.blocksPerSM = std::min(
      {target.gpuBlocksPerSM, target.gpuThreadsPerSM / threads,
       target.gpuRegistersPerSM / (threads * tiles.registers),
       target.gpuSharedMemoryPerSM / tiles.sharedBytes});
  int64_t m = plannedSize(shape.m, shape.mBound);
  int64_t n = plannedSize(shape.n, shape.nBound);
  tiles.gridBlocks = 0;
  if (!ShapedType::isDynamic(m) && !ShapedType::isDynamic(n))
    tiles.gridBlocks = ceilDiv(m, tiles.blockM) * ceilDiv(n, tiles.blockN) *
                       (ShapedType::isDynamic(batch) ? 1 : batch);
}

/// The wgmma kernel's tiles (see GPUCostModel.h, docs/nvptx.md).
static GPUContractionTiles
chooseWgmmaTiles(const TargetDescription &target, const ContractionShape &shape,
                 int64_t batch, GPUMatmulPrecision precision) {
  GPUContractionTiles tiles;
  tiles.kernel = GPUMatmulKernel::Wgmma;
  tiles.stages = 2;
  // 1. 128 x 128: two warpgroups of 64 x 128 (one m64n128k16 wgmma each per
  // k step, 64 accumulators per thread).
  tiles.blockM = 128;
  tiles.blockN = 128;
  // 2. Clamp to the problem: BM 64 (one warpgroup) for M <= 64, BN the
  // power of two >= N (at least 8, the smallest wgmma n).
  int64_t m = plannedSize(shape.m, shape.mBound);
  int64_t n = plannedSize(shape.n, shape.nBound);
  if (!ShapedType::isDynamic(m) && m <= 64)
    tiles.blockM = 64;
  tiles.blockN = clampBlock(tiles.blockN, n, 8);
  // 3. Fill the SMs: first one warpgroup of 64 rows instead of two, then
  // halve BN (not below 8).
  while (plannedGridBlocks(target, m, n, batch, tiles.blockM, tiles.blockN) <
             target.gpuSMs &&
         (tiles.blockM > 64 || tiles.blockN > 8)) {
    if (tiles.blockM > 64)
      tiles.blockM = 64;
    else
      tiles.blockN /= 2;
  }
  tiles.warpsM = 4 * (tiles.blockM / 64);
  tiles.warpsN = 1;
  // 4. BK: the largest of 64, 32, 16 (at most K rounded up to 16) whose two
  // stages fit the static shared memory.
  int64_t kLimit = ShapedType::isDynamic(shape.k) ? 64 : roundUp(shape.k, 16);
  tiles.blockK = 16;
  for (int64_t bk : {64, 32, 16}) {
    if (bk > kLimit)
      continue;
    if (wgmmaSharedBytes(tiles.blockM, tiles.blockN, bk, tiles.stages) <=
        target.sharedMemoryBytes) {
      tiles.blockK = bk;
      break;
    }
  }
  deriveFields(target, shape, batch, precision, tiles);
  return tiles;
}

GPUContractionTiles llm::chooseGPUContractionTiles(
    const TargetDescription &target, const ContractionShape &shape,
    int64_t batch, GPUMatmulPrecision precision, GPUMatmulKernel kernel) {
  if (kernel == GPUMatmulKernel::Wgmma)
    return chooseWgmmaTiles(target, shape, batch, precision);
  GPUContractionTiles tiles;
  // 1. The largest warp tile whose registers fit; 2 x 2 warps.
  static constexpr std::pair<int64_t, int64_t> kWarpTiles[] = {
      {64, 64}, {64, 32}, {32, 32}, {32, 16}, {16, 16}, {16, 8}};
  std::pair<int64_t, int64_t> warpTile = kWarpTiles[std::size(kWarpTiles) - 1];
  for (auto candidate : kWarpTiles) {
    if (gpuRegisterEstimate(candidate.first, candidate.second, precision) <=
        target.gpuRegistersPerThread) {
      warpTile = candidate;
      break;
    }
  }
  tiles.blockM = 2 * warpTile.first;
  tiles.blockN = 2 * warpTile.second;

  // 2. Clamp to the problem (powers of two, so that halving keeps the
  // sizes multiples of the mma shape).
  int64_t m = plannedSize(shape.m, shape.mBound);
  int64_t n = plannedSize(shape.n, shape.nBound);
  tiles.blockM = clampBlock(tiles.blockM, m, 16);
  tiles.blockN = clampBlock(tiles.blockN, n, 8);

  // 3. Fill the SMs: halve the larger block dim while the grid has fewer
  // blocks than SMs. Unknown sizes count as large (no halving along them).
  while (plannedGridBlocks(target, m, n, batch, tiles.blockM, tiles.blockN) <
             target.gpuSMs &&
         (tiles.blockM > 16 || tiles.blockN > 16)) {
    // blockM >= blockN here implies blockM > 16 (else both are <= 16).
    if (tiles.blockM >= tiles.blockN)
      tiles.blockM /= 2;
    else
      tiles.blockN /= 2;
  }

  // 4. Warps.
  tiles.warpsM = std::min<int64_t>(2, tiles.blockM / 16);
  tiles.warpsN = std::min<int64_t>(2, tiles.blockN / 8);

  // 5. BK: the largest that fits the static shared memory and K.
  int64_t mmaK = gpuMmaK(precision);
  int64_t kLimit = ShapedType::isDynamic(shape.k) ? 64 : roundUp(shape.k, mmaK);
  tiles.blockK = mmaK;
  for (int64_t bk : {64, 32, 16, 8}) {
    if (bk < mmaK || bk > kLimit)
      continue;
    if (sharedTileBytes(tiles.blockM, tiles.blockN, bk, precision) <=
        target.sharedMemoryBytes) {
      tiles.blockK = bk;
      break;
    }
  }
  deriveFields(target, shape, batch, precision, tiles);
  return tiles;
}

std::optional<std::string> llm::completeGPUContractionTiles(
    const TargetDescription &target, const ContractionShape &shape,
    int64_t batch, GPUMatmulPrecision precision, GPUContractionTiles &tiles) {
  int64_t mmaK = gpuMmaK(precision);
  auto str = [](int64_t v) { return std::to_string(v); };
  if (tiles.warpsM <= 0 || tiles.warpsN <= 0)
    return "warps " + str(tiles.warpsM) + "x" + str(tiles.warpsN) +
           " must be positive";
  if (tiles.kernel == GPUMatmulKernel::Wgmma) {
    if (precision != GPUMatmulPrecision::BF16 &&
        precision != GPUMatmulPrecision::F16)
      return "the wgmma kernel takes bf16 or f16, not " +
             stringifyGPUMatmulPrecision(precision).str();
    if (tiles.warpsN != 1 || tiles.warpsM % 4)
      return "wgmma: warps " + str(tiles.warpsM) + "x" + str(tiles.warpsN) +
             " must be 4 x warpgroups by 1";
    if (tiles.blockM <= 0 || tiles.blockM % (64 * tiles.warpgroups()))
      return "wgmma: block M " + str(tiles.blockM) +
             " must be a positive multiple of 64 x warpgroups (" +
             str(64 * tiles.warpgroups()) + ")";
    if (tiles.blockN <= 0 || tiles.blockN % 8 || tiles.blockN > 256)
      return "wgmma: block N " + str(tiles.blockN) +
             " must be a multiple of 8 in 8..256 (the wgmma n)";
  } else {
  if (tiles.blockM <= 0 || tiles.blockM % (16 * tiles.warpsM))
    return "block M " + str(tiles.blockM) + " must be a positive multiple of " +
           "16 x warps along M (" + str(16 * tiles.warpsM) + ")";
  if (tiles.blockN <= 0 || tiles.blockN % (8 * tiles.warpsN))
    return "block N " + str(tiles.blockN) + " must be a positive multiple of " +
           "8 x warps along N (" + str(8 * tiles.warpsN) + ")";
  }
  if (tiles.blockK <= 0 || tiles.blockK % mmaK)
    return "block K " + str(tiles.blockK) +
           " must be a positive multiple of the mma k (" + str(mmaK) + " for " +
           stringifyGPUMatmulPrecision(precision).str() + ")";
  int64_t threads = tiles.warps() * target.gpuWarpSize;
  if (threads > target.gpuThreadsPerBlock)
    return str(tiles.warps()) + " warps are " + str(threads) +
           " threads, more than a block's " + str(target.gpuThreadsPerBlock);
  int64_t shared = tilesSharedBytes(tiles, precision);
  if (shared > target.sharedMemoryBytes)
    return "the A and B tiles need " + str(shared) +
           " bytes of shared memory, more than a block's " +
           str(target.sharedMemoryBytes);
  int64_t registers = tilesRegisters(tiles, precision);
  if (registers > target.gpuRegistersPerThread)
    return "the " +
           (tiles.kernel == GPUMatmulKernel::Wgmma
                ? "warpgroup tile " + str(tiles.warpgroupTileM()) + "x" +
                      str(tiles.blockN)
                : "warp tile " + str(tiles.warpTileM()) + "x" +
                      str(tiles.warpTileN())) +
           " needs about " + str(registers) +
           " registers per thread, more than " +
           str(target.gpuRegistersPerThread);
  deriveFields(target, shape, batch, precision, tiles);
  return std::nullopt;
}
