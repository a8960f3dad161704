//===- NPUSimulatorTest.cpp - semantics of every NPU instruction ---------===//
//
// Each instruction runs in the simulator on data the test puts in local
// memory or DRAM, and the result is compared with a plain C++ reference
// written here (double-precision math, explicit loops), never with the
// simulator's own output.
//
//===----------------------------------------------------------------------===//

#include "llm/Target/NPU/Assembler.h"
#include "llm/Target/NPU/Simulator.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

using namespace mlir::llm::npu;

namespace {
Program assembleOrDie(llvm::StringRef text) {
  llvm::Expected<Program> program = assemble(text, "test.s");
  if (!program) {
    ADD_FAILURE() << llvm::toString(program.takeError());
    return Program();
  }
  return std::move(*program);
}

std::unique_ptr<Simulator> makeSim(llvm::StringRef text) {
  auto sim = Simulator::create(assembleOrDie(text));
  if (!sim) {
    ADD_FAILURE() << llvm::toString(sim.takeError());
    return nullptr;
  }
  return std::move(*sim);
}

/// Runs and returns the error message ("" on success).
std::string runError(Simulator &sim) {
  llvm::Error err = sim.run();
  return err ? llvm::toString(std::move(err)) : "";
}

template <typename T>
void poke(llvm::MutableArrayRef<uint8_t> mem, uint64_t addr, T value) {
  std::memcpy(mem.data() + addr, &value, sizeof(T));
}
template <typename T>
T peek(llvm::ArrayRef<uint8_t> mem, uint64_t addr) {
  T value;
  std::memcpy(&value, mem.data() + addr, sizeof(T));
  return value;
}

/// bf16 bits -> float, written here independently of Numerics.cpp.
float bf16Bits(uint16_t bits) {
  uint32_t w = uint32_t(bits) << 16;
  float f;
  std::memcpy(&f, &w, 4);
  return f;
}

TEST(NPUSimulatorTest, HaltAloneRunsInZeroCycles) {
  auto sim = makeSim("halt\n");
  ASSERT_TRUE(sim);
  EXPECT_EQ(runError(*sim), "");
  EXPECT_EQ(sim->getStats().cycles, 0u);
}

TEST(NPUSimulatorTest, DmaMovesStridedRowsAndBroadcasts) {
  auto sim = makeSim(R"(
.input r1, "x", i8[4x8]
.output r2, "y", i8[4x8]
dma.load sp+0x10, r1+2, rows=3, bytes=4, lstride=8, dstride=8, signal=cp
dma.load acc+0x0, r1+8, rows=4, bytes=8, lstride=8, dstride=0, signal=st
sync.cp wait=ld, signal=st
dma.store r2+0, sp+0x10, rows=3, bytes=4, dstride=8, lstride=8, wait=cp|ld
halt
)");
  ASSERT_TRUE(sim);
  auto x = sim->getArgumentMemory(0);
  for (int i = 0; i < 32; ++i)
    x[i] = static_cast<uint8_t>(i);
  ASSERT_EQ(runError(*sim), "");
  auto local = sim->getLocalMemory();
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c)
      EXPECT_EQ(local[0x10 + r * 8 + c], r * 8 + 2 + c);
  // dstride=0 reads row 1 of x four times.
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 8; ++c)
      EXPECT_EQ(local[kAccumulatorBase + r * 8 + c], 8 + c);
  auto y = sim->getArgumentMemory(1);
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 8; ++c)
      EXPECT_EQ(y[r * 8 + c], (r < 3 && c < 4) ? r * 8 + 2 + c : 0);
  EXPECT_EQ(sim->getStats().dmaLoadBytes, 12u + 32u);
  EXPECT_EQ(sim->getStats().dmaStoreBytes, 12u);
}

TEST(NPUSimulatorTest, DataSegmentIsBoundToR0) {
  auto sim = makeSim(R"(
.output r1, "y", i32[2]
.data
.i32 7
w: .i32 -9, 11
.text
dma.load sp+0x0, r0+w, rows=1, bytes=8, signal=st
dma.store r1+0, sp+0x0, rows=1, bytes=8, wait=ld
halt
)");
  ASSERT_TRUE(sim);
  ASSERT_EQ(runError(*sim), "");
  EXPECT_EQ(peek<int32_t>(sim->getArgumentMemory(0), 0), -9);
  EXPECT_EQ(peek<int32_t>(sim->getArgumentMemory(0), 4), 11);
}

