//===- MathOps.cpp - ONNX elementwise ops, reductions, constants -----------===//
//
// Converters for ONNX's constants (Constant, Identity, Dropout in inference),
// elementwise unary and binary ops (numpy broadcasting), comparisons, Where,
// Cast and the reductions ReduceSum/ReduceMean/ReduceMax, into the math op
// group of the transformer dialect.
//
// Integer ops on shape values (rank-0/1 tensors known at import time, see
// ImporterImpl.h) are evaluated symbolically instead of emitting ops:
// `Div(Shape(x)[1], 2)` stays a SymInt (a constant, or `arith.divsi` of a
// `tensor.dim`), so the Reshape that consumes it gets a static or index-valued
// shape.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "Transformer/IR/TransformerOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::llm;
using namespace mlir::llm::onnx_import;
namespace tf = mlir::llm::transformer;

//===----------------------------------------------------------------------===//
// Symbolic integer evaluation
//===----------------------------------------------------------------------===//

namespace {
/// Elementwise function on symbolic integers; nullopt when it cannot be
/// evaluated at import time (the tensor path is taken instead).
using SymIntFn = std::optional<SymInt> (*)(NodeImporter &, const SymInt &,
                                           const SymInt &);
} // namespace

/// Evaluates a binary elementwise op on two known integer inputs (rank 0 or
/// 1, numpy broadcasting), defining the output as symbolic integers with
/// element type `resultElement` (the inputs' when null). Returns false when
/// the inputs are not both known or `fn` declines.
static bool foldIntBinary(NodeImporter &n, SymIntFn fn,
                          Type resultElement = {}) {
  const SymInts *a = n.inputInts(0), *b = n.inputInts(1);
  if (!a || !b)
    return false;
  RankedTensorType ta = n.inputType(0), tb = n.inputType(1);
  size_t len = a->size() == b->size() ? a->size()
               : a->size() == 1       ? b->size()
               : b->size() == 1       ? a->size()
                                      : 0;
  if (len == 0 && !(a->empty() && b->empty()))
    return false;
  SymInts out;
  for (size_t i = 0; i < len; ++i) {
    std::optional<SymInt> r =
        fn(n, (*a)[a->size() == 1 ? 0 : i], (*b)[b->size() == 1 ? 0 : i]);
    if (!r)
      return false;
    out.push_back(*r);
  }
  int64_t rank = std::max(ta.getRank(), tb.getRank());
  auto type = RankedTensorType::get(
      rank == 0 ? ArrayRef<int64_t>() : ArrayRef<int64_t>{int64_t(len)},
      resultElement ? resultElement : ta.getElementType());
  n.setOutputInts(0, std::move(out), type);
  return true;
}

static std::optional<SymInt> symAdd(NodeImporter &n, const SymInt &a,
                                    const SymInt &b) {
  return n.add(a, b);
}
static std::optional<SymInt> symSub(NodeImporter &n, const SymInt &a,
                                    const SymInt &b) {
  return n.sub(a, b);
}
static std::optional<SymInt> symMul(NodeImporter &n, const SymInt &a,
                                    const SymInt &b) {
  return n.mul(a, b);
}
static std::optional<SymInt> symDiv(NodeImporter &n, const SymInt &a,
                                    const SymInt &b) {
  if (b.isConstant() && b.constant == 0)
    return std::nullopt;
  return n.div(a, b);
}
static std::optional<SymInt> symMax(NodeImporter &n, const SymInt &a,
                                    const SymInt &b) {
  return n.max(a, b);
}
static std::optional<SymInt> symMin(NodeImporter &n, const SymInt &a,
                                    const SymInt &b) {
  return n.min(a, b);
}

