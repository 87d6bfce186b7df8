"""The benchmark: Gapmap's pages and API against Django's own floor, on 127.0.0.1 only.

See bench/README.md. In short: migrate and fill PostgreSQL (generate_demo, reused when
present), start gunicorn with the production settings, measure the floor (config/bench_floor)
and every URL with wrk at a fixed concurrency and duration, measure a signed-in claim/release
loop with a bounded Python client, compare paginated views with a ten-times-smaller data set,
read worker memory from /proc and the export's peak memory, and write bench/results/latest.md.
"""

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"
# Two sync workers per core: the machine has 2 cores shared with PostgreSQL and wrk.
WORKERS = 4
BROKER = "redis://127.0.0.1:6379/4"
LUA = ROOT / "bench" / "report.lua"
# The server's key, also given to prepare.py: a session is signed with it, and one signed with
# another key is "corrupted" to the server, which then serves the page anonymously.
SECRET_KEY = "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"
PAGINATED = ["/api/v1/topics/", "/api/v1/proposals/?stage=owner", "/api/v1/writeups/",
             "/proposals/", "/gaps/"]


def log(text):
    print(text, flush=True)


def manage(db_url, *args, env=None, capture=False):
    result = subprocess.run([PY, "manage.py", *args], cwd=ROOT, check=True, text=True,
                            env={**os.environ, "DATABASE_URL": db_url, **(env or {})},
                            capture_output=capture)
    return result.stdout if capture else ""


def create_database(db_url):
    name = db_url.rsplit("/", 1)[1]
    server = db_url.rsplit("/", 1)[0] + "/postgres"
    exists = subprocess.run(["psql", server, "-tAc",
                             f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
                            check=True, capture_output=True, text=True).stdout.strip()
    if not exists:
        subprocess.run(["psql", server, "-c", f'CREATE DATABASE "{name}"'], check=True)


def prepare(db_url, scale):
    """Migrate, load the demo data unless present, make the fortune table; returns the URLs
    and accounts the run needs (picked from the data)."""
    create_database(db_url)
    manage(db_url, "migrate", "--noinput", "-v0")
    # As generate_demo does after loading: set the visibility map and the planner statistics,
    # so a reused database is measured as a settled one, not fresh from a bulk load.
    subprocess.run(["psql", db_url, "-qc", "VACUUM ANALYZE"], check=True)
    script = ROOT / "bench" / "prepare.py"
    out = manage(db_url, "shell", "-c", script.read_text(), capture=True,
                 env={"BENCH_SCALE": scale, "SECRET_KEY": SECRET_KEY})
    facts = json.loads(out.strip().splitlines()[-1])
    if facts.get("generate"):
        log(f"loading the {scale} data set into {db_url} (generate_demo)")
        started = time.monotonic()
        manage(db_url, "generate_demo", "--scale", scale)
        facts = json.loads(manage(db_url, "shell", "-c", script.read_text(), capture=True,
                                  env={"BENCH_SCALE": scale, "SECRET_KEY": SECRET_KEY})
                           .strip().splitlines()[-1])
        facts["load_seconds"] = round(time.monotonic() - started, 1)
    return facts


class Server:
    """gunicorn with the production settings, on 127.0.0.1:port, for one database."""

    def __init__(self, db_url, port):
        self.port, self.env = port, {
            **os.environ, "DATABASE_URL": db_url, "DEBUG": "false",
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": HOST, "SECURE_SSL_REDIRECT": "false", "SECURE_HSTS_SECONDS": "0",
            "REDIS_URL": "redis://127.0.0.1:6379/3", "GAPMAP_BENCH_FLOOR": "1",
            "LOG_LEVEL": "WARNING", "EMAIL_URL": "dummymail://",
            # As in production, pages only queue their e-mail tasks; no worker runs them here
            # (the queue is emptied after the run).
            "CELERY_BROKER_URL": BROKER,
            # The write loops would otherwise meet the per-person limits in a second. Per
            # second, so each check reads a history as short as production's (60 an hour):
            # per hour, DRF's throttle would carry every request of the run in its history.
            "RATE_CLAIM": "1000000/second", "RATE_POST": "1000000/second",
            "DATABASE_POOL_MAX": "4",
        }
        self.process = None

    def __enter__(self):
        subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT,
                       env=self.env, check=True)
        self.process = subprocess.Popen(
            [GUNICORN, "config.wsgi", "--workers", str(WORKERS), "--bind",
             f"{HOST}:{self.port}", "--access-logfile", "-", "--log-level", "warning",
             "--access-logformat", "", "--timeout", "120"], cwd=ROOT, env=self.env,
            stdout=subprocess.DEVNULL)
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://{HOST}:{self.port}/bench/fortunes/", timeout=2)
                return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not start")

    def worker_rss_mb(self) -> list[float]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        sizes = []
        for pid in children.read_text().split():
            status = Path(f"/proc/{pid}/status").read_text()
            sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
        return sizes

    def drain(self):
        """Wait until requests queued by a slow URL are served (the floor answers quickly
        again), so they do not slow the next URL's measurement."""
        for _ in range(120):
            started = time.monotonic()
            warm(self.port, "/bench/fortunes/")
            if time.monotonic() - started < 0.05:
                return
            time.sleep(0.5)

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGQUIT)  # quick shutdown: slow requests may be queued
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        subprocess.run(["redis-cli", "-n", BROKER.rsplit("/", 1)[1], "flushdb"],
                       check=False, capture_output=True)


