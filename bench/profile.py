"""Where a signed-in request's time goes: py-spy samples the gunicorn workers while wrk drives
one URL at a time (signed in, as bench/run.py's second pass), and each URL gets one line of
shares: SQL in PostgreSQL (waiting on psycopg), building SQL (Django's compiler), turning rows
into objects, templates, DRF serializers, Markdown, session and auth, the rest; plus the three
functions of Gapmap's own code that hold the most samples.

Needs the data set bench/run.py loaded (it reuses it) and py-spy (`pip install py-spy`; root or
ptrace rights). Run: .venv/bin/python bench/profile.py [--seconds 8] [--only /gaps/ ...]
"""

import argparse
import collections
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (bench/run.py: prepare, Server, the URL list, signed_in)

# First match from the innermost frame outwards names the sample's category.
CATEGORIES = [
    ("SQL in PostgreSQL", ("/psycopg/", "/psycopg_pool/")),
    ("building SQL", ("/django/db/models/sql/", "/django/db/models/expressions.py",
                      "/django/db/models/lookups.py", "/django/db/backends/")),
    ("rows to objects", ("/django/db/models/query.py", "/django/db/models/base.py",
                         "/django/db/models/fields/")),
    ("Markdown", ("/markdown_it/", "/nh3")),
    ("DRF serializers", ("/rest_framework/serializers.py", "/rest_framework/fields.py",
                         "/rest_framework/relations.py", "/rest_framework/renderers.py")),
    ("templates", ("/django/template/", "/templatetags/")),
    ("session and auth", ("/django/contrib/sessions/", "/django/contrib/auth/",
                          "/rest_framework/authentication.py", "/registry/tokens/")),
]
OWN_CODE = ("/registry/", "/proposals/", "/config/")


def categorise(frames: list[str]) -> str:
    for frame in reversed(frames):
        for name, marks in CATEGORIES:
            if any(mark in frame for mark in marks):
                return name
    return "the rest (middleware, URL routing, WSGI, Python)"


def summarise(raw: Path) -> tuple[int, dict[str, int], list[tuple[str, int]]]:
    total, shares, own = 0, collections.Counter(), collections.Counter()
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames, n = stack.split(";"), int(count)
        # Only samples inside a request (a worker handling one), not the arbiter or idling.
        if not any("handle_request" in frame for frame in frames):
            continue
        total += n
        shares[categorise(frames)] += n
        # The innermost frame of Gapmap's own code: the function that asked for the work.
        mine = next((frame for frame in reversed(frames)
                     if any(mark in frame for mark in OWN_CODE) and "/.venv/" not in frame
                     and "/core/middleware.py" not in frame
                     and "/core/cache_headers.py" not in frame), None)
        if mine:
            function, _, where = mine.partition(" (")
            own[f"{function} ({where.split('/work/main/')[-1].split(':')[0]})"] += n
    return total, shares, own.most_common(4)


def profile_load(server, seconds, load) -> str:
    """Sample the workers while `load()` runs for about `seconds`."""
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "stacks.txt"
        spy = subprocess.Popen(
            ["py-spy", "record", "--format", "raw", "--full-filenames", "-r", "250", "-s",
             "--nonblocking",
             "-d", str(seconds), "-o", str(raw), "--pid", str(server.process.pid)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        thread = threading.Thread(target=load)
        thread.start()
        thread.join()
        spy.wait()
        total, shares, own = summarise(raw)
    if not total:
        return "no samples"
    parts = ", ".join(f"{name} {100 * n / total:.0f}%" for name, n in shares.most_common())
    mine = "; ".join(f"{name} {100 * n / total:.0f}%" for name, n in own)
    return f"{parts}. Own code: {mine}"


def profile_url(server, path, headers, seconds, connections) -> str:
    return profile_load(server, seconds, lambda: run.wrk(
        server.port, path, seconds=seconds, connections=connections, headers=headers))


def profile_write(server, facts, step, seconds, connections) -> str:
    """As bench/run.py's write pass: one client per account, each repeating `step`."""
    return profile_load(server, seconds, lambda: run.post_loop(
        server.port, facts["accounts"][:connections], step, seconds=seconds))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gapmap_bench"))
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--port", type=int, default=8097)
    parser.add_argument("--only", nargs="*", help="Profile only these paths (as in the list).")
    args = parser.parse_args()
    if not shutil.which("py-spy"):
        sys.exit("py-spy is not installed (pip install py-spy)")
    facts = run.prepare(args.database_url, "large")
    pages = run.pages_for(facts)
    with run.Server(args.database_url, args.port) as server:
        cookie = run.session_cookie_name(server.env)
        run.check_signed_in(args.port, facts, cookie)
        for name, path, _ in pages:
            if args.only and path not in args.only and name not in args.only:
                continue
            headers = run.signed_in(facts, path, cookie)
            for _ in range(run.WORKERS):
                run.warm(args.port, path, headers)
            shares = profile_url(server, path, headers, args.seconds, args.connections)
            print(f"| `{name}` | {shares} |", flush=True)
            server.drain()
        for name, step in run.WRITES:
            if args.only and name not in args.only:
                continue
            shares = profile_write(server, facts, step, args.seconds, args.connections)
            print(f"| `{name}` | {shares} |", flush=True)
            server.drain()


if __name__ == "__main__":
    main()
