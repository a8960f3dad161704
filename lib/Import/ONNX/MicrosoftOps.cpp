//===- MicrosoftOps.cpp - onnxruntime contrib ops of optimized LLM exports -===//
//
// Converters for the com.microsoft ops that onnxruntime's transformer
// optimizer and onnxruntime-genai put into LLM models:
//  - SimplifiedLayerNormalization (RMSNorm; also registered by onnxruntime in
//    the default domain) and SkipSimplifiedLayerNormalization -> rms_norm;
//  - SkipLayerNormalization -> add + layer_norm;
//  - Gelu, FastGelu (tanh approximation, optional bias) -> gelu;
//  - RotaryEmbedding (position ids gathered from the cos/sin caches)
//    -> rotary_embedding;
//  - MatMulNBits (4-bit block-quantized weights) -> quantized_linear, with
//    the packed weights and zero points of a constant B unpacked at import;
//  - GroupQueryAttention (separate or packed QKV, optional KV cache) ->
//    reshapes/transposes around a causal `attention` with `num_kv_heads`,
//    whose present results are the node's present_key/present_value. It
//    takes every batch row as holding past + S valid positions (seqlens_k
//    and total_sequence_length are not read: right-padded batches and the
//    shared past/present buffer of onnxruntime-genai are not supported);
//    do_rotary, local_window_size, softcap, smooth_softmax and the
//    position_ids/attention_bias/head_sink inputs are reported as
//    unsupported.
// The other contrib ops are not supported.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "Transformer/IR/TransformerOps.h"

#include "mlir/IR/DialectResourceBlobManager.h"

#include <limits>

using namespace mlir;
using namespace mlir::llm;
using namespace mlir::llm::onnx_import;
namespace tf = mlir::llm::transformer;

static constexpr const char *kMS = "com.microsoft";

/// The optional input `i`, or a null Value.
static FailureOr<Value> optionalInput(NodeImporter &n, int i) {
  if (!n.hasInput(i))
    return Value();
  return n.input(i);
}

/// The bytes of constant input `i` (an initializer or Constant), or failure
/// with a diagnostic saying the input must be constant.
static FailureOr<std::string> constantBytes(NodeImporter &n, int i,
                                            StringRef what) {
  ValueInfo *info = n.hasInput(i) ? n.graph.lookup(n.node.input(i)) : nullptr;
  if (!info || !info->pendingTensor)
    return n.emitError() << "the " << what
                         << " input must be an initializer (a constant)";
  FailureOr<ElementsAttr> attr = convertTensorData(
      *info->pendingTensor, info->type, std::numeric_limits<int64_t>::max(),
      info->name, /*mayMove=*/false, [&]() { return n.emitError(); },
      &n.graph.getExternalData());
  if (failed(attr))
    return failure();
  ArrayRef<char> raw = cast<DenseElementsAttr>(*attr).getRawData();
  return std::string(raw.data(), raw.size());
}

