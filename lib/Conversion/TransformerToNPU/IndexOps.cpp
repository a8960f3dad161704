//===- IndexOps.cpp - gather and cast of integer tensors ------------------===//
//
// Integer inputs (token ids, position ids, attention masks) stay in DRAM in
// their own element type (i32 or i64) and are read only by:
//
// - gather along axis 0 of an f32 table (an embedding, a cos/sin cache):
//   npu.gather, whose indices are loaded on chip and whose rows are fetched
//   by dma.gather (an index outside the table stops the program). Constant
//   indices are placed in the data segment and gathered the same way;
// - cast to f32: npu.cast on the vector unit (f32 -> f32 is a view).
//
//===----------------------------------------------------------------------===//

#include "Converter.h"

namespace mlir::llm::to_npu {

LogicalResult Converter::convertGather(tf::GatherOp g) {
  Operation *op = g;
  RankedTensorType dataType = typeOf(g.getData());
  if (!dataType.getElementType().isF32())
    return op->emitError("NPU: gather of ")
           << dataType << describeNode(op->getLoc())
           << ": only f32 tables are supported";
  int64_t rank = dataType.getRank();
  int64_t axis = static_cast<int64_t>(g.getAxis());
  if (axis < 0)
    axis += rank;
  if (axis != 0)
    return op->emitError("NPU: gather along axis ")
           << axis << describeNode(op->getLoc())
           << ": only axis 0 (table rows) is supported";
  FailureOr<ViewAttr> data = getView(g.getData(), op);
  FailureOr<ViewAttr> indices = getView(g.getIndices(), op);
  if (failed(data) || failed(indices))
    return failure();
  if (!isDense(*data) || !isDense(*indices))
    return op->emitError("NPU: gather needs a contiguous table and indices")
           << describeNode(op->getLoc());
  ArrayRef<int64_t> dataShape = dataType.getShape();
  int64_t cols = numElements(dataShape.drop_front());
  SmallVector<int64_t> tableShape = {dataShape[0], cols};
  ViewAttr table = view(data->getReg(), data->getOffset(), tableShape,
                        denseStrides(tableShape));
  SmallVector<int64_t> cShape(indices->getShape().asArrayRef());
  cShape.push_back(cols);
  ViewAttr c = allocScratch(cShape);
  auto t = npu_ir::GatherOp::create(
      b, op->getLoc(), table, *indices,
      b.getStringAttr(elemBytes(g.getIndices()) == 8 ? "i64" : "i32"), c);
  ArrayRef<int64_t> shape = typeOf(g.getResult()).getShape();
  produce(g.getResult(), view(0, c.getOffset(), shape, denseStrides(shape)),
          t);
  return success();
}

LogicalResult Converter::convertCast(tf::CastOp c) {
  Operation *op = c;
  Type from = typeOf(c.getInput()).getElementType(),
       to = typeOf(c.getResult()).getElementType();
  FailureOr<ViewAttr> a = getView(c.getInput(), op);
  if (failed(a))
    return failure();
  if (from.isF32() && to.isF32()) {
    views[c.getResult()] = *a;
    return success();
  }
  if (!to.isF32() || !(from.isInteger(32) || from.isInteger(64)))
    return op->emitError("NPU: cast from ")
           << from << " to " << to << describeNode(op->getLoc())
           << ": only i32/i64 -> f32 is supported";
  if (!isDense(*a))
    return op->emitError("NPU: cast of a non-contiguous integer view")
           << describeNode(op->getLoc());
  ViewAttr out = allocScratch(a->getShape().asArrayRef());
  auto t = npu_ir::CastOp::create(b, op->getLoc(), *a,
                                  b.getStringAttr(from.isInteger(64) ? "i64"
                                                                     : "i32"),
                                  out);
  produce(c.getResult(), out, t);
  return success();
}

} // namespace mlir::llm::to_npu
