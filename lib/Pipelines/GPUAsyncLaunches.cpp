//===- GPUAsyncLaunches.cpp - llm-gpu-async-launches ----------------------===//
//
// Host functions of a GPU model launch kernels one by one, each on a stream
// created, synchronized and destroyed around it (MLIR's lowering of a
// synchronous gpu.launch_func), and free buffers with a wait of their own.
// This pass chains a block's launches and frees on one async token, so they
// go to one stream (our runtime keeps one per thread) without waiting, and
// synchronizes once, before the first op through which the host could see
// the kernels' results (or the block's end; not at all when only frees
// were queued since). A `memref.copy` of a dense buffer while work is
// queued (a copy between device buffers that bufferization left, the
// results' copy out) becomes a stream-ordered `gpu.memcpy async`
// (cuMemcpyAsync) instead of a wait and a host copy, so a model whose host
// code only copies waits once per call. See Passes.td for an example.
//
//===----------------------------------------------------------------------===//

#include "llm/Pipelines/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::llm {
#define GEN_PASS_DEF_LLMGPUASYNCLAUNCHESPASS
#include "llm/Pipelines/Passes.h.inc"

namespace {

/// Whether the host may read or write memory a queued kernel uses when `op`
/// runs: any memory effect but allocation and free.
bool touchesMemory(Operation *op) {
  if (isMemoryEffectFree(op))
    return false;
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  if (!effects)
    return true;
  SmallVector<MemoryEffects::EffectInstance> instances;
  effects.getEffects(instances);
  return llvm::any_of(instances, [](const MemoryEffects::EffectInstance &e) {
    return !isa<MemoryEffects::Allocate, MemoryEffects::Free>(e.getEffect());
  });
}

/// Whether `value` is the only dependency of async op `op`.
bool dependsOnlyOn(gpu::AsyncOpInterface op, Value value) {
  return op.getAsyncDependencies().size() == 1 &&
         op.getAsyncDependencies().front() == value;
}

/// Whether `copy` can be a gpu.memcpy: dense row-major buffers (identity
/// layouts: the GPU host lowering copies `elements * size` bytes from the
/// base pointers) of one type in the default memory space.
bool isDenseCopy(memref::CopyOp copy) {
  auto source = dyn_cast<MemRefType>(copy.getSource().getType());
  auto target = dyn_cast<MemRefType>(copy.getTarget().getType());
  return source && target && source == target &&
         source.getLayout().isIdentity() && !source.getMemorySpace();
}

/// Chains the launches, frees and copies of `block` on one token.
void chainBlock(Block &block) {
  Type tokenType = gpu::AsyncTokenType::get(block.getParentOp()->getContext());
  Value token;           // the stream's last queued op, if work is queued
  bool launched = false; // a kernel is among the queued ops
  for (Operation &op : llvm::make_early_inc_range(block)) {
    OpBuilder builder(&op);
    Location loc = op.getLoc();
    if (auto wait = dyn_cast<gpu::WaitOp>(&op)) {
      if (wait.getAsyncToken() && wait.getAsyncDependencies().empty()) {
        // A new stream: continue the queued one instead.
        if (token) {
          wait.getAsyncToken().replaceAllUsesWith(token);
          wait.erase();
        } else {
          token = wait.getAsyncToken();
        }
        continue;
      }
      if (!wait.getAsyncToken() && token &&
          dependsOnlyOn(cast<gpu::AsyncOpInterface>(&op), token)) {
        // The wait after a free: frees need none (see the file header).
        wait.erase();
        continue;
      }
    }
    if (auto launch = dyn_cast<gpu::LaunchFuncOp>(&op)) {
      if (!launch.getAsyncToken() && launch.getAsyncDependencies().empty() &&
          !launch.getAsyncObject()) {
        if (!token)
          token = gpu::WaitOp::create(builder, loc, tokenType, ValueRange())
                      .getAsyncToken();
        auto async = gpu::LaunchFuncOp::create(
            builder, loc, launch.getKernelAttr(),
            launch.getGridSizeOperandValues(),
            launch.getBlockSizeOperandValues(),
            launch.getDynamicSharedMemorySize(), launch.getKernelOperands(),
            tokenType, ValueRange{token},
            launch.hasClusterSize() ? std::optional<gpu::KernelDim3>(
                                          launch.getClusterSizeOperandValues())
                                    : std::nullopt);
        async->setDiscardableAttrs(launch->getDiscardableAttrDictionary());
        launch.erase();
        token = async.getAsyncToken();
        launched = true;
        continue;
      }
    }
    if (auto copy = dyn_cast<memref::CopyOp>(&op)) {
      // After queued work: stream-ordered, no wait (see the file header).
      if (token && isDenseCopy(copy)) {
        auto memcpy = gpu::MemcpyOp::create(builder, loc, tokenType,
                                            ValueRange{token},
                                            copy.getTarget(), copy.getSource());
        copy.erase();
        token = memcpy.getAsyncToken();
        launched = true;
        continue;
      }
    }
    if (auto dealloc = dyn_cast<gpu::DeallocOp>(&op)) {
      if (token && dealloc.getAsyncToken() && dependsOnlyOn(dealloc, token)) {
        token = dealloc.getAsyncToken();
        continue;
      }
    }
    if (token && (op.hasTrait<OpTrait::IsTerminator>() || touchesMemory(&op))) {
      // Only frees queued since the last wait: nothing to wait for.
      if (launched)
        gpu::WaitOp::create(builder, loc, Type(), ValueRange{token});
      token = Value();
      launched = false;
    }
  }
}

struct LLMGPUAsyncLaunchesPass
    : impl::LLMGPUAsyncLaunchesPassBase<LLMGPUAsyncLaunchesPass> {
  using Base::Base;
  void runOnOperation() override {
    getOperation()->walk([](Block *block) { chainBlock(*block); });
  }
};

} // namespace
} // namespace mlir::llm
