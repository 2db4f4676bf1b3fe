"""The project's one rate-limit module: atomic across connections, never culled, client
addresses behind trusted proxies only."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from drugatlas import clientip, ratelimit

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

RACE = textwrap.dedent("""
    import threading, django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from drugatlas import ratelimit
    call_command("migrate", "ratelimit", verbosity=0)
    ratelimit.clear()
    barrier, results = threading.Barrier(50), []
    def post():
        barrier.wait()
        results.append(ratelimit.hit("signup_ip", "203.0.113.5").allowed)
        connection.close()
    threads = [threading.Thread(target=post) for _ in range(50)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    print(sum(results), len(results))
""")


def race(tmp_path, **env) -> str:
    """50 threads, each with its own connection, hit one counter at the same instant."""
    environment = {name: value for name, value in os.environ.items() if name != "REDIS_URL"}
    environment.update({"DJANGO_SETTINGS_MODULE": "drugatlas.settings",
                        "DRUGATLAS_VAR_DIR": str(tmp_path), "SECRET_KEY": "race-test",
                        "DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite3'}", **env})
    done = subprocess.run([sys.executable, "-c", RACE], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_50_simultaneous_hits_on_a_sqlite_file_accept_exactly_20(tmp_path):
    assert race(tmp_path) == "20 50"


def test_50_simultaneous_hits_on_postgresql_accept_exactly_20(tmp_path, transactional_db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("DATABASE_URL is not PostgreSQL")
    db = connection.settings_dict  # the test database, already migrated
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    assert race(tmp_path, DATABASE_URL=url) == "20 50"


def test_50_simultaneous_hits_on_redis_accept_exactly_20(tmp_path):
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("REDIS_URL is not set")
    assert race(tmp_path, REDIS_URL=url) == "20 50"


@pytest.mark.django_db
def test_counters_survive_the_page_cache_being_emptied(settings):
    settings.RATE_LIMITS = {"signup_ip": (2, 3600)}
    assert [ratelimit.hit("signup_ip", "a").allowed for _ in range(3)] == [True, True, False]
    cache.clear()  # what a flood of junk URLs did to the file cache
    verdict = ratelimit.hit("signup_ip", "a")
    assert not verdict.allowed and 0 < verdict.retry_after <= 3600
    assert ratelimit.hit("signup_ip", "b").allowed


def address(remote, forwarded=None, proxies=()):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    with override_settings(TRUSTED_PROXIES=list(proxies)):
        return clientip.client_ip(RequestFactory().get("/", **meta))


def test_client_address_rules():
    # no trusted proxy: the header is the client's word and is ignored
    assert address("198.51.100.1", "1.2.3.4") == "198.51.100.1"
    # from a trusted proxy: the right-most address that is not one of ours
    assert address("127.0.0.1", "1.2.3.4, 198.51.100.2", ["127.0.0.1"]) == "198.51.100.2"
    assert address("10.0.0.5", "1.2.3.4, 198.51.100.2, 10.9.0.1", ["10.0.0.0/8"]) == "198.51.100.2"
    assert address("::1", "2001:db8::7", ["::1"]) == "2001:db8::7"
    # a request that did not come through the proxy cannot choose its address
    assert address("198.51.100.3", "1.2.3.4", ["10.0.0.0/8"]) == "198.51.100.3"
    # the proxy got no header, or garbage: the proxy's own address counts
    assert address("10.0.0.5", None, ["10.0.0.0/8"]) == "10.0.0.5"
    assert address("10.0.0.5", "junk", ["10.0.0.0/8"]) == "10.0.0.5"
    # no address at all: empty, which the admin lockout's inet column stores as NULL
    assert clientip.client_ip(RequestFactory().get("/", REMOTE_ADDR="")) == ""


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True, TRUSTED_PROXIES=["10.0.0.1"])
def test_forwarded_proto_is_believed_only_from_a_trusted_proxy(client):
    spoofed = client.get("/about/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="198.51.100.4")
    assert spoofed.status_code == 301 and spoofed["Location"].startswith("https://")
    proxied = client.get("/about/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="10.0.0.1")
    assert proxied.status_code == 200


@pytest.mark.django_db
def test_counters_hold_no_address(settings):
    settings.RATE_LIMIT_REDIS_URL = ""
    ratelimit.hit("email_address", "ana.person@example.org")
    ratelimit.hit("signup_ip", "198.51.100.77")
    from drugatlas.ratelimit.models import Counter

    keys = " ".join(Counter.objects.values_list("key", flat=True))
    assert keys.count("email_address:") == 1 and keys.count("signup_ip:") == 1
    assert "ana" not in keys and "example" not in keys and "198.51" not in keys
