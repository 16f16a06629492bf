# qingfeng — the two commands a new machine needs:
#   make run    install what is missing, build, start the demo
#   make test   install what is missing, build, run every test (also under ASan+UBSan)
# `make` alone builds build/qingfeng and the web UI (build/web).

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= $(shell nproc)
FUZZ_SECONDS ?= 20
DEMO_DB    ?= demo.db

.PHONY: all setup build run test test-release test-asan test-web web fuzz bench docs clean format

all: build

setup:
	@bash scripts/setup.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release

build: setup $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)
	@$(MAKE) --no-print-directory web

# The web UI (web/, Vue + Vite) lands in $(BUILD)/web, beside the binary, where
# `qingfeng serve` finds it. npm ci runs only when package-lock.json changed;
# the bundle is rebuilt only when a file under web/ changed.
WEB_OUT   := $(abspath $(BUILD))/web
WEB_STAMP := web/node_modules/.package-lock.stamp
WEB_SRC   := $(shell find web/src web/public -type f 2>/dev/null) web/index.html \
             web/vite.config.ts web/tsconfig.json web/package.json

$(WEB_STAMP): web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

$(WEB_OUT)/index.html: $(WEB_STAMP) $(WEB_SRC)
	cd web && QF_WEB_OUT=$(WEB_OUT) npm run build

web: $(WEB_OUT)/index.html

# A fresh demo city: synthesised, imported, scanned (qingfeng demo).
run: build
	rm -rf $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm $(DEMO_DB).files $(DEMO_DB).city \
	  $(DEMO_DB).accounts.txt $(DEMO_DB).attachments $(DEMO_DB).uploads
	$(BUILD)/qingfeng --db $(DEMO_DB) demo

test: setup test-release test-web test-asan fuzz

test-release: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The UI: Vitest unit tests, the size budget of the first page's JavaScript,
# then the browser tests (Debian's Chromium) against a real `qingfeng serve`
# on a fresh demo database (web/tests/e2e/run.mjs starts and stops it).
test-web: build
	cd web && npx vitest run
	cd web && node scripts/size.mjs $(WEB_OUT)
	cd web && QF_WEB_DIR=$(WEB_OUT) node tests/e2e/run.mjs $(abspath $(BUILD))/qingfeng

$(ASAN_BUILD)/build.ninja:
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DQF_SANITIZE=ON -DQF_BENCH=OFF

test-asan: setup $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS)

$(FUZZ_BUILD)/build.ninja:
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DQF_FUZZ=ON -DQF_TESTS=OFF -DQF_BENCH=OFF

# Each fuzzer runs briefly from its seed corpus; a crash fails the build.
fuzz: setup $(FUZZ_BUILD)/build.ninja
	cmake --build $(FUZZ_BUILD) -j $(JOBS)
	@for f in $(FUZZ_BUILD)/*_fuzz; do \
	  name=$$(basename $$f _fuzz); mkdir -p $(FUZZ_BUILD)/corpus-$$name; \
	  echo "fuzz: $$name for $(FUZZ_SECONDS)s"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -print_final_stats=0 \
	    $(FUZZ_BUILD)/corpus-$$name fuzz/corpus/$$name >$(FUZZ_BUILD)/$$name.log 2>&1 \
	    || { tail -50 $(FUZZ_BUILD)/$$name.log; exit 1; }; \
	done; echo "fuzz: no crash"

bench: build
	bash bench/run.sh

docs: build
	$(BUILD)/qingfeng describe --format markdown > docs/datasets.md
	$(BUILD)/qingfeng models --format markdown > docs/models.md

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
