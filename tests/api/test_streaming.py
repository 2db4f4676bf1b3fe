"""Large answers stream: the bytes are those of the answer built whole, memory stays flat,
and nothing large is stored in the application cache."""
from __future__ import annotations

import csv
import io
import json
import tracemalloc

import pytest
from django.core.cache import cache as django_cache
from django.http import StreamingHttpResponse

from drugatlas.api import stream
from drugatlas.api.views import OBSERVATION_COLUMNS, _source_json
from drugatlas.atlas import cache
from drugatlas.atlas.models import DataRelease, Jurisdiction, Observation, Source

pytestmark = pytest.mark.django_db


def reference_rows(slug, **filters):
    return list(Observation.objects.filter(measure_id=slug, **filters)
                .order_by("jurisdiction_id", "period").values_list(*stream.COLUMNS))


def reference_csv(slug, **filters) -> bytes:
    """The CSV as the API wrote it before streaming: the whole body built with csv.writer."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(OBSERVATION_COLUMNS)
    for row in reference_rows(slug, **filters):
        writer.writerow(stream.csv_row(slug, row))
    return buf.getvalue().encode()


def body(response) -> bytes:
    return b"".join(response.streaming_content)


# Counts and rates with decimals, empty values with flags, ranges, county and state rows.
@pytest.mark.parametrize("slug", ["drug_arrests", "drug_arrest_rate", "population",
                                  "overdose_death_rate_age_adjusted",
                                  "overdose_death_rate_county_bin",
                                  "overdose_deaths_12mo_provisional"])
def test_whole_measure_csv_streams_the_same_bytes(client, slug):
    url = f"/api/v1/observations?measure={slug}&format=csv"
    response = client.get(url)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{slug}.csv"'
    assert body(response) == reference_csv(slug)
    assert django_cache.get(cache.key("api", url)) is None  # not pickled into the app cache


def test_filtered_csv_streams_the_same_bytes(client):
    response = client.get("/api/v1/observations?measure=drug_arrests&jurisdiction=TX,48201,US"
                          "&start=2000&end=2016&format=csv")
    assert isinstance(response, StreamingHttpResponse)
    assert body(response) == reference_csv(
        "drug_arrests", jurisdiction_id__in=["48", "48201", "00"], period__gte="2000",
        period__lt="2017")


def test_names_with_commas_and_accents_are_quoted_alike(client):
    Jurisdiction.objects.filter(fips="48201").update(name='Harris, "the county"')
    names = [r[2] for r in reference_rows("population", jurisdiction__kind="county")]
    assert any(not n.isascii() for n in names)  # e.g. Doña Ana County
    response = client.get("/api/v1/observations?measure=population&kind=county&format=csv")
    assert body(response) == reference_csv("population", jurisdiction__kind="county")


def test_long_json_answer_streams_the_same_json(client):
    # Quotes, a backslash, a comma and accents in a name; flags, empty values and decimals.
    Jurisdiction.objects.filter(fips="48201").update(name='Harris "the" \\ county,\tDoña')
    url = "/api/v1/observations?measure=drug_arrests&kind=county"
    response = client.get(url)
    assert isinstance(response, StreamingHttpResponse)
    rows = reference_rows("drug_arrests", jurisdiction__kind="county")
    assert len(rows) > stream.STREAM_ROWS
    assert any("," in r[5] for r in rows) and any(r[4] is None for r in rows)
    streamed = body(response)
    answer = json.loads(streamed)
    assert answer["count"] == len(rows)
    assert answer["rows"] == [stream.row_json(r) for r in rows]
    assert 'Harris "the" \\ county,\tDoña' in {r["name"] for r in answer["rows"]}
    assert answer["data_version"] == DataRelease.objects.latest().version[:12]
    cited = sorted({r[6] for r in rows})
    assert answer["sources"] == {s.id: _source_json(s) for s in Source.objects.filter(id__in=cited)}
    # Byte for byte what json.dumps writes for the whole answer.
    assert streamed == json.dumps(answer, ensure_ascii=False, separators=(",", ":")).encode()
    assert django_cache.get(cache.key("api", url)) is None


def test_short_json_answer_is_built_and_cached(client):
    url = "/api/v1/observations?measure=drug_arrests&kind=state&start=2020&end=2022"
    response = client.get(url)
    assert not response.streaming
    assert django_cache.get(cache.key("api", url)) is not None


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
