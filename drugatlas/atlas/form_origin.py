"""CSRF protection for the public forms without a per-page cookie (docs/architecture.md).

The sign-up form sits in every page's footer and the "Report a problem" form is linked from
every figure; a CSRF token in them would set a cookie on every page and make every page
uncacheable. Instead their views are exempt from the token check and accept a POST only when
the browser says where it comes from:

- `Origin` (sent by current browsers with every form POST) is this site or a trusted origin
  (CSRF_TRUSTED_ORIGINS, e.g. the static export's host); `Origin: null` is refused;
- without Origin, the `Referer`'s origin is checked the same way;
- with neither (old or privacy-stripped clients) Django's token check decides, so the form
  pages themselves may still carry a token.

A forged cross-site POST carries the attacker's Origin and is refused. What remains is
harmless by design: a sign-up is stored only when its address confirms it (double opt-in),
and a correction is a report an editor reads.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware


def _allowed(origin: str, request) -> bool:
    own = f"{request.scheme}://{request.get_host()}"
    trusted = set(getattr(settings, "CSRF_TRUSTED_ORIGINS", []))
    forms_origin = getattr(settings, "FORMS_ORIGIN", "")
    return origin in ({own, forms_origin} | trusted) - {""}


def _token_passes(request) -> bool:
    def protected_view(request):  # a stand-in without the csrf_exempt mark
        return None

    return CsrfViewMiddleware(lambda r: None).process_view(request, protected_view, (), {}) is None


def passes(request) -> bool:
    """Whether this POST may be acted on (see the module's docstring)."""
    origin = request.META.get("HTTP_ORIGIN")
    if origin is not None:
        return origin != "null" and _allowed(origin, request)
    referer = request.META.get("HTTP_REFERER")
    if referer:
        parts = urlsplit(referer)
        return bool(parts.scheme and parts.netloc) and _allowed(
            f"{parts.scheme}://{parts.netloc}", request)
    return _token_passes(request)
