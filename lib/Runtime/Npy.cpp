//===- Npy.cpp - numpy .npy files ----------------------------------------===//
//
// Reads and writes numpy's .npy format: the magic "\x93NUMPY", a version,
// a little-endian header length (2 bytes in 1.0, 4 bytes in 2.0/3.0) and a
// Python dict literal {'descr': '<f4', 'fortran_order': False,
// 'shape': (2, 3), } padded so the data starts 64-byte aligned, then the
// raw elements. Big-endian and object dtypes are rejected with a message.
//
//===----------------------------------------------------------------------===//

#include "llm/Runtime/TensorIO.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace mlir;
using namespace mlir::llm;

static llvm::Error npyError(llvm::StringRef fileName, const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 fileName + ": " + msg);
}

/// The numpy descr of a dtype ('<f4', '|b1', ...).
static const char *getNpyDescr(DType dtype) {
  switch (dtype) {
  case DType::F16:
    return "<f2";
  case DType::BF16:
    return "<u2";
  case DType::F32:
    return "<f4";
  case DType::F64:
    return "<f8";
  case DType::I8:
    return "|i1";
  case DType::I16:
    return "<i2";
  case DType::I32:
    return "<i4";
  case DType::I64:
    return "<i8";
  case DType::U8:
    return "|u1";
  case DType::U16:
    return "<u2";
  case DType::U32:
    return "<u4";
  case DType::U64:
    return "<u8";
  case DType::Bool:
    return "|b1";
  }
  return "";
}

/// Parses a numpy descr; std::nullopt if unsupported.
static std::optional<DType> parseNpyDescr(llvm::StringRef descr) {
  if (descr.size() < 3)
    return std::nullopt;
  char order = descr[0];
  llvm::StringRef kind = descr.drop_front();
  bool singleByte = kind == "i1" || kind == "u1" || kind == "b1";
  if (order != '<' && order != '|' && !(order == '>' && singleByte) &&
      order != '=')
    return std::nullopt;
  return llvm::StringSwitch<std::optional<DType>>(kind)
      .Case("f2", DType::F16)
      .Case("f4", DType::F32)
      .Case("f8", DType::F64)
      .Case("i1", DType::I8)
      .Case("i2", DType::I16)
      .Case("i4", DType::I32)
      .Case("i8", DType::I64)
      .Case("u1", DType::U8)
      .Case("u2", DType::U16)
      .Case("u4", DType::U32)
      .Case("u8", DType::U64)
      .Case("b1", DType::Bool)
      .Default(std::nullopt);
}

/// Finds `'key':` in the header dict and returns the text after it.
static std::optional<llvm::StringRef> findKey(llvm::StringRef header,
                                              llvm::StringRef key) {
  for (char quote : {'\'', '"'}) {
    std::string pattern = (llvm::Twine(quote) + key + llvm::Twine(quote)).str();
    size_t pos = header.find(pattern);
    if (pos == llvm::StringRef::npos)
      continue;
    llvm::StringRef rest = header.drop_front(pos + pattern.size()).ltrim();
    if (!rest.consume_front(":"))
      return std::nullopt;
    return rest.ltrim();
  }
  return std::nullopt;
}

