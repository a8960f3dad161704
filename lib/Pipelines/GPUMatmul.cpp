//===- GPUMatmul.cpp - llm-gpu-matmul: tensor-core contraction kernels ----===//
//
// Rewrites f32 contractions on buffers into one gpu.launch each: a tiled
// kernel with the A and B tiles in shared memory (the launch's workgroup
// attributions) and the inner product on tensor cores (nvvm.mma.sync). The
// tile sizes come from the GPU cost model (lib/Tiling/GPUCostModel.cpp).
// See the pass description in include/llm/Pipelines/Passes.td and
// docs/nvptx.md ("Matmul on tensor cores").
//
// The kernel is built by hand rather than with upstream's linalg tiling +
// promotion + `convert-vector-to-gpu{use-nvgpu}`: in MLIR 22 that route needs
// 16-bit operands in memory (our models are f32, rounded to bf16/f16 while
// copying to shared memory here), `nvgpu.mma.sync` rejects bf16 ("failed to
// deduce operand PTX types"), and the edge tiles would need masked vector
// transfers the nvgpu lowering does not take. The mma fragments are built in
// the register layout the PTX ISA specifies for mma.m16n8k16 / m16n8k8
// (groupID = lane / 4 selects the row of A and C and the column of B,
// threadID_in_group = lane % 4 the k pair or k element), and nvvm.mma.sync
// takes them directly; the fragment helpers are shared with the attention
// kernel (llm/Conversion/GPUCommon/MMAFragments.h).
//
//===----------------------------------------------------------------------===//

#include "llm/Pipelines/Passes.h"

#include "llm/Conversion/GPUCommon/MMAFragments.h"

#include "llm/Tiling/ContractionMatch.h"
#include "llm/Tiling/GPUCostModel.h"
#include "llm/Tiling/TargetDescription.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/IR/Builders.h"

namespace mlir::llm {
#define GEN_PASS_DEF_LLMGPUMATMULPASS
#include "llm/Pipelines/Passes.h.inc"
} // namespace mlir::llm

using namespace mlir;
using namespace mlir::llm;

namespace {

/// A GPU contraction: the match (loop dims, static shape) plus the indexing
/// maps of A, B, C.
struct GPUContraction {
  linalg::LinalgOp op;
  ContractionMatch match;
  AffineMap mapA, mapB, mapC;
  int64_t staticBatch = 1;
};

/// The f32 contractions the kernel handles: matchContraction with any
/// operand layout, buffers, f32, projected-permutation maps.
std::optional<GPUContraction> matchGPUContraction(linalg::LinalgOp op) {
  if (!op.hasPureBufferSemantics())
    return std::nullopt;
  std::optional<ContractionMatch> match =
      matchContraction(op, /*requireContiguousN=*/false);
  if (!match)
    return std::nullopt;
  for (OpOperand &operand : op->getOpOperands())
    if (!cast<MemRefType>(operand.get().getType()).getElementType().isF32())
      return std::nullopt;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (!llvm::all_of(maps, [](AffineMap m) { return m.isProjectedPermutation(); }))
    return std::nullopt;
  GPUContraction c{op, *match, maps[0], maps[1], maps[2]};
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  for (unsigned dim : match->batchDims) {
    if (ShapedType::isDynamic(ranges[dim]) ||
        ShapedType::isDynamic(c.staticBatch))
      c.staticBatch = ShapedType::kDynamic;
    else
      c.staticBatch *= ranges[dim];
  }
  return c;
}

/// True if the innermost result of `map` is loop dim `dim`.
bool innermostIs(AffineMap map, unsigned dim) {
  if (map.getNumResults() == 0)
    return false;
  auto expr = dyn_cast<AffineDimExpr>(map.getResults().back());
  return expr && expr.getPosition() == dim;
}

/// Emits the kernel of one contraction. Index arithmetic is plain arith on
/// `index`; the fragment and copy loops are unrolled here (constant trip
/// counts), the k loop and the copy loops are scf.for.
class KernelBuilder {
public:
  KernelBuilder(OpBuilder &b, Location loc, const GPUContraction &c,
                const GPUContractionTiles &tiles, GPUMatmulPrecision precision)
      : b(b), loc(loc), c(c), tiles(tiles), frags(b, loc, precision) {
    sixteenBit = frags.isSixteenBit();
    pack = sixteenBit ? 2 : 1;
    mmaK = gpuMmaK(precision);
    wordsK = tiles.blockK / pack;
    rowWords = wordsK + kGPUSharedRowPadWords;
    threads = tiles.warps() * 32;
  }

