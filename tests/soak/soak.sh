#!/bin/bash
# soak.sh - what `make soak` runs: 1,000 concurrent keep-alive connections
# for 60 s against one wenming server (SQLite, the demo county), logged in,
# alternating a page of a list and the health check (tests/soak/soak.lua).
#
# Passes when wrk saw no socket error (connect, read, write, timeout) and no
# answer but 200, and the server's memory stayed flat: its RSS, sampled every
# second, may not end more than SOAK_GROWTH_PCT percent plus SOAK_GROWTH_MB
# above what it was once warmed up (the median of seconds 10-15).  Prints
# the RSS series (one value every 5 s) and its summary.
#
#   SOAK_CONNECTIONS=1000 SOAK_SECONDS=60 SOAK_THREADS=2 \
#   SOAK_GROWTH_PCT=10 SOAK_GROWTH_MB=16 tests/soak/soak.sh
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
CONNS=${SOAK_CONNECTIONS:-1000}
SECS=${SOAK_SECONDS:-60}
WRK_THREADS=${SOAK_THREADS:-2}
GROWTH_PCT=${SOAK_GROWTH_PCT:-10}
GROWTH_MB=${SOAK_GROWTH_MB:-16}
WARM_FROM=10
WARM_TO=15

die() {
	echo "soak: $*" >&2
	exit 1
}

command -v wrk >/dev/null || die "wrk is not installed (scripts/install.sh)"
[ -x build/wenming ] || die "build/wenming missing (make server)"
# 1,000 client sockets and as many server sockets, plus the database and logs
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -ge $((CONNS * 2 + 256)) ] || die "open-file limit $(ulimit -n) is too low for $CONNS connections"

dir=$(mktemp -d /tmp/wenming-soak.XXXXXX)
SRV=
SAMPLER=
cleanup() {
	[ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null
	if [ -n "$SRV" ]; then
		kill -TERM "$SRV" 2>/dev/null
		wait "$SRV" 2>/dev/null
	fi
	rm -rf "$dir"
}
trap cleanup EXIT

port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
export WENMING_DB=sqlite:$dir/w.db WENMING_DATA=$dir/data WENMING_LISTEN=127.0.0.1:$port
export WENMING_WEB=$dir/no-web WENMING_LOG_LEVEL=warn
# room above the 1,000 (the limit is shared out among the worker threads)
export WENMING_MAX_CONNECTIONS=$((CONNS * 4)) WENMING_IDLE_TIMEOUT=120
./build/wenming init >"$dir/init.log" || die "init failed"
./build/wenming demo >"$dir/demo.log" || die "demo failed"
password=$(sed -n 's/.*password: *//p' "$dir/init.log")
./build/wenming serve >"$dir/server.log" 2>&1 &
SRV=$!
url=http://127.0.0.1:$port
for _ in $(seq 100); do
	curl -sf "$url/api/v1/health" >/dev/null && break
	sleep 0.1
done
cookie=$(curl -s -D - -o /dev/null -H 'content-type: application/json' \
	-d "{\"username\":\"admin\",\"password\":\"$password\"}" "$url/api/v1/auth/login" |
	sed -n 's/^[Ss]et-[Cc]ookie: *\(wm_session=[^;]*\).*/\1/p')
[ -n "$cookie" ] || die "login failed"

# RSS in KiB, once a second, while wrk runs
(
	while kill -0 "$SRV" 2>/dev/null; do
		awk '/^VmRSS:/ {print $2}' "/proc/$SRV/status"
		sleep 1
	done
) >"$dir/rss" &
SAMPLER=$!

echo "soak: $CONNS keep-alive connections for $SECS s against $url (pid $SRV)"
WENMING_COOKIE=$cookie wrk -t"$WRK_THREADS" -c"$CONNS" -d"${SECS}s" --timeout 10s \
	-s tests/soak/soak.lua "$url" >"$dir/wrk.log" 2>&1
wrk_rc=$?
kill "$SAMPLER" 2>/dev/null
SAMPLER=
cat "$dir/wrk.log"

fail=0
[ $wrk_rc -eq 0 ] || { echo "soak: wrk exited $wrk_rc"; fail=1; }
if grep -q "Socket errors" "$dir/wrk.log"; then
	echo "soak: FAILED: socket errors"
	fail=1
fi
if grep -q "Non-2xx or 3xx" "$dir/wrk.log" || ! grep -q "non-200 answers: 0$" "$dir/wrk.log"; then
	echo "soak: FAILED: answers other than 200"
	fail=1
fi
requests=$(awk '/requests in/ {print $1}' "$dir/wrk.log")
[ -n "$requests" ] && [ "$requests" -gt 0 ] || { echo "soak: FAILED: no requests completed"; fail=1; }
if ! kill -0 "$SRV" 2>/dev/null; then
	echo "soak: FAILED: the server died"
	fail=1
fi

# The memory series: warm-up baseline, end, peak; fail on growth past the bound.
if ! awk -v from=$WARM_FROM -v to=$WARM_TO -v pct="$GROWTH_PCT" -v mb="$GROWTH_MB" '
	# median of a[1..k] (insertion sort: mawk has no asort)
	function median(a, k,    i, j, t) {
		for (i = 2; i <= k; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		return a[int((k + 1) / 2)]
	}
	{ rss[NR] = $1 }
	END {
		n = NR
		if (n < to + 5) { print "soak: FAILED: only " n " RSS samples"; exit 1 }
		line = "soak: RSS MiB every 5 s:"
		for (i = 1; i <= n; i += 5) line = line sprintf(" %.1f", rss[i] / 1024)
		print line
		# baseline: median of the warm samples; end: median of the last five
		k = 0; for (i = from; i <= to; i++) w[++k] = rss[i]; base = median(w, k)
		k = 0; for (i = n - 4; i <= n; i++) e[++k] = rss[i]; last = median(e, k)
		peak = 0; for (i = from; i <= n; i++) if (rss[i] > peak) peak = rss[i]
		bound = base * (1 + pct / 100) + mb * 1024
		printf "soak: RSS start %.1f MiB, after warm-up %.1f MiB, end %.1f MiB, peak %.1f MiB, %d samples; bound %.1f MiB (+%d%% +%d MiB)\n", rss[1] / 1024, base / 1024, last / 1024, peak / 1024, n, bound / 1024, pct, mb
		if (last > bound) { print "soak: FAILED: memory grew past the bound"; exit 1 }
	}' "$dir/rss"; then
	fail=1
fi
if grep -E " answered 500|without an audit row" "$dir/server.log"; then
	echo "soak: FAILED: the server logged errors"
	fail=1
fi
[ $fail -eq 0 ] && echo "soak: ok"
exit $fail
