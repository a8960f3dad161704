//===- Tensor.h - host tensors for running compiled models ------*- C++ -*-===//
//
// The runtime's tensor: an element type (DType), a shape and a contiguous,
// row-major (C order), 64-byte aligned buffer that the tensor owns (or, for
// a view, memory it borrows). It is
// what llm-run reads inputs into (.npy, ONNX TensorProto .pb), hands to
// compiled code as a memref descriptor, gets results back as and compares.
//
// The runtime depends on LLVM Support only (no MLIR), so tools that merely
// move tensors around stay small.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_RUNTIME_TENSOR_H
#define LLM_RUNTIME_TENSOR_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlir {
namespace llm {

/// Element types of runtime tensors (the numeric ONNX tensor types).
enum class DType {
  F16,
  BF16,
  F32,
  F64,
  I8,
  I16,
  I32,
  I64,
  U8,
  U16,
  U32,
  U64,
  Bool,
};

/// Bytes per element (Bool is one byte, as in numpy and MLIR's i1 memrefs).
size_t getDTypeSize(DType dtype);

/// The MLIR spelling of the element type: "f32", "i64", "ui8", "i1", ...
llvm::StringRef getDTypeName(DType dtype);

/// Whether the type is a floating-point type (F16, BF16, F32, F64).
bool isFloatDType(DType dtype);

/// Maps an ONNX TensorProto.DataType value to a DType; std::nullopt for the
/// types the runtime does not support (string, complex, float8, int4, ...).
std::optional<DType> dtypeFromONNX(int onnxDataType);

/// The ONNX TensorProto.DataType value of a DType.
int dtypeToONNX(DType dtype);

/// Formats a shape as "2x3x4" ("scalar" for rank 0); dynamic dims (< 0)
/// print as "?".
std::string formatShape(llvm::ArrayRef<int64_t> shape);

/// Number of elements of a static shape (1 for rank 0).
int64_t getNumElements(llvm::ArrayRef<int64_t> shape);

/// A dense row-major tensor that owns its (64-byte aligned) storage.
/// Copies are deep; moves are cheap.
class Tensor {
public:
  /// A null tensor (no storage); `isNull()` is true.
  Tensor() = default;
  /// A zero-filled tensor of the given type and static shape.
  Tensor(DType dtype, llvm::ArrayRef<int64_t> shape);
  /// A tensor over dense row-major elements at `data` that it neither owns
  /// nor frees: the memory must outlive the tensor. Hands existing memory
  /// (e.g. a numpy array's) to compiled code without a copy. `data` needs
  /// only the element type's alignment. Copies of a view own their storage.
  static Tensor view(DType dtype, llvm::ArrayRef<int64_t> shape, void *data);

  Tensor(const Tensor &other);
  Tensor &operator=(const Tensor &other);
  Tensor(Tensor &&other) noexcept = default;
  Tensor &operator=(Tensor &&other) noexcept = default;

  /// Whether this is a default-constructed tensor without storage.
  bool isNull() const { return !storage; }
  DType getDType() const { return dtype; }
  llvm::ArrayRef<int64_t> getShape() const { return shape; }
  int64_t getRank() const { return static_cast<int64_t>(shape.size()); }
  int64_t getNumElements() const { return llm::getNumElements(shape); }
  size_t getByteSize() const {
    return static_cast<size_t>(getNumElements()) * getDTypeSize(dtype);
  }

  /// The element storage (never null for a non-null tensor, even with zero
  /// elements).
  void *data() { return storage.get(); }
  const void *data() const { return storage.get(); }
  template <typename T>
  T *dataAs() {
    return reinterpret_cast<T *>(storage.get());
  }
  template <typename T>
  const T *dataAs() const {
    return reinterpret_cast<const T *>(storage.get());
  }

  /// Element `i` (row-major linear index) converted to double; integers and
  /// booleans convert exactly up to 2^53, f16/bf16 are decoded.
  double getAsDouble(int64_t i) const;

  /// Reinterprets the elements as `newType` of the same size (e.g. uint16
  /// bit patterns as bf16, as numpy and the ONNX test data store bfloat16).
  /// Returns false, changing nothing, if the sizes differ.
  bool reinterpretAs(DType newType);

  /// "f32[2x3]".
  std::string describe() const;

private:
  struct FreeDeleter {
    FreeDeleter() : owned(true) {}
    /// `owned` is false for views (Tensor::view).
    explicit FreeDeleter(bool owned) : owned(owned) {}
    void operator()(void *p) const;
    bool owned;
  };
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  std::unique_ptr<uint8_t, FreeDeleter> storage;
};

/// Decodes IEEE half precision and bfloat16 bit patterns.
float halfToFloat(uint16_t bits);
float bfloat16ToFloat(uint16_t bits);

} // namespace llm
} // namespace mlir

#endif // LLM_RUNTIME_TENSOR_H