/// A constant of `type` (4-bit: one value per byte) from `bytes`: dense when
/// small, a resource blob otherwise.
static Value bytesConstant(NodeImporter &n, RankedTensorType type,
                           std::string bytes, StringRef name) {
  Attribute attr;
  if (type.getNumElements() <= n.graph.options.inlineElementsLimit)
    attr = DenseElementsAttr::getFromRawBuffer(
        type, ArrayRef<char>(bytes.data(), bytes.size()));
  else
    attr = DenseResourceElementsAttr::get(
        type, name,
        HeapAsmResourceBlob::allocateAndCopyWithAlign(
            ArrayRef<char>(bytes.data(), bytes.size()), 1));
  return tf::ConstantOp::create(n.builder, n.loc, type,
                                cast<ElementsAttr>(attr));
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

static std::string checkUnusedOutputs(const pb::NodeProto &node, int from,
                                      int to, const char *what) {
  for (int i = from; i < std::min(to, node.output_size()); ++i)
    if (!node.output(i).empty())
      return std::string(what) + " outputs are unsupported";
  return "";
}

static std::string checkSimplifiedLayerNorm(const pb::NodeProto &node,
                                            int64_t) {
  return checkUnusedOutputs(node, 1, 2,
                            "SimplifiedLayerNormalization's inv_std_var");
}

static LogicalResult convertSimplifiedLayerNorm(NodeImporter &n) {
  FailureOr<Value> x = n.input(0), scale = n.input(1);
  if (failed(x) || failed(scale))
    return failure();
  n.setOutput(0, tf::RMSNormOp::create(
                     n.builder, n.loc, x->getType(), *x, *scale,
                     n.builder.getI64IntegerAttr(n.intAttr("axis", -1)),
                     n.builder.getF32FloatAttr(n.floatAttr("epsilon", 1e-5f))));
  return success();
}

static std::string checkSkipLayerNorm(const pb::NodeProto &node, int64_t) {
  return checkUnusedOutputs(node, 1, 3, "the Mean and InvStdDev");
}

/// SkipLayerNormalization (input, skip, gamma, beta?, bias?) and
/// SkipSimplifiedLayerNormalization (input, skip, gamma, bias?): the sum
/// input + skip (+ bias) is normalized, and is also output #3.
template <bool Simplified>
static LogicalResult convertSkipLayerNorm(NodeImporter &n) {
  FailureOr<Value> x = n.input(0), skip = n.input(1), gamma = n.input(2);
  if (failed(x) || failed(skip) || failed(gamma))
    return failure();
  Value beta, bias;
  int biasIndex = Simplified ? 3 : 4;
  if (!Simplified) {
    FailureOr<Value> b = optionalInput(n, 3);
    if (failed(b))
      return failure();
    beta = *b;
  }
  FailureOr<Value> b = optionalInput(n, biasIndex);
  if (failed(b))
    return failure();
  bias = *b;
  auto sum = createInferred<tf::AddOp>(n.builder, n.loc, 1, *x, *skip);
  if (failed(sum))
    return failure();
  Value s = sum->getResult();
  if (bias) {
    auto withBias = createInferred<tf::AddOp>(n.builder, n.loc, 1, s, bias);
    if (failed(withBias))
      return failure();
    s = withBias->getResult();
  }
  auto epsilon = n.builder.getF32FloatAttr(n.floatAttr("epsilon", 1e-5f));
  auto axis = n.builder.getI64IntegerAttr(-1);
  if (Simplified)
    n.setOutput(0, tf::RMSNormOp::create(n.builder, n.loc, s.getType(), s,
                                         *gamma, axis, epsilon));
  else
    n.setOutput(0, tf::LayerNormOp::create(n.builder, n.loc, s.getType(), s,
                                           *gamma, beta, axis, epsilon));
  n.setOutput(3, s);
  return success();
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

/// com.microsoft Gelu (erf) and FastGelu (tanh, with an optional bias
/// added first).
template <tf::GeluApproximation Approx>
static LogicalResult convertContribGelu(NodeImporter &n) {
  FailureOr<Value> x = n.input(0);
  FailureOr<Value> bias = optionalInput(n, 1);
  if (failed(x) || failed(bias))
    return failure();
  Value v = *x;
  if (*bias) {
    auto sum = createInferred<tf::AddOp>(n.builder, n.loc, 1, v, *bias);
    if (failed(sum))
      return failure();
    v = sum->getResult();
  }
  n.setOutput(0, tf::GeluOp::create(
                     n.builder, n.loc, v.getType(), v,
                     tf::GeluApproximationAttr::get(n.getContext(), Approx)));
  return success();
}

//===----------------------------------------------------------------------===//
// RotaryEmbedding
//===----------------------------------------------------------------------===//

static std::string checkRotary(const pb::NodeProto &node, int64_t) {
  for (const pb::AttributeProto &a : node.attribute()) {
    if (a.name() == "scale" && a.f() != 1.0f)
      return "RotaryEmbedding scale other than 1 is unsupported";
    if (a.name() == "is_packed_batching" && a.i() != 0)
      return "RotaryEmbedding with packed batching is unsupported";
  }
  return "";
}

/// input [B, S, hidden] (with num_heads) or [B, N, S, H]; position_ids
/// [B, S]; cos/sin caches [max_seq, R/2].
static LogicalResult convertRotary(NodeImporter &n) {
  FailureOr<Value> x = n.input(0), pos = n.input(1), cosCache = n.input(2),
                   sinCache = n.input(3);
  if (failed(x) || failed(pos) || failed(cosCache) || failed(sinCache))
    return failure();
  auto type = cast<RankedTensorType>(x->getType());
  if (cast<RankedTensorType>(pos->getType()).getRank() != 2)
    return n.emitError() << "expects position_ids of shape [batch, seq], got "
                         << pos->getType();
  int64_t rank = type.getRank();
  if (rank != 3 && rank != 4)
    return n.emitError() << "expects a 3-D or 4-D input, got " << type;
  // cos/sin per position: [B, S, R/2], then a unit dim for the heads.
  auto gather = [&](Value cache) -> FailureOr<Value> {
    auto g = createInferred<tf::GatherOp>(n.builder, n.loc, 1, cache, *pos,
                                          n.builder.getI64IntegerAttr(0));
    if (failed(g))
      return failure();
    auto u = createInferred<tf::UnsqueezeOp>(
        n.builder, n.loc, 1, g->getResult(),
        n.builder.getDenseI64ArrayAttr({rank == 4 ? 1 : 2}));
    if (failed(u))
      return failure();
    return u->getResult();
  };
  FailureOr<Value> cosv = gather(*cosCache), sinv = gather(*sinCache);
  if (failed(cosv) || failed(sinv))
    return failure();

  Value input = *x;
  SymInts dims = n.dimsOf(*x);
  int64_t heads = n.intAttr("num_heads", 0);
  if (rank == 3) {
    // [B, S, N * H] -> [B, S, N, H]
    if (heads <= 0)
      return n.emitError() << "a 3-D input needs the num_heads attribute";
    if (type.isDynamicDim(2) || type.getDimSize(2) % heads != 0)
      return n.emitError() << "hidden size of " << type
                           << " is not a static multiple of num_heads "
                           << heads;
    SymInts split = {dims[0], dims[1], SymInt::of(heads),
                     SymInt::of(type.getDimSize(2) / heads)};
    SmallVector<Value> dyn;
    RankedTensorType t = n.typeFromDims(split, type.getElementType(), dyn);
    input = tf::ReshapeOp::create(n.builder, n.loc, t, input, dyn);
  }
  auto mode = n.intAttr("interleaved", 0) ? tf::RotaryMode::Interleaved
                                          : tf::RotaryMode::RotateHalf;
  int64_t rotaryDim = n.intAttr("rotary_embedding_dim", 0);
  Value r = tf::RotaryEmbeddingOp::create(
      n.builder, n.loc, input.getType(), input, *cosv, *sinv,
      tf::RotaryModeAttr::get(n.getContext(), mode),
      rotaryDim > 0 ? n.builder.getI64IntegerAttr(rotaryDim) : IntegerAttr());
  if (rank == 3) {
    SmallVector<Value> dyn;
    RankedTensorType t = n.typeFromDims(dims, type.getElementType(), dyn);
    r = tf::ReshapeOp::create(n.builder, n.loc, t, r, dyn);
  }
  n.setOutput(0, r);
  return success();
}

//===----------------------------------------------------------------------===//
// MatMulNBits
//===----------------------------------------------------------------------===//

static std::string checkMatMulNBits(const pb::NodeProto &node, int64_t) {
  for (const pb::AttributeProto &a : node.attribute())
    if (a.name() == "bits" && a.i() != 4)
      return "MatMulNBits with bits=" + std::to_string(a.i()) +
             " is unsupported (only 4)";
  if (node.input_size() > 4 && !node.input(4).empty())
    return "MatMulNBits g_idx (act-order) is unsupported";
  return "";
}

/// Y = A * dequant(B)^T + bias with B [N, K] in 4-bit blocks of
/// `block_size` along K: B arrives as uint8 [N, blocks, block_size / 2]
/// (element 2i in the low nibble of byte i), scales [N * blocks], zero
/// points uint8 [N * ceil(blocks / 2)] packed the same way (default 8).
static LogicalResult convertMatMulNBits(NodeImporter &n) {
  int64_t K = n.intAttr("K", 0), N = n.intAttr("N", 0);
  int64_t blockSize = n.intAttr("block_size", 0);
  if (K <= 0 || N <= 0 || blockSize < 2 || blockSize % 2 != 0)
    return n.emitError() << "expects positive K and N and an even block_size, "
                            "got K="
                         << K << ", N=" << N << ", block_size=" << blockSize;
  if (K > (int64_t(1) << 20) || N > (int64_t(1) << 20))
    return n.emitError() << "K and N above 2^20 are unsupported";
  int64_t blocks = (K + blockSize - 1) / blockSize;
  int64_t blobSize = blockSize / 2;

  FailureOr<Value> a = n.input(0), scale = n.input(2);
  FailureOr<Value> bias = optionalInput(n, 5);
  if (failed(a) || failed(scale) || failed(bias))
    return failure();
  MLIRContext *ctx = n.getContext();
  auto u4 = IntegerType::get(ctx, 4, IntegerType::Unsigned);

  // Weights: unpack to one value per byte, [N, K].
  FailureOr<std::string> packed = constantBytes(n, 1, "B");
  if (failed(packed))
    return failure();
  if (static_cast<int64_t>(packed->size()) != N * blocks * blobSize)
    return n.emitError() << "B holds " << packed->size()
                         << " bytes, expected N * blocks * block_size / 2 = "
                         << N * blocks * blobSize;
  std::string weights(N * K, '\0');
  for (int64_t row = 0; row < N; ++row)
    for (int64_t k = 0; k < K; ++k) {
      int64_t blk = k / blockSize, inBlock = k % blockSize;
      uint8_t byte = static_cast<uint8_t>(
          (*packed)[(row * blocks + blk) * blobSize + inBlock / 2]);
      weights[row * K + k] =
          static_cast<char>(inBlock % 2 ? byte >> 4 : byte & 0xF);
    }
  Value w = bytesConstant(n, RankedTensorType::get({N, K}, u4),
                          std::move(weights), n.node.input(1));

  // Scales: [N, blocks].
  auto scaleType = cast<RankedTensorType>(scale->getType());
  if (!scaleType.hasStaticShape() || scaleType.getNumElements() != N * blocks)
    return n.emitError() << "expects " << N * blocks << " scales, got "
                         << scaleType;
  Value s = *scale;
  auto scale2d = RankedTensorType::get({N, blocks}, scaleType.getElementType());
  if (scaleType != scale2d)
    s = tf::ReshapeOp::create(n.builder, n.loc, scale2d, s, ValueRange());

  // Zero points: packed uint8, or the default 8.
  std::string zeros(N * blocks, '\x08');
  if (n.hasInput(3)) {
    RankedTensorType zt = n.inputType(3);
    if (!zt.getElementType().isUnsignedInteger(8))
      return n.emitError() << "zero points of type " << zt.getElementType()
                           << " are unsupported (only packed uint8)";
    FailureOr<std::string> zp = constantBytes(n, 3, "zero_points");
    if (failed(zp))
      return failure();
    int64_t perRow = (blocks + 1) / 2;
    if (static_cast<int64_t>(zp->size()) != N * perRow)
      return n.emitError() << "zero_points holds " << zp->size()
                           << " bytes, expected " << N * perRow;
    for (int64_t row = 0; row < N; ++row)
      for (int64_t blk = 0; blk < blocks; ++blk) {
        uint8_t byte = static_cast<uint8_t>((*zp)[row * perRow + blk / 2]);
        zeros[row * blocks + blk] =
            static_cast<char>(blk % 2 ? byte >> 4 : byte & 0xF);
      }
  }
  std::string zpName = n.hasInput(3) ? n.node.input(3) : n.displayName + ".zp";
  Value zp = bytesConstant(n, RankedTensorType::get({N, blocks}, u4),
                           std::move(zeros), zpName);

  auto op = createInferred<tf::QuantizedLinearOp>(
      n.builder, n.loc, 1, *a, w, s, zp, *bias,
      n.builder.getI64IntegerAttr(blockSize));
  if (failed(op))
    return failure();
  n.setOutput(0, op->getResult());
  return success();
}

//===----------------------------------------------------------------------===//
// GroupQueryAttention
//===----------------------------------------------------------------------===//

static std::string checkGroupQueryAttention(const pb::NodeProto &node,
                                            int64_t) {
  bool heads = false, kvHeads = false;
  for (const pb::AttributeProto &a : node.attribute()) {
    if (a.name() == "num_heads")
      heads = a.i() > 0;
    if (a.name() == "kv_num_heads")
      kvHeads = a.i() > 0;
    if (a.name() == "do_rotary" && a.i() != 0)
      return "GroupQueryAttention do_rotary=1 is unsupported";
    if (a.name() == "local_window_size" && a.i() != -1)
      return "GroupQueryAttention local_window_size (sliding window) is "
             "unsupported";
    if (a.name() == "softcap" && a.f() != 0.0f)
      return "GroupQueryAttention softcap is unsupported";
    if (a.name() == "smooth_softmax" && a.i() != 0)
      return "GroupQueryAttention smooth_softmax is unsupported";
  }
  if (!heads || !kvHeads)
    return "GroupQueryAttention needs positive num_heads and kv_num_heads";
  bool hasKey = node.input_size() > 1 && !node.input(1).empty();
  bool hasValue = node.input_size() > 2 && !node.input(2).empty();
  if (hasKey != hasValue)
    return "GroupQueryAttention needs both key and value, or neither "
           "(packed QKV)";
  bool hasPastKey = node.input_size() > 3 && !node.input(3).empty();
  bool hasPastValue = node.input_size() > 4 && !node.input(4).empty();
  if (hasPastKey != hasPastValue)
    return "GroupQueryAttention needs both past_key and past_value, or "
           "neither";
  return "";
}

/// Splits the last dim of `x` ([B, S, heads * H]) into heads and moves them
/// before the sequence: [B, heads, S, H].
static FailureOr<Value> splitHeads(NodeImporter &n, Value x, int64_t heads,
                                   int64_t headSize) {
  SymInts dims = n.dimsOf(x);
  Value r = n.reshape(x, {dims[0], dims[1], SymInt::of(heads),
                          SymInt::of(headSize)});
  auto t = createInferred<tf::TransposeOp>(
      n.builder, n.loc, 1, r, n.builder.getDenseI64ArrayAttr({0, 2, 1, 3}));
  if (failed(t))
    return failure();
  return t->getResult();
}

static LogicalResult convertGroupQueryAttention(NodeImporter &n) {
  int64_t heads = n.intAttr("num_heads", 0);
  int64_t kvHeads = n.intAttr("kv_num_heads", 0);
  if (heads % kvHeads != 0)
    return n.emitError() << "num_heads " << heads
                         << " is not a multiple of kv_num_heads " << kvHeads;
  FailureOr<Value> query = n.input(0);
  if (failed(query))
    return failure();
  auto qType = cast<RankedTensorType>(query->getType());
  if (qType.getRank() != 3 || qType.isDynamicDim(2))
    return n.emitError() << "expects query of shape [batch, seq, hidden] "
                            "with a static hidden size, got "
                         << qType;
  bool packed = !n.hasInput(1);
  int64_t width = packed ? heads + 2 * kvHeads : heads;
  if (qType.getDimSize(2) % width != 0)
    return n.emitError() << "query hidden size " << qType.getDimSize(2)
                         << " is not a multiple of "
                         << (packed ? "num_heads + 2 * kv_num_heads ("
                                    : "num_heads (")
                         << width << ")";
  int64_t headSize = qType.getDimSize(2) / width;

  Value q = *query, k, v;
  if (packed) {
    // [B, S, (N + 2 kvN) H] -> query, key, value along the last dim.
    auto slice = [&](int64_t start, int64_t end) -> FailureOr<Value> {
      auto op = createInferred<tf::SliceOp>(
          n.builder, n.loc, 1, *query, n.builder.getDenseI64ArrayAttr({start}),
          n.builder.getDenseI64ArrayAttr({end}),
          n.builder.getDenseI64ArrayAttr({2}), DenseI64ArrayAttr());
      if (failed(op))
        return failure();
      return op->getResult();
    };
    int64_t qEnd = heads * headSize, kEnd = qEnd + kvHeads * headSize;
    FailureOr<Value> sq = slice(0, qEnd), sk = slice(qEnd, kEnd),
                     sv = slice(kEnd, kEnd + kvHeads * headSize);
    if (failed(sq) || failed(sk) || failed(sv))
      return failure();
    q = *sq;
    k = *sk;
    v = *sv;
  } else {
    FailureOr<Value> key = n.input(1), value = n.input(2);
    if (failed(key) || failed(value))
      return failure();
    for (Value x : {*key, *value}) {
      auto t = cast<RankedTensorType>(x.getType());
      if (t.getRank() != 3 || t.getDimSize(2) != kvHeads * headSize)
        return n.emitError() << "expects key and value of shape [batch, seq, "
                             << kvHeads * headSize
                             << "] (kv_num_heads * head size), got " << t;
    }
    k = *key;
    v = *value;
  }
  FailureOr<Value> qh = splitHeads(n, q, heads, headSize),
                   kh = splitHeads(n, k, kvHeads, headSize),
                   vh = splitHeads(n, v, kvHeads, headSize);
  if (failed(qh) || failed(kh) || failed(vh))
    return failure();
  FailureOr<Value> pastKey = optionalInput(n, 3),
                   pastValue = optionalInput(n, 4);
  if (failed(pastKey) || failed(pastValue))
    return failure();

  float scale = n.floatAttr("scale", 0.0f);
  int numResults = *pastKey ? 3 : 1;
  auto op = createInferred<tf::AttentionOp>(
      n.builder, n.loc, numResults, *qh, *kh, *vh, /*mask=*/Value(), *pastKey,
      *pastValue, scale != 0.0f ? n.builder.getF32FloatAttr(scale) : FloatAttr(),
      n.builder.getUnitAttr(), n.builder.getI64IntegerAttr(kvHeads));
  if (failed(op))
    return failure();

  // [B, N, S, H] -> [B, S, N * H]
  auto merged = createInferred<tf::TransposeOp>(
      n.builder, n.loc, 1, op->getOutput(),
      n.builder.getDenseI64ArrayAttr({0, 2, 1, 3}));
  if (failed(merged))
    return failure();
  SymInts dims = n.dimsOf(merged->getResult());
  n.setOutput(0, n.reshape(merged->getResult(),
                           {dims[0], dims[1], SymInt::of(heads * headSize)}));
  n.setOutput(1, *pastKey ? op->getPresentKey() : *kh);
  n.setOutput(2, *pastKey ? op->getPresentValue() : *vh);
  return success();
}

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

void mlir::llm::onnx_import::addMicrosoftOps(OpTable &t) {
  t.add({kMS, "SimplifiedLayerNormalization", 1, 1, 2, 2, 2,
         {"axis", "epsilon", "stash_type"}, convertSimplifiedLayerNorm,
         checkSimplifiedLayerNorm});
  // onnxruntime also registers it in the default domain.
  t.add({"", "SimplifiedLayerNormalization", 1, 21, 2, 2, 2,
         {"axis", "epsilon", "stash_type"}, convertSimplifiedLayerNorm,
         checkSimplifiedLayerNorm});
  t.add({kMS, "SkipLayerNormalization", 1, 1, 3, 5, 4, {"epsilon"},
         convertSkipLayerNorm<false>, checkSkipLayerNorm});
  t.add({kMS, "SkipSimplifiedLayerNormalization", 1, 1, 3, 4, 4, {"epsilon"},
         convertSkipLayerNorm<true>, checkSkipLayerNorm});
  t.add({kMS, "Gelu", 1, 1, 1, 1, 1, {},
         convertContribGelu<tf::GeluApproximation::Erf>});
  t.add({kMS, "FastGelu", 1, 1, 1, 2, 1, {},
         convertContribGelu<tf::GeluApproximation::Tanh>});
  t.add({kMS, "RotaryEmbedding", 1, 1, 4, 4, 1,
         {"interleaved", "num_heads", "rotary_embedding_dim", "scale",
          "is_packed_batching"},
         convertRotary, checkRotary});
  t.add({kMS, "MatMulNBits", 1, 1, 3, 6, 1,
         {"K", "N", "bits", "block_size", "accuracy_level"},
         convertMatMulNBits, checkMatMulNBits});
  t.add({kMS, "GroupQueryAttention", 1, 1, 1, 9, 3,
         {"num_heads", "kv_num_heads", "scale", "do_rotary",
          "rotary_interleaved", "local_window_size", "softcap",
          "smooth_softmax"},
         convertGroupQueryAttention, checkGroupQueryAttention});
}
