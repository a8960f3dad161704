//===- CPUTarget.cpp - LLVM IR, object code and shared libraries ---------===//
//
// Translation of LLVM-dialect modules to LLVM IR, the host TargetMachine,
// LLVM's optimization pipeline, assembly/object emission and linking a
// shared library with the system compiler driver (see CPUTarget.h).
//
//===----------------------------------------------------------------------===//

#include "llm/Target/CPU/CPUTarget.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include "llvm/TargetParser/Triple.h"

#include <cstdlib>

using namespace mlir;
using namespace mlir::llm;

static constexpr llvm::StringLiteral kCInterfacePrefix = "_mlir_ciface_";

std::optional<ArtifactKind> llm::parseArtifactKind(StringRef name) {
  return llvm::StringSwitch<std::optional<ArtifactKind>>(name)
      .Case("mlir", ArtifactKind::MLIR)
      .Case("llvm", ArtifactKind::LLVMIR)
      .Case("asm", ArtifactKind::Assembly)
      .Case("obj", ArtifactKind::Object)
      .Case("shared", ArtifactKind::SharedLibrary)
      .Default(std::nullopt);
}

void llm::registerCPUTranslations(DialectRegistry &registry) {
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerOpenMPDialectTranslation(registry);
}

StringRef llm::getOpenMPRuntimePath() { return LLM_OPENMP_RUNTIME; }

bool llm::usesOpenMP(ModuleOp module) {
  bool found = false;
  module.walk([&](Operation *op) {
    if (isa<omp::OpenMPDialect>(op->getDialect())) {
      found = true;
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return found;
}

void llm::initializeNativeTarget() {
  static bool initialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    llvm::InitializeNativeTargetAsmParser();
    return true;
  }();
  (void)initialized;
}

std::string llm::getModuleTargetCPU(ModuleOp module) {
  std::string cpu;
  module.walk([&](LLVM::LLVMFuncOp func) {
    if (auto attr = func.getTargetCpuAttr()) {
      cpu = attr.getValue().str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return cpu;
}

static llvm::CodeGenOptLevel toCodeGenOptLevel(unsigned optLevel) {
  switch (optLevel) {
  case 0:
    return llvm::CodeGenOptLevel::None;
  case 1:
    return llvm::CodeGenOptLevel::Less;
  case 2:
    return llvm::CodeGenOptLevel::Default;
  default:
    return llvm::CodeGenOptLevel::Aggressive;
  }
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
llm::createCPUTargetMachine(StringRef cpu, unsigned optLevel) {
  initializeNativeTarget();
  llvm::Triple triple(llvm::sys::getProcessTriple());
  std::string error;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "no LLVM target for " + triple.str() +
                                       ": " + error);
  std::string cpuName = cpu.str();
  std::string features;
  if (cpuName.empty() || cpuName == "host" ||
      cpuName == llvm::sys::getHostCPUName()) {
    // As -march=native: the host CPU and exactly the features it reports.
    cpuName = llvm::sys::getHostCPUName().str();
    llvm::SubtargetFeatures featureSet;
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      featureSet.AddFeature(feature.first(), feature.second);
    features = featureSet.getString();
  }
  llvm::TargetOptions targetOptions;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpuName, features, targetOptions, llvm::Reloc::PIC_,
      std::nullopt, toCodeGenOptLevel(optLevel)));
  if (!machine)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot create a target machine for " +
                                       triple.str() + " cpu " + cpuName);
  return std::move(machine);
}

std::unique_ptr<llvm::Module>
llm::translateToLLVMIR(ModuleOp module, llvm::LLVMContext &context) {
  Operation *foreign = nullptr;
  module.walk<WalkOrder::PreOrder>([&](Operation *op) {
    // OpenMP ops (parallel regions, with LLVM-dialect bodies) translate to
    // OpenMPIRBuilder calls.
    if (op == module.getOperation() ||
        isa<LLVM::LLVMDialect, omp::OpenMPDialect>(op->getDialect()))
      return WalkResult::advance();
    foreign = op;
    return WalkResult::interrupt();
  });
  if (foreign) {
    foreign->emitError()
        << "'" << foreign->getName()
        << "' is not in the LLVM dialect: only a module lowered to the LLVM "
           "dialect (e.g. by --llm-cpu-pipeline) can be translated to LLVM IR";
    return nullptr;
  }
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, context, "LLMModule");
  if (!llvmModule)
    module.emitError() << "translation to LLVM IR failed";
  return llvmModule;
}

unsigned llm::internalizeWrappedFunctions(llvm::Module &module) {
  unsigned changed = 0;
  for (llvm::Function &wrapper : module.functions()) {
    if (wrapper.isDeclaration() ||
        !wrapper.getName().starts_with(kCInterfacePrefix))
      continue;
    StringRef name = wrapper.getName().drop_front(kCInterfacePrefix.size());
    llvm::Function *wrapped = module.getFunction(name);
    if (!wrapped || wrapped->isDeclaration() || wrapped->hasLocalLinkage())
      continue;
    wrapped->setLinkage(llvm::GlobalValue::InternalLinkage);
    ++changed;
  }
  return changed;
}

llvm::Error llm::optimizeLLVMModule(llvm::Module &module,
                                    llvm::TargetMachine &targetMachine,
                                    unsigned optLevel) {
  module.setTargetTriple(targetMachine.getTargetTriple());
  module.setDataLayout(targetMachine.createDataLayout());
  auto transformer = makeOptimizingTransformer(std::min(optLevel, 3u),
                                               /*sizeLevel=*/0, &targetMachine);
  return transformer(&module);
}

llvm::Error llm::emitMachineCode(llvm::Module &module,
                                 llvm::TargetMachine &targetMachine,
                                 llvm::CodeGenFileType fileType,
                                 llvm::raw_pwrite_stream &os) {
  module.setTargetTriple(targetMachine.getTargetTriple());
  module.setDataLayout(targetMachine.createDataLayout());
  llvm::legacy::PassManager passes;
  if (targetMachine.addPassesToEmitFile(passes, os, nullptr, fileType))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "the target cannot emit this file type");
  passes.run(module);
  return llvm::Error::success();
}

