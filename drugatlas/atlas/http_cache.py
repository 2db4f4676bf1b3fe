"""HTTP caching of the public, read-only site (docs/architecture.md, "Cacheable by design").

Every URL of the public apps (map, states, sources, about, legislation, reinvest, changes, API,
bundle files) is read-only:

- GET and HEAD are answered (HEAD runs the GET view; the server sends no body), any other
  method 405 with `Allow: GET, HEAD`;
- a 200 carries `Cache-Control: public, max-age, s-maxage, stale-while-revalidate` and a strong
  ETag made from the data version, the code version, the day (pages say "as of today") and the
  URL, so `If-None-Match` answers 304 before any view runs;
- views that declare their parameters (`@public_page("layer", "year")`) are cached whole in the
  pages cache under a key of those parameters only, in a fixed order: junk parameters cost a
  cache hit, not a render.

A response that sets a cookie or varies on Cookie is never marked public: a public page must
not touch the session or the CSRF token (the forms use origin checks, drugatlas/atlas/forms.py).
"""
from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotAllowed
from django.utils.cache import patch_vary_headers

from drugatlas import clock
from drugatlas.atlas import cache

SAFE = ("GET", "HEAD")
PUBLIC_NAMESPACES = {"atlas", "api", "legislation", "reinvest", "share"}
PUBLIC_VIEWS = {"bundle-file", "corrections:changes"}
CACHED_STATUSES = cache.KEPT_STATUSES  # the answers kept whole are the ones marked public


def max_ages() -> tuple[int, int, int]:
    """Browser max-age, shared caches' s-maxage, stale-while-revalidate (seconds)."""
    return (settings.PUBLIC_MAX_AGE, settings.PUBLIC_S_MAXAGE,
            settings.PUBLIC_STALE_WHILE_REVALIDATE)


def cache_control(status: int = 200) -> str:
    browser, shared, stale = max_ages()
    if status != 200:  # errors are cached briefly: a fixed page may come back soon
        browser, shared = min(browser, 60), min(shared, 60)
    return f"public, max-age={browser}, s-maxage={shared}, stale-while-revalidate={stale}"


def is_public(match) -> bool:
    if match is None:
        return False
    return bool(set(match.namespaces) & PUBLIC_NAMESPACES) or match.view_name in PUBLIC_VIEWS


def etag_for(request) -> str:
    """The validator of this URL now: same URL, same data, same code, same day, same bytes."""
    parts = (cache.version(), clock.today().isoformat(), request.path, request.META.get(
        "QUERY_STRING", ""))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:24]


def _matches(header: str, tag: str) -> bool:
    """If-None-Match against both encodings of the current tag (identity and -gz)."""
    if not header:
        return False
    if header.strip() == "*":
        return True
    sent = {t.strip().removeprefix("W/").strip('"') for t in header.split(",")}
    return bool(sent & {tag, f"{tag}-gz"})


def public_page(*params: str):
    """Cache this view's whole answer under its URL arguments and these query parameters."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            request.cache_params = params  # links built from the URL keep only these
            known = [(p, request.GET.getlist(p)) for p in sorted(params) if p in request.GET]
            name = (request.resolver_match.view_name if request.resolver_match
                    else view.__name__)
            return cache.remember_response(lambda: view(request, *args, **kwargs), name,
                                           sorted(kwargs.items()), args, known,
                                           clock.today().isoformat())

        wrapper.cache_params = tuple(params)
        return wrapper

    return decorator


class PublicCacheMiddleware:
    """Sits outside GZipMiddleware, so the ETag it sets names the encoding actually sent."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.process_response(request, self.get_response(request))

    def process_view(self, request, view, args, kwargs):
        if not is_public(request.resolver_match):
            return None
        if request.method not in SAFE:
            response = HttpResponseNotAllowed(SAFE)
            response["Cache-Control"] = "no-store"
            return response
        request.public_etag = etag_for(request)
        if _matches(request.META.get("HTTP_IF_NONE_MATCH", ""), request.public_etag):
            response = HttpResponse(status=304)
            response["ETag"] = f'"{request.public_etag}"'
            response["Cache-Control"] = cache_control()
            patch_vary_headers(response, ("Accept-Encoding",))
            return response
        if request.method == "HEAD":
            request.method = "GET"  # the view answers as for GET; the server drops the body
            request.was_head = True
        return None

    def process_response(self, request, response):
        tag = getattr(request, "public_etag", None)
        if getattr(request, "was_head", False):
            request.method = "HEAD"
        if tag is None or response.status_code == 304:
            return response
        if response.cookies or "Cookie" in response.get("Vary", ""):
            return response  # a page that touched the session is nobody else's to keep
        if response.status_code in CACHED_STATUSES:
            response["Cache-Control"] = cache_control(response.status_code)
        if response.status_code == 200:
            gz = response.get("Content-Encoding") == "gzip"
            response["ETag"] = f'"{tag}-gz"' if gz else f'"{tag}"'
        return response

