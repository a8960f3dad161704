//===- TransformerToNPU.cpp - convert-transformer-to-npu ------------------===//
//
// Turns the entry function of a module of transformer ops (static shapes,
// f32 tensors) into one `npu.program` of tile-level ops on DRAM tensors,
// laid out by the calling convention of docs/npu.md:
//
// - inputs are bound to r1, r2, ... in order, outputs to the next registers;
// - r0 is the data segment: constants first (weights packed tile-major as
//   16x16 bf16 tiles, one dense 512-byte DMA each; biases, norm weights and
//   other constants as f32), then zero-filled scratch for intermediates;
// - shape ops (reshape, squeeze, unsqueeze, transpose keeping the last dim,
//   split, expand) only change the strided view of a DRAM tensor; no data
//   moves. A broadcast operand is a view with zero strides;
// - matmul/linear -> npu.gemm (a bias add of the result is fused), softmax,
//   layer_norm, rms_norm -> their tile ops, elementwise ops -> npu.eltwise,
//   attention -> gemm (Q K^T, K read as transposed weight tiles), a scaled
//   and causally masked softmax, gemm (P V).
//
// Every op that has no NPU lowering is reported, with its location (the
// ONNX node), before the pass fails; so are dynamic shapes and programs
// that do not fit DRAM.
//
//===----------------------------------------------------------------------===//

#include "llm/Conversion/Passes.h"

#include "NPU/IR/NPUDialect.h"
#include "Transformer/IR/TransformerOps.h"
#include "Transformer/Transforms/ConstantData.h"
#include "llm/Target/NPU/Numerics.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

namespace mlir::llm {
#define GEN_PASS_DEF_CONVERTTRANSFORMERTONPUPASS
#include "llm/Conversion/Passes.h.inc"
} // namespace mlir::llm

using namespace mlir;
using namespace mlir::llm;
namespace tf = mlir::llm::transformer;
using npu_ir::ViewAttr;

namespace {
/// Scratch offsets are relative to this base until the data segment's size
/// is known; finish() rebases them.
constexpr int64_t kScratchBase = int64_t(1) << 40;
/// DMA offsets have 28 bits: what a register can reach.
constexpr int64_t kReachableBytes = int64_t(1) << 28;

SmallVector<int64_t> denseStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

bool isDense(ViewAttr v) {
  return v.getStrides().asArrayRef() ==
         ArrayRef<int64_t>(denseStrides(v.getShape().asArrayRef()));
}

int64_t numElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

/// The strides of `v` reshaped to `shape` without moving data, if its
/// layout allows: dims are grouped so that each group of old dims has the
/// product of a group of new dims, and each old group must be contiguous in
/// itself (e.g. [8, 32] with strides [96, 1] reshapes to [8, 2, 16] with
/// strides [96, 16, 1]).
std::optional<SmallVector<int64_t>> reshapeStrides(ViewAttr v,
                                                   ArrayRef<int64_t> shape) {
  SmallVector<int64_t> oldShape, oldStrides;
  for (auto [d, s] : llvm::zip(v.getShape().asArrayRef(),
                               v.getStrides().asArrayRef()))
    if (d != 1)
      oldShape.push_back(d), oldStrides.push_back(s);
  SmallVector<int64_t> strides(shape.size(), 0);
  size_t i = 0, k = 0;
  while (k < shape.size()) {
    if (shape[k] == 1) {
      strides[k] = 1;
      ++k;
      continue;
    }
    if (i >= oldShape.size())
      return std::nullopt;
    // Grow both groups until their products agree.
    size_t i0 = i, k0 = k;
    int64_t po = oldShape[i++], pn = shape[k++];
    while (po != pn) {
      if (po < pn) {
        if (i >= oldShape.size())
          return std::nullopt;
        po *= oldShape[i++];
      } else {
        if (k >= shape.size())
          return std::nullopt;
        pn *= shape[k++];
      }
    }
    for (size_t d = i0; d + 1 < i; ++d)
      if (oldStrides[d] != oldStrides[d + 1] * oldShape[d + 1])
        return std::nullopt;
    int64_t stride = oldStrides[i - 1];
    for (size_t d = k; d-- > k0;) {
      strides[d] = stride;
      stride *= shape[d];
    }
  }
  if (i != oldShape.size())
    return std::nullopt;
  return strides;
}

/// " (ONNX node 'NAME', OpType)" from an importer location, else "".
std::string describeNode(Location loc) {
  auto name = dyn_cast<NameLoc>(loc);
  if (!name)
    return "";
  std::string text = (" (ONNX node '" + name.getName().getValue() + "'").str();
  if (auto fused = dyn_cast<FusedLoc>(name.getChildLoc()))
    if (auto type = dyn_cast_or_null<StringAttr>(fused.getMetadata()))
      text += (", " + type.getValue()).str();
  return text + ")";
}

/// Whether the op has an NPU lowering (checked up front for all ops).
bool isSupported(Operation *op) {
  return isa<tf::ConstantOp, tf::ReshapeOp, tf::SqueezeOp, tf::UnsqueezeOp,
             tf::TransposeOp, tf::SplitOp, tf::ExpandOp, tf::MatmulOp,
             tf::LinearOp, tf::QuantizedLinearOp, tf::AddOp, tf::SubOp, tf::MulOp, tf::DivOp,
             tf::MaxOp, tf::MinOp, tf::NegOp, tf::AbsOp, tf::ReluOp,
             tf::ExpOp, tf::TanhOp, tf::SqrtOp, tf::RsqrtOp,
             tf::ReciprocalOp, tf::SigmoidOp, tf::GeluOp, tf::SiluOp,
             tf::SoftmaxOp, tf::LayerNormOp, tf::RMSNormOp, tf::AttentionOp,
             func::ReturnOp>(op);
}

class Converter {
public:
  Converter(func::FuncOp func, StringRef dtype, int64_t tileM, int64_t tileN,
            int64_t dramLimit)
      : func(func), dtype(dtype), tileM(tileM), tileN(tileN),
        dramLimit(dramLimit), b(func.getContext()) {}

