// File: fingerprint/fingerprint_stages.h
//
// The two halves of Fingerprinter::Compute (the text signature, then language, anchors and
// translation signature), for benchmarks that time them apart. Not public API.

#ifndef NEARDUP_FINGERPRINT_FINGERPRINT_STAGES_H_
#define NEARDUP_FINGERPRINT_FINGERPRINT_STAGES_H_

#include <string_view>

#include "neardup/fingerprint.h"

namespace neardup::internal {

struct FingerprintStages {
  static absl::Status Text(const Fingerprinter& f, std::string_view text, Fingerprint* fp) {
    return f.ComputeText(text, fp);
  }
  static absl::Status CrossLanguage(const Fingerprinter& f, std::string_view text, std::string_view language,
                                    Fingerprint* fp) {
    return f.ComputeCrossLanguage(text, language, fp);
  }
};

}  // namespace neardup::internal

#endif  // NEARDUP_FINGERPRINT_FINGERPRINT_STAGES_H_
