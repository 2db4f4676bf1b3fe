"""`drugatlas export-site DIR`: the read-only site as static files, both languages.

The pages are rendered by the app itself (in-process requests), starting from the map, every
map layer and year, every state, the API's list endpoints, each measure's CSV and each
state's reinvest defaults, and following the links pages make to other exportable pages
(`RULES`). Each URL becomes one file (`file_for`); links between exported files are made
relative, so the export works from any static host and any sub-path (and from file://);
links to anything else (forms, sort orders, filters) and form actions go to the live app at
FORMS_ORIGIN. A URL with a query becomes a folder: `/?layer=overdose&year=2018` is
`q/layer/overdose/year/2018/index.html`. The share cards pages name as og:image are exported
too: a map view's `?format=png` is `map.png` beside its index.html, `/states/tx/card.png` and
a bill's `card.png` keep their paths.

Incremental: `DIR/.export-manifest.json` records, per URL, the version it was rendered under
(data release, code, day) and its links; a URL whose version is unchanged is not rendered
again, and a file is rewritten only when its bytes change.
"""
from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit
from xml.sax.saxutils import escape

from django.conf import settings
from django.test import Client

from drugatlas import clock
from drugatlas.atlas import cache

MANIFEST = ".export-manifest.json"
LANG_PREFIXES = ("", "/es")
_SAFE_VALUE = re.compile(r"^[A-Za-z0-9_.,-]{1,40}$")

# (path pattern without the language prefix, query keys allowed, kind, localized)
RULES = [
    # The map view; with `format=png` its share card (og:image), a file beside the page.
    (r"/", {"layer", "year", "as_of", "format"}, "html", True),
    (r"/states/[a-z]{2}/card\.png", set(), "image", True),
    (r"/legislation/[A-Za-z0-9_.-]+/card\.png", set(), "image", True),
    (r"/states/[a-z]{2}/", set(), "html", True),
    (r"/states/[a-z]{2}/counties/", {"layer", "year"}, "html", True),
    (r"/(sources|about|changes|legislation)/", set(), "html", True),
    (r"/legislation/[A-Za-z0-9_.-]+/", set(), "html", True),
    (r"/reinvest/", {"state"}, "html", True),
    (r"/reinvest/assumptions/", set(), "html", True),
    (r"/api/v1/docs/", set(), "html", False),
    (r"/api/v1/openapi\.json", set(), "json", False),
    (r"/api/v1/(jurisdictions|measures|sources|laws|bills)",
     {"kind", "state", "topic", "as_of", "jurisdiction"}, "json", False),
    (r"/api/v1/states/[A-Za-z]{2}", set(), "json", False),
    (r"/api/v1/observations", {"measure", "jurisdiction", "kind", "start", "end", "format"},
     "json", False),
    (r"/data/[A-Za-z0-9_]+\.(csv|json)", set(), "file", False),
]
_LINK = re.compile(r'\b(href|src|action|data-api)="([^"]*)"')
# Share-card pictures: absolute URLs under SITE_URL in the page (share/_meta.html).
_SHARE_IMAGE = re.compile(
    r'(<meta (?:property="og:image"|name="twitter:image") content=")([^"]*)(")')


@dataclass(frozen=True)
class Target:
    url: str  # canonical: path + sorted known query
    file: str  # relative to the export folder
    kind: str


def _rule(path: str):
    bare = path
    for prefix in LANG_PREFIXES[1:]:
        if path == prefix + "/" or path.startswith(prefix + "/"):
            bare = path[len(prefix):]
    for pattern, keys, kind, localized in RULES:
        if re.fullmatch(pattern, bare) and (localized or bare == path):
            return keys, kind
    return None