  LogicalResult run();

private:
  // DRAM.
  ViewAttr view(int64_t reg, int64_t offset, ArrayRef<int64_t> shape,
                ArrayRef<int64_t> strides) {
    return ViewAttr::get(b.getContext(), reg, offset,
                         b.getDenseI64ArrayAttr(shape),
                         b.getDenseI64ArrayAttr(strides));
  }
  ViewAttr allocScratch(ArrayRef<int64_t> shape) {
    int64_t offset = kScratchBase + scratchBytes;
    scratchBytes += llvm::alignTo(numElements(shape) * 4, 64);
    return view(0, offset, shape, denseStrides(shape));
  }
  int64_t appendData(ArrayRef<uint8_t> bytes) {
    data.resize(llvm::alignTo(data.size(), 64), 0);
    int64_t offset = data.size();
    data.append(bytes.begin(), bytes.end());
    return offset;
  }
  FailureOr<std::vector<float>> constantValues(Value v, Operation *user);
  FailureOr<int64_t> f32Constant(Value v, Operation *user);
  FailureOr<int64_t> packedWeights(Value w, bool transposed, Operation *user);
  FailureOr<int64_t> packedInt8Weights(Value w, Operation *user);
  FailureOr<ViewAttr> getView(Value v, Operation *user);
  ViewAttr broadcastTo(ViewAttr v, ArrayRef<int64_t> shape);

  // Ops.
  LogicalResult convert(Operation *op);
  /// `scale`: int8 weights [N, K] with per-channel scales (quantized_linear).
  LogicalResult convertGemm(Operation *op, Value lhs, Value rhs,
                            bool rhsIsLinearWeight, Value bias,
                            Value scale = Value());
  LogicalResult convertBinary(Operation *op, StringRef kind);
  LogicalResult convertUnary(Operation *op, StringRef kind);
  LogicalResult finish();

  RankedTensorType typeOf(Value v) { return cast<RankedTensorType>(v.getType()); }
  void produce(Value v, ViewAttr c, Operation *tileOp) {
    views[v] = c;
    producer[v] = tileOp;
  }

  func::FuncOp func;
  StringRef dtype;
  int64_t tileM, tileN, dramLimit;
  OpBuilder b;
  npu_ir::ProgramOp program;
  SmallVector<uint8_t> data;
  int64_t scratchBytes = 0;
  DenseMap<Value, ViewAttr> views;
  DenseMap<Value, Operation *> producer;
  DenseMap<Value, int64_t> f32Constants, packedConstants;
  /// Ops folded into an earlier tile op (a fused bias add).
  DenseSet<Operation *> fused;
};
} // namespace

FailureOr<std::vector<float>> Converter::constantValues(Value v,
                                                        Operation *user) {
  auto constant = v.getDefiningOp<tf::ConstantOp>();
  if (!constant)
    return user->emitError("NPU: this operand must be a constant (weights "
                           "are packed at compile time)"),
           failure();
  std::optional<std::vector<float>> values =
      tf::readFloatConstant(cast<ElementsAttr>(constant.getValue()));
  if (!values)
    return constant.emitError("NPU: the constant's data is not available as "
                              "floats"),
           failure();
  return std::move(*values);
}

FailureOr<int64_t> Converter::f32Constant(Value v, Operation *user) {
  if (auto it = f32Constants.find(v); it != f32Constants.end())
    return it->second;
  auto values = constantValues(v, user);
  if (failed(values))
    return failure();
  ArrayRef<uint8_t> bytes(reinterpret_cast<const uint8_t *>(values->data()),
                          values->size() * 4);
  int64_t offset = appendData(bytes);
  f32Constants[v] = offset;
  return offset;
}

