"""`drugatlas serve`: what an operator runs. Migrates the database, loads the packaged data
bundle (skipped when that version is loaded), collects the static files into
DRUGATLAS_VAR_DIR, then replaces itself with gunicorn.

gunicorn believes X-Forwarded-Proto only from TRUSTED_PROXIES (no proxy: from nobody), the
same rule as drugatlas/clientip.py.
"""
from __future__ import annotations

import argparse
import ipaddress
import os
import sys


def gunicorn_arguments(bind: str, workers: int) -> list[str]:
    from django.conf import settings

    proxies = ",".join(str(ipaddress.ip_network(p, strict=False)) for p in settings.TRUSTED_PROXIES)
    return [sys.executable, "-m", "gunicorn", "drugatlas.wsgi", "--bind", bind,
            "--workers", str(workers), "--access-logfile", "-",
            "--forwarded-allow-ips", proxies]


def serve(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="drugatlas serve", description=__doc__.split("\n")[0])
    parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"),
                        help="address:port to listen on (default $BIND or 127.0.0.1:8000)")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))
    parser.add_argument("--no-load", action="store_true", help="do not load the packaged bundle")
    args = parser.parse_args(argv)

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    if not args.no_load:
        call_command("data", "load", "--accept-revisions")
    call_command("collectstatic", interactive=False, verbosity=0)
    command = gunicorn_arguments(args.bind, args.workers)
    sys.stdout.flush()
    os.execv(command[0], command)
