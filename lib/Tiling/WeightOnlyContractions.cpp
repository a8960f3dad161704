//===- WeightOnlyContractions.cpp - f32 x int8/int4 weight kernels --------===//
//
// The weight-only kernels of llm-tile-int8-contractions: the contraction of
// `transformer.quantized_linear` (int8-weight and int4-weight modes, folded
// QDQ weights) on buffers,
//
//   y[..., m, n] += x[..., m, k] * ((w[n, k] - zp[n, g]) * scale[n, g]),
//   g = k / group_size (one group: per-channel),
//
// with constant w, scale and zero point, becomes an f32 register-tiled
// kernel that reads the weights in their low-bit form and widens them in
// registers; no float copy of the weights exists anywhere.
//
// Compile-time packing: panels of NR columns, k-major inside a panel, so
// that one vector load gives NR/V consecutive columns of one k:
//
//   8-bit: Wp[panel][k][j]      = w[n, k] - zp   (i8; fails if it does not fit)
//   4-bit: Wp[panel][k/2][j]    = w[n, 2i] & 15 | (w[n, 2i+1] & 15) << 4
//                                 (two values per byte: half the bytes)
//   scales [groups][N padded] f32 (f16 scales widened exactly), zero points
//   of 4-bit weights [groups][N padded] i32, subtracted in registers.
//
// In the k loop, per vector of 16 columns: load 16 bytes, extend to i32,
// (4-bit: low nibble by shl 28 / ashr 28 or and 15, high nibble by ashr or
// lshr 4, minus the zero point), sitofp, and one FMA per row with the
// broadcast activation. Per group the partial sums are scaled into the
// accumulators: acc += gacc * scale[g, n].
//
//===----------------------------------------------------------------------===//

#include "Int8Kernels.h"

#include "llm/Tiling/CostModel.h"

#include "Transformer/Transforms/ConstantData.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <functional>

using namespace mlir;
using namespace mlir::llm;
using namespace mlir::llm::int8;