def session_cookie_name(env) -> str:
    """The session cookie's name under the server's own settings: production's
    `__Host-sessionid`. A cookie under any other name is ignored, and the "signed-in" pass
    would measure an anonymous render that merely skips the visitors' cache."""
    out = subprocess.run(
        [PY, "manage.py", "shell", "-c",
         "from django.conf import settings; print(settings.SESSION_COOKIE_NAME)"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1]


def signed_in(facts, path, cookie_name) -> dict[str, str]:
    """The headers of the signed-in reader: the session cookie for pages, the token for the
    API. Either keeps the request out of the visitors' page cache (registry.core.caching)."""
    if path.startswith("/api/"):
        return {"Authorization": f"Token {facts['reader_token']}"}
    return {"Cookie": f"{cookie_name}={facts['session']}"}


def check_signed_in(port, facts, cookie_name):
    """Stop unless the session really signs the reader in: /me/ answers 200 (not the
    redirect to log-in) with a link to the reader's own profile in the header."""
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    conn.request("GET", "/me/", headers=signed_in(facts, "/me/", cookie_name))
    response = conn.getresponse()
    body = response.read().decode()
    conn.close()
    if response.status != 200 or f"/people/{facts['reader']}/" not in body:
        raise RuntimeError(f"the bench session does not sign in (/me/ answered "
                           f"{response.status} with cookie {cookie_name})")


def warm(port, path, headers=None):
    """One request; a page that fails is reported by wrk's non-2xx count, not fatal here."""
    try:
        request = urllib.request.Request(f"http://{HOST}:{port}{path}", headers=headers or {})
        urllib.request.urlopen(request, timeout=120)
    except OSError as error:
        log(f"  {path}: {error}")


def wrk(port, path, *, seconds, connections, headers=None):
    """requests/s, p50/p95/p99 in ms and non-2xx count for one URL (report.lua prints them)."""
    header_args = [arg for name, value in (headers or {}).items()
                   for arg in ("-H", f"{name}: {value}")]
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(LUA),
         *header_args, f"http://{HOST}:{port}{path}"],
        check=True, capture_output=True, text=True).stdout
    data = json.loads(out[out.index("JSON ") + 5:].splitlines()[0])
    seconds_run = data["duration_us"] / 1e6
    return {"rps": data["requests"] / seconds_run, "p50": data["p50"] / 1000,
            "p95": data["p95"] / 1000, "p99": data["p99"] / 1000,
            "bad": data["non2xx"] + data["errors"]}