FailureOr<int64_t> Converter::packedWeights(Value w, bool transposed,
                                            Operation *user) {
  if (auto it = packedConstants.find(w); it != packedConstants.end())
    return it->second;
  auto values = constantValues(w, user);
  if (failed(values))
    return failure();
  ArrayRef<int64_t> shape = typeOf(w).getShape();
  int64_t K = transposed ? shape[1] : shape[0];
  int64_t N = transposed ? shape[0] : shape[1];
  int64_t KT = (K + 15) / 16, NT = (N + 15) / 16;
  // Tile (j, kk) at (j * KT + kk) * 512 bytes: row r holds
  // W[16kk + r][16j .. 16j + 16) as bf16, zero-padded.
  std::vector<uint8_t> bytes(NT * KT * 512, 0);
  for (int64_t k = 0; k < K; ++k)
    for (int64_t n = 0; n < N; ++n) {
      float value = transposed ? (*values)[n * K + k] : (*values)[k * N + n];
      uint16_t bits = npu::floatToBF16(value);
      int64_t tile = (n / 16) * KT + k / 16;
      int64_t at = tile * 512 + ((k % 16) * 16 + n % 16) * 2;
      bytes[at] = bits & 0xff;
      bytes[at + 1] = bits >> 8;
    }
  int64_t offset = appendData(bytes);
  packedConstants[w] = offset;
  return offset;
}

FailureOr<int64_t> Converter::packedInt8Weights(Value w, Operation *user) {
  if (auto it = packedConstants.find(w); it != packedConstants.end())
    return it->second;
  auto constant = w.getDefiningOp<tf::ConstantOp>();
  std::optional<std::vector<int64_t>> values;
  if (constant)
    values = tf::readIntConstant(cast<ElementsAttr>(constant.getValue()));
  if (!values)
    return user->emitError("NPU: int8 weights must be a constant with "
                           "available data"),
           failure();
  ArrayRef<int64_t> shape = typeOf(w).getShape();
  int64_t N = shape[0], K = shape[1];
  int64_t KT = (K + 15) / 16, NT = (N + 15) / 16;
  // Tile (j, kk) at (j * KT + kk) * 256 bytes: row r holds
  // W^T[16kk + r][16j .. 16j + 16) = W[16j ..][16kk + r], zero-padded.
  std::vector<uint8_t> bytes(NT * KT * 256, 0);
  for (int64_t n = 0; n < N; ++n)
    for (int64_t k = 0; k < K; ++k) {
      int64_t tile = (n / 16) * KT + k / 16;
      bytes[tile * 256 + (k % 16) * 16 + n % 16] =
          static_cast<uint8_t>(static_cast<int8_t>((*values)[n * K + k]));
    }
  int64_t offset = appendData(bytes);
  packedConstants[w] = offset;
  return offset;
}

FailureOr<ViewAttr> Converter::getView(Value v, Operation *user) {
  if (auto it = views.find(v); it != views.end())
    return it->second;
  if (v.getDefiningOp<tf::ConstantOp>()) {
    FailureOr<int64_t> offset = f32Constant(v, user);
    if (failed(offset))
      return failure();
    ArrayRef<int64_t> shape = typeOf(v).getShape();
    ViewAttr result = view(0, *offset, shape, denseStrides(shape));
    views[v] = result;
    return result;
  }
  return user->emitError("NPU: operand has no DRAM tensor"), failure();
}

ViewAttr Converter::broadcastTo(ViewAttr v, ArrayRef<int64_t> shape) {
  ArrayRef<int64_t> vs = v.getShape().asArrayRef(),
                    st = v.getStrides().asArrayRef();
  SmallVector<int64_t> strides(shape.size(), 0);
  size_t lead = shape.size() - vs.size();
  for (size_t d = 0; d < vs.size(); ++d)
    strides[lead + d] = vs[d] == shape[lead + d] ? st[d] : 0;
  return view(v.getReg(), v.getOffset(), shape, strides);
}

