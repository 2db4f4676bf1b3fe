"""The language is in the URL: English at `/…`, Spanish at `/es/…` (i18n_patterns in urls.py).

Neither a cookie nor Accept-Language changes what a URL serves, so a page never varies on
them and every language has links people can share. The API, the data files and the static
files have one URL for everyone and are always English.

Links written as site paths in templates and views ("/states/or/") are given the page's
language prefix on Spanish pages by `localize_links`, once, as the page leaves the app; paths
outside the translated part of the site (`/api/`, `/data/`, `/static/`, `/admin/`) stay as
they are.
"""
from __future__ import annotations

import re
from urllib.parse import urlencode

from django.conf import settings
from django.urls import translate_url
from django.utils import translation

# First path segments that are not translated pages (urls.py keeps them outside i18n_patterns).
UNPREFIXED = ("api", "data", "static", "admin", "mail", "media")
_LANGS = tuple(code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE)
# A link marked hreflang="en" (the language switch) is left alone.
_LINK = re.compile(r'(?<!hreflang="en" )(\b(?:href|action)=")/(?!/)(?!(?:%s)(?:[/?#"]))' % "|".join(
    (*UNPREFIXED, *_LANGS)))


def language_of(path: str) -> str:
    """The language a path serves: its prefix, else the default."""
    first = path.lstrip("/").split("/", 1)[0]
    return first if first in _LANGS else settings.LANGUAGE_CODE


def localize_links(html: str, lang: str) -> str:
    """Give the site-path links of an HTML page the language prefix (none for English)."""
    if lang == settings.LANGUAGE_CODE:
        return html
    return _LINK.sub(lambda m: f"{m.group(1)}/{lang}/", html)


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
        if (lang != settings.LANGUAGE_CODE and not response.streaming
                and response.get("Content-Type", "").startswith("text/html")
                and not response.get("Content-Encoding")):
            response.content = localize_links(response.content.decode(response.charset), lang)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        response.headers.setdefault("Content-Language", lang)
        return response
