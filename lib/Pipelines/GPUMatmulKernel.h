//===- GPUMatmulKernel.h - What the GPU matmul kernels share ---*- C++ -*-===//
//
// Private to lib/Pipelines: the contraction match and the kernel-building
// pieces that llm-gpu-matmul's two kernels share, the mma.sync kernel
// (GPUMatmul.cpp; sm_80 and later) and the wgmma kernel
// (GPUMatmulWgmma.cpp; sm_90a): the host-side sizes and grid, the
// gpu.launch with its shared-memory (workgroup) buffers, clamped operand
// loads that read zero outside the operand, 16-bit packing, and the guarded
// update of C. See docs/nvptx.md ("Matmul on tensor cores").
//
//===----------------------------------------------------------------------===//

#ifndef LLM_LIB_PIPELINES_GPUMATMULKERNEL_H
#define LLM_LIB_PIPELINES_GPUMATMULKERNEL_H

#include "llm/Conversion/GPUCommon/KernelArith.h"
#include "llm/Tiling/ContractionMatch.h"
#include "llm/Tiling/GPUCostModel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

#include <optional>

namespace mlir {
namespace llm {

/// A GPU contraction: the match (loop dims, static shape) plus the indexing
/// maps of A, B, C.
struct GPUContraction {
  linalg::LinalgOp op;
  ContractionMatch match;
  AffineMap mapA, mapB, mapC;
  int64_t staticBatch = 1;
};

/// The f32 contractions the kernels handle: matchContraction with any
/// operand layout, buffers, f32, projected-permutation maps.
std::optional<GPUContraction> matchGPUContraction(linalg::LinalgOp op);

/// True if the innermost result of `map` is loop dim `dim`.
bool innermostIs(AffineMap map, unsigned dim);

/// The kernel pieces both matmul kernels use, on KernelArith's index
/// arithmetic. A kernel derives from it, calls createLaunch and builds its
/// body at the builder's insertion point.
class GPUMatmulKernelBase : protected KernelArith {
protected:
  GPUMatmulKernelBase(OpBuilder &b, Location loc, const GPUContraction &c,
                      const GPUContractionTiles &tiles,
                      GPUMatmulPrecision precision);

  /// The indices of an operand whose map is `map`, given the loop values.
  SmallVector<Value> operandIndices(AffineMap map, ArrayRef<Value> loops);

  /// Creates the gpu.launch in place of the contraction (grid
  /// ceil(N / BN) x ceil(M / BM) x batch, `threads` threads, the given
  /// workgroup buffers), sets the kernel values below, and leaves the
  /// builder before the launch's terminator.
  gpu::LaunchOp createLaunch(int64_t threads, TypeRange workgroupBuffers);

  /// True where (row, k) of A (`isA`) or (k, col) of B lies inside the
  /// operand; `row` is absolute (m0 / n0 included).
  Value operandInRange(bool isA, Value row, Value k);
  /// Operand indices of (row, k) clamped into the operand (M, N, K >= 1
  /// wherever they are used).
  SmallVector<Value> clampedOperandIndices(bool isA, Value row, Value k);
  /// Loads the f32 element (row, k) of A (`isA`) or (k, col) of B, zero
  /// outside the operand (clamped load + select).
  Value loadOperand(bool isA, Value row, Value k);
  /// The 32-bit word of two 16-bit operands (row, k), (row, k + 1) of the
  /// kernel's precision (bf16 or f16), the lower k in the low half.
  Value loadPackedPair(bool isA, Value row, Value k);

  /// C[row, col] += value where row < M and col < N (absolute indices).
  void accumulateC(Value row, Value col, Value value);

  const GPUContraction &c;
  const GPUContractionTiles &tiles;
  GPUMatmulPrecision precision;
  // Kernel values (createLaunch): loop sizes, thread id, the block's first
  // row and column of C, the batch loop values (others null).
  Value sizeM, sizeN, sizeK, tid, m0, n0;
  SmallVector<Value> batchLoops;
};

/// Builds the wgmma kernel (sm_90a, bf16 / f16 operands) of `c` in place of
/// the contraction; `tiles.kernel` is GPUMatmulKernel::Wgmma.
void buildWgmmaKernel(OpBuilder &b, Location loc, const GPUContraction &c,
                      const GPUContractionTiles &tiles,
                      GPUMatmulPrecision precision);

} // namespace llm
} // namespace mlir

#endif // LLM_LIB_PIPELINES_GPUMATMULKERNEL_H
