//===- ONNXImporter.cpp - ONNX graph to func + transformer ops -------------===//
//
// The driver of the ONNX importer. For a loaded model it
//  1. reads the opset imports, then checks the whole graph before building
//     anything: every node's (domain, op_type, opset) and attributes against
//     the op table, every name defined once and before use, graph outputs
//     defined. All problems are reported together, each at its node;
//  2. orders the nodes topologically (reporting cycles);
//  3. builds `func.func @main` with one argument per graph input that is not
//     an initializer (symbolic dims become `?`, the symbols are kept in the
//     `onnx.dim_params` argument attribute), runs each node's converter, and
//     returns the graph outputs with the types the graph computes (an
//     output declared more static than that keeps the computed type, and
//     the declared one, with the computed static dims, is recorded in the
//     `onnx.declared_type` result attribute: casting to it would let the
//     compiler assume sizes that an input can contradict);
//  4. verifies the module.
// Also: the value table (pending constants, symbolic integers), the per-node
// context converters use, the op table, and the public entry points.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "Transformer/IR/TransformerDialect.h"
#include "Transformer/IR/TransformerOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"

#include <map>
#include <set>

using namespace mlir;
using namespace mlir::llm;
using namespace mlir::llm::onnx_import;

/// Dims of declared types must be below this (2^40): anything larger is a
/// corrupt model, and would overflow element counts.
static constexpr int64_t kMaxDim = int64_t(1) << 40;

/// The default domain has two spellings.
static StringRef canonicalDomain(StringRef domain) {
  return domain == "ai.onnx" ? StringRef() : domain;
}

/// "onnx.MatMul", "com.microsoft.MatMulNBits".
static std::string qualifiedOpName(StringRef domain, StringRef opType) {
  domain = canonicalDomain(domain);
  return ((domain.empty() ? StringRef("onnx") : domain) + "." + opType).str();
}

//===----------------------------------------------------------------------===//
// OpTable
//===----------------------------------------------------------------------===//

static std::string opKey(StringRef domain, StringRef opType) {
  return (canonicalDomain(domain) + "::" + opType).str();
}

void OpTable::add(OpSpec spec) {
  specs[opKey(spec.domain, spec.opType)] = std::move(spec);
}

const OpSpec *OpTable::lookup(StringRef domain, StringRef opType) const {
  auto it = specs.find(opKey(domain, opType));
  return it == specs.end() ? nullptr : &it->second;
}

std::vector<const OpSpec *> OpTable::all() const {
  std::vector<const OpSpec *> result;
  for (const auto &entry : specs)
    result.push_back(&entry.second);
  llvm::sort(result, [](const OpSpec *a, const OpSpec *b) {
    return std::make_pair(StringRef(a->domain), StringRef(a->opType)) <
           std::make_pair(StringRef(b->domain), StringRef(b->opType));
  });
  return result;
}

const OpTable &mlir::llm::onnx_import::getOpTable() {
  static const OpTable table = [] {
    OpTable t;
    addMathOps(t);
    addShapeOps(t);
    addNNOps(t);
    addQuantOps(t);
    addMicrosoftOps(t);
    addIndexingOps(t);
    addEinsum(t);
    return t;
  }();
  return table;
}

//===----------------------------------------------------------------------===//
// NodeImporter
//===----------------------------------------------------------------------===//

NodeImporter::NodeImporter(GraphImporter &graph, pb::NodeProto &node,
                           std::string displayName, int64_t opset,
                           Location loc)
    : graph(graph), node(node), displayName(std::move(displayName)),
      opset(opset), loc(loc), builder(graph.getBuilder()) {}

MLIRContext *NodeImporter::getContext() const { return graph.getContext(); }

InFlightDiagnostic NodeImporter::emitError() const {
  auto diag = mlir::emitError(loc);
  diag << "ONNX node '" << displayName << "' ("
       << qualifiedOpName(node.domain(), node.op_type()) << ", opset "
       << opset << "): ";
  return diag;
}

bool NodeImporter::hasInput(int i) const {
  return i >= 0 && i < node.input_size() && !node.input(i).empty();
}

FailureOr<Value> NodeImporter::input(int i) {
  if (!hasInput(i))
    return emitError() << "expects input #" << i;
  ValueInfo *info = graph.lookup(node.input(i));
  if (!info)
    return emitError() << "input '" << node.input(i) << "' is not defined";
  return graph.materialize(*info, loc);
}

RankedTensorType NodeImporter::inputType(int i) const {
  if (!hasInput(i))
    return {};
  ValueInfo *info = graph.lookup(node.input(i));
  return info ? info->type : RankedTensorType();
}

const SymInts *NodeImporter::inputInts(int i) const {
  if (!hasInput(i))
    return nullptr;
  ValueInfo *info = graph.lookup(node.input(i));
  return info && info->ints ? &*info->ints : nullptr;
}

FailureOr<SmallVector<int64_t>> NodeImporter::constantInts(int i,
                                                           StringRef what) {
  const SymInts *ints = inputInts(i);
  if (!ints) {
    if (!hasInput(i))
      return emitError() << "expects the " << what << " input";
    return emitError() << "the " << what << " input ('" << node.input(i)
                       << "') must be an integer tensor computable at import "
                          "time (a constant or a shape computation)";
  }
  SmallVector<int64_t> result;
  for (const SymInt &s : *ints) {
    if (!s.isConstant())
      return emitError() << "the " << what << " input ('" << node.input(i)
                         << "') depends on dynamic dims; it must be static";
    result.push_back(s.constant);
  }
  return result;
}

FailureOr<std::optional<SmallVector<int64_t>>>
NodeImporter::intsInputOrAttr(int i, StringRef name, int64_t inputSince) {
  if (opset < inputSince)
    return intsAttr(name);
  if (!hasInput(i))
    return std::optional<SmallVector<int64_t>>();
  FailureOr<SmallVector<int64_t>> given = constantInts(i, name);
  if (failed(given))
    return failure();
  return std::optional<SmallVector<int64_t>>(std::move(*given));
}

