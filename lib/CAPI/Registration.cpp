//===- Registration.cpp - llm-c/Registration.h ---------------------------===//
//
// Registration for C API users: the C++ registration functions of
// include/llm/ plus the ONNX importer's dialects and the LLVM IR
// translations, so that one call prepares a context for every llm* function.
//
//===----------------------------------------------------------------------===//

#include "llm-c/Registration.h"

#include "llm/Import/ONNXImporter.h"
#include "llm/InitAll.h"
#include "llm/Target/CPU/CPUTarget.h"
#include "llm/Version.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Support.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"

#include <mutex>

void llmRegisterAllDialects(MlirDialectRegistry registry) {
  mlir::DialectRegistry &cppRegistry = *unwrap(registry);
  mlir::llm::registerAllDialects(cppRegistry);
  mlir::llm::registerONNXImporterDialects(cppRegistry);
  mlir::llm::registerCPUTranslations(cppRegistry);
}

void llmRegisterAllPasses(void) {
  // The pass registry is global; registering a pipeline twice is an error.
  static std::once_flag once;
  std::call_once(once, [] { mlir::llm::registerAllPasses(); });
}

MlirContext llmContextCreate(void) {
  mlir::DialectRegistry registry;
  llmRegisterAllDialects(wrap(&registry));
  llmRegisterAllPasses();
  return wrap(new mlir::MLIRContext(registry));
}

MlirStringRef llmGetVersion(void) {
  return mlirStringRefCreateFromCString(mlir::llm::getVersion());
}
