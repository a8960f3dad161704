//===- Program.h - an NPU program and its binary file format ----*- C++ -*-===//
//
// An NPU program: its instructions, its arguments (the tensors the host
// passes, each bound to a DRAM base register r1..r15) and its data segment
// (constant weights plus zero-filled scratch, bound to r0). The binary file
// format (docs/npu.md, "Binary format") is a 64-byte header, the 16-byte
// instructions, the argument table, the argument names and the initialized
// part of the data segment.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_TARGET_NPU_PROGRAM_H
#define LLM_TARGET_NPU_PROGRAM_H

#include "llm/Target/NPU/ISA.h"

#include <string>
#include <vector>

namespace mlir {
namespace llm {
namespace npu {

constexpr unsigned kHeaderBytes = 64;
constexpr unsigned kArgEntryBytes = 80;
constexpr unsigned kMaxArgRank = 8;
/// Largest data segment or argument a binary may declare (1 TiB; the
/// simulator has its own, smaller limit).
constexpr uint64_t kMaxSegmentBytes = uint64_t(1) << 40;

enum class ArgRole : uint8_t { Input = 0, Output = 1 };

/// Element types of arguments (what the host reads and writes; the NPU
/// itself only computes on i8, i32, bf16 and f32).
enum class ArgType : uint8_t { I8, U8, I16, I32, I64, F16, BF16, F32, F64, I1 };
constexpr unsigned kNumArgTypes = 10;
/// "i8", "ui8", "i16", "i32", "i64", "f16", "bf16", "f32", "f64", "i1" (the
/// runtime's spellings, llm::getDTypeName).
llvm::StringRef getArgTypeName(ArgType type);
std::optional<ArgType> parseArgTypeName(llvm::StringRef name);
unsigned getArgTypeSize(ArgType type);

/// A tensor the host passes in or receives: bound to DRAM register `reg`.
struct Argument {
  std::string name;
  ArgRole role = ArgRole::Input;
  ArgType type = ArgType::F32;
  std::vector<int64_t> shape;
  unsigned reg = 1;
  uint64_t getNumElements() const;
  uint64_t getByteSize() const;
};

struct Program {
  std::vector<Instruction> instructions;
  std::vector<Argument> arguments;
  /// The initialized bytes of the data segment (constants); the rest, up to
  /// dataSize, is zero-filled.
  std::vector<uint8_t> data;
  uint64_t dataSize = 0;
  /// File offset of the first instruction (for diagnostics naming byte
  /// offsets); kHeaderBytes for programs not read from a file.
  uint64_t textOffset = kHeaderBytes;
  /// "FILE:LINE" of each instruction when the program was assembled from
  /// text (binaries do not store it); diagnostics name it.
  std::vector<std::string> sourceLocations;

  uint64_t getInstructionOffset(size_t index) const {
    return textOffset + kInstructionBytes * index;
  }
  /// "instruction #3 (dma.load) at byte offset 0x70", followed by
  /// " (prog.s:12)" for an assembled program.
  std::string describeInstruction(size_t index) const;
};

/// Checks what a binary reader would: arguments (names, registers 1..15
/// unique, ranks, sizes), every instruction valid (validate()), and that the
/// program ends with halt. Errors name the instruction and its byte offset.
llvm::Error verifyProgram(const Program &program);

/// Serializes a program as a binary image (fails if an instruction's field
/// does not fit).
llvm::Expected<std::string> writeBinary(const Program &program);

/// Parses a binary image and verifies it (verifyProgram); errors name
/// `fileName` and the byte offset.
llvm::Expected<Program> readBinary(llvm::StringRef bytes,
                                   llvm::StringRef fileName);

} // namespace npu
} // namespace llm
} // namespace mlir

#endif // LLM_TARGET_NPU_PROGRAM_H
