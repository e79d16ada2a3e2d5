#!/usr/bin/env bash
# Runs the site at http://localhost:5000 with its own PostgreSQL (data kept in .data/) and the maildev mail catcher
# (every email the site sends: http://localhost:1080). Set ConnectionStrings__Petitions or Smtp__Host to use your own.
set -euo pipefail
source "$(dirname "$0")/scripts/lib.sh"
cd "$REPO_ROOT"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -z "${started_pg:-}" ] || pg_stop "$REPO_ROOT/.data/pg"
}
trap cleanup EXIT INT TERM

if [ -z "${ConnectionStrings__Petitions:-}" ]; then
  port="${PETITIONS_PG_PORT:-5433}"
  echo "Starting PostgreSQL on port $port (data in .data/pg)"
  pg_start "$REPO_ROOT/.data/pg" "$port"
  started_pg=1
  pg_createdb "$port" petitions
  export ConnectionStrings__Petitions="Host=127.0.0.1;Port=$port;Database=petitions;Username=petitions"
fi

if [ -z "${Smtp__Host:-}" ]; then
  echo "Starting maildev: SMTP on 1025, every email the site sends at http://localhost:1080"
  mkdir -p "$REPO_ROOT/.data"
  pids+=("$(maildev_start 1025 1080 "$REPO_ROOT/.data/maildev.log")")
  export Smtp__Host=127.0.0.1 Smtp__Port=1025
fi

export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://localhost:5000}"
echo "Building and starting the site at $ASPNETCORE_URLS"
dotnet run --project src/Petitions.Web -c Release &
pids+=("$!")
wait "${pids[-1]}"
