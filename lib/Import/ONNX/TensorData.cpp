//===- TensorData.cpp - ONNX TensorProto contents to MLIR attributes -------===//
//
// Converts ONNX tensors (initializers, Constant values) to ElementsAttr:
// data types to MLIR element types, dims to a checked tensor type, and the
// data, from raw_data (little-endian bytes) or from the typed repeated fields
// (float_data, int32_data, ...), to `dense<...>` for small tensors or
// `dense_resource<...>` blobs for weights. Every size is checked against the
// dims before a byte is read, so corrupt tensors give a diagnostic rather than
// an out-of-bounds read or a huge allocation. raw_data is moved into the
// resource blob (no copy) when its alignment allows; external data files
// (only inside the model's directory) are memory-mapped and the blob points
// into the mapping, which it keeps alive. So does the raw_data of a binary
// model's large initializers when the model was read from a file: it stays
// in the mapped file (loadModel leaves it out of the proto). Misaligned
// mapped data is copied once, aligned, and its pages are released from the
// resident set (madvise), so the import holds each weight byte once.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

#include <cstring>

#if defined(__unix__)
#include <sys/mman.h>
#endif

using namespace mlir;
using namespace mlir::llm;
using namespace mlir::llm::onnx_import;

Type mlir::llm::onnx_import::convertDataType(MLIRContext *ctx,
                                             int64_t dataType) {
  Builder b(ctx);
  auto unsignedType = [&](unsigned width) {
    return IntegerType::get(ctx, width, IntegerType::Unsigned);
  };
  switch (dataType) {
  case pb::TensorProto::FLOAT:
    return b.getF32Type();
  case pb::TensorProto::UINT8:
    return unsignedType(8);
  case pb::TensorProto::INT8:
    return b.getIntegerType(8);
  case pb::TensorProto::UINT16:
    return unsignedType(16);
  case pb::TensorProto::INT16:
    return b.getIntegerType(16);
  case pb::TensorProto::INT32:
    return b.getIntegerType(32);
  case pb::TensorProto::INT64:
    return b.getIntegerType(64);
  case pb::TensorProto::BOOL:
    return b.getI1Type();
  case pb::TensorProto::FLOAT16:
    return b.getF16Type();
  case pb::TensorProto::DOUBLE:
    return b.getF64Type();
  case pb::TensorProto::UINT32:
    return unsignedType(32);
  case pb::TensorProto::UINT64:
    return unsignedType(64);
  case pb::TensorProto::BFLOAT16:
    return b.getBF16Type();
  case pb::TensorProto::UINT4:
    return unsignedType(4);
  case pb::TensorProto::INT4:
    return b.getIntegerType(4);
  default:
    // STRING, COMPLEX*, FLOAT8*, FLOAT4: not supported yet.
    return Type();
  }
}

bool mlir::llm::onnx_import::isSupportedDataType(int64_t dataType) {
  switch (dataType) {
  case pb::TensorProto::FLOAT:
  case pb::TensorProto::UINT8:
  case pb::TensorProto::INT8:
  case pb::TensorProto::UINT16:
  case pb::TensorProto::INT16:
  case pb::TensorProto::INT32:
  case pb::TensorProto::INT64:
  case pb::TensorProto::BOOL:
  case pb::TensorProto::FLOAT16:
  case pb::TensorProto::DOUBLE:
  case pb::TensorProto::UINT32:
  case pb::TensorProto::UINT64:
  case pb::TensorProto::BFLOAT16:
  case pb::TensorProto::UINT4:
  case pb::TensorProto::INT4:
    return true;
  default:
    return false;
  }
}

std::string mlir::llm::onnx_import::dataTypeName(int64_t dataType) {
  if (dataType >= INT32_MIN && dataType <= INT32_MAX &&
      pb::TensorProto::DataType_IsValid(static_cast<int>(dataType)))
    return pb::TensorProto::DataType_Name(
        static_cast<pb::TensorProto::DataType>(dataType));
  return "data type " + std::to_string(dataType);
}

