//===- Int8Contractions.cpp - --llm-tile-int8-contractions ----------------===//
//
// The int8 micro-kernels of the tiling framework. Rewrites the integer
// contractions of `transformer.quantized_matmul` (ContractionMatch.h:
// 8-bit A [batch..., M, K] x constant 8-bit B [K, N] -> i32 C, optional zero
// points) on buffers into a cache- and register-blocked loop nest whose inner
// product is AVX-512 VNNI `vpdpbusd` (u8 x s8, four bytes per 32-bit lane),
// an AMX `tdpbusd` tile kernel for large M, or, on a CPU without VNNI, the
// same blocking with the dot product of four bytes emulated by shifts,
// masks and 32-bit multiplies (portable vector code).
//
// Weights are packed at compile time into the layout the instructions read:
//
//   Bp[panel][k4][j * 4 + q] = B'[4 * k4 + q, panel * NR + j]
//
// (NR = register tile columns; K padded with zeros to a multiple of 4, or of
// 64 when AMX is used; N padded with zeros to a multiple of NR), i.e. each
// 32-bit lane of a B vector holds four consecutive k of one column -- the
// "VNNI layout" that both vpdpbusd and AMX's B tiles (16 rows of 16 columns
// x 4 bytes) expect. B' is B minus its zero point, which must fit in s8.
//
// vpdpbusd multiplies unsigned bytes of A with signed bytes of B. A signed A
// (s8 x s8, no vpdpbssd on this CPU) is made unsigned with the +128 offset:
// a + 128 = a xor 0x80 bytewise, and
//
//   sum_k (a - za) b' = sum_k (a + 128) b' - (128 + za) colsum(b')[n]
//
// so one per-column correction, colsum(b') computed at compile time, covers
// both the +128 offset and the activation zero point za (per tensor or per
// row): the accumulators of a register tile start at
// C - (offset + za[m]) * colsum[n] in the first k block.
//
// Loop nest (VNNI / portable), NR = V vectors of 16 i32 lanes:
//
//   for panel in N / NR (+ a masked last panel)  B micro-panel K x NR bytes
//    for kb in K4 step KC4                       KC4 x NR x 4 bytes in L2
//     for m in M step MR (+ 1-row tiles)         MR x V accumulators
//      for k4 in kb .. kb + KC4: V loads of B, MR broadcasts of 4 bytes of A,
//                                MR x V vpdpbusd
//
// AMX (M >= the cost model's threshold, checked at run time): A is copied
// once into a zero-padded u8 buffer (xor 0x80 for s8), then 32 x 32 blocks
// of C are computed by 2 x 2 tiles of 16 x 16 i32 (tdpbusd over 64-byte k
// steps), stored to a scratch block and added to C with the correction.
// Tile instructions need the process to have asked the kernel for the AMX
// state (arch_prctl(ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA)): a module that
// uses AMX gets a global constructor doing that system call, which the JIT
// runs (ExecutionEngine::initialize) and a shared library runs when loaded.
//
//===----------------------------------------------------------------------===//

#include "llm/Tiling/ContractionMatch.h"
#include "llm/Tiling/CostModel.h"
#include "llm/Tiling/Passes.h"
#include "llm/Tiling/TargetDescription.h"

#include "Int8Kernels.h"

#include "Transformer/Transforms/ConstantData.h"

#include "mlir/Dialect/AMX/AMXDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"

#include "llvm/ADT/SetVector.h"

#include <functional>

