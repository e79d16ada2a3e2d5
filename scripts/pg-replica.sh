#!/usr/bin/env bash
# A streaming replica of a local cluster, for the read-only-replica test (issue 14):
#   pg-replica.sh start DATA_DIR PORT PRIMARY_PORT   copies the primary with pg_basebackup and starts it as a hot standby
#   pg-replica.sh stop DATA_DIR                      stops it and deletes its data
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bin="$(pg_bin)"
dir="$2"
case "$1" in
  start)
    port="$3" primary="$4"
    rm -rf "$dir"
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; fi
    chmod 700 "$dir"
    # -R writes standby.signal and primary_conninfo; the test cluster's pg_hba trusts replication from loopback.
    as_pg "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary" -U petitions -D "$dir" -R -X stream -c fast
    # A hot standby needs max_connections at least the primary's (500, see pg_start).
    as_pg "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=500 -c shared_buffers=32MB -c hot_standby=on" start >/dev/null \
      || { tail -n 20 "$dir/server.log" >&2; exit 1; }
    ;;
  stop)
    [ -f "$dir/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$dir" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start DATA_DIR PORT PRIMARY_PORT | stop DATA_DIR" >&2; exit 2 ;;
esac
