//===- TransformerNNOps.cpp - matmul, norms, activations, attention -------===//
//
// Type inference and verifiers of the neural-network op group. Shapes are
// checked as far as they are static; dynamic dims (`?`) are assumed to match
// at run time and propagate to the results (a static dim wins when two
// operands give the same dim). Result shapes are reified from the operands
// (`tensor.dim`, run-time broadcasting of matmul batch dims, `arith.addi`
// for the KV-cache length) with the helpers of TransformerShapeUtils.
//
//===----------------------------------------------------------------------===//

#include "Transformer/IR/TransformerOps.h"
#include "Transformer/IR/TransformerShapeUtils.h"

#include "mlir/IR/TypeUtilities.h"

#include <cmath>

using namespace mlir;
using namespace mlir::llm::transformer;

/// Prints a dim for diagnostics: `?` for dynamic.
static std::string dimStr(int64_t dim) {
  return ShapedType::isDynamic(dim) ? std::string("?") : std::to_string(dim);
}

//===----------------------------------------------------------------------===//
// MatmulOp
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  auto lhs = cast<RankedTensorType>(adaptor.getLhs().getType());
  auto rhs = cast<RankedTensorType>(adaptor.getRhs().getType());
  if (lhs.getRank() < 2 || rhs.getRank() < 2)
    return emitOptionalError(location,
                             "'transformer.matmul' expects operands of rank "
                             ">= 2, got ",
                             lhs, " and ", rhs);
  int64_t lhsK = lhs.getShape().back();
  int64_t rhsK = rhs.getShape()[rhs.getRank() - 2];
  if (!dimsCompatible(lhsK, rhsK))
    return emitOptionalError(location,
                             "'transformer.matmul' contraction dims differ: "
                             "lhs has ",
                             lhsK, " columns, rhs has ", rhsK, " rows");
  FailureOr<SmallVector<int64_t>> batch = broadcastShapes(
      {lhs.getShape().drop_back(2), rhs.getShape().drop_back(2)});
  if (failed(batch))
    return emitOptionalError(
        location, "'transformer.matmul' batch dims are not broadcast-compatible: ",
        lhs, " and ", rhs);
  SmallVector<int64_t> shape = *batch;
  shape.push_back(lhs.getShape()[lhs.getRank() - 2]);
  shape.push_back(rhs.getShape().back());
  inferred.push_back(RankedTensorType::get(shape, lhs.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// LinearOp
//===----------------------------------------------------------------------===//

LogicalResult LinearOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  auto weight = cast<RankedTensorType>(adaptor.getWeight().getType());
  if (input.getRank() < 1)
    return emitOptionalError(location,
                             "'transformer.linear' expects an input of rank "
                             ">= 1");
  if (weight.getRank() != 2)
    return emitOptionalError(location,
                             "'transformer.linear' expects a weight of rank 2 "
                             "([out_features, in_features]), got ",
                             weight);
  int64_t n = weight.getDimSize(0);
  if (!dimsCompatible(input.getShape().back(), weight.getDimSize(1)))
    return emitOptionalError(
        location, "'transformer.linear' input features (",
        input.getShape().back(), ") differ from the weight's in_features (",
        weight.getDimSize(1), ")");
  if (Value bias = adaptor.getBias()) {
    auto biasType = cast<RankedTensorType>(bias.getType());
    if (biasType.getRank() != 1 || !dimsCompatible(biasType.getDimSize(0), n))
      return emitOptionalError(location,
                               "'transformer.linear' expects a bias of shape [",
                               dimStr(n), "], got ", biasType);
  }
  SmallVector<int64_t> shape(input.getShape().drop_back());
  shape.push_back(n);
  inferred.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Softmax, LogSoftmax
//===----------------------------------------------------------------------===//

template <typename OpTy>
static LogicalResult verifySoftmaxAxis(OpTy op) {
  int64_t rank = op.getInput().getType().getRank();
  // I64Attr getters return uint64_t: read the axis as signed.
  auto axis = static_cast<int64_t>(op.getAxis());
  if (!normalizeAxis(axis, rank))
    return op.emitOpError("axis ")
           << axis << " is out of range [" << -rank << ", " << rank
           << ")";
  return success();
}

LogicalResult SoftmaxOp::verify() { return verifySoftmaxAxis(*this); }
LogicalResult LogSoftmaxOp::verify() { return verifySoftmaxAxis(*this); }

//===----------------------------------------------------------------------===//
// LayerNormOp, RMSNormOp
//===----------------------------------------------------------------------===//

/// Checks `axis` and that each affine parameter (scale, bias) has the input's
/// element type and broadcasts to the normalized dims [axis, rank).
static LogicalResult verifyNorm(Operation *op, RankedTensorType inputType,
                                int64_t axis, ArrayRef<Value> params) {
  int64_t rank = inputType.getRank();
  std::optional<int64_t> normalized = normalizeAxis(axis, rank);
  if (!normalized)
    return op->emitOpError("axis ")
           << axis << " is out of range [" << -rank << ", " << rank << ")";
  ArrayRef<int64_t> normShape = inputType.getShape().drop_front(*normalized);
  for (Value param : params) {
    if (!param)
      continue;
    auto type = cast<RankedTensorType>(param.getType());
    if (type.getElementType() != inputType.getElementType())
      return op->emitOpError("scale and bias must have the input's element "
                             "type ")
             << inputType.getElementType() << ", got " << type;
    if (!broadcastsTo(type.getShape(), normShape))
      return op->emitOpError("scale and bias must broadcast to the "
                             "normalized dims [")
             << llvm::make_range(normShape.begin(), normShape.end())
             << "], got " << type;
  }
  return success();
}

LogicalResult LayerNormOp::verify() {
  return verifyNorm(*this, getInput().getType(),
                    static_cast<int64_t>(getAxis()), {getScale(), getBias()});
}

LogicalResult RMSNormOp::verify() {
  return verifyNorm(*this, getInput().getType(),
                    static_cast<int64_t>(getAxis()), {getScale()});
}

//===----------------------------------------------------------------------===//
// RotaryEmbeddingOp
//===----------------------------------------------------------------------===//

int64_t RotaryEmbeddingOp::getEffectiveRotaryDim() {
  if (std::optional<uint64_t> dim = getRotaryDim())
    return static_cast<int64_t>(*dim);
  return getInput().getType().getShape().back();
}

LogicalResult RotaryEmbeddingOp::verify() {
  RankedTensorType inputType = getInput().getType();
  auto tableType = cast<RankedTensorType>(getCos().getType());
  if (inputType.getRank() < 2)
    return emitOpError("expects an input of rank >= 2, got ") << inputType;
  if (tableType.getRank() < 1)
    return emitOpError("expects cos/sin tables of rank >= 1");
  if (tableType.getElementType() != inputType.getElementType())
    return emitOpError("cos/sin must have the input's element type ")
           << inputType.getElementType() << ", got " << tableType;
  int64_t headDim = inputType.getShape().back();
  int64_t rotaryDim = getEffectiveRotaryDim();
  if (getRotaryDim()) {
    if (rotaryDim <= 0 || rotaryDim % 2 != 0)
      return emitOpError("rotary_dim must be positive and even, got ")
             << rotaryDim;
    if (!ShapedType::isDynamic(headDim) && rotaryDim > headDim)
      return emitOpError("rotary_dim ")
             << rotaryDim << " exceeds the last dim " << headDim;
  } else if (!ShapedType::isDynamic(headDim) && headDim % 2 != 0) {
    return emitOpError("the rotated last dim must be even, got ") << headDim;
  }
  int64_t half = ShapedType::isDynamic(rotaryDim) ? rotaryDim : rotaryDim / 2;
  if (!dimsCompatible(tableType.getShape().back(), half))
    return emitOpError("cos/sin last dim must be rotary_dim / 2 = ")
           << dimStr(half) << ", got " << tableType.getShape().back();
  if (!broadcastsTo(tableType.getShape().drop_back(),
                    inputType.getShape().drop_back()))
    return emitOpError("cos/sin leading dims must broadcast to the input's "
                       "leading dims, got ")
           << tableType << " for input " << inputType;
  return success();
}

//===----------------------------------------------------------------------===//
// AttentionOp
//===----------------------------------------------------------------------===//

/// The structural checks that both the verifier and type inference need
/// before they can index into the shapes: rank-4 operands and past_key /
/// past_value given together. (The op verifier runs before the interface's
/// inferred-type check, so it must not assume them.)
static LogicalResult verifyAttentionRanks(std::optional<Location> location,
                                          Value query, Value key, Value value,
                                          Value pastKey, Value pastValue) {
  auto q = cast<RankedTensorType>(query.getType());
  auto k = cast<RankedTensorType>(key.getType());
  auto v = cast<RankedTensorType>(value.getType());
  if (q.getRank() != 4 || k.getRank() != 4 || v.getRank() != 4)
    return emitOptionalError(location,
                             "'transformer.attention' expects query, key and "
                             "value of rank 4 ([batch, heads, seq, head_dim]), "
                             "got ",
                             q, ", ", k, ", ", v);
  if (static_cast<bool>(pastKey) != static_cast<bool>(pastValue))
    return emitOptionalError(location,
                             "'transformer.attention' expects both past_key "
                             "and past_value or neither");
  if (pastKey) {
    auto pastK = cast<RankedTensorType>(pastKey.getType());
    auto pastV = cast<RankedTensorType>(pastValue.getType());
    if (pastK.getRank() != 4 || pastV.getRank() != 4)
      return emitOptionalError(location,
                               "'transformer.attention' expects past_key and "
                               "past_value of rank 4, got ",
                               pastK, ", ", pastV);
  }
  return success();
}

LogicalResult AttentionOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  if (failed(verifyAttentionRanks(location, adaptor.getQuery(),
                                  adaptor.getKey(), adaptor.getValue(),
                                  adaptor.getPastKey(), adaptor.getPastValue())))
    return failure();
  auto q = cast<RankedTensorType>(adaptor.getQuery().getType());
  auto k = cast<RankedTensorType>(adaptor.getKey().getType());
  auto v = cast<RankedTensorType>(adaptor.getValue().getType());
  int64_t batch = mergeDims(q.getDimSize(0), k.getDimSize(0));
  Type elementType = q.getElementType();
  inferred.push_back(RankedTensorType::get(
      {batch, q.getDimSize(1), q.getDimSize(2), v.getDimSize(3)}, elementType));
  if (!adaptor.getPastKey())
    return success();
  auto pastK = cast<RankedTensorType>(adaptor.getPastKey().getType());
  auto pastV = cast<RankedTensorType>(adaptor.getPastValue().getType());
  int64_t kvHeads = mergeDims(k.getDimSize(1), v.getDimSize(1));
  int64_t total = addDims(mergeDims(pastK.getDimSize(2), pastV.getDimSize(2)),
                          mergeDims(k.getDimSize(2), v.getDimSize(2)));
  inferred.push_back(RankedTensorType::get(
      {batch, kvHeads, total, mergeDims(k.getDimSize(3), q.getDimSize(3))},
      elementType));
  inferred.push_back(RankedTensorType::get(
      {batch, kvHeads, total, v.getDimSize(3)}, elementType));
  return success();
}

std::optional<double> AttentionOp::getEffectiveScale() {
  if (std::optional<APFloat> scale = getScale())
    return scale->convertToDouble();
  int64_t headDim = getQuery().getType().getDimSize(3);
  if (ShapedType::isDynamic(headDim))
    return std::nullopt;
  return 1.0 / std::sqrt(static_cast<double>(headDim));
}

LogicalResult AttentionOp::verify() {
  if (failed(verifyAttentionRanks(getLoc(), getQuery(), getKey(), getValue(),
                                  getPastKey(), getPastValue())))
    return failure();
  RankedTensorType q = getQuery().getType();
  RankedTensorType k = getKey().getType();
  RankedTensorType v = getValue().getType();
  Type elementType = q.getElementType();
  for (Value operand : {getKey(), getValue(), getPastKey(), getPastValue()})
    if (operand && getElementTypeOrSelf(operand.getType()) != elementType)
      return emitOpError("query, key, value and past operands must have the "
                         "same element type ")
             << elementType << ", got " << operand.getType();
  auto mismatch = [&](StringRef what, int64_t a, int64_t b) {
    return emitOpError(what) << " differ: " << dimStr(a) << " vs " << dimStr(b);
  };
  if (!dimsCompatible(q.getDimSize(0), k.getDimSize(0)) ||
      !dimsCompatible(k.getDimSize(0), v.getDimSize(0)))
    return mismatch("batch sizes of query, key and value", q.getDimSize(0),
                    k.getDimSize(0) == q.getDimSize(0) ? v.getDimSize(0)
                                                       : k.getDimSize(0));
  if (!dimsCompatible(q.getDimSize(3), k.getDimSize(3)))
    return mismatch("head dims of query and key", q.getDimSize(3),
                    k.getDimSize(3));
  if (!dimsCompatible(k.getDimSize(1), v.getDimSize(1)))
    return mismatch("KV head counts of key and value", k.getDimSize(1),
                    v.getDimSize(1));
  if (!dimsCompatible(k.getDimSize(2), v.getDimSize(2)))
    return mismatch("sequence lengths of key and value", k.getDimSize(2),
                    v.getDimSize(2));

  // Grouped-query attention: query heads are a multiple of KV heads.
  int64_t qHeads = q.getDimSize(1);
  int64_t kvHeads = k.getDimSize(1);
  if (std::optional<uint64_t> attr = getNumKvHeads()) {
    auto numKVHeads = static_cast<int64_t>(*attr);
    if (numKVHeads <= 0)
      return emitOpError("num_kv_heads must be positive, got ") << numKVHeads;
    if (!dimsCompatible(numKVHeads, kvHeads))
      return emitOpError("num_kv_heads ")
             << numKVHeads << " differs from the key's head count " << kvHeads;
    kvHeads = numKVHeads;
  }
  if (!ShapedType::isDynamic(qHeads) && !ShapedType::isDynamic(kvHeads) &&
      qHeads % kvHeads != 0)
    return emitOpError("query heads (")
           << qHeads << ") must be a multiple of KV heads (" << kvHeads << ")";

  // KV cache.
  int64_t total = k.getDimSize(2);
  if (Value pastKey = getPastKey()) {
    auto pk = cast<RankedTensorType>(pastKey.getType());
    auto pv = cast<RankedTensorType>(getPastValue().getType());
    for (int64_t d : {0, 1})
      if (!dimsCompatible(pk.getDimSize(d), k.getDimSize(d)) ||
          !dimsCompatible(pv.getDimSize(d), k.getDimSize(d)))
        return emitOpError("past_key/past_value batch and head dims must "
                           "match the key's, got ")
               << pk << ", " << pv << " for key " << k;
    if (!dimsCompatible(pk.getDimSize(3), k.getDimSize(3)) ||
        !dimsCompatible(pv.getDimSize(3), v.getDimSize(3)))
      return emitOpError("past_key/past_value head dims must match key and "
                         "value, got ")
             << pk << ", " << pv;
    if (!dimsCompatible(pk.getDimSize(2), pv.getDimSize(2)))
      return mismatch("past sequence lengths of past_key and past_value",
                      pk.getDimSize(2), pv.getDimSize(2));
    total = addDims(pk.getDimSize(2), k.getDimSize(2));
  }

  if (Value mask = getMask()) {
    auto maskType = cast<RankedTensorType>(mask.getType());
    Type maskElement = maskType.getElementType();
    if (!maskElement.isInteger(1) && maskElement != elementType)
      return emitOpError("mask must be i1 or have the query's element type ")
             << elementType << ", got " << maskType;
    SmallVector<int64_t> scoresShape = {q.getDimSize(0), qHeads,
                                        q.getDimSize(2), total};
    if (!broadcastsTo(maskType.getShape(), scoresShape))
      return emitOpError("mask ")
             << maskType << " does not broadcast to the scores shape ["
             << dimStr(scoresShape[0]) << ", " << dimStr(scoresShape[1])
             << ", " << dimStr(scoresShape[2]) << ", " << dimStr(total) << "]";
  }

  if (std::optional<APFloat> scale = getScale()) {
    double value = scale->convertToDouble();
    if (!(value > 0.0) || std::isinf(value))
      return emitOpError("scale must be positive and finite, got ") << value;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// EmbeddingOp
//===----------------------------------------------------------------------===//

LogicalResult EmbeddingOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  auto table = cast<RankedTensorType>(adaptor.getTable().getType());
  auto indices = cast<RankedTensorType>(adaptor.getIndices().getType());
  if (table.getRank() != 2)
    return emitOptionalError(location,
                             "'transformer.embedding' expects a table of rank "
                             "2 ([vocab, dim]), got ",
                             table);
  SmallVector<int64_t> shape(indices.getShape());
  shape.push_back(table.getDimSize(1));
  inferred.push_back(RankedTensorType::get(shape, table.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Result-shape reification
//===----------------------------------------------------------------------===//

/// The results have the shape of operand 0 (activations, softmax,
/// normalizations, rotary embedding).
#define TRANSFORMER_REIFY_LIKE_INPUT(OP)                                       \
  LogicalResult OP::reifyResultShapes(                                         \
      OpBuilder &builder, ReifiedRankedShapedTypeDims &reifiedShapes) {        \
    return reifyResultsLikeOperand(*this, builder, reifiedShapes);             \
  }
TRANSFORMER_REIFY_LIKE_INPUT(SoftmaxOp)
TRANSFORMER_REIFY_LIKE_INPUT(LogSoftmaxOp)
TRANSFORMER_REIFY_LIKE_INPUT(LayerNormOp)
TRANSFORMER_REIFY_LIKE_INPUT(RMSNormOp)
TRANSFORMER_REIFY_LIKE_INPUT(GeluOp)
TRANSFORMER_REIFY_LIKE_INPUT(SiluOp)
TRANSFORMER_REIFY_LIKE_INPUT(RotaryEmbeddingOp)
#undef TRANSFORMER_REIFY_LIKE_INPUT

LogicalResult
MatmulOp::reifyResultShapes(OpBuilder &builder,
                            ReifiedRankedShapedTypeDims &reifiedShapes) {
  reifiedShapes.push_back(
      reifyMatmulShape(builder, getLoc(), getType(), getLhs(), getRhs()));
  return success();
}

LogicalResult
LinearOp::reifyResultShapes(OpBuilder &builder,
                            ReifiedRankedShapedTypeDims &reifiedShapes) {
  SmallVector<DimSource> outFeatures = {{getWeight(), 0}};
  if (Value bias = getBias())
    outFeatures.emplace_back(bias, 0);
  reifiedShapes.push_back(reifyLinearShape(builder, getLoc(), getType(),
                                           getInput(), outFeatures));
  return success();
}

/// output: [B, Hq, Sq, Dv]; present_key / present_value:
/// [B, Hkv, P + Skv, D] / [B, Hkv, P + Skv, Dv]. Dims that several operands
/// carry (B, Hkv, the head dims, P, Skv) are read from the first operand
/// where they are static, else from the first that has them.
LogicalResult
AttentionOp::reifyResultShapes(OpBuilder &builder,
                               ReifiedRankedShapedTypeDims &reifiedShapes) {
  Location loc = getLoc();
  Value query = getQuery(), key = getKey(), value = getValue();
  Value pastKey = getPastKey(), pastValue = getPastValue();
  SmallVector<DimSource> batch = {{query, 0}, {key, 0}, {value, 0}};
  if (pastKey)
    batch.append({{pastKey, 0}, {pastValue, 0}});

  auto outputType = cast<RankedTensorType>(getOutput().getType());
  reifiedShapes.push_back(
      {reifyDim(builder, loc, outputType, 0, batch),
       reifyDim(builder, loc, outputType, 1, {{query, 1}}),
       reifyDim(builder, loc, outputType, 2, {{query, 2}}),
       reifyDim(builder, loc, outputType, 3, {{value, 3}})});
  if (!pastKey)
    return success();

  auto presentKeyType = cast<RankedTensorType>(getPresentKey().getType());
  auto presentValueType = cast<RankedTensorType>(getPresentValue().getType());
  SmallVector<DimSource> kvHeads = {
      {key, 1}, {value, 1}, {pastKey, 1}, {pastValue, 1}};
  // The total length P + Skv (the same for both results): only built when
  // one of them needs it.
  OpFoldResult total;
  auto totalLength = [&](RankedTensorType type) -> OpFoldResult {
    if (!type.isDynamicDim(2))
      return builder.getIndexAttr(type.getDimSize(2));
    if (!total)
      total = addSizes(
          builder, loc,
          reifySourceDim(builder, loc, {{pastKey, 2}, {pastValue, 2}}),
          reifySourceDim(builder, loc, {{key, 2}, {value, 2}}));
    return total;
  };
  reifiedShapes.push_back(
      {reifyDim(builder, loc, presentKeyType, 0, batch),
       reifyDim(builder, loc, presentKeyType, 1, kvHeads),
       totalLength(presentKeyType),
       reifyDim(builder, loc, presentKeyType, 3,
                {{key, 3}, {query, 3}, {pastKey, 3}})});
  reifiedShapes.push_back(
      {reifyDim(builder, loc, presentValueType, 0, batch),
       reifyDim(builder, loc, presentValueType, 1, kvHeads),
       totalLength(presentValueType),
       reifyDim(builder, loc, presentValueType, 3,
                {{value, 3}, {pastValue, 3}})});
  return success();
}

/// `indices.shape + [D]` with D the table's dim 1.
LogicalResult
EmbeddingOp::reifyResultShapes(OpBuilder &builder,
                               ReifiedRankedShapedTypeDims &reifiedShapes) {
  RankedTensorType resultType = getType();
  int64_t rank = resultType.getRank();
  SmallVector<OpFoldResult> sizes;
  for (int64_t d = 0; d < rank - 1; ++d)
    sizes.push_back(
        reifyDim(builder, getLoc(), resultType, d, {{getIndices(), d}}));
  sizes.push_back(
      reifyDim(builder, getLoc(), resultType, rank - 1, {{getTable(), 1}}));
  reifiedShapes.push_back(std::move(sizes));
  return success();
}

#define GET_OP_CLASSES
#include "Transformer/IR/TransformerNNOps.cpp.inc"
