//===- RunNPU.cpp - llm-run --target=npu ---------------------------------===//
//
// Compiles with buildNPUPipeline, exports the npu.program
// (llm::getNPUProgram) and runs it in-process on npu::Simulator: inputs are
// written to their arguments' DRAM, outputs read back after every queue has
// halted; the simulator's statistics are printed per run.
//
//===----------------------------------------------------------------------===//

#include "RunNPU.h"

#include "llm/Pipelines/Pipelines.h"
#include "llm/Target/NPU/NPUTarget.h"
#include "llm/Target/NPU/Simulator.h"

#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace mlir;
using namespace mlir::llm;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Expected<std::unique_ptr<NPUModel>>
NPUModel::compile(ModuleOp module, ModelSignature signature,
                  StringRef pipelineOptions) {
  NPUPipelineOptions options;
  if (failed(options.parseFromString(pipelineOptions)))
    return makeError("cannot parse --pipeline-options='" + pipelineOptions +
                     "' for the NPU pipeline");
  if (auto problem = checkNPUPipelineOptions(options))
    return makeError(*problem);
  // Diagnostics name the ONNX node; the op dump adds nothing.
  module.getContext()->printOpOnDiagnostic(false);
  PassManager pm(module.getContext());
  if (failed(buildNPUPipeline(pm, options)) || failed(pm.run(module)))
    return makeError("compiling for the NPU failed");
  FailureOr<npu::Program> program = getNPUProgram(module);
  if (failed(program))
    return makeError("the NPU pipeline left no program");
  std::unique_ptr<NPUModel> model(new NPUModel());
  model->signature = std::move(signature);
  model->program = std::move(*program);
  return std::move(model);
}

llvm::Expected<std::vector<Tensor>>
NPUModel::run(ArrayRef<const Tensor *> inputs, double *seconds) {
  auto simulator = npu::Simulator::create(program);
  if (!simulator)
    return simulator.takeError();
  size_t input = 0;
  std::vector<size_t> outputArgs;
  for (size_t i = 0; i < program.arguments.size(); ++i) {
    const npu::Argument &arg = program.arguments[i];
    if (arg.role == npu::ArgRole::Output) {
      outputArgs.push_back(i);
      continue;
    }
    if (input >= inputs.size())
      return makeError("the NPU program takes more inputs than given");
    const Tensor &tensor = *inputs[input++];
    llvm::MutableArrayRef<uint8_t> memory = (*simulator)->getArgumentMemory(i);
    if (tensor.getByteSize() != memory.size())
      return makeError("input '" + arg.name + "' has " +
                       llvm::Twine(tensor.getByteSize()) +
                       " bytes, the NPU program expects " +
                       llvm::Twine(memory.size()));
    std::memcpy(memory.data(), tensor.data(), memory.size());
  }
  if (llvm::Error error = (*simulator)->run())
    return std::move(error);
  const npu::SimStats &stats = (*simulator)->getStats();
  npu::printStats(llvm::outs(), stats);
  if (seconds)
    *seconds = static_cast<double>(stats.cycles) * 1e-9;
  std::vector<Tensor> outputs;
  for (auto [k, i] : llvm::enumerate(outputArgs)) {
    const TensorSignature &sig = signature.outputs[k];
    Tensor tensor(sig.dtype, program.arguments[i].shape);
    llvm::MutableArrayRef<uint8_t> memory = (*simulator)->getArgumentMemory(i);
    std::memcpy(tensor.data(), memory.data(),
                std::min(memory.size(), tensor.getByteSize()));
    outputs.push_back(std::move(tensor));
  }
  return std::move(outputs);
}
