//===- Vocabulary.cpp - token ids <-> text for generation -----------------===//

#include "llm/Runtime/Vocabulary.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace mlir::llm;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Expected<Vocabulary> Vocabulary::load(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return makeError("cannot read vocabulary '" + path +
                     "': " + buffer.getError().message());
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse((*buffer)->getBuffer());
  if (!json)
    return makeError("vocabulary '" + path + "' is not valid JSON: " +
                     llvm::toString(json.takeError()));
  const llvm::json::Array *array = json->getAsArray();
  if (!array)
    return makeError("vocabulary '" + path +
                     "' must be a JSON array of strings (token id = index)");
  std::vector<std::string> tokens;
  tokens.reserve(array->size());
  for (size_t i = 0; i < array->size(); ++i) {
    std::optional<llvm::StringRef> token = (*array)[i].getAsString();
    if (!token)
      return makeError("vocabulary '" + path + "': entry " + llvm::Twine(i) +
                       " is not a string");
    tokens.push_back(token->str());
  }
  return create(std::move(tokens), path);
}

llvm::Expected<Vocabulary> Vocabulary::create(std::vector<std::string> tokens,
                                              llvm::StringRef origin) {
  Vocabulary vocab;
  if (tokens.empty())
    return makeError("vocabulary '" + origin + "' is empty");
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].empty())
      return makeError("vocabulary '" + origin + "': token " + llvm::Twine(i) +
                       " is the empty string");
    auto [it, inserted] =
        vocab.ids.try_emplace(tokens[i], static_cast<int64_t>(i));
    if (!inserted)
      return makeError("vocabulary '" + origin + "': tokens " +
                       llvm::Twine(it->second) + " and " + llvm::Twine(i) +
                       " are the same string");
    vocab.maxTokenBytes = std::max(vocab.maxTokenBytes, tokens[i].size());
  }
  vocab.tokens = std::move(tokens);
  return std::move(vocab);
}

llvm::StringRef Vocabulary::getToken(int64_t id) const {
  if (id < 0 || static_cast<size_t>(id) >= tokens.size())
    return "";
  return tokens[id];
}

llvm::Expected<std::vector<int64_t>>
Vocabulary::encode(llvm::StringRef text) const {
  std::vector<int64_t> result;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t length = std::min(maxTokenBytes, text.size() - pos);
    for (; length > 0; --length) {
      auto it = ids.find(text.substr(pos, length));
      if (it != ids.end()) {
        result.push_back(it->second);
        break;
      }
    }
    if (length == 0) {
      unsigned char c = static_cast<unsigned char>(text[pos]);
      std::string shown = c >= 0x20 && c < 0x7f
                              ? "'" + std::string(1, text[pos]) + "'"
                              : "byte 0x" + llvm::utohexstr(c);
      return makeError("no token of the vocabulary matches the text at byte " +
                       llvm::Twine(pos) + " (" + shown + ")");
    }
    pos += length;
  }
  return result;
}

std::string Vocabulary::decode(llvm::ArrayRef<int64_t> idList) const {
  std::string text;
  for (int64_t id : idList) {
    if (id >= 0 && static_cast<size_t>(id) < tokens.size())
      text += tokens[id];
    else
      text += "<id " + std::to_string(id) + ">";
  }
  return text;
}