  /// Builds the gpu.launch in place of the contraction.
  void build();

private:
  Value cst(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value div(Value x, int64_t y) {
    return arith::DivUIOp::create(b, loc, x, cst(y));
  }
  Value rem(Value x, int64_t y) {
    return arith::RemUIOp::create(b, loc, x, cst(y));
  }
  Value ult(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, x, y);
  }
  Value minU(Value x, Value y) { return arith::MinUIOp::create(b, loc, x, y); }

  /// The indices of an operand whose map is `map`, given the loop values.
  SmallVector<Value> operandIndices(AffineMap map, ArrayRef<Value> loops) {
    SmallVector<Value> indices;
    for (AffineExpr e : map.getResults())
      indices.push_back(loops[cast<AffineDimExpr>(e).getPosition()]);
    return indices;
  }

  /// Loads the f32 element (row, k) of A (`isA`) or (k, col) of B, zero
  /// outside the operand (the index is clamped so the load stays in
  /// bounds; `limitRow`/`limitK` are M or N and K, at least 1 here).
  Value loadOperand(bool isA, Value row, Value k) {
    unsigned rowDim = isA ? c.match.mDim : c.match.nDim;
    Value rowLimit = isA ? sizeM : sizeN;
    Value inRange = arith::AndIOp::create(b, loc, ult(row, rowLimit),
                                          ult(k, sizeK));
    Value one = cst(1);
    SmallVector<Value> loops = batchLoops;
    loops[rowDim] = minU(row, arith::SubIOp::create(b, loc, rowLimit, one));
    loops[c.match.kDim] = minU(k, arith::SubIOp::create(b, loc, sizeK, one));
    linalg::LinalgOp op = c.op;
    Value memref = op.getDpsInputs()[isA ? 0 : 1];
    Value value = memref::LoadOp::create(
        b, loc, memref, operandIndices(isA ? c.mapA : c.mapB, loops));
    Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
    return arith::SelectOp::create(b, loc, inRange, value, zero);
  }

  /// The 32-bit shared-memory word of elements (row, u*pack ..): an f32, or
  /// two 16-bit values packed (lower k in the low half).
  Value makeWord(bool isA, Value row, Value unit) {
    Value k = mul(unit, cst(pack));
    if (!sixteenBit)
      return loadOperand(isA, row, k);
    return frags.packPair(loadOperand(isA, row, k),
                          loadOperand(isA, row, add(k, cst(1))));
  }

  /// Cooperative copy of one operand tile (rows x wordsK words) into
  /// `shared`; consecutive threads take consecutive elements along the
  /// operand's contiguous dim (k if it is innermost, else the row dim).
  void copyTile(bool isA, Value shared, Value k0) {
    int64_t rows = isA ? tiles.blockM : tiles.blockN;
    Value rowBase = isA ? m0 : n0;
    unsigned rowDim = isA ? c.match.mDim : c.match.nDim;
    bool kInner = !innermostIs(isA ? c.mapA : c.mapB, rowDim);
    auto loop = scf::ForOp::create(b, loc, tid, cst(rows * wordsK),
                                   cst(threads));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value idx = loop.getInductionVar();
    Value row = kInner ? div(idx, wordsK) : rem(idx, rows);
    Value unit = kInner ? rem(idx, wordsK) : div(idx, rows);
    Value word = makeWord(isA, add(rowBase, row),
                          add(div(k0, pack), unit));
    memref::StoreOp::create(b, loc, word, shared, ValueRange{row, unit});
  }

