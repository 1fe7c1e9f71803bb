#include "store/parameters.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "neardup/anchor.h"
#include "neardup/normalize.h"

namespace neardup::internal {
namespace {

// %.17g: the shortest format that reads back every double exactly.
std::string Exact(double x) { return absl::StrFormat("%.17g", x); }

bool ParseNumber(std::string_view s, double* out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}
template <typename Int>
bool ParseNumber(std::string_view s, Int* out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}
bool ParseBool(std::string_view s, bool* out) {
  if (s != "true" && s != "false") return false;
  *out = s == "true";
  return true;
}

// One stored parameter: its name, how to write it, how to read it back (false: not a value),
// and, for one that only some stores need, when it is stored (unset: always).
struct Parameter {
  std::string name;
  std::function<std::string(const DedupOptions&)> write;
  std::function<bool(std::string_view, DedupOptions*)> read;
  std::function<bool(const DedupOptions&)> stored_when = nullptr;
};

// A numeric or boolean field reached by `field`.
template <typename T>
Parameter Field(std::string name, std::function<T&(DedupOptions&)> field) {
  return Parameter{
      std::move(name),
      [field](const DedupOptions& o) {
        const T& v = field(const_cast<DedupOptions&>(o));  // the accessor only reads here
        if constexpr (std::is_same_v<T, bool>) return std::string(v ? "true" : "false");
        else if constexpr (std::is_floating_point_v<T>) return Exact(v);
        else return absl::StrCat(v);
      },
      [field](std::string_view s, DedupOptions* o) {
        if constexpr (std::is_same_v<T, bool>) return ParseBool(s, &field(*o));
        else return ParseNumber(s, &field(*o));
      }};
}

void AddLsh(const std::string& prefix, std::function<LshOptions&(DedupOptions&)> lsh, std::vector<Parameter>* out) {
  out->push_back(Field<double>(prefix + ".threshold", [lsh](DedupOptions& o) -> double& { return lsh(o).threshold; }));
  out->push_back(Field<double>(prefix + ".false_positive_weight",
                               [lsh](DedupOptions& o) -> double& { return lsh(o).false_positive_weight; }));
  out->push_back(Field<double>(prefix + ".false_negative_weight",
                               [lsh](DedupOptions& o) -> double& { return lsh(o).false_negative_weight; }));
  out->push_back(Field<int>(prefix + ".num_bands", [lsh](DedupOptions& o) -> int& { return lsh(o).num_bands; }));
  out->push_back(Field<uint32_t>(prefix + ".max_bucket_scan",
                                 [lsh](DedupOptions& o) -> uint32_t& { return lsh(o).max_bucket_scan; }));
}

// Every stored parameter, in the order they are written: the one list both directions use.
const std::vector<Parameter>& Parameters() {
  static const std::vector<Parameter> parameters = [] {
    std::vector<Parameter> p;
    p.push_back({"unicode", [](const DedupOptions&) { return UnicodeVersion(); },
                 [](std::string_view s, DedupOptions*) { return s == UnicodeVersion(); }});
    p.push_back({"invalid_utf8",
                 [](const DedupOptions& o) {
                   return std::string(o.fingerprint.normalize.invalid_utf8 == InvalidUtf8::kReject ? "reject" : "replace");
                 },
                 [](std::string_view s, DedupOptions* o) {
                   if (s != "reject" && s != "replace") return false;
                   o->fingerprint.normalize.invalid_utf8 = s == "reject" ? InvalidUtf8::kReject : InvalidUtf8::kReplace;
                   return true;
                 }});
    p.push_back(Field<bool>("unify_punctuation", [](DedupOptions& o) -> bool& { return o.fingerprint.normalize.unify_punctuation; }));
    p.push_back(Field<bool>("strip_diacritics", [](DedupOptions& o) -> bool& { return o.fingerprint.normalize.strip_diacritics; }));
    // As every front end spells it (SetNamedOption): "word:5", "char:3".
    p.push_back({"shingle", [](const DedupOptions& o) { return NamedOptionValue(o, "shingle"); },
                 [](std::string_view s, DedupOptions* o) { return SetNamedOption(o, "shingle", s).ok(); }});
    p.push_back(Field<int>("num_perm", [](DedupOptions& o) -> int& { return o.fingerprint.minhash.num_perm; }));
    p.push_back(Field<uint64_t>("seed", [](DedupOptions& o) -> uint64_t& { return o.fingerprint.minhash.seed; }));
    p.push_back({"minhash",
                 [](const DedupOptions& o) {
                   return std::string(o.fingerprint.minhash.algorithm == MinHashAlgorithm::kOnePermutation
                                          ? "one-permutation"
                                          : "permutation");
                 },
                 [](std::string_view s, DedupOptions* o) {
                   if (s != "one-permutation" && s != "permutation") return false;
                   o->fingerprint.minhash.algorithm =
                       s == "permutation" ? MinHashAlgorithm::kPermutation : MinHashAlgorithm::kOnePermutation;
                   return true;
                 }});
    p.push_back(Field<bool>("translations", [](DedupOptions& o) -> bool& { return o.fingerprint.anchors; }));
    // Only a store that looks for translations keeps anchor profiles: a near-only store made
    // before the rules had a version opens as before. Read after "translations".
    p.push_back({"anchor_rules", [](const DedupOptions&) { return absl::StrCat(kAnchorRulesVersion); },
                 [](std::string_view s, DedupOptions*) { return s == absl::StrCat(kAnchorRulesVersion); },
                 [](const DedupOptions& o) { return o.fingerprint.anchors; }});
    AddLsh("lsh", [](DedupOptions& o) -> LshOptions& { return o.lsh; }, &p);
    AddLsh("translation_lsh", [](DedupOptions& o) -> LshOptions& { return o.translation_lsh; }, &p);
    p.push_back(Field<double>("translation.threshold", [](DedupOptions& o) -> double& { return o.translation.threshold; }));
    p.push_back(Field<int>("translation.min_anchors", [](DedupOptions& o) -> int& { return o.translation.min_anchors; }));
    p.push_back(Field<double>("translation.min_weight", [](DedupOptions& o) -> double& { return o.translation.min_weight; }));
    p.push_back(Field<double>("translation.max_length_ratio",
                              [](DedupOptions& o) -> double& { return o.translation.max_length_ratio; }));
    p.push_back(Field<double>("containment_threshold", [](DedupOptions& o) -> double& { return o.containment_threshold; }));
    // Whether documents carry containment sketches: only read with containment on. Read after
    // "containment_threshold".
    Parameter sketches = Field<bool>("containment_sketch", [](DedupOptions& o) -> bool& { return o.fingerprint.containment; });
    sketches.stored_when = [](const DedupOptions& o) { return o.containment_threshold > 0; };
    p.push_back(std::move(sketches));
    return p;
  }();
  return parameters;
}

// The "name=value" lines of `stored`; kDataLoss if a line is not one.
absl::StatusOr<std::map<std::string, std::string, std::less<>>> SplitLines(std::string_view stored) {
  std::map<std::string, std::string, std::less<>> out;
  for (size_t begin = 0, end; begin < stored.size(); begin = end + 1) {
    end = std::min(stored.find('\n', begin), stored.size());
    const std::string_view line = stored.substr(begin, end - begin);
    if (line.empty()) continue;
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return absl::DataLossError(absl::StrCat("the store's parameters are damaged: '", ToAbsl(line), "'"));
    }
    out.emplace(std::string(line.substr(0, eq)), std::string(line.substr(eq + 1)));
  }
  return out;
}

// A store whose documents were profiled by other anchor rules (kAnchorRulesVersion) than
// this build's: comparing new documents with them would judge by two rules at once.
absl::Status AnchorRulesDiffer(std::string_view theirs) {
  return absl::FailedPreconditionError(absl::StrCat("the store's anchors were found by the rules of version ", ToAbsl(theirs),
                                                    ", this build's are version ", kAnchorRulesVersion,
                                                    ": add its documents to a new store"));
}

}  // namespace