/// Comparisons fold when both sides are constants, or for the same dynamic
/// value on both sides.
template <int Pred>
static std::optional<SymInt> symCompare(NodeImporter &, const SymInt &a,
                                        const SymInt &b) {
  if (!a.isConstant() || !b.isConstant()) {
    if (a.dynamic && a.dynamic == b.dynamic)
      return SymInt::of(Pred == 0 || Pred == 3 || Pred == 4);
    return std::nullopt;
  }
  bool r = false;
  switch (Pred) {
  case 0: r = a.constant == b.constant; break;
  case 1: r = a.constant < b.constant; break;
  case 2: r = a.constant > b.constant; break;
  case 3: r = a.constant <= b.constant; break;
  case 4: r = a.constant >= b.constant; break;
  }
  return SymInt::of(r ? 1 : 0);
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

static std::string checkConstant(const pb::NodeProto &node, int64_t) {
  if (node.attribute_size() != 1)
    return "Constant must have exactly one value attribute";
  const std::string &name = node.attribute(0).name();
  if (name == "sparse_value" || name == "value_string" ||
      name == "value_strings")
    return "Constant attribute '" + name + "' is unsupported";
  return "";
}

static LogicalResult convertConstant(NodeImporter &n) {
  const pb::AttributeProto &a = n.node.attribute(0);
  MLIRContext *ctx = n.getContext();
  Builder b(ctx);
  ValueInfo &info = n.graph.define(n.node.output(0));
  info.loc = n.loc;
  if (a.name() == "value") {
    pb::TensorProto &t = *n.node.mutable_attribute(0)->mutable_t();
    FailureOr<RankedTensorType> type =
        tensorTypeOf(t, ctx, [&]() { return n.emitError(); });
    if (failed(type))
      return failure();
    info.type = *type;
    info.pendingTensor = &t;
    if (type->getRank() <= 1 && type->getElementType().isSignlessInteger())
      if (auto ints = readIntegers(t, kMaxTrackedInts)) {
        SymInts s;
        for (int64_t v : *ints)
          s.push_back(SymInt::of(v));
        info.ints = std::move(s);
      }
    return success();
  }
  if (a.name() == "value_float" || a.name() == "value_floats") {
    SmallVector<float> values;
    if (a.name() == "value_float")
      values.push_back(a.f());
    else
      values.assign(a.floats().begin(), a.floats().end());
    SmallVector<int64_t> shape;
    if (a.name() == "value_floats")
      shape.push_back(values.size());
    info.type = RankedTensorType::get(shape, b.getF32Type());
    info.pendingAttr = DenseElementsAttr::get(info.type, ArrayRef(values));
    return success();
  }
  // value_int / value_ints.
  SmallVector<int64_t> values;
  if (a.name() == "value_int")
    values.push_back(a.i());
  else
    values.assign(a.ints().begin(), a.ints().end());
  SmallVector<int64_t> shape;
  if (a.name() == "value_ints")
    shape.push_back(values.size());
  info.type = RankedTensorType::get(shape, b.getI64Type());
  info.pendingAttr = DenseElementsAttr::get(info.type, ArrayRef(values));
  if (static_cast<int64_t>(values.size()) <= kMaxTrackedInts) {
    SymInts s;
    for (int64_t v : values)
      s.push_back(SymInt::of(v));
    info.ints = std::move(s);
  }
  return success();
}

/// Identity and inference-mode Dropout: the output is the input.
static LogicalResult convertIdentity(NodeImporter &n) {
  if (const SymInts *ints = n.inputInts(0)) {
    n.setOutputInts(0, *ints, n.inputType(0));
    return success();
  }
  FailureOr<Value> x = n.input(0);
  if (failed(x))
    return failure();
  n.setOutput(0, *x);
  return success();
}

static LogicalResult convertDropout(NodeImporter &n) {
  // training_mode (input 2) must be absent or false.
  if (const SymInts *mode = n.inputInts(2))
    if (!mode->empty() && (!(*mode)[0].isConstant() || (*mode)[0].constant))
      return n.emitError() << "training mode is unsupported (inference only)";
  if (n.hasInput(2) && !n.inputInts(2))
    return n.emitError()
           << "training_mode must be a constant false (inference only)";
  if (failed(convertIdentity(n)))
    return failure();
  if (!n.hasOutput(1))
    return success();
  // In inference the mask is all true, with the input's shape.
  FailureOr<Value> x = n.input(0);
  if (failed(x))
    return failure();
  auto boolType = RankedTensorType::get({}, n.builder.getI1Type());
  Value one = tf::ConstantOp::create(n.builder, n.loc, boolType,
                                     DenseElementsAttr::get(boolType, true));
  SmallVector<Value> dynamicSizes;
  RankedTensorType maskType =
      n.typeFromDims(n.dimsOf(*x), n.builder.getI1Type(), dynamicSizes);
  n.setOutput(1, tf::ExpandOp::create(n.builder, n.loc, maskType, one,
                                          dynamicSizes));
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

/// Neg and Abs of known integers stay known (shape arithmetic).
static std::optional<SymInt> symNeg(NodeImporter &n, const SymInt &a) {
  return n.sub(SymInt::of(0), a);
}
static std::optional<SymInt> symAbs(NodeImporter &n, const SymInt &a) {
  if (a.isConstant())
    return SymInt::of(a.constant < 0 ? -a.constant : a.constant);
  if (isNonNegative(a))
    return a;
  return std::nullopt;
}
using SymIntUnaryFn = std::optional<SymInt> (*)(NodeImporter &,
                                                const SymInt &);

template <typename OpTy, SymIntUnaryFn Fold = nullptr>
static LogicalResult convertUnary(NodeImporter &n) {
  if constexpr (Fold != nullptr) {
    if (const SymInts *ints = n.inputInts(0)) {
      SymInts out;
      for (const SymInt &s : *ints)
        if (std::optional<SymInt> r = Fold(n, s))
          out.push_back(*r);
      if (out.size() == ints->size()) {
        n.setOutputInts(0, std::move(out), n.inputType(0));
        return success();
      }
    }
  }
  FailureOr<Value> x = n.input(0);
  if (failed(x))
    return failure();
  n.setOutput(0, OpTy::create(n.builder, n.loc, x->getType(), *x));
  return success();
}

/// Emits a binary transformer op with broadcasting.
template <typename OpTy>
static FailureOr<Value> emitBinary(NodeImporter &n, Value a, Value b) {
  auto op = createInferred<OpTy>(n.builder, n.loc, 1, a, b);
  if (failed(op))
    return failure();
  return op->getResult();
}

template <typename OpTy, SymIntFn Fold = nullptr>
static LogicalResult convertBinary(NodeImporter &n) {
  if constexpr (Fold != nullptr)
    if (foldIntBinary(n, Fold))
      return success();
  FailureOr<Value> a = n.input(0), b = n.input(1);
  if (failed(a) || failed(b))
    return failure();
  Type ea = cast<RankedTensorType>(a->getType()).getElementType();
  Type eb = cast<RankedTensorType>(b->getType()).getElementType();
  if (ea != eb)
    return n.emitError() << "expects inputs of one element type, got " << ea
                         << " and " << eb;
  FailureOr<Value> r = emitBinary<OpTy>(n, *a, *b);
  if (failed(r))
    return failure();
  n.setOutput(0, *r);
  return success();
}

/// Max/Min take one or more inputs.
template <typename OpTy, SymIntFn Fold>
static LogicalResult convertVariadic(NodeImporter &n) {
  if (n.numInputs() == 2 && foldIntBinary(n, Fold))
    return success();
  FailureOr<Value> acc = n.input(0);
  if (failed(acc))
    return failure();
  for (int i = 1; i < n.numInputs(); ++i) {
    FailureOr<Value> next = n.input(i);
    if (failed(next))
      return failure();
    acc = emitBinary<OpTy>(n, *acc, *next);
    if (failed(acc))
      return failure();
  }
  n.setOutput(0, *acc);
  return success();
}

/// A transformer.cast of `v` to `elementType` (same shape).
static Value castTo(NodeImporter &n, Value v, Type elementType) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getElementType() == elementType)
    return v;
  return tf::CastOp::create(n.builder, n.loc, type.clone(elementType), v);
}

