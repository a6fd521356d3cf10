#!/bin/bash
# run.sh - `make bench`: the server on a big city's data, measured with wrk on
# loopback, each scenario beside its physical limit in the same run.
#
# Settings (environment, or make variables of the same name):
#   BENCH_DURATION=10s      wrk duration of each scenario (and of each limit)
#   BENCH_CONNECTIONS=64    wrk connections
#   BENCH_THREADS=2         wrk threads
#   BENCH_DB="sqlite postgres"  back ends to measure
#   BENCH_PROBLEMS=1000000  size of the generated tenant
#   BENCH_REGEN=1           generate the data again (otherwise cached in build/bench)
#   BENCH_ONLY="list detail ..."  run only these scenarios
#
# Data: build/bench/sqlite/base.db and the PostgreSQL cluster build/bench/pg
# (database bench_base) are generated once by bench/gen.c after `wenming
# init` + `wenming demo --empty`; every run works on a fresh copy (work.db, database
# bench_run), so runs do not drift.  Output: the table on stdout and as
# markdown in build/bench/results.md, raw numbers in build/bench/run/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DURATION=${BENCH_DURATION:-10s}
CONNS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
DBS=${BENCH_DB:-sqlite postgres}
PROBLEMS=${BENCH_PROBLEMS:-1000000}
REGEN=${BENCH_REGEN:-0}
ONLY=${BENCH_ONLY:-}
PASSWORD=bench-Password-2026
B=$ROOT/build/bench
BIN=$B/bin
RUN=$B/run
WENMING=$ROOT/build/wenming
SECS=${DURATION%s}
case $DURATION in *m) SECS=$((${DURATION%m} * 60)) ;; esac

log() { echo "bench: $*" >&2; }
die() {
	log "$*"
	exit 1
}

for tool in wrk nginx sqlite3 curl vips; do
	command -v $tool >/dev/null || die "$tool is missing: run make deps (scripts/install.sh)"
