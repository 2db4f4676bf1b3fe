"""Large CSV answers stream: the bytes are those of the answer built whole, memory stays flat,
and nothing large is stored in the application cache."""
from __future__ import annotations

import csv
import io
import tracemalloc

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from drugatlas.api import stream
from drugatlas.api.views import OBSERVATION_COLUMNS
from drugatlas.atlas.cache import MAX_BODY_BYTES
from drugatlas.atlas.models import Jurisdiction, Observation

pytestmark = pytest.mark.django_db


def reference_rows(slug, **filters):
    return list(Observation.objects.filter(measure_id=slug, **filters)
                .order_by("jurisdiction_id", "period").values_list(*stream.COLUMNS))


def reference_csv(slug, rows=slice(None), **filters) -> bytes:
    """The CSV as the API wrote it before streaming: the whole body built with csv.writer."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(OBSERVATION_COLUMNS)
    for row in reference_rows(slug, **filters)[rows]:
        writer.writerow(stream.csv_row(slug, row))
    return buf.getvalue().encode()


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def answered_from_cache(client, url) -> bool:
    """Whether a repeated request is answered without reading observations again."""
    body(client.get(url))
    with CaptureQueriesContext(connection) as ctx:
        body(client.get(url))
    return not [q for q in ctx.captured_queries if "atlas_observation" in q["sql"]]


# Counts and rates with decimals, empty values with flags, ranges, county and state rows.
@pytest.mark.parametrize("slug", ["drug_arrests", "drug_arrest_rate", "population",
                                  "overdose_death_rate_county_bin",
                                  "overdose_deaths_12mo_provisional"])
def test_whole_measure_csv_streams_the_same_bytes(client, slug):
    url = f"/api/v1/observations?measure={slug}&format=csv"
    response = client.get(url)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)  # over 5,000 rows
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{slug}.csv"'
    assert body(response) == reference_csv(slug)
    assert not answered_from_cache(client, url)  # not pickled into the app cache


def test_a_page_of_a_long_csv_streams_that_page(client):
    response = client.get("/api/v1/observations?measure=population&format=csv"
                          "&limit=100&offset=50")
    assert response.streaming
    assert body(response) == reference_csv("population", rows=slice(50, 150))


def test_short_whole_measure_csv_is_the_same_bytes(client):
    response = client.get("/api/v1/observations?measure=overdose_death_rate_age_adjusted"
                          "&format=csv")
    assert not response.streaming
    assert body(response) == reference_csv("overdose_death_rate_age_adjusted")


def test_short_csv_is_the_same_bytes(client):
    response = client.get("/api/v1/observations?measure=drug_arrests&jurisdiction=TX,48201,US"
                          "&start=2000&end=2016&format=csv")
    assert not response.streaming  # a short answer is sent (and cached) whole
    assert body(response) == reference_csv(
        "drug_arrests", jurisdiction_id__in=["48", "48201", "00"], period__gte="2000",
        period__lt="2017")


def test_names_with_commas_and_accents_are_quoted_alike(client):
    Jurisdiction.objects.filter(fips="48201").update(name='Harris, "the county"')
    names = [r[2] for r in reference_rows("population", jurisdiction__kind="county")]
    assert any(not n.isascii() for n in names)  # e.g. Doña Ana County
    response = client.get("/api/v1/observations?measure=population&kind=county&format=csv")
    assert body(response) == reference_csv("population", jurisdiction__kind="county")


def test_json_pages_stay_small_and_cached(client):
    url = "/api/v1/observations?measure=population"
    response = client.get(url)
    assert not response.streaming and len(response.json()["rows"]) == 1000
    assert answered_from_cache(client, url)


def test_bodies_over_the_size_limit_stay_out_of_the_app_cache(client):
    url = "/api/v1/observations?measure=population&limit=10000"
    response = client.get(url)
    assert len(response.content) > MAX_BODY_BYTES
    assert not answered_from_cache(client, url)


def streamed_size_and_peak(client, url) -> tuple[int, int]:
    """Bytes streamed and the peak of Python memory allocated while answering."""
    tracemalloc.start()
    try:
        size = sum(len(chunk) for chunk in client.get(url).streaming_content)
        return size, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_streaming_a_whole_measure_keeps_memory_flat(client):
    client.get("/api/v1/observations?measure=population&kind=nation&format=csv").getvalue()
    small, small_peak = streamed_size_and_peak(
        client, "/api/v1/observations?measure=population&format=csv")
    large, large_peak = streamed_size_and_peak(
        client, "/api/v1/observations?measure=drug_arrests&format=csv")
    assert large > 1.8 * small and large > 4_000_000
    # Built whole, the answer would need at least its own size; streamed, memory does not grow
    # with it.
    assert large_peak < large / 2, f"peak {large_peak:,} bytes for a {large:,}-byte answer"
    assert large_peak < 1.3 * small_peak + 256 * 1024, (small_peak, large_peak)
