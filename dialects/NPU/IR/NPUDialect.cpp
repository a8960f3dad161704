//===- NPUDialect.cpp - npu dialect, attributes and verifiers ------------===//
//
// Registers the npu dialect. The verifiers of the instruction-level ops
// encode the op (NPUExport.cpp) and run lib/Target/NPU's validate(), so the
// IR obeys exactly the limits the assembler and the simulator check (one set
// of tables). Tile-level ops check their views' shapes.
//
//===----------------------------------------------------------------------===//

#include "NPU/IR/NPUDialect.h"

#include "llm/Target/NPU/ISA.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::llm;
using namespace mlir::llm::npu_ir;

#include "NPU/IR/NPUDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "NPU/IR/NPUAttrs.cpp.inc"

#define GET_OP_CLASSES
#include "NPU/IR/NPUOps.cpp.inc"

void NPUDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "NPU/IR/NPUAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "NPU/IR/NPUOps.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// #npu.view
//===----------------------------------------------------------------------===//

LogicalResult ViewAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               int64_t reg, int64_t offset,
                               DenseI64ArrayAttr shape,
                               DenseI64ArrayAttr strides) {
  if (reg < 0 || reg >= static_cast<int64_t>(npu::kNumRegisters))
    return emitError() << "register r" << reg << " does not exist (r0-r15)";
  if (offset < 0)
    return emitError() << "negative DRAM offset " << offset;
  if (!shape || !strides || shape.size() != strides.size())
    return emitError() << "shape and strides must have the same rank";
  for (int64_t d : shape.asArrayRef())
    if (d <= 0)
      return emitError() << "dims must be positive";
  for (int64_t s : strides.asArrayRef())
    if (s < 0)
      return emitError() << "strides must be non-negative";
  return success();
}

int64_t ViewAttr::getNumElements() const {
  int64_t n = 1;
  for (int64_t d : getShape().asArrayRef())
    n *= d;
  return n;
}

//===----------------------------------------------------------------------===//
// Program structure
//===----------------------------------------------------------------------===//

LogicalResult ProgramOp::verify() {
  llvm::SmallDenseMap<int64_t, ArgOp> regs;
  for (auto arg : getBody().getOps<ArgOp>()) {
    auto [it, inserted] = regs.try_emplace(arg.getReg(), arg);
    if (!inserted)
      return arg.emitOpError() << "register r" << arg.getReg()
                               << " is bound twice";
  }
  if (auto data = getDataAttr()) {
    auto type = dyn_cast<ShapedType>(data.getType());
    if (!type || !type.getElementType().isInteger(8) || type.getRank() != 1)
      return emitOpError("data must be a 1-D tensor of i8 (bytes)");
    if (type.getNumElements() > static_cast<int64_t>(getDataSize()))
      return emitOpError("data_size is smaller than the initialized data");
  }
  return success();
}

LogicalResult ArgOp::verify() {
  if (getRole() != "input" && getRole() != "output")
    return emitOpError("role must be \"input\" or \"output\"");
  if (!npu::parseArgTypeName(getElem()))
    return emitOpError("unknown element type '") << getElem() << "'";
  if (getReg() < 1 || getReg() > 15)
    return emitOpError("arguments use registers r1-r15");
  if (getShape().size() > npu::kMaxArgRank)
    return emitOpError("rank above ") << npu::kMaxArgRank;
  for (int64_t d : getShape())
    if (d < 0)
      return emitOpError("dims must be static and non-negative");
  return success();
}

//===----------------------------------------------------------------------===//
// Instruction-level ops: encode, then the ISA's validate()
//===----------------------------------------------------------------------===//

static LogicalResult verifyInstruction(Operation *op) {
  std::string error;
  std::optional<npu::Instruction> inst = encodeInstruction(op, error);
  if (!inst)
    return op->emitOpError() << error;
  std::string problem = npu::validate(*inst);
  if (!problem.empty())
    return op->emitOpError() << problem;
  return success();
}

