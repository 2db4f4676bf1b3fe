"""Server throughput, in one run on one machine, at 50 and 200 connections:

- gunicorn alone (2 sync workers, SQLite), its page cache warm;
- gunicorn behind nginx `proxy_cache`, with the shipped deploy/nginx/drugatlas-cache.conf;
- nginx serving the static export (deploy/nginx/drugatlas-export.conf) of the same pages;

for the map page, a state page and an API call; then 304 revalidation (If-None-Match), and a
"junk parameter" run: 10 clients sending unique parameters to the state page while 40 normal
clients ask for it, against gunicorn alone, next to the same 40 clients on a quiet server.
Prints ratios to nginx static and writes the "load" section of bench/results.json.

    .venv/bin/python bench/load.py [--seconds 5]
"""
from __future__ import annotations

import argparse
import getpass
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PY, ROOT, free_port, save, server, table, wrk  # noqa: E402

PAGES = {
    "map": "/",
    "state": "/states/ms/",
    "api": "/api/v1/observations?measure=drug_arrests&kind=state&start=2022&end=2022",
}
CONNECTIONS = (50, 200)
# requests/s of the map page at 200 connections before pages were cacheable (issue 10)
BEFORE_MAP_RPS = 466


def shipped(name: str, **replace: str) -> str:
    text = (ROOT / "deploy" / "nginx" / name).read_text()
    for old, new in replace.items():
        assert old in text, (name, old)
        text = text.replace(old, new)
    return text


def nginx_conf(tmp: Path, app: int, cached: int, static: int, export: Path) -> Path:
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    cache = shipped("drugatlas-cache.conf", **{
        "/var/cache/nginx/drugatlas": str(tmp / "proxy-cache"),
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{app};",
        "listen 80;": f"listen 127.0.0.1:{cached};",
        "/srv/drugatlas/var/static/": str(ROOT / "var" / "static") + "/"})
    static_conf = shipped("drugatlas-export.conf", **{
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{app};",
        "listen 8080;": f"listen 127.0.0.1:{static};",
        "/srv/drugatlas/export": str(export)})
    conf = tmp / "nginx.conf"
    conf.write_text(f"""
{user}
worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 4096; }}
http {{
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  sendfile on; tcp_nopush on;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fcgi; uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
{cache}
{static_conf}
}}
""")
    return conf


def export_pages(folder: Path) -> None:
    """The three pages, exported by the real command (scope limited to them)."""
    code = (
        "import django, sys; django.setup()\n"
        "from pathlib import Path\n"
        "from drugatlas.atlas.export_site import Export, target\n"
        f"wanted = {{target(u).url for u in {list(PAGES.values())!r}}}\n"
        f"Export(Path({str(folder)!r}), 'http://127.0.0.1', scope=lambda u: u in wanted,\n"
        "       start=sorted(wanted)).run()\n")
    subprocess.run([PY, "-c", code], cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "DJANGO_SETTINGS_MODULE": "drugatlas.settings"})


def export_path(page: str) -> str:
    from urllib.parse import parse_qsl, urlsplit
    parts = urlsplit(page)
    query = sorted(parse_qsl(parts.query))
    if not query:
        return parts.path
    base = "/".join([parts.path.strip("/"), "q", *(f"{k}/{v}" for k, v in query)]).lstrip("/")
    return "/" + base + ".json"


def etag(url: str) -> str:
    with urllib.request.urlopen(url) as r:
        return r.headers["ETag"]


