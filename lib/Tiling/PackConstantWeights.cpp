//===- PackConstantWeights.cpp - --llm-pack-constant-weights -------------===//
//
// Compile-time packing of constant f32 weights for the contraction kernels
// (PackedWeights.h has the layout and the attribute; Passes.td the IR before
// and after). The register tile reads a KC x NR micro-panel of B once per
// m step; in B's own [K, N] layout its rows are N * 4 bytes apart, which on
// N = 768..4096 maps a panel to a handful of L1 sets and many pages, so it is
// evicted between m steps (docs/tiling.md). Packed as [N / NR, K, NR] every
// micro-panel is one contiguous block, and weights (linear / matmul with a
// constant B) pay nothing for it at run time. A linear's [N, K] weight
// (matmul_transpose_b) is transposed at compile time first, which also
// gives it the vector kernel (the tiling handles only n-innermost B).
//
//===----------------------------------------------------------------------===//

#include "llm/Tiling/ContractionMatch.h"
#include "llm/Tiling/CostModel.h"
#include "llm/Tiling/PackedWeights.h"
#include "llm/Tiling/Passes.h"
#include "llm/Tiling/TargetDescription.h"

#include "TilingUtils.h"

#include "Transformer/Transforms/ConstantData.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/IR/SymbolTable.h"

#include <map>

namespace mlir::llm {
#define GEN_PASS_DEF_LLMPACKCONSTANTWEIGHTSPASS
#include "llm/Tiling/Passes.h.inc"
} // namespace mlir::llm

using namespace mlir;
using namespace mlir::llm;

std::optional<PackedWeights> llm::getPackedWeights(Operation *op) {
  auto dict = op->getAttrOfType<DictionaryAttr>(kPackedWeightsAttrName);
  if (!dict)
    return std::nullopt;
  auto panels = dict.getAs<FlatSymbolRefAttr>("panels");
  auto nr = dict.getAs<IntegerAttr>("nr");
  if (!panels || !nr || nr.getInt() <= 0)
    return std::nullopt;
  return PackedWeights{panels, nr.getInt()};
}

void llm::setPackedWeights(Operation *op, const PackedWeights &packed) {
  Builder b(op->getContext());
  op->setAttr(kPackedWeightsAttrName,
              b.getDictionaryAttr(
                  {b.getNamedAttr("panels", packed.panels),
                   b.getNamedAttr("nr", b.getI64IntegerAttr(packed.nr))}));
}

namespace mlir::llm {
namespace {

/// B [K, N] (row-major values) as [N / nr, K, nr].
std::vector<float> packPanels(ArrayRef<float> b, int64_t k, int64_t n,
                              int64_t nr) {
  std::vector<float> packed(b.size());
  for (int64_t panel = 0; panel < n / nr; ++panel)
    for (int64_t row = 0; row < k; ++row)
      for (int64_t col = 0; col < nr; ++col)
        packed[(panel * k + row) * nr + col] = b[row * n + panel * nr + col];
  return packed;
}

/// B [N, K] (row-major values) as [K, N].
std::vector<float> transpose(ArrayRef<float> b, int64_t n, int64_t k) {
  std::vector<float> t(b.size());
  for (int64_t row = 0; row < n; ++row)
    for (int64_t col = 0; col < k; ++col)
      t[col * n + row] = b[row * k + col];
  return t;
}

/// A linear with constant weights, `C[m, n] += A[m, k] * W[n, k]`
/// (linalg.matmul_transpose_b and its generic form, no batch dims, f32,
/// identity-layout W), becomes a plain linalg.matmul of a new constant
/// global holding W transposed at compile time, which is then packed like
/// any other weight. Returns the new op, or null if `op` is not such a
/// linear.
linalg::LinalgOp transposeConstantWeights(linalg::LinalgOp op,
                                          SymbolTable &symbols) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || !linalg::isaContractionOpInterface(op))
    return {};
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || !dims->batch.empty() || dims->m.size() != 1 ||
      dims->n.size() != 1 || dims->k.size() != 1)
    return {};
  MLIRContext *ctx = op.getContext();
  AffineExpr m = getAffineDimExpr(dims->m.front(), ctx);
  AffineExpr n = getAffineDimExpr(dims->n.front(), ctx);
  AffineExpr k = getAffineDimExpr(dims->k.front(), ctx);
  auto map = [&](AffineExpr a, AffineExpr b) {
    return AffineMap::get(op.getNumLoops(), 0, {a, b}, ctx);
  };
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (maps[0] != map(m, k) || maps[1] != map(n, k) || maps[2] != map(m, n))
    return {};
  Value a = op.getDpsInputs()[0], w = op.getDpsInputs()[1];
  Value c = op.getDpsInits()[0];
  auto wType = dyn_cast<MemRefType>(w.getType());
  auto constant = getConstantGlobal(w);
  if (!wType || !wType.hasStaticShape() || !wType.getLayout().isIdentity() ||
      !wType.getElementType().isF32() || !constant ||
      !getElementTypeOrSelf(a.getType()).isF32() ||
      !getElementTypeOrSelf(c.getType()).isF32())
    return {};
  std::optional<std::vector<float>> values =
      transformer::readFloatConstant(constant->second);
  int64_t rows = wType.getDimSize(0), cols = wType.getDimSize(1);
  if (!values || static_cast<int64_t>(values->size()) != rows * cols)
    return {};
  std::vector<float> transposed = transpose(*values, rows, cols);
  auto type = MemRefType::get({cols, rows}, wType.getElementType());
  auto data = DenseElementsAttr::get(
      RankedTensorType::get(type.getShape(), type.getElementType()),
      ArrayRef<float>(transposed));
  OpBuilder gb(constant->first);
  memref::GlobalOp global =
      createGlobal(gb, constant->first.getLoc(), symbols,
                         "__llm_transposed_b", type, data);
  OpBuilder b(op);
  Value weights = memref::GetGlobalOp::create(b, op.getLoc(), type,
                                              global.getSymName());
  auto matmul =
      linalg::MatmulOp::create(b, op.getLoc(), ValueRange{a, weights},
                               ValueRange{c});
  op->erase();
  return cast<linalg::LinalgOp>(matmul.getOperation());
}

