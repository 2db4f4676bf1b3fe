"""`make bench-scale`: the atlas with its data and N times its data, side by side, on PostgreSQL.

    .venv/bin/python bench/scale.py [--factor 10] [--seconds 3] [--runs 5]

Writes a bundle N times larger to var/bench-scale/ (never committed): every yearly row gets
monthly siblings ("2017" → "2017-01" … "2017-10" at N = 10; never "-12", which stands for the
year), as a release with monthly provisional counts would. Each bundle is loaded into a fresh
database (BENCH_DATABASE_URL, default drugatlas_scale_bench on the local server), then each
operation is measured under gunicorn:

- uncached: one worker whose cache keeps nothing (every request does the whole work), median
  of --runs requests; the worker's peak memory (VmHWM) after them, next to its memory idle;
- cached: two workers with a warm cache, median latency and wrk's requests/s.

Prints 1× and N× side by side and writes them under "scale" in bench/results.json.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PY, ROOT, free_port, save, server, table, wrk  # noqa: E402

sys.path.insert(0, str(ROOT))
from drugatlas.pipeline import bundle as bundle_files  # noqa: E402

BUNDLE = ROOT / "drugatlas" / "bundle"
WORK = ROOT / "var" / "bench-scale"
DEFAULT_DB = "postgres://root@127.0.0.1:5432/drugatlas_scale_bench"
TX_COUNTIES = "/api/v1/observations?measure=drug_arrests&jurisdiction={fips}"

# The operations of issue 17's table (the 254 county codes are filled in from the bundle).
OPERATIONS = {
    "state page /states/tx/": "/states/tx/",
    "counties page /states/tx/counties/": "/states/tx/counties/",
    "API, all 254 TX counties": TX_COUNTIES,
    "CSV of a whole measure (drug_arrests)": "/api/v1/observations?measure=drug_arrests&format=csv",
    "map page (overdose rate)": "/?layer=overdose",
    "one-state API": "/api/v1/states/tx",
    "laws API (possession)": "/api/v1/laws?topic=possession",
}


# --- The N× bundle --------------------------------------------------------------------------

def siblings_per_row(factor: int, yearly: int, monthly: int) -> int:
    """Monthly siblings per yearly row for about factor × the rows (at most 11: "-12" is the
    year's own period)."""
    return max(0, min(11, round((factor * (yearly + monthly) - monthly) / yearly) - 1))


def make_bundle(factor: int) -> Path:
    if factor == 1:
        return BUNDLE
    version = json.loads((BUNDLE / "datapackage.json").read_text())["version"]
    target = WORK / f"bundle-{factor}x"
    stamp = target / ".made-from"
    if stamp.exists() and stamp.read_text() == version:
        return target
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(BUNDLE, target, ignore=shutil.ignore_patterns("observations.csv"))
    with (BUNDLE / "observations.csv").open(newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        header = next(rows)
        period_at = header.index("period")
        yearly = monthly = 0
        for row in rows:
            if len(row[period_at]) == 4:
                yearly += 1
            else:
                monthly += 1
    k = siblings_per_row(factor, yearly, monthly)
    print(f"writing a {factor}× bundle: {k} monthly siblings for each of {yearly:,} yearly rows")
    with (BUNDLE / "observations.csv").open(newline="", encoding="utf-8") as f, \
            (target / "observations.csv").open("w", newline="", encoding="utf-8") as out:
        rows, writer = csv.reader(f), csv.writer(out, lineterminator="\n")
        writer.writerow(next(rows))
        for row in rows:
            writer.writerow(row)
            period = row[period_at]
            if len(period) == 4:
                for month in range(1, k + 1):
                    row[period_at] = f"{period}-{month:02d}"
                    writer.writerow(row)
    # The load checks sizes and hashes before anything.
    bundle_files.rehash(target, version=f"{version[:40]}-x{factor}")
    stamp.write_text(version)
    return target


# --- Database -------------------------------------------------------------------------------

def fresh_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def query_one(url: str, sql: str):
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchone()[0]


def load(url: str, bundle: Path) -> dict:
    env = {**os.environ, "DATABASE_URL": url}
    fresh_database(url)
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                   check=True)
    started = time.perf_counter()
    subprocess.run([PY, "manage.py", "data", "load", "--bundle", str(bundle), "--force",
                    "--accept-revisions", "-v", "0"], cwd=ROOT, env=env, check=True)
    seconds = time.perf_counter() - started
    return {"load_s": round(seconds, 1),
            "db_mb": round(query_one(url, "SELECT pg_database_size(current_database())") / 1e6),
            "observations": query_one(url, "SELECT count(*) FROM atlas_observation"),
            "analyzed": query_one(url, "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables "
                                       "WHERE relname = 'atlas_observation'")}


# --- Serving --------------------------------------------------------------------------------

def gunicorn(port: int, workers: int) -> list[str]:
    return [str(ROOT / ".venv/bin/gunicorn"), "drugatlas.wsgi", "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers), "--timeout", "120", "--pythonpath", str(ROOT / "bench")]


def fetch(url: str) -> float:
    """Seconds to read the whole answer."""
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as r:
        while r.read(1 << 20):
            pass
        assert r.status == 200, (url, r.status)
    return time.perf_counter() - started


def workers_of(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(c) for c in children]


def memory_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def uncached(database: str, path: str, runs: int) -> dict:
    """One worker that caches nothing, started afresh so its peak memory is this operation's."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {"DATABASE_URL": database, "DJANGO_SETTINGS_MODULE": "scale_settings",
           "BENCH_CACHE": "none"}
    with server(gunicorn(port, 1), base + "/api/v1/sources", env=env, cwd=ROOT) as proc:
        for _ in range(3):
            fetch(base + "/api/v1/sources")  # the worker's imports and connection
        [worker] = workers_of(proc.pid)
        idle = memory_mb(worker, "VmRSS")
        times = [fetch(base + path) for _ in range(runs)]
        peak = memory_mb(worker, "VmHWM")
    return {"uncached_ms": round(statistics.median(times) * 1000, 1),
            "idle_mb": round(idle, 1), "peak_mb": round(peak, 1)}


def cached(database: str, paths: dict[str, str], runs: int, seconds: int) -> dict:
    """Two workers with the site's own caches, warm: median latency and requests/s."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    out = {}
    env = {"DATABASE_URL": database, "DJANGO_SETTINGS_MODULE": "scale_settings"}
    with server(gunicorn(port, 2), base + "/api/v1/sources", env=env, cwd=ROOT):
        for name, path in paths.items():
            for _ in range(4):
                fetch(base + path)  # fills the cache (each worker's, where it has its own)
            times = [fetch(base + path) for _ in range(runs)]
            out[name] = {"cached_ms": round(statistics.median(times) * 1000, 1),
                         "rps": wrk(base + path, 4, seconds)["rps"]}
    return out


def measure(label: str, bundle: Path, database: str, args) -> dict:
    print(f"\n== {label}: loading {bundle.relative_to(ROOT)}", flush=True)
    result = load(database, bundle)
    print(f"   {result['observations']:,} observations in {result['load_s']} s, "
          f"{result['db_mb']} MB", flush=True)
    fips = query_one(database, "SELECT string_agg(fips, ',' ORDER BY fips) FROM atlas_jurisdiction "
                               "WHERE parent_id = '48' AND kind = 'county'")
    paths = {name: path.format(fips=fips) for name, path in OPERATIONS.items()}
    ops = {}
    for name, path in paths.items():
        runs = max(2, args.runs // 2) if "CSV" in name else args.runs
        ops[name] = uncached(database, path, runs)
        print(f"   {name}: uncached {ops[name]['uncached_ms']} ms, worker "
              f"{ops[name]['idle_mb']} → {ops[name]['peak_mb']} MB", flush=True)
    for name, figures in cached(database, paths, args.runs, args.seconds).items():
        ops[name].update(figures)
    result["operations"] = ops
    return result


def ratio(a, b) -> str:
    return f"{b / a:.2f}×" if a else ""


def report(one: dict, many: dict, factor: int) -> str:
    n = f"{factor}×"
    rows = [["data load, s", "", one["load_s"], many["load_s"], ratio(one["load_s"], many["load_s"])],
            ["database, MB", "", one["db_mb"], many["db_mb"], ratio(one["db_mb"], many["db_mb"])],
            ["observations", "", f"{one['observations']:,}", f"{many['observations']:,}",
             ratio(one["observations"], many["observations"])]]
    for name in OPERATIONS:
        a, b = one["operations"][name], many["operations"][name]
        for key, label in (("uncached_ms", "uncached ms"), ("cached_ms", "cached ms"),
                           ("rps", "cached req/s"), ("peak_mb", "worker peak MB")):
            rows.append([name, label, a[key], b[key], ratio(a[key], b[key])])
        rows.append([name, "worker idle MB", a["idle_mb"], b["idle_mb"], ""])
    return table(rows, ["operation", "figure", "1×", n, f"{n}/1×"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=3, help="wrk run per operation")
    parser.add_argument("--runs", type=int, default=5, help="requests per latency median")
    args = parser.parse_args()
    database = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    WORK.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    big = make_bundle(args.factor)
    print(f"bundle ready in {time.perf_counter() - started:.0f} s")
    one = measure("1×", BUNDLE, database, args)
    many = measure(f"{args.factor}×", big, database, args)
    print()
    print(report(one, many, args.factor))
    save("scale", {"factor": args.factor, "database": "postgresql", "1x": one,
                   f"{args.factor}x": many,
                   "method": "uncached: 1 gunicorn worker, dummy caches, median of runs; cached: "
                             "2 workers, the site's caches warm, median latency and wrk -c 4"})


if __name__ == "__main__":
    main()
