//===- Disassembler.cpp - NPU program -> canonical assembly text ---------===//
//
// Prints a program in the canonical form of the assembly language: every
// operand of every instruction written out (no defaults), local and DRAM
// offsets in hex, counts and strides in decimal, flags and dependency
// tokens only when set, floats with 9 significant digits (exact for f32),
// the data segment as .byte lines of 16 bytes plus a final .reserve. The
// result assembles back to the identical binary (test/unit/NPUAssemblerTest).
//
//===----------------------------------------------------------------------===//

#include "llm/Target/NPU/Assembler.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir::llm::npu;

namespace {
void printLocal(llvm::raw_ostream &os, OperandKind kind, uint64_t v) {
  bool acc = kind == OperandKind::LocalAcc ||
             (kind == OperandKind::LocalAny && v >= kAccumulatorBase);
  if (kind == OperandKind::LocalAny && acc)
    v -= kAccumulatorBase;
  os << (acc ? "acc+" : "sp+") << llvm::format_hex(v, 2);
}

void printMask(llvm::raw_ostream &os, const char *key, uint64_t mask) {
  os << ", " << key << "=";
  bool first = true;
  for (unsigned q = 0; q < kNumQueues; ++q)
    if (mask & (1u << q)) {
      os << (first ? "" : "|") << getQueueName(static_cast<Queue>(q));
      first = false;
    }
}

void printName(llvm::raw_ostream &os, llvm::StringRef name) {
  os << '"';
  for (char c : name) {
    if (c == '"' || c == '\\')
      os << '\\' << c;
    else if (c < 0x20 || c >= 0x7f)
      os << "\\x" << llvm::format_hex_no_prefix(static_cast<uint8_t>(c), 2);
    else
      os << c;
  }
  os << '"';
}
} // namespace

std::string mlir::llm::npu::formatInstruction(const Instruction &inst) {
  std::string s;
  llvm::raw_string_ostream os(s);
  const MnemonicInfo *info = lookupMnemonic(inst);
  if (!info) {
    os << "<unknown opcode " << llvm::format_hex(uint64_t(inst.getOpcode()), 4)
       << ">";
    return s;
  }
  os << info->name;
  bool first = true;
  for (const OperandSpec &spec : info->operands) {
    uint64_t v = inst.get(spec.field);
    if (spec.kind == OperandKind::Flag && !v)
      continue;
    os << (first ? " " : ", ");
    first = false;
    switch (spec.kind) {
    case OperandKind::LocalAny:
    case OperandKind::LocalSP:
    case OperandKind::LocalAcc:
      printLocal(os, spec.kind, v);
      break;
    case OperandKind::Dram:
      os << "r" << v << "+" << llvm::format_hex(inst.get(spec.field2), 2);
      break;
    case OperandKind::Int:
      os << spec.key << "=" << v;
      break;
    case OperandKind::Enum:
      os << spec.key << "=" << spec.names[v];
      break;
    case OperandKind::Flag:
      os << spec.key;
      break;
    case OperandKind::Float:
      // NaN payloads survive only as bits.
      if (std::isnan(inst.getImm()))
        os << spec.key << "=bits(" << llvm::format_hex(v, 10) << ")";
      else
        os << spec.key << "=" << llvm::format("%.9g", inst.getImm());
      break;
    }
  }
  if (inst.getOpcode() != Opcode::Halt) {
    if (uint64_t wait = inst.get(Field::Wait))
      printMask(os, "wait", wait);
    if (uint64_t signal = inst.get(Field::Signal))
      printMask(os, "signal", signal);
  }
  // Without positional or keyed operands the first ", " must be a space.
  if (first && s.find(", ") != std::string::npos)
    s.replace(s.find(", "), 2, " ");
  return s;
}

std::string mlir::llm::npu::disassemble(const Program &program) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "# NPU program: " << program.instructions.size() << " instructions, "
     << program.arguments.size() << " arguments, data segment "
     << program.dataSize << " bytes (" << program.data.size()
     << " initialized)\n";
  for (const Argument &arg : program.arguments) {
    os << (arg.role == ArgRole::Input ? ".input r" : ".output r") << arg.reg
       << ", ";
    printName(os, arg.name);
    os << ", " << getArgTypeName(arg.type) << "[";
    for (size_t d = 0; d < arg.shape.size(); ++d)
      os << (d ? "x" : "") << arg.shape[d];
    os << "]\n";
  }
  if (program.dataSize) {
    os << ".data\n";
    for (size_t i = 0; i < program.data.size(); i += 16) {
      os << ".byte ";
      for (size_t j = i; j < std::min(i + 16, program.data.size()); ++j)
        os << (j > i ? ", " : "") << llvm::format_hex(program.data[j], 4);
      os << "\n";
    }
    if (program.dataSize > program.data.size())
      os << ".reserve " << (program.dataSize - program.data.size()) << "\n";
    os << ".text\n";
  }
  for (const Instruction &inst : program.instructions)
    os << formatInstruction(inst) << "\n";
  return s;
}