static LogicalResult convertPow(NodeImporter &n) {
  FailureOr<Value> a = n.input(0), b = n.input(1);
  if (failed(a) || failed(b))
    return failure();
  Type ea = cast<RankedTensorType>(a->getType()).getElementType();
  if (!isa<FloatType>(ea)) {
    // Integer base: computed in f64 (exact for the magnitudes integer
    // powers reach before overflowing int64 in practice) and truncated back,
    // as ONNX's reference does.
    if (!isa<IntegerType>(ea))
      return n.emitError() << "expects a numeric base, got " << ea;
    Type f64 = n.builder.getF64Type();
    FailureOr<Value> r =
        emitBinary<tf::PowOp>(n, castTo(n, *a, f64), castTo(n, *b, f64));
    if (failed(r))
      return failure();
    n.setOutput(0, castTo(n, *r, ea));
    return success();
  }
  // ONNX allows an exponent of another type: convert it to the base's.
  FailureOr<Value> r = emitBinary<tf::PowOp>(n, *a, castTo(n, *b, ea));
  if (failed(r))
    return failure();
  n.setOutput(0, *r);
  return success();
}

template <tf::ComparePredicate Pred, SymIntFn Fold>
static LogicalResult convertCompare(NodeImporter &n) {
  if (foldIntBinary(n, Fold, IntegerType::get(n.getContext(), 1)))
    return success();
  FailureOr<Value> a = n.input(0), b = n.input(1);
  if (failed(a) || failed(b))
    return failure();
  auto op = createInferred<tf::CompareOp>(n.builder, n.loc, 1, Pred, *a, *b);
  if (failed(op))
    return failure();
  n.setOutput(0, op->getResult());
  return success();
}