namespace mlir::llm {
#define GEN_PASS_DEF_LLMTILEINT8CONTRACTIONSPASS
#include "llm/Tiling/Passes.h.inc"

//===----------------------------------------------------------------------===//
// Helpers shared with WeightOnlyContractions.cpp (Int8Kernels.h)
//===----------------------------------------------------------------------===//

/// The values of an 8-bit constant, extended as `isUnsigned` says.
std::optional<std::vector<int32_t>> int8::readBytes(ElementsAttr attr,
                                                    bool isUnsigned) {
  if (getElementTypeOrSelf(attr.getType()).getIntOrFloatBitWidth() != 8)
    return std::nullopt;
  std::optional<std::vector<int64_t>> values =
      transformer::readIntConstant(attr);
  if (!values)
    return std::nullopt;
  std::vector<int32_t> out(values->size());
  for (size_t i = 0; i < values->size(); ++i)
    out[i] = isUnsigned ? static_cast<int32_t>((*values)[i] & 255)
                        : static_cast<int32_t>(static_cast<int8_t>((*values)[i]));
  return out;
}

Value int8::cst(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}
Value int8::cstI32(OpBuilder &b, Location loc, int32_t v) {
  return arith::ConstantIntOp::create(b, loc, b.getI32Type(), v);
}

bool int8::worthThreads(int64_t m, int64_t n, int64_t k, int64_t macsPerCycle,
                        int64_t threads, int64_t minCycles) {
  if (threads <= 1)
    return false;
  if (ShapedType::isDynamic(m))
    return true;
  if (minCycles < 0)
    minCycles = kMinParallelCycles;
  return m * n * k / std::max<int64_t>(1, macsPerCycle) / threads >=
         minCycles;
}

void int8::emitPanelLoop(
    OpBuilder &b, Location loc, int64_t full, bool partial, bool parallel,
    function_ref<void(OpBuilder &, Location, Value, bool)> body) {
  if (!parallel) {
    if (full)
      scf::ForOp::create(b, loc, cst(b, loc, 0), cst(b, loc, full),
                         cst(b, loc, 1), ValueRange{},
                         [&](OpBuilder &pb, Location pl, Value panel,
                             ValueRange) {
                           body(pb, pl, panel, /*partial=*/false);
                           scf::YieldOp::create(pb, pl);
                         });
    if (partial)
      body(b, loc, cst(b, loc, full), /*partial=*/true);
    return;
  }
  // One iteration per panel; the partial panel is the last one.
  int64_t count = full + (partial ? 1 : 0);
  auto forall = scf::ForallOp::create(
      b, loc, ArrayRef<OpFoldResult>{b.getIndexAttr(count)}, ValueRange{},
      std::nullopt);
  OpBuilder fb = OpBuilder::atBlockBegin(forall.getBody());
  Value panel = forall.getInductionVar(0);
  if (!partial) {
    body(fb, loc, panel, /*partial=*/false);
    return;
  }
  if (!full) {
    body(fb, loc, panel, /*partial=*/true);
    return;
  }
  Value isFull = arith::CmpIOp::create(fb, loc, arith::CmpIPredicate::ult,
                                       panel, cst(fb, loc, full));
  scf::IfOp::create(
      fb, loc, isFull,
      [&](OpBuilder &tb, Location tl) {
        body(tb, tl, panel, /*partial=*/false);
        scf::YieldOp::create(tb, tl);
      },
      [&](OpBuilder &eb, Location el) {
        body(eb, el, panel, /*partial=*/true);
        scf::YieldOp::create(eb, el);
      });
}

namespace {
using namespace int8;

//===----------------------------------------------------------------------===//
// Plan: tile sizes and instruction choice
//===----------------------------------------------------------------------===//

enum class DotKind { VNNI, Portable };

struct Int8Plan {
  DotKind dot = DotKind::Portable;
  /// i32 lanes per vector register, register tile rows and vectors per row.
  int64_t lanes = 16, mr = 1, vectors = 1;
  /// k groups of 4 bytes per cache block.
  int64_t kc4 = 1;
  /// AMX int8 tiles for M >= amxMinM (0: never).
  int64_t amxMinM = 0;
  int64_t nr() const { return lanes * vectors; }
};

/// The register and cache tiles of the int8 kernel from the cost model: the
/// accumulators are 32-bit lanes as in the f32 kernel, so the register tile
/// is the f32 model's with the dot-product unit's issue rate and latency
/// (VNNI: one 512-bit vpdpbusd per cycle, 5 cycles); KC from L2 with one
/// byte per B element, in groups of 4.
Int8Plan planInt8(const TargetDescription &target, ContractionShape shape) {
  Int8Plan plan;
  plan.dot = target.vnni ? DotKind::VNNI : DotKind::Portable;
  TargetDescription dotUnit = target;
  if (plan.dot == DotKind::VNNI) {
    dotUnit.fmaUnits = 1;
    dotUnit.fmaLatency = 5;
  } else {
    // Emulated: ~12 vector ops per 4-byte dot product; the register tile
    // needs room for the temporaries.
    dotUnit.vectorRegisters = std::max<int64_t>(8, target.vectorRegisters - 8);
  }
  shape.elementBytes = 4;
  ContractionTiles tiles = chooseContractionTiles(dotUnit, shape);
  plan.lanes = tiles.lanes;
  plan.mr = tiles.mr;
  plan.vectors = tiles.nr / tiles.lanes;
  // KC: B's k block (KC x NR bytes) is read by every MR-row tile of the
  // panel; a block in a quarter of L2 (rather than half of L1) means fewer
  // passes over C (each k block reads and writes the C tile) at no loss:
  // the next B vectors stream from L2 well ahead of the MR x V dots that
  // use them (measured on znver4, CPU time, 512 x 3072 x 768 and
  // 128 x 4096 x 4096: 390 -> 400-420 GOP/s). K is split into equal
  // blocks of at most that size.
  int64_t kcMax =
      std::max<int64_t>(1, target.l2Bytes / 4 / plan.nr() / 4);
  int64_t k4 = ShapedType::isDynamic(shape.k) ? kcMax : (shape.k + 3) / 4;
  int64_t blocks = std::max<int64_t>(1, (k4 + kcMax - 1) / kcMax);
  plan.kc4 = std::max<int64_t>(1, (k4 + blocks - 1) / blocks);
  // AMX: a 16 x 16 x 64 tdpbusd does 16x the work of a 512-bit vpdpbusd
  // in ~16 cycles, but each 32 x 32 C block costs a scratch store and a
  // vector epilogue, and A is copied once: below ~4 blocks of rows the VNNI
  // kernel wins.
  if (target.amxInt8 && plan.dot == DotKind::VNNI)
    plan.amxMinM = 64;
  return plan;
}

//===----------------------------------------------------------------------===//
// Compile-time weights
//===----------------------------------------------------------------------===//

/// B' = B - zero point in the packed VNNI layout and its column sums.
struct PackedWeights {
  int64_t k = 0, n = 0, k4 = 0, k4Padded = 0, panels = 0, nr = 0;
  std::vector<char> packed;     // [panels][k4Padded][nr * 4]
  std::vector<int32_t> colsum;  // [panels * nr]
};

/// Packs B ([K, N] values) minus `zeroPoint` (per column; empty: none).
/// Fails when a value of B' does not fit in s8.
std::optional<PackedWeights> packWeights(ArrayRef<int32_t> b, int64_t k,
                                         int64_t n, ArrayRef<int32_t> zeroPoint,
                                         int64_t nr, int64_t k4Multiple) {
  PackedWeights w;
  w.k = k;
  w.n = n;
  w.nr = nr;
  w.k4 = (k + 3) / 4;
  w.k4Padded = (w.k4 + k4Multiple - 1) / k4Multiple * k4Multiple;
  w.panels = (n + nr - 1) / nr;
  w.packed.assign(w.panels * w.k4Padded * nr * 4, 0);
  w.colsum.assign(w.panels * nr, 0);
  for (int64_t kk = 0; kk < k; ++kk) {
    for (int64_t j = 0; j < n; ++j) {
      int32_t value = b[kk * n + j];
      if (!zeroPoint.empty())
        value -= zeroPoint[zeroPoint.size() == 1 ? 0 : j];
      if (value < -128 || value > 127)
        return std::nullopt;
      int64_t panel = j / nr, col = j % nr;
      w.packed[((panel * w.k4Padded + kk / 4) * nr + col) * 4 + kk % 4] =
          static_cast<char>(static_cast<int8_t>(value));
      w.colsum[j] += value;
    }
  }
  return w;
}

//===----------------------------------------------------------------------===//
// Kernel emission
//===----------------------------------------------------------------------===//

/// Everything the emitters need about one matched contraction.
struct Int8Kernel {
  linalg::GenericOp op;
  IntegerContractionMatch match;
  Int8Plan plan;
  Value a, c, aZeroPoint;  // memrefs (A and azp cast to signless)
  AffineMap aMap, cMap, aZpMap;
  Value packed, colsum;    // get_global of the packed weights, column sums
  int64_t k = 0, n = 0, k4 = 0, k4Padded = 0, panels = 0;
  /// 128 for a signed A (the +128 offset), else 0.
  int32_t offset = 0;
  /// A's zero point when it is a constant folded into the body, else 0.
  int32_t aZeroPointConstant = 0;
  /// The elementwise consumer applied to the tiles instead of storing i32
  /// (then K is one block and C is not read), or null.
  const Int8Epilogue *epilogue = nullptr;
  /// C is a fresh buffer whose zero fill was dropped: the first k block
  /// starts from zero instead of reading it.
  bool zeroC = false;
};

bool isDimOrConstant(AffineMap map) {
  return llvm::all_of(map.getResults(), [](AffineExpr e) {
    return isa<AffineDimExpr, AffineConstantExpr>(e);
  });
}

/// acc + dot4(a, b) per 32-bit lane: a's bytes unsigned, b's signed.
Value emitDot(OpBuilder &b, Location loc, DotKind kind, Value acc, Value a,
              Value bv) {
  auto type = cast<VectorType>(acc.getType());
  if (kind == DotKind::VNNI) {
    // LLVM 22's signature: (<16 x i32> acc, <64 x i8> u8, <64 x i8> s8).
    auto bytes = VectorType::get({type.getNumElements() * 4}, b.getI8Type());
    return LLVM::CallIntrinsicOp::create(
               b, loc, type, b.getStringAttr("llvm.x86.avx512.vpdpbusd.512"),
               ValueRange{acc, vector::BitCastOp::create(b, loc, bytes, a),
                          vector::BitCastOp::create(b, loc, bytes, bv)})
        .getResult(0);
  }
  auto splat = [&](int32_t v) {
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(type, b.getI32IntegerAttr(v)));
  };
  for (int q = 0; q < 4; ++q) {
    Value aq = a;
    if (q)
      aq = arith::ShRUIOp::create(b, loc, aq, splat(8 * q));
    aq = arith::AndIOp::create(b, loc, aq, splat(255));
    Value bq = bv;
    if (q != 3)
      bq = arith::ShLIOp::create(b, loc, bq, splat(24 - 8 * q));
    bq = arith::ShRSIOp::create(b, loc, bq, splat(24));
    acc = arith::AddIOp::create(b, loc, acc,
                                arith::MulIOp::create(b, loc, aq, bq));
  }
  return acc;
}

/// Four bytes of A at (row, 4 * k4) as an i32 broadcast to all lanes
/// (xor 0x80808080 for a signed A); `tail` reads the last partial group
/// with zero padding.
Value emitAWord(OpBuilder &b, Location loc, const Int8Kernel &kern,
                SmallVector<Value> loops, Value row, Value k4, bool tail) {
  loops[kern.match.mDim] = row;
  loops[kern.match.kDim] =
      arith::MulIOp::create(b, loc, k4, cst(b, loc, 4));
  SmallVector<Value> idx = mapIndices(b, loc, kern.aMap, loops);
  auto bytesType = VectorType::get({4}, b.getI8Type());
  Value bytes;
  if (tail) {
    Value pad = arith::ConstantIntOp::create(b, loc, b.getI8Type(), 0);
    bytes = vector::TransferReadOp::create(b, loc, bytesType, kern.a, idx, pad,
                                           ArrayRef<bool>{false});
  } else {
    bytes = vector::LoadOp::create(b, loc, bytesType, kern.a, idx);
  }
  Value word = vector::BitCastOp::create(
      b, loc, VectorType::get({1}, b.getI32Type()), bytes);
  Value scalar = vector::ExtractOp::create(b, loc, word, ArrayRef<int64_t>{0});
  if (kern.offset)
    scalar = arith::XOrIOp::create(b, loc, scalar,
                                   cstI32(b, loc, int32_t(0x80808080u)));
  return vector::BroadcastOp::create(
      b, loc, VectorType::get({kern.plan.lanes}, b.getI32Type()), scalar);
}

/// The correction factor of row `row`: offset + za[row] in the first k
/// block (`first`), else 0.
Value emitRowFactor(OpBuilder &b, Location loc, const Int8Kernel &kern,
                    SmallVector<Value> loops, Value row, Value first) {
  Value factor = cstI32(b, loc, kern.offset + kern.aZeroPointConstant);
  if (kern.aZeroPoint) {
    loops[kern.match.mDim] = row;
    Value zp = memref::LoadOp::create(
        b, loc, kern.aZeroPoint, mapIndices(b, loc, kern.aZpMap, loops));
    Value wide =
        kern.match.aZeroPointUnsigned
            ? Value(arith::ExtUIOp::create(b, loc, b.getI32Type(), zp))
            : Value(arith::ExtSIOp::create(b, loc, b.getI32Type(), zp));
    factor = arith::AddIOp::create(b, loc, factor, wide);
  }
  return arith::SelectOp::create(b, loc, first, factor, cstI32(b, loc, 0));
}

/// One register tile: `rows` rows from `m`, `vectors` vectors of columns
/// from panel `panel` (the last one masked to `lastLanes` lanes when
/// nonzero), k groups [kb, min(kb + KC4, K4)).
void emitTile(OpBuilder &b, Location loc, const Int8Kernel &kern,
              SmallVector<Value> loops, Value m, int64_t rows, Value panel,
              int64_t vectors, int64_t lastLanes, Value kb) {
  const Int8Plan &plan = kern.plan;
  int64_t lanes = plan.lanes;
  auto accType = VectorType::get({lanes}, b.getI32Type());
  auto maskType = VectorType::get({lanes}, b.getI1Type());
  Value n0 = arith::MulIOp::create(b, loc, panel, cst(b, loc, plan.nr()));
  Value first = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, kb,
                                      cst(b, loc, 0));
  Value mask;
  if (lastLanes)
    mask = vector::ConstantMaskOp::create(b, loc, maskType,
                                          ArrayRef<int64_t>{lastLanes});

