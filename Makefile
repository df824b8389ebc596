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

# The quick-start experiment, then its result table. Until the real plugins land it runs on
# the test plugins that the build puts in $(BUILD)/test_plugins.
run: build
	STEPER_PLUGIN_PATH=$(BUILD)/test_plugins $(STEPER) run experiments/quickstart.toml
	$(STEPER) report results/quickstart

# Unit tests first, then the slower end-to-end tests (ctest labels `unit` and `e2e`).
test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) -L unit
	ctest --test-dir $(BUILD) --output-on-failure -L e2e

# Google Benchmark figures quoted in the README.
bench: build
	$(BUILD)/tests/steper_bench

clean:
	rm -rf $(BUILD)
