//===- DRAMLayout.cpp - NPU DRAM views, constants and scratch -------------===//
//
// Strided views of DRAM tensors, the data segment (r0): constants first
// (weights packed tile-major as 16x16 bf16 or int8 tiles, everything else
// f32), then zero-filled scratch for intermediates, rebased by finish().
//
//===----------------------------------------------------------------------===//

#include "Converter.h"

#include "Transformer/Transforms/ConstantData.h"
#include "llm/Target/NPU/Numerics.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace mlir::llm::to_npu {

SmallVector<int64_t> denseStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

bool isDense(ViewAttr v) {
  // Strides of unit dims do not matter.
  SmallVector<int64_t> dense = denseStrides(v.getShape().asArrayRef());
  for (auto [d, s, expected] :
       llvm::zip(v.getShape().asArrayRef(), v.getStrides().asArrayRef(), dense))
    if (d != 1 && s != expected)
      return false;
  return true;
}

int64_t numElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

/// The strides of `v` reshaped to `shape` without moving data, if its
/// layout allows: dims are grouped so that each group of old dims has the
/// product of a group of new dims, and each old group must be contiguous in
/// itself (e.g. [8, 32] with strides [96, 1] reshapes to [8, 2, 16] with
/// strides [96, 16, 1]).
std::optional<SmallVector<int64_t>> reshapeStrides(ViewAttr v,
                                                   ArrayRef<int64_t> shape) {
  SmallVector<int64_t> oldShape, oldStrides;
  for (auto [d, s] : llvm::zip(v.getShape().asArrayRef(),
                               v.getStrides().asArrayRef()))
    if (d != 1)
      oldShape.push_back(d), oldStrides.push_back(s);
  SmallVector<int64_t> strides(shape.size(), 0);
  size_t i = 0, k = 0;
  while (k < shape.size()) {
    if (shape[k] == 1) {
      strides[k] = 1;
      ++k;
      continue;
    }
    if (i >= oldShape.size())
      return std::nullopt;
    // Grow both groups until their products agree.
    size_t i0 = i, k0 = k;
    int64_t po = oldShape[i++], pn = shape[k++];
    while (po != pn) {
      if (po < pn) {
        if (i >= oldShape.size())
          return std::nullopt;
        po *= oldShape[i++];
      } else {
        if (k >= shape.size())
          return std::nullopt;
        pn *= shape[k++];
      }
    }
    for (size_t d = i0; d + 1 < i; ++d)
      if (oldStrides[d] != oldStrides[d + 1] * oldShape[d + 1])
        return std::nullopt;
    int64_t stride = oldStrides[i - 1];
    for (size_t d = k; d-- > k0;) {
      strides[d] = stride;
      stride *= shape[d];
    }
  }
  if (i != oldShape.size())
    return std::nullopt;
  return strides;
}

/// " (ONNX node 'NAME', OpType)" from an importer location, else "".
std::string describeNode(Location loc) {
  auto name = dyn_cast<NameLoc>(loc);
  if (!name)
    return "";
  std::string text = (" (ONNX node '" + name.getName().getValue() + "'").str();
  if (auto fused = dyn_cast<FusedLoc>(name.getChildLoc()))
    if (auto type = dyn_cast_or_null<StringAttr>(fused.getMetadata()))
      text += (", " + type.getValue()).str();
  return text + ")";
}

FailureOr<std::vector<float>> Converter::constantValues(Value v,
                                                        Operation *user) {
  auto constant = v.getDefiningOp<tf::ConstantOp>();
  if (!constant)
    return user->emitError("NPU: this operand must be a constant (weights "
                           "are packed at compile time)"),
           failure();
  std::optional<std::vector<float>> values =
      tf::readFloatConstant(cast<ElementsAttr>(constant.getValue()));
  if (!values)
    return constant.emitError("NPU: the constant's data is not available as "
                              "floats"),
           failure();
  return std::move(*values);
}

FailureOr<int64_t> Converter::f32Constant(Value v, Operation *user) {
  if (auto it = f32Constants.find(v); it != f32Constants.end())
    return it->second;
  auto values = constantValues(v, user);
  if (failed(values))
    return failure();
  ArrayRef<uint8_t> bytes(reinterpret_cast<const uint8_t *>(values->data()),
                          values->size() * 4);
  int64_t offset = appendData(bytes);
  f32Constants[v] = offset;
  return offset;
}