  auto rowOf = [&](int64_t r) {
    return r ? Value(arith::AddIOp::create(b, loc, m, cst(b, loc, r))) : m;
  };
  auto cIndices = [&](int64_t r, int64_t v) {
    SmallVector<Value> l = loops;
    l[kern.match.mDim] = rowOf(r);
    l[kern.match.nDim] =
        arith::AddIOp::create(b, loc, n0, cst(b, loc, v * lanes));
    return mapIndices(b, loc, kern.cMap, l);
  };
  bool masked = lastLanes != 0;
  auto isMasked = [&](int64_t v) { return masked && v == vectors - 1; };

  // Accumulators: C - factor[row] * colsum[n].
  SmallVector<Value> acc;
  SmallVector<Value> colsums;
  for (int64_t v = 0; v < vectors; ++v) {
    Value col = arith::AddIOp::create(b, loc, n0, cst(b, loc, v * lanes));
    colsums.push_back(
        vector::LoadOp::create(b, loc, accType, kern.colsum, ValueRange{col}));
  }
  // C's tile, read unless the epilogue is fused (C starts at zero, no
  // buffer); with a fresh zero-filled C whose fill was dropped, the first k
  // block starts from zero and later ones read what it stored.
  auto zeros = [&](OpBuilder &zb, Location zl) -> Value {
    return arith::ConstantOp::create(
        zb, zl, DenseElementsAttr::get(accType, zb.getI32IntegerAttr(0)));
  };
  auto loadC = [&]() {
    SmallVector<Value> tile;
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t v = 0; v < vectors; ++v) {
        SmallVector<Value> idx = cIndices(r, v);
        if (isMasked(v))
          tile.push_back(vector::MaskedLoadOp::create(
              b, loc, accType, kern.c, idx, mask, zeros(b, loc)));
        else
          tile.push_back(vector::LoadOp::create(b, loc, accType, kern.c, idx));
      }
    return tile;
  };
  SmallVector<Value> cTile;
  if (kern.epilogue) {
    cTile.assign(rows * vectors, zeros(b, loc));
  } else if (kern.zeroC) {
    auto ifOp = scf::IfOp::create(
        b, loc, first,
        [&](OpBuilder &tb, Location tl) {
          scf::YieldOp::create(
              tb, tl, SmallVector<Value>(rows * vectors, zeros(tb, tl)));
        },
        [&](OpBuilder &eb, Location el) {
          scf::YieldOp::create(eb, el, loadC());
        });
    cTile.assign(ifOp.getResults().begin(), ifOp.getResults().end());
  } else {
    cTile = loadC();
  }
  for (int64_t r = 0; r < rows; ++r) {
    Value factor = vector::BroadcastOp::create(
        b, loc, accType, emitRowFactor(b, loc, kern, loops, rowOf(r), first));
    for (int64_t v = 0; v < vectors; ++v) {
      Value correction = arith::MulIOp::create(b, loc, factor, colsums[v]);
      acc.push_back(
          arith::SubIOp::create(b, loc, cTile[r * vectors + v], correction));
    }
  }

  // One k group: V loads of B, `rows` broadcasts of A, rows x V dots.
  auto step = [&](OpBuilder &nb, Location nl, Value k4, ValueRange in,
                  bool tail) {
    SmallVector<Value> out(in.begin(), in.end());
    SmallVector<Value> bvs;
    auto bytesType = VectorType::get({lanes * 4}, nb.getI8Type());
    for (int64_t v = 0; v < vectors; ++v) {
      Value bytes = vector::LoadOp::create(
          nb, nl, bytesType, kern.packed,
          ValueRange{panel, k4, cst(nb, nl, v * lanes * 4)});
      bvs.push_back(vector::BitCastOp::create(nb, nl, accType, bytes));
    }
    for (int64_t r = 0; r < rows; ++r) {
      Value aw = emitAWord(nb, nl, kern, loops, rowOf(r), k4, tail);
      for (int64_t v = 0; v < vectors; ++v)
        out[r * vectors + v] =
            emitDot(nb, nl, plan.dot, out[r * vectors + v], aw, bvs[v]);
    }
    return out;
  };

  int64_t k4Full = kern.k / 4;
  Value kEnd = arith::MinSIOp::create(
      b, loc, arith::AddIOp::create(b, loc, kb, cst(b, loc, plan.kc4)),
      cst(b, loc, k4Full));
  auto loop = scf::ForOp::create(
      b, loc, kb, kEnd, cst(b, loc, 1), acc,
      [&](OpBuilder &nb, Location nl, Value k4, ValueRange iter) {
        scf::YieldOp::create(nb, nl, step(nb, nl, k4, iter, /*tail=*/false));
      });
  SmallVector<Value> result(loop.getResults());
  if (kern.k % 4) {
    // The last, partial group of 4 belongs to the last k block.
    Value hasTail = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::sge,
        arith::AddIOp::create(b, loc, kb, cst(b, loc, plan.kc4)),
        cst(b, loc, kern.k4));
    auto ifOp = scf::IfOp::create(
        b, loc, hasTail,
        [&](OpBuilder &nb, Location nl) {
          scf::YieldOp::create(
              nb, nl,
              step(nb, nl, cst(nb, nl, k4Full), result, /*tail=*/true));
        },
        [&](OpBuilder &nb, Location nl) {
          scf::YieldOp::create(nb, nl, result);
        });
    result.assign(ifOp.getResults().begin(), ifOp.getResults().end());
  }
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t v = 0; v < vectors; ++v) {
      if (kern.epilogue) {
        SmallVector<Value> l(loops.begin(),
                             loops.begin() + kern.match.kDim);
        l[kern.match.mDim] = rowOf(r);
        l[kern.match.nDim] =
            arith::AddIOp::create(b, loc, n0, cst(b, loc, v * lanes));
        emitInt8EpilogueStore(b, loc, *kern.epilogue, l,
                              result[r * vectors + v],
                              isMasked(v) ? mask : Value());
        continue;
      }
      SmallVector<Value> idx = cIndices(r, v);
      if (isMasked(v))
        vector::MaskedStoreOp::create(b, loc, kern.c, idx, mask,
                                      result[r * vectors + v]);
      else
        vector::StoreOp::create(b, loc, result[r * vectors + v], kern.c, idx);
    }
}

