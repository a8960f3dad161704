//===- ONNXModel.cpp - parse ONNX protobuf files ---------------------------===//
//
// Turns a buffer into an `llm_onnx::ModelProto`: binary protobuf (.onnx) or
// protobuf text format (.onnxtxt). Parse errors are reported through MLIR
// diagnostics (text: at the failing line:column; binary: what was expected),
// never through protobuf's logging, and a failed parse returns null.
//
// For text input the parser records where each field is, so the importer's
// diagnostics can point at the line of the offending node in the .onnxtxt
// file (this is what lets lit tests use -verify-diagnostics on models).
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/stubs/logging.h>

#include <climits>

using namespace mlir;
using namespace mlir::llm;
using namespace mlir::llm::onnx_import;

namespace {

/// Forwards text-format parse errors to MLIR diagnostics at line:column.
class TextErrorCollector : public google::protobuf::io::ErrorCollector {
public:
  TextErrorCollector(MLIRContext *ctx, StringRef fileName)
      : ctx(ctx), fileName(fileName) {}

  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string &message) override {
    ++numErrors;
    mlir::emitError(loc(line, column))
        << "invalid ONNX text format: " << message;
  }
  void AddWarning(int line, google::protobuf::io::ColumnNumber column,
                  const std::string &message) override {
    mlir::emitWarning(loc(line, column)) << "ONNX text format: " << message;
  }

  int numErrors = 0;

private:
  Location loc(int line, int column) {
    // Protobuf counts from 0 (line -1 when the error is at the end).
    unsigned l = line < 0 ? 0 : static_cast<unsigned>(line) + 1;
    unsigned c = column < 0 ? 0 : static_cast<unsigned>(column) + 1;
    return FileLineColLoc::get(ctx, fileName, l, c);
  }
  MLIRContext *ctx;
  StringRef fileName;
};

/// Silences protobuf's own logging while parsing untrusted input: every
/// problem is reported through MLIR diagnostics instead.
class ProtobufLogSilencer {
public:
  ProtobufLogSilencer()
      : previous(google::protobuf::SetLogHandler(
            [](google::protobuf::LogLevel, const char *, int,
               const std::string &) {})) {}
  ~ProtobufLogSilencer() { google::protobuf::SetLogHandler(previous); }

private:
  google::protobuf::LogHandler *previous;
};

bool isTextFileName(StringRef name) {
  StringRef ext = llvm::sys::path::extension(name);
  return ext == ".onnxtxt" || ext == ".pbtxt" || ext == ".textproto" ||
         ext == ".txt";
}

} // namespace

Location LoadedModel::fileLoc(MLIRContext *ctx) const {
  return FileLineColLoc::get(ctx, fileName, 0, 0);
}

Location LoadedModel::graphLoc(MLIRContext *ctx) const {
  if (!parseInfo)
    return fileLoc(ctx);
  const auto *field = pb::ModelProto::descriptor()->FindFieldByName("graph");
  auto pos = parseInfo->GetLocation(field, -1);
  if (pos.line < 0)
    return fileLoc(ctx);
  return FileLineColLoc::get(ctx, fileName, pos.line + 1, pos.column + 1);
}

Location LoadedModel::graphFieldLoc(MLIRContext *ctx, const char *fieldName,
                                    int index) const {
  if (!parseInfo)
    return fileLoc(ctx);
  const auto *graphField =
      pb::ModelProto::descriptor()->FindFieldByName("graph");
  const auto *graphTree = parseInfo->GetTreeForNested(graphField, -1);
  const auto *field = pb::GraphProto::descriptor()->FindFieldByName(fieldName);
  if (!graphTree || !field)
    return fileLoc(ctx);
  auto pos = graphTree->GetLocation(field, index);
  if (pos.line < 0)
    return fileLoc(ctx);
  return FileLineColLoc::get(ctx, fileName, pos.line + 1, pos.column + 1);
}

std::unique_ptr<LoadedModel>
mlir::llm::onnx_import::loadModel(llvm::MemoryBufferRef buffer,
                                  MLIRContext *ctx,
                                  ONNXImportOptions::Format format) {
  auto model = std::make_unique<LoadedModel>();
  model->fileName = buffer.getBufferIdentifier().str();
  bool text = format == ONNXImportOptions::Format::Text ||
              (format == ONNXImportOptions::Format::Auto &&
               isTextFileName(model->fileName));
  model->isText = text;
  Location fileLoc = model->fileLoc(ctx);
  ProtobufLogSilencer silencer;

  if (text) {
    if (buffer.getBufferSize() > static_cast<size_t>(INT_MAX)) {
      mlir::emitError(fileLoc)
          << "ONNX text file is larger than 2 GiB; use a binary model";
      return nullptr;
    }
    google::protobuf::io::ArrayInputStream stream(
        buffer.getBufferStart(), static_cast<int>(buffer.getBufferSize()));
    google::protobuf::TextFormat::Parser parser;
    TextErrorCollector errors(ctx, buffer.getBufferIdentifier());
    model->parseInfo =
        std::make_unique<google::protobuf::TextFormat::ParseInfoTree>();
    parser.RecordErrorsTo(&errors);
    parser.WriteLocationsTo(model->parseInfo.get());
    if (!parser.Parse(&stream, &model->proto) || errors.numErrors) {
      if (!errors.numErrors)
        mlir::emitError(fileLoc) << "invalid ONNX text format";
      return nullptr;
    }
  } else {
    if (buffer.getBufferSize() > static_cast<size_t>(INT_MAX)) {
      mlir::emitError(fileLoc)
          << "ONNX protobuf is larger than 2 GiB (" << buffer.getBufferSize()
          << " bytes); models this large must keep their weights as "
             "external data";
      return nullptr;
    }
    if (!model->proto.ParseFromArray(buffer.getBufferStart(),
                                     static_cast<int>(buffer.getBufferSize()))) {
      auto diag = mlir::emitError(fileLoc)
                  << "cannot parse the file as a binary ONNX model: the "
                     "protobuf is corrupt or truncated ("
                  << buffer.getBufferSize() << " bytes)";
      StringRef head = buffer.getBuffer().take_front(64);
      if (llvm::all_of(head, [](char c) {
            return llvm::isPrint(c) || llvm::isSpace(c);
          }) &&
          !head.empty())
        diag.attachNote() << "the file looks like text: name it .onnxtxt to "
                             "read the protobuf text format";
      return nullptr;
    }
  }

  if (!model->proto.has_graph()) {
    mlir::emitError(fileLoc) << "the ONNX model has no graph";
    return nullptr;
  }
  return model;
}