FailureOr<RankedTensorType> mlir::llm::onnx_import::tensorTypeOf(
    const pb::TensorProto &tensor, MLIRContext *ctx,
    llvm::function_ref<InFlightDiagnostic()> emitError) {
  Type elementType = convertDataType(ctx, tensor.data_type());
  if (!elementType) {
    if (!tensor.has_data_type() ||
        tensor.data_type() == pb::TensorProto::UNDEFINED)
      return emitError() << "tensor has no data type";
    return emitError() << "tensor of unsupported data type "
                       << dataTypeName(tensor.data_type());
  }
  SmallVector<int64_t> dims;
  int64_t numElements = 1;
  for (int64_t d : tensor.dims()) {
    if (d < 0)
      return emitError() << "tensor has a negative dim (" << d << ")";
    if (llvm::MulOverflow(numElements, d, numElements) ||
        numElements > (int64_t(1) << 47))
      return emitError() << "tensor has too many elements (dims overflow)";
    dims.push_back(d);
  }
  return RankedTensorType::get(dims, elementType);
}

namespace {

/// Bytes per element in raw_data (i1 takes a byte).
int64_t rawElementBytes(Type elementType) {
  return std::max<int64_t>(1, elementType.getIntOrFloatBitWidth() / 8);
}

/// Copies a typed repeated field into little-endian bytes of `bytes` each.
template <typename Field>
void packField(const Field &field, int64_t bytes, std::string &out) {
  out.resize(field.size() * bytes);
  char *dst = out.data();
  for (auto v : field) {
    uint64_t bits;
    if constexpr (std::is_same_v<std::decay_t<decltype(v)>, float>) {
      uint32_t u;
      std::memcpy(&u, &v, 4);
      bits = u;
    } else if constexpr (std::is_same_v<std::decay_t<decltype(v)>, double>) {
      std::memcpy(&bits, &v, 8);
    } else {
      bits = static_cast<uint64_t>(v);
    }
    // Little-endian host (x86-64, AArch64): the low `bytes` bytes.
    std::memcpy(dst, &bits, bytes);
    dst += bytes;
  }
}

} // namespace

FailureOr<ArrayRef<char>>
ExternalData::read(StringRef location, int64_t offset, int64_t length,
                   llvm::function_ref<InFlightDiagnostic()> emitError,
                   std::shared_ptr<llvm::MemoryBuffer> &owner) {
  namespace fs = llvm::sys::fs;
  namespace path = llvm::sys::path;
  if (location.empty())
    return emitError() << "external data has no location";
  if (path::is_absolute(location) || path::has_root_name(location))
    return emitError() << "external data location '" << location
                       << "' is an absolute path; it must be relative to "
                          "the model's directory";
  SmallString<256> relative(location);
  path::remove_dots(relative, /*remove_dot_dot=*/true);
  if (relative.empty() || relative == ".." || relative.starts_with("../"))
    return emitError() << "external data location '" << location
                       << "' is outside the model's directory";
  SmallString<256> full(baseDir);
  path::append(full, relative);
  // Symbolic links must not lead outside either.
  SmallString<256> realBase, realFile;
  if (fs::real_path(baseDir, realBase) || fs::real_path(full, realFile))
    return emitError() << "cannot open external data file '" << full << "'";
  if (!StringRef(realFile).starts_with(realBase) ||
      (realFile.size() > realBase.size() &&
       !path::is_separator(realFile[realBase.size()])))
    return emitError() << "external data file '" << location
                       << "' resolves outside the model's directory";

  std::shared_ptr<llvm::MemoryBuffer> &file = files[realFile];
  if (!file) {
    auto buffer = llvm::MemoryBuffer::getFile(realFile, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false,
                                              /*IsVolatile=*/false);
    if (std::error_code ec = buffer.getError())
      return emitError() << "cannot read external data file '" << full
                         << "': " << ec.message();
    file = std::move(*buffer);
  }
  int64_t size = file->getBufferSize();
  if (length < 0)
    length = size - offset;
  int64_t end;
  if (offset < 0 || length < 0 || llvm::AddOverflow(offset, length, end) ||
      end > size)
    return emitError() << "external data [" << offset << ", " << offset
                       << " + " << length << ") is outside '" << location
                       << "' (" << size << " bytes)";
  owner = file;
  return ArrayRef<char>(file->getBufferStart() + offset, length);
}

