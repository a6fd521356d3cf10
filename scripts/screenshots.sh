#!/bin/bash
# screenshots.sh - the pictures in README.md, taken from the demo county so
# they stay true: a temporary database, `wenming init` and `wenming demo`, the
# server on a free port, then scripts/screenshots.mjs signs in as office01 in
# headless chromium and saves docs/img/*.png.  Needs build/wenming (make all)
# and tests/node_modules (make deps).  `make screenshots` runs it.
set -eu
cd "$(dirname "$0")/.."
OUT=${1:-docs/img}
[ -x build/wenming ] || { echo "screenshots: build/wenming is missing: run make all" >&2; exit 1; }

dir=$(mktemp -d /tmp/wenming-shots.XXXXXX)
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
export WENMING_DB=sqlite:$dir/w.db WENMING_DATA=$dir/data WENMING_LISTEN=127.0.0.1:$port
unset WENMING_WEB WENMING_CONFIG
./build/wenming init >"$dir/init.log" 2>&1
./build/wenming demo >"$dir/demo.log" 2>&1
./build/wenming serve >"$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
	curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break
	sleep 0.1
done
WENMING_URL=http://127.0.0.1:$port \
	WENMING_DEMO_PASSWORD=$(sed -n '/shown once/{n;s/^ *//p}' "$dir/demo.log") \
	node scripts/screenshots.mjs "$OUT"
