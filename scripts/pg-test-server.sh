#!/usr/bin/env bash
# A throwaway PostgreSQL server for the team tests: its own data directory under a temp dir,
# a loopback port, a Unix socket directory of its own, run by an unprivileged OS user.
#   scripts/pg-test-server.sh start   prints `export ANNALIST_TEST_PG=...` (eval it)
#   scripts/pg-test-server.sh stop    stops it and removes its directory
#   scripts/pg-test-server.sh restart stops and starts it on the same data (fault tests)
# ANNALIST_PG_DIR (default /tmp/annalist-pg-test) and ANNALIST_PG_PORT (default 55432) choose
# where. Debian's postgresql package provides the binaries (.ci/run installs it).
set -euo pipefail
dir="${ANNALIST_PG_DIR:-/tmp/annalist-pg-test}"
port="${ANNALIST_PG_PORT:-55432}"
os_user="${ANNALIST_PG_OS_USER:-annalist-pg}"
password="annalist-test-superuser"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$bin/initdb" ] || { echo "error: no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u "$os_user" -- "$@"
    else
        "$@"
    fi
}

start() {
    if [ "$(id -u)" -eq 0 ] && ! id "$os_user" >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin "$os_user"
    fi
    mkdir -p "$dir/socket"
    [ "$(id -u)" -eq 0 ] && chown -R "$os_user" "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        printf '%s\n' "$password" >"$dir/pwfile"
        [ "$(id -u)" -eq 0 ] && chown "$os_user" "$dir/pwfile"
        as_owner "$bin/initdb" -D "$dir/data" -U annalist_test --pwfile="$dir/pwfile" \
            --auth-host=scram-sha-256 --auth-local=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
        rm -f "$dir/pwfile"
    fi
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-p $port -k $dir/socket -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
        start >/dev/null
    echo "export ANNALIST_TEST_PG=postgres://annalist_test:$password@127.0.0.1:$port/postgres?sslmode=disable"
}

stop() {
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop; rm -rf "$dir" ;;
    restart) stop; start >/dev/null ;;
    pause) stop ;;
    *) echo "usage: $0 start|stop|restart|pause" >&2; exit 2 ;;
esac
