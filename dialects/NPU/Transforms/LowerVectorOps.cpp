//===- LowerVectorOps.cpp - npu.eltwise/softmax/layer_norm -> instructions ===//
//
// Vector-unit lowerings of npu-lower-tiles (eltwise, softmax, layer_norm,
// reduce). Each op streams blocks of rows (at most kBlockBytes of f32)
// through two scratchpad buffers: the load of
// block i+1 overlaps the compute of block i and the store of block i-1
// (npu-insert-tokens orders them). A second operand is read per block with
// the vector unit's broadcast mode its strides call for: a tile (it varies
// along rows and cols), a row (cols only), a column (rows only) or a scalar.
//
// Scratchpad map (unified addresses, all below the accumulator):
//   0x00000, 0x08000  X buffers (32 KiB each)
//   0x10000, 0x18000  second-operand buffers
//   0x20000           temporary tile (GELU, squares)
//   0x28000, 0x2c000  gamma, beta (LayerNorm)
//   0x30000, 0x34000  per-row columns (max/sum, mean/rstd)
//   0x38000           constants
//
//===----------------------------------------------------------------------===//

#include "TileLowering.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::llm::npu_ir;

namespace {
constexpr int64_t kBlockBytes = 0x8000;
constexpr int64_t kX[2] = {0x00000, 0x08000};
constexpr int64_t kB[2] = {0x10000, 0x18000};
constexpr int64_t kTemp = 0x20000;
constexpr int64_t kGamma = 0x28000, kBeta = 0x2c000;
constexpr int64_t kCol0 = 0x30000, kCol1 = 0x34000;
constexpr int64_t kConst = 0x38000;
constexpr int64_t kMaxDim = 4095;

/// Rows per block for rows of `cols` f32.
int64_t blockRows(int64_t rows, int64_t cols) {
  return std::min({rows, std::max<int64_t>(1, kBlockBytes / (4 * cols)),
                   kMaxDim});
}

/// Loads rows [r0, r0+rb) x cols [c0, c0+cw) of view v of a slab.
void loadBlock(InstEmitter &e, const Slabs &s, unsigned v, int64_t slab,
               int64_t r0, int64_t rb, int64_t c0, int64_t cw, int64_t dst) {
  const Slabs::Strides &st = s.views[v];
  int64_t off = s.slabOffset(v, slab) + (r0 * st.row + c0) * 4;
  e.load(dst, st.reg, off, rb, cw * 4, cw * 4, st.row * 4);
}

void storeBlock(InstEmitter &e, const Slabs &s, unsigned v, int64_t slab,
                int64_t r0, int64_t rb, int64_t c0, int64_t cw, int64_t src) {
  const Slabs::Strides &st = s.views[v];
  int64_t off = s.slabOffset(v, slab) + (r0 * st.row + c0) * 4;
  e.store(st.reg, off, src, rb, cw * 4, cw * 4, st.row * 4);
}

/// Checks that view v of the slabs has contiguous rows of cols.
LogicalResult checkRowMajor(Operation *op, const Slabs &s, unsigned v,
                            StringRef name) {
  if (s.cols > 1 && s.views[v].col != 1)
    return op->emitOpError() << name
                             << " must be contiguous along its last dim";
  return success();
}

/// y = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) in place on x, with
/// `temp` as scratch and constants at kConst.. (filled by the caller).
void emitGeluTanh(InstEmitter &e, int64_t x, int64_t rows, int64_t cols) {
  int64_t stride = cols * 4;
  e.binary("mul", "tile", kTemp, x, x, rows, cols, stride);
  e.binary("mul", "tile", kTemp, kTemp, x, rows, cols, stride);
  e.binary("mul", "scalar", kTemp, kTemp, kConst + 0, rows, cols, stride);
  e.binary("add", "tile", kTemp, kTemp, x, rows, cols, stride);
  e.binary("mul", "scalar", kTemp, kTemp, kConst + 4, rows, cols, stride);
  e.unary("tanh", kTemp, kTemp, rows, cols, stride);
  e.binary("add", "scalar", kTemp, kTemp, kConst + 8, rows, cols, stride);
  e.binary("mul", "tile", x, x, kTemp, rows, cols, stride);
  e.binary("mul", "scalar", x, x, kConst + 12, rows, cols, stride);
}
} // namespace

