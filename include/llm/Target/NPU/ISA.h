//===- ISA.h - the NPU instruction set ---------------------------*- C++ -*-===//
//
// The instruction set of the NPU (docs/npu.md): architecture parameters, the
// instruction word (128 bits, little-endian, fixed width), its fields and
// their bit positions, and encoding/decoding/validation of single
// instructions.
//
// The encodings are defined once, in the tables of ISA.cpp: which fields each
// opcode has and where they sit, and which mnemonics (with their operand
// syntax) map onto each opcode. The encoder, decoder, assembler and
// disassembler all read those tables, so the two directions cannot disagree.
//
// No MLIR dependency: the library links LLVM Support only.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_TARGET_NPU_ISA_H
#define LLM_TARGET_NPU_ISA_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace mlir {
namespace llm {
namespace npu {

//===----------------------------------------------------------------------===//
// Architecture parameters (docs/npu.md, "Parameters")
//===----------------------------------------------------------------------===//

/// The systolic array is kArrayDim x kArrayDim processing elements.
constexpr unsigned kArrayDim = 16;
/// Lanes of the f32 vector unit.
constexpr unsigned kVectorLanes = 16;
/// Scratchpad: local addresses [0, kScratchpadBytes).
constexpr uint32_t kScratchpadBytes = 256 * 1024;
/// Accumulator: local addresses [kAccumulatorBase, kLocalEnd).
constexpr uint32_t kAccumulatorBase = 0x40000;
constexpr uint32_t kAccumulatorBytes = 64 * 1024;
constexpr uint32_t kLocalEnd = kAccumulatorBase + kAccumulatorBytes;
/// DRAM base-address registers r0..r15.
constexpr unsigned kNumRegisters = 16;
/// Every instruction is 16 bytes.
constexpr unsigned kInstructionBytes = 16;

/// The three instruction queues. Dependency-token masks use bit (1 << queue).
enum class Queue : uint8_t { Load = 0, Compute = 1, Store = 2 };
constexpr unsigned kNumQueues = 3;
/// "ld", "cp", "st".
llvm::StringRef getQueueName(Queue queue);

enum class Opcode : uint8_t {
  Halt = 0x01,
  Sync = 0x02,
  DmaLoad = 0x10,
  DmaStore = 0x11,
  DmaGather = 0x12,
  Matmul = 0x20,
  VUnary = 0x30,
  VBinary = 0x31,
  VReduce = 0x32,
  VConvert = 0x33,
  VFill = 0x34,
};

/// Element types of the vector unit's conversions (field values).
enum class ElemType : uint8_t { I8 = 0, I32 = 1, BF16 = 2, F32 = 3 };
unsigned getElemTypeSize(ElemType type);

/// Index types of dma.gather (field values).
enum class IndexType : uint8_t { I32 = 0, I64 = 1 };

/// Functions of VUnary / VBinary / VReduce (field values).
enum class UnaryFunc : uint8_t {
  Copy, Neg, Abs, Relu, Exp, Tanh, Sqrt, Rsqrt, Recip, Sigmoid
};
enum class BinaryFunc : uint8_t { Add, Sub, Mul, Max, Min };
enum class ReduceFunc : uint8_t { Sum, Max };
/// How VBinary's second operand is read.
enum class BMode : uint8_t { Tile, Row, Col, Scalar };

/// Every field any instruction has. Which ones an opcode has, and their bit
/// positions, is in the format table (ISA.cpp).
enum class Field : uint8_t {
  Opcode,
  Wait,
  Signal,
  SyncQueue,
  // DMA
  LocalAddr,
  Reg,
  Rows,
  RowBytes,
  LocalStride,
  DramStride,
  DramOffset,
  // dma.gather
  IndexAddr,
  IndexType,
  TableRows,
  // Matmul
  MatType,
  Accumulate,
  TransposeB,
  CAddr,
  AAddr,
  BAddr,
  M,
  K,
  N,
  AStride,
  CStride,
  // Vector
  Func,
  BMode,
  Dst,
  A,
  B,
  Cols,
  Stride,
  DstStride,
  SrcType,
  DstType,
  Imm,
  NumFields
};
constexpr unsigned kNumFields = static_cast<unsigned>(Field::NumFields);

/// A decoded instruction: the value of each field (fields the opcode does not
/// have are zero).
class Instruction {
public:
  Instruction() { values.fill(0); }
  explicit Instruction(Opcode op) : Instruction() { setOpcode(op); }

