//===- Generation.h - greedy token generation with a KV cache ---*- C++ -*-===//
//
// Drives a decoder model exported in the Hugging Face / Optimum "decoder with
// past" layout, whatever target runs it (the caller passes a run function):
//
//   inputs   input_ids                 i64 (or i32) [1, sequence]
//            past_key_values.N.key     [1, heads, past_sequence, head_dim]
//            past_key_values.N.value   (optional: models without a cache are
//                                       re-run on the whole sequence)
//            attention_mask            optional, i64 [1, past + sequence]
//            position_ids              optional, i64 [1, sequence]
//   outputs  logits                    [1, sequence, vocab] or [1, vocab]
//            present.N.key / .value    [1, heads, past + sequence, head_dim]
//
// The first run takes the whole prompt with an empty cache (past_sequence =
// 0); each later run takes the one new token and the previous run's present
// tensors as the past. The next token is the argmax of the last logits row
// (greedy; ties go to the lowest id, as torch.argmax).
//
//===----------------------------------------------------------------------===//

#ifndef LLM_RUNTIME_GENERATION_H
#define LLM_RUNTIME_GENERATION_H

#include "llm/Runtime/ModelSignature.h"
#include "llm/Runtime/Tensor.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <vector>

namespace mlir {
namespace llm {

/// Where the decoding roles sit among a model's inputs and outputs.
struct DecoderLayout {
  int inputIds = -1;
  int attentionMask = -1;
  int positionIds = -1;
  int logits = -1;
  /// One KV-cache tensor: past input -> present output, and which dim of
  /// the past input is the (dynamic) sequence.
  struct Cache {
    int input = -1;
    int output = -1;
    unsigned sequenceDim = 0;
  };
  std::vector<Cache> caches;

  /// Finds the roles by name (see the file comment). The error says what is
  /// missing or has an unusable type.
  static llvm::Expected<DecoderLayout> detect(const ModelSignature &signature);
};

/// Runs the model once: inputs in signature order -> outputs in signature
/// order.
using RunModelFn = llvm::function_ref<llvm::Expected<std::vector<Tensor>>(
    llvm::ArrayRef<const Tensor *>)>;

struct GenerationOptions {
  unsigned maxNewTokens = 32;
  /// false: no cache; every step re-runs the whole sequence (with an empty
  /// past where the model has cache inputs). For comparisons.
  bool useCache = true;
  /// Stop after generating this token, if set.
  std::optional<int64_t> stopToken;
  /// The model's context length (positions); 0 if unknown. Generation stops
  /// with an error rather than run past it.
  int64_t maxPositions = 0;
};

struct GenerationResult {
  /// The generated tokens (not the prompt).
  std::vector<int64_t> tokens;
  /// From the start to the first generated token (prompt processing).
  double firstTokenSeconds = 0;
  /// The runs after the first: their count and total time.
  unsigned decodeSteps = 0;
  double decodeSeconds = 0;
};

/// Greedy generation from `prompt` (non-empty token ids).
llvm::Expected<GenerationResult>
generateGreedy(const ModelSignature &signature, const DecoderLayout &layout,
               RunModelFn run, llvm::ArrayRef<int64_t> prompt,
               const GenerationOptions &options);

} // namespace llm
} // namespace mlir

#endif // LLM_RUNTIME_GENERATION_H
