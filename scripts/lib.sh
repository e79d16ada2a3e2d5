# Shared helpers for run.sh, test.sh and the benchmark. Source this file; do not run it.
# They start a PostgreSQL cluster from the machine's own binaries and the maildev mail catcher from npm.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

pg_bin() {
  local initdb
  initdb="$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$initdb" ] || initdb="$(readlink -f "$(command -v initdb 2>/dev/null)" 2>/dev/null)"
  [ -x "$initdb" ] || { echo "PostgreSQL binaries (initdb, pg_ctl, postgres) were not found; install postgresql-15." >&2; return 1; }
  dirname "$initdb"
}

# PostgreSQL refuses to run as root, so as root its commands run as the postgres user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# pg_start DATA_DIR PORT: creates the cluster on first use (user "petitions", local trust auth) and starts it.
pg_start() {
  local dir="$1" port="$2" bin
  bin="$(pg_bin)" || return 1
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; chmod 700 "$dir"; fi
  if [ ! -f "$dir/PG_VERSION" ]; then
    as_pg "$bin/initdb" -D "$dir" -U petitions --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir.initdb.log" 2>&1 \
      || { cat "$dir.initdb.log" >&2; return 1; }
  fi
  as_pg "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=500 -c shared_buffers=256MB" start >/dev/null \
    || { tail -n 20 "$dir/server.log" >&2; return 1; }
}

pg_stop() {
  local dir="$1" bin
  bin="$(pg_bin)" || return 0
  [ -f "$dir/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
}

# pg_createdb PORT NAME: creates the database if it does not exist.
pg_createdb() {
  local port="$1" name="$2" bin
  bin="$(pg_bin)" || return 1
  if ! "$bin/psql" -h 127.0.0.1 -p "$port" -U petitions -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$name'" | grep -q 1; then
    "$bin/createdb" -h 127.0.0.1 -p "$port" -U petitions "$name"
  fi
}

maildev_install() {
  if [ ! -x "$REPO_ROOT/tools/maildev/node_modules/.bin/maildev" ]; then
    (cd "$REPO_ROOT/tools/maildev" && npm ci --no-audit --no-fund --loglevel=error) >&2
  fi
}

# maildev_start SMTP_PORT WEB_PORT LOG: starts the mail catcher in the background and prints its PID.
maildev_start() {
  local smtp="$1" web="$2" log="$3"
  maildev_install || return 1
  node "$REPO_ROOT/tools/maildev/node_modules/maildev/bin/maildev" --smtp "$smtp" --web "$web" --ip 127.0.0.1 >"$log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do
    if curl -fsS "http://127.0.0.1:$web/email" >/dev/null 2>&1; then echo "$pid"; return 0; fi
    sleep 0.1
  done
  echo "maildev did not start; see $log" >&2
  return 1
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
