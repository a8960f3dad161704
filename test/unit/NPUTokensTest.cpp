//===- NPUTokensTest.cpp - dependency-token insertion ---------------------===//
//
// insertDependencyTokens (lib/Target/NPU/Tokens.cpp) on small straight-line
// programs written as assembly without tokens: the wait/signal masks it
// sets for read-after-write, write-after-read and DRAM dependencies between
// queues, none within a queue, none for dependencies an earlier token
// already implies, old masks replaced; the double-buffered program then
// runs race- and deadlock-free in the simulator.
//
//===----------------------------------------------------------------------===//

#include "llm/Target/NPU/Assembler.h"
#include "llm/Target/NPU/Simulator.h"
#include "llm/Target/NPU/Tokens.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

using namespace mlir::llm::npu;

namespace {
constexpr unsigned LD = 1, CP = 2, ST = 4;

Program tokenized(llvm::StringRef text) {
  llvm::Expected<Program> program = assemble(text, "tokens.s");
  if (!program) {
    ADD_FAILURE() << llvm::toString(program.takeError());
    return Program();
  }
  insertDependencyTokens(program->instructions);
  return std::move(*program);
}

/// (wait, signal) of every instruction but the final halt.
std::vector<std::pair<unsigned, unsigned>> masks(const Program &p) {
  std::vector<std::pair<unsigned, unsigned>> out;
  for (const Instruction &inst : p.instructions)
    if (inst.getOpcode() != Opcode::Halt)
      out.emplace_back(inst.get(Field::Wait), inst.get(Field::Signal));
  return out;
}

using Masks = std::vector<std::pair<unsigned, unsigned>>;

const char *kArgs = ".input r1, \"x\", f32[4x16]\n"
                    ".output r2, \"y\", f32[4x16]\n";

TEST(NPUTokensTest, LoadComputeStoreChain) {
  // RAW ld -> cp (the exp reads what the load wrote), RAW cp -> st.
  Program p = tokenized(std::string(kArgs) +
                        "dma.load sp+0x0, r1+0x0, rows=1, bytes=64\n"
                        "vexp sp+0x0, sp+0x0, rows=1, cols=16\n"
                        "dma.store r2+0x0, sp+0x0, rows=1, bytes=64\n"
                        "halt\n");
  EXPECT_EQ(masks(p), (Masks{{0, CP}, {LD, ST}, {CP, 0}}));
}

TEST(NPUTokensTest, SameQueueAndDisjointAccessesNeedNoTokens) {
  // Two vector ops on the same tile (one queue: in order anyway), and a
  // load into other bytes than the compute touches.
  Program p = tokenized(std::string(kArgs) +
                        "vfill sp+0x100, rows=1, cols=16, value=1.0\n"
                        "vexp sp+0x100, sp+0x100, rows=1, cols=16\n"
                        "dma.load sp+0x0, r1+0x0, rows=1, bytes=64\n"
                        "halt\n");
  EXPECT_EQ(masks(p), (Masks{{0, 0}, {0, 0}, {0, 0}}));
}

TEST(NPUTokensTest, WriteAfterReadAndImpliedDependencies) {
  // The second load overwrites the buffer the exp reads (WAR: it waits for
  // cp). The store reads the exp's result (RAW on cp) and also writes DRAM
  // the first load read (WAR on ld), but the exp it waits for itself waited
  // for that load: one token, from cp only.
  Program p = tokenized(std::string(kArgs) +
                        "dma.load sp+0x0, r2+0x0, rows=1, bytes=64\n"
                        "vexp sp+0x40, sp+0x0, rows=1, cols=16\n"
                        "dma.load sp+0x0, r1+0x0, rows=1, bytes=64\n"
                        "dma.store r2+0x0, sp+0x40, rows=1, bytes=64\n"
                        "halt\n");
  EXPECT_EQ(masks(p), (Masks{{0, CP}, {LD, LD | ST}, {CP, 0}, {CP, 0}}));
}

TEST(NPUTokensTest, DramStoreThenLoad) {
  // A reload of stored bytes waits for the store (same 64-byte burst); a
  // load of another burst of the same register does not.
  Program p = tokenized(std::string(kArgs) +
                        "vfill sp+0x0, rows=1, cols=16, value=2.0\n"
                        "dma.store r2+0x40, sp+0x0, rows=1, bytes=64\n"
                        "dma.load sp+0x100, r2+0x40, rows=1, bytes=64\n"
                        "dma.load sp+0x200, r2+0x80, rows=1, bytes=64\n"
                        "halt\n");
  EXPECT_EQ(masks(p), (Masks{{0, ST}, {CP, LD}, {ST, 0}, {0, 0}}));
}

TEST(NPUTokensTest, OldMasksAreReplaced) {
  Program p = tokenized(std::string(kArgs) +
                        "dma.load sp+0x0, r1+0x0, rows=1, bytes=64, signal=st\n"
                        "vexp sp+0x0, sp+0x0, rows=1, cols=16, wait=st\n"
                        "halt\n");
  EXPECT_EQ(masks(p), (Masks{{0, CP}, {LD, 0}}));
}

TEST(NPUTokensTest, DoubleBufferedProgramRunsRaceFree) {
  // Four rows through two buffers: load i+2 waits for the exp that read
  // buffer i % 2, store i waits for exp i, and the simulator (which reports
  // races and deadlocks) runs it and computes exp of every row.
  std::string text = kArgs;
  for (int i = 0; i < 4; ++i) {
    std::string buf = i % 2 ? "sp+0x40" : "sp+0x0";
    std::string off = std::to_string(64 * i);
    text += "dma.load " + buf + ", r1+" + off + ", rows=1, bytes=64\n";
    text += "vexp " + buf + ", " + buf + ", rows=1, cols=16\n";
    text += "dma.store r2+" + off + ", " + buf + ", rows=1, bytes=64\n";
  }
  text += "halt\n";
  Program p = tokenized(text);
  Masks m = masks(p);
  ASSERT_EQ(m.size(), 12u);
  EXPECT_EQ(m[0], std::make_pair(0u, CP));         // load 0
  EXPECT_EQ(m[1], std::make_pair(LD, ST));         // exp 0
  EXPECT_EQ(m[6], std::make_pair(ST, CP));         // load 2 after store 0
  EXPECT_EQ(m[7].first, LD);                       // exp 2
  auto sim = Simulator::create(p);
  ASSERT_TRUE(static_cast<bool>(sim)) << llvm::toString(sim.takeError());
  std::vector<float> x(64);
  for (int i = 0; i < 64; ++i)
    x[i] = 0.01f * static_cast<float>(i) - 0.3f;
  std::memcpy((*sim)->getArgumentMemory(0).data(), x.data(), 256);
  llvm::Error err = (*sim)->run();
  ASSERT_FALSE(static_cast<bool>(err)) << llvm::toString(std::move(err));
  std::vector<float> y(64);
  std::memcpy(y.data(), (*sim)->getArgumentMemory(1).data(), 256);
  for (int i = 0; i < 64; ++i)
    EXPECT_NEAR(y[i], std::exp(static_cast<double>(x[i])), 1e-6) << i;
}

} // namespace
