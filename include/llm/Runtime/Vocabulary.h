//===- Vocabulary.h - token ids <-> text for generation ---------*- C++ -*-===//
//
// A model's vocabulary for `llm-run --generate`: a JSON file holding an array
// of strings, token id K being the K-th string (vocab.json next to the model;
// test/models/train_tiny_gpt.py writes a character-level one). Text is
// encoded greedily, longest matching token first, which is exact for
// character-level vocabularies and a reasonable approximation for others;
// decoding concatenates the token strings.
//
//===----------------------------------------------------------------------===//

#ifndef LLM_RUNTIME_VOCABULARY_H
#define LLM_RUNTIME_VOCABULARY_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace mlir {
namespace llm {

class Vocabulary {
public:
  /// Reads a JSON array of strings. Errors name the file and what is wrong
  /// (not JSON, not an array of strings, an empty or repeated token).
  static llvm::Expected<Vocabulary> load(llvm::StringRef path);
  /// A vocabulary from the token strings (same checks as load).
  static llvm::Expected<Vocabulary> create(std::vector<std::string> tokens,
                                           llvm::StringRef origin);

  size_t size() const { return tokens.size(); }
  /// The string of token `id`; "" for an id outside the vocabulary.
  llvm::StringRef getToken(int64_t id) const;

  /// Token ids of `text`, longest match first. An error names the byte
  /// offset of text no token covers.
  llvm::Expected<std::vector<int64_t>> encode(llvm::StringRef text) const;
  /// The concatenated token strings; an id outside the vocabulary becomes
  /// "<id N>".
  std::string decode(llvm::ArrayRef<int64_t> ids) const;

private:
  std::vector<std::string> tokens;
  llvm::StringMap<int64_t> ids;
  size_t maxTokenBytes = 0;
};

} // namespace llm
} // namespace mlir

#endif // LLM_RUNTIME_VOCABULARY_H
