# The two commands of the README:
#   make demo   install what is missing, build, and deduplicate seeds/
#   make test   install what is missing, build, and run every test, then again under
#               AddressSanitizer + UndefinedBehaviorSanitizer, then the concurrency tests
#               under ThreadSanitizer
JOBS ?= $(shell nproc)
# Debian's interpreter, the one Debian's NumPy and Dask are installed for (a python3 found
# first on PATH, e.g. pyenv's, would not see them).
PYTHON ?= $(shell test -x /usr/bin/python3 && echo /usr/bin/python3 || command -v python3)
BUILD ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan

.PHONY: deps build demo test test-release test-sanitize test-tsan fuzz bench bench-report bench-speed eval-mixed eval-all clean

deps:
	@bash .ci/install-deps

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DNEARDUP_WERROR=ON -DNEARDUP_BUILD_BENCHMARKS=ON \
	  -DPython3_EXECUTABLE=$(PYTHON)
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@echo "--- near-duplicate pairs among seeds/ (id_a, id_b, score, kind):"
	$(BUILD)/cli/neardup dedup --format tsv seeds/
	@echo "--- why 000 and 001 are a translation:"
	$(BUILD)/cli/neardup compare seeds/000_3664230153151b7b.txt seeds/001_6ebbe6dfb4cd8eb4.txt
	@echo "--- their paragraphs, side by side:"
	$(BUILD)/cli/neardup align --width 140 seeds/000_3664230153151b7b.txt seeds/001_6ebbe6dfb4cd8eb4.txt

test-release: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-sanitize: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DNEARDUP_SANITIZE=address,undefined -DNEARDUP_WERROR=ON \
	  -DNEARDUP_BUILD_PYTHON=OFF
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS)

# The concurrency tests ([threads]: Deduplicator and LshIndex hammered from several threads,
# checked against a serial run) under ThreadSanitizer.
test-tsan: deps
	cmake -S . -B $(TSAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNEARDUP_SANITIZE=thread -DNEARDUP_WERROR=ON \
	  -DNEARDUP_BUILD_CLI=OFF -DNEARDUP_BUILD_EXAMPLES=OFF -DNEARDUP_BUILD_PYTHON=OFF
	cmake --build $(TSAN_BUILD) -j $(JOBS) --target neardup_tests
	TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 $(TSAN_BUILD)/tests/neardup_tests "[threads]"

test: test-release test-sanitize test-tsan

# Real fuzzing with clang's libFuzzer (+ ASan, UBSan): each target for FUZZ_SECONDS (600),
# from its committed corpus (read only); new inputs go to a scratch directory. A crash stops
# with the input saved as crash-*: commit it to the target's corpus as a regression test.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= fuzz_word_break fuzz_decode fuzz_anchors fuzz_reader fuzz_store_rows
fuzz: deps
	@command -v clang++ >/dev/null || { [ "$$(id -u)" -eq 0 ] && s="" || s=sudo; $$s apt-get install -y -qq clang; }
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNEARDUP_FUZZ=ON \
	  -DNEARDUP_BUILD_CLI=ON -DNEARDUP_BUILD_EXAMPLES=OFF -DNEARDUP_BUILD_PYTHON=OFF
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target $(FUZZ_TARGETS)
	@for t in $(FUZZ_TARGETS); do \
	  scratch=$$(mktemp -d); corpus=tests/fuzz/corpus/$${t#fuzz_}; \
	  echo "=== $$t, $(FUZZ_SECONDS) s"; \
	  $(FUZZ_BUILD)/tests/$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 $$scratch $$corpus || exit 1; \
	  rm -rf $$scratch; \
	done

bench: build
	$(BUILD)/bench/neardup_bench

# The benchmark report: bench/report/REPORT.md (tables) and bench/report/minhash.png (plot).
# Every speed figure of issue #26 in one run on the perf corpus (about ten minutes on 2 cores).
bench-speed: build
	@mkdir -p $(BUILD)/perf && [ -s $(BUILD)/perf/docs.jsonl ] || \
	  zstd -qdc $${NEARDUP_DATA:-../shared/data}/perf/docs.jsonl.zst > $(BUILD)/perf/docs.jsonl
	PYTHONPATH=$(BUILD)/python /usr/bin/python3 bench/speed_report.py $(BUILD) $(BUILD)/perf/docs.jsonl \
	  --out bench/report/SPEED.md

bench-report: build
	@dpkg-query -W -f='$${Status}' python3-matplotlib 2>/dev/null | grep -q 'install ok installed' || \
	  { [ "$$(id -u)" -eq 0 ] && s="" || s=sudo; $$s apt-get install -y -qq python3-matplotlib; }
	/usr/bin/python3 bench/report.py $(BUILD) bench/report

# Issue #10's open-world accuracy (needs ../shared/data): wire-dev alone, then wire-dev and
# xlang-dev as one input, each pair kind's precision and recall (bench/eval_mixed.py).
DATA ?= ../shared/data
eval-mixed: build
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	xz -dc $(DATA)/wire-dev/docs.jsonl.xz > $$tmp/wire.jsonl && \
	{ cat $$tmp/wire.jsonl; xz -dc $(DATA)/xlang-dev/docs.jsonl.xz; } > $$tmp/mixed.jsonl && \
	for input in wire mixed; do \
	  echo "=== $$input"; \
	  $(BUILD)/cli/neardup dedup -q --format tsv $$tmp/$$input.jsonl > $$tmp/$$input.tsv && \
	  /usr/bin/python3 bench/eval_mixed.py $(DATA)/wire-dev $(DATA)/xlang-dev $$tmp/$$input.jsonl $$tmp/$$input.tsv; \
	done

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)

# Issue #22's one report over every shared set (needs ../shared/data or NEARDUP_DATA):
# translations per family and language pair, false links per 1,000 documents, containment
# recall by size ratio; written to bench/report/ACCURACY.md.
eval-all: build
	/usr/bin/python3 bench/eval_all.py $(BUILD)/cli/neardup $${NEARDUP_DATA:-../shared/data} --out bench/report/ACCURACY.md
