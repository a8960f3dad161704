//===- CostModel.cpp - tile sizes from a target description ---------------===//
//
// Implements chooseContractionTiles (see CostModel.h and docs/tiling.md).
//
//===----------------------------------------------------------------------===//

#include "llm/Tiling/CostModel.h"

#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/Format.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::llm;

/// Vector loads (and broadcasts from memory) per cycle on the x86 cores the
/// model targets.
static constexpr double kLoadPorts = 2.0;

void ContractionTiles::print(llvm::raw_ostream &os) const {
  os << "mr=" << mr << " nr=" << nr << " kc=" << kc << " mc=" << mc
     << " nc=" << nc << " lanes=" << lanes
     << " efficiency=" << llvm::format("%.2f", efficiency)
     << " pack-a=" << (packA ? 1 : 0);
}

double llm::registerTileEfficiency(const TargetDescription &target, int64_t mr,
                                   int64_t vectors) {
  double fmas = static_cast<double>(mr * vectors);
  double fmaCycles = fmas / static_cast<double>(target.fmaUnits);
  double loadCycles = static_cast<double>(mr + vectors) / kLoadPorts;
  double latencyCycles = static_cast<double>(target.fmaLatency);
  return fmaCycles / std::max({fmaCycles, loadCycles, latencyCycles});
}

/// Relative cycles to compute an m x n output with `mr` x `vectors` register
/// tiles and the code generator's edge tiles: rows past the last full MR
/// use 1 x NR tiles, columns past the last full NR use MR x lanes tiles
/// (then 1 x lanes), and the last n % lanes columns are scalar (one FMA per
/// element at the FMA latency). Dynamic sizes count as exact multiples.
static double estimateCycles(const TargetDescription &target, int64_t m,
                             int64_t n, int64_t mr, int64_t vectors,
                             int64_t lanes) {
  int64_t nr = vectors * lanes;
  bool staticM = !ShapedType::isDynamic(m), staticN = !ShapedType::isDynamic(n);
  double mFull = staticM ? static_cast<double>(m / mr * mr) : 1.0;
  double mRest = staticM ? static_cast<double>(m % mr) : 0.0;
  double nFull = staticN ? static_cast<double>(n / nr * nr) : 1.0;
  double nRest = staticN ? static_cast<double>(n % nr) : 0.0;
  double nVec = staticN ? static_cast<double>(n % nr / lanes * lanes) : 0.0;
  double nScalar = nRest - nVec;
  // Cycles per output element per k step of each tile kind, relative to the
  // peak rate of lanes * fmaUnits elements per cycle.
  auto cost = [&](int64_t rows, int64_t vecs) {
    return 1.0 / registerTileEfficiency(target, rows, vecs);
  };
  double scalarCost =
      static_cast<double>(lanes * target.fmaUnits * target.fmaLatency);
  double cycles = mFull * nFull * cost(mr, vectors) +
                  mRest * nFull * cost(1, vectors) +
                  mFull * nVec * cost(mr, 1) + mRest * nVec * cost(1, 1) +
                  (mFull + mRest) * nScalar * scalarCost;
  return cycles;
}

/// Rounds `value` down to a multiple of `step` (at least `step`).
static int64_t roundDown(int64_t value, int64_t step) {
  return std::max(step, value / step * step);
}

/// Splits `total` into equal blocks of at most `limit` (rounded up to
/// `step`), so that the last block is not a small remainder.
static int64_t balance(int64_t total, int64_t limit, int64_t step) {
  if (ShapedType::isDynamic(total) || total <= limit)
    return ShapedType::isDynamic(total) ? limit
                                        : (total + step - 1) / step * step;
  int64_t blocks = (total + limit - 1) / limit;
  int64_t size = (total + blocks - 1) / blocks;
  return std::min(limit, (size + step - 1) / step * step);
}