LogicalResult Converter::convertGemm(Operation *op, Value lhs, Value rhs,
                                     bool rhsIsLinearWeight, Value bias,
                                     Value scale) {
  Value result = op->getResult(0);
  ArrayRef<int64_t> outShape = typeOf(result).getShape();
  FailureOr<ViewAttr> a = getView(lhs, op);
  if (failed(a))
    return failure();
  // Fuse `add(result, bias[N])` into the gemm.
  Operation *biasAdd = nullptr;
  if (!bias && result.hasOneUse())
    if (auto add = dyn_cast<tf::AddOp>(*result.getUsers().begin())) {
      Value other = add.getLhs() == result ? add.getRhs() : add.getLhs();
      ArrayRef<int64_t> os = typeOf(other).getShape();
      if (other.getDefiningOp<tf::ConstantOp>() && !os.empty() &&
          os.back() == outShape.back() &&
          numElements(os) == outShape.back() &&
          typeOf(add.getResult()).getShape() == outShape) {
        bias = other;
        biasAdd = add;
      }
    }
  std::optional<int64_t> biasOffset;
  if (bias) {
    FailureOr<int64_t> off = f32Constant(bias, op);
    if (failed(off))
      return failure();
    biasOffset = *off;
  }

  ViewAttr aView = *a;
  std::optional<ViewAttr> bView;
  std::optional<int64_t> packed, scales;
  bool transposeB = false;
  ArrayRef<int64_t> rhsShape = typeOf(rhs).getShape();
  if (scale) {
    FailureOr<int64_t> off = packedInt8Weights(rhs, op);
    FailureOr<int64_t> scaleOff = f32Constant(scale, op);
    if (failed(off) || failed(scaleOff))
      return failure();
    packed = *off;
    scales = *scaleOff;
  }
  if (scale || rhsIsLinearWeight ||
      (rhs.getDefiningOp<tf::ConstantOp>() && rhsShape.size() == 2)) {
    if (!scale) {
      FailureOr<int64_t> off = packedWeights(rhs, rhsIsLinearWeight, op);
      if (failed(off))
        return failure();
      packed = *off;
    }
    // Constant weights: the rows of every batch form one tall A.
    if (isDense(aView)) {
      ArrayRef<int64_t> as = aView.getShape().asArrayRef();
      SmallVector<int64_t> flat = {numElements(as) / as.back(), as.back()};
      aView = view(aView.getReg(), aView.getOffset(), flat, denseStrides(flat));
    }
  } else {
    FailureOr<ViewAttr> bv = getView(rhs, op);
    if (failed(bv))
      return failure();
    SmallVector<int64_t> bShape(outShape.drop_back(2));
    bShape.append(rhsShape.end() - 2, rhsShape.end());
    ViewAttr full = broadcastTo(*bv, bShape);
    ArrayRef<int64_t> st = full.getStrides().asArrayRef();
    if (st.back() != 1 && st[st.size() - 2] == 1) {
      // A transposed view: read it as B^T (rows of the [N, K] layout).
      SmallVector<int64_t> shape(bShape), strides(st);
      std::swap(shape[shape.size() - 1], shape[shape.size() - 2]);
      std::swap(strides[strides.size() - 1], strides[strides.size() - 2]);
      full = view(full.getReg(), full.getOffset(), shape, strides);
      transposeB = true;
    }
    bView = full;
    // Broadcast batch dims of a.
    SmallVector<int64_t> aShape(outShape.drop_back(2));
    aShape.append({outShape[outShape.size() - 2],
                   aView.getShape().asArrayRef().back()});
    aView = broadcastTo(aView, aShape);
  }
  SmallVector<int64_t> cShape(aView.getShape().asArrayRef().drop_back());
  cShape.push_back(outShape.back());
  ViewAttr c = allocScratch(cShape);
  // Deep K: a bf16 copy of A in DRAM, streamed in K panels (LowerGemm.cpp).
  ViewAttr aBf16;
  ArrayRef<int64_t> as = aView.getShape().asArrayRef();
  int64_t rows = as[as.size() - 2], kp = llvm::alignTo(as.back(), 16);
  if (!scale && npu_ir::needsStreamedA(rows, kp, tileM, tileN))
    aBf16 = allocScratch({rows, kp / 2});
  auto gemm = npu_ir::GemmOp::create(
      b, op->getLoc(), aView, bView ? *bView : ViewAttr(),
      packed ? b.getI64IntegerAttr(*packed) : IntegerAttr(),
      biasOffset ? b.getI64IntegerAttr(*biasOffset) : IntegerAttr(),
      scales ? b.getI64IntegerAttr(*scales) : IntegerAttr(), c,
      b.getStringAttr(scale ? "i8" : "bf16"),
      transposeB ? b.getUnitAttr() : UnitAttr(), b.getI64IntegerAttr(tileM),
      b.getI64IntegerAttr(tileN), aBf16);
  ViewAttr out = view(0, c.getOffset(), outShape, denseStrides(outShape));
  produce(result, out, gemm);
  if (biasAdd) {
    produce(biasAdd->getResult(0), out, gemm);
    fused.insert(biasAdd);
  }
  return success();
}

LogicalResult Converter::convertBinary(Operation *op, StringRef kind) {
  Value lhs = op->getOperand(0), rhs = op->getOperand(1);
  ArrayRef<int64_t> shape = typeOf(op->getResult(0)).getShape();
  // A one-element constant is an immediate.
  auto scalarOf = [&](Value v) -> std::optional<float> {
    if (!v.getDefiningOp<tf::ConstantOp>() ||
        numElements(typeOf(v).getShape()) != 1)
      return std::nullopt;
    auto values = tf::readFloatConstant(
        cast<ElementsAttr>(v.getDefiningOp<tf::ConstantOp>().getValue()));
    if (!values)
      return std::nullopt;
    return values->front();
  };
  bool commutative = kind == "add" || kind == "mul" || kind == "max" ||
                     kind == "min";
  auto broadcastRank = [&](Value v) {
    ArrayRef<int64_t> s = typeOf(v).getShape();
    return numElements(s) == numElements(shape) ? 0 : 1;
  };
  if (commutative && (scalarOf(lhs) || broadcastRank(lhs) > broadcastRank(rhs)))
    std::swap(lhs, rhs);
  FailureOr<ViewAttr> a = getView(lhs, op);
  if (failed(a))
    return failure();
  if (numElements(a->getShape().asArrayRef()) != numElements(shape))
    return op->emitError("NPU: the first operand of ")
           << op->getName() << " is broadcast; only the second may be";
  ViewAttr aView = broadcastTo(*a, shape);
  ViewAttr c = allocScratch(shape);
  Operation *tileOp;
  if (std::optional<float> s = scalarOf(rhs)) {
    tileOp = npu_ir::EltwiseOp::create(b, op->getLoc(), b.getStringAttr(kind),
                                       aView, ViewAttr(),
                                       b.getF32FloatAttr(*s), c);
  } else {
    FailureOr<ViewAttr> bv = getView(rhs, op);
    if (failed(bv))
      return failure();
    tileOp = npu_ir::EltwiseOp::create(b, op->getLoc(), b.getStringAttr(kind),
                                       aView, broadcastTo(*bv, shape),
                                       FloatAttr(), c);
  }
  produce(op->getResult(0), c, tileOp);
  return success();
}

