//===- ImporterImpl.h - internals of the ONNX importer ---------*- C++ -*-===//
//
// Shared by the importer's translation units: the loaded model (protobuf plus
// where its parts are in a text file), the value table of the graph being
// imported, the per-node context handed to op converters, and the op table
// that maps (domain, op_type) to a converter and to what it supports (opset
// range, attributes, extra checks).
//
// Values are tracked per ONNX name. A value may be:
//  - materialized: an SSA value in the function body;
//  - pending: an initializer or Constant not yet turned into an op (it is
//    materialized just before its first use, so unused weights never reach
//    the IR);
//  - symbolic integers: a rank-0/1 integer tensor whose elements are known at
//    import time, each a constant or an `index` SSA value (`tensor.dim`,
//    arith on them). Shape subgraphs are evaluated on these and only
//    materialized (`transformer.constant` or `tensor.from_elements`) when a
//    non-shape op consumes them.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_LIB_IMPORT_ONNX_IMPORTERIMPL_H
#define LLM_LIB_IMPORT_ONNX_IMPORTERIMPL_H

#include "llm/Import/ONNXImporter.h"

#include "onnx.pb.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/MemoryBuffer.h"

#include <google/protobuf/text_format.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mlir {
namespace llm {
namespace onnx_import {

namespace pb = ::llm_onnx;

//===----------------------------------------------------------------------===//
// Loaded model
//===----------------------------------------------------------------------===//

/// A parsed model and the file it came from. For text input it keeps the
/// positions of the graph's nodes, initializers, inputs and outputs so that
/// diagnostics point at lines of the .onnxtxt file.
class LoadedModel {
public:
  pb::ModelProto proto;
  std::string fileName;
  bool isText = false;
  std::unique_ptr<google::protobuf::TextFormat::ParseInfoTree> parseInfo;
  /// For a binary model read from a file: the file's memory mapping and,
  /// per graph initializer index, the bytes of its raw_data in it. Those
  /// raw_data fields were left out of `proto` when parsing (see loadModel),
  /// so the weights are never copied: their resource blobs point into the
  /// mapping, which they keep alive.
  std::shared_ptr<llvm::MemoryBuffer> mapping;
  std::vector<std::pair<int, llvm::ArrayRef<char>>> mappedRawData;

  /// The file as a location (line 0 when nothing finer is known).
  Location fileLoc(MLIRContext *ctx) const;
  /// The `graph` field of the model.
  Location graphLoc(MLIRContext *ctx) const;
  /// Position of the `index`-th entry of the main graph's repeated field
  /// `field` ("node", "initializer", "input", "output").
  Location graphFieldLoc(MLIRContext *ctx, const char *field, int index) const;
};

/// Parses `buffer` (binary or text protobuf) into a model; reports parse
/// errors (with line:column for text) and returns null on failure. With
/// `mapping` (the buffer's owner, for a file), a binary model's large
/// initializer raw_data fields are not copied into the proto: they are
/// found by walking the protobuf wire format and recorded in
/// `mappedRawData` (any irregularity in the wire format falls back to an
/// ordinary parse, which reports it).
std::unique_ptr<LoadedModel>
loadModel(llvm::MemoryBufferRef buffer, MLIRContext *ctx,
          ONNXImportOptions::Format format,
          std::shared_ptr<llvm::MemoryBuffer> mapping = nullptr);

//===----------------------------------------------------------------------===//
// Tensor data (TensorData.cpp)
//===----------------------------------------------------------------------===//

/// Files holding tensors stored outside the model (`data_location =
/// EXTERNAL`), memory-mapped once each and shared by the blobs that point
/// into them. Only files inside the model's directory are read.
class ExternalData {
public:
  explicit ExternalData(std::string baseDir) : baseDir(std::move(baseDir)) {}

  /// The bytes [offset, offset + length) of the file `location` (relative to
  /// the model's directory); length -1 means to the end of the file.
  /// `owner` receives the mapping that keeps them alive. Reports an error
  /// for absolute paths, paths leaving the directory (`..`, symlinks),
  /// missing files and ranges outside the file.
  FailureOr<llvm::ArrayRef<char>>
  read(llvm::StringRef location, int64_t offset, int64_t length,
       llvm::function_ref<InFlightDiagnostic()> emitError,
       std::shared_ptr<llvm::MemoryBuffer> &owner);

