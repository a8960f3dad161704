//===- CostModel.h - tile sizes from a target description ------*- C++ -*-===//
//
// The cost model that turns a TargetDescription and a contraction's shape
// into tile sizes for each level of the memory hierarchy, after the
// BLIS/Goto decomposition (docs/tiling.md has the derivation):
//
//   for n0 in N step NC          B panel  KC x NC   stays in L3
//    for k0 in K step KC
//     for m0 in M step MC        A block  MC x KC   stays in L2
//      for n1 in NC step NR      B micro-panel KC x NR stays in L2
//       for m1 in MC step MR     C micro-tile MR x NR stays in registers
//        for k in KC: C[m1:+MR, n1:+NR] += A[m1:+MR, k] * B[k, n1:+NR]
//
// The register tile MR x NR (NR a multiple of the vector lanes) is chosen by
// an estimate of the cycles the whole MxN output takes: each candidate's
// issue rate (FMA ports, load ports, the FMA latency its independent
// accumulators must cover) for the full tiles, plus the slower remainder
// tiles the code generator uses at the M and N edges (1 x NR rows, MR x
// lanes columns). KC, MC and NC are then the largest sizes whose panels fit
// in a quarter of L2 (the B micro-panel KC x NR), half of L2 (the A block
// MC x KC) and a thread's share of half of L3 (the B panel KC x NC).
//
// Other targets reuse the same model with their own levels: the GPU's
// shared memory and the NPU's scratchpad play the role of L2/L1 through
// the same description fields.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_TILING_COSTMODEL_H
#define LLM_TILING_COSTMODEL_H

#include "llm/Tiling/TargetDescription.h"

#include "mlir/IR/BuiltinTypeInterfaces.h"

namespace mlir {
namespace llm {

/// The sizes of a contraction C[M, N] += A[M, K] * B[K, N] (per batch);
/// ShapedType::kDynamic for sizes only known at run time.
struct ContractionShape {
  int64_t m = ShapedType::kDynamic;
  int64_t n = ShapedType::kDynamic;
  int64_t k = ShapedType::kDynamic;
  int64_t elementBytes = 4;
  /// Constant upper bounds of a dynamic m / n where the IR proves one (e.g.
  /// `min(64, S - i)` tiles of flash attention), else kDynamic. The cost
  /// model takes them as the likely sizes when it picks the tiles; the code
  /// still handles any size.
  int64_t mBound = ShapedType::kDynamic;
  int64_t nBound = ShapedType::kDynamic;
};

/// Tile sizes for every level; see the loop nest in the file comment.
struct ContractionTiles {
  /// Cache tiles: the A block MC x KC (L2), the B panel KC x NC (L3), and
  /// KC such that the B micro-panel KC x NR stays in L2 next to the A block.
  int64_t mc = 0, nc = 0, kc = 0;
  /// Register tile: MR rows of NR = vectors * lanes accumulators.
  int64_t mr = 0, nr = 0;
  /// Elements per vector register.
  int64_t lanes = 0;
  /// Whether the code generator copies each A block MC x KC into a buffer
  /// with a padded row stride: when the block has full register tiles of
  /// at least two rows and more than one register panel of B reuses it.
  bool packA = false;
  /// Estimated fraction of the FMA peak the register tiles reach on this
  /// shape (edges included).
  double efficiency = 0;

  void print(llvm::raw_ostream &os) const;
};

/// Fraction of the FMA peak a register tile of `mr` rows and `vectors`
/// vector registers per row sustains in the k loop: FMAs issued per cycle
/// over the FMA ports, limited by the load ports (2 per cycle: one vector of
/// B per register column, one broadcast of A per row) and by the FMA
/// latency (each accumulator takes one FMA per k step).
double registerTileEfficiency(const TargetDescription &target, int64_t mr,
                              int64_t vectors);

/// Chooses all tile sizes for `shape` on `target`. A non-zero `fixedNr`
/// (a multiple of the vector lanes) imposes the register tile's width, e.g.
/// the panel width of weights packed at compile time; MR and the cache
/// tiles are then chosen for it (mr = 0 and no cache tiles when no MR fits
/// that width in the registers).
ContractionTiles chooseContractionTiles(const TargetDescription &target,
                                        const ContractionShape &shape,
                                        int64_t fixedNr = 0);

/// The panel width NR for B packed at compile time into [N / NR, K, NR]
/// (llm-pack-constant-weights): chooseContractionTiles's NR when it divides
/// N, else among the widths (multiples of the lanes up to 8 vectors) that
/// divide N the one with the best estimated efficiency (ties: the
/// narrowest); 0 when none does or N is dynamic.
int64_t choosePackedPanelWidth(const TargetDescription &target,
                               const ContractionShape &shape);

/// Threads (llm-parallelize-outer-loops). A parallel region costs a fork
/// and a join barrier, a few microseconds with libomp on a busy machine:
/// a loop is only split where each thread gets at least this many cycles of
/// work.
constexpr int64_t kMinParallelCycles = 20000;

/// The work estimate for that decision, per index of the split loop:
///   cycles = (iterations of the other loops) / parallelIterationsPerCycle
///            + (bytes of B one index reads) / kParallelBytesPerCycle
/// A contraction runs at the FMA peak (lanes x fma-units multiply-adds per
/// cycle) and streams B (M = 1 is memory bound); fills and copies store a
/// vector per cycle; other loops (reductions, elementwise code) count one
/// iteration per cycle.
enum class ParallelWorkKind { Contraction, FillOrCopy, Other };
int64_t parallelIterationsPerCycle(const TargetDescription &target,
                                   ParallelWorkKind kind);
constexpr int64_t kParallelBytesPerCycle = 16;

} // namespace llm
} // namespace mlir

#endif // LLM_TILING_COSTMODEL_H
