#!/bin/bash
# demo.sh - how long `wenming demo` takes to play the demo county's 90 days on
# SQLite (what `make run` does on a new machine), beside a limit of 30 s: a
# newcomer's first `make run` should not stall on it (docs/benchmarks.md).
# Three runs on fresh databases; prints each and the worst.
# `make bench-demo`; not part of `make test` (tests check behaviour, not time).
set -euo pipefail
cd "$(dirname "$0")/.."
LIMIT_MS=${BENCH_DEMO_LIMIT_MS:-30000}
RUNS=${BENCH_DEMO_RUNS:-3}
[ -x build/wenming ] || { echo "bench-demo: build/wenming is missing: make server" >&2; exit 1; }
worst=0
for i in $(seq 1 "$RUNS"); do
	d=$(mktemp -d /tmp/wenming-bench-demo.XXXXXX)
	export WENMING_DB=sqlite:$d/w.db WENMING_DATA=$d/data
	./build/wenming init >/dev/null
	t0=$(date +%s%3N)
	./build/wenming demo >/dev/null
	ms=$(($(date +%s%3N) - t0))
	rm -rf "$d"
	echo "bench-demo: run $i: ${ms} ms"
	[ "$ms" -gt "$worst" ] && worst=$ms
done
load=$(cut -d' ' -f1 /proc/loadavg)
verdict=ok
[ "$worst" -lt "$LIMIT_MS" ] || verdict=SLOW
echo "bench-demo: worst of $RUNS ${worst} ms, limit ${LIMIT_MS} ms: $verdict (load average $load, $(nproc) cores)"
[ "$verdict" = ok ]
