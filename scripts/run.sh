#!/bin/sh
# run.sh - what `make run` does after building: make sure the database exists
# and is initialised (the admin password is printed once, on the first run),
# then serve.  Settings come from the environment (README.md).
set -eu
cd "$(dirname "$0")/.."
: "${WENMING_DB:=sqlite:var/wenming.db}"
: "${WENMING_DATA:=var/data}"
export WENMING_DB WENMING_DATA
./build/wenming init
# an empty tenant gets the demo county; a filled one is left alone
./build/wenming demo
echo "wenming: http://${WENMING_LISTEN:-127.0.0.1:8080}/  (Ctrl-C 停止 / to stop)"
exec ./build/wenming serve
