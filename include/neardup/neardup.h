// File: neardup.h
//
// The whole public API of neardup. Include this, or only the headers you use:
//
//   align.h        AlignParagraphs: Gale-Church paragraph alignment with anchor bonuses
//   anchor.h       ExtractAnchors: numbers, names, acronyms, identifiers, URLs...
//   language.h     DetectLanguage (CLD2)
//   utf8.h         ValidateUtf8, ReplaceInvalidUtf8
//   normalize.h    Normalize (NFKC + case folding + punctuation, optional diacritics)
//   tokenize.h     Tokenize (Unicode word boundaries, every script)
//   shingle.h      ShingleSet (word or character n-grams, 64-bit hashes)
//   minhash.h      MinHasher, Signature, EstimateJaccard, EstimateContainment
//   packed_signature.h  b-bit packed signatures for storage, their Jaccard estimate
//   fingerprint.h  Fingerprinter: text → Fingerprint in one call
//   lsh.h          LshIndex: banded candidate search with verification
//   translation.h  MakeAnchorProfile, CompareAnchors: is b a translation of a?
//   verdict.h      Judge: the one decision (near, contained, translation) and its evidence
//   dedup_options.h  DedupOptions and ValidateDedupOptions
//   dedup.h        Deduplicator: string ids, matches (near, contained, translation), clusters
//   compare.h      Compare: two documents judged as a run would, with the exact figures
//   report.h       the output formats: pair and cluster lines, verdicts as JSON
//   jsonl.h        JsonlParser: documents as JSON Lines, the one reading rule
//   serialize.h    the stable binary format for signatures and indexes

#ifndef NEARDUP_NEARDUP_H_
#define NEARDUP_NEARDUP_H_

#include "neardup/align.h"
#include "neardup/anchor.h"
#include "neardup/compare.h"
#include "neardup/dedup.h"
#include "neardup/dedup_options.h"
#include "neardup/fingerprint.h"
#include "neardup/jsonl.h"
#include "neardup/language.h"
#include "neardup/lsh.h"
#include "neardup/minhash.h"
#include "neardup/normalize.h"
#include "neardup/packed_signature.h"
#include "neardup/report.h"
#include "neardup/serialize.h"
#include "neardup/shingle.h"
#include "neardup/tokenize.h"
#include "neardup/translation.h"
#include "neardup/utf8.h"
#include "neardup/verdict.h"
#include "neardup/version.h"

#endif  // NEARDUP_NEARDUP_H_