def target(url: str) -> Target | None:
    """The export's file for a site URL, or None when the URL is not exported."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    found = _rule(parts.path)
    if found is None:
        return None
    keys, kind = found
    query = sorted(parse_qsl(parts.query, keep_blank_values=True))
    if any(k not in keys or not _SAFE_VALUE.match(v) for k, v in query):
        return None
    canonical = parts.path + (f"?{urlencode(query)}" if query else "")
    fmt = dict(query).get("format") if kind == "html" else None
    if fmt is not None:
        if fmt != "png":
            return None  # the view's other downloads (CSV, JSON, SVG) stay on the live site
        query = [(k, v) for k, v in query if k != "format"]
    base = parts.path.strip("/")
    if query:
        base = "/".join([base, "q", *(f"{k}/{v}" for k, v in query)]).lstrip("/")
    if fmt == "png":  # the map view's picture: `map.png` beside the view's index.html
        return Target(canonical, f"{base}/map.png".lstrip("/"), "image")
    if kind == "html":
        file = f"{base}/index.html".lstrip("/")
    elif kind in ("file", "image") or (not query and base.endswith((".json", ".csv"))):
        file = base
    else:
        file = base + (".csv" if dict(query).get("format") == "csv" else ".json")
    return Target(canonical, file, kind)


def seeds() -> list[str]:
    """Where the crawl starts: what menus offer through forms and the API lists."""
    from drugatlas import measures
    from drugatlas.atlas.models import Jurisdiction
    from drugatlas.maps import layers
    from drugatlas.pipeline.bundle import TABLES

    states = [a.lower() for a in Jurisdiction.objects.filter(
        kind=Jurisdiction.STATE).order_by("abbr").values_list("abbr", flat=True)]
    pages = ["/", "/sources/", "/about/", "/changes/", "/legislation/", "/reinvest/",
             "/reinvest/assumptions/"]
    for slug, layer in layers.LAYERS.items():
        pages.append(f"/?layer={slug}")
        if not layer.is_law:
            pages += [f"/?layer={slug}&year={y}" for y in layers.years(layer)]
    for abbr in states:
        pages += [f"/states/{abbr}/", f"/states/{abbr}/counties/",
                  f"/states/{abbr}/counties/?layer=arrests", f"/reinvest/?state={abbr.upper()}"]
    urls = [prefix + p for prefix in LANG_PREFIXES for p in pages]
    urls += ["/api/v1/docs/", "/api/v1/openapi.json", "/api/v1/jurisdictions",
             "/api/v1/jurisdictions?kind=county", "/api/v1/measures", "/api/v1/sources",
             "/api/v1/laws", "/api/v1/bills", "/data/datapackage.json"]
    urls += [f"/api/v1/states/{abbr}" for abbr in states]
    urls += [f"/api/v1/observations?format=csv&measure={m.slug}" for m in measures.MEASURES]
    urls += [f"/data/{path}" for path, _columns in TABLES.values()]
    return urls


def _relative(from_file: str, to_file: str) -> str:
    rel = posixpath.relpath(to_file, posixpath.dirname(from_file) or ".")
    return rel


def rewrite(html: str, page_file: str, forms_origin: str, found: list[str],
            find=target, base_url: str = "") -> str:
    """Links to exported files made relative, the rest sent to the live app; `found` collects
    the exportable URLs the page links to. Share-card pictures (og:image, twitter:image) point
    at the exported PNG: under `base_url` when given (crawlers want absolute URLs), else
    relative like every other link."""

    def picture(m):
        url = m.group(2).replace("&amp;", "&")
        site = settings.SITE_URL.rstrip("/")
        path = url[len(site):] if url.startswith(site + "/") else url
        t = find(path) if path.startswith("/") else None
        if t is None or t.kind != "image":
            return m.group(0)
        found.append(t.url)
        new = f"{base_url}/{t.file}" if base_url else _relative(page_file, t.file)
        return m.group(1) + new.replace("&", "&amp;") + m.group(3)

    html = _SHARE_IMAGE.sub(picture, html)

    def one(m):
        attr, url = m.group(1), m.group(2).replace("&amp;", "&")
        if not url.startswith("/") or url.startswith("//"):
            return m.group(0)  # relative, fragment, external or absolute: left alone
        path, _, fragment = url.partition("#")
        if path.startswith(settings.STATIC_URL):
            new = _relative(page_file, path.lstrip("/"))
        elif attr == "data-api":
            return f'data-api="{_relative(page_file, path.lstrip("/"))}/" data-api-suffix=".json"'
        else:
            t = find(path) if attr != "action" else None
            if t is None:
                new = forms_origin + path
            else:
                found.append(t.url)
                new = _relative(page_file, t.file)
        if fragment:
            new += "#" + fragment
        return f'{attr}="{new.replace("&", "&amp;")}"'

    return _LINK.sub(one, html)


@dataclass
class Export:
    root: Path
    forms_origin: str
    full: bool = False
    # Where the export will be served (e.g. https://cdn.example.org/atlas): share-card URLs
    # (og:image) are made absolute under it; without it they are relative.
    base_url: str = ""
    image_version: str = ""
    # Which exportable URLs this export holds (default all); links to others go live.
    scope: object = None
    start: list | None = None  # where the crawl starts (default seeds())
    out = sys.stdout
    manifest: dict = field(default_factory=dict)
    written: int = 0
    unchanged: int = 0
    reused: int = 0
    failed: list = field(default_factory=list)

    def target(self, url: str) -> Target | None:
        t = target(url)
        return t if t and (self.scope is None or self.scope(t.url)) else None

    def run(self) -> dict:
        self.root.mkdir(parents=True, exist_ok=True)
        self._static()  # first: pages name the collected (hashed) files
        path = self.root / MANIFEST
        previous = {} if self.full or not path.exists() else json.loads(path.read_text())
        version = f"{cache.version()}-{clock.today().isoformat()}"
        # Pictures change with the data release only (like the live ones, cached under the
        # data version): not drawn again every day (a law layer's current view names today's
        # date in its picture's URL, so those few are new URLs each day anyway).
        self.image_version = cache.version()
        client = Client(HTTP_HOST=(settings.ALLOWED_HOSTS or ["localhost"])[0].lstrip("."))
        queue, seen = [], set()
        for url in self.start or seeds():
            t = self.target(url)
            if t and t.url not in seen:
                seen.add(t.url)
                queue.append(t)
        done = 0
        while queue:
            t = queue.pop(0)
            links = self._one(client, t, previous.get(t.url), version)
            for url in links:
                if url not in seen:
                    seen.add(url)
                    queue.append(self.target(url))
            done += 1
            if done % 50 == 0 or not queue:
                self.out.write(f"  {done} pages, {len(queue)} to go ({self.written} written, "
                               f"{self.unchanged} unchanged, {self.reused} not re-rendered)\n")
                self.out.flush()
        self._sitemap()
        for stale in set(previous) - set(self.manifest):
            old = self.root / previous[stale]["file"]
            if old.is_file():
                old.unlink()  # a page no longer linked (a bill removed, a year gone)
        path.write_text(json.dumps(self.manifest, indent=0, sort_keys=True))
        return {"pages": len(self.manifest), "written": self.written,
                "unchanged": self.unchanged, "reused": self.reused, "failed": self.failed}

    def _one(self, client: Client, t: Target, before: dict | None, version: str) -> list[str]:
        file = self.root / t.file
        if t.kind == "image":
            version = self.image_version
        if before and before["version"] == version and file.is_file():
            self.reused += 1
            self.manifest[t.url] = before
            return before["links"]
        response = client.get(t.url)
        if response.status_code != 200:
            self.failed.append((t.url, response.status_code))
            return []
        body = b"".join(response.streaming_content) if response.streaming else response.content
        links: list[str] = []
        if t.kind == "html":
            body = rewrite(body.decode(), t.file, self.forms_origin, links,
                           self.target, self.base_url.rstrip("/")).encode()
        digest = hashlib.sha256(body).hexdigest()
        if file.is_file() and before and before.get("sha256") == digest:
            self.unchanged += 1
        else:
            file.parent.mkdir(parents=True, exist_ok=True)
            tmp = file.with_name(file.name + ".tmp")
            tmp.write_bytes(body)
            os.replace(tmp, file)
            self.written += 1
        self.manifest[t.url] = {"file": t.file, "version": version, "sha256": digest,
                                "links": sorted(set(links))}
        return self.manifest[t.url]["links"]

    def _static(self) -> None:
        """The static files as collected (hashed names when the manifest storage is used)."""
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
        target_dir = self.root / settings.STATIC_URL.strip("/")
        shutil.copytree(settings.STATIC_ROOT, target_dir, dirs_exist_ok=True)

    def _sitemap(self) -> None:
        base = settings.SITE_URL.rstrip("/")
        pages = sorted(u for u, entry in self.manifest.items() if entry["file"].endswith(".html"))
        lines = ['<?xml version="1.0" encoding="UTF-8"?>',
                 '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
        lines += [f"<url><loc>{escape(base + u)}</loc></url>" for u in pages]
        lines.append("</urlset>")
        (self.root / "sitemap.xml").write_text("\n".join(lines) + "\n")
