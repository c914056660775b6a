#!/usr/bin/env bash
# A throwaway PostgreSQL cluster from the Debian `postgresql` package, for the tests and for
# `make scale-out`. Listens on 127.0.0.1:PORT and a unix socket inside DIR, trusts local
# connections (never use it for real data).
#
#   scripts/postgres-cluster.sh start DIR PORT [--durable]   create (if needed) and start
#   scripts/postgres-cluster.sh stop DIR                      stop (fast shutdown)
#
# Without --durable, fsync and synchronous commit are off: the test databases are thrown away,
# so crash safety buys nothing and costs time. PostgreSQL refuses to run as root; as root (CI) the
# cluster belongs to the `postgres` system user created by the Debian package.
set -euo pipefail

action=${1:?usage: postgres-cluster.sh start DIR PORT [--durable] | stop DIR}
dir=${2:?directory required}

bindir=""
for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  if [ -x "$candidate/pg_ctl" ]; then bindir=$candidate; break; fi
done
if [ -z "$bindir" ]; then
  echo "PostgreSQL is not installed (apt-get install postgresql, or scripts/ensure-system-packages.sh)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$action" in
  start)
    port=${3:?port required}
    durable=${4:-}
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 \
        --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    options="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir"
    options="$options -c max_connections=200 -c shared_buffers=128MB"
    if [ "$durable" != "--durable" ]; then
      options="$options -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$options" -w -t 60 start \
      >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    fi
    ;;
  *)
    echo "unknown action: $action" >&2
    exit 2
    ;;
esac
