# SPDX-License-Identifier: BSD-3-Clause
#
# make demo   set up, build, and run the demo (the main job)
# make test   set up, build, and run the whole test suite, then again
#             under AddressSanitizer + UndefinedBehaviorSanitizer
# make bench  build and run the benchmarks

BUILD      ?= build
BUILD_SAN  ?= build-asan
MESON_OPTS ?=

.PHONY: all setup build build-asan demo test test-plain test-asan bench clean

all: build

setup:
	./scripts/setup.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESON_OPTS)

$(BUILD_SAN)/build.ninja:
	meson setup $(BUILD_SAN) $(MESON_OPTS) -Db_sanitize=address,undefined \
		-Db_lundef=false -Dbuildtype=debug

build: setup $(BUILD)/build.ninja
	ninja -C $(BUILD)

build-asan: setup $(BUILD_SAN)/build.ninja
	ninja -C $(BUILD_SAN)

demo: build
	./scripts/demo2.sh $(BUILD)

test-plain: build
	meson test -C $(BUILD) --print-errorlogs --num-processes 1

test-asan: build-asan
	ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	meson test -C $(BUILD_SAN) --print-errorlogs --num-processes 1 \
		--no-suite bench --no-suite model

test: test-plain test-asan

bench: build
	./scripts/bench.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(BUILD_SAN)