LogicalResult mlir::llm::npu_ir::lowerEltwise(EltwiseOp op) {
  SmallVector<ViewAttr> views = {op.getA(), op.getC()};
  if (op.getB())
    views.push_back(*op.getB());
  Slabs s = makeSlabs(views);
  if (failed(checkRowMajor(op, s, 0, "a")) ||
      failed(checkRowMajor(op, s, 1, "c")))
    return failure();
  StringRef kind = op.getKind();
  InstEmitter e(op);

  // Constants.
  if (kind == "gelu_tanh") {
    e.fill(kConst + 0, 0.044715f, 1, 1, 4);
    e.fill(kConst + 4, std::sqrt(2.0f / static_cast<float>(M_PI)), 1, 1, 4);
    e.fill(kConst + 8, 1.0f, 1, 1, 4);
    e.fill(kConst + 12, 0.5f, 1, 1, 4);
  }
  if (auto scalar = op.getScalar()) {
    float v = scalar->convertToFloat();
    e.fill(kConst + 16, kind == "div" ? 1.0f / v : v, 1, 1, 4);
  }

  // How the second operand is read.
  enum class Mode { None, Tile, Row, Col, Scalar } mode = Mode::None;
  if (op.getScalar())
    mode = Mode::Scalar;
  if (op.getB()) {
    const Slabs::Strides &b = s.views[2];
    bool alongCols = s.cols > 1 && b.col != 0;
    bool alongRows = s.rows > 1 && b.row != 0;
    if (alongCols && b.col != 1)
      return op.emitOpError("b must be contiguous or broadcast along its "
                            "last dim");
    mode = alongCols ? (alongRows ? Mode::Tile : Mode::Row)
                     : (alongRows ? Mode::Col : Mode::Scalar);
  }
  static const char *const modeNames[] = {"", "tile", "row", "col", "scalar"};
  StringRef bmode = modeNames[static_cast<int>(mode)];

  int64_t cb = std::min<int64_t>(s.cols, 2048);
  int64_t rb = blockRows(s.rows, cb);
  int64_t block = 0;
  for (int64_t slab = 0; slab < s.numSlabs(); ++slab)
    for (int64_t r0 = 0; r0 < s.rows; r0 += rb)
      for (int64_t c0 = 0; c0 < s.cols; c0 += cb, ++block) {
        int64_t rw = std::min(rb, s.rows - r0), cw = std::min(cb, s.cols - c0);
        int64_t x = kX[block % 2], bbuf = kB[block % 2];
        int64_t stride = cw * 4;
        loadBlock(e, s, 0, slab, r0, rw, c0, cw, x);
        int64_t bAddr = kConst + 16;
        if (op.getB()) {
          const Slabs::Strides &b = s.views[2];
          int64_t off = s.slabOffset(2, slab) + (r0 * b.row + c0 * b.col) * 4;
          int64_t bRows = 1, bCols = 1;
          switch (mode) {
          case Mode::Tile:
            e.load(bbuf, b.reg, off, rw, cw * 4, cw * 4, b.row * 4);
            bRows = rw, bCols = cw;
            break;
          case Mode::Row:
            e.load(bbuf, b.reg, off, 1, cw * 4, cw * 4, cw * 4);
            bCols = cw;
            break;
          case Mode::Col:
            e.load(bbuf, b.reg, off, rw, 4, 4, b.row * 4);
            bRows = rw;
            break;
          default:
            e.load(bbuf, b.reg, off, 1, 4, 4, 4);
            break;
          }
          if (kind == "div")
            e.unary("recip", bbuf, bbuf, bRows, bCols, bCols * 4);
          bAddr = bbuf;
        }
        if (mode != Mode::None) {
          StringRef func = kind == "div" ? StringRef("mul") : kind;
          e.binary(func, bmode, x, x, bAddr, rw, cw, stride);
        } else if (kind == "gelu_tanh") {
          emitGeluTanh(e, x, rw, cw);
        } else if (kind == "silu") {
          e.unary("sigmoid", kTemp, x, rw, cw, stride);
          e.binary("mul", "tile", x, x, kTemp, rw, cw, stride);
        } else if (kind != "copy") {
          e.unary(kind, x, x, rw, cw, stride);
        }
        storeBlock(e, s, 1, slab, r0, rw, c0, cw, x);
      }
  return success();
}