LogicalResult HaltOp::verify() {
  Operation *op = getOperation();
  if (op->getNextNode())
    return emitOpError("must be the last op of the program");
  return success();
}
LogicalResult SyncOp::verify() { return verifyInstruction(getOperation()); }
LogicalResult DmaLoadOp::verify() { return verifyInstruction(getOperation()); }
LogicalResult DmaStoreOp::verify() { return verifyInstruction(getOperation()); }
LogicalResult DmaGatherOp::verify() { return verifyInstruction(getOperation()); }
LogicalResult MatmulOp::verify() { return verifyInstruction(getOperation()); }
LogicalResult VUnaryOp::verify() { return verifyInstruction(getOperation()); }
LogicalResult VBinaryOp::verify() { return verifyInstruction(getOperation()); }
LogicalResult VReduceOp::verify() { return verifyInstruction(getOperation()); }
LogicalResult VConvertOp::verify() { return verifyInstruction(getOperation()); }
LogicalResult VFillOp::verify() { return verifyInstruction(getOperation()); }

//===----------------------------------------------------------------------===//
// Tile-level ops
//===----------------------------------------------------------------------===//

LogicalResult GemmOp::verify() {
  ArrayRef<int64_t> a = getA().getShape().asArrayRef(),
                    c = getC().getShape().asArrayRef();
  if (a.size() < 2 || c.size() != a.size())
    return emitOpError("a and c must be [batch..., M, K] and [batch..., M, N]");
  if (a.drop_back(1) != c.drop_back(1))
    return emitOpError("a and c differ in batch dims or M");
  if (getB().has_value() == getPackedB().has_value())
    return emitOpError("needs exactly one of b (a tensor) and packed_b "
                       "(packed weights)");
  if (auto b = getB()) {
    ArrayRef<int64_t> bs = b->getShape().asArrayRef();
    int64_t k = getTransposeB() ? bs.back() : bs[bs.size() - 2];
    int64_t n = getTransposeB() ? bs[bs.size() - 2] : bs.back();
    if (bs.size() != a.size() || k != a.back() || n != c.back())
      return emitOpError("b does not match a and c");
  }
  if (getDtype() != "bf16" && getDtype() != "i8")
    return emitOpError("dtype must be bf16 or i8");
  if (getDtype() == "i8" && !getScales())
    return emitOpError("i8 needs the weight scales");
  if (getTileM() < 1 || getTileM() > 4095 || getTileN() < 16 ||
      getTileN() % 16)
    return emitOpError("tile_m must be 1-4095 and tile_n a multiple of 16");
  return success();
}

LogicalResult EltwiseOp::verify() {
  static const char *const unary[] = {
      "copy", "neg",  "abs",     "relu",      "exp",  "tanh",
      "sqrt", "rsqrt", "recip", "sigmoid", "gelu_tanh", "silu"};
  static const char *const binary[] = {"add", "sub", "mul",
                                       "max", "min", "div"};
  bool isUnary = llvm::is_contained(unary, getKind());
  bool isBinary = llvm::is_contained(binary, getKind());
  if (!isUnary && !isBinary)
    return emitOpError("unknown kind '") << getKind() << "'";
  if (isBinary && getB().has_value() == getScalar().has_value())
    return emitOpError("a binary kind needs exactly one of b and scalar");
  if (isUnary && (getB() || getScalar()))
    return emitOpError("a unary kind takes no second operand");
  if (getA().getShape() != getC().getShape())
    return emitOpError("a and c must have the same shape");
  if (getB() && getB()->getShape() != getA().getShape())
    return emitOpError("b must have a's shape (broadcast dims have stride 0)");
  return success();
}

LogicalResult SoftmaxOp::verify() {
  if (getA().getShape() != getC().getShape())
    return emitOpError("a and c must have the same shape");
  return success();
}

LogicalResult LayerNormOp::verify() {
  if (getA().getShape() != getC().getShape())
    return emitOpError("a and c must have the same shape");
  if (getRms() && getBeta())
    return emitOpError("RMSNorm has no beta");
  return success();
}

