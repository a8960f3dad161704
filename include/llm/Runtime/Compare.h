//===- Compare.h - compare tensors with a tolerance ------------*- C++ -*-===//
//
// Compares a computed tensor with a reference as the ONNX backend tests do
// (numpy.testing.assert_allclose): element-wise
//     |actual - expected| <= atol + rtol * |expected|,
// NaN equal to NaN, infinities equal when they have the same sign, booleans
// exactly. Shapes and element types must match. The result carries what a
// user needs to judge a mismatch: the number of mismatching elements, the
// largest absolute and relative error, and the worst element (the one that
// exceeds its tolerance by the largest factor) with its index and values.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_RUNTIME_COMPARE_H
#define LLM_RUNTIME_COMPARE_H

#include "llm/Runtime/Tensor.h"

#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace mlir {
namespace llm {

/// What compareTensors found.
struct ComparisonResult {
  /// Whether every element is within tolerance (and shapes/types match).
  bool matches = false;
  /// Set when the tensors cannot be compared element-wise: a shape or
  /// element type mismatch ("shape 2x3 differs from the expected 3x2").
  std::string structuralError;
  int64_t numElements = 0;
  int64_t numMismatches = 0;
  /// max |actual - expected| over the elements.
  double maxAbsError = 0;
  /// max |actual - expected| / |expected| over elements with expected != 0.
  double maxRelError = 0;
  /// The element that exceeds its tolerance atol + rtol * |expected| by the
  /// largest factor (the first element when all are exact); empty index for
  /// rank 0.
  std::vector<int64_t> worstIndex;
  double worstActual = 0;
  double worstExpected = 0;
  /// sum(a * e) / sqrt(sum(a^2) * sum(e^2)) over all elements: 1 when both
  /// are all zeros, 0 when only one is, NaN with NaN or infinite values.
  /// How quantized outputs are judged against the float reference.
  double cosineSimilarity = 0;
};

/// Compares `actual` with `expected` (see the file comment).
ComparisonResult compareTensors(const Tensor &actual, const Tensor &expected,
                                double rtol, double atol);

/// Judges `result` by cosine similarity instead of the tolerances: sets and
/// returns `matches` = cosineSimilarity >= minCosine (shape and type must
/// still agree).
bool judgeByCosine(ComparisonResult &result, double minCosine);

/// Prints a one-line report for judgeByCosine: "'name': OK f32[2x3] (cosine
/// similarity 0.999912, min 0.999; max abs error 0.012, ...)".
void printCosineComparison(llvm::raw_ostream &os, llvm::StringRef name,
                           const Tensor &actual,
                           const ComparisonResult &result, double minCosine);

/// Prints a one-line report: "'name': OK f32[2x3] max abs 1e-7 max rel 2e-7"
/// or "'name': MISMATCH 3 of 6 elements ... worst at [1, 2]: got 0.5,
/// expected 0.25".
void printComparison(llvm::raw_ostream &os, llvm::StringRef name,
                     const Tensor &actual, const ComparisonResult &result,
                     double rtol, double atol);

} // namespace llm
} // namespace mlir

#endif // LLM_RUNTIME_COMPARE_H
