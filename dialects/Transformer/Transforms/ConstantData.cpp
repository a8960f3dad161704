//===- ConstantData.cpp - reading and writing constant tensors ------------===//

#include "Transformer/Transforms/ConstantData.h"

#include "Transformer/IR/TransformerOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/APFloat.h"

using namespace mlir;
using namespace mlir::llm;
using namespace mlir::llm::transformer;

/// The bytes of a resource constant, if its blob is loaded and has
/// `bytesPerElement` bytes for every element.
static std::optional<ArrayRef<char>> resourceBytes(ElementsAttr attr,
                                                   int64_t bytesPerElement) {
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  if (!resource)
    return std::nullopt;
  AsmResourceBlob *blob = resource.getRawHandle().getBlob();
  if (!blob)
    return std::nullopt;
  ArrayRef<char> data = blob->getData();
  if (static_cast<int64_t>(data.size()) !=
      cast<ShapedType>(attr.getType()).getNumElements() * bytesPerElement)
    return std::nullopt;
  return data;
}

std::optional<std::vector<float>>
mlir::llm::transformer::readFloatConstant(ElementsAttr attr) {
  Type elementType = cast<ShapedType>(attr.getType()).getElementType();
  auto floatType = dyn_cast<FloatType>(elementType);
  if (!floatType ||
      !(floatType.isF32() || floatType.isF16() || floatType.isBF16()))
    return std::nullopt;
  std::vector<float> out;
  auto toFloat = [](APFloat v) {
    bool losesInfo;
    v.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven, &losesInfo);
    return v.convertToFloat();
  };
  if (auto dense = dyn_cast<DenseFPElementsAttr>(attr)) {
    for (APFloat v : dense.getValues<APFloat>())
      out.push_back(toFloat(v));
    return out;
  }
  unsigned bytes = floatType.getWidth() / 8;
  std::optional<ArrayRef<char>> data = resourceBytes(attr, bytes);
  if (!data)
    return std::nullopt;
  int64_t count = static_cast<int64_t>(data->size()) / bytes;
  out.reserve(count);
  if (floatType.isF32()) {
    const float *p = reinterpret_cast<const float *>(data->data());
    out.assign(p, p + count);
    return out;
  }
  const uint16_t *p = reinterpret_cast<const uint16_t *>(data->data());
  for (int64_t i = 0; i < count; ++i)
    out.push_back(toFloat(APFloat(floatType.getFloatSemantics(),
                                  APInt(16, p[i]))));
  return out;
}

std::optional<std::vector<int64_t>>
mlir::llm::transformer::readIntConstant(ElementsAttr attr) {
  auto intType = dyn_cast<IntegerType>(
      cast<ShapedType>(attr.getType()).getElementType());
  if (!intType || intType.getWidth() > 64)
    return std::nullopt;
  bool isUnsigned = intType.isUnsigned();
  std::vector<int64_t> out;
  if (auto dense = dyn_cast<DenseIntElementsAttr>(attr)) {
    for (const APInt &v : dense.getValues<APInt>())
      out.push_back(isUnsigned ? static_cast<int64_t>(v.getZExtValue())
                               : v.getSExtValue());
    return out;
  }
  unsigned width = intType.getWidth();
  unsigned bytes = width <= 8 ? 1 : width / 8;
  if (width > 8 && width % 8)
    return std::nullopt;
  std::optional<ArrayRef<char>> data = resourceBytes(attr, bytes);
  if (!data)
    return std::nullopt;
  int64_t count = static_cast<int64_t>(data->size()) / bytes;
  out.reserve(count);
  for (int64_t i = 0; i < count; ++i) {
    uint64_t raw = 0;
    std::memcpy(&raw, data->data() + i * bytes, bytes);
    APInt v(bytes * 8, raw);
    if (width < 8) // one value per byte: keep the low bits
      v = v.trunc(width);
    out.push_back(isUnsigned ? static_cast<int64_t>(v.getZExtValue())
                             : v.getSExtValue());
  }
  return out;
}

std::string mlir::llm::transformer::getResourceName(ElementsAttr attr) {
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr))
    return resource.getRawHandle().getKey().str();
  return "";
}

Value mlir::llm::transformer::createConstant(OpBuilder &b, Location loc,
                                             RankedTensorType type,
                                             ArrayRef<char> bytes,
                                             size_t align, StringRef name) {
  constexpr int64_t kInlineLimit = 16;
  Type elementType = type.getElementType();
  if (type.getNumElements() <= kInlineLimit) {
    Attribute attr;
    if (elementType.isInteger() && elementType.getIntOrFloatBitWidth() <= 8) {
      SmallVector<APInt> values;
      unsigned width = elementType.getIntOrFloatBitWidth();
      for (char c : bytes)
        values.push_back(
            APInt(8, static_cast<uint8_t>(c)).trunc(width));
      attr = DenseElementsAttr::get(type, values);
    } else {
      attr = DenseElementsAttr::getFromRawBuffer(type, bytes);
    }
    return ConstantOp::create(b, loc, cast<ElementsAttr>(attr));
  }
  AsmResourceBlob blob =
      HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, align);
  auto attr = DenseResourceElementsAttr::get(type, name, std::move(blob));
  return ConstantOp::create(b, loc, cast<ElementsAttr>(attr));
}

Value mlir::llm::transformer::createSmallIntConstant(
    OpBuilder &b, Location loc, RankedTensorType type,
    ArrayRef<int64_t> values, StringRef name) {
  std::vector<char> bytes;
  bytes.reserve(values.size());
  for (int64_t v : values)
    bytes.push_back(static_cast<char>(static_cast<uint8_t>(v & 0xff)));
  return createConstant(b, loc, type, bytes, 1, name);
}

Value mlir::llm::transformer::createFloatConstant(OpBuilder &b, Location loc,
                                                  ArrayRef<int64_t> shape,
                                                  ArrayRef<float> values,
                                                  Type elementType,
                                                  StringRef name) {
  auto type = RankedTensorType::get(shape, elementType);
  if (elementType.isF32())
    return createConstant(
        b, loc, type,
        ArrayRef<char>(reinterpret_cast<const char *>(values.data()),
                       values.size() * sizeof(float)),
        alignof(float), name);
  std::vector<uint16_t> half;
  half.reserve(values.size());
  for (float s : values) {
    APFloat v(s);
    bool losesInfo;
    v.convert(cast<FloatType>(elementType).getFloatSemantics(),
              APFloat::rmNearestTiesToEven, &losesInfo);
    half.push_back(static_cast<uint16_t>(v.bitcastToAPInt().getZExtValue()));
  }
  return createConstant(
      b, loc, type,
      ArrayRef<char>(reinterpret_cast<const char *>(half.data()),
                     half.size() * sizeof(uint16_t)),
      alignof(uint16_t), name);
}

Value mlir::llm::transformer::lookThroughTranspose2D(Value v) {
  auto transpose = v.getDefiningOp<TransposeOp>();
  if (!transpose || transpose.getPermutation() != ArrayRef<int64_t>{1, 0})
    return Value();
  return transpose.getInput();
}
