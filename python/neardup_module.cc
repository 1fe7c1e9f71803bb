// The Python binding (pybind11): module neardup._neardup, wrapped by python/neardup/__init__.py.
//
// Every call into the library runs with the GIL released; Python objects are built after it is
// taken back. An absl::Status error becomes a Python exception of the matching class (below),
// with the status message as its text.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstring>
#include <span>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "internal/anchor_query.h"
#include "internal/anchor_weights_access.h"
#include "internal/band_key.h"
#include "internal/judge_text.h"
#include "internal/profile_codec.h"
#include "internal/text_index_options.h"
#include "internal/translation_candidates.h"
#include "neardup/neardup.h"
#include "neardup/version.h"

namespace py = pybind11;

namespace neardup::python {
namespace {

// The exception classes, created at import: NeardupError, and one per status code that a
// caller may want to catch, each also a subclass of the builtin a Python user expects.
struct ErrorClasses {
  py::object base, invalid_argument, not_found, already_exists, failed_precondition, data_loss, unavailable,
      unimplemented, resource_exhausted, aborted;
};
ErrorClasses& Errors() {
  static ErrorClasses* classes = new ErrorClasses();  // leaked: module state lives until exit
  return *classes;
}

[[noreturn]] void Raise(const absl::Status& status) {
  // Codes a caller may want to tell apart; any other raises NeardupError itself.
  static constexpr std::pair<absl::StatusCode, py::object ErrorClasses::*> kClassOf[] = {
      {absl::StatusCode::kInvalidArgument, &ErrorClasses::invalid_argument},
      {absl::StatusCode::kOutOfRange, &ErrorClasses::invalid_argument},
      {absl::StatusCode::kNotFound, &ErrorClasses::not_found},
      {absl::StatusCode::kAlreadyExists, &ErrorClasses::already_exists},
      {absl::StatusCode::kFailedPrecondition, &ErrorClasses::failed_precondition},
      {absl::StatusCode::kDataLoss, &ErrorClasses::data_loss},
      {absl::StatusCode::kUnavailable, &ErrorClasses::unavailable},
      {absl::StatusCode::kUnimplemented, &ErrorClasses::unimplemented},
      {absl::StatusCode::kResourceExhausted, &ErrorClasses::resource_exhausted},
      {absl::StatusCode::kAborted, &ErrorClasses::aborted},
  };
  const ErrorClasses& e = Errors();
  py::object cls = e.base;
  for (const auto& [code, member] : kClassOf) {
    if (code == status.code()) cls = e.*member;
  }
  PyErr_SetString(cls.ptr(), std::string(status.message()).c_str());
  throw py::error_already_set();
}

void Check(const absl::Status& status) {
  if (!status.ok()) Raise(status);
}

template <typename T>
T Value(absl::StatusOr<T>&& result) {
  if (!result.ok()) Raise(result.status());
  return *std::move(result);
}

py::object Score(double x) { return py::float_(x); }

// f() with the GIL released: the library's work never holds up other Python threads.
template <typename F>
auto WithoutGil(F f) {
  py::gil_scoped_release release;
  return f();
}

// kind, score, jaccard and containment (None for translations, as dedup's JSON omits them).
void PutEvidence(py::dict& d, MatchKind kind, double score, double jaccard, double containment) {
  d["kind"] = MatchKindName(kind);
  d["score"] = Score(score);
  const bool text = kind != MatchKind::kTranslation;
  d["jaccard"] = text ? Score(jaccard) : py::none();
  d["containment"] = text ? Score(containment) : py::none();
}

py::dict MatchDict(const Match& m) {
  py::dict d;
  d["id"] = m.id;
  PutEvidence(d, m.kind, m.score, m.jaccard, m.containment);
  return d;
}

py::list MatchList(const std::vector<Match>& matches) {
  py::list out;
  for (const Match& m : matches) out.append(MatchDict(m));
  return out;
}

py::dict TranslationDict(const TranslationEvidence& t) {
  py::dict d;
  d["score"] = t.score;
  d["decided"] = t.decided;
  d["anchors_decide"] = t.anchors_decide;
  d["anchor_score"] = t.anchor_score;
  d["coverage_a"] = t.coverage_a;
  d["coverage_b"] = t.coverage_b;
  d["matched_weight"] = t.matched_weight;
  d["layout"] = t.layout;
  d["layout_chance"] = t.layout_chance;
  d["length_ratio"] = t.length_ratio;
  d["paragraphs_a"] = t.paragraphs_a;
  d["paragraphs_b"] = t.paragraphs_b;
  d["chain"] = t.chain;
  d["conflicts_a"] = t.conflicts_a;
  d["conflicts_b"] = t.conflicts_b;
  return d;
}

py::dict VerdictDict(const Verdict& v, const Fingerprint& a, const Fingerprint& b) {
  py::dict d;
  d["linked"] = v.linked;
  d["kind"] = v.linked ? py::object(py::str(MatchKindName(v.kind))) : py::none();
  d["score"] = v.score;
  py::dict text;
  text["jaccard"] = v.text.jaccard;
  text["containment"] = v.text.containment;
  text["containment_slots"] = v.text.containment_slots;
  text["a_is_smaller"] = v.text.a_is_smaller;
  d["text"] = text;
  d["languages"] = py::make_tuple(a.language, b.language);
  d["cross_language"] = v.cross_language;
  d["undecided"] = v.undecided;
  d["translation"] = v.cross_language ? py::object(TranslationDict(v.translation)) : py::none();
  return d;
}

// The options a Python caller may set; None (std::nullopt) keeps the default, or, for an
// existing store, the store's own.
struct PyOptions {
  std::optional<double> threshold, containment_threshold, translation_threshold;
  std::optional<int> num_perm;
  std::optional<bool> translations;
  std::optional<uint64_t> seed;
  std::optional<uint64_t> max_bytes;

