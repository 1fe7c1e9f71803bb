#include "neardup/shingle.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "text/hash.h"

namespace neardup {
namespace {

void SortUnique(std::vector<uint64_t>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

std::vector<uint64_t> WordShingles(std::string_view text, std::span<const Token> tokens, int size,
                                   uint64_t seed) {
  std::vector<uint64_t> out;
  if (tokens.empty()) return out;
  thread_local std::vector<uint64_t> token_hashes;
  token_hashes.resize(tokens.size());
  internal::HashTokens(text, tokens, seed, token_hashes.data());
  const size_t n = std::min(static_cast<size_t>(size), tokens.size());
  out.reserve(tokens.size() - n + 1);
  for (size_t i = 0; i + n <= tokens.size(); ++i) {
    uint64_t acc = internal::kCombineInit;
    for (size_t j = 0; j < n; ++j) acc = internal::CombineStep(acc, token_hashes[i + j]);
    out.push_back(internal::CombineFinish(acc, n));
  }
  return out;
}

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

std::vector<uint64_t> CharacterShingles(std::string_view text, std::span<const Token> tokens,
                                        int size, uint64_t seed) {
  std::vector<uint64_t> out;
  if (tokens.empty()) return out;
  std::string joined;
  for (const Token& t : tokens) {
    if (!joined.empty()) joined.push_back(' ');
    joined.append(t.text(text));
  }
  std::vector<uint32_t> starts;  // byte offset of each code point, plus the end
  for (uint32_t i = 0; i < joined.size(); ++i) {
    if (!IsContinuationByte(joined[i])) starts.push_back(i);
  }
  starts.push_back(static_cast<uint32_t>(joined.size()));
  const size_t num_chars = starts.size() - 1;
  const size_t n = std::min(static_cast<size_t>(size), num_chars);
  for (size_t i = 0; i + n <= num_chars; ++i) {
    out.push_back(internal::Hash64(std::string_view(joined).substr(starts[i], starts[i + n] - starts[i]), seed));
  }
  return out;
}

}  // namespace

absl::Status ValidateShingleOptions(const ShingleOptions& options) {
  if (options.kind != ShingleKind::kWord && options.kind != ShingleKind::kCharacter) {
    return absl::InvalidArgumentError(
        absl::StrCat("shingle kind must be kWord or kCharacter, got ", static_cast<int>(options.kind)));
  }
  if (options.size < 1 || options.size > kMaxShingleSize) {
    return absl::InvalidArgumentError(absl::StrCat("shingle size must be in [1, ", kMaxShingleSize,
                                                   "], got ", options.size));
  }
  return absl::OkStatus();
}

std::vector<uint64_t> ShingleHashes(std::string_view text, std::span<const Token> tokens,
                                    const ShingleOptions& options, uint64_t seed) {
  if (options.kind == ShingleKind::kCharacter) return CharacterShingles(text, tokens, options.size, seed);
  return WordShingles(text, tokens, options.size, seed);
}

std::vector<uint64_t> ShingleSet(std::string_view text, std::span<const Token> tokens,
                                 const ShingleOptions& options, uint64_t seed) {
  std::vector<uint64_t> set = ShingleHashes(text, tokens, options, seed);
  SortUnique(set);
  return set;
}

}  // namespace neardup