static LogicalResult convertWhere(NodeImporter &n) {
  // Folded when the condition is known and both branches are known integers.
  const SymInts *c = n.inputInts(0), *x = n.inputInts(1), *y = n.inputInts(2);
  if (c && x && y &&
      llvm::all_of(*c, [](const SymInt &s) { return s.isConstant(); })) {
    size_t len = std::max({c->size(), x->size(), y->size()});
    auto pick = [&](const SymInts &v, size_t i) -> const SymInt * {
      if (v.size() == len)
        return &v[i];
      return v.size() == 1 ? &v[0] : nullptr;
    };
    SymInts out;
    for (size_t i = 0; i < len; ++i) {
      const SymInt *ci = pick(*c, i), *xi = pick(*x, i), *yi = pick(*y, i);
      if (!ci || !xi || !yi)
        break;
      out.push_back(ci->constant ? *xi : *yi);
    }
    if (out.size() == len) {
      int64_t rank = std::max({n.inputType(0).getRank(),
                               n.inputType(1).getRank(),
                               n.inputType(2).getRank()});
      n.setOutputInts(0, std::move(out),
                      RankedTensorType::get(
                          rank ? ArrayRef<int64_t>{int64_t(len)}
                               : ArrayRef<int64_t>(),
                          n.inputType(1).getElementType()));
      return success();
    }
  }
  FailureOr<Value> cond = n.input(0), a = n.input(1), b = n.input(2);
  if (failed(cond) || failed(a) || failed(b))
    return failure();
  auto op = createInferred<tf::WhereOp>(n.builder, n.loc, 1, *cond, *a, *b);
  if (failed(op))
    return failure();
  n.setOutput(0, op->getResult());
  return success();
}

static std::string checkCast(const pb::NodeProto &node, int64_t) {
  for (const pb::AttributeProto &a : node.attribute())
    if (a.name() == "to") {
      if (!isSupportedDataType(a.i()))
        return "Cast to unsupported type " + dataTypeName(a.i());
      return "";
    }
  return "Cast needs the 'to' attribute";
}

static LogicalResult convertCast(NodeImporter &n) {
  Type to = convertDataType(n.getContext(), n.intAttr("to", 0));
  if (const SymInts *ints = n.inputInts(0); ints && to.isSignlessInteger()) {
    // Integer to integer on known values: truncate/extend the constants.
    unsigned width = to.getIntOrFloatBitWidth();
    SymInts out;
    for (const SymInt &s : *ints) {
      if (s.isConstant() && width < 64)
        out.push_back(SymInt::of(
            width == 1 ? int64_t(s.constant != 0)
                       : llvm::SignExtend64(static_cast<uint64_t>(s.constant),
                                            width)));
      else
        out.push_back(s);
    }
    n.setOutputInts(0, std::move(out), n.inputType(0).clone(to));
    return success();
  }
  FailureOr<Value> x = n.input(0);
  if (failed(x))
    return failure();
  n.setOutput(0, castTo(n, *x, to));
  return success();
}

static LogicalResult convertCastLike(NodeImporter &n) {
  RankedTensorType target = n.inputType(1);
  FailureOr<Value> x = n.input(0);
  if (failed(x))
    return failure();
  n.setOutput(0, castTo(n, *x, target.getElementType()));
  return success();
}

/// Clip(x, min, max) = min(max(x, min), max); absent bounds are skipped.
static LogicalResult convertClip(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  if (failed(x))
    return failure();
  Value r = *x;
  if (n.hasInput(1)) {
    FailureOr<Value> lo = n.input(1);
    if (failed(lo))
      return failure();
    FailureOr<Value> m = emitBinary<tf::MaxOp>(n, r, *lo);
    if (failed(m))
      return failure();
    r = *m;
  }
  if (n.hasInput(2)) {
    FailureOr<Value> hi = n.input(2);
    if (failed(hi))
      return failure();
    FailureOr<Value> m = emitBinary<tf::MinOp>(n, r, *hi);
    if (failed(m))
      return failure();
    r = *m;
  }
  n.setOutput(0, r);
  return success();
}