  void ApplyTo(DedupOptions* o) const {
    if (threshold) o->lsh.threshold = *threshold;
    if (containment_threshold) o->containment_threshold = *containment_threshold;
    if (translation_threshold) o->translation.threshold = *translation_threshold;
    if (num_perm) o->fingerprint.minhash.num_perm = *num_perm;
    if (translations) o->fingerprint.anchors = *translations;
    if (seed) o->fingerprint.minhash.seed = *seed;
    if (max_bytes) o->fingerprint.normalize.max_bytes = *max_bytes;
  }
};

// One document given to add_many: (id, text) or (id, text, lang), or a mapping with "id",
// "text" and an optional "lang".
struct InputDocument {
  std::string id, text, lang;
};

InputDocument ToDocument(const py::handle& item) {
  InputDocument doc;
  if (py::isinstance<py::dict>(item)) {
    const py::dict d = py::reinterpret_borrow<py::dict>(item);
    if (!d.contains("id") || !d.contains("text")) throw py::value_error("a document mapping needs 'id' and 'text'");
    doc.id = py::cast<std::string>(d["id"]);
    doc.text = py::cast<std::string>(d["text"]);
    if (d.contains("lang") && !d["lang"].is_none()) doc.lang = py::cast<std::string>(d["lang"]);
    return doc;
  }
  const py::sequence s = py::reinterpret_borrow<py::sequence>(item);
  if (s.size() != 2 && s.size() != 3) throw py::value_error("a document is (id, text) or (id, text, lang)");
  doc.id = py::cast<std::string>(s[0]);
  doc.text = py::cast<std::string>(s[1]);
  if (s.size() == 3 && !s[2].is_none()) doc.lang = py::cast<std::string>(s[2]);
  return doc;
}

class PyDeduplicator {
 public:
  PyDeduplicator(const PyOptions& options, std::optional<std::string> store, bool read_only) {
    DedupOptions o;
    if (store) {
      // An existing store is opened with its own options; those given must agree (Open
      // names each difference).
      absl::StatusOr<DedupOptions> stored;
      {
        py::gil_scoped_release release;
        stored = Deduplicator::StoredOptions(*store);
      }
      if (stored.ok()) {
        o = *stored;
      } else if (stored.status().code() != absl::StatusCode::kNotFound) {
        Raise(stored.status());
      }
    }
    options.ApplyTo(&o);
    py::gil_scoped_release release;
    absl::StatusOr<Deduplicator> made =
        store ? Deduplicator::Open(*store, o, StoreOptions{.read_only = read_only}) : Deduplicator::Create(o);
    py::gil_scoped_acquire acquire;
    dedup_.emplace(Value(std::move(made)));
    stored_ = store.has_value();
  }

  py::list Add(const std::string& id, const std::string& text, const std::string& lang) {
    auto matches = WithoutGil([&] { return dedup_->Add(id, text, lang); });
    return MatchList(Value(std::move(matches)));
  }

