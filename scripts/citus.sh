#!/usr/bin/env bash
# A Citus (distributed PostgreSQL) cluster on loopback for development, tests and the benchmark.
#
#   scripts/citus.sh install               build and install Citus from ../shared/vendor once (as root)
#   scripts/citus.sh start DIR [BASE_PORT] start a coordinator (BASE_PORT) and two workers (BASE_PORT+1, +2) with
#                                          data in DIR, create the database "petitions" on them, print its
#                                          connection string
#   scripts/citus.sh createdb DIR NAME     create one more database on every node, with Citus and the workers added
#   scripts/citus.sh stop DIR              stop the three nodes (the data stays in DIR)
#
# Citus is not among Debian's packages, so install builds the vendored source release against the machine's
# PostgreSQL. Every subcommand can run again: what exists is reused.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

CITUS_VERSION=13.2.2
CITUS_EXTENSION_VERSION=13.2-1 # default_version in the release's citus.control
NODES=(coordinator worker1 worker2)

die() { echo "citus.sh: $*" >&2; exit 1; }
say() { echo "citus.sh: $*" >&2; }

pg_major() { basename "$(dirname "$(pg_bin)")"; }
citus_so() { echo "/usr/lib/postgresql/$(pg_major)/lib/citus.so"; }
citus_control() { echo "/usr/share/postgresql/$(pg_major)/extension/citus.control"; }

# The vendor folder sits next to the main checkout (../shared/vendor); a worktree finds the main checkout through
# its .git file ("gitdir: MAIN/.git/worktrees/NAME"), which needs no git and no ownership check.
vendor_dir() {
  local candidates=("${CITUS_VENDOR_DIR:-}" "$REPO_ROOT/../shared/vendor") gitdir
  if [ -f "$REPO_ROOT/.git" ]; then
    gitdir="$(sed -n 's/^gitdir: //p' "$REPO_ROOT/.git")"
    [ -z "$gitdir" ] || candidates+=("${gitdir%/.git/*}/../shared/vendor")
  fi
  for d in "${candidates[@]}"; do
    if [ -n "$d" ] && [ -f "$d/citus-$CITUS_VERSION.tar.gz" ]; then (cd "$d" && pwd); return 0; fi
  done
  echo "citus.sh: citus-$CITUS_VERSION.tar.gz was not found in ../shared/vendor (set CITUS_VENDOR_DIR to its folder)" >&2
  return 1
}

# Installed means the library and the control file of this release's extension version are in place.
citus_installed() {
  [ -f "$(citus_so)" ] && grep -qx "default_version = '$CITUS_EXTENSION_VERSION'" "$(citus_control)" 2>/dev/null
}

pkg_version() { { dpkg-query -W -f='${db:Status-Abbrev} ${Version}' "$1" 2>/dev/null || true; } | awk '$1 == "ii" { print $2 }'; }

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  # Another apt run (a CI job) may hold the lock: wait for it up to 15 minutes instead of failing.
  local lock=(-o DPkg::Lock::Timeout=900) opts=(-y -qq -o DPkg::Lock::Timeout=900)
  apt-get install "${opts[@]}" "$@" >&2 || { apt-get update -qq "${lock[@]}" >&2 && apt-get install "${opts[@]}" "$@" >&2; }
}

# The headers must be those of the running server's minor release: a PostgreSQL 15.20 header declares functions
# that a 15.18 server does not export, and the library would then fail to load.
install_build_deps() {
  local major server dev missing=()
  major="$(pg_major)"
  server="$(pkg_version "postgresql-$major")"
  dev="$(pkg_version "postgresql-server-dev-$major")"
  # libkrb5-dev: the server headers include gssapi.h (libpq/libpq-be.h), which Debian's libpq-dev no longer pulls in.
  for p in libcurl4-openssl-dev liblz4-dev libzstd-dev libkrb5-dev build-essential; do
    [ -n "$(pkg_version "$p")" ] || missing+=("$p")
  done
  if [ -z "$dev" ] || { [ -n "$server" ] && [ "$dev" != "$server" ]; }; then
    missing+=("postgresql-server-dev-$major${server:+=$server}")
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]}"
  if ! apt_install --allow-downgrades "${missing[@]}"; then
    [ -n "$server" ] || return 1
    # This server release's headers are no longer in the archive: move the server and the headers to the same newer one.
    say "postgresql-server-dev-$major=$server is not available; upgrading postgresql-$major with its headers"
    missing=("${missing[@]/#postgresql-server-dev-$major=*/postgresql-server-dev-$major}")
    apt_install "postgresql-$major" "${missing[@]}"
  fi
}

