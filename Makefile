# SPDX-License-Identifier: BSD-3-Clause
#
# make demo   set up, build, and run the demo (the main job)
# make test   set up, build, and run the whole test suite against the
#             system DPDK, then again under AddressSanitizer +
#             UndefinedBehaviorSanitizer, then against each upstream DPDK
#             of DPDK_MATRIX (built once from ../shared/dpdk/ into a cache
#             outside the clone: scripts/dpdk-build.sh)
# make test DPDK=24.11.6   the suite against that DPDK only
# make demo DPDK=24.11.6   the demo against that DPDK
# make bench  build and run the benchmarks

BUILD      ?= build
BUILD_SAN  ?= build-asan
MESON_OPTS ?=
JOBS       ?= 2
# Upstream LTS releases make test also runs the suite against.
DPDK_MATRIX ?= 24.11.6 25.11.2
DPDK ?=

.PHONY: all setup build build-asan demo test test-plain test-asan test-matrix \
	bench clean

all: build

setup:
	./scripts/setup.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESON_OPTS)

$(BUILD_SAN)/build.ninja:
	meson setup $(BUILD_SAN) $(MESON_OPTS) -Db_sanitize=address,undefined \
		-Db_lundef=false -Dbuildtype=debug

build: setup $(BUILD)/build.ninja
	ninja -C $(BUILD) -j$(JOBS)

build-asan: setup $(BUILD_SAN)/build.ninja
	ninja -C $(BUILD_SAN) -j$(JOBS)

ifeq ($(DPDK),)
demo: build
	./scripts/demo2.sh $(BUILD)
else
demo: setup
	./scripts/test-dpdk.sh demo $(DPDK)
endif

test-plain: build
	meson test -C $(BUILD) --print-errorlogs --num-processes 1

test-asan: build-asan
	ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	meson test -C $(BUILD_SAN) --print-errorlogs --num-processes 1 \
		--no-suite bench --no-suite model

# The spin model does not depend on DPDK: test-plain runs it once. Every
# release is tried; the target fails if one of them failed.
test-matrix: setup
	@rc=0; for v in $(DPDK_MATRIX); do \
		./scripts/test-dpdk.sh test $$v --no-suite model || rc=1; \
	done; exit $$rc

ifeq ($(DPDK),)
test: test-plain test-asan test-matrix
else
test: setup
	./scripts/test-dpdk.sh test $(DPDK)
endif

bench: build
	./scripts/bench.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(BUILD_SAN) $(addprefix build-,$(DPDK_MATRIX))
