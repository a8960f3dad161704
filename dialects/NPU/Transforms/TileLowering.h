//===- TileLowering.h - shared helpers of npu-lower-tiles -------*- C++ -*-===//
//
// Internal to npu-lower-tiles: an emitter of instruction-level ops (in
// program order, tokens left to npu-insert-tokens) and strided-view
// helpers: a view as outer slabs of 2-D [rows, cols] blocks.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_DIALECTS_NPU_TRANSFORMS_TILELOWERING_H
#define LLM_DIALECTS_NPU_TRANSFORMS_TILELOWERING_H

#include "NPU/IR/NPUDialect.h"

#include "mlir/IR/Builders.h"

namespace mlir::llm::npu_ir {

/// Appends instruction ops before the tile op being lowered.
class InstEmitter {
public:
  InstEmitter(Operation *tileOp) : b(tileOp), loc(tileOp->getLoc()) {}

  void load(int64_t local, int64_t reg, int64_t offset, int64_t rows,
            int64_t bytes, int64_t lstride, int64_t dstride);
  void store(int64_t reg, int64_t offset, int64_t local, int64_t rows,
             int64_t bytes, int64_t lstride, int64_t dstride);
  void gather(int64_t local, int64_t reg, int64_t offset, int64_t indices,
              StringRef indexType, int64_t rows, int64_t bytes,
              int64_t tableRows);
  void matmul(StringRef type, int64_t c, int64_t a, int64_t bAddr, int64_t m,
              int64_t k, int64_t n, int64_t astride, int64_t cstride,
              bool accumulate, bool transposeB);
  void unary(StringRef func, int64_t dst, int64_t a, int64_t rows,
             int64_t cols, int64_t stride);
  void binary(StringRef func, StringRef bmode, int64_t dst, int64_t a,
              int64_t bAddr, int64_t rows, int64_t cols, int64_t stride);
  void reduce(StringRef func, int64_t dst, int64_t a, int64_t rows,
              int64_t cols, int64_t stride, bool accumulate = false);
  void convert(StringRef from, StringRef to, int64_t dst, int64_t a,
               int64_t rows, int64_t cols, int64_t srcStride,
               int64_t dstStride);
  void fill(int64_t dst, float value, int64_t rows, int64_t cols,
            int64_t stride);

private:
  IntegerAttr i64(int64_t v) { return b.getI64IntegerAttr(v); }
  OpBuilder b;
  Location loc;
};

/// A view split into outer slabs of 2-D blocks: dims collapsed where every
/// view of an op allows it, the last two dims the rows and cols.
struct Slabs {
  /// Outer dims (may be empty) and the 2-D block.
  SmallVector<int64_t> outerShape;
  int64_t rows = 1, cols = 1;
  /// Per view: outer strides, row stride, col stride (elements).
  struct Strides {
    SmallVector<int64_t> outer;
    int64_t row = 0, col = 1;
    int64_t offset = 0; ///< bytes
    int64_t reg = 0;
  };
  SmallVector<Strides> views;

  int64_t numSlabs() const;
  /// The byte offset of slab `index` (row-major over outerShape) of view v.
  int64_t slabOffset(unsigned v, int64_t index) const;
};

/// Builds the slabs of views of one shape, collapsing adjacent dims that are
/// contiguous in every view.
Slabs makeSlabs(ArrayRef<ViewAttr> views);

/// Local memory (unified addresses).
constexpr int64_t kAcc = 0x40000;

/// Lowers one tile op (LowerGemm.cpp, LowerVectorOps.cpp,
/// LowerIndexOps.cpp); emits an error on
/// the op for layouts it cannot handle.
LogicalResult lowerGemm(GemmOp op);
LogicalResult lowerEltwise(EltwiseOp op);
LogicalResult lowerSoftmax(SoftmaxOp op);
LogicalResult lowerLayerNorm(LayerNormOp op);
LogicalResult lowerAttention(AttentionOp op);
LogicalResult lowerReduce(ReduceOp op);
LogicalResult lowerGather(GatherOp op);
LogicalResult lowerCast(CastOp op);

} // namespace mlir::llm::npu_ir

#endif // LLM_DIALECTS_NPU_TRANSFORMS_TILELOWERING_H