/// Reads the external_data key/value pairs of `tensor`.
static LogicalResult
externalLocation(const pb::TensorProto &tensor, std::string &location,
                 int64_t &offset, int64_t &length,
                 llvm::function_ref<InFlightDiagnostic()> emitError) {
  offset = 0;
  length = -1;
  for (const pb::StringStringEntryProto &kv : tensor.external_data()) {
    if (kv.key() == "location") {
      location = kv.value();
    } else if (kv.key() == "offset" || kv.key() == "length") {
      int64_t v;
      if (StringRef(kv.value()).getAsInteger(10, v) || v < 0)
        return emitError() << "external data " << kv.key() << " '"
                           << kv.value() << "' is not a non-negative integer";
      (kv.key() == "offset" ? offset : length) = v;
    }
    // "checksum" and unknown keys are ignored.
  }
  return success();
}

/// Drops the pages holding `bytes` (inside the memory-mapped `owner`) from
/// the process's resident set after they have been copied. The mapping is
/// private, read-only and file-backed, so a later access (also to other
/// data sharing an edge page) reads the file again: this only saves memory.
/// Buffers that are not mappings (read into the heap) are left alone.
static void releaseMappedPages(ArrayRef<char> bytes,
                               const llvm::MemoryBuffer &owner) {
#if defined(__unix__)
  if (owner.getBufferKind() != llvm::MemoryBuffer::MemoryBuffer_MMap)
    return;
  uintptr_t page = llvm::sys::Process::getPageSizeEstimate();
  uintptr_t begin =
      llvm::alignDown(reinterpret_cast<uintptr_t>(bytes.data()), page);
  uintptr_t end = llvm::alignTo(
      reinterpret_cast<uintptr_t>(bytes.data()) + bytes.size(), page);
  if (begin < end)
    ::madvise(reinterpret_cast<void *>(begin), end - begin, MADV_DONTNEED);
#endif
}

void ExternalData::addMapped(const pb::TensorProto *tensor,
                             ArrayRef<char> bytes,
                             std::shared_ptr<llvm::MemoryBuffer> owner) {
  mappedData[tensor] = bytes;
  mappedOwner = std::move(owner);
}

std::optional<std::pair<ArrayRef<char>, std::shared_ptr<llvm::MemoryBuffer>>>
ExternalData::mapped(const pb::TensorProto *tensor) const {
  auto it = mappedData.find(tensor);
  if (it == mappedData.end())
    return std::nullopt;
  return std::make_pair(it->second, mappedOwner);
}

