# wenming - build, run and test.  `make run` and `make test` set up everything
# they need first (scripts/install.sh), then build in a second make that reads
# the pkg-config flags of what was just installed; see README.md.

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
# Read when a unit test is compiled, after `make test` has installed cmocka.
CMOCKA_CFLAGS = $(shell pkg-config --cflags cmocka)
CMOCKA_LIBS   = $(shell pkg-config --libs cmocka)
PREFIX     ?= /usr/local
# `make run` / `make test` build on every core unless a -j was given; read in
# the recipe, where MAKEFLAGS carries the -j.
NPROC      := $(shell nproc 2>/dev/null || echo 2)
PARALLEL    = $(if $(filter -j%,$(MAKEFLAGS)),,-j$(NPROC))
INCLUDES   := -Isrc -I$(BUILD)/gen

SRCS       := $(shell find src -name '*.c' | sort)
LIB_SRCS   := $(filter-out src/main.c,$(SRCS))
GEN        := $(BUILD)/gen/migrations.c $(BUILD)/gen/auth/common_passwords.h
MIGRATIONS := $(wildcard src/store/migrations/*/*.sql)

# Targets that compile C and so need the libraries' pkg-config flags; with a
# library missing, pkg-config prints nothing and every compile would fail on
# its first #include.
ifeq ($(shell pkg-config --exists $(PKGS) 2>/dev/null && echo ok),)
ifneq ($(filter-out deps run test bench web clean format,$(or $(MAKECMDGOALS),all)),)
$(warning pkg-config cannot find all of: $(PKGS). `make deps` installs them (`make run` and `make test` do it themselves))
endif
endif

OBJS       := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(LIB_SRCS)) $(BUILD)/obj/gen/migrations.o
ASAN_OBJS  := $(patsubst src/%.c,$(BUILD)/asan/obj/%.o,$(LIB_SRCS)) $(BUILD)/asan/obj/gen/migrations.o
WEB_OBJ    := $(BUILD)/obj/gen/web.o
UNIT_SRCS  := $(sort $(wildcard tests/unit/*/test_*.c))
UNIT_BINS  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

.PHONY: all server web deps run test test-build test-unit clean format crash fuzz \
        fuzz-build soak cluster bench bench-demo install screenshots FORCE

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

# The web application goes into the binary (scripts/embed-web.sh), so the
# server runs from any directory.  web.list names every file of web/dist with
# its size and time; it is rewritten only when that changes, and the binary is
# relinked exactly then.  When this make also builds the web application
# (all, install, test), it is built first; `make server` alone embeds whatever
# web/dist holds, or nothing (the server then serves the API only).
ifneq ($(filter all install test-build screenshots,$(or $(MAKECMDGOALS),all)),)
WEB_FIRST := web/dist/index.html
endif

$(BUILD)/gen/web.list: FORCE | $(WEB_FIRST)
	@mkdir -p $(dir $@)
	@sh scripts/embed-web.sh list web/dist > $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

$(BUILD)/gen/web.S: $(BUILD)/gen/web.list scripts/embed-web.sh
	sh scripts/embed-web.sh web/dist > $@.tmp && mv $@.tmp $@

$(WEB_OBJ): $(BUILD)/gen/web.S
	@mkdir -p $(dir $@)
	$(CC) -c $< -o $@

$(BUILD)/wenming: $(OBJS) $(BUILD)/obj/main.o $(WEB_OBJ)
	$(CC) $(OPT) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

# The same server built with AddressSanitizer and UBSan, for the test run.
$(BUILD)/asan/obj/%.o: src/%.c $(GEN)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_STD) $(WARN) -O1 -g $(ASAN_FLAGS) $(DEPFLAGS) $(INCLUDES) $(PKG_CFLAGS) -c $< -o $@

$(BUILD)/asan/obj/gen/migrations.o: $(BUILD)/gen/migrations.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_STD) $(WARN) -O1 -g $(ASAN_FLAGS) $(INCLUDES) $(PKG_CFLAGS) -c $< -o $@

$(BUILD)/asan/wenming: $(ASAN_OBJS) $(BUILD)/asan/obj/main.o $(WEB_OBJ)
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

# deps first, then a second make: this one computed PKG_CFLAGS before
# scripts/install.sh could install a missing -dev package.
run: deps
	@$(MAKE) --no-print-directory $(PARALLEL) all
	@sh scripts/run.sh

# The binary (web application inside) and the documents, for a deployment
# without the source tree: deploy/wenming.service runs $(PREFIX)/bin/wenming.
install: all
	install -D -m 0755 $(BUILD)/wenming $(DESTDIR)$(PREFIX)/bin/wenming
	install -d $(DESTDIR)$(PREFIX)/share/doc/wenming/docs/img $(DESTDIR)$(PREFIX)/share/doc/wenming/examples
	install -m 0644 README.md README.en.md $(DESTDIR)$(PREFIX)/share/doc/wenming/
	install -m 0644 docs/*.md $(DESTDIR)$(PREFIX)/share/doc/wenming/docs/
	install -m 0644 docs/img/*.png $(DESTDIR)$(PREFIX)/share/doc/wenming/docs/img/
	install -m 0644 deploy/wenming.service deploy/nginx.conf deploy/wenming.conf.example \
		deploy/wenming.env.example $(DESTDIR)$(PREFIX)/share/doc/wenming/examples/

# docs/img/*.png, the README's pictures, from a fresh demo county
screenshots: all tests/node_modules/.package-lock.json
	@bash scripts/screenshots.sh

# ---- tests ---------------------------------------------------------------

$(BUILD)/tests/%: tests/unit/%.c $(OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_STD) $(WARN) $(OPT) $(INCLUDES) $(PKG_CFLAGS) $(CMOCKA_CFLAGS) \
		-o $@ $< $(OBJS) $(PKG_LIBS) $(CMOCKA_LIBS)

# As `run`: install, then build in a second make (cmocka, clang for the
# fuzzers and the C libraries may all have been missing when this one began).
test: deps
	@$(MAKE) --no-print-directory $(PARALLEL) test-build
	@bash scripts/test.sh

test-build: all $(BUILD)/asan/wenming tests/node_modules/.package-lock.json $(UNIT_BINS) fuzz-build

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
bench: deps
	@$(MAKE) --no-print-directory $(PARALLEL) server
	@bash bench/run.sh

# how long `wenming demo` plays on SQLite, beside the 30 s the README promises
bench-demo: server
	@bash bench/demo.sh

format:
	clang-format -i $(SRCS) $(shell find src tests/unit -name '*.h') $(UNIT_SRCS)

clean:
	rm -rf $(BUILD) web/dist

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
