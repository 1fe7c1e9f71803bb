// File: base/absl_compat.h
//
// Debian 12's Abseil is built without ABSL_USES_STD_STRING_VIEW, so absl::string_view is a
// distinct type from std::string_view. Our API speaks std::string_view; convert in one place.

#ifndef NEARDUP_BASE_ABSL_COMPAT_H_
#define NEARDUP_BASE_ABSL_COMPAT_H_

#include <string>
#include <string_view>

#include "absl/strings/string_view.h"

namespace neardup::internal {

inline absl::string_view ToAbsl(std::string_view s) { return absl::string_view(s.data(), s.size()); }
inline std::string_view FromAbsl(absl::string_view s) { return std::string_view(s.data(), s.size()); }
// absl::StrCat does not take std::string_view on Debian's Abseil; this makes the copy explicit.
inline std::string Str(std::string_view s) { return std::string(s); }

}  // namespace neardup::internal

#endif  // NEARDUP_BASE_ABSL_COMPAT_H_