FailureOr<int64_t> Converter::packedWeights(Value w, bool transposed,
                                            Operation *user) {
  if (auto it = packedConstants.find(w); it != packedConstants.end())
    return it->second;
  auto values = constantValues(w, user);
  if (failed(values))
    return failure();
  ArrayRef<int64_t> shape = typeOf(w).getShape();
  int64_t K = transposed ? shape[1] : shape[0];
  int64_t N = transposed ? shape[0] : shape[1];
  int64_t KT = (K + 15) / 16, NT = (N + 15) / 16;
  // Tile (j, kk) at (j * KT + kk) * 512 bytes: row r holds
  // W[16kk + r][16j .. 16j + 16) as bf16, zero-padded.
  std::vector<uint8_t> bytes(NT * KT * 512, 0);
  for (int64_t k = 0; k < K; ++k)
    for (int64_t n = 0; n < N; ++n) {
      float value = transposed ? (*values)[n * K + k] : (*values)[k * N + n];
      uint16_t bits = npu::floatToBF16(value);
      int64_t tile = (n / 16) * KT + k / 16;
      int64_t at = tile * 512 + ((k % 16) * 16 + n % 16) * 2;
      bytes[at] = bits & 0xff;
      bytes[at + 1] = bits >> 8;
    }
  int64_t offset = appendData(bytes);
  packedConstants[w] = offset;
  return offset;
}

FailureOr<int64_t> Converter::packedInt8Weights(Value w, Operation *user) {
  if (auto it = packedConstants.find(w); it != packedConstants.end())
    return it->second;
  auto constant = w.getDefiningOp<tf::ConstantOp>();
  std::optional<std::vector<int64_t>> values;
  if (constant)
    values = tf::readIntConstant(cast<ElementsAttr>(constant.getValue()));
  if (!values)
    return user->emitError("NPU: int8 weights must be a constant with "
                           "available data"),
           failure();
  ArrayRef<int64_t> shape = typeOf(w).getShape();
  int64_t N = shape[0], K = shape[1];
  int64_t KT = (K + 15) / 16, NT = (N + 15) / 16;
  // Tile (j, kk) at (j * KT + kk) * 256 bytes: row r holds
  // W^T[16kk + r][16j .. 16j + 16) = W[16j ..][16kk + r], zero-padded.
  std::vector<uint8_t> bytes(NT * KT * 256, 0);
  for (int64_t n = 0; n < N; ++n)
    for (int64_t k = 0; k < K; ++k) {
      int64_t tile = (n / 16) * KT + k / 16;
      bytes[tile * 256 + (k % 16) * 16 + n % 16] =
          static_cast<uint8_t>(static_cast<int8_t>((*values)[n * K + k]));
    }
  int64_t offset = appendData(bytes);
  packedConstants[w] = offset;
  return offset;
}

FailureOr<ViewAttr> Converter::getView(Value v, Operation *user) {
  if (auto it = views.find(v); it != views.end())
    return it->second;
  if (auto constant = v.getDefiningOp<tf::ConstantOp>()) {
    ArrayRef<int64_t> shape = typeOf(v).getShape();
    if (elemBytes(v) != 4 || !typeOf(v).getElementType().isF32()) {
      // Integer constants (e.g. gather indices) keep their element type.
      std::optional<std::vector<int64_t>> ints =
          tf::readIntConstant(cast<ElementsAttr>(constant.getValue()));
      if (!ints || !typeOf(v).getElementType().isInteger())
        return user->emitError("NPU: constant of type ")
               << typeOf(v) << " is not supported" << describeNode(user->getLoc()),
               failure();
      SmallVector<uint8_t> bytes;
      for (int64_t x : *ints)
        for (int64_t i = 0; i < elemBytes(v); ++i)
          bytes.push_back(static_cast<uint8_t>(static_cast<uint64_t>(x) >> (8 * i)));
      ViewAttr result = view(0, appendData(bytes), shape, denseStrides(shape));
      views[v] = result;
      return result;
    }
    FailureOr<int64_t> offset = f32Constant(v, user);
    if (failed(offset))
      return failure();
    ViewAttr result = view(0, *offset, shape, denseStrides(shape));
    views[v] = result;
    return result;
  }
  return user->emitError("NPU: operand has no DRAM tensor"), failure();
}