LogicalResult Converter::convertUnary(Operation *op, StringRef kind) {
  FailureOr<ViewAttr> a = getView(op->getOperand(0), op);
  if (failed(a))
    return failure();
  ViewAttr c = allocScratch(a->getShape().asArrayRef());
  auto tileOp =
      npu_ir::EltwiseOp::create(b, op->getLoc(), b.getStringAttr(kind), *a,
                                ViewAttr(), FloatAttr(), c);
  produce(op->getResult(0), c, tileOp);
  return success();
}

LogicalResult Converter::convert(Operation *op) {
  if (fused.contains(op) || isa<tf::ConstantOp>(op))
    return success();
  auto sameView = [&](Value in, Value out) -> LogicalResult {
    FailureOr<ViewAttr> v = getView(in, op);
    if (failed(v))
      return failure();
    ArrayRef<int64_t> shape = typeOf(out).getShape();
    if (std::optional<SmallVector<int64_t>> strides =
            reshapeStrides(*v, shape)) {
      views[out] = view(v->getReg(), v->getOffset(), shape, *strides);
      return success();
    }
    ViewAttr dense = *v;
    if (!isDense(dense)) {
      // Materialize a contiguous copy first.
      ViewAttr c = allocScratch(v->getShape().asArrayRef());
      npu_ir::EltwiseOp::create(b, op->getLoc(), b.getStringAttr("copy"), *v,
                                ViewAttr(), FloatAttr(), c);
      dense = c;
    }
    views[out] = view(dense.getReg(), dense.getOffset(), shape,
                      denseStrides(shape));
    return success();
  };
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case<tf::ReshapeOp, tf::SqueezeOp, tf::UnsqueezeOp>([&](auto o) {
        return sameView(o->getOperand(0), o->getResult(0));
      })
      .Case([&](tf::TransposeOp t) -> LogicalResult {
        FailureOr<ViewAttr> v = getView(t.getInput(), op);
        if (failed(v))
          return failure();
        ArrayRef<int64_t> perm = t.getPermutation();
        SmallVector<int64_t> shape, strides;
        for (int64_t p : perm) {
          shape.push_back(v->getShape()[p]);
          strides.push_back(v->getStrides()[p]);
        }
        views[t.getResult()] = view(v->getReg(), v->getOffset(), shape, strides);
        return success();
      })
      .Case([&](tf::SplitOp s) -> LogicalResult {
        FailureOr<ViewAttr> v = getView(s.getInput(), op);
        if (failed(v))
          return failure();
        int64_t rank = v->getRank();
        int64_t ax = static_cast<int64_t>(s.getAxis());
        int64_t axis = ax < 0 ? ax + rank : ax;
        int64_t start = 0;
        for (auto [result, size] : llvm::zip(s.getOutputs(), s.getSizes())) {
          SmallVector<int64_t> shape(v->getShape().asArrayRef());
          shape[axis] = size;
          views[result] =
              view(v->getReg(), v->getOffset() + start * v->getStrides()[axis] * 4,
                   shape, v->getStrides().asArrayRef());
          start += size;
        }
        return success();
      })
      .Case([&](tf::ExpandOp e) -> LogicalResult {
        FailureOr<ViewAttr> v = getView(e.getInput(), op);
        if (failed(v))
          return failure();
        views[e.getResult()] = broadcastTo(*v, typeOf(e.getResult()).getShape());
        return success();
      })
      .Case([&](tf::MatmulOp m) {
        return convertGemm(op, m.getLhs(), m.getRhs(), false, Value());
      })
      .Case([&](tf::LinearOp l) -> LogicalResult {
        if (!l.getWeight().getDefiningOp<tf::ConstantOp>())
          return op->emitError("NPU: linear needs constant weights");
        return convertGemm(op, l.getInput(), l.getWeight(), true, l.getBias());
      })
      .Case([&](tf::QuantizedLinearOp q) -> LogicalResult {
        auto wType = cast<RankedTensorType>(q.getWeight().getType());
        if (!wType.getElementType().isInteger(8) ||
            wType.getElementType().isUnsignedInteger() || q.getZeroPoint() ||
            q.getGroupSize() || typeOf(q.getScale()).getRank() != 1)
          return op->emitError("NPU: quantized_linear with int8 weights and "
                               "per-channel scales only (int8-weight)")
                 << describeNode(op->getLoc());
        return convertGemm(op, q.getInput(), q.getWeight(), true, q.getBias(),
                           q.getScale());
      })
      .Case([&](tf::AddOp) { return convertBinary(op, "add"); })
      .Case([&](tf::SubOp) { return convertBinary(op, "sub"); })
      .Case([&](tf::MulOp) { return convertBinary(op, "mul"); })
      .Case([&](tf::DivOp) { return convertBinary(op, "div"); })
      .Case([&](tf::MaxOp) { return convertBinary(op, "max"); })
      .Case([&](tf::MinOp) { return convertBinary(op, "min"); })
      .Case([&](tf::NegOp) { return convertUnary(op, "neg"); })
      .Case([&](tf::AbsOp) { return convertUnary(op, "abs"); })
      .Case([&](tf::ReluOp) { return convertUnary(op, "relu"); })
      .Case([&](tf::ExpOp) { return convertUnary(op, "exp"); })
      .Case([&](tf::TanhOp) { return convertUnary(op, "tanh"); })
      .Case([&](tf::SqrtOp) { return convertUnary(op, "sqrt"); })
      .Case([&](tf::RsqrtOp) { return convertUnary(op, "rsqrt"); })
      .Case([&](tf::ReciprocalOp) { return convertUnary(op, "recip"); })
      .Case([&](tf::SigmoidOp) { return convertUnary(op, "sigmoid"); })
      .Case([&](tf::SiluOp) { return convertUnary(op, "silu"); })
      // GELU with erf uses the tanh form on the NPU (no erf instruction):
      // |difference| < 5e-4, below the bf16 tolerance (docs/npu.md).
      .Case([&](tf::GeluOp) { return convertUnary(op, "gelu_tanh"); })
      .Case([&](tf::SoftmaxOp s) -> LogicalResult {
        int64_t rank = typeOf(s.getInput()).getRank();
        if (int64_t axis = static_cast<int64_t>(s.getAxis()); axis != -1 && axis != rank - 1)
          return op->emitError("NPU: softmax only along the last dim");
        FailureOr<ViewAttr> a = getView(s.getInput(), op);
        if (failed(a))
          return failure();
        ViewAttr c = allocScratch(a->getShape().asArrayRef());
        auto t = npu_ir::SoftmaxOp::create(b, op->getLoc(), *a, c,
                                           b.getF32FloatAttr(1.0f), UnitAttr());
        produce(s.getResult(), c, t);
        return success();
      })
      .Case<tf::LayerNormOp, tf::RMSNormOp>([&](auto n) -> LogicalResult {
        int64_t rank = typeOf(n.getInput()).getRank();
        if (int64_t axis = static_cast<int64_t>(n.getAxis()); axis != -1 && axis != rank - 1)
          return op->emitError("NPU: norms only over the last dim");
        FailureOr<ViewAttr> a = getView(n.getInput(), op);
        if (failed(a))
          return failure();
        int64_t cols = a->getShape().asArrayRef().back();
        auto vectorOf = [&](Value v) -> FailureOr<IntegerAttr> {
          if (!v)
            return IntegerAttr();
          if (numElements(typeOf(v).getShape()) != cols)
            return op->emitError("NPU: norm weights must have one value per "
                                 "element of the last dim"),
                   failure();
          FailureOr<int64_t> off = f32Constant(v, op);
          if (failed(off))
            return failure();
          return b.getI64IntegerAttr(*off);
        };
        FailureOr<IntegerAttr> gamma = vectorOf(n.getScale());
        FailureOr<IntegerAttr> beta = IntegerAttr();
        bool rms = std::is_same_v<decltype(n), tf::RMSNormOp>;
        if constexpr (std::is_same_v<decltype(n), tf::LayerNormOp>)
          beta = vectorOf(n.getBias());
        if (failed(gamma) || failed(beta))
          return failure();
        ViewAttr c = allocScratch(a->getShape().asArrayRef());
        auto t = npu_ir::LayerNormOp::create(
            b, op->getLoc(), *a, c, *gamma, *beta, n.getEpsilonAttr(),
            rms ? b.getUnitAttr() : UnitAttr());
        produce(n.getResult(), c, t);
        return success();
      })
      .Case([&](tf::AttentionOp att) -> LogicalResult {
        if (att.getMask() || att.getPastKey() || !att.getPresent().empty())
          return op->emitError("NPU: attention with a mask operand or a KV "
                               "cache is not supported");
        ArrayRef<int64_t> q = typeOf(att.getQuery()).getShape(),
                          k = typeOf(att.getKey()).getShape();
        if (q.size() != 4 || k.size() != 4 || q[1] != k[1])
          return op->emitError("NPU: attention needs [batch, heads, S, D] "
                               "operands with as many key as query heads");
        FailureOr<ViewAttr> qv = getView(att.getQuery(), op),
                            kv = getView(att.getKey(), op),
                            vv = getView(att.getValue(), op);
        if (failed(qv) || failed(kv) || failed(vv))
          return failure();
        // S = Q K^T: K [.., T, D] is B^T.
        SmallVector<int64_t> sShape = {q[0], q[1], q[2], k[2]};
        ViewAttr s = allocScratch(sShape);
        npu_ir::GemmOp::create(b, op->getLoc(), *qv, *kv, IntegerAttr(),
                               IntegerAttr(), IntegerAttr(), s,
                               b.getStringAttr("bf16"), b.getUnitAttr(),
                               b.getI64IntegerAttr(tileM),
                               b.getI64IntegerAttr(tileN), ViewAttr());
        float scale = att.getScale()
                          ? att.getScale()->convertToFloat()
                          : 1.0f / std::sqrt(static_cast<float>(q[3]));
        npu_ir::SoftmaxOp::create(b, op->getLoc(), s, s,
                                  b.getF32FloatAttr(scale),
                                  att.getCausal() ? b.getUnitAttr() : UnitAttr());
        ViewAttr o = allocScratch(typeOf(att.getOutput()).getShape());
        auto pv = npu_ir::GemmOp::create(
            b, op->getLoc(), s, *vv, IntegerAttr(), IntegerAttr(),
            IntegerAttr(), o, b.getStringAttr("bf16"), UnitAttr(),
            b.getI64IntegerAttr(tileM), b.getI64IntegerAttr(tileN),
            ViewAttr());
        produce(att.getOutput(), o, pv);
        return success();
      })
      .Case([&](func::ReturnOp) { return success(); })
      .Default([&](Operation *) {
        return op->emitError("NPU: no lowering for ")
               << op->getName() << describeNode(op->getLoc());
      });
}

