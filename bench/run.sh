#!/usr/bin/env bash
# The Petitions benchmark (issue 5). One command:
#   bash bench/run.sh            full run: 1M signatures, median of 3 runs per figure (about 10 minutes)
#   bash bench/run.sh --smoke    CI: small data, 1 run of 2 s per figure (well under 2 minutes)
# Options:
#   --runs N --duration S        runs per figure and seconds per run
#   --only 1,3,4                 only these figures (8, footprint, is always measured); 9: nginx cache, 10: two nodes
#   --source HEAD|REV            benchmark a commit (git archive) instead of the working tree
#   --env KEY=VALUE              extra app environment, e.g. --env DOTNET_gcServer=0; repeatable
#   --conn-extra 'K=V;K=V'       appended to the app's connection string, e.g. 'Maximum Pool Size=32'
#   --bg-rate N                  background signatures/s while the page is read (default 500)
#   --output FILE                JSON output (default bench/results/latest.json, or smoke.json with --smoke)
#   --published DIR              use an app already published to DIR instead of building (quick re-runs)
#   --keep                       keep the work directory (logs, database) after the run
#   --citus                      run on a Citus cluster (scripts/citus.sh: coordinator + 2 workers on this box),
#                                distributed by `Petitions.Web.dll distribute`; figures 1-4 unless --only says otherwise
# It builds the app in Release, starts its own PostgreSQL, SMTP sink, nginx (figures 9 and 10, from scripts/nginx-nodes.conf)
# and app on free ports, and stops them all on exit.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
# shellcheck source=../scripts/lib.sh
source "$REPO/scripts/lib.sh"

smoke=0 keep=0 citus=0 only_given=0 source_rev="" output="" published=""
pyargs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1; pyargs+=(--smoke) ;;
    --keep) keep=1 ;;
    --citus) citus=1 ;;
    --source) source_rev="$2"; shift ;;
    --output) output="$2"; shift ;;
    --published) published="$(cd "$2" && pwd)"; shift ;;
    --only) only_given=1; pyargs+=("$1" "$2"); shift ;;
    --runs|--duration|--env|--conn-extra|--bg-rate|--big|--spread|--emails|--confirm-range|--csv-path|--pdf-path|--login-path)
      pyargs+=("$1" "$2"); shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[ -n "$output" ] || output="$BENCH_DIR/results/$([ "$citus" = 1 ] && echo citus-)$([ "$smoke" = 1 ] && echo smoke || echo latest).json"
[ "$citus" = 0 ] || [ "$only_given" = 1 ] || pyargs+=(--only 1,2,3,4)
mkdir -p "$(dirname "$output")"

say() { echo "[bench $(date +%H:%M:%S)] $*"; }

# Tools: wrk and pgbench from Debian, the machine's PostgreSQL binaries first on PATH.
if ! command -v wrk >/dev/null 2>&1; then
  say "installing wrk"
  if [ "$(id -u)" = 0 ]; then apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
  else sudo apt-get install -y wrk >/dev/null; fi
fi
PGBIN="$(pg_bin)"
export PATH="$PGBIN:$PATH"
for tool in wrk pgbench psql dotnet python3; do
  command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 1; }
done

started=$SECONDS
WORK="$(mktemp -d /tmp/petitions-bench.XXXXXX)"
chmod 755 "$WORK"  # PostgreSQL runs as the postgres user when we are root and must reach its data directory
sink_pid=""
NGINX=/usr/sbin/nginx