/// Reference int8 matmul with 32-bit wrap-around.
void checkMatmulI8(bool accumulate, bool tb) {
  const int m = 5, k = 13, n = 11, astride = 20, cstride = 48;
  std::string text = "matmul.i8 acc+0x100, sp+0x0, sp+0x400, m=5, k=13, n=11, "
                     "astride=20, cstride=48";
  text += accumulate ? ", acc" : "";
  text += tb ? ", tb" : "";
  auto sim = makeSim(text + "\nhalt\n");
  ASSERT_TRUE(sim);
  auto local = sim->getLocalMemory();
  std::mt19937 rng(accumulate * 2 + tb);
  std::uniform_int_distribution<int> byte(-128, 127);
  int8_t a[m][k], b[16][16] = {};
  int32_t c0[m][n];
  for (int i = 0; i < m; ++i)
    for (int kk = 0; kk < k; ++kk) {
      a[i][kk] = static_cast<int8_t>(byte(rng));
      poke<int8_t>(local, i * astride + kk, a[i][kk]);
    }
  for (int r = 0; r < 16; ++r)
    for (int c = 0; c < 16; ++c) {
      b[r][c] = static_cast<int8_t>(byte(rng));
      poke<int8_t>(local, 0x400 + r * 16 + c, b[r][c]);
    }
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) {
      // Large accumulator values exercise the wrap-around.
      c0[i][j] = (i + j) % 3 == 0 ? std::numeric_limits<int32_t>::max() - j
                                  : static_cast<int32_t>(rng());
      poke<int32_t>(local, kAccumulatorBase + 0x100 + i * cstride + 4 * j,
                    c0[i][j]);
    }
  ASSERT_EQ(runError(*sim), "");
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) {
      int64_t sum = accumulate ? c0[i][j] : 0;
      for (int kk = 0; kk < k; ++kk)
        sum += int64_t(a[i][kk]) * (tb ? b[j][kk] : b[kk][j]);
      int32_t expect = static_cast<int32_t>(static_cast<uint32_t>(sum));
      EXPECT_EQ(peek<int32_t>(local, kAccumulatorBase + 0x100 + i * cstride + 4 * j),
                expect)
          << i << "," << j;
    }
  EXPECT_EQ(sim->getStats().macs, uint64_t(m * k * n));
}

TEST(NPUSimulatorTest, MatmulI8) { checkMatmulI8(false, false); }
TEST(NPUSimulatorTest, MatmulI8Accumulate) { checkMatmulI8(true, false); }
TEST(NPUSimulatorTest, MatmulI8TransposedB) { checkMatmulI8(true, true); }

TEST(NPUSimulatorTest, MatmulBF16) {
  const int m = 7, k = 16, n = 9, astride = 64;
  auto sim = makeSim("matmul.bf16 acc+0x0, sp+0x0, sp+0x1000, m=7, k=16, n=9, "
                     "astride=64, acc\nhalt\n");
  ASSERT_TRUE(sim);
  auto local = sim->getLocalMemory();
  std::mt19937 rng(5);
  // Random bf16 bit patterns of moderate magnitude: sign, exponent 120..133.
  auto randomBF16 = [&]() {
    return static_cast<uint16_t>(((rng() & 1) << 15) | ((120 + rng() % 14) << 7) |
                                 (rng() & 0x7f));
  };
  uint16_t a[m][k], b[k][16];
  float c0[m][n];
  for (int i = 0; i < m; ++i)
    for (int kk = 0; kk < k; ++kk)
      poke<uint16_t>(local, i * astride + 2 * kk, a[i][kk] = randomBF16());
  for (int kk = 0; kk < k; ++kk)
    for (int j = 0; j < 16; ++j)
      poke<uint16_t>(local, 0x1000 + kk * 32 + 2 * j, b[kk][j] = randomBF16());
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j)
      poke<float>(local, kAccumulatorBase + i * n * 4 + 4 * j,
                  c0[i][j] = float(i) - float(j) * 0.5f);
  ASSERT_EQ(runError(*sim), "");
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) {
      double sum = c0[i][j], magnitude = std::fabs(c0[i][j]);
      for (int kk = 0; kk < k; ++kk) {
        double p = double(bf16Bits(a[i][kk])) * bf16Bits(b[kk][j]);
        sum += p;
        magnitude += std::fabs(p);
      }
      float got = peek<float>(local, kAccumulatorBase + i * n * 4 + 4 * j);
      // f32 accumulation: at most k+1 roundings of 2^-24 relative each.
      EXPECT_NEAR(got, sum, magnitude * 18 * 6e-8) << i << "," << j;
    }
}

