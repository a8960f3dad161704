//===- LowerTiles.cpp - npu-lower-tiles: tile-level ops -> instructions --===//
//
// The pass and the helpers its lowerings share (TileLowering.h): the
// instruction emitter and the split of strided DRAM views into slabs of 2-D
// blocks. The lowerings themselves are in LowerGemm.cpp (the array) and
// LowerVectorOps.cpp (the vector unit), LowerIndexOps.cpp (gather, cast).
//
//===----------------------------------------------------------------------===//

#include "TileLowering.h"

#include "NPU/Transforms/Passes.h"

#include "llvm/ADT/TypeSwitch.h"

namespace mlir::llm::npu_ir {
#define GEN_PASS_DEF_NPULOWERTILESPASS
#include "NPU/Transforms/Passes.h.inc"
} // namespace mlir::llm::npu_ir

using namespace mlir;
using namespace mlir::llm::npu_ir;

//===----------------------------------------------------------------------===//
// InstEmitter
//===----------------------------------------------------------------------===//

void InstEmitter::load(int64_t local, int64_t reg, int64_t offset,
                       int64_t rows, int64_t bytes, int64_t lstride,
                       int64_t dstride) {
  DmaLoadOp::create(b, loc, i64(local), i64(reg), i64(offset), i64(rows),
                    i64(bytes), i64(lstride), i64(dstride), i64(0), i64(0));
}

void InstEmitter::store(int64_t reg, int64_t offset, int64_t local,
                        int64_t rows, int64_t bytes, int64_t lstride,
                        int64_t dstride) {
  DmaStoreOp::create(b, loc, i64(local), i64(reg), i64(offset), i64(rows),
                     i64(bytes), i64(lstride), i64(dstride), i64(0), i64(0));
}

void InstEmitter::gather(int64_t local, int64_t reg, int64_t offset,
                         int64_t indices, StringRef indexType, int64_t rows,
                         int64_t bytes, int64_t tableRows) {
  DmaGatherOp::create(b, loc, i64(local), i64(reg), i64(offset), i64(indices),
                      b.getStringAttr(indexType), i64(rows), i64(bytes),
                      i64(tableRows), i64(0), i64(0));
}

void InstEmitter::matmul(StringRef type, int64_t c, int64_t a, int64_t bAddr,
                         int64_t m, int64_t k, int64_t n, int64_t astride,
                         int64_t cstride, bool accumulate, bool transposeB) {
  MatmulOp::create(b, loc, b.getStringAttr(type), i64(c), i64(a), i64(bAddr),
                   i64(m), i64(k), i64(n), i64(astride), i64(cstride),
                   accumulate ? b.getUnitAttr() : UnitAttr(),
                   transposeB ? b.getUnitAttr() : UnitAttr(), i64(0), i64(0));
}

void InstEmitter::unary(StringRef func, int64_t dst, int64_t a, int64_t rows,
                        int64_t cols, int64_t stride) {
  VUnaryOp::create(b, loc, b.getStringAttr(func), i64(a), i64(dst), i64(rows),
                   i64(cols), i64(stride), i64(0), i64(0));
}

void InstEmitter::binary(StringRef func, StringRef bmode, int64_t dst,
                         int64_t a, int64_t bAddr, int64_t rows, int64_t cols,
                         int64_t stride) {
  VBinaryOp::create(b, loc, b.getStringAttr(func), b.getStringAttr(bmode),
                    i64(a), i64(bAddr), i64(dst), i64(rows), i64(cols),
                    i64(stride), i64(0), i64(0));
}

void InstEmitter::reduce(StringRef func, int64_t dst, int64_t a, int64_t rows,
                         int64_t cols, int64_t stride, bool accumulate) {
  VReduceOp::create(b, loc, b.getStringAttr(func), i64(a),
                    accumulate ? b.getUnitAttr() : UnitAttr(), i64(dst),
                    i64(rows), i64(cols), i64(stride), i64(0), i64(0));
}

void InstEmitter::convert(StringRef from, StringRef to, int64_t dst,
                          int64_t a, int64_t rows, int64_t cols,
                          int64_t srcStride, int64_t dstStride) {
  VConvertOp::create(b, loc, b.getStringAttr(from), b.getStringAttr(to),
                     i64(a), i64(dstStride), i64(dst), i64(rows), i64(cols),
                     i64(srcStride), i64(0), i64(0));
}

