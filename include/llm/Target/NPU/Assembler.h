//===- Assembler.h - NPU assembly text <-> programs -------------*- C++ -*-===//
//
// The NPU assembly language (docs/npu.md, "Assembly language"): one
// instruction or directive per line, `#` or `;` comments, `.input` /
// `.output` argument declarations, a `.data` section with labels and
// `.equ` constants, and a `.text` section of instructions written as
//
//   dma.load sp+0x400, r1+0x40, rows=16, bytes=16, lstride=16, dstride=64, signal=cp
//
// The assembler reports every error as FILE:LINE:COL with the line and a
// caret; the disassembler prints the canonical text, which assembles back
// to the identical binary.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_TARGET_NPU_ASSEMBLER_H
#define LLM_TARGET_NPU_ASSEMBLER_H

#include "llm/Target/NPU/Program.h"

#include <string>

namespace mlir {
namespace llm {
namespace npu {

struct AssemblerOptions {
  /// Run validate() on each instruction (off only to build invalid programs
  /// for testing the simulator's run-time checks).
  bool verify = true;
  /// Directory `.incbin` paths are relative to.
  std::string includeDir;
};

/// Assembles `text`; diagnostics name `bufferName`. On failure the error
/// holds every diagnostic (up to 20), each with its line and caret.
llvm::Expected<Program> assemble(llvm::StringRef text,
                                 llvm::StringRef bufferName,
                                 const AssemblerOptions &options = {});

/// One instruction in canonical syntax ("vexp sp+0x0, sp+0x0, rows=1, ...").
std::string formatInstruction(const Instruction &inst);

/// The whole program in canonical syntax (arguments, data, text).
std::string disassemble(const Program &program);

} // namespace npu
} // namespace llm
} // namespace mlir

#endif // LLM_TARGET_NPU_ASSEMBLER_H