struct UnaryCase {
  const char *mnemonic;
  double (*ref)(double);
  double lo, hi;
};

TEST(NPUSimulatorTest, VectorUnaryFunctions) {
  const UnaryCase cases[] = {
      {"vcopy", [](double x) { return x; }, -10, 10},
      {"vneg", [](double x) { return -x; }, -10, 10},
      {"vabs", [](double x) { return std::fabs(x); }, -10, 10},
      {"vrelu", [](double x) { return x > 0 ? x : 0.0; }, -10, 10},
      {"vexp", [](double x) { return std::exp(x); }, -20, 20},
      {"vtanh", [](double x) { return std::tanh(x); }, -5, 5},
      {"vsqrt", [](double x) { return std::sqrt(x); }, 0.01, 100},
      {"vrsqrt", [](double x) { return 1 / std::sqrt(x); }, 0.01, 100},
      {"vrecip", [](double x) { return 1 / x; }, 0.1, 100},
      {"vsigmoid", [](double x) { return 1 / (1 + std::exp(-x)); }, -10, 10},
  };
  for (const UnaryCase &c : cases) {
    // 3 rows of 21 columns, stride 100 bytes (a 16-byte gap per row).
    auto sim = makeSim(std::string(c.mnemonic) +
                       " acc+0x20, sp+0x0, rows=3, cols=21, stride=100\nhalt\n");
    ASSERT_TRUE(sim);
    auto local = sim->getLocalMemory();
    std::mt19937 rng(1);
    std::uniform_real_distribution<float> dist(float(c.lo), float(c.hi));
    float in[3][21];
    for (int r = 0; r < 3; ++r)
      for (int col = 0; col < 21; ++col)
        poke<float>(local, r * 100 + 4 * col, in[r][col] = dist(rng));
    for (int r = 0; r < 3; ++r)
      poke<float>(local, kAccumulatorBase + 0x20 + r * 100 + 84, -7.0f);
    ASSERT_EQ(runError(*sim), "");
    for (int r = 0; r < 3; ++r) {
      for (int col = 0; col < 21; ++col) {
        double expect = c.ref(in[r][col]);
        float got = peek<float>(local, kAccumulatorBase + 0x20 + r * 100 + 4 * col);
        EXPECT_NEAR(got, expect, 4e-7 * std::fabs(expect) + 1e-37)
            << c.mnemonic << "(" << in[r][col] << ")";
      }
      // The gap between rows is not written.
      EXPECT_EQ(peek<float>(local, kAccumulatorBase + 0x20 + r * 100 + 84), -7.0f);
    }
    EXPECT_EQ(sim->getStats().vectorElements, 63u);
  }
}

TEST(NPUSimulatorTest, VectorBinaryFunctionsAndBroadcasts) {
  const char *funcs[] = {"vadd", "vsub", "vmul", "vmax", "vmin"};
  const char *modes[] = {"tile", "row", "col", "scalar"};
  for (int f = 0; f < 5; ++f)
    for (int mode = 0; mode < 4; ++mode) {
      std::string text = std::string(funcs[f]) +
                         " sp+0x2000, sp+0x0, sp+0x1000, rows=3, cols=20, "
                         "stride=96, b=" + modes[mode] + "\nhalt\n";
      auto sim = makeSim(text);
      ASSERT_TRUE(sim);
      auto local = sim->getLocalMemory();
      std::mt19937 rng(f * 4 + mode);
      std::uniform_real_distribution<float> dist(-3, 3);
      float a[3][20], b[3][20];
      for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 20; ++c) {
          poke<float>(local, r * 96 + 4 * c, a[r][c] = dist(rng));
          poke<float>(local, 0x1000 + r * 96 + 4 * c, b[r][c] = dist(rng));
        }
      ASSERT_EQ(runError(*sim), "");
      for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 20; ++c) {
          // Where the broadcast modes read B from (B's first row, B's
          // first f32 per row as a dense column, or its first f32).
          float y = mode == 0 ? b[r][c]
                    : mode == 1 ? b[0][c]
                    : mode == 2 ? (r * 4 < 80 ? b[0][r] : 0)
                                : b[0][0];
          double x = a[r][c], e;
          switch (f) {
          case 0: e = x + y; break;
          case 1: e = x - y; break;
          case 2: e = x * double(y); break;
          case 3: e = x > y ? x : y; break;
          default: e = x < y ? x : y; break;
          }
          EXPECT_FLOAT_EQ(peek<float>(local, 0x2000 + r * 96 + 4 * c), float(e))
              << text;
        }
    }
}