/// Sum and Mean of one or more inputs (broadcasting).
template <bool IsMean>
static LogicalResult convertSum(NodeImporter &n) {
  FailureOr<Value> acc = n.input(0);
  if (failed(acc))
    return failure();
  for (int i = 1; i < n.numInputs(); ++i) {
    FailureOr<Value> next = n.input(i);
    if (failed(next))
      return failure();
    acc = emitBinary<tf::AddOp>(n, *acc, *next);
    if (failed(acc))
      return failure();
  }
  if (IsMean && n.numInputs() > 1) {
    Type element = cast<RankedTensorType>(acc->getType()).getElementType();
    auto floatType = dyn_cast<FloatType>(element);
    if (!floatType)
      return n.emitError() << "Mean of " << element << " is unsupported";
    auto scalarType = RankedTensorType::get({}, element);
    APFloat count(static_cast<double>(n.numInputs()));
    bool lost;
    count.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                  &lost);
    Value divisor = tf::ConstantOp::create(
        n.builder, n.loc, scalarType, DenseElementsAttr::get(scalarType, count));
    acc = emitBinary<tf::DivOp>(n, *acc, divisor);
    if (failed(acc))
      return failure();
  }
  n.setOutput(0, *acc);
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// Rejects the `axes` attribute from the opset on where the axes are an
/// input, and the axes input before it.
template <int64_t AxesInputSince>
static std::string checkReduceAxes(const pb::NodeProto &node, int64_t opset) {
  bool attr = llvm::any_of(node.attribute(), [](const pb::AttributeProto &a) {
    return a.name() == "axes";
  });
  if (opset >= AxesInputSince && attr)
    return node.op_type() + " attribute 'axes' is an input since opset " +
           std::to_string(AxesInputSince);
  if (opset < AxesInputSince && node.input_size() > 1)
    return node.op_type() + " takes axes as an attribute before opset " +
           std::to_string(AxesInputSince);
  return "";
}

/// Reductions: `axesInputSince` is the opset from which axes are an input
/// (13 for ReduceSum, 18 for the others) instead of an attribute.
template <typename OpTy, int AxesInputSince>
static LogicalResult convertReduce(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  if (failed(x))
    return failure();
  int64_t rank = cast<RankedTensorType>(x->getType()).getRank();
  SmallVector<int64_t> axes;
  if (n.opset >= AxesInputSince) {
    if (n.hasInput(1)) {
      FailureOr<SmallVector<int64_t>> given = n.constantInts(1, "axes");
      if (failed(given))
        return failure();
      axes = *given;
    }
  } else if (auto attr = n.intsAttr("axes")) {
    axes = *attr;
  }
  bool keepDims = n.intAttr("keepdims", 1) != 0;
  if (axes.empty()) {
    if (n.intAttr("noop_with_empty_axes", 0)) {
      n.setOutput(0, *x);
      return success();
    }
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  }
  auto op = createInferred<OpTy>(n.builder, n.loc, 1, *x,
                                 n.builder.getDenseI64ArrayAttr(axes),
                                 n.builder.getBoolAttr(keepDims));
  if (failed(op))
    return failure();
  n.setOutput(0, op->getResult());
  return success();
}

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

