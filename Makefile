# Keygate — the two commands: `make run` and `make test` (Debian 12, as root or with sudo).
BUILD_DIR ?= build
BUILD_TYPE ?= Release
OPENSPEC ?= @fission-ai/openspec@1.13.2
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Build, run and test dependencies, all from Debian's archive.
DEBS := cmake ninja-build g++ ccache pkg-config \
        qt6-base-dev qt6-websockets-dev qtkeychain-qt6-dev \
        libqt6sql6-sqlite libsqlite3-dev libzstd-dev zlib1g-dev libsecret-1-0 gnome-keyring dbus-daemon dbus-bin libsecret-tools \
        qt6-charts-dev libqt6opengl6-dev libqt6svg6 fonts-dejavu-core xvfb xauth wrk curl python3 ca-certificates \
        librsvg2-bin help2man dpkg-dev file desktop-file-utils appstream systemd man-db lintian debootstrap \
        clang libclang-rt-14-dev \
        libsodium-dev prometheus

.PHONY: all deps configure check-deps build run test test-only test-sanitize spec bench clean print-debs install package package-test \
        fuzz-build fuzz fuzz-smoke

all: build

deps:
	@missing=$$(for p in $(DEBS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@command -v npx >/dev/null || { DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm; }

configure: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DCMAKE_COMPILE_WARNING_AS_ERROR=ON

# Every package config the configure step loaded must come from DEBS or their Depends (see the script).
check-deps: configure
	.ci/check-build-deps $(BUILD_DIR) $(DEBS)

print-debs:
	@echo $(DEBS)

build: configure
	cmake --build $(BUILD_DIR) -j2

run: build
	$(BUILD_DIR)/app/keygate

test: check-deps build spec test-only fuzz-smoke

test-only:
	.ci/with-keyring ctest --test-dir $(BUILD_DIR) --output-on-failure -j2 -LE bench

# ASan+UBSan build of keygate and the proxy, integration and cli tests (the labels, anchored so that
# "clients" is not one), run with timeouts x3; any sanitizer report, from a test or a keygate it
# started, fails it (.ci/with-sanitizers; leaks that are not ours: .ci/lsan.supp).
SANITIZE_DIR ?= build-sanitize
SANITIZE_LABELS := ^(proxy|integration|cli)$$
test-sanitize: deps
	cmake -S . -B $(SANITIZE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=g++ \
	  -DCMAKE_COMPILE_WARNING_AS_ERROR=ON -DKEYGATE_SANITIZE=ON -DKEYGATE_TEST_TIMEOUT_SCALE=3
	cmake --build $(SANITIZE_DIR) -j2 --target keygate \
	  $$(ctest --test-dir $(SANITIZE_DIR) -N -L '$(SANITIZE_LABELS)' | sed -n 's/^ *Test *#[0-9]*: //p')
	.ci/with-sanitizers $(SANITIZE_DIR)/sanitizer-reports .ci/with-keyring \
	  ctest --test-dir $(SANITIZE_DIR) --output-on-failure -j2 -L '$(SANITIZE_LABELS)'

spec:
	OPENSPEC_TELEMETRY=0 npx -y $(OPENSPEC) validate --specs --strict --no-interactive
	.ci/check-spec-tests

# The install layout (packaging/CMakeLists.txt) under PREFIX, without a package.
PREFIX ?= /usr/local
install: build
	$(SUDO) cmake --install $(BUILD_DIR) --prefix $(PREFIX)

# build/keygate_<version>_amd64.deb (CPack; packaging/Package.cmake).
package: build
	cmake --build $(BUILD_DIR) --target package

# lintian, then the .deb installed into a fresh debootstrap'd Debian 12 root and run there (root needed).
package-test: package
	$(SUDO) packaging/package-test.sh $(BUILD_DIR)

# libFuzzer targets (tests/fuzz): only proxy/ and the targets, built with clang, ASan and UBSan.
FUZZ_BUILD_DIR ?= build-fuzz
FUZZ_SECONDS ?= 300
FUZZ_SMOKE_SECONDS ?= 10
fuzz-build: deps
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD_DIR) -G Ninja -DKEYGATE_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(FUZZ_BUILD_DIR) -j2

# Each target for FUZZ_SECONDS, one after another; executions per target and in all at the end.
fuzz: fuzz-build
	tests/fuzz/run-fuzzers.sh $(FUZZ_BUILD_DIR) $(FUZZ_SECONDS)

# Each target for a few seconds (part of `make test`): fails on any crash or broken invariant.
fuzz-smoke: fuzz-build
	tests/fuzz/run-fuzzers.sh $(FUZZ_BUILD_DIR) $(FUZZ_SMOKE_SECONDS)

bench: build
	tests/bench/run-bench.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR) $(FUZZ_BUILD_DIR) $(SANITIZE_DIR)
