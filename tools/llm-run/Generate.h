//===- Generate.h - llm-run --generate ----------------------------*- C++ -*-===//
//
// Greedy text generation with a compiled decoder model (see
// llm/Runtime/Generation.h for the model layout it drives).
//
//===----------------------------------------------------------------------===//

#ifndef LLM_TOOLS_LLM_RUN_GENERATE_H
#define LLM_TOOLS_LLM_RUN_GENERATE_H

#include "llm/Runtime/Generation.h"
#include "llm/Runtime/Vocabulary.h"
#include "llm/Target/CPU/CPURunner.h"

#include <optional>

#include <string>

namespace mlir {
namespace llm {

struct GenerateArgs {
  std::string modelPath;
  unsigned newTokens = 0;
  /// Prompt text (encoded with the vocabulary) or comma-separated token ids.
  std::string prompt;
  std::string promptIds;
  /// vocab.json; default: next to the model.
  std::string vocabPath;
  /// A reference generation (JSON with "tokens", and "prompt" or
  /// "prompt_ids" used when no prompt is given).
  std::string expectedPath;
  bool useCache = true;
};

/// Everything --generate reads besides the model.
struct GenerateInputs {
  DecoderLayout layout;
  std::optional<Vocabulary> vocab;
  std::vector<int64_t> prompt;
  std::vector<int64_t> expected;
  bool haveExpected = false;
  std::string expectedSource;
  /// From config.json next to the model; 0 if unknown.
  int64_t maxPositions = 0;
};

/// Checks the arguments and the model's layout and reads the vocabulary,
/// config and reference, before compilation.
llvm::Expected<GenerateInputs> prepareGenerate(const GenerateArgs &args,
                                               const ModelSignature &signature);

/// Generates, prints the text, token ids and timings, and compares with the
/// reference if given. Returns the exit status.
int runGenerate(CPUJITModel &model, const GenerateArgs &args,
                const GenerateInputs &inputs);

} // namespace llm
} // namespace mlir

#endif // LLM_TOOLS_LLM_RUN_GENERATE_H
