"""Every view as a file and a picture: icons, share cards (og:image), downloads of the map view
and of each state chart, and the embeddable pages.

- `/favicon.ico`, `/apple-touch-icon.png`: the icons, at the root where browsers look.
- `/?layer=…&format=csv|json|svg|png`: the map view's table or picture (files.py, served by
  the home view through drugatlas/twins.py).
- `/states/<abbr>/card.svg|png`: the state's card; `/legislation/<key>/card.svg|png`: a bill's.
- `/states/<abbr>/charts/<slug>.svg|png|csv`: one trend chart or its data.
- `/embed/map/?layer=…`, `/embed/states/<abbr>/`, `/embed/states/<abbr>/charts/<slug>/`:
  minimal pages that any site may frame (URL names start with "embed-"; `embeddable` below).
- `/oembed/?url=…`: oEmbed (rich type, JSON) for those pages.

Pictures and files are public GET answers, cached under the data version (a new data release
changes the version) and the language, and set no cookie.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from drugatlas.security import embeddable
from drugatlas import clock, twins
from drugatlas.atlas.views import home, states
from drugatlas.legislation import records
from drugatlas.params import BadRequest

from . import figures, files, panel, render as raster


# --- Framing ----------------------------------------------------------------------------------

# `embeddable` (drugatlas.security): any site may frame these views' pages, and only these
# (the rest of the site keeps X-Frame-Options DENY and CSP frame-ancestors 'none').


# --- Helpers (files.py) ------------------------------------------------------------------------

_cached, _file, _picture = files.cached, files.file_response, files.picture
file_stem = files.file_stem


# --- Icons ------------------------------------------------------------------------------------

def _static_file(name: str, content_type: str):
    @require_GET
    def view(request):
        path = finders.find(f"icons/{name}")
        response = FileResponse(open(path, "rb"), content_type=content_type)
        response["Cache-Control"] = "public, max-age=86400"
        return response
    return view


favicon = _static_file("favicon.ico", "image/x-icon")
touch_icon = _static_file("apple-touch-icon.png", "image/png")


# --- State cards and charts -------------------------------------------------------------------

def _state(abbr: str):
    place = states.find_place(abbr)  # a state, DC or the nation ("us"), as the pages
    if place is None:
        raise Http404("no such state")
    return place


@require_GET
def state_card(request, abbr: str, fmt: str):
    place = _state(abbr)
    return _picture(("state-card", place.abbr),
                    lambda: figures.state_card(place, states.cached_profile(place)), fmt,
                    file_stem(f"{place.name} drug laws"))


def _charts(place) -> dict[str, dict]:
    data = states.cached_profile(place)
    return {c["slug"]: c for c in states.build_charts(place, data) + states.race_charts(place, data)}


@require_GET
def state_chart(request, abbr: str, slug: str, fmt: str):
    place = _state(abbr)
    if fmt not in ("svg", "png", "csv"):
        raise Http404("charts are .svg, .png or .csv")
    chart = _cached(("chart", place.abbr, slug), lambda: _chart_files(place, slug))
    if chart is None:
        raise Http404("no such chart")
    stem = file_stem(f"{place.abbr} {slug}")
    if fmt == "csv":
        return _file(chart["csv"], "csv", stem, inline=False)
    if fmt == "svg":
        return _file(chart["svg"], "svg", stem)
    return _file(_cached(("chart-png", place.abbr, slug), lambda: raster.png(chart["svg"], 1200)),
                 "png", stem)


def _chart_files(place, slug: str) -> dict | None:
    found = _charts(place).get(slug)
    if found is None:
        return None
    table = found["chart"].table
    # The picture says what, where from and when, like the map's (figures.chart_figure).
    picture = figures.chart_figure(str(found["title"]), found["chart"].svg,
                                   [s["publisher"] for s in found["sources"]])
    return {"svg": picture, "csv": twins.csv_text(table.headers, table.rows),
            "title": found["title"]}


@require_GET
def bill_card(request, ref: str, fmt: str):
    bill = records.find_bill(ref)
    if bill is None:
        raise Http404("no such bill")
    return _picture(("bill-card", bill.pk), lambda: figures.bill_card(records.bill_detail(bill)),
                    fmt, file_stem(f"{bill.jurisdiction.abbr} {bill.number or bill.key}"))


# --- Embeds -----------------------------------------------------------------------------------

@embeddable
@require_GET
def embed_map(request):
    try:
        query = home.parse_query(request.GET, today=clock.today())
    except BadRequest as e:
        return HttpResponseBadRequest(str(e), content_type="text/plain; charset=utf-8")
    context = _cached(("embed-map", query.layer, query.year, query.as_of),
                      lambda: _embed_map_context(query))
    return render(request, "share/embed_map.html", {**context, "query": query})


def _embed_map_context(query: home.Query) -> dict:
    context = home.map_view_context(query)
    data = context["data"]
    # SVG links ignore the page's <base target="_blank">: without their own target, a state
    # opened inside the frame, where the state page refuses to be framed.
    map_svg = str(context["map_svg"]).replace("<a href=", '<a target="_blank" href=')
    return {"title": context["title"], "map_svg": map_svg,
            "legend_entries": [(str(b.label), b.fill, n) for b, n in context["legend_entries"]],
            "sources": figures.map_sources(data), "page_url": query.url(sort="name"),
            "rows": context["rows"],
            # The callout boxes' states as links under the map on a phone, like the home page.
            "small_states": [{"href": a.href, "fill": a.fill, "hatched": a.hatched,
                              "label": str(a.label), "data": {"abbr": str(a.data["abbr"])}}
                             for a in context["small_states"]]}


@embeddable
@require_GET
def embed_state(request, abbr: str):
    place = _state(abbr)
    profile = states.cached_profile(place)
    laws = []
    for topic in profile["laws"]:
        if topic["topic"] in figures.CARD_TOPICS:
            now = [i for i in topic["intervals"] if i["in_force"]]
            laws.append({"label": topic["label"],
                         "status": now[0]["status_label"] if now else _("No data")})
    publishers = list(dict.fromkeys(s["publisher"] for st in profile["statements"]
                                    for s in st["sources"]))
    return render(request, "share/embed_state.html", {
        "place": place, "page_url": reverse("atlas:state", args=[place.abbr.lower()]),
        "profile": profile, "laws": laws, "publishers": publishers})


@embeddable
@require_GET
def embed_chart(request, abbr: str, slug: str):
    place = _state(abbr)
    chart = _charts(place).get(slug)
    if chart is None:
        raise Http404("no such chart")
    return render(request, "share/embed_chart.html", {
        "place": place, "chart": chart,
        "page_url": reverse("atlas:state", args=[place.abbr.lower()]) + f"#figure-{slug}"})


# --- oEmbed -----------------------------------------------------------------------------------

@require_GET
def oembed(request):
    """oEmbed (https://oembed.com) for a page of this site: the iframe of its embed."""
    url = request.GET.get("url", "")
    if request.GET.get("format", "json") != "json":
        return HttpResponse(status=501)
    target = embed_url(url)
    if target is None:
        raise Http404("no embed for that URL")
    path, name = target
    width, height = panel.EMBED_SIZE[name]
    max_width = request.GET.get("maxwidth", "")
    if max_width.isdigit():
        width = min(width, int(max_width))
    src = settings.SITE_URL + path
    return JsonResponse({
        "version": "1.0", "type": "rich", "provider_name": "Drug Policy Atlas",
        "provider_url": settings.SITE_URL + "/", "width": width, "height": height,
        "html": panel.iframe_code(src, width, height, _("Drug Policy Atlas"))})


def embed_url(url: str) -> tuple[str, str] | None:
    """The embed page (path, URL name) for a page of this site, or None."""
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != urlsplit(settings.SITE_URL).netloc:
        return None
    try:
        match = resolve(parts.path or "/")
    except Resolver404:
        return None
    if match.url_name and match.url_name.startswith("embed-"):
        return (parts.path + (f"?{parts.query}" if parts.query else ""), match.url_name)
    if match.view_name == "atlas:home":
        return reverse("share:embed-map") + (f"?{parts.query}" if parts.query else ""), "embed-map"
    if match.view_name == "atlas:state":
        return reverse("share:embed-state", args=[match.kwargs["abbr"].lower()]), "embed-state"
    return None
