//===- Quantize.cpp - transformer-quantize --------------------------------===//
//
// Quantizes the constant weights of `transformer.linear` and of
// `transformer.matmul` with a constant rank-2 right operand (how exporters
// write nn.Linear), at compile time:
//
//   int8-weight   per-output-channel symmetric int8 weights, f32 activations:
//                 -> transformer.quantized_linear (i8 [N, K], scales [N]);
//                 the lowering dequantizes inside the matmul loop.
//   int8-dynamic  int8 weights as above and activations quantized per token
//                 at run time (asymmetric ui8, as onnxruntime's dynamic
//                 quantization; u8 x s8 is VNNI's vpdpbusd form), exact i32
//                 accumulation, then rescaled:
//                 dynamic_quantize -> quantized_matmul -> cast -> mul scales.
//   int4-weight   group-wise 4-bit weights (group-size 32/64/128, f32 or f16
//                 scales, optional zero points) -> transformer.quantized_linear
//                 with group_size.
//
// Ops whose ONNX node name or weight name matches an `exclude` regex stay in
// float (e.g. exclude=lm_head). Weights that are not f32/f16/bf16 constants
// with their data present (e.g. elided resources) are left alone with a
// remark.
//
//===----------------------------------------------------------------------===//

#include "Transformer/Transforms/ConstantData.h"
#include "Transformer/Transforms/Passes.h"
#include "Transformer/Transforms/WeightQuantization.h"

#include "Transformer/IR/TransformerDialect.h"
#include "Transformer/IR/TransformerOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/Regex.h"

#include <memory>

namespace mlir::llm::transformer {
#define GEN_PASS_DEF_TRANSFORMERQUANTIZEPASS
#include "Transformer/Transforms/Passes.h.inc"
} // namespace mlir::llm::transformer

using namespace mlir;
using namespace mlir::llm;
using namespace mlir::llm::transformer;

