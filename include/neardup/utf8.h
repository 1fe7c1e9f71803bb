// File: utf8.h
//
// UTF-8 validation and repair. Every text entering neardup passes through here first, so that
// bad input is reported with its byte offset instead of silently changing signatures.
//
// Example:
//   absl::Status s = neardup::ValidateUtf8(bytes);
//   if (!s.ok()) std::cerr << s.message();   // "invalid UTF-8 at byte 17: ..."
//   std::string repaired = neardup::ReplaceInvalidUtf8(bytes);  // U+FFFD for each bad sequence

#ifndef NEARDUP_UTF8_H_
#define NEARDUP_UTF8_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace neardup {

// Returns OK if `text` is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, nothing
// above U+10FFFF) and contains no NUL byte. NUL is refused because it marks binary data, not
// text. Otherwise returns kInvalidArgument whose message names the byte offset of the first
// offending byte and what is wrong there. O(n), allocation-free on success.
absl::Status ValidateUtf8(std::string_view text);

// Like ValidateUtf8 but returns the offset of the first bad byte, or text.size() when valid.
size_t FindInvalidUtf8(std::string_view text);

// Returns `text` with every ill-formed subsequence and every NUL byte replaced by U+FFFD,
// following the W3C/Unicode "maximal subpart" practice (one U+FFFD per maximal subpart), so
// valid text passes through byte for byte.
std::string ReplaceInvalidUtf8(std::string_view text);

}  // namespace neardup

#endif  // NEARDUP_UTF8_H_