  py::list AddMany(const py::iterable& docs, int threads, const std::string& errors) {
    if (errors != "raise" && errors != "collect") throw py::value_error("errors must be 'raise' or 'collect'");
    std::vector<InputDocument> inputs;
    for (const py::handle& item : docs) inputs.push_back(ToDocument(item));
    std::vector<absl::StatusOr<std::vector<Match>>> results(inputs.size(), absl::UnknownError("not run"));
    {
      py::gil_scoped_release release;
      // Fingerprints in parallel (the costly part), then one batch in input order: the same
      // result as add() one by one.
      std::vector<absl::StatusOr<Fingerprint>> fingerprints(inputs.size(), absl::UnknownError("not run"));
      const size_t n_threads = std::clamp<size_t>(threads > 0 ? threads : std::thread::hardware_concurrency(), 1,
                                                  std::max<size_t>(1, inputs.size()));
      std::vector<std::thread> pool;
      for (size_t t = 0; t < n_threads; ++t) {
        pool.emplace_back([&, t] {
          for (size_t i = t; i < inputs.size(); i += n_threads) {
            fingerprints[i] = dedup_->fingerprinter().Compute(inputs[i].text, inputs[i].lang);
          }
        });
      }
      for (std::thread& thread : pool) thread.join();
      std::vector<std::string> ids;
      std::vector<Fingerprint> ok;
      std::vector<size_t> where;
      for (size_t i = 0; i < inputs.size(); ++i) {
        if (fingerprints[i].ok()) {
          ids.push_back(inputs[i].id);
          ok.push_back(*std::move(fingerprints[i]));
          where.push_back(i);
        } else {
          results[i] = fingerprints[i].status();
        }
      }
      std::vector<absl::StatusOr<std::vector<Match>>> added = dedup_->AddBatch(ids, ok);
      for (size_t j = 0; j < added.size(); ++j) results[where[j]] = std::move(added[j]);
    }
    py::list out;
    for (size_t i = 0; i < results.size(); ++i) {
      if (results[i].ok()) {
        out.append(MatchList(*results[i]));
        continue;
      }
      const absl::Status named(results[i].status().code(),
                               "document '" + inputs[i].id + "': " + std::string(results[i].status().message()));
      if (errors == "raise") Raise(named);
      try {
        Raise(named);
      } catch (py::error_already_set& e) {
        out.append(e.value());
      }
    }
    return out;
  }

  py::list Query(const std::string& text, const std::string& lang) const {
    auto matches = WithoutGil([&] { return dedup_->Query(text, lang); });
    return MatchList(Value(std::move(matches)));
  }

  void Remove(const std::string& id) {
    absl::Status removed = WithoutGil([&] { return dedup_->Remove(id); });
    Check(removed);
  }

  py::list Pairs() const {
    auto pairs = WithoutGil([&] { return dedup_->Pairs(); });
    py::list out;
    for (const Pair& p : pairs) {
      py::dict pair;
      pair["id_a"] = p.id_a;
      pair["id_b"] = p.id_b;
      PutEvidence(pair, p.kind, p.score, p.jaccard, p.containment);
      out.append(pair);
    }
    return out;
  }

  py::list Clusters() const {
    auto clusters = WithoutGil([&] { return dedup_->Clusters(); });
    py::list out;
    for (const Cluster& c : clusters) {
      py::dict d;
      d["canonical"] = c.canonical;
      d["members"] = c.members;
      out.append(d);
    }
    return out;
  }

  py::dict Stats() const {
    py::dict d;
    size_t memory = 0, size = 0;
    std::optional<absl::StatusOr<Deduplicator::StoreStats>> store;
    {
      py::gil_scoped_release release;
      memory = dedup_->MemoryUsage();
      size = dedup_->size();
      if (stored_) store = dedup_->GetStoreStats();
    }
    d["documents"] = size;
    d["memory_bytes"] = memory;
    if (store) {
      const Deduplicator::StoreStats s = Value(*std::move(store));
      py::dict sd;
      sd["documents"] = s.documents;
      sd["live_documents"] = s.live_documents;
      sd["links"] = s.links;
      sd["live_links"] = s.live_links;
      sd["bytes_on_disk"] = s.file_bytes;
      sd["bytes_used"] = s.used_bytes;
      sd["format_version"] = s.format_version;
      sd["created_by"] = s.created_by;
      py::dict parameters;
      for (const auto& [name, value] : s.parameters) parameters[py::str(name)] = value;
      sd["parameters"] = parameters;
      d["store"] = sd;
    }
    return d;
  }

  bool Contains(const std::string& id) const { return dedup_->Contains(id); }
  size_t Size() const { return dedup_->size(); }