namespace {

/// What the matcher found.
struct WeightOnlyMatch {
  Value x, c;
  AffineMap xMap, cMap;
  int mDim = -1;
  unsigned nDim = 0, kDim = 0;
  int64_t n = 0, k = 0, groups = 1, groupSize = 0;
  int bits = 8;
  bool weightUnsigned = false;
  std::vector<int32_t> weights;   // [N][K]
  std::vector<float> scales;      // [N][groups]
  std::vector<int32_t> zeroPoint; // [N][groups] or empty
  /// Ops that only fed the weights (erased after the rewrite).
  SmallVector<Operation *> feeders;
};

/// Strips an unrealized cast (ui4/si8 -> signless).
Value throughCast(Value v) {
  if (auto cast = v.getDefiningOp<UnrealizedConversionCastOp>())
    if (cast->getNumOperands() == 1)
      return cast->getOperand(0);
  return v;
}

/// The integer values behind memref `mem` read with extension kind
/// `isUnsigned`: a constant global of 8-bit values, or a buffer of 4-bit
/// values that one generic fills by truncating a constant i8 global (how
/// 4-bit constants are lowered). Records the feeding ops.
std::optional<std::vector<int32_t>>
readIntegerBuffer(Value mem, bool isUnsigned, int &bits,
                  SmallVectorImpl<Operation *> &feeders) {
  auto type = dyn_cast<MemRefType>(mem.getType());
  if (!type)
    return std::nullopt;
  bits = type.getElementTypeBitWidth();
  if (bits == 8) {
    auto global = getConstantGlobal(mem);
    if (!global)
      return std::nullopt;
    feeders.push_back(mem.getDefiningOp());
    return readBytes(global->second, isUnsigned);
  }
  if (bits != 4)
    return std::nullopt;
  if (auto global = getConstantGlobal(mem)) {
    // An inline 4-bit constant.
    std::optional<std::vector<int64_t>> raw =
        transformer::readIntConstant(global->second);
    if (!raw)
      return std::nullopt;
    std::vector<int32_t> values;
    for (int64_t v : *raw)
      values.push_back(isUnsigned ? static_cast<int32_t>(v & 15)
                                  : static_cast<int32_t>(((v & 15) ^ 8) - 8));
    feeders.push_back(mem.getDefiningOp());
    return values;
  }
  if (!mem.getDefiningOp<memref::AllocOp>())
    return std::nullopt;
  linalg::GenericOp writer;
  for (Operation *user : mem.getUsers()) {
    auto generic = dyn_cast<linalg::GenericOp>(user);
    if (generic && generic.getNumDpsInits() == 1 &&
        generic.getDpsInits()[0] == mem) {
      if (writer)
        return std::nullopt;
      writer = generic;
    }
  }
  if (!writer || writer.getNumDpsInputs() != 1)
    return std::nullopt;
  // Body: yield(cast?(trunci(in))).
  auto yield = cast<linalg::YieldOp>(writer.getBody()->getTerminator());
  auto trunc = throughCast(yield->getOperand(0)).getDefiningOp<arith::TruncIOp>();
  if (!trunc || trunc.getIn() != writer.getBody()->getArgument(0))
    return std::nullopt;
  Value source = writer.getDpsInputs()[0];
  auto global = getConstantGlobal(source);
  if (!global)
    return std::nullopt;
  std::optional<std::vector<int32_t>> bytes =
      readBytes(global->second, /*isUnsigned=*/true);
  if (!bytes)
    return std::nullopt;
  for (int32_t &v : *bytes)
    v = isUnsigned ? (v & 15) : (((v & 15) ^ 8) - 8);
  feeders.push_back(writer);
  feeders.push_back(source.getDefiningOp());
  feeders.push_back(mem.getDefiningOp());
  for (Operation *user : mem.getUsers())
    if (isa<memref::DeallocOp>(user))
      feeders.push_back(user);
  return bytes;
}

/// `v` = extui/extsi(cast?(x)); returns x and the kind.
Value matchExt(Value v, bool &isUnsigned) {
  Operation *op = v.getDefiningOp();
  if (!isa_and_nonnull<arith::ExtUIOp, arith::ExtSIOp>(op))
    return {};
  isUnsigned = isa<arith::ExtUIOp>(op);
  return throughCast(op->getOperand(0));
}

/// A per-(n, group) operand: a block argument read through a map that is
/// exactly (n) (per channel), or `memref.load %m[index(n), index(k) / G]`.
/// Returns the memref and sets `groupSize` (0 for per channel).
Value matchChannelOperand(linalg::GenericOp op, Value v, unsigned nDim,
                          unsigned kDim, int64_t &groupSize) {
  MLIRContext *ctx = op.getContext();
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    if (arg.getOwner() != op.getBody() ||
        arg.getArgNumber() >= op.getNumDpsInputs())
      return {};
    AffineMap map = op.getIndexingMapsArray()[arg.getArgNumber()];
    if (map != AffineMap::get(op.getNumLoops(), 0,
                              getAffineDimExpr(nDim, ctx), ctx))
      return {};
    groupSize = 0;
    return op.getDpsInputs()[arg.getArgNumber()];
  }
  auto load = v.getDefiningOp<memref::LoadOp>();
  if (!load || load.getIndices().size() != 2)
    return {};
  auto nIndex = load.getIndices()[0].getDefiningOp<linalg::IndexOp>();
  auto div = load.getIndices()[1].getDefiningOp<arith::DivUIOp>();
  if (!nIndex || nIndex.getDim() != nDim || !div)
    return {};
  auto kIndex = div.getLhs().getDefiningOp<linalg::IndexOp>();
  auto size = div.getRhs().getDefiningOp<arith::ConstantIndexOp>();
  if (!kIndex || kIndex.getDim() != kDim || !size || size.value() <= 0)
    return {};
  groupSize = size.value();
  return load.getMemRef();
}

