"""deploy/nginx/drugatlas-cache.conf as shipped, inside an `http {}` block with Debian's
`sendfile on; tcp_nopush on;`: a cached page is a HIT and answers in about a millisecond on a
keep-alive connection. Before `tcp_nopush off`, a page of this size (the size of
/states/ms/) waited for the client's delayed ACK: about 40 ms per request (docs/deploy.md)."""
from __future__ import annotations

import getpass
import http.client
import os
import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "drugatlas-cache.conf"
BODY = b"<!doctype html><title>page</title>" + b"x" * (128073 - 34)


class Page(BaseHTTPRequestHandler):
    """A public page with the app's caching headers."""
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(BODY)))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Cache-Control", "public, max-age=300, s-maxage=600, "
                                          "stale-while-revalidate=3600")
        self.send_header("ETag", '"page"')
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args):
        pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def proxy(tmp_path):
    if not shutil.which("nginx"):
        pytest.skip("nginx is not installed")
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    port = _free_port()
    site = CONF.read_text()
    for old, new in {"/var/cache/nginx/drugatlas": str(tmp_path / "cache"),
                     "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream.server_port};",
                     "listen 80;": f"listen 127.0.0.1:{port};",
                     "/srv/drugatlas/var/static/": str(tmp_path) + "/"}.items():
        assert old in site
        site = site.replace(old, new)
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"""{user}
worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{ worker_connections 64; }}
http {{
  access_log off;
  sendfile on; tcp_nopush on;
  client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;
  fastcgi_temp_path {tmp_path}/fcgi; uwsgi_temp_path {tmp_path}/uwsgi;
  scgi_temp_path {tmp_path}/scgi;
{site}
}}
""")
    nginx = subprocess.Popen(["nginx", "-c", str(conf), "-g", "daemon off;"])
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield port
    finally:
        nginx.terminate()
        nginx.wait(10)
        upstream.shutdown()


def test_cached_page_answers_without_waiting_on_a_keep_alive_connection(proxy):
    connection = http.client.HTTPConnection("127.0.0.1", proxy, timeout=10)
    statuses = []
    for _ in range(3):  # the first fills the cache
        connection.request("GET", "/states/ms/")
        response = connection.getresponse()
        assert response.read() == BODY
        statuses.append(response.getheader("X-Cache-Status"))
    assert statuses[1:] == ["HIT", "HIT"]
    start = time.monotonic()
    for _ in range(40):
        connection.request("GET", "/states/ms/")
        response = connection.getresponse()
        response.read()
    per_request = (time.monotonic() - start) / 40
    assert per_request < 0.015, f"{per_request * 1000:.1f} ms a request"
