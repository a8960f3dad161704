//===- GPUMatmulWgmma.cpp - llm-gpu-matmul's wgmma kernel (sm_90a) --------===//
//
// The Hopper kernel of llm-gpu-matmul for bf16 / f16 operands: warpgroup
// matrix multiplies (`nvvm.wgmma.mma_async`, PTX wgmma.mma_async.sync.aligned
// .m64nNk16.f32.bf16.bf16) that read both operands from shared memory through
// 64-bit matrix descriptors, asynchronously, with double-buffered tiles:
//
//   grid (ceil(N/BN), ceil(M/BM), batch)   block: G warpgroups (128 threads each)
//   A_s[2][BM x BK], B_s[2][BN x BK]       16-bit, 8x8 core matrices, K-major
//   copy tile 0 -> stage 0; fence.proxy.async.shared::cta; barrier
//   for kt in 0 .. ceil(K/BK):
//     wgmma.fence
//     for each k16 step, each m64 slice of the warpgroup's BM/G rows:
//       acc = wgmma(desc(A_s[kt%2] slice), desc(B_s[kt%2]), acc)   (async)
//     wgmma.commit_group
//     copy tile kt+1 -> stage (kt+1)%2      (overlaps the wgmmas of tile kt)
//     fence.proxy.async.shared::cta; wgmma.wait_group 0; barrier
//   C[m, n] += acc                          (guarded, m < M and n < N)
//
// The operands are f32 in global memory (our models are f32): threads load
// them (clamped, zero outside the operand), round them to bf16 / f16, and
// store them as pairs; TMA (cp.async.bulk.tensor, nvgpu's warpgroup path)
// copies bytes and cannot convert, and cp.async cannot either. The shared
// layout is the wgmma "no swizzle" (interleave) canonical K-major layout:
// 8 rows x 16 bytes core matrices stored contiguously (128 bytes), the core
// matrices of one 8-row group along k at 128 bytes (the descriptor's
// leading-dimension byte offset), 8-row groups at BK * 16 bytes (the
// stride-dimension byte offset). Thread i of the copy writes word i of the
// tile, so the stores are conflict-free.
//
// Memory ordering (PTX ISA, "Asynchronous warpgroup level matrix multiply"):
// the copies are generic-proxy stores and wgmma reads through the async
// proxy, so every thread fences (fence.proxy.async.shared::cta) before the
// barrier that publishes a stage; a stage is overwritten only after the
// wgmmas reading it completed (wgmma.wait_group 0 in the previous iteration,
// then the barrier). wgmma.fence orders the accumulator registers before
// each batch of wgmmas.
//
//===----------------------------------------------------------------------===//

#include "GPUMatmulKernel.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::llm;

namespace {

/// Bytes of one 8 x 8 core matrix of 16-bit elements.
constexpr int64_t kCoreMatrixBytes = 128;

class WgmmaKernelBuilder : public GPUMatmulKernelBase {
public:
  WgmmaKernelBuilder(OpBuilder &b, Location loc, const GPUContraction &c,
                     const GPUContractionTiles &tiles,
                     GPUMatmulPrecision precision)
      : GPUMatmulKernelBase(b, loc, c, tiles, precision) {}

  void build();

private:
  Value i64(int64_t v) {
    return arith::ConstantIntOp::create(b, loc, b.getI64Type(), v);
  }
  Value toI64(Value index) {
    return arith::IndexCastUIOp::create(b, loc, b.getI64Type(), index);
  }

  /// Words (two 16-bit elements) of one stage of the A or B tile.
  int64_t stageWords(bool isA) const {
    return (isA ? tiles.blockM : tiles.blockN) * tiles.blockK / 2;
  }

  /// Copies the operand tile at k0 into stage `stage` of `shared`: word i
  /// of the stage is element pair (row, 2 kw) of the core-matrix layout,
  /// i = ((row / 8) * (BK / 8) + kw / 4) * 32 + (row % 8) * 4 + kw % 4.
  void copyTile(bool isA, Value shared, Value k0, Value stage) {
    int64_t words = stageWords(isA);
    int64_t chunksK = tiles.blockK / 8;
    Value rowBase = isA ? m0 : n0;
    Value stageBase = add(isA ? padA : padB, mul(stage, index(words)));
    auto loop = scf::ForOp::create(b, loc, tid, index(words),
                                   index(tiles.warps() * 32));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value idx = loop.getInductionVar();
    Value core = divU(idx, 32), inCore = remU(idx, 32);
    Value row = add(mul(divU(core, chunksK), index(8)), divU(inCore, 4));
    Value kw = add(mul(remU(core, chunksK), index(4)), remU(inCore, 4));
    Value word =
        loadPackedPair(isA, add(rowBase, row), add(k0, mul(kw, index(2))));
    memref::StoreOp::create(b, loc, word, shared,
                            ValueRange{add(stageBase, idx)});
  }