std::optional<WeightOnlyMatch> matchWeightOnly(linalg::GenericOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInits() != 1 ||
      op.getNumDpsInputs() < 2)
    return std::nullopt;
  WeightOnlyMatch m;
  m.c = op.getDpsInits()[0];
  auto cType = dyn_cast<MemRefType>(m.c.getType());
  if (!cType || !cType.getElementType().isF32())
    return std::nullopt;
  unsigned rank = cType.getRank();
  if (op.getNumLoops() != rank + 1)
    return std::nullopt;
  MLIRContext *ctx = op.getContext();
  m.nDim = rank - 1;
  m.kDim = rank;
  m.mDim = rank >= 2 ? static_cast<int>(rank) - 2 : -1;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  for (unsigned d = 0; d <= rank; ++d)
    if ((iterators[d] == utils::IteratorType::reduction) != (d == rank))
      return std::nullopt;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  SmallVector<AffineExpr> lead;
  for (unsigned d = 0; d + 1 < rank; ++d)
    lead.push_back(getAffineDimExpr(d, ctx));
  SmallVector<AffineExpr> cExprs(lead), xExprs(lead);
  cExprs.push_back(getAffineDimExpr(m.nDim, ctx));
  xExprs.push_back(getAffineDimExpr(m.kDim, ctx));
  if (maps.back() != AffineMap::get(rank + 1, 0, cExprs, ctx) ||
      maps[0] != AffineMap::get(rank + 1, 0, xExprs, ctx) ||
      maps[1] != AffineMap::get(rank + 1, 0,
                                {getAffineDimExpr(m.nDim, ctx),
                                 getAffineDimExpr(m.kDim, ctx)},
                                ctx))
    return std::nullopt;
  m.x = op.getDpsInputs()[0];
  m.xMap = maps[0];
  m.cMap = maps.back();
  auto xType = dyn_cast<MemRefType>(m.x.getType());
  if (!xType || !xType.getElementType().isF32())
    return std::nullopt;

  // yield(addf(mulf(x, mulf(sitofp(wint), scale)), out))
  Block *body = op.getBody();
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  auto add = yield->getOperand(0).getDefiningOp<arith::AddFOp>();
  Value out = body->getArguments().back();
  if (!add || ((add.getLhs() == out) == (add.getRhs() == out)))
    return std::nullopt;
  auto mul = (add.getLhs() == out ? add.getRhs() : add.getLhs())
                 .getDefiningOp<arith::MulFOp>();
  if (!mul)
    return std::nullopt;
  Value xArg = body->getArgument(0);
  if ((mul.getLhs() == xArg) == (mul.getRhs() == xArg))
    return std::nullopt;
  auto wMul = (mul.getLhs() == xArg ? mul.getRhs() : mul.getLhs())
                  .getDefiningOp<arith::MulFOp>();
  if (!wMul)
    return std::nullopt;
  auto toFloat = wMul.getLhs().getDefiningOp<arith::SIToFPOp>();
  Value scaleValue = wMul.getRhs();
  if (!toFloat) {
    toFloat = wMul.getRhs().getDefiningOp<arith::SIToFPOp>();
    scaleValue = wMul.getLhs();
  }
  if (!toFloat || !toFloat.getIn().getType().isInteger(32))
    return std::nullopt;
  if (auto ext = scaleValue.getDefiningOp<arith::ExtFOp>())
    scaleValue = ext.getIn();
  int64_t scaleGroup = 0;
  Value scaleMem =
      matchChannelOperand(op, scaleValue, m.nDim, m.kDim, scaleGroup);
  if (!scaleMem)
    return std::nullopt;

  Value wint = toFloat.getIn();
  Value zpValue;
  bool zpUnsigned = false;
  if (auto sub = wint.getDefiningOp<arith::SubIOp>()) {
    wint = sub.getLhs();
    zpValue = matchExt(sub.getRhs(), zpUnsigned);
    if (!zpValue)
      return std::nullopt;
  }
  Value wArg = matchExt(wint, m.weightUnsigned);
  if (wArg != body->getArgument(1))
    return std::nullopt;

  // Constants.
  auto wType = cast<MemRefType>(op.getDpsInputs()[1].getType());
  if (!wType.hasStaticShape())
    return std::nullopt;
  m.n = wType.getDimSize(0);
  m.k = wType.getDimSize(1);
  std::optional<std::vector<int32_t>> weights = readIntegerBuffer(
      op.getDpsInputs()[1], m.weightUnsigned, m.bits, m.feeders);
  if (!weights)
    return std::nullopt;
  m.weights = std::move(*weights);
  auto scaleGlobal = getConstantGlobal(scaleMem);
  if (!scaleGlobal)
    return std::nullopt;
  std::optional<std::vector<float>> scales = transformer::readFloatConstant(scaleGlobal->second);
  if (!scales)
    return std::nullopt;
  m.groupSize = scaleGroup ? scaleGroup : m.k;
  m.groups = (m.k + m.groupSize - 1) / m.groupSize;
  if (static_cast<int64_t>(scales->size()) != m.n * m.groups)
    return std::nullopt;
  m.scales = std::move(*scales);
  m.feeders.push_back(scaleMem.getDefiningOp());
  if (zpValue) {
    int64_t zpGroup = 0;
    Value zpMem = matchChannelOperand(op, zpValue, m.nDim, m.kDim, zpGroup);
    if (!zpMem || (zpGroup ? zpGroup : m.k) != m.groupSize)
      return std::nullopt;
    int zpBits = 0;
    std::optional<std::vector<int32_t>> zp =
        readIntegerBuffer(zpMem, zpUnsigned, zpBits, m.feeders);
    if (!zp || static_cast<int64_t>(zp->size()) != m.n * m.groups)
      return std::nullopt;
    m.zeroPoint = std::move(*zp);
  }
  if (m.bits == 4 && m.groupSize % 2)
    return std::nullopt;
  return m;
}

