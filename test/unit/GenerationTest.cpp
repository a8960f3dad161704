//===- GenerationTest.cpp - unit tests of vocabulary and generation ------===//
//
// Tests of lib/Runtime/{Vocabulary,Generation}.cpp with a model written here
// in C++ (no compiler involved), whose next token depends on the whole
// history, so a cache that drops or repeats positions changes the output:
//   present = concat(past, [one position per new token, value = token id])
//   logits[v] = -(v - (sum of every token id seen so far) mod V)^2
// so greedy decoding picks (sum of the sequence) mod V, and the expected
// tokens follow from that recurrence directly.
//
//===----------------------------------------------------------------------===//

#include "llm/Runtime/Generation.h"
#include "llm/Runtime/Vocabulary.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

using namespace mlir::llm;

namespace {

constexpr int64_t kVocab = 7;

ModelSignature makeSignature(bool withCache, bool withMask) {
  ModelSignature sig;
  sig.functionName = "main";
  sig.inputs.push_back({"input_ids", DType::I64, {1, -1}, {}});
  if (withMask)
    sig.inputs.push_back({"attention_mask", DType::I64, {1, -1}, {}});
  if (withCache)
    sig.inputs.push_back(
        {"past_key_values.0.key", DType::F32, {1, 1, -1, 1}, {}});
  sig.outputs.push_back({"logits", DType::F32, {1, -1, kVocab}, {}});
  if (withCache)
    sig.outputs.push_back({"present.0.key", DType::F32, {1, 1, -1, 1}, {}});
  return sig;
}

/// The model of the file comment. Records the sizes it was called with.
struct SumModel {
  ModelSignature sig;
  DecoderLayout layout;
  std::vector<std::pair<int64_t, int64_t>> calls; // (past, new tokens)

