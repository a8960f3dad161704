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
//   attention -> npu.attention (flash style, tiles from the NPU cost
//   model).
//
// This file holds the pass, the calling convention and the dispatch over op
// kinds; the lowerings live beside it by concern (Converter.h lists them).
//
// Every op that has no NPU lowering is reported, with its location (the
// ONNX node), before the pass fails; so are dynamic shapes and programs
// that do not fit DRAM.
//
//===----------------------------------------------------------------------===//

#include "llm/Conversion/Passes.h"

#include "Converter.h"

#include "llvm/ADT/TypeSwitch.h"

namespace mlir::llm {
#define GEN_PASS_DEF_CONVERTTRANSFORMERTONPUPASS
#include "llm/Conversion/Passes.h.inc"
} // namespace mlir::llm

using namespace mlir;
using namespace mlir::llm;
using namespace mlir::llm::to_npu;

namespace {
/// Whether the op has an NPU lowering (checked up front for all ops).
bool isSupported(Operation *op) {
  return isa<tf::ConstantOp, tf::ReshapeOp, tf::SqueezeOp, tf::UnsqueezeOp,
             tf::TransposeOp, tf::SplitOp, tf::ExpandOp, tf::MatmulOp,
             tf::LinearOp, tf::QuantizedLinearOp, tf::AddOp, tf::SubOp, tf::MulOp, tf::DivOp,
             tf::MaxOp, tf::MinOp, tf::NegOp, tf::AbsOp, tf::ReluOp,
             tf::ExpOp, tf::TanhOp, tf::SqrtOp, tf::RsqrtOp,
             tf::ReciprocalOp, tf::SigmoidOp, tf::GeluOp, tf::SiluOp,
             tf::SoftmaxOp, tf::LayerNormOp, tf::RMSNormOp, tf::AttentionOp,
             tf::GatherOp, tf::CastOp, tf::SliceOp, tf::RotaryEmbeddingOp,
             tf::ConcatOp, tf::ReduceSumOp, tf::ReduceMeanOp, tf::ReduceMaxOp,
             func::ReturnOp>(op);
}

/// Whether the op may read integer tensors (ids, masks): as views, as
/// gather indices, or to convert them.
bool readsIntegers(Operation *op) {
  return isa<tf::ConstantOp, tf::ReshapeOp, tf::SqueezeOp, tf::UnsqueezeOp,
             tf::TransposeOp, tf::SplitOp, tf::ExpandOp, tf::SliceOp,
             tf::GatherOp, tf::CastOp, func::ReturnOp>(op);
}

bool isIntegerTensor(Type t) {
  auto tensor = dyn_cast<RankedTensorType>(t);
  return tensor && (tensor.getElementType().isInteger(64) ||
                    tensor.getElementType().isInteger(32));
}
} // namespace

LogicalResult Converter::convert(Operation *op) {
  if (fused.contains(op) || isa<tf::ConstantOp>(op))
    return success();
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case<tf::ReshapeOp, tf::SqueezeOp, tf::UnsqueezeOp>([&](auto o) {
        return convertReshape(op, o->getOperand(0), o->getResult(0));
      })
      .Case([&](tf::TransposeOp t) { return convertTranspose(t); })
      .Case([&](tf::SplitOp s) { return convertSplit(s); })
      .Case([&](tf::ExpandOp e) { return convertExpand(e); })
      .Case([&](tf::SliceOp sl) { return convertSlice(sl); })
      .Case([&](tf::ConcatOp cc) { return convertConcat(cc); })
      .Case([&](tf::ReduceSumOp r) {
        return convertReduce(op, "sum", r.getAxes());
      })
      .Case([&](tf::ReduceMeanOp r) {
        return convertReduce(op, "mean", r.getAxes());
      })
      .Case([&](tf::ReduceMaxOp r) {
        return convertReduce(op, "max", r.getAxes());
      })
      .Case([&](tf::GatherOp g) { return convertGather(g); })
      .Case([&](tf::CastOp c) { return convertCast(c); })
      .Case([&](tf::RotaryEmbeddingOp r) { return convertRotary(r); })
      .Case([&](tf::MatmulOp m) {
        return convertGemm(op, m.getLhs(), m.getRhs(), false, Value());
      })
      .Case([&](tf::LinearOp l) { return convertLinear(l); })
      .Case([&](tf::QuantizedLinearOp q) { return convertQuantizedLinear(q); })
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
      .Case([&](tf::SoftmaxOp s) { return convertSoftmax(s); })
      .Case([&](tf::LayerNormOp n) {
        return convertNorm(op, n.getInput(), n.getScale(), n.getBias(),
                           static_cast<int64_t>(n.getAxis()),
                           n.getEpsilonAttr(), /*rms=*/false);
      })
      .Case([&](tf::RMSNormOp n) {
        return convertNorm(op, n.getInput(), n.getScale(), Value(),
                           static_cast<int64_t>(n.getAxis()),
                           n.getEpsilonAttr(), /*rms=*/true);
      })
      .Case([&](tf::AttentionOp att) { return convertAttention(att); })
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
    } else if (!tensor.getElementType().isF32() &&
               !(what == "input" && isIntegerTensor(tensor))) {
      func.emitError("NPU: ")
          << what << " #" << index << " is " << t
          << "; the NPU target takes f32 tensors"
          << (what == "input" ? " and i32/i64 inputs (ids, masks)" : "");
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
           "layer_norm, rms_norm, gelu, silu, attention, rotary_embedding, "
           "reductions over trailing dims, gather, cast to f32 and shape "
           "ops)";
    ok = false;
  });
  // Integer tensors feed only shape ops, gather and cast.
  func.walk([&](Operation *op) {
    if (op == func.getOperation() || readsIntegers(op) || !isSupported(op))
      return;
    for (Value operand : op->getOperands())
      if (isIntegerTensor(operand.getType())) {
        op->emitError("NPU: ")
            << op->getName() << describeNode(op->getLoc())
            << " reads an integer tensor; on the NPU integers only feed "
               "gather indices, cast to f32 and shape ops";
        ok = false;
        return;
      }
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
        b.getStringAttr("input"),
        b.getStringAttr(elemBytes(arg) == 8                   ? "i64"
                        : typeOf(arg).getElementType().isF32() ? "f32"
                                                               : "i32"),
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
    eltwise(ret.getLoc(), "copy", rowMajor(*src, ret.getLoc()), std::nullopt,
            out);
  }
  if (failed(finish()))
    return failure();
  (void)ctx;
  func.erase();
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
