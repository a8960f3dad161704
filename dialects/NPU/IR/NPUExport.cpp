//===- NPUExport.cpp - npu ops <-> lib/Target/NPU instructions -----------===//
//
// Encodes instruction-level ops as npu::Instruction (function, queue and
// type names are looked up in the ISA's mnemonic tables, field ranges are
// checked by the ISA's encoder) and exports an `npu.program` as an
// npu::Program, so that the assembler's printer and the binary writer of
// lib/Target/NPU are the only encoders.
//
//===----------------------------------------------------------------------===//

#include "NPU/IR/NPUDialect.h"

#include "llm/Target/NPU/ISA.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::llm;
using namespace mlir::llm::npu_ir;
using npu::Field;
using npu::Instruction;

namespace {
/// Collects fields; the first problem wins.
struct Encoder {
  Instruction inst;
  std::string error;

  void set(Field f, int64_t v) {
    if (v < 0 && error.empty())
      error = ("field '" + npu::getFieldName(f) + "' is negative").str();
    inst.set(f, static_cast<uint64_t>(v));
  }
  void set(Field f, std::optional<int64_t> v, int64_t dflt) {
    set(f, v ? *v : dflt);
  }
  /// The fixed field value of mnemonic `name`, which must have `opcode`.
  void mnemonic(StringRef name, npu::Opcode opcode) {
    const npu::MnemonicInfo *info = npu::lookupMnemonic(name);
    if (!info || info->opcode != opcode) {
      if (error.empty())
        error = ("no instruction '" + name + "'").str();
      return;
    }
    if (info->hasFixed)
      inst.set(info->fixedField, info->fixedValue);
  }
  /// Index of `name` in a nullptr-terminated name table.
  void enumField(Field f, StringRef name, const char *const *names) {
    for (unsigned i = 0; names[i]; ++i)
      if (name == names[i]) {
        inst.set(f, i);
        return;
      }
    if (error.empty())
      error = ("unknown " + npu::getFieldName(f) + " '" + name + "'").str();
  }
  /// A local address that must lie in the scratchpad (field: offset).
  void scratchpad(Field f, int64_t addr) {
    if (addr >= static_cast<int64_t>(npu::kScratchpadBytes) && error.empty())
      error = ("the " + npu::getFieldName(f) + " must be in the scratchpad")
                  .str();
    set(f, addr);
  }
};

template <typename OpTy>
void setTileFields(Encoder &e, OpTy op) {
  e.set(Field::Dst, op.getDst());
  e.set(Field::Rows, op.getRows());
  e.set(Field::Cols, op.getCols());
  e.set(Field::Stride, op.getStride(), 4 * op.getCols());
}

template <typename OpTy>
void setDmaFields(Encoder &e, OpTy op) {
  e.set(Field::LocalAddr, op.getLocal());
  e.set(Field::Reg, op.getReg());
  e.set(Field::DramOffset, op.getOffset());
  e.set(Field::Rows, op.getRows());
  e.set(Field::RowBytes, op.getBytes());
  e.set(Field::LocalStride, op.getLstride(), op.getBytes());
  e.set(Field::DramStride, op.getDstride(), op.getBytes());
}

unsigned elemSize(StringRef name) {
  return name == "i8" ? 1 : name == "bf16" ? 2 : 4;
}
} // namespace

