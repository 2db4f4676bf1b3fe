"""Pictures and files of the share views, and the home map view's own (`/?layer=…&format=…`):
cached under the data version and the language, named for what and when, open to any site."""
from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.text import slugify

from drugatlas import clock, formatting, twins
from drugatlas.atlas import cache
from drugatlas.maps import layers

from . import figures, render as raster

FORMATS = {"csv": twins.CSV, "json": twins.JSON, "svg": "image/svg+xml", "png": "image/png"}


def cached(parts: tuple, compute):
    return cache.remember(compute, "share", *parts)


def file_response(body, fmt: str, filename: str | None = None,
                  inline: bool = True) -> HttpResponse:
    response = HttpResponse(body, content_type=FORMATS[fmt])
    if filename:
        kind = "inline" if inline else "attachment"
        response["Content-Disposition"] = f'{kind}; filename="{filename}.{fmt}"'
    return twins.allow_any_origin(response)


def file_stem(title: str) -> str:
    """`drug-possession-law_2026-12-05`: what (in English, so names stay stable) and when."""
    return f"{slugify(title)[:80]}_{formatting.date_text(clock.today())}"


def picture(parts: tuple, make_svg, fmt: str, stem: str) -> HttpResponse:
    if fmt not in ("svg", "png"):
        raise Http404("pictures are .svg or .png")
    if fmt == "svg":
        return file_response(cached(parts + ("svg",), make_svg), "svg", stem)
    return file_response(cached(parts + ("png",), lambda: raster.png(make_svg())), "png", stem)


# --- The home map view as files -------------------------------------------------------------

# "year" is the row's period as the table words it ("2022"; for a law, "since 2021-02"). Law
# layers add the statute that sets the class, first, as on the page; "source" lists the statute
# page first, then the secondary pages (rate layers: the publisher's file).
MAP_COLUMNS = ("state", "value", "year", "status", "statute", "grade", "max_penalty",
               "statute_url", "source", "notes")


def map_rows(data: layers.MapData) -> list[dict]:
    """The rows of the view's table, one per state by name, as the download files give them."""
    def sources(r):
        statute = r.statute_link.url if r.statute_link else ""
        return " ".join(u for u in [statute, *(s.url for s in r.sources)] if u)
    return [{"state": r.name,
             "value": formatting.rounded_number(r.value, 1) if not data.layer.is_law else r.text,
             "year": r.period, "status": str(data.legend.bin(r.key).label),
             "statute": r.statute, "grade": r.grade, "max_penalty": r.max_penalty,
             "statute_url": r.statute_link.url if r.statute_link else "",
             "source": sources(r), "notes": "; ".join(r.notes)}
            for r in sorted(data.rows, key=lambda r: r.name)]


def map_stem(query) -> str:
    with translation.override("en"):
        title = str(layers.LAYERS[query.layer].title)
    when = query.year or ""
    return file_stem(f"{title} {when}".strip())


def _parts(query) -> tuple:
    return ("map", query.layer, query.year, query.as_of)


def map_twin(query, view_url: str) -> twins.Twin:
    """The home view `/?layer=…` (a home.Query) as its table: JSON and CSV."""
    def build():
        data = layers.build(query.layer, year=query.year, as_of=query.as_of)
        return {"title": figures.map_title(data), "layer": query.layer, "year": query.year,
                "as_of": formatting.date_text(query.as_of), "columns": list(MAP_COLUMNS),
                "view": view_url, "rows": map_rows(data)}
    body = cached(_parts(query) + ("twin",), build)
    return twins.Twin(body, MAP_COLUMNS, [[r[c] for c in MAP_COLUMNS] for r in body["rows"]],
                      filename=map_stem(query))


def map_pictures(query) -> dict:
    """`?format=svg|png` of the home view: {format: () -> response}."""
    def make(fmt):
        return lambda: picture(_parts(query), lambda: figures.map_figure(
            layers.build(query.layer, year=query.year, as_of=query.as_of)), fmt, map_stem(query))
    return {"svg": make("svg"), "png": make("png")}
