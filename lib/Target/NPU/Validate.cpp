//===- Validate.cpp - static validity of NPU instructions ----------------===//
//
// The checks an instruction must pass before it runs, which need no machine
// state (docs/npu.md, "Validity"): every local-memory operand lies inside one
// memory (scratchpad or accumulator, as the operand requires) and is aligned
// to its element size, destinations do not overlap themselves, sizes are in
// range, and the dependency masks do not name the instruction's own queue.
// The assembler runs them per line, the binary reader per instruction, the
// simulator on load. DRAM accesses depend on the registers and are checked
// at run time.
//
// getLocalAccesses is the one description of each instruction's local
// operands; the simulator's race detector uses it too.
//
//===----------------------------------------------------------------------===//

#include "LocalAccess.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir::llm::npu;

llvm::SmallVector<LocalAccess, 3>
mlir::llm::npu::getLocalAccesses(const Instruction &inst) {
  auto f = [&](Field field) { return inst.get(field); };
  uint64_t rows = f(Field::Rows), cols = f(Field::Cols),
           stride = f(Field::Stride);
  llvm::SmallVector<LocalAccess, 3> out;
  switch (inst.getOpcode()) {
  case Opcode::Halt:
  case Opcode::Sync:
    break;
  case Opcode::DmaLoad:
  case Opcode::DmaStore: {
    bool load = inst.getOpcode() == Opcode::DmaLoad;
    out.push_back({load ? "destination" : "source", f(Field::LocalAddr), rows,
                   f(Field::LocalStride), f(Field::RowBytes), 1, Region::Any,
                   load});
    break;
  }
  case Opcode::DmaGather: {
    unsigned isize = f(Field::IndexType) ? 8 : 4;
    out.push_back({"destination", f(Field::LocalAddr), rows, f(Field::RowBytes),
                   f(Field::RowBytes), 1, Region::Any, true});
    out.push_back({"indices", f(Field::IndexAddr), 1, 0, rows * isize, isize,
                   Region::Scratchpad, false});
    break;
  }
  case Opcode::Matmul: {
    unsigned es = f(Field::MatType) ? 2 : 1;
    uint64_t m = f(Field::M), k = f(Field::K), n = f(Field::N);
    bool tb = f(Field::TransposeB);
    out.push_back({"A", f(Field::AAddr), m, f(Field::AStride), k * es, es,
                   Region::Scratchpad, false});
    out.push_back({"B", f(Field::BAddr), tb ? n : k, kArrayDim * es,
                   (tb ? k : n) * es, es, Region::Scratchpad, false});
    out.push_back({"C", kAccumulatorBase + f(Field::CAddr), m,
                   f(Field::CStride), n * 4, 4, Region::Accumulator, true});
    break;
  }
  case Opcode::VUnary:
  case Opcode::VBinary:
  case Opcode::VFill:
    out.push_back({"destination", f(Field::Dst), rows, stride, cols * 4, 4,
                   Region::Any, true});
    if (inst.getOpcode() != Opcode::VFill)
      out.push_back({"source A", f(Field::A), rows, stride, cols * 4, 4,
                     Region::Any, false});
    if (inst.getOpcode() == Opcode::VBinary) {
      uint64_t b = f(Field::B);
      switch (BMode(f(Field::BMode))) {
      case BMode::Tile:
        out.push_back({"source B", b, rows, stride, cols * 4, 4, Region::Any,
                       false});
        break;
      case BMode::Row:
        out.push_back({"source B (row)", b, 1, 0, cols * 4, 4, Region::Any,
                       false});
        break;
      case BMode::Col:
        out.push_back({"source B (column)", b, 1, 0, rows * 4, 4, Region::Any,
                       false});
        break;
      case BMode::Scalar:
        out.push_back({"source B (scalar)", b, 1, 0, 4, 4, Region::Any, false});
        break;
      }
    }
    break;
  case Opcode::VReduce:
    out.push_back({"destination", f(Field::Dst), 1, 0, rows * 4, 4,
                   Region::Any, true});
    out.push_back({"source", f(Field::A), rows, stride, cols * 4, 4,
                   Region::Any, false});
    break;
  case Opcode::VConvert: {
    unsigned dsize = getElemTypeSize(ElemType(f(Field::DstType)));
    unsigned ssize = getElemTypeSize(ElemType(f(Field::SrcType)));
    out.push_back({"destination", f(Field::Dst), rows, f(Field::DstStride),
                   cols * dsize, dsize, Region::Any, true});
    out.push_back({"source", f(Field::A), rows, stride, cols * ssize, ssize,
                   Region::Any, false});
    break;
  }
  }
  return out;
}

