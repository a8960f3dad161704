//===- Converter.h - convert-transformer-to-npu internals -------*- C++ -*-===//
//
// The state of one conversion of a transformer function to an npu.program:
// the DRAM layout (strided views, the data segment of packed constants and
// scratch) and one method per kind of op. Each concern has its own file:
//
// - TransformerToNPU.cpp: the pass, the calling convention (arguments,
//   outputs) and the dispatch over op kinds, with the up-front support check;
// - DRAMLayout.cpp: views, constant packing, scratch, the data segment;
// - Gemm.cpp: matmul, linear and quantized_linear -> npu.gemm;
// - VectorOps.cpp: elementwise ops, softmax and norms on the vector unit;
// - VectorOps.cpp also: rotary embeddings, reductions;
// - IndexOps.cpp: integer tensors: gather by run-time indices, cast to f32;
// - ShapeOps.cpp: reshape/squeeze/unsqueeze/transpose/split/expand/slice as
//   views, concat;
// - Attention.cpp: attention -> npu.attention (unfused with a mask or
//   grouped KV heads).
//
//===----------------------------------------------------------------------===//

#ifndef LLM_LIB_CONVERSION_TRANSFORMERTONPU_CONVERTER_H
#define LLM_LIB_CONVERSION_TRANSFORMERTONPU_CONVERTER_H

#include "NPU/IR/NPUDialect.h"
#include "Transformer/IR/TransformerOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir::llm::to_npu {

namespace tf = mlir::llm::transformer;
using npu_ir::ViewAttr;

/// Scratch offsets are relative to this base until the data segment's size
/// is known; finish() rebases them.
constexpr int64_t kScratchBase = int64_t(1) << 40;
/// DMA offsets have 28 bits: what a register can reach.
constexpr int64_t kReachableBytes = int64_t(1) << 28;

SmallVector<int64_t> denseStrides(ArrayRef<int64_t> shape);
bool isDense(ViewAttr v);
int64_t numElements(ArrayRef<int64_t> shape);
/// The strides of `v` reshaped to `shape` without moving data, if its
/// layout allows (DRAMLayout.cpp).
std::optional<SmallVector<int64_t>> reshapeStrides(ViewAttr v,
                                                   ArrayRef<int64_t> shape);
/// " (ONNX node 'NAME', OpType)" from an importer location, else "".
std::string describeNode(Location loc);

class Converter {
public:
  Converter(func::FuncOp func, StringRef dtype, int64_t tileM, int64_t tileN,
            int64_t dramLimit)
      : func(func), dtype(dtype), tileM(tileM), tileN(tileN),
        dramLimit(dramLimit), b(func.getContext()) {}

  LogicalResult run();

private:
  // DRAM (DRAMLayout.cpp).
  ViewAttr view(int64_t reg, int64_t offset, ArrayRef<int64_t> shape,
                ArrayRef<int64_t> strides) {
    return ViewAttr::get(b.getContext(), reg, offset,
                         b.getDenseI64ArrayAttr(shape),
                         b.getDenseI64ArrayAttr(strides));
  }
  ViewAttr allocScratch(ArrayRef<int64_t> shape) {
    int64_t offset = kScratchBase + scratchBytes;
    scratchBytes += llvm::alignTo(numElements(shape) * 4, 64);
    return view(0, offset, shape, denseStrides(shape));
  }
  int64_t appendData(ArrayRef<uint8_t> bytes) {
    data.resize(llvm::alignTo(data.size(), 64), 0);
    int64_t offset = data.size();
    data.append(bytes.begin(), bytes.end());
    return offset;
  }
  FailureOr<std::vector<float>> constantValues(Value v, Operation *user);
  FailureOr<int64_t> f32Constant(Value v, Operation *user);
  FailureOr<int64_t> packedWeights(Value w, bool transposed, Operation *user);
  FailureOr<int64_t> packedInt8Weights(Value w, Operation *user);
  FailureOr<ViewAttr> getView(Value v, Operation *user);
  ViewAttr broadcastTo(ViewAttr v, ArrayRef<int64_t> shape);
  /// `v` itself when its last dim is contiguous (stride 1, or size 1; a
  /// zero stride too when `allowBroadcast`), else a dense copy made by the
  /// vector unit one element per row (a transpose that moved the last dim).
  ViewAttr rowMajor(ViewAttr v, Location loc, bool allowBroadcast = false);
  /// Rebases scratch views after the constants and attaches the data segment.
  LogicalResult finish();

