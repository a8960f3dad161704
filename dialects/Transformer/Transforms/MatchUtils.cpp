//===- MatchUtils.cpp - helpers for matching transformer op chains --------===//
//
// Scalar constant evaluation, constant tensor element access and product
// flattening used by the raise and fuse-attention patterns (MatchUtils.h).
//
//===----------------------------------------------------------------------===//

#include "MatchUtils.h"

#include "Transformer/IR/TransformerOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <cmath>

using namespace mlir;
using namespace mlir::llm;
using namespace mlir::llm::transformer;

namespace {

/// Element `index` of a dense attribute as a double.
std::optional<double> denseElement(DenseElementsAttr dense, int64_t index) {
  Type type = dense.getElementType();
  if (isa<FloatType>(type))
    return (*(dense.getValues<APFloat>().begin() + index)).convertToDouble();
  if (auto intType = dyn_cast<IntegerType>(type)) {
    APInt v = *(dense.getValues<APInt>().begin() + index);
    return intType.isUnsigned() || intType.getWidth() == 1
               ? static_cast<double>(v.getZExtValue())
               : static_cast<double>(v.getSExtValue());
  }
  return std::nullopt;
}

} // namespace

std::optional<double> transformer::getScalarConstant(Value value) {
  Operation *op = value.getDefiningOp();
  if (!op)
    return std::nullopt;
  if (auto constant = dyn_cast<ConstantOp>(op)) {
    auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
    if (!dense || !dense.isSplat())
      return std::nullopt;
    return denseElement(dense, 0);
  }
  if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
    if (auto f = dyn_cast<FloatAttr>(constant.getValue()))
      return f.getValueAsDouble();
    if (auto i = dyn_cast<IntegerAttr>(constant.getValue()))
      return static_cast<double>(i.getInt());
    return std::nullopt;
  }
  if (auto cast = dyn_cast<CastOp>(op))
    return getScalarConstant(cast.getInput());
  auto unary = [&](Value input, auto fn) -> std::optional<double> {
    std::optional<double> x = getScalarConstant(input);
    if (!x)
      return std::nullopt;
    return fn(*x);
  };
  if (auto neg = dyn_cast<NegOp>(op))
    return unary(neg.getInput(), [](double x) { return -x; });
  if (auto sqrt = dyn_cast<SqrtOp>(op))
    return unary(sqrt.getInput(), [](double x) { return std::sqrt(x); });
  if (auto rec = dyn_cast<ReciprocalOp>(op))
    return unary(rec.getInput(), [](double x) { return 1.0 / x; });
  auto binary = [&](Value lhs, Value rhs, auto fn) -> std::optional<double> {
    std::optional<double> a = getScalarConstant(lhs);
    std::optional<double> b = getScalarConstant(rhs);
    if (!a || !b)
      return std::nullopt;
    return fn(*a, *b);
  };
  if (auto add = dyn_cast<AddOp>(op))
    return binary(add.getLhs(), add.getRhs(),
                  [](double a, double b) { return a + b; });
  if (auto sub = dyn_cast<SubOp>(op))
    return binary(sub.getLhs(), sub.getRhs(),
                  [](double a, double b) { return a - b; });
  if (auto mul = dyn_cast<MulOp>(op))
    return binary(mul.getLhs(), mul.getRhs(),
                  [](double a, double b) { return a * b; });
  if (auto div = dyn_cast<DivOp>(op)) {
    // Integer division truncates: only float quotients are evaluated.
    if (!isa<FloatType>(getElementTypeOrSelf(div.getType())))
      return std::nullopt;
    return binary(div.getLhs(), div.getRhs(),
                  [](double a, double b) { return a / b; });
  }
  if (auto pow = dyn_cast<PowOp>(op))
    return binary(pow.getLhs(), pow.getRhs(),
                  [](double a, double b) { return std::pow(a, b); });
  return std::nullopt;
}

std::optional<SmallVector<double>>
transformer::getConstantElements(ElementsAttr attr) {
  auto type = dyn_cast<RankedTensorType>(attr.getType());
  if (!type || !type.hasStaticShape())
    return std::nullopt;
  int64_t count = type.getNumElements();
  SmallVector<double> values;
  values.reserve(count);
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    Type elementType = dense.getElementType();
    if (isa<FloatType>(elementType)) {
      for (const APFloat &v : dense.getValues<APFloat>())
        values.push_back(v.convertToDouble());
    } else if (auto intType = dyn_cast<IntegerType>(elementType)) {
      bool zext = intType.isUnsigned() || intType.getWidth() == 1;
      for (const APInt &v : dense.getValues<APInt>())
        values.push_back(zext ? static_cast<double>(v.getZExtValue())
                              : static_cast<double>(v.getSExtValue()));
    } else {
      return std::nullopt;
    }
    return values;
  }
  if (auto f32 = dyn_cast<DenseF32ResourceElementsAttr>(attr)) {
    std::optional<ArrayRef<float>> data = f32.tryGetAsArrayRef();
    if (!data || static_cast<int64_t>(data->size()) != count)
      return std::nullopt;
    values.append(data->begin(), data->end());
    return values;
  }
  if (auto i1 = dyn_cast<DenseBoolResourceElementsAttr>(attr)) {
    std::optional<ArrayRef<bool>> data = i1.tryGetAsArrayRef();
    if (!data || static_cast<int64_t>(data->size()) != count)
      return std::nullopt;
    for (bool b : *data)
      values.push_back(b ? 1.0 : 0.0);
    return values;
  }
  return std::nullopt;
}

std::optional<SmallVector<double>>
transformer::getConstantElements(Value value) {
  auto constant = value.getDefiningOp<ConstantOp>();
  if (!constant)
    return std::nullopt;
  return getConstantElements(constant.getValue());
}

bool transformer::isApproximately(double a, double b, double rtol) {
  return std::fabs(a - b) <= rtol * std::max(std::fabs(a), std::fabs(b));
}

void transformer::flattenProduct(Value value, SmallVectorImpl<Value> &factors) {
  Type rootType = value.getType();
  SmallVector<Value> worklist = {value};
  bool root = true;
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    auto mul = v.getDefiningOp<MulOp>();
    if (mul && mul.getType() == rootType && (root || v.hasOneUse())) {
      worklist.push_back(mul.getRhs());
      worklist.push_back(mul.getLhs());
    } else {
      factors.push_back(v);
    }
    root = false;
  }
}

bool transformer::isScalarLike(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type)
    return false;
  if (llvm::all_of(type.getShape(), [](int64_t d) { return d == 1; }))
    return true;
  return getScalarConstant(value).has_value();
}
