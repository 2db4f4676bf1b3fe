"""What the pages ask the database: few queries, and only the rows they show.

The atlas will carry monthly values next to yearly ones (ten to one); a page that fetched every
period and dropped the months in Python would slow down with each month added.
"""
from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from drugatlas.atlas.models import Jurisdiction, Observation

pytestmark = pytest.mark.django_db

MONTHLY = re.compile(r"^\d{4}-(0\d|1[01])$")  # a month other than the 12 months ending December


def add_monthly_siblings(**filters) -> int:
    """Eleven monthly rows beside each yearly row matched, as a larger release would carry."""
    rows = [Observation(jurisdiction_id=o.jurisdiction_id, measure_id=o.measure_id,
                        period=f"{o.period}-{m:02d}", value=o.value, flags=o.flags,
                        source_id=o.source_id)
            for o in Observation.objects.filter(**filters).exclude(period__contains="-")
            for m in range(1, 12)]
    Observation.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def observation_rows(queries) -> list[tuple]:
    """The rows each captured query on the observation table returned (run again)."""
    table = Observation._meta.db_table
    out = []
    with connection.cursor() as cursor:
        for q in queries:
            if f'"{table}"' in q["sql"] and q["sql"].lstrip().upper().startswith("SELECT"):
                cursor.execute(q["sql"])
                out.extend(cursor.fetchall())
    return out


def test_state_page_asks_for_yearly_values_only(client):
    added = add_monthly_siblings(jurisdiction_id__in=["48", "00"])
    assert added > 1000
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/states/tx/")
    assert response.status_code == 200
    rows = observation_rows(ctx.captured_queries)
    assert rows, "the page read no observations"
    monthly = [r for r in rows if any(isinstance(v, str) and MONTHLY.match(v) for v in r)]
    # Only the newest provisional month and the same month a year earlier (the "latest" line).
    assert len(monthly) <= 2, monthly


def test_state_page_query_count(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):  # a fixed number: none per measure, year or row
        assert client.get("/states/tx/").status_code == 200
    with django_assert_max_num_queries(3):  # cached body: the place and the page frame
        assert client.get("/states/tx/").status_code == 200


def test_counties_page_reads_one_year_of_254_counties(client, django_assert_max_num_queries):
    texas = Jurisdiction.objects.get(abbr="TX", kind="state")
    counties = texas.children.count()
    assert counties == 254
    add_monthly_siblings(jurisdiction__parent=texas, measure_id__in=[
        "drug_arrest_rate_county_crude", "drug_arrests", "population"])
    # The first request learns the years and the legend's breaks (cached per data release).
    assert client.get("/states/tx/counties/?layer=arrests&year=2010").status_code == 200
    with django_assert_max_num_queries(7) as ctx:
        assert client.get("/states/tx/counties/?layer=arrests&year=2012").status_code == 200
    rows = observation_rows(ctx.captured_queries)
    assert 0 < len(rows) <= 3 * counties  # the stored rate, arrests and population of a year
    with django_assert_max_num_queries(2):  # cached page: no "which years" query any more
        assert client.get("/states/tx/counties/?layer=arrests&year=2012").status_code == 200


def test_api_for_254_counties_is_one_place_query(client, django_assert_max_num_queries):
    fips = list(Jurisdiction.objects.filter(parent__abbr="TX", kind="county")
                .values_list("fips", flat=True))
    url = f"/api/v1/observations?measure=drug_arrests&jurisdiction={','.join(fips)}"
    # places, count, rows, release, sources (and the data version's look at the release)
    with django_assert_max_num_queries(6) as ctx:
        response = client.get(url)
        answer = json.loads(b"".join(response.streaming_content) if response.streaming
                            else response.content)
    assert response.status_code == 200
    places = [q for q in ctx.captured_queries
              if 'FROM "atlas_jurisdiction"' in q["sql"] and "atlas_observation" not in q["sql"]]
    assert len(places) == 1
    assert {r["fips"] for r in answer["rows"]} <= set(fips)
    assert answer["count"] == Observation.objects.filter(measure_id="drug_arrests",
                                                         jurisdiction_id__in=fips).count()