 private:
  std::optional<Deduplicator> dedup_;
  bool stored_ = false;
};

// Fingerprinters by (num_perm, seed, translations), made once: creating one sets up the
// pipeline's tables.
absl::StatusOr<const Fingerprinter*> CachedFingerprinter(int num_perm, uint64_t seed, bool anchors) {
  static std::mutex mu;
  static auto* cache = new std::map<std::tuple<int, uint64_t, bool>, Fingerprinter>();
  std::lock_guard lock(mu);
  const auto key = std::make_tuple(num_perm, seed, anchors);
  if (auto it = cache->find(key); it != cache->end()) return &it->second;
  FingerprintOptions options;
  options.minhash.num_perm = num_perm;
  options.minhash.seed = seed;
  options.anchors = anchors;
  absl::StatusOr<Fingerprinter> made = Fingerprinter::Create(options);
  if (!made.ok()) return made.status();
  return &cache->emplace(key, *std::move(made)).first->second;
}

py::array_t<uint64_t> SignatureOf(const std::string& text, int num_perm, uint64_t seed) {
  absl::StatusOr<Fingerprint> fp;
  {
    py::gil_scoped_release release;
    absl::StatusOr<const Fingerprinter*> fingerprinter = CachedFingerprinter(num_perm, seed, /*anchors=*/false);
    fp = fingerprinter.ok() ? (*fingerprinter)->Compute(text) : absl::StatusOr<Fingerprint>(fingerprinter.status());
  }
  const Fingerprint f = Value(std::move(fp));
  py::array_t<uint64_t> out(f.signature.values().size());
  std::copy(f.signature.values().begin(), f.signature.values().end(), out.mutable_data());
  return out;
}

py::dict Compare(const std::string& a, const std::string& b, const std::string& lang_a, const std::string& lang_b,
                 const PyOptions& options) {
  DedupOptions o;
  options.ApplyTo(&o);
  absl::Status status;
  Verdict v;
  Fingerprint fa, fb;
  {
    py::gil_scoped_release release;
    // As `neardup compare`: a in a new Deduplicator, then b explained against it, so the verdict
    // is the one dedup would reach.
    status = [&]() -> absl::Status {
      absl::StatusOr<Deduplicator> dedup = Deduplicator::Create(o);
      if (!dedup.ok()) return dedup.status();
      absl::StatusOr<Fingerprint> pa = dedup->fingerprinter().Compute(a, lang_a);
      if (!pa.ok()) return absl::Status(pa.status().code(), "a: " + std::string(pa.status().message()));
      absl::StatusOr<Fingerprint> pb = dedup->fingerprinter().Compute(b, lang_b);
      if (!pb.ok()) return absl::Status(pb.status().code(), "b: " + std::string(pb.status().message()));
      fa = *std::move(pa), fb = *std::move(pb);
      if (absl::Status added = dedup->Add("a", fa).status(); !added.ok()) {
        return absl::Status(added.code(), "a: " + std::string(added.message()));
      }
      absl::StatusOr<Verdict> judged = dedup->Explain(fb, "a");
      if (!judged.ok()) return absl::Status(judged.status().code(), "b: " + std::string(judged.status().message()));
      v = *std::move(judged);
      return absl::OkStatus();
    }();
  }
  Check(status);
  return VerdictDict(v, fa, fb);
}

// The Deduplicator in pieces, for the Dask path (neardup/dask.py), which runs them on workers
// and must reach the Deduplicator's answers. Signatures travel as their kept values
// (TruncateSignature, 4-byte little-endian words); anchor keys and document frequencies as
// native u64 and u32 arrays. The pieces:
//   - a document's fingerprint: text signature, and with translations its language, encoded
//     anchor profile, untrimmed translation signature and the keys its anchor weights count;
//   - band keys in the text index (internal/band_key.h, banded as internal::TextIndexOptions
//     decides) or the translation index (DedupOptions::translation_lsh);
//   - the text verdict on a candidate pair (internal::JudgeTextSlots, as Add applies it);
//   - the translation signature without its boilerplate tail, and the translation verdicts,
//     given the document frequencies of the keys they read as of the new document's time
//     (internal/anchor_weights_access.h).
class Pipeline {
 public:
  // How text becomes shingles, as `neardup dedup`'s --shingle, --strip-diacritics and
  // --replace-invalid set it (the Deduplicator's Python options do not include these yet).
  struct TextOptions {
    std::optional<int> shingle_size;
    bool character_shingles = false, strip_diacritics = false, replace_invalid = false;
  };

  Pipeline(const PyOptions& o, const TextOptions& text) {
    o.ApplyTo(&options_);
    if (text.shingle_size) options_.fingerprint.shingle.size = *text.shingle_size;
    if (text.character_shingles) options_.fingerprint.shingle.kind = ShingleKind::kCharacter;
    options_.fingerprint.normalize.strip_diacritics = text.strip_diacritics;
    if (text.replace_invalid) options_.fingerprint.normalize.invalid_utf8 = InvalidUtf8::kReplace;
    fingerprinter_.emplace(Value(Fingerprinter::Create(options_.fingerprint)));
    lsh_ = internal::TextIndexOptions(options_);
    params_ = Value(ChooseLshParams(lsh_));
    translation_lsh_ = internal::TranslationIndexOptions(options_);
    translation_params_ = Value(ChooseLshParams(translation_lsh_));
    verdict_.threshold = options_.lsh.threshold;
    verdict_.containment_threshold = options_.containment_threshold;
    verdict_.translation = options_.translation;
    algorithm_ = options_.fingerprint.minhash.algorithm;
    if (!(options_.containment_threshold >= 0.0 && options_.containment_threshold <= 1.0)) {
      Raise(absl::InvalidArgumentError("containment_threshold must be in [0, 1]"));
    }
  }

  bool translations() const { return options_.fingerprint.anchors; }

