#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests that exercise the Postgres paths (consent store, lab).
#   scripts/test-postgres.sh start   -> prints the URL to export as MEDSHARE_TEST_POSTGRES_URL
#   scripts/test-postgres.sh stop
# Binds 127.0.0.1 only, trust auth, data in a temporary folder. Prints nothing and exits 0 when
# no PostgreSQL server binaries are installed (the Postgres tests then say they were skipped).
set -euo pipefail
PORT=${MEDSHARE_TEST_PG_PORT:-25432}
DIR=${MEDSHARE_TEST_PG_DIR:-/tmp/medshare-test-pg-$PORT}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
[ -n "$BIN" ] && [ -x "$BIN/initdb" ] || exit 0
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
  start)
    if ! as_pg "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
      rm -rf "$DIR"; mkdir -p "$DIR"
      [ "$(id -u)" = 0 ] && chown postgres "$DIR"
      as_pg "$BIN/initdb" -D "$DIR" -A trust -U medshare --no-sync >/dev/null
      as_pg "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off" start >/dev/null
      as_pg "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U medshare medshare_test
    fi
    echo "postgresql://medshare@127.0.0.1:$PORT/medshare_test"
    ;;
  stop)
    as_pg "$BIN/pg_ctl" -D "$DIR" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
