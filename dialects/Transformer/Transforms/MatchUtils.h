//===- MatchUtils.h - helpers for matching transformer op chains -*- C++ -*-===//
//
// Small helpers shared by transformer-raise-patterns and
// transformer-fuse-attention: scalar constants folded through the chains
// exporters emit (`pow(16, 0.5)`, `cast`), the values of constant tensors
// (dense and resource blobs), and products flattened into their factors.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_DIALECTS_TRANSFORMER_TRANSFORMS_MATCHUTILS_H
#define LLM_DIALECTS_TRANSFORMER_TRANSFORMS_MATCHUTILS_H

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace mlir::llm::transformer {

/// The value of a scalar-like constant: a splat `transformer.constant` (any
/// shape) or `arith.constant`, or `cast`, `neg`, `sqrt`, `reciprocal`, `add`,
/// `sub`, `mul`, `div` and `pow` of such constants, evaluated in double.
std::optional<double> getScalarConstant(Value value);

/// The elements of a constant tensor (dense or resource blob of f16/bf16/
/// f32/f64, or signless/i1 integers) as doubles in row-major order.
std::optional<SmallVector<double>> getConstantElements(ElementsAttr attr);

/// `getConstantElements` of the `transformer.constant` defining `value`.
std::optional<SmallVector<double>> getConstantElements(Value value);

/// True when `a` and `b` agree within relative tolerance `rtol`.
bool isApproximately(double a, double b, double rtol = 1e-5);

/// Appends the factors of the product tree rooted at `value` to `factors`:
/// operands of `transformer.mul` ops that produce `value`'s type and have a
/// single use (the root itself may have several). Other values are leaves.
void flattenProduct(Value value, SmallVectorImpl<Value> &factors);

/// True for a value that is at most one element (every dim static 1) or a
/// splat constant: multiplying by it cannot change the other operand's shape
/// beyond what the result type states.
bool isScalarLike(Value value);

} // namespace mlir::llm::transformer

#endif // LLM_DIALECTS_TRANSFORMER_TRANSFORMS_MATCHUTILS_H
