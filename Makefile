# Thin wrapper over scripts/setup and the CMake presets (CMakePresets.json).
#   make run   - install what is missing, release build, run the demo
#   make test  - install what is missing, dev build (Debug, -Werror), run every test
.PHONY: all setup build release test run bench clean

JOBS ?= 2
# A DuckDB outside .deps/duckdb (env DUCKDB_ROOT, honoured by scripts/setup too).
CMAKE_ARGS := $(if $(DUCKDB_ROOT),-DDUCKDB_ROOT=$(abspath $(DUCKDB_ROOT)))
# $(call preset,<name>): configure (quick when nothing changed) and build one preset.
preset = cmake --preset $(1) $(CMAKE_ARGS) && cmake --build --preset $(1) -j$(JOBS)

all: build

setup:
	scripts/setup

build: setup
	$(call preset,dev)

release: setup
	$(call preset,release)

test: build
	ctest --preset dev

run: release
	scripts/demo build/release

bench: setup
	$(call preset,bench)
	@set -e; found=; for b in build/bench/bench/*_bench; do \
	  [ -x "$$b" ] || continue; found=1; echo "== $$b"; "$$b"; done; \
	[ -n "$$found" ] || echo "bench: no build/bench/bench/*_bench executables"
	bench/run_connector_bench.sh build/bench

clean:
	rm -rf build