LogicalResult Converter::run() {
  MLIRContext *ctx = func.getContext();
  FunctionType type = func.getFunctionType();
  // Static f32 signatures only.
  bool ok = true;
  auto checkType = [&](Type t, StringRef what, unsigned index) {
    auto tensor = dyn_cast<RankedTensorType>(t);
    if (!tensor || !tensor.hasStaticShape()) {
      func.emitError("NPU: ")
          << what << " #" << index << " has dynamic dims " << t
          << ": NPU programs have static shapes (llm-run --target=npu "
             "specialises a model to its input shapes)";
      ok = false;
    } else if (!tensor.getElementType().isF32()) {
      func.emitError("NPU: ") << what << " #" << index << " is " << t
                              << "; the NPU target takes f32 tensors";
      ok = false;
    }
  };
  for (auto [i, t] : llvm::enumerate(type.getInputs()))
    checkType(t, "input", i);
  for (auto [i, t] : llvm::enumerate(type.getResults()))
    checkType(t, "output", i);
  // Every unsupported op, reported together.
  func.walk([&](Operation *op) {
    if (op == func.getOperation() || isSupported(op))
      return;
    op->emitError("NPU: no lowering for ")
        << op->getName() << describeNode(op->getLoc())
        << " (supported: matmul, linear, elementwise math, softmax, "
           "layer_norm, rms_norm, gelu, silu, attention and shape ops)";
    ok = false;
  });
  // Dynamic dims inside a function with static inputs (e.g. data-dependent
  // shapes): the first one.
  if (ok)
    for (Operation &op : func.getBody().front())
      for (Value v : op.getResults())
        if (auto t = dyn_cast<RankedTensorType>(v.getType());
            ok && t && !t.hasStaticShape()) {
          op.emitError("NPU: result has dynamic dims ")
              << t << describeNode(op.getLoc());
          ok = false;
        }
  if (!ok)
    return failure();
  unsigned numArgs = type.getNumInputs() + type.getNumResults();
  if (numArgs > 15)
    return func.emitError("NPU: ")
           << numArgs << " inputs and outputs; a program binds at most 15";

  b.setInsertionPoint(func);
  program = npu_ir::ProgramOp::create(b, func.getLoc(),
                                      b.getStringAttr(func.getSymName()),
                                      ElementsAttr(), b.getI64IntegerAttr(0));
  Block *body = new Block();
  program.getBody().push_back(body);
  b.setInsertionPointToStart(body);

  auto argName = [&](Attribute name, StringRef dflt, unsigned i) {
    if (auto s = dyn_cast_or_null<StringAttr>(name))
      return s.getValue().str();
    return (dflt + Twine(i)).str();
  };
  unsigned reg = 1;
  for (auto [i, arg] : llvm::enumerate(func.getArguments())) {
    ArrayRef<int64_t> shape = typeOf(arg).getShape();
    npu_ir::ArgOp::create(
        b, func.getLoc(),
        b.getStringAttr(argName(func.getArgAttr(i, "onnx.name"), "input", i)),
        b.getStringAttr("input"), b.getStringAttr("f32"),
        b.getDenseI64ArrayAttr(shape), b.getI64IntegerAttr(reg));
    views[arg] = view(reg++, 0, shape, denseStrides(shape));
  }
  unsigned firstOutputReg = reg;
  for (unsigned i = 0; i < type.getNumResults(); ++i)
    npu_ir::ArgOp::create(
        b, func.getLoc(),
        b.getStringAttr(argName(func.getResultAttr(i, "onnx.name"), "output", i)),
        b.getStringAttr("output"), b.getStringAttr("f32"),
        b.getDenseI64ArrayAttr(cast<RankedTensorType>(type.getResult(i)).getShape()),
        b.getI64IntegerAttr(reg++));

  for (Operation &op : func.getBody().front())
    if (failed(convert(&op)))
      return failure();

  // Outputs: the producing tile op writes the output register directly when
  // nothing else reads its result; otherwise copy.
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
    ArrayRef<int64_t> shape = typeOf(v).getShape();
    ViewAttr out = view(firstOutputReg + i, 0, shape, denseStrides(shape));
    FailureOr<ViewAttr> src = getView(v, ret);
    if (failed(src))
      return failure();
    auto it = producer.find(v);
    bool direct = it != producer.end() && v.hasOneUse() && isDense(*src) &&
                  src->getOffset() >= kScratchBase;
    if (direct) {
      // Point every use of the scratch buffer in the producer at the output.
      ViewAttr old = *src;
      Operation *tileOp = it->second;
      for (NamedAttribute attr : tileOp->getAttrs())
        if (auto view = dyn_cast<ViewAttr>(attr.getValue());
            view && view.getOffset() == old.getOffset() && view.getReg() == 0)
          tileOp->setAttr(attr.getName(),
                          this->view(out.getReg(), 0,
                                     view.getShape().asArrayRef(),
                                     view.getStrides().asArrayRef()));
      continue;
    }
    npu_ir::EltwiseOp::create(b, ret.getLoc(), b.getStringAttr("copy"), *src,
                              ViewAttr(), FloatAttr(), out);
  }
  if (failed(finish()))
    return failure();
  (void)ctx;
  func.erase();
  return success();
}

