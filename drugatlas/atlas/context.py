"""Template context shared by every page."""
from django.conf import settings
from django.utils.functional import SimpleLazyObject

from drugatlas.atlas.language import switch_urls


def site(request):
    # This page in each language: the switch, hreflang alternates and the canonical link.
    # Canonical and alternate links only on public pages (never on form or token pages).
    return {"SITE_URL": settings.SITE_URL,
            "language_urls": SimpleLazyObject(lambda: switch_urls(request)),
            "public_page": hasattr(request, "public_etag")}
