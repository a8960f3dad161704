//===- StridedCopyToLinalg.cpp - llm-strided-copy-to-linalg --------------===//
//
// Rewrites the memref.copy ops that finalize-memref-to-llvm would lower to a
// call of the `memrefCopy` runtime function (any copy with a non-contiguous
// side) into linalg.copy, which becomes loops. Contiguous copies stay
// memref.copy and become llvm.memcpy. The predicate mirrors the one in
// MemRefToLLVM's MemRefCopyOpLowering.
//
//===----------------------------------------------------------------------===//

#include "llm/Pipelines/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/IR/Builders.h"

namespace mlir::llm {
#define GEN_PASS_DEF_LLMSTRIDEDCOPYTOLINALGPASS
#include "llm/Pipelines/Passes.h.inc"

namespace {
/// Whether finalize-memref-to-llvm lowers copies of this type to memcpy.
bool isMemcpyCompatible(Type type) {
  auto memrefType = dyn_cast<MemRefType>(type);
  return memrefType &&
         (memrefType.getLayout().isIdentity() ||
          (memrefType.hasStaticShape() && memrefType.getNumElements() > 0 &&
           memref::isStaticShapeAndContiguousRowMajor(memrefType)));
}

struct LLMStridedCopyToLinalgPass
    : impl::LLMStridedCopyToLinalgPassBase<LLMStridedCopyToLinalgPass> {
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation().walk([&](memref::CopyOp copy) {
      if (!isMemcpyCompatible(copy.getSource().getType()) ||
          !isMemcpyCompatible(copy.getTarget().getType()))
        copies.push_back(copy);
    });
    for (memref::CopyOp copy : copies) {
      OpBuilder builder(copy);
      linalg::CopyOp::create(builder, copy.getLoc(), copy.getSource(),
                             copy.getTarget());
      copy.erase();
    }
  }
};
} // namespace
} // namespace mlir::llm
