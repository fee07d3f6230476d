# Front door for the README's two commands:
#   make demo   install what is missing, build, run logsift over corpus/demo
#   make test   build and pass the whole test suite
# Everything else is plain CMake; see README.md.

BUILD ?= build
APT_PACKAGES = cmake ninja-build pkg-config gcc clang libclang-rt-14-dev \
               libzstd-dev zlib1g-dev libdeflate-dev libcriterion-dev zstd \
               libevtx-utils python3
SUDO = $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build demo test asan fuzz bench bench-evtx bench-exports clean

# Installs only what is missing. Hyperscan comes from Debian's vectorscan
# package, or hyperscan where that is what is installed (both provide libhs).
deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	pkg-config --exists libhs 2>/dev/null || missing="$$missing libvectorscan-dev"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD)

# logsift exits 1 when it has findings, which is the point of the demo.
demo: build
	./$(BUILD)/logsift --stats corpus/demo || [ $$? -eq 1 ]

test: build
	cd $(BUILD) && ctest --output-on-failure -j2

# clang's UBSan is the stricter one (it rejects arithmetic on NULL, even + 0).
asan: deps
	cmake -S . -B build-asan -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DSIFT_SANITIZE=ON
	cmake --build build-asan
	cd build-asan && ctest --output-on-failure -j2

# libFuzzer targets under ASan+UBSan, each run for FUZZ_SECONDS.
FUZZ_SECONDS ?= 20
fuzz: deps
	cmake -S . -B build-fuzz -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DSIFT_FUZZ=ON -DSIFT_SANITIZE=ON -DSIFT_FUZZ_SECONDS=$(FUZZ_SECONDS)
	cmake --build build-fuzz
	cd build-fuzz && ctest --output-on-failure -j2

# All benchmarks: the text one, the .evtx one, then the SIEM exports one,
# each even when an earlier one missed a target; the exit status is the
# worst of them (2 setup error, 1 a target missed).
bench: deps
	@rc=0; bench/run.sh || rc=$$?; \
	bench/evtx.sh || { r=$$?; [ $$r -gt $$rc ] && rc=$$r; }; \
	bench/exports.sh || { r=$$?; [ $$r -gt $$rc ] && rc=$$r; }; \
	exit $$rc

bench-evtx: deps
	bench/evtx.sh

# EXPORTS_ARGS="SIZE_MB REPS", e.g. "50 3" for a quick run (default 1024 5).
bench-exports: deps
	bench/exports.sh $(EXPORTS_ARGS)

clean:
	rm -rf $(BUILD) build-asan build-fuzz build-bench
