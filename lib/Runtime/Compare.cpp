//===- Compare.cpp - compare tensors with a tolerance --------------------===//
//
// assert_allclose-style comparison (see Compare.h) and its report.
//
//===----------------------------------------------------------------------===//

#include "llm/Runtime/Compare.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::llm;

/// The row-major multi-index of linear index `i`.
static std::vector<int64_t> delinearize(int64_t i,
                                        llvm::ArrayRef<int64_t> shape) {
  std::vector<int64_t> index(shape.size());
  for (int64_t k = static_cast<int64_t>(shape.size()) - 1; k >= 0; --k) {
    index[k] = shape[k] ? i % shape[k] : 0;
    i = shape[k] ? i / shape[k] : 0;
  }
  return index;
}

ComparisonResult llm::compareTensors(const Tensor &actual,
                                     const Tensor &expected, double rtol,
                                     double atol) {
  ComparisonResult result;
  if (actual.getDType() != expected.getDType()) {
    result.structuralError = "element type " +
                             getDTypeName(actual.getDType()).str() +
                             " differs from the expected " +
                             getDTypeName(expected.getDType()).str();
    return result;
  }
  if (actual.getShape() != expected.getShape()) {
    result.structuralError = "shape " + formatShape(actual.getShape()) +
                             " differs from the expected " +
                             formatShape(expected.getShape());
    return result;
  }
  const double inf = std::numeric_limits<double>::infinity();
  int64_t n = actual.getNumElements();
  result.numElements = n;
  double worstRatio = -1;
  int64_t worst = 0;
  double dot = 0, actualNorm2 = 0, expectedNorm2 = 0;
  for (int64_t i = 0; i < n; ++i) {
    double a = actual.getAsDouble(i), e = expected.getAsDouble(i);
    dot += a * e;
    actualNorm2 += a * a;
    expectedNorm2 += e * e;
    double diff, ratio;
    if (a == e || (std::isnan(a) && std::isnan(e))) {
      diff = 0;
      ratio = 0;
    } else if (!std::isfinite(a) || !std::isfinite(e)) {
      // NaN against a number, or an infinity against anything else: as
      // numpy, a mismatch whatever the tolerance.
      diff = inf;
      ratio = inf;
      ++result.numMismatches;
      result.maxAbsError = inf;
      result.maxRelError = inf;
    } else {
      diff = std::fabs(a - e);
      double tolerance = atol + rtol * std::fabs(e);
      ratio = tolerance > 0 ? diff / tolerance : inf;
      if (diff > tolerance)
        ++result.numMismatches;
      result.maxAbsError = std::max(result.maxAbsError, diff);
      if (e != 0)
        result.maxRelError = std::max(result.maxRelError, diff / std::fabs(e));
    }
    if (ratio > worstRatio) {
      worstRatio = ratio;
      worst = i;
    }
  }
  result.matches = result.numMismatches == 0;
  if (actualNorm2 == 0 && expectedNorm2 == 0)
    result.cosineSimilarity = 1;
  else if (actualNorm2 == 0 || expectedNorm2 == 0)
    result.cosineSimilarity = 0;
  else
    result.cosineSimilarity = dot / std::sqrt(actualNorm2 * expectedNorm2);
  if (n > 0) {
    result.worstIndex = delinearize(worst, actual.getShape());
    result.worstActual = actual.getAsDouble(worst);
    result.worstExpected = expected.getAsDouble(worst);
  }
  return result;
}

bool llm::judgeByCosine(ComparisonResult &result, double minCosine) {
  if (!result.structuralError.empty())
    return false;
  // NaN similarity (NaN or infinite values) fails.
  result.matches = result.cosineSimilarity >= minCosine;
  return result.matches;
}

void llm::printCosineComparison(llvm::raw_ostream &os, llvm::StringRef name,
                                const Tensor &actual,
                                const ComparisonResult &result,
                                double minCosine) {
  os << "'" << name << "': ";
  if (!result.structuralError.empty()) {
    os << "MISMATCH " << result.structuralError << "\n";
    return;
  }
  os << (result.matches ? "OK" : "MISMATCH") << " " << actual.describe()
     << " (cosine similarity " << llvm::format("%.6f", result.cosineSimilarity)
     << ", min " << llvm::format("%g", minCosine) << "; max abs error "
     << llvm::format("%.3g", result.maxAbsError) << ", max rel error "
     << llvm::format("%.3g", result.maxRelError) << ")\n";
}

void llm::printComparison(llvm::raw_ostream &os, llvm::StringRef name,
                          const Tensor &actual, const ComparisonResult &result,
                          double rtol, double atol) {
  os << "'" << name << "': ";
  if (!result.structuralError.empty()) {
    os << "MISMATCH " << result.structuralError << "\n";
    return;
  }
  os << (result.matches ? "OK" : "MISMATCH") << " " << actual.describe();
  if (!result.matches)
    os << ": " << result.numMismatches << " of " << result.numElements
       << " elements differ";
  os << " (max abs error " << llvm::format("%.3g", result.maxAbsError)
     << ", max rel error " << llvm::format("%.3g", result.maxRelError)
     << "; rtol " << llvm::format("%g", rtol) << ", atol "
     << llvm::format("%g", atol) << ")";
  if (!result.matches) {
    os << "; worst at [";
    for (size_t k = 0; k < result.worstIndex.size(); ++k)
      os << (k ? ", " : "") << result.worstIndex[k];
    os << "]: got " << llvm::format("%.9g", result.worstActual)
       << ", expected " << llvm::format("%.9g", result.worstExpected);
  }
  os << "\n";
}