void InstEmitter::fill(int64_t dst, float value, int64_t rows, int64_t cols,
                       int64_t stride) {
  VFillOp::create(b, loc, b.getF32FloatAttr(value), i64(dst), i64(rows),
                  i64(cols), i64(stride), i64(0), i64(0));
}

//===----------------------------------------------------------------------===//
// Slabs
//===----------------------------------------------------------------------===//

int64_t Slabs::numSlabs() const {
  int64_t n = 1;
  for (int64_t d : outerShape)
    n *= d;
  return n;
}

int64_t Slabs::slabOffset(unsigned v, int64_t index) const {
  int64_t offset = views[v].offset;
  for (int64_t d = static_cast<int64_t>(outerShape.size()) - 1; d >= 0; --d) {
    offset += (index % outerShape[d]) * views[v].outer[d] * 4;
    index /= outerShape[d];
  }
  return offset;
}

Slabs mlir::llm::npu_ir::makeSlabs(ArrayRef<ViewAttr> views) {
  SmallVector<int64_t> shape(views.front().getShape().asArrayRef());
  SmallVector<SmallVector<int64_t>> strides;
  for (ViewAttr v : views)
    strides.emplace_back(v.getStrides().asArrayRef());
  // Drop unit dims (their strides do not matter), keeping at least one.
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    if (shape[d] == 1) {
      shape.erase(shape.begin() + d);
      for (auto &s : strides)
        s.erase(s.begin() + d);
    }
  if (shape.empty()) {
    shape.push_back(1);
    for (auto &s : strides)
      s.push_back(1);
  }
  // Collapse d into d+1 where every view is contiguous across them, but
  // keep the innermost dim as the cols.
  for (int64_t d = static_cast<int64_t>(shape.size()) - 3; d >= 0; --d) {
    bool contiguous = llvm::all_of(strides, [&](auto &s) {
      return s[d] == s[d + 1] * shape[d + 1];
    });
    if (!contiguous)
      continue;
    shape[d + 1] *= shape[d];
    shape.erase(shape.begin() + d);
    for (auto &s : strides)
      s.erase(s.begin() + d);
  }
  Slabs slabs;
  size_t rank = shape.size();
  slabs.cols = shape.back();
  slabs.rows = rank >= 2 ? shape[rank - 2] : 1;
  size_t outerRank = rank >= 2 ? rank - 2 : 0;
  slabs.outerShape.assign(shape.begin(), shape.begin() + outerRank);
  for (auto [v, s] : llvm::zip(views, strides)) {
    Slabs::Strides st;
    st.outer.assign(s.begin(), s.begin() + outerRank);
    st.row = rank >= 2 ? s[rank - 2] : 0;
    st.col = s.back();
    st.offset = v.getOffset();
    st.reg = v.getReg();
    slabs.views.push_back(st);
  }
  return slabs;
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

namespace {
struct NPULowerTilesPass
    : public mlir::llm::npu_ir::impl::NPULowerTilesPassBase<NPULowerTilesPass> {
  void runOnOperation() override {
    ProgramOp program = getOperation();
    SmallVector<Operation *> tileOps;
    bool hasHalt = false;
    for (Operation &op : program.getBody().front()) {
      if (isTileOp(&op))
        tileOps.push_back(&op);
      hasHalt |= isa<HaltOp>(op);
    }
    for (Operation *op : tileOps) {
      LogicalResult result =
          llvm::TypeSwitch<Operation *, LogicalResult>(op)
              .Case([](GemmOp g) { return lowerGemm(g); })
              .Case([](EltwiseOp e) { return lowerEltwise(e); })
              .Case([](SoftmaxOp s) { return lowerSoftmax(s); })
              .Case([](LayerNormOp l) { return lowerLayerNorm(l); })
              .Case([](AttentionOp a) { return lowerAttention(a); })
              .Case([](ReduceOp r) { return lowerReduce(r); })
              .Case([](GatherOp g) { return lowerGather(g); })
              .Case([](CastOp c) { return lowerCast(c); })
              .Default([](Operation *) { return failure(); });
      if (failed(result))
        return signalPassFailure();
      op->erase();
    }
    if (!hasHalt) {
      OpBuilder b = OpBuilder::atBlockEnd(&program.getBody().front());
      HaltOp::create(b, program.getLoc());
    }
  }
};
} // namespace
