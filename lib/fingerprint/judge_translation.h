// File: fingerprint/judge_translation.h
//
// What JudgeTranslation (verdict.h) needs of a pair's anchors, for a comparison that may stop
// as soon as it knows the verdict (the Deduplicator's queries).

#ifndef NEARDUP_FINGERPRINT_JUDGE_TRANSLATION_H_
#define NEARDUP_FINGERPRINT_JUDGE_TRANSLATION_H_

namespace neardup::internal {

// JudgeTranslation links no pair whose anchors decide (TranslationEvidence::anchors_decide)
// with an anchor score below this (verdict.cc's kMinAnchorAgreement).
double MinAnchorScoreToLink();

}  // namespace neardup::internal

#endif  // NEARDUP_FINGERPRINT_JUDGE_TRANSLATION_H_