def post_loop(port, accounts, step, *, seconds):
    """Signed-in POSTs: one client per account, each repeating `step(post, account)` over its
    own keep-alive connection with the account's token for `seconds`. Loopback only. Every
    POST is one sample; one not answered 200, 201 or 204 counts as bad."""
    latencies, bad, lock = [], [0], threading.Lock()
    stop = time.monotonic() + seconds

    def client(account):
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        headers = {"Authorization": f"Token {account[0]}", "Content-Type": "application/json"}

        def post(path, body):
            nonlocal conn
            started = time.monotonic()
            try:
                conn.request("POST", path, body=json.dumps(body).encode(), headers=headers)
                response = conn.getresponse()
                status, payload = response.status, response.read()
            except OSError:  # a timeout counts as a failed request; reconnect and go on
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
                status, payload = 0, b""
            with lock:
                latencies.append(time.monotonic() - started)
                if status not in (200, 201, 204):
                    bad[0] += 1
            return status, payload

        while time.monotonic() < stop:
            step(post, account)

    threads = [threading.Thread(target=client, args=(account,)) for account in accounts]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] * 1000

    return {"rps": len(latencies) / elapsed, "p50": pct(50), "p95": pct(95), "p99": pct(99),
            "bad": bad[0]}


def claim_and_release(post, account):
    status, payload = post(f"/api/v1/topics/{account[1]}/claim/", {"plan": "Benchmark."})
    if status == 201:
        post(f"/api/v1/claims/{json.loads(payload)['id']}/release/", {})


def writeup_and_publish(post, account):
    status, payload = post("/api/v1/writeups/", {
        "topic": account[1], "title": "A benchmark note", "kind": "insight",
        "body": "Two paragraphs of *Markdown*.\n\nThe second one, with a [link](https://example.org)."})
    if status == 201:
        post(f"/api/v1/writeups/{json.loads(payload)['id']}/publish/", {})


def comment(post, account):
    post(f"/api/v1/writeups/{account[2]}/comments/",
         {"body": "Does this hold at a smaller lab as well?"})


def proposal_there_and_back(post, account):
    for stage in ("proposal", "analysis"):
        post(f"/api/v1/proposals/{account[3]}/advance/", {"to": stage})


WRITES = [
    ("POST claim + release (API, token)", claim_and_release),
    ("POST writeup + publish (API, token)", writeup_and_publish),
    ("POST comment (API, token)", comment),
    ("POST proposal move there and back (API, token)", proposal_there_and_back),
]


def export_peak_mb(db_url, rows):
    out = manage(db_url, "shell", "-c", (ROOT / "bench" / "export_memory.py").read_text(),
                 capture=True, env={"BENCH_EXPORT_ROWS": str(rows)})
    return json.loads(out.strip().splitlines()[-1])


args_seconds = [10]  # set by main(); the wrk run length, for the table's notes


