//===- Generate.cpp - llm-run --generate ----------------------------------===//
//
// Output (stdout):
//   generate: <N> new tokens after a <P>-token prompt, greedy, KV cache
//   text: <prompt>|<generated text>          (with a vocabulary)
//   tokens: <generated ids>
//   time to first token: <ms> (prompt of P tokens)
//   decode: <N-1> tokens in <ms>: <tokens/s> tokens/s (<ms> per token)
//   matches <reference>: N of N tokens        (with --expected-tokens)
//
//===----------------------------------------------------------------------===//

#include "Generate.h"

#include "llm/Runtime/Generation.h"
#include "llm/Runtime/Vocabulary.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::llm;

static int fail(const llvm::Twine &message) {
  llvm::errs() << "llm-run: error: " << message << "\n";
  return EXIT_FAILURE;
}

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// A file next to the model, if it exists.
static std::string besideModel(llvm::StringRef modelPath,
                               llvm::StringRef name) {
  llvm::SmallString<256> path(llvm::sys::path::parent_path(modelPath));
  llvm::sys::path::append(path, name);
  return llvm::sys::fs::exists(path) ? path.str().str() : "";
}

static llvm::Expected<llvm::json::Value> readJSON(llvm::StringRef path,
                                                  llvm::StringRef what) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return makeError("cannot read " + what + " '" + path +
                     "': " + buffer.getError().message());
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse((*buffer)->getBuffer());
  if (!json)
    return makeError(what + " '" + path + "' is not valid JSON: " +
                     llvm::toString(json.takeError()));
  return json;
}

/// A JSON array of integers, e.g. "tokens" of a reference generation.
static llvm::Expected<std::vector<int64_t>>
readIdArray(const llvm::json::Object &object, llvm::StringRef key,
            llvm::StringRef path) {
  const llvm::json::Array *array = object.getArray(key);
  if (!array)
    return makeError("'" + path + "' has no \"" + key +
                     "\" array of token ids");
  std::vector<int64_t> ids;
  for (const llvm::json::Value &v : *array) {
    std::optional<int64_t> id = v.getAsInteger();
    if (!id)
      return makeError("'" + path + "': \"" + key +
                       "\" holds something that is not an integer");
    ids.push_back(*id);
  }
  return ids;
}

/// Parses "1,2,3".
static llvm::Expected<std::vector<int64_t>> parseIdList(llvm::StringRef text) {
  std::vector<int64_t> ids;
  llvm::SmallVector<llvm::StringRef> parts;
  text.split(parts, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef part : parts) {
    int64_t id;
    if (part.trim().getAsInteger(10, id) || id < 0)
      return makeError("--prompt-ids: '" + part.trim() +
                       "' is not a token id (non-negative integer)");
    ids.push_back(id);
  }
  if (ids.empty())
    return makeError("--prompt-ids is empty");
  return ids;
}

/// Text with control characters shown, for one-line output.
static std::string printable(llvm::StringRef text) {
  std::string out;
  for (char c : text) {
    if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else if (static_cast<unsigned char>(c) < 0x20)
      out += "\\x" + llvm::utohexstr(static_cast<unsigned char>(c));
    else
      out += c;
  }
  return out;
}

