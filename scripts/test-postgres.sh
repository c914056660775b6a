#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL server (Debian `postgresql` package), started in a
# temporary folder on a free port and removed afterwards. TEST_DATABASE_URL points at it, so the
# test harness (tests/databases.py) builds its template databases there.
#
#   scripts/test-postgres.sh                       the suite without the browser tests
#   scripts/test-postgres.sh .venv/bin/python -m pytest tests/test_backup.py
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-.venv/bin/python}
[ -x "$python" ] || python=python3
port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
dir=$(mktemp -d "${TMPDIR:-/tmp}/nitet-pg.XXXXXX")
cleanup() {
  scripts/postgres-cluster.sh stop "$dir" || true
  rm -rf "$dir"
}
trap cleanup EXIT
scripts/postgres-cluster.sh start "$dir" "$port"
export TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:$port/postgres"
export TEST_DATABASE_THROWAWAY=1  # the whole cluster goes at the end: no need to drop databases
echo "throwaway PostgreSQL server on 127.0.0.1:$port"
if [ $# -eq 0 ]; then
  set -- "$python" -m pytest -m "not browser"
fi
"$@"