cleanup() {
  local code=$?
  set +e
  for f in "$WORK/pids" "$WORK/app.pid"; do
    [ -f "$f" ] || continue
    while read -r pid; do
      [ -n "$pid" ] && kill "$pid" 2>/dev/null
    done <"$f"
  done
  [ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null && wait "$sink_pid" 2>/dev/null
  if [ -f "$WORK/nginx/nginx.pid" ]; then
    nginx_pid="$(cat "$WORK/nginx/nginx.pid")"
    kill -QUIT "$nginx_pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  if [ "$citus" = 1 ]; then bash "$REPO/scripts/citus.sh" stop "$WORK/citus"; else pg_stop "$WORK/pg"; fi
  if [ "$keep" = 1 ] || [ "$code" != 0 ]; then
    say "work directory kept: $WORK (app.log, sink.log, pg/server.log)"
  else
    rm -rf "$WORK"
  fi
  say "done in $((SECONDS - started)) s (exit $code)"
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Build. The working tree is published in place, like a deployment would; a --source run publishes a
# snapshot of that commit instead, so that it can be measured without touching src/.
label="worktree"
if [ -n "$published" ]; then
  label="published:$published"
  ln -s "$published" "$WORK/app"
elif [ -z "$source_rev" ]; then
  say "publishing src/Petitions.Web (Release)"
  dotnet publish "$REPO/src/Petitions.Web" -c Release -o "$WORK/app" -nologo -v q >"$WORK/publish.log" 2>&1 \
    || { tail -n 30 "$WORK/publish.log" >&2; exit 1; }
else
  mkdir -p "$WORK/src"
  label="$(git -C "$REPO" rev-parse --short "$source_rev")"
  git -C "$REPO" archive "$source_rev" src .editorconfig Directory.Build.props Directory.Packages.props global.json | tar -x -C "$WORK/src"
  say "publishing a snapshot of src/Petitions.Web ($label, Release)"
  dotnet publish "$WORK/src/src/Petitions.Web" -c Release -o "$WORK/app" -nologo -v q >"$WORK/publish.log" 2>&1 \
    || { tail -n 30 "$WORK/publish.log" >&2; exit 1; }
fi
say "published in $((SECONDS - started)) s"

smtp_port="$(free_port)"
app_port="$(free_port)"
if [ "$citus" = 1 ]; then
  bash "$REPO/scripts/citus.sh" install
  pg_port="$(bash "$REPO/scripts/citus.sh" start "$WORK/citus" | sed -n 's/.*;Port=\([0-9]*\);.*/\1/p')"
  say "started a Citus coordinator on $pg_port, workers on $((pg_port + 1)) and $((pg_port + 2))"
else
  pg_port="$(free_port)"
  say "starting PostgreSQL on $pg_port"
  pg_start "$WORK/pg" "$pg_port"
  pg_createdb "$pg_port" petitions
fi

say "starting the SMTP sink on $smtp_port"
python3 "$BENCH_DIR/smtp_sink.py" --port "$smtp_port" --ids "$WORK/sink-ids.txt" >"$WORK/sink.log" 2>&1 &
sink_pid=$!

say "applying migrations"
(cd "$WORK/app" && ASPNETCORE_ENVIRONMENT=Production \
  ConnectionStrings__Petitions="Host=127.0.0.1;Port=$pg_port;Database=petitions;Username=petitions" \
  Smtp__Host=127.0.0.1 Smtp__Port="$smtp_port" Email__From=bench@bench.example.org Site__BaseUrl="http://127.0.0.1:$app_port" \
  dotnet Petitions.Web.dll migrate >"$WORK/migrate.log" 2>&1) || { tail -n 20 "$WORK/migrate.log" >&2; exit 1; }
if [ "$citus" = 1 ]; then
  say "distributing the tables"
  (cd "$WORK/app" && ASPNETCORE_ENVIRONMENT=Production \
    ConnectionStrings__Petitions="Host=127.0.0.1;Port=$pg_port;Database=petitions;Username=petitions" \
    Smtp__Host=127.0.0.1 Smtp__Port="$smtp_port" Email__From=bench@bench.example.org Site__BaseUrl="http://127.0.0.1:$app_port" \
    dotnet Petitions.Web.dll distribute >"$WORK/distribute.log" 2>&1) || { tail -n 20 "$WORK/distribute.log" >&2; exit 1; }
fi

# nginx for figures 9 (the CDN stand-in: a caching proxy in front of the app) and 10 (round robin to a second node,
# which bench.py starts on $app2_port). Its own prefix, temp and cache directories; workers may run as nobody.
if [ -x "$NGINX" ]; then
  app2_port="$(free_port)" cache_port="$(free_port)" one_port="$(free_port)" two_port="$(free_port)" b_port="$(free_port)"
  mkdir -p "$WORK/nginx" && chmod 777 "$WORK/nginx"
  sed -e "s#@ROOT@#$WORK/nginx#g" -e "s/@NODE_A@/$app_port/g" -e "s/@NODE_B@/$app2_port/g" \
    -e "s/@CACHE_PORT@/$cache_port/g" -e "s/@A_PORT@/$one_port/g" -e "s/@BALANCED_PORT@/$two_port/g" \
    -e "s/@B_PORT@/$b_port/g" "$REPO/scripts/nginx-nodes.conf" >"$WORK/nginx/nginx.conf"
  say "starting nginx: cache on $cache_port, node A on $one_port, round robin on $two_port (node B: $app2_port)"
  "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" 2>"$WORK/nginx/start.log" \
    || { cat "$WORK/nginx/start.log" >&2; exit 1; }
  pyargs+=(--nginx-log "$WORK/nginx/access.log" --cache-port "$cache_port" --one-port "$one_port" --two-port "$two_port"
    --app2-port "$app2_port")
else
  say "no $NGINX: figures 9 and 10 are skipped (apt-get install nginx-light)"
fi

python3 "$BENCH_DIR/bench.py" --work "$WORK" --app-dir "$WORK/app" --app-port "$app_port" --pg-port "$pg_port" \
  --smtp-port "$smtp_port" --ids-file "$WORK/sink-ids.txt" --output "$output" --source-label "$label" "${pyargs[@]}"
