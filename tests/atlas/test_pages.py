"""/sources/ (generated from the Source and Measure records) and /about/."""
from __future__ import annotations


import pytest

import htmlpage
import atlas_sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(db):
    return atlas_sample.build()


def section(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}"')
    end = html.index("</div>", start)
    return html[start:end]


def test_sources_are_grouped_by_publisher_with_years_file_checksum_and_licence(client, sample):
    response = client.get("/sources/")
    assert response.status_code == 200
    html = response.content.decode()
    fbi = section(html, "source-test-fbi-t69")
    assert '<a href="https://example.org/fbi" rel="noopener">Arrests by State (test)</a>' in fbi
    assert "<dd>2016–2023</dd>" not in fbi  # 2016 comes from the ICPSR source, not this one
    assert "<dd>2021–2023</dd>" in fbi  # min and max period of its observations
    assert "<code>test-fbi-t69/file.csv</code>" in fbi
    assert "ab" * 32 in fbi
    assert "2025-11-02" in fbi and "Public domain" in fbi and "Reported arrests only." in fbi
    # Both "Test NCHS" sources sit under one publisher heading, in title order.
    nchs = html.index("<h3>Test NCHS</h3>")
    assert nchs < html.index('id="source-test-nchs"') < html.index('id="source-test-vsrr"')
    assert html.count("<h3>Test NCHS</h3>") == 1
    # Periods like "2023-12" count by their year.
    assert "<dd>2022–2023</dd>" in section(html, "source-test-vsrr")
    laws = section(html, "source-test-laws")
    assert "<dt>Legal records</dt><dd>6</dd>" in laws and "<dt>Bills</dt><dd>1</dd>" in laws


def test_sources_page_explains_each_layer_method(client, sample):
    html = client.get("/sources/").content.decode()
    for anchor in ("layer-possession", "layer-paraphernalia", "layer-arrests", "layer-overdose",
                   "layer-county-overdose", "layer-county-arrests"):
        assert f'id="{anchor}"' in html
    arrests = html[html.index('id="layer-arrests"'):html.index('id="layer-overdose"')]
    assert "What the rate divides by:" in arrests
    assert "reporting agencies" in arrests
    possession = html[html.index('id="layer-possession"'):html.index('id="layer-paraphernalia"')]
    assert "Not criminalized · Misdemeanor · Both misdemeanor &amp; felony · Felony" in possession
    assert 'id="measure-drug_arrest_rate"' in html


def test_sources_page_renders_with_nothing_loaded(client, db):
    response = client.get("/sources/")
    assert response.status_code == 200


def test_about_page_says_what_decriminalization_is_and_is_not(client, sample):
    response = client.get("/about/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not legalization." in html
    assert "2021-02-01" in html and "Measure 110" in html
    assert "2024-09-01" in html and "HB 4002" in html
    assert "reinvest" in html.lower()
    links = htmlpage.attrs(html, 'a[href^="https://"]', "href")
    assert len(links) >= 6  # cited

