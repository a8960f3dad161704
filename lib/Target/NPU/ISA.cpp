//===- ISA.cpp - NPU instruction formats, mnemonics, encode/decode -------===//
//
// The single definition of the NPU's encodings (docs/npu.md, "Instruction
// encoding"): per opcode, the fields and their bit positions in the 128-bit
// little-endian instruction word; per mnemonic, the opcode, a fixed field
// value and the operand syntax. encode/decode, the assembler and the
// disassembler are all driven by these tables.
//
//===----------------------------------------------------------------------===//

#include "llm/Target/NPU/ISA.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"

#include <cstring>

using namespace mlir::llm::npu;
using llvm::ArrayRef;
using llvm::StringRef;

namespace {
using F = Field;

//===----------------------------------------------------------------------===//
// Formats: bit positions of each opcode's fields
//===----------------------------------------------------------------------===//

#define COMMON {F::Opcode, 0, 8}, {F::Wait, 8, 3}, {F::Signal, 11, 3}

const FieldLayout kHaltFormat[] = {{F::Opcode, 0, 8}};
const FieldLayout kSyncFormat[] = {COMMON, {F::SyncQueue, 14, 2}};
const FieldLayout kDmaFormat[] = {
    COMMON,
    {F::LocalAddr, 14, 20},
    {F::Reg, 34, 4},
    {F::Rows, 38, 12},
    {F::RowBytes, 50, 14},
    {F::LocalStride, 64, 16},
    {F::DramStride, 80, 20},
    {F::DramOffset, 100, 28}};
const FieldLayout kDmaGatherFormat[] = {
    COMMON,
    {F::LocalAddr, 14, 20},
    {F::Reg, 34, 4},
    {F::Rows, 38, 12},
    {F::RowBytes, 50, 14},
    {F::IndexAddr, 64, 18},
    {F::IndexType, 82, 1},
    {F::TableRows, 83, 17},
    {F::DramOffset, 100, 28}};
const FieldLayout kMatmulFormat[] = {
    COMMON,           {F::MatType, 14, 1}, {F::Accumulate, 15, 1},
    {F::TransposeB, 16, 1}, {F::CAddr, 17, 16}, {F::AAddr, 33, 18},
    {F::BAddr, 51, 18},     {F::M, 69, 12},     {F::K, 81, 5},
    {F::N, 86, 5},          {F::AStride, 91, 16}, {F::CStride, 107, 16}};
#define VEC_TILE                                                               \
  {F::Dst, 20, 20}, {F::Rows, 80, 12}, {F::Cols, 92, 12}, {F::Stride, 104, 16}
const FieldLayout kVUnaryFormat[] = {COMMON, {F::Func, 14, 4}, VEC_TILE,
                                     {F::A, 40, 20}};
const FieldLayout kVBinaryFormat[] = {COMMON,        {F::Func, 14, 4},
                                      {F::BMode, 18, 2}, VEC_TILE,
                                      {F::A, 40, 20},    {F::B, 60, 20}};
const FieldLayout kVReduceFormat[] = {COMMON, {F::Func, 14, 4},
                                      {F::Accumulate, 18, 1}, VEC_TILE,
                                      {F::A, 40, 20}};
const FieldLayout kVConvertFormat[] = {COMMON,          {F::SrcType, 14, 2},
                                       {F::DstType, 16, 2}, VEC_TILE,
                                       {F::A, 40, 20},      {F::DstStride, 60, 16}};
const FieldLayout kVFillFormat[] = {COMMON, VEC_TILE, {F::Imm, 40, 32}};
#undef COMMON
#undef VEC_TILE

struct OpcodeInfo {
  Opcode opcode;
  ArrayRef<FieldLayout> format;
  /// Number of valid values of Field::Func / SyncQueue (0: not an enum).
  uint8_t numFuncs;
};

const OpcodeInfo kOpcodes[] = {
    {Opcode::Halt, kHaltFormat, 0},
    {Opcode::Sync, kSyncFormat, 3},
    {Opcode::DmaLoad, kDmaFormat, 0},
    {Opcode::DmaStore, kDmaFormat, 0},
    {Opcode::DmaGather, kDmaGatherFormat, 0},
    {Opcode::Matmul, kMatmulFormat, 0},
    {Opcode::VUnary, kVUnaryFormat, 10},
    {Opcode::VBinary, kVBinaryFormat, 5},
    {Opcode::VReduce, kVReduceFormat, 2},
    {Opcode::VConvert, kVConvertFormat, 0},
    {Opcode::VFill, kVFillFormat, 0},
};

const OpcodeInfo *lookupOpcode(uint8_t opcode) {
  for (const OpcodeInfo &info : kOpcodes)
    if (static_cast<uint8_t>(info.opcode) == opcode)
      return &info;
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Mnemonics and operand syntax
//===----------------------------------------------------------------------===//

using K = OperandKind;
constexpr OperandSpec intOp(const char *key, Field f) {
  return {K::Int, f, f, key, nullptr};
}
constexpr OperandSpec flagOp(const char *key, Field f) {
  return {K::Flag, f, f, key, nullptr};
}
constexpr OperandSpec posOp(OperandKind kind, Field f) {
  return {kind, f, f, nullptr, nullptr};
}

const OperandSpec kDmaLoadOps[] = {
    posOp(K::LocalAny, F::LocalAddr),
    {K::Dram, F::Reg, F::DramOffset, nullptr, nullptr},
    intOp("rows", F::Rows),
    intOp("bytes", F::RowBytes),
    intOp("lstride", F::LocalStride),
    intOp("dstride", F::DramStride)};
const OperandSpec kDmaStoreOps[] = {
    {K::Dram, F::Reg, F::DramOffset, nullptr, nullptr},
    posOp(K::LocalAny, F::LocalAddr),
    intOp("rows", F::Rows),
    intOp("bytes", F::RowBytes),
    intOp("dstride", F::DramStride),
    intOp("lstride", F::LocalStride)};
const OperandSpec kMatmulOps[] = {
    posOp(K::LocalAcc, F::CAddr),  posOp(K::LocalSP, F::AAddr),
    posOp(K::LocalSP, F::BAddr),   intOp("m", F::M),
    intOp("k", F::K),              intOp("n", F::N),
    intOp("astride", F::AStride),  intOp("cstride", F::CStride),
    flagOp("acc", F::Accumulate),  flagOp("tb", F::TransposeB)};
const OperandSpec kVUnaryOps[] = {
    posOp(K::LocalAny, F::Dst), posOp(K::LocalAny, F::A), intOp("rows", F::Rows),
    intOp("cols", F::Cols), intOp("stride", F::Stride)};
} // namespace

const char *const mlir::llm::npu::kElemTypeNames[] = {"i8", "i32", "bf16",
                                                      "f32", nullptr};
const char *const mlir::llm::npu::kIndexTypeNames[] = {"i32", "i64", nullptr};
const char *const mlir::llm::npu::kBModeNames[] = {"tile", "row", "col",
                                                   "scalar", nullptr};

namespace {
const OperandSpec kDmaGatherOps[] = {
    posOp(K::LocalAny, F::LocalAddr),
    {K::Dram, F::Reg, F::DramOffset, nullptr, nullptr},
    posOp(K::LocalSP, F::IndexAddr),
    intOp("rows", F::Rows),
    intOp("bytes", F::RowBytes),
    intOp("table", F::TableRows),
    {K::Enum, F::IndexType, F::IndexType, "idx", kIndexTypeNames}};
const OperandSpec kVBinaryOps[] = {
    posOp(K::LocalAny, F::Dst), posOp(K::LocalAny, F::A),
    posOp(K::LocalAny, F::B),   intOp("rows", F::Rows),
    intOp("cols", F::Cols),     intOp("stride", F::Stride),
    {K::Enum, F::BMode, F::BMode, "b", kBModeNames}};
const OperandSpec kVReduceOps[] = {
    posOp(K::LocalAny, F::Dst), posOp(K::LocalAny, F::A), intOp("rows", F::Rows),
    intOp("cols", F::Cols), intOp("stride", F::Stride),
    flagOp("acc", F::Accumulate)};
const OperandSpec kVConvertOps[] = {
    posOp(K::LocalAny, F::Dst),
    posOp(K::LocalAny, F::A),
    {K::Enum, F::DstType, F::DstType, "to", kElemTypeNames},
    {K::Enum, F::SrcType, F::SrcType, "from", kElemTypeNames},
    intOp("rows", F::Rows),
    intOp("cols", F::Cols),
    intOp("dst_stride", F::DstStride),
    intOp("src_stride", F::Stride)};
const OperandSpec kVFillOps[] = {
    posOp(K::LocalAny, F::Dst), {K::Float, F::Imm, F::Imm, "value", nullptr},
    intOp("rows", F::Rows), intOp("cols", F::Cols), intOp("stride", F::Stride)};

#define FIXED(field, value) true, F::field, value
#define PLAIN false, F::Opcode, 0
const MnemonicInfo kMnemonics[] = {
    {"halt", Opcode::Halt, PLAIN, {}},
    {"sync.ld", Opcode::Sync, FIXED(SyncQueue, 0), {}},
    {"sync.cp", Opcode::Sync, FIXED(SyncQueue, 1), {}},
    {"sync.st", Opcode::Sync, FIXED(SyncQueue, 2), {}},
    {"dma.load", Opcode::DmaLoad, PLAIN, kDmaLoadOps},
    {"dma.store", Opcode::DmaStore, PLAIN, kDmaStoreOps},
    {"dma.gather", Opcode::DmaGather, PLAIN, kDmaGatherOps},
    {"matmul.i8", Opcode::Matmul, FIXED(MatType, 0), kMatmulOps},
    {"matmul.bf16", Opcode::Matmul, FIXED(MatType, 1), kMatmulOps},
    {"vcopy", Opcode::VUnary, FIXED(Func, 0), kVUnaryOps},
    {"vneg", Opcode::VUnary, FIXED(Func, 1), kVUnaryOps},
    {"vabs", Opcode::VUnary, FIXED(Func, 2), kVUnaryOps},
    {"vrelu", Opcode::VUnary, FIXED(Func, 3), kVUnaryOps},
    {"vexp", Opcode::VUnary, FIXED(Func, 4), kVUnaryOps},
    {"vtanh", Opcode::VUnary, FIXED(Func, 5), kVUnaryOps},
    {"vsqrt", Opcode::VUnary, FIXED(Func, 6), kVUnaryOps},
    {"vrsqrt", Opcode::VUnary, FIXED(Func, 7), kVUnaryOps},
    {"vrecip", Opcode::VUnary, FIXED(Func, 8), kVUnaryOps},
    {"vsigmoid", Opcode::VUnary, FIXED(Func, 9), kVUnaryOps},
    {"vadd", Opcode::VBinary, FIXED(Func, 0), kVBinaryOps},
    {"vsub", Opcode::VBinary, FIXED(Func, 1), kVBinaryOps},
    {"vmul", Opcode::VBinary, FIXED(Func, 2), kVBinaryOps},
    {"vmax", Opcode::VBinary, FIXED(Func, 3), kVBinaryOps},
    {"vmin", Opcode::VBinary, FIXED(Func, 4), kVBinaryOps},
    {"vredsum", Opcode::VReduce, FIXED(Func, 0), kVReduceOps},
    {"vredmax", Opcode::VReduce, FIXED(Func, 1), kVReduceOps},
    {"vcvt", Opcode::VConvert, PLAIN, kVConvertOps},
    {"vfill", Opcode::VFill, PLAIN, kVFillOps},
};
#undef FIXED
#undef PLAIN

const char *const kFieldNames[] = {
    "opcode", "wait",  "signal",  "queue", "local address", "register",
    "rows",   "bytes", "lstride", "dstride", "DRAM offset",
    "index address", "index type", "table rows", "type",
    "acc",    "tb",    "C address", "A address", "B address", "m",
    "k",      "n",     "astride", "cstride", "function", "b mode",
    "destination", "source A", "source B", "cols", "stride", "dst_stride",
    "from",   "to",    "value"};
static_assert(sizeof(kFieldNames) / sizeof(kFieldNames[0]) == kNumFields,
              "one name per field");
} // namespace

StringRef mlir::llm::npu::getQueueName(Queue queue) {
  switch (queue) {
  case Queue::Load:
    return "ld";
  case Queue::Compute:
    return "cp";
  case Queue::Store:
    return "st";
  }
  return "?";
}

unsigned mlir::llm::npu::getElemTypeSize(ElemType type) {
  switch (type) {
  case ElemType::I8:
    return 1;
  case ElemType::BF16:
    return 2;
  case ElemType::I32:
  case ElemType::F32:
    return 4;
  }
  return 4;
}

float Instruction::getImm() const {
  uint32_t bits = static_cast<uint32_t>(get(Field::Imm));
  float f;
  std::memcpy(&f, &bits, sizeof(f));
  return f;
}

void Instruction::setImm(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  set(Field::Imm, bits);
}

Queue mlir::llm::npu::getQueue(const Instruction &inst) {
  switch (inst.getOpcode()) {
  case Opcode::Sync:
    return static_cast<Queue>(inst.get(Field::SyncQueue));
  case Opcode::DmaLoad:
  case Opcode::DmaGather:
    return Queue::Load;
  case Opcode::DmaStore:
    return Queue::Store;
  default:
    return Queue::Compute;
  }
}

ArrayRef<FieldLayout> mlir::llm::npu::getFormat(uint8_t opcode) {
  if (const OpcodeInfo *info = lookupOpcode(opcode))
    return info->format;
  return {};
}

StringRef mlir::llm::npu::getFieldName(Field f) {
  return kFieldNames[static_cast<unsigned>(f)];
}

llvm::Error mlir::llm::npu::encode(const Instruction &inst,
                                   uint8_t out[kInstructionBytes]) {
  uint8_t opcode = static_cast<uint8_t>(inst.getOpcode());
  const OpcodeInfo *info = lookupOpcode(opcode);
  if (!info)
    return llvm::createStringError("unknown opcode 0x%02x", opcode);
  uint64_t words[2] = {0, 0};
  for (const FieldLayout &layout : info->format) {
    uint64_t value = inst.get(layout.field);
    if (layout.width < 64 && (value >> layout.width) != 0)
      return llvm::createStringError(
          "%s = %llu does not fit its %u-bit field",
          getFieldName(layout.field).str().c_str(),
          static_cast<unsigned long long>(value), layout.width);
    for (unsigned bit = 0; bit < layout.width; ++bit)
      if ((value >> bit) & 1) {
        unsigned pos = layout.lo + bit;
        words[pos / 64] |= uint64_t(1) << (pos % 64);
      }
  }
  for (unsigned i = 0; i < kInstructionBytes; ++i)
    out[i] = static_cast<uint8_t>(words[i / 8] >> (8 * (i % 8)));
  return llvm::Error::success();
}

llvm::Expected<Instruction>
mlir::llm::npu::decode(const uint8_t in[kInstructionBytes]) {
  uint64_t words[2] = {0, 0};
  for (unsigned i = 0; i < kInstructionBytes; ++i)
    words[i / 8] |= uint64_t(in[i]) << (8 * (i % 8));
  uint8_t opcode = in[0];
  const OpcodeInfo *info = lookupOpcode(opcode);
  if (!info)
    return llvm::createStringError("unknown opcode 0x%02x", opcode);
  Instruction inst;
  uint64_t covered[2] = {0, 0};
  for (const FieldLayout &layout : info->format) {
    uint64_t value = 0;
    for (unsigned bit = 0; bit < layout.width; ++bit) {
      unsigned pos = layout.lo + bit;
      covered[pos / 64] |= uint64_t(1) << (pos % 64);
      value |= ((words[pos / 64] >> (pos % 64)) & 1) << bit;
    }
    inst.set(layout.field, value);
  }
  for (unsigned w = 0; w < 2; ++w)
    if (uint64_t stray = words[w] & ~covered[w]) {
      unsigned bit = 64 * w + llvm::countr_zero(stray);
      return llvm::createStringError(
          "reserved bit %u is set in a '%s' instruction", bit,
          getMnemonic(inst).str().c_str());
    }
  if (info->numFuncs) {
    Field f = opcode == static_cast<uint8_t>(Opcode::Sync) ? Field::SyncQueue
                                                           : Field::Func;
    if (inst.get(f) >= info->numFuncs)
      return llvm::createStringError(
          "%s %llu is not defined for opcode 0x%02x",
          getFieldName(f).str().c_str(),
          static_cast<unsigned long long>(inst.get(f)), opcode);
  }
  return inst;
}

ArrayRef<MnemonicInfo> mlir::llm::npu::getMnemonics() { return kMnemonics; }

const MnemonicInfo *mlir::llm::npu::lookupMnemonic(const Instruction &inst) {
  for (const MnemonicInfo &info : kMnemonics)
    if (info.opcode == inst.getOpcode() &&
        (!info.hasFixed || inst.get(info.fixedField) == info.fixedValue))
      return &info;
  return nullptr;
}

const MnemonicInfo *mlir::llm::npu::lookupMnemonic(StringRef name) {
  for (const MnemonicInfo &info : kMnemonics)
    if (name == info.name)
      return &info;
  return nullptr;
}

StringRef mlir::llm::npu::getMnemonic(const Instruction &inst) {
  if (const MnemonicInfo *info = lookupMnemonic(inst))
    return info->name;
  return "<unknown>";
}
