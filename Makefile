# wenming - build, run and test.  `make run` and `make test` set up everything
# they need first (scripts/install.sh); see README.md.

VERSION    := 0.1.0
CC         ?= cc
PKGS       := libmicrohttpd jansson sqlite3 libpq libsodium xlsxwriter libzip expat cairo pangocairo libqrencode vips
BUILD      := build
CFLAGS_STD := -std=c11 -D_GNU_SOURCE -DWENMING_VERSION='"$(VERSION)"'
WARN       := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
OPT        ?= -O2 -g
DEPFLAGS    = -MMD -MP
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
INCLUDES   := -Isrc -I$(BUILD)/gen

SRCS       := $(shell find src -name '*.c' | sort)
LIB_SRCS   := $(filter-out src/main.c,$(SRCS))
GEN        := $(BUILD)/gen/migrations.c $(BUILD)/gen/auth/common_passwords.h
MIGRATIONS := $(wildcard src/store/migrations/*/*.sql)

OBJS       := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(LIB_SRCS)) $(BUILD)/obj/gen/migrations.o
ASAN_OBJS  := $(patsubst src/%.c,$(BUILD)/asan/obj/%.o,$(LIB_SRCS)) $(BUILD)/asan/obj/gen/migrations.o
UNIT_SRCS  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

.PHONY: all server web deps run test test-unit test-api test-api-sqlite test-api-pg \
        test-e2e test-asan clean format demo crash fuzz fuzz-build soak cluster bench

all: server web

server: $(BUILD)/wenming

deps:
	@sh scripts/install.sh

# ---- the server ----------------------------------------------------------

$(BUILD)/gen/migrations.c: scripts/embed-migrations.sh $(MIGRATIONS)
	@mkdir -p $(dir $@)
	sh scripts/embed-migrations.sh src/store/migrations > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/auth/common_passwords.h: scripts/embed-list.sh src/auth/common-passwords.txt
	@mkdir -p $(dir $@)
	sh scripts/embed-list.sh src/auth/common-passwords.txt common_passwords > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/%.o: src/%.c $(GEN)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_STD) $(WARN) $(OPT) $(DEPFLAGS) $(INCLUDES) $(PKG_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/gen/migrations.o: $(BUILD)/gen/migrations.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_STD) $(WARN) $(OPT) $(INCLUDES) $(PKG_CFLAGS) -c $< -o $@

$(BUILD)/wenming: $(OBJS) $(BUILD)/obj/main.o
	$(CC) $(OPT) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

# The same server built with AddressSanitizer and UBSan, for the test run.
$(BUILD)/asan/obj/%.o: src/%.c $(GEN)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_STD) $(WARN) -O1 -g $(ASAN_FLAGS) $(DEPFLAGS) $(INCLUDES) $(PKG_CFLAGS) -c $< -o $@

$(BUILD)/asan/obj/gen/migrations.o: $(BUILD)/gen/migrations.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_STD) $(WARN) -O1 -g $(ASAN_FLAGS) $(INCLUDES) $(PKG_CFLAGS) -c $< -o $@

$(BUILD)/asan/wenming: $(ASAN_OBJS) $(BUILD)/asan/obj/main.o
	$(CC) -O1 -g $(ASAN_FLAGS) -o $@ $^ $(PKG_LIBS)

# ---- fuzzing: libFuzzer targets in fuzz/ (docs/fuzzing.md) --------------
# The library objects again, with clang and -fsanitize=fuzzer-no-link plus
# ASan and UBSan, so coverage guides the fuzzer through every layer; each
# target links them with -fsanitize=fuzzer.

FUZZ_CC      ?= clang
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS  := $(CFLAGS_STD) $(WARN) -O1 -g -fsanitize=fuzzer-no-link $(FUZZ_SAN)
FUZZ_OBJS    := $(patsubst src/%.c,$(BUILD)/fuzz/obj/%.o,$(LIB_SRCS)) $(BUILD)/fuzz/obj/gen/migrations.o
FUZZ_NAMES   := router query json multipart xlsx csv
FUZZ_HELPERS := $(BUILD)/fuzz/harness/fuzz_server.o $(BUILD)/fuzz/harness/fuzz_sheet.o
FUZZ_BINS    := $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_NAMES))
FUZZ_TIME    ?= 120

$(BUILD)/fuzz/obj/%.o: src/%.c $(GEN)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(DEPFLAGS) $(INCLUDES) $(PKG_CFLAGS) -c $< -o $@

$(BUILD)/fuzz/obj/gen/migrations.o: $(BUILD)/gen/migrations.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(INCLUDES) $(PKG_CFLAGS) -c $< -o $@

$(BUILD)/fuzz/harness/%.o: fuzz/%.c $(GEN)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(DEPFLAGS) $(INCLUDES) -Ifuzz $(PKG_CFLAGS) -c $< -o $@

$(BUILD)/fuzz/fuzz_%: $(BUILD)/fuzz/harness/fuzz_%.o $(FUZZ_HELPERS) $(FUZZ_OBJS)
	$(FUZZ_CC) -g -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $^ $(PKG_LIBS)

fuzz-build: $(FUZZ_BINS)

.SECONDARY: $(FUZZ_OBJS) $(FUZZ_HELPERS) $(patsubst %,$(BUILD)/fuzz/harness/fuzz_%.o,$(FUZZ_NAMES))

# Every target for FUZZ_TIME seconds (default 120), corpora in fuzz/corpus.
fuzz: fuzz-build
	@bash fuzz/run.sh $(FUZZ_TIME)

# ---- the web application -------------------------------------------------

WEB_SRCS := $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/vite.config.js web/package.json

web: web/dist/index.html

web/dist/index.html: $(WEB_SRCS) web/node_modules/.package-lock.json
	npm run --silent --prefix web build

web/node_modules/.package-lock.json: web/package-lock.json
	npm ci --prefix web --no-audit --no-fund --loglevel=error

tests/node_modules/.package-lock.json: tests/package-lock.json
	npm ci --prefix tests --no-audit --no-fund --loglevel=error

# ---- running -------------------------------------------------------------

run: deps all
	@sh scripts/run.sh

# ---- tests ---------------------------------------------------------------

$(BUILD)/tests/%: tests/unit/%.c $(OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_STD) $(WARN) $(OPT) $(INCLUDES) $(PKG_CFLAGS) $(shell pkg-config --cflags cmocka) \
		-o $@ $< $(OBJS) $(PKG_LIBS) $(shell pkg-config --libs cmocka)

test: deps all $(BUILD)/asan/wenming tests/node_modules/.package-lock.json $(UNIT_BINS) fuzz-build
	@bash scripts/test.sh

test-unit: $(UNIT_BINS)
	@bash scripts/test.sh unit

# kill -9 under load, 20 rounds on SQLite and 20 on PostgreSQL (tests/crash/crash.mjs)
crash: server
	@bash scripts/crash.sh 20

# the API suite through two servers on one PostgreSQL behind nginx, and tests/cluster
cluster: server web tests/node_modules/.package-lock.json
	@bash scripts/cluster.sh

# 1,000 keep-alive connections for 60 s, memory flat (tests/soak/soak.sh); not in make test
soak: server
	@bash tests/soak/soak.sh

# the server on a generated big city beside nginx, raw SQLite/libpq and libvips
# (bench/run.sh; e.g. make bench BENCH_DURATION=5s BENCH_DB=sqlite); not part of test
bench: deps server
	@bash bench/run.sh

format:
	clang-format -i $(SRCS) $(shell find src tests/unit -name '*.h') $(UNIT_SRCS)

clean:
	rm -rf $(BUILD) web/dist

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
