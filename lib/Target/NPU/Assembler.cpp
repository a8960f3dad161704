//===- Assembler.cpp - NPU assembly text -> program ----------------------===//
//
// Assembles the language of docs/npu.md ("Assembly language"). Two passes:
// the first handles directives (arguments, data, labels, .equ), the second
// the instructions, so instructions may name labels defined later. Operand
// syntax comes from the mnemonic table of ISA.cpp. Every error is reported
// through llvm::SourceMgr as FILE:LINE:COL with the line and a caret, and
// assembly goes on to report further errors (up to 20).
//
//===----------------------------------------------------------------------===//

#include "llm/Target/NPU/Assembler.h"
#include "llm/Target/NPU/Numerics.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <bitset>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

using namespace mlir::llm::npu;
using llvm::StringRef;
using llvm::Twine;

namespace {
constexpr unsigned kMaxErrors = 20;

/// Splits `s` at commas that are not inside quotes or brackets; each piece
/// is trimmed (and keeps pointing into the source, for columns).
llvm::SmallVector<StringRef> splitOperands(StringRef s) {
  llvm::SmallVector<StringRef> out;
  s = s.trim();
  if (s.empty())
    return out;
  bool inQuote = false;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (inQuote) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        inQuote = false;
    } else if (c == '"') {
      inQuote = true;
    } else if (c == '[') {
      ++depth;
    } else if (c == ']') {
      --depth;
    } else if (c == ',' && depth == 0) {
      out.push_back(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push_back(s.substr(start).trim());
  return out;
}

/// Removes a `#` or `;` comment (outside quotes).
StringRef stripComment(StringRef line) {
  bool inQuote = false;
  for (size_t i = 0; i < line.size(); ++i) {
    if (inQuote) {
      if (line[i] == '\\')
        ++i;
      else if (line[i] == '"')
        inQuote = false;
    } else if (line[i] == '"') {
      inQuote = true;
    } else if (line[i] == '#' || line[i] == ';') {
      return line.take_front(i);
    }
  }
  return line;
}

bool isIdentStart(char c) { return std::isalpha(c) || c == '_' || c == '.'; }
bool isIdentChar(char c) { return std::isalnum(c) || c == '_' || c == '.'; }

unsigned fieldWidth(Opcode op, Field f) {
  for (const FieldLayout &l : getFormat(static_cast<uint8_t>(op)))
    if (l.field == f)
      return l.width;
  return 0;
}

class Assembler {
public:
  Assembler(StringRef text, StringRef bufferName,
            const AssemblerOptions &options)
      : options(options), diagStream(diagnostics) {
    sourceMgr.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBuffer(text, bufferName, false),
        llvm::SMLoc());
    buffer = text;
  }

  llvm::Expected<Program> run();

private:
  void error(const char *loc, const Twine &msg) {
    if (numErrors++ < kMaxErrors)
      sourceMgr.PrintMessage(diagStream, llvm::SMLoc::getFromPointer(loc),
                             llvm::SourceMgr::DK_Error, msg);
  }

  bool parseInt(StringRef s, int64_t &value);
  bool evalExpr(StringRef s, int64_t &value);
  bool parseQuoted(StringRef s, std::string &out);

  void directive(StringRef name, StringRef rest);
  void argument(StringRef name, StringRef rest);
  void dataValues(StringRef name, StringRef rest);
  void instruction(StringRef word, StringRef rest);
  bool operand(const OperandSpec &spec, StringRef text, Instruction &inst);
  void applyDefaults(Instruction &inst, const std::bitset<kNumFields> &present,
                     const MnemonicInfo &info, const char *loc);

  AssemblerOptions options;
  llvm::SourceMgr sourceMgr;
  StringRef buffer;
  std::string diagnostics;
  llvm::raw_string_ostream diagStream;
  unsigned numErrors = 0;

  Program program;
  llvm::StringMap<int64_t> symbols;
  bool inData = false;
  bool reserved = false;
  /// (mnemonic, operands) of each instruction line, for the second pass.
  std::vector<std::pair<StringRef, StringRef>> textLines;
};

bool Assembler::parseInt(StringRef s, int64_t &value) {
  bool neg = s.consume_front("-");
  uint64_t v;
  bool bad = (s.starts_with_insensitive("0x") || s.starts_with_insensitive("0b"))
                 ? s.getAsInteger(0, v)
                 : s.getAsInteger(10, v);
  if (bad || s.empty() || v > (uint64_t(1) << 62))
    return false;
  value = neg ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
  return true;
}

/// Terms joined with + and -; a term is NUMBER | SYMBOL, or a product of them.
bool Assembler::evalExpr(StringRef s, int64_t &value) {
  value = 0;
  s = s.trim();
  if (s.empty()) {
    error(s.data(), "expected an expression");
    return false;
  }
  int sign = 1;
  while (!s.empty()) {
    size_t end = 1;
    while (end < s.size() && s[end] != '+' && s[end] != '-')
      ++end;
    StringRef term = s.take_front(end).trim();
    s = s.drop_front(end);
    // A term is a product of factors.
    int64_t v = 1;
    llvm::SmallVector<StringRef> factors;
    term.split(factors, '*');
    for (StringRef factor : factors) {
      factor = factor.trim();
      int64_t f;
      if (!factor.empty() && isIdentStart(factor[0])) {
        auto it = symbols.find(factor);
        if (it == symbols.end()) {
          error(factor.data(), "unknown symbol '" + factor + "'");
          return false;
        }
        f = it->second;
      } else if (!parseInt(factor, f)) {
        error(factor.data(),
              "expected a number or a symbol, found '" + factor + "'");
        return false;
      }
      if (f != 0 && (v > (int64_t(1) << 62) / std::abs(f))) {
        error(factor.data(), "value too large");
        return false;
      }
      v *= f;
    }
    value += sign * v;
    if (!s.empty()) {
      sign = s[0] == '-' ? -1 : 1;
      s = s.drop_front(1);
      if (s.trim().empty()) {
        error(s.data(), "expected a term after '+' or '-'");
        return false;
      }
    }
  }
  return true;
}

bool Assembler::parseQuoted(StringRef s, std::string &out) {
  if (s.size() < 2 || s.front() != '"' || s.back() != '"') {
    error(s.data(), "expected a string in double quotes");
    return false;
  }
  out.clear();
  for (size_t i = 1; i + 1 < s.size(); ++i) {
    char c = s[i];
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (i + 2 >= s.size()) {
      error(s.data() + i, "unfinished escape sequence");
      return false;
    }
    char e = s[++i];
    if (e == 'x' && i + 3 < s.size()) {
      unsigned v;
      if (s.substr(i + 1, 2).getAsInteger(16, v)) {
        error(s.data() + i, "expected two hex digits after \\x");
        return false;
      }
      out.push_back(static_cast<char>(v));
      i += 2;
    } else if (e == '"' || e == '\\') {
      out.push_back(e);
    } else {
      error(s.data() + i - 1, "unknown escape sequence");
      return false;
    }
  }
  return true;
}

void Assembler::argument(StringRef name, StringRef rest) {
  llvm::SmallVector<StringRef> ops = splitOperands(rest);
  if (ops.size() != 3) {
    error(name.data(), name + " takes 3 operands: rN, \"name\", TYPE[DIMS]");
    return;
  }
  Argument arg;
  arg.role = name == ".input" ? ArgRole::Input : ArgRole::Output;
  unsigned reg;
  if (!ops[0].starts_with("r") || ops[0].drop_front().getAsInteger(10, reg) ||
      reg == 0 || reg >= kNumRegisters) {
    error(ops[0].data(), "expected a register r1..r15 (r0 is the data segment)");
    return;
  }
  arg.reg = reg;
  if (!parseQuoted(ops[1], arg.name))
    return;
  StringRef typeText = ops[2];
  size_t open = typeText.find('[');
  if (open == StringRef::npos || !typeText.ends_with("]")) {
    error(typeText.data(), "expected TYPE[DIMS], e.g. f32[4x16] or i32[]");
    return;
  }
  std::optional<ArgType> type = parseArgTypeName(typeText.take_front(open));
  if (!type) {
    error(typeText.data(), "unknown element type '" + typeText.take_front(open) +
                               "' (i8, ui8, i16, i32, i64, f16, bf16, f32, f64, i1)");
    return;
  }
  arg.type = *type;
  StringRef dims = typeText.slice(open + 1, typeText.size() - 1);
  if (!dims.empty()) {
    llvm::SmallVector<StringRef> parts;
    dims.split(parts, 'x');
    for (StringRef d : parts) {
      int64_t v;
      if (!parseInt(d.trim(), v) || v < 0) {
        error(d.data(), "expected a dimension (a non-negative integer)");
        return;
      }
      arg.shape.push_back(v);
    }
  }
  for (const Argument &other : program.arguments) {
    if (other.reg == arg.reg) {
      error(ops[0].data(), "r" + Twine(reg) + " is already bound to '" +
                               other.name + "'");
      return;
    }
    if (other.name == arg.name) {
      error(ops[1].data(), "argument '" + arg.name + "' is declared twice");
      return;
    }
  }
  program.arguments.push_back(std::move(arg));
}

void Assembler::dataValues(StringRef name, StringRef rest) {
  if (reserved) {
    error(name.data(), "initialized data after .reserve (.reserve must come last)");
    return;
  }
  std::vector<uint8_t> &data = program.data;
  if (name == ".incbin") {
    std::string path;
    if (!parseQuoted(rest.trim(), path))
      return;
    llvm::SmallString<256> full(path);
    if (!llvm::sys::path::is_absolute(full) && !options.includeDir.empty()) {
      full = options.includeDir;
      llvm::sys::path::append(full, path);
    }
    auto file = llvm::MemoryBuffer::getFile(full, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
    if (!file) {
      error(rest.trim().data(),
            "cannot read '" + full + "': " + file.getError().message());
      return;
    }
    StringRef bytes = (*file)->getBuffer();
    data.insert(data.end(), bytes.begin(), bytes.end());
    return;
  }
  llvm::SmallVector<StringRef> ops = splitOperands(rest);
  if (ops.empty()) {
    error(name.data(), name + " needs at least one value");
    return;
  }
  if (name == ".align" || name == ".zero" || name == ".reserve") {
    int64_t n;
    if (ops.size() != 1 || !evalExpr(ops[0], n))
      return;
    if (n < 0 || n > int64_t(1) << 32) {
      error(ops[0].data(), name + " needs a size between 0 and 2^32");
      return;
    }
    if (name == ".align") {
      if (n == 0 || (n & (n - 1))) {
        error(ops[0].data(), ".align needs a power of two");
        return;
      }
      data.resize(llvm::alignTo(data.size(), n), 0);
    } else if (name == ".zero") {
      data.resize(data.size() + n, 0);
    } else {
      program.dataSize = data.size() + n;
      reserved = true;
    }
    return;
  }
  bool isFloat = name == ".f32" || name == ".bf16";
  unsigned size = name == ".byte" || name == ".i8"   ? 1
                  : name == ".i16" || name == ".bf16" ? 2
                                                      : 4;
  for (StringRef op : ops) {
    uint64_t bits;
    if (isFloat) {
      std::string s = op.str();
      char *end = nullptr;
      errno = 0;
      float f = std::strtof(s.c_str(), &end);
      if (s.empty() || *end != '\0') {
        error(op.data(), "expected a floating-point number, found '" + op + "'");
        return;
      }
      if (size == 2) {
        bits = floatToBF16(f);
      } else {
        uint32_t b;
        std::memcpy(&b, &f, 4);
        bits = b;
      }
    } else {
      int64_t v;
      if (!evalExpr(op, v))
        return;
      int64_t lo = -(int64_t(1) << (8 * size - 1));
      int64_t hi = (int64_t(1) << (8 * size)) - 1;
      if (v < lo || v > hi) {
        error(op.data(), Twine(v) + " does not fit in " + Twine(size) +
                             (size == 1 ? " byte" : " bytes"));
        return;
      }
      bits = static_cast<uint64_t>(v);
    }
    for (unsigned i = 0; i < size; ++i)
      data.push_back(static_cast<uint8_t>(bits >> (8 * i)));
  }
}

void Assembler::directive(StringRef name, StringRef rest) {
  if (name == ".text" || name == ".data") {
    if (!rest.trim().empty())
      error(rest.trim().data(), name + " takes no operands");
    inData = name == ".data";
    return;
  }
  if (name == ".input" || name == ".output")
    return argument(name, rest);
  if (name == ".equ") {
    llvm::SmallVector<StringRef> ops = splitOperands(rest);
    int64_t v;
    if (ops.size() != 2 || ops[0].empty() || !isIdentStart(ops[0][0])) {
      error(name.data(), ".equ takes a name and a value: .equ NAME, VALUE");
      return;
    }
    if (!evalExpr(ops[1], v))
      return;
    if (!symbols.insert({ops[0], v}).second)
      error(ops[0].data(), "symbol '" + ops[0] + "' is already defined");
    return;
  }
  static const char *const dataDirectives[] = {
      ".byte", ".i8", ".i16", ".i32", ".f32", ".bf16",
      ".zero", ".align", ".reserve", ".incbin"};
  for (const char *d : dataDirectives)
    if (name == d) {
      if (!inData) {
        error(name.data(), name + " belongs in the .data section");
        return;
      }
      return dataValues(name, rest);
    }
  error(name.data(), "unknown directive '" + name + "'");
}

bool Assembler::operand(const OperandSpec &spec, StringRef text,
                        Instruction &inst) {
  Opcode op = inst.getOpcode();
  auto checkWidth = [&](Field f, int64_t v, const char *loc) {
    unsigned width = fieldWidth(op, f);
    if (v < 0 || (width < 64 && static_cast<uint64_t>(v) >> width)) {
      error(loc, getFieldName(f) + " " + Twine(v) + " does not fit its " +
                     Twine(width) + "-bit field (0.." +
                     Twine((uint64_t(1) << width) - 1) + ")");
      return false;
    }
    inst.set(f, static_cast<uint64_t>(v));
    return true;
  };
  switch (spec.kind) {
  case OperandKind::LocalAny:
  case OperandKind::LocalSP:
  case OperandKind::LocalAcc: {
    bool isAcc = text.starts_with("acc");
    if (!isAcc && !text.starts_with("sp")) {
      error(text.data(), "expected a local address sp+OFFSET or acc+OFFSET, "
                         "found '" + text + "'");
      return false;
    }
    StringRef rest = text.drop_front(isAcc ? 3 : 2).trim();
    int64_t off = 0;
    if (!rest.empty()) {
      if (!rest.consume_front("+")) {
        error(rest.data(), "expected '+' after the memory name");
        return false;
      }
      if (!evalExpr(rest, off))
        return false;
    }
    if (spec.kind == OperandKind::LocalSP && isAcc) {
      error(text.data(), "this operand must be in the scratchpad (sp+OFFSET)");
      return false;
    }
    if (spec.kind == OperandKind::LocalAcc && !isAcc) {
      error(text.data(), "this operand must be in the accumulator (acc+OFFSET)");
      return false;
    }
    uint64_t size = isAcc ? kAccumulatorBytes : kScratchpadBytes;
    if (off < 0 || static_cast<uint64_t>(off) >= size) {
      error(text.data(), "offset " + Twine(off) + " is outside the " +
                             (isAcc ? "accumulator (64 KiB)" : "scratchpad (256 KiB)"));
      return false;
    }
    if (spec.kind == OperandKind::LocalAny && isAcc)
      off += kAccumulatorBase;
    return checkWidth(spec.field, off, text.data());
  }
  case OperandKind::Dram: {
    size_t plus = text.find('+');
    StringRef reg = text.take_front(plus).trim();
    unsigned r;
    if (!reg.starts_with("r") || reg.drop_front().getAsInteger(10, r) ||
        r >= kNumRegisters) {
      error(text.data(), "expected a DRAM address rN+OFFSET (r0..r15), found '" +
                             text + "'");
      return false;
    }
    int64_t off = 0;
    if (plus != StringRef::npos && !evalExpr(text.substr(plus + 1), off))
      return false;
    inst.set(spec.field, r);
    return checkWidth(spec.field2, off, text.data());
  }
  case OperandKind::Int: {
    int64_t v;
    return evalExpr(text, v) && checkWidth(spec.field, v, text.data());
  }
  case OperandKind::Enum:
    for (unsigned i = 0; spec.names[i]; ++i)
      if (text == spec.names[i]) {
        inst.set(spec.field, i);
        return true;
      }
    {
      std::string expected;
      for (unsigned i = 0; spec.names[i]; ++i)
        expected += (i ? ", " : "") + std::string(spec.names[i]);
      error(text.data(), "unknown value '" + text + "' for " + spec.key +
                             "= (expected " + expected + ")");
    }
    return false;
  case OperandKind::Float: {
    if (text.consume_front("bits(") && text.consume_back(")")) {
      int64_t bits;
      if (!parseInt(text, bits) || bits < 0 || bits > 0xffffffffll) {
        error(text.data(), "expected bits(0xXXXXXXXX), a 32-bit f32 pattern");
        return false;
      }
      inst.set(spec.field, static_cast<uint64_t>(bits));
      return true;
    }
    std::string s = text.str();
    char *end = nullptr;
    float f = std::strtof(s.c_str(), &end);
    if (s.empty() || *end != '\0') {
      error(text.data(), "expected a floating-point number, found '" + text + "'");
      return false;
    }
    inst.setImm(f);
    return true;
  }
  case OperandKind::Flag:
    inst.set(spec.field, 1);
    return true;
  }
  return false;
}

void Assembler::applyDefaults(Instruction &inst,
                              const std::bitset<kNumFields> &present,
                              const MnemonicInfo &info, const char *loc) {
  auto has = [&](Field f) { return present[static_cast<unsigned>(f)]; };
  auto setDefault = [&](Field f, uint64_t v) {
    if (!has(f) && fieldWidth(inst.getOpcode(), f) &&
        (v >> fieldWidth(inst.getOpcode(), f)) == 0)
      inst.set(f, v);
  };
  Opcode op = inst.getOpcode();
  uint64_t cols = inst.get(Field::Cols);
  switch (op) {
  case Opcode::DmaLoad:
  case Opcode::DmaStore:
    setDefault(Field::LocalStride, inst.get(Field::RowBytes));
    setDefault(Field::DramStride, inst.get(Field::RowBytes));
    break;
  case Opcode::Matmul:
    setDefault(Field::AStride,
               inst.get(Field::K) * (inst.get(Field::MatType) ? 2 : 1));
    setDefault(Field::CStride, inst.get(Field::N) * 4);
    break;
  case Opcode::VConvert:
    setDefault(Field::DstStride,
               cols * getElemTypeSize(ElemType(inst.get(Field::DstType))));
    setDefault(Field::Stride,
               cols * getElemTypeSize(ElemType(inst.get(Field::SrcType))));
    break;
  case Opcode::VUnary:
  case Opcode::VBinary:
  case Opcode::VReduce:
  case Opcode::VFill:
    setDefault(Field::Stride, cols * 4);
    break;
  default:
    break;
  }
  static const Field optional[] = {Field::LocalStride, Field::DramStride,
                                   Field::AStride,     Field::CStride,
                                   Field::DstStride,   Field::Stride,
                                   Field::BMode};
  for (const OperandSpec &spec : info.operands) {
    if (!spec.key || spec.kind == OperandKind::Flag || has(spec.field))
      continue;
    if (std::find(std::begin(optional), std::end(optional), spec.field) !=
        std::end(optional))
      continue;
    error(loc, Twine(info.name) + " needs " + spec.key + "=");
  }
}

void Assembler::instruction(StringRef word, StringRef rest) {
  const MnemonicInfo *info = lookupMnemonic(word);
  if (!info) {
    error(word.data(), "unknown instruction '" + word + "'");
    return;
  }
  Instruction inst(info->opcode);
  if (info->hasFixed)
    inst.set(info->fixedField, info->fixedValue);
  llvm::SmallVector<StringRef> ops = splitOperands(rest);
  std::bitset<kNumFields> present;
  unsigned numPositional = 0;
  for (const OperandSpec &spec : info->operands)
    if (!spec.key)
      ++numPositional;
  unsigned errorsBefore = numErrors;
  size_t next = 0;
  for (const OperandSpec &spec : info->operands) {
    if (spec.key)
      continue;
    if (next >= ops.size() || ops[next].contains('=')) {
      error(next < ops.size() ? ops[next].data() : word.data() + word.size(),
            Twine(info->name) + " takes " + Twine(numPositional) +
                " address operands before its key=value operands");
      return;
    }
    if (!operand(spec, ops[next++], inst))
      return;
  }
  bool hasDeps = fieldWidth(info->opcode, Field::Wait) != 0;
  for (; next < ops.size(); ++next) {
    StringRef text = ops[next];
    auto [key, value] = text.split('=');
    key = key.trim();
    value = value.trim();
    if (key == "wait" || key == "signal") {
      if (!hasDeps) {
        error(text.data(), Twine(info->name) + " takes no dependency tokens");
        continue;
      }
      Field f = key == "wait" ? Field::Wait : Field::Signal;
      if (present[static_cast<unsigned>(f)]) {
        error(text.data(), key + "= is given twice");
        continue;
      }
      present.set(static_cast<unsigned>(f));
      uint64_t mask = 0;
      llvm::SmallVector<StringRef> queues;
      value.split(queues, '|');
      for (StringRef q : queues) {
        q = q.trim();
        int bit = q == "ld" ? 0 : q == "cp" ? 1 : q == "st" ? 2 : -1;
        if (bit < 0) {
          error(q.data(), "unknown queue '" + q + "' (expected ld, cp or st)");
          continue;
        }
        mask |= 1u << bit;
      }
      inst.set(f, mask);
      continue;
    }
    const OperandSpec *spec = nullptr;
    for (const OperandSpec &s : info->operands)
      if (s.key && key == s.key)
        spec = &s;
    if (!spec) {
      std::string expected;
      for (const OperandSpec &s : info->operands)
        if (s.key)
          expected += std::string(expected.empty() ? "" : ", ") + s.key +
                      (s.kind == OperandKind::Flag ? "" : "=");
      if (hasDeps)
        expected += std::string(expected.empty() ? "" : ", ") + "wait=, signal=";
      std::string msg = "unknown operand '" + key.str() + "' for " + info->name;
      if (!expected.empty())
        msg += " (expected " + expected + ")";
      error(text.data(), msg);
      continue;
    }
    if (present[static_cast<unsigned>(spec->field)]) {
      error(text.data(), key + " is given twice");
      continue;
    }
    present.set(static_cast<unsigned>(spec->field));
    if (spec->kind == OperandKind::Flag) {
      if (!value.empty() || text.contains('='))
        error(text.data(), Twine("'") + spec->key + "' is a flag and takes no value");
      else
        operand(*spec, text, inst);
      continue;
    }
    if (!text.contains('=') || value.empty()) {
      error(text.data(), Twine("expected ") + spec->key + "=VALUE");
      continue;
    }
    operand(*spec, value, inst);
  }
  if (numErrors != errorsBefore)
    return;
  applyDefaults(inst, present, *info, word.data());
  if (numErrors != errorsBefore)
    return;
  if (options.verify) {
    std::string problem = validate(inst);
    if (!problem.empty()) {
      error(word.data(), "invalid " + Twine(info->name) + ": " + problem);
      return;
    }
  }
  program.instructions.push_back(inst);
  auto [line, column] =
      sourceMgr.getLineAndColumn(llvm::SMLoc::getFromPointer(word.data()));
  (void)column;
  program.sourceLocations.push_back(
      (sourceMgr.getMemoryBuffer(1)->getBufferIdentifier() + ":" +
       Twine(line))
          .str());
}

llvm::Expected<Program> Assembler::run() {
  // Pass 1: directives, labels, arguments, data.
  StringRef rest = buffer;
  while (!rest.empty()) {
    auto [line, tail] = rest.split('\n');
    rest = tail;
    line = stripComment(line).trim();
    if (line.empty())
      continue;
    // A label: IDENT ':'
    size_t i = 0;
    while (i < line.size() && isIdentChar(line[i]))
      ++i;
    if (i > 0 && i < line.size() && line[i] == ':' && isIdentStart(line[0]) &&
        line[0] != '.') {
      StringRef label = line.take_front(i);
      if (!inData)
        error(label.data(), "labels name data-segment offsets; define '" +
                                label + "' in the .data section");
      else if (!symbols.insert({label, int64_t(program.data.size())}).second)
        error(label.data(), "symbol '" + label + "' is already defined");
      line = line.drop_front(i + 1).trim();
      if (line.empty())
        continue;
    }
    size_t space = line.find_first_of(" \t");
    StringRef word = line.take_front(space);
    StringRef operands = space == StringRef::npos ? StringRef(line.end(), 0)
                                                  : line.drop_front(space);
    if (word.starts_with(".")) {
      directive(word, operands);
    } else if (inData) {
      error(word.data(), "instructions belong in the .text section");
    } else {
      textLines.push_back({word, operands});
    }
  }
  if (!reserved)
    program.dataSize = program.data.size();
  // Pass 2: instructions (labels are all known now).
  for (auto [word, operands] : textLines)
    instruction(word, operands);
  if (numErrors == 0 && options.verify) {
    if (llvm::Error err = verifyProgram(program))
      error(buffer.data() + buffer.size(), llvm::toString(std::move(err)));
  }
  if (numErrors) {
    if (numErrors > kMaxErrors)
      diagStream << (numErrors - kMaxErrors) << " more errors not shown\n";
    return llvm::createStringError(diagnostics);
  }
  return std::move(program);
}
} // namespace

llvm::Expected<Program> mlir::llm::npu::assemble(StringRef text,
                                                 StringRef bufferName,
                                                 const AssemblerOptions &options) {
  return Assembler(text, bufferName, options).run();
}
