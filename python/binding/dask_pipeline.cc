// neardup._Pipeline: the Deduplicator in pieces, for neardup.dask (through seam/python.h).

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "arguments.h"
#include "errors.h"
#include "neardup/neardup.h"
#include "register.h"
#include "results.h"
#include "seam/python.h"

namespace neardup::python {
namespace {

// The Deduplicator in pieces, for the Dask path (the neardup.dask package), which runs them on workers
// and must reach the Deduplicator's answers. Signatures travel as their kept values
// (TruncateSignature, 4-byte little-endian words); anchor keys and document frequencies as
// native u64 and u32 arrays. The pieces:
//   - a document's fingerprint: text signature, and with translations its language, encoded
//     anchor profile, untrimmed translation signature and the keys its anchor weights count;
//   - band keys in the text index (index/band_key.h, banded as seam::TextIndexOptions
//     decides) or the translation index (DedupOptions::translation_lsh);
//   - containment candidates: pairs sharing enough sample keys among each key's
//     kMaxPostingScan newest holders (index/posting_table.h);
//   - the text verdicts on a block of candidate pairs (seam::JudgeTextSides, as Add applies it);
//   - the translation signature without its boilerplate tail, and the translation verdicts,
//     given the document frequencies of the keys they read as of the new document's time
//     (AnchorWeights::FromDocumentFrequencies).
class Pipeline {
 public:
  explicit Pipeline(const PyOptions& o) {
    o.ApplyTo(&options_);
    Check(ValidateDedupOptions(options_));  // the command's and the Deduplicator's messages
    FingerprintOptions fingerprint = options_.fingerprint;
    fingerprint.containment = seam::UsesContainmentSketches(options_);  // as Deduplicator::Create
    fingerprinter_.emplace(Value(Fingerprinter::Create(fingerprint)));
    lsh_ = seam::TextIndexOptions(options_);
    params_ = Value(ChooseLshParams(lsh_));
    translation_lsh_ = seam::TranslationIndexOptions(options_);
    translation_params_ = Value(ChooseLshParams(translation_lsh_));
    verdict_ = VerdictOptionsOf(options_);
    algorithm_ = options_.fingerprint.minhash.algorithm;
  }

  bool translations() const { return options_.fingerprint.anchors; }