llvm::Expected<Tensor> llm::parseNpy(llvm::StringRef bytes,
                                     llvm::StringRef fileName) {
  if (!bytes.starts_with("\x93NUMPY") || bytes.size() < 10)
    return npyError(fileName, "not a .npy file (no \\x93NUMPY magic)");
  uint8_t major = static_cast<uint8_t>(bytes[6]);
  size_t headerLen, headerStart;
  if (major == 1) {
    headerLen = static_cast<uint8_t>(bytes[8]) |
                (static_cast<size_t>(static_cast<uint8_t>(bytes[9])) << 8);
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return npyError(fileName, "truncated .npy header");
    headerLen = 0;
    for (int i = 3; i >= 0; --i)
      headerLen = (headerLen << 8) | static_cast<uint8_t>(bytes[8 + i]);
    headerStart = 12;
  } else {
    return npyError(fileName, "unsupported .npy version " +
                                  llvm::Twine(static_cast<int>(major)));
  }
  if (headerStart + headerLen > bytes.size())
    return npyError(fileName, "truncated .npy header");
  llvm::StringRef header = bytes.substr(headerStart, headerLen);

  // 'descr': '<f4'
  auto descrText = findKey(header, "descr");
  if (!descrText || descrText->empty() ||
      ((*descrText)[0] != '\'' && (*descrText)[0] != '"'))
    return npyError(fileName, "malformed .npy header (no 'descr'): " + header);
  char quote = (*descrText)[0];
  llvm::StringRef descr = descrText->drop_front();
  descr = descr.take_until([quote](char c) { return c == quote; });
  std::optional<DType> dtype = parseNpyDescr(descr);
  if (!dtype)
    return npyError(fileName,
                    "unsupported numpy dtype '" + descr +
                        "' (supported: little-endian bool, int8-64, "
                        "uint8-64, float16/32/64)");

  // 'fortran_order': False
  auto fortranText = findKey(header, "fortran_order");
  if (!fortranText)
    return npyError(fileName, "malformed .npy header (no 'fortran_order')");
  bool fortranOrder = fortranText->starts_with("True");

  // 'shape': (2, 3) / () / (5,)
  auto shapeText = findKey(header, "shape");
  if (!shapeText || !shapeText->starts_with("("))
    return npyError(fileName, "malformed .npy header (no 'shape')");
  llvm::StringRef dims = shapeText->drop_front().take_until(
      [](char c) { return c == ')'; });
  std::vector<int64_t> shape;
  llvm::SmallVector<llvm::StringRef> pieces;
  dims.split(pieces, ',');
  for (llvm::StringRef piece : pieces) {
    piece = piece.trim();
    if (piece.empty())
      continue;
    int64_t dim;
    if (piece.getAsInteger(10, dim) || dim < 0)
      return npyError(fileName, "malformed .npy shape '(" + dims + ")'");
    shape.push_back(dim);
  }

  Tensor tensor(*dtype, shape);
  size_t dataStart = headerStart + headerLen;
  if (bytes.size() - dataStart < tensor.getByteSize())
    return npyError(fileName, "has " + llvm::Twine(bytes.size() - dataStart) +
                                  " data bytes, but " + tensor.describe() +
                                  " needs " +
                                  llvm::Twine(tensor.getByteSize()));
  const char *src = bytes.data() + dataStart;
  if (!fortranOrder || shape.size() < 2) {
    std::memcpy(tensor.data(), src, tensor.getByteSize());
    return std::move(tensor);
  }
  // Fortran order: element (i0, ..., in) is at sum(i_k * prod(d_0..d_k-1)).
  size_t elemSize = getDTypeSize(*dtype);
  int64_t n = tensor.getNumElements();
  std::vector<int64_t> index(shape.size(), 0);
  auto *dst = static_cast<char *>(tensor.data());
  for (int64_t linear = 0; linear < n; ++linear) {
    int64_t offset = 0, stride = 1;
    for (size_t k = 0; k < shape.size(); ++k) {
      offset += index[k] * stride;
      stride *= shape[k];
    }
    std::memcpy(dst + linear * elemSize, src + offset * elemSize, elemSize);
    for (int64_t k = static_cast<int64_t>(shape.size()) - 1; k >= 0; --k) {
      if (++index[k] < shape[k])
        break;
      index[k] = 0;
    }
  }
  return std::move(tensor);
}

std::string llm::serializeNpy(const Tensor &tensor) {
  std::string header = "{'descr': '";
  header += getNpyDescr(tensor.getDType());
  header += "', 'fortran_order': False, 'shape': (";
  // Python tuple syntax: "()", "(5,)", "(2, 3)".
  llvm::ArrayRef<int64_t> shape = tensor.getShape();
  for (size_t i = 0; i < shape.size(); ++i)
    header += (i ? ", " : "") + std::to_string(shape[i]);
  header += shape.size() == 1 ? ",)" : ")";
  header += ", }";
  // Pad with spaces and a newline so the data starts 64-byte aligned.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';

  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>((header.size() >> 8) & 0xff);
  out += header;
  out.append(static_cast<const char *>(tensor.data()), tensor.getByteSize());
  return out;
}

llvm::Expected<NamedTensor> llm::readTensorFile(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return llvm::createStringError(buffer.getError(),
                                   "cannot read tensor file '" + path +
                                       "': " + buffer.getError().message());
  llvm::StringRef bytes = (*buffer)->getBuffer();
  if (llvm::sys::path::extension(path) == ".npy") {
    auto tensor = parseNpy(bytes, path);
    if (!tensor)
      return tensor.takeError();
    return NamedTensor{"", std::move(*tensor)};
  }
  return parseTensorProto(bytes, path);
}

llvm::Error llm::writeTensorFile(llvm::StringRef path, const Tensor &tensor,
                                 llvm::StringRef name) {
  std::string bytes = llvm::sys::path::extension(path) == ".npy"
                          ? serializeNpy(tensor)
                          : serializeTensorProto(tensor, name);
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return llvm::createStringError(ec, "cannot write '" + path +
                                           "': " + ec.message());
  os << bytes;
  os.close();
  if (os.has_error())
    return llvm::createStringError(os.error(), "cannot write '" + path +
                                                   "': " +
                                                   os.error().message());
  return llvm::Error::success();
}