LogicalResult Converter::finish() {
  int64_t scratchStart = llvm::alignTo(data.size(), 64);
  int64_t dataSize = scratchStart + scratchBytes;
  if (dataSize > kReachableBytes)
    return func.emitError("NPU: the model does not fit DRAM: its data segment "
                          "(weights ")
           << data.size() << " bytes, intermediates " << scratchBytes
           << " bytes) exceeds the 256 MiB a base register reaches";
  int64_t total = dataSize;
  for (auto arg : program.getBody().getOps<npu_ir::ArgOp>())
    total = llvm::alignTo(total, 64) + numElements(arg.getShape()) * 4;
  if (total > dramLimit)
    return func.emitError("NPU: the model does not fit DRAM: it needs ")
           << total << " bytes (data segment " << dataSize
           << ", arguments " << total - dataSize << "), the limit is "
           << dramLimit << " (dram-limit)";
  // Rebase scratch views.
  program.walk([&](Operation *op) {
    for (NamedAttribute attr : op->getAttrs())
      if (auto v = dyn_cast<ViewAttr>(attr.getValue());
          v && v.getOffset() >= kScratchBase)
        op->setAttr(attr.getName(),
                    view(v.getReg(), v.getOffset() - kScratchBase + scratchStart,
                         v.getShape().asArrayRef(), v.getStrides().asArrayRef()));
  });
  if (!data.empty()) {
    auto type = RankedTensorType::get({static_cast<int64_t>(data.size())},
                                      b.getIntegerType(8));
    ArrayRef<char> bytes(reinterpret_cast<const char *>(data.data()),
                         data.size());
    auto blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, 64);
    program.setDataAttr(
        DenseResourceElementsAttr::get(type, "npu_data", std::move(blob)));
  }
  program.setDataSize(dataSize);
  return success();
}

namespace {
struct ConvertTransformerToNPUPass
    : public mlir::llm::impl::ConvertTransformerToNPUPassBase<
          ConvertTransformerToNPUPass> {
  using Base::Base;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (dtype != "bf16" && dtype != "int8") {
      module.emitError("convert-transformer-to-npu: dtype=")
          << dtype << " is not bf16 or int8";
      return signalPassFailure();
    }
    SmallVector<func::FuncOp> funcs(module.getOps<func::FuncOp>());
    func::FuncOp entry;
    for (func::FuncOp f : funcs)
      if (!f.isDeclaration() && (f.isPublic() || funcs.size() == 1)) {
        if (entry) {
          module.emitError("NPU: one public function per module (the "
                           "program), found @")
              << entry.getSymName() << " and @" << f.getSymName();
          return signalPassFailure();
        }
        entry = f;
      }
    if (!entry) {
      module.emitError("NPU: no function to compile");
      return signalPassFailure();
    }
    Converter converter(entry, dtype, tileM, tileN, dramLimit);
    if (failed(converter.run()))
      return signalPassFailure();
  }
};
} // namespace
