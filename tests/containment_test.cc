// Containment at any size ratio (issue #23): the shingle filter against std::set, the
// filter's estimate against exact containment from the string reference, and the
// Deduplicator finding a short text inside documents 10 to 1,000 times its size.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <set>
#include <string>

#include "neardup/dedup.h"
#include "neardup/verdict.h"
#include "reference/reference.h"
#include "fingerprint/judge_text.h"
#include "sketch/shingle_filter.h"

namespace {

using neardup::MatchKind;

constexpr auto kAlgorithm = neardup::MinHashAlgorithm::kOnePermutation;

// `n` words drawn from a vocabulary of 20,000 ("w0" to "w19999"): random texts share almost no
// 5-shingle by chance.
std::string RandomWords(std::mt19937_64& rng, size_t n) {
  std::uniform_int_distribution<int> word(0, 19999);
  std::string out;
  for (size_t i = 0; i < n; ++i) out += (i ? " w" : "w") + std::to_string(word(rng));
  return out;
}

neardup::Fingerprint Fingerprint(const std::string& text) {
  static const auto fingerprinter = neardup::Fingerprinter::Create();
  auto fp = fingerprinter->Compute(text, "en");
  REQUIRE(fp.ok());
  return *std::move(fp);
}

// |A ∩ B| / min(|A|, |B|) by the string reference's shingles.
double ExactContainment(const std::string& a, const std::string& b) {
  const auto sa = neardup::reference::WordShingles(a, 5), sb = neardup::reference::WordShingles(b, 5);
  size_t common = 0;
  for (const auto& s : sa) common += sb.count(s);
  return static_cast<double>(common) / static_cast<double>(std::min(sa.size(), sb.size()));
}

}  // namespace

TEST_CASE("the shingle filter holds every key, and a key outside it with probability 1 - e^(-1/64)", "[containment]") {
  std::mt19937_64 rng(7);
  std::set<uint32_t> members;
  while (members.size() < 5000) members.insert(static_cast<uint32_t>(rng()));
  const std::vector<uint32_t> keys(members.begin(), members.end());
  const std::string filter = neardup::internal::EncodeShingleFilter(keys);
  // About P + 1.5 bits a key (Golomb–Rice with remainder P): well under 8 with P = 6.
  CHECK(filter.size() * 8.0 / keys.size() < 8.0);
  auto hits = neardup::internal::CountInFilter(filter, keys);
  REQUIRE(hits.ok());
  CHECK(*hits == keys.size());  // no false negative
  std::vector<uint32_t> outside;
  while (outside.size() < 200000) {
    const uint32_t k = static_cast<uint32_t>(rng());
    if (!members.contains(k)) outside.push_back(k);
  }
  std::sort(outside.begin(), outside.end());
  hits = neardup::internal::CountInFilter(filter, outside);
  REQUIRE(hits.ok());
  // Binomial(200,000, ε): within 5 standard deviations (sqrt(N ε (1 - ε)) ≈ 55).
  const double eps = neardup::internal::FilterFalsePositiveRate();
  CHECK(eps == Approx(1 - std::exp(-1.0 / 64)));
  const double expected = outside.size() * eps, sd = std::sqrt(outside.size() * eps * (1 - eps));
  INFO("false hits " << *hits << ", expected " << expected);
  CHECK(std::abs(*hits - expected) < 5 * sd);
  // The empty set has a filter that holds nothing.
  const auto none = neardup::internal::CountInFilter(neardup::internal::EncodeShingleFilter({}), keys);
  REQUIRE(none.ok());
  CHECK(*none == 0);
}

TEST_CASE("a damaged shingle filter is DataLoss, never a crash or a count past its probes", "[containment]") {
  std::vector<uint32_t> keys;
  for (uint32_t i = 0; i < 200; ++i) keys.push_back(i * 21474836u + 5);
  const std::string filter = neardup::internal::EncodeShingleFilter(keys);
  for (size_t cut = 0; cut < filter.size(); ++cut) {
    const auto r = neardup::internal::CountInFilter(filter.substr(0, cut), keys);
    CHECK(r.status().code() == absl::StatusCode::kDataLoss);
  }
  for (size_t bit = 0; bit < filter.size() * 8; ++bit) {
    std::string damaged = filter;
    damaged[bit / 8] = static_cast<char>(damaged[bit / 8] ^ (1 << (bit % 8)));
    const auto r = neardup::internal::CountInFilter(damaged, keys);
    if (r.ok()) {
      CHECK(*r <= keys.size());
    } else {
      CHECK(r.status().code() == absl::StatusCode::kDataLoss);
    }
  }
}