llvm::Expected<std::string> llm::findLinker() {
  if (const char *env = std::getenv("LLM_LINKER"); env && *env) {
    if (auto path = llvm::sys::findProgramByName(env))
      return *path;
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "LLM_LINKER='%s' is not an executable "
                                   "program",
                                   env);
  }
  for (StringRef name : {"clang-22", "clang", "cc", "gcc"})
    if (auto path = llvm::sys::findProgramByName(name))
      return *path;
  return llvm::createStringError(
      llvm::inconvertibleErrorCode(),
      "no C compiler driver to link a shared library with: install clang or "
      "gcc, or set LLM_LINKER");
}

llvm::Error llm::linkSharedLibrary(ArrayRef<std::string> objectPaths,
                                   StringRef outputPath,
                                   ArrayRef<std::string> extraArgs) {
  auto linker = findLinker();
  if (!linker)
    return linker.takeError();
  std::vector<std::string> args = {*linker, "-shared", "-o", outputPath.str()};
  args.insert(args.end(), objectPaths.begin(), objectPaths.end());
  args.insert(args.end(), extraArgs.begin(), extraArgs.end());
  args.push_back("-lm");
  SmallVector<StringRef> argRefs(args.begin(), args.end());
  std::string errorMessage;
  int rc = llvm::sys::ExecuteAndWait(*linker, argRefs, /*Env=*/std::nullopt,
                                     /*Redirects=*/{}, /*SecondsToWait=*/0,
                                     /*MemoryLimit=*/0, &errorMessage);
  if (rc != 0) {
    std::string command;
    for (const std::string &arg : args)
      command += (command.empty() ? "" : " ") + arg;
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "linking the shared library failed (exit status " +
            std::to_string(rc) + (errorMessage.empty() ? "" : ": ") +
            errorMessage + "): " + command);
  }
  return llvm::Error::success();
}

/// Removes a file when it goes out of scope.
namespace {
struct TempFile {
  SmallString<128> path;
  ~TempFile() {
    if (!path.empty())
      llvm::sys::fs::remove(path);
  }
};
} // namespace

