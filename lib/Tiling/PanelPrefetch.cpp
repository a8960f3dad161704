//===- PanelPrefetch.cpp - prefetch of the next B micro-panel -------------===//
//
// With B a weight larger than the caches (4096 x 4096: 64 MiB), each
// KC x NR micro-panel of the packed weights comes from memory at the first
// m step that reads it and from L2 at the other M / MR - 1. The first step
// runs at the speed of memory (a 4 x 64 tile wants 256 bytes per 8 cycles,
// about three times what one core reads from DRAM), so at M = 32 (8 m
// steps) one step in eight stalls: 32 x 4096 x 4096 ran at 83% of peak
// (CPU time) where 128 x 4096 x 4096 ran at 87%. Here every m step's k
// loop prefetches one cache line per k step of the *next* micro-panel into
// L2, m step i starting at line i * lines / S (S the m steps, lines =
// KC * NR * 4 / 64): the next panel arrives spread over all the m steps of
// the current one, at 64 bytes per k step, within the memory bandwidth.
//
//   %flat = memref.collapse_shape %panels [[0, 1, 2]]
//   %base = (min(%panel + 1, P - 1) * K + %k0) * NR
//   scf.for %m1 ... {
//     %start = ((%m1 - lb) / MR) * lines / S
//     scf.for %k = 0 to %kc {
//       %line = min(%start + %k, lines - 1)
//       memref.prefetch %flat[%base + %line * 16], read, locality<2>, data
//       ... the micro-kernel's loads and FMAs ...
//
//===----------------------------------------------------------------------===//

#include "PanelPrefetch.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::llm;

bool llm::shouldPrefetchPanels(const TargetDescription &target,
                               MemRefType panelsType) {
  if (!panelsType.hasStaticShape() || panelsType.getRank() != 3)
    return false;
  int64_t bytes =
      panelsType.getNumElements() * (panelsType.getElementTypeBitWidth() / 8);
  return bytes > target.l3Bytes / 2;
}

PanelPrefetch llm::planPanelPrefetch(RewriterBase &rewriter, Location loc,
                                     scf::ForOp mLoop, Value panels,
                                     Value panel, Value kOffset, Value kSize,
                                     int64_t lineBytes) {
  OpBuilder::InsertionGuard guard(rewriter);
  auto type = cast<MemRefType>(panels.getType());
  int64_t elementBytes = type.getElementTypeBitWidth() / 8;
  int64_t lineElements = std::max<int64_t>(1, lineBytes / elementBytes);
  int64_t count = type.getDimSize(0), k = type.getDimSize(1),
          nr = type.getDimSize(2);
  auto index = [&](int64_t v) {
    return arith::ConstantIndexOp::create(rewriter, loc, v);
  };

  rewriter.setInsertionPoint(mLoop);
  SmallVector<ReassociationIndices> all = {{0, 1, 2}};
  Value flat = memref::CollapseShapeOp::create(rewriter, loc, panels, all);
  Value next = arith::MinUIOp::create(
      rewriter, loc, arith::AddIOp::create(rewriter, loc, panel, index(1)),
      index(count - 1));
  Value row = arith::AddIOp::create(
      rewriter, loc, arith::MulIOp::create(rewriter, loc, next, index(k)),
      kOffset);
  Value base = arith::MulIOp::create(rewriter, loc, row, index(nr));
  // Lines of one micro-panel (kSize rows of NR elements).
  Value lines = arith::CeilDivUIOp::create(
      rewriter, loc, arith::MulIOp::create(rewriter, loc, kSize, index(nr)),
      index(lineElements));
  Value lastLine = arith::SubIOp::create(rewriter, loc, lines, index(1));

  rewriter.setInsertionPointToStart(mLoop.getBody());
  Value lb = mLoop.getLowerBound(), step = mLoop.getStep();
  Value stepIndex = arith::DivUIOp::create(
      rewriter, loc,
      arith::SubIOp::create(rewriter, loc, mLoop.getInductionVar(), lb), step);
  Value steps = arith::CeilDivUIOp::create(
      rewriter, loc,
      arith::SubIOp::create(rewriter, loc, mLoop.getUpperBound(), lb), step);
  Value start = arith::DivUIOp::create(
      rewriter, loc, arith::MulIOp::create(rewriter, loc, stepIndex, lines),
      steps);
  return {flat, base, start, lastLine, lineElements};
}

void llm::emitPanelPrefetch(RewriterBase &rewriter, scf::ForOp kLoop,
                            const PanelPrefetch &prefetch) {
  OpBuilder::InsertionGuard guard(rewriter);
  Location loc = kLoop.getLoc();
  rewriter.setInsertionPointToStart(kLoop.getBody());
  Value line = arith::MinUIOp::create(
      rewriter, loc,
      arith::AddIOp::create(rewriter, loc, prefetch.start,
                            kLoop.getInductionVar()),
      prefetch.lastLine);
  Value offset = arith::AddIOp::create(
      rewriter, loc, prefetch.base,
      arith::MulIOp::create(rewriter, loc, line,
                            arith::ConstantIndexOp::create(
                                rewriter, loc, prefetch.lineElements)));
  memref::PrefetchOp::create(rewriter, loc, prefetch.flat, ValueRange{offset},
                             /*isWrite=*/false, /*localityHint=*/2,
                             /*isDataCache=*/true);
}