def junk_script(tmp: Path, path: str) -> Path:
    script = tmp / "junk.lua"
    script.write_text(f"""
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, "{path}?utm_campaign=" .. counter .. "-" .. math.random(1000000000))
end
""")
    return script


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()
    seconds = args.seconds
    db = ROOT / "var" / "drugatlas.sqlite3"
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        export = tmp / "export"
        export_pages(export)
        app, cached, static = free_port(), free_port(), free_port()
        base = f"http://127.0.0.1:{app}"
        gunicorn = [str(ROOT / ".venv/bin/gunicorn"), "drugatlas.wsgi", "--bind",
                    f"127.0.0.1:{app}", "--workers", "2", "--backlog", "2048"]
        env = {"DATABASE_URL": f"sqlite:///{db}"}
        with server(gunicorn, base + "/", cwd=ROOT, env=env):
            for path in PAGES.values():
                for _ in range(20):  # every worker's cache warm
                    urllib.request.urlopen(base + path).read()
            for name, path in PAGES.items():
                for c in CONNECTIONS:
                    results[f"gunicorn {name} c{c}"] = wrk(base + path, c, seconds)
            for c in CONNECTIONS:
                tag = etag(base + PAGES["state"])
                results[f"gunicorn 304 state c{c}"] = wrk(base + PAGES["state"], c, seconds,
                                                         headers=[f"If-None-Match: {tag}"])

            # Junk parameters: 40 normal clients, quiet, then beside 10 junk clients.
            state = base + PAGES["state"]
            results["junk quiet state c40"] = wrk(state, 40, seconds)
            junk_result = {}
            junk = threading.Thread(target=lambda: junk_result.update(wrk(
                state, 10, seconds + 2, script=junk_script(tmp, PAGES["state"]))))
            junk.start()
            results["junk normal state c40"] = wrk(state, 40, seconds)
            junk.join()
            results["junk junk-clients state c10"] = junk_result

            if shutil.which("nginx"):
                conf = nginx_conf(tmp, app, cached, static, export)
                with server(["nginx", "-c", str(conf), "-g", "daemon off;"],
                            f"http://127.0.0.1:{static}/"):
                    for name, path in PAGES.items():
                        for _ in range(3):  # fills the proxy cache
                            urllib.request.urlopen(f"http://127.0.0.1:{cached}{path}").read()
                        for c in CONNECTIONS:
                            results[f"nginx-proxy-cache {name} c{c}"] = wrk(
                                f"http://127.0.0.1:{cached}{path}", c, seconds)
                            results[f"nginx-static {name} c{c}"] = wrk(
                                f"http://127.0.0.1:{static}{export_path(path)}", c, seconds)
                    for c in CONNECTIONS:
                        url = f"http://127.0.0.1:{cached}{PAGES['state']}"
                        results[f"nginx-proxy-cache 304 state c{c}"] = wrk(
                            url, c, seconds, headers=[f"If-None-Match: {etag(url)}"])

    rows = [[k, v.get("rps"), v.get("p50_ms"), v.get("p99_ms"), v.get("errors")]
            for k, v in results.items()]
    print(table(rows, ["server / page / connections", "req/s", "p50 ms", "p99 ms", "errors"]))
    ratios = summary(results)
    for name, value in ratios.items():
        print(f"{name}: {value}")
    save("load", {"runs": results, "ratios": ratios})


def summary(results: dict) -> dict:
    out = {}
    for name in PAGES:
        for c in CONNECTIONS:
            ref = results.get(f"nginx-static {name} c{c}", {}).get("rps")
            if not ref:
                continue
            for server_name in ("gunicorn", "nginx-proxy-cache"):
                rps = results.get(f"{server_name} {name} c{c}", {}).get("rps")
                if rps:
                    out[f"{server_name} / nginx-static, {name} c{c}"] = round(rps / ref, 3)
    app = results.get("gunicorn map c200", {}).get("rps")
    if app:
        out["gunicorn map c200 / before (466 req/s)"] = round(app / BEFORE_MAP_RPS, 2)
    quiet = results.get("junk quiet state c40", {}).get("p50_ms")
    busy = results.get("junk normal state c40", {}).get("p50_ms")
    if quiet and busy:
        out["junk run: normal clients' state p50 / quiet p50"] = round(busy / quiet, 2)
    return out


if __name__ == "__main__":
    main()
