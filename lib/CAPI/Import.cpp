//===- Import.cpp - llm-c/Import.h ----------------------------------------===//
//
// The ONNX importer (include/llm/Import/ONNXImporter.h) for C API users.
//
//===----------------------------------------------------------------------===//

#include "llm-c/Import.h"

#include "llm/Import/ONNXImporter.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Support.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstring>
#include <iterator>

using namespace mlir;

MlirModule llmImportONNXFile(MlirContext context, MlirStringRef path) {
  OwningOpRef<ModuleOp> module = llm::importONNXFile(unwrap(path),
                                                     unwrap(context));
  return wrap(module.release());
}

MlirModule llmImportONNXBuffer(MlirContext context, MlirStringRef buffer,
                               MlirStringRef name, LLMONNXFormat format) {
  llm::ONNXImportOptions options;
  // Indexed by LLMONNXFormat.
  static const llm::ONNXImportOptions::Format formats[] = {
      llm::ONNXImportOptions::Format::Auto,
      llm::ONNXImportOptions::Format::Binary,
      llm::ONNXImportOptions::Format::Text};
  static_assert(LLMONNXFormatAuto == 0 && LLMONNXFormatBinary == 1 &&
                    LLMONNXFormatText == 2,
                "formats[] follows LLMONNXFormat");
  // A C caller may pass any int; in C++ an enum outside its enumerators'
  // range cannot be read as the enum, so read the bits.
  static_assert(sizeof(format) == sizeof(int), "C enums are int-sized");
  int index;
  std::memcpy(&index, &format, sizeof(int));
  if (index < 0 || index >= static_cast<int>(std::size(formats))) {
    emitError(UnknownLoc::get(unwrap(context)))
        << "llmImportONNXBuffer: " << index << " is not an LLMONNXFormat";
    return MlirModule{nullptr};
  }
  options.format = formats[index];
  llvm::MemoryBufferRef ref(unwrap(buffer), unwrap(name));
  OwningOpRef<ModuleOp> module = llm::importONNX(ref, unwrap(context), options);
  return wrap(module.release());
}