  OpBuilder &b;
  Location loc;
  const GPUContraction &c;
  const GPUContractionTiles &tiles;
  MMAFragmentBuilder frags;
  bool sixteenBit;
  int64_t pack, mmaK, wordsK, rowWords, threads;
  // Kernel values.
  Value sizeM, sizeN, sizeK, tid, m0, n0;
  SmallVector<Value> batchLoops;
};

void KernelBuilder::build() {
  linalg::LinalgOp op = c.op;
  MLIRContext *ctx = b.getContext();
  // Host side: loop sizes and the grid.
  SmallVector<Range> ranges = op.createLoopRanges(b, loc);
  auto size = [&](unsigned dim) {
    return getValueOrCreateConstantIndexOp(b, loc, ranges[dim].size);
  };
  sizeM = size(c.match.mDim);
  sizeN = size(c.match.nDim);
  sizeK = size(c.match.kDim);
  SmallVector<Value> batchSizes;
  Value gridZ = cst(1);
  for (unsigned dim : c.match.batchDims) {
    batchSizes.push_back(size(dim));
    gridZ = mul(gridZ, batchSizes.back());
  }
  auto ceilDiv = [&](Value x, int64_t d) { return div(add(x, cst(d - 1)), d); };
  Value gridX = ceilDiv(sizeN, tiles.blockN);
  Value gridY = ceilDiv(sizeM, tiles.blockM);

  Type word = sixteenBit ? Type(b.getI32Type()) : Type(b.getF32Type());
  Attribute workgroup =
      gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  auto sharedA = MemRefType::get({tiles.blockM, rowWords}, word,
                                 MemRefLayoutAttrInterface(), workgroup);
  auto sharedB = MemRefType::get({tiles.blockN, rowWords}, word,
                                 MemRefLayoutAttrInterface(), workgroup);
  Value one = cst(1);
  auto launch = gpu::LaunchOp::create(
      b, loc, gridX, gridY, gridZ, cst(threads), one, one,
      /*dynamicSharedMemorySize=*/nullptr, /*asyncTokenType=*/nullptr,
      /*asyncDependencies=*/ValueRange{},
      /*workgroupAttributions=*/TypeRange{sharedA, sharedB});

  OpBuilder::InsertionGuard guard(b);
  Block &body = launch.getBody().front();
  b.setInsertionPointToEnd(&body);
  auto terminator = gpu::TerminatorOp::create(b, loc);
  b.setInsertionPoint(terminator);
  Value tileA = launch.getWorkgroupAttributions()[0];
  Value tileB = launch.getWorkgroupAttributions()[1];
  tid = launch.getThreadIds().x;
  m0 = mul(launch.getBlockIds().y, cst(tiles.blockM));
  n0 = mul(launch.getBlockIds().x, cst(tiles.blockN));
  // Batch indices: the block's z id delinearized, innermost batch dim last.
  batchLoops.assign(op.getNumLoops(), Value());
  Value z = launch.getBlockIds().z;
  for (int64_t i = static_cast<int64_t>(batchSizes.size()) - 1; i >= 0; --i) {
    batchLoops[c.match.batchDims[i]] =
        arith::RemUIOp::create(b, loc, z, batchSizes[i]);
    z = arith::DivUIOp::create(b, loc, z, batchSizes[i]);
  }
  Value warp = div(tid, 32), lane = rem(tid, 32);
  Value warpRow = mul(div(warp, tiles.warpsN), cst(tiles.warpTileM()));
  Value warpCol = mul(rem(warp, tiles.warpsN), cst(tiles.warpTileN()));
  Value group = div(lane, 4), inGroup = rem(lane, 4);

  int64_t fragsM = tiles.warpTileM() / 16, fragsN = tiles.warpTileN() / 8;
  int64_t numAcc = fragsM * fragsN * 4;
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
  SmallVector<Value> init(numAcc, zero);
  auto kLoop = scf::ForOp::create(b, loc, cst(0), sizeK, cst(tiles.blockK),
                                  init);
  {
    OpBuilder::InsertionGuard loopGuard(b);
    b.setInsertionPointToStart(kLoop.getBody());
    Value k0 = kLoop.getInductionVar();
    copyTile(/*isA=*/true, tileA, k0);
    copyTile(/*isA=*/false, tileB, k0);
    gpu::BarrierOp::create(b, loc);
    SmallVector<Value> acc(kLoop.getRegionIterArgs());
    for (int64_t step = 0; step < tiles.blockK / mmaK; ++step) {
      // Fragment words of this k step: 8 words (16 bf16/f16 or 8 tf32).
      Value wordBase = add(cst(step * 8), inGroup);
      // A: register j holds row group + 8 (j % 2), word t + 4 (j / 2).
      SmallVector<SmallVector<SmallVector<Value>>> aFrags(fragsM);
      for (int64_t fm = 0; fm < fragsM; ++fm) {
        Value row = add(add(warpRow, cst(fm * 16)), group);
        for (int64_t j = 0; j < 4; ++j)
          aFrags[fm].push_back(frags.loadRegister(
              tileA, add(row, cst(mmaARowOffset(j))),
              add(wordBase, cst(mmaAWordOffset(j)))));
      }
      // B (stored n-major): register j holds column group, word t + 4 j.
      SmallVector<SmallVector<SmallVector<Value>>> bFrags(fragsN);
      for (int64_t fn = 0; fn < fragsN; ++fn) {
        Value col = add(add(warpCol, cst(fn * 8)), group);
        for (int64_t j = 0; j < 2; ++j)
          bFrags[fn].push_back(frags.loadRegister(
              tileB, col, add(wordBase, cst(mmaBWordOffset(j)))));
      }
      for (int64_t fm = 0; fm < fragsM; ++fm) {
        for (int64_t fn = 0; fn < fragsN; ++fn) {
          MutableArrayRef<Value> tile(acc.data() + (fm * fragsN + fn) * 4, 4);
          frags.accumulate(aFrags[fm], bFrags[fn], tile);
        }
      }
    }
    gpu::BarrierOp::create(b, loc);
    scf::YieldOp::create(b, loc, acc);
  }

  // C[m, n] += accumulator: element i of an mma tile is row group + 8 (i/2),
  // column 2 t + i % 2.
  Value outC = op.getDpsInits()[0];
  for (int64_t fm = 0; fm < fragsM; ++fm) {
    for (int64_t fn = 0; fn < fragsN; ++fn) {
      for (int64_t i = 0; i < 4; ++i) {
        Value row = add(
            add(m0, add(warpRow, cst(fm * 16 + mmaCRowOffset(i)))), group);
        Value col = add(add(n0, add(warpCol, cst(fn * 8 + mmaCColumnOffset(i)))),
                        mul(inGroup, cst(2)));
        Value inside =
            arith::AndIOp::create(b, loc, ult(row, sizeM), ult(col, sizeN));
        auto ifOp = scf::IfOp::create(b, loc, inside, /*withElse=*/false);
        OpBuilder::InsertionGuard ifGuard(b);
        b.setInsertionPointToStart(ifOp.thenBlock());
        SmallVector<Value> loops = batchLoops;
        loops[c.match.mDim] = row;
        loops[c.match.nDim] = col;
        SmallVector<Value> indices = operandIndices(c.mapC, loops);
        Value old = memref::LoadOp::create(b, loc, outC, indices);
        Value sum = arith::AddFOp::create(
            b, loc, old, kLoop.getResult((fm * fragsN + fn) * 4 + i));
        memref::StoreOp::create(b, loc, sum, outC, indices);
      }
    }
  }
}

struct GPUMatmulPass
    : llm::impl::LLMGPUMatmulPassBase<GPUMatmulPass> {
  using LLMGPUMatmulPassBase::LLMGPUMatmulPassBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    auto fail = [&](const Twine &message) {
      func.emitError() << "llm-gpu-matmul: " << message;
      signalPassFailure();
    };
    std::optional<GPUMatmulPrecision> parsed = parseGPUMatmulPrecision(precision);
    if (!parsed)
      return fail("precision=" + precision +
                  " is not one of f32, tf32, bf16, f16");
    std::string error;
    FailureOr<TargetDescription> target = getGPUTarget(chip, error);
    if (failed(target) ||
        failed(applyTargetOverrides(*target, targetDesc, error)))
      return fail(error);
    if (!tileSizes.empty() && tileSizes.size() != 5)
      return fail("tile-sizes needs 5 values (BM,BN,BK,warpsM,warpsN), got " +
                  Twine(tileSizes.size()));

    SmallVector<GPUContraction> contractions;
    func.walk([&](linalg::LinalgOp op) {
      if (std::optional<GPUContraction> c = matchGPUContraction(op))
        contractions.push_back(*c);
    });
    for (GPUContraction &c : contractions) {
      GPUContractionTiles tiles;
      if (tileSizes.empty()) {
        tiles = chooseGPUContractionTiles(*target, c.match.shape,
                                          c.staticBatch, *parsed);
      } else {
        tiles.blockM = tileSizes[0];
        tiles.blockN = tileSizes[1];
        tiles.blockK = tileSizes[2];
        tiles.warpsM = tileSizes[3];
        tiles.warpsN = tileSizes[4];
        if (auto problem = completeGPUContractionTiles(
                *target, c.match.shape, c.staticBatch, *parsed, tiles))
          return fail("tile-sizes: " + *problem);
      }
      if (report) {
        std::string text;
        llvm::raw_string_ostream os(text);
        target->print(os);
        os << "\n  precision=" << stringifyGPUMatmulPrecision(*parsed) << " ";
        tiles.print(os);
        c.op.emitRemark() << "gpu matmul: " << text;
      }
      OpBuilder b(c.op);
      KernelBuilder(b, c.op.getLoc(), c, tiles, *parsed).build();
      c.op.erase();
    }
  }
};

} // namespace