TEST(NPUSimulatorTest, VectorReductions) {
  for (bool isMax : {false, true})
    for (bool accumulate : {false, true}) {
      std::string text = std::string(isMax ? "vredmax" : "vredsum") +
                         " sp+0x1000, sp+0x0, rows=5, cols=37, stride=160" +
                         (accumulate ? ", acc" : "") + "\nhalt\n";
      auto sim = makeSim(text);
      ASSERT_TRUE(sim);
      auto local = sim->getLocalMemory();
      std::mt19937 rng(accumulate + 2 * isMax);
      std::uniform_real_distribution<float> dist(-100, 100);
      double expect[5];
      for (int r = 0; r < 5; ++r) {
        float init = dist(rng);
        poke<float>(local, 0x1000 + 4 * r, init);
        double sum = accumulate ? init : 0, max = accumulate ? init : -1e300;
        for (int c = 0; c < 37; ++c) {
          float v = dist(rng);
          poke<float>(local, r * 160 + 4 * c, v);
          sum += v;
          max = std::max<double>(max, v);
        }
        expect[r] = isMax ? max : sum;
      }
      ASSERT_EQ(runError(*sim), "");
      for (int r = 0; r < 5; ++r)
        EXPECT_NEAR(peek<float>(local, 0x1000 + 4 * r), expect[r],
                    isMax ? 0 : 4e-3)
            << text;
    }
}

TEST(NPUSimulatorTest, VectorConvertRoundsToNearestEvenAndSaturates) {
  struct Case {
    const char *from, *to;
    uint32_t in;  // bit pattern of the source element (low bytes used)
    uint32_t out; // expected bit pattern of the result
  };
  auto f = [](float v) { uint32_t b; std::memcpy(&b, &v, 4); return b; };
  auto i = [](int32_t v) { return static_cast<uint32_t>(v); };
  const Case cases[] = {
      {"f32", "i8", f(2.5f), 2},          {"f32", "i8", f(3.5f), 4},
      {"f32", "i8", f(-2.5f), 0xfe},      {"f32", "i8", f(200.f), 127},
      {"f32", "i8", f(-300.f), 0x80},     {"f32", "i8", f(NAN), 0},
      {"f32", "i32", f(1e10f), i(INT32_MAX)}, {"f32", "i32", f(-1e10f), i(INT32_MIN)},
      {"f32", "i32", f(-7.5f), i(-8)},
      {"f32", "bf16", f(1.00390625f), 0x3f80},   // halfway: to even
      {"f32", "bf16", f(1.01171875f), 0x3f82},   // halfway: to even (up)
      {"f32", "bf16", 0x3f808001u, 0x3f81},      // just above halfway
      {"f32", "f32", f(-1.25f), f(-1.25f)},
      {"i32", "f32", i(16777217), f(16777216.f)},
      {"i32", "i8", i(1000), 127},        {"i32", "i8", i(-1000), 0x80},
      {"i32", "i32", i(-123456789), i(-123456789)},
      {"i32", "bf16", i(257), 0x4380},    // 257 -> 256 in bf16
      {"i8", "i32", 0xfb, i(-5)},         {"i8", "f32", 0x80, f(-128.f)},
      {"i8", "bf16", 0x7f, 0x42fe},       {"i8", "i8", 0x9c, 0x9c},
      {"bf16", "f32", 0xc0a0, f(-5.f)},   {"bf16", "i8", 0x4310, 127},
      {"bf16", "i32", 0x4310, 144},       {"bf16", "bf16", 0x1234, 0x1234},
  };
  auto size = [](llvm::StringRef t) {
    return t == "i8" ? 1 : t == "bf16" ? 2 : 4;
  };
  for (const Case &c : cases) {
    std::string text = std::string("vcvt acc+0x40, sp+0x10, to=") + c.to +
                       ", from=" + c.from + ", rows=1, cols=1\nhalt\n";
    auto sim = makeSim(text);
    ASSERT_TRUE(sim);
    auto local = sim->getLocalMemory();
    std::memcpy(local.data() + 0x10, &c.in, size(c.from));
    ASSERT_EQ(runError(*sim), "");
    uint32_t out = 0;
    std::memcpy(&out, local.data() + kAccumulatorBase + 0x40, size(c.to));
    EXPECT_EQ(out, c.out) << text;
  }
}

