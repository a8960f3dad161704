//===- ConstantData.h - reading and writing constant tensors ----*- C++ -*-===//
//
// Helpers for the graph transforms that compute new weights at compile time
// (transformer-quantize, transformer-fold-qdq): the values of a constant
// (inline dense<...> or a dense_resource blob, as the ONNX importer writes
// weights) and new constants from bytes.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_DIALECTS_TRANSFORMER_TRANSFORMS_CONSTANTDATA_H
#define LLM_DIALECTS_TRANSFORMER_TRANSFORMS_CONSTANTDATA_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinTypes.h"

#include <optional>
#include <vector>

namespace mlir {
namespace llm {
namespace transformer {

/// The values of a f32/f16/bf16 constant as floats, row-major; nullopt for
/// other element types or data that is not available (elided resources).
std::optional<std::vector<float>> readFloatConstant(ElementsAttr attr);

/// The values of an integer constant of at most 64 bits, row-major,
/// sign-extended for signed and signless types, zero-extended for unsigned
/// ones; 4-bit resources hold one value per byte (as the importer writes
/// them). nullopt when the data is not available.
std::optional<std::vector<int64_t>> readIntConstant(ElementsAttr attr);

/// The name of a resource constant's blob ("" for inline constants).
std::string getResourceName(ElementsAttr attr);

/// A transformer.constant holding `bytes` (row-major, one byte per element
/// for 4-bit types): inline dense<...> when it has at most 16 elements (for
/// readable IR), else a resource blob named `name` (made unique).
Value createConstant(OpBuilder &b, Location loc, RankedTensorType type,
                     ArrayRef<char> bytes, size_t align, StringRef name);

/// A constant of 8- or 4-bit integers (each value in one byte).
Value createSmallIntConstant(OpBuilder &b, Location loc,
                             RankedTensorType type, ArrayRef<int64_t> values,
                             StringRef name);

/// A float constant of element type f32 or f16 (values rounded to nearest
/// even).
Value createFloatConstant(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                          ArrayRef<float> values, Type elementType,
                          StringRef name);

/// The input of a 2-D `transformer.transpose {permutation = [1, 0]}`, else
/// null: ONNX Gemm with transB imports as matmul(x, transpose(W[N, K])).
Value lookThroughTranspose2D(Value v);

} // namespace transformer
} // namespace llm
} // namespace mlir

#endif // LLM_DIALECTS_TRANSFORMER_TRANSFORMS_CONSTANTDATA_H