ElementsAttr NodeImporter::constantAttr(int i) {
  if (!hasInput(i))
    return {};
  ValueInfo *info = graph.lookup(node.input(i));
  if (!info)
    return {};
  if (info->pendingAttr)
    return info->pendingAttr;
  if (info->value)
    if (auto cst = info->value.getDefiningOp<transformer::ConstantOp>())
      return cst.getValue();
  // A small pending tensor is read without materializing it.
  if (info->pendingTensor && info->type.getNumElements() <= 16) {
    FailureOr<ElementsAttr> attr = convertTensorData(
        *info->pendingTensor, info->type, /*inlineLimit=*/16, info->name,
        /*mayMove=*/false, [&]() { return emitError(); },
        &graph.getExternalData());
    if (succeeded(attr))
      return *attr;
  }
  return {};
}

const pb::AttributeProto *NodeImporter::attr(StringRef name) const {
  for (const pb::AttributeProto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

int64_t NodeImporter::intAttr(StringRef name, int64_t dflt) const {
  const pb::AttributeProto *a = attr(name);
  return a && a->has_i() ? a->i() : dflt;
}

float NodeImporter::floatAttr(StringRef name, float dflt) const {
  const pb::AttributeProto *a = attr(name);
  return a && a->has_f() ? a->f() : dflt;
}

std::string NodeImporter::stringAttr(StringRef name, StringRef dflt) const {
  const pb::AttributeProto *a = attr(name);
  return a && a->has_s() ? a->s() : dflt.str();
}

std::optional<SmallVector<int64_t>>
NodeImporter::intsAttr(StringRef name) const {
  const pb::AttributeProto *a = attr(name);
  if (!a)
    return std::nullopt;
  return SmallVector<int64_t>(a->ints().begin(), a->ints().end());
}

bool NodeImporter::hasOutput(int i) const {
  return i >= 0 && i < node.output_size() && !node.output(i).empty();
}

void NodeImporter::setOutput(int i, Value value) {
  if (!hasOutput(i))
    return;
  ValueInfo &info = graph.define(node.output(i));
  info.value = value;
  info.type = cast<RankedTensorType>(value.getType());
}

void NodeImporter::setOutputInts(int i, SymInts ints, RankedTensorType type) {
  if (!hasOutput(i))
    return;
  ValueInfo &info = graph.define(node.output(i));
  info.ints = std::move(ints);
  info.type = type;
  info.loc = loc;
}

Value NodeImporter::indexValue(const SymInt &s) {
  return s.isConstant() ? graph.indexConstant(s.constant) : s.dynamic;
}

SymInt NodeImporter::dimOf(Value v, int64_t d) {
  auto type = cast<RankedTensorType>(v.getType());
  if (!type.isDynamicDim(d))
    return SymInt::of(type.getDimSize(d));
  return SymInt::of(graph.dimValue(v, d, loc));
}

SymInt NodeImporter::add(const SymInt &a, const SymInt &b) {
  if (a.isConstant() && b.isConstant())
    return SymInt::of(a.constant + b.constant);
  if (b.isConstant() && b.constant == 0)
    return a;
  if (a.isConstant() && a.constant == 0)
    return b;
  return SymInt::of(
      arith::AddIOp::create(builder, loc, indexValue(a), indexValue(b))
          .getResult());
}

SymInt NodeImporter::sub(const SymInt &a, const SymInt &b) {
  if (a.isConstant() && b.isConstant())
    return SymInt::of(a.constant - b.constant);
  if (b.isConstant() && b.constant == 0)
    return a;
  return SymInt::of(
      arith::SubIOp::create(builder, loc, indexValue(a), indexValue(b))
          .getResult());
}

SymInt NodeImporter::mul(const SymInt &a, const SymInt &b) {
  if (a.isConstant() && b.isConstant())
    return SymInt::of(a.constant * b.constant);
  if ((a.isConstant() && a.constant == 0) || (b.isConstant() && b.constant == 0))
    return SymInt::of(0);
  if (b.isConstant() && b.constant == 1)
    return a;
  if (a.isConstant() && a.constant == 1)
    return b;
  return SymInt::of(
      arith::MulIOp::create(builder, loc, indexValue(a), indexValue(b))
          .getResult());
}

SymInt NodeImporter::div(const SymInt &a, const SymInt &b) {
  if (a.isConstant() && b.isConstant() && b.constant != 0)
    return SymInt::of(a.constant / b.constant);
  if (b.isConstant() && b.constant == 1)
    return a;
  return SymInt::of(
      arith::DivSIOp::create(builder, loc, indexValue(a), indexValue(b))
          .getResult());
}

SymInt NodeImporter::ceilDiv(const SymInt &a, const SymInt &b) {
  if (a.isConstant() && b.isConstant() && b.constant != 0)
    return SymInt::of(llvm::divideCeilSigned(a.constant, b.constant));
  if (b.isConstant() && b.constant == 1)
    return a;
  return SymInt::of(
      arith::CeilDivSIOp::create(builder, loc, indexValue(a), indexValue(b))
          .getResult());
}

bool mlir::llm::onnx_import::isNonNegative(const SymInt &s) {
  if (s.isConstant())
    return s.constant >= 0;
  Operation *def = s.dynamic.getDefiningOp();
  if (!def)
    return false;
  if (isa<tensor::DimOp>(def))
    return true;
  if (auto cst = dyn_cast<arith::ConstantIndexOp>(def))
    return cst.value() >= 0;
  if (isa<arith::AddIOp, arith::MulIOp, arith::DivSIOp, arith::CeilDivSIOp,
          arith::MinSIOp>(def))
    return llvm::all_of(def->getOperands(), [](Value v) {
      return isNonNegative(SymInt::of(v));
    });
  if (isa<arith::MaxSIOp>(def))
    return llvm::any_of(def->getOperands(), [](Value v) {
      return isNonNegative(SymInt::of(v));
    });
  return false;
}

/// Splits a product into its constant factor and its dynamic factors (the
/// operands of the arith.muli chains this importer builds).
static void factorize(const SymInt &s, int64_t &constant,
                      SmallVectorImpl<Value> &factors) {
  if (s.isConstant()) {
    constant *= s.constant;
    return;
  }
  if (auto cst = s.dynamic.getDefiningOp<arith::ConstantIndexOp>()) {
    constant *= cst.value();
    return;
  }
  if (auto mul = s.dynamic.getDefiningOp<arith::MulIOp>()) {
    factorize(SymInt::of(mul.getLhs()), constant, factors);
    factorize(SymInt::of(mul.getRhs()), constant, factors);
    return;
  }
  factors.push_back(s.dynamic);
}

SymInt NodeImporter::exactDiv(const SymInt &a, const SymInt &b) {
  int64_t ca = 1, cb = 1;
  SmallVector<Value> fa, fb;
  factorize(a, ca, fa);
  factorize(b, cb, fb);
  // Cancel the dynamic factors both products share.
  SmallVector<Value> rest;
  for (Value v : fb) {
    auto it = llvm::find(fa, v);
    if (it == fa.end()) {
      rest.push_back(v);
      continue;
    }
    fa.erase(it);
  }
  if (rest.empty() && cb != 0 && ca % cb == 0) {
    SymInt result = SymInt::of(ca / cb);
    for (Value v : fa)
      result = mul(result, SymInt::of(v));
    return result;
  }
  return div(a, b);
}

SymInt NodeImporter::max(const SymInt &a, const SymInt &b) {
  if (a.isConstant() && b.isConstant())
    return SymInt::of(std::max(a.constant, b.constant));
  if (a.dynamic && a.dynamic == b.dynamic)
    return a;
  // max(c, x) with c <= 0 and x known to be non-negative is x.
  if (a.isConstant() && a.constant <= 0 && isNonNegative(b))
    return b;
  if (b.isConstant() && b.constant <= 0 && isNonNegative(a))
    return a;
  return SymInt::of(
      arith::MaxSIOp::create(builder, loc, indexValue(a), indexValue(b))
          .getResult());
}

SymInt NodeImporter::min(const SymInt &a, const SymInt &b) {
  if (a.isConstant() && b.isConstant())
    return SymInt::of(std::min(a.constant, b.constant));
  if (a.dynamic && a.dynamic == b.dynamic)
    return a;
  return SymInt::of(
      arith::MinSIOp::create(builder, loc, indexValue(a), indexValue(b))
          .getResult());
}

SymInt NodeImporter::product(ArrayRef<SymInt> values) {
  SymInt result = SymInt::of(1);
  for (const SymInt &v : values)
    result = mul(result, v);
  return result;
}

SymInts NodeImporter::dimsOf(Value v) {
  SymInts dims;
  auto type = cast<RankedTensorType>(v.getType());
  for (int64_t d = 0; d < type.getRank(); ++d)
    dims.push_back(dimOf(v, d));
  return dims;
}

RankedTensorType
NodeImporter::typeFromDims(ArrayRef<SymInt> dims, Type elementType,
                           SmallVectorImpl<Value> &dynamicSizes) {
  SmallVector<int64_t> shape;
  for (const SymInt &d : dims) {
    if (d.isConstant()) {
      shape.push_back(d.constant);
    } else {
      shape.push_back(ShapedType::kDynamic);
      dynamicSizes.push_back(d.dynamic);
    }
  }
  return RankedTensorType::get(shape, elementType);
}

Value NodeImporter::reshape(Value x, ArrayRef<SymInt> dims) {
  // Already that shape: the same constants, the same dynamic dims.
  auto xType = cast<RankedTensorType>(x.getType());
  if (xType.getRank() == static_cast<int64_t>(dims.size()) &&
      llvm::all_of(llvm::enumerate(dims), [&](auto it) {
        const SymInt &d = it.value();
        int64_t i = it.index();
        return d.isConstant() ? xType.getDimSize(i) == d.constant
                              : xType.isDynamicDim(i) &&
                                    graph.dimValue(x, i, loc) == d.dynamic;
      }))
    return x;
  SmallVector<Value> dynamicSizes;
  RankedTensorType type = typeFromDims(
      dims, cast<RankedTensorType>(x.getType()).getElementType(),
      dynamicSizes);
  if (type == x.getType() && dynamicSizes.empty())
    return x;
  Value r = transformer::ReshapeOp::create(builder, loc, type, x, dynamicSizes);
  graph.setDims(r, dims);
  return r;
}

FailureOr<int64_t> NodeImporter::normalizeAxis(int64_t axis, int64_t rank,
                                               StringRef what) {
  if (axis < -rank || axis >= rank || rank == 0)
    return emitError() << "expects " << what << " in [" << -rank << ", "
                       << rank << "), got " << axis;
  return axis < 0 ? axis + rank : axis;
}

//===----------------------------------------------------------------------===//
// GraphImporter: values
//===----------------------------------------------------------------------===//

/// The directory external data is read from.
static std::string externalDataDirectory(const LoadedModel &model,
                                         const ONNXImportOptions &options) {
  if (!options.externalDataDir.empty())
    return options.externalDataDir;
  StringRef dir = llvm::sys::path::parent_path(model.fileName);
  return dir.empty() ? "." : dir.str();
}

GraphImporter::GraphImporter(LoadedModel &model, MLIRContext *ctx,
                             const ONNXImportOptions &options)
    : options(options), model(model), ctx(ctx), graph(model.proto.graph()),
      builder(ctx), externalData(externalDataDirectory(model, options)) {}

ValueInfo *GraphImporter::lookup(StringRef name) {
  auto it = values.find(name);
  return it == values.end() ? nullptr : &it->second;
}

ValueInfo &GraphImporter::define(StringRef name) {
  ValueInfo &info = values[name];
  info = ValueInfo();
  info.name = name.str();
  return info;
}

int64_t GraphImporter::opsetOf(StringRef domain) const {
  auto it = opsets.find(canonicalDomain(domain));
  return it == opsets.end() ? 0 : it->second;
}

Value GraphImporter::indexConstant(int64_t value) {
  Value &v = indexConstants[value];
  if (!v)
    v = arith::ConstantIndexOp::create(builder,
                                       UnknownLoc::get(ctx), value);
  return v;
}

void GraphImporter::setDims(Value v, ArrayRef<SymInt> dims) {
  for (auto [d, s] : llvm::enumerate(dims))
    if (s.dynamic)
      dimValues[{v, static_cast<int64_t>(d)}] = s.dynamic;
}

Value GraphImporter::dimValue(Value v, int64_t d, Location loc) {
  Value &dim = dimValues[{v, d}];
  if (!dim)
    dim = tensor::DimOp::create(builder, loc, v, d);
  return dim;
}

FailureOr<Value> GraphImporter::materialize(ValueInfo &info, Location useLoc) {
  if (info.value)
    return info.value;
  Location loc = info.loc ? Location(info.loc) : useLoc;
  if (info.pendingAttr) {
    info.value = transformer::ConstantOp::create(builder, loc,
                                                 info.type, info.pendingAttr);
    return info.value;
  }
  if (info.pendingTensor) {
    auto emitErr = [&]() {
      return mlir::emitError(loc) << "ONNX tensor '" << info.name << "': ";
    };
    FailureOr<ElementsAttr> attr = convertTensorData(
        *info.pendingTensor, info.type, options.inlineElementsLimit, info.name,
        /*mayMove=*/true, emitErr, &externalData);
    if (failed(attr))
      return failure();
    info.pendingTensor = nullptr;
    info.value =
        transformer::ConstantOp::create(builder, loc, info.type, *attr);
    return info.value;
  }
  if (info.ints) {
    Type elementType = info.type.getElementType();
    unsigned width = elementType.getIntOrFloatBitWidth();
    if (llvm::all_of(*info.ints, [](const SymInt &s) { return s.isConstant(); })) {
      SmallVector<APInt> elements;
      for (const SymInt &s : *info.ints)
        elements.push_back(APInt(width, static_cast<uint64_t>(s.constant),
                                 /*isSigned=*/width > 1,
                                 /*implicitTrunc=*/true));
      auto attr = DenseElementsAttr::get(info.type, elements);
      info.value = transformer::ConstantOp::create(builder, loc,
                                                   info.type, attr);
      return info.value;
    }
    SmallVector<Value> elements;
    for (const SymInt &s : *info.ints) {
      Value idx = s.isConstant() ? indexConstant(s.constant) : s.dynamic;
      elements.push_back(
          arith::IndexCastOp::create(builder, loc, elementType, idx));
    }
    info.value =
        tensor::FromElementsOp::create(builder, loc, info.type, elements);
    return info.value;
  }
  return mlir::emitError(useLoc)
         << "ONNX value '" << info.name << "' has no definition";
}

//===----------------------------------------------------------------------===//
// GraphImporter: checks
//===----------------------------------------------------------------------===//

std::string GraphImporter::nodeName(int index) const {
  const pb::NodeProto &node = graph.node(index);
  if (!node.name().empty())
    return node.name();
  return node.op_type() + "_" + std::to_string(index);
}

Location GraphImporter::nodeLoc(int index) {
  const pb::NodeProto &node = graph.node(index);
  std::string name = nodeName(index);
  Location file = model.graphFieldLoc(ctx, "node", index);
  Location fused = FusedLoc::get(
      ctx, {file},
      StringAttr::get(ctx, qualifiedOpName(node.domain(), node.op_type())));
  return NameLoc::get(StringAttr::get(ctx, name), fused);
}

/// The tensor type of a graph input/output declaration; `symbols` receives
/// the dim_param of each dim ("" when static or unnamed).
static FailureOr<RankedTensorType>
valueInfoType(const pb::ValueInfoProto &vi, MLIRContext *ctx, Location loc,
              SmallVectorImpl<std::string> *symbols) {
  if (!vi.has_type() || !vi.type().has_tensor_type())
    return mlir::emitError(loc)
           << "ONNX value '" << vi.name()
           << "' is not declared as a tensor (sequence, map, optional and "
              "untyped values are unsupported)";
  const pb::TypeProto::Tensor &tt = vi.type().tensor_type();
  Type elementType = convertDataType(ctx, tt.elem_type());
  if (!elementType)
    return mlir::emitError(loc) << "ONNX value '" << vi.name()
                                << "' has unsupported element type "
                                << dataTypeName(tt.elem_type());
  if (!tt.has_shape())
    return mlir::emitError(loc)
           << "ONNX value '" << vi.name()
           << "' has no shape (unranked tensors are unsupported)";
  SmallVector<int64_t> dims;
  for (const pb::TensorShapeProto::Dimension &d : tt.shape().dim()) {
    if (d.has_dim_value()) {
      if (d.dim_value() < 0 || d.dim_value() >= kMaxDim)
        return mlir::emitError(loc)
               << "ONNX value '" << vi.name() << "' has an invalid dim ("
               << d.dim_value() << ")";
      dims.push_back(d.dim_value());
      if (symbols)
        symbols->push_back("");
    } else {
      dims.push_back(ShapedType::kDynamic);
      if (symbols)
        symbols->push_back(d.dim_param());
    }
  }
  return RankedTensorType::get(dims, elementType);
}

/// The reason `node` cannot be imported, or "" when it can.
static std::string checkNode(const pb::NodeProto &node, int64_t opset,
                             const OpSpec *spec) {
  std::string op = qualifiedOpName(node.domain(), node.op_type());
  if (!spec)
    return "unsupported op " + op + " (opset " + std::to_string(opset) + ")";
  if (opset < spec->minOpset || opset > spec->maxOpset)
    return "unsupported opset " + std::to_string(opset) + " of " + op +
           " (supported: " + std::to_string(spec->minOpset) + " to " +
           std::to_string(spec->maxOpset) + ")";
  auto count = [](int n, const char *what) {
    return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
  };
  if (node.input_size() < spec->minInputs)
    return op + " expects at least " + count(spec->minInputs, "input") +
           ", got " + std::to_string(node.input_size());
  if (spec->maxInputs >= 0 && node.input_size() > spec->maxInputs)
    return op + " expects at most " + count(spec->maxInputs, "input") +
           ", got " + std::to_string(node.input_size());
  for (int i = 0; i < spec->minInputs; ++i)
    if (node.input(i).empty())
      return op + " input #" + std::to_string(i) + " is required";
  if (node.output_size() < 1 || node.output(0).empty())
    return op + " has no output";
  if (spec->maxOutputs >= 0 && node.output_size() > spec->maxOutputs)
    return op + " expects at most " + count(spec->maxOutputs, "output") +
           ", got " + std::to_string(node.output_size());
  std::string problems;
  for (const pb::AttributeProto &a : node.attribute()) {
    if (!llvm::any_of(spec->attributes,
                      [&](const char *n) { return a.name() == n; })) {
      problems += (problems.empty() ? "" : "; ") +
                  ("unsupported attribute '" + a.name() + "' of " + op);
    } else if (!a.ref_attr_name().empty()) {
      problems += (problems.empty() ? "" : "; ") +
                  ("attribute '" + a.name() +
                   "' refers to a function attribute, which is unsupported");
    }
  }
  if (!problems.empty())
    return problems;
  if (spec->check)
    return spec->check(node, opset);
  return "";
}

LogicalResult GraphImporter::checkGraph() {
  bool ok = true;
  auto fail = [&](Location loc) {
    ok = false;
    return mlir::emitError(loc);
  };

  // Names defined by graph inputs and initializers.
  llvm::StringSet<> initializerNames, defined;
  for (int i = 0; i < graph.initializer_size(); ++i) {
    const std::string &name = graph.initializer(i).name();
    Location loc = model.graphFieldLoc(ctx, "initializer", i);
    if (name.empty())
      fail(loc) << "ONNX initializer #" << i << " has no name";
    else if (!initializerNames.insert(name).second)
      fail(loc) << "ONNX initializer '" << name << "' is defined twice";
    defined.insert(name);
  }
  if (graph.sparse_initializer_size())
    fail(model.graphLoc(ctx)) << "sparse initializers are not supported";
  for (int i = 0; i < graph.input_size(); ++i) {
    const std::string &name = graph.input(i).name();
    Location loc = model.graphFieldLoc(ctx, "input", i);
    if (name.empty()) {
      fail(loc) << "ONNX graph input #" << i << " has no name";
      continue;
    }
    if (initializerNames.count(name))
      continue; // an input with a default value: imported as the constant
    if (!defined.insert(name).second)
      fail(loc) << "ONNX graph input '" << name << "' is defined twice";
  }

  // Nodes: support, then names.
  unsigned numUnsupported = 0;
  std::set<std::string> unsupportedOps;
  const OpTable &table = getOpTable();
  for (int i = 0; i < graph.node_size(); ++i) {
    const pb::NodeProto &node = graph.node(i);
    int64_t opset = opsetOf(node.domain());
    std::string reason;
    if (!opset && !node.domain().empty() && node.domain() != "ai.onnx")
      reason = "op " + qualifiedOpName(node.domain(), node.op_type()) +
               " of domain '" + node.domain() +
               "', which the model does not import (opset_import)";
    else
      reason = checkNode(node, opset,
                         table.lookup(node.domain(), node.op_type()));
    if (!reason.empty()) {
      ++numUnsupported;
      unsupportedOps.insert(qualifiedOpName(node.domain(), node.op_type()));
      fail(nodeLoc(i)) << "ONNX node '" << nodeName(i) << "': " << reason;
    }
  }
  for (int i = 0; i < graph.node_size(); ++i) {
    const pb::NodeProto &node = graph.node(i);
    for (const std::string &out : node.output()) {
      if (out.empty())
        continue;
      if (!defined.insert(out).second)
        fail(nodeLoc(i)) << "ONNX node '" << nodeName(i) << "' redefines '"
                         << out << "'";
    }
  }
  for (int i = 0; i < graph.node_size(); ++i) {
    const pb::NodeProto &node = graph.node(i);
    for (const std::string &in : node.input())
      if (!in.empty() && !defined.count(in))
        fail(nodeLoc(i)) << "ONNX node '" << nodeName(i) << "' uses '" << in
                         << "', which no graph input, initializer or node "
                            "defines";
  }
  for (int i = 0; i < graph.output_size(); ++i) {
    const std::string &name = graph.output(i).name();
    if (!defined.count(name))
      fail(model.graphFieldLoc(ctx, "output", i))
          << "ONNX graph output '" << name << "' is not defined";
  }
  if (graph.output_size() == 0)
    fail(model.graphLoc(ctx)) << "the ONNX graph has no outputs";

  // Graph inputs and outputs of types the importer cannot represent.
  unsigned numBadTypes = 0;
  for (int i = 0; i < graph.input_size(); ++i) {
    const pb::ValueInfoProto &vi = graph.input(i);
    if (vi.name().empty() || initializerNames.count(vi.name()))
      continue;
    if (failed(valueInfoType(vi, ctx, model.graphFieldLoc(ctx, "input", i),
                             nullptr)))
      ++numBadTypes;
  }
  for (int i = 0; i < graph.output_size(); ++i) {
    const pb::ValueInfoProto &vi = graph.output(i);
    Location loc = model.graphFieldLoc(ctx, "output", i);
    if (!vi.has_type())
      continue; // the computed type is used
    if (!vi.type().has_tensor_type()) {
      mlir::emitError(loc) << "ONNX graph output '" << vi.name()
                           << "' is not a tensor (sequence, map and "
                              "optional values are unsupported)";
      ++numBadTypes;
    } else if (vi.type().tensor_type().has_elem_type() &&
               !isSupportedDataType(vi.type().tensor_type().elem_type())) {
      mlir::emitError(loc) << "ONNX graph output '" << vi.name()
                           << "' has unsupported element type "
                           << dataTypeName(vi.type().tensor_type().elem_type());
      ++numBadTypes;
    }
  }
  if (numBadTypes)
    ok = false;

  if (numUnsupported || numBadTypes) {
    auto diag = mlir::emitError(model.graphLoc(ctx))
                << "cannot import the ONNX model: ";
    if (numUnsupported) {
      std::string ops;
      for (const std::string &op : unsupportedOps)
        ops += (ops.empty() ? "" : ", ") + op;
      diag << numUnsupported << " unsupported or invalid node(s) (" << ops
           << ")";
    }
    if (numBadTypes)
      diag << (numUnsupported ? "; " : "") << numBadTypes
           << " graph input(s)/output(s) with unsupported or invalid types";
  }
  return success(ok);
}

LogicalResult GraphImporter::orderNodes() {
  // Kahn's algorithm over node indices, keeping the file order among ready
  // nodes.
  int n = graph.node_size();
  llvm::StringMap<int> producer;
  for (int i = 0; i < n; ++i)
    for (const std::string &out : graph.node(i).output())
      if (!out.empty())
        producer[out] = i;
  std::vector<int> pending(n, 0);
  std::vector<std::vector<int>> users(n);
  for (int i = 0; i < n; ++i) {
    llvm::DenseSet<int> seen;
    for (const std::string &in : graph.node(i).input()) {
      auto it = producer.find(in);
      if (in.empty() || it == producer.end() || !seen.insert(it->second).second)
        continue;
      ++pending[i];
      users[it->second].push_back(i);
    }
  }
  std::set<int> ready;
  for (int i = 0; i < n; ++i)
    if (!pending[i])
      ready.insert(i);
  order.clear();
  while (!ready.empty()) {
    int i = *ready.begin();
    ready.erase(ready.begin());
    order.push_back(i);
    for (int u : users[i])
      if (--pending[u] == 0)
        ready.insert(u);
  }
  if (static_cast<int>(order.size()) == n)
    return success();
  std::string names;
  int shown = 0;
  for (int i = 0; i < n && shown < 8; ++i)
    if (pending[i]) {
      names += (shown++ ? ", '" : "'") + nodeName(i) + "'";
    }
  for (int i = 0; i < n; ++i)
    if (pending[i])
      return mlir::emitError(nodeLoc(i))
             << "the ONNX graph has a cycle through " << (n - order.size())
             << " node(s): " << names;
  return failure();
}

//===----------------------------------------------------------------------===//
// GraphImporter: building
//===----------------------------------------------------------------------===//

LogicalResult GraphImporter::importInputs(SmallVectorImpl<Type> &argTypes) {
  auto funcOp = cast<func::FuncOp>(func);
  Block *entry = &funcOp.getBody().front();
  llvm::StringSet<> initializerNames;
  for (const pb::TensorProto &t : graph.initializer())
    initializerNames.insert(t.name());

  // Initializers: pending constants (integers also tracked for folding).
  // mappedRawData is in initializer order.
  auto mapped = model.mappedRawData.begin();
  for (int i = 0; i < graph.initializer_size(); ++i) {
    pb::TensorProto &t =
        *model.proto.mutable_graph()->mutable_initializer(i);
    Location fileLoc = model.graphFieldLoc(ctx, "initializer", i);
    Location loc = NameLoc::get(StringAttr::get(ctx, t.name()), fileLoc);
    FailureOr<RankedTensorType> type = tensorTypeOf(t, ctx, [&]() {
      return mlir::emitError(loc) << "ONNX initializer '" << t.name() << "': ";
    });
    if (failed(type))
      return failure();
    ValueInfo &info = define(t.name());
    info.type = *type;
    info.pendingTensor = &t;
    info.loc = loc;
    if (mapped != model.mappedRawData.end() && mapped->first == i)
      externalData.addMapped(&t, (mapped++)->second, model.mapping);
    if (auto ints = readIntegers(t, kMaxTrackedInts);
        ints && type->getRank() <= 1 && type->getElementType().isSignlessInteger()) {
      SymInts s;
      for (int64_t v : *ints)
        s.push_back(SymInt::of(v));
      info.ints = std::move(s);
    }
  }

  SmallVector<DictionaryAttr> argAttrs;
  for (int i = 0; i < graph.input_size(); ++i) {
    const pb::ValueInfoProto &vi = graph.input(i);
    if (initializerNames.count(vi.name()))
      continue;
    Location fileLoc = model.graphFieldLoc(ctx, "input", i);
    Location loc = NameLoc::get(StringAttr::get(ctx, vi.name()), fileLoc);
    SmallVector<std::string> symbols;
    FailureOr<RankedTensorType> type = valueInfoType(vi, ctx, loc, &symbols);
    if (failed(type))
      return failure();
    if (auto given = options.inputShapes.find(vi.name());
        given != options.inputShapes.end()) {
      ArrayRef<int64_t> dims = given->second, declared = type->getShape();
      bool agrees = dims.size() == declared.size();
      for (size_t d = 0; agrees && d < dims.size(); ++d)
        agrees = dims[d] >= 0 && (ShapedType::isDynamic(declared[d]) ||
                                  declared[d] == dims[d]);
      if (!agrees) {
        std::string text;
        for (int64_t d : dims)
          text += (text.empty() ? "" : "x") + std::to_string(d);
        return mlir::emitError(loc)
               << "ONNX graph input '" << vi.name() << "' is declared "
               << *type << "; it cannot take the shape [" << text << "]";
      }
      type = RankedTensorType::get(dims, type->getElementType());
    }
    BlockArgument arg = entry->addArgument(*type, loc);
    argTypes.push_back(*type);
    SmallVector<NamedAttribute> attrs;
    attrs.push_back(builder.getNamedAttr("onnx.name",
                                         builder.getStringAttr(vi.name())));
    if (llvm::any_of(symbols, [](const std::string &s) { return !s.empty(); })) {
      SmallVector<Attribute> syms;
      for (const std::string &s : symbols)
        syms.push_back(builder.getStringAttr(s));
      attrs.push_back(
          builder.getNamedAttr("onnx.dim_params", builder.getArrayAttr(syms)));
    }
    argAttrs.push_back(builder.getDictionaryAttr(attrs));
    ValueInfo &info = define(vi.name());
    info.value = arg;
    info.type = *type;
  }
  funcOp.setFunctionType(FunctionType::get(ctx, argTypes, {}));
  for (auto [i, attrs] : llvm::enumerate(argAttrs))
    funcOp.setArgAttrs(i, attrs);
  return success();
}

/// Checks the type a node computes for `vi.name()` against its value_info
/// declaration: element type, rank and static dims must agree (a dim the
/// node computes as dynamic is not refined to a declared size, for the
/// reason given in importOutputs). Unknown parts of the declaration
/// (element type 0, no shape, dim_param) are not checked.
static LogicalResult checkValueInfo(const pb::ValueInfoProto &vi,
                                    RankedTensorType computed,
                                    NodeImporter &n, Location declared) {
  if (!vi.has_type() || !vi.type().has_tensor_type())
    return success();
  const pb::TypeProto::Tensor &tt = vi.type().tensor_type();
  auto mismatch = [&]() {
    InFlightDiagnostic diag = n.emitError();
    diag << "computes " << computed << " for '" << vi.name()
         << "', which value_info declares as ";
    diag.attachNote(declared) << "declared here";
    return diag;
  };
  if (tt.elem_type() != 0 &&
      convertDataType(n.getContext(), tt.elem_type()) !=
          computed.getElementType())
    return mismatch() << "element type " << dataTypeName(tt.elem_type());
  if (!tt.has_shape())
    return success();
  if (tt.shape().dim_size() != computed.getRank())
    return mismatch() << "rank " << tt.shape().dim_size();
  for (auto [d, dim] : llvm::enumerate(tt.shape().dim()))
    if (dim.has_dim_value() && !computed.isDynamicDim(d) &&
        dim.dim_value() != computed.getDimSize(d))
      return mismatch() << "dim " << d << " = " << dim.dim_value();
  return success();
}

LogicalResult GraphImporter::importNodes() {
  const OpTable &table = getOpTable();
  llvm::StringMap<int> declared;
  for (int i = 0; i < graph.value_info_size(); ++i)
    declared.try_emplace(graph.value_info(i).name(), i);
  for (int index : order) {
    pb::NodeProto &node = *model.proto.mutable_graph()->mutable_node(index);
    const OpSpec *spec = table.lookup(node.domain(), node.op_type());
    NodeImporter ni(*this, node, nodeName(index), opsetOf(node.domain()),
                    nodeLoc(index));
    if (failed(spec->convert(ni)))
      return failure();
    for (int o = 0; o < node.output_size(); ++o) {
      if (node.output(o).empty())
        continue;
      ValueInfo *info = lookup(node.output(o));
      if (!info || !info->type)
        return ni.emitError() << "output #" << o << " ('" << node.output(o)
                              << "') was not produced (importer bug)";
      auto it = declared.find(node.output(o));
      if (it != declared.end() &&
          failed(checkValueInfo(graph.value_info(it->second), info->type, ni,
                                model.graphFieldLoc(ctx, "value_info",
                                                    it->second))))
        return failure();
    }
  }
  return success();
}

LogicalResult GraphImporter::importOutputs() {
  auto funcOp = cast<func::FuncOp>(func);
  SmallVector<Value> results;
  SmallVector<Type> resultTypes;
  SmallVector<std::pair<int, RankedTensorType>> declaredTypes;
  for (int i = 0; i < graph.output_size(); ++i) {
    const pb::ValueInfoProto &vi = graph.output(i);
    Location fileLoc = model.graphFieldLoc(ctx, "output", i);
    Location loc = NameLoc::get(StringAttr::get(ctx, vi.name()), fileLoc);
    ValueInfo *info = lookup(vi.name());
    FailureOr<Value> value = materialize(*info, loc);
    if (failed(value))
      return failure();
    Value v = *value;
    auto type = cast<RankedTensorType>(v.getType());
    // Refine to the declared type when it is compatible and more static.
    if (vi.has_type() && vi.type().has_tensor_type() &&
        vi.type().tensor_type().has_shape()) {
      FailureOr<RankedTensorType> declared =
          valueInfoType(vi, ctx, loc, nullptr);
      if (failed(declared))
        return failure();
      if (declared->getElementType() != type.getElementType() ||
          declared->getRank() != type.getRank() ||
          failed(verifyCompatibleShape(declared->getShape(), type.getShape())))
        return mlir::emitError(loc)
               << "ONNX graph output '" << vi.name() << "' is declared as "
               << *declared << " but computes " << type;
      // A dim the graph computes as dynamic but the output declares static
      // is not cast to the declared size: the cast would let the compiler
      // fold the size into the computation, and an input that contradicts
      // it would then make compiled code write past its buffers. The result
      // keeps the computed type; the declaration is recorded for runners to
      // check the result against.
      SmallVector<int64_t> refined;
      for (auto [d, t] : llvm::zip(declared->getShape(), type.getShape()))
        refined.push_back(ShapedType::isDynamic(t) ? d : t);
      auto refinedType = RankedTensorType::get(refined, type.getElementType());
      if (refinedType != type)
        declaredTypes.push_back({i, refinedType});
    }
    results.push_back(v);
    resultTypes.push_back(v.getType());
  }
  func::ReturnOp::create(builder, model.graphLoc(ctx), results);
  funcOp.setFunctionType(FunctionType::get(
      ctx, funcOp.getFunctionType().getInputs(), resultTypes));
  for (int i = 0; i < graph.output_size(); ++i)
    funcOp.setResultAttr(i, "onnx.name",
                         builder.getStringAttr(graph.output(i).name()));
  for (auto [i, declared] : declaredTypes)
    funcOp.setResultAttr(i, "onnx.declared_type", TypeAttr::get(declared));
  return success();
}

/// The ONNX node (name, op type) a location built by nodeLoc refers to.
static std::optional<std::pair<StringRef, StringRef>>
findNode(Location loc) {
  std::optional<std::pair<StringRef, StringRef>> result;
  loc->walk([&](Location l) {
    if (auto name = dyn_cast<NameLoc>(l))
      if (auto fused = dyn_cast<FusedLoc>(name.getChildLoc()))
        if (auto op = dyn_cast_or_null<StringAttr>(fused.getMetadata())) {
          result = {name.getName().getValue(), op.getValue()};
          return WalkResult::interrupt();
        }
    return WalkResult::advance();
  });
  return result;
}

OwningOpRef<ModuleOp> GraphImporter::run() {
  ctx->loadDialect<transformer::TransformerDialect, func::FuncDialect,
                   arith::ArithDialect, tensor::TensorDialect>();
  // Errors from the dialects (type inference, verifiers) name the ONNX node
  // they come from, which a binary model's location cannot show.
  ScopedDiagnosticHandler nodeContext(ctx, [](Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error &&
        !StringRef(diag.str()).contains("ONNX"))
      if (auto node = findNode(diag.getLocation()))
        diag << " (ONNX node '" << node->first << "', " << node->second
             << ")";
    return failure(); // let the next handler report it
  });
  const pb::ModelProto &proto = model.proto;
  Location fileLoc = model.fileLoc(ctx);

  // Opsets.
  if (proto.opset_import_size() == 0)
    return mlir::emitError(model.graphLoc(ctx))
               << "the ONNX model imports no opset (opset_import is empty)",
           nullptr;
  for (const pb::OperatorSetIdProto &os : proto.opset_import()) {
    StringRef domain = canonicalDomain(os.domain());
    if (!opsets.try_emplace(domain, os.version()).second)
      return mlir::emitError(model.graphLoc(ctx))
                 << "the ONNX model imports domain '" << os.domain()
                 << "' twice",
             nullptr;
  }
  if (failed(checkGraph()) || failed(orderNodes()))
    return nullptr;

  OwningOpRef<ModuleOp> owned = ModuleOp::create(fileLoc);
  module = *owned;
  Builder b(ctx);
  if (proto.has_producer_name())
    module->setAttr("onnx.producer",
                    b.getStringAttr(proto.producer_name() +
                                    (proto.producer_version().empty()
                                         ? ""
                                         : " " + proto.producer_version())));
  SmallVector<NamedAttribute> opsetAttrs;
  for (const auto &entry : opsets)
    opsetAttrs.push_back(b.getNamedAttr(
        entry.first().empty() ? "ai.onnx" : entry.first(),
        b.getI64IntegerAttr(entry.second)));
  module->setAttr("onnx.opset_import", b.getDictionaryAttr(opsetAttrs));

  OpBuilder moduleBuilder = OpBuilder::atBlockEnd(module.getBody());
  auto funcOp = func::FuncOp::create(moduleBuilder, model.graphLoc(ctx),
                                     options.functionName,
                                     FunctionType::get(ctx, {}, {}));
  func = funcOp;
  Block *entry = funcOp.addEntryBlock();
  builder.setInsertionPointToEnd(entry);

  SmallVector<Type> argTypes;
  if (failed(importInputs(argTypes)))
    return nullptr;
  if (failed(importNodes()) || failed(importOutputs()))
    return nullptr;
  // Index arithmetic evaluated for shapes that ended up unused.
  for (Operation &op :
       llvm::make_early_inc_range(llvm::reverse(entry->getOperations())))
    if (isa<arith::ArithDialect, tensor::TensorDialect>(op.getDialect()) &&
        isOpTriviallyDead(&op))
      op.erase();
  if (failed(mlir::verify(module)))
    return nullptr;
  return owned;
}

//===----------------------------------------------------------------------===//
// Public API
//===----------------------------------------------------------------------===//

void mlir::llm::registerONNXImporterDialects(DialectRegistry &registry) {
  registry.insert<transformer::TransformerDialect, func::FuncDialect,
                  arith::ArithDialect, tensor::TensorDialect>();
}

OwningOpRef<ModuleOp>
mlir::llm::importONNX(llvm::MemoryBufferRef buffer, MLIRContext *context,
                      const ONNXImportOptions &options) {
  std::unique_ptr<LoadedModel> model =
      loadModel(buffer, context, options.format);
  if (!model)
    return nullptr;
  GraphImporter importer(*model, context, options);
  return importer.run();
}

OwningOpRef<ModuleOp>
mlir::llm::importONNXFile(StringRef path, MLIRContext *context,
                          const ONNXImportOptions &options) {
  auto buffer = llvm::MemoryBuffer::getFileOrSTDIN(path, /*IsText=*/false,
                                                   /*RequiresNullTerminator=*/false);
  if (std::error_code ec = buffer.getError()) {
    mlir::emitError(FileLineColLoc::get(context, path, 0, 0))
        << "cannot read '" << path << "': " << ec.message();
    return nullptr;
  }
  // The weights of a binary model stay in the (memory-mapped) buffer, which
  // the resource blobs pointing into it keep alive.
  std::shared_ptr<llvm::MemoryBuffer> mapping = std::move(*buffer);
  std::unique_ptr<LoadedModel> model = loadModel(
      mapping->getMemBufferRef(), context, options.format, mapping);
  if (!model)
    return nullptr;
  GraphImporter importer(*model, context, options);
  return importer.run();
}

bool mlir::llm::isONNXFileName(StringRef path) {
  StringRef ext = llvm::sys::path::extension(path);
  return ext == ".onnx" || ext == ".onnxtxt";
}