LogicalResult AttentionOp::verify() {
  ArrayRef<int64_t> q = getQ().getShape().asArrayRef(),
                    k = getK().getShape().asArrayRef(),
                    v = getV().getShape().asArrayRef(),
                    o = getO().getShape().asArrayRef();
  if (q.size() != 4 || k.size() != 4 || v.size() != 4 || o.size() != 4)
    return emitOpError("q, k, v and o must be [batch, heads, seq, head dim]");
  int64_t group = static_cast<int64_t>(getKvGroup());
  if (group < 1)
    return emitOpError("kv_group must be at least 1");
  if (q != o || k != v || q[0] != k[0] || q[1] != k[1] * group ||
      q[3] != k[3])
    return emitOpError("q/o [B, H, S, D] and k/v [B, H / kv_group, T, D] do "
                       "not match");
  for (ViewAttr view : {getQ(), getK(), getV(), getO()})
    if (view.getStrides().asArrayRef().back() != 1)
      return emitOpError("q, k, v and o must be contiguous along D");
  if (std::optional<ViewAttr> mask = getMask())
    if (mask->getShape().asArrayRef() !=
            ArrayRef<int64_t>{q[0], q[1], q[2], k[2]} ||
        mask->getStrides().asArrayRef().back() != 1)
      return emitOpError("mask must be [B, H, S, T], contiguous along T");
  if (getTileQ() < 1 || getTileQ() > 4095 || getTileKv() < 16 ||
      getTileKv() % 16 || getKvBuffers() < 1)
    return emitOpError("tile_q must be 1-4095, tile_kv a multiple of 16 and "
                       "kv_buffers at least 1");
  return success();
}

LogicalResult ReduceOp::verify() {
  if (getKind() != "sum" && getKind() != "mean" && getKind() != "max")
    return emitOpError("kind must be sum, mean or max");
  if (getA().getRank() != 2 || getC().getRank() != 1 ||
      getA().getShape()[0] != getC().getShape()[0])
    return emitOpError("a must be [rows, cols] and c [rows]");
  return success();
}

LogicalResult GatherOp::verify() {
  ArrayRef<int64_t> table = getTable().getShape().asArrayRef(),
                    indices = getIndices().getShape().asArrayRef(),
                    c = getC().getShape().asArrayRef();
  if (getIndexType() != "i32" && getIndexType() != "i64")
    return emitOpError("index_type must be i32 or i64");
  if (table.size() != 2 || getTable().getStrides()[1] != 1 ||
      getTable().getStrides()[0] != table[1])
    return emitOpError("table must be [rows, cols] with dense rows");
  if (c.size() != indices.size() + 1 || c.drop_back() != indices ||
      c.back() != table[1])
    return emitOpError("c must be [indices..., cols]");
  return success();
}

LogicalResult CastOp::verify() {
  if (getFrom() != "i32" && getFrom() != "i64")
    return emitOpError("from must be i32 or i64");
  if (getA().getShape() != getC().getShape())
    return emitOpError("a and c must have the same shape");
  return success();
}

bool mlir::llm::npu_ir::needsStreamedA(int64_t rows, int64_t paddedK,
                                       int64_t tileM, int64_t tileN) {
  int64_t wanted = std::min({rows, int64_t(64), tileM,
                             int64_t(npu::kAccumulatorBytes / 2) / (tileN * 4)});
  return paddedK * 2 * wanted > int64_t(npu::kScratchpadBytes / 2);
}

bool mlir::llm::npu_ir::isInstructionOp(Operation *op) {
  return isa<HaltOp, SyncOp, DmaLoadOp, DmaStoreOp, DmaGatherOp, MatmulOp,
             VUnaryOp,
             VBinaryOp, VReduceOp, VConvertOp, VFillOp>(op);
}

bool mlir::llm::npu_ir::isTileOp(Operation *op) {
  return isa<GemmOp, EltwiseOp, SoftmaxOp, LayerNormOp, AttentionOp, ReduceOp,
             GatherOp, CastOp>(op);
}
