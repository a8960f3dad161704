//===- CPUTarget.h - LLVM IR, object code and shared libraries --*- C++ -*-===//
//
// The back end of the CPU target: takes a module the CPU pipeline lowered to
// the LLVM dialect, translates it to LLVM IR, optimizes it with LLVM's O2/O3
// pipeline for the target CPU, and writes an artifact:
//
//   llvm    textual LLVM IR (.ll)
//   asm     assembly (.s)
//   obj     an ELF relocatable object (.o), position independent
//   shared  a shared library (.so) linked by the system C compiler driver
//
// Exported symbols: when a function `f` has a C-interface wrapper
// `_mlir_ciface_f` (the pipeline adds one to every public function), `f`
// itself becomes internal, so the artifact exports only the wrappers and a
// model entry named `main` cannot clash with a C program's main. The ABI of
// the wrappers is documented in docs/cpu.md.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_TARGET_CPU_CPUTARGET_H
#define LLM_TARGET_CPU_CPUTARGET_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"
#include "llvm/Support/CodeGen.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <optional>
#include <string>

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
class raw_pwrite_stream;
} // namespace llvm

namespace mlir {
class DialectRegistry;
namespace llm {

/// What `llm-opt --emit=` writes.
enum class ArtifactKind { MLIR, LLVMIR, Assembly, Object, SharedLibrary };

/// Parses an --emit value: mlir, llvm, asm, obj, shared.
std::optional<ArtifactKind> parseArtifactKind(StringRef name);

/// Code generation settings.
struct CPUCodegenOptions {
  /// LLVM CPU name or "host"; empty means: the `target_cpu` the CPU pipeline
  /// recorded on the module's functions, else the host.
  std::string cpu;
  /// LLVM optimization level (0-3) for the IR pipeline and code generation.
  /// 2 by default: O3's more aggressive full unrolling of the reference
  /// lowering's constant-trip loops makes huge blocks that LLVM's schedulers
  /// take 10x longer on, for no speedup (tiny GPT-2: 7 s vs 0.6 s).
  unsigned optLevel = 2;
};

/// Registers the LLVM IR translations of the builtin and LLVM dialects
/// (needed by translateToLLVMIR and the JIT).
void registerCPUTranslations(DialectRegistry &registry);

/// Initializes LLVM's native (host) target, its asm printer and parser.
/// Idempotent.
void initializeNativeTarget();

/// The `target_cpu` recorded on the module's llvm.func ops, or "".
std::string getModuleTargetCPU(ModuleOp module);

/// Creates a TargetMachine for the host triple and `cpu`, position
/// independent, at `optLevel`. "host", "" or the host CPU's own name mean
/// the host CPU with exactly the host's features (as -march=native); any
/// other CPU gets the features LLVM's model of it has.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createCPUTargetMachine(StringRef cpu, unsigned optLevel);

/// Translates an LLVM-dialect module to LLVM IR. Reports (as MLIR
/// diagnostics) ops that are not in the LLVM dialect, naming the first one
/// and suggesting the CPU pipeline; returns null on failure.
std::unique_ptr<llvm::Module> translateToLLVMIR(ModuleOp module,
                                                llvm::LLVMContext &context);

/// Makes every function that has a `_mlir_ciface_` wrapper internal (see
/// the file comment). Returns the number of functions changed.
unsigned internalizeWrappedFunctions(llvm::Module &module);

/// Sets the module's triple and data layout from `targetMachine` and runs
/// LLVM's default O<optLevel> pipeline on it.
llvm::Error optimizeLLVMModule(llvm::Module &module,
                               llvm::TargetMachine &targetMachine,
                               unsigned optLevel);

/// Generates assembly or an object file for `module` into `os`.
llvm::Error emitMachineCode(llvm::Module &module,
                            llvm::TargetMachine &targetMachine,
                            llvm::CodeGenFileType fileType,
                            llvm::raw_pwrite_stream &os);

/// The program that links shared libraries: $LLM_LINKER if set, else the
/// first of clang-22, clang, cc, gcc found on PATH.
llvm::Expected<std::string> findLinker();

/// Links the object files into the shared library `outputPath`
/// (`<linker> -shared -o outputPath objects... extraArgs... -lm`).
llvm::Error linkSharedLibrary(ArrayRef<std::string> objectPaths,
                              StringRef outputPath,
                              ArrayRef<std::string> extraArgs = {});

/// The OpenMP runtime (LLVM's libomp) that code compiled with threads
/// calls (`__kmpc_fork_call`, ...): the JIT loads it, shared libraries link
/// it.
StringRef getOpenMPRuntimePath();

/// Whether `module` (LLVM dialect) has OpenMP ops, i.e. parallel regions
/// that need the OpenMP runtime.
bool usesOpenMP(ModuleOp module);

/// Translates, optimizes and writes `module` (in the LLVM dialect) as an
/// artifact of `kind` (not MLIR) to `outputPath` ("-" is stdout). Errors are
/// reported as MLIR diagnostics on the module.
LogicalResult emitArtifact(ModuleOp module, ArtifactKind kind,
                           StringRef outputPath,
                           const CPUCodegenOptions &options = {});

/// As emitArtifact, for an LLVM IR module already translated from `module`
/// (which gets the diagnostics): optimizes it for `options.cpu` (empty: the
/// module's recorded CPU, else the host) and writes it; shared libraries
/// are linked with `extraLinkArgs` after the object.
LogicalResult emitLLVMModuleArtifact(ModuleOp module, llvm::Module &llvmModule,
                                     ArtifactKind kind, StringRef outputPath,
                                     const CPUCodegenOptions &options,
                                     ArrayRef<std::string> extraLinkArgs = {});

} // namespace llm
} // namespace mlir

#endif // LLM_TARGET_CPU_CPUTARGET_H
