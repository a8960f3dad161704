//===- TensorProto.cpp - ONNX TensorProto .pb files -----------------------===//
//
// Reads and writes serialized ONNX TensorProto messages, the format of the
// ONNX backend test data (`test_data_set_N/{input,output}_K.pb`). Uses the
// protobuf classes the ONNX importer generates from its own onnx.proto
// (package llm_onnx, full runtime; lib/Import/ONNX): Debian's onnx_proto must
// not be linked alongside them.
//
// Element data comes from raw_data (little-endian) or from the typed field
// the ONNX spec assigns to the type: float_data (float), int32_data (int32,
// int16, int8, uint16, uint8, bool, float16 and bfloat16 bit patterns),
// int64_data, double_data, uint64_data (uint32, uint64).
//
//===----------------------------------------------------------------------===//

#include "llm/Runtime/TensorIO.h"

#include "onnx.pb.h"

#include <cstring>

using namespace mlir;
using namespace mlir::llm;

static llvm::Error protoError(llvm::StringRef fileName,
                              const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 fileName + ": " + msg);
}

/// Copies `count` values from a repeated field into typed storage.
template <typename Dst, typename Field>
static void copyField(const Field &field, void *dst) {
  auto *out = static_cast<Dst *>(dst);
  for (int i = 0; i < field.size(); ++i)
    out[i] = static_cast<Dst>(field.Get(i));
}

llvm::Expected<NamedTensor> llm::parseTensorProto(llvm::StringRef bytes,
                                                  llvm::StringRef fileName) {
  llm_onnx::TensorProto proto;
  if (bytes.size() > static_cast<size_t>(INT32_MAX) ||
      !proto.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return protoError(fileName, "not a serialized ONNX TensorProto");
  std::optional<DType> dtype = dtypeFromONNX(proto.data_type());
  if (!dtype)
    return protoError(fileName, "unsupported ONNX tensor data type " +
                                    llvm::Twine(proto.data_type()) +
                                    " (supported: numeric types and bool)");
  if (proto.data_location() == llm_onnx::TensorProto::EXTERNAL)
    return protoError(fileName, "tensors with external data are not "
                                "supported");
  std::vector<int64_t> shape;
  for (int64_t d : proto.dims()) {
    if (d < 0)
      return protoError(fileName, "negative dimension " + llvm::Twine(d));
    shape.push_back(d);
  }
  NamedTensor result{proto.name(), Tensor(*dtype, shape)};
  Tensor &tensor = result.tensor;
  int64_t n = tensor.getNumElements();
  auto wrongCount = [&](llvm::StringRef field, int64_t count) {
    return protoError(fileName, "has " + llvm::Twine(count) + " " + field +
                                    " for " + tensor.describe() + " (" +
                                    llvm::Twine(n) + " elements)");
  };

  if (proto.has_raw_data()) {
    const std::string &raw = proto.raw_data();
    if (raw.size() != tensor.getByteSize())
      return wrongCount("raw_data bytes", static_cast<int64_t>(raw.size()));
    std::memcpy(tensor.data(), raw.data(), raw.size());
    return std::move(result);
  }

  void *dst = tensor.data();
  switch (*dtype) {
  case DType::F32:
    if (proto.float_data_size() != n)
      return wrongCount("float_data values", proto.float_data_size());
    copyField<float>(proto.float_data(), dst);
    break;
  case DType::F64:
    if (proto.double_data_size() != n)
      return wrongCount("double_data values", proto.double_data_size());
    copyField<double>(proto.double_data(), dst);
    break;
  case DType::I64:
    if (proto.int64_data_size() != n)
      return wrongCount("int64_data values", proto.int64_data_size());
    copyField<int64_t>(proto.int64_data(), dst);
    break;
  case DType::U32:
    if (proto.uint64_data_size() != n)
      return wrongCount("uint64_data values", proto.uint64_data_size());
    copyField<uint32_t>(proto.uint64_data(), dst);
    break;
  case DType::U64:
    if (proto.uint64_data_size() != n)
      return wrongCount("uint64_data values", proto.uint64_data_size());
    copyField<uint64_t>(proto.uint64_data(), dst);
    break;
  case DType::I32:
  case DType::I16:
  case DType::I8:
  case DType::U16:
  case DType::U8:
  case DType::Bool:
  case DType::F16:
  case DType::BF16:
    if (proto.int32_data_size() != n)
      return wrongCount("int32_data values", proto.int32_data_size());
    switch (getDTypeSize(*dtype)) {
    case 4:
      copyField<int32_t>(proto.int32_data(), dst);
      break;
    case 2:
      copyField<uint16_t>(proto.int32_data(), dst);
      break;
    default:
      if (*dtype == DType::Bool)
        for (int64_t i = 0; i < n; ++i)
          static_cast<uint8_t *>(dst)[i] = proto.int32_data(i) != 0;
      else
        copyField<uint8_t>(proto.int32_data(), dst);
      break;
    }
    break;
  }
  return std::move(result);
}

std::string llm::serializeTensorProto(const Tensor &tensor,
                                      llvm::StringRef name) {
  llm_onnx::TensorProto proto;
  for (int64_t d : tensor.getShape())
    proto.add_dims(d);
  proto.set_data_type(dtypeToONNX(tensor.getDType()));
  if (!name.empty())
    proto.set_name(name.str());
  proto.set_raw_data(tensor.data(), tensor.getByteSize());
  return proto.SerializeAsString();
}