TEST_CASE("a text is contained in documents 10, 100 and 1,000 times its size", "[containment]") {
  std::mt19937_64 rng(11);
  const std::string quote = RandomWords(rng, 60);  // 56 shingles
  for (const size_t ratio : {10, 100, 1000}) {
    const std::string before = RandomWords(rng, 30 * ratio), after = RandomWords(rng, 30 * ratio);
    const std::string host = before + "\n" + quote + "\n" + after;
    const neardup::Fingerprint q = Fingerprint(quote), h = Fingerprint(host);
    // The slots alone cannot see it: the quote holds the union's minimum in about 128/ratio slots.
    const auto by_slots = neardup::JudgeText(h.signature, q.signature, kAlgorithm, {});
    REQUIRE(by_slots.ok());
    CHECK_FALSE(by_slots->linked);
    const auto v = neardup::Judge(h, q, kAlgorithm, neardup::AnchorWeights(), {});
    REQUIRE(v.ok());
    INFO("size ratio " << ratio << ": containment " << v->text.containment << " on " << v->text.containment_slots
                       << " slots, error " << v->text.containment_error);
    CHECK(ExactContainment(quote, host) == 1.0);
    CHECK(v->linked);
    CHECK(v->kind == MatchKind::kContained);
    CHECK(v->text.by_filter);
    CHECK_FALSE(v->text.a_is_smaller);
    // A quote sampled whole (56 shingles, ~50 of 128 bins) is measured exactly but for the
    // filter's false hits, which can only add: every slot is found.
    CHECK(v->text.containment_found == v->text.containment_slots);
    CHECK(v->score == 1.0);
  }
}

TEST_CASE("the filter's containment estimate is within its error of the exact containment", "[containment]") {
  std::mt19937_64 rng(3);
  int checked = 0;
  for (const double share : {0.3, 0.6, 0.8, 0.95}) {
    for (int trial = 0; trial < 5; ++trial) {
      // A text of 400 words, and a host 30 times longer holding its first `share` of words: at
      // that size ratio the Jaccard estimate cannot rule containment out (TextLinkPlausible),
      // so the filter measures every pair.
      const std::string text = RandomWords(rng, 400);
      size_t cut = 0, words = 0;
      while (cut < text.size() && words < static_cast<size_t>(share * 400)) words += text[cut++] == ' ';
      const std::string host = RandomWords(rng, 6000) + "\n" + text.substr(0, cut) + "\n" + RandomWords(rng, 6000);
      const double exact = ExactContainment(text, host);
      const auto v = neardup::Judge(Fingerprint(text), Fingerprint(host), kAlgorithm, neardup::AnchorWeights(), {});
      REQUIRE(v.ok());
      REQUIRE(v->text.by_filter);
      // σ of the estimate at the exact value (ContainmentError is z·σ, z = 1.645); 4σ
      // leaves a false failure at 6·10⁻⁵ per check. The filter's false hits are subtracted on
      // average, which the error includes.
      const double sigma =
          neardup::ContainmentError(exact, v->text.containment_slots, 397, neardup::internal::FilterFalsePositiveRate()) /
          neardup::kContainmentConfidenceZ;
      INFO("share " << share << ": exact " << exact << ", estimate " << v->text.containment << ", sigma " << sigma);
      CHECK(std::abs(v->text.containment - exact) <= 4 * sigma + 1e-9);
      // The verdict follows the threshold itself: 0.95 is contained, 0.3 and 0.6 are not.
      if (share >= 0.95) CHECK(v->kind == MatchKind::kContained);
      if (share <= 0.6) CHECK_FALSE(v->linked);
      ++checked;
    }
  }
  CHECK(checked == 20);
}

