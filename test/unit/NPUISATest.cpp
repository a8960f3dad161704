//===- NPUISATest.cpp - NPU encodings, binary format, assembler round trip -===//
//
// Every mnemonic's fields survive encode -> decode and format -> assemble
// (with random in-range values), the decoder rejects unknown opcodes,
// reserved bits and undefined functions, the binary format round-trips a
// whole program byte for byte, and the static validator catches operands
// outside their memory.
//
//===----------------------------------------------------------------------===//

#include "llm/Target/NPU/Assembler.h"
#include "llm/Target/NPU/Program.h"

#include "gtest/gtest.h"

#include <cstring>
#include <random>

using namespace mlir::llm::npu;

namespace {
/// An instruction of mnemonic `info` with every field of its format random.
Instruction randomInstruction(const MnemonicInfo &info, std::mt19937_64 &rng) {
  Instruction inst(info.opcode);
  for (const FieldLayout &layout : getFormat(static_cast<uint8_t>(info.opcode))) {
    if (layout.field == Field::Opcode)
      continue;
    uint64_t mask = layout.width == 64 ? ~0ull : (1ull << layout.width) - 1;
    inst.set(layout.field, rng() & mask);
  }
  if (info.hasFixed)
    inst.set(info.fixedField, info.fixedValue);
  // Enumerated fields stay inside their enumeration.
  if (info.opcode == Opcode::VBinary || info.opcode == Opcode::VUnary ||
      info.opcode == Opcode::VReduce)
    inst.set(Field::Func, info.fixedValue);
  // Local addresses in the (unified) map: the assembler writes sp+ or acc+.
  for (Field f : {Field::LocalAddr, Field::Dst, Field::A, Field::B})
    if (inst.get(f) >= kScratchpadBytes && inst.get(f) < kAccumulatorBase)
      inst.set(f, inst.get(f) - kScratchpadBytes);
    else if (inst.get(f) >= kLocalEnd)
      inst.set(f, kAccumulatorBase + inst.get(f) % kAccumulatorBytes);
  return inst;
}

TEST(NPUISATest, EveryMnemonicRoundTripsThroughBitsAndText) {
  std::mt19937_64 rng(42);
  for (const MnemonicInfo &info : getMnemonics()) {
    for (int trial = 0; trial < 50; ++trial) {
      Instruction inst = randomInstruction(info, rng);
      uint8_t bytes[kInstructionBytes];
      ASSERT_FALSE(llvm::errorToBool(encode(inst, bytes))) << info.name;
      llvm::Expected<Instruction> decoded = decode(bytes);
      ASSERT_TRUE(bool(decoded)) << info.name << ": "
                                 << llvm::toString(decoded.takeError());
      EXPECT_EQ(*decoded, inst) << info.name;
      EXPECT_EQ(getMnemonic(*decoded), info.name);

      // Text: the canonical form assembles (unverified: random operands may
      // not be valid) to the same instruction, and prints identically.
      std::string text = formatInstruction(inst);
      AssemblerOptions options;
      options.verify = false;
      llvm::Expected<Program> program =
          assemble(text + "\nhalt\n", "roundtrip.s", options);
      ASSERT_TRUE(bool(program)) << text << "\n"
                                 << llvm::toString(program.takeError());
      ASSERT_EQ(program->instructions.size(), 2u);
      EXPECT_EQ(program->instructions[0], inst) << text;
      EXPECT_EQ(formatInstruction(program->instructions[0]), text);
    }
  }
}

TEST(NPUISATest, DecoderRejectsInvalidWords) {
  uint8_t bytes[kInstructionBytes] = {};
  llvm::Expected<Instruction> zero = decode(bytes);
  ASSERT_FALSE(bool(zero));
  EXPECT_EQ(llvm::toString(zero.takeError()), "unknown opcode 0x00");

  // halt has no fields: any other bit is reserved.
  bytes[0] = static_cast<uint8_t>(Opcode::Halt);
  bytes[15] = 0x80;
  llvm::Expected<Instruction> reserved = decode(bytes);
  ASSERT_FALSE(bool(reserved));
  EXPECT_EQ(llvm::toString(reserved.takeError()),
            "reserved bit 127 is set in a 'halt' instruction");

  // Matmul uses bits 0..122; bit 125 is reserved.
  std::memset(bytes, 0, sizeof(bytes));
  bytes[0] = static_cast<uint8_t>(Opcode::Matmul);
  bytes[15] = 0x20;
  llvm::Expected<Instruction> mmReserved = decode(bytes);
  ASSERT_FALSE(bool(mmReserved));
  EXPECT_EQ(llvm::toString(mmReserved.takeError()),
            "reserved bit 125 is set in a 'matmul.i8' instruction");

  // VUnary defines functions 0..9; the field is bits 14..17.
  std::memset(bytes, 0, sizeof(bytes));
  bytes[0] = static_cast<uint8_t>(Opcode::VUnary);
  bytes[2] = 0x3; // function 12 = 0b1100 -> bits 16,17 set (and 14,15 clear)
  llvm::Expected<Instruction> func = decode(bytes);
  ASSERT_FALSE(bool(func));
  EXPECT_EQ(llvm::toString(func.takeError()),
            "function 12 is not defined for opcode 0x30");
}

TEST(NPUISATest, EncoderRejectsValuesWiderThanTheirField) {
  Instruction inst(Opcode::DmaLoad);
  inst.set(Field::Rows, 4096); // 12 bits
  uint8_t bytes[kInstructionBytes];
  EXPECT_EQ(llvm::toString(encode(inst, bytes)),
            "rows = 4096 does not fit its 12-bit field");
}

TEST(NPUISATest, FieldsSitWhereTheDocumentSays) {
  // docs/npu.md: dma.load: opcode 0x10, local address bits 14..33, register
  // 34..37, rows 38..49, bytes 50..63, lstride 64..79, dstride 80..99,
  // DRAM offset 100..127.
  Instruction inst(Opcode::DmaLoad);
  inst.set(Field::Signal, 2); // cp
  inst.set(Field::LocalAddr, 1);
  inst.set(Field::Reg, 3);
  inst.set(Field::Rows, 1);
  inst.set(Field::RowBytes, 1);
  inst.set(Field::LocalStride, 1);
  inst.set(Field::DramStride, 1);
  inst.set(Field::DramOffset, 1);
  uint8_t bytes[kInstructionBytes];
  ASSERT_FALSE(llvm::errorToBool(encode(inst, bytes)));
  uint64_t lo = 0, hi = 0;
  for (int i = 0; i < 8; ++i) {
    lo |= uint64_t(bytes[i]) << (8 * i);
    hi |= uint64_t(bytes[8 + i]) << (8 * i);
  }
  uint64_t expectLo = 0x10 | (2ull << 11) | (1ull << 14) | (3ull << 34) |
                      (1ull << 38) | (1ull << 50);
  uint64_t expectHi = 1ull | (1ull << (80 - 64)) | (1ull << (100 - 64));
  EXPECT_EQ(lo, expectLo);
  EXPECT_EQ(hi, expectHi);
}

TEST(NPUISATest, DmaGatherFieldsSitWhereTheDocumentSays) {
  // docs/npu.md: dma.gather: opcode 0x12, destination bits 14..33, register
  // 34..37, rows 38..49, bytes 50..63, index address 64..81, index type 82,
  // table rows 83..99, DRAM offset 100..127.
  Instruction inst(Opcode::DmaGather);
  inst.set(Field::Signal, 4); // st
  inst.set(Field::LocalAddr, 1);
  inst.set(Field::Reg, 3);
  inst.set(Field::Rows, 1);
  inst.set(Field::RowBytes, 1);
  inst.set(Field::IndexAddr, 1);
  inst.set(Field::IndexType, 1);
  inst.set(Field::TableRows, 1);
  inst.set(Field::DramOffset, 1);
  uint8_t bytes[kInstructionBytes];
  ASSERT_FALSE(llvm::errorToBool(encode(inst, bytes)));
  uint64_t lo = 0, hi = 0;
  for (int i = 0; i < 8; ++i) {
    lo |= uint64_t(bytes[i]) << (8 * i);
    hi |= uint64_t(bytes[8 + i]) << (8 * i);
  }
  uint64_t expectLo = 0x12 | (4ull << 11) | (1ull << 14) | (3ull << 34) |
                      (1ull << 38) | (1ull << 50);
  uint64_t expectHi = 1ull | (1ull << (82 - 64)) | (1ull << (83 - 64)) |
                      (1ull << (100 - 64));
  EXPECT_EQ(lo, expectLo);
  EXPECT_EQ(hi, expectHi);
  EXPECT_EQ(getMnemonic(inst), "dma.gather");
  EXPECT_EQ(getQueue(inst), Queue::Load);

  // Validity: sizes, i64 indices 8-byte aligned in the scratchpad, the
  // destination in local memory.
  inst.set(Field::Signal, 0);
  EXPECT_EQ(validate(inst), "indices address 0x1 and stride 0 must be "
                            "multiples of 8 bytes");
  inst.set(Field::IndexAddr, 0x100);
  EXPECT_EQ(validate(inst), "");
  inst.set(Field::TableRows, 0);
  EXPECT_EQ(validate(inst), "table rows must be at least 1");
  inst.set(Field::TableRows, 7);
  inst.set(Field::Rows, 64);
  inst.set(Field::IndexAddr, kScratchpadBytes - 256);
  EXPECT_EQ(validate(inst), "indices [0x3ff00, 0x40100) runs past the end of "
                            "the scratchpad (0x40000)");
}

TEST(NPUISATest, ValidatorChecksOperandsAgainstTheMemoryMap) {
  Instruction inst(Opcode::VUnary);
  inst.set(Field::Rows, 2);
  inst.set(Field::Cols, 16);
  inst.set(Field::Stride, 64);
  inst.set(Field::Dst, kScratchpadBytes - 64); // second row crosses the end
  EXPECT_EQ(validate(inst),
            "destination [0x3ffc0, 0x40040) runs past the end of the "
            "scratchpad (0x40000)");
  inst.set(Field::Dst, 0x48000);
  inst.set(Field::A, 0x55000);
  EXPECT_EQ(validate(inst), "source A address 0x55000 is not mapped "
                            "(scratchpad 0x0-0x3ffff, accumulator "
                            "0x40000-0x4ffff)");
  inst.set(Field::A, 0x2);
  EXPECT_EQ(validate(inst), "source A address 0x2 and stride 64 must be "
                            "multiples of 4 bytes");
  inst.set(Field::A, 0x0);
  EXPECT_EQ(validate(inst), "");
  inst.set(Field::Stride, 32);
  EXPECT_EQ(validate(inst), "destination rows overlap: stride 32 is less "
                            "than the row size 64");

  Instruction mm(Opcode::Matmul);
  mm.set(Field::M, 1);
  mm.set(Field::K, 17);
  mm.set(Field::N, 16);
  EXPECT_EQ(validate(mm), "k and n must be at most 16 (the array size)");
  mm.set(Field::K, 16);
  mm.set(Field::Wait, 2);
  EXPECT_EQ(validate(mm), "an instruction of the cp queue cannot wait for a "
                          "token from its own queue");
}

TEST(NPUISATest, BinaryFormatRoundTripsAProgram) {
  llvm::Expected<Program> program = assemble(R"(
.input r1, "x", f32[2x16]
.input r4, "we\"ird", bf16[]
.output r2, "y", i32[3x0x2]
.data
w: .i8 1, -2, 3
.align 8
.f32 1.5, -0.25
.bf16 3.0
.reserve 100
.text
dma.load sp+0x40, r0+w+2, rows=1, bytes=1, signal=cp
vfill acc+0x10, value=bits(0x7fc00001), rows=1, cols=1, wait=ld
halt
)",
                                             "p.s");
  ASSERT_TRUE(bool(program)) << llvm::toString(program.takeError());
  EXPECT_EQ(program->data.size(), 18u);
  EXPECT_EQ(program->dataSize, 118u);
  llvm::Expected<std::string> binary = writeBinary(*program);
  ASSERT_TRUE(bool(binary));
  llvm::Expected<Program> read = readBinary(*binary, "p.npubin");
  ASSERT_TRUE(bool(read)) << llvm::toString(read.takeError());
  EXPECT_EQ(read->instructions, program->instructions);
  EXPECT_EQ(read->data, program->data);
  EXPECT_EQ(read->dataSize, program->dataSize);
  ASSERT_EQ(read->arguments.size(), 3u);
  EXPECT_EQ(read->arguments[1].name, "we\"ird");
  EXPECT_EQ(read->arguments[2].shape, (std::vector<int64_t>{3, 0, 2}));
  // binary -> text -> binary is the identity, and text -> binary -> text too.
  std::string text = disassemble(*read);
  llvm::Expected<Program> again = assemble(text, "dis.s");
  ASSERT_TRUE(bool(again)) << text << llvm::toString(again.takeError());
  llvm::Expected<std::string> binary2 = writeBinary(*again);
  ASSERT_TRUE(bool(binary2));
  EXPECT_EQ(*binary2, *binary);
  EXPECT_EQ(disassemble(*again), text);
}

TEST(NPUISATest, TruncatedBinariesAreErrors) {
  llvm::Expected<Program> program =
      assemble(".input r1, \"x\", f32[4]\nhalt\n", "p.s");
  ASSERT_TRUE(bool(program));
  std::string binary = llvm::cantFail(writeBinary(*program));
  for (size_t size = 0; size < binary.size(); ++size) {
    llvm::Expected<Program> read =
        readBinary(llvm::StringRef(binary).take_front(size), "cut.npubin");
    EXPECT_FALSE(bool(read)) << size;
    llvm::consumeError(read.takeError());
  }
}
} // namespace