/// Register tile and lanes of the f32 kernel: the f32 cost model with the
/// registers that the widening temporaries and the per-group accumulators
/// leave.
struct WeightOnlyPlan {
  int64_t lanes = 16, mr = 1, vectors = 1;
  int64_t nr() const { return lanes * vectors; }
};

WeightOnlyPlan planWeightOnly(const TargetDescription &target,
                              const WeightOnlyMatch &m) {
  TargetDescription desc = target;
  desc.vectorRegisters = std::max<int64_t>(4, (target.vectorRegisters - 6) / 2);
  ContractionShape shape;
  shape.n = m.n;
  shape.k = m.k;
  ContractionTiles tiles = chooseContractionTiles(desc, shape);
  WeightOnlyPlan plan;
  plan.lanes = tiles.lanes;
  plan.vectors = std::min<int64_t>(4, tiles.nr / tiles.lanes);
  plan.mr = std::max<int64_t>(1, std::min<int64_t>(tiles.mr, 12 / plan.vectors));
  return plan;
}

struct Kernel {
  const WeightOnlyMatch *m;
  WeightOnlyPlan plan;
  Value packed, scales, zeroPoints;
  int64_t kRows = 0; // k rows of the packed weights (K, or K/2 for 4-bit)
};

SmallVector<Value> indicesOf(OpBuilder &b, Location loc, AffineMap map,
                             ArrayRef<Value> loops) {
  SmallVector<Value> idx;
  for (AffineExpr e : map.getResults())
    idx.push_back(loops[cast<AffineDimExpr>(e).getPosition()]);
  (void)b;
  (void)loc;
  return idx;
}

