"""The visitor's address, behind the reverse proxies named in TRUSTED_PROXIES.

A proxy appends the address it received the request from to X-Forwarded-For, so the entries
to trust are the right-most ones that our own proxies added. Walking from the right, the first
address that is not one of our proxies is the client's: anything left of it was written by the
client and proves nothing. With no trusted proxy (or a request that did not come through one),
REMOTE_ADDR is the client.

(python-ipware trusts proxies by string prefix and counts from the left; this walk from the
right with real networks is the rule the deployment docs describe, so it is kept here.)
"""
from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _parse(address: str):
    try:
        return ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return None


def is_trusted_proxy(address: str) -> bool:
    ip = _parse(address or "")
    return ip is not None and any(ip in net for net in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request) -> str:
    """The client's address; "" when the server gave none (e.g. a Unix socket with no proxy)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if not is_trusted_proxy(remote):
        return remote
    forwarded = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for entry in reversed([e for e in forwarded if e]):
        ip = _parse(entry)
        if ip is None:  # garbage in the chain: nothing left of it can be trusted either
            return remote
        if not is_trusted_proxy(entry):
            return str(ip)
    return remote


class TrustedProxyMiddleware:
    """Drops X-Forwarded-Proto unless a trusted proxy sent the request, so that
    SECURE_PROXY_SSL_HEADER (and the HTTPS redirect) cannot be talked out of by a client."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR", "")):
            request.META.pop("HTTP_X_FORWARDED_PROTO", None)
        return self.get_response(request)
