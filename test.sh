#!/usr/bin/env bash
# Runs every test against a throwaway PostgreSQL and a real SMTP server (maildev), then removes them.
set -euo pipefail
source "$(dirname "$0")/scripts/lib.sh"
cd "$REPO_ROOT"

bash scripts/ensure-deps.sh

work="$(mktemp -d /tmp/petitions-test.XXXXXX)"
chmod 755 "$work"
maildev_pid=""
cleanup() {
  [ -z "$maildev_pid" ] || kill "$maildev_pid" 2>/dev/null || true
  pg_stop "$work/pg"
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

pg_port="$(free_port)"
pg_start "$work/pg" "$pg_port"
smtp_port="$(free_port)"
web_port="$(free_port)"
maildev_pid="$(maildev_start "$smtp_port" "$web_port" "$work/maildev.log")"

export PETITIONS_TEST_PG="Host=127.0.0.1;Port=$pg_port;Username=petitions;Database=postgres"
export PETITIONS_TEST_SMTP_PORT="$smtp_port"
export PETITIONS_TEST_MAILDEV_URL="http://127.0.0.1:$web_port"

dotnet build Petitions.sln -c Release -warnaserror --nologo -clp:ErrorsOnly
status=0
dotnet test Petitions.sln -c Release --no-build --nologo --logger "trx;LogFilePrefix=results" --results-directory "$work/results" "$@" || status=$?

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