/// All register tiles of panel `panel`: k blocks, then MR-row tiles and the
/// remaining single rows.
void emitPanel(OpBuilder &pb, Location pl, const Int8Kernel &kern,
               SmallVector<Value> loops, Value mSize, Value panel,
               int64_t vectors, int64_t lastLanes) {
  const Int8Plan &plan = kern.plan;
  scf::ForOp::create(
      pb, pl, cst(pb, pl, 0), cst(pb, pl, kern.k4), cst(pb, pl, plan.kc4),
      ValueRange{}, [&](OpBuilder &kb, Location kl, Value k0, ValueRange) {
        Value mFull = arith::SubIOp::create(
            kb, kl, mSize,
            arith::RemUIOp::create(kb, kl, mSize, cst(kb, kl, plan.mr)));
        scf::ForOp::create(
            kb, kl, cst(kb, kl, 0), mFull, cst(kb, kl, plan.mr), ValueRange{},
            [&](OpBuilder &mb, Location ml, Value m, ValueRange) {
              emitTile(mb, ml, kern, loops, m, plan.mr, panel, vectors,
                       lastLanes, k0);
              scf::YieldOp::create(mb, ml);
            });
        if (plan.mr > 1)
          scf::ForOp::create(
              kb, kl, mFull, mSize, cst(kb, kl, 1), ValueRange{},
              [&](OpBuilder &mb, Location ml, Value m, ValueRange) {
                emitTile(mb, ml, kern, loops, m, 1, panel, vectors, lastLanes,
                         k0);
                scf::YieldOp::create(mb, ml);
              });
        scf::YieldOp::create(kb, kl);
      });
}

/// The VNNI / portable kernel for one batch index (`loops` holds the batch
/// loop values).
void emitVectorKernel(OpBuilder &b, Location loc, const Int8Kernel &kern,
                      SmallVector<Value> loops, Value mSize, bool parallel) {
  const Int8Plan &plan = kern.plan;
  int64_t rest = kern.n % plan.nr();
  int64_t restVectors = (rest + plan.lanes - 1) / plan.lanes;
  emitPanelLoop(b, loc, kern.n / plan.nr(), rest != 0, parallel,
                [&](OpBuilder &pb, Location pl, Value panel, bool partial) {
                  if (partial)
                    emitPanel(pb, pl, kern, loops, mSize, panel, restVectors,
                              rest % plan.lanes);
                  else
                    emitPanel(pb, pl, kern, loops, mSize, panel, plan.vectors,
                              0);
                });
}

//===----------------------------------------------------------------------===//
// AMX
//===----------------------------------------------------------------------===//

