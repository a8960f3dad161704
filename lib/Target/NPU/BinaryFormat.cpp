//===- BinaryFormat.cpp - NPU program binaries: write, read, verify ------===//
//
// The binary file format of docs/npu.md ("Binary format"): all integers
// little-endian.
//
//   header (64 bytes)
//     0  char[4] magic "LNPU"       4  u16 version (1)    6  u16 header size (64)
//     8  u32 instruction count     12  u32 argument count
//    16  u64 text offset           24  u64 argument-table offset
//    32  u64 data offset           40  u64 data bytes in the file
//    48  u64 data segment size     56  u64 reserved (0)
//   text: count x 16-byte instructions
//   argument table: count x 80-byte entries
//     0  u64 name offset   8  u32 name size   12  u8 role  13  u8 type
//    14  u8 rank          15  u8 register    16  u64 dims[8]
//   names, data (the initialized bytes of the data segment)
//
// The reader checks every offset and size against the file before using
// it, so a truncated or corrupted file is an error, never a crash.
//
//===----------------------------------------------------------------------===//

#include "llm/Target/NPU/Program.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace mlir::llm::npu;
using llvm::StringRef;

namespace {
const char kMagic[4] = {'L', 'N', 'P', 'U'};
constexpr uint16_t kVersion = 1;

const char *const kArgTypeNames[] = {"i8",  "ui8", "i16", "i32", "i64",
                                     "f16", "bf16", "f32", "f64", "i1"};
const unsigned kArgTypeSizes[] = {1, 1, 2, 4, 8, 2, 2, 4, 8, 1};

std::string hex(uint64_t v) {
  std::string s;
  llvm::raw_string_ostream(s) << llvm::format_hex(v, 2);
  return s;
}

template <typename T>
void put(std::string &out, T value) {
  char buf[sizeof(T)];
  llvm::support::endian::write<T, llvm::endianness::little>(buf, value);
  out.append(buf, sizeof(T));
}

template <typename T>
T get(StringRef bytes, uint64_t offset) {
  return llvm::support::endian::read<T, llvm::endianness::little>(
      bytes.data() + offset);
}

/// Whether [offset, offset + size) lies inside a file of `fileSize` bytes.
bool inFile(uint64_t offset, uint64_t size, uint64_t fileSize) {
  return offset <= fileSize && size <= fileSize - offset;
}
} // namespace

StringRef mlir::llm::npu::getArgTypeName(ArgType type) {
  return kArgTypeNames[static_cast<unsigned>(type)];
}

std::optional<ArgType> mlir::llm::npu::parseArgTypeName(StringRef name) {
  for (unsigned i = 0; i < kNumArgTypes; ++i)
    if (name == kArgTypeNames[i])
      return static_cast<ArgType>(i);
  return std::nullopt;
}

unsigned mlir::llm::npu::getArgTypeSize(ArgType type) {
  return kArgTypeSizes[static_cast<unsigned>(type)];
}

uint64_t Argument::getNumElements() const {
  uint64_t n = 1;
  for (int64_t d : shape)
    n *= static_cast<uint64_t>(d);
  return n;
}

uint64_t Argument::getByteSize() const {
  return getNumElements() * getArgTypeSize(type);
}

std::string Program::describeInstruction(size_t index) const {
  std::string s = "instruction #" + std::to_string(index);
  if (index < instructions.size())
    s += " (" + getMnemonic(instructions[index]).str() + ")";
  s += " at byte offset " + hex(getInstructionOffset(index));
  if (index < sourceLocations.size())
    s += " (" + sourceLocations[index] + ")";
  return s;
}