  llvm::Expected<std::vector<Tensor>>
  operator()(llvm::ArrayRef<const Tensor *> inputs) {
    const Tensor &ids = *inputs[layout.inputIds];
    int64_t fed = ids.getShape()[1];
    std::vector<float> history;
    if (!layout.caches.empty()) {
      const Tensor &past = *inputs[layout.caches[0].input];
      for (int64_t i = 0; i < past.getNumElements(); ++i)
        history.push_back(past.dataAs<float>()[i]);
    }
    if (layout.attentionMask >= 0) {
      EXPECT_EQ(inputs[layout.attentionMask]->getShape()[1],
                static_cast<int64_t>(history.size()) + fed);
    }
    calls.emplace_back(static_cast<int64_t>(history.size()), fed);
    for (int64_t i = 0; i < fed; ++i)
      history.push_back(static_cast<float>(ids.dataAs<int64_t>()[i]));
    int64_t sum = 0;
    for (float v : history)
      sum += static_cast<int64_t>(v);
    std::vector<Tensor> out;
    Tensor logits(DType::F32, {1, fed, kVocab});
    for (int64_t v = 0; v < kVocab; ++v) {
      float d = static_cast<float>(v - sum % kVocab);
      logits.dataAs<float>()[(fed - 1) * kVocab + v] = -d * d;
    }
    out.push_back(std::move(logits));
    if (!layout.caches.empty()) {
      Tensor present(DType::F32,
                     {1, 1, static_cast<int64_t>(history.size()), 1});
      std::copy(history.begin(), history.end(), present.dataAs<float>());
      out.push_back(std::move(present));
    }
    return out;
  }
};

std::vector<int64_t> expectedTokens(std::vector<int64_t> sequence,
                                    unsigned n) {
  std::vector<int64_t> out;
  for (unsigned i = 0; i < n; ++i) {
    int64_t sum = 0;
    for (int64_t t : sequence)
      sum += t;
    out.push_back(sum % kVocab);
    sequence.push_back(out.back());
  }
  return out;
}

void runCase(bool withCache, bool withMask, bool useCache) {
  SumModel model;
  model.sig = makeSignature(withCache, withMask);
  auto layout = DecoderLayout::detect(model.sig);
  ASSERT_TRUE(static_cast<bool>(layout)) << llvm::toString(layout.takeError());
  model.layout = *layout;
  GenerationOptions options;
  options.maxNewTokens = 6;
  options.useCache = useCache;
  std::vector<int64_t> prompt = {3, 5, 1};
  auto result = generateGreedy(
      model.sig, model.layout,
      [&](llvm::ArrayRef<const Tensor *> in) { return model(in); }, prompt,
      options);
  ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
  EXPECT_EQ(result->tokens, expectedTokens(prompt, 6));
  EXPECT_EQ(result->decodeSteps, 5u);
  ASSERT_EQ(model.calls.size(), 6u);
  for (size_t i = 0; i < model.calls.size(); ++i) {
    if (withCache && useCache) {
      // Prompt with an empty cache, then one token on the cached history.
      EXPECT_EQ(model.calls[i].first, i == 0 ? 0 : int64_t(2 + i));
      EXPECT_EQ(model.calls[i].second, i == 0 ? 3 : 1);
    } else {
      EXPECT_EQ(model.calls[i].first, 0);
      EXPECT_EQ(model.calls[i].second, int64_t(3 + i));
    }
  }
}

TEST(Generation, KVCacheCarriesTheHistory) { runCase(true, false, true); }
TEST(Generation, AttentionMaskCoversPastAndNew) { runCase(true, true, true); }
TEST(Generation, NoCacheRerunsTheSequence) { runCase(true, false, false); }
TEST(Generation, ModelWithoutCache) { runCase(false, false, true); }

TEST(Generation, LayoutErrors) {
  ModelSignature sig = makeSignature(true, false);
  sig.outputs.pop_back(); // no present.0.key
  auto layout = DecoderLayout::detect(sig);
  ASSERT_FALSE(static_cast<bool>(layout));
  EXPECT_NE(llvm::toString(layout.takeError()).find("present.0.key"),
            std::string::npos);

  sig = makeSignature(false, false);
  sig.inputs.push_back({"hidden", DType::F32, {1, 4}, {}});
  layout = DecoderLayout::detect(sig);
  ASSERT_FALSE(static_cast<bool>(layout));
  EXPECT_NE(llvm::toString(layout.takeError()).find("'hidden'"),
            std::string::npos);

  sig = makeSignature(false, false);
  sig.inputs[0].dtype = DType::F32;
  layout = DecoderLayout::detect(sig);
  ASSERT_FALSE(static_cast<bool>(layout));
  EXPECT_NE(llvm::toString(layout.takeError()).find("input_ids"),
            std::string::npos);
}

TEST(Generation, ContextLengthIsChecked) {
  SumModel model;
  model.sig = makeSignature(true, false);
  model.layout = *DecoderLayout::detect(model.sig);
  GenerationOptions options;
  options.maxNewTokens = 8;
  options.maxPositions = 10;
  auto result = generateGreedy(
      model.sig, model.layout,
      [&](llvm::ArrayRef<const Tensor *> in) { return model(in); }, {1, 2, 3},
      options);
  ASSERT_FALSE(static_cast<bool>(result));
  EXPECT_NE(llvm::toString(result.takeError()).find("10 positions"),
            std::string::npos);
  EXPECT_TRUE(model.calls.empty());
}

TEST(Vocabulary, EncodeLongestMatchAndDecode) {
  auto vocab = Vocabulary::create({"a", "b", "ab", "abc", " "}, "test");
  ASSERT_TRUE(static_cast<bool>(vocab)) << llvm::toString(vocab.takeError());
  auto ids = vocab->encode("abcab b");
  ASSERT_TRUE(static_cast<bool>(ids)) << llvm::toString(ids.takeError());
  EXPECT_EQ(*ids, (std::vector<int64_t>{3, 2, 4, 1}));
  EXPECT_EQ(vocab->decode(*ids), "abcab b");
  EXPECT_EQ(vocab->decode({0, 9}), "a<id 9>");

  auto bad = vocab->encode("abx");
  ASSERT_FALSE(static_cast<bool>(bad));
  EXPECT_NE(llvm::toString(bad.takeError()).find("byte 2 ('x')"),
            std::string::npos);
}

TEST(Vocabulary, RejectsBadFiles) {
  auto repeated = Vocabulary::create({"a", "a"}, "t");
  ASSERT_FALSE(static_cast<bool>(repeated));
  EXPECT_NE(llvm::toString(repeated.takeError()).find("same string"),
            std::string::npos);
  auto empty = Vocabulary::create({"a", ""}, "t");
  ASSERT_FALSE(static_cast<bool>(empty));
  llvm::consumeError(empty.takeError());

  llvm::SmallString<128> path;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("vocab", "json", path));
  for (const char *text : {"{\"a\": 1}", "[\"a\", 3]", "[\"a\"", "[]"}) {
    {
      std::error_code ec;
      llvm::raw_fd_ostream os(path, ec);
      ASSERT_FALSE(ec);
      os << text;
    }
    auto vocab = Vocabulary::load(path);
    ASSERT_FALSE(static_cast<bool>(vocab)) << text;
    EXPECT_NE(llvm::toString(vocab.takeError()).find(path.str().str()),
              std::string::npos)
        << text;
  }
  llvm::sys::fs::remove(path);
  auto missing = Vocabulary::load("/nonexistent/vocab.json");
  ASSERT_FALSE(static_cast<bool>(missing));
  llvm::consumeError(missing.takeError());
}

} // namespace