/// Adds (once per module) a global constructor that requests the AMX tile
/// state: syscall(SYS_arch_prctl = 158, ARCH_REQ_XCOMP_PERM = 0x1023,
/// XFEATURE_XTILEDATA = 18), as inline assembly so that no libc symbol is
/// needed.
void addAMXPermissionRequest(ModuleOp module) {
  StringRef name = "__llm_request_amx_permission";
  if (module.lookupSymbol(name))
    return;
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  Location loc = module.getLoc();
  MLIRContext *ctx = module.getContext();
  auto voidType = LLVM::LLVMVoidType::get(ctx);
  auto func = LLVM::LLVMFuncOp::create(
      b, loc, name, LLVM::LLVMFunctionType::get(voidType, {}));
  func.setLinkage(LLVM::Linkage::Internal);
  Block *entry = func.addEntryBlock(b);
  b.setInsertionPointToStart(entry);
  auto i64 = b.getI64Type();
  Value nr = LLVM::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(158));
  Value code =
      LLVM::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(0x1023));
  Value feature =
      LLVM::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(18));
  LLVM::InlineAsmOp::create(
      b, loc, i64, ValueRange{nr, code, feature}, "syscall",
      "={rax},{rax},{rdi},{rsi},~{rcx},~{r11},~{memory}",
      /*has_side_effects=*/true, /*is_align_stack=*/false,
      LLVM::TailCallKind::None, /*asm_dialect=*/nullptr,
      /*operand_attrs=*/nullptr);
  LLVM::ReturnOp::create(b, loc, ValueRange{});
  b.setInsertionPointToEnd(module.getBody());
  LLVM::GlobalCtorsOp::create(
      b, loc, b.getArrayAttr({FlatSymbolRefAttr::get(ctx, name)}),
      b.getI32ArrayAttr({0}), b.getArrayAttr({LLVM::ZeroAttr::get(ctx)}));
}

