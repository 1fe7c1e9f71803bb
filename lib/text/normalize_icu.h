// File: text/normalize_icu.h
//
// Normalize() takes a fast path that maps most code points alone (from a per-thread table) and
// hands ICU only the segments where characters combine. This is the ICU-only path, the
// reference the differential tests compare it with.

#ifndef NEARDUP_TEXT_NORMALIZE_ICU_H_
#define NEARDUP_TEXT_NORMALIZE_ICU_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "neardup/normalize.h"

namespace neardup::internal {

absl::StatusOr<std::string> NormalizeWithIcu(std::string_view text, const NormalizeOptions& options = {});

}  // namespace neardup::internal

#endif  // NEARDUP_TEXT_NORMALIZE_ICU_H_