/// Checks what a row-wise op (softmax, norms) needs: whole rows in a block.
static LogicalResult checkRows(Operation *op, const Slabs &s) {
  if (failed(checkRowMajor(op, s, 0, "a")) ||
      failed(checkRowMajor(op, s, 1, "c")))
    return failure();
  if (s.cols > kMaxDim)
    return op->emitOpError() << "rows of " << s.cols
                             << " elements do not fit the vector unit's "
                                "4095-column tiles";
  return success();
}

LogicalResult mlir::llm::npu_ir::lowerSoftmax(SoftmaxOp op) {
  // Causal masking needs the [S, T] dims of each slab intact.
  ArrayRef<int64_t> shape = op.getA().getShape().asArrayRef();
  Slabs s = makeSlabs({op.getA(), op.getC()});
  if (failed(checkRows(op, s)))
    return failure();
  int64_t seqQ = shape.size() >= 2 ? shape[shape.size() - 2] : 1;
  int64_t seqK = shape.back();
  InstEmitter e(op);
  float scale = op.getScale().convertToFloat();
  if (scale != 1.0f)
    e.fill(kConst, scale, 1, 1, 4);
  int64_t rb = blockRows(s.rows, s.cols);
  int64_t cols = s.cols, stride = cols * 4, block = 0;
  for (int64_t slab = 0; slab < s.numSlabs(); ++slab)
    for (int64_t r0 = 0; r0 < s.rows; r0 += rb, ++block) {
      int64_t rw = std::min(rb, s.rows - r0);
      int64_t x = kX[block % 2];
      loadBlock(e, s, 0, slab, r0, rw, 0, cols, x);
      if (scale != 1.0f)
        e.binary("mul", "scalar", x, x, kConst, rw, cols, stride);
      if (op.getCausal()) {
        for (int64_t i = 0; i < rw; ++i) {
          int64_t query = (slab * s.rows + r0 + i) % seqQ;
          int64_t first = query + seqK - seqQ + 1; // first masked key
          if (first < cols)
            e.fill(x + i * stride + std::max<int64_t>(first, 0) * 4,
                   -std::numeric_limits<float>::infinity(), 1,
                   cols - std::max<int64_t>(first, 0), stride);
        }
      }
      e.reduce("max", kCol0, x, rw, cols, stride);
      e.binary("sub", "col", x, x, kCol0, rw, cols, stride);
      e.unary("exp", x, x, rw, cols, stride);
      e.reduce("sum", kCol1, x, rw, cols, stride);
      e.unary("recip", kCol1, kCol1, 1, rw, rw * 4);
      e.binary("mul", "col", x, x, kCol1, rw, cols, stride);
      storeBlock(e, s, 1, slab, r0, rw, 0, cols, x);
    }
  return success();
}

