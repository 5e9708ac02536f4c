#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the test suite on 127.0.0.1 and print its URL.
# Usage: eval "$(scripts/postgres-for-tests.sh)"   (exports ATELIER_TEST_POSTGRES_URL)
# Needs Debian's postgresql package (installed by .ci/run). Runs the server as the 'postgres' user.
set -euo pipefail
PORT="${ATELIER_TEST_PG_PORT:-55439}"
DIR="${ATELIER_TEST_PG_DIR:-/tmp/atelier-test-pg}"
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
if ! as_pg "$BIN/pg_isready -q -h 127.0.0.1 -p $PORT" >/dev/null 2>&1; then
  rm -rf "$DIR"; mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$DIR"
  as_pg "$BIN/initdb -D $DIR/data -U atelier --auth=trust --encoding=UTF8 --locale=C.UTF-8" >"$DIR.init.log" 2>&1
  as_pg "$BIN/pg_ctl -D $DIR/data -l $DIR/server.log -o '-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200' -w start" >/dev/null
fi
echo "export ATELIER_TEST_POSTGRES_URL=postgresql://atelier@127.0.0.1:$PORT/postgres"
