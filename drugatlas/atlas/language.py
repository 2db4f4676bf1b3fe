"""The language is in the URL: English at `/…`, Spanish at `/es/…` (i18n_patterns in urls.py).

Neither a cookie nor Accept-Language changes what a URL serves, so a page never varies on
them and every language has links people can share. The API, the data files and the static
files have one URL for everyone and are always English.

Links carry the prefix because they are built from URL names: `reverse()` and `{% url %}`
under i18n_patterns give the active language's path, `Jurisdiction.get_absolute_url()` and
`Bill.get_absolute_url()` use them, and translated sentences take their links as variables
(`<a href="%(sources_url)s">`). Nothing rewrites a page after it is rendered; a test
(tests/atlas/test_site_urls.py) fails on a site path written by hand.
"""
from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.urls import translate_url
from django.utils import translation

_LANGS = tuple(code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE)


def language_of(path: str) -> str:
    """The language a path serves: its prefix, else the default."""
    first = path.lstrip("/").split("/", 1)[0]
    return first if first in _LANGS else settings.LANGUAGE_CODE


def switch_urls(request) -> dict[str, str]:
    """This page in each language, for the switch, hreflang and canonical links. On a page
    cached whole (http_cache.public_page) only its known parameters are kept, in a fixed
    order: a junk parameter must not end up in the copy everyone is served. Elsewhere the query
is left out, so nothing a visitor typed is echoed into a page."""
    known = getattr(request, "cache_params", ())  # none declared: the path alone
    query = urlencode([(p, v) for p in sorted(known) for v in request.GET.getlist(p)])
    full = request.path + (f"?{query}" if query else "")
    match = getattr(request, "resolver_match", None)
    if match is not None and "token" in match.kwargs:
        full = "/"  # an email's token stays out of links: the switch goes to the home page
    out = {}
    for code, _name in settings.LANGUAGES:
        out[code] = translate_url(full, code)
    return out


class URLLanguageMiddleware:
    """Activates the language of the path; sends Content-Language; never Vary on the language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        lang = language_of(request.path_info)
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", lang)
        return response
