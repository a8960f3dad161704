//===- ONNXImporter.h - ONNX models into the transformer dialect -*- C++ -*-===//
//
// The ONNX importer: reads an ONNX model (binary protobuf `.onnx`, or the
// protobuf text format `.onnxtxt` that lit tests are written in) and builds
// a `builtin.module` holding one `func.func` whose arguments are the graph
// inputs and whose results are the graph outputs, with the graph's nodes as
// `transformer` ops (plus `tensor.dim` / `arith` index arithmetic where
// shapes are dynamic).
//
// Contract:
//  - Every problem is reported through the MLIRContext's diagnostic handler
//    and the result is null; nothing aborts on bad input. Before any op is
//    built, the whole graph is checked and *every* unsupported (domain,
//    op_type, opset) or attribute is reported at once, each naming its node.
//  - Every op's location is
//      NameLoc("<node name>", FusedLoc<"<domain>.<op_type>">[FileLineColLoc])
//    i.e. `loc("/h.0/attn/MatMul"(fused<"onnx.MatMul">["m.onnx":0:0]))`: the
//    node name, the ONNX op type (domain `onnx` for the default domain), and
//    the file; for text input the line:column of the node in the file, for
//    binary input 0:0. Initializers get NameLoc("<initializer name>", file).
//  - Initializers and Constant nodes become `transformer.constant`: tensors
//    with more than `inlineElementsLimit` elements as `dense_resource<...>`
//    (raw_data is moved into the blob, not copied, where its alignment
//    allows; external data is memory-mapped and referenced in place), smaller
//    ones and booleans as `dense<...>`.
//  - Shape subgraphs (Shape -> Gather -> Unsqueeze -> Concat -> Reshape and
//    the like) are evaluated at import time on symbolic integers: static
//    where the dims are static, `tensor.dim` + `arith` index values where
//    they are not. No op is emitted for them unless a non-shape op consumes
//    their values.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_IMPORT_ONNXIMPORTER_H
#define LLM_IMPORT_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace llvm {
class MemoryBufferRef;
class raw_ostream;
} // namespace llvm

namespace mlir {
class DialectRegistry;
class MLIRContext;
namespace llm {

/// Options of the ONNX importer.
struct ONNXImportOptions {
  /// How the input is encoded.
  enum class Format {
    /// From the buffer's name: `.onnxtxt`, `.pbtxt`, `.textproto` and `.txt`
    /// are text, anything else binary.
    Auto,
    /// Binary protobuf (`.onnx`).
    Binary,
    /// Protobuf text format (`.onnxtxt`).
    Text,
  };
  Format format = Format::Auto;
  /// Name of the function that holds the graph.
  std::string functionName = "main";
  /// Constants with at most this many elements are imported as `dense<...>`
  /// (readable, foldable); larger ones as `dense_resource<...>`.
  int64_t inlineElementsLimit = 16;
  /// Directory of the files that tensors with external data name; empty: the
  /// directory of the model file (the buffer's name). Files outside it are
  /// never read.
  std::string externalDataDir;
  /// Shapes of graph inputs, by name, that replace the declared ones: each
  /// must have the declared rank and agree with its static dims (dynamic
  /// dims take the given size). The import is then specialised to these
  /// shapes (llm-run --target=npu runs dynamic models this way). Inputs not
  /// named keep their declared shapes.
  std::map<std::string, std::vector<int64_t>> inputShapes;
};

/// Dialects the importer creates ops of (transformer, func, arith, tensor).
/// Load them into the context (or its registry) before importing.
void registerONNXImporterDialects(DialectRegistry &registry);

/// Imports the ONNX model held in `buffer`; the buffer's identifier is the
/// file name used in locations. Returns null after reporting diagnostics on
/// failure. The buffer only needs to live during the call.
OwningOpRef<ModuleOp> importONNX(llvm::MemoryBufferRef buffer,
                                 MLIRContext *context,
                                 const ONNXImportOptions &options = {});

/// Reads and imports the ONNX model at `path` (see importONNX); a file that
/// cannot be read is reported as an error.
OwningOpRef<ModuleOp> importONNXFile(llvm::StringRef path,
                                     MLIRContext *context,
                                     const ONNXImportOptions &options = {});

/// Whether `path` names an ONNX model by its suffix (`.onnx`, `.onnxtxt`).
bool isONNXFileName(llvm::StringRef path);

/// Prints a short report of a module: per function its inputs and outputs,
/// then op counts by op name and the parameters (elements and bytes held by
/// `transformer.constant` ops).
void printModelSummary(ModuleOp module, llvm::raw_ostream &os);

} // namespace llm
} // namespace mlir

#endif // LLM_IMPORT_ONNXIMPORTER_H
