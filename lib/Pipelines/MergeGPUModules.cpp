//===- MergeGPUModules.cpp - llm-merge-gpu-modules -----------------------===//
//
// Moves the kernels of all gpu.modules into one, so that a model compiles to
// a single PTX module (one file for llm-opt --emit=ptx, one module load for
// the runtime). gpu-kernel-outlining names each module after its kernel
// (`main_kernel`, `main_kernel_0`, ...) and the kernel after the function it
// came from, so kernels take their module's name, which is unique.
//
//===----------------------------------------------------------------------===//

#include "llm/Pipelines/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::llm {
#define GEN_PASS_DEF_LLMMERGEGPUMODULESPASS
#include "llm/Pipelines/Passes.h.inc"

namespace {
struct LLMMergeGPUModulesPass
    : impl::LLMMergeGPUModulesPassBase<LLMMergeGPUModulesPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<gpu::GPUModuleOp> gpuModules =
        llvm::to_vector(module.getOps<gpu::GPUModuleOp>());
    MLIRContext *context = &getContext();
    if (gpuModules.empty()) {
      // No kernels (e.g. a model that only copies): an empty module, so the
      // result always has one gpu.binary for --emit=ptx and a runtime.
      if (module.lookupSymbol(name)) {
        module.emitError("llm-merge-gpu-modules: symbol @")
            << name.getValue() << " is taken";
        return signalPassFailure();
      }
      OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
      gpu::GPUModuleOp::create(builder, module.getLoc(), name);
      module->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                      UnitAttr::get(context));
      return;
    }
    ArrayAttr targets = gpuModules.front().getTargetsAttr();
    for (gpu::GPUModuleOp gpuModule : gpuModules) {
      if (gpuModule.getTargetsAttr() != targets) {
        gpuModule.emitError("llm-merge-gpu-modules: targets differ from those "
                            "of gpu.module @")
            << gpuModules.front().getSymName();
        return signalPassFailure();
      }
    }

    SymbolTable topSymbols(module);
    if (Operation *clash = topSymbols.lookup(name);
        clash && !isa<gpu::GPUModuleOp>(clash)) {
      clash->emitError("llm-merge-gpu-modules: symbol @")
          << name.getValue() << " is taken";
      return signalPassFailure();
    }

    // Rename every symbol S of module M (M if S is M's only symbol, else
    // M_S), inside M first, and remember the new names for the host's uses.
    llvm::DenseMap<std::pair<StringAttr, StringAttr>, StringAttr> newNames;
    for (gpu::GPUModuleOp gpuModule : gpuModules) {
      SmallVector<Operation *> symbols;
      for (Operation &op : *gpuModule.getBody())
        if (isa<SymbolOpInterface>(op))
          symbols.push_back(&op);
      StringAttr moduleName = gpuModule.getSymNameAttr();
      for (Operation *symbol : symbols) {
        StringAttr oldName = SymbolTable::getSymbolName(symbol);
        StringAttr newName =
            symbols.size() == 1
                ? moduleName
                : StringAttr::get(context, moduleName.getValue() + "_" +
                                               oldName.getValue());
        if (failed(SymbolTable::replaceAllSymbolUses(symbol, newName,
                                                     gpuModule))) {
          symbol->emitError("llm-merge-gpu-modules: cannot rename uses");
          return signalPassFailure();
        }
        SymbolTable::setSymbolName(symbol, newName);
        newNames[{moduleName, oldName}] = newName;
      }
    }

    // The merged module takes the place of the first one.
    OpBuilder builder(gpuModules.front());
    auto merged = gpu::GPUModuleOp::create(builder, gpuModules.front().getLoc(),
                                           "llm_merge_tmp", targets);
    for (gpu::GPUModuleOp gpuModule : gpuModules) {
      // gpu.module bodies have no terminator: move everything.
      merged.getBody()->getOperations().splice(
          merged.getBody()->end(), gpuModule.getBody()->getOperations());
      gpuModule.erase();
    }
    merged.setSymName(name);

    // Host side: gpu.launch_func @M::@S -> @name::@newName.
    StringAttr mergedName = StringAttr::get(context, name.getValue());
    WalkResult walk = module.walk([&](gpu::LaunchFuncOp launch) {
      SymbolRefAttr kernel = launch.getKernel();
      auto it = newNames.find({kernel.getRootReference(),
                               kernel.getLeafReference()});
      if (it == newNames.end() || kernel.getNestedReferences().size() != 1) {
        launch.emitError("llm-merge-gpu-modules: kernel ")
            << kernel << " is not in a gpu.module";
        return WalkResult::interrupt();
      }
      launch.setKernelAttr(SymbolRefAttr::get(
          mergedName, {FlatSymbolRefAttr::get(it->second)}));
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();
  }
};
} // namespace
} // namespace mlir::llm
