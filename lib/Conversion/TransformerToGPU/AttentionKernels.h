//===- AttentionKernels.h - the attention kernels' shared pieces -*- C++ -*-===//
//
// What convert-transformer-to-gpu's two attention kernels share: the
// kernel's buffers, the block's ids and sizes, the end of the keys a block visits (causal tile
// skipping), the cooperative tile-copy loop, the masking of one score and
// the online softmax's exponent offset. The CUDA-core kernel is in AttentionToGPU.cpp, the tensor-core
// (mma.sync) kernel in AttentionMMAKernel.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_LIB_CONVERSION_TRANSFORMERTOGPU_ATTENTIONKERNELS_H
#define LLM_LIB_CONVERSION_TRANSFORMERTOGPU_ATTENTIONKERNELS_H

#include "llm/Tiling/GPUCostModel.h"

#include "mlir/IR/Builders.h"

#include <optional>

namespace mlir::llm {

/// What the kernel reads and writes (the gpu.func's arguments) and how.
struct AttentionBuffers {
  Value query, key, value, mask, output;
  bool causal;
  bool boolMask;
  double scale;
};

/// What both kernels start from: the thread id, the block's query tile (x),
/// query head (y) and batch (z), the sequence lengths Sq and T, the block's
/// KV head (grouped-query attention: h / (Hq / Hkv)) and T - Sq (query i
/// sees keys j <= i + (T - Sq) when causal; signed).
struct AttentionBlock {
  Value tid, queryTile, head, batch, seqQ, seqKV, kvHead, seqOffset;
};
/// Emits the ids and sizes of AttentionBlock at `b`'s insertion point.
AttentionBlock attentionBlock(OpBuilder &b, Location loc,
                              const AttentionBuffers &buf);

/// The end (exclusive) of the keys a block whose first query is
/// `firstQuery` visits: `seqKV`, or (causal) the last key its last row sees
/// plus one, query i seeing keys j <= i + (T - Sq), clamped to [0, T].
Value visibleKeyEnd(OpBuilder &b, Location loc, const AttentionBuffers &buf,
                    Value firstQuery, int64_t tileQ, Value seqQ, Value seqKV,
                    Value seqOffset);

/// Per query row values the masking needs: the last key the row sees
/// (causal, signed) and the row clamped into the mask.
struct AttentionRowMask {
  Value rowLimit, maskQuery;
};

/// `s` with the masks applied: -inf unless key < kvEnd, (causal) key <=
/// rowLimit and the boolean mask keeps it; an additive mask is added.
/// `lastKey` is T - 1 (the mask's key index is clamped to it).
Value maskScore(OpBuilder &b, Location loc, const AttentionBuffers &buf,
                Value s, Value key, Value kvEnd, const AttentionRowMask &row,
                Value batch, Value head, Value lastKey);

/// Runs `body(e)` for the elements `e = tid + threads * step` (step = 0,
/// 1, ...) below `count`: an scf.for over ceil(count / threads) steps, its
/// body guarded by `e < count` unless `threads` divides `count` (the
/// cooperative copies of the kernels' tiles).
void cooperativeLoop(OpBuilder &b, Location loc, Value tid, int64_t threads,
                     int64_t count, function_ref<void(Value e)> body);

/// The online softmax's exponent offset for a row whose running max is now
/// `newMax`: `newMax`, or 0 while the row has seen no visible key (`newMax`
/// = -inf: its exponentials are then exp(-inf) = 0, and a row that never
/// sees a key ends with 0 / 0 = NaN like the reference).
Value softmaxOffset(OpBuilder &b, Location loc, Value newMax);

/// The tensor-core kernel's shape: `warps` warps of 16 query rows each,
/// `tileKV` keys per shared tile, the head dims and the mma precision
/// (bf16 or f16). K is staged as [tileKV][D/2 (+pad)] words of 16-bit
/// pairs along d, V transposed as [Dv][tileKV/2 (+pad)] words of pairs
/// along the keys (the B operands of S = Q K^T and O += P V).
struct MMAAttentionShape {
  int64_t warps, tileKV, headDim, valueDim;
  GPUMatmulPrecision precision;
  int64_t tileQ() const { return 16 * warps; }
  int64_t threads() const { return 32 * warps; }
  int64_t keyRowWords() const { return headDim / 2 + kGPUSharedRowPadWords; }
  int64_t valueRowWords() const {
    return tileKV / 2 + kGPUSharedRowPadWords;
  }
  int64_t sharedBytes() const {
    return 4 * (tileKV * keyRowWords() + valueDim * valueRowWords());
  }
};

/// The tensor-core kernel's shape for the requested tiles (tileQ rounded
/// down to whole warps of 16 rows, at most 8 warps; tileKV to a multiple of
/// 16), the key tile halved until the tiles fit `maxShared` bytes;
/// std::nullopt if the head dims are not multiples of 16 or nothing fits.
std::optional<MMAAttentionShape>
planMMAAttentionKernel(int64_t tileQ, int64_t tileKV, int64_t headDim,
                       int64_t valueDim, int64_t maxShared,
                       GPUMatmulPrecision precision);

/// Emits the tensor-core kernel's body at `b`'s insertion point (the
/// gpu.func's entry block); `shared` are its workgroup buffers Ks, Vs (i32
/// words).
void buildMMAAttentionKernel(OpBuilder &b, Location loc,
                             const MMAAttentionShape &shape,
                             const AttentionBuffers &buf,
                             ArrayRef<BlockArgument> shared);

} // namespace mlir::llm

#endif // LLM_LIB_CONVERSION_TRANSFORMERTOGPU_ATTENTIONKERNELS_H