TEST(NPUSimulatorTest, VectorConvertTiles) {
  // i32 accumulator tile -> f32 scratchpad tile with different strides.
  auto sim = makeSim("vcvt sp+0x0, acc+0x0, to=f32, from=i32, rows=2, cols=3, "
                     "dst_stride=16, src_stride=64\nhalt\n");
  ASSERT_TRUE(sim);
  auto local = sim->getLocalMemory();
  for (int r = 0; r < 2; ++r)
    for (int c = 0; c < 3; ++c)
      poke<int32_t>(local, kAccumulatorBase + r * 64 + 4 * c, r * 10 - c);
  ASSERT_EQ(runError(*sim), "");
  for (int r = 0; r < 2; ++r)
    for (int c = 0; c < 3; ++c)
      EXPECT_EQ(peek<float>(local, r * 16 + 4 * c), float(r * 10 - c));
}

TEST(NPUSimulatorTest, VectorFill) {
  auto sim = makeSim("vfill sp+0x8, value=-0.375, rows=2, cols=5, stride=32\nhalt\n");
  ASSERT_TRUE(sim);
  auto local = sim->getLocalMemory();
  std::memset(local.data(), 0x55, 0x100);
  ASSERT_EQ(runError(*sim), "");
  for (int r = 0; r < 2; ++r)
    for (int c = 0; c < 8; ++c) {
      uint32_t bits = peek<uint32_t>(local, 0x8 + r * 32 + 4 * c);
      if (c < 5)
        EXPECT_EQ(bits, 0xbec00000u); // -0.375
      else
        EXPECT_EQ(bits, 0x55555555u);
    }
}

TEST(NPUSimulatorTest, TimingFollowsTheDocumentedModel) {
  // One aligned 1024-byte load: 1024 / 16 bytes per cycle + 100 latency.
  auto dma = makeSim(".input r1, \"x\", i8[1024]\n"
                     "dma.load sp+0x0, r1+0, rows=1, bytes=1024\nhalt\n");
  ASSERT_TRUE(dma);
  ASSERT_EQ(runError(*dma), "");
  EXPECT_EQ(dma->getStats().cycles, 64u + 100u);

  // Two matmuls back to back: the second one's weight preload hides behind
  // the first one's 64 rows: (16 + 64) + 64 + 32 drain.
  auto mm = makeSim("matmul.i8 acc+0x0, sp+0x0, sp+0x1000, m=64, k=16, n=16\n"
                    "matmul.i8 acc+0x0, sp+0x0, sp+0x1000, m=64, k=16, n=16, acc\n"
                    "halt\n");
  ASSERT_TRUE(mm);
  ASSERT_EQ(runError(*mm), "");
  EXPECT_EQ(mm->getStats().cycles, 176u);
  EXPECT_EQ(mm->getStats().arrayBusyCycles, 144u);
  EXPECT_EQ(mm->getStats().macs, 2u * 64 * 16 * 16);

  // A consumer waiting for a token starts when the producer completes.
  auto sync = makeSim(".input r1, \"x\", i8[1024]\n"
                      "dma.load sp+0x0, r1+0, rows=1, bytes=1024, signal=cp\n"
                      "vexp sp+0x0, sp+0x0, rows=1, cols=16, wait=ld\nhalt\n");
  ASSERT_TRUE(sync);
  ASSERT_EQ(runError(*sync), "");
  // 164 for the load, then 1 beat + 16 transcendental latency.
  EXPECT_EQ(sync->getStats().cycles, 164u + 17u);
  EXPECT_EQ(sync->getStats().queues[1].waitStallCycles, 164u);
}

TEST(NPUSimulatorTest, DramAccessOutsideItsArgumentIsAnError) {
  auto sim = makeSim(".input r1, \"x\", f32[4]\n"
                     "dma.load sp+0x0, r1+8, rows=2, bytes=8, dstride=8\nhalt\n");
  ASSERT_TRUE(sim);
  EXPECT_EQ(runError(*sim),
            "instruction #0 (dma.load) at byte offset 0x40 (test.s:2): DRAM access "
            "[r1+0x8, r1+0x18) is outside r1 ('x', 16 bytes)");
  auto unbound = makeSim("dma.store r5+0, sp+0x0, rows=1, bytes=8\nhalt\n");
  ASSERT_TRUE(unbound);
  EXPECT_EQ(runError(*unbound), "instruction #0 (dma.store) at byte offset "
                                "0x40 (test.s:1): r5 is not bound (no "
                                "argument uses it)");
}