cmd_install() {
  if citus_installed; then say "Citus $CITUS_VERSION is already installed ($(citus_so))"; return 0; fi
  [ "$(id -u)" = 0 ] || die "Citus is not installed; run 'sudo $0 install' (it writes into the system PostgreSQL directories)"
  exec 9>/tmp/petitions-citus-install.lock
  flock 9
  if citus_installed; then say "Citus $CITUS_VERSION was installed meanwhile"; return 0; fi

  install_build_deps
  local vendor bin pg_config build log start
  vendor="$(vendor_dir)" || exit 1
  bin="$(pg_bin)"
  pg_config="$bin/pg_config"
  [ -x "$pg_config" ] || die "$pg_config is missing after installing postgresql-server-dev-$(pg_major)"
  build="$(mktemp -d /tmp/citus-build.XXXXXX)"
  log="$build/build.log"
  trap "rm -rf '$build'" EXIT
  start=$SECONDS
  say "building Citus $CITUS_VERSION against $("$pg_config" --version) (a few minutes)"
  tar xzf "$vendor/citus-$CITUS_VERSION.tar.gz" -C "$build"
  cd "$build/citus-$CITUS_VERSION"
  # From 15.20, PostgreSQL exports have_createdb_privilege(), which Citus defines for 15 too; the vendored patch drops
  # Citus's copy. Older headers lack the declaration and need Citus's own.
  if grep -q 'have_createdb_privilege' "$("$pg_config" --includedir-server)/commands/dbcommands.h"; then
    for p in "$vendor"/citus-"$CITUS_VERSION"-pg*.patch; do
      [ -f "$p" ] || continue
      say "applying $(basename "$p")"
      patch -p1 <"$p" >>"$log"
    done
  fi
  { ./configure PG_CONFIG="$pg_config" && make -j"$(nproc)" && make install; } >>"$log" 2>&1 \
    || { cp "$log" /tmp/citus-build.log; grep -E 'error|Error' "$log" | tail -n 20 >&2; die "the build failed; its log is in /tmp/citus-build.log"; }
  citus_installed || die "make install finished but $(citus_so) or $(citus_control) is missing"
  say "installed Citus $CITUS_VERSION in $((SECONDS - start)) s"
}

# running_port DIR: the port the node in DIR listens on (line 4 of postmaster.pid); fails when it is not running.
running_port() {
  local dir="$1"
  as_pg "$(pg_bin)/pg_ctl" -D "$dir" status >/dev/null 2>&1 || return 1
  sed -n 4p "$dir/postmaster.pid"
}

psql_at() {
  local port="$1" db="$2"; shift 2
  "$(pg_bin)/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U petitions -d "$db" "$@"
}

# start_node DIR PORT: starts one node with Citus preloaded, creating it on first use as pg_start does.
start_node() {
  local dir="$1" port="$2" running
  if running="$(running_port "$dir")"; then
    [ "$running" = "$port" ] || die "$dir is running on port $running, not $port; stop it first"
  else
    pg_start "$dir" "$port"
  fi
  grep -q '^# scripts/citus.sh' "$dir/postgresql.conf" && return 0
  # Later lines win, so these override initdb's defaults. The statistics collector would call home over the internet;
  # nodes on loopback need no TLS between them.
  as_pg tee -a "$dir/postgresql.conf" >/dev/null <<'CONF'
# scripts/citus.sh
shared_preload_libraries = 'citus'
citus.enable_statistics_collection = off
citus.node_conninfo = 'sslmode=disable'
CONF
  pg_stop "$dir"
  pg_start "$dir" "$port"
}