/// The AMX kernel for one batch index: A copied into a zero-padded u8
/// buffer [Mp, K4p * 4], 32 x 32 (or 32 x 16) C blocks from 2 x 2 (2 x 1)
/// tdpbusd tiles, each block stored to a scratch buffer and added to C with
/// the correction, masked at the edges. `parallel`: the column blocks are an
/// scf.forall, each iteration with its own scratch block.
void emitAMXKernel(OpBuilder &b, Location loc, const Int8Kernel &kern,
                   SmallVector<Value> loops, Value mSize, bool parallel) {
  const Int8Plan &plan = kern.plan;
  int64_t lanes = 16;
  int64_t tilesN = plan.nr() % 32 == 0 ? 2 : 1;
  int64_t blockN = 16 * tilesN;
  int64_t kBytes = kern.k4Padded * 4;
  auto i8 = b.getI8Type(), i32 = b.getI32Type();
  auto accType = VectorType::get({lanes}, i32);

  // Padded copy of A: rows rounded up to 32.
  Value mPadded = arith::MulIOp::create(
      b, loc,
      arith::DivUIOp::create(
          b, loc, arith::AddIOp::create(b, loc, mSize, cst(b, loc, 31)),
          cst(b, loc, 32)),
      cst(b, loc, 32));
  auto aPackType = MemRefType::get({ShapedType::kDynamic, kBytes}, i8);
  Value aPack = memref::AllocOp::create(b, loc, aPackType, ValueRange{mPadded},
                                        b.getI64IntegerAttr(64));
  auto rowBytes = VectorType::get({64}, i8);
  Value zeroBytes = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(rowBytes, b.getI8IntegerAttr(0)));
  Value flip = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(rowBytes, b.getI8IntegerAttr(int8_t(0x80))));
  scf::ForOp::create(
      b, loc, cst(b, loc, 0), mPadded, cst(b, loc, 1), ValueRange{},
      [&](OpBuilder &rb, Location rl, Value row, ValueRange) {
        Value inRange = arith::CmpIOp::create(
            rb, rl, arith::CmpIPredicate::ult, row, mSize);
        scf::ForOp::create(
            rb, rl, cst(rb, rl, 0), cst(rb, rl, kBytes), cst(rb, rl, 64),
            ValueRange{},
            [&](OpBuilder &cb, Location cl, Value col, ValueRange) {
              auto ifOp = scf::IfOp::create(
                  cb, cl, inRange,
                  [&](OpBuilder &tb, Location tl) {
                    SmallVector<Value> l = loops;
                    l[kern.match.mDim] = row;
                    l[kern.match.kDim] = col;
                    Value pad = arith::ConstantIntOp::create(tb, tl, i8, 0);
                    // Bytes at k >= K read as padding (0); a signed A is
                    // flipped, and its padding must then stay 0 (B' is 0
                    // there anyway, so 0x80 would be harmless too).
                    Value bytes = vector::TransferReadOp::create(
                        tb, tl, rowBytes, kern.a,
                        mapIndices(tb, tl, kern.aMap, l), pad,
                        ArrayRef<bool>{false});
                    if (kern.offset)
                      bytes = arith::XOrIOp::create(tb, tl, bytes, flip);
                    scf::YieldOp::create(tb, tl, bytes);
                  },
                  [&](OpBuilder &eb, Location el) {
                    scf::YieldOp::create(eb, el, zeroBytes);
                  });
              vector::StoreOp::create(cb, cl, ifOp.getResult(0), aPack,
                                      ValueRange{row, col});
              scf::YieldOp::create(cb, cl);
            });
        scf::YieldOp::create(rb, rl);
      });

  // Scratch block of C (one per column block with threads).
  auto scratchType = MemRefType::get({32, blockN}, i32);
  Value scratch;
  auto aTileType = amx::TileType::get({16, 64}, i8);
  auto bTileType = amx::TileType::get({16, 64}, i8);
  auto cTileType = amx::TileType::get({16, 16}, i32);
  // B viewed as [panels * K4p, NR * 4]: tile rows are k groups.
  int64_t nrBytes = plan.nr() * 4;
  auto bFlatType = MemRefType::get({kern.panels * kern.k4Padded, nrBytes}, i8);
  Value bFlat = memref::CollapseShapeOp::create(
      b, loc, bFlatType, kern.packed,
      ArrayRef<ReassociationIndices>{{0, 1}, {2}});
  int64_t blocksN = (kern.n + blockN - 1) / blockN;
  auto emitColumnBlock = [&](OpBuilder &nb, Location nl, Value nBlock) {
    Value n0 = arith::MulIOp::create(nb, nl, nBlock, cst(nb, nl, blockN));
    Value panel = arith::DivUIOp::create(nb, nl, n0, cst(nb, nl, plan.nr()));
    Value colInPanel =
        arith::RemUIOp::create(nb, nl, n0, cst(nb, nl, plan.nr()));
    Value bRow0 =
        arith::MulIOp::create(nb, nl, panel, cst(nb, nl, kern.k4Padded));
    Value bCol0 = arith::MulIOp::create(nb, nl, colInPanel, cst(nb, nl, 4));
    scf::ForOp::create(
        nb, nl, cst(nb, nl, 0), mPadded, cst(nb, nl, 32), ValueRange{},
        [&](OpBuilder &mb, Location ml, Value m0, ValueRange) {
          // Tiles cannot be loop-carried (no block arguments of tile
          // type in the LLVM lowering): k is unrolled in chunks of up to
          // 16 steps whose C tiles live in the scratch block between
          // chunks.
          auto cIndex = [&](OpBuilder &ib, Location il, int64_t i, int64_t j) {
            return SmallVector<Value>{cst(ib, il, 16 * i), cst(ib, il, 16 * j)};
          };
          for (int64_t i = 0; i < 2; ++i)
            for (int64_t j = 0; j < tilesN; ++j)
              amx::TileStoreOp::create(
                  mb, ml, scratch, cIndex(mb, ml, i, j),
                  amx::TileZeroOp::create(mb, ml, cTileType));
          int64_t steps = kern.k4Padded / 16;
          int64_t chunk = std::min<int64_t>(steps, 16);
          auto emitChunk = [&](OpBuilder &kb, Location kl, Value kt0,
                               int64_t count) {
            SmallVector<Value> acc;
            for (int64_t i = 0; i < 2; ++i)
              for (int64_t j = 0; j < tilesN; ++j)
                acc.push_back(amx::TileLoadOp::create(
                    kb, kl, cTileType, scratch, cIndex(kb, kl, i, j)));
            for (int64_t s = 0; s < count; ++s) {
              Value kt = arith::AddIOp::create(kb, kl, kt0, cst(kb, kl, s));
              Value kByte = arith::MulIOp::create(kb, kl, kt, cst(kb, kl, 64));
              Value kRow = arith::AddIOp::create(
                  kb, kl, bRow0,
                  arith::MulIOp::create(kb, kl, kt, cst(kb, kl, 16)));
              SmallVector<Value> aTiles, bTiles;
              for (int64_t i = 0; i < 2; ++i)
                aTiles.push_back(amx::TileLoadOp::create(
                    kb, kl, aTileType, aPack,
                    ValueRange{
                        arith::AddIOp::create(kb, kl, m0, cst(kb, kl, 16 * i)),
                        kByte}));
              for (int64_t j = 0; j < tilesN; ++j)
                bTiles.push_back(amx::TileLoadOp::create(
                    kb, kl, bTileType, bFlat,
                    ValueRange{kRow, arith::AddIOp::create(
                                         kb, kl, bCol0, cst(kb, kl, 64 * j))}));
              for (int64_t i = 0; i < 2; ++i)
                for (int64_t j = 0; j < tilesN; ++j) {
                  auto mul =
                      amx::TileMulIOp::create(kb, kl, cTileType, aTiles[i],
                                              bTiles[j], acc[i * tilesN + j]);
                  mul.setIsZextLhs(true);
                  acc[i * tilesN + j] = mul;
                }
            }
            for (int64_t i = 0; i < 2; ++i)
              for (int64_t j = 0; j < tilesN; ++j)
                amx::TileStoreOp::create(kb, kl, scratch, cIndex(kb, kl, i, j),
                                         acc[i * tilesN + j]);
          };
          int64_t fullChunks = steps / chunk;
          scf::ForOp::create(
              mb, ml, cst(mb, ml, 0), cst(mb, ml, fullChunks * chunk),
              cst(mb, ml, chunk), ValueRange{},
              [&](OpBuilder &kb, Location kl, Value kt0, ValueRange) {
                emitChunk(kb, kl, kt0, chunk);
                scf::YieldOp::create(kb, kl);
              });
          if (steps % chunk)
            emitChunk(mb, ml, cst(mb, ml, fullChunks * chunk), steps % chunk);
          // Epilogue: C[m, n] += scratch - (offset + za[m]) colsum[n],
          // rows < M, columns < N.
          Value rows =
              arith::MinSIOp::create(mb, ml, cst(mb, ml, 32),
                                     arith::SubIOp::create(mb, ml, mSize, m0));
          scf::ForOp::create(
              mb, ml, cst(mb, ml, 0), rows, cst(mb, ml, 1), ValueRange{},
              [&](OpBuilder &eb, Location el, Value r, ValueRange) {
                Value row = arith::AddIOp::create(eb, el, m0, r);
                Value factor = vector::BroadcastOp::create(
                    eb, el, accType,
                    emitRowFactor(eb, el, kern, loops, row,
                                  arith::ConstantIntOp::create(
                                      eb, el, eb.getI1Type(), 1)));
                for (int64_t j = 0; j < tilesN; ++j) {
                  Value col =
                      arith::AddIOp::create(eb, el, n0, cst(eb, el, 16 * j));
                  Value valid = arith::MaxSIOp::create(
                      eb, el, cst(eb, el, 0),
                      arith::SubIOp::create(eb, el, cst(eb, el, kern.n), col));
                  Value mask = vector::CreateMaskOp::create(
                      eb, el, VectorType::get({lanes}, eb.getI1Type()),
                      ValueRange{valid});
                  Value sum = vector::LoadOp::create(
                      eb, el, accType, scratch,
                      ValueRange{r, cst(eb, el, 16 * j)});
                  Value colsum = vector::LoadOp::create(
                      eb, el, accType, kern.colsum, ValueRange{col});
                  sum = arith::SubIOp::create(
                      eb, el, sum,
                      arith::MulIOp::create(eb, el, factor, colsum));
                  SmallVector<Value> l = loops;
                  l[kern.match.mDim] = row;
                  l[kern.match.nDim] = col;
                  SmallVector<Value> idx = mapIndices(eb, el, kern.cMap, l);
                  Value zero = arith::ConstantOp::create(
                      eb, el,
                      DenseElementsAttr::get(accType, eb.getI32IntegerAttr(0)));
                  Value c = vector::MaskedLoadOp::create(
                      eb, el, accType, kern.c, idx, mask, zero);
                  vector::MaskedStoreOp::create(
                      eb, el, kern.c, idx, mask,
                      arith::AddIOp::create(eb, el, c, sum));
                }
                scf::YieldOp::create(eb, el);
              });
          scf::YieldOp::create(mb, ml);
        });
  };
  if (parallel) {
    // Column blocks on threads: disjoint columns of C, each computed the
    // same way whatever thread runs it.
    auto forall = scf::ForallOp::create(
        b, loc, ArrayRef<OpFoldResult>{b.getIndexAttr(blocksN)}, ValueRange{},
        std::nullopt);
    OpBuilder fb = OpBuilder::atBlockBegin(forall.getBody());
    scratch =
        memref::AllocOp::create(fb, loc, scratchType, fb.getI64IntegerAttr(64));
    emitColumnBlock(fb, loc, forall.getInductionVar(0));
    memref::DeallocOp::create(fb, loc, scratch);
  } else {
    scratch =
        memref::AllocOp::create(b, loc, scratchType, b.getI64IntegerAttr(64));
    scf::ForOp::create(
        b, loc, cst(b, loc, 0), cst(b, loc, blocksN), cst(b, loc, 1),
        ValueRange{},
        [&](OpBuilder &nb, Location nl, Value nBlock, ValueRange) {
          emitColumnBlock(nb, nl, nBlock);
          scf::YieldOp::create(nb, nl);
        });
    memref::DeallocOp::create(b, loc, scratch);
  }
  memref::DeallocOp::create(b, loc, aPack);
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