  /// Copies both tiles of k tile `kt` into stage kt % 2.
  void copyTiles(Value sharedA, Value sharedB, Value kt) {
    Value k0 = mul(kt, index(tiles.blockK));
    Value stage = remU(kt, 2);
    copyTile(/*isA=*/true, sharedA, k0, stage);
    copyTile(/*isA=*/false, sharedB, k0, stage);
  }

  /// Orders this thread's shared-memory stores (generic proxy) before the
  /// wgmmas' reads (async proxy) that a following barrier releases.
  void fenceProxyAsync() {
    NVVM::FenceProxyOp::create(
        b, loc, NVVM::ProxyKind::async_shared,
        NVVM::SharedSpaceAttr::get(b.getContext(),
                                   NVVM::SharedSpace::shared_cta));
  }

  /// The words before the first 16-byte aligned word of `shared` (a
  /// descriptor's start address drops its low 4 bits, and nothing asks the
  /// NVVM lowering for more than the i32 alignment of workgroup buffers;
  /// each buffer has 4 spare words). Sets `alignedAddress` (bytes).
  Value alignTile(Value shared, Value &alignedAddress) {
    Value address =
        memref::ExtractAlignedPointerAsIndexOp::create(b, loc, shared);
    alignedAddress = arith::AndIOp::create(b, loc, add(address, index(15)),
                                           index(~int64_t(15)));
    return divU(sub(alignedAddress, address), 4);
  }

  /// The descriptor of the tile at shared address `address` (16-byte
  /// aligned): start address (bits 0-13, >> 4), leading-dimension byte
  /// offset 128 (bits 16-29, >> 4), stride-dimension byte offset BK * 16
  /// (bits 32-45, >> 4), no swizzle (bits 62-63 = 0), base offset 0.
  Value descriptorBase(Value addressIndex) {
    Value address = toI64(addressIndex);
    Value start = arith::ShRUIOp::create(
        b, loc, arith::AndIOp::create(b, loc, address, i64(0x3ffff)), i64(4));
    int64_t strideBytes = tiles.blockK / 8 * kCoreMatrixBytes;
    int64_t fields = ((kCoreMatrixBytes >> 4) << 16) |
                     (static_cast<int64_t>(strideBytes >> 4) << 32);
    return arith::OrIOp::create(b, loc, start, i64(fields));
  }

  /// `base` + a byte offset into the tile (a multiple of 16, below 256 KiB
  /// with the base, so the 14-bit start field does not overflow).
  Value descriptorAt(Value base, Value byteOffset) {
    return arith::AddIOp::create(
        b, loc, base, toI64(divU(byteOffset, 16)));
  }

