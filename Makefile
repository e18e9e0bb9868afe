# Makefile: thin wrapper around CMake. `make` builds build/cshq and build/cshq-sensor
# (other tools rely on these two paths); `make check` runs the whole suite in the
# sanitizer build. ./setup installs dependencies first.
JOBS ?= $(shell nproc)

.PHONY: all build web test-build check test fuzz clean

all: build

build:
	cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build build -j$(JOBS)

web:
	cd web && npm run build

# The test build: AddressSanitizer + UndefinedBehaviorSanitizer.
test-build:
	cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DCSHQ_SANITIZE=ON
	cmake --build build-test -j$(JOBS)

check: test-build
	cd build-test && ctest --output-on-failure -j$(JOBS) --timeout 1200

test: check

# libFuzzer targets (clang); CTest then runs each briefly on its corpus.
fuzz:
	CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DCSHQ_FUZZ=ON
	cmake --build build-fuzz -j$(JOBS)
	cd build-fuzz && ctest -L fuzz --output-on-failure

clean:
	rm -rf build build-test build-fuzz
