//===- AttentionToGPU.cpp - fused flash-attention GPU kernel --------------===//
//
// convert-transformer-to-gpu: lowers `transformer.attention` to ONE
// `gpu.launch`, a flash-attention kernel written with gpu/scf/memref ops, so
// the NVPTX pipeline no longer runs attention as host loops of small kernels
// (the CPU route of AttentionToLinalg.cpp) with tiles in global memory.
//
// Grid: `ceil(Sq / TQ) x Hq x B` blocks (x = query tile, y = query head,
// z = batch), `TQ * R` threads each; query row `r` of the tile belongs to
// the R consecutive lanes `r * R .. r * R + R - 1` (one warp holds 32 / R
// rows). Per block:
//
//   Qs[TQ][D+1]  <- Q tile * scale          (cooperative, coalesced loads)
//   m = -inf, l = 0, o[Dv / R] = 0          (registers: loop-carried SSA)
//   for kv tile in 0 .. ceil(kvEnd / TKV):  (causal: kvEnd = the last key
//                                            the block's last row sees)
//     Ks[TKV][D+1], Vs[TKV][Dv'] <- K, V tile (zeros past T); barrier
//     s[j]  = Qs[r] . Ks[j]   for the lane's keys j = lane + R * i
//     s[j]  = mask / causal / past-the-end ? ... : -inf
//     m'    = max(m, max_j s) (gpu.shuffle xor across the row's R lanes)
//     p[j]  = exp(s[j] - m'), l' = exp(m - m') * l + sum_j p (shuffles)
//     Ps[r][j] <- p; barrier
//     o     = exp(m - m') * o + sum_{j < min(TKV, kvEnd - kv0)} Ps[r][j] *
//     Vs[j] barrier
//   out[b, h, q0 + r, lane + R * k] = o[k] / l
//
// The padded row strides (D + 1, TKV + 1) keep the lanes of a warp, which
// read 32 / R different rows of Qs and Ps at once, on different banks.
// Scores are computed in f32 whatever the element type (f16/bf16 are
// extended on load, the output truncated on store). A row with no visible
// key keeps m = -inf (the exponent offset is 0 then, as on the CPU) and
// ends with 0 / 0 = NaN, like the reference. Grouped-query attention reads
// KV head `h / (Hq / Hkv)`; the KV cache is concatenated (tensor.concat) and
// the kernel reads the concatenation, which is also the present key/value.
//
// The operands enter as `bufferization.to_buffer` with a fully dynamic
// strided layout (whatever buffer bufferization gives them casts to it), the
// output is a `memref.alloc` turned back into a tensor by
// `bufferization.to_tensor restrict writable`; one-shot bufferization and
// the deallocation pipeline then treat it as any other buffer.
//
// With tensor cores (precision=auto on f16/bf16 attention, or
// precision=bf16|f16) and head dims that are multiples of 16, the launch
// runs FlashAttention-2's kernel instead (AttentionMMAKernel.cpp: one warp
// per 16 query rows, nvvm.mma.sync for Q K^T and P V); the grid, the
// operands and the output are the same.
//
// Not handled (the pattern does not match; convert-transformer-to-linalg
// lowers those the CPU way): head dims that are dynamic or above 128 (the
// per-thread output columns would no longer fit in registers, the tiles
// in 48 KiB of static shared memory), element types other than
// f16/bf16/f32, rank-0 masks.
//
//===----------------------------------------------------------------------===//

#include "llm/Conversion/Passes.h"

#include "AttentionKernels.h"

#include "llm/Conversion/GPUCommon/KernelArith.h"
#include "llm/Conversion/GPUCommon/KernelLaunch.h"

#include "Transformer/IR/TransformerOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::llm {
#define GEN_PASS_DEF_CONVERTTRANSFORMERTOGPUPASS
#include "llm/Conversion/Passes.h.inc"
} // namespace mlir::llm

using namespace mlir;
using namespace mlir::llm;