  /// Words before the aligned start of the A and B buffers.
  Value padA, padB;
};

void WgmmaKernelBuilder::build() {
  MLIRContext *ctx = b.getContext();
  Attribute workgroup =
      gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  Type i32 = b.getI32Type();
  int64_t stages = tiles.stages;
  auto sharedA = MemRefType::get({stages * stageWords(true) + 4}, i32,
                                 MemRefLayoutAttrInterface(), workgroup);
  auto sharedB = MemRefType::get({stages * stageWords(false) + 4}, i32,
                                 MemRefLayoutAttrInterface(), workgroup);
  gpu::LaunchOp launch =
      createLaunch(tiles.warps() * 32, TypeRange{sharedA, sharedB});
  Value tileA = launch.getWorkgroupAttributions()[0];
  Value tileB = launch.getWorkgroupAttributions()[1];

  int64_t wgTileM = tiles.warpgroupTileM();
  int64_t slices = wgTileM / 64;
  int64_t strideBytes = tiles.blockK / 8 * kCoreMatrixBytes;
  Value warpgroup = divU(tid, 128);
  Value addressA, addressB;
  padA = alignTile(tileA, addressA);
  padB = alignTile(tileB, addressB);
  Value descA = descriptorBase(addressA), descB = descriptorBase(addressB);

  // Accumulators: one struct of BN / 2 f32 per m64 slice.
  Type f32 = b.getF32Type();
  auto accType = LLVM::LLVMStructType::getLiteral(
      ctx, SmallVector<Type>(tiles.blockN / 2, f32));
  Value zeroAcc = LLVM::ZeroOp::create(b, loc, accType);
  SmallVector<Value> init(slices, zeroAcc);

  Value numTiles = ceilDivU(sizeK, tiles.blockK);
  // Prologue: tile 0 -> stage 0 (none when K = 0).
  {
    auto ifOp = scf::IfOp::create(b, loc, ult(index(0), numTiles),
                                  /*withElse=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    copyTiles(tileA, tileB, index(0));
  }
  fenceProxyAsync();
  gpu::BarrierOp::create(b, loc);

  auto kLoop = scf::ForOp::create(b, loc, index(0), numTiles, index(1), init);
  {
    OpBuilder::InsertionGuard loopGuard(b);
    b.setInsertionPointToStart(kLoop.getBody());
    Value kt = kLoop.getInductionVar();
    Value stage = remU(kt, 2);
    SmallVector<Value> acc(kLoop.getRegionIterArgs());
    NVVM::WgmmaFenceAlignedOp::create(b, loc);
    NVVM::WGMMATypes type = precision == GPUMatmulPrecision::BF16
                                ? NVVM::WGMMATypes::bf16
                                : NVVM::WGMMATypes::f16;
    // Byte offsets: the stage, this warpgroup's rows of A, the k16 step (two
    // core matrices along k).
    Value stageA = mul(stage, index(stageWords(true) * 4));
    Value stageB = mul(stage, index(stageWords(false) * 4));
    Value rowsA = mul(warpgroup, index(wgTileM / 8 * strideBytes));
    for (int64_t s = 0; s < tiles.blockK / 16; ++s) {
      Value stepBytes = index(s * 2 * kCoreMatrixBytes);
      Value descBk = descriptorAt(descB, add(stageB, stepBytes));
      for (int64_t slice = 0; slice < slices; ++slice) {
        Value offsetA = add(add(stageA, rowsA),
                            add(stepBytes, index(slice * 8 * strideBytes)));
        acc[slice] = NVVM::WgmmaMmaAsyncOp::create(
            b, loc, accType, acc[slice], descriptorAt(descA, offsetA), descBk,
            NVVM::MMAShapeAttr::get(ctx, 64, tiles.blockN, 16), type, type,
            NVVM::WGMMATypes::f32, NVVM::WGMMAScaleOut::one,
            NVVM::WGMMAScaleIn::one, NVVM::WGMMAScaleIn::one,
            NVVM::MMALayout::row, NVVM::MMALayout::col,
            /*satfinite=*/nullptr);
      }
    }
    NVVM::WgmmaGroupSyncAlignedOp::create(b, loc);
    // The next tile into the other stage while the wgmmas run.
    Value next = add(kt, index(1));
    {
      auto ifOp = scf::IfOp::create(b, loc, ult(next, numTiles),
                                    /*withElse=*/false);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(ifOp.thenBlock());
      copyTiles(tileA, tileB, next);
    }
    fenceProxyAsync();
    NVVM::WgmmaWaitGroupSyncOp::create(b, loc, 0);
    gpu::BarrierOp::create(b, loc);
    scf::YieldOp::create(b, loc, acc);
  }

  // C += accumulators. Element i of a slice's struct (PTX ISA, wgmma D
  // fragment for .m64nNk16 f32): row 16 (warp % 4) + lane / 4 + 8 ((i / 2) % 2),
  // column 8 (i / 4) + 2 (lane % 4) + i % 2.
  Value warpRow = mul(remU(divU(tid, 32), 4), index(16));
  Value lane = remU(tid, 32);
  Value rowBase = add(add(m0, mul(warpgroup, index(wgTileM))),
                      add(warpRow, divU(lane, 4)));
  Value colBase = add(n0, mul(remU(lane, 4), index(2)));
  for (int64_t slice = 0; slice < slices; ++slice) {
    for (int64_t i = 0; i < tiles.blockN / 2; ++i) {
      Value value = LLVM::ExtractValueOp::create(
          b, loc, kLoop.getResult(slice), ArrayRef<int64_t>{i});
      Value row = add(rowBase, index(slice * 64 + 8 * ((i / 2) % 2)));
      Value col = add(colBase, index(8 * (i / 4) + i % 2));
      accumulateC(row, col, value);
    }
  }
}

} // namespace

void llm::buildWgmmaKernel(OpBuilder &b, Location loc, const GPUContraction &c,
                           const GPUContractionTiles &tiles,
                           GPUMatmulPrecision precision) {
  OpBuilder::InsertionGuard guard(b);
  WgmmaKernelBuilder(b, loc, c, tiles, precision).build();
}
