"""Rows the legislation tests need, made here so the tests do not depend on the bundle's
contents (keys start with "test-" so they never collide with the research data)."""
from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.forms.models import model_to_dict

from drugatlas.atlas.models import Bill, BillEvent, Jurisdiction, LawStatus
from drugatlas.legislation.editors import sync_editor_group

PLACES = {"00": ("US", "United States", "nation"), "41": ("OR", "Oregon", "state"),
          "50": ("VT", "Vermont", "state"), "11": ("DC", "District of Columbia", "state")}
CITE = "https://example.org/statute"


def place(fips: str) -> Jurisdiction:
    abbr, name, kind = PLACES[fips]
    obj, _ = Jurisdiction.objects.get_or_create(fips=fips, defaults={
        "abbr": abbr, "name": name, "kind": kind, "parent_id": None if fips == "00" else "00"})
    return obj


@pytest.fixture
def places(db):
    place("00")
    return {fips: place(fips) for fips in PLACES}


def make_bill(key, fips, **fields) -> Bill:
    values = {"number": key.upper(), "session": "2021", "title": f"Title of {key}",
              "status": "introduced", "status_date": dt.date(2021, 3, 1), "citations": CITE,
              "confidence": "medium"}
    values.update(fields)
    return Bill.objects.create(key=key, jurisdiction=place(fips), **values)


@pytest.fixture
def bills(places):
    """A federal bill, a ballot measure with a history, a DC proposal and a Vermont bill."""
    federal = make_bill("test-us-hr-1", "00", number="H.R. 1 (117th Congress)", session="2021-2022",
                        title="Test Drug Policy Reform Act", status="introduced",
                        status_date=dt.date(2021, 6, 17), sponsors="Rep. A; Rep. B")
    measure = make_bill("test-or-measure-1", "41", number="Ballot Measure 1", session="2020",
                        title="Test Addiction Recovery Act", status="repealed",
                        status_date=dt.date(2024, 9, 1), threshold="1 g heroin",
                        penalty="$100 civil fine", note="Partly repealed in 2024.",
                        citations=f"{CITE}/m1\nhttps://example.org/news/m1", confidence="high")
    BillEvent.objects.create(bill=measure, date=dt.date(2024, 9, 1), action="Repealed by HB 1",
                             status="repealed", url="https://example.org/hb1")
    BillEvent.objects.create(bill=measure, date=dt.date(2020, 11, 3), action="Passed by voters",
                             status="enacted")
    BillEvent.objects.create(bill=measure, date=dt.date(2021, 2, 1), action="Took effect",
                             status="in_effect")
    dc = make_bill("test-dc-proposal", "11", number="DC proposal", session="2021",
                   status="announced", status_date=None)
    vermont = make_bill("test-vt-h-1", "50", number="H.1", session="2023-2024", status="failed",
                        status_date=dt.date(2023, 5, 1))
    BillEvent.objects.create(bill=vermont, date=dt.date(2023, 1, 10), action="Introduced",
                             status="introduced")
    return {"federal": federal, "measure": measure, "dc": dc, "vermont": vermont}


@pytest.fixture
def law(places):
    return LawStatus.objects.create(
        jurisdiction=place("41"), topic="possession", status="not_criminalized",
        valid_from=dt.date(2021, 2, 1), valid_to=dt.date(2024, 8, 31), statute="Test Act",
        citations=CITE, confidence="high", note="research note")


@pytest.fixture
def editor(db):
    """A staff user whose only rights come from the `editor` group."""
    user = get_user_model().objects.create_user("ed", "ed@example.org", "pw-editor-1", is_staff=True)
    # The migration made the group; a flush by a live-server test elsewhere may have removed it.
    user.groups.add(sync_editor_group())
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def form_data(obj, *, exclude=("id", "origin", "updated_at", "key")) -> dict:
    """The admin change form's fields for `obj`, as a browser would post them unchanged."""
    data = {}
    for name, value in model_to_dict(obj).items():
        if name in exclude:
            continue
        if value is None:
            value = ""
        elif isinstance(value, dt.date):
            value = value.isoformat()
        data[name] = value
    return data


def inline_events(bill: Bill, extra: list[dict] = ()) -> dict:
    """The BillEvent inline's management form and rows, plus any new rows."""
    events = list(bill.events.order_by("id"))
    data = {"events-TOTAL_FORMS": str(len(events) + len(extra)),
            "events-INITIAL_FORMS": str(len(events)),
            "events-MIN_NUM_FORMS": "0", "events-MAX_NUM_FORMS": "1000"}
    for i, event in enumerate(events):
        data.update({f"events-{i}-id": event.pk, f"events-{i}-bill": bill.pk,
                     f"events-{i}-date": event.date.isoformat() if event.date else "",
                     f"events-{i}-action": event.action, f"events-{i}-status": event.status,
                     f"events-{i}-url": event.url})
    for j, row in enumerate(extra, start=len(events)):
        data.update({f"events-{j}-bill": bill.pk, **{f"events-{j}-{k}": v for k, v in row.items()}})
    return data


@pytest.fixture
def admin_forms():
    """Helpers that build admin POST data: form_data(obj) and inline_events(bill, extra)."""
    return type("AdminForms", (), {"form_data": staticmethod(form_data),
                                   "inline_events": staticmethod(inline_events)})
