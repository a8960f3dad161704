//===- LowerIndexOps.cpp - npu.gather/cast -> instructions ----------------===//
//
// Integer tensors on the NPU (token ids, position ids, attention masks):
//
// - npu.gather: per block of indices, the indices are loaded into the
//   scratchpad and `dma.gather` fetches the table rows they name (an index
//   outside the table stops the program); the rows are stored to c. Two
//   buffers per kind, so the load of block i+1 overlaps the store of block i.
// - npu.cast: per block, the integers are loaded and converted with vcvt
//   (i32 -> f32). An i64 is converted from its halves: lo and hi as signed
//   i32, then x = lo + 2^32 (hi + [lo < 0]), where [lo < 0] is
//   min(max(-lo, 0), 1) for integral lo (no compare instruction needed).
//
// Scratchpad map: index/integer buffers 0x00000, 0x08000; gathered rows
// 0x10000, 0x20000 (64 KiB each); cast results lo 0x30000/0x32000, hi
// 0x34000/0x36000, a temporary 0x38000; constants 0x3c000.
//
//===----------------------------------------------------------------------===//

#include "TileLowering.h"

using namespace mlir;
using namespace mlir::llm::npu_ir;

namespace {
constexpr int64_t kIdx[2] = {0x00000, 0x08000};
constexpr int64_t kRows[2] = {0x10000, 0x20000};
constexpr int64_t kRowsBytes = 0x10000;
constexpr int64_t kLo[2] = {0x30000, 0x32000}, kHi[2] = {0x34000, 0x36000};
constexpr int64_t kTemp = 0x38000, kConst = 0x3c000;
/// dma row bytes are 14 bits: at most 2047 i64 per row.
constexpr int64_t kMaxBlock = 2047;

bool isDenseView(ViewAttr v) {
  ArrayRef<int64_t> shape = v.getShape().asArrayRef(),
                    strides = v.getStrides().asArrayRef();
  int64_t expected = 1;
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
    if (shape[d] != 1 && strides[d] != expected)
      return false;
    expected *= shape[d];
  }
  return true;
}
} // namespace

LogicalResult mlir::llm::npu_ir::lowerGather(GatherOp op) {
  ViewAttr table = op.getTable(), indices = op.getIndices(), c = op.getC();
  if (!isDenseView(indices) || !isDenseView(c))
    return op.emitOpError("indices and c must be dense");
  int64_t tableRows = table.getShape()[0], cols = table.getShape()[1];
  int64_t rowBytes = cols * 4;
  if (rowBytes > 16383)
    return op.emitOpError() << "table rows of " << cols
                            << " f32 exceed a DMA row (16383 bytes)";
  if (tableRows >= (int64_t(1) << 17))
    return op.emitOpError() << "a table of " << tableRows
                            << " rows exceeds dma.gather's 131071";
  int64_t isize = op.getIndexType() == "i64" ? 8 : 4;
  int64_t count = indices.getNumElements();
  int64_t nb = std::min<int64_t>({kMaxBlock, kRowsBytes / rowBytes, count});
  InstEmitter e(op);
  int64_t block = 0;
  for (int64_t i0 = 0; i0 < count; i0 += nb, ++block) {
    int64_t n = std::min(nb, count - i0);
    e.load(kIdx[block % 2], indices.getReg(), indices.getOffset() + i0 * isize,
           1, n * isize, n * isize, n * isize);
    e.gather(kRows[block % 2], table.getReg(), table.getOffset(),
             kIdx[block % 2], op.getIndexType(), n, rowBytes, tableRows);
    e.store(c.getReg(), c.getOffset() + i0 * rowBytes, kRows[block % 2], n,
            rowBytes, rowBytes, rowBytes);
  }
  return success();
}

LogicalResult mlir::llm::npu_ir::lowerCast(CastOp op) {
  ViewAttr a = op.getA(), c = op.getC();
  if (!isDenseView(a) || !isDenseView(c))
    return op.emitOpError("a and c must be dense");
  bool wide = op.getFrom() == "i64";
  int64_t isize = wide ? 8 : 4;
  int64_t count = a.getNumElements();
  int64_t nb = std::min<int64_t>(kMaxBlock, count);
  InstEmitter e(op);
  if (wide) {
    e.fill(kConst, 0.0f, 1, 1, 4);
    e.fill(kConst + 4, 1.0f, 1, 1, 4);
    e.fill(kConst + 8, 4294967296.0f, 1, 1, 4);
  }
  int64_t block = 0;
  for (int64_t i0 = 0; i0 < count; i0 += nb, ++block) {
    int64_t n = std::min(nb, count - i0);
    int64_t in = kIdx[block % 2], lo = kLo[block % 2], hi = kHi[block % 2];
    e.load(in, a.getReg(), a.getOffset() + i0 * isize, 1, n * isize, n * isize,
           n * isize);
    // One element per row: the source stride skips the high halves.
    e.convert("i32", "f32", lo, in, n, 1, isize, 4);
    if (wide) {
      e.convert("i32", "f32", hi, in + 4, n, 1, isize, 4);
      int64_t stride = n * 4;
      e.unary("neg", kTemp, lo, 1, n, stride);
      e.binary("max", "scalar", kTemp, kTemp, kConst, 1, n, stride);
      e.binary("min", "scalar", kTemp, kTemp, kConst + 4, 1, n, stride);
      e.binary("add", "tile", hi, hi, kTemp, 1, n, stride);
      e.binary("mul", "scalar", hi, hi, kConst + 8, 1, n, stride);
      e.binary("add", "tile", lo, lo, hi, 1, n, stride);
    }
    e.store(c.getReg(), c.getOffset() + i0 * 4, lo, 1, n * 4, n * 4, n * 4);
  }
  return success();
}