ContractionTiles llm::chooseContractionTiles(const TargetDescription &target,
                                             const ContractionShape &shape,
                                             int64_t fixedNr) {
  ContractionTiles tiles;
  int64_t lanes = std::max<int64_t>(1, target.vectorLanes(shape.elementBytes));
  // A dynamic size with a known upper bound is planned for at the bound.
  int64_t m = ShapedType::isDynamic(shape.m) ? shape.mBound : shape.m;
  int64_t n = ShapedType::isDynamic(shape.n) ? shape.nBound : shape.n;
  tiles.lanes = lanes;

  // Register tile: accumulators + one row of B vectors + one A broadcast
  // must fit in the vector registers.
  double best = 0;
  double bestIntensity = 0;
  for (int64_t vectors = 1; vectors <= 8; ++vectors) {
    if (fixedNr > 0 && vectors * lanes != fixedNr)
      continue;
    for (int64_t mr = 1; mr <= 16; ++mr) {
      if (mr * vectors + vectors + 1 > target.vectorRegisters)
        continue;
      double cycles =
          estimateCycles(target, m, n, mr, vectors, lanes);
      double score = 1.0 / cycles;
      // Ties (within 0.5%): fewer loads per FMA.
      double intensity =
          static_cast<double>(mr * vectors) / static_cast<double>(mr + vectors);
      if (score > best * 1.005 ||
          (score >= best * 0.995 && intensity > bestIntensity)) {
        best = score;
        bestIntensity = intensity;
        tiles.mr = mr;
        tiles.nr = vectors * lanes;
      }
    }
  }
  // A fixed NR too wide for the registers: no tile (mr = 0).
  if (tiles.mr == 0)
    return tiles;
  // Efficiency: the ideal cycles (every element at the peak rate; one
  // element stands for a dynamic dim, as in estimateCycles) over the
  // estimate.
  double ideal = (ShapedType::isDynamic(m) ? 1.0 : m) *
                 (ShapedType::isDynamic(n) ? 1.0 : n);
  tiles.efficiency = ideal / estimateCycles(target, m, n, tiles.mr,
                                            tiles.nr / lanes, lanes);

  // KC: the B micro-panel KC x NR in a quarter of L2. Each MR x NR tile of
  // C is loaded and stored once per k block, so KC sets the FLOPs per byte
  // of C traffic (2 KC / 8): with the panel in half of L1 (KC = 64 for
  // NR = 64 in 32 KiB) every k block swept all of C again, from L3 once C
  // outgrew L2 (M = 512, N = 4096: 8 MiB, 64 sweeps; 72 GFLOP/s against
  // 108 with KC = 1024). The micro-panel then streams from L2 at each m
  // step (NR * 4 bytes per k step against MR * NR / lanes FMA cycles,
  // contiguous: the prefetchers keep up); the A block takes the other half.
  int64_t eb = shape.elementBytes;
  int64_t kcLimit = roundDown(target.l2Bytes / 4 / (tiles.nr * eb), 8);
  tiles.kc = balance(shape.k, kcLimit, 1);
  // MC: the A block MC x KC in half of L2 (padded rows: see packA).
  int64_t mcLimit = roundDown(target.l2Bytes / 2 / (tiles.kc * eb), tiles.mr);
  tiles.mc = balance(m, mcLimit, tiles.mr);
  // NC: the B panel KC x NC in this thread's share of half of L3.
  int64_t l3Share = target.l3Bytes / 2 / std::max<int64_t>(1, target.threads);
  int64_t ncLimit = roundDown(l3Share / (tiles.kc * eb), tiles.nr);
  tiles.nc = balance(n, ncLimit, tiles.nr);
  // Copy A blocks (padded row stride) where a block has full register tiles
  // of several rows (m >= MR, m >= 2: one row is contiguous already) and
  // more than one register panel reuses it (NC > NR).
  tiles.packA = (ShapedType::isDynamic(m) || m >= std::max<int64_t>(2, tiles.mr)) &&
                (ShapedType::isDynamic(n) || tiles.nc > tiles.nr);
  return tiles;
}

int64_t llm::choosePackedPanelWidth(const TargetDescription &target,
                                    const ContractionShape &shape) {
  ContractionTiles tiles = chooseContractionTiles(target, shape);
  if (tiles.nr <= 0 || ShapedType::isDynamic(shape.n))
    return 0;
  if (shape.n % tiles.nr == 0)
    return tiles.nr;
  // The model's NR leaves an N edge: a panel width that divides N lets
  // every column read the compile-time panels, where the model's choice
  // would copy each KC x NR micro-panel at run time from B's rows (N * 4
  // bytes apart: a page per row for N >= 1024, one miss per row). Take the
  // dividing width with the best estimate; ties (within 0.5%), as in the
  // register tile choice, go to the most FMAs per load.
  int64_t best = 0;
  double bestEfficiency = 0, bestIntensity = 0;
  for (int64_t vectors = 1; vectors <= 8; ++vectors) {
    int64_t nr = vectors * tiles.lanes;
    if (shape.n % nr != 0)
      continue;
    ContractionTiles fixed = chooseContractionTiles(target, shape, nr);
    if (fixed.mr <= 0)
      continue;
    double intensity = static_cast<double>(fixed.mr * vectors) /
                       static_cast<double>(fixed.mr + vectors);
    if (fixed.efficiency > bestEfficiency * 1.005 ||
        (fixed.efficiency >= bestEfficiency * 0.995 &&
         intensity > bestIntensity)) {
      best = nr;
      bestEfficiency = fixed.efficiency;
      bestIntensity = intensity;
    }
  }
  return best;
}

int64_t llm::parallelIterationsPerCycle(const TargetDescription &target,
                                        ParallelWorkKind kind) {
  int64_t lanes = std::max<int64_t>(1, target.vectorLanes(4));
  switch (kind) {
  case ParallelWorkKind::Contraction:
    return lanes * std::max<int64_t>(1, target.fmaUnits);
  case ParallelWorkKind::FillOrCopy:
    return lanes;
  case ParallelWorkKind::Other:
    return 1;
  }
  llvm_unreachable("unknown ParallelWorkKind");
}
