#!/bin/bash
# cluster.sh - what `make cluster` runs: the whole API suite through two
# wenming servers on one PostgreSQL database behind nginx
# (WENMING_TEST_CLUSTER=1, see tests/api/harness.mjs), then the explicit
# cross-server checks of tests/cluster.  In a throwaway PostgreSQL cluster
# unless WENMING_TEST_PG names one.  `make test` runs only tests/cluster
# (its "cluster" stage); this longer run is about a minute and a half.
set -u
cd "$(dirname "$0")/.."

if [ -z "${WENMING_TEST_PG:-}" ]; then
	PGDIR=$(mktemp -d /tmp/wenming-pg.XXXXXX)
	trap 'scripts/pgtmp.sh stop "$PGDIR" >/dev/null 2>&1' EXIT
	if ! WENMING_TEST_PG=$(scripts/pgtmp.sh start "$PGDIR"); then
		echo "cluster: could not start a PostgreSQL cluster" >&2
		exit 1
	fi
	export WENMING_TEST_PG
fi
export WENMING_TEST_DB=postgres
rc=0
echo "=== API suite through nginx and two servers"
WENMING_TEST_CLUSTER=1 node --test --test-concurrency=2 tests/api/*.test.mjs || rc=1
echo "=== cross-server checks"
node --test tests/cluster/*.test.mjs || rc=1
exit $rc