  // Per document (its id, text, and language tag: "" or None to detect): the reason Add would
  // refuse it (a str: the library's message, or the argument's, as Deduplicator.add gives
  // them), or (kept values, set size, containment sample (u32 array), shingle filter; both
  // empty without sketches), and with translations on also (language, encoded profile,
  // translation kept values, translation set size, keys counted, tail keys).
  py::list Sketch(const py::sequence& ids, const py::sequence& texts, const py::sequence& langs) const {
    if (ids.size() != texts.size() || langs.size() != texts.size()) {
      Raise(absl::InvalidArgumentError("ids, texts and langs must be of one length"));
    }
    std::vector<absl::StatusOr<Fingerprint>> fps(texts.size(), absl::UnknownError("not run"));
    std::vector<std::string> id(texts.size()), text(texts.size()), lang(texts.size());
    std::vector<bool> usable(texts.size(), false);
    for (size_t i = 0; i < texts.size(); ++i) {
      try {  // an argument's error is the document's, never the partition's
        id[i] = TextArg(ids[i], "id");
        text[i] = TextArg(texts[i], "text");
        lang[i] = LangArg(langs[i], "lang");
        usable[i] = true;
      } catch (py::error_already_set& e) {
        fps[i] = absl::InvalidArgumentError(py::str(e.value()).cast<std::string>());
      }
    }
    {
      py::gil_scoped_release release;
      for (size_t i = 0; i < texts.size(); ++i) {
        if (!usable[i]) continue;
        const absl::Status valid = ValidateDocumentId(id[i]);
        fps[i] = valid.ok() ? fingerprinter_->Compute(text[i], lang[i]) : absl::StatusOr<Fingerprint>(valid);
      }
    }
    py::list out;
    for (size_t i = 0; i < fps.size(); ++i) {
      const absl::StatusOr<Fingerprint>& fp = fps[i];
      if (!fp.ok()) {
        out.append(py::str(std::string(fp.status().message())));
      } else if (fp->signature.set_size() == 0) {  // Deduplicator::Add's words
        out.append(py::str("document '" + id[i] + "' has no words to compare; not added"));
      } else if (!translations()) {
        out.append(py::make_tuple(KeptBytes(fp->signature), fp->signature.set_size(),
                                  ArrayBytes(std::span<const uint32_t>(fp->containment.sample)),
                                  py::bytes(fp->containment.filter)));
      } else {
        const std::vector<uint64_t> keys = AnchorWeights::CountedKeys(fp->anchors);
        out.append(py::make_tuple(KeptBytes(fp->signature), fp->signature.set_size(),
                                  ArrayBytes(std::span<const uint32_t>(fp->containment.sample)),
                                  py::bytes(fp->containment.filter), fp->language,
                                  py::bytes(seam::EncodeAnchorProfile(fp->anchors)),
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
        keys[d * b + band] = seam::BandKey(kept.data(), params, static_cast<int>(band));
      }
    }
    return out;
  }

  // Add's verdicts on the pairs of a block: pair k is earlier document a_at[k] of side a and
  // new document b_at[k] of side b (positions in each side). A side is its documents' kept
  // values (n x num_perm), set sizes, and shingle filters (concatenated, cut at n + 1 offsets;
  // empty without sketches). One call a block, so that the pairs never become Python objects.
  // The linked pairs: (their indexes in a_at, kinds, scores, jaccards, containments,
  // a_is_smaller), a_is_smaller telling, of a contained pair, whether the earlier document
  // is the one inside the other (the verdict measures the new one as its side a).
  py::tuple JudgeBlock(const py::array_t<int64_t>& a_at, const py::array_t<int64_t>& b_at,
                       const py::array_t<uint32_t, py::array::c_style>& kept_a, const py::array_t<uint64_t>& sizes_a,
                       const py::bytes& filters_a, const py::array_t<int64_t>& offsets_a,
                       const py::array_t<uint32_t, py::array::c_style>& kept_b, const py::array_t<uint64_t>& sizes_b,
                       const py::bytes& filters_b, const py::array_t<int64_t>& offsets_b) const {
    if (a_at.size() != b_at.size()) Raise(absl::InvalidArgumentError("a_at and b_at must be of one length"));
    const Side a = MakeSide(kept_a, sizes_a, filters_a, offsets_a), b = MakeSide(kept_b, sizes_b, filters_b, offsets_b);
    const int64_t* at_a = a_at.data();
    const int64_t* at_b = b_at.data();
    for (py::ssize_t k = 0; k < a_at.size(); ++k) {
      if (at_a[k] < 0 || static_cast<size_t>(at_a[k]) >= a.sizes.size() || at_b[k] < 0 ||
          static_cast<size_t>(at_b[k]) >= b.sizes.size()) {
        Raise(absl::InvalidArgumentError("a pair names a document outside its side"));
      }
    }
    std::vector<int64_t> linked;
    std::vector<Verdict> verdicts;
    absl::Status judged;
    {
      py::gil_scoped_release release;
      const size_t p = static_cast<size_t>(params_.num_perm());
      for (size_t k = 0; k < static_cast<size_t>(a_at.size()); ++k) {
        const size_t x = static_cast<size_t>(at_a[k]), y = static_cast<size_t>(at_b[k]);
        absl::StatusOr<Verdict> v = seam::JudgeTextSides(
            {std::span<const uint64_t>(b.values).subspan(y * p, p), b.sizes[y], b.Filter(y)},
            {std::span<const uint64_t>(a.values).subspan(x * p, p), a.sizes[x], a.Filter(x)}, algorithm_, verdict_);
        if (!v.ok()) {
          judged = v.status();
          break;
        }
        if (v->linked) {
          linked.push_back(static_cast<int64_t>(k));
          verdicts.push_back(*v);
        }
      }
    }
    Check(judged);
    py::array_t<int64_t> index(linked.size());
    py::array_t<double> score(linked.size()), jaccard(linked.size()), containment(linked.size());
    py::array_t<bool> a_is_smaller(linked.size());
    py::list kinds;
    for (size_t k = 0; k < linked.size(); ++k) {
      const Verdict& v = verdicts[k];
      index.mutable_at(k) = linked[k];
      score.mutable_at(k) = v.score;
      jaccard.mutable_at(k) = v.text.jaccard;
      containment.mutable_at(k) = v.text.containment;
      a_is_smaller.mutable_at(k) = v.kind == MatchKind::kContained && !v.text.a_is_smaller;
      kinds.append(MatchKindName(v.kind));
    }
    return py::make_tuple(index, kinds, score, jaccard, containment, a_is_smaller);
  }

  // For pairs sharing shared[i] sample keys, of samples of sizes_a[i] and sizes_b[i] keys:
  // whether the Deduplicator verifies them (seam::SharesEnoughSample).
  py::array_t<bool> SharesEnoughSample(const py::array_t<int64_t>& shared, const py::array_t<int64_t>& sizes_a,
                                       const py::array_t<int64_t>& sizes_b) const {
    if (shared.size() != sizes_a.size() || shared.size() != sizes_b.size()) {
      Raise(absl::InvalidArgumentError("three arrays of one length are needed"));
    }
    py::array_t<bool> out(shared.size());
    bool* enough = out.mutable_data();
    for (py::ssize_t i = 0; i < shared.size(); ++i) {
      enough[i] = seam::SharesEnoughSample(static_cast<uint32_t>(shared.at(i)), static_cast<size_t>(sizes_a.at(i)),
                                               static_cast<size_t>(sizes_b.at(i)));
    }
    return out;
  }
  bool uses_sketches() const { return seam::UsesContainmentSketches(options_); }

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
      share[i] = static_cast<double>(seam::EqualKeptValues(a.data(), b.data(), params_.num_perm())) /
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
    const AnchorWeights weights = AnchorWeights::FromDocumentFrequencies(num_documents, k, f);
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
      const AnchorWeights weights = AnchorWeights::FromDocumentFrequencies(num_documents, k, f);
      const seam::AnchorQuery query(p, weights, options_.translation);
      for (size_t i = 0; i < others.size(); ++i) {
        verdicts[i] = JudgeTranslation(query.CompareWith(others[i], seam::CompareDetail::kVerdict), verdict_);
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
  // A block's side: kept values restored (FromKeptBits), set sizes, and filters.
  struct Side {
    std::vector<uint64_t> values;  // n x num_perm
    std::vector<uint64_t> sizes;
    std::string filters;
    std::vector<int64_t> offsets;  // n + 1
    std::string_view Filter(size_t d) const {
      return std::string_view(filters).substr(static_cast<size_t>(offsets[d]),
                                              static_cast<size_t>(offsets[d + 1] - offsets[d]));
    }
  };
  Side MakeSide(const py::array_t<uint32_t, py::array::c_style>& kept, const py::array_t<uint64_t>& sizes,
                const py::bytes& filters, const py::array_t<int64_t>& offsets) const {
    const size_t n = static_cast<size_t>(sizes.size());
    if (kept.ndim() != 2 || static_cast<size_t>(kept.shape(0)) != n || kept.shape(1) != params_.num_perm()) {
      Raise(absl::InvalidArgumentError("kept values must be a (documents, num_perm) array"));
    }
    Side side;
    side.filters = std::string(std::string_view(filters));
    if (static_cast<size_t>(offsets.size()) != n + 1) Raise(absl::InvalidArgumentError("filters need n + 1 offsets"));
    side.offsets.assign(offsets.data(), offsets.data() + n + 1);
    for (size_t d = 0; d < n; ++d) {
      if (side.offsets[d] < 0 || side.offsets[d] > side.offsets[d + 1] ||
          static_cast<size_t>(side.offsets[d + 1]) > side.filters.size()) {
        Raise(absl::InvalidArgumentError("filter offsets out of order"));
      }
    }
    side.sizes.assign(sizes.data(), sizes.data() + n);
    const uint32_t* k = kept.data();
    side.values.resize(n * static_cast<size_t>(params_.num_perm()));
    for (size_t i = 0; i < side.values.size(); ++i) side.values[i] = FromKeptBits(k[i]);
    return side;
  }

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
    Check(seam::DecodeAnchorProfile(std::string_view(bytes), &p));
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

  DedupOptions options_;
  std::optional<Fingerprinter> fingerprinter_;
  LshOptions lsh_, translation_lsh_;
  LshParams params_, translation_params_;
  VerdictOptions verdict_;
  MinHashAlgorithm algorithm_ = MinHashAlgorithm::kOnePermutation;
};

}  // namespace

void RegisterDaskPipeline(py::module_& m) {
  py::class_<Pipeline>(m, "_Pipeline", "Internal: the Deduplicator in pieces, for neardup.dask.")
      .def(py::init([](py::object threshold, py::object num_perm, py::object containment_threshold,
                       py::object translation_threshold, bool translations, py::object seed, py::object max_bytes,
                       py::object shingle, bool strip_diacritics, bool replace_invalid) {
             return new Pipeline(PyOptions::From(threshold, num_perm, translations, containment_threshold,
                                                 translation_threshold, seed, max_bytes, shingle, strip_diacritics,
                                                 replace_invalid));
           }),
           py::kw_only(), py::arg("threshold") = py::none(), py::arg("num_perm") = py::none(),
           py::arg("containment_threshold") = py::none(), py::arg("translation_threshold") = py::none(),
           py::arg("translations") = false, py::arg("seed") = py::none(), py::arg("max_bytes") = py::none(),
           py::arg("shingle") = py::none(), py::arg("strip_diacritics") = false, py::arg("replace_invalid") = false)
      .def("sketch", &Pipeline::Sketch, py::arg("ids"), py::arg("texts"), py::arg("langs"))
      .def("band_keys", &Pipeline::BandKeys, py::arg("kepts"), py::arg("translation") = false)
      .def("judge_block", &Pipeline::JudgeBlock, py::arg("a_at"), py::arg("b_at"), py::arg("kept_a"),
           py::arg("sizes_a"), py::arg("filters_a"), py::arg("offsets_a"), py::arg("kept_b"), py::arg("sizes_b"),
           py::arg("filters_b"), py::arg("offsets_b"))
      .def("shares_enough_sample", &Pipeline::SharesEnoughSample, py::arg("shared"), py::arg("sizes_a"),
           py::arg("sizes_b"))
      .def_property_readonly("uses_sketches", &Pipeline::uses_sketches)
      .def_property_readonly("posting_scan", [](const Pipeline&) { return seam::kMaxPostingScan; })
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
      // index/translation_candidates.h: which translation-index hits are verified.
      .def_property_readonly_static("min_translation_similarity",
                                    [](py::object) { return seam::kMinTranslationSimilarity; })
      .def_property_readonly_static("max_candidates_per_language",
                                    [](py::object) { return seam::kMaxCandidatesPerLanguage; })
      .def_property_readonly_static("max_translation_candidates",
                                    [](py::object) { return seam::kMaxTranslationCandidates; });
}

}  // namespace neardup::python