FailureOr<ElementsAttr> mlir::llm::onnx_import::convertTensorData(
    pb::TensorProto &tensor, RankedTensorType type, int64_t inlineLimit,
    StringRef blobName, bool mayMove,
    llvm::function_ref<InFlightDiagnostic()> emitError,
    ExternalData *external) {
  // Data outside the proto message: external data (memory-mapped) or the
  // raw_data left in the memory-mapped model file; referenced in place when
  // aligned.
  std::shared_ptr<llvm::MemoryBuffer> externalOwner;
  std::optional<ArrayRef<char>> outside;
  bool inModelFile = false;
  if (tensor.data_location() == pb::TensorProto::EXTERNAL) {
    if (!external)
      return emitError() << "tensor data stored outside the model file "
                            "cannot be read here";
    std::string location;
    int64_t offset, length;
    if (failed(externalLocation(tensor, location, offset, length, emitError)))
      return failure();
    FailureOr<ArrayRef<char>> data =
        external->read(location, offset, length, emitError, externalOwner);
    if (failed(data))
      return failure();
    outside = *data;
  } else if (auto m = external ? external->mapped(&tensor) : std::nullopt) {
    outside = m->first;
    externalOwner = m->second;
    inModelFile = true;
  }
  std::string mappedCopy;
  if (outside) {
    ArrayRef<char> *data = &*outside;
    Type elementType = type.getElementType();
    int64_t expected =
        elementType.getIntOrFloatBitWidth() == 4
            ? (type.getNumElements() + 1) / 2
            : type.getNumElements() * rawElementBytes(elementType);
    if (static_cast<int64_t>(data->size()) != expected)
      return emitError() << "tensor of type " << type << " has "
                         << data->size() << " bytes of "
                         << (inModelFile ? "raw_data" : "external data")
                         << ", expected " << expected;
    size_t align = static_cast<size_t>(rawElementBytes(elementType));
    if (type.getNumElements() > inlineLimit && !elementType.isInteger(1) &&
        elementType.getIntOrFloatBitWidth() != 4) {
      AsmResourceBlob blob;
      if (reinterpret_cast<uintptr_t>(data->data()) % align == 0) {
        blob = AsmResourceBlob(
            *data, align, [owner = externalOwner](void *, size_t, size_t) {},
            /*dataIsMutable=*/false);
      } else {
        // Misaligned for the element type: one aligned copy, made in chunks
        // after each of which the mapped pages it read leave our resident
        // set, so the copy and the mapping are never both resident.
        constexpr size_t kChunk = size_t(8) << 20;
        blob = HeapAsmResourceBlob::allocate(data->size(), align);
        MutableArrayRef<char> copy = blob.getMutableData();
        for (size_t offset = 0; offset < data->size(); offset += kChunk) {
          ArrayRef<char> chunk = data->slice(
              offset, std::min(kChunk, data->size() - offset));
          std::memcpy(copy.data() + offset, chunk.data(), chunk.size());
          releaseMappedPages(chunk, *externalOwner);
        }
      }
      return cast<ElementsAttr>(
          DenseResourceElementsAttr::get(type, blobName, std::move(blob)));
    }
    // Small, boolean, 4-bit or misaligned: through the raw_data path (a
    // copy; the tensor itself keeps pointing to the mapped bytes).
    if (inModelFile) {
      mappedCopy.assign(data->data(), data->size());
    } else {
      tensor.set_raw_data(data->data(), data->size());
      tensor.clear_data_location();
      tensor.clear_external_data();
    }
  }
  if (tensor.segment().has_begin() || tensor.segment().has_end())
    return emitError() << "segmented tensors are not supported";

  Type elementType = type.getElementType();
  int64_t numElements = type.getNumElements();
  int64_t elementBytes = rawElementBytes(elementType);
  int64_t expectedBytes = numElements * elementBytes;
  bool is4Bit = elementType.getIntOrFloatBitWidth() == 4;
  if (is4Bit) // two per byte, element 2i in the low nibble of byte i
    expectedBytes = (numElements + 1) / 2;

  // The tensor's bytes: raw_data, or the typed field packed.
  std::string packed;
  const std::string *bytes = nullptr;
  if (inModelFile) {
    bytes = &mappedCopy;
  } else if (tensor.has_raw_data()) {
    bytes = &tensor.raw_data();
  } else {
    int32_t dt = tensor.data_type();
    int64_t count = -1;
    switch (dt) {
    case pb::TensorProto::FLOAT:
      count = tensor.float_data_size();
      packField(tensor.float_data(), 4, packed);
      break;
    case pb::TensorProto::DOUBLE:
      count = tensor.double_data_size();
      packField(tensor.double_data(), 8, packed);
      break;
    case pb::TensorProto::INT64:
      count = tensor.int64_data_size();
      packField(tensor.int64_data(), 8, packed);
      break;
    case pb::TensorProto::UINT32:
    case pb::TensorProto::UINT64:
      count = tensor.uint64_data_size();
      packField(tensor.uint64_data(), elementBytes, packed);
      break;
    default:
      // INT32, INT16, INT8, UINT16, UINT8, BOOL, FLOAT16 and BFLOAT16 (as
      // bit patterns) are stored in int32_data; 4-bit values as packed bytes.
      count = tensor.int32_data_size();
      packField(tensor.int32_data(), elementBytes, packed);
      if (is4Bit)
        count = std::min<int64_t>(count * 2, numElements);
      break;
    }
    if (count != numElements)
      return emitError() << "tensor of type " << type << " holds " << count
                         << " values in its " << dataTypeName(dt)
                         << " data field, expected " << numElements;
    bytes = &packed;
  }
  if (static_cast<int64_t>(bytes->size()) != expectedBytes)
    return emitError() << "tensor of type " << type << " has "
                       << bytes->size() << " bytes of raw_data, expected "
                       << expectedBytes;

  // 4-bit integers are held one per byte (see TransformerQuantOps.td):
  // unpack, sign-extending INT4.
  std::string unpacked;
  if (is4Bit) {
    bool isSigned = !elementType.isUnsignedInteger();
    unpacked.resize(numElements);
    for (int64_t i = 0; i < numElements; ++i) {
      uint8_t byte = static_cast<uint8_t>((*bytes)[i / 2]);
      uint8_t nibble = (i % 2) ? (byte >> 4) : (byte & 0xF);
      int8_t value = isSigned && (nibble & 0x8) ? int8_t(nibble | 0xF0)
                                                : int8_t(nibble);
      unpacked[i] = static_cast<char>(value);
    }
    bytes = &unpacked;
  }

  // Booleans and small tensors: dense<...>.
  if (elementType.isInteger(1)) {
    SmallVector<bool> values;
    values.reserve(numElements);
    for (char c : *bytes)
      values.push_back(c != 0);
    return cast<ElementsAttr>(DenseElementsAttr::get(type, values));
  }
  if (numElements <= inlineLimit) {
    ArrayRef<char> raw(bytes->data(), bytes->size());
    bool detectedSplat = false;
    if (!DenseElementsAttr::isValidRawBuffer(type, raw, detectedSplat))
      return emitError() << "invalid data for tensor of type " << type;
    return cast<ElementsAttr>(DenseElementsAttr::getFromRawBuffer(type, raw));
  }

  // Weights: a resource blob, taking over raw_data's storage when it is
  // suitably aligned, copied otherwise.
  size_t align = static_cast<size_t>(elementBytes);
  AsmResourceBlob blob;
  if (mayMove && bytes == &tensor.raw_data() &&
      reinterpret_cast<uintptr_t>(bytes->data()) % align == 0) {
    std::string *owned = tensor.release_raw_data();
    ArrayRef<char> data(owned->data(), owned->size());
    blob = AsmResourceBlob(
        data, align,
        [owned](void *, size_t, size_t) { delete owned; },
        /*dataIsMutable=*/true);
  } else {
    blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
        ArrayRef<char>(bytes->data(), bytes->size()), align);
  }
  return cast<ElementsAttr>(
      DenseResourceElementsAttr::get(type, blobName, std::move(blob)));
}

