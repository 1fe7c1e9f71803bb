#!/usr/bin/env bash
# Accuracy on the shared development corpora (../shared/data beside the checkout): the issues'
# bars, asserted. Skipped (exit 77) where the data is not there.
# usage: corpus_test.sh NEARDUP_BINARY SOURCE_DIR xlang|wire|tokenize [DIFFERENTIAL_BINARY]
set -euo pipefail
neardup=$1
src=$2
data="$src/../shared/data"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
case "$3" in
  xlang)
    [ -f "$data/xlang-dev/docs.jsonl.xz" ] || { echo "no $data/xlang-dev: skipped"; exit 77; }
    xz -dc "$data/xlang-dev/docs.jsonl.xz" > "$work/docs.jsonl"
    "$neardup" dedup -q --format tsv "$work/docs.jsonl" > "$work/pairs.tsv"
    python3 "$src/bench/eval_xlang.py" "$data/xlang-dev/pairs.tsv" "$data/xlang-dev/hard_negatives.tsv" \
      "$work/docs.jsonl" "$work/pairs.tsv" 0.95 0.90 0.01
    ;;
  wire)
    [ -f "$data/perf/docs.jsonl.zst" ] || { echo "no $data/perf: skipped"; exit 77; }
    zstd -qdc "$data/perf/docs.jsonl.zst" > "$work/docs.jsonl"
    "$neardup" dedup -q --format tsv "$work/docs.jsonl" > "$work/pairs.tsv"
    python3 "$src/bench/eval_wire_copy.py" "$work/docs.jsonl" "$data/perf/pairs.tsv" "$work/pairs.tsv" 0.95 0.98
    ;;
  tokenize)
    # The fast word breaker must equal ICU's on every real document that takes it.
    [ -f "$data/perf/docs.jsonl.zst" ] || { echo "no $data/perf: skipped"; exit 77; }
    zstd -qdc "$data/perf/docs.jsonl.zst" | "$4"
    xz -dc "$data/xlang-dev/docs.jsonl.xz" | "$4"
    ;;
esac
