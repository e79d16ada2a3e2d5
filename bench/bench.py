#!/usr/bin/env python3
"""Runs the benchmark figures against a published Petitions.Web, its own PostgreSQL and the SMTP sink.

Started by bench/run.sh, which builds the app, starts PostgreSQL and the sink, and stops everything on exit.
Prints one table and writes it as JSON. Every figure is the median of --runs runs; baselines are taken in the same
run, interleaved with the app's runs, because this machine is shared and its speed drifts.
"""
import argparse
import datetime
import http.client
import json
import math
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import socket

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
LUA = os.path.join(BENCH_DIR, "lua")
SQL = os.path.join(BENCH_DIR, "sql")
# The admin the app creates from Admin__Email/Admin__Password on start (Infrastructure/AdminAccount.cs): confirmed, in
# the Admin role, so it may export any petition from the dashboard.
ADMIN_EMAIL = "bench-admin@bench.example.org"
ADMIN_PASSWORD = "Bench-admin-password-1"
# The recipient link of the delivery seed.sql records for bench-viral (22 base64url characters, like RecipientTokens).
RECIPIENT_TOKEN = "benchrecipienttoken000"
# The JSON API's answer for the 1M petition (figure 4's JSON row).
JSON_PATH = "/p/bench-viral.json"
PAGE_PATH = "/p/bench-viral"
# What browsers send; a CDN asks the origin for the same codings. wrk sends no Accept-Encoding unless told.
BROWSER_ACCEPT = "gzip, deflate, br"
FORM_TOKEN = re.compile(r'<input(?=[^>]*\bname="__RequestVerificationToken")[^>]*\bvalue="([^"]+)"')


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


