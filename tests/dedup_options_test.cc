// ValidateDedupOptions (dedup.h): every option of a DedupOptions, NaN and infinities included,
// refused with one message naming the option, its range and the value; Create and Open apply
// it before anything else.

#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <map>
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

// --- Options by name (NamedOptions): the one parser of the command's flags and Python's keywords.

TEST_CASE("every named option reads back what it prints, the defaults and another value", "[options][named]") {
  // A value other than the default for each option, as a user writes it.
  const std::map<std::string, std::string> other = {
      {"threshold", "0.7"},        {"containment_threshold", "0"}, {"translation_threshold", "0.5"},
      {"translations", "false"},   {"num_perm", "64"},            {"shingle", "char:3"},
      {"seed", "18446744073709551615"}, {"strip_diacritics", "true"}, {"replace_invalid", "true"},
      {"max_bytes", "1024"}};
  REQUIRE(neardup::NamedOptions().size() == other.size());  // a new option needs a case here
  const DedupOptions defaults;
  for (const neardup::NamedOption& option : neardup::NamedOptions()) {
    const std::string name(option.name);
    INFO(name);
    REQUIRE(other.count(name) == 1);
    CHECK(!option.help.empty());
    // A switch on by default is offered as --no-NAME, with help saying what turning it off does.
    const bool on_by_default = option.kind == neardup::OptionKind::kSwitch &&
                               neardup::NamedOptionValue(defaults, name) == "true";
    CHECK(option.off_help.empty() != on_by_default);
    DedupOptions o;
    const std::string printed = neardup::NamedOptionValue(defaults, name);
    REQUIRE(!printed.empty());
    REQUIRE(neardup::SetNamedOption(&o, name, printed).ok());
    CHECK(neardup::NamedOptionValue(o, name) == printed);
    REQUIRE(neardup::SetNamedOption(&o, name, other.at(name)).ok());
    CHECK(neardup::NamedOptionValue(o, name) == other.at(name));
    CHECK(neardup::NamedOptionValue(o, name) != printed);
    CHECK(neardup::ValidateDedupOptions(o).ok());
  }
  // The values reach the fields they name.
  DedupOptions o;
  REQUIRE(neardup::SetNamedOption(&o, "shingle", "7").ok());
  CHECK((o.fingerprint.shingle.kind == neardup::ShingleKind::kWord && o.fingerprint.shingle.size == 7));
  REQUIRE(neardup::SetNamedOption(&o, "threshold", "0.9").ok());
  CHECK(o.lsh.threshold == 0.9);
  REQUIRE(neardup::SetNamedOption(&o, "replace_invalid", "true").ok());
  CHECK(o.fingerprint.normalize.invalid_utf8 == neardup::InvalidUtf8::kReplace);
  REQUIRE(neardup::SetNamedOption(&o, "translations", "false").ok());
  CHECK(!o.fingerprint.anchors);
}

TEST_CASE("a named option's bad text gets the library's message", "[options][named]") {
  DedupOptions o;
  const auto message = [&](const std::string& name, const std::string& value) {
    return std::string(neardup::SetNamedOption(&o, name, value).message());
  };
  CHECK(message("shingle", "bigram") == "--shingle: expected N, word:N or char:N, got 'bigram'");
  CHECK(message("shingle", "word:") == "--shingle: expected N, word:N or char:N, got 'word:'");
  CHECK(message("shingle", "word:65") == "shingle size must be an integer in [1, 64], got 65");
  CHECK(message("seed", "-1") == "seed must be an integer in [0, 2^64-1], got -1");
  CHECK(message("seed", "18446744073709551616") == "seed must be an integer in [0, 2^64-1], got 18446744073709551616");
  CHECK(message("num_perm", "99999999999") == "num_perm must be an integer in [1, 4096], got 99999999999");
  CHECK(message("threshold", "high") == "threshold must be in (0, 1], got high");
  CHECK(message("translations", "yes") == "translations must be true or false, got yes");
  CHECK(message("colour", "red") == "unknown option 'colour'");
  // Numbers in range are left to ValidateDedupOptions, which names the same option.
  REQUIRE(neardup::SetNamedOption(&o, "threshold", "nan").ok());
  CHECK(neardup::ValidateDedupOptions(o).message() == "threshold must be in (0, 1], got nan");
}

TEST_CASE("ParseByteSize takes bytes with a unit, powers of 1000 or 1024", "[options][named]") {
  const auto bytes = [](std::string_view text) { return neardup::ParseByteSize("max_bytes", text); };
  CHECK(*bytes("4096") == 4096);
  CHECK(*bytes("64MiB") == 64ull << 20);
  CHECK(*bytes("64mib") == 64ull << 20);
  CHECK(*bytes("1GiB") == 1ull << 30);
  CHECK(*bytes("1TiB") == 1ull << 40);
  CHECK(*bytes("2KiB") == 2048);
  CHECK(*bytes("500kB") == 500000);
  CHECK(*bytes("3MB") == 3000000);
  CHECK(*bytes("1GB") == 1000000000);
  CHECK(*bytes("7B") == 7);
  CHECK(*bytes("18446744073709551615") == UINT64_MAX);
  for (const char* bad : {"", "MiB", "1 MiB", "-1", "1.5GiB", "1XB", "18446744073709551616", "16777216TiB", "0x10"}) {
    INFO(bad);
    const absl::StatusOr<uint64_t> parsed = bytes(bad);
    REQUIRE(!parsed.ok());
    CHECK(std::string(parsed.status().message()).rfind("max_bytes must be a size in [1, 2^40] bytes", 0) == 0);
  }
  // Through SetNamedOption, then the range check.
  DedupOptions o;
  REQUIRE(neardup::SetNamedOption(&o, "max_bytes", "2TiB").ok());
  CHECK(neardup::ValidateDedupOptions(o).message() ==
        "max_bytes must be a size in [1, 2^40] bytes (an integer, or with a unit: 64MiB), got 2199023255552");
}

TEST_CASE("the near threshold is lsh.threshold, and lsh.num_perm is not silently replaced", "[options][named]") {
  DedupOptions o;
  o.lsh.threshold = 0.7;
  o.containment_threshold = 0.6;
  o.translation.threshold = 0.5;
  const neardup::VerdictOptions v = neardup::VerdictOptionsOf(o);
  CHECK(v.threshold == 0.7);
  CHECK(v.containment_threshold == 0.6);
  CHECK(v.translation.threshold == 0.5);
  o.fingerprint.minhash.num_perm = 64;
  CHECK(neardup::ValidateDedupOptions(o).ok());  // lsh.num_perm left at its default
  o.lsh.num_perm = 64;
  CHECK(neardup::ValidateDedupOptions(o).ok());  // or equal to num_perm
  o.lsh.num_perm = 32;
  CHECK(neardup::ValidateDedupOptions(o).message() ==
        "lsh.num_perm is taken from num_perm (64): leave it at its default, got 32");
  o.lsh.num_perm = 64;
  o.translation_lsh.num_perm = 256;
  CHECK(neardup::ValidateDedupOptions(o).message() ==
        "translation_lsh.num_perm is taken from num_perm (64): leave it at its default, got 256");
}
