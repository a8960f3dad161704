//===- PanelPrefetch.h - prefetch of the next B micro-panel -----*- C++ -*-===//
//
// Internal to lib/Tiling (llm-tile-contractions): software prefetch of the
// next KC x NR micro-panel of weights packed at compile time, spread over
// the m steps of the current one (see PanelPrefetch.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef LLM_LIB_TILING_PANELPREFETCH_H
#define LLM_LIB_TILING_PANELPREFETCH_H

#include "llm/Tiling/TargetDescription.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::llm {

/// Whether the register tiles of a contraction whose packed weights are
/// `panels` ([N / NR, K, NR]) prefetch the next micro-panel: when the
/// weights do not fit in half of the last-level cache (they stream from
/// memory at every call).
bool shouldPrefetchPanels(const TargetDescription &target,
                          MemRefType panelsType);

/// What the k loop of one m step prefetches: cache lines
/// min(start + k, lastLine) of the next micro-panel, which starts at
/// element `base` of `flat` (the packed global collapsed to 1-D).
struct PanelPrefetch {
  Value flat, base, start, lastLine;
  int64_t lineElements = 0;
};

/// Plans the prefetch of the micro-panel after panels[panel][kOffset :
/// kOffset + kSize] (the next panel, the same k rows; the last panel
/// prefetches itself) for the register tiles in `mLoop`: `flat` and `base`
/// before `mLoop`, and at the start of its body the first line of this m
/// step, so that the M-loop's S steps start S equal spans apart and each
/// covers kSize lines (the whole micro-panel when S * kSize >= its lines).
/// `panels` is the packed global's get_global.
PanelPrefetch planPanelPrefetch(RewriterBase &rewriter, Location loc,
                                scf::ForOp mLoop, Value panels, Value panel,
                                Value kOffset, Value kSize, int64_t lineBytes);

/// Inserts at the start of `kLoop`'s body (the micro-kernel's k loop, from
/// 0 in steps of 1) one memref.prefetch (read, into L2: locality 2) of the
/// line `prefetch` assigns to iteration k.
void emitPanelPrefetch(RewriterBase &rewriter, scf::ForOp kLoop,
                       const PanelPrefetch &prefetch);

} // namespace mlir::llm

#endif // LLM_LIB_TILING_PANELPREFETCH_H
