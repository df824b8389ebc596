# The two commands of the README:  bash scripts/setup.sh && make run   |   bash scripts/setup.sh && make test
BUILD ?= build
JOBS ?= $(shell nproc)
STEPER := $(BUILD)/steper
# The sanitizer build: clang, AddressSanitizer + UndefinedBehaviorSanitizer, libFuzzer coverage.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
# Seconds per fuzz target within `make test` (CI keeps its whole run under an hour).
TEST_FUZZ_SECONDS ?= 15
# The unit tests that run under the sanitizers: the parsers' libraries without LibTorch, BM25, and
# the host's tests that load no plugin and train nothing (tests/CMakeLists.txt).
SANITIZED_TESTS := steper_replay_unit_tests steper_llama_checkpoint_tests steper_tokenizer_tests steper_plugin_support_tests \
  steper_openai_unit_tests steper_bm25_tests steper_host_sanitized_tests

.PHONY: setup configure build run test bench fuzz-configure fuzz sanitize clean

setup:
	bash scripts/setup.sh

configure: setup
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: configure
	@start=$$(date +%s); cmake --build $(BUILD) -j $(JOBS) && \
	echo "build: $$(( $$(date +%s) - start )) s"

# The quick-start experiment, then its result table (answer scores, per-ability scores, steps).
run: build
	@start=$$(date +%s); $(STEPER) run experiments/quickstart.toml --jobs $(JOBS) && \
	echo "quick start: $$(( $$(date +%s) - start )) s"
	$(STEPER) report results/quickstart --metrics em,f1,acc,init,steps,kept,first,mid,final

# Unit tests first, then the slower end-to-end tests (ctest labels `unit` and `e2e`), then the
# sanitizer build: the parsers' unit tests under it and every fuzz target for a short while.
test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) -L unit
	ctest --test-dir $(BUILD) --output-on-failure -L e2e
	$(MAKE) sanitize
	$(MAKE) fuzz FUZZ_SECONDS=$(TEST_FUZZ_SECONDS)

fuzz-configure: setup
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang-14 \
	  -DCMAKE_CXX_COMPILER=clang++-14 -DSTEPER_FUZZ=ON

# Every fuzz target for FUZZ_SECONDS each, from its seeds (make fuzz FUZZ_SECONDS=3600 for a long run).
fuzz: fuzz-configure
	@start=$$(date +%s); cmake --build $(FUZZ_BUILD) -j $(JOBS) --target steper_fuzz_targets && \
	echo "fuzz build: $$(( $$(date +%s) - start )) s"
	bash tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

sanitize: fuzz-configure
	@start=$$(date +%s); cmake --build $(FUZZ_BUILD) -j $(JOBS) --target $(SANITIZED_TESTS) && \
	echo "sanitizer build of the sanitized tests: $$(( $$(date +%s) - start )) s"
	set -e; for test in $(SANITIZED_TESTS); do \
	  binary=$$(find $(FUZZ_BUILD)/plugins $(FUZZ_BUILD)/tests -name $$test -type f -executable); \
	  echo "$$test (AddressSanitizer + UBSan)"; (cd $$(dirname $$binary) && ./$$test --gtest_brief=1); \
	done

# Google Benchmark figures quoted in the README.
bench: build
	$(BUILD)/tests/steper_bench

clean:
	rm -rf $(BUILD) $(FUZZ_BUILD)
