//===- ModelSignature.cpp - names, types and shapes of a model's I/O ------===//

#include "llm/Runtime/ModelSignature.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir::llm;

std::string TensorSignature::describe() const {
  // "f32[?x4]", or with symbolic dims "f32[n x 4]".
  bool symbolic = llvm::any_of(dimNames, [](const std::string &name) {
    return !name.empty();
  });
  std::string result = getDTypeName(dtype).str() + "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      result += symbolic ? " x " : "x";
    if (shape[i] >= 0)
      result += std::to_string(shape[i]);
    else if (i < dimNames.size() && !dimNames[i].empty())
      result += dimNames[i];
    else
      result += "?";
  }
  return result + "]";
}

static int findByName(const std::vector<TensorSignature> &list,
                      llvm::StringRef name) {
  for (size_t i = 0; i < list.size(); ++i)
    if (list[i].name == name)
      return static_cast<int>(i);
  return -1;
}

int ModelSignature::findInput(llvm::StringRef name) const {
  return findByName(inputs, name);
}

int ModelSignature::findOutput(llvm::StringRef name) const {
  return findByName(outputs, name);
}