std::vector<std::pair<std::string, std::string>> DescribeParameters(const DedupOptions& options) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Parameter& p : Parameters()) {
    if (!p.stored_when || p.stored_when(options)) out.emplace_back(p.name, p.write(options));
  }
  return out;
}

std::string EncodeParameters(const DedupOptions& options) {
  std::string out;
  for (const auto& [name, value] : DescribeParameters(options)) absl::StrAppend(&out, name, "=", value, "\n");
  return out;
}

absl::Status CheckSameParameters(std::string_view stored, const DedupOptions& options) {
  NEARDUP_ASSIGN_OR_RETURN(auto theirs, SplitLines(stored));
  std::vector<std::string> differences;
  for (const auto& [name, ours] : DescribeParameters(options)) {
    const auto it = theirs.find(name);
    if (it == theirs.end()) {
      differences.push_back(absl::StrCat(name, ": not in the store, the options say ", ours));
    } else {
      if (it->second != ours) differences.push_back(absl::StrCat(name, ": the store has ", it->second, ", the options say ", ours));
      theirs.erase(it);
    }
  }
  for (const auto& [name, value] : theirs) {
    differences.push_back(absl::StrCat(name, ": the store has ", value, ", unknown to this version"));
  }
  if (differences.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("the store was made with other parameters (", absl::StrJoin(differences, "; "), ")"));
}

absl::StatusOr<DedupOptions> ParseParameters(std::string_view stored) {
  NEARDUP_ASSIGN_OR_RETURN(auto theirs, SplitLines(stored));
  DedupOptions options;
  for (const Parameter& p : Parameters()) {
    if (p.stored_when && !p.stored_when(options)) continue;  // a line of it is damage (checked below)
    const auto it = theirs.find(p.name);
    if (it == theirs.end() && p.name == "anchor_rules") return AnchorRulesDiffer("1");  // stores before version 2
    if (it == theirs.end()) return absl::DataLossError(absl::StrCat("the store's parameters lack ", p.name));
    if (p.name == "anchor_rules" && !p.read(it->second, &options) && !it->second.empty() &&
        it->second.find_first_not_of("0123456789") == std::string::npos) {
      return AnchorRulesDiffer(it->second);
    }
    if (!p.read(it->second, &options)) {
      if (p.name == "unicode") {
        return absl::FailedPreconditionError(absl::StrCat("the store was made with Unicode ", it->second,
                                                          ", this build follows Unicode ", UnicodeVersion()));
      }
      return absl::DataLossError(absl::StrCat("the store's parameter ", p.name, " has a bad value '", it->second, "'"));
    }
  }
  // One spelling of each set of parameters is read: the one EncodeParameters writes (extra
  // keys, another order, or another spelling of a number are damage).
  if (EncodeParameters(options) != stored) {
    return absl::DataLossError("the store's parameters are not written as neardup writes them");
  }
  return options;
}

}  // namespace neardup::internal