# three_free_ports: a port P such that P, P+1 and P+2 are free on loopback.
three_free_ports() {
  python3 - <<'PY'
import socket
for _ in range(100):
    socks = [socket.socket()]
    socks[0].bind(("127.0.0.1", 0))
    base = socks[0].getsockname()[1]
    try:
        for p in (base + 1, base + 2):
            s = socket.socket(); socks.append(s); s.bind(("127.0.0.1", p))
        print(base); break
    except OSError:
        pass
    finally:
        for s in socks: s.close()
else:
    raise SystemExit("no three consecutive free ports found")
PY
}

cluster_dir() {
  [ -n "${1:-}" ] || die "usage: $0 start|stop|createdb DIR ..."
  mkdir -p "$1"
  (cd "$1" && pwd)
}

base_port_of() {
  local dir="$1"
  [ -f "$dir/base_port" ] || die "$dir holds no cluster started by $0"
  cat "$dir/base_port"
}

# createdb_all DIR NAME: the database on every node, with the extension, and the workers registered on the coordinator.
createdb_all() {
  local dir="$1" name="$2" base i port
  [[ "$name" =~ ^[a-z_][a-z0-9_]*$ ]] || die "database name '$name' must be lower-case letters, digits and _"
  base="$(base_port_of "$dir")"
  for i in 0 1 2; do
    port=$((base + i))
    pg_createdb "$port" "$name" >&2
    psql_at "$port" "$name" -c "SET client_min_messages = warning" -c "CREATE EXTENSION IF NOT EXISTS citus"
  done
  psql_at "$base" "$name" -tA >/dev/null <<SQL
SELECT citus_set_coordinator_host('127.0.0.1', $base);
SELECT citus_add_node('127.0.0.1', $((base + 1))) WHERE NOT EXISTS (SELECT 1 FROM pg_dist_node WHERE nodeport = $((base + 1)));
SELECT citus_add_node('127.0.0.1', $((base + 2))) WHERE NOT EXISTS (SELECT 1 FROM pg_dist_node WHERE nodeport = $((base + 2)));
SQL
  local workers
  workers="$(psql_at "$base" "$name" -tAc "SELECT count(*) FROM citus_get_active_worker_nodes()")"
  [ "$workers" = 2 ] || die "the coordinator of $name sees $workers active workers, not 2"
}

cmd_start() {
  local dir base i pids=() status=0
  dir="$(cluster_dir "${1:-}")"
  citus_installed || die "Citus is not installed; run '$0 install' first (as root)"
  if [ "$(id -u)" = 0 ]; then
    chmod 755 "$dir"
    runuser -u postgres -- test -x "$dir" || die "the postgres user cannot reach $dir; use a folder under /tmp"
  fi
  if [ -n "${2:-}" ]; then
    [[ "$2" =~ ^[0-9]+$ ]] && [ "$2" -ge 1024 ] && [ "$2" -le 65533 ] || die "BASE_PORT must be a number from 1024 to 65533"
    base="$2"
  elif [ -f "$dir/base_port" ]; then
    base="$(cat "$dir/base_port")"
  else
    base="$(three_free_ports)"
  fi
  for i in 0 1 2; do
    start_node "$dir/${NODES[$i]}" $((base + i)) &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || status=1; done
  [ "$status" = 0 ] || die "a node did not start; see $dir/*/server.log"
  echo "$base" >"$dir/base_port"
  createdb_all "$dir" petitions
  echo "Host=127.0.0.1;Port=$base;Database=petitions;Username=petitions"
}

cmd_createdb() {
  local dir
  dir="$(cluster_dir "${1:-}")"
  [ -n "${2:-}" ] || die "usage: $0 createdb DIR NAME"
  createdb_all "$dir" "$2"
  echo "Host=127.0.0.1;Port=$(base_port_of "$dir");Database=$2;Username=petitions"
}

cmd_stop() {
  local dir="${1:-}" pids=()
  [ -n "$dir" ] || die "usage: $0 stop DIR"
  [ -d "$dir" ] || return 0
  for node in "${NODES[@]}"; do
    pg_stop "$dir/$node" &
    pids+=($!)
  done
  wait "${pids[@]}"
}

case "${1:-}" in
  install) cmd_install ;;
  start) shift; cmd_start "$@" ;;
  createdb) shift; cmd_createdb "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  *) die "usage: $0 install | start DIR [BASE_PORT] | createdb DIR NAME | stop DIR" ;;
esac
