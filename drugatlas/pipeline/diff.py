"""`drugatlas data diff`: what a new bundle changes against the loaded release, and which
changes a person must confirm before `drugatlas data load` puts them live.

Both sides are read as tables of dict rows keyed by the bundle's columns (bundle.read_table),
so the old side can be another bundle folder or the database: the command passes a function
that reads the loaded release (drugatlas/atlas/loaded_release.py), and this module never
imports Django.

Values are compared by (measure, place, period) and grouped by source (the new value's, or the
old one's where a value went away) and measure:
- added: a (measure, place, period) the old side did not have; its period is *new* when the
  measure had no value for that period anywhere before (a new month or year of data);
- revised: a number that changed (old -> new, the change and its relative size);
- filled: no data before (suppressed, not reported), a number now;
- removed: a number that went away (the row is gone, or is no data now);
- relabelled: the same number with other flags or another source.
Laws (by place, topic and start) and bills (by key, with their events) are compared field by
field. A revision larger than the threshold (relative, and for counts at least
MIN_COUNT_CHANGE) and every number that went away are *flagged*: `data load` refuses the
bundle until a person accepts them (`--accept-revisions`).

The JSON form (FORMAT 1) is described in docs/operations.md. release_summary() keeps what a
release record needs: each source's summary and new figures, without the row lists.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Callable, Iterable

from drugatlas import formatting, measures

from . import bundle

FORMAT = 1
DEFAULT_THRESHOLD = 0.10  # a revision of more than 10% is flagged ...
MIN_COUNT_CHANGE = 10  # ... unless it is a count that moved by fewer than 10
COUNT_UNITS = frozenset({"arrests", "deaths", "people", "agencies"})
NATION = "00"

Tables = Callable[[str], Iterable[dict]]


def bundle_tables(bundle_dir: Path) -> Tables:
    return lambda table: bundle.read_table(Path(bundle_dir), table)


def no_tables(table: str) -> Iterable[dict]:
    """The old side when nothing has been loaded yet: everything is new."""
    return ()


# Comparing -------------------------------------------------------------------------------------

def compare(old: Tables, new: Tables, *, old_label: str = "", new_label: str = "",
            old_version: str = "", new_version: str = "",
            threshold: float = DEFAULT_THRESHOLD) -> dict:
    """The changes from `old` to `new` as a JSON-ready dict (see the module docstring)."""
    groups, old_span, new_span = _compare_observations(old("observations"),
                                                       new("observations"), threshold)
    old_sources = {s["id"]: s for s in old("sources")}
    new_sources = {s["id"]: s for s in new("sources")}
    places = {p["fips"]: p["name"] for p in old("jurisdictions")}
    places.update({p["fips"]: p["name"] for p in new("jurisdictions")})

    sources = []
    for source_id in sorted(set(groups) | set(old_sources) | set(new_sources)):
        item = _source(source_id, old_sources.get(source_id), new_sources.get(source_id),
                       groups.get(source_id, {}), old_span.get(source_id),
                       new_span.get(source_id))
        if item:
            sources.append(item)
    legal = {"laws": _compare_laws(old("laws"), new("laws")),
             "bills": _compare_bills(old("bills"), new("bills"), old("bill_events"),
                                     new("bill_events"))}
    mentioned = {row["place"] for s in sources for m in s["measures"]
                 for kind in ("added", "revised", "filled", "removed", "relabelled")
                 for row in m[kind]}
    mentioned |= {law["jurisdiction"] for kind in ("added", "changed", "removed")
                  for law in legal["laws"][kind]}
    totals = {kind: sum(s["summary"][kind] for s in sources)
              for kind in ("added", "revised", "filled", "removed", "relabelled", "flagged")}
    totals["laws"] = {k: len(v) for k, v in legal["laws"].items()}
    totals["bills"] = {k: len(v) for k, v in legal["bills"].items()}
    return {
        "format": FORMAT,
        "old": {"label": old_label, "version": old_version},
        "new": {"label": new_label, "version": new_version},
        "threshold": {"relative": threshold, "min_count_change": MIN_COUNT_CHANGE},
        "totals": totals,
        "sources": sources,
        "legal": legal,
        "places": {fips: places.get(fips, fips) for fips in sorted(mentioned)},
    }


def _value(text: str) -> float | None:
    return float(text) if text else None


def _compare_observations(old_rows: Iterable[dict], new_rows: Iterable[dict], threshold: float):
    """source -> measure -> changes, and each side's source -> (first, last) period.

    The old side is indexed; the new side streams past it once (the bundle has 620,000 rows).
    """
    old: dict[tuple, tuple] = {}
    old_periods: dict[str, set] = defaultdict(set)  # measure -> periods it had
    old_span: dict[str, set] = defaultdict(set)
    for row in old_rows:
        measure, period, source = row["measure"], row["period"], row["source"]
        old[(measure, row["jurisdiction"], period)] = (_value(row["value"]), row["flags"], source)
        old_periods[measure].add(period)
        old_span[source].add(period)

    groups: dict[str, dict[str, dict]] = defaultdict(dict)

    def bucket(source: str, measure: str) -> dict:
        return groups[source].setdefault(measure, {
            "added": [], "revised": [], "filled": [], "removed": [], "relabelled": []})

    new_span: dict[str, set] = defaultdict(set)
    seen: set[tuple] = set()
    changed: dict[tuple, float | None] = {}  # new values that differ from the old side's
    for row in new_rows:
        measure, place, period, source = (row["measure"], row["jurisdiction"], row["period"],
                                          row["source"])
        key, value, flags = (measure, place, period), _value(row["value"]), row["flags"]
        new_span[source].add(period)
        before = old.get(key)
        if before is None:
            changed[key] = value
            bucket(source, measure)["added"].append({
                "place": place, "period": period, "value": _json_number(value), "flags": flags,
                "new_period": period not in old_periods[measure], "year_earlier": None})
            continue
        seen.add(key)
        old_value, old_flags, old_source = before
        if old_value != value:
            changed[key] = value
        if old_value is not None and value is not None and old_value != value:
            change = value - old_value
            bucket(source, measure)["revised"].append({
                "place": place, "period": period, "old": _json_number(old_value),
                "new": _json_number(value), "change": _json_number(round(change, 10)),
                "relative": round(change / old_value, 4) if old_value else None,
                "flagged": _is_flagged(measure, old_value, value, threshold)})
        elif old_value is None and value is not None:
            bucket(source, measure)["filled"].append({
                "place": place, "period": period, "value": _json_number(value), "flags": flags,
                "old_flags": old_flags})
        elif old_value is not None and value is None:
            bucket(source, measure)["removed"].append({
                "place": place, "period": period, "old": _json_number(old_value),
                "flags": flags, "why": "no data now", "flagged": True})
        elif (old_flags, old_source) != (flags, source):
            bucket(source, measure)["relabelled"].append({
                "place": place, "period": period, "old_flags": old_flags, "flags": flags,
                "old_source": old_source, "source": source})
    for key in old.keys() - seen:
        old_value, old_flags, old_source = old[key]
        bucket(old_source, key[0])["removed"].append({
            "place": key[1], "period": key[2], "old": _json_number(old_value),
            "flags": old_flags, "why": "gone", "flagged": old_value is not None})

    def new_value(key):
        if key in changed:
            return changed[key]
        return old[key][0] if key in seen else None

    for by_measure in groups.values():
        for measure, changes in by_measure.items():
            for row in changes["added"]:
                row["year_earlier"] = _json_number(
                    new_value((measure, row["place"], _year_earlier(row["period"]))))

    def spans(periods):
        return {source: (min(p), max(p)) for source, p in periods.items()}

    return groups, spans(old_span), spans(new_span)


def _json_number(value: float | None):
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _year_earlier(period: str) -> str:
    year, _, month = period.partition("-")
    return f"{int(year) - 1}-{month}" if month else str(int(year) - 1)


def _is_flagged(measure: str, old: float, new: float, threshold: float) -> bool:
    change = new - old
    info = measures.BY_SLUG.get(measure)
    if info and info.unit in COUNT_UNITS and abs(change) < MIN_COUNT_CHANGE:
        return False
    if old == 0:
        return change != 0
    return abs(change / old) > threshold


SOURCE_FIELDS = ("publisher", "title", "url", "file", "retrieved", "sha256", "licence", "caveats")


def _source(source_id: str, old: dict | None, new: dict | None, by_measure: dict[str, dict],
            old_span, new_span) -> dict | None:
    changed = {f: [old[f], new[f]] for f in SOURCE_FIELDS
               if old and new and old.get(f) != new.get(f)}
    if old and new and not changed and not by_measure:
        return None
    info = new or old or {}  # a source no sources table names still gets its changes shown
    status = "new" if not old else "removed" if not new else "changed"
    measure_items = []
    for slug, changes in sorted(by_measure.items()):
        m = measures.BY_SLUG.get(slug)
        counts = {kind: len(rows) for kind, rows in changes.items()}
        counts["flagged"] = sum(1 for kind in ("revised", "removed") for row in changes[kind]
                                if row["flagged"])
        measure_items.append({
            "measure": slug, "label": m.label if m else slug, "unit": m.unit if m else "",
            "new_periods": sorted({r["period"] for r in changes["added"] if r["new_period"]}),
            "counts": counts, **{kind: sorted(rows, key=lambda r: (r["period"], r["place"]))
                                 for kind, rows in changes.items()}})
    added = [r for m in measure_items for r in m["added"]]
    new_periods = sorted({r["period"] for r in added if r["new_period"]})
    updated = {r["place"] for r in added if r["new_period"] and r["value"] is not None}
    summary = {kind: sum(m["counts"][kind] for m in measure_items)
               for kind in ("added", "revised", "filled", "removed", "relabelled", "flagged")}
    summary.update({
        "newest_period": {"old": old_span[1] if old_span else None,
                          "new": new_span[1] if new_span else None},
        "new_periods": new_periods,
        "states_updated": len({p for p in updated if len(p) == 2 and p != NATION}),
        "places_updated": len(updated),
        "revised_periods": sorted({r["period"] for m in measure_items
                                   for kind in ("revised", "filled", "removed")
                                   for r in m[kind]} - set(new_periods)),
    })
    return {"id": source_id, "publisher": info.get("publisher", ""),
            "title": info.get("title", ""), "url": info.get("url", ""), "status": status,
            "retrieved": {"old": (old or {}).get("retrieved"), "new": (new or {}).get("retrieved")},
            "changed_fields": changed, "summary": summary, "measures": measure_items}


LAW_KEY = ("jurisdiction", "topic", "valid_from")
LAW_FIELDS = ("status", "valid_to", "statute", "citations", "confidence", "note", "source")
BILL_FIELDS = ("jurisdiction", "number", "session", "title", "summary", "status", "status_date",
               "citations", "confidence", "note", "threshold", "penalty", "diversion", "funding",
               "sponsors", "source")
EVENT_FIELDS = ("date", "action", "status", "url")


def _compare_laws(old_rows: Iterable[dict], new_rows: Iterable[dict]) -> dict:
    old = {tuple(r[k] for k in LAW_KEY): r for r in old_rows}
    new = {tuple(r[k] for k in LAW_KEY): r for r in new_rows}

    def brief(row):
        return {k: row[k] for k in (*LAW_KEY, "status", "valid_to", "citations")}

    changed = []
    for key in sorted(set(old) & set(new)):
        fields = {f: [old[key][f], new[key][f]] for f in LAW_FIELDS
                  if old[key][f] != new[key][f]}
        if fields:
            changed.append({**dict(zip(LAW_KEY, key)), "fields": fields,
                            "editor_owned": old[key].get("origin") == "editor"})
    return {"added": [brief(new[k]) for k in sorted(set(new) - set(old))],
            "changed": changed,
            "removed": [brief(old[k]) for k in sorted(set(old) - set(new))]}


def _compare_bills(old_rows, new_rows, old_events, new_events) -> dict:
    old = {r["key"]: r for r in old_rows}
    new = {r["key"]: r for r in new_rows}
    events_before, events_after = defaultdict(list), defaultdict(list)
    for rows, target in ((old_events, events_before), (new_events, events_after)):
        for e in rows:
            target[e["bill_key"]].append(tuple(e[f] for f in EVENT_FIELDS))

    def brief(row):
        return {k: row[k] for k in ("key", "jurisdiction", "number", "title", "status",
                                    "status_date")}

    changed = []
    for key in sorted(set(old) & set(new)):
        fields = {f: [old[key][f], new[key][f]] for f in BILL_FIELDS
                  if old[key][f] != new[key][f]}
        before, after = events_before[key], events_after[key]
        added = [dict(zip(EVENT_FIELDS, e)) for e in after if e not in before]
        removed = [dict(zip(EVENT_FIELDS, e)) for e in before if e not in after]
        if fields or added or removed:
            changed.append({"key": key, "fields": fields, "events_added": added,
                            "events_removed": removed,
                            "editor_owned": old[key].get("origin") == "editor"})
    return {"added": [brief(new[k]) for k in sorted(set(new) - set(old))],
            "changed": changed,
            "removed": [brief(old[k]) for k in sorted(set(old) - set(new))]}


def release_summary(changes: dict) -> dict:
    """The diff without its row lists, but with every new figure: what a release record keeps.

    Per source: its summary (newest period, new periods, states updated, earlier periods
    revised) and per measure the counts and `new_figures`, the values of new periods with the
    value a year earlier, for the changelog line and subscribers' digest lines. Legal changes
    are kept whole (they are few).
    """
    sources = []
    for source in changes["sources"]:
        sources.append({
            **{k: source[k] for k in ("id", "publisher", "title", "url", "status", "retrieved",
                                      "summary")},
            "measures": [{
                **{k: m[k] for k in ("measure", "label", "unit", "counts", "new_periods")},
                "new_figures": [{k: r[k] for k in ("place", "period", "value", "year_earlier")}
                                for r in m["added"] if r["new_period"] and r["value"] is not None],
            } for m in source["measures"]]})
    places = {r["place"] for s in sources for m in s["measures"] for r in m["new_figures"]}
    places |= {law["jurisdiction"] for kind in ("added", "changed", "removed")
               for law in changes["legal"]["laws"][kind]}
    return {**{k: changes[k] for k in ("format", "old", "new", "threshold", "totals", "legal")},
            "sources": sources,
            "places": {f: name for f, name in changes["places"].items() if f in places}}


# Flagged changes and the load's check ----------------------------------------------------------

def flagged(diff: dict) -> list[dict]:
    """Every flagged change, with its source and measure, largest relative revision first."""
    items = []
    for source in diff["sources"]:
        for m in source["measures"]:
            for kind in ("revised", "removed"):
                items += [{"source": source["id"], "measure": m["measure"], "kind": kind, **row}
                          for row in m[kind] if row["flagged"]]
    return sorted(items, key=lambda r: (r["kind"] != "removed", -abs(r.get("relative") or 0)))


def refusal(diff: dict) -> str | None:
    """Why `data load` refuses this bundle without --accept-revisions, or None."""
    items = flagged(diff)
    if not items:
        return None
    revised = sum(1 for r in items if r["kind"] == "revised")
    removed = len(items) - revised
    parts = []
    if revised:
        parts.append(f"{revised:,} revision(s) beyond "
                     f"{formatting.percent(diff['threshold']['relative'] * 100)}")
    if removed:
        parts.append(f"{removed:,} value(s) that disappeared")
    example = _flagged_line(items[0], diff["places"])
    return (f"{' and '.join(parts)} need a person to confirm them (for example {example}); "
            "review them with `drugatlas data diff`, then load with --accept-revisions")


# Text ------------------------------------------------------------------------------------------

DETAIL_LINES = 5


def render_text(diff: dict) -> str:
    places = diff["places"]
    lines = [f"Changes from {_side(diff['old'])} to {_side(diff['new'])}", ""]
    for source in diff["sources"]:
        lines += _source_lines(source, places)
    lines += _legal_lines(diff["legal"], places)
    totals = diff["totals"]
    if not diff["sources"] and not any(sum(t.values()) for t in (totals["laws"], totals["bills"])):
        lines.append("No changes.")
    n = totals["flagged"]
    if n:
        lines.append(f"{n:,} change(s) flagged (revisions beyond "
                     f"{formatting.percent(diff['threshold']['relative'] * 100)}, values that "
                     "disappeared): `drugatlas data load` refuses this bundle until a person "
                     "accepts them with --accept-revisions.")
    else:
        lines.append("Nothing flagged.")
    return "\n".join(lines) + "\n"


def _side(side: dict) -> str:
    version = f" ({side['version'][:12]})" if side.get("version") else ""
    return f"{side.get('label') or 'nothing'}{version}"


def _source_lines(source: dict, places: dict) -> list[str]:
    s = source["summary"]
    lines = [f"{source['title'] or source['id']} [{source['id']}], {source['status']}"]
    changed = source["changed_fields"]
    if changed:
        notes = [f"retrieved {changed['retrieved'][0] or '?'} -> {changed['retrieved'][1]}"
                 if "retrieved" in changed else ""]
        notes += [f"{f} changed" for f in changed if f != "retrieved"]
        lines.append("  source: " + ", ".join(n for n in notes if n))
    newest = s["newest_period"]
    if s["new_periods"]:
        lines.append(f"  through {newest['new']} (was {newest['old'] or 'nothing'}): "
                     f"{len(s['new_periods'])} new period(s) ({', '.join(s['new_periods'])}), "
                     f"{s['states_updated']} states updated; "
                     f"{len(s['revised_periods'])} earlier period(s) revised")
    elif s["revised_periods"]:
        lines.append(f"  {len(s['revised_periods'])} period(s) revised, no new period")
    for m in source["measures"]:
        c = m["counts"]
        counts = ", ".join(f"{c[k]:,} {word}" for k, word in (
            ("added", "new"), ("revised", "revised"), ("filled", "filled"),
            ("removed", "disappeared"), ("relabelled", "relabelled")) if c[k])
        lines.append(f"  {m['label']} [{m['measure']}]: {counts}")
        slug = m["measure"]
        for period in m["new_periods"]:
            rows = [r for r in m["added"] if r["period"] == period and r["value"] is not None]
            example = max(rows, key=lambda r: r["value"]) if rows else None
            text = (f", e.g. {places.get(example['place'], example['place'])} "
                    f"{formatting.figure(example['value'], slug)}" if example else "")
            lines.append(f"    new {period}: {len(rows)} value(s){text}")
        flagged_rows = [r for kind in ("removed", "revised") for r in m[kind] if r["flagged"]]
        for row in flagged_rows[:DETAIL_LINES]:
            lines.append(f"    ! {_flagged_line({**row, 'measure': slug}, places)}")
        if len(flagged_rows) > DETAIL_LINES:
            lines.append(f"    ! and {len(flagged_rows) - DETAIL_LINES:,} more flagged")
        others = sorted((r for r in m["revised"] if not r["flagged"]),
                        key=lambda r: -abs(r["relative"] or 0))[:3]
        if others:
            lines.append("    largest other revisions: " + "; ".join(
                _revision_text(r, slug, places) for r in others))
    lines.append("")
    return lines


def _revision_text(row: dict, slug: str, places: dict) -> str:
    relative = (f", {'+' if row['relative'] > 0 else ''}"
                f"{formatting.number(row['relative'] * 100, 1)}%"
                if row["relative"] is not None else "")
    sign = "+" if row["change"] > 0 else ""
    return (f"{places.get(row['place'], row['place'])} {row['period']}: "
            f"{formatting.figure(row['old'], slug)} -> {formatting.figure(row['new'], slug)} "
            f"({sign}{formatting.figure(row['change'], slug)}{relative})")


def _flagged_line(row: dict, places: dict) -> str:
    slug = row["measure"]
    if "new" not in row:  # a value that went away
        return (f"{slug}, {places.get(row['place'], row['place'])} {row['period']}: "
                f"{formatting.figure(row['old'], slug)} -> {row['why']}")
    return f"{slug}, {_revision_text(row, slug, places)}"


def _legal_lines(legal: dict, places: dict) -> list[str]:
    lines = []
    laws, bills = legal["laws"], legal["bills"]
    if any(laws.values()):
        lines.append(f"Laws: {len(laws['added'])} new, {len(laws['changed'])} changed, "
                     f"{len(laws['removed'])} removed")
        for law in laws["added"]:
            lines.append(f"  + {places.get(law['jurisdiction'], law['jurisdiction'])} "
                         f"{law['topic']} from {law['valid_from'] or 'the start'}: {law['status']}")
        for law in laws["changed"]:
            owner = " (an editor's record: the load keeps the editor's version)" \
                if law["editor_owned"] else ""
            lines.append(f"  ~ {places.get(law['jurisdiction'], law['jurisdiction'])} "
                         f"{law['topic']} from {law['valid_from'] or 'the start'}: "
                         f"{', '.join(law['fields'])} changed{owner}")
        for law in laws["removed"]:
            lines.append(f"  - {places.get(law['jurisdiction'], law['jurisdiction'])} "
                         f"{law['topic']} from {law['valid_from'] or 'the start'}")
        lines.append("")
    if any(bills.values()):
        lines.append(f"Bills: {len(bills['added'])} new, {len(bills['changed'])} changed, "
                     f"{len(bills['removed'])} removed")
        for bill in bills["added"]:
            lines.append(f"  + {bill['key']}: {bill['status']}")
        for bill in bills["changed"]:
            what = list(bill["fields"])
            if bill["events_added"]:
                what.append(f"{len(bill['events_added'])} new event(s)")
            if bill["events_removed"]:
                what.append(f"{len(bill['events_removed'])} event(s) removed")
            lines.append(f"  ~ {bill['key']}: {', '.join(what)}")
        for bill in bills["removed"]:
            lines.append(f"  - {bill['key']}")
        lines.append("")
    return lines