namespace {
std::string hex(uint64_t v) {
  std::string s;
  llvm::raw_string_ostream(s) << llvm::format_hex(v, 2);
  return s;
}

/// What is wrong with one local operand, or "".
std::string checkLocal(const LocalAccess &a) {
  std::string what = a.what;
  uint64_t hi;
  bool inAcc;
  if (a.addr < kScratchpadBytes) {
    hi = kScratchpadBytes, inAcc = false;
  } else if (a.addr >= kAccumulatorBase && a.addr < kLocalEnd) {
    hi = kLocalEnd, inAcc = true;
  } else {
    return what + " address " + hex(a.addr) +
           " is not mapped (scratchpad 0x0-0x3ffff, accumulator "
           "0x40000-0x4ffff)";
  }
  const char *memory = inAcc ? "accumulator" : "scratchpad";
  if (a.region == Region::Scratchpad && inAcc)
    return what + " must be in the scratchpad";
  if (a.region == Region::Accumulator && !inAcc)
    return what + " must be in the accumulator";
  uint64_t end = a.addr + (a.rows - 1) * a.stride + a.rowBytes;
  if (end > hi)
    return what + " [" + hex(a.addr) + ", " + hex(end) +
           ") runs past the end of the " + memory + " (" + hex(hi) + ")";
  if (a.addr % a.align != 0 || (a.rows > 1 && a.stride % a.align != 0))
    return what + " address " + hex(a.addr) + " and stride " +
           std::to_string(a.stride) + " must be multiples of " +
           std::to_string(a.align) + " bytes";
  if (a.isWrite && a.rows > 1 && a.stride < a.rowBytes)
    return what + " rows overlap: stride " + std::to_string(a.stride) +
           " is less than the row size " + std::to_string(a.rowBytes);
  return "";
}

std::string checkNonZero(const Instruction &inst,
                         std::initializer_list<Field> fields) {
  for (Field f : fields)
    if (inst.get(f) == 0)
      return (getFieldName(f) + " must be at least 1").str();
  return "";
}

/// Size checks before the operands' geometry means anything.
std::string checkSizes(const Instruction &inst) {
  switch (inst.getOpcode()) {
  case Opcode::Halt:
  case Opcode::Sync:
    return "";
  case Opcode::DmaLoad:
  case Opcode::DmaStore: {
    if (std::string e = checkNonZero(inst, {Field::Rows, Field::RowBytes});
        !e.empty())
      return e;
    uint64_t bytes = inst.get(Field::RowBytes);
    if (inst.getOpcode() == Opcode::DmaStore && inst.get(Field::Rows) > 1 &&
        inst.get(Field::DramStride) < bytes)
      return "DRAM destination rows overlap: dstride " +
             std::to_string(inst.get(Field::DramStride)) +
             " is less than the row size " + std::to_string(bytes);
    return "";
  }
  case Opcode::DmaGather:
    return checkNonZero(inst, {Field::Rows, Field::RowBytes, Field::TableRows});
  case Opcode::Matmul:
    if (std::string e = checkNonZero(inst, {Field::M, Field::K, Field::N});
        !e.empty())
      return e;
    if (inst.get(Field::K) > kArrayDim || inst.get(Field::N) > kArrayDim)
      return "k and n must be at most " + std::to_string(kArrayDim) +
             " (the array size)";
    return "";
  default:
    return checkNonZero(inst, {Field::Rows, Field::Cols});
  }
}
} // namespace

std::string mlir::llm::npu::validate(const Instruction &inst) {
  if (inst.getOpcode() == Opcode::Halt)
    return "";
  Queue queue = getQueue(inst);
  unsigned own = 1u << static_cast<unsigned>(queue);
  if (inst.get(Field::Wait) & own)
    return ("an instruction of the " + getQueueName(queue) +
            " queue cannot wait for a token from its own queue")
        .str();
  if (inst.get(Field::Signal) & own)
    return ("an instruction of the " + getQueueName(queue) +
            " queue cannot signal its own queue")
        .str();
  if (std::string e = checkSizes(inst); !e.empty())
    return e;
  for (const LocalAccess &access : getLocalAccesses(inst))
    if (std::string e = checkLocal(access); !e.empty())
      return e;
  return "";
}
