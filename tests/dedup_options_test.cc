// ValidateDedupOptions (dedup.h): every option of a DedupOptions, NaN and infinities included,
// refused with one message naming the option, its range and the value; Create and Open apply
// it before anything else.

#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "neardup/dedup.h"

using neardup::DedupOptions;

namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

struct Case {
  std::string what;                       // for the test's report
  std::function<void(DedupOptions&)> set;  // makes the options bad
  std::string message;                     // the whole message expected
};

}  // namespace

TEST_CASE("ValidateDedupOptions accepts the defaults and the edges of each range", "[dedup][options]") {
  CHECK(neardup::ValidateDedupOptions({}).ok());
  DedupOptions edges;
  edges.lsh.threshold = 1.0;
  edges.containment_threshold = 0.0;
  edges.translation.threshold = 0.0;
  edges.fingerprint.minhash.num_perm = neardup::kMaxNumPerm;
  edges.fingerprint.normalize.max_bytes = neardup::kLargestMaxBytes;
  edges.fingerprint.shingle.size = neardup::kMaxShingleSize;
  CHECK(neardup::ValidateDedupOptions(edges).ok());
  edges.translation.threshold = 1.0;
  edges.containment_threshold = 1.0;
  edges.fingerprint.normalize.max_bytes = 1;
  edges.fingerprint.minhash.num_perm = 1;
  edges.lsh.num_bands = 1;
  CHECK(neardup::ValidateDedupOptions(edges).ok());
  CHECK(neardup::Deduplicator::Create(edges).ok());
}

TEST_CASE("ValidateDedupOptions refuses NaN, infinities and out-of-range values, naming each", "[dedup][options]") {
  const std::vector<Case> cases = {
      {"translation threshold NaN", [](DedupOptions& o) { o.translation.threshold = kNan; },
       "translation_threshold must be in [0, 1], got nan"},
      {"translation threshold inf", [](DedupOptions& o) { o.translation.threshold = kInf; },
       "translation_threshold must be in [0, 1], got inf"},
      {"translation threshold above 1", [](DedupOptions& o) { o.translation.threshold = 1.0000001; },
       "translation_threshold must be in [0, 1], got 1.0000001"},
      {"translation threshold below 0", [](DedupOptions& o) { o.translation.threshold = -0.5; },
       "translation_threshold must be in [0, 1], got -0.5"},
      {"threshold NaN", [](DedupOptions& o) { o.lsh.threshold = kNan; }, "threshold must be in (0, 1], got nan"},
      {"threshold 0", [](DedupOptions& o) { o.lsh.threshold = 0; }, "threshold must be in (0, 1], got 0"},
      {"threshold -inf", [](DedupOptions& o) { o.lsh.threshold = -kInf; }, "threshold must be in (0, 1], got -inf"},
      {"containment threshold NaN", [](DedupOptions& o) { o.containment_threshold = kNan; },
       "containment_threshold must be in [0, 1], got nan"},
      {"containment threshold 2", [](DedupOptions& o) { o.containment_threshold = 2; },
       "containment_threshold must be in [0, 1], got 2"},
      {"num_perm 0", [](DedupOptions& o) { o.fingerprint.minhash.num_perm = 0; },
       "num_perm must be an integer in [1, 4096], got 0"},
      {"num_perm 4097", [](DedupOptions& o) { o.fingerprint.minhash.num_perm = 4097; },
       "num_perm must be an integer in [1, 4096], got 4097"},
      {"max_bytes 0", [](DedupOptions& o) { o.fingerprint.normalize.max_bytes = 0; },
       "max_bytes must be a size in [1, 2^40] bytes (an integer, or with a unit: 64MiB), got 0"},
      {"max_bytes 2^41", [](DedupOptions& o) { o.fingerprint.normalize.max_bytes = size_t{1} << 41; },
       "max_bytes must be a size in [1, 2^40] bytes (an integer, or with a unit: 64MiB), got 2199023255552"},
      {"shingle size 0", [](DedupOptions& o) { o.fingerprint.shingle.size = 0; },
       "shingle size must be an integer in [1, 64], got 0"},
      {"translation candidates' threshold NaN", [](DedupOptions& o) { o.translation_lsh.threshold = kNan; },
       "translation_lsh.threshold must be in (0, 1], got nan"},
      {"a false positive weight of inf", [](DedupOptions& o) { o.lsh.false_positive_weight = kInf; },
       "lsh.false_positive_weight must be a finite number at least 0, got inf"},
      {"a false negative weight of NaN", [](DedupOptions& o) { o.translation_lsh.false_negative_weight = kNan; },
       "translation_lsh.false_negative_weight must be a finite number at least 0, got nan"},
      {"both weights 0", [](DedupOptions& o) { o.lsh.false_positive_weight = o.lsh.false_negative_weight = 0; },
       "lsh.false_positive_weight and lsh.false_negative_weight must not both be 0"},
      {"more bands than values", [](DedupOptions& o) { o.lsh.num_bands = 129; },
       "lsh.num_bands must be an integer in [0, num_perm = 128], got 129"},
      {"negative min_anchors", [](DedupOptions& o) { o.translation.min_anchors = -1; },
       "translation.min_anchors must be an integer at least 0, got -1"},
      {"min_weight NaN", [](DedupOptions& o) { o.translation.min_weight = kNan; },
       "translation.min_weight must be a finite number at least 0, got nan"},
      {"max_length_ratio 1.5", [](DedupOptions& o) { o.translation.max_length_ratio = 1.5; },
       "translation.max_length_ratio must be a finite number above 1.5, got 1.5"},
      {"max_length_ratio inf", [](DedupOptions& o) { o.translation.max_length_ratio = kInf; },
       "translation.max_length_ratio must be a finite number above 1.5, got inf"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    DedupOptions options;
    c.set(options);
    const absl::Status status = neardup::ValidateDedupOptions(options);
    CHECK(status.code() == absl::StatusCode::kInvalidArgument);
    CHECK(status.message() == c.message);
    // Create refuses them with the same message, before anything is made.
    const auto made = neardup::Deduplicator::Create(options);
    CHECK(made.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(made.status().message() == c.message);
  }
}

TEST_CASE("InvalidOptionValue names values that the options' types cannot hold", "[dedup][options]") {
  CHECK(neardup::InvalidOptionValue("seed", "-1").message() == "seed must be an integer in [0, 2^64-1], got -1");
  CHECK(neardup::InvalidOptionValue("max_bytes", "abc").message() == "max_bytes must be a size in [1, 2^40] bytes (an integer, or with a unit: 64MiB), got abc");
  CHECK(neardup::InvalidOptionValue("threshold", "x").message() == "threshold must be in (0, 1], got x");
  CHECK(neardup::InvalidOptionValue("max_bytes", "0").message() ==
        neardup::ValidateDedupOptions([] {
          DedupOptions o;
          o.fingerprint.normalize.max_bytes = 0;
          return o;
        }())
            .message());
  CHECK(neardup::InvalidOptionValue("seed", "x").code() == absl::StatusCode::kInvalidArgument);
}