namespace {

/// The largest head dim the kernel takes (query/key and value).
constexpr int64_t kMaxHeadDim = 128;

/// The kernel's shape: tiles, lanes per row, registers per lane.
struct AttentionKernelShape {
  int64_t tileQ, tileKV, lanesPerRow;
  int64_t headDim, valueDim;
  /// Threads per block (tileQ * lanesPerRow).
  int64_t threads() const { return tileQ * lanesPerRow; }
  /// Scores per lane and key tile (tileKV / lanesPerRow).
  int64_t scoresPerLane() const { return tileKV / lanesPerRow; }
  /// Output columns per lane, ceil(valueDim / lanesPerRow).
  int64_t columnsPerLane() const {
    return (valueDim + lanesPerRow - 1) / lanesPerRow;
  }
  /// Bytes of workgroup memory: Qs, Ks, Vs, Ps (f32, padded rows).
  int64_t sharedBytes() const {
    return 4 * (tileQ * (headDim + 1) + tileKV * (headDim + 1) +
                tileKV * columnsPerLane() * lanesPerRow + tileQ * (tileKV + 1));
  }
};

/// Shrinks the requested tiles (the larger one first, the key tile on ties,
/// never below one row or `lanesPerRow` keys) until the workgroup buffers fit
/// `maxShared` bytes; std::nullopt if they never do.
std::optional<AttentionKernelShape>
planKernel(int64_t tileQ, int64_t tileKV, int64_t lanesPerRow, int64_t headDim,
           int64_t valueDim, int64_t maxShared) {
  AttentionKernelShape shape{tileQ, tileKV, lanesPerRow, headDim, valueDim};
  while (shape.sharedBytes() > maxShared || shape.threads() > 1024) {
    bool canShrinkKV = shape.tileKV > lanesPerRow;
    bool canShrinkQ = shape.tileQ > 1;
    if (canShrinkQ && (shape.tileQ > shape.tileKV || !canShrinkKV))
      shape.tileQ /= 2;
    else if (canShrinkKV)
      shape.tileKV /= 2;
    else
      return std::nullopt;
  }
  return shape;
}

/// Builds the body of the attention launch. Holds the values the helpers
/// share (thread ids, the lane's row and column, constants).
class AttentionKernelBuilder : public KernelArith {
public:
  AttentionKernelBuilder(OpBuilder &b, Location loc,
                         const AttentionKernelShape &shape)
      : KernelArith(b, loc), shape(shape) {}

  /// `memref[indices]` as f32.
  Value loadF32(Value memref, ValueRange indices) {
    return toF32(memref::LoadOp::create(b, loc, memref, indices));
  }

  /// Cooperative load of `rows x cols` elements into the workgroup buffer
  /// `tile` ([rows][>= cols] f32): element `e = tid + threads * i` goes to
  /// `tile[e / cols][e % cols]` (consecutive threads read consecutive
  /// columns of a row: coalesced). Rows `firstRow + row >= rowLimit` get 0.
  /// `load(row)` gives the global value of column `col` of source row `row`.
  void loadTile(Value tile, int64_t rows, int64_t cols, Value firstRow,
                Value rowLimit,
                function_ref<Value(Value row, Value col)> load) {
    cooperativeLoop(b, loc, tid, shape.threads(), rows * cols,
                    [&](Value element) {
      Value row = divU(element, cols);
      Value col = remU(element, cols);
      Value sourceRow = add(firstRow, row);
      auto inRange = scf::IfOp::create(
          b, loc, ult(sourceRow, rowLimit),
          [&](OpBuilder &tb, Location) {
            OpBuilder::InsertionGuard g(b);
            b.setInsertionPoint(tb.getInsertionBlock(), tb.getInsertionPoint());
            scf::YieldOp::create(b, loc, load(sourceRow, col));
          },
          [&](OpBuilder &eb, Location) {
            OpBuilder::InsertionGuard g(b);
            b.setInsertionPoint(eb.getInsertionBlock(), eb.getInsertionPoint());
            scf::YieldOp::create(b, loc, f32Const(0.0));
          });
      memref::StoreOp::create(b, loc, inRange.getResult(0), tile,
                              ValueRange{row, col});
    });
  }

  /// `acc[i] = fma(lhsTile[lhsRow][x], rhsTile[rhsIndex(x, i)], acc[i])`
  /// for x in [0, upper): an scf.for carrying `init` (one value per i), the
  /// lhs element read once per step for all i (unrolled in the body).
  scf::ForOp
  fmaLoop(Value upper, ValueRange init, Value lhsTile, Value lhsRow,
          Value rhsTile,
          function_ref<SmallVector<Value>(Value x, int64_t i)> rhsIndex) {
    return scf::ForOp::create(
        b, loc, index(0), upper, index(1), init,
        [&](OpBuilder &nb, Location, Value x, ValueRange acc) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToStart(nb.getInsertionBlock());
          Value lhs =
              memref::LoadOp::create(b, loc, lhsTile, ValueRange{lhsRow, x});
          SmallVector<Value> next;
          for (auto [i, sum] : llvm::enumerate(acc)) {
            Value rhs = memref::LoadOp::create(b, loc, rhsTile, rhsIndex(x, i));
            next.push_back(math::FmaOp::create(b, loc, lhs, rhs, sum));
          }
          scf::YieldOp::create(b, loc, next);
        });
  }