  /// Records that the raw_data of `tensor` is `bytes` inside `owner` (the
  /// memory-mapped model file) instead of a field of the proto.
  void addMapped(const pb::TensorProto *tensor, llvm::ArrayRef<char> bytes,
                 std::shared_ptr<llvm::MemoryBuffer> owner);
  /// The mapped raw_data of `tensor` (and its owner), if recorded.
  std::optional<std::pair<llvm::ArrayRef<char>,
                          std::shared_ptr<llvm::MemoryBuffer>>>
  mapped(const pb::TensorProto *tensor) const;

private:
  std::string baseDir;
  llvm::StringMap<std::shared_ptr<llvm::MemoryBuffer>> files;
  llvm::DenseMap<const pb::TensorProto *, llvm::ArrayRef<char>> mappedData;
  std::shared_ptr<llvm::MemoryBuffer> mappedOwner;
};

/// The MLIR element type of an ONNX TensorProto.DataType, or null when the
/// importer does not support it.
Type convertDataType(MLIRContext *ctx, int64_t dataType);
/// Whether convertDataType supports `dataType`.
bool isSupportedDataType(int64_t dataType);
/// A readable name of an ONNX data type ("FLOAT", "INT64", ...).
std::string dataTypeName(int64_t dataType);

/// The tensor type of an initializer/Constant tensor, after checking its data
/// type and dims (non-negative, element count without overflow).
FailureOr<RankedTensorType>
tensorTypeOf(const pb::TensorProto &tensor, MLIRContext *ctx,
             llvm::function_ref<InFlightDiagnostic()> emitError);

/// Converts a tensor's contents into an ElementsAttr of `type`: `dense<...>`
/// for at most `inlineLimit` elements and for booleans, else a
/// `dense_resource` named `blobName`. Checks that the data is complete (e.g.
/// raw_data of exactly numElements * elementBytes). With `mayMove`, raw_data
/// is moved out of the proto into the resource blob instead of copied.
/// External data is read through `external` (null: reported as an error)
/// and, when aligned, referenced in place in the memory-mapped file.
FailureOr<ElementsAttr>
convertTensorData(pb::TensorProto &tensor, RankedTensorType type,
                  int64_t inlineLimit, llvm::StringRef blobName, bool mayMove,
                  llvm::function_ref<InFlightDiagnostic()> emitError,
                  ExternalData *external = nullptr);

/// The elements of an integer tensor with at most `maxElements` elements, or
/// nothing (not an integer tensor, too big, incomplete or external data).
std::optional<SmallVector<int64_t>>
readIntegers(const pb::TensorProto &tensor, int64_t maxElements);

//===----------------------------------------------------------------------===//
// Symbolic integers
//===----------------------------------------------------------------------===//

/// An integer known at import time: a constant or an SSA value of type
/// `index` (a dynamic dim, or arithmetic on dynamic dims).
struct SymInt {
  int64_t constant = 0;
  Value dynamic;

  static SymInt of(int64_t c) { return SymInt{c, Value()}; }
  static SymInt of(Value v) { return SymInt{0, v}; }
  bool isConstant() const { return !dynamic; }
};
using SymInts = SmallVector<SymInt, 4>;

/// Largest integer vector whose elements are tracked as SymInts (shape
/// folding); larger integer tensors are ordinary constants.
constexpr int64_t kMaxTrackedInts = 64;

/// Whether `s` is known to be >= 0 (constants, `tensor.dim`, and sums,
/// products, quotients and min/max of such).
bool isNonNegative(const SymInt &s);

//===----------------------------------------------------------------------===//
// Graph importer
//===----------------------------------------------------------------------===//

/// What the importer knows about one ONNX value.
struct ValueInfo {
  /// The SSA value, once materialized.
  Value value;
  /// The value's type (set even while pending).
  RankedTensorType type;
  /// Elements of a rank-0/1 integer tensor known at import time.
  std::optional<SymInts> ints;
  /// An initializer or Constant tensor not yet materialized.
  pb::TensorProto *pendingTensor = nullptr;
  /// A constant attribute not yet materialized (Constant value_* forms).
  ElementsAttr pendingAttr;
  /// Where the value is defined (for pending values).
  LocationAttr loc;
  /// ONNX name, for diagnostics and resource names.
  std::string name;
};

class GraphImporter;

/// The context in which one node is converted: its inputs, attributes,
/// location and opset, and where its results go.
class NodeImporter {
public:
  NodeImporter(GraphImporter &graph, pb::NodeProto &node,
               std::string displayName, int64_t opset, Location loc);

  GraphImporter &graph;
  /// The node (mutable: Constant tensors are moved out of it).
  pb::NodeProto &node;
  /// The node's name (or "<op_type>_<index>" when it has none).
  std::string displayName;
  /// The opset version of the node's domain imported by the model.
  int64_t opset;
  Location loc;
  OpBuilder &builder;
  MLIRContext *getContext() const;

  /// Reports an error at the node, prefixed with its name, op type, opset.
  InFlightDiagnostic emitError() const;

