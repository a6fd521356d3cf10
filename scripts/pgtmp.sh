#!/bin/bash
# pgtmp.sh - a throwaway PostgreSQL cluster for tests.
#
#   scripts/pgtmp.sh start DIR   init (first time) and start a cluster in DIR,
#                                create database "wenming", print its URL:
#                                postgres://postgres@127.0.0.1:PORT/wenming
#   scripts/pgtmp.sh stop DIR    stop it at once and remove DIR
#
# Both are idempotent: start on a running cluster prints the same URL, stop on
# a missing DIR does nothing.  Only the URL goes to stdout; progress and
# errors go to stderr, the server's own log to DIR/server.log.  Run as root,
# the cluster belongs to the "postgres" user (initdb refuses root); run as
# anyone else, it belongs to that user.  The server listens on 127.0.0.1
# only, trusts every local connection and keeps fsync/synchronous_commit on,
# so crash tests see real durability.
set -euo pipefail

die() {
	echo "pgtmp: $*" >&2
	exit 1
}

usage() {
	die "usage: $0 start|stop DIR"
}

[ $# -eq 2 ] || usage
cmd=$1
dir=$2
[ -n "$dir" ] || usage

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/postgres" ]; then
	bindir=$(pg_config --bindir 2>/dev/null || true)
fi
[ -n "$bindir" ] && [ -x "$bindir/initdb" ] || die "PostgreSQL server binaries not found"

# as_owner CMD...: run CMD as the cluster's owner.
if [ "$(id -u)" -eq 0 ]; then
	owner=postgres
	id "$owner" >/dev/null 2>&1 || die "running as root needs a 'postgres' user"
	as_owner() { runuser -u "$owner" -- "$@"; }
else
	owner=$(id -un)
	as_owner() { "$@"; }
fi

pgdata=$dir/data

# The postmaster's pid, when its lock file names a live (not zombie) process.
# A container without an init that reaps orphans keeps a killed server as a
# zombie, which kill -0 and pg_ctl status still count as running.
server_pid() {
	local pid state
	[ -f "$pgdata/postmaster.pid" ] || return 1
	pid=$(head -1 "$pgdata/postmaster.pid")
	[ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
	state=$(sed 's/^.*) //' "/proc/$pid/stat" | cut -d' ' -f1)
	[ "$state" != Z ] || return 1
	echo "$pid"
}

# Running and answering on its recorded port.
running() {
	[ -f "$dir/port" ] && server_pid >/dev/null &&
		"$bindir/pg_isready" -q -h 127.0.0.1 -p "$(cat "$dir/port")" -t 5
}

url() {
	echo "postgres://postgres@127.0.0.1:$(cat "$dir/port")/wenming"
}

# A port nobody listens on yet (the server start below still retries on a race).
pick_port() {
	i=0
	while [ $i -lt 50 ]; do
		p=$(( (RANDOM * 32768 + RANDOM) % 30000 + 20000 ))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
		i=$((i + 1))
	done
	return 1
}

start() {
	if running; then
		url
		return 0
	fi
	# Half dead (killed, or not answering): clear it away and start afresh.
	if pid=$(server_pid); then
		as_owner "$bindir/pg_ctl" -D "$pgdata" -m immediate -w -t 10 stop >/dev/null 2>&1 ||
			kill -9 "$pid" 2>/dev/null || true
	fi
	if [ -f "$pgdata/postmaster.pid" ] && ! server_pid >/dev/null; then
		rm -f "$pgdata/postmaster.pid"
	fi
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	pgdata=$dir/data
	[ "$owner" = "$(id -un)" ] || chown "$owner" "$dir"
	as_owner test -w "$dir" || die "$owner cannot write to $dir (is its parent traversable?)"
	touch "$dir/.pgtmp"

	if [ ! -f "$pgdata/PG_VERSION" ]; then
		locale=C.UTF-8
		locale -a 2>/dev/null | grep -qix 'c\.utf-\?8' || locale=C
		as_owner "$bindir/initdb" -D "$pgdata" -U postgres --auth=trust \
			--encoding=UTF8 --locale="$locale" --no-sync >"$dir/initdb.log" 2>&1 ||
			die "initdb failed, see $dir/initdb.log"
		echo "include_if_exists = 'pgtmp.conf'" >>"$pgdata/postgresql.conf"
	fi

	tries=0
	while :; do
		port=$(pick_port) || die "no free port found"
		# unix_socket_directories is DIR itself: socket paths must stay short.
		cat >"$dir/pgtmp.conf.new" <<EOF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = on
synchronous_commit = on
full_page_writes = on
max_connections = 100
shared_buffers = 32MB
logging_collector = off
EOF
		[ "$owner" = "$(id -un)" ] || chown "$owner" "$dir/pgtmp.conf.new"
		mv "$dir/pgtmp.conf.new" "$pgdata/pgtmp.conf"
		if as_owner "$bindir/pg_ctl" -D "$pgdata" -l "$dir/server.log" -w -t 30 \
			start >/dev/null 2>&1; then
			break
		fi
		tries=$((tries + 1))
		[ $tries -lt 5 ] || die "server did not start, see $dir/server.log"
	done
	echo "$port" >"$dir/port"

	if ! as_owner "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -XtAq \
		-c "SELECT 1 FROM pg_database WHERE datname = 'wenming'" | grep -q 1; then
		as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres wenming ||
			die "createdb failed"
	fi
	url
}

stop() {
	[ -e "$dir" ] || return 0
	# Refuse to delete a directory this script did not make.
	[ -f "$dir/.pgtmp" ] || die "$dir is not a pgtmp cluster, not removing it"
	if pid=$(server_pid); then
		as_owner "$bindir/pg_ctl" -D "$pgdata" -m immediate -w -t 10 stop >/dev/null 2>&1 ||
			kill -9 "$pid" 2>/dev/null || true
		# pg_ctl waits for the pid to vanish; a zombie never does.
		if server_pid >/dev/null; then
			die "could not stop the server in $dir"
		fi
	fi
	rm -rf "$dir"
}

case $cmd in
start) start ;;
stop) stop ;;
*) usage ;;
esac
