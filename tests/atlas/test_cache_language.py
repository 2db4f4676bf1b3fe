"""A page or twin kept in the application cache is served only in the language it was made in
(drugatlas/atlas/cache.py: `remember` and `remember_response` key every value by the active
language). An English request after a Spanish one for the same page answers the same bytes as
an English request on an empty cache."""
from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from drugatlas.atlas.cache import bump_data_version
from drugatlas.atlas.models import Bill, Jurisdiction

pytestmark = pytest.mark.django_db

# Each page, its twins and pictures, and a page whose parts are kept one by one (the home
# page's map view, headlines and consequence counts; a state's profile and body).
PAGES = ["/", "/?format=json", "/?format=csv", "/?layer=possession&format=svg",
         "/states/ca/", "/states/ca/?format=json", "/states/tx/counties/",
         "/states/tx/counties/?format=json", "/states/tx/counties/?layer=arrests&format=csv",
         "/sources/", "/sources/?format=json", "/about/", "/legislation/",
         "/legislation/?format=json", "/reinvest/?state=OR", "/reinvest/assumptions/",
         "/states/ca/card.svg", "/embed/map/", "/embed/states/ca/"]


def _county_and_bill() -> list[str]:
    county = Jurisdiction.objects.filter(kind=Jurisdiction.COUNTY, parent__abbr="TX").first()
    bill = Bill.objects.order_by("id").first()
    with translation.override("en"):
        return [county.get_absolute_url(), county.get_absolute_url() + "?format=json",
                bill.get_absolute_url(), bill.get_absolute_url() + "?format=json"]


def _get(url: str):
    response = Client().get(url)
    assert response.status_code == 200, url
    return response.content


def _english_after_spanish(url: str) -> tuple[bytes, bytes, bytes]:
    bump_data_version()  # an empty cache
    english = _get(url)
    bump_data_version()
    spanish = _get("/es" + url)
    return english, spanish, _get(url)


def test_english_after_spanish_serves_english(atlas_db):
    differ = 0
    for url in PAGES + _county_and_bill():
        english, spanish, again = _english_after_spanish(url)
        assert again == english, f"{url} served what was kept for /es{url}"
        differ += spanish != english
    # The check means something: most of these answers have words that change with language.
    assert differ >= len(PAGES) // 2


def test_spanish_after_english_serves_spanish(atlas_db):
    for url in ["/", "/states/ca/", "/sources/", "/legislation/"] + _county_and_bill()[:3]:
        bump_data_version()
        spanish = _get("/es" + url)
        bump_data_version()
        _get(url)
        assert _get("/es" + url) == spanish, url
