//===- CUDAArtifact.cpp - GPU models as host libraries --------------------===//
//
// Translates the lowered host code of a GPU module (with its gpu.binary,
// which the GPU dialect's LLVM IR translation embeds and loads in a global
// constructor) to LLVM IR, embeds the model signature, and writes it with
// the CPU target's code generation for a generic x86-64, linking shared
// libraries against libLLMCUDARuntime.so. See CUDAArtifact.h.
//
//===----------------------------------------------------------------------===//

#include "llm/Target/NVPTX/CUDAArtifact.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstdlib>

using namespace mlir;
using namespace mlir::llm;

static constexpr llvm::StringLiteral kSignatureSymbol = "llm_model_signature";

bool llm::hasGPUKernels(ModuleOp module) {
  return !module.getOps<gpu::BinaryOp>().empty();
}

bool llm::hasUnloweredGPUHostCode(ModuleOp module) {
  return hasGPUKernels(module) && !module.getOps<func::FuncOp>().empty();
}

/// A name with `%`, spaces and control characters as %XX.
static std::string escapeName(StringRef name) {
  std::string out;
  for (unsigned char c : name) {
    if (c == '%' || c <= ' ' || c == 0x7f)
      out += "%" + llvm::utohexstr(c, /*LowerCase=*/false, /*Width=*/2);
    else
      out += static_cast<char>(c);
  }
  return out.empty() ? "%00" : out;
}

std::string llm::serializeModelSignature(const ModelSignature &signature) {
  std::string text = "llm-model-signature 1\nentry " +
                     escapeName(signature.functionName) + "\n";
  auto add = [&](StringRef role, const TensorSignature &tensor) {
    text += role.str() + " " + escapeName(tensor.name) + " " +
            getDTypeName(tensor.dtype).str() + " " +
            std::to_string(tensor.shape.size());
    for (int64_t dim : tensor.shape)
      text += dim < 0 ? " ?" : " " + std::to_string(dim);
    for (size_t d = 0; d < tensor.shape.size(); ++d) {
      StringRef dimName =
          d < tensor.dimNames.size() ? StringRef(tensor.dimNames[d]) : "";
      text += dimName.empty() ? " -" : " " + escapeName(dimName);
    }
    text += "\n";
  };
  for (const TensorSignature &input : signature.inputs)
    add("input", input);
  for (const TensorSignature &output : signature.outputs)
    add("output", output);
  return text;
}

std::optional<std::string> llm::findCUDARuntimeLibrary() {
  if (const char *env = std::getenv("LLM_CUDA_RUNTIME"); env && *env)
    return llvm::sys::fs::exists(env) ? std::optional<std::string>(env)
                                      : std::nullopt;
  static int anchor;
  std::string exe = llvm::sys::fs::getMainExecutable(nullptr, &anchor);
  if (exe.empty())
    return std::nullopt;
  SmallString<256> path(llvm::sys::path::parent_path(exe));
  llvm::sys::path::append(path, "..", "lib", "libLLMCUDARuntime.so");
  llvm::sys::path::remove_dots(path, /*remove_dot_dot=*/true);
  if (!llvm::sys::fs::exists(path))
    return std::nullopt;
  return path.str().str();
}

LogicalResult llm::emitCUDAArtifact(ModuleOp module,
                                    const ModelSignature &signature,
                                    ArtifactKind kind, StringRef outputPath,
                                    const CPUCodegenOptions &options) {
  if (!module.getOps<func::FuncOp>().empty())
    return module.emitError()
           << "the GPU module's host code is not lowered to the LLVM dialect "
              "(buildNVPTXHostPipeline / --llm-nvptx-pipeline=lower-host=true)";
  std::vector<std::string> linkArgs;
  if (kind == ArtifactKind::SharedLibrary) {
    std::optional<std::string> runtime = findCUDARuntimeLibrary();
    if (!runtime)
      return module.emitError()
             << "cannot find our CUDA runtime libLLMCUDARuntime.so (looked "
                "in $LLM_CUDA_RUNTIME and <tool dir>/../lib) to link the GPU "
                "model against";
    std::string dir = llvm::sys::path::parent_path(*runtime).str();
    linkArgs = {"-L" + dir, "-lLLMCUDARuntime",
                "-Wl,-rpath,$ORIGIN:" + dir};
  }

  // The signature, NUL-terminated, as an exported constant.
  if (module.lookupSymbol(kSignatureSymbol))
    return module.emitError() << "the module already defines '"
                              << kSignatureSymbol << "'";
  std::string text = serializeModelSignature(signature);
  text.push_back('\0');
  OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
  auto type = LLVM::LLVMArrayType::get(builder.getI8Type(), text.size());
  LLVM::GlobalOp::create(builder, module.getLoc(), type, /*isConstant=*/true,
                         LLVM::Linkage::External, kSignatureSymbol,
                         builder.getStringAttr(text));

  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext, "LLMGPUModel");
  if (!llvmModule)
    return module.emitError() << "translating the GPU model's host code to "
                                 "LLVM IR failed";
  CPUCodegenOptions codegen = options;
  if (codegen.cpu.empty())
    codegen.cpu = "x86-64"; // runs on the GPU machine, not here
  return emitLLVMModuleArtifact(module, *llvmModule, kind, outputPath, codegen,
                                linkArgs);
}