void mlir::llm::onnx_import::addMathOps(OpTable &t) {
  constexpr int64_t hi = 21;
  t.add({"", "Constant", 9, hi, 0, 0, 1,
         {"value", "value_float", "value_floats", "value_int", "value_ints",
          "value_string", "value_strings", "sparse_value"},
         convertConstant, checkConstant});
  t.add({"", "Identity", 1, hi, 1, 1, 1, {}, convertIdentity});
  // Before opset 12 the ratio is an attribute (and there is no
  // training_mode); inference ignores it either way.
  t.add({"", "Dropout", 10, hi, 1, 3, 2, {"seed", "ratio"}, convertDropout});

  t.add({"", "Neg", 6, hi, 1, 1, 1, {}, convertUnary<tf::NegOp, symNeg>});
  t.add({"", "Abs", 6, hi, 1, 1, 1, {}, convertUnary<tf::AbsOp, symAbs>});
  t.add({"", "Exp", 6, hi, 1, 1, 1, {}, convertUnary<tf::ExpOp>});
  t.add({"", "Log", 6, hi, 1, 1, 1, {}, convertUnary<tf::LogOp>});
  t.add({"", "Sqrt", 6, hi, 1, 1, 1, {}, convertUnary<tf::SqrtOp>});
  t.add({"", "Tanh", 6, hi, 1, 1, 1, {}, convertUnary<tf::TanhOp>});
  t.add({"", "Erf", 9, hi, 1, 1, 1, {}, convertUnary<tf::ErfOp>});
  t.add({"", "Cos", 7, hi, 1, 1, 1, {}, convertUnary<tf::CosOp>});
  t.add({"", "Sin", 7, hi, 1, 1, 1, {}, convertUnary<tf::SinOp>});
  t.add({"", "Sigmoid", 6, hi, 1, 1, 1, {}, convertUnary<tf::SigmoidOp>});
  t.add({"", "Relu", 6, hi, 1, 1, 1, {}, convertUnary<tf::ReluOp>});
  t.add({"", "Reciprocal", 6, hi, 1, 1, 1, {}, convertUnary<tf::ReciprocalOp>});
  t.add({"", "Not", 1, hi, 1, 1, 1, {}, convertUnary<tf::NotOp>});

  t.add({"", "Add", 7, hi, 2, 2, 1, {}, convertBinary<tf::AddOp, symAdd>});
  t.add({"", "Sub", 7, hi, 2, 2, 1, {}, convertBinary<tf::SubOp, symSub>});
  t.add({"", "Mul", 7, hi, 2, 2, 1, {}, convertBinary<tf::MulOp, symMul>});
  t.add({"", "Div", 7, hi, 2, 2, 1, {}, convertBinary<tf::DivOp, symDiv>});
  t.add({"", "Pow", 7, hi, 2, 2, 1, {}, convertPow});
  t.add({"", "And", 7, hi, 2, 2, 1, {}, convertBinary<tf::AndOp>});
  t.add({"", "Or", 7, hi, 2, 2, 1, {}, convertBinary<tf::OrOp>});
  t.add({"", "Max", 8, hi, 1, -1, 1, {}, convertVariadic<tf::MaxOp, symMax>});
  t.add({"", "Min", 8, hi, 1, -1, 1, {}, convertVariadic<tf::MinOp, symMin>});

  t.add({"", "Equal", 11, hi, 2, 2, 1, {},
         convertCompare<tf::ComparePredicate::EQ, symCompare<0>>});
  t.add({"", "Less", 9, hi, 2, 2, 1, {},
         convertCompare<tf::ComparePredicate::LT, symCompare<1>>});
  t.add({"", "Greater", 9, hi, 2, 2, 1, {},
         convertCompare<tf::ComparePredicate::GT, symCompare<2>>});
  t.add({"", "LessOrEqual", 12, hi, 2, 2, 1, {},
         convertCompare<tf::ComparePredicate::LE, symCompare<3>>});
  t.add({"", "GreaterOrEqual", 12, hi, 2, 2, 1, {},
         convertCompare<tf::ComparePredicate::GE, symCompare<4>>});
  t.add({"", "Clip", 11, hi, 1, 3, 1, {}, convertClip});
  t.add({"", "Sum", 8, hi, 1, -1, 1, {}, convertSum<false>});
  t.add({"", "Mean", 8, hi, 1, -1, 1, {}, convertSum<true>});
  t.add({"", "Where", 9, hi, 3, 3, 1, {}, convertWhere});
  t.add({"", "Cast", 6, hi, 1, 1, 1, {"to", "saturate"}, convertCast, checkCast});
  t.add({"", "CastLike", 15, hi, 2, 2, 1, {"saturate"}, convertCastLike});

  // Before opset 13 (ReduceSum) or 18 (the others) the axes are an
  // attribute.
  t.add({"", "ReduceSum", 1, hi, 1, 2, 1,
         {"axes", "keepdims", "noop_with_empty_axes"},
         convertReduce<tf::ReduceSumOp, 13>, checkReduceAxes<13>});
  t.add({"", "ReduceMean", 1, hi, 1, 2, 1,
         {"axes", "keepdims", "noop_with_empty_axes"},
         convertReduce<tf::ReduceMeanOp, 18>, checkReduceAxes<18>});
  t.add({"", "ReduceMax", 1, hi, 1, 2, 1,
         {"axes", "keepdims", "noop_with_empty_axes"},
         convertReduce<tf::ReduceMaxOp, 18>, checkReduceAxes<18>});
}