  // Per text (and its language tag, "" to detect): the reason it cannot be added (a str), or
  // (kept values, set size), and with translations on also (language, encoded profile,
  // translation kept values, translation set size, keys counted, tail keys).
  py::list Sketch(const std::vector<std::string>& texts, const std::vector<std::string>& langs) const {
    std::vector<absl::StatusOr<Fingerprint>> fps;
    {
      py::gil_scoped_release release;
      for (size_t i = 0; i < texts.size(); ++i) {
        fps.push_back(fingerprinter_->Compute(texts[i], i < langs.size() ? langs[i] : std::string()));
      }
    }
    py::list out;
    for (const auto& fp : fps) {
      if (!fp.ok()) {
        out.append(py::str(std::string(fp.status().message())));
      } else if (fp->signature.set_size() == 0) {
        out.append(py::str("has no words to compare; not added"));
      } else if (!translations()) {
        out.append(py::make_tuple(KeptBytes(fp->signature), fp->signature.set_size()));
      } else {
        const std::vector<uint64_t> keys = internal::DocumentKeys(fp->anchors);
        out.append(py::make_tuple(KeptBytes(fp->signature), fp->signature.set_size(), fp->language,
                                  py::bytes(internal::EncodeAnchorProfile(fp->anchors)),
                                  KeptBytes(fp->translation_signature), fp->translation_signature.set_size(),
                                  ArrayBytes(std::span<const uint64_t>(keys)),
                                  ArrayBytes(std::span<const uint64_t>(fp->anchors.tail_keys))));
      }
    }
    return out;
  }

  // The band keys of each kept-values blob in the text index, or the translation index: an
  // (n, num_bands) uint32 array.
  py::array_t<uint32_t> BandKeys(const std::vector<py::bytes>& kepts, bool translation) const {
    const LshParams& params = translation ? translation_params_ : params_;
    const size_t b = static_cast<size_t>(params.num_bands());
    py::array_t<uint32_t> out({kepts.size(), b});
    uint32_t* keys = out.mutable_data();
    for (size_t d = 0; d < kepts.size(); ++d) {
      const std::vector<uint32_t> kept = Kept(kepts[d]);
      for (size_t band = 0; band < b; ++band) {
        keys[d * b + band] = internal::BandKey(kept.data(), params, static_cast<int>(band));
      }
    }
    return out;
  }

  // The verdict of Deduplicator::Add on new document `a` and earlier document `b`:
  // (linked, kind, score, jaccard, containment).
  py::tuple Judge(const py::bytes& a, uint64_t size_a, const py::bytes& b, uint64_t size_b) const {
    const std::vector<uint64_t> va = Restored(a), vb = Restored(b);
    const Verdict v = internal::JudgeTextSlots(va, size_a, vb, size_b, algorithm_, verdict_);
    return py::make_tuple(v.linked, MatchKindName(v.kind), v.score, v.text.jaccard, v.text.containment);
  }

  // The similarity LshIndex::Query ranks candidates by, for each pair (kepts_a[i],
  // kepts_b[i]): the share of slots whose kept values are equal.
  py::array_t<double> Agreement(const std::vector<std::string_view>& kepts_a,
                                const std::vector<std::string_view>& kepts_b) const {
    if (kepts_a.size() != kepts_b.size()) Raise(absl::InvalidArgumentError("two lists of one length are needed"));
    py::array_t<double> out(kepts_a.size());
    double* share = out.mutable_data();
    std::vector<uint32_t> a, b;
    for (size_t i = 0; i < kepts_a.size(); ++i) {
      Kept(kepts_a[i], &a);
      Kept(kepts_b[i], &b);
      share[i] = static_cast<double>(internal::EqualKeptValues(a.data(), b.data(), params_.num_perm())) /
                 params_.num_perm();
    }
    return out;
  }

  // The translation signature a document is indexed and queried with, when the collection of
  // `num_documents` documents (it included) makes part of its tail boilerplate: (kept values,
  // set size); None when nothing is trimmed (the untrimmed signature stands). `keys` and
  // `frequencies` are the document frequencies of its tail keys at that time.
  py::object TrimmedTranslation(const py::bytes& profile, uint64_t num_documents, const py::bytes& keys,
                                const py::bytes& frequencies) const {
    const AnchorProfile p = Profile(profile);
    const std::vector<uint64_t> k = Array<uint64_t>(keys);
    const std::vector<uint32_t> f = Array<uint32_t>(frequencies);
    const AnchorWeights weights = internal::AnchorWeightsAccess::FromCounts(num_documents, k, f);
    if (weights.BoilerplateTail(p) == 0) return py::none();
    const Signature s = fingerprinter_->TranslationSignature(p, &weights);
    return py::make_tuple(KeptBytes(s), s.set_size());
  }