  // Inputs.
  /// Number of inputs, counting empty (omitted) optional ones.
  int numInputs() const { return node.input_size(); }
  /// Whether input `i` is given (present and not the empty name).
  bool hasInput(int i) const;
  /// The value of input `i`, materialized. Reports an error when absent.
  FailureOr<Value> input(int i);
  /// The type of input `i` (without materializing it).
  RankedTensorType inputType(int i) const;
  /// The elements of input `i` when it is a rank-0/1 integer tensor known at
  /// import time (constants and folded shape computations).
  const SymInts *inputInts(int i) const;
  /// The elements of input `i` when they are all constants; otherwise
  /// reports an error naming `what` and returns failure.
  FailureOr<SmallVector<int64_t>> constantInts(int i, llvm::StringRef what);
  /// An integer list that the op takes as input `i` from opset
  /// `inputSince` on and as attribute `name` before: std::nullopt when
  /// absent; failure (reported) when the input is not a known constant.
  FailureOr<std::optional<SmallVector<int64_t>>>
  intsInputOrAttr(int i, llvm::StringRef name, int64_t inputSince);
  /// The value of input `i` as a constant ElementsAttr (pending constants
  /// only; used for scalars such as Pad values).
  ElementsAttr constantAttr(int i);

  // Attributes.
  const pb::AttributeProto *attr(llvm::StringRef name) const;
  int64_t intAttr(llvm::StringRef name, int64_t dflt) const;
  float floatAttr(llvm::StringRef name, float dflt) const;
  std::string stringAttr(llvm::StringRef name, llvm::StringRef dflt) const;
  std::optional<SmallVector<int64_t>> intsAttr(llvm::StringRef name) const;

  // Outputs.
  int numOutputs() const { return node.output_size(); }
  /// Whether output `i` exists and is used (named).
  bool hasOutput(int i) const;
  void setOutput(int i, Value value);
  /// Defines output `i` as symbolic integers of the given tensor type; the
  /// tensor is only built when a non-shape op uses it.
  void setOutputInts(int i, SymInts ints, RankedTensorType type);

  // Helpers for converters.
  /// An `index` value for a symbolic integer (arith.constant when constant).
  Value indexValue(const SymInt &s);
  /// Dim `d` of `v`: constant when static, `tensor.dim` otherwise.
  SymInt dimOf(Value v, int64_t d);
  /// Arithmetic on symbolic integers: folded when constant, `arith` ops on
  /// `index` values otherwise. Division truncates toward zero (ONNX integer
  /// Div); `ceilDiv` rounds up.
  SymInt add(const SymInt &a, const SymInt &b);
  SymInt sub(const SymInt &a, const SymInt &b);
  SymInt mul(const SymInt &a, const SymInt &b);
  SymInt div(const SymInt &a, const SymInt &b);
  /// `a / b` for products known to divide exactly (Reshape's -1): shared
  /// dynamic factors cancel, so `(2 * s * 4) / (s * 4)` is the constant 2.
  SymInt exactDiv(const SymInt &a, const SymInt &b);
  SymInt ceilDiv(const SymInt &a, const SymInt &b);
  SymInt max(const SymInt &a, const SymInt &b);
  SymInt min(const SymInt &a, const SymInt &b);
  /// The product of `values` (1 when empty).
  SymInt product(llvm::ArrayRef<SymInt> values);
  /// Dims of `v` as symbolic integers.
  SymInts dimsOf(Value v);
  /// A tensor type whose dims are the constants of `dims` and `?` for the
  /// dynamic ones; `dynamicSizes` receives the `index` values of the latter.
  RankedTensorType typeFromDims(llvm::ArrayRef<SymInt> dims, Type elementType,
                                SmallVectorImpl<Value> &dynamicSizes);

  /// `transformer.reshape` of `x` to `dims` (`x` itself when its type is
  /// already that static shape); records the result's dynamic dims.
  Value reshape(Value x, llvm::ArrayRef<SymInt> dims);