std::optional<SmallVector<int64_t>>
mlir::llm::onnx_import::readIntegers(const pb::TensorProto &tensor,
                                     int64_t maxElements) {
  if (tensor.data_location() == pb::TensorProto::EXTERNAL)
    return std::nullopt;
  int64_t numElements = 1;
  for (int64_t d : tensor.dims()) {
    if (d < 0 || llvm::MulOverflow(numElements, d, numElements) ||
        numElements > maxElements)
      return std::nullopt;
  }
  int64_t bytes = 0;
  bool isSigned = true;
  switch (tensor.data_type()) {
  case pb::TensorProto::INT64:
    bytes = 8;
    break;
  case pb::TensorProto::INT32:
    bytes = 4;
    break;
  case pb::TensorProto::INT16:
    bytes = 2;
    break;
  case pb::TensorProto::INT8:
    bytes = 1;
    break;
  case pb::TensorProto::UINT8:
  case pb::TensorProto::BOOL:
    bytes = 1;
    isSigned = false;
    break;
  case pb::TensorProto::UINT16:
    bytes = 2;
    isSigned = false;
    break;
  case pb::TensorProto::UINT32:
    bytes = 4;
    isSigned = false;
    break;
  default:
    return std::nullopt;
  }
  SmallVector<int64_t> result;
  if (tensor.has_raw_data()) {
    const std::string &raw = tensor.raw_data();
    if (static_cast<int64_t>(raw.size()) != numElements * bytes)
      return std::nullopt;
    for (int64_t i = 0; i < numElements; ++i) {
      uint64_t u = 0;
      std::memcpy(&u, raw.data() + i * bytes, bytes);
      int64_t v = static_cast<int64_t>(u);
      if (isSigned && bytes < 8)
        v = llvm::SignExtend64(u, bytes * 8);
      result.push_back(v);
    }
    return result;
  }
  if (tensor.data_type() == pb::TensorProto::INT64) {
    if (tensor.int64_data_size() != numElements)
      return std::nullopt;
    result.assign(tensor.int64_data().begin(), tensor.int64_data().end());
    return result;
  }
  if (tensor.data_type() == pb::TensorProto::UINT32) {
    if (tensor.uint64_data_size() != numElements)
      return std::nullopt;
    for (uint64_t v : tensor.uint64_data())
      result.push_back(static_cast<int64_t>(v & 0xffffffffu));
    return result;
  }
  if (tensor.int32_data_size() != numElements)
    return std::nullopt;
  for (int32_t v : tensor.int32_data()) {
    uint64_t u = static_cast<uint32_t>(v) &
                 (bytes == 4 ? 0xffffffffu : (1u << (bytes * 8)) - 1);
    result.push_back(isSigned ? llvm::SignExtend64(u, bytes * 8)
                              : static_cast<int64_t>(u));
  }
  return result;
}