llvm::Error mlir::llm::npu::verifyProgram(const Program &program) {
  llvm::StringSet<> names;
  bool regUsed[kNumRegisters] = {};
  for (const Argument &arg : program.arguments) {
    if (arg.name.empty())
      return llvm::createStringError("an argument has an empty name");
    if (!names.insert(arg.name).second)
      return llvm::createStringError("two arguments are named '%s'",
                                     arg.name.c_str());
    if (arg.reg == 0 || arg.reg >= kNumRegisters)
      return llvm::createStringError(
          "argument '%s' is bound to r%u; arguments use r1..r15 (r0 is the "
          "data segment)",
          arg.name.c_str(), arg.reg);
    if (regUsed[arg.reg])
      return llvm::createStringError(
          "argument '%s' is bound to r%u, which another argument uses",
          arg.name.c_str(), arg.reg);
    regUsed[arg.reg] = true;
    if (arg.shape.size() > kMaxArgRank)
      return llvm::createStringError("argument '%s' has rank %zu (at most %u)",
                                     arg.name.c_str(), arg.shape.size(),
                                     kMaxArgRank);
    uint64_t bytes = getArgTypeSize(arg.type);
    for (int64_t d : arg.shape) {
      if (d < 0 || (d != 0 && bytes > kMaxSegmentBytes / uint64_t(d)))
        return llvm::createStringError(
            "argument '%s' has an invalid or too large shape",
            arg.name.c_str());
      bytes *= static_cast<uint64_t>(d);
    }
  }
  if (program.data.size() > program.dataSize ||
      program.dataSize > kMaxSegmentBytes)
    return llvm::createStringError(
        "data segment of %llu bytes with %zu initialized bytes is invalid",
        static_cast<unsigned long long>(program.dataSize), program.data.size());
  size_t numInsts = program.instructions.size();
  for (size_t i = 0; i < numInsts; ++i) {
    std::string error = validate(program.instructions[i]);
    if (!error.empty())
      return llvm::createStringError("%s: %s",
                                     program.describeInstruction(i).c_str(),
                                     error.c_str());
    if (program.instructions[i].getOpcode() == Opcode::Halt && i + 1 < numInsts)
      return llvm::createStringError(
          "%s is not the last instruction: the instructions after it would "
          "never run",
          program.describeInstruction(i).c_str());
  }
  if (numInsts == 0)
    return llvm::createStringError(
        "the program is empty: it must end with halt");
  if (program.instructions.back().getOpcode() != Opcode::Halt)
    return llvm::createStringError(
        "the program is not terminated: its last instruction, %s, is not halt",
        program.describeInstruction(numInsts - 1).c_str());
  return llvm::Error::success();
}

llvm::Expected<std::string> mlir::llm::npu::writeBinary(const Program &program) {
  uint64_t numInsts = program.instructions.size();
  uint64_t numArgs = program.arguments.size();
  uint64_t textOffset = kHeaderBytes;
  uint64_t argsOffset = textOffset + numInsts * kInstructionBytes;
  uint64_t namesOffset = argsOffset + numArgs * kArgEntryBytes;
  uint64_t namesSize = 0;
  for (const Argument &arg : program.arguments)
    namesSize += arg.name.size();
  uint64_t dataOffset = llvm::alignTo(namesOffset + namesSize, 64);

  std::string out;
  out.append(kMagic, 4);
  put<uint16_t>(out, kVersion);
  put<uint16_t>(out, kHeaderBytes);
  put<uint32_t>(out, static_cast<uint32_t>(numInsts));
  put<uint32_t>(out, static_cast<uint32_t>(numArgs));
  put<uint64_t>(out, textOffset);
  put<uint64_t>(out, argsOffset);
  put<uint64_t>(out, dataOffset);
  put<uint64_t>(out, program.data.size());
  put<uint64_t>(out, program.dataSize);
  put<uint64_t>(out, 0);
  for (size_t i = 0; i < numInsts; ++i) {
    uint8_t word[kInstructionBytes];
    if (llvm::Error err = encode(program.instructions[i], word))
      return llvm::createStringError(
          "instruction #%zu (%s): %s", i,
          getMnemonic(program.instructions[i]).str().c_str(),
          llvm::toString(std::move(err)).c_str());
    out.append(reinterpret_cast<const char *>(word), kInstructionBytes);
  }
  uint64_t nameOffset = namesOffset;
  for (const Argument &arg : program.arguments) {
    put<uint64_t>(out, nameOffset);
    put<uint32_t>(out, static_cast<uint32_t>(arg.name.size()));
    out.push_back(static_cast<char>(arg.role));
    out.push_back(static_cast<char>(arg.type));
    out.push_back(static_cast<char>(arg.shape.size()));
    out.push_back(static_cast<char>(arg.reg));
    for (unsigned d = 0; d < kMaxArgRank; ++d)
      put<uint64_t>(out, d < arg.shape.size() ? arg.shape[d] : 0);
    nameOffset += arg.name.size();
  }
  for (const Argument &arg : program.arguments)
    out += arg.name;
  out.resize(dataOffset, '\0');
  out.append(reinterpret_cast<const char *>(program.data.data()),
             program.data.size());
  return out;
}