  /// Normalizes `axis` into [0, rank); reports an error naming `what`.
  FailureOr<int64_t> normalizeAxis(int64_t axis, int64_t rank,
                                   llvm::StringRef what);
};

/// Converter of one ONNX op: builds ops for the node and sets its outputs.
using ConvertFn = LogicalResult (*)(NodeImporter &);
/// Extra static check of a node (attribute values, output use); returns a
/// non-empty reason when the importer cannot handle it.
using CheckFn = std::string (*)(const pb::NodeProto &, int64_t opset);

/// One supported ONNX op.
struct OpSpec {
  /// Domain ("" for the default ai.onnx domain) and op type.
  const char *domain;
  const char *opType;
  /// Opset versions of the domain this converter implements (inclusive).
  int64_t minOpset;
  int64_t maxOpset;
  /// Inputs: the first `minInputs` are required (non-empty), at most
  /// `maxInputs` (-1: any number). Outputs: at most `maxOutputs` (-1: any);
  /// every op has at least one.
  int minInputs;
  int maxInputs;
  int maxOutputs;
  /// Attributes the converter understands; any other is reported.
  std::vector<const char *> attributes;
  ConvertFn convert;
  CheckFn check = nullptr;
};

/// All supported ops, keyed by "domain::op_type".
class OpTable {
public:
  void add(OpSpec spec);
  const OpSpec *lookup(llvm::StringRef domain, llvm::StringRef opType) const;
  /// Every registered op (for listings).
  std::vector<const OpSpec *> all() const;

private:
  llvm::StringMap<OpSpec> specs;
};

/// The op table, built once.
const OpTable &getOpTable();

// Registration of each op group (MathOps.cpp, ShapeOps.cpp, NNOps.cpp,
// QuantOps.cpp, MicrosoftOps.cpp, IndexingOps.cpp, Einsum.cpp).
void addMathOps(OpTable &table);
void addShapeOps(OpTable &table);
void addNNOps(OpTable &table);
void addQuantOps(OpTable &table);
void addMicrosoftOps(OpTable &table);
void addIndexingOps(OpTable &table);
void addEinsum(OpTable &table);

/// Imports one model graph into a function.
class GraphImporter {
public:
  GraphImporter(LoadedModel &model, MLIRContext *ctx,
                const ONNXImportOptions &options);

  /// Checks and imports the model; null after diagnostics on failure.
  OwningOpRef<ModuleOp> run();

  MLIRContext *getContext() const { return ctx; }
  OpBuilder &getBuilder() { return builder; }

  /// The entry for `name`, or null.
  ValueInfo *lookup(llvm::StringRef name);
  /// Materializes the value `info` (pending constant or symbolic ints).
  FailureOr<Value> materialize(ValueInfo &info, Location useLoc);
  /// Defines (or redefines) the ONNX value `name`.
  ValueInfo &define(llvm::StringRef name);

  /// An `index` constant, built once per function.
  Value indexConstant(int64_t value);
  /// `tensor.dim` of dynamic dim `d` of `v`, built once per (v, d), or the
  /// size recorded by setDims.
  Value dimValue(Value v, int64_t d, Location loc);
  /// Records the `index` values of the dynamic dims of `v` (the sizes given
  /// to the reshape/expand/generate that built it).
  void setDims(Value v, llvm::ArrayRef<SymInt> dims);

  /// The opset of `domain` imported by the model (0 when not imported).
  int64_t opsetOf(llvm::StringRef domain) const;

  /// Where external tensor data is read from.
  ExternalData &getExternalData() { return externalData; }

  const ONNXImportOptions &options;

private:
  /// Checks the graph before anything is built: every node supported, names
  /// defined before use and defined once. Reports every problem.
  LogicalResult checkGraph();
  /// Orders nodes topologically (ONNX requires it; some writers do not
  /// comply); reports cycles.
  LogicalResult orderNodes();
  LogicalResult importInputs(SmallVectorImpl<Type> &argTypes);
  LogicalResult importNodes();
  LogicalResult importOutputs();
  Location nodeLoc(int index);
  std::string nodeName(int index) const;

  LoadedModel &model;
  MLIRContext *ctx;
  const pb::GraphProto &graph;
  /// Appends to the function body; constants are built just before their
  /// first use (so unused weights never appear).
  OpBuilder builder;
  llvm::StringMap<ValueInfo> values;
  llvm::StringMap<int64_t> opsets;
  /// Graph node indices in import order.
  std::vector<int> order;
  ExternalData externalData;
  llvm::DenseMap<int64_t, Value> indexConstants;
  llvm::DenseMap<std::pair<Value, int64_t>, Value> dimValues;
  ModuleOp module;
  Operation *func = nullptr;
};

/// Builds `OpTy` through its ODS builder with placeholder result types, then
/// computes the result types with `inferReturnTypes` (whose errors are
/// reported at `loc`) instead of aborting as the inferring ODS builders do.
template <typename OpTy, typename... Args>
FailureOr<OpTy> createInferred(OpBuilder &builder, Location loc,
                               unsigned numResults, Args &&...args) {
  OperationState state(loc, OpTy::getOperationName());
  SmallVector<Type> placeholders(numResults, Type());
  OpTy::build(builder, state, TypeRange(placeholders),
              std::forward<Args>(args)...);
  state.types.clear();
  SmallVector<Type> types;
  if (failed(OpTy::inferReturnTypes(
          builder.getContext(), loc, state.operands,
          state.attributes.getDictionary(builder.getContext()),
          state.getRawProperties(), state.regions, types)))
    return failure();
  state.addTypes(types);
  return cast<OpTy>(builder.create(state));
}

} // namespace onnx_import
} // namespace llm
} // namespace mlir

#endif // LLM_LIB_IMPORT_ONNX_IMPORTERIMPL_H
