//===- MMAFragments.h - mma.sync fragments in the PTX register layout ----===//
//
// Helpers shared by the tensor-core kernels (llm-gpu-matmul's contraction
// kernel, convert-transformer-to-gpu's attention kernel): building the
// registers of nvvm.mma.sync fragments from 32-bit shared-memory words and
// issuing the mma, for m16n8k16 bf16/f16 and m16n8k8 tf32 (3xTF32 for f32)
// with f32 accumulators.
//
// Register layout (PTX ISA, "Matrix fragments for mma.m16n8k16 / m16n8k8"),
// with groupID = lane / 4 and threadID_in_group = lane % 4 (t), in 32-bit
// words along k (a word is two 16-bit values, the lower k in the low half,
// or one tf32):
//   A (16 x k, row-major): register j is row groupID + aRowOffset(j),
//                          word t + aWordOffset(j);
//   B (k x 8, col-major):  register j is column groupID, word
//                          t + bWordOffset(j);
//   C/D (16 x 8, f32):     element i is row groupID + cRowOffset(i),
//                          column 2 t + cColumnOffset(i).
//
//===----------------------------------------------------------------------===//

#ifndef LLM_CONVERSION_GPUCOMMON_MMAFRAGMENTS_H
#define LLM_CONVERSION_GPUCOMMON_MMAFRAGMENTS_H

#include "llm/Tiling/GPUCostModel.h"

#include "mlir/IR/Builders.h"

namespace mlir::llm {

/// Row of A register `j` relative to the fragment's groupID row.
constexpr int64_t mmaARowOffset(int64_t j) { return 8 * (j % 2); }
/// Word of A register `j` relative to threadID_in_group.
constexpr int64_t mmaAWordOffset(int64_t j) { return 4 * (j / 2); }
/// Word of B register `j` relative to threadID_in_group.
constexpr int64_t mmaBWordOffset(int64_t j) { return 4 * j; }
/// Row of accumulator element `i` relative to groupID.
constexpr int64_t mmaCRowOffset(int64_t i) { return 8 * (i / 2); }
/// Column of accumulator element `i` relative to 2 * threadID_in_group.
constexpr int64_t mmaCColumnOffset(int64_t i) { return i % 2; }

/// Builds fragment registers and nvvm.mma.sync ops of one precision at a
/// builder's insertion point.
class MMAFragmentBuilder {
public:
  MMAFragmentBuilder(OpBuilder &b, Location loc, GPUMatmulPrecision precision)
      : b(b), loc(loc), precision(precision) {}

  /// True for bf16/f16 (two values per 32-bit word, m16n8k16).
  bool isSixteenBit() const {
    return precision == GPUMatmulPrecision::BF16 ||
           precision == GPUMatmulPrecision::F16;
  }

  /// The i32 word of two f32 values rounded to bf16/f16: `low` (the lower
  /// k) in bits 0-15, `high` in bits 16-31. Sixteen-bit precisions only.
  Value packPair(Value low, Value high);

  /// The register(s) of the 32-bit shared word `shared[row][word]` (i32 for
  /// bf16/f16, f32 for tf32/f32): see registersOfWord.
  SmallVector<Value> loadRegister(Value shared, Value row, Value word);

  /// The register(s) of one 32-bit word: for bf16 the i32 itself, for f16
  /// a vector<2xf16>, for tf32 the f32 bits rounded to nearest tf32 (as
  /// cvt.rna.tf32.f32), for f32 (3xTF32) the pair (high, low).
  SmallVector<Value> registersOfWord(Value word);

  /// acc (4 f32) += A x B with one nvvm.mma.sync; `a` holds 4 registers
  /// (bf16/f16/tf32 m16n8k16 / m16n8k8), `bFrag` 2.
  void mma(ArrayRef<Value> a, ArrayRef<Value> bFrag,
           MutableArrayRef<Value> acc);

  /// acc += A x B for registers as registersOfWord gives them: one mma, or
  /// for 3xTF32 the small products lo*hi and hi*lo first, then hi*hi.
  void accumulate(ArrayRef<SmallVector<Value>> a,
                  ArrayRef<SmallVector<Value>> bFrag,
                  MutableArrayRef<Value> acc);

private:
  OpBuilder &b;
  Location loc;
  GPUMatmulPrecision precision;
};

} // namespace mlir::llm

#endif // LLM_CONVERSION_GPUCOMMON_MMAFRAGMENTS_H