llvm::Expected<Program> mlir::llm::npu::readBinary(StringRef bytes,
                                                   StringRef fileName) {
  auto fail = [&](uint64_t offset, const llvm::Twine &msg) {
    return llvm::createStringError(
        (fileName + ": byte offset " + hex(offset) + ": " + msg).str());
  };
  uint64_t size = bytes.size();
  if (size < kHeaderBytes)
    return fail(0, "file of " + llvm::Twine(size) +
                       " bytes is too short for the 64-byte header");
  if (std::memcmp(bytes.data(), kMagic, 4) != 0)
    return fail(0, "not an NPU binary (magic is not 'LNPU')");
  if (uint16_t version = get<uint16_t>(bytes, 4); version != kVersion)
    return fail(4, "unsupported version " + llvm::Twine(version) +
                       " (this reader supports 1)");
  if (get<uint16_t>(bytes, 6) != kHeaderBytes)
    return fail(6, "header size must be 64");
  if (get<uint64_t>(bytes, 56) != 0)
    return fail(56, "reserved header field is not zero");
  uint64_t numInsts = get<uint32_t>(bytes, 8);
  uint64_t numArgs = get<uint32_t>(bytes, 12);
  uint64_t textOffset = get<uint64_t>(bytes, 16);
  uint64_t argsOffset = get<uint64_t>(bytes, 24);
  uint64_t dataOffset = get<uint64_t>(bytes, 32);
  uint64_t dataFileSize = get<uint64_t>(bytes, 40);
  uint64_t dataSize = get<uint64_t>(bytes, 48);
  if (!inFile(textOffset, numInsts * kInstructionBytes, size))
    return fail(16, llvm::Twine(numInsts) + " instructions at offset " +
                        hex(textOffset) + " run past the end of the file (" +
                        llvm::Twine(size) + " bytes)");
  if (numArgs > kNumRegisters ||
      !inFile(argsOffset, numArgs * kArgEntryBytes, size))
    return fail(24, llvm::Twine(numArgs) + " arguments at offset " +
                        hex(argsOffset) + " run past the end of the file");
  if (!inFile(dataOffset, dataFileSize, size))
    return fail(32, "data segment (" + llvm::Twine(dataFileSize) +
                        " bytes at offset " + hex(dataOffset) +
                        ") runs past the end of the file");
  if (dataSize < dataFileSize || dataSize > kMaxSegmentBytes)
    return fail(48, "data segment size " + llvm::Twine(dataSize) +
                        " is smaller than its initialized part or too large");

  Program program;
  program.textOffset = textOffset;
  program.dataSize = dataSize;
  program.data.assign(bytes.begin() + dataOffset,
                      bytes.begin() + dataOffset + dataFileSize);
  for (uint64_t a = 0; a < numArgs; ++a) {
    uint64_t entry = argsOffset + a * kArgEntryBytes;
    Argument arg;
    uint64_t nameOffset = get<uint64_t>(bytes, entry);
    uint64_t nameSize = get<uint32_t>(bytes, entry + 8);
    if (!inFile(nameOffset, nameSize, size))
      return fail(entry, "argument " + llvm::Twine(a) +
                             ": name runs past the end of the file");
    arg.name = bytes.substr(nameOffset, nameSize).str();
    uint8_t role = bytes[entry + 12], type = bytes[entry + 13],
            rank = bytes[entry + 14], reg = bytes[entry + 15];
    if (role > 1)
      return fail(entry + 12, "argument " + llvm::Twine(a) + ": role " +
                                  llvm::Twine(role) + " is not 0 (input) or 1 (output)");
    if (type >= kNumArgTypes)
      return fail(entry + 13, "argument " + llvm::Twine(a) +
                                  ": unknown element type " + llvm::Twine(type));
    if (rank > kMaxArgRank)
      return fail(entry + 14, "argument " + llvm::Twine(a) + ": rank " +
                                  llvm::Twine(rank) + " exceeds 8");
    arg.role = static_cast<ArgRole>(role);
    arg.type = static_cast<ArgType>(type);
    arg.reg = reg;
    for (unsigned d = 0; d < rank; ++d) {
      uint64_t dim = get<uint64_t>(bytes, entry + 16 + 8 * d);
      if (dim > kMaxSegmentBytes)
        return fail(entry + 16 + 8 * d, "argument " + llvm::Twine(a) +
                                            ": dimension too large");
      arg.shape.push_back(static_cast<int64_t>(dim));
    }
    program.arguments.push_back(std::move(arg));
  }
  for (uint64_t i = 0; i < numInsts; ++i) {
    uint64_t offset = textOffset + i * kInstructionBytes;
    llvm::Expected<Instruction> inst = decode(
        reinterpret_cast<const uint8_t *>(bytes.data() + offset));
    if (!inst)
      return fail(offset, "instruction #" + llvm::Twine(i) + ": " +
                              llvm::toString(inst.takeError()));
    program.instructions.push_back(*inst);
  }
  if (llvm::Error err = verifyProgram(program))
    return llvm::createStringError(
        (fileName + ": " + llvm::toString(std::move(err))).str());
  return program;
}
