# The two commands of the README:  bash scripts/setup.sh && make run   |   bash scripts/setup.sh && make test
BUILD ?= build
JOBS ?= $(shell nproc)
STEPER := $(BUILD)/steper

.PHONY: setup configure build run test bench clean

setup:
	bash scripts/setup.sh

configure: setup
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: configure
	@start=$$(date +%s); cmake --build $(BUILD) -j $(JOBS); \
	echo "build: $$(( $$(date +%s) - start )) s"

# The quick-start experiment, then its result table (answer scores, per-ability scores, steps).
run: build
	@start=$$(date +%s); $(STEPER) run experiments/quickstart.toml --jobs $(JOBS); \
	echo "quick start: $$(( $$(date +%s) - start )) s"
	$(STEPER) report results/quickstart --metrics em,f1,acc,init,steps,kept,first,mid,final

# Unit tests first, then the slower end-to-end tests (ctest labels `unit` and `e2e`).
test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) -L unit
	ctest --test-dir $(BUILD) --output-on-failure -L e2e

# Google Benchmark figures quoted in the README.
bench: build
	$(BUILD)/tests/steper_bench

clean:
	rm -rf $(BUILD)