/// One register tile: rows [m, m + rows), `vectors` vectors of panel
/// `panel` (the last masked to `lastLanes` when nonzero).
void emitTile(OpBuilder &b, Location loc, const Kernel &kern,
              SmallVector<Value> loops, Value m, int64_t rows, Value panel,
              int64_t vectors, int64_t lastLanes) {
  const WeightOnlyMatch &wm = *kern.m;
  int64_t lanes = kern.plan.lanes;
  auto f32 = b.getF32Type();
  auto accType = VectorType::get({lanes}, f32);
  auto intType = VectorType::get({lanes}, b.getI32Type());
  auto byteType = VectorType::get({lanes}, b.getI8Type());
  Value n0 = arith::MulIOp::create(b, loc, panel, cst(b, loc, kern.plan.nr()));
  Value mask;
  if (lastLanes)
    mask = vector::ConstantMaskOp::create(
        b, loc, VectorType::get({lanes}, b.getI1Type()),
        ArrayRef<int64_t>{lastLanes});
  auto rowOf = [&](OpBuilder &ib, Location il, int64_t r) {
    if (!m)
      return Value();
    return r ? Value(arith::AddIOp::create(ib, il, m, cst(ib, il, r))) : m;
  };
  auto colOf = [&](OpBuilder &ib, Location il, int64_t v) {
    return Value(arith::AddIOp::create(ib, il, n0, cst(ib, il, v * lanes)));
  };
  auto cIdx = [&](int64_t r, int64_t v) {
    SmallVector<Value> l = loops;
    if (wm.mDim >= 0)
      l[wm.mDim] = rowOf(b, loc, r);
    l[wm.nDim] = colOf(b, loc, v);
    return indicesOf(b, loc, wm.cMap, l);
  };
  auto isMasked = [&](int64_t v) { return lastLanes && v == vectors - 1; };
  Value zeroF = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(accType, b.getF32FloatAttr(0)));

  SmallVector<Value> acc;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t v = 0; v < vectors; ++v)
      acc.push_back(isMasked(v) ? Value(vector::MaskedLoadOp::create(
                                      b, loc, accType, wm.c, cIdx(r, v), mask,
                                      zeroF))
                                : Value(vector::LoadOp::create(
                                      b, loc, accType, wm.c, cIdx(r, v))));

  // x[row, k] broadcast (0 past K for the padded half of an odd 4-bit K).
  auto loadX = [&](OpBuilder &ib, Location il, int64_t r, Value k) {
    SmallVector<Value> l = loops;
    if (wm.mDim >= 0)
      l[wm.mDim] = rowOf(ib, il, r);
    l[wm.kDim] = k;
    Value x =
        memref::LoadOp::create(ib, il, wm.x, indicesOf(ib, il, wm.xMap, l));
    return Value(vector::BroadcastOp::create(ib, il, accType, x));
  };

  auto groupLoop = scf::ForOp::create(
      b, loc, cst(b, loc, 0), cst(b, loc, wm.groups), cst(b, loc, 1), acc,
      [&](OpBuilder &gb, Location gl, Value g, ValueRange accIn) {
        SmallVector<Value> zps;
        if (kern.zeroPoints)
          for (int64_t v = 0; v < vectors; ++v)
            zps.push_back(vector::LoadOp::create(
                gb, gl, intType, kern.zeroPoints,
                ValueRange{g, colOf(gb, gl, v)}));
        Value kStart = arith::MulIOp::create(gb, gl, g, cst(gb, gl, wm.groupSize));
        Value kEnd = arith::MinSIOp::create(
            gb, gl, arith::AddIOp::create(gb, gl, kStart, cst(gb, gl, wm.groupSize)),
            cst(gb, gl, wm.k));
        int64_t step = wm.bits == 4 ? 2 : 1;
        SmallVector<Value> zeros(rows * vectors, zeroF);
        auto kLoop = scf::ForOp::create(
            gb, gl, kStart, kEnd, cst(gb, gl, step), zeros,
            [&](OpBuilder &kb, Location kl, Value k, ValueRange in) {
              SmallVector<Value> out(in.begin(), in.end());
              Value kRow = step == 2 ? Value(arith::DivUIOp::create(
                                           kb, kl, k, cst(kb, kl, 2)))
                                     : k;
              SmallVector<Value> lo, hi;
              for (int64_t v = 0; v < vectors; ++v) {
                Value bytes = vector::LoadOp::create(
                    kb, kl, byteType, kern.packed,
                    ValueRange{panel, kRow, cst(kb, kl, v * lanes)});
                bool unsignedNibbles = wm.bits == 4 && wm.weightUnsigned;
                Value wide =
                    unsignedNibbles
                        ? Value(arith::ExtUIOp::create(kb, kl, intType, bytes))
                        : Value(arith::ExtSIOp::create(kb, kl, intType, bytes));
                auto splat = [&](int32_t c) {
                  return arith::ConstantOp::create(
                      kb, kl,
                      DenseElementsAttr::get(intType, kb.getI32IntegerAttr(c)));
                };
                SmallVector<Value> parts;
                if (wm.bits == 8) {
                  parts.push_back(wide);
                } else if (unsignedNibbles) {
                  parts.push_back(arith::AndIOp::create(kb, kl, wide, splat(15)));
                  parts.push_back(arith::ShRUIOp::create(kb, kl, wide, splat(4)));
                } else {
                  parts.push_back(arith::ShRSIOp::create(
                      kb, kl, arith::ShLIOp::create(kb, kl, wide, splat(28)),
                      splat(28)));
                  parts.push_back(arith::ShRSIOp::create(kb, kl, wide, splat(4)));
                }
                for (Value &p : parts) {
                  if (!zps.empty())
                    p = arith::SubIOp::create(kb, kl, p, zps[v]);
                  p = arith::SIToFPOp::create(kb, kl, accType, p);
                }
                lo.push_back(parts[0]);
                if (parts.size() > 1)
                  hi.push_back(parts[1]);
              }
              Value k1;
              Value hasK1;
              if (step == 2) {
                k1 = arith::AddIOp::create(kb, kl, k, cst(kb, kl, 1));
                if (wm.k % 2) {
                  hasK1 = arith::CmpIOp::create(kb, kl, arith::CmpIPredicate::slt,
                                                k1, cst(kb, kl, wm.k));
                  k1 = arith::MinSIOp::create(kb, kl, k1, cst(kb, kl, wm.k - 1));
                }
              }
              for (int64_t r = 0; r < rows; ++r) {
                Value x0 = loadX(kb, kl, r, k);
                Value x1;
                if (step == 2) {
                  x1 = loadX(kb, kl, r, k1);
                  if (hasK1)
                    x1 = arith::SelectOp::create(kb, kl, hasK1, x1, zeroF);
                }
                for (int64_t v = 0; v < vectors; ++v) {
                  Value &a = out[r * vectors + v];
                  a = vector::FMAOp::create(kb, kl, x0, lo[v], a);
                  if (step == 2)
                    a = vector::FMAOp::create(kb, kl, x1, hi[v], a);
                }
              }
              scf::YieldOp::create(kb, kl, out);
            });
        SmallVector<Value> next(accIn.begin(), accIn.end());
        for (int64_t v = 0; v < vectors; ++v) {
          Value s = vector::LoadOp::create(gb, gl, accType, kern.scales,
                                           ValueRange{g, colOf(gb, gl, v)});
          for (int64_t r = 0; r < rows; ++r)
            next[r * vectors + v] = vector::FMAOp::create(
                gb, gl, kLoop.getResult(r * vectors + v), s,
                next[r * vectors + v]);
        }
        scf::YieldOp::create(gb, gl, next);
      });
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t v = 0; v < vectors; ++v) {
      Value value = groupLoop.getResult(r * vectors + v);
      if (isMasked(v))
        vector::MaskedStoreOp::create(b, loc, wm.c, cIdx(r, v), mask, value);
      else
        vector::StoreOp::create(b, loc, value, wm.c, cIdx(r, v));
    }
}

