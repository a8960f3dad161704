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

#include "GPUMatmulKernel.h"

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

/// Emits the kernel of one contraction. Index arithmetic is plain arith on
/// `index`; the fragment and copy loops are unrolled here (constant trip
/// counts), the k loop and the copy loops are scf.for.
class KernelBuilder : public GPUMatmulKernelBase {
public:
  KernelBuilder(OpBuilder &b, Location loc, const GPUContraction &c,
                const GPUContractionTiles &tiles, GPUMatmulPrecision precision)
      : GPUMatmulKernelBase(b, loc, c, tiles, precision),
        frags(b, loc, precision) {
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
  /// The 32-bit shared-memory word of elements (row, u*pack ..): an f32, or
  /// two 16-bit values packed (lower k in the low half).
  Value makeWord(bool isA, Value row, Value unit) {
    Value k = mul(unit, index(pack));
    if (!sixteenBit)
      return loadOperand(isA, row, k);
    return loadPackedPair(isA, row, k);
  }

  /// Cooperative copy of one operand tile (rows x wordsK words) into
  /// `shared`; consecutive threads take consecutive elements along the
  /// operand's contiguous dim (k if it is innermost, else the row dim).
  void copyTile(bool isA, Value shared, Value k0) {
    int64_t rows = isA ? tiles.blockM : tiles.blockN;
    Value rowBase = isA ? m0 : n0;
    unsigned rowDim = isA ? c.match.mDim : c.match.nDim;
    bool kInner = !innermostIs(isA ? c.mapA : c.mapB, rowDim);
    auto loop = scf::ForOp::create(b, loc, tid, index(rows * wordsK),
                                   index(threads));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value idx = loop.getInductionVar();
    Value row = kInner ? divU(idx, wordsK) : remU(idx, rows);
    Value unit = kInner ? remU(idx, wordsK) : divU(idx, rows);
    Value word = makeWord(isA, add(rowBase, row),
                          add(divU(k0, pack), unit));
    memref::StoreOp::create(b, loc, word, shared, ValueRange{row, unit});
  }

  MMAFragmentBuilder frags;
  bool sixteenBit;
  int64_t pack, mmaK, wordsK, rowWords, threads;
};

void KernelBuilder::build() {
  OpBuilder::InsertionGuard guard(b);
  MLIRContext *ctx = b.getContext();
  Type word = sixteenBit ? Type(b.getI32Type()) : Type(b.getF32Type());
  Attribute workgroup =
      gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  auto sharedA = MemRefType::get({tiles.blockM, rowWords}, word,
                                 MemRefLayoutAttrInterface(), workgroup);
  auto sharedB = MemRefType::get({tiles.blockN, rowWords}, word,
                                 MemRefLayoutAttrInterface(), workgroup);
  gpu::LaunchOp launch = createLaunch(threads, TypeRange{sharedA, sharedB});
  Value tileA = launch.getWorkgroupAttributions()[0];
  Value tileB = launch.getWorkgroupAttributions()[1];
  Value warp = divU(tid, 32), lane = remU(tid, 32);
  Value warpRow = mul(divU(warp, tiles.warpsN), index(tiles.warpTileM()));
  Value warpCol = mul(remU(warp, tiles.warpsN), index(tiles.warpTileN()));
  Value group = divU(lane, 4), inGroup = remU(lane, 4);

  int64_t fragsM = tiles.warpTileM() / 16, fragsN = tiles.warpTileN() / 8;
  int64_t numAcc = fragsM * fragsN * 4;
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
  SmallVector<Value> init(numAcc, zero);
  auto kLoop = scf::ForOp::create(b, loc, index(0), sizeK, index(tiles.blockK),
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
      Value wordBase = add(index(step * 8), inGroup);
      // A: register j holds row group + 8 (j % 2), word t + 4 (j / 2).
      SmallVector<SmallVector<SmallVector<Value>>> aFrags(fragsM);
      for (int64_t fm = 0; fm < fragsM; ++fm) {
        Value row = add(add(warpRow, index(fm * 16)), group);
        for (int64_t j = 0; j < 4; ++j)
          aFrags[fm].push_back(frags.loadRegister(
              tileA, add(row, index(mmaARowOffset(j))),
              add(wordBase, index(mmaAWordOffset(j)))));
      }
      // B (stored n-major): register j holds column group, word t + 4 j.
      SmallVector<SmallVector<SmallVector<Value>>> bFrags(fragsN);
      for (int64_t fn = 0; fn < fragsN; ++fn) {
        Value col = add(add(warpCol, index(fn * 8)), group);
        for (int64_t j = 0; j < 2; ++j)
          bFrags[fn].push_back(frags.loadRegister(
              tileB, col, add(wordBase, index(mmaBWordOffset(j)))));
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
  for (int64_t fm = 0; fm < fragsM; ++fm) {
    for (int64_t fn = 0; fn < fragsN; ++fn) {
      for (int64_t i = 0; i < 4; ++i) {
        Value row = add(
            add(m0, add(warpRow, index(fm * 16 + mmaCRowOffset(i)))), group);
        Value col = add(add(n0, add(warpCol, index(fn * 8 + mmaCColumnOffset(i)))),
                        mul(inGroup, index(2)));
        accumulateC(row, col, kLoop.getResult((fm * fragsN + fn) * 4 + i));
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
    std::optional<GPUMatmulKernel> kind =
        chooseGPUMatmulKernel(kernel, chip, *parsed, error);
    if (!kind)
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
                                          c.staticBatch, *parsed, *kind);
      } else {
        tiles.kernel = *kind;
        tiles.stages = *kind == GPUMatmulKernel::Wgmma ? 2 : 1;
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
      if (tiles.kernel == GPUMatmulKernel::Wgmma)
        buildWgmmaKernel(b, c.op.getLoc(), c, tiles, *parsed);
      else
        KernelBuilder(b, c.op.getLoc(), c, tiles, *parsed).build();
      c.op.erase();
    }
  }
};

} // namespace