/// `value` (a memref of 8-bit elements) with a signless element type.
Value castToSignless(OpBuilder &b, Location loc, Value value) {
  auto type = cast<MemRefType>(value.getType());
  if (type.getElementType().isSignlessInteger())
    return value;
  auto signless = MemRefType::get(
      type.getShape(), b.getIntegerType(type.getElementTypeBitWidth()),
      type.getLayout(), type.getMemorySpace());
  return UnrealizedConversionCastOp::create(b, loc, signless, value)
      .getResult(0);
}

/// The zero fill of `contraction`'s C when C is a fresh buffer (a
/// memref.alloc in the same block) that nothing but that fill touches
/// before the contraction, and K >= 1: the VNNI / portable kernel writes
/// every element of C in its first k block, which can then start from zero
/// instead of reading the filled buffer, and the fill (a pass over C) goes.
linalg::FillOp matchZeroFilledC(linalg::GenericOp contraction, int64_t k) {
  Value c = contraction.getDpsInits()[0];
  Block *block = contraction->getBlock();
  auto alloc = c.getDefiningOp<memref::AllocOp>();
  if (k < 1 || !alloc || alloc->getBlock() != block)
    return {};
  linalg::FillOp fill;
  for (Operation *user : c.getUsers()) {
    if (user == contraction.getOperation())
      continue;
    auto candidate = dyn_cast<linalg::FillOp>(user);
    if (candidate && !fill && user->getBlock() == block &&
        user->isBeforeInBlock(contraction)) {
      std::optional<int64_t> value =
          getConstantIntValue(candidate.getInputs()[0]);
      if (!value || *value != 0)
        return {};
      fill = candidate;
      continue;
    }
    // Anything else (reads, views, deallocs) only after the contraction.
    Operation *ancestor = block->findAncestorOpInBlock(*user);
    if (!ancestor || !contraction->isBeforeInBlock(ancestor))
      return {};
  }
  return fill;
}