  // Add's translation verdicts on new document `profile` against each of `candidates` (their
  // profiles), with the anchor weights of a collection of `num_documents` documents in which
  // keys[i] occurs in frequencies[i] documents (every key of the profiles must be given):
  // a list of (linked, score).
  py::list JudgeTranslations(const py::bytes& profile, uint64_t num_documents, const py::bytes& keys,
                             const py::bytes& frequencies, const std::vector<py::bytes>& candidates) const {
    const AnchorProfile p = Profile(profile);
    std::vector<AnchorProfile> others;
    for (const py::bytes& c : candidates) others.push_back(Profile(c));
    const std::vector<uint64_t> k = Array<uint64_t>(keys);
    const std::vector<uint32_t> f = Array<uint32_t>(frequencies);
    std::vector<Verdict> verdicts(others.size());
    {
      py::gil_scoped_release release;
      const AnchorWeights weights = internal::AnchorWeightsAccess::FromCounts(num_documents, k, f);
      const internal::AnchorQuery query(p, weights, options_.translation);
      for (size_t i = 0; i < others.size(); ++i) {
        JudgeTranslation(query.CompareWith(others[i], internal::CompareDetail::kVerdict), verdict_, &verdicts[i]);
      }
    }
    py::list out;
    for (const Verdict& v : verdicts) out.append(py::make_tuple(v.linked, v.score));
    return out;
  }

  int num_perm() const { return params_.num_perm(); }
  int num_bands() const { return params_.num_bands(); }
  uint32_t max_bucket_scan() const { return lsh_.max_bucket_scan; }
  uint32_t translation_bucket_scan() const { return translation_lsh_.max_bucket_scan; }