TEST(NPUSimulatorTest, DmaGatherFetchesTableRowsByIndex) {
  auto sim = makeSim(R"(
.input r1, "table", f32[5x3]
.input r2, "ids", i64[4]
.input r3, "ids32", i32[3]
.output r4, "y", f32[4x3]
.output r5, "z", f32[3x3]
dma.load sp+0x0, r2+0, rows=1, bytes=32
dma.load sp+0x40, r3+0, rows=1, bytes=12
dma.gather sp+0x100, r1+0x0, sp+0x0, rows=4, bytes=12, table=5, idx=i64, signal=st
dma.gather sp+0x200, r1+0xc, sp+0x40, rows=3, bytes=8, table=4, idx=i32, signal=st
dma.store r4+0, sp+0x100, rows=4, bytes=12, wait=ld
dma.store r5+0, sp+0x200, rows=3, bytes=8, dstride=12, wait=ld
halt
)");
  ASSERT_TRUE(sim);
  auto table = sim->getArgumentMemory(0);
  for (int i = 0; i < 15; ++i)
    poke<float>(table, 4 * i, 0.5f * i - 3.0f);
  const int64_t ids[4] = {4, 0, 4, 2};
  const int32_t ids32[3] = {3, 1, 0};
  for (int i = 0; i < 4; ++i)
    poke<int64_t>(sim->getArgumentMemory(1), 8 * i, ids[i]);
  for (int i = 0; i < 3; ++i)
    poke<int32_t>(sim->getArgumentMemory(2), 4 * i, ids32[i]);
  ASSERT_EQ(runError(*sim), "");
  // y[r] = table[ids[r]]. The second gather's table has rows of `bytes` =
  // 8 bytes from r1+12: its row k is floats 3 + 2k, 4 + 2k of the input.
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 3; ++c)
      EXPECT_EQ(peek<float>(sim->getArgumentMemory(3), 4 * (3 * r + c)),
                0.5f * (3 * ids[r] + c) - 3.0f);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 2; ++c)
      EXPECT_EQ(peek<float>(sim->getArgumentMemory(4), 4 * (3 * r + c)),
                0.5f * (3 + 2 * ids32[r] + c) - 3.0f);
  EXPECT_EQ(sim->getStats().dmaLoadBytes, 32u + 12u + 48u + 24u);
}

TEST(NPUSimulatorTest, DmaGatherRejectsIndicesOutsideTheTable) {
  const char *program = R"(
.input r1, "table", f32[5x3]
.input r2, "ids", i64[2]
dma.load sp+0x0, r2+0, rows=1, bytes=16
dma.gather sp+0x100, r1+0x0, sp+0x0, rows=2, bytes=12, table=TABLE, idx=i64
halt
)";
  for (int64_t bad : {int64_t(5), int64_t(-1), int64_t(1) << 40}) {
    auto sim = makeSim(llvm::StringRef(program).str().replace(
        llvm::StringRef(program).find("TABLE"), 5, "5"));
    ASSERT_TRUE(sim);
    poke<int64_t>(sim->getArgumentMemory(1), 0, 1);
    poke<int64_t>(sim->getArgumentMemory(1), 8, bad);
    EXPECT_EQ(runError(*sim),
              "instruction #1 (dma.gather) at byte offset 0x50 (test.s:5): "
              "index " + std::to_string(bad) +
                  " (entry 1) is outside the table's 5 rows");
  }
  // A table that does not fit its register's buffer.
  auto sim = makeSim(llvm::StringRef(program).str().replace(
      llvm::StringRef(program).find("TABLE"), 5, "6"));
  ASSERT_TRUE(sim);
  EXPECT_EQ(runError(*sim),
            "instruction #1 (dma.gather) at byte offset 0x50 (test.s:5): the "
            "table [r1+0x0, r1+0x48) is outside r1 ('table', 60 bytes)");
}