namespace {

template <typename T>
ArrayRef<char> asBytes(const std::vector<T> &v) {
  return ArrayRef<char>(reinterpret_cast<const char *>(v.data()),
                        v.size() * sizeof(T));
}

/// The ONNX node name of an op (the importer's NameLoc), or "".
StringRef nodeName(Operation *op) {
  if (auto name = dyn_cast<NameLoc>(op->getLoc()))
    return name.getName().getValue();
  return "";
}

struct QuantizePass
    : public transformer::impl::TransformerQuantizePassBase<QuantizePass> {
  using Base::Base;

  /// One candidate: the op, the weight as [N, K] floats, and a name for the
  /// new constants. Its operands are read when it is rewritten (an earlier
  /// rewrite may have replaced them).
  struct Candidate {
    Operation *op;
    Operation *weightOp;
    bool transposed;
    std::vector<float> weightNK;
    int64_t n, k;
    std::string name;
    Value input() const { return op->getOperand(0); }
    Value bias() const {
      if (auto linear = dyn_cast<LinearOp>(op))
        return linear.getBias();
      return Value();
    }
  };

  std::optional<Candidate> match(Operation *op) {
    Value input, weight;
    bool transposed; // weight stored [K, N] (matmul) rather than [N, K]
    if (auto matmul = dyn_cast<MatmulOp>(op)) {
      input = matmul.getLhs();
      weight = matmul.getRhs();
      transposed = true;
      // Gemm with transB: matmul(x, transpose(W[N, K])).
      if (Value inner = lookThroughTranspose2D(weight)) {
        weight = inner;
        transposed = false;
      }
    } else if (auto linear = dyn_cast<LinearOp>(op)) {
      input = linear.getInput();
      weight = linear.getWeight();
      transposed = false;
    } else {
      return std::nullopt;
    }
    auto inputType = dyn_cast<RankedTensorType>(input.getType());
    auto weightType = dyn_cast<RankedTensorType>(weight.getType());
    if (!inputType || !weightType || weightType.getRank() != 2 ||
        !weightType.hasStaticShape() ||
        !isa<FloatType>(inputType.getElementType()) ||
        !inputType.getElementType().isF32())
      return std::nullopt;
    auto constant = weight.getDefiningOp<ConstantOp>();
    if (!constant)
      return std::nullopt;
    std::string weightName = getResourceName(constant.getValue());
    for (const std::shared_ptr<llvm::Regex> &re : excludes)
      if (re->match(nodeName(op)) ||
          (!weightName.empty() && re->match(weightName)))
        return std::nullopt;
    std::optional<std::vector<float>> values =
        readFloatConstant(constant.getValue());
    if (!values) {
      op->emitRemark() << "transformer-quantize: weight left in float (its "
                          "values are not readable f32/f16/bf16 data)";
      return std::nullopt;
    }
    Candidate c;
    c.op = op;
    c.weightOp = constant;
    c.transposed = transposed;
    int64_t rows = weightType.getDimSize(0), cols = weightType.getDimSize(1);
    if (transposed) {
      c.k = rows;
      c.n = cols;
      c.weightNK.resize(values->size());
      for (int64_t i = 0; i < rows; ++i)
        for (int64_t j = 0; j < cols; ++j)
          c.weightNK[j * rows + i] = (*values)[i * cols + j];
    } else {
      c.n = rows;
      c.k = cols;
      c.weightNK = std::move(*values);
    }
    std::string base = !weightName.empty()   ? weightName
                       : !nodeName(op).empty() ? nodeName(op).str()
                                               : "weight";
    c.name = base;
    return c;
  }

  /// The quantized weight, scales and zero points of a candidate, built once
  /// per weight constant and layout (tied weights share them) right after
  /// the float constant, so they dominate every user.
  struct QuantizedConstants {
    Value weight, scales, zeroPoint;
  };

  QuantizedConstants getQuantizedConstants(Candidate &c, bool dynamic) {
    auto key = std::make_pair(c.weightOp, unsigned(c.transposed));
    auto it = cache.find(key);
    if (it != cache.end())
      return it->second;
    OpBuilder b(c.weightOp);
    b.setInsertionPointAfter(c.weightOp);
    Location loc = c.weightOp->getLoc();
    MLIRContext *ctx = &getContext();
    bool int4 = mode == "int4-weight";
    QuantizedWeights q =
        int4 ? quantizeInt4Grouped(c.weightNK, c.n, c.k, groupSize, zeroPoint,
                                   scaleType == "f16")
             : quantizeInt8PerChannel(c.weightNK, c.n, c.k);
    Type valueType =
        int4 ? (zeroPoint ? IntegerType::get(ctx, 4, IntegerType::Unsigned)
                          : IntegerType::get(ctx, 4))
             : IntegerType::get(ctx, 8);
    QuantizedConstants out;
    if (dynamic) {
      // quantized_matmul takes b as [K, N].
      std::vector<int8_t> kn(q.values.size());
      for (int64_t i = 0; i < c.n; ++i)
        for (int64_t j = 0; j < c.k; ++j)
          kn[j * c.n + i] = q.values[i * c.k + j];
      out.weight = createConstant(
          b, loc, RankedTensorType::get({c.k, c.n}, valueType), asBytes(kn), 1,
          c.name + ".quantized");
    } else {
      out.weight = createConstant(
          b, loc, RankedTensorType::get({c.n, c.k}, valueType),
          asBytes(q.values), 1, c.name + ".quantized");
    }
    int64_t groups = int4 ? (c.k + groupSize - 1) / groupSize : 0;
    SmallVector<int64_t> scaleShape =
        int4 ? SmallVector<int64_t>{c.n, groups} : SmallVector<int64_t>{c.n};
    Type scaleElementType =
        int4 && scaleType == "f16" ? Type(Float16Type::get(ctx))
                                   : Type(Float32Type::get(ctx));
    out.scales = createFloatConstant(b, loc, scaleShape, q.scales,
                                     scaleElementType, c.name + ".scale");
    if (!q.zeroPoints.empty())
      out.zeroPoint = createConstant(
          b, loc, RankedTensorType::get(scaleShape, valueType),
          asBytes(q.zeroPoints), 1, c.name + ".zero_point");
    cache[key] = out;
    return out;
  }

  void rewriteWeightOnly(Candidate &c) {
    QuantizedConstants q = getQuantizedConstants(c, /*dynamic=*/false);
    OpBuilder b(c.op);
    std::optional<int64_t> group;
    if (mode == "int4-weight")
      group = groupSize;
    Value result = QuantizedLinearOp::create(
        b, c.op->getLoc(), c.input(), q.weight, q.scales, q.zeroPoint,
        c.bias(), group);
    c.op->getResult(0).replaceAllUsesWith(result);
    c.op->erase();
  }

  void rewriteDynamic(Candidate &c) {
    QuantizedConstants q = getQuantizedConstants(c, /*dynamic=*/true);
    OpBuilder b(c.op);
    Location loc = c.op->getLoc();
    MLIRContext *ctx = &getContext();
    auto dq = DynamicQuantizeOp::create(
        b, loc, c.input(), IntegerType::get(ctx, 8, IntegerType::Unsigned),
        /*axis=*/int64_t(-1), Float32Type::get(ctx));
    Value acc = QuantizedMatmulOp::create(b, loc, dq.getOutput(), q.weight,
                                          dq.getZeroPoint(), Value());
    auto accType = cast<RankedTensorType>(acc.getType());
    Value accFloat = CastOp::create(
        b, loc, accType.clone(Float32Type::get(ctx)), acc);
    Value y = MulOp::create(b, loc, accFloat, dq.getScale());
    y = MulOp::create(b, loc, y, q.scales);
    if (Value bias = c.bias())
      y = AddOp::create(b, loc, y, bias);
    if (y.getType() != c.op->getResult(0).getType()) {
      c.op->emitRemark() << "transformer-quantize: int8-dynamic rewrite "
                            "changes the result type; left in float";
      // Nothing uses the new ops: they fold away in the canonicalizer.
      return;
    }
    c.op->getResult(0).replaceAllUsesWith(y);
    c.op->erase();
  }

  /// Checks the options; the error says which one is wrong.
  LogicalResult checkOptions() {
    auto fail = [&](const Twine &message) {
      getOperation()->emitError() << "transformer-quantize: " << message;
      return failure();
    };
    if (mode != "none" && mode != "int8-weight" && mode != "int8-dynamic" &&
        mode != "int4-weight")
      return fail("mode=" + mode +
                  " is not one of none, int8-weight, int8-dynamic, "
                  "int4-weight");
    if (groupSize <= 0)
      return fail("group-size=" + Twine(groupSize) + " must be positive");
    if (scaleType != "f32" && scaleType != "f16")
      return fail("scale-type=" + scaleType + " is not f32 or f16");
    excludes.clear();
    for (const std::string &pattern : exclude) {
      auto re = std::make_shared<llvm::Regex>(pattern);
      std::string error;
      if (!re->isValid(error))
        return fail("exclude pattern '" + pattern + "' is not a valid "
                    "regular expression: " + error);
      excludes.push_back(std::move(re));
    }
    return success();
  }

  void runOnOperation() override {
    if (failed(checkOptions()))
      return signalPassFailure();
    if (mode == "none")
      return;
    SmallVector<Candidate> candidates;
    getOperation()->walk([&](Operation *op) {
      if (std::optional<Candidate> c = match(op))
        candidates.push_back(std::move(*c));
    });
    cache.clear();
    for (Candidate &c : candidates) {
      // Rank-1 activations have no per-token rows: weight-only for them.
      if (mode == "int8-dynamic" &&
          cast<RankedTensorType>(c.input().getType()).getRank() >= 2)
        rewriteDynamic(c);
      else
        rewriteWeightOnly(c);
    }
    // The float weights no longer used (each once: tied weights are shared
    // by several candidates).
    llvm::SetVector<Operation *> weightOps;
    for (Candidate &c : candidates)
      weightOps.insert(c.weightOp);
    for (Operation *weightOp : weightOps)
      if (weightOp->use_empty())
        weightOp->erase();
    cache.clear();
  }

  DenseMap<std::pair<Operation *, unsigned>, QuantizedConstants> cache;
  /// Compiled `exclude` patterns (shared: passes are copied when cloned).
  SmallVector<std::shared_ptr<llvm::Regex>> excludes;
};

} // namespace
