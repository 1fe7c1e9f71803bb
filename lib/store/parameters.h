// File: store/parameters.h
//
// The parameters a persistent index was made with, written into it as text, one
// "name=value" line each, in a fixed order: every option that changes which pairs a sequence
// of Add calls links (fingerprinting, both LSH indexes, the verdicts' thresholds) and the
// Unicode version that normalization and word breaking follow. Opening a store with other
// parameters would mix signatures made two ways, so it is refused, naming each difference.
// max_bytes is a per-run limit on input, not a parameter of the answers, and is not stored.

#ifndef NEARDUP_STORE_PARAMETERS_H_
#define NEARDUP_STORE_PARAMETERS_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "neardup/dedup_options.h"

namespace neardup::internal {

// (name, value) in the fixed order; doubles are written so that they read back exactly.
std::vector<std::pair<std::string, std::string>> DescribeParameters(const DedupOptions& options);

// DescribeParameters as "name=value\n" lines: what a store keeps.
std::string EncodeParameters(const DedupOptions& options);

// OK if `stored` (EncodeParameters of the options the store was made with) equals the
// encoding of `options`; kFailedPrecondition naming every difference otherwise ("num_perm:
// the store has 128, the options say 64"), and kDataLoss if `stored` is not such text.
absl::Status CheckSameParameters(std::string_view stored, const DedupOptions& options);

// The options `stored` describes (options not stored, like max_bytes, keep their defaults).
// kDataLoss if a parameter is missing or unreadable; kFailedPrecondition if the store follows
// another Unicode version than this build.
absl::StatusOr<DedupOptions> ParseParameters(std::string_view stored);

}  // namespace neardup::internal

#endif  // NEARDUP_STORE_PARAMETERS_H_
