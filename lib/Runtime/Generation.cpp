//===- Generation.cpp - greedy token generation with a KV cache -----------===//

#include "llm/Runtime/Generation.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"

#include <chrono>

using namespace mlir::llm;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static bool isIdType(DType dtype) {
  return dtype == DType::I64 || dtype == DType::I32;
}

/// "past_key_values.N.key" -> "present.N.key", also for the older
/// "past.N.key" / "past_key_N" spellings (-> "present..."). "" if `name` is
/// not a past input.
static std::string presentNameFor(llvm::StringRef name) {
  for (llvm::StringRef prefix : {"past_key_values", "past"})
    if (name.starts_with(prefix))
      return ("present" + name.drop_front(prefix.size())).str();
  return "";
}

llvm::Expected<DecoderLayout>
DecoderLayout::detect(const ModelSignature &signature) {
  DecoderLayout layout;
  layout.inputIds = signature.findInput("input_ids");
  layout.attentionMask = signature.findInput("attention_mask");
  layout.positionIds = signature.findInput("position_ids");
  layout.logits = signature.findOutput("logits");
  if (layout.inputIds < 0)
    return makeError("the model has no input named 'input_ids' (token ids "
                     "[1, sequence]) to generate with");
  if (layout.logits < 0)
    return makeError("the model has no output named 'logits' ([1, sequence, "
                     "vocab] or [1, vocab]) to generate with");
  const TensorSignature &ids = signature.inputs[layout.inputIds];
  if (!isIdType(ids.dtype) || ids.shape.size() != 2)
    return makeError("input 'input_ids' is " + ids.describe() +
                     ", expected i64 or i32 [1, sequence]");
  const TensorSignature &logits = signature.outputs[layout.logits];
  if (!isFloatDType(logits.dtype) ||
      (logits.shape.size() != 2 && logits.shape.size() != 3))
    return makeError("output 'logits' is " + logits.describe() +
                     ", expected a float tensor [1, sequence, vocab] or "
                     "[1, vocab]");
  for (int index : {layout.attentionMask, layout.positionIds}) {
    if (index < 0)
      continue;
    const TensorSignature &spec = signature.inputs[index];
    if (!isIdType(spec.dtype) || spec.shape.size() != 2)
      return makeError("input '" + spec.name + "' is " + spec.describe() +
                       ", expected i64 or i32 [1, length]");
  }

  for (size_t i = 0; i < signature.inputs.size(); ++i) {
    const TensorSignature &past = signature.inputs[i];
    std::string presentName = presentNameFor(past.name);
    if (presentName.empty())
      continue;
    Cache cache;
    cache.input = static_cast<int>(i);
    cache.output = signature.findOutput(presentName);
    if (cache.output < 0)
      return makeError("cache input '" + past.name +
                       "' has no matching output '" + presentName + "'");
    // The sequence dim is the one dynamic dim after the batch dim.
    int sequenceDim = -1;
    for (size_t d = 1; d < past.shape.size(); ++d) {
      if (past.shape[d] >= 0)
        continue;
      if (sequenceDim >= 0)
        return makeError("cache input '" + past.name + "' (" +
                         past.describe() +
                         ") has several dynamic dims besides the batch; only "
                         "the past sequence may be dynamic");
      sequenceDim = static_cast<int>(d);
    }
    if (sequenceDim < 0)
      return makeError("cache input '" + past.name + "' (" + past.describe() +
                       ") has no dynamic sequence dim");
    if (past.shape[0] >= 0 && past.shape[0] != 1)
      return makeError("cache input '" + past.name + "' (" + past.describe() +
                       ") has batch " + llvm::Twine(past.shape[0]) +
                       "; generation runs batch 1");
    cache.sequenceDim = static_cast<unsigned>(sequenceDim);
    layout.caches.push_back(cache);
  }
  for (size_t i = 0; i < signature.inputs.size(); ++i) {
    int index = static_cast<int>(i);
    bool known = index == layout.inputIds || index == layout.attentionMask ||
                 index == layout.positionIds ||
                 llvm::any_of(layout.caches,
                              [&](const Cache &c) { return c.input == index; });
    if (!known)
      return makeError("input '" + signature.inputs[i].name + "' (" +
                       signature.inputs[i].describe() +
                       ") has no role in generation (known: input_ids, "
                       "attention_mask, position_ids, past_key_values.*)");
  }
  return layout;
}

/// A [1, n] tensor of token ids / positions in the input's element type.
static Tensor makeIdTensor(DType dtype, llvm::ArrayRef<int64_t> values) {
  Tensor t(dtype, {1, static_cast<int64_t>(values.size())});
  for (size_t i = 0; i < values.size(); ++i) {
    if (dtype == DType::I64)
      t.dataAs<int64_t>()[i] = values[i];
    else
      t.dataAs<int32_t>()[i] = static_cast<int32_t>(values[i]);
  }
  return t;
}

/// An empty cache tensor: the past input's shape with batch 1 and sequence 0.
static Tensor makeEmptyCache(const TensorSignature &spec, unsigned seqDim) {
  std::vector<int64_t> shape = spec.shape;
  shape[0] = 1;
  shape[seqDim] = 0;
  return Tensor(spec.dtype, shape);
}