  // Dispatch (TransformerToNPU.cpp).
  LogicalResult convert(Operation *op);

  // Gemm.cpp.
  /// `scale`: int8 weights [N, K] with per-channel scales (quantized_linear).
  LogicalResult convertGemm(Operation *op, Value lhs, Value rhs,
                            bool rhsIsLinearWeight, Value bias,
                            Value scale = Value());
  LogicalResult convertLinear(tf::LinearOp op);
  LogicalResult convertQuantizedLinear(tf::QuantizedLinearOp op);

  // VectorOps.cpp.
  LogicalResult convertBinary(Operation *op, StringRef kind);
  LogicalResult convertUnary(Operation *op, StringRef kind);
  LogicalResult convertSoftmax(tf::SoftmaxOp op);
  /// `v` as [rows, cols] with cols the product of dims [first, rank) and
  /// contiguous rows (a copy where its layout does not allow a view).
  ViewAttr asRows(ViewAttr v, int64_t first, Location loc);
  /// reduce_sum/mean/max over trailing dims.
  LogicalResult convertReduce(Operation *op, StringRef kind,
                              ArrayRef<int64_t> axes);
  /// layer_norm (with `bias`) or rms_norm (`rms`) over the last dim.
  LogicalResult convertNorm(Operation *op, Value input, Value scale,
                            Value bias, int64_t axis, FloatAttr epsilon,
                            bool rms);

  // IndexOps.cpp: integer tensors.
  LogicalResult convertGather(tf::GatherOp op);
  LogicalResult convertCast(tf::CastOp op);

  // VectorOps.cpp (rotary embeddings as elementwise ops on views).
  LogicalResult convertRotary(tf::RotaryEmbeddingOp op);

  // ShapeOps.cpp.
  /// `out` as a view of `in` with its shape (reshape, squeeze, unsqueeze);
  /// a contiguous copy first where the layout does not allow it.
  LogicalResult convertReshape(Operation *op, Value in, Value out);
  LogicalResult convertTranspose(tf::TransposeOp op);
  LogicalResult convertSplit(tf::SplitOp op);
  LogicalResult convertExpand(tf::ExpandOp op);
  LogicalResult convertSlice(tf::SliceOp op);
  LogicalResult convertConcat(tf::ConcatOp op);

  // Attention.cpp.
  LogicalResult convertAttention(tf::AttentionOp op);
  LogicalResult convertUnfusedAttention(tf::AttentionOp op);

  RankedTensorType typeOf(Value v) { return cast<RankedTensorType>(v.getType()); }
  /// Bytes per element of a DRAM tensor: f32 (most), i32 or i64 (integer
  /// inputs: token ids, positions, masks; only shape ops, gather and cast
  /// read them). View strides count elements of this size.
  static int64_t elemBytes(Value v);
  /// An eltwise tile op c = kind(a[, b]) (b broadcast to a's shape).
  Operation *eltwise(Location loc, StringRef kind, ViewAttr a,
                     std::optional<ViewAttr> b, ViewAttr c);
  void produce(Value v, ViewAttr c, Operation *tileOp) {
    views[v] = c;
    producer[v] = tileOp;
  }

  func::FuncOp func;
  StringRef dtype;
  int64_t tileM, tileN, dramLimit;
  OpBuilder b;
  npu_ir::ProgramOp program;
  SmallVector<uint8_t> data;
  int64_t scratchBytes = 0;
  DenseMap<Value, ViewAttr> views;
  DenseMap<Value, Operation *> producer;
  DenseMap<Value, int64_t> f32Constants, packedConstants;
  /// Ops folded into an earlier tile op (a fused bias add).
  DenseSet<Operation *> fused;
};

} // namespace mlir::llm::to_npu

#endif // LLM_LIB_CONVERSION_TRANSFORMERTONPU_CONVERTER_H