  Opcode getOpcode() const { return static_cast<Opcode>(get(Field::Opcode)); }
  void setOpcode(Opcode op) { set(Field::Opcode, static_cast<uint64_t>(op)); }
  uint64_t get(Field f) const { return values[static_cast<unsigned>(f)]; }
  void set(Field f, uint64_t v) { values[static_cast<unsigned>(f)] = v; }
  /// The f32 bit pattern of Field::Imm as a float.
  float getImm() const;
  void setImm(float value);

  bool operator==(const Instruction &o) const { return values == o.values; }
  bool operator!=(const Instruction &o) const { return !(*this == o); }

private:
  std::array<uint64_t, kNumFields> values;
};

/// The queue an instruction executes in (Halt: in every queue; this returns
/// Queue::Compute for it, see isHalt).
Queue getQueue(const Instruction &inst);

/// Bit position and width of a field in an opcode's format.
struct FieldLayout {
  Field field;
  uint8_t lo;
  uint8_t width;
};

/// The fields of an opcode (nullopt-like empty ref for an unknown opcode).
llvm::ArrayRef<FieldLayout> getFormat(uint8_t opcode);
/// Name of a field ("rows", "lstride", ...) for diagnostics.
llvm::StringRef getFieldName(Field f);

/// Encodes into 16 little-endian bytes. Fails (naming the field) if a value
/// does not fit its field, or the opcode is unknown.
llvm::Error encode(const Instruction &inst, uint8_t out[kInstructionBytes]);
/// Decodes 16 bytes. Fails on an unknown opcode, bits set outside the
/// opcode's fields, or a value outside a field's enumeration.
llvm::Expected<Instruction> decode(const uint8_t in[kInstructionBytes]);

/// Static checks that need no machine state (docs/npu.md, "Validity"):
/// local-memory ranges inside one memory and aligned, sizes in range,
/// dependency masks not naming the own queue. Returns an empty string when
/// valid, else what is wrong.
std::string validate(const Instruction &inst);

/// The mnemonic of a decoded instruction ("dma.load", "vexp", ...).
llvm::StringRef getMnemonic(const Instruction &inst);

//===----------------------------------------------------------------------===//
// Operand syntax (shared by the assembler and the disassembler)
//===----------------------------------------------------------------------===//

enum class OperandKind : uint8_t {
  LocalAny,   ///< sp+OFF or acc+OFF, unified 20-bit local address
  LocalSP,    ///< sp+OFF, scratchpad offset
  LocalAcc,   ///< acc+OFF, accumulator offset
  Dram,       ///< rN+OFF: field = register, field2 = offset
  Int,        ///< key=N
  Enum,       ///< key=NAME, names from `names`
  Flag,       ///< key present = 1
  Float,      ///< key=F (f32 bit pattern)
};

struct OperandSpec {
  OperandKind kind;
  Field field;
  Field field2; ///< Dram: the offset field
  const char *key; ///< keyword (Int/Enum/Flag/Float); nullptr for positional
  /// Enum names, indexed by field value, nullptr-terminated.
  const char *const *names;
};

/// One mnemonic: an opcode, optionally a field with a fixed value (the
/// function of a vector op, the queue of sync, the type of matmul), and its
/// operands in the order written.
struct MnemonicInfo {
  const char *name;
  Opcode opcode;
  bool hasFixed;
  Field fixedField;
  uint8_t fixedValue;
  llvm::ArrayRef<OperandSpec> operands;
};

/// All mnemonics.
llvm::ArrayRef<MnemonicInfo> getMnemonics();
/// The mnemonic an instruction is written with (nullptr if none matches).
const MnemonicInfo *lookupMnemonic(const Instruction &inst);
const MnemonicInfo *lookupMnemonic(llvm::StringRef name);

/// Names of element types ("i8", "i32", "bf16", "f32"), of dma.gather's
/// index types ("i32", "i64") and of B modes.
extern const char *const kElemTypeNames[];
extern const char *const kIndexTypeNames[];
extern const char *const kBModeNames[];

} // namespace npu
} // namespace llm
} // namespace mlir

#endif // LLM_TARGET_NPU_ISA_H
