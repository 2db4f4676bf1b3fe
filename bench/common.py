"""Helpers for the benchmarks: results file, servers started and stopped, wrk runs."""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.json"
PY = str(ROOT / ".venv" / "bin" / "python")


def save(section: str, data) -> None:
    """Merge one section into bench/results.json, leaving the others."""
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[section] = data
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status < 500:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


@contextmanager
def server(cmd: list[str], url: str, env=None, cwd=None):
    proc = subprocess.Popen(cmd, env={**os.environ, **(env or {})}, cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        wait_for(url)
        yield proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    return float(m.group(1)) * _UNITS[m.group(2)]


def wrk(url: str, connections: int, seconds: int = 5, threads: int = 2, headers=(),
        script=None) -> dict:
    """Requests/s, p50/p99 latency (ms) and errors (socket errors + 4xx/5xx) from one wrk run."""
    if not shutil.which("wrk"):
        raise RuntimeError("wrk not installed (apt-get install -y wrk)")
    extra = [a for h in headers for a in ("-H", h)] + (["-s", str(script)] if script else [])
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s",
                          "--latency", "--timeout", "10s", *extra, url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    errors = 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        errors += sum(map(int, m.groups()))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        errors += int(m.group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rps": round(rps, 1), "p50_ms": round(p50, 2), "p99_ms": round(p99, 2),
            "errors": errors, "requests": requests}


def table(rows: list[list], header: list[str]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    line = lambda r: "  ".join(str(x).ljust(w) for x, w in zip(r, widths))  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])
