#include "dedup/profile_table.h"

#include <utility>

#include "store/profile_codec.h"

namespace neardup::internal {

void ProfileTable::Append(const AnchorProfile& profile) { Append(profile, EncodeAnchorProfile(profile)); }

void ProfileTable::Append(const AnchorProfile& profile, std::string encoded) {
  encoded_.push_back(std::move(encoded));
  encoded_.back().shrink_to_fit();
  const auto [it, inserted] = language_index_.try_emplace(profile.language, static_cast<uint32_t>(languages_.size()));
  if (inserted) languages_.push_back(profile.language);
  language_of_.push_back(it->second);
}

absl::Status ProfileTable::Get(uint64_t seq, AnchorProfile* out) const {
  if (encoded_[seq].empty()) {
    *out = AnchorProfile{};
    out->language = language(seq);
    return absl::OkStatus();
  }
  return DecodeAnchorProfile(encoded_[seq], out);
}

void ProfileTable::Clear(uint64_t seq) { std::string().swap(encoded_[seq]); }

size_t ProfileTable::MemoryUsage() const {
  size_t bytes = encoded_.capacity() * sizeof(std::string) + language_of_.capacity() * sizeof(uint32_t);
  for (const std::string& e : encoded_) bytes += e.capacity() > 15 ? e.capacity() + 1 : 0;  // past the inline buffer
  for (const std::string& l : languages_) bytes += sizeof(std::string) + l.capacity();
  return bytes;
}

}  // namespace neardup::internal
