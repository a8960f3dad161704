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
// takes them directly.
//
//===----------------------------------------------------------------------===//

#include "llm/Pipelines/Passes.h"

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
      : b(b), loc(loc), c(c), tiles(tiles), precision(precision) {
    sixteenBit = precision == GPUMatmulPrecision::BF16 ||
                 precision == GPUMatmulPrecision::F16;
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
    Type half = precision == GPUMatmulPrecision::BF16
                    ? Type(b.getBF16Type())
                    : Type(b.getF16Type());
    Value word;
    for (int64_t e = 0; e < 2; ++e) {
      Value v = loadOperand(isA, row, add(k, cst(e)));
      v = arith::TruncFOp::create(b, loc, half, v);
      v = arith::BitcastOp::create(b, loc, b.getI16Type(), v);
      v = arith::ExtUIOp::create(b, loc, b.getI32Type(), v);
      if (e == 0) {
        word = v;
        continue;
      }
      Value shifted = arith::ShLIOp::create(
          b, loc, v, arith::ConstantIntOp::create(b, loc, b.getI32Type(), 16));
      word = arith::OrIOp::create(b, loc, word, shifted);
    }
    return word;
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

  /// Loads a fragment register: shared word (row, word) as i32 or the
  /// 3xTF32 (high, low) pair.
  SmallVector<Value> loadFragment(Value shared, Value row, Value word) {
    Value v = memref::LoadOp::create(b, loc, shared, ValueRange{row, word});
    Type i32 = b.getI32Type();
    if (sixteenBit)
      return {precision == GPUMatmulPrecision::F16
                  ? Value(LLVM::BitcastOp::create(
                        b, loc, VectorType::get({2}, b.getF16Type()), v))
                  : v};
    // tf32 operands: the PTX ISA leaves the low 13 mantissa bits of a .tf32
    // register unspecified, so they are cleared here: rounded to nearest
    // (ties away from zero, as cvt.rna.tf32.f32) by adding half an ulp of
    // tf32 before the mask, or truncated where the split must be exact.
    Value mask = arith::ConstantIntOp::create(b, loc, i32, 0xffffe000LL);
    Value half = arith::ConstantIntOp::create(b, loc, i32, 0x1000);
    auto roundToTF32 = [&](Value f32Bits) -> Value {
      Value sum = arith::AddIOp::create(b, loc, f32Bits, half);
      return arith::AndIOp::create(b, loc, sum, mask);
    };
    Value bits = arith::BitcastOp::create(b, loc, i32, v);
    if (precision == GPUMatmulPrecision::TF32)
      return {roundToTF32(bits)};
    // 3xTF32: high = x truncated to tf32 (exact), low = x - high (exact in
    // f32), rounded to tf32; the mma adds lo*hi + hi*lo + hi*hi.
    Value hiBits = arith::AndIOp::create(b, loc, bits, mask);
    Value hi = arith::BitcastOp::create(b, loc, b.getF32Type(), hiBits);
    Value lo = arith::SubFOp::create(b, loc, v, hi);
    return {hiBits, roundToTF32(arith::BitcastOp::create(b, loc, i32, lo))};
  }

  /// acc (4 f32) += A x B with one nvvm.mma.sync.
  void mma(ArrayRef<Value> a, ArrayRef<Value> bFrag,
           MutableArrayRef<Value> acc) {
    Type f32 = b.getF32Type();
    auto resultType =
        LLVM::LLVMStructType::getLiteral(b.getContext(), {f32, f32, f32, f32});
    NVVM::MMATypes type = precision == GPUMatmulPrecision::BF16
                              ? NVVM::MMATypes::bf16
                          : precision == GPUMatmulPrecision::F16
                              ? NVVM::MMATypes::f16
                              : NVVM::MMATypes::tf32;
    auto op = NVVM::MmaOp::create(
        b, loc, resultType, a, bFrag, acc, {16, 8, mmaK},
        /*b1Op=*/std::nullopt, /*intOverflow=*/std::nullopt,
        std::array<NVVM::MMATypes, 2>{type, type},
        std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                       NVVM::MMALayout::col});
    for (int64_t i = 0; i < 4; ++i)
      acc[i] = LLVM::ExtractValueOp::create(b, loc, op->getResult(0),
                                            ArrayRef<int64_t>{i});
  }

  OpBuilder &b;
  Location loc;
  const GPUContraction &c;
  const GPUContractionTiles &tiles;
  GPUMatmulPrecision precision;
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
          aFrags[fm].push_back(loadFragment(tileA, add(row, cst(8 * (j % 2))),
                                            add(wordBase, cst(4 * (j / 2)))));
      }
      // B (stored n-major): register j holds column group, word t + 4 j.
      SmallVector<SmallVector<SmallVector<Value>>> bFrags(fragsN);
      for (int64_t fn = 0; fn < fragsN; ++fn) {
        Value col = add(add(warpCol, cst(fn * 8)), group);
        for (int64_t j = 0; j < 2; ++j)
          bFrags[fn].push_back(
              loadFragment(tileB, col, add(wordBase, cst(4 * j))));
      }
      // Part p of each register: 0 = the value (or 3xTF32 high), 1 = low.
      auto part = [](ArrayRef<SmallVector<Value>> regs, int64_t p) {
        SmallVector<Value> out;
        for (const SmallVector<Value> &r : regs)
          out.push_back(r[p]);
        return out;
      };
      for (int64_t fm = 0; fm < fragsM; ++fm) {
        for (int64_t fn = 0; fn < fragsN; ++fn) {
          MutableArrayRef<Value> tile(acc.data() + (fm * fragsN + fn) * 4, 4);
          if (precision == GPUMatmulPrecision::F32) {
            // Small products first: lo*hi, hi*lo, then hi*hi.
            mma(part(aFrags[fm], 1), part(bFrags[fn], 0), tile);
            mma(part(aFrags[fm], 0), part(bFrags[fn], 1), tile);
          }
          mma(part(aFrags[fm], 0), part(bFrags[fn], 0), tile);
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
        Value row = add(add(m0, add(warpRow, cst(fm * 16 + 8 * (i / 2)))),
                        group);
        Value col = add(add(n0, add(warpCol, cst(fn * 8 + i % 2))),
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