TEST(NPUSimulatorTest, DeadlocksAreReported) {
  auto sim = makeSim("sync.ld wait=cp, signal=cp\nsync.cp wait=ld, signal=ld\nhalt\n");
  ASSERT_TRUE(sim);
  EXPECT_EQ(runError(*sim),
            "deadlock: no queue can issue its next instruction\n"
            "  ld queue: instruction #0 (sync.ld) at byte offset 0x40 "
            "(test.s:1), waits for a token from cp\n"
            "  cp queue: instruction #1 (sync.cp) at byte offset 0x50 "
            "(test.s:2), waits for a token from ld\n"
            "  st queue: halted");

  // Nine signals into a channel of eight that nobody drains.
  std::string text;
  for (int i = 0; i < 9; ++i)
    text += "sync.ld signal=st\n";
  auto full = makeSim(text + "halt\n");
  ASSERT_TRUE(full);
  std::string error = runError(*full);
  EXPECT_NE(error.find("ld queue: instruction #8 (sync.ld) at byte offset "
                       "0xc0 (test.s:9), cannot signal st: its channel holds "
                       "8 tokens"),
            std::string::npos)
      << error;
}

TEST(NPUSimulatorTest, UnsynchronisedAccessesAreDataRaces) {
  auto sim = makeSim(".input r1, \"x\", f32[16]\n"
                     "dma.load sp+0x0, r1+0, rows=1, bytes=64\n"
                     "vexp sp+0x100, sp+0x0, rows=1, cols=16\nhalt\n");
  ASSERT_TRUE(sim);
  std::string error = runError(*sim);
  EXPECT_EQ(error, "instruction #1 (vexp) at byte offset 0x50 (test.s:3): "
                   "data race: its source A reads sp+0x0 at cycle 0, which "
                   "instruction #0 (dma.load) at byte offset 0x40 (test.s:2) "
                   "in the ld queue writes until cycle 104; order them with a "
                   "dependency token");
  // The same program with a token is fine.
  auto ok = makeSim(".input r1, \"x\", f32[16]\n"
                    "dma.load sp+0x0, r1+0, rows=1, bytes=64, signal=cp\n"
                    "vexp sp+0x100, sp+0x0, rows=1, cols=16, wait=ld\nhalt\n");
  ASSERT_TRUE(ok);
  EXPECT_EQ(runError(*ok), "");
}

TEST(NPUSimulatorTest, UnsynchronisedDramAccessesAreDataRaces) {
  // A spill to the data segment and a reload of the same bytes, without a
  // token from the store queue to the load queue: the load is in flight
  // when the store writes.
  auto sim = makeSim(".data\n.reserve 128\n.text\n"
                     "vfill sp+0x0, value=1, rows=1, cols=16, signal=st\n"
                     "dma.store r0+0x10, sp+0x0, rows=1, bytes=64, wait=cp\n"
                     "dma.load sp+0x100, r0+0x40, rows=2, bytes=16, dstride=32\n"
                     "halt\n");
  ASSERT_TRUE(sim);
  EXPECT_EQ(runError(*sim),
            "instruction #1 (dma.store) at byte offset 0x50 (test.s:5): data "
            "race: it writes DRAM r0+0x40 at cycle 5, which instruction #2 "
            "(dma.load) at byte offset 0x60 (test.s:6) reads until cycle 108; "
            "order them with a "
            "dependency token");
  // (108: its two rows move a 64-byte burst each, 8 cycles, + 100 latency.)
  // Rows that do not overlap (the load's rows are 32 bytes apart, 16 bytes
  // long; the store ends at 0x50) are no race; neither is the ordered pair.
  auto disjoint = makeSim(".data\n.reserve 128\n.text\n"
                          "vfill sp+0x0, value=1, rows=1, cols=4, signal=st\n"
                          "dma.store r0+0x50, sp+0x0, rows=1, bytes=16, wait=cp\n"
                          "dma.load sp+0x100, r0+0x40, rows=2, bytes=16, dstride=32\n"
                          "halt\n");
  ASSERT_TRUE(disjoint);
  EXPECT_EQ(runError(*disjoint), "");
  auto ordered = makeSim(".data\n.reserve 128\n.text\n"
                         "vfill sp+0x0, value=1, rows=1, cols=16, signal=st\n"
                         "dma.store r0+0x10, sp+0x0, rows=1, bytes=64, wait=cp, signal=ld\n"
                         "dma.load sp+0x100, r0+0x40, rows=2, bytes=16, dstride=32, wait=st\n"
                         "halt\n");
  ASSERT_TRUE(ordered);
  EXPECT_EQ(runError(*ordered), "");
  // The reload sees the stored ones (1.0f) in its first row.
  EXPECT_EQ(peek<float>(ordered->getLocalMemory(), 0x100), 1.0f);
}