/// Argmax of the last row of the logits (first maximum wins, as
/// torch.argmax). NaNs never win.
static llvm::Expected<int64_t> lastRowArgmax(const Tensor &logits) {
  llvm::ArrayRef<int64_t> shape = logits.getShape();
  int64_t vocab = shape.empty() ? 0 : shape.back();
  if (vocab <= 0 || logits.getNumElements() < vocab)
    return makeError("the model returned logits " + logits.describe() +
                     " with no vocabulary entries");
  int64_t base = logits.getNumElements() - vocab;
  int64_t best = 0;
  double bestValue = -std::numeric_limits<double>::infinity();
  bool any = false;
  for (int64_t v = 0; v < vocab; ++v) {
    double x = logits.getAsDouble(base + v);
    if (x != x)
      continue;
    if (!any || x > bestValue) {
      best = v;
      bestValue = x;
      any = true;
    }
  }
  if (!any)
    return makeError("the model returned NaN logits for every token");
  return best;
}

llvm::Expected<GenerationResult>
mlir::llm::generateGreedy(const ModelSignature &signature,
                          const DecoderLayout &layout, RunModelFn run,
                          llvm::ArrayRef<int64_t> prompt,
                          const GenerationOptions &options) {
  if (prompt.empty())
    return makeError("the prompt is empty: generation needs at least one "
                     "token");
  int64_t total =
      static_cast<int64_t>(prompt.size()) + options.maxNewTokens;
  if (options.maxPositions > 0 && total > options.maxPositions)
    return makeError("the prompt (" + llvm::Twine(prompt.size()) +
                     " tokens) plus " + llvm::Twine(options.maxNewTokens) +
                     " new tokens exceed the model's " +
                     llvm::Twine(options.maxPositions) + " positions");

  bool useCache = options.useCache && !layout.caches.empty();
  std::vector<Tensor> inputs(signature.inputs.size());
  auto emptyCaches = [&] {
    for (const DecoderLayout::Cache &cache : layout.caches)
      inputs[cache.input] =
          makeEmptyCache(signature.inputs[cache.input], cache.sequenceDim);
  };
  // Sets ids/mask/positions for `fed` new tokens after `past` cached ones.
  auto setTokenInputs = [&](llvm::ArrayRef<int64_t> fed, int64_t past) {
    inputs[layout.inputIds] =
        makeIdTensor(signature.inputs[layout.inputIds].dtype, fed);
    if (layout.attentionMask >= 0)
      inputs[layout.attentionMask] = makeIdTensor(
          signature.inputs[layout.attentionMask].dtype,
          std::vector<int64_t>(past + fed.size(), 1));
    if (layout.positionIds >= 0) {
      std::vector<int64_t> positions(fed.size());
      for (size_t i = 0; i < fed.size(); ++i)
        positions[i] = past + static_cast<int64_t>(i);
      inputs[layout.positionIds] = makeIdTensor(
          signature.inputs[layout.positionIds].dtype, positions);
    }
  };

  GenerationResult result;
  std::vector<int64_t> sequence(prompt.begin(), prompt.end());
  auto start = std::chrono::steady_clock::now();
  auto stepStart = start;
  emptyCaches();
  setTokenInputs(sequence, 0);
  for (unsigned step = 0; step < options.maxNewTokens; ++step) {
    std::vector<const Tensor *> ptrs;
    for (const Tensor &t : inputs)
      ptrs.push_back(&t);
    llvm::Expected<std::vector<Tensor>> outputs = run(ptrs);
    if (!outputs)
      return makeError("generation step " + llvm::Twine(step) + ": " +
                       llvm::toString(outputs.takeError()));
    llvm::Expected<int64_t> next = lastRowArgmax((*outputs)[layout.logits]);
    if (!next)
      return next.takeError();
    auto now = std::chrono::steady_clock::now();
    double seconds = std::chrono::duration<double>(now - stepStart).count();
    if (step == 0) {
      result.firstTokenSeconds = seconds;
    } else {
      result.decodeSeconds += seconds;
      ++result.decodeSteps;
    }
    stepStart = now;
    result.tokens.push_back(*next);
    sequence.push_back(*next);
    if (options.stopToken && *next == *options.stopToken)
      break;

    if (useCache) {
      int64_t past = static_cast<int64_t>(sequence.size()) - 1;
      for (const DecoderLayout::Cache &cache : layout.caches) {
        Tensor &present = (*outputs)[cache.output];
        llvm::ArrayRef<int64_t> shape = present.getShape();
        if (present.getRank() != static_cast<int64_t>(
                                     signature.inputs[cache.input].shape.size()) ||
            shape[cache.sequenceDim] != past)
          return makeError(
              "output '" + signature.outputs[cache.output].name + "' is " +
              present.describe() + " after " + llvm::Twine(past) +
              " tokens; expected the cache to hold " + llvm::Twine(past) +
              " positions in dim " + llvm::Twine(cache.sequenceDim));
        inputs[cache.input] = std::move(present);
      }
      setTokenInputs(llvm::ArrayRef<int64_t>(sequence).take_back(1), past);
    } else {
      emptyCaches();
      setTokenInputs(sequence, 0);
    }
  }
  return result;
}