struct PackConstantWeightsPass
    : impl::LLMPackConstantWeightsPassBase<PackConstantWeightsPass> {
  using LLMPackConstantWeightsPassBase::LLMPackConstantWeightsPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<TargetDescription> target = resolvePassTarget(
        module, "llm-pack-constant-weights", cpu, targetDesc);
    if (failed(target))
      return signalPassFailure();
    SymbolTable symbols(module);
    // One packed global per (weight, NR).
    std::map<std::pair<std::string, int64_t>, FlatSymbolRefAttr> packedOf;

    SmallVector<linalg::LinalgOp> ops;
    module.walk([&](linalg::LinalgOp op) { ops.push_back(op); });
    for (linalg::LinalgOp op : ops) {
      if (linalg::LinalgOp matmul = transposeConstantWeights(op, symbols))
        op = matmul;
      packWeights(op, *target, symbols, packedOf);
    }
  }

  /// Packs `op`'s constant B as described in Passes.td, if it has one.
  void packWeights(
      linalg::LinalgOp op, const TargetDescription &target,
      SymbolTable &symbols,
      std::map<std::pair<std::string, int64_t>, FlatSymbolRefAttr> &packedOf) {
    if (!op.hasPureBufferSemantics())
      return;
    std::optional<ContractionMatch> match = matchContraction(op);
    if (!match || !match->batchDims.empty() ||
        match->shape.elementBytes != 4)
      return;
    OpOperand *bOperand = op.getDpsInputOperand(1);
    MLIRContext *ctx = op.getContext();
    if (op.getMatchingIndexingMap(bOperand) !=
        AffineMap::get(op.getNumLoops(), 0,
                       {getAffineDimExpr(match->kDim, ctx),
                        getAffineDimExpr(match->nDim, ctx)},
                       ctx))
      return;
    auto bType = dyn_cast<MemRefType>(bOperand->get().getType());
    auto constant = getConstantGlobal(bOperand->get());
    if (!bType || !bType.hasStaticShape() || !bType.getLayout().isIdentity() ||
        !bType.getElementType().isF32() || !constant)
      return;
    int64_t k = bType.getDimSize(0), n = bType.getDimSize(1);
    int64_t nr = choosePackedPanelWidth(target, match->shape);
    if (nr <= 0 || n % nr != 0)
      return;
    auto key = std::make_pair(constant->first.getSymName().str(), nr);
    FlatSymbolRefAttr &panels = packedOf[key];
    if (!panels) {
      std::optional<std::vector<float>> values =
          transformer::readFloatConstant(constant->second);
      if (!values || static_cast<int64_t>(values->size()) != k * n)
        return;
      std::vector<float> packed = packPanels(*values, k, n, nr);
      auto packedType = MemRefType::get({n / nr, k, nr},
                                        bType.getElementType());
      auto data = DenseElementsAttr::get(
          RankedTensorType::get(packedType.getShape(),
                                bType.getElementType()),
          ArrayRef<float>(packed));
      OpBuilder b(constant->first);
      memref::GlobalOp global =
          createGlobal(b, constant->first.getLoc(), symbols,
                             "__llm_packed_b", packedType, data);
      panels = FlatSymbolRefAttr::get(global.getSymNameAttr());
    }
    setPackedWeights(op, PackedWeights{panels, nr});
  }
};

} // namespace
} // namespace mlir::llm