  /// Combines `v` over the row's lanes (butterfly of gpu.shuffle xor).
  Value rowReduce(Value v, bool isMax) {
    SmallVector<int32_t> offsets;
    for (int32_t offset = 1; offset < shape.lanesPerRow; offset *= 2)
      offsets.push_back(offset);
    return xorShuffleReduce(v, offsets, isMax);
  }

  const AttentionKernelShape &shape;
  Value tid;
};

} // namespace

AttentionBlock llm::attentionBlock(OpBuilder &b, Location loc,
                                   const AttentionBuffers &buf) {
  AttentionBlock block;
  block.tid = gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x);
  block.queryTile = gpu::BlockIdOp::create(b, loc, gpu::Dimension::x);
  block.head = gpu::BlockIdOp::create(b, loc, gpu::Dimension::y);
  block.batch = gpu::BlockIdOp::create(b, loc, gpu::Dimension::z);
  auto dim = [&](Value memref, int64_t d) -> Value {
    return memref::DimOp::create(b, loc, memref, d);
  };
  block.seqQ = dim(buf.query, 2);
  block.seqKV = dim(buf.key, 2);
  Value group =
      arith::DivUIOp::create(b, loc, dim(buf.query, 1), dim(buf.key, 1));
  block.kvHead = arith::DivUIOp::create(b, loc, block.head, group);
  block.seqOffset = arith::SubIOp::create(b, loc, block.seqKV, block.seqQ);
  return block;
}

Value llm::visibleKeyEnd(OpBuilder &b, Location loc,
                         const AttentionBuffers &buf, Value firstQuery,
                         int64_t tileQ, Value seqQ, Value seqKV,
                         Value seqOffset) {
  if (!buf.causal)
    return seqKV;
  KernelArith k(b, loc);
  Value rowsEnd = k.minU(k.add(firstQuery, k.index(tileQ)), seqQ);
  Value visible = k.add(rowsEnd, seqOffset);
  visible = arith::MinSIOp::create(b, loc, visible, seqKV);
  return arith::MaxSIOp::create(b, loc, visible, k.index(0));
}

Value llm::maskScore(OpBuilder &b, Location loc, const AttentionBuffers &buf,
                     Value s, Value key, Value kvEnd,
                     const AttentionRowMask &row, Value batch, Value head,
                     Value lastKey) {
  KernelArith k(b, loc);
  Value visible = k.ult(key, kvEnd);
  if (buf.causal)
    visible = arith::AndIOp::create(
        b, loc, visible,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle, key,
                              row.rowLimit));
  if (buf.mask) {
    auto maskType = cast<MemRefType>(buf.mask.getType());
    Value maskKey = k.minU(key, lastKey);
    Value full[4] = {batch, head, row.maskQuery, maskKey};
    SmallVector<Value> indices;
    int64_t rank = maskType.getRank();
    for (int64_t dim = 0; dim < rank; ++dim)
      indices.push_back(maskType.getDimSize(dim) == 1 ? k.index(0)
                                                      : full[4 - rank + dim]);
    Value m = memref::LoadOp::create(b, loc, buf.mask, indices);
    if (buf.boolMask) {
      visible = arith::AndIOp::create(b, loc, visible, m);
    } else {
      s = k.addF(s, k.toF32(m));
    }
  }
  return arith::SelectOp::create(b, loc, visible, s, k.negInf());
}

void llm::cooperativeLoop(OpBuilder &b, Location loc, Value tid,
                          int64_t threads, int64_t count,
                          function_ref<void(Value e)> body) {
  KernelArith k(b, loc);
  auto loop = scf::ForOp::create(b, loc, k.index(0),
                                 k.index(llvm::divideCeil(count, threads)),
                                 k.index(1));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value e = k.add(tid, k.mul(loop.getInductionVar(), k.index(threads)));
  if (count % threads != 0) {
    auto inRange = scf::IfOp::create(b, loc, k.ult(e, k.index(count)),
                                     /*withElseRegion=*/false);
    b.setInsertionPointToStart(inRange.thenBlock());
  }
  body(e);
}

