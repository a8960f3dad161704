//===- TensorIO.h - read and write tensors: .npy and ONNX .pb ---*- C++ -*-===//
//
// Tensor files the runtime understands:
//  - `.npy` (numpy's format, versions 1.0-3.0; little-endian numeric dtypes
//    and bool; C or Fortran order on read, C order on write);
//  - `.pb`: a serialized ONNX TensorProto, as in the ONNX backend test data
//    (`test_data_set_N/input_K.pb`, `output_K.pb`): raw_data or the typed
//    fields (float_data, int32_data, int64_data, double_data, uint64_data).
// Errors name the file and say what is wrong with it.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_RUNTIME_TENSORIO_H
#define LLM_RUNTIME_TENSORIO_H

#include "llm/Runtime/Tensor.h"

#include "llvm/Support/Error.h"

#include <string>

namespace mlir {
namespace llm {

/// A tensor with the name a file gave it (TensorProto.name; empty for .npy).
struct NamedTensor {
  std::string name;
  Tensor tensor;
};

/// Parses a .npy file image; `fileName` is used in error messages.
llvm::Expected<Tensor> parseNpy(llvm::StringRef bytes,
                                llvm::StringRef fileName);
/// Serializes a tensor as a .npy (version 1.0) file image. BF16 has no numpy
/// dtype and is written as uint16 bit patterns ('<u2').
std::string serializeNpy(const Tensor &tensor);

/// Parses a serialized ONNX TensorProto; `fileName` is used in errors.
llvm::Expected<NamedTensor> parseTensorProto(llvm::StringRef bytes,
                                             llvm::StringRef fileName);
/// Serializes a tensor as an ONNX TensorProto (raw_data, little-endian).
std::string serializeTensorProto(const Tensor &tensor, llvm::StringRef name);

/// Reads a tensor file, choosing the format by suffix: `.npy` is numpy,
/// anything else (`.pb`) an ONNX TensorProto.
llvm::Expected<NamedTensor> readTensorFile(llvm::StringRef path);

/// Writes a tensor file, choosing the format by suffix like readTensorFile.
llvm::Error writeTensorFile(llvm::StringRef path, const Tensor &tensor,
                            llvm::StringRef name = "");

} // namespace llm
} // namespace mlir

#endif // LLM_RUNTIME_TENSORIO_H
