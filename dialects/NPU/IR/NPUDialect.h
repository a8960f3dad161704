//===- NPUDialect.h - the npu dialect ----------------------------*- C++ -*-===//
//
// The `npu` dialect (NPUBase.td): its attributes and ops, plus the bridge to
// lib/Target/NPU: encoding an instruction-level op as an npu::Instruction
// (the verifiers use it to run the ISA's validate()) and exporting a whole
// `npu.program` as an npu::Program (assembler text, binary, simulator).
//
//===----------------------------------------------------------------------===//

#ifndef LLM_DIALECTS_NPU_IR_NPUDIALECT_H
#define LLM_DIALECTS_NPU_IR_NPUDIALECT_H

#include "llm/Target/NPU/Program.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"

#include <optional>
#include <string>

#include "NPU/IR/NPUDialect.h.inc"

#define GET_ATTRDEF_CLASSES
#include "NPU/IR/NPUAttrs.h.inc"

#define GET_OP_CLASSES
#include "NPU/IR/NPUOps.h.inc"

namespace mlir {
namespace llm {
namespace npu_ir {

/// Whether npu.gemm streams A in K panels from a bf16 copy in DRAM: when a
/// block of min(rows, 64, tile_m) rows of A with `paddedK` bf16 columns
/// does not fit the half of the scratchpad the A block may use.
bool needsStreamedA(int64_t rows, int64_t paddedK, int64_t tileM,
                    int64_t tileN);

/// Whether `op` is an instruction-level op (exports to one instruction).
bool isInstructionOp(Operation *op);
/// Whether `op` is a tile-level op (npu.gemm, npu.eltwise, ...).
bool isTileOp(Operation *op);

/// Encodes an instruction-level op. On failure returns nullopt and sets
/// `error` to what is wrong (an unknown function name, a value that does not
/// fit its field).
std::optional<npu::Instruction> encodeInstruction(Operation *op,
                                                  std::string &error);

/// Sets the dependency-token masks of an instruction-level op.
void setTokens(Operation *op, unsigned wait, unsigned signal);

/// The program as lib/Target/NPU represents it: arguments, data segment and
/// instructions (tile-level ops must have been lowered). Errors are emitted
/// at the offending op.
FailureOr<npu::Program> exportProgram(ProgramOp program);

} // namespace npu_ir
} // namespace llm
} // namespace mlir

#endif // LLM_DIALECTS_NPU_IR_NPUDIALECT_H
