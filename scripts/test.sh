#!/bin/bash
# test.sh - every test wenming has, in one run (what `make test` calls after
# building).  `scripts/test.sh unit` runs the C unit tests only.
#
# Stages: C unit tests (store conformance on SQLite and PostgreSQL), layout
# rules, API suite on SQLite, API suite on PostgreSQL, kill -9 crash test (2
# rounds on each database), two servers behind nginx on PostgreSQL
# (tests/cluster; `make cluster` runs the whole API suite that way), browser test, API
# suite against the ASan+UBSan build, a short libFuzzer pass (every committed
# input replayed, then 4 s of mutation per target), OpenAPI lint.  Each runner prints its
# own summary; the last line counts the stages.
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
only=${1:-all}

passed=0
failed=0
failed_names=""
stage() {
	local name=$1
	shift
	echo
	echo "=== $name"
	local t0=$SECONDS
	if "$@"; then
		passed=$((passed + 1))
		echo "=== $name: ok ($((SECONDS - t0)) s)"
	else
		failed=$((failed + 1))
		failed_names="$failed_names $name"
		echo "=== $name: FAILED ($((SECONDS - t0)) s)"
	fi
}

# One throwaway PostgreSQL cluster for the whole run.
PGDIR=$(mktemp -d /tmp/wenming-pg.XXXXXX)
cleanup() {
	[ -n "${E2E_PID:-}" ] && kill "$E2E_PID" 2>/dev/null
	scripts/pgtmp.sh stop "$PGDIR" >/dev/null 2>&1
}
trap cleanup EXIT
if ! WENMING_TEST_PG=$(scripts/pgtmp.sh start "$PGDIR"); then
	echo "test: could not start a PostgreSQL cluster" >&2
	exit 1
fi
export WENMING_TEST_PG

run_unit() {
	local rc=0 t
	# tests/unit/<folder>/test_x.c builds to build/tests/<folder>/test_x
	for t in build/tests/*/test_*; do
		[ -x "$t" ] || continue
		"$t" || rc=1
	done
	return $rc
}

api_suite() { # KIND [BIN]
	WENMING_TEST_DB=$1 WENMING_BIN=${2:-build/wenming} \
		node --test --test-concurrency=2 tests/api/*.test.mjs
}

e2e() {
	local port dir rc
	port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
	dir=$(mktemp -d /tmp/wenming-e2e.XXXXXX)
	export WENMING_DB=sqlite:$dir/w.db WENMING_DATA=$dir/data WENMING_LISTEN=127.0.0.1:$port
	./build/wenming init >"$dir/init.log" || return 1
	./build/wenming demo >"$dir/demo.log" || return 1
	./build/wenming serve >"$dir/server.log" 2>&1 &
	E2E_PID=$!
	for _ in $(seq 100); do
		curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break
		sleep 0.1
	done
	WENMING_URL=http://127.0.0.1:$port WENMING_DB_KIND=sqlite \
		WENMING_ADMIN_PASSWORD=$(sed -n 's/.*password: *//p' "$dir/init.log") \
		WENMING_DEMO_PASSWORD=$(sed -n '/shown once/{n;s/^ *//p}' "$dir/demo.log") \
		WENMING_AXE=${WENMING_AXE:-strict} WENMING_SCREENSHOTS=$ROOT/build/screenshots node --test --test-force-exit tests/e2e/*.test.mjs
	rc=$?
	kill -TERM "$E2E_PID"
	wait "$E2E_PID" || rc=1
	E2E_PID=
	unset WENMING_DB WENMING_DATA WENMING_LISTEN
	rm -rf "$dir"
	return $rc
}

asan_suite() {
	# Leaks and UB make the server exit non-zero, which the harness asserts.
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=66 \
		LSAN_OPTIONS=suppressions=$ROOT/tests/lsan.supp \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		api_suite sqlite build/asan/wenming
}

# The tree as .clang-format wants it (clang-format from the Debian package,
# scripts/install.sh); `make format` rewrites the files this lists.
format_check() {
	find src tests/unit -name '*.[ch]' -print0 | sort -z |
		xargs -0 clang-format --dry-run --Werror
}

openapi_lint() {
	npx --no-install --prefix tests redocly lint --format=stylish docs/openapi.yaml
}

stage unit run_unit
if [ "$only" = all ]; then
	stage layout node --test tests/meta/*.test.mjs
	stage api-sqlite api_suite sqlite
	stage api-postgres api_suite postgres
	stage crash node tests/crash/crash.mjs --db both --rounds 2
	stage cluster env WENMING_TEST_DB=postgres node --test tests/cluster/*.test.mjs
	stage e2e-chromium e2e
	stage api-asan asan_suite
	stage fuzz bash fuzz/run.sh --short 4
	stage openapi-lint openapi_lint
	stage format-check format_check
fi

echo
[ -z "$failed_names" ] || echo "failed stages:$failed_names"
echo "stages: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