 private:
  static py::bytes KeptBytes(const Signature& s) {
    std::string kept(s.values().size() * 4, '\0');
    for (size_t i = 0; i < s.values().size(); ++i) {
      const uint32_t v = KeptBits(s.values()[i]);
      for (int b = 0; b < 4; ++b) kept[i * 4 + b] = static_cast<char>(v >> (8 * b));
    }
    return py::bytes(kept);
  }
  template <typename T>
  static py::bytes ArrayBytes(std::span<const T> values) {
    return py::bytes(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
  }
  template <typename T>
  static std::vector<T> Array(const py::bytes& bytes) {
    const std::string_view s = bytes;
    if (s.size() % sizeof(T) != 0) Raise(absl::InvalidArgumentError("an array's bytes are not whole values"));
    std::vector<T> out(s.size() / sizeof(T));
    std::memcpy(out.data(), s.data(), s.size());
    return out;
  }
  static AnchorProfile Profile(const py::bytes& bytes) {
    AnchorProfile p;
    Check(internal::DecodeAnchorProfile(std::string_view(bytes), &p));
    return p;
  }
  // Kept values from their little-endian bytes, into *kept.
  void Kept(std::string_view bytes, std::vector<uint32_t>* kept) const {
    if (bytes.size() != static_cast<size_t>(params_.num_perm()) * 4) {
      Raise(absl::InvalidArgumentError("kept values of another num_perm"));
    }
    kept->resize(params_.num_perm());
    for (size_t i = 0; i < kept->size(); ++i) {
      uint32_t v = 0;
      for (int b = 0; b < 4; ++b) v |= uint32_t{static_cast<unsigned char>(bytes[i * 4 + b])} << (8 * b);
      (*kept)[i] = v;
    }
  }
  std::vector<uint32_t> Kept(const py::bytes& bytes) const {
    std::vector<uint32_t> kept;
    Kept(std::string_view(bytes), &kept);
    return kept;
  }
  std::vector<uint64_t> Restored(const py::bytes& bytes) const {
    std::vector<uint64_t> out;
    for (uint32_t v : Kept(bytes)) out.push_back(FromKeptBits(v));
    return out;
  }

  DedupOptions options_;
  std::optional<Fingerprinter> fingerprinter_;
  LshOptions lsh_, translation_lsh_;
  LshParams params_, translation_params_;
  VerdictOptions verdict_;
  MinHashAlgorithm algorithm_ = MinHashAlgorithm::kOnePermutation;
};

py::object NewError(py::module_& m, const char* name, py::handle builtin, const char* doc) {
  py::object bases = builtin ? py::make_tuple(Errors().base, builtin) : py::make_tuple(Errors().base);
  py::object cls = py::reinterpret_steal<py::object>(
      PyErr_NewExceptionWithDoc((std::string("neardup.") + name).c_str(), doc, bases.ptr(), nullptr));
  if (!cls) throw py::error_already_set();
  m.attr(name) = cls;
  return cls;
}

}  // namespace
}  // namespace neardup::python

PYBIND11_MODULE(_neardup, m) {
  using namespace neardup::python;
  namespace nd = neardup;
  m.doc() = "neardup's C++ core; import neardup, not this module.";
  m.attr("__version__") = nd::kVersionString;

  ErrorClasses& e = Errors();
  e.base = py::reinterpret_steal<py::object>(PyErr_NewExceptionWithDoc(
      "neardup.NeardupError", "Base class of neardup's errors; the message is the library's.", PyExc_Exception, nullptr));
  m.attr("NeardupError") = e.base;
  e.invalid_argument = NewError(m, "InvalidArgumentError", PyExc_ValueError,
                                "Bad input or options: invalid UTF-8, a document with no words, an option out of range.");
  e.not_found = NewError(m, "NotFoundError", PyExc_KeyError, "No such document id, or no such store (read-only).");
  e.already_exists = NewError(m, "AlreadyExistsError", PyExc_KeyError, "The document id was added before.");
  e.failed_precondition = NewError(m, "FailedPreconditionError", PyExc_RuntimeError,
                                   "The store was made with other options, or is read-only.");
  e.data_loss = NewError(m, "DataLossError", PyExc_OSError, "The store is damaged, or is not a store.");
  e.unavailable = NewError(m, "UnavailableError", PyExc_OSError, "Another process has the store open for writing.");
  e.unimplemented = NewError(m, "UnimplementedError", PyExc_NotImplementedError,
                             "The store was written by a newer neardup.");
  e.resource_exhausted = NewError(m, "ResourceExhaustedError", PyExc_MemoryError,
                                  "The store or index is full (2^32 documents, or its map).");
  e.aborted = NewError(m, "AbortedError", PyExc_RuntimeError,
                       "A batch's commit failed; reopen the store to continue from its last committed state.");

  py::class_<PyDeduplicator>(m, "Deduplicator", R"(Finds near duplicates, trimmed copies and translations among documents.

Deduplicator(threshold=None, num_perm=None, translations=None, containment_threshold=None,
             translation_threshold=None, seed=None, max_bytes=None, store=None, read_only=False)

Options left as None take the library's defaults (threshold 0.8, num_perm 128, translations
on, containment_threshold 0.8, translation_threshold 0.65), or, when `store` names an
existing store, the store's own: options given must then agree with it
(FailedPreconditionError names each difference). With `store`, every add is durable when it
returns; `read_only` opens an existing store for queries beside its writer.
Thread-safe: calls release the GIL and may run from several threads.)")
      .def(py::init([](std::optional<double> threshold, std::optional<int> num_perm, std::optional<bool> translations,
                       std::optional<double> containment_threshold, std::optional<double> translation_threshold,
                       std::optional<uint64_t> seed, std::optional<uint64_t> max_bytes, std::optional<std::string> store,
                       bool read_only) {
             PyOptions o{threshold, containment_threshold, translation_threshold, num_perm, translations, seed, max_bytes};
             return new PyDeduplicator(o, store, read_only);
           }),
           py::kw_only(), py::arg("threshold") = py::none(), py::arg("num_perm") = py::none(),
           py::arg("translations") = py::none(), py::arg("containment_threshold") = py::none(),
           py::arg("translation_threshold") = py::none(), py::arg("seed") = py::none(),
           py::arg("max_bytes") = py::none(), py::arg("store") = py::none(), py::arg("read_only") = false)
      .def("add", &PyDeduplicator::Add, py::arg("id"), py::arg("text"), py::arg("lang") = "",
           R"(Adds a document; returns the earlier documents it duplicates or translates, as dicts
{id, kind ('near', 'contained' or 'translation'), score, jaccard, containment}
(jaccard and containment are None for translations). `lang` is the text's language code,
or '' to detect it. Raises InvalidArgumentError (bad UTF-8, no words: not added) or
AlreadyExistsError.)")
      .def("add_many", &PyDeduplicator::AddMany, py::arg("docs"), py::arg("threads") = 0, py::arg("errors") = "raise",
           R"(Adds documents in order, exactly as add() one by one: fingerprints on `threads` threads
(0 = one per core), then one batch (one commit with a store). `docs` is an iterable of
(id, text), (id, text, lang) or {"id", "text", "lang"}; it is read whole first, so give a
large corpus in chunks. Returns each document's matches, in order. A document that cannot
be added is skipped: errors='raise' raises the first such error once the batch is done;
errors='collect' puts the exception in its place.)")
      .def("query", &PyDeduplicator::Query, py::arg("text"), py::arg("lang") = "",
           "The documents `text` duplicates or translates, as add() returns them, without adding it.")
      .def("remove", &PyDeduplicator::Remove, py::arg("id"), "Forgets a document and its links; NotFoundError if absent.")
      .def("pairs", &PyDeduplicator::Pairs,
           R"(Every live link in the order made, as dicts {id_a, id_b, kind, score, jaccard, containment}:
what `neardup dedup` prints. A document keeps its best translation per language.)")
      .def("clusters", &PyDeduplicator::Clusters,
           "Groups of two or more linked documents, as dicts {canonical, members}, in insertion order.")
      .def("stats", &PyDeduplicator::Stats,
           "{documents, memory_bytes} and, with a store, 'store': {documents, live_documents, links, live_links, "
           "bytes_on_disk, bytes_used, format_version, created_by, parameters}.")
      .def("__contains__", &PyDeduplicator::Contains, py::arg("id"))
      .def("__len__", &PyDeduplicator::Size);

