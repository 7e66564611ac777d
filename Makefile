# The two commands a newcomer needs: `make run` and `make test`.
# Both install what is missing (Debian/Ubuntu), configure with CMake presets and build with 2 jobs.
# CI sets CI=true, which selects the `ci` preset (warnings are errors).

PRESET ?= $(if $(CI),ci,dev)
BUILD_DIR := build/$(PRESET)
JOBS ?= 2
SOURCES = $(shell git ls-files '*.cpp' '*.h' 2>/dev/null || find src tests bench -name '*.cpp' -o -name '*.h')

.PHONY: all deps configure build run test stress-asan package format format-check clean

all: build

deps:
	@./scripts/install-deps.sh

configure: deps
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	./$(BUILD_DIR)/src/app/parallax

test: build format-check
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)
	@$(MAKE) --no-print-directory stress-asan

# The engine's stress test again under AddressSanitizer and UndefinedBehaviorSanitizer.
stress-asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build build/asan -j $(JOBS) --target TestEngineStress
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 QT_QPA_PLATFORM=offscreen \
		./build/asan/tests/integration/TestEngineStress

# A Debian package (parallax_VERSION_ARCH.deb) in $(BUILD_DIR), made by CPack; Depends is computed by
# dpkg-shlibdeps from the binaries.
package: build
	cd $(BUILD_DIR) && cpack -G DEB
	@ls -1 $(BUILD_DIR)/*.deb

format:
	clang-format -i $(SOURCES)

format-check:
	@clang-format --dry-run --Werror $(SOURCES) && echo "format-check: $(words $(SOURCES)) files formatted"

clean:
	rm -rf build
