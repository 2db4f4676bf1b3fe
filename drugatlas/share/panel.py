"""What the "Share / embed" panels offer: the page's link, the iframe code of its embed, and
its downloads. Built where the page body is (cached with it), so paths follow the page's
language prefix through reverse()."""
from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from html import escape

# The iframe sizes the embeds are designed for; the pages inside reflow to any width.
EMBED_SIZE = {"embed-map": (800, 620), "embed-state": (800, 520), "embed-chart": (800, 520)}


def iframe_code(src: str, width: int, height: int, title: str) -> str:
    return (f'<iframe src="{escape(src, quote=True)}" title="{escape(title, quote=True)}" '
            f'width="{width}" height="{height}" style="border:0;max-width:100%" '
            f'loading="lazy"></iframe>')


def _panel(key: str, link: str, embed: str, size: str, downloads: list[tuple[str, str]]) -> dict:
    width, height = EMBED_SIZE[size]
    return {"id": key, "link": settings.SITE_URL + link,
            "iframe": iframe_code(settings.SITE_URL + embed, width, height,
                                        _("Drug Policy Atlas")),
            "downloads": downloads}


def for_map(query) -> dict:
    qs = query.url(sort="name").split("?", 1)[1]
    view = reverse("atlas:home") + "?" + qs
    return _panel("map", view, reverse("share:embed-map") + "?" + qs, "embed-map",
                  [(fmt.upper(), f"{view}&format={fmt}") for fmt in ("csv", "json", "svg", "png")])


def for_state(place) -> dict:
    abbr = place.abbr.lower()
    return _panel("state", reverse("atlas:state", args=[abbr]),
                  reverse("share:embed-state", args=[abbr]), "embed-state",
                  [(_("Card, %(format)s") % {"format": fmt.upper()},
                    reverse("share:state-card", args=[abbr, fmt])) for fmt in ("png", "svg")])


def for_chart(place, slug: str) -> dict:
    abbr = place.abbr.lower()
    return _panel(f"chart-{slug}", reverse("atlas:state", args=[abbr]) + f"#figure-{slug}",
                  reverse("share:embed-chart", args=[abbr, slug]), "embed-chart",
                  [(fmt.upper(), reverse("share:state-chart", args=[abbr, slug, fmt]))
                   for fmt in ("svg", "png", "csv")])
