//===- Version.cpp - the version of the loaded library -------------------===//
//
// getVersion() is compiled into libLLMCompiler.so, so it reports the version
// of the library an embedder runs with, whatever headers it was built with.
//
//===----------------------------------------------------------------------===//

#include "llm/Version.h"

const char *mlir::llm::getVersion() { return LLM_COMPILER_VERSION; }