done
[ -x "$WENMING" ] || die "build/wenming is missing: make server"
mkdir -p "$BIN" "$RUN"
rm -f "$RUN"/*.json "$RUN"/*.rss "$RUN"/rows.tsv "$RUN"/thumb.jpg

# ---- tools ----------------------------------------------------------------------

CFLAGS_B="-std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter"
build_tool() { # NAME PKGS...
	local name=$1
	shift
	if [ ! -x "$BIN/$name" ] || [ "bench/$name.c" -nt "$BIN/$name" ]; then
		log "building $name"
		# shellcheck disable=SC2046
		cc $CFLAGS_B $(pkg-config --cflags "$@") -o "$BIN/$name" "bench/$name.c" \
			$(pkg-config --libs "$@") -lm -lpthread
	fi
}
build_tool gen sqlite3 libpq libsodium
build_tool insert sqlite3 libpq
build_tool photo vips libsodium
build_tool export sqlite3 libpq xlsxwriter

PHOTO=$B/photo-1mb.jpg
if [ ! -f "$PHOTO" ]; then
	# a 1920 x 1440 JPEG of about 1 MB (noise does not compress: the size a phone sends)
	vips gaussnoise "$B/noise.v" 1920 1440 --mean 128 --sigma 25
	vips bandjoin "$B/noise.v $B/noise.v $B/noise.v" "$B/noise3.v"
	vips cast "$B/noise3.v" "$B/noise4.v" uchar
	vips jpegsave "$B/noise4.v" "$PHOTO" --Q 75
	rm -f "$B"/noise*.v
fi

# ---- data -------------------------------------------------------------------------

free_port() {
	node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# gen_data KIND URL DIR: init + demo + gen into URL, unless cached.
gen_data() {
	local kind=$1 url=$2 dir=$3
	log "$kind: generating the tenant ($PROBLEMS problems), once"
	WENMING_DB=$url WENMING_DATA=$dir/data "$WENMING" init >"$dir/init.log" 2>&1 ||
		die "wenming init failed, see $dir/init.log"
	WENMING_DB=$url WENMING_DATA=$dir/data "$WENMING" demo --empty >"$dir/demo.log" 2>&1 ||
		die "wenming demo failed, see $dir/demo.log"
	local t0=$SECONDS
	"$BIN/gen" "$url" --problems "$PROBLEMS" --password "$PASSWORD" --out "$dir" 2>&1 |
		tee "$dir/gen.log" >&2
	log "$kind: generated and loaded in $((SECONDS - t0)) s; checking it (bench/sql/check.sql)"
	local bad
	if [ "$kind" = sqlite ]; then
		bad=$(sqlite3 "${url#sqlite:}" <bench/sql/check.sql | awk -F'|' '$NF != 0')
	else
		bad=$(psql -XqAt "$url" -f bench/sql/check.sql | awk -F'|' '$NF != 0')
	fi
	[ -z "$bad" ] || die "the generated data is inconsistent: $bad"
	echo "$PROBLEMS" >"$dir/generated"
}

PGDIR=$B/pg
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
pg_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

SERVER_PID=""
NGINX_PID=""
cleanup() {
	[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
	[ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null
	if [ -f "$PGDIR/data/postmaster.pid" ]; then
		pg_owner "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1 || true
	fi
	return 0
}
trap cleanup EXIT

# prepare_db KIND: sets DB_URL (a fresh copy of the generated data) and DATA_DIR.
prepare_db() {
	local kind=$1
	if [ "$kind" = sqlite ]; then
		local dir=$B/sqlite
		if [ "$REGEN" = 1 ] || [ "$(cat "$dir/generated" 2>/dev/null)" != "$PROBLEMS" ]; then
			rm -rf "$dir"
			mkdir -p "$dir"
			gen_data sqlite "sqlite:$dir/base.db" "$dir"
		fi
		rm -rf "$dir/work.db"* "$dir/work-data"
		# migrations newer than the data run here, not in the measured server
		WENMING_DB=sqlite:$dir/base.db WENMING_DATA=$dir/data "$WENMING" migrate >"$dir/migrate.log" 2>&1 ||
			die "wenming migrate failed, see $dir/migrate.log"
		cp "$dir/base.db" "$dir/work.db"
		cp -r "$dir/data" "$dir/work-data"
		DB_URL=sqlite:$dir/work.db
		DATA_DIR=$dir/work-data
		SQL_CLI() { sqlite3 "${DB_URL#sqlite:}" "$1"; }
	else
		[ -n "$PGBIN" ] || die "PostgreSQL is not installed"
		if [ "$REGEN" = 1 ] || [ "$(cat "$PGDIR/generated" 2>/dev/null)" != "$PROBLEMS" ]; then
			[ -d "$PGDIR" ] && scripts/pgtmp.sh stop "$PGDIR" >/dev/null 2>&1 || rm -rf "$PGDIR"
		fi
		local url
		url=$(scripts/pgtmp.sh start "$PGDIR")
		PG_ADMIN=${url%/wenming}/postgres
		if [ ! -f "$PGDIR/generated" ]; then
			# a server sized for a database of 2 GB rather than for tests
			psql -XqAt "$PG_ADMIN" -c "ALTER SYSTEM SET shared_buffers = '256MB'" \
				-c "ALTER SYSTEM SET max_wal_size = '4GB'" -c "ALTER SYSTEM SET work_mem = '16MB'"
			pg_owner "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null
			url=$(scripts/pgtmp.sh start "$PGDIR")
			PG_ADMIN=${url%/wenming}/postgres
			psql -XqAt "$PG_ADMIN" -c "DROP DATABASE IF EXISTS bench_base" -c "CREATE DATABASE bench_base"
			mkdir -p "$PGDIR/gen"
			[ "$(id -u)" -ne 0 ] || chown postgres "$PGDIR/gen"
			gen_data postgres "${url%/wenming}/bench_base" "$PGDIR/gen"
			mv "$PGDIR/gen/generated" "$PGDIR/generated"
		fi
		WENMING_DB=${url%/wenming}/bench_base WENMING_DATA=$PGDIR/gen/data "$WENMING" migrate \
			>"$PGDIR/migrate.log" 2>&1 || die "wenming migrate failed, see $PGDIR/migrate.log"
		psql -XqAt "$PG_ADMIN" -c "DROP DATABASE IF EXISTS bench_run" \
			-c "CREATE DATABASE bench_run TEMPLATE bench_base" >/dev/null
		DB_URL=${url%/wenming}/bench_run
		rm -rf "$PGDIR/work-data"
		mkdir -p "$PGDIR/work-data"
		DATA_DIR=$PGDIR/work-data
		SQL_CLI() { psql -XqAt "$DB_URL" -c "$1"; }
	fi
}

# ---- the server, wrk, the limits ---------------------------------------------------------

start_server() {
	PORT=$(free_port)
	WENMING_DB=$DB_URL WENMING_DATA=$DATA_DIR WENMING_LISTEN=127.0.0.1:$PORT \
		"$WENMING" serve >"$RUN/server-$KIND.log" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 200); do
		curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && return 0
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.1
	done
	die "the server did not start, see $RUN/server-$KIND.log"
}

stop_server() {
	kill "$SERVER_PID" 2>/dev/null || true
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=""
}

# Wait until the server has answered what wrk left queued when it stopped.
drain() {
	local i
	for i in $(seq 120); do
		curl -sf --max-time 1 "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && return 0
		sleep 0.5
	done
	log "the server is still busy after a minute"
}

# login USER: sets COOKIE and CSRF.
login() {
	local body="" i
	for i in 1 2 3 4 5; do
		body=$(curl -sf --max-time 60 -c "$RUN/cookies" -H 'Content-Type: application/json' \
			-d "{\"username\":\"$1\",\"password\":\"$PASSWORD\"}" \
			"http://127.0.0.1:$PORT/api/v1/auth/login") && break
		sleep 2
	done
	[ -n "$body" ] || die "login as $1 failed"
	COOKIE="wm_session=$(awk '$6 == "wm_session" {print $7}' "$RUN/cookies")"
	CSRF=$(echo "$body" | sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p')
	[ -n "$CSRF" ] || die "no csrf_token for $1"
}

# wrk_run NAME URL SCRIPT [CONNECTIONS]: writes $RUN/NAME.json.
wrk_run() {
	local name=$1 url=$2 script=$3 conns=${4:-$CONNS} thr=$THREADS
	[ "$thr" -le "$conns" ] || thr=$conns
	cat bench/lua/common.lua "bench/lua/$script.lua" >"$RUN/$name.lua"
	log "$name: wrk -t$thr -c$conns -d$DURATION $url"
	BENCH_OUT=$RUN/$name.json BENCH_COOKIE=${COOKIE:-} BENCH_CSRF=${CSRF:-} \
		wrk -t"$thr" -c"$conns" -d"$DURATION" --timeout 30s -s "$RUN/$name.lua" "$url" \
		>"$RUN/$name.wrk" 2>&1 || die "wrk failed for $name: $(cat "$RUN/$name.wrk")"
}

json_num() { sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p" "$1"; }

# The server's peak RSS since the last reset, in MB; then reset it.
rss_reset() { echo 5 >"/proc/$SERVER_PID/clear_refs" 2>/dev/null || true; }
rss_peak() { awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$SERVER_PID/status"; }

# row SCENARIO OURS LIMIT LIMIT_NAME P50_US P99_US RSS TARGET NOTE
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$KIND" "$@" >>"$RUN/rows.tsv"; }

# scenario NAME URL SCRIPT LIMIT LIMIT_NAME TARGET [CONNECTIONS]: wrk against the server.
scenario() {
	local name=$1 url=$2 script=$3 limit=$4 lname=$5 target=$6 conns=${7:-$CONNS}
	local f=$RUN/$KIND-$name.json ours errors
	rss_reset
	wrk_run "$KIND-$name" "$url" "$script" "$conns"
	drain
	ours=$(awk -v r="$(json_num "$f" requests)" -v d="$(json_num "$f" duration_us)" \
		'BEGIN {printf "%.1f", r * 1e6 / d}')
	errors=$(($(json_num "$f" status_errors) + $(json_num "$f" socket_errors)))
	# SCENARIO_NOTE (environment): a note of the caller's, before the errors
	row "$name" "$ours" "$limit" "$lname" "$(json_num "$f" p50_us)" "$(json_num "$f" p99_us)" \
		"$(rss_peak)" "$target" "${SCENARIO_NOTE:-}$([ "$errors" = 0 ] ||
			echo "${SCENARIO_NOTE:+; }$errors errors of $(json_num "$f" requests)")"
}

wanted() { [ -z "$ONLY" ] || [[ " $ONLY " == *" $1 "* ]]; }

# nginx serving FILE at PATH; sets NGINX_URL (wrk at the same connections is the read limit).
nginx_start() {
	local dir=$RUN/nginx port
	port=$(free_port)
	rm -rf "$dir"
	mkdir -p "$dir/tmp" "$dir/logs"
	cat >"$dir/nginx.conf" <<EOF
$([ "$(id -u)" -eq 0 ] && echo "user root;")
worker_processes 2;
daemon off;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $dir/tmp; proxy_temp_path $dir/tmp; fastcgi_temp_path $dir/tmp;
	uwsgi_temp_path $dir/tmp; scgi_temp_path $dir/tmp;
	sendfile on; tcp_nopush on; keepalive_requests 100000;
	server {
		listen 127.0.0.1:$port;
		location = /list { default_type application/json; alias $dir/list.json; }
		location = /detail { default_type application/json; alias $dir/detail.json; }
		location = /thumb { default_type image/jpeg; alias $dir/thumb.jpg; }
	}
}
EOF
	cp "$RUN/list.json" "$dir/list.json"
	cp "$RUN/detail.json" "$dir/detail.json"
	[ ! -f "$RUN/thumb.jpg" ] || cp "$RUN/thumb.jpg" "$dir/thumb.jpg"
	nginx -p "$dir" -c "$dir/nginx.conf" &
	NGINX_PID=$!
	for _ in $(seq 50); do
		curl -sf "http://127.0.0.1:$port/list" >/dev/null && break
		sleep 0.1
	done
	NGINX_URL=http://127.0.0.1:$port
}

nginx_stop() {
	kill "$NGINX_PID" 2>/dev/null || true
	wait "$NGINX_PID" 2>/dev/null || true
	NGINX_PID=""
}

# nginx_limit PATH: requests per second nginx serves PATH at.
nginx_limit() {
	local name=nginx-$KIND-${1#/}
	wrk_run "$name" "$NGINX_URL$1" get
	awk -v r="$(json_num "$RUN/$name.json" requests)" -v d="$(json_num "$RUN/$name.json" duration_us)" \
		'BEGIN {printf "%.1f", r * 1e6 / d}'
}

# sql_limit FILE [VAR=VALUE...]: times the file's SQL per second through the database's
# own command line (sqlite3, or pgbench on one connection), for the bench duration.
sql_limit() {
	local file=$1
	shift
	if [ "$KIND" = sqlite ]; then
		local script=$RUN/sql-limit.sql n=1 t0 t1 elapsed kv
		while :; do
			: >"$script"
			echo ".output /dev/null" >>"$script"
			for kv in "$@"; do echo ".parameter set :${kv%%=*} ${kv#*=}" >>"$script"; done
			for _ in $(seq $n); do grep -v '^--' "$file" >>"$script"; done
			t0=$(date +%s%N)
			sqlite3 "${DB_URL#sqlite:}" <"$script" >/dev/null
			t1=$(date +%s%N)
			elapsed=$(((t1 - t0) / 1000000))
			# run again, long enough to be measured, when it was quick
			if [ "$elapsed" -lt $((SECS * 1000 / 4)) ] && [ $n -lt 100000 ]; then
				n=$((n * (SECS * 1000 / 2) / (elapsed + 1) + 1))
				continue
			fi
			break
		done
		awk -v n=$n -v ms=$elapsed 'BEGIN {printf "%.1f", n * 1000 / ms}'
	else
		local defs=() kv
		for kv in "$@"; do defs+=(-D "$kv"); done
		"$PGBIN/pgbench" -n -f "$file" "${defs[@]}" -c 1 -T "$SECS" "$DB_URL" 2>/dev/null |
			sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1
	fi
}

# ---- one back end ------------------------------------------------------------------------

bench_kind() {
	KIND=$1
	prepare_db "$KIND"
	# inputs of the scenarios, from the data (before the server adds anything)
	local unit_sql="SELECT u.username, u.unit_id, n FROM users u JOIN user_roles ur ON ur.user_id = u.id
		JOIN roles r ON r.id = ur.role_id JOIN (SELECT lead_unit_id, COUNT(*) AS n FROM problems
		GROUP BY lead_unit_id) c ON c.lead_unit_id = u.unit_id WHERE r.key = 'unit_admin' ORDER BY n, u.id"
	local units total median busiest
	units=$(SQL_CLI "$unit_sql")
	total=$(echo "$units" | wc -l)
	median=$(echo "$units" | sed -n "$(((total + 1) / 2))p")
	busiest=$(echo "$units" | tail -1)
	MEDIAN_USER=$(echo "$median" | cut -d'|' -f1)
	BUSY_USER=$(echo "$busiest" | cut -d'|' -f1)
	local ids_sql
	ids_sql="SELECT p.id FROM problems p JOIN units u ON u.id = p.lead_unit_id
		WHERE u.ancestors LIKE (SELECT ancestors FROM units WHERE id = $(echo "$median" | cut -d'|' -f2)) || '%'
		ORDER BY p.id DESC LIMIT 3000"
	SQL_CLI "$ids_sql" >"$RUN/detail-ids"
	local assign_sql="SELECT id FROM problems WHERE status = 'assigned' ORDER BY id"
	SQL_CLI "$assign_sql" >"$RUN/assign-ids"
	local create_sql="SELECT k.id, pt.id FROM problem_categories k, points pt
		WHERE k.parent_id IS NOT NULL AND pt.id % 50 = 0 ORDER BY pt.id, k.id"
	SQL_CLI "$create_sql" | tr '|' ' ' >"$RUN/create-pairs"
	log "$KIND: list/detail as $MEDIAN_USER (median unit, $(echo "$median" | cut -d'|' -f3) problems)" \
		"and $BUSY_USER (busiest unit, $(echo "$busiest" | cut -d'|' -f3)); $(wc -l <"$RUN/assign-ids") assigned problems"

	start_server
	local base=http://127.0.0.1:$PORT list_path="/api/v1/problems?page=1&size=20&status=rectifying,rework"
	local month_start month_end
	month_start=$(date -u -d "$(date -u +%Y-%m-01) -1 month" +%Y-%m-%d)
	month_end=$(date -u -d "$(date -u +%Y-%m-01) -1 day" +%Y-%m-%d)

	# reads, as the median unit's administrator, beside nginx serving the same bytes
	login "$MEDIAN_USER"
	curl -sf -b "$COOKIE" "$base$list_path" >"$RUN/list.json"
	curl -sf -b "$COOKIE" "$base/api/v1/problems/$(head -1 "$RUN/detail-ids")" >"$RUN/detail.json"
	nginx_start
	if wanted list; then
		local lim
		lim=$(nginx_limit /list)
		scenario list "$base$list_path" get "$lim" "nginx, same bytes" read
		login "$BUSY_USER"
		scenario list-busiest "$base$list_path" get "$lim" "nginx, same bytes" read
		login "$MEDIAN_USER"
	fi
	if wanted detail; then
		BENCH_IDS=$RUN/detail-ids scenario detail "$base/api/v1/problems/1" detail \
			"$(nginx_limit /detail)" "nginx, same bytes" read
	fi
	nginx_stop

	# aggregates, as an office user, beside the same SQL on the database's command line
	login office01
	if wanted ranking; then
		local code
		# the first request computes the month's counts; the server keeps them while nothing
		# changes (docs/rankings.md), so wrk measures the requests after it
		local first
		first=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -b "$COOKIE" \
			"$base/api/v1/rankings?from=$month_start&to=$month_end")
		code=${first%% *}
		if [ "$code" = 404 ]; then
			row ranking n/a - - - - - aggregate "n/a (route missing)"
		else
			local s e
			s=$(($(date -u -d "$month_start" +%s) * 1000 - 8 * 3600000))
			e=$(($(date -u -d "$month_end +1 day" +%s) * 1000 - 8 * 3600000))
			SCENARIO_NOTE="first request (computing the counts) ${first#* } s" scenario ranking "$base/api/v1/rankings?from=$month_start&to=$month_end" get \
				"$(sql_limit bench/sql/ranking.sql start=$s end=$e cut=$e)" "$( [ "$KIND" = sqlite ] && echo sqlite3 || echo pgbench)" aggregate
		fi
	fi
	if wanted dashboard; then
		printf '%s\n' "/api/v1/units?page=1&size=1" "/api/v1/users?page=1&size=1" \
			"/api/v1/sessions?page=1&size=1" >"$RUN/dashboard-paths"
		local now_ms
		now_ms=$(($(date +%s) * 1000))
		BENCH_IDS=$RUN/dashboard-paths scenario dashboard "$base/" rotate \
			"$(awk -v r="$(sql_limit bench/sql/dashboard.sql now=$now_ms idle=$((now_ms - 7200000)))" \
				'BEGIN {printf "%.1f", r * 3}')" \
			"$( [ "$KIND" = sqlite ] && echo sqlite3 || echo pgbench), x3" aggregate
	fi
	if wanted export; then
		local code t from
		# the newest 100,000 problems: from the creation time of the 100,000th
		# (an export of more answers 422, docs/import-export.md)
		from=$(SQL_CLI "SELECT created_at FROM problems WHERE tenant_id = 1 ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET 99999")
		code=$(curl -s -o "$RUN/export.xlsx" -w '%{http_code}' -b "$COOKIE" \
			"$base/api/v1/problems/export?from=$from")
		if [ "$code" = 404 ] || [ "$code" = 405 ]; then
			row "export-100k" n/a - - - - - aggregate "n/a (route missing)"
		else
			rss_reset
			# ours and the limit in turn for the bench duration (at least once each), so the
			# machine's load falls on both alike: the limit is bench/export.c, the raw
			# SELECT of the rows and libxlsxwriter writing their cells
			local n=0 sum=0 lsum=0 ssum=0 t0=$SECONDS xlim
			while [ $n -eq 0 ] || [ $((SECONDS - t0)) -lt "$SECS" ]; do
				t=$(curl -s -o "$RUN/export.xlsx" -w '%{time_total}' -b "$COOKIE" \
					"$base/api/v1/problems/export?from=$from")
				xlim=$("$BIN/export" "$DB_URL" bench/sql/export.sql "$from" 0)
				sum=$(awk -v s="$sum" -v t="$t" 'BEGIN {print s + t}')
				lsum=$(awk -v s="$lsum" -v r="$(echo "$xlim" | sed -n 's/.*"rate":\([0-9.]*\).*/\1/p')" \
					'BEGIN {print s + 1 / r}')
				ssum=$(awk -v s="$ssum" -v r="$(echo "$xlim" | sed -n 's/.*"select_rate":\([0-9.]*\).*/\1/p')" \
					'BEGIN {print s + 1 / r}')
				n=$((n + 1))
			done
			t=$(awk -v s="$sum" -v n=$n 'BEGIN {print s / n}')
			log "$KIND: export $n times, mean $t s; limit mean $(awk -v s="$lsum" -v n=$n 'BEGIN {print s / n}') s"
			row "export-100k" "$(awk -v t="$t" 'BEGIN {printf "%.2f", 1 / t}')" \
				"$(awk -v s="$lsum" -v n=$n 'BEGIN {printf "%.3f", n / s}')" "SELECT + libxlsxwriter" \
				"$(awk -v t="$t" 'BEGIN {printf "%d", t * 1e6}')" - "$(rss_peak)" aggregate \
				"HTTP $code, $(stat -c %s "$RUN/export.xlsx") bytes, mean of $n, in turn with the limit; raw SELECT alone $(awk -v s="$ssum" -v n=$n 'BEGIN {printf "%.2f", n / s}') /s"
		fi
		# the largest xlsx export there is today: 5,000 points
		rss_reset
		t=$(curl -sf -o "$RUN/points.xlsx" -w '%{time_total}' -b "$COOKIE" "$base/api/v1/points/export")
		row "export-points-5k" "$(awk -v t="$t" 'BEGIN {printf "%.2f", 1 / t}')" - - \
			"$(awk -v t="$t" 'BEGIN {printf "%d", t * 1e6}')" - "$(rss_peak)" - \
			"$(stat -c %s "$RUN/points.xlsx") bytes, one request"
	fi

	# writes, beside the same INSERT as single autocommit transactions on one connection
	local insert_json ilim
	insert_json=$("$BIN/insert" "$DB_URL" "$SECS")
	ilim=$(echo "$insert_json" | sed -n 's/.*"rate":\([0-9.]*\).*/\1/p')
	log "$KIND: raw insert $insert_json"
	if wanted create; then
		login grid01
		BENCH_IDS=$RUN/create-pairs scenario create "$base/api/v1/problems" create "$ilim" \
			"INSERT, autocommit" write
	fi
	if wanted transition && [ -s "$RUN/assign-ids" ]; then
		login office01
		BENCH_IDS=$RUN/assign-ids scenario transition "$base/api/v1/problems/1/assign" assign "$ilim" \
			"INSERT, autocommit" write
	fi
	if wanted photo; then
		login grid01
		BENCH_PHOTO=$PHOTO scenario upload-1mb "$base/api/v1/files" upload \
			"$("$BIN/photo" probe "$PHOTO" "$SECS" "$(nproc)" | sed -n 's/.*"rate":\([0-9.]*\).*/\1/p')" \
			"libvips decode + sha256" photo
		local fid
		fid=$(curl -sf -b "$COOKIE" -H "X-CSRF-Token: $CSRF" -F "file=@$PHOTO;type=image/jpeg" \
			"$base/api/v1/files" | sed -n 's/^{"id":\([0-9]*\).*/\1/p')
		# the first request renders the thumbnail with libvips and keeps it (docs/files.md);
		# wrk measures serving the kept one, beside nginx serving the same bytes
		local first render
		first=$(curl -s -o "$RUN/thumb.jpg" -w '%{time_total}' -b "$COOKIE" "$base/api/v1/files/$fid/thumb")
		render=$("$BIN/photo" thumb "$PHOTO" "$SECS" 1 | sed -n 's/.*"rate":\([0-9.]*\).*/\1/p')
		nginx_start
		SCENARIO_NOTE="first request (render + keep) $first s; libvips alone $render /s on one core" \
			scenario thumbnail "$base/api/v1/files/$fid/thumb" get \
			"$(nginx_limit /thumb)" "nginx, same bytes" read
		nginx_stop
	fi
	if grep -q " answered 500\| ERROR " "$RUN/server-$KIND.log"; then
		log "$KIND: the server logged errors, see $RUN/server-$KIND.log"
	fi
	stop_server
}