int64_t Converter::elemBytes(Value v) {
  Type t = cast<RankedTensorType>(v.getType()).getElementType();
  return t.isInteger(64) ? 8 : 4;
}

Operation *Converter::eltwise(Location loc, StringRef kind, ViewAttr a,
                              std::optional<ViewAttr> b, ViewAttr c) {
  return npu_ir::EltwiseOp::create(
      this->b, loc, this->b.getStringAttr(kind), a,
      b ? broadcastTo(*b, a.getShape().asArrayRef()) : ViewAttr(),
      FloatAttr(), c);
}

ViewAttr Converter::rowMajor(ViewAttr v, Location loc, bool allowBroadcast) {
  ArrayRef<int64_t> shape = v.getShape().asArrayRef(),
                    strides = v.getStrides().asArrayRef();
  if (shape.empty() || shape.back() == 1 || strides.back() == 1 ||
      (allowBroadcast && strides.back() == 0))
    return v;
  ViewAttr dense = allocScratch(shape);
  SmallVector<int64_t> columnShape(shape), srcStrides(strides),
      dstStrides(dense.getStrides().asArrayRef());
  columnShape.push_back(1);
  srcStrides.push_back(1);
  dstStrides.push_back(1);
  npu_ir::EltwiseOp::create(
      b, loc, b.getStringAttr("copy"),
      view(v.getReg(), v.getOffset(), columnShape, srcStrides), ViewAttr(),
      FloatAttr(), view(0, dense.getOffset(), columnShape, dstStrides));
  return dense;
}

ViewAttr Converter::broadcastTo(ViewAttr v, ArrayRef<int64_t> shape) {
  ArrayRef<int64_t> vs = v.getShape().asArrayRef(),
                    st = v.getStrides().asArrayRef();
  SmallVector<int64_t> strides(shape.size(), 0);
  size_t lead = shape.size() - vs.size();
  for (size_t d = 0; d < vs.size(); ++d)
    strides[lead + d] = vs[d] == shape[lead + d] ? st[d] : 0;
  return view(v.getReg(), v.getOffset(), shape, strides);
}

LogicalResult Converter::finish() {
  int64_t scratchStart = llvm::alignTo(data.size(), 64);
  int64_t dataSize = scratchStart + scratchBytes;
  if (dataSize > kReachableBytes)
    return func.emitError("NPU: the model does not fit DRAM: its data segment "
                          "(weights ")
           << data.size() << " bytes, intermediates " << scratchBytes
           << " bytes) exceeds the 256 MiB a base register reaches";
  int64_t total = dataSize;
  for (auto arg : program.getBody().getOps<npu_ir::ArgOp>())
    total = llvm::alignTo(total, 64) +
            numElements(arg.getShape()) * (arg.getElem() == "i64" ? 8 : 4);
  if (total > dramLimit)
    return func.emitError("NPU: the model does not fit DRAM: it needs ")
           << total << " bytes (data segment " << dataSize
           << ", arguments " << total - dataSize << "), the limit is "
           << dramLimit << " (dram-limit)";
  // Rebase scratch views.
  program.walk([&](Operation *op) {
    for (NamedAttribute attr : op->getAttrs())
      if (auto v = dyn_cast<ViewAttr>(attr.getValue());
          v && v.getOffset() >= kScratchBase)
        op->setAttr(attr.getName(),
                    view(v.getReg(), v.getOffset() - kScratchBase + scratchStart,
                         v.getShape().asArrayRef(), v.getStrides().asArrayRef()));
  });
  if (!data.empty()) {
    auto type = RankedTensorType::get({static_cast<int64_t>(data.size())},
                                      b.getIntegerType(8));
    ArrayRef<char> bytes(reinterpret_cast<const char *>(data.data()),
                         data.size());
    auto blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, 64);
    program.setDataAttr(
        DenseResourceElementsAttr::get(type, "npu_data", std::move(blob)));
  }
  program.setDataSize(dataSize);
  return success();
}

} // namespace mlir::llm::to_npu