LogicalResult mlir::llm::npu_ir::lowerReduce(ReduceOp op) {
  ViewAttr c = op.getC();
  if (c.getStrides()[0] != 1 && c.getShape()[0] != 1)
    return op.emitOpError("c must be dense");
  Slabs s = makeSlabs({op.getA()});
  if (failed(checkRowMajor(op, s, 0, "a")) || s.numSlabs() != 1)
    return op.emitOpError("a must be [rows, cols] with contiguous rows");
  InstEmitter e(op);
  StringRef kind = op.getKind();
  int64_t cols = s.cols;
  if (kind == "mean")
    e.fill(kConst, 1.0f / static_cast<float>(cols), 1, 1, 4);
  // Rows in blocks, each row's columns in chunks accumulated into the
  // block's column of results.
  int64_t cb = std::min<int64_t>(cols, 2048);
  int64_t rb = blockRows(s.rows, cb), block = 0;
  for (int64_t r0 = 0; r0 < s.rows; r0 += rb) {
    int64_t rw = std::min(rb, s.rows - r0);
    int64_t col = block % 2 ? kCol1 : kCol0;
    for (int64_t c0 = 0; c0 < cols; c0 += cb, ++block) {
      int64_t cw = std::min(cb, cols - c0);
      int64_t x = kX[block % 2];
      loadBlock(e, s, 0, 0, r0, rw, c0, cw, x);
      e.reduce(kind == "max" ? "max" : "sum", col, x, rw, cw, cw * 4,
               /*accumulate=*/c0 > 0);
    }
    if (kind == "mean")
      e.binary("mul", "scalar", col, col, kConst, 1, rw, rw * 4);
    e.store(c.getReg(), c.getOffset() + r0 * 4, col, 1, rw * 4, rw * 4, rw * 4);
  }
  return success();
}

LogicalResult mlir::llm::npu_ir::lowerLayerNorm(LayerNormOp op) {
  Slabs s = makeSlabs({op.getA(), op.getC()});
  if (failed(checkRows(op, s)))
    return failure();
  InstEmitter e(op);
  int64_t cols = s.cols, stride = cols * 4;
  e.fill(kConst, 1.0f / static_cast<float>(cols), 1, 1, 4);
  e.fill(kConst + 4, op.getEpsilon().convertToFloat(), 1, 1, 4);
  if (auto gamma = op.getGamma())
    e.load(kGamma, 0, *gamma, 1, cols * 4, cols * 4, cols * 4);
  if (auto beta = op.getBeta())
    e.load(kBeta, 0, *beta, 1, cols * 4, cols * 4, cols * 4);
  int64_t rb = blockRows(s.rows, s.cols), block = 0;
  for (int64_t slab = 0; slab < s.numSlabs(); ++slab)
    for (int64_t r0 = 0; r0 < s.rows; r0 += rb, ++block) {
      int64_t rw = std::min(rb, s.rows - r0);
      int64_t x = kX[block % 2];
      loadBlock(e, s, 0, slab, r0, rw, 0, cols, x);
      if (!op.getRms()) {
        e.reduce("sum", kCol0, x, rw, cols, stride);
        e.binary("mul", "scalar", kCol0, kCol0, kConst, 1, rw, rw * 4);
        e.binary("sub", "col", x, x, kCol0, rw, cols, stride);
      }
      e.binary("mul", "tile", kTemp, x, x, rw, cols, stride);
      e.reduce("sum", kCol1, kTemp, rw, cols, stride);
      e.binary("mul", "scalar", kCol1, kCol1, kConst, 1, rw, rw * 4);
      e.binary("add", "scalar", kCol1, kCol1, kConst + 4, 1, rw, rw * 4);
      e.unary("rsqrt", kCol1, kCol1, 1, rw, rw * 4);
      e.binary("mul", "col", x, x, kCol1, rw, cols, stride);
      if (op.getGamma())
        e.binary("mul", "row", x, x, kGamma, rw, cols, stride);
      if (op.getBeta())
        e.binary("add", "row", x, x, kBeta, rw, cols, stride);
      storeBlock(e, s, 1, slab, r0, rw, 0, cols, x);
    }
  return success();
}