# ---- the table --------------------------------------------------------------------------------

machine() {
	local model cores ram
	model=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
	cores=$(nproc)
	ram=$(free -g | awk '/^Mem:/ {print $2}')
	echo "$model, $cores cores, ${ram} GB RAM, Linux $(uname -r)"
	echo "$(sqlite3 --version | cut -d' ' -f1-2 | sed 's/^/SQLite /'), $("$PGBIN/postgres" --version 2>/dev/null),"\
		"$(nginx -v 2>&1 | sed 's/.*: //'), wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

report() {
	local md=$B/results.md
	{
		echo "# wenming benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
		echo
		echo "$(machine | head -1)  "
		echo "$(machine | tail -1)  "
		echo "wrk: $THREADS threads, $CONNS connections, $DURATION per scenario and per limit;" \
			"$(cat "$B/sqlite/generated" 2>/dev/null || cat "$PGDIR/generated") problems." \
			"Ratio = ours / limit. Targets: reads >= 0.5 of nginx, writes >= 0.5 of the raw INSERT," \
			"aggregates >= 1/1.5 of the raw SQL, p99 < 50 ms, peak RSS < 200 MB."
		echo
		echo "| db | scenario | ours /s | limit /s | limit | ratio | p50 ms | p99 ms | peak RSS MB | note |"
		echo "|---|---|---:|---:|---|---:|---:|---:|---:|---|"
		awk -F'\t' '
		function ms(us) { return us == "-" || us == "" ? "-" : sprintf("%.2f", us / 1000) }
		{
			ratio = ($3 ~ /^[0-9.]+$/ && $4 ~ /^[0-9.]+$/ && $4 > 0) ? sprintf("%.3g", $3 / $4) : "-"
			miss = ""
			if ($10 ~ /errors of/) { ratio = "-"; miss = " errors" }
			if (ratio != "-") {
				if (($9 == "read" || $9 == "write") && ratio < 0.5) miss = miss " ratio"
				if ($9 == "aggregate" && ratio < 1 / 1.5) miss = miss " ratio"
			}
			if ($7 ~ /^[0-9]+$/ && $7 >= 50000 && $9 != "-") miss = miss " p99"
			if ($8 ~ /^[0-9]+$/ && $8 >= 200) miss = miss " rss"
			note = $10 (miss != "" ? (($10 != "") ? "; " : "") "misses:" miss : "")
			printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, ratio, ms($6), ms($7), $8, note
		}' "$RUN/rows.tsv"
	} >"$md"
	echo
	cat "$md"
	echo
	log "table written to $md"
}

for kind in $DBS; do
	bench_kind "$kind"
done
report