TEST_CASE("the filter's containment estimate is unbiased: its false hits are subtracted", "[containment]") {
  // 200 texts of 400 words, each with a host holding a tenth of it among 12,000 words of its
  // own (a size ratio at which the filter measures every pair). The mean estimate must be
  // within 4 standard errors of the mean exact containment: with m ≈ 128 slots,
  // σ ≈ sqrt(0.1 · 0.9 / 128 · 0.68) ≈ 0.022 a pair, 0.0015 for the mean, where the filter's
  // false hits alone, left in, would add ε(1 - C) ≈ 0.014.
  std::mt19937_64 rng(17);
  double estimated = 0, exact = 0;
  constexpr int kPairs = 200;
  for (int i = 0; i < kPairs; ++i) {
    const std::string text = RandomWords(rng, 400);
    size_t cut = 0, words = 0;
    while (cut < text.size() && words < 40) words += text[cut++] == ' ';
    const std::string host = RandomWords(rng, 6000) + "\n" + text.substr(0, cut) + "\n" + RandomWords(rng, 6000);
    const auto v = neardup::Judge(Fingerprint(text), Fingerprint(host), kAlgorithm, neardup::AnchorWeights(), {});
    REQUIRE(v.ok());
    REQUIRE(v->text.by_filter);
    estimated += v->text.containment;
    exact += ExactContainment(text, host);
  }
  const double standard_error = std::sqrt(0.1 * 0.9 / 128 * 0.68 / kPairs);
  INFO("mean estimate " << estimated / kPairs << ", mean exact " << exact / kPairs);
  CHECK(std::abs(estimated - exact) / kPairs < 4 * standard_error);
}

TEST_CASE("the Deduplicator finds a quote inside larger documents added before or after it", "[containment][dedup]") {
  std::mt19937_64 rng(5);
  const std::string quote = RandomWords(rng, 80);
  std::vector<std::string> hosts;
  for (const size_t ratio : {3, 30, 300}) {
    hosts.push_back(RandomWords(rng, 40 * ratio) + "\n" + quote + "\n" + RandomWords(rng, 40 * ratio));
  }
  SECTION("quote last: it is contained in each host") {
    auto dedup = neardup::Deduplicator::Create();
    REQUIRE(dedup.ok());
    for (size_t i = 0; i < hosts.size(); ++i) REQUIRE(dedup->Add("host" + std::to_string(i), hosts[i], "en").ok());
    const auto matches = dedup->Add("quote", quote, "en");
    REQUIRE(matches.ok());
    REQUIRE(matches->size() == 3);
    for (const auto& m : *matches) {
      CHECK(m.kind == MatchKind::kContained);
      CHECK(m.containment == 1.0);
    }
  }
  SECTION("quote first: each host contains it, and no host contains another") {
    auto dedup = neardup::Deduplicator::Create();
    REQUIRE(dedup.ok());
    REQUIRE(dedup->Add("quote", quote, "en").ok());
    for (size_t i = 0; i < hosts.size(); ++i) {
      const auto matches = dedup->Add("host" + std::to_string(i), hosts[i], "en");
      REQUIRE(matches.ok());
      REQUIRE(matches->size() == 1);
      CHECK(matches->front().id == "quote");
      CHECK(matches->front().kind == MatchKind::kContained);
    }
    // Removing the quote takes it out of the posting table's lists: a new copy of it finds
    // the three hosts, and not the removed quote.
    REQUIRE(dedup->Remove("quote").ok());
    const auto again = dedup->Query(quote, "en");
    REQUIRE(again.ok());
    CHECK(again->size() == 3);
  }
}

