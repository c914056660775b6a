#!/usr/bin/env bash
# The scale-out set on this machine, for trying it (`make scale-out`, `make scale-out-stop`):
# PostgreSQL + Redis + 2 web processes (gunicorn) + a background-jobs worker (`flask jobs run`)
# + nginx in front, all from Debian packages, all on 127.0.0.1, everything kept under .scale-out/
# (delete it to start from scratch).
#
#   scripts/scale-out.sh start    install what is missing (as root), start, load demo data
#   scripts/scale-out.sh stop     stop everything it started
#
# Ports: SCALE_OUT_PORT (nginx, 8080), SCALE_OUT_APP_PORTS ("5101 5102"), SCALE_OUT_PG_PORT
# (15432), SCALE_OUT_REDIS_PORT (16379): below the ephemeral port range.
# SCALE_OUT_STATE (absolute path) keeps the whole set somewhere other than .scale-out/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
state=${SCALE_OUT_STATE:-"$root/.scale-out"}  # bench/load_test.py runs a set in a scratch folder
web_port=${SCALE_OUT_PORT:-8080}
app_ports=${SCALE_OUT_APP_PORTS:-"5101 5102"}
pg_port=${SCALE_OUT_PG_PORT:-15432}
redis_port=${SCALE_OUT_REDIS_PORT:-16379}
bin="$root/.venv/bin"

need_packages() {
  local wanted=()
  ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || wanted+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || wanted+=(redis-server)
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || wanted+=(nginx-light)
  if [ ${#wanted[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "please install: sudo apt-get install ${wanted[*]}" >&2
      exit 1
    fi
    echo "installing ${wanted[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${wanted[@]}" >/dev/null \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${wanted[@]}" >/dev/null; }
  fi
}

app_env() {
  export NITET_CONFIG=production
  export NITET_DATA_DIR="$state/data"
  export DATABASE_URL="postgresql://postgres@127.0.0.1:$pg_port/nitet"
  export REDIS_URL="redis://127.0.0.1:$redis_port/0"
  export NITET_TRUSTED_PROXIES=1
  # Plain HTTP on 127.0.0.1 for trying it; a real deployment serves HTTPS and keeps this at 1.
  export NITET_SECURE_COOKIES=0
  export NITET_ACCESS_LOG=0
  # The web processes leave background jobs to the worker started below.
  export NITET_JOBS=worker
}

start_jobs_worker() {
  local pidfile="$state/logs/jobs.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then return; fi
  setsid nohup "$bin/flask" --app wsgi jobs run >>"$state/logs/jobs.log" 2>&1 &
  echo $! >"$pidfile"
}

render_nginx() {
  local servers=""
  for port in $app_ports; do servers="$servers    server 127.0.0.1:$port;\n"; done
  mkdir -p "$state/nginx/logs" "$state/nginx/tmp"
  local site
  site=$(sed -e "s|^    server 127.0.0.1:500[12];.*$||" \
    -e "s|    ip_hash;|    ip_hash;\n$servers|" \
    -e "s|listen 80;|listen 127.0.0.1:$web_port;|" \
    -e "s|server_name nitet.example.go.th;|server_name localhost;|" \
    -e "s|alias /opt/nitet-online/static/;|alias $root/static/;|" \
    deploy/nginx/nitet-online.conf)
  cat >"$state/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $state/nginx/nginx.pid;
error_log $state/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $state/nginx/logs/access.log;
    client_body_temp_path $state/nginx/tmp/body;
    proxy_temp_path $state/nginx/tmp/proxy;
    fastcgi_temp_path $state/nginx/tmp/fastcgi;
    uwsgi_temp_path $state/nginx/tmp/uwsgi;
    scgi_temp_path $state/nginx/tmp/scgi;
    sendfile on;
$site
}
CONF
}

wait_for() {
  local url=$1 tries=100
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    tries=$((tries - 1))
    if [ $tries -le 0 ]; then echo "no answer from $url" >&2; return 1; fi
    sleep 0.3
  done
}

start() {
  need_packages
  [ -x "$bin/gunicorn" ] || { echo "run make run or make test once first (.venv)" >&2; exit 1; }
  mkdir -p "$state/data" "$state/redis" "$state/logs"
  scripts/postgres-cluster.sh start "$state/postgres" "$pg_port" --durable
  psql_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/psql
  if ! "$psql_bin" -h 127.0.0.1 -p "$pg_port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='nitet'" | grep -q 1; then
    "$psql_bin" -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE nitet"
  fi
  if ! redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
    redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$state/redis" --daemonize yes \
      --pidfile "$state/redis/redis.pid" --logfile "$state/redis/redis.log" --appendonly yes >/dev/null
  fi
  app_env
  "$bin/flask" --app wsgi db upgrade 2>&1 | tail -1
  if [ "${NITET_DEMO:-1}" != "0" ]; then "$bin/flask" --app wsgi seed-demo --if-empty; fi
  for port in $app_ports; do
    if [ ! -f "$state/logs/app-$port.pid" ] || ! kill -0 "$(cat "$state/logs/app-$port.pid")" 2>/dev/null; then
      HOST=127.0.0.1 PORT=$port "$bin/gunicorn" --config gunicorn.conf.py --daemon \
        --pid "$state/logs/app-$port.pid" --error-logfile "$state/logs/app-$port.log" wsgi:app
    fi
  done
  start_jobs_worker
  for port in $app_ports; do wait_for "http://127.0.0.1:$port/healthz"; done
  render_nginx
  if [ -f "$state/nginx/nginx.pid" ] && kill -0 "$(cat "$state/nginx/nginx.pid")" 2>/dev/null; then
    nginx -c "$state/nginx/nginx.conf" -s reload
  else
    nginx -c "$state/nginx/nginx.conf"
  fi
  wait_for "http://127.0.0.1:$web_port/healthz"
  echo
  echo "นิเทศ Online (scale-out): http://127.0.0.1:$web_port"
  echo "  nginx :$web_port → gunicorn on $(echo $app_ports | sed 's/ /, /g'); jobs worker; PostgreSQL :$pg_port; Redis :$redis_port"
  echo "  data and logs in .scale-out/; stop with: make scale-out-stop"
}

stop_pidfile() {
  local file=$1
  if [ -f "$file" ]; then
    local pid
    pid=$(cat "$file")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid"
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    fi
    rm -f "$file"
  fi
}

stop() {
  if [ -f "$state/nginx/nginx.pid" ]; then
    nginx -c "$state/nginx/nginx.conf" -s quit 2>/dev/null || stop_pidfile "$state/nginx/nginx.pid"
  fi
  for file in "$state"/logs/app-*.pid; do [ -e "$file" ] && stop_pidfile "$file"; done
  stop_pidfile "$state/logs/jobs.pid"
  stop_pidfile "$state/redis/redis.pid"
  if [ -d "$state/postgres" ]; then scripts/postgres-cluster.sh stop "$state/postgres"; fi
  echo "scale-out set stopped (data kept in .scale-out/)"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
