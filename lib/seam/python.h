// File: seam/python.h
//
// The one door from the Python binding (python/) into neardup's private headers. neardup.dask
// runs the Deduplicator in pieces on Dask workers and must reach exactly its answers, so it
// needs the pieces Add is made of; nothing else in python/ includes a header of lib/
// (tests/check_layers.py keeps it so). Each piece stays where its layer keeps it; this header
// names the ones the binding may use, and why:
//
//   TextIndexOptions, TranslationIndexOptions, UsesContainmentSketches
//       the banding of the two indexes and whether containment sketches are used, decided
//       once for the Deduplicator and Dask (index/index_options.h)
//   BandKey, EqualKeptValues
//       a signature's band keys, as the text and translation indexes compute them
//       (index/band_key.h)
//   SharesEnoughSample, kMaxPostingScan
//       containment candidates: pairs sharing enough sample keys among each key's newest
//       holders (index/posting_table.h)
//   JudgeTextSides
//       the text verdict on a candidate pair, as Add applies it (fingerprint/judge_text.h)
//   AnchorQuery, CompareDetail
//       the translation evidence of a candidate against a query profile (xlang/anchor_query.h)
//   TranslationCandidate, kMinTranslationSimilarity, kMaxCandidatesPerLanguage,
//   kMaxTranslationCandidates
//       which translation-index hits are verified (index/translation_candidates.h)
//   LinkGraph, Link, ClusterSeqs, TextMatchPrecedes
//       Add's bookkeeping: the order of a document's text links, one translation per
//       language, retractions, clusters (index/link_graph.h), replayed over Dask's links
//   ChooseDrops, Drop
//       which copies to drop (index/keep.h), over Dask's links, for neardup.dask.duplicates
//   EncodeAnchorProfile, DecodeAnchorProfile
//       anchor profiles as bytes, to ship them between workers (store/profile_codec.h)

#ifndef NEARDUP_SEAM_PYTHON_H_
#define NEARDUP_SEAM_PYTHON_H_

#include "fingerprint/judge_text.h"
#include "index/band_key.h"
#include "index/index_options.h"
#include "index/keep.h"
#include "index/link_graph.h"
#include "index/posting_table.h"
#include "index/translation_candidates.h"
#include "store/profile_codec.h"
#include "xlang/anchor_query.h"

namespace neardup::seam {

using internal::AnchorQuery;
using internal::ChooseDrops;
using internal::Drop;
using internal::BandKey;
using internal::ClusterSeqs;
using internal::CompareDetail;
using internal::DecodeAnchorProfile;
using internal::EncodeAnchorProfile;
using internal::EqualKeptValues;
using internal::JudgeTextSides;
using internal::kMaxCandidatesPerLanguage;
using internal::kMaxPostingScan;
using internal::kMaxTranslationCandidates;
using internal::kMinTranslationSimilarity;
using internal::Link;
using internal::LinkGraph;
using internal::SharesEnoughSample;
using internal::TextIndexOptions;
using internal::TextMatchPrecedes;
using internal::TranslationCandidate;
using internal::TranslationIndexOptions;
using internal::UsesContainmentSketches;

}  // namespace neardup::seam

#endif  // NEARDUP_SEAM_PYTHON_H_
