//===- Tensor.cpp - host tensors for running compiled models -------------===//
//
// DType helpers (sizes, names, the ONNX data type mapping) and the Tensor
// class: aligned owned storage, deep copies, element access as double.
//
//===----------------------------------------------------------------------===//

#include "llm/Runtime/Tensor.h"

#include "llvm/Support/ErrorHandling.h"

#include <cmath>
#include <cstdlib>
#include <cstring>

using namespace mlir;
using namespace mlir::llm;

size_t llm::getDTypeSize(DType dtype) {
  switch (dtype) {
  case DType::I8:
  case DType::U8:
  case DType::Bool:
    return 1;
  case DType::F16:
  case DType::BF16:
  case DType::I16:
  case DType::U16:
    return 2;
  case DType::F32:
  case DType::I32:
  case DType::U32:
    return 4;
  case DType::F64:
  case DType::I64:
  case DType::U64:
    return 8;
  }
  llvm_unreachable("unknown dtype");
}

llvm::StringRef llm::getDTypeName(DType dtype) {
  switch (dtype) {
  case DType::F16:
    return "f16";
  case DType::BF16:
    return "bf16";
  case DType::F32:
    return "f32";
  case DType::F64:
    return "f64";
  case DType::I8:
    return "i8";
  case DType::I16:
    return "i16";
  case DType::I32:
    return "i32";
  case DType::I64:
    return "i64";
  case DType::U8:
    return "ui8";
  case DType::U16:
    return "ui16";
  case DType::U32:
    return "ui32";
  case DType::U64:
    return "ui64";
  case DType::Bool:
    return "i1";
  }
  llvm_unreachable("unknown dtype");
}

bool llm::isFloatDType(DType dtype) {
  return dtype == DType::F16 || dtype == DType::BF16 || dtype == DType::F32 ||
         dtype == DType::F64;
}

std::optional<DType> llm::dtypeFromONNX(int onnxDataType) {
  switch (onnxDataType) {
  case 1:
    return DType::F32;
  case 2:
    return DType::U8;
  case 3:
    return DType::I8;
  case 4:
    return DType::U16;
  case 5:
    return DType::I16;
  case 6:
    return DType::I32;
  case 7:
    return DType::I64;
  case 9:
    return DType::Bool;
  case 10:
    return DType::F16;
  case 11:
    return DType::F64;
  case 12:
    return DType::U32;
  case 13:
    return DType::U64;
  case 16:
    return DType::BF16;
  default:
    return std::nullopt;
  }
}

int llm::dtypeToONNX(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return 1;
  case DType::U8:
    return 2;
  case DType::I8:
    return 3;
  case DType::U16:
    return 4;
  case DType::I16:
    return 5;
  case DType::I32:
    return 6;
  case DType::I64:
    return 7;
  case DType::Bool:
    return 9;
  case DType::F16:
    return 10;
  case DType::F64:
    return 11;
  case DType::U32:
    return 12;
  case DType::U64:
    return 13;
  case DType::BF16:
    return 16;
  }
  llvm_unreachable("unknown dtype");
}

std::string llm::formatShape(llvm::ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  std::string result;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      result += "x";
    result += shape[i] < 0 ? "?" : std::to_string(shape[i]);
  }
  return result;
}

int64_t llm::getNumElements(llvm::ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

float llm::halfToFloat(uint16_t bits) {
  uint32_t sign = (bits >> 15) & 1;
  uint32_t exponent = (bits >> 10) & 0x1f;
  uint32_t mantissa = bits & 0x3ff;
  float value;
  if (exponent == 0)
    value = std::ldexp(static_cast<float>(mantissa), -24);
  else if (exponent == 31)
    value = mantissa ? NAN : INFINITY;
  else
    value = std::ldexp(static_cast<float>(mantissa | 0x400),
                       static_cast<int>(exponent) - 25);
  return sign ? -value : value;
}

float llm::bfloat16ToFloat(uint16_t bits) {
  uint32_t word = static_cast<uint32_t>(bits) << 16;
  float value;
  std::memcpy(&value, &word, sizeof(value));
  return value;
}

void Tensor::FreeDeleter::operator()(void *p) const {
  if (owned)
    std::free(p);
}

Tensor Tensor::view(DType dtype, llvm::ArrayRef<int64_t> shape, void *data) {
  // A non-null tensor has non-null storage, even with zero elements.
  static uint8_t emptyStorage;
  Tensor tensor;
  tensor.dtype = dtype;
  tensor.shape.assign(shape.begin(), shape.end());
  tensor.storage = std::unique_ptr<uint8_t, FreeDeleter>(
      data ? static_cast<uint8_t *>(data) : &emptyStorage,
      FreeDeleter{/*owned=*/false});
  return tensor;
}

/// Allocates at least one byte, rounded up to the 64-byte alignment as
/// aligned_alloc requires.
static uint8_t *allocateStorage(size_t bytes) {
  size_t rounded = ((bytes ? bytes : 1) + 63) / 64 * 64;
  void *p = std::aligned_alloc(64, rounded);
  if (!p)
    llvm::report_bad_alloc_error("cannot allocate tensor storage");
  std::memset(p, 0, rounded);
  return static_cast<uint8_t *>(p);
}

Tensor::Tensor(DType dtype, llvm::ArrayRef<int64_t> shape)
    : dtype(dtype), shape(shape.begin(), shape.end()) {
  storage.reset(allocateStorage(getByteSize()));
}

Tensor::Tensor(const Tensor &other) : dtype(other.dtype), shape(other.shape) {
  if (other.storage) {
    storage.reset(allocateStorage(getByteSize()));
    std::memcpy(storage.get(), other.storage.get(), getByteSize());
  }
}

Tensor &Tensor::operator=(const Tensor &other) {
  if (this != &other) {
    Tensor copy(other);
    *this = std::move(copy);
  }
  return *this;
}

double Tensor::getAsDouble(int64_t i) const {
  switch (dtype) {
  case DType::F16:
    return halfToFloat(dataAs<uint16_t>()[i]);
  case DType::BF16:
    return bfloat16ToFloat(dataAs<uint16_t>()[i]);
  case DType::F32:
    return dataAs<float>()[i];
  case DType::F64:
    return dataAs<double>()[i];
  case DType::I8:
    return dataAs<int8_t>()[i];
  case DType::I16:
    return dataAs<int16_t>()[i];
  case DType::I32:
    return dataAs<int32_t>()[i];
  case DType::I64:
    return static_cast<double>(dataAs<int64_t>()[i]);
  case DType::U8:
    return dataAs<uint8_t>()[i];
  case DType::U16:
    return dataAs<uint16_t>()[i];
  case DType::U32:
    return dataAs<uint32_t>()[i];
  case DType::U64:
    return static_cast<double>(dataAs<uint64_t>()[i]);
  case DType::Bool:
    return dataAs<uint8_t>()[i] ? 1.0 : 0.0;
  }
  llvm_unreachable("unknown dtype");
}

bool Tensor::reinterpretAs(DType newType) {
  if (getDTypeSize(newType) != getDTypeSize(dtype))
    return false;
  dtype = newType;
  return true;
}

std::string Tensor::describe() const {
  return getDTypeName(dtype).str() + "[" + formatShape(shape) + "]";
}