def table(rows, floor_rps, *, ratio_target=0.5, p99_target=100):
    lines = ["| URL | requests/s | × floor | p50 ms | p99 ms | non-2xx/errors | targets met |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for name, r in rows:
        ratio = r["rps"] / floor_rps
        if r["rps"] == 0:
            lines.append(f"| `{name}` | 0 | 0 | — | — | — | no: no response within "
                         f"{args_seconds[0]} s |")
            continue
        misses = []
        if ratio < ratio_target:
            misses.append(f"×{ratio:.2f}")
        if r["p99"] >= p99_target:
            misses.append(f"p99 {r['p99']:.0f} ms")
        met = "floor" if name.startswith("floor") else (
            f"no ({', '.join(misses)})" if misses else "yes")
        lines.append(f"| `{name}` | {r['rps']:.1f} | {ratio:.2f} | {r['p50']:.1f} | "
                     f"{r['p99']:.1f} | {r['bad']} | {met} |")
    return "\n".join(lines)


def pages_for(facts) -> list[tuple[str, str, bool]]:
    """Every page and API read the people Gapmap serves use, on the data's largest items:
    (name, path, public). Public ones are measured for visitors too; every one signed in."""
    topic, proposal = f"/topics/{facts['topic']}/", f"/proposals/{facts['proposal']}/"
    return [
        ("/", "/", True), ("/gaps/", "/gaps/", True), ("/map/", "/map/", True),
        (f"cluster page ({facts['cluster_topics']} topics)", f"/clusters/{facts['cluster']}/",
         True),
        (f"topic page ({facts['topic_writeups']} writeups)", topic, True),
        (f"writeup page ({facts['writeup_comments']} comments)",
         f"/writeups/{facts['writeup']}/", True),
        (f"a person's page ({facts['person_writeups']} writeups)",
         f"/people/{facts['person']}/", True),
        ("/experts/", "/experts/", True),
        ("/proposals/ (board)", "/proposals/", True),
        (f"proposal page ({facts['proposal_events']} events)", proposal, True),
        ("/search/?q=verification", "/search/?q=verification", True),
        ("/me/", "/me/", False),
        ("/me/notifications/", "/me/notifications/", False),
        ("/api/v1/topics/", "/api/v1/topics/", True),
        ("/api/v1/proposals/?stage=owner", "/api/v1/proposals/?stage=owner", True),
        ("/api/v1/proposals/<id>/", f"/api/v1/proposals/{facts['proposal']}/", True),
        ("/api/v1/writeups/", "/api/v1/writeups/", True),
        ("/api/v1/writeups/<id>/comments/", f"/api/v1/writeups/{facts['writeup']}/comments/",
         True),
        ("/api/v1/search/?q=verification", "/api/v1/search/?q=verification", True),
        # A mid-frequency phrase (about one entry in ten matches a word of it).
        ("/api/v1/search/?q=export+controls", "/api/v1/search/?q=export+controls", True),
        ("/api/v1/notifications/", "/api/v1/notifications/", False),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gapmap_bench"))
    parser.add_argument("--small-database-url", default=None,
                        help="Where the ten-times-smaller set lives (default: <db>_medium).")
    parser.add_argument("--scale", default="large", choices=["small", "medium", "large"])
    parser.add_argument("--seconds", type=int, default=10, help="Per URL.")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=8089)
    parser.add_argument("--skip-small", action="store_true",
                        help="Skip the comparison with the ten-times-smaller data set.")
    args = parser.parse_args()
    args_seconds[0] = args.seconds
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    if not args.database_url.startswith("postgres"):
        sys.exit("The benchmark runs on PostgreSQL: set DATABASE_URL to a postgres:// URL.")
    started = time.monotonic()
    facts = prepare(args.database_url, args.scale)
    log(f"data: {facts['counts']}")
    pages = pages_for(facts)
    urls = [("floor: /bench/fortunes/", "/bench/fortunes/")] + [
        (name, path) for name, path, public in pages if public]
    results, uncached, writes, memory = [], [], [], {}
    with Server(args.database_url, args.port) as server:
        cookie = session_cookie_name(server.env)
        check_signed_in(args.port, facts, cookie)
        for _, path in urls:  # warm every worker's caches and check each URL answers 200
            for _ in range(WORKERS):
                warm(args.port, path)
        for name, path in urls:
            log(f"wrk {name} …")
            results.append((name, wrk(args.port, path, seconds=args.seconds,
                                      connections=args.connections)))
            log(f"  {results[-1][1]}")
            server.drain()
        for name, path, _ in pages:
            headers = signed_in(facts, path, cookie)
            for _ in range(WORKERS):
                warm(args.port, path, headers)
            log(f"wrk signed in: {name} …")
            uncached.append((name, wrk(args.port, path, seconds=args.seconds,
                                       connections=args.connections, headers=headers)))
            log(f"  {uncached[-1][1]}")
            server.drain()
        for name, step in WRITES:
            log(f"{name} …")
            writes.append((name, post_loop(args.port, facts["accounts"][:args.connections],
                                           step, seconds=args.seconds)))
            log(f"  {writes[-1][1]}")
            server.drain()
        log("floor again, to see drift …")
        results.append(("floor (again, at the end)", wrk(args.port, "/bench/fortunes/",
                                                         seconds=args.seconds,
                                                         connections=args.connections)))
        memory["worker_rss_mb"] = server.worker_rss_mb()
    floor_rps = statistics.mean(r["rps"] for name, r in results if name.startswith("floor"))
    growth = []
    if not args.skip_small:
        small_url = args.small_database_url or f"{args.database_url}_medium"
        small_facts = prepare(small_url, "medium")
        # Signed in on both sets: the cost of building the page, not of reading the cache.
        with Server(small_url, args.port + 1) as small:
            check_signed_in(small.port, small_facts, cookie)
            for path in PAGINATED:
                headers = signed_in(small_facts, path, cookie)
                for _ in range(WORKERS):
                    warm(small.port, path, headers)
                small_r = wrk(small.port, path, seconds=args.seconds,
                              connections=args.connections, headers=headers)
                small.drain()
                large_r = next(r for (name, r), (_, url, _) in zip(uncached, pages, strict=True)
                               if url == path)
                growth.append((path, large_r, small_r))
    export = export_peak_mb(args.database_url, 100_000)
    searches = [(name, r) for name, r in uncached if name.startswith("/api/v1/search/")]
    report = render_report(facts, results, uncached, writes, floor_rps, growth, memory, export,
                           searches, args, time.monotonic() - started)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.md").write_text(report)
    print(report)


def _ms(result) -> str:
    return f"{result['p50']:.1f}" if result["rps"] else "—"


def render_report(facts, results, uncached, writes, floor_rps, growth, memory, export, searches,
                  args, took):
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    lines = [
        f"# Gapmap benchmark, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}", "",
        f"Machine: {os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}. gunicorn {WORKERS} sync workers, wrk "
        f"{args.connections} connections × {args.seconds} s per URL, loopback only. "
        f"Data: {args.scale} ({facts['counts']}).",
        f"Floor: TechEmpower fortunes in Django (config/bench_floor.py), mean of the two "
        f"measurements = {floor_rps:.1f} requests/s.", "",
        "Targets: ≥ 0.5× the floor's requests/s and p99 < 100 ms at 16 connections.", "",
        "## Visitors (no cookie, no token: pages from the shared cache, registry.core.caching)", "",
        table(results, floor_rps), "",
        "## Signed in (session cookie for pages, token for the API: every request rendered)",
        "", table(uncached, floor_rps), "",
        f"## Writes ({args.connections} concurrent writers, each its own token; every POST is "
        "one sample)", "",
        "Targets: ≥ 0.25× the floor's requests/s and p99 < 150 ms.", "",
        table(writes, floor_rps, ratio_target=0.25, p99_target=150), "",
    ]
    if growth:
        lines += ["## Latency at the large set vs a ten-times-smaller set (paginated views, "
                  "signed in)", "",
                  "| URL | p50 large ms | p50 small ms | ratio (target ≤ 1.3) |",
                  "|---|---:|---:|---:|"]
        lines += [f"| `{path}` | {_ms(large)} | {_ms(small)} | "
                  + (f"{large['p50'] / small['p50']:.2f} |" if large["rps"] and small["rps"]
                     else "— (no response within the run) |") for path, large, small in growth]
        lines.append("")
    rss = memory["worker_rss_mb"]
    lines += [
        "## Other targets", "",
        *(f"- Search at {facts['counts'].get('writeups', '?')} writeups, `{name}`: p95 "
          f"{search['p95']:.1f} ms at {args.connections} connections, signed in (target < 50 ms)."
          for name, search in searches),
        f"- gunicorn worker RSS after the run: {', '.join(f'{mb:.0f}' for mb in rss)} MB "
        f"(max {max(rss):.0f} MB; target < 150 MB).",
        f"- Export of {export['rows']:,} writeup rows (CSV, streamed): peak RSS growth "
        f"{export['peak_growth_mb']:.1f} MB, peak RSS {export['peak_rss_mb']:.0f} MB, "
        f"{export['seconds']:.1f} s (target < 100 MB).",
        f"- Whole run: {took / 60:.1f} minutes"
        + (f"; loading the data set took {facts['load_seconds']} s." if facts.get(
            "load_seconds") else "; the data set was reused."), "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