Value llm::softmaxOffset(OpBuilder &b, Location loc, Value newMax) {
  KernelArith k(b, loc);
  Value noKeyYet = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                         newMax, k.negInf());
  return arith::SelectOp::create(b, loc, noKeyYet, k.f32Const(0.0), newMax);
}

namespace {

/// Emits the kernel's body at `b`'s insertion point (the gpu.func's entry
/// block); `shared` are its workgroup buffers Qs, Ks, Vs, Ps.
void buildAttentionKernel(OpBuilder &b, Location loc,
                          const AttentionKernelShape &shape,
                          const AttentionBuffers &buf,
                          ArrayRef<BlockArgument> shared) {
  AttentionKernelBuilder k(b, loc, shape);
  const int64_t lanes = shape.lanesPerRow,
                scoresPerLane = shape.scoresPerLane(),
                columns = shape.columnsPerLane();
  Value qs = shared[0], ks = shared[1], vs = shared[2], ps = shared[3];

  AttentionBlock block = attentionBlock(b, loc, buf);
  k.tid = block.tid;
  Value head = block.head, batch = block.batch, kvHead = block.kvHead;
  Value seqQ = block.seqQ, seqKV = block.seqKV, seqOffset = block.seqOffset;
  Value row = k.divU(k.tid, lanes);
  Value lane = k.remU(k.tid, lanes);
  Value firstQuery = k.mul(block.queryTile, k.index(shape.tileQ));
  Value query = k.add(firstQuery, row);

  // The query tile, pre-scaled: Qs[row][d] = scale * Q[b, h, q0 + row, d].
  Value scale = k.f32Const(buf.scale);
  k.loadTile(qs, shape.tileQ, shape.headDim, firstQuery, seqQ,
             [&](Value r, Value d) -> Value {
               Value q = k.loadF32(buf.query, {batch, head, r, d});
               return k.mulF(q, scale);
             });

  // Keys this block visits: all T, or (causal) up to the last key its last
  // row sees, query i seeing keys j <= i + (T - Sq); tiles above the
  // diagonal are never loaded.
  Value kvEnd = visibleKeyEnd(b, loc, buf, firstQuery, shape.tileQ, seqQ,
                              seqKV, seqOffset);
  Value numTiles = k.ceilDivU(kvEnd, shape.tileKV);
  // The last key query row `query` sees (signed: may be negative).
  Value rowLimit = k.add(query, seqOffset);
  // Clamped indices for the mask loads of padding rows/keys.
  Value lastQuery = k.sub(seqQ, k.index(1));
  Value lastKey = k.sub(seqKV, k.index(1));
  Value maskQuery = k.minU(query, lastQuery);

  SmallVector<Value> init = {k.negInf(), k.f32Const(0.0)};
  init.append(columns, k.f32Const(0.0));
  auto tileLoop = scf::ForOp::create(
      b, loc, k.index(0), numTiles, k.index(1), init,
      [&](OpBuilder &nb, Location, Value tile, ValueRange carried) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(nb.getInsertionBlock());
        Value rowMax = carried[0], rowSum = carried[1];
        ValueRange acc = carried.drop_front(2);
        Value firstKey = k.mul(tile, k.index(shape.tileKV));

        k.loadTile(ks, shape.tileKV, shape.headDim, firstKey, seqKV,
                   [&](Value j, Value d) {
                     return k.loadF32(buf.key, {batch, kvHead, j, d});
                   });
        k.loadTile(vs, shape.tileKV, shape.valueDim, firstKey, seqKV,
                   [&](Value j, Value d) {
                     return k.loadF32(buf.value, {batch, kvHead, j, d});
                   });
        gpu::BarrierOp::create(b, loc);

        // Scores of the lane's keys lane + lanes * i: dot products over d.
        SmallVector<Value> keyRows;
        for (int64_t i = 0; i < scoresPerLane; ++i)
          keyRows.push_back(k.add(lane, k.index(lanes * i)));
        SmallVector<Value> zeros(scoresPerLane, k.f32Const(0.0));
        scf::ForOp dotLoop =
            k.fmaLoop(k.index(shape.headDim), zeros, qs, row, ks,
                      [&](Value d, int64_t i) -> SmallVector<Value> {
                        return {keyRows[i], d};
                      });

        // Masks: past the keys this block visits, causal, the mask operand.
        SmallVector<Value> scores;
        Value tileMax = k.negInf();
        for (int64_t i = 0; i < scoresPerLane; ++i) {
          Value s = dotLoop.getResult(i);
          Value key = k.add(firstKey, keyRows[i]);
          s = maskScore(b, loc, buf, s, key, kvEnd, {rowLimit, maskQuery},
                        batch, head, lastKey);
          scores.push_back(s);
          tileMax = k.maxF(tileMax, s);
        }

        // Online softmax across the row's lanes.
        tileMax = k.rowReduce(tileMax, /*isMax=*/true);
        Value newMax = k.maxF(rowMax, tileMax);
        Value offset = softmaxOffset(b, loc, newMax);
        Value alpha = math::ExpOp::create(b, loc, k.subF(rowMax, offset));
        Value tileSum = k.f32Const(0.0);
        for (int64_t i = 0; i < scoresPerLane; ++i) {
          Value p = math::ExpOp::create(b, loc, k.subF(scores[i], offset));
          memref::StoreOp::create(b, loc, p, ps, ValueRange{row, keyRows[i]});
          tileSum = k.addF(tileSum, p);
        }
        tileSum = k.rowReduce(tileSum, /*isMax=*/false);
        Value newSum = math::FmaOp::create(b, loc, rowSum, alpha, tileSum);
        gpu::BarrierOp::create(b, loc);

        // o = alpha * o + P @ V over the keys of the tile this block visits
        // (the diagonal tile of causal attention stops at kvEnd).
        SmallVector<Value> scaled;
        for (Value a : acc)
          scaled.push_back(k.mulF(a, alpha));
        Value keysInTile = k.minU(k.index(shape.tileKV), k.sub(kvEnd, firstKey));
        SmallVector<Value> columnsOf;
        for (int64_t c = 0; c < columns; ++c)
          columnsOf.push_back(k.add(lane, k.index(lanes * c)));
        scf::ForOp pvLoop =
            k.fmaLoop(keysInTile, scaled, ps, row, vs,
                      [&](Value j, int64_t c) -> SmallVector<Value> {
                        return {j, columnsOf[c]};
                      });
        gpu::BarrierOp::create(b, loc);

        SmallVector<Value> yielded = {newMax, newSum};
        llvm::append_range(yielded, pvLoop.getResults());
        scf::YieldOp::create(b, loc, yielded);
      });