/// All register tiles of panel `panel`: MR-row tiles, then single rows.
void emitPanel(OpBuilder &pb, Location pl, const Kernel &kern,
               SmallVector<Value> loops, Value mSize, Value panel,
               int64_t vectors, int64_t lastLanes) {
  int64_t mr = kern.plan.mr;
  if (!mSize) {
    emitTile(pb, pl, kern, loops, Value(), 1, panel, vectors, lastLanes);
    return;
  }
  Value mFull = arith::SubIOp::create(
      pb, pl, mSize, arith::RemUIOp::create(pb, pl, mSize, cst(pb, pl, mr)));
  scf::ForOp::create(pb, pl, cst(pb, pl, 0), mFull, cst(pb, pl, mr),
                     ValueRange{},
                     [&](OpBuilder &mb, Location ml, Value m, ValueRange) {
                       emitTile(mb, ml, kern, loops, m, mr, panel, vectors,
                                lastLanes);
                       scf::YieldOp::create(mb, ml);
                     });
  if (mr > 1)
    scf::ForOp::create(pb, pl, mFull, mSize, cst(pb, pl, 1), ValueRange{},
                       [&](OpBuilder &mb, Location ml, Value m, ValueRange) {
                         emitTile(mb, ml, kern, loops, m, 1, panel, vectors,
                                  lastLanes);
                         scf::YieldOp::create(mb, ml);
                       });
}

} // namespace

