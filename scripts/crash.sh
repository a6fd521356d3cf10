#!/bin/bash
# crash.sh - the kill -9 durability test (tests/crash/crash.mjs), what `make crash`
# calls: ROUNDS (default 20) rounds on SQLite and as many on PostgreSQL, in a
# throwaway cluster of its own unless WENMING_TEST_PG names one.
#
#   scripts/crash.sh [ROUNDS]
set -u
cd "$(dirname "$0")/.."
rounds=${1:-20}

if [ -z "${WENMING_TEST_PG:-}" ]; then
	PGDIR=$(mktemp -d /tmp/wenming-pg.XXXXXX)
	trap 'scripts/pgtmp.sh stop "$PGDIR" >/dev/null 2>&1' EXIT
	if ! WENMING_TEST_PG=$(scripts/pgtmp.sh start "$PGDIR"); then
		echo "crash: could not start a PostgreSQL cluster" >&2
		exit 1
	fi
	export WENMING_TEST_PG
fi
node tests/crash/crash.mjs --db both --rounds "$rounds"