  // out[b, h, query, lane + lanes * c] = o[c] / l, once.
  auto rowGuard = scf::IfOp::create(b, loc, k.ult(query, seqQ),
                                    /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(rowGuard.thenBlock());
  Value rowSum = tileLoop.getResult(1);
  Type outElement = cast<MemRefType>(buf.output.getType()).getElementType();
  for (int64_t c = 0; c < columns; ++c) {
    Value column = k.add(lane, k.index(lanes * c));
    OpBuilder::InsertionGuard g(b);
    if (columns * lanes > shape.valueDim) {
      auto columnGuard = scf::IfOp::create(
          b, loc, k.ult(column, k.index(shape.valueDim)), false);
      b.setInsertionPointToStart(columnGuard.thenBlock());
    }
    Value o = k.fromF32(
        arith::DivFOp::create(b, loc, tileLoop.getResult(2 + c), rowSum),
        outElement);
    memref::StoreOp::create(b, loc, o, buf.output,
                            ValueRange{batch, head, query, column});
  }
}

/// The options of the lowering (convert-transformer-to-gpu's).
struct AttentionLoweringOptions {
  int64_t tileQ, tileKV, lanesPerRow, maxShared;
  StringRef precision;
};

/// The mma precision of the kernel for attention on `element`s under the
/// `precision` option, std::nullopt for the CUDA-core kernel.
std::optional<GPUMatmulPrecision> mmaPrecision(StringRef precision,
                                               Type element) {
  if (precision == "bf16" || (precision == "auto" && element.isBF16()))
    return GPUMatmulPrecision::BF16;
  if (precision == "f16" || (precision == "auto" && element.isF16()))
    return GPUMatmulPrecision::F16;
  return std::nullopt;
}

/// Replaces `op` by a launch of a new kernel, `@<function>_attention` in a
/// gpu.module of that name (as gpu-kernel-outlining names its modules), when
/// the kernel takes it (see the file header); else leaves `op` alone.
void lowerAttention(transformer::AttentionOp op, SymbolTable &moduleSymbols,
                    const AttentionLoweringOptions &options) {
  Location loc = op.getLoc();
  auto queryType = cast<RankedTensorType>(op.getQuery().getType());
  auto outputType = cast<RankedTensorType>(op.getOutput().getType());
  int64_t headDim = queryType.getDimSize(3);
  int64_t valueDim = outputType.getDimSize(3);
  if (ShapedType::isDynamic(headDim) || ShapedType::isDynamic(valueDim) ||
      headDim > kMaxHeadDim || valueDim > kMaxHeadDim)
    return;
  for (Value v : {op.getQuery(), op.getKey(), op.getValue(), op.getOutput()})
    if (!isKernelFloat(getElementTypeOrSelf(v.getType())))
      return;
  Value mask = op.getMask();
  bool boolMask = false;
  if (mask) {
    auto maskType = cast<RankedTensorType>(mask.getType());
    Type maskElement = maskType.getElementType();
    boolMask = maskElement.isInteger(1);
    if (maskType.getRank() == 0 || maskType.getRank() > 4 ||
        (!boolMask && !isKernelFloat(maskElement)))
      return;
  }
  std::optional<double> scale = op.getEffectiveScale();
  // The tensor-core kernel where the precision asks for it and the head
  // dims allow it, else the CUDA-core kernel.
  std::optional<MMAAttentionShape> mmaShape;
  if (std::optional<GPUMatmulPrecision> precision =
          mmaPrecision(options.precision, queryType.getElementType()))
    mmaShape = planMMAAttentionKernel(options.tileQ, options.tileKV, headDim,
                                      valueDim, options.maxShared, *precision);
  std::optional<AttentionKernelShape> shape;
  if (!mmaShape)
    shape = planKernel(options.tileQ, options.tileKV, options.lanesPerRow,
                       headDim, valueDim, options.maxShared);
  if (!scale || (!shape && !mmaShape))
    return;
  int64_t tileQ = mmaShape ? mmaShape->tileQ() : shape->tileQ;

  IRRewriter rewriter(op);
  // KV cache: the kernel reads concat(past, new), the present key/value.
  Value key = op.getKey(), value = op.getValue();
  SmallVector<Value> present;
  if (Value pastKey = op.getPastKey()) {
    auto concat = [&](Value past, Value now, Type type) -> Value {
      Value joined =
          tensor::ConcatOp::create(rewriter, loc, 2, ValueRange{past, now});
      if (joined.getType() != type)
        joined = tensor::CastOp::create(rewriter, loc, type, joined);
      return joined;
    };
    key = concat(pastKey, key, op.getPresentKey().getType());
    value = concat(op.getPastValue(), value, op.getPresentValue().getType());
    present = {key, value};
  }

  // Operands as buffers of any strided layout; the output a new buffer.
  SmallVector<Value> operands;
  for (Value tensor : {Value(op.getQuery()), key, value, mask}) {
    if (!tensor)
      continue;
    auto type = cast<RankedTensorType>(tensor.getType());
    SmallVector<int64_t> strides(type.getRank(), ShapedType::kDynamic);
    auto layout = StridedLayoutAttr::get(rewriter.getContext(),
                                         ShapedType::kDynamic, strides);
    auto memrefType =
        MemRefType::get(type.getShape(), type.getElementType(), layout);
    operands.push_back(bufferization::ToBufferOp::create(
        rewriter, loc, memrefType, tensor, /*read_only=*/true));
  }
  auto outputMemRef =
      MemRefType::get(outputType.getShape(), outputType.getElementType());
  SmallVector<Value> dynamicSizes;
  for (int64_t d = 0; d < outputType.getRank(); ++d)
    if (outputType.isDynamicDim(d))
      dynamicSizes.push_back(
          memref::DimOp::create(rewriter, loc, operands[0], d));
  Value output =
      memref::AllocOp::create(rewriter, loc, outputMemRef, dynamicSizes);
  operands.push_back(output);

  // The kernel: a gpu.func with the workgroup tiles in its own gpu.module.
  Attribute workgroup = gpu::AddressSpaceAttr::get(
      rewriter.getContext(), gpu::AddressSpace::Workgroup);
  Type f32 = rewriter.getF32Type();
  auto sharedType = [&](int64_t rows, int64_t cols, Type element) {
    return MemRefType::get({rows, cols}, element, MemRefLayoutAttrInterface(),
                           workgroup);
  };
  SmallVector<Type> sharedTypes;
  if (mmaShape) {
    // Ks [TKV][D/2 + pad], Vs [Dv][TKV/2 + pad]: words of 16-bit pairs.
    Type i32 = rewriter.getI32Type();
    sharedTypes = {
        sharedType(mmaShape->tileKV, mmaShape->keyRowWords(), i32),
        sharedType(valueDim, mmaShape->valueRowWords(), i32)};
  } else {
    sharedTypes = {
        sharedType(shape->tileQ, headDim + 1, f32),
        sharedType(shape->tileKV, headDim + 1, f32),
        sharedType(shape->tileKV,
                   shape->columnsPerLane() * shape->lanesPerRow, f32),
        sharedType(shape->tileQ, shape->tileKV + 1, f32)};
  }
  gpu::GPUFuncOp kernel = createKernel(
      rewriter, loc, moduleSymbols, kernelName(op, "attention"),
      ValueRange(operands).getTypes(), sharedTypes,
      mmaShape ? mmaShape->threads() : shape->threads(),
      [&](gpu::GPUFuncOp func) {
        Block &entry = func.getBody().front();
        AttentionBuffers buf;
        buf.query = entry.getArgument(0);
        buf.key = entry.getArgument(1);
        buf.value = entry.getArgument(2);
        buf.mask = mask ? entry.getArgument(3) : Value();
        buf.output = entry.getArgument(mask ? 4 : 3);
        buf.boolMask = boolMask;
        buf.causal = op.getCausal();
        buf.scale = *scale;
        if (mmaShape)
          buildMMAAttentionKernel(rewriter, loc, *mmaShape, buf,
                                  func.getWorkgroupAttributions());
        else
          buildAttentionKernel(rewriter, loc, *shape, buf,
                               func.getWorkgroupAttributions());
      });

  // The launch: query tiles x heads x batch blocks.
  Value seqQ = memref::DimOp::create(rewriter, loc, operands[0], 2);
  gpu::KernelDim3 grid{
      KernelArith(rewriter, loc).ceilDivU(seqQ, tileQ),
      memref::DimOp::create(rewriter, loc, operands[0], 1),
      memref::DimOp::create(rewriter, loc, operands[0], 0)};
  launchKernel(rewriter, loc, kernel, grid, operands);
  Value result = kernelResult(rewriter, loc, outputType, output);
  SmallVector<Value> results = {result};
  llvm::append_range(results, present);
  rewriter.replaceOp(op, results);
}

} // namespace