class Bench:
    def __init__(self, args):
        self.args = args
        self.work = args.work
        self.smoke = args.smoke
        self.runs = args.runs or (1 if args.smoke else 3)
        self.duration = args.duration or (2 if args.smoke else 10)
        self.big = args.big or (20_000 if args.smoke else 1_000_000)
        self.spread = args.spread or (10 if args.smoke else 100)
        self.emails = args.emails or (300 if args.smoke else 2_000)
        self.email_deadline = 30 if args.smoke else 90
        self.connections = 64
        self.threads = 2
        # Tokens for the confirmation figure: one range per run for the app and one for pgbench, each big enough for
        # this machine flat out for the run's duration (checked: a run that wraps round is flagged).
        self.confirm_range = args.confirm_range or (20_000 if args.smoke else 120_000)
        self.pool = self.confirm_range * 2 * self.runs
        self.probes = 400
        self.pg = f"host=127.0.0.1 port={args.pg_port} user=petitions dbname=petitions"
        self.app_port = args.app_port
        self.base = f"http://127.0.0.1:{self.app_port}"
        self.app = None
        self.children = []
        self.run_id = 0
        self.rows = []
        self.failures = []
        self.first_id = None
        self.direct = {}
        self.node_b = None
        self.probe_state = {"next": 1, "confirmed": 0}

    # ---------- helpers ----------

    def psql(self, sql, timeout=600):
        out = subprocess.run(["psql", self.pg, "-v", "ON_ERROR_STOP=1", "-qtA", "-c", sql],
                             capture_output=True, text=True, timeout=timeout)
        if out.returncode != 0:
            raise RuntimeError(f"psql failed: {out.stderr.strip()}")
        return out.stdout.strip()

    def psql_file(self, path, variables, timeout=1200):
        cmd = ["psql", self.pg, "-v", "ON_ERROR_STOP=1", "-q", "-f", path]
        for k, v in variables.items():
            cmd += ["-v", f"{k}={v}"]
        subprocess.run(cmd, check=True, timeout=timeout, stdout=subprocess.DEVNULL)

    def track(self, proc):
        self.children.append(proc)
        with open(os.path.join(self.work, "pids"), "a") as f:
            f.write(f"{proc.pid}\n")
        return proc

    def http_get(self, path, timeout=10, headers=None, port=None):
        conn = http.client.HTTPConnection("127.0.0.1", port or self.app_port, timeout=timeout)
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def app_env(self):
        conn = f"Host=127.0.0.1;Port={self.args.pg_port};Database=petitions;Username=petitions"
        if self.args.conn_extra:
            conn += ";" + self.args.conn_extra
        env = dict(os.environ)
        env.update({
            "ASPNETCORE_ENVIRONMENT": "Production",
            "ASPNETCORE_URLS": self.base,
            "Database__MigrateOnStartup": "true",
            "ConnectionStrings__Petitions": conn,
            "Site__BaseUrl": self.base,
            "Email__From": "bench@bench.example.org",
            "Smtp__Host": "127.0.0.1",
            "Smtp__Port": str(self.args.smtp_port),
            "RateLimiting__SignPermitsPerMinute": "100000000",
            # wrk reads the JSON API from one address; its per-IP limit (300/min by default) would refuse nearly all.
            "RateLimiting__ApiPermitsPerMinute": "100000000",
            # The export figure signs in to the dashboard as this admin.
            "Admin__Email": ADMIN_EMAIL,
            "Admin__Password": ADMIN_PASSWORD,
        })
        for pair in self.args.env:
            key, _, value = pair.partition("=")
            env[key] = value
        return env

    def start_app(self):
        """Starts the app; returns seconds from process start to the first 200 from /health/ready."""
        self.app, seconds = self.start_node("app", self.app_port, self.app_env())
        with open(os.path.join(self.work, "app.pid"), "w") as f:
            f.write(str(self.app.pid))
        return seconds

    def start_node(self, name, port, env):
        log_file = open(os.path.join(self.work, name + ".log"), "ab")
        started = time.monotonic()
        proc = self.track(subprocess.Popen(
            ["dotnet", os.path.join(self.args.app_dir, "Petitions.Web.dll")], cwd=self.args.app_dir,
            env=env, stdout=log_file, stderr=subprocess.STDOUT))
        deadline = started + 120
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with {proc.returncode}; see {self.work}/{name}.log")
            try:
                status, _, _ = self.http_get("/health/ready", timeout=2, port=port)
                if status == 200:
                    return proc, time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.02)
        raise RuntimeError(f"{name} was not ready within 120 s")

    def stop_app(self):
        if self.app and self.app.poll() is None:
            self.app.send_signal(signal.SIGTERM)
            try:
                self.app.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.app.kill()
                self.app.wait()
        self.app = None

    def rss_mb(self, field="VmRSS"):
        with open(f"/proc/{self.app.pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def wrk(self, script, script_args, connections=None, threads=None, duration=None, env=None, background=False, base=None):
        self.run_id += 1
        cmd = ["wrk", f"-t{threads or self.threads}", f"-c{connections or self.connections}",
               f"-d{duration or self.duration}s", "--timeout", "10s", "-s", os.path.join(LUA, script), base or self.base, "--"]
        cmd += [f"{k}={v}" for k, v in script_args.items()]
        proc = self.track(subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                           env={**os.environ, **(env or {})}))
        if background:
            return proc
        return self.wrk_result(proc)

    def wrk_result(self, proc):
        out, _ = proc.communicate(timeout=(self.duration + 120))
        for line in out.splitlines():
            if line.startswith("BENCH_JSON "):
                result = json.loads(line[len("BENCH_JSON "):])
                result["seconds"] = result["duration_us"] / 1e6
                return result
        raise RuntimeError(f"wrk printed no result:\n{out}")

    def pgbench(self, script, variables, clients=None, duration=None):
        cmd = ["pgbench", "-h", "127.0.0.1", "-p", str(self.args.pg_port), "-U", "petitions", "-n",
               # pgbench counts the time to open its 64 connections in -T but not in tps, and on a loaded machine that
               # takes seconds; 8 s more keeps the measured part about as long as the app's.
               "-c", str(clients or self.connections), "-j", str(self.threads), "-T", str((duration or self.duration) + 8),
               "-M", "prepared", "-f", os.path.join(SQL, script)]
        for k, v in variables.items():
            cmd += ["-D", f"{k}={v}"]
        cmd.append("petitions")
        for attempt in range(2):
            proc = self.track(subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
            out, _ = proc.communicate(timeout=(duration or self.duration) + 120)
            if "actually processed: 0\n" not in out:
                break
            log("pgbench processed nothing (connections too slow to open?); retrying once")
        match = re.search(r"tps = ([\d.]+) \(without initial connection time\)", out)
        processed = re.search(r"actually processed: (\d+)", out)
        latency = re.search(r"latency average = ([\d.]+) ms", out)
        if proc.returncode != 0 or not match:
            raise RuntimeError(f"pgbench failed:\n{out}")
        return {"tps": float(match.group(1)), "latency_avg_ms": float(latency.group(1)) if latency else None,
                "transactions": int(processed.group(1)) if processed else None}

    def deferred_sample(self):
        """True when the app writes the email's model instead of its bodies (OutboxDeferredRendering on)."""
        return self.psql("SELECT model IS NOT NULL FROM bench_sample") == "t"

    def discard_outbox_backlog(self):
        """Marks unsent mail as sent, so one figure's email backlog does not load the next figure's runs."""
        self.psql("UPDATE outbox_messages SET sent_at = now(), html_body = NULL, text_body = NULL, last_error = 'bench: discarded' "
                  "WHERE sent_at IS NULL AND failed_at IS NULL")

    def add(self, figure, name, unit, values, baseline=None, target=None, met=None, ratio_target=None, note=None, extra=None):
        values = [v for v in values if v is not None]
        median = statistics.median(values) if values else None
        ratio = (median / baseline) if (median is not None and baseline) else None
        if met is None and ratio_target is not None and ratio is not None:
            met = ratio >= ratio_target
        row = {"figure": figure, "name": name, "unit": unit, "median": median, "runs": values, "baseline": baseline,
               "ratio": ratio, "target": target, "met": met, "note": note}
        if extra:
            row.update(extra)
        self.rows.append(row)
        return median

    # ---------- setup ----------

    def seed(self):
        log(f"seeding: {self.big:,} confirmed signatures on one petition, {self.spread} open petitions, "
            f"{self.pool:,} pending tokens")
        started = time.monotonic()
        self.psql_file(os.path.join(SQL, "seed.sql"),
                       {"big": self.big, "spread": self.spread, "pool": self.pool, "probes": self.probes,
                        "recipient_token": RECIPIENT_TOKEN})
        self.psql_file(os.path.join(SQL, "capture_sample.sql"), {})
        self.first_id = int(self.psql("SELECT id FROM petitions WHERE slug = 'bench-p-001'"))
        log(f"seeded in {time.monotonic() - started:.1f} s")

    def sign_args(self, target):
        if target == "viral":
            return {"run": self.run_id + 1, "slugs": "bench-viral", "count": 0, "conns": self.connections // self.threads,
                    "page": "/p/bench-viral"}
        return {"run": self.run_id + 1, "slugs": "bench-p-", "count": self.spread, "conns": self.connections // self.threads,
                "page": "/p/bench-viral"}

    def sign_once(self, slug, email):
        """One signature through the real form: GET the page, then POST it as a browser would (Origin and
        Sec-Fetch-Site; the antiforgery cookie and token too when the page carries them, as older commits do)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.app_port, timeout=60)
        try:
            conn.request("GET", f"/p/{slug}")
            response = conn.getresponse()
            body = response.read().decode("utf-8", "replace")
            af = re.search(r"petitions\.af=([^;]+)", response.getheader("Set-Cookie") or "")
            token = FORM_TOKEN.search(body)
            if response.status != 200:
                raise RuntimeError(f"GET /p/{slug} answered {response.status}; the sign form cannot be posted")
            fields = {"Form.FullName": "Bench Signer", "Form.Email": email, "Form.Country": "GB",
                      "Form.PostcodeOrCity": "London", "Form.ShowPublicly": "true"}
            headers = {"Content-Type": "application/x-www-form-urlencoded",
                       "Origin": f"http://127.0.0.1:{self.app_port}", "Sec-Fetch-Site": "same-origin"}
            if af and token:
                fields["__RequestVerificationToken"] = token.group(1)
                headers["Cookie"] = f"petitions.af={af.group(1)}"
            conn.request("POST", f"/p/{slug}/sign", body=urllib.parse.urlencode(fields), headers=headers)
            response = conn.getresponse()
            response.read()
            return response.status
        finally:
            conn.close()

    def warm_up(self):
        seconds = 3 if self.smoke else 5
        log("warming up: one request of each kind, then "
            f"{seconds} s each of signing and reading")
        for path in ("/health/live", "/p/bench-viral", "/p/bench-p-001", JSON_PATH):
            status, _, _ = self.http_get(path, timeout=60)
            if status != 200:
                raise RuntimeError(f"GET {path} answered {status}")
        status = self.sign_once("bench-p-001", "warmup@bench.example.org")
        if status != 302:
            raise RuntimeError(f"signing answered {status}, not 302")
        status, _, _ = self.http_get("/s/confirm/bf" + str(self.probes).zfill(41), timeout=60)
        if status != 200:
            raise RuntimeError(f"confirming answered {status}, not 200")
        # Ramp up: a cold app with 64 new database connections at once answers slowly at first.
        self.wrk("sign.lua", {**self.sign_args("spread"), "conns": 4}, connections=8, duration=seconds)
        result = self.wrk("sign.lua", self.sign_args("spread"), duration=seconds)
        log(f"warm-up signing: {result['statuses']}")
        if not self.psql("SELECT count(*) FROM bench_sample") == "1":
            raise RuntimeError("no outbox message was captured for the pgbench baseline")
        self.psql("DROP TRIGGER bench_capture_sample ON outbox_messages")
        self.wrk("get.lua", {"path": "/p/bench-viral"}, duration=seconds)
        self.wrk("get.lua", {"path": JSON_PATH}, duration=1)
        self.wrk("get.lua", {"path": "/health/live"}, duration=1)
        self.discard_outbox_backlog()

    # ---------- figures ----------

    def figure_footprint(self):
        """8: seconds from process start to the first 200 from /health/ready, and RSS when idle."""
        startups, idle = [], []
        for run in range(self.runs):
            seconds = self.start_app()
            time.sleep(5)
            rss = self.rss_mb()
            startups.append(seconds)
            idle.append(rss)
            log(f"footprint run {run + 1}: ready in {seconds:.2f} s, idle RSS {rss:.0f} MB")
            if run < self.runs - 1:
                self.stop_app()
        self.footprint = (startups, idle)

    def figure_signing(self):
        """1 and 2: accepted signatures/s spread over the petitions and at one petition, against pgbench."""
        spread, viral, baseline, p50, p99, viral_p99, errors = [], [], [], [], [], [], 0
        script = "pgbench_sign_deferred.sql" if self.deferred_sample() else "pgbench_sign.sql"
        row_bytes, wal_bytes = [], []
        for run in range(self.runs):
            self.discard_outbox_backlog()
            wal_from = self.psql("SELECT pg_current_wal_lsn()")
            pg = self.pgbench(script, {"spread": self.spread, "first_id": self.first_id})
            # The baseline writes the app's own outbox row, so its size and the WAL per signature are the app's too.
            wal = self.psql(f"SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '{wal_from}')::bigint")
            if pg["transactions"]:
                wal_bytes.append(int(wal) / pg["transactions"])
            row_bytes.append(int(self.psql("SELECT coalesce(round(avg(pg_column_size(o.*))), 0)::int FROM outbox_messages o "
                                           "WHERE due_at = 'infinity' AND sent_at IS NULL AND failed_at IS NULL")))
            self.psql("UPDATE outbox_messages SET failed_at = now(), last_error = 'bench: pgbench baseline' "
                      "WHERE due_at = 'infinity' AND sent_at IS NULL AND failed_at IS NULL")
            self.discard_outbox_backlog()
            app = self.wrk("sign.lua", self.sign_args("spread"))
            self.discard_outbox_backlog()
            hot = self.wrk("sign.lua", self.sign_args("viral"))
            rate = app.get("accepted", 0) / app["seconds"]
            hot_rate = hot.get("accepted", 0) / hot["seconds"]
            errors += sum(n for code, n in app["statuses"].items() if code not in ("200", "302"))
            errors += sum(n for code, n in hot["statuses"].items() if code not in ("200", "302"))
            errors += sum(app["errors"].values()) + sum(hot["errors"].values())
            baseline.append(pg["tps"])
            spread.append(rate)
            viral.append(hot_rate)
            p50.append(app["latency_us"]["p50"] / 1000)
            p99.append(app["latency_us"]["p99"] / 1000)
            viral_p99.append(hot["latency_us"]["p99"] / 1000)
            log(f"signing run {run + 1}: pgbench ({script}) {pg['tps']:.0f} tx/s, outbox row {row_bytes[-1]} B, "
                f"WAL {wal_bytes[-1] if wal_bytes else 0:.0f} B per signature; app spread {rate:.0f}/s "
                f"(p50 {p50[-1]:.0f} ms, p99 {p99[-1]:.0f} ms), app viral {hot_rate:.0f}/s (p99 {viral_p99[-1]:.0f} ms), "
                f"statuses {app['statuses']} / {hot['statuses']}")
        self.discard_outbox_backlog()
        base = statistics.median(baseline)
        spread_median = self.add("1", "Signing, spread over petitions", "sig/s", spread, baseline=base, ratio_target=0.8,
                                 target="≥ 0.8 × pgbench", note=f"baseline: pgbench, same SQL, {self.connections} clients; "
                                 f"{errors} failed requests; outbox row {statistics.median(row_bytes):.0f} B, "
                                 f"WAL {statistics.median(wal_bytes) if wal_bytes else 0:.0f} B per signature (pgbench's, the app's row)",
                                 extra={"baseline_runs": baseline, "outbox_row_bytes": row_bytes, "wal_bytes_per_signature": wal_bytes})
        self.add("1", "Signing p50 latency", "ms", p50, target="—")
        median_p99 = statistics.median(p99)
        self.add("1", "Signing p99 latency", "ms", p99, target="< 100 ms", met=median_p99 < 100)
        self.add("2", "Viral signing, one petition", "sig/s", viral, baseline=spread_median, ratio_target=0.9,
                 target="≥ 0.9 × spread", note="baseline: figure 1 (spread)")
        self.add("2", "Viral signing p99 latency", "ms", viral_p99, target="—")
        if not any(spread):
            self.failures.append("no signature was accepted")

    def figure_confirm(self):
        """3: confirmation links opened per second, against pgbench running the same UPDATE."""
        app_rates, base, p99, exhausted = [], [], [], 0
        per_thread = self.confirm_range // self.threads
        for run in range(self.runs):
            app_start = 1 + run * 2 * self.confirm_range
            pg_start = app_start + self.confirm_range
            self.psql(f"DROP SEQUENCE IF EXISTS bench_confirm_seq; CREATE SEQUENCE bench_confirm_seq START {pg_start}")
            pg = self.pgbench("pgbench_confirm.sql", {})
            used = int(self.psql("SELECT last_value FROM bench_confirm_seq")) - pg_start + 1
            if used > self.confirm_range:
                exhausted += 1
            result = self.wrk("confirm.lua", {"start": app_start, "per_thread": per_thread})
            exhausted += result.get("exhausted", 0)
            ok = result["statuses"].get("200", 0)
            rate = ok / result["seconds"]
            app_rates.append(rate)
            base.append(pg["tps"])
            p99.append(result["latency_us"]["p99"] / 1000)
            log(f"confirm run {run + 1}: pgbench {pg['tps']:.0f}/s, app {rate:.0f}/s (p99 {p99[-1]:.0f} ms), "
                f"statuses {result['statuses']}")
        note = "baseline: pgbench, same UPDATE"
        if exhausted:
            note += f"; WARNING: token range used up in {exhausted} run(s), raise --confirm-range"
        self.add("3", "Confirmations", "conf/s", app_rates, baseline=statistics.median(base), ratio_target=0.8,
                 target="≥ 0.8 × pgbench (assumed, as 1)", note=note, extra={"baseline_runs": base})
        self.add("3", "Confirmation p99 latency", "ms", p99, target="—")
        if not any(app_rates):
            self.failures.append("no confirmation succeeded")

    def background_signing(self):
        """A steady signing load for the reading figures: about --bg-rate signatures/s, paced per connection."""
        # Enough connections that the rate is not capped by their latency; sign.lua corrects the delay each second.
        conns = 32
        delay_ms = max(1, int(1000 * conns / self.args.bg_rate))
        args = self.sign_args("viral")
        args["conns"] = conns
        return self.wrk("sign.lua", args, connections=conns, threads=1, duration=self.duration + 2,
                        env={"BENCH_DELAY_MS": str(delay_ms), "BENCH_RATE": str(self.args.bg_rate)}, background=True)

    def read_under_load(self, path, accept=None, base=None, prober_port=None, probe_state=None):
        """One wrk run of GETs on `path` while the background signing load runs; returns (wrk result, bg rate, prober)."""
        self.discard_outbox_backlog()
        bg = self.background_signing()
        time.sleep(1)
        prober = None
        if probe_state is not None:
            prober = FreshnessProber(self, probe_state, stop_after=self.duration - 1, port=prober_port)
            prober.start()
        started = time.time()
        result = self.wrk("get.lua", {"path": path, "accept": accept or ""}, base=base)
        result["window"] = (started, time.time())
        if prober:
            prober.join()
        bg_result = self.wrk_result(bg)
        return result, bg_result.get("accepted", 0) / bg_result["seconds"], prober

    @staticmethod
    def ok_rate(result):
        return (result["requests"] - result["errors"]["status"]) / result["seconds"]

    def bg_note(self, bg_rates):
        rate = statistics.median(bg_rates)
        return f"background signing {rate:.0f}/s" + ("" if rate >= 0.9 * self.args.bg_rate else f", SHORT of the {self.args.bg_rate}/s asked")

    def figure_reads(self):
        """4 and 5: page and JSON reads of the 1M petition under signing load, against /health/live; and count freshness.

        Each read twice: as wrk sends it by default (no Accept-Encoding: the identity copy, 33 KB for the page) and with
        the Accept-Encoding browsers send (the compressed copy), each against /health/live with the same header."""
        codings = (("identity", None), ("browser", BROWSER_ACCEPT))
        rates = {(what, c): [] for what in ("page", "trivial", "json") for c, _ in codings}
        p99 = {key: [] for key in rates}
        freshness, bg_rates, probe_counts, api_errors = [], [], [], 0
        probe_state = self.probe_state
        for run in range(self.runs):
            for coding, accept in codings:
                reads, bg_rate, prober = self.read_under_load(
                    PAGE_PATH, accept, probe_state=probe_state if coding == "identity" else None)
                base, _, _ = self.read_under_load("/health/live", accept)
                json_reads, _, _ = self.read_under_load(JSON_PATH, accept)
                for what, result in (("page", reads), ("trivial", base), ("json", json_reads)):
                    rates[(what, coding)].append(self.ok_rate(result))
                    p99[(what, coding)].append(result["latency_us"]["p99"] / 1000)
                api_errors += json_reads["errors"]["status"]
                bg_rates.append(bg_rate)
                if prober:
                    if prober.lags:
                        freshness.append(max(prober.lags))
                    probe_counts.append(len(prober.lags))
                log(f"reads run {run + 1}, {coding}: page {rates[('page', coding)][-1]:.0f}/s "
                    f"(p99 {p99[('page', coding)][-1]:.0f} ms, {reads['errors']['status']} non-2xx), "
                    f"trivial {rates[('trivial', coding)][-1]:.0f}/s; JSON {rates[('json', coding)][-1]:.0f}/s "
                    f"(p99 {p99[('json', coding)][-1]:.0f} ms, {json_reads['errors']['status']} non-2xx); "
                    f"background signing {bg_rate:.0f}/s"
                    + (f"; freshness max {max(prober.lags) if prober.lags else float('nan'):.2f} s over {len(prober.lags)} probes"
                       if prober else "")
                    + (f"; prober errors: {prober.errors[:2]}" if prober and prober.errors else ""))
        _, headers, _ = self.http_get(PAGE_PATH)
        cache_control = headers.get("Cache-Control", "(none)")
        status, json_headers, body = self.http_get(JSON_PATH)
        json_ok = status == 200 and json_headers.get("Content-Type", "").startswith("application/json") \
            and b'"signaturesByCountry"' in body
        self.direct = {}
        for coding, accept in codings:
            trivial_median = statistics.median(rates[("trivial", coding)])
            label = "" if coding == "identity" else f", Accept-Encoding: {accept}"
            sent = ("wrk sends no Accept-Encoding: the identity copy" if coding == "identity"
                    else f"Accept-Encoding: {accept} (what browsers send): the compressed copy")
            page_median = self.add("4", f"Petition page reads (1M) under signing{label}", "req/s", rates[("page", coding)],
                                   baseline=trivial_median, target="≥ 5,000/s and ≥ 0.8 × trivial",
                                   note=f"{sent}; baseline: /health/live with the same header under the same load; "
                                        f"{self.bg_note(bg_rates)}; Cache-Control: {cache_control}",
                                   extra={"baseline_runs": rates[("trivial", coding)], "cache_control": cache_control,
                                          "accept_encoding": accept})
            self.rows[-1]["met"] = bool(page_median is not None and page_median >= 5000 and self.rows[-1]["ratio"] >= 0.8)
            self.add("4", f"Petition page p99 latency{label}", "ms", p99[("page", coding)], target="—")
            json_median = self.add("4", f"Petition JSON reads (1M) under signing{label}", "req/s", rates[("json", coding)],
                                   baseline=trivial_median, target="≥ 0.8 × trivial", ratio_target=0.8,
                                   note=f"GET {JSON_PATH}; {sent}; baseline: /health/live with the same header under the "
                                        f"same load; {api_errors} non-2xx in all JSON runs; "
                                        f"Cache-Control: {json_headers.get('Cache-Control', '(none)')}"
                                        + ("" if json_ok else f"; the answer was not the petition's JSON (status {status})"),
                                   extra={"baseline_runs": rates[("trivial", coding)], "accept_encoding": accept})
            self.add("4", f"Petition JSON p99 latency{label}", "ms", p99[("json", coding)], target="—")
            self.direct[coding] = {"page": page_median, "json": json_median}
        if not json_ok or not any(rates[("json", "identity")]):
            self.failures.append(f"GET {JSON_PATH} did not answer the petition's JSON")
        if freshness:
            worst = statistics.median(freshness)
            self.add("5", "Count freshness (worst lag per run)", "s", freshness, target="≤ 2 s", met=worst <= 2,
                     note=f"{sum(probe_counts)} confirmations on the 1M petition, each polled on the page until shown")
        else:
            self.add("5", "Count freshness", "s", [], target="≤ 2 s", met=False, note="no probe completed")
        if not any(rates[("page", "identity")]):
            self.failures.append("no page read succeeded")

    def figure_export(self):
        """6: the organizer's CSV export and the recipient's CSV and PDF lists of the 1M petition: time, RSS growth.

        Each is downloaded in full --runs times while the app's RSS is sampled every 50 ms. The dashboard export needs
        a login: a redirect to it signs in as the configured admin. The recipient's lists use the link of the delivery
        seed.sql records. A path answering 404 is "not available"; a download unfinished after --export-timeout seconds
        is stopped, reported with the RSS growth reached by then, and not repeated.
        """
        viral = "(SELECT id FROM petitions WHERE slug = 'bench-viral')"
        all_confirmed = f"SELECT count(*) FROM signatures WHERE petition_id = {viral} AND state = 'Confirmed'"
        delivered = (f"SELECT count(*) FROM signatures WHERE petition_id = {viral} AND state = 'Confirmed' AND confirmed_at <= "
                     f"(SELECT max(delivered_at) FROM deliveries WHERE petition_id = {viral})")
        exports = (
            ("CSV", self.args.csv_path, "≤ 5 s", all_confirmed),
            ("recipient CSV", self.args.recipient_csv_path, "≤ 5 s", delivered),
            ("PDF", self.args.pdf_path, "—", delivered),
        )
        timeout = self.args.export_timeout or (120 if self.smoke else 600)
        cookie = None
        for kind, path, target, expected_sql in exports:
            name = f"Export {kind}, 1M signatures"
            times, growth, sizes, note, stopped = [], [], [], None, None
            try:
                expected = int(self.psql(expected_sql))
                for run in range(self.runs):
                    result = self.download(path, cookie, timeout)
                    if result["status"] in (301, 302, 303, 401, 403) and cookie is None:
                        cookie, problem = self.login()
                        if cookie is None:
                            note = f"{path} needs a login, and signing in as the admin failed: {problem}"
                            break
                        result = self.download(path, cookie, timeout)
                    if result["timed_out"]:
                        stopped = result
                        log(f"export {kind} run {run + 1}: stopped after {timeout} s "
                            f"({result['size'] / 1e6:.1f} MB received), RSS +{result['rss_growth']:.0f} MB")
                        break
                    if result["status"] == 404:
                        note = f"not available: {path} answers 404"
                        break
                    if result["status"] != 200:
                        note = f"{path} answers {result['status']}"
                        break
                    problem = self.check_export(kind, result, expected)
                    if problem:
                        note = f"{path}: {problem}"
                        break
                    times.append(result["seconds"])
                    growth.append(result["rss_growth"])
                    sizes.append(result["size"])
                    log(f"export {kind} run {run + 1}: {result['size'] / 1e6:.1f} MB in {result['seconds']:.2f} s, "
                        f"RSS +{result['rss_growth']:.0f} MB")
            except OSError as e:
                note = f"{path}: {e}"
            seconds_met = (lambda m: m <= 5) if target.startswith("≤ 5") else (lambda m: None)
            if times:
                self.add("6", name, "s", times, target=target, met=seconds_met(statistics.median(times)),
                         note=f"{path}: {expected:,} signatures, {statistics.median(sizes) / 1e6:.1f} MB"
                              + (f"; run {len(times) + 1} not finished within {timeout} s, stopped" if stopped else ""))
                self.add("6", f"Export {kind} RSS growth", "MB", growth, target="≤ 100 MB",
                         met=statistics.median(growth) <= 100)
            elif stopped:
                self.add("6", name, "s", [], target=target, met=False if seconds_met(0) is not None else None,
                         note=f"{path}: not finished within {timeout} s, stopped ({expected:,} signatures; "
                              f"{stopped['size'] / 1e6:.1f} MB received)", extra={"timed_out": True, "timeout_s": timeout})
                self.add("6", f"Export {kind} RSS growth", "MB", [stopped["rss_growth"]], target="≤ 100 MB",
                         met=False if stopped["rss_growth"] > 100 else None,
                         note=f"at least: RSS growth when the download was stopped after {timeout} s",
                         extra={"timed_out": True})
            else:
                self.add("6", name, "s", [], target=target, note=note or "not available")
            if stopped:
                self.wait_app_idle()

    def check_export(self, kind, result, expected):
        """Why a download that answered 200 is not a complete list, or None."""
        if kind == "PDF":
            if not result["head"].startswith(b"%PDF-") or b"%%EOF" not in result["tail"]:
                return f"not a complete PDF ({result['size']:,} bytes)"
            return None
        rows = result["lines"] - 1  # the header; no seeded field holds a line break
        if rows != expected:
            return f"{rows:,} rows, expected {expected:,} (the stream broke off?)"
        return None

    def wait_app_idle(self, limit=120):
        """After a stopped download: waits (at most `limit` s) until the app uses under a fifth of a core, so work it
        may still be doing for the abandoned request does not load the next figure."""
        def cpu():
            with open(f"/proc/{self.app.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

        deadline = time.monotonic() + limit
        last = cpu()
        while time.monotonic() < deadline:
            time.sleep(1)
            now = cpu()
            if now - last < 0.2:
                return
            last = now
        log(f"the app was still busy {limit} s after the stopped download")

    def login(self):
        """Signs in through the login form as the admin the app creates from Admin__Email/Admin__Password.

        Returns (Cookie header, None), or (None, why not).
        """
        conn = http.client.HTTPConnection("127.0.0.1", self.app_port, timeout=30)
        try:
            conn.request("GET", self.args.login_path)
            response = conn.getresponse()
            body = response.read().decode("utf-8", "replace")
            if response.status != 200:
                return None, f"GET {self.args.login_path} answered {response.status}"
            af = re.search(r"petitions\.af=([^;]+)", response.getheader("Set-Cookie") or "")
            token = FORM_TOKEN.search(body)
            if not af or not token:
                return None, f"GET {self.args.login_path} has no antiforgery cookie or form token"
            form = urllib.parse.urlencode({"Email": ADMIN_EMAIL, "Password": ADMIN_PASSWORD, "RememberMe": "false",
                                           "ReturnUrl": "", "__RequestVerificationToken": token.group(1)})
            conn.request("POST", self.args.login_path, body=form, headers={
                "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"petitions.af={af.group(1)}"})
            response = conn.getresponse()
            body = response.read().decode("utf-8", "replace")
            cookies = [c.split(";")[0] for k, c in response.getheaders() if k.lower() == "set-cookie"]
            if response.status not in (302, 303) or not any(c.startswith("petitions.auth") for c in cookies):
                error = re.search(r'class="error-message">(?:<span[^>]*>[^<]*</span>)?\s*([^<]+)', body)
                return None, (f"POST {self.args.login_path} answered {response.status} without a session cookie"
                              + (f" ({error.group(1).strip()})" if error else ""))
            return "; ".join(cookies + [f"petitions.af={af.group(1)}"]), None
        except OSError as e:
            return None, f"{self.args.login_path}: {e}"
        finally:
            conn.close()

    def download(self, path, cookie, timeout):
        """GETs path to the end, sampling the app's RSS every 50 ms; stops after `timeout` seconds."""
        before = self.rss_mb()
        peak = [before]
        done = threading.Event()

        def sample():
            while not done.is_set():
                peak[0] = max(peak[0], self.rss_mb())
                time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.monotonic()
        result = {"status": None, "size": 0, "lines": 0, "head": b"", "tail": b"", "timed_out": False}
        conn = http.client.HTTPConnection("127.0.0.1", self.app_port, timeout=timeout)
        try:
            conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            response = conn.getresponse()
            result["status"] = response.status
            while chunk := response.read(1 << 16):
                if not result["head"]:
                    result["head"] = chunk[:16]
                result["size"] += len(chunk)
                result["lines"] += chunk.count(b"\n")
                result["tail"] = (result["tail"] + chunk)[-1024:]
                if time.monotonic() - started > timeout:
                    result["timed_out"] = True
                    break
        except TimeoutError:
            result["timed_out"] = True
        finally:
            conn.close()
            done.set()
            sampler.join()
        result["seconds"] = time.monotonic() - started
        result["rss_growth"] = peak[0] - before
        return result

    def figure_email(self):
        """7: outbox rows inserted by SQL, delivered through MailKit to the sink; each Message-Id exactly once."""
        rates, lost, duplicated, late = self.email_runs(self.runs, [self.args.ids_file], "e")
        median = self.add("7", "Email delivered via MailKit", "msg/s", rates, target="≥ 500/s, none lost or duplicated",
                          note=f"{self.emails} messages per run; lost {lost}, duplicated {duplicated}"
                               + (f", {late} still unsent after {self.email_deadline} s" if late else ""))
        self.rows[-1]["met"] = bool(median and median >= 500 and lost == 0 and duplicated == 0)
        if lost or duplicated or not any(rates):
            self.failures.append(f"email: {lost} lost, {duplicated} duplicated")

    def email_runs(self, runs, ids_files, tag):
        """Inserts self.emails outbox rows per run and waits until they are sent; each sent row's Message-Id must be in
        the sinks' lists (`ids_files`, one per sink) exactly once. Returns (rates, lost, duplicated, late)."""
        rates, lost, duplicated, late = [], 0, 0, 0
        self.per_sink = [0] * len(ids_files)
        for run in range(runs):
            self.discard_outbox_backlog()
            time.sleep(1.5)  # let a batch in flight finish, so the worker starts from an empty queue
            prefix = f"bench-{tag}{run + 1}-{int(time.time())}-"
            # The rows the app writes: bodies, or (since deferred rendering) the model, which the worker renders as it sends.
            columns, values = (("model_json, language", "model, language") if self.deferred_sample()
                               else ("html_body, text_body", "html, text"))
            bounds = self.psql(
                f"WITH ins AS (INSERT INTO outbox_messages (message_id, kind, to_address, to_name, subject, {columns}, "
                "created_at, due_at, attempts) "
                f"SELECT '{prefix}' || i || '@bench.example.org', 'confirm-signature', 'reader' || i || '@bench.example.org', "
                f"'Bench Reader', subject, {values}, now(), now(), 0 FROM bench_sample, generate_series(1, {self.emails}) i "
                "RETURNING id) SELECT min(id) || ' ' || max(id) || ' ' || extract(epoch FROM clock_timestamp()) FROM ins")
            low, high, inserted_at = bounds.split()
            deadline = time.monotonic() + self.email_deadline
            while time.monotonic() < deadline:
                state = self.psql(
                    "SELECT count(*) FILTER (WHERE sent_at IS NOT NULL) || ' ' || count(*) FILTER (WHERE failed_at IS NOT NULL) "
                    f"|| ' ' || coalesce(extract(epoch FROM max(sent_at)), 0) FROM outbox_messages WHERE id BETWEEN {low} AND {high}")
                sent, failed, last = state.split()
                if int(sent) + int(failed) >= self.emails:
                    break
                time.sleep(0.2)
            sent, failed = int(sent), int(failed)
            seconds = float(last) - float(inserted_at)
            # Every row marked sent must have reached the sink exactly once (a row still unsent at the deadline is
            # late, not lost: it is reported as such and the rate counts only what was sent in time).
            sent_ids = set(self.psql(f"SELECT message_id FROM outbox_messages WHERE id BETWEEN {low} AND {high} "
                                     "AND sent_at IS NOT NULL").split())
            received = {}
            for i, ids_file in enumerate(ids_files):
                if not os.path.exists(ids_file):
                    continue
                with open(ids_file, encoding="ascii", errors="replace") as f:
                    for line in f:
                        if line.startswith(prefix):
                            received[line.strip()] = received.get(line.strip(), 0) + 1
                            self.per_sink[i] += 1
            run_lost = len(sent_ids - set(received))
            run_dup = sum(n - 1 for n in received.values() if n > 1)
            lost += run_lost
            duplicated += run_dup
            late += self.emails - sent - failed
            rate = sent / seconds if sent and seconds > 0 else None
            rates.append(rate)
            log(f"email run {run + 1} ({tag}): {sent}/{self.emails} sent, {failed} failed, in {seconds:.2f} s "
                f"= {rate or 0:.0f}/s; sinks received {len(received)} distinct ({self.per_sink}), {run_lost} lost, "
                f"{run_dup} duplicates")
        return rates, lost, duplicated, late

    # ---------- through nginx (9) and on two nodes (10) ----------

    def nginx_fetches(self, path, window):
        """From nginx's access log: the reads of `path` on the caching port within `window`, how many of them reached
        the app (an upstream address is logged: a miss, an expired copy's background update, a bypass), and the
        distinct Accept-Encoding values (each is its own cached copy, by the app's Vary: Accept-Encoding)."""
        reads, fetched, codings = 0, 0, set()
        start, end = window
        with open(self.args.nginx_log, encoding="utf-8", errors="replace") as f:
            for line in f:
                parts = line.rstrip("\n").split(" ", 7)
                if len(parts) < 8 or parts[1] != str(self.args.cache_port) or parts[4] != path:
                    continue
                if not start <= float(parts[0]) <= end + 0.5:
                    continue
                reads += 1
                codings.add(parts[7])
                if parts[6] != "-":
                    fetched += 1
        return reads, fetched, codings

    def figure_cdn(self):
        """9: the 1M page and its JSON through nginx as a caching reverse proxy (the CDN stand-in, bench/nginx.conf),
        under figure 4's background signing; how many reads reached the app; count freshness polled through nginx."""
        if not self.args.cache_port:
            self.add("9", "Page (1M) through nginx cache", "req/s", [], target="≥ 5,000/s", note="nginx is not installed")
            return
        cache = f"http://127.0.0.1:{self.args.cache_port}"
        _, headers, _ = self.http_get(PAGE_PATH)
        smaxage = int(re.search(r"s-maxage=(\d+)", headers.get("Cache-Control", "s-maxage=1")).group(1))
        rates = {"page": [], "json": []}
        p99 = {"page": [], "json": []}
        fetched_runs, allowed_runs, reads_total, fetched_total, bg_rates, freshness, probes = [], [], 0, 0, [], [], 0
        errors = 0
        probe_state = self.probe_state  # continues figure 5's probes: each token confirms once
        windows = []
        for run in range(self.runs):
            run_windows = []
            for what, path in (("page", PAGE_PATH), ("json", JSON_PATH)):
                result, bg_rate, prober = self.read_under_load(
                    path, BROWSER_ACCEPT, base=cache, prober_port=self.args.cache_port,
                    probe_state=probe_state if what == "page" else None)
                rates[what].append(self.ok_rate(result))
                p99[what].append(result["latency_us"]["p99"] / 1000)
                errors += result["errors"]["status"] + sum(v for k, v in result["errors"].items() if k != "status")
                bg_rates.append(bg_rate)
                run_windows.append((path, result["window"]))
                if prober:
                    if prober.lags:
                        freshness.append(max(prober.lags))
                    probes += len(prober.lags)
                log(f"nginx run {run + 1}, {what}: {rates[what][-1]:.0f}/s (p99 {p99[what][-1]:.0f} ms, statuses "
                    f"{result['statuses']}), background signing {bg_rate:.0f}/s"
                    + (f"; freshness max {max(prober.lags) if prober.lags else float('nan'):.2f} s over "
                       f"{len(prober.lags)} probes" if prober else "")
                    + (f"; prober errors: {prober.errors[:2]}" if prober and prober.errors else ""))
            windows.append(run_windows)
        time.sleep(1.5)  # nginx flushes its access log buffer every second
        details = []
        for run_windows in windows:
            run_fetched, run_allowed = 0, 0
            for path, window in run_windows:
                reads, fetched, codings = self.nginx_fetches(path, window)
                seconds = window[1] - window[0]
                allowed = len(codings) * (math.ceil(seconds / smaxage) + 1)
                run_fetched += fetched
                run_allowed += allowed
                reads_total += reads
                details.append(f"{path} {fetched} of {reads:,} ({len(codings)} codings, ≤ {allowed})")
            fetched_runs.append(run_fetched)
            allowed_runs.append(run_allowed)
            fetched_total += run_fetched
        # A signed-in visitor's request must go past the cache.
        status, headers, _ = self.http_get(PAGE_PATH, port=self.args.cache_port, headers={"Cookie": "petitions.auth=bench"})
        bypass = headers.get("X-Cache-Status", "(none)")
        direct = self.direct.get("browser", {})
        for what, name in (("page", "Page (1M) through nginx cache, under signing"),
                           ("json", "JSON (1M) through nginx cache, under signing")):
            median = self.add("9", name, "req/s", rates[what], baseline=direct.get(what), target="≥ 5,000/s",
                              note=(f"GET {PAGE_PATH if what == 'page' else JSON_PATH} on nginx's caching port, "
                                    f"Accept-Encoding: {BROWSER_ACCEPT}; baseline: figure 4's direct read with the same "
                                    f"header (when run); {self.bg_note(bg_rates)} (straight to the app)"
                                    + (f"; {errors} failed reads" if errors else "")))
            self.rows[-1]["met"] = bool(median and median >= 5000)
            median_p99 = self.add("9", name.split(",")[0] + " p99 latency", "ms", p99[what], target="< 50 ms")
            self.rows[-1]["met"] = bool(median_p99 is not None and median_p99 < 50)
        self.add("9", "Reads that reached the app (page and JSON)", "req", fetched_runs,
                 baseline=statistics.median(allowed_runs), target="≤ 1 per s-maxage per page and coding",
                 met=all(f <= a for f, a in zip(fetched_runs, allowed_runs)),
                 note=f"{fetched_total} of {reads_total:,} reads through nginx reached the app (nginx's access log, "
                      f"$upstream_addr); allowed per run: codings × (run seconds / s-maxage {smaxage} s + 1); "
                      + "; ".join(details) + f"; a request with a petitions.auth cookie: X-Cache-Status {bypass}",
                 extra={"allowed_runs": allowed_runs, "s_maxage": smaxage})
        if bypass != "BYPASS":
            self.failures.append(f"nginx: a request with the petitions.auth cookie was {bypass}, not BYPASS")
        if freshness:
            worst = statistics.median(freshness)
            self.add("9", "Count freshness through nginx (worst lag per run)", "s", freshness, target="≤ 2 s",
                     met=worst <= 2, note=f"{probes} confirmations on the app, each polled through nginx until shown "
                                          f"(counting interval + the app's 1 s copy + s-maxage {smaxage} s)")
        else:
            self.add("9", "Count freshness through nginx", "s", [], target="≤ 2 s", met=False, note="no probe completed")
        if not any(rates["page"]):
            self.failures.append("no page read through nginx succeeded")

    def start_node_b(self):
        """A second app process on the same database, with its own SMTP sink so each node's sending can be told apart."""
        sink_port = free_port()
        self.ids_b = os.path.join(self.work, "sink-ids-b.txt")
        self.track(subprocess.Popen([sys.executable, os.path.join(BENCH_DIR, "smtp_sink.py"), "--port", str(sink_port),
                                     "--ids", self.ids_b],
                                    stdout=open(os.path.join(self.work, "sink-b.log"), "ab"), stderr=subprocess.STDOUT))
        env = self.app_env()
        env["ASPNETCORE_URLS"] = f"http://127.0.0.1:{self.args.app2_port}"
        env["Smtp__Port"] = str(sink_port)
        self.node_b, seconds = self.start_node("app-b", self.args.app2_port, env)
        log(f"node B ready in {seconds:.2f} s on {self.args.app2_port}")

    def stop_node_b(self):
        if self.node_b and self.node_b.poll() is None:
            self.node_b.send_signal(signal.SIGTERM)
            try:
                self.node_b.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.node_b.kill()
                self.node_b.wait()
        self.node_b = None

    def figure_nodes(self):
        """10: signing (figure 1's load) and page reads through nginx round robin, one node against two on the same box
        and database; then figure 7's email with both nodes' outbox workers sending."""
        if not self.args.two_port:
            self.add("10", "Signing through nginx, 2 nodes", "sig/s", [], target="≥ 1 node", note="nginx is not installed")
            return
        duration = min(self.duration, 5)
        bases = {1: f"http://127.0.0.1:{self.args.one_port}", 2: f"http://127.0.0.1:{self.args.two_port}"}
        # The email baseline, node A alone, in the same run: before node B's outbox workers exist.
        email_runs = 1 if self.smoke else min(self.runs, 2)
        one_rates, one_lost, one_dup, _ = self.email_runs(email_runs, [self.args.ids_file], "o")
        self.start_node_b()
        try:
            # Node B's first requests (its connection pool, JIT) are not part of the figure.
            self.wrk("sign.lua", {**self.sign_args("spread"), "conns": 4}, connections=8, duration=2, base=bases[2])
            self.wrk("get.lua", {"path": PAGE_PATH, "accept": BROWSER_ACCEPT}, duration=2, base=bases[2])
            sign = {1: [], 2: []}
            sign_p99 = {1: [], 2: []}
            reads = {1: [], 2: []}
            reads_p99 = {1: [], 2: []}
            accepted_total, stored_total, failed = 0, 0, 0
            for run in range(self.runs):
                for nodes in (1, 2):
                    self.discard_outbox_backlog()
                    result = self.wrk("sign.lua", self.sign_args("spread"), duration=duration, base=bases[nodes])
                    stored = int(self.psql(f"SELECT count(*) FROM signatures WHERE normalized_email LIKE 'r{self.run_id}t%'"))
                    accepted = result.get("accepted", 0)
                    accepted_total += accepted
                    stored_total += stored
                    failed += sum(n for code, n in result["statuses"].items() if code not in ("200", "302"))
                    sign[nodes].append(accepted / result["seconds"])
                    sign_p99[nodes].append(result["latency_us"]["p99"] / 1000)
                    log(f"nodes run {run + 1}: signing through nginx, {nodes} node(s): {sign[nodes][-1]:.0f}/s "
                        f"(p99 {sign_p99[nodes][-1]:.0f} ms), {accepted} accepted, {stored} stored, {result['statuses']}")
                self.discard_outbox_backlog()
                for nodes in (1, 2):
                    result = self.wrk("get.lua", {"path": PAGE_PATH, "accept": BROWSER_ACCEPT}, duration=duration, base=bases[nodes])
                    reads[nodes].append(self.ok_rate(result))
                    reads_p99[nodes].append(result["latency_us"]["p99"] / 1000)
                    failed += result["errors"]["status"]
                    log(f"nodes run {run + 1}: page reads through nginx, {nodes} node(s): {reads[nodes][-1]:.0f}/s "
                        f"(p99 {reads_p99[nodes][-1]:.0f} ms)")
            short = f"{self.runs} run(s) x {duration} s, alternating 1 and 2 nodes"
            one = self.add("10", "Signing through nginx, 1 node", "sig/s", sign[1], target="—",
                           note=f"figure 1's load (spread) on nginx's pass-through port to node A (node B idle); {short}")
            self.add("10", "Signing through nginx, 2 nodes", "sig/s", sign[2], baseline=one, target="nothing lost",
                     met=stored_total >= accepted_total and failed == 0,
                     note=f"round robin to nodes A and B; {accepted_total:,} signatures accepted (302) in all runs, "
                          f"{stored_total:,} stored (the excess: POSTs in flight when wrk stopped); {failed} failed "
                          f"requests; p99 {statistics.median(sign_p99[1]):.0f} ms with 1 node, "
                          f"{statistics.median(sign_p99[2]):.0f} ms with 2")
            one = self.add("10", "Page (1M) reads through nginx, 1 node", "req/s", reads[1], target="—",
                           note=f"no proxy cache: the app's own copy, Accept-Encoding: {BROWSER_ACCEPT}; no background "
                                f"load; p99 {statistics.median(reads_p99[1]):.0f} ms")
            self.add("10", "Page (1M) reads through nginx, 2 nodes", "req/s", reads[2], baseline=one, target="—",
                     note=f"p99 {statistics.median(reads_p99[2]):.0f} ms")
            rates, lost, duplicated, late = self.email_runs(email_runs, [self.args.ids_file, self.ids_b], "n")
            one = self.add("10", "Email, one node sending", "msg/s", one_rates, target="—",
                           note=f"figure 7's email, node A alone, before node B starts; {email_runs} run(s); "
                                f"lost {one_lost}, duplicated {one_dup}")
            median = self.add("10", "Email, two nodes sending", "msg/s", rates, baseline=one,
                              target="≥ 1,000/s, none lost or duplicated",
                              note=f"{self.emails} messages per run, {email_runs} run(s); node A sent {self.per_sink[0]:,}, "
                                   f"node B {self.per_sink[1]:,} (a sink each); lost {lost}, duplicated {duplicated}"
                                   + (f", {late} still unsent after {self.email_deadline} s" if late else ""))
            self.rows[-1]["met"] = bool(median and median >= 1000 and lost == 0 and duplicated == 0)
            if lost or duplicated or one_lost or one_dup or not any(rates):
                self.failures.append(f"email on two nodes: {lost} lost, {duplicated} duplicated; "
                                     f"on one: {one_lost} lost, {one_dup} duplicated")
            if stored_total < accepted_total:
                self.failures.append(f"two nodes: {accepted_total - stored_total} accepted signatures not stored")
        finally:
            self.stop_node_b()

    def record_footprint(self):
        startups, idle = self.footprint
        self.add("8", "Start to first 200 on /health/ready", "s", startups, target="—",
                 note="includes migrations check (Database__MigrateOnStartup=true)")
        self.add("8", "Idle RSS after start", "MB", idle, target="—")

    # ---------- output ----------

    def machine(self):
        model = ""
        try:
            with open("/proc/cpuinfo") as f:
                model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
        except OSError:
            pass
        os_name = ""
        try:
            with open("/etc/os-release") as f:
                os_name = next((line.split("=", 1)[1].strip().strip('"') for line in f if line.startswith("PRETTY_NAME")), "")
        except OSError:
            pass
        with open("/proc/meminfo") as f:
            mem = int(f.readline().split()[1]) // 1024
        return {"cores": os.cpu_count(), "cpu": model, "os": os_name, "memory_mb": mem, "kernel": platform.release()}

    def table(self):
        def fmt(v, unit=""):
            if v is None:
                return "—"
            if isinstance(v, float):
                return f"{v:,.2f}" if abs(v) < 10 else f"{v:,.0f}"
            return str(v)

        header = ("Figure", "Measure", "Median", "Baseline", "Ratio", "Target", "Met")
        lines = []
        for r in self.rows:
            median = "n/a" if r["median"] is None else f"{fmt(r['median'])} {r['unit']}"
            met = "—" if r["met"] is None else ("yes" if r["met"] else "NO")
            lines.append((r["figure"], r["name"], median, fmt(r["baseline"]), fmt(r["ratio"]) if r["ratio"] is not None else "—",
                          r["target"] or "—", met))
        widths = [max(len(str(x)) for x in col) for col in zip(header, *lines)]
        out = ["| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |",
               "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
        out += ["| " + " | ".join(str(c).ljust(w) for c, w in zip(line, widths)) + " |" for line in lines]
        notes = [f"- {r['figure']} {r['name']}: {r['note']}" for r in self.rows if r.get("note")]
        return "\n".join(out), "\n".join(notes)

    def run(self):
        started = time.monotonic()
        load_before = os.getloadavg()
        self.seed()
        only = set(self.args.only.split(",")) if self.args.only else None
        want = lambda n: only is None or n in only
        self.figure_footprint()
        self.warm_up()
        if want("1") or want("2"):
            self.figure_signing()
        if want("3"):
            self.figure_confirm()
        if want("4") or want("5"):
            self.figure_reads()
        if want("9"):
            self.figure_cdn()
        if want("6"):
            self.figure_export()
        if want("7"):
            self.figure_email()
        if want("10"):
            self.figure_nodes()
        if want("8"):
            self.record_footprint()
        self.stop_node_b()
        self.stop_app()
        table, notes = self.table()
        result = {
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "mode": "smoke" if self.smoke else "full",
            "source": self.args.source_label,
            "runs": self.runs, "seconds_per_run": self.duration, "connections": self.connections, "threads": self.threads,
            "data": {"viral_signatures": self.big, "open_petitions": self.spread, "emails_per_run": self.emails},
            "machine": self.machine(), "load_average_before": load_before, "load_average_after": os.getloadavg(),
            "app_env": self.args.env, "conn_extra": self.args.conn_extra,
            "elapsed_seconds": round(time.monotonic() - started, 1),
            "rows": self.rows, "failures": self.failures,
        }
        with open(self.args.output, "w") as f:
            json.dump(result, f, indent=2)
        print()
        print(f"Petitions benchmark, {result['mode']}, {result['date']}, {result['machine']['cores']} cores "
              f"({result['machine']['cpu']}), {result['machine']['os']}; load average before "
              f"{load_before[0]:.1f}, after {result['load_average_after'][0]:.1f}; median of {self.runs} run(s) x {self.duration} s")
        print(table)
        print(notes)
        print(f"Written to {self.args.output}")
        if self.failures:
            print("FAILED: " + "; ".join(self.failures))
            return 1
        return 0


class FreshnessProber(threading.Thread):
    """Confirms probe signatures on the 1M petition one at a time and polls its page until the count shows each.

    Only probes confirm on that petition during the reading figure, so after probe k the page must show big + k.
    """

    COUNT = re.compile(rb"now has ([\d,]+) supporter")

    def __init__(self, bench, state, stop_after, port=None):
        super().__init__(daemon=True)
        self.bench, self.state, self.stop_after, self.port = bench, state, stop_after, port
        self.lags, self.errors = [], []

    def run(self):
        deadline = time.monotonic() + self.stop_after
        while time.monotonic() < deadline and self.state["next"] < self.bench.probes:
            token = "bf" + str(self.state["next"]).zfill(41)
            self.state["next"] += 1
            try:
                status, _, _ = self.bench.http_get(f"/s/confirm/{token}")
                confirmed_at = time.monotonic()
                if status != 200:
                    self.errors.append(f"confirm {status}")
                    continue
                self.state["confirmed"] += 1
                expected = self.bench.big + 1 + self.state["confirmed"]  # +1: the warm-up's confirmation
                while True:
                    # Polled through nginx when `port` is its caching port; confirmed on the app itself.
                    _, _, body = self.bench.http_get(PAGE_PATH, port=self.port)
                    match = self.COUNT.search(body)
                    if match and int(match.group(1).replace(b",", b"")) >= expected:
                        self.lags.append(time.monotonic() - confirmed_at)
                        break
                    if time.monotonic() - confirmed_at > 30:
                        self.lags.append(30.0)
                        self.errors.append("count not shown within 30 s")
                        break
                    time.sleep(0.05)
            except OSError as e:
                self.errors.append(str(e))
            time.sleep(0.3)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", required=True)
    parser.add_argument("--app-dir", required=True)
    parser.add_argument("--app-port", type=int, required=True)
    parser.add_argument("--pg-port", type=int, required=True)
    parser.add_argument("--smtp-port", type=int, required=True)
    parser.add_argument("--ids-file", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--source-label", default="")
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--runs", type=int)
    parser.add_argument("--duration", type=int)
    parser.add_argument("--big", type=int)
    parser.add_argument("--spread", type=int)
    parser.add_argument("--emails", type=int)
    parser.add_argument("--confirm-range", type=int)
    parser.add_argument("--bg-rate", type=int, default=500, help="background signatures/s during the reading figures")
    parser.add_argument("--only", help="comma-separated figures, e.g. 1,4")
    parser.add_argument("--env", action="append", default=[], help="extra app environment KEY=VALUE (repeatable)")
    parser.add_argument("--conn-extra", default="", help="appended to the app's connection string")
    parser.add_argument("--csv-path", default="/dashboard/p/bench-viral/export.csv")
    parser.add_argument("--recipient-csv-path", default=f"/d/{RECIPIENT_TOKEN}/signatures.csv",
                        help="the recipient's CSV list (the seeded delivery's link)")
    parser.add_argument("--pdf-path", default=f"/d/{RECIPIENT_TOKEN}/signatures.pdf",
                        help="the recipient's PDF list (the seeded delivery's link)")
    parser.add_argument("--export-timeout", type=int,
                        help="seconds before an export download is stopped (default 120, or 600 for a full run)")
    parser.add_argument("--login-path", default="/account/login")
    parser.add_argument("--nginx-log", help="nginx's access log (figures 9 and 10; run.sh starts nginx)")
    parser.add_argument("--cache-port", type=int, help="nginx's caching port, in front of the app (figure 9)")
    parser.add_argument("--one-port", type=int, help="nginx's pass-through port to the app (figure 10, 1 node)")
    parser.add_argument("--two-port", type=int, help="nginx's round-robin port to the app and node B (figure 10)")
    parser.add_argument("--app2-port", type=int, help="node B's port (figure 10)")
    args = parser.parse_args()
    bench = Bench(args)
    try:
        return bench.run()
    finally:
        bench.stop_node_b()
        bench.stop_app()
        for proc in bench.children:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


if __name__ == "__main__":
    sys.exit(main())
