//===- llm-import-fuzzer.cpp - libFuzzer target for the ONNX importer -----===//
//
// Feeds arbitrary bytes to importONNX as a binary ONNX model (the threat
// model of issue 3: corrupt, truncated or adversarial files). Every input
// must end in either a module that verifies or diagnostics and a null
// result: a crash, a sanitizer report, a leak or a huge allocation
// (libFuzzer's -rss_limit_mb / -malloc_limit_mb) is a bug.
//
// Each input gets a fresh MLIRContext, so uniqued types and resource blobs
// of one input cannot hide or cause problems in the next. External data is
// looked up in a directory that holds no files (LLM_FUZZ_EXTERNAL_DIR, or
// an empty directory under /tmp), so the fuzzer never reads the files
// around it.
//
// Built with -DLLM_BUILD_FUZZER=ON (clang, -fsanitize=fuzzer); see
// docs/testing.md for the short run in the test suite and the long run.
//
//===----------------------------------------------------------------------===//

#include "llm/Import/ONNXImporter.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBufferRef.h"

#include <cstdint>
#include <cstdlib>
#include <string>

using namespace mlir;

/// The directory external data is confined to: empty, created once.
static const std::string &externalDir() {
  static const std::string dir = [] {
    if (const char *env = std::getenv("LLM_FUZZ_EXTERNAL_DIR"))
      return std::string(env);
    llvm::SmallString<128> path;
    if (llvm::sys::fs::createUniqueDirectory("llm-import-fuzz", path))
      std::abort();
    return std::string(path);
  }();
  return dir;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  DialectRegistry registry;
  llm::registerONNXImporterDialects(registry);
  MLIRContext context(registry, MLIRContext::Threading::DISABLED);
  // Diagnostics are expected; only crashes and sanitizer reports count.
  ScopedDiagnosticHandler quiet(&context, [](Diagnostic &) {
    return success();
  });
  llm::ONNXImportOptions options;
  options.format = llm::ONNXImportOptions::Format::Binary;
  options.externalDataDir = externalDir();
  llvm::MemoryBufferRef buffer(
      llvm::StringRef(reinterpret_cast<const char *>(data), size),
      "fuzz.onnx");
  OwningOpRef<ModuleOp> module = llm::importONNX(buffer, &context, options);
  // What the importer returns must be valid IR.
  if (module && failed(verify(*module)))
    std::abort();
  return 0;
}