TEST(NPUSimulatorTest, ProgramsMustBeValidAndTerminated) {
  Program program;
  Instruction load(Opcode::DmaLoad);
  load.set(Field::Rows, 1);
  load.set(Field::RowBytes, 4);
  program.instructions.push_back(load);
  auto unterminated = Simulator::create(program);
  ASSERT_FALSE(bool(unterminated));
  EXPECT_EQ(llvm::toString(unterminated.takeError()),
            "the program is not terminated: its last instruction, "
            "instruction #0 (dma.load) at byte offset 0x40, is not halt");

  program.instructions.push_back(Instruction(Opcode::Halt));
  program.instructions[0].set(Field::LocalAddr, kLocalEnd);
  auto invalid = Simulator::create(program);
  ASSERT_FALSE(bool(invalid));
  EXPECT_EQ(llvm::toString(invalid.takeError()),
            "instruction #0 (dma.load) at byte offset 0x40: destination "
            "address 0x50000 is not mapped (scratchpad 0x0-0x3ffff, "
            "accumulator 0x40000-0x4ffff)");

  Program big = assembleOrDie(".input r1, \"x\", f32[2x1024x1024x1024]\nhalt\n");
  auto tooBig = Simulator::create(big);
  ASSERT_FALSE(bool(tooBig));
  EXPECT_EQ(llvm::toString(tooBig.takeError()),
            "the program needs 8589934592 bytes of DRAM (data segment and "
            "arguments); the simulator allows 4294967296");
}

/// Random bytes and random valid instructions: every outcome is a result or
/// an error, never a crash (run under ASan in the sanitizer build).
TEST(NPUSimulatorTest, FuzzRandomBinariesAndPrograms) {
  std::mt19937_64 rng(2024);
  Program seed = assembleOrDie(".input r1, \"x\", f32[64]\n.output r2, \"y\", "
                               "f32[64]\n.data\n.zero 256\n.text\nhalt\n");
  std::string valid = llvm::cantFail(writeBinary(seed));
  unsigned parsed = 0, ran = 0;
  for (int trial = 0; trial < 300; ++trial) {
    std::string bytes = valid;
    // Flip random bytes (sometimes many, sometimes in the header only).
    int flips = 1 + rng() % 8;
    for (int i = 0; i < flips; ++i)
      bytes[rng() % (trial % 2 ? 64 : bytes.size())] = static_cast<char>(rng());
    if (trial % 5 == 0)
      bytes.resize(rng() % bytes.size());
    llvm::Expected<Program> program = readBinary(bytes, "fuzz.npubin");
    if (!program) {
      llvm::consumeError(program.takeError());
      continue;
    }
    ++parsed;
    SimConfig config;
    config.maxDramBytes = 1 << 20;
    auto sim = Simulator::create(*program, config);
    if (!sim) {
      llvm::consumeError(sim.takeError());
      continue;
    }
    llvm::consumeError((*sim)->run());
  }
  // Random instructions that pass validation, with random tokens.
  for (int trial = 0; trial < 200; ++trial) {
    Program program = seed;
    program.instructions.clear();
    while (program.instructions.size() < 12) {
      const MnemonicInfo &info =
          getMnemonics()[1 + rng() % (getMnemonics().size() - 1)];
      Instruction inst(info.opcode);
      for (const FieldLayout &l : getFormat(static_cast<uint8_t>(info.opcode))) {
        if (l.field == Field::Opcode)
          continue;
        // Small counts and DRAM offsets, so that some programs get far.
        uint64_t limit = l.field == Field::Rows || l.field == Field::M ? 7
                         : l.field == Field::DramOffset ||
                                 l.field == Field::DramStride
                             ? 0xff
                             : ~0ull;
        inst.set(l.field, rng() & ((1ull << l.width) - 1) & limit);
      }
      if (info.hasFixed)
        inst.set(info.fixedField, info.fixedValue);
      if (info.opcode == Opcode::VBinary || info.opcode == Opcode::VUnary ||
          info.opcode == Opcode::VReduce)
        inst.set(Field::Func, info.fixedValue);
      if (validate(inst).empty())
        program.instructions.push_back(inst);
    }
    program.instructions.push_back(Instruction(Opcode::Halt));
    auto sim = Simulator::create(program);
    ASSERT_TRUE(bool(sim)) << llvm::toString(sim.takeError());
    // Errors (races, deadlocks, DRAM bounds) are expected outcomes.
    if (llvm::Error err = (*sim)->run())
      llvm::consumeError(std::move(err));
    else
      ++ran;
  }
  // Sanity: the fuzzers reached the simulator.
  EXPECT_GT(parsed + ran, 0u);
}
} // namespace
