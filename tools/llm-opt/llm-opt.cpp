//===- llm-opt.cpp - the compiler's mlir-opt --------------------------------===//
//
// `llm-opt FILE` has mlir-opt semantics (any registered pass or
// --pass-pipeline, -split-input-file, -verify-diagnostics, ...) over our
// dialects and passes and only the upstream ones our pipelines use.
//
//===----------------------------------------------------------------------===//

#include "llm/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#ifndef LLM_VERSION
#define LLM_VERSION "unknown"
#endif

int main(int argc, char **argv) {
  llvm::cl::AddExtraVersionPrinter([](llvm::raw_ostream &os) {
    os << "LLM compiler (llm-opt) version " << LLM_VERSION << "\n";
  });
  mlir::DialectRegistry registry;
  mlir::llm::registerAllDialects(registry);
  mlir::llm::registerAllPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "LLM compiler optimizer driver\n", registry));
}