llvm::Expected<GenerateInputs>
mlir::llm::prepareGenerate(const GenerateArgs &args,
                           const ModelSignature &signature) {
  if (!args.prompt.empty() && !args.promptIds.empty())
    return makeError("give --prompt or --prompt-ids, not both");
  if (args.prompt.empty() && args.promptIds.empty() &&
      args.expectedPath.empty())
    return makeError("--generate needs a prompt: --prompt TEXT, --prompt-ids "
                     "IDS, or --expected-tokens FILE holding one");
  llvm::Expected<DecoderLayout> layout = DecoderLayout::detect(signature);
  if (!layout)
    return makeError("--generate: " + llvm::toString(layout.takeError()));

  GenerateInputs in;
  in.layout = std::move(*layout);
  std::string vocabPath = args.vocabPath.empty()
                              ? besideModel(args.modelPath, "vocab.json")
                              : args.vocabPath;
  if (!vocabPath.empty()) {
    llvm::Expected<Vocabulary> vocab = Vocabulary::load(vocabPath);
    if (!vocab)
      return vocab.takeError();
    in.vocab = std::move(*vocab);
  }
  // config.json (Hugging Face layout): the context length.
  if (std::string config = besideModel(args.modelPath, "config.json");
      !config.empty()) {
    llvm::Expected<llvm::json::Value> json = readJSON(config, "model config");
    if (!json)
      return json.takeError();
    if (const llvm::json::Object *object = json->getAsObject())
      if (std::optional<int64_t> n =
              object->getInteger("max_position_embeddings"))
        in.maxPositions = *n;
  }

  std::optional<llvm::json::Object> reference;
  if (!args.expectedPath.empty()) {
    llvm::Expected<llvm::json::Value> json =
        readJSON(args.expectedPath, "reference generation");
    if (!json)
      return json.takeError();
    if (!json->getAsObject())
      return makeError("reference generation '" + args.expectedPath +
                       "' is not a JSON object");
    reference = std::move(*json->getAsObject());
    llvm::Expected<std::vector<int64_t>> tokens =
        readIdArray(*reference, "tokens", args.expectedPath);
    if (!tokens)
      return tokens.takeError();
    in.expected = std::move(*tokens);
    in.haveExpected = true;
    in.expectedSource = reference->getString("source")
                            .value_or("the reference")
                            .str();
  }

  auto encode = [&](llvm::StringRef text) -> llvm::Error {
    if (!in.vocab)
      return makeError("a text prompt needs a vocabulary: give --vocab FILE "
                       "or put vocab.json next to the model (or use "
                       "--prompt-ids)");
    llvm::Expected<std::vector<int64_t>> ids = in.vocab->encode(text);
    if (!ids)
      return makeError("--prompt: " + llvm::toString(ids.takeError()));
    in.prompt = std::move(*ids);
    return llvm::Error::success();
  };
  if (!args.promptIds.empty()) {
    llvm::Expected<std::vector<int64_t>> ids = parseIdList(args.promptIds);
    if (!ids)
      return ids.takeError();
    in.prompt = std::move(*ids);
  } else if (!args.prompt.empty()) {
    if (llvm::Error error = encode(args.prompt))
      return std::move(error);
  } else if (reference->getArray("prompt_ids")) {
    llvm::Expected<std::vector<int64_t>> ids =
        readIdArray(*reference, "prompt_ids", args.expectedPath);
    if (!ids)
      return ids.takeError();
    in.prompt = std::move(*ids);
  } else if (std::optional<llvm::StringRef> text =
                 reference->getString("prompt")) {
    if (llvm::Error error = encode(*text))
      return std::move(error);
  } else {
    return makeError("reference generation '" + args.expectedPath +
                     "' has neither \"prompt_ids\" nor \"prompt\"");
  }
  if (in.prompt.empty())
    return makeError("the prompt is empty");
  if (in.haveExpected && in.expected.size() < args.newTokens)
    return makeError("the reference '" + args.expectedPath + "' has " +
                     llvm::Twine(in.expected.size()) +
                     " tokens, fewer than the " +
                     llvm::Twine(args.newTokens) + " to generate");
  if (in.maxPositions > 0 &&
      static_cast<int64_t>(in.prompt.size() + args.newTokens) >
          in.maxPositions)
    return makeError("the prompt (" + llvm::Twine(in.prompt.size()) +
                     " tokens) plus " + llvm::Twine(args.newTokens) +
                     " new tokens exceed the model's " +
                     llvm::Twine(in.maxPositions) +
                     " positions (max_position_embeddings in config.json)");
  if (in.vocab)
    for (int64_t id : in.prompt)
      if (id >= static_cast<int64_t>(in.vocab->size()))
        return makeError("prompt token id " + llvm::Twine(id) +
                         " is outside the vocabulary (" +
                         llvm::Twine(in.vocab->size()) + " tokens)");
  return std::move(in);
}

int mlir::llm::runGenerate(CPUJITModel &model, const GenerateArgs &args,
                           const GenerateInputs &in) {
  const ModelSignature &signature = model.getSignature();
  const DecoderLayout &layout = in.layout;

  GenerationOptions options;
  options.maxNewTokens = args.newTokens;
  options.useCache = args.useCache;
  options.maxPositions = in.maxPositions;
  bool cached = options.useCache && !layout.caches.empty();
  llvm::outs() << "generate: " << args.newTokens << " new tokens after a "
               << in.prompt.size() << "-token prompt, greedy, "
               << (cached ? "KV cache"
                          : layout.caches.empty()
                                ? "no KV cache in the model"
                                : "no KV cache (--no-cache)")
               << "\n";
  auto runFn = [&](llvm::ArrayRef<const Tensor *> inputs) {
    return model.run(inputs);
  };
  llvm::Expected<GenerationResult> result =
      generateGreedy(signature, layout, runFn, in.prompt, options);
  if (!result)
    return fail(llvm::toString(result.takeError()));

  if (in.vocab)
    llvm::outs() << "text: " << printable(in.vocab->decode(in.prompt))
                 << "|" << printable(in.vocab->decode(result->tokens))
                 << "\n";
  llvm::outs() << "tokens:";
  for (int64_t id : result->tokens)
    llvm::outs() << " " << id;
  llvm::outs() << "\n";
  llvm::outs() << "time to first token: "
               << llvm::format("%.2f", result->firstTokenSeconds * 1e3)
               << " ms (prompt of " << in.prompt.size() << " tokens)\n";
  if (result->decodeSteps > 0)
    llvm::outs() << "decode: " << result->decodeSteps << " tokens in "
                 << llvm::format("%.2f", result->decodeSeconds * 1e3)
                 << " ms: "
                 << llvm::format("%.1f", result->decodeSteps /
                                             result->decodeSeconds)
                 << " tokens/s ("
                 << llvm::format("%.3f", result->decodeSeconds * 1e3 /
                                             result->decodeSteps)
                 << " ms per token)\n";

  if (!in.haveExpected)
    return EXIT_SUCCESS;
  size_t same = 0;
  while (same < result->tokens.size() &&
         result->tokens[same] == in.expected[same])
    ++same;
  if (same == result->tokens.size()) {
    llvm::outs() << "matches " << in.expectedSource << " ("
                 << args.expectedPath << "): " << same << " of "
                 << result->tokens.size() << " tokens\n";
    return EXIT_SUCCESS;
  }
  auto show = [&](int64_t id) {
    std::string s = "id " + std::to_string(id);
    if (in.vocab)
      s = "'" + printable(in.vocab->getToken(id)) + "' (" + s + ")";
    return s;
  };
  llvm::outs() << "MISMATCH with " << in.expectedSource << " ("
               << args.expectedPath << "): token " << same << " is "
               << show(result->tokens[same]) << ", the reference has "
               << show(in.expected[same]) << " (" << same
               << " tokens matched before)\n";
  return EXIT_FAILURE;
}