TEST_CASE("a fingerprint without a containment sketch is refused by a Deduplicator that uses them", "[containment][dedup]") {
  auto dedup = neardup::Deduplicator::Create();
  REQUIRE(dedup.ok());
  neardup::FingerprintOptions options;
  options.containment = false;
  const auto fingerprinter = neardup::Fingerprinter::Create(options);
  const auto fp = fingerprinter->Compute("one two three four five six seven eight nine ten", "en");
  REQUIRE(fp.ok());
  CHECK(fp->containment.filter.empty());
  CHECK(dedup->Add("x", *fp).status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(dedup->size() == 0);
}

TEST_CASE("the Jaccard-side rule-out keeps a pair whose estimate fell low", "[containment]") {
  // licenses-dev: a license of 1,361 shingles inside a file of 9,669 (containment 0.98, Jaccard
  // 0.127) whose signatures agreed in 4 of 128 slots (0.031, 3 standard errors low). The rule
  // may only drop pairs that could not reach the threshold with 4 standard errors to spare,
  // the error taken at the bound (Wilson): at J = 0.127, C = J(1 + ρ)/(1 + J) ≈ 0.91.
  neardup::VerdictOptions options;
  CHECK(neardup::internal::TextLinkPlausible(4, 128, 1361, 9669, options));
  // ...and still drops what no error explains: no slot in common at equal sizes.
  CHECK_FALSE(neardup::internal::TextLinkPlausible(0, 128, 1000, 1000, options));
}

TEST_CASE("a verdict whose filter count may stop early links the same pairs with the same figures", "[containment]") {
  // Texts of 300 words and hosts 1 to 20 times longer holding 0.5 to 1 of them: pairs on both
  // sides of the threshold, near and contained, so the count stops early for some.
  std::mt19937_64 rng(17);
  int linked = 0, unlinked = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const std::string text = RandomWords(rng, 300);
    const double share = 0.5 + 0.5 * (trial % 11) / 10.0;
    size_t cut = 0, words = 0;
    while (cut < text.size() && words < static_cast<size_t>(share * 300)) words += text[cut++] == ' ';
    const size_t padding = 15 * (trial % 20);
    const std::string host = RandomWords(rng, padding) + "\n" + text.substr(0, cut) + "\n" + RandomWords(rng, padding);
    const neardup::Fingerprint a = Fingerprint(text), b = Fingerprint(host);
    const neardup::internal::TextSide side_a{a.signature.values(), a.signature.set_size(), a.containment.filter};
    const neardup::internal::TextSide side_b{b.signature.values(), b.signature.set_size(), b.containment.filter};
    const neardup::VerdictOptions options;
    const auto all = neardup::internal::JudgeTextSides(side_a, side_b, kAlgorithm, options);
    const auto linked_only = neardup::internal::JudgeTextSides(side_a, side_b, kAlgorithm, options,
                                                               neardup::internal::TextEvidenceNeeded::kLinkedOnly);
    REQUIRE(all.ok());
    REQUIRE(linked_only.ok());
    REQUIRE(all->linked == linked_only->linked);
    if (all->linked) {
      CHECK(all->kind == linked_only->kind);
      CHECK(all->score == linked_only->score);
      CHECK(all->text.containment == linked_only->text.containment);
      ++linked;
    } else {
      // Cut short, the count is at most the full one.
      CHECK(linked_only->text.containment <= all->text.containment);
      ++unlinked;
    }
  }
  CHECK(linked > 10);
  CHECK(unlinked > 10);
}

// The filter's bytes are part of the store's format: they are checked against the format as
// written in sketch/shingle_filter.h, one bit at a time (varint n, varint count, then for each
// distinct mapped value its gap as a unary quotient and P remainder bits, low bit first).
TEST_CASE("the shingle filter's bytes are the documented Golomb-Rice code, bit for bit", "[containment]") {
  constexpr int kP = neardup::internal::kFilterRemainderBits;
  std::mt19937_64 rng(2612);
  for (const size_t n : {0, 1, 2, 7, 64, 300, 5000}) {
    std::vector<uint32_t> keys;
    for (size_t i = 0; i < n; ++i) keys.push_back(static_cast<uint32_t>(rng()));
    if (n == 300) keys.assign(n, 0xFFFFFFFFu), keys[0] = 0;  // one huge gap: quotients of 32 ones and more
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    const uint64_t range = uint64_t{keys.size()} << kP;  // below 2^32 here: k · range fits in 64 bits
    std::vector<uint64_t> mapped;
    for (uint32_t k : keys) {
      const uint64_t m = (uint64_t{k} * range) >> 32;
      if (mapped.empty() || mapped.back() != m) mapped.push_back(m);
    }
    std::string expected;
    for (uint64_t v : {static_cast<uint64_t>(keys.size()), static_cast<uint64_t>(mapped.size())}) {
      for (; v >= 0x80; v >>= 7) expected.push_back(static_cast<char>((v & 0x7F) | 0x80));
      expected.push_back(static_cast<char>(v));
    }
    std::vector<bool> bits;
    uint64_t previous = 0;
    for (uint64_t m : mapped) {
      const uint64_t gap = m - previous;
      for (uint64_t q = 0; q < (gap >> kP); ++q) bits.push_back(true);
      bits.push_back(false);
      for (int b = 0; b < kP; ++b) bits.push_back(((gap >> b) & 1) != 0);
      previous = m;
    }
    for (size_t i = 0; i < bits.size(); i += 8) {
      unsigned char byte = 0;
      for (size_t b = 0; b < 8 && i + b < bits.size(); ++b) byte |= static_cast<unsigned char>(bits[i + b]) << b;
      expected.push_back(static_cast<char>(byte));
    }
    INFO(n << " keys");
    CHECK(neardup::internal::EncodeShingleFilter(keys) == expected);
  }
}