struct TileInt8ContractionsPass
    : impl::LLMTileInt8ContractionsPassBase<TileInt8ContractionsPass> {
  using LLMTileInt8ContractionsPassBase::LLMTileInt8ContractionsPassBase;

  /// Rewrites `op`; returns false (leaving it to the loop lowering) when it
  /// is not a form the kernels handle: B not a constant [K, N], B minus its
  /// zero point outside s8, or operands the kernels cannot index.
  bool rewrite(linalg::GenericOp op, const IntegerContractionMatch &match,
               const TargetDescription &target, SymbolTable &symbols,
               bool &usesAMX) {
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    Value bValue = op.getDpsInputs()[1];
    auto bType = dyn_cast<MemRefType>(bValue.getType());
    if (!bType || bType.getRank() != 2 || !bType.hasStaticShape())
      return false;
    MLIRContext *ctx = op.getContext();
    AffineExpr kExpr = getAffineDimExpr(match.kDim, ctx);
    AffineExpr nExpr = getAffineDimExpr(match.nDim, ctx);
    if (maps[1] != AffineMap::get(op.getNumLoops(), 0, {kExpr, nExpr}, ctx))
      return false;
    if (!isDimOrConstant(maps[0]) || !hasContiguousRows(op.getDpsInputs()[0]) ||
        !hasContiguousRows(op.getDpsInits()[0]))
      return false;
    auto bConstant = getConstantGlobal(bValue);
    if (!bConstant)
      return false;
    std::optional<std::vector<int32_t>> bValues =
        readBytes(bConstant->second, match.bUnsigned);
    if (!bValues)
      return false;
    std::vector<int32_t> bZeroPoint;
    if (match.bZeroPoint >= 0) {
      AffineMap zpMap = maps[match.bZeroPoint];
      auto zpConstant = getConstantGlobal(op.getDpsInputs()[match.bZeroPoint]);
      if (!zpConstant)
        return false;
      std::optional<std::vector<int32_t>> zp =
          readBytes(zpConstant->second, match.bZeroPointUnsigned);
      if (!zp)
        return false;
      // Per tensor (all results constant) or per column (n last).
      bool perColumn = zpMap.getNumResults() > 0 &&
                       zpMap.getResults().back() == nExpr;
      if (!perColumn && zp->size() != 1)
        return false;
      bZeroPoint = *zp;
    }
    if (match.bZeroPointConstant)
      bZeroPoint = {*match.bZeroPointConstant};
    if (match.aZeroPoint >= 0 && !isDimOrConstant(maps[match.aZeroPoint]))
      return false;

    int64_t k = bType.getDimSize(0), n = bType.getDimSize(1);
    ContractionShape shape;
    shape.m = ShapedType::kDynamic;
    if (auto aType = dyn_cast<MemRefType>(op.getDpsInputs()[0].getType()))
      shape.m = aType.getDimSize(aType.getRank() - 2);
    shape.n = n;
    shape.k = k;
    Int8Plan plan = planInt8(target, shape);
    if (!amx)
      plan.amxMinM = 0;
    if (amxMinM > 0 && plan.amxMinM > 0)
      plan.amxMinM = amxMinM;
    // AMX tiles need 16 columns x 4 bytes of a panel per B tile.
    if (plan.amxMinM && plan.nr() % 16 != 0)
      plan.amxMinM = 0;
    if (shape.m != ShapedType::kDynamic && shape.m < plan.amxMinM)
      plan.amxMinM = 0;
    // An elementwise consumer of C (the dequantizing epilogue) is applied
    // to the register tiles, with K in one block so that each tile is
    // final when stored (the B panel then streams from L2 instead of L1).
    // Not with AMX, whose epilogue goes through its scratch block.
    std::optional<Int8Epilogue> epilogue;
    if (!plan.amxMinM && fuseEpilogues)
      epilogue = matchInt8Epilogue(op);
    if (epilogue)
      plan.kc4 = std::max<int64_t>(plan.kc4, (k + 3) / 4);
    std::optional<PackedWeights> packed = packWeights(
        *bValues, k, n, bZeroPoint, plan.nr(), plan.amxMinM ? 16 : 1);
    if (!packed)
      return false;

    OpBuilder b(op);
    Location loc = op.getLoc();
    // Globals go before the function.
    OpBuilder gb(op->getParentOfType<func::FuncOp>());
    auto packedType = MemRefType::get(
        {packed->panels, packed->k4Padded, plan.nr() * 4}, b.getI8Type());
    auto packedData = DenseElementsAttr::getFromRawBuffer(
        RankedTensorType::get(packedType.getShape(), b.getI8Type()),
        ArrayRef<char>(packed->packed));
    memref::GlobalOp packedGlobal =
        createGlobal(gb, loc, symbols, "__llm_int8_packed_weights", packedType,
                     packedData);
    auto colsumType =
        MemRefType::get({packed->panels * plan.nr()}, b.getI32Type());
    auto colsumData = DenseElementsAttr::get(
        RankedTensorType::get(colsumType.getShape(), b.getI32Type()),
        ArrayRef<int32_t>(packed->colsum));
    memref::GlobalOp colsumGlobal = createGlobal(
        gb, loc, symbols, "__llm_int8_column_sums", colsumType, colsumData);

    Int8Kernel kern;
    kern.op = op;
    kern.match = match;
    kern.plan = plan;
    kern.a = castToSignless(b, loc, op.getDpsInputs()[0]);
    kern.c = op.getDpsInits()[0];
    kern.aMap = maps[0];
    kern.cMap = maps.back();
    if (match.aZeroPoint >= 0) {
      kern.aZeroPoint =
          castToSignless(b, loc, op.getDpsInputs()[match.aZeroPoint]);
      kern.aZpMap = maps[match.aZeroPoint];
    }
    kern.packed = memref::GetGlobalOp::create(b, loc, packedType,
                                              packedGlobal.getSymName());
    kern.colsum = memref::GetGlobalOp::create(b, loc, colsumType,
                                              colsumGlobal.getSymName());
    kern.k = k;
    kern.n = n;
    kern.k4 = packed->k4;
    kern.k4Padded = packed->k4Padded;
    kern.panels = packed->panels;
    kern.offset = match.aUnsigned ? 0 : 128;
    kern.aZeroPointConstant = match.aZeroPointConstant.value_or(0);
    if (epilogue)
      kern.epilogue = &*epilogue;
    // Not with AMX, which adds its blocks to C.
    linalg::FillOp zeroFill;
    if (!epilogue && !plan.amxMinM && fuseEpilogues)
      zeroFill = matchZeroFilledC(op, k);
    kern.zeroC = static_cast<bool>(zeroFill);

    // Panels (AMX: 32-column blocks) on threads.
    bool parallel =
        worthThreads(shape.m, n, k, plan.lanes * 4, threads, minCycles);

    // Batch loops over C's leading dims, then the kernels.
    unsigned rank = match.kDim;
    SmallVector<Value> loops(op.getNumLoops());
    // Sizes from C, or from the epilogue's output of the same shape when C
    // goes away.
    Value shaped =
        epilogue ? epilogue->consumer.getDpsInits()[0] : kern.c;
    Value mSize = memref::DimOp::create(b, loc, shaped, match.mDim);
    std::function<void(OpBuilder &, Location, unsigned)> emitBatch =
        [&](OpBuilder &bb, Location bl, unsigned dim) {
          if (dim + 2 < rank) {
            Value size = memref::DimOp::create(bb, bl, shaped, dim);
            scf::ForOp::create(
                bb, bl, cst(bb, bl, 0), size, cst(bb, bl, 1), ValueRange{},
                [&](OpBuilder &nb, Location nl, Value iv, ValueRange) {
                  loops[dim] = iv;
                  emitBatch(nb, nl, dim + 1);
                  scf::YieldOp::create(nb, nl);
                });
            return;
          }
          if (!plan.amxMinM) {
            emitVectorKernel(bb, bl, kern, loops, mSize, parallel);
            return;
          }
          Value large = arith::CmpIOp::create(bb, bl, arith::CmpIPredicate::sge,
                                              mSize, cst(bb, bl, plan.amxMinM));
          scf::IfOp::create(
              bb, bl, large,
              [&](OpBuilder &tb, Location tl) {
                emitAMXKernel(tb, tl, kern, loops, mSize, parallel);
                scf::YieldOp::create(tb, tl);
              },
              [&](OpBuilder &eb, Location el) {
                emitVectorKernel(eb, el, kern, loops, mSize, parallel);
                scf::YieldOp::create(eb, el);
              });
        };
    emitBatch(b, loc, 0);
    usesAMX |= plan.amxMinM != 0;

    // The original weights may now be unused.
    Operation *bGet = bValue.getDefiningOp();
    op.erase();
    if (epilogue)
      eraseFusedInt8Epilogue(*epilogue);
    if (zeroFill)
      zeroFill.erase();
    if (bGet->use_empty())
      bGet->erase();
    return true;
  }

  /// Erases the ops that only fed rewritten weight-only contractions (the
  /// generic filling a 4-bit buffer from an i8 global, the buffer, its
  /// dealloc, the get_globals) once nothing else uses them.
  static void eraseDeadFeeders(ArrayRef<Operation *> candidates) {
    llvm::SetVector<Operation *> live(candidates.begin(), candidates.end());
    bool changed = true;
    while (changed) {
      changed = false;
      for (Operation *op : llvm::to_vector(live)) {
        bool dead = false;
        if (auto generic = dyn_cast<linalg::GenericOp>(op)) {
          Value out = generic.getDpsInits()[0];
          dead = llvm::all_of(out.getUsers(), [&](Operation *user) {
            return user == op || isa<memref::DeallocOp>(user);
          });
        } else if (auto dealloc = dyn_cast<memref::DeallocOp>(op)) {
          dead = llvm::all_of(dealloc.getMemref().getUsers(),
                              [](Operation *user) {
                                return isa<memref::DeallocOp>(user);
                              });
        } else {
          dead = op->use_empty();
        }
        if (dead) {
          live.remove(op);
          op->erase();
          changed = true;
        }
      }
    }
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<TargetDescription> target =
        resolvePassTarget(module, "llm-tile-int8-contractions", cpu, targetDesc);
    if (failed(target))
      return signalPassFailure();
    SmallVector<std::pair<linalg::GenericOp, IntegerContractionMatch>> found;
    SmallVector<linalg::GenericOp> others;
    module.walk([&](linalg::GenericOp op) {
      if (!op.hasPureBufferSemantics())
        return;
      if (std::optional<IntegerContractionMatch> match =
              matchIntegerContraction(op))
        found.emplace_back(op, *match);
      else if (op.getNumReductionLoops() == 1)
        others.push_back(op);
    });
    SymbolTable symbols(module);
    bool usesAMX = false;
    SmallVector<Operation *> deadAfter;
    for (auto &[op, match] : found)
      rewrite(op, match, *target, symbols, usesAMX);
    for (linalg::GenericOp op : others)
      if (!rewriteWeightOnly(op, *target, symbols, deadAfter, threads,
                             minCycles))
        rewriteRangeReduction(op, target->vectorLanes(4), threads, minCycles);
    eraseDeadFeeders(deadAfter);
    // Weights only the rewritten contractions read.
    for (auto global : llvm::to_vector(module.getOps<memref::GlobalOp>()))
      if (global.getConstant() && global.isPrivate() &&
          SymbolTable::symbolKnownUseEmpty(global, module))
        symbols.erase(global);
    if (usesAMX)
      addAMXPermissionRequest(module);
  }
};

} // namespace
} // namespace mlir::llm