  py::class_<Pipeline>(m, "_Pipeline", "Internal: the Deduplicator in pieces, for neardup.dask.")
      .def(py::init([](std::optional<double> threshold, std::optional<int> num_perm,
                       std::optional<double> containment_threshold, std::optional<double> translation_threshold,
                       bool translations, std::optional<uint64_t> seed, std::optional<uint64_t> max_bytes,
                       std::optional<int> shingle_size, bool character_shingles, bool strip_diacritics,
                       bool replace_invalid) {
             return new Pipeline(PyOptions{threshold, containment_threshold, translation_threshold, num_perm,
                                           translations, seed, max_bytes},
                                 Pipeline::TextOptions{shingle_size, character_shingles, strip_diacritics,
                                                       replace_invalid});
           }),
           py::kw_only(), py::arg("threshold") = py::none(), py::arg("num_perm") = py::none(),
           py::arg("containment_threshold") = py::none(), py::arg("translation_threshold") = py::none(),
           py::arg("translations") = false, py::arg("seed") = py::none(), py::arg("max_bytes") = py::none(),
           py::arg("shingle_size") = py::none(), py::arg("character_shingles") = false,
           py::arg("strip_diacritics") = false, py::arg("replace_invalid") = false)
      .def("sketch", &Pipeline::Sketch, py::arg("texts"), py::arg("langs"))
      .def("band_keys", &Pipeline::BandKeys, py::arg("kepts"), py::arg("translation") = false)
      .def("judge", &Pipeline::Judge, py::arg("a"), py::arg("size_a"), py::arg("b"), py::arg("size_b"))
      .def("agreement", &Pipeline::Agreement, py::arg("kepts_a"), py::arg("kepts_b"))
      .def("trimmed_translation", &Pipeline::TrimmedTranslation, py::arg("profile"), py::arg("num_documents"),
           py::arg("keys"), py::arg("frequencies"))
      .def("judge_translations", &Pipeline::JudgeTranslations, py::arg("profile"), py::arg("num_documents"),
           py::arg("keys"), py::arg("frequencies"), py::arg("candidates"))
      .def_property_readonly("translations", &Pipeline::translations)
      .def_property_readonly("num_perm", &Pipeline::num_perm)
      .def_property_readonly("num_bands", &Pipeline::num_bands)
      .def_property_readonly("max_bucket_scan", &Pipeline::max_bucket_scan)
      .def_property_readonly("translation_bucket_scan", &Pipeline::translation_bucket_scan)
      // internal/translation_candidates.h: which translation-index hits are verified.
      .def_property_readonly_static("min_translation_similarity",
                                    [](py::object) { return nd::internal::kMinTranslationSimilarity; })
      .def_property_readonly_static("max_candidates_per_language",
                                    [](py::object) { return nd::internal::kMaxCandidatesPerLanguage; })
      .def_property_readonly_static("max_translation_candidates",
                                    [](py::object) { return nd::internal::kMaxTranslationCandidates; });

  m.def("signature", &SignatureOf, py::arg("text"), py::kw_only(), py::arg("num_perm") = 128,
        py::arg("seed") = nd::kDefaultSeed,
        R"(The MinHash signature of `text` (normalized, word 5-shingles) as a NumPy uint64 array of
`num_perm` values: the same on every run and machine. Raises InvalidArgumentError for bad
UTF-8 or options.)");
  m.def(
      "compare",
      [](const std::string& a, const std::string& b, const std::string& lang_a, const std::string& lang_b,
         std::optional<double> threshold, std::optional<bool> translations, std::optional<double> containment_threshold,
         std::optional<double> translation_threshold) {
        return Compare(a, b, lang_a, lang_b,
                       PyOptions{threshold, containment_threshold, translation_threshold, std::nullopt, translations,
                                 std::nullopt, std::nullopt});
      },
      py::arg("a"), py::arg("b"), py::kw_only(), py::arg("lang_a") = "", py::arg("lang_b") = "",
      py::arg("threshold") = py::none(), py::arg("translations") = py::none(),
      py::arg("containment_threshold") = py::none(), py::arg("translation_threshold") = py::none(),
      R"(The library's verdict on two texts, as `neardup compare` gives it: a dict with linked, kind,
score, text {jaccard, containment, containment_slots, a_is_smaller}, languages,
cross_language, undecided and translation (the anchor evidence, or None).)");
}
