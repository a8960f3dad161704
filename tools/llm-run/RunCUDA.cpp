//===- RunCUDA.cpp - llm-run --target=cuda ---------------------------------===//
//
// See RunCUDA.h. CUDA errors are recorded by our runtime (never a crash)
// and turned into llvm::Errors here for llm-run's messages.
//
//===----------------------------------------------------------------------===//

#include "RunCUDA.h"

#include "llm/Pipelines/Pipelines.h"
#include "llm/Runtime/CUDA/CUDARuntime.h"

using namespace mlir;
using namespace mlir::llm;

static llvm::Error makeError(const Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Error llm::initCUDA() {
  if (llmCudaInit() == LLM_CUDA_OK)
    return llvm::Error::success();
  const char *error = llmCudaGetError();
  return makeError(Twine("CUDA is not usable: ") +
                   (error ? error : "unknown error"));
}

llvm::Error llm::buildCUDAPipeline(PassManager &pm, StringRef optionsText) {
  NVPTXPipelineOptions options;
  if (failed(options.parseFromString(optionsText)))
    return makeError("cannot parse --pipeline-options='" + optionsText +
                     "' as options of --llm-nvptx-pipeline");
  if (auto problem = checkNVPTXPipelineOptions(options))
    return makeError("--pipeline-options: " + *problem);
  options.lowerHost = true;
  if (failed(buildNVPTXPipeline(pm, options)))
    return makeError("cannot build the NVPTX pipeline");
  return llvm::Error::success();
}

llvm::Error llm::takeCUDAError() {
  const char *error = llmCudaGetError();
  if (!error)
    return llvm::Error::success();
  llvm::Error result = makeError(Twine("CUDA failed: ") + error);
  llmCudaClearError();
  return result;
}

std::string llm::getCUDADeviceName() { return llmCudaDeviceName(); }
