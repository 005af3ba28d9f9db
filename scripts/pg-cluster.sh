#!/usr/bin/env bash
# A throwaway PostgreSQL cluster in a temp folder, for tests: `start` prints the URL, `stop DIR` removes it.
# initdb refuses to run as root, so as root it runs as the `postgres` user (created if missing).
set -euo pipefail

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    port="${2:-55432}"
    if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then useradd --system --no-create-home postgres; fi
    dir="$(mktemp -d /tmp/latchkey-pg.XXXXXX)"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_owner initdb -D "$dir/data" -U latchkey --auth=trust --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1
    if ! as_owner pg_ctl -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null; then
      tail -n 3 "$dir/server.log" >&2
      rm -rf "$dir"
      exit 1
    fi
    echo "$dir postgresql://latchkey@127.0.0.1:$port/postgres"
    ;;
  stop)
    dir="${2:?usage: pg-cluster.sh stop DIR}"
    as_owner pg_ctl -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: pg-cluster.sh start [PORT] | stop DIR" >&2
    exit 2
    ;;
esac
