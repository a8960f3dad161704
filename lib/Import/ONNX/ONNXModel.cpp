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
// A binary model read from a file (importONNXFile) is parsed without copying
// its weights: protobuf would copy every raw_data into a std::string. The
// wire format is walked instead (ModelProto.graph = 7 ->
// GraphProto.initializer = 5 -> TensorProto.raw_data = 9), the model is
// re-encoded without the large raw_data fields (a few KB of metadata) and
// parsed, and the fields' spans in the memory-mapped file are handed to
// TensorData.cpp, whose resource blobs point into the mapping.
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

//===----------------------------------------------------------------------===//
// Zero-copy parse of binary models
//===----------------------------------------------------------------------===//

namespace {

/// Rewrites a binary ModelProto without the raw_data fields of its large
/// graph initializers, recording where those bytes are. Walks the protobuf
/// wire format; anything it does not expect (groups, two graphs, a tensor
/// with two raw_data fields, a truncated field) makes it give up, and the
/// caller parses the original bytes instead, which reports real errors.
class RawDataStripper {
public:
  /// raw_data fields shorter than this stay in the proto (shape constants
  /// and other small tensors are read while importing).
  static constexpr uint64_t kMinBytes = 4096;

  explicit RawDataStripper(llvm::StringRef file) : file(file) {}

  /// The stripped model, or nothing when the wire format is irregular.
  std::optional<std::string> run() {
    std::string out;
    int graphs = 0;
    if (!copyMessage(file, out, [&](uint64_t field, llvm::StringRef body,
                                    std::string &dst) {
          if (field != 7)
            return Keep;
          if (++graphs > 1)
            return Fail;
          return rewriteNested(body, dst, 7, [&](llvm::StringRef g,
                                                 std::string &gout) {
            return rewriteGraph(g, gout);
          });
        }))
      return std::nullopt;
    return out;
  }

  /// (initializer index, raw_data bytes) of every stripped tensor.
  std::vector<std::pair<int, llvm::ArrayRef<char>>> spans;

private:
  enum Action { Keep, Done, Fail };
  using FieldFn =
      llvm::function_ref<Action(uint64_t, llvm::StringRef, std::string &)>;

  static bool readVarint(llvm::StringRef &in, uint64_t &value) {
    value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (in.empty())
        return false;
      uint8_t byte = static_cast<uint8_t>(in.front());
      in = in.drop_front();
      value |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if (!(byte & 0x80))
        return true;
    }
    return false;
  }

  static void writeVarint(uint64_t value, std::string &out) {
    do {
      uint8_t byte = value & 0x7F;
      value >>= 7;
      out.push_back(static_cast<char>(value ? byte | 0x80 : byte));
    } while (value);
  }

  /// Copies the fields of the message `in` to `out`; `onLengthDelimited`
  /// sees each length-delimited field first and either keeps it (copied
  /// as is), has written it itself, or fails the walk.
  static bool copyMessage(llvm::StringRef in, std::string &out,
                          FieldFn onLengthDelimited) {
    while (!in.empty()) {
      llvm::StringRef start = in;
      uint64_t tag;
      if (!readVarint(in, tag) || (tag >> 3) == 0)
        return false;
      uint64_t field = tag >> 3;
      switch (tag & 7) {
      case 0: { // varint
        uint64_t v;
        if (!readVarint(in, v))
          return false;
        break;
      }
      case 1: // fixed64
        if (in.size() < 8)
          return false;
        in = in.drop_front(8);
        break;
      case 5: // fixed32
        if (in.size() < 4)
          return false;
        in = in.drop_front(4);
        break;
      case 2: { // length-delimited
        uint64_t len;
        if (!readVarint(in, len) || len > in.size())
          return false;
        llvm::StringRef body = in.take_front(len);
        in = in.drop_front(len);
        Action action = onLengthDelimited(field, body, out);
        if (action == Fail)
          return false;
        if (action == Done)
          continue;
        break;
      }
      default: // groups (3, 4) and invalid wire types
        return false;
      }
      out.append(start.data(), in.data() - start.data());
    }
    return true;
  }

  /// Writes field `field` holding the rewritten message `body`.
  static Action rewriteNested(
      llvm::StringRef body, std::string &out, uint64_t field,
      llvm::function_ref<bool(llvm::StringRef, std::string &)> rewrite) {
    std::string nested;
    if (!rewrite(body, nested))
      return Fail;
    writeVarint(field << 3 | 2, out);
    writeVarint(nested.size(), out);
    out += nested;
    return Done;
  }

  bool rewriteGraph(llvm::StringRef graph, std::string &out) {
    int initializer = 0;
    return copyMessage(graph, out, [&](uint64_t field, llvm::StringRef body,
                                       std::string &dst) {
      if (field != 5)
        return Keep;
      int index = initializer++;
      return rewriteNested(body, dst, 5, [&](llvm::StringRef t,
                                             std::string &tout) {
        return rewriteTensor(t, tout, index);
      });
    });
  }

  bool rewriteTensor(llvm::StringRef tensor, std::string &out, int index) {
    int rawFields = 0;
    bool ok = copyMessage(tensor, out, [&](uint64_t field,
                                           llvm::StringRef body,
                                           std::string &) {
      if (field != 9)
        return Keep;
      if (++rawFields > 1)
        return Fail;
      if (body.size() < kMinBytes)
        return Keep;
      spans.push_back({index, llvm::ArrayRef<char>(body.data(), body.size())});
      return Done;
    });
    return ok;
  }

  llvm::StringRef file;
};

} // namespace

std::unique_ptr<LoadedModel>
mlir::llm::onnx_import::loadModel(llvm::MemoryBufferRef buffer,
                                  MLIRContext *ctx,
                                  ONNXImportOptions::Format format,
                                  std::shared_ptr<llvm::MemoryBuffer> mapping) {
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
    // With the file mapped, parse a copy without the weights' bytes.
    bool parsed = false;
    if (mapping) {
      RawDataStripper stripper(buffer.getBuffer());
      if (std::optional<std::string> stripped = stripper.run())
        if (model->proto.ParseFromString(*stripped)) {
          const pb::GraphProto &graph = model->proto.graph();
          parsed = llvm::all_of(stripper.spans, [&](const auto &span) {
            return span.first < graph.initializer_size() &&
                   !graph.initializer(span.first).has_raw_data();
          });
          if (parsed) {
            model->mapping = std::move(mapping);
            model->mappedRawData = std::move(stripper.spans);
          } else {
            model->proto.Clear();
          }
        }
    }
    if (!parsed &&
        !model->proto.ParseFromArray(buffer.getBufferStart(),
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
