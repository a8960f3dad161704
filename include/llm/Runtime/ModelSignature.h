//===- ModelSignature.h - names, types and shapes of a model's I/O -*- C++ -*-===//
//
// The interface of a compiled model, independent of the target that runs it:
// per input and output the ONNX name, the element type and the shape, with
// dynamic dims and the names of symbolic dims. Targets fill it in from the
// entry function (CPU: getModelSignature in llm/Target/CPU/CPURunner.h);
// runtime code such as the token generator (Generation.h) reads it.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_RUNTIME_MODELSIGNATURE_H
#define LLM_RUNTIME_MODELSIGNATURE_H

#include "llm/Runtime/Tensor.h"

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace mlir {
namespace llm {

/// One input or output of a model.
struct TensorSignature {
  /// The ONNX name (`onnx.name`), else "arg<K>" / "result<K>".
  std::string name;
  DType dtype = DType::F32;
  /// Dims; dynamic dims are negative.
  std::vector<int64_t> shape;
  /// Per dim the ONNX symbol (`onnx.dim_params`), "" where there is none.
  std::vector<std::string> dimNames;

  /// "f32[?x4]", or "f32[n x 4]" with symbolic dims, for messages.
  std::string describe() const;
};

/// The interface of a model's entry function.
struct ModelSignature {
  std::string functionName;
  std::vector<TensorSignature> inputs;
  std::vector<TensorSignature> outputs;

  /// The index of the input named `name`, or -1.
  int findInput(llvm::StringRef name) const;
  /// The index of the output named `name`, or -1.
  int findOutput(llvm::StringRef name) const;
};

} // namespace llm
} // namespace mlir

#endif // LLM_RUNTIME_MODELSIGNATURE_H