bool int8::rewriteWeightOnly(linalg::GenericOp op,
                             const TargetDescription &target,
                             SymbolTable &symbols,
                             SmallVectorImpl<Operation *> &deadAfter,
                             int64_t threads, int64_t minCycles) {
  std::optional<WeightOnlyMatch> found = matchWeightOnly(op);
  if (!found)
    return false;
  WeightOnlyMatch &wm = *found;
  WeightOnlyPlan plan = planWeightOnly(target, wm);
  int64_t nr = plan.nr();
  int64_t panels = (wm.n + nr - 1) / nr;
  int64_t nPadded = panels * nr;
  int64_t kRows = wm.bits == 4 ? (wm.k + 1) / 2 : wm.k;

  // Pack.
  std::vector<char> packed(panels * kRows * nr, 0);
  std::vector<float> scales(wm.groups * nPadded, 0.0f);
  std::vector<int32_t> zeroPoints;
  bool zpInKernel = wm.bits == 4 && !wm.zeroPoint.empty();
  if (zpInKernel)
    zeroPoints.assign(wm.groups * nPadded, 0);
  for (int64_t n = 0; n < wm.n; ++n) {
    int64_t panel = n / nr, col = n % nr;
    for (int64_t g = 0; g < wm.groups; ++g) {
      scales[g * nPadded + n] = wm.scales[n * wm.groups + g];
      if (zpInKernel)
        zeroPoints[g * nPadded + n] = wm.zeroPoint[n * wm.groups + g];
    }
    for (int64_t k = 0; k < wm.k; ++k) {
      int32_t w = wm.weights[n * wm.k + k];
      char &byte = packed[(panel * kRows + (wm.bits == 4 ? k / 2 : k)) * nr + col];
      if (wm.bits == 8) {
        if (!wm.zeroPoint.empty())
          w -= wm.zeroPoint[n * wm.groups + k / wm.groupSize];
        if (w < -128 || w > 127)
          return false;
        byte = static_cast<char>(static_cast<int8_t>(w));
      } else {
        uint8_t nibble = static_cast<uint8_t>(w) & 15;
        byte = static_cast<char>(static_cast<uint8_t>(byte) |
                                 (k % 2 ? nibble << 4 : nibble));
      }
    }
  }

  OpBuilder b(op);
  Location loc = op.getLoc();
  OpBuilder gb(op->getParentOfType<func::FuncOp>());
  auto i8 = b.getI8Type();
  auto packedType = MemRefType::get({panels, kRows, nr}, i8);
  memref::GlobalOp packedGlobal = createGlobal(
      gb, loc, symbols,
      wm.bits == 4 ? "__llm_int4_packed_weights" : "__llm_int8_packed_weights",
      packedType,
      DenseElementsAttr::getFromRawBuffer(
          RankedTensorType::get(packedType.getShape(), i8),
          ArrayRef<char>(packed)));
  auto scaleType = MemRefType::get({wm.groups, nPadded}, b.getF32Type());
  memref::GlobalOp scaleGlobal = createGlobal(
      gb, loc, symbols, "__llm_weight_scales", scaleType,
      DenseElementsAttr::get(
          RankedTensorType::get(scaleType.getShape(), b.getF32Type()),
          ArrayRef<float>(scales)));
  Kernel kern;
  kern.m = &wm;
  kern.plan = plan;
  kern.kRows = kRows;
  kern.packed = memref::GetGlobalOp::create(b, loc, packedType,
                                            packedGlobal.getSymName());
  kern.scales = memref::GetGlobalOp::create(b, loc, scaleType,
                                            scaleGlobal.getSymName());
  if (zpInKernel) {
    auto zpType = MemRefType::get({wm.groups, nPadded}, b.getI32Type());
    memref::GlobalOp zpGlobal = createGlobal(
        gb, loc, symbols, "__llm_weight_zero_points", zpType,
        DenseElementsAttr::get(
            RankedTensorType::get(zpType.getShape(), b.getI32Type()),
            ArrayRef<int32_t>(zeroPoints)));
    kern.zeroPoints =
        memref::GetGlobalOp::create(b, loc, zpType, zpGlobal.getSymName());
  }

  // Panels on threads: one FMA per 16 lanes and cycle (times FMA units).
  int64_t mStatic = 1;
  if (wm.mDim >= 0)
    mStatic = cast<MemRefType>(wm.c.getType()).getDimSize(wm.mDim);
  bool parallel = worthThreads(mStatic, wm.n, wm.k,
                               plan.lanes * target.fmaUnits, threads,
                               minCycles);
  unsigned rank = wm.kDim;
  SmallVector<Value> loops(op.getNumLoops());
  Value mSize;
  if (wm.mDim >= 0)
    mSize = memref::DimOp::create(b, loc, wm.c, wm.mDim);
  std::function<void(OpBuilder &, Location, unsigned)> emitBatch =
      [&](OpBuilder &bb, Location bl, unsigned dim) {
        if (dim + 2 < rank) {
          Value size = memref::DimOp::create(bb, bl, wm.c, dim);
          scf::ForOp::create(bb, bl, cst(bb, bl, 0), size, cst(bb, bl, 1),
                             ValueRange{},
                             [&](OpBuilder &nb, Location nl, Value iv,
                                 ValueRange) {
                               loops[dim] = iv;
                               emitBatch(nb, nl, dim + 1);
                               scf::YieldOp::create(nb, nl);
                             });
          return;
        }
        int64_t rest = wm.n % nr;
        emitPanelLoop(
            bb, bl, wm.n / nr, rest != 0, parallel,
            [&](OpBuilder &pb, Location pl, Value panel, bool partial) {
              if (partial)
                emitPanel(pb, pl, kern, loops, mSize, panel,
                          (rest + plan.lanes - 1) / plan.lanes,
                          rest % plan.lanes);
              else
                emitPanel(pb, pl, kern, loops, mSize, panel, plan.vectors, 0);
            });
      };
  emitBatch(b, loc, 0);
  op.erase();
  for (Operation *feeder : wm.feeders)
    deadAfter.push_back(feeder);
  return true;
}