namespace mlir::llm {
namespace {

struct ConvertTransformerToGPUPass
    : impl::ConvertTransformerToGPUPassBase<ConvertTransformerToGPUPass> {
  using Base::Base;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto fail = [&](const Twine &message) {
      mlir::emitError(module.getLoc())
          << "convert-transformer-to-gpu: " << message;
      signalPassFailure();
    };
    if (tileQ <= 0 || tileKV <= 0)
      return fail("tile-q and tile-kv must be positive");
    if (threadsPerRow <= 0 || threadsPerRow > 32 ||
        !llvm::isPowerOf2_64(threadsPerRow) || tileKV % threadsPerRow != 0)
      return fail("threads-per-row must be a power of two of at most 32 that "
                  "divides tile-kv, got " +
                  Twine(static_cast<int64_t>(threadsPerRow)));
    if (precision != "auto" && precision != "f32" && precision != "bf16" &&
        precision != "f16")
      return fail("precision=" + precision +
                  " is not one of auto, f32, bf16, f16");
    if (maxSharedBytes <= 0 || maxSharedBytes > 49152)
      return fail("max-shared-bytes must be in 1..49152 (static shared "
                  "memory), got " +
                  Twine(static_cast<int64_t>(maxSharedBytes)));
    SmallVector<transformer::AttentionOp> ops;
    module.walk([&](transformer::AttentionOp op) { ops.push_back(op); });
    if (ops.empty())
      return;
    SymbolTable moduleSymbols(module);
    AttentionLoweringOptions options{tileQ, tileKV, threadsPerRow,
                                     maxSharedBytes, precision};
    for (transformer::AttentionOp op : ops)
      lowerAttention(op, moduleSymbols, options);
  }
};

} // namespace
} // namespace mlir::llm