std::optional<Instruction>
mlir::llm::npu_ir::encodeInstruction(Operation *op, std::string &error) {
  Encoder e;
  using npu::Opcode;
  bool known =
      llvm::TypeSwitch<Operation *, bool>(op)
          .Case([&](HaltOp) {
            e.inst.setOpcode(Opcode::Halt);
            return true;
          })
          .Case([&](SyncOp s) {
            e.inst.setOpcode(Opcode::Sync);
            e.mnemonic(("sync." + s.getQueue()).str(), Opcode::Sync);
            return true;
          })
          .Case([&](DmaLoadOp d) {
            e.inst.setOpcode(Opcode::DmaLoad);
            setDmaFields(e, d);
            return true;
          })
          .Case([&](DmaStoreOp d) {
            e.inst.setOpcode(Opcode::DmaStore);
            setDmaFields(e, d);
            return true;
          })
          .Case([&](DmaGatherOp g) {
            e.inst.setOpcode(Opcode::DmaGather);
            e.set(Field::LocalAddr, g.getLocal());
            e.set(Field::Reg, g.getReg());
            e.set(Field::DramOffset, g.getOffset());
            e.scratchpad(Field::IndexAddr, g.getIndices());
            StringRef type = g.getIndexType();
            if (type != "i32" && type != "i64" && e.error.empty())
              e.error = "index_type must be i32 or i64, not " + type.str();
            e.set(Field::IndexType, type == "i64" ? 1 : 0);
            e.set(Field::Rows, g.getRows());
            e.set(Field::RowBytes, g.getBytes());
            e.set(Field::TableRows, g.getTableRows());
            return true;
          })
          .Case([&](MatmulOp m) {
            e.inst.setOpcode(Opcode::Matmul);
            e.mnemonic(("matmul." + m.getType()).str(), Opcode::Matmul);
            int64_t c = m.getC();
            if (c < static_cast<int64_t>(npu::kAccumulatorBase) &&
                e.error.empty())
              e.error = "C must be in the accumulator";
            e.set(Field::CAddr, c - npu::kAccumulatorBase);
            e.scratchpad(Field::AAddr, m.getA());
            e.scratchpad(Field::BAddr, m.getB());
            e.set(Field::M, m.getM());
            e.set(Field::K, m.getK());
            e.set(Field::N, m.getN());
            e.set(Field::AStride, m.getAstride(),
                  m.getK() * elemSize(m.getType()));
            e.set(Field::CStride, m.getCstride(), 4 * m.getN());
            e.set(Field::Accumulate, m.getAccumulate());
            e.set(Field::TransposeB, m.getTransposeB());
            return true;
          })
          .Case([&](VUnaryOp v) {
            e.inst.setOpcode(Opcode::VUnary);
            e.mnemonic(("v" + v.getFunc()).str(), Opcode::VUnary);
            e.set(Field::A, v.getA());
            setTileFields(e, v);
            return true;
          })
          .Case([&](VBinaryOp v) {
            e.inst.setOpcode(Opcode::VBinary);
            e.mnemonic(("v" + v.getFunc()).str(), Opcode::VBinary);
            e.enumField(Field::BMode, v.getBmode(), npu::kBModeNames);
            e.set(Field::A, v.getA());
            e.set(Field::B, v.getB());
            setTileFields(e, v);
            return true;
          })
          .Case([&](VReduceOp v) {
            e.inst.setOpcode(Opcode::VReduce);
            e.mnemonic(("vred" + v.getFunc()).str(), Opcode::VReduce);
            e.set(Field::A, v.getA());
            e.set(Field::Accumulate, v.getAccumulate());
            setTileFields(e, v);
            return true;
          })
          .Case([&](VConvertOp v) {
            e.inst.setOpcode(Opcode::VConvert);
            e.enumField(Field::SrcType, v.getFrom(), npu::kElemTypeNames);
            e.enumField(Field::DstType, v.getTo(), npu::kElemTypeNames);
            e.set(Field::Dst, v.getDst());
            e.set(Field::A, v.getA());
            e.set(Field::Rows, v.getRows());
            e.set(Field::Cols, v.getCols());
            e.set(Field::Stride, v.getStride(),
                  v.getCols() * elemSize(v.getFrom()));
            e.set(Field::DstStride, v.getDstStride(),
                  v.getCols() * elemSize(v.getTo()));
            return true;
          })
          .Case([&](VFillOp v) {
            e.inst.setOpcode(Opcode::VFill);
            e.inst.setImm(v.getValue().convertToFloat());
            setTileFields(e, v);
            return true;
          })
          .Default([](Operation *) { return false; });
  if (!known) {
    error = "is not an instruction";
    return std::nullopt;
  }
  if (e.inst.getOpcode() != Opcode::Halt) {
    e.set(Field::Wait, cast<IntegerAttr>(op->getAttr("wait")).getInt());
    e.set(Field::Signal, cast<IntegerAttr>(op->getAttr("signal")).getInt());
  }
  if (!e.error.empty()) {
    error = e.error;
    return std::nullopt;
  }
  // The encoder checks that every value fits its field.
  uint8_t bytes[npu::kInstructionBytes];
  if (llvm::Error err = npu::encode(e.inst, bytes)) {
    error = llvm::toString(std::move(err));
    return std::nullopt;
  }
  return e.inst;
}

void mlir::llm::npu_ir::setTokens(Operation *op, unsigned wait,
                                  unsigned signal) {
  if (isa<HaltOp>(op))
    return;
  Builder b(op->getContext());
  op->setAttr("wait", b.getI64IntegerAttr(wait));
  op->setAttr("signal", b.getI64IntegerAttr(signal));
}

FailureOr<npu::Program> mlir::llm::npu_ir::exportProgram(ProgramOp program) {
  npu::Program result;
  for (Operation &op : program.getBody().front()) {
    if (auto arg = dyn_cast<ArgOp>(op)) {
      npu::Argument a;
      a.name = arg.getName().str();
      a.role = arg.getRole() == "output" ? npu::ArgRole::Output
                                         : npu::ArgRole::Input;
      a.type = *npu::parseArgTypeName(arg.getElem());
      a.shape.assign(arg.getShape().begin(), arg.getShape().end());
      a.reg = arg.getReg();
      result.arguments.push_back(std::move(a));
      continue;
    }
    if (isTileOp(&op))
      return op.emitOpError("tile-level op left: run npu-lower-tiles first");
    std::string error;
    std::optional<Instruction> inst = encodeInstruction(&op, error);
    if (!inst)
      return op.emitOpError() << error;
    result.instructions.push_back(*inst);
  }
  if (auto data = program.getDataAttr()) {
    if (auto dense = dyn_cast<DenseIntElementsAttr>(data)) {
      for (APInt v : dense.getValues<APInt>())
        result.data.push_back(static_cast<uint8_t>(v.getZExtValue()));
    } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(data)) {
      AsmResourceBlob *blob = resource.getRawHandle().getBlob();
      if (!blob)
        return program.emitOpError("the data segment's blob is not available");
      ArrayRef<char> bytes = blob->getData();
      result.data.assign(bytes.begin(), bytes.end());
    } else {
      return program.emitOpError("data must be dense or dense_resource bytes");
    }
  }
  result.dataSize = std::max<uint64_t>(program.getDataSize(),
                                       result.data.size());
  if (llvm::Error err = npu::verifyProgram(result))
    return program.emitOpError() << llvm::toString(std::move(err));
  return result;
}
