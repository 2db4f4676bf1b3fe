"""Server throughput: the map page, a state page and the observations API under wrk, served by
gunicorn (2 sync workers, SQLite), next to nginx serving the same bytes as static files (the
physical limit here) and Datasette serving the same rows from the same SQLite file (the peer).

    .venv/bin/python bench/load.py [--seconds 5]
"""
from __future__ import annotations

import argparse
import getpass
import os
import shutil
import sqlite3
import sys
import tempfile
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


def nginx_conf(root: Path, port: int, workdir: Path) -> Path:
    conf = workdir / "nginx.conf"
    # Workers must read files in a private temporary folder: run them as this user.
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    conf.write_text(f"""
{user}
worker_processes 2;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {workdir}/body; proxy_temp_path {workdir}/proxy;
  fastcgi_temp_path {workdir}/fcgi; uwsgi_temp_path {workdir}/uwsgi; scgi_temp_path {workdir}/scgi;
  default_type text/html;
  server {{ listen 127.0.0.1:{port}; root {root}; location / {{ try_files $uri $uri/index.html =404; }} }}
}}
""")
    return conf


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()
    db = ROOT / "var" / "drugatlas.sqlite3"
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        gunicorn = [str(ROOT / ".venv/bin/gunicorn"), "drugatlas.wsgi", "--bind",
                    f"127.0.0.1:{port}", "--workers", "2", "--backlog", "2048"]
        with server(gunicorn, base + "/", cwd=ROOT, env={"DATABASE_URL": f"sqlite:///{db}"}):
            static = tmp / "static"
            for name, path in PAGES.items():
                body = urllib.request.urlopen(base + path).read()  # also warms the cache
                target = static / name / "index.html"
                target.parent.mkdir(parents=True)
                target.write_bytes(body)
            for name, path in PAGES.items():
                for c in CONNECTIONS:
                    results[f"gunicorn {name} c{c}"] = wrk(base + path, c, args.seconds)

        if shutil.which("nginx"):
            nport = free_port()
            conf = nginx_conf(static, nport, tmp)
            with server(["nginx", "-c", str(conf), "-g", "daemon off;"], f"http://127.0.0.1:{nport}/map/"):
                for name in PAGES:
                    for c in CONNECTIONS:
                        results[f"nginx {name} c{c}"] = wrk(f"http://127.0.0.1:{nport}/{name}/", c, args.seconds)

        datasette = ROOT / ".venv/bin/datasette"
        if datasette.exists():
            copy = tmp / "atlas.db"
            # Datasette reads the same rows from a copy of the same SQLite database.
            src = sqlite3.connect(db)
            dst = sqlite3.connect(copy)
            src.backup(dst)
            src.close(), dst.close()
            dport = free_port()
            query = ("/atlas/atlas_observation.json?measure_id=drug_arrests&period=2022"
                     "&_size=max&_shape=array")
            cmd = [str(datasette), "serve", "--immutable", str(copy), "-p", str(dport)]
            with server(cmd, f"http://127.0.0.1:{dport}{query}"):
                for c in CONNECTIONS:
                    results[f"datasette api c{c}"] = wrk(f"http://127.0.0.1:{dport}{query}", c, args.seconds)
    rows = [[k, v["rps"], v["p50_ms"], v["p99_ms"], v["errors"]] for k, v in results.items()]
    print(table(rows, ["server / page / connections", "req/s", "p50 ms", "p99 ms", "errors"]))
    save("load", results)


if __name__ == "__main__":
    main()
