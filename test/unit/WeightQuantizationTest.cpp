//===- WeightQuantizationTest.cpp - numerics of transformer-quantize -----===//
//
// The quantization recipes on small matrices, with expected values worked
// out by hand from the formulas in WeightQuantization.h (round half to even
// of w / scale with the scale as stored).
//
//===----------------------------------------------------------------------===//

#include "Transformer/Transforms/WeightQuantization.h"

#include <gtest/gtest.h>

using namespace mlir::llm::transformer;

namespace {

TEST(WeightQuantization, Int8PerChannel) {
  // Rows are output channels. Row 0: amax 2.54 -> scale 0.02,
  // q = [127, -64 (-63.5 rounds to even), 0]; row 1 all zero -> scale 1.
  std::vector<float> w = {2.54f, -1.27f, 0.0f, 0.0f, 0.0f, 0.0f};
  QuantizedWeights q = quantizeInt8PerChannel(w, 2, 3);
  ASSERT_EQ(q.scales.size(), 2u);
  EXPECT_FLOAT_EQ(q.scales[0], 2.54f / 127.0f);
  EXPECT_EQ(q.scales[1], 1.0f);
  EXPECT_EQ(q.values, (std::vector<int8_t>{127, -64, 0, 0, 0, 0}));
  EXPECT_TRUE(q.zeroPoints.empty());
}

TEST(WeightQuantization, Int4SymmetricPartialGroup) {
  // One channel, k = 5, groups of 2: [0.7, -0.35 | 1.4, 0.2 | -0.07].
  // Group 0: scale 0.1, q = [7, round(-3.5) = -4]; group 1: scale 0.2,
  // q = [7, 1]; group 2 (partial): scale 0.01, q = [-7].
  std::vector<float> w = {0.7f, -0.35f, 1.4f, 0.2f, -0.07f};
  QuantizedWeights q = quantizeInt4Grouped(w, 1, 5, 2, /*asymmetric=*/false,
                                           /*halfScales=*/false);
  ASSERT_EQ(q.scales.size(), 3u);
  EXPECT_FLOAT_EQ(q.scales[0], 0.1f);
  EXPECT_FLOAT_EQ(q.scales[1], 0.2f);
  EXPECT_FLOAT_EQ(q.scales[2], 0.01f);
  EXPECT_EQ(q.values, (std::vector<int8_t>{7, -4, 7, 1, -7}));
}

TEST(WeightQuantization, Int4AsymmetricZeroPoints) {
  // Range [-1, 2]: scale 0.2, zero point round(5) = 5,
  // q = [round(-5) + 5 = 0, round(10) + 5 = 15, round(2.5) + 5 = 7]
  // (2.5 rounds to even: 2). A positive-only group [0.3, 0.6] widens to
  // [0, 0.6]: scale 0.04, zero point 0, q = [round(7.5) = 8, 15].
  std::vector<float> w = {-1.0f, 2.0f, 0.5f, 0.3f, 0.6f};
  QuantizedWeights q = quantizeInt4Grouped(w, 1, 5, 3, /*asymmetric=*/true,
                                           /*halfScales=*/false);
  ASSERT_EQ(q.scales.size(), 2u);
  EXPECT_FLOAT_EQ(q.scales[0], 0.2f);
  EXPECT_FLOAT_EQ(q.scales[1], 0.04f);
  EXPECT_EQ(q.zeroPoints, (std::vector<uint8_t>{5, 0}));
  EXPECT_EQ(q.values, (std::vector<int8_t>{0, 15, 7, 8, 15}));
}

TEST(WeightQuantization, HalfScales) {
  // 0.1 is not an f16 value: the nearest is 0.0999755859375; the scale is
  // stored rounded and used rounded.
  EXPECT_EQ(roundToHalf(0.1f), 0.0999755859375f);
  EXPECT_EQ(roundToHalf(1e-12f), 5.9604644775390625e-08f); // kept positive
  std::vector<float> w = {0.7f, 0.35f};
  QuantizedWeights q = quantizeInt4Grouped(w, 1, 2, 2, false, true);
  EXPECT_EQ(q.scales[0], roundToHalf(0.1f));
  // 0.7 / 0.0999756 = 7.0017 -> 7; 0.35 / 0.0999756 = 3.5009 -> 4.
  EXPECT_EQ(q.values, (std::vector<int8_t>{7, 4}));
}

} // namespace
