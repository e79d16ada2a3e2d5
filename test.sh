#!/usr/bin/env bash
# Runs every test against a throwaway PostgreSQL and a real SMTP server (maildev), then removes them.
#
#   ./test.sh [dotnet test arguments]   the whole suite (or a --filter) on plain PostgreSQL
#   ./test.sh --citus [arguments]       the integration tests of signing, confirming, counting, the outbox, the
#                                       exports, deliveries, notices, the trending job and privacy (retention, erasure,
#                                       protected mode, receipts) against a throwaway Citus cluster (a coordinator and two workers,
#                                       scripts/citus.sh), each test database distributed as `Petitions.Web.dll
#                                       distribute` does it; a --filter of your own replaces that selection
set -euo pipefail
source "$(dirname "$0")/scripts/lib.sh"
cd "$REPO_ROOT"

citus=false
if [ "${1:-}" = "--citus" ]; then
  citus=true
  shift
fi

bash scripts/ensure-deps.sh

work="$(mktemp -d /tmp/petitions-test.XXXXXX)"
chmod 755 "$work"
maildev_pid=""
cleanup() {
  [ -z "$maildev_pid" ] || kill "$maildev_pid" 2>/dev/null || true
  if $citus; then bash scripts/citus.sh stop "$work/citus"; else pg_stop "$work/pg"; fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

if $citus; then
  # Builds Citus the first time (as root); does nothing when it is installed.
  bash scripts/citus.sh install
  pg_port="$(bash scripts/citus.sh start "$work/citus" | sed -n 's/.*;Port=\([0-9]*\);.*/\1/p')"
  export PETITIONS_TEST_CITUS_WORKERS="$((pg_port + 1)),$((pg_port + 2))"
else
  pg_port="$(free_port)"
  pg_start "$work/pg" "$pg_port"
fi
smtp_port="$(free_port)"
web_port="$(free_port)"
maildev_pid="$(maildev_start "$smtp_port" "$web_port" "$work/maildev.log")"

export PETITIONS_TEST_PG="Host=127.0.0.1;Port=$pg_port;Username=petitions;Database=postgres"
export PETITIONS_TEST_SMTP_PORT="$smtp_port"
export PETITIONS_TEST_MAILDEV_URL="http://127.0.0.1:$web_port"

status=0
if $citus; then
  args=("$@")
  if [[ " $* " != *" --filter "* ]]; then
    t=Petitions.Tests
    args+=(--filter "FullyQualifiedName~$t.Signing.SignAndConfirmTests|FullyQualifiedName~$t.Signing.ConfirmLinkTests|FullyQualifiedName~$t.Signing.DuplicateSigningTests|FullyQualifiedName~$t.Signing.ResubmissionTests|FullyQualifiedName~$t.Counting.|FullyQualifiedName~$t.Email.OutboxTests|FullyQualifiedName~$t.Dashboard.ExportTests|FullyQualifiedName~$t.Deliveries.|FullyQualifiedName~$t.Notifications.|FullyQualifiedName~Trending|FullyQualifiedName~$t.Privacy.")
  fi
  dotnet build tests/Petitions.Tests -c Release -warnaserror --nologo -clp:ErrorsOnly
  dotnet test tests/Petitions.Tests -c Release --no-build --nologo --logger "trx;LogFilePrefix=results" --results-directory "$work/results" "${args[@]}" || status=$?
else
  dotnet build Petitions.sln -c Release -warnaserror --nologo -clp:ErrorsOnly
  dotnet test Petitions.sln -c Release --no-build --nologo --logger "trx;LogFilePrefix=results" --results-directory "$work/results" "$@" || status=$?
fi

# One plain summary line over every test project.
python3 - "$work/results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
passed = failed = skipped = 0
for f in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(f).getroot().find(".//{*}Counters")
    passed += int(c.get("passed", 0)); failed += int(c.get("failed", 0)) + int(c.get("error", 0))
    # The trx format has no skipped counter: a skipped test is counted in total but not in executed.
    skipped += int(c.get("total", 0)) - int(c.get("executed", 0))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit "$status"