LogicalResult llm::emitArtifact(ModuleOp module, ArtifactKind kind,
                                StringRef outputPath,
                                const CPUCodegenOptions &options) {
  assert(kind != ArtifactKind::MLIR && "MLIR is printed, not emitted");
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateToLLVMIR(module, llvmContext);
  if (!llvmModule)
    return failure();
  // Parallel regions call libomp: a shared library has it as DT_NEEDED.
  std::vector<std::string> extraLinkArgs;
  if (usesOpenMP(module))
    extraLinkArgs.push_back(getOpenMPRuntimePath().str());
  return emitLLVMModuleArtifact(module, *llvmModule, kind, outputPath,
                                options, extraLinkArgs);
}

LogicalResult llm::emitLLVMModuleArtifact(ModuleOp module,
                                          llvm::Module &llvmModuleRef,
                                          ArtifactKind kind,
                                          StringRef outputPath,
                                          const CPUCodegenOptions &options,
                                          ArrayRef<std::string> extraLinkArgs) {
  auto fail = [&](const Twine &message) {
    module.emitError() << message;
    return failure();
  };
  auto failWith = [&](llvm::Error error) {
    return fail(llvm::toString(std::move(error)));
  };
  llvm::Module *llvmModule = &llvmModuleRef;
  internalizeWrappedFunctions(*llvmModule);

  std::string cpu = options.cpu;
  if (cpu.empty())
    cpu = getModuleTargetCPU(module);
  auto targetMachine = createCPUTargetMachine(cpu, options.optLevel);
  if (!targetMachine)
    return failWith(targetMachine.takeError());
  if (llvm::Error error = optimizeLLVMModule(*llvmModule, **targetMachine,
                                             options.optLevel))
    return failWith(std::move(error));

  std::string errorMessage;
  if (kind == ArtifactKind::SharedLibrary) {
    TempFile object, library;
    if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
            "llm-model", "o", object.path))
      return fail("cannot create a temporary object file: " + ec.message());
    {
      std::error_code ec;
      llvm::raw_fd_ostream os(object.path, ec, llvm::sys::fs::OF_None);
      if (ec)
        return fail("cannot write '" + object.path + "': " + ec.message());
      if (llvm::Error error =
              emitMachineCode(*llvmModule, **targetMachine,
                              llvm::CodeGenFileType::ObjectFile, os))
        return failWith(std::move(error));
    }
    std::string libraryPath = outputPath.str();
    if (outputPath == "-") {
      if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
              "llm-model", "so", library.path))
        return fail("cannot create a temporary library file: " + ec.message());
      libraryPath = library.path.str().str();
    }
    if (llvm::Error error = linkSharedLibrary({object.path.str().str()},
                                              libraryPath, extraLinkArgs))
      return failWith(std::move(error));
    if (outputPath == "-") {
      auto buffer = llvm::MemoryBuffer::getFile(libraryPath, /*IsText=*/false);
      if (!buffer)
        return fail("cannot read the linked library: " +
                    buffer.getError().message());
      llvm::outs() << (*buffer)->getBuffer();
      llvm::outs().flush();
    }
    return success();
  }

  auto output = openOutputFile(outputPath, &errorMessage);
  if (!output)
    return fail(errorMessage);
  if (kind == ArtifactKind::LLVMIR) {
    llvmModule->print(output->os(), nullptr);
  } else {
    auto fileType = kind == ArtifactKind::Assembly
                        ? llvm::CodeGenFileType::AssemblyFile
                        : llvm::CodeGenFileType::ObjectFile;
    // Object writers seek back to patch headers; stdout cannot seek.
    std::optional<llvm::buffer_ostream> buffered;
    llvm::raw_pwrite_stream *os = &output->os();
    if (!output->os().supportsSeeking())
      os = &buffered.emplace(output->os());
    if (llvm::Error error =
            emitMachineCode(*llvmModule, **targetMachine, fileType, *os))
      return failWith(std::move(error));
  }
  output->keep();
  return success();
}
