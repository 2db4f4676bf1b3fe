"""The public site in Spanish: the language switch, the pages, and the catalogues themselves."""
from __future__ import annotations

import ast
import gettext as stdlib_gettext
import re
from pathlib import Path

import pytest
from django.utils import translation

import drugatlas
import htmlpage
from drugatlas import measures, runtime_labels

pytestmark = pytest.mark.django_db

PACKAGE = Path(drugatlas.__file__).parent
CATALOGUES = sorted(PACKAGE.rglob("locale/*/LC_MESSAGES/django.po"))

# Per page, a few strings that only the Spanish catalogues produce.
SPANISH_PAGES = {
    "/": ["La criminalización de las drogas en los Estados Unidos", "Capas del mapa", "Leyenda",
          "Saltar al contenido"],
    "/states/or/": ["Historia legal", "Tendencias, con los cambios de ley marcados",
                    "No penalizado", "Delito menor", "por cada 100,000", "confianza: "],
    "/reinvest/?state=OR": ["Lo que podría financiar poner fin a los arrestos por posesión en Oregon",
                            "La respuesta, aproximadamente", "Lea esto antes de citar"],
    "/sources/": ["Fuentes y métodos", "Reglas que seguimos", "Muertes por sobredosis"],
    "/about/": ["Qué es la despenalización", "Oregón: la despenalización y su reversión"],
    "/legislation/": ["Legislación de despenalización", "Acerca de"],
}
ENGLISH_ONLY = {"/": "Drug criminalization across the United States",
                "/states/or/": "Law history", "/reinvest/?state=OR": "The answer, roughly",
                "/sources/": "Rules we keep", "/about/": "What decriminalization is",
                "/legislation/": "Skip to content"}


def html_lang(html: str) -> str:
    return htmlpage.attr(html, "html", "lang")


def spanish(url: str) -> str:
    return "/es" + url


@pytest.mark.parametrize("url", SPANISH_PAGES)
def test_pages_answer_in_spanish_at_their_es_url(client, atlas_db, url):
    """No cookie, no Accept-Language: the URL alone says Spanish."""
    response = client.get(spanish(url))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers and response["Content-Language"] == "es"
    html = response.content.decode()
    assert html_lang(html) == "es"
    for text in SPANISH_PAGES[url]:
        assert text in html, f"{url}: {text!r} missing"
    assert ENGLISH_ONLY[url] not in html
    # The switch offers the same page in English, named in its own language.
    assert f'<a hreflang="en" href="{url}" lang="en">English</a>' in html


@pytest.mark.parametrize("url", ["/", "/states/or/"])
def test_accept_language_and_cookie_change_nothing(client, atlas_db, url):
    plain = client.get(url)
    asked = client.get(url, HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5")
    client.cookies["django_language"] = "es"
    with_cookie = client.get(url)
    assert html_lang(asked.content.decode()) == "en" == html_lang(with_cookie.content.decode())
    assert plain.content == asked.content == with_cookie.content
    for response in (plain, asked):
        assert "Accept-Language" not in response.get("Vary", "")
        assert "Cookie" not in response.get("Vary", "")


@pytest.mark.parametrize("url", SPANISH_PAGES)
def test_english_stays_the_default(client, atlas_db, url):
    html = client.get(url).content.decode()
    assert html_lang(html) == "en"
    assert ENGLISH_ONLY[url] in html
    assert 'hreflang="es" href="/es/' in html and ">Español</a>" in html


def test_numbers_in_spanish_keep_us_punctuation(client, atlas_db):
    """17,278.5 in both languages: the calculator's dollars are written that way too."""
    html = client.get("/es/states/or/").content.decode()
    sentence = next(t for t in htmlpage.texts(html, "p, li") if "agencias que cubren" in t)
    assert re.search(r"\d,\d{3} arrestos por drogas", sentence), sentence
    assert not re.search(r"\d\xa0\d{3}", html)


def test_switch_goes_to_the_same_view_and_drops_unknown_parameters(client, atlas_db):
    html = client.get("/?layer=overdose&year=2020&utm_source=x").content.decode()
    assert '<a hreflang="es" href="/es/?layer=overdose&amp;year=2020" lang="es">Español</a>' in html
    assert "utm_source" not in html
    html = client.get("/es/?layer=overdose&year=2020").content.decode()
    assert '<a hreflang="en" href="/?layer=overdose&amp;year=2020" lang="en">English</a>' in html


def test_alternates_canonical_and_spanish_links(client, atlas_db):
    html = client.get("/es/states/tx/").content.decode()
    site = "http://127.0.0.1:8000"
    assert f'<link rel="canonical" href="{site}/es/states/tx/">' in html
    assert f'<link rel="alternate" hreflang="en" href="{site}/states/tx/">' in html
    assert f'<link rel="alternate" hreflang="es" href="{site}/es/states/tx/">' in html
    # Links to pages stay in Spanish; the API and data files have one URL for everyone.
    assert 'href="/es/sources/' in html and 'href="/es/legislation/' in html
    assert 'href="/sources/' not in html and 'href="/legislation/' not in html
    assert 'href="/api/v1/states/TX"' in html
    assert 'action="/es/updates/"' in html


def test_api_does_not_vary_by_language(client, atlas_db):
    a = client.get("/api/v1/states/or")
    b = client.get("/api/v1/states/or", HTTP_ACCEPT_LANGUAGE="es")
    assert a.content == b.content and "Accept-Language" not in a.get("Vary", "")
    assert client.get("/es/api/v1/states/or").status_code == 404


# --- The catalogues -------------------------------------------------------------------------

def parse_po(path: Path) -> list[dict]:
    """Entries of a PO file: msgid, msgid_plural, msgstr(s), flags. Obsolete entries skipped."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        entry = {"flags": set(), "msgid": None, "plural": None, "msgstr": {}}
        field = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry["msgid"] = None
                break
            if line.startswith("#,"):
                entry["flags"] |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith(("msgid ", "msgid_plural ", "msgstr")):
                keyword, _, value = line.partition(" ")
                field = {"msgid": "msgid", "msgid_plural": "plural"}.get(keyword, keyword)
                text = ast.literal_eval(value)
                if field.startswith("msgstr"):
                    index = int(field[7:-1]) if "[" in field else 0
                    entry["msgstr"][index] = text
                    field = ("msgstr", index)
                else:
                    entry[field] = text
            elif line.startswith('"') and field:
                text = ast.literal_eval(line)
                if isinstance(field, tuple):
                    entry["msgstr"][field[1]] += text
                else:
                    entry[field] += text
        if entry["msgid"]:  # skips the header (msgid "") and obsolete entries
            entries.append(entry)
    return entries


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def test_catalogues_exist_for_the_site_and_each_app_with_its_own():
    names = {p.relative_to(PACKAGE).parts[0] for p in CATALOGUES}
    assert {"locale", "legislation", "corrections", "updates"} <= names


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_entry_is_translated_and_none_is_fuzzy(po):
    entries = parse_po(po)
    assert entries
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    empty = [e["msgid"] for e in entries if not all(e["msgstr"].values()) or not e["msgstr"]]
    assert not fuzzy, f"fuzzy in {po}: {fuzzy[:5]}"
    assert not empty, f"untranslated in {po}: {empty[:5]}"


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_placeholders_survive_translation(po):
    for e in parse_po(po):
        sources = [e["msgid"], e["plural"] or e["msgid"]]
        for index, text in e["msgstr"].items():
            source = sources[min(index, 1)]
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(source)), (
                f"{po}: {source!r} -> {text!r}")


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_compiled_catalogue_matches_its_source(po):
    """The committed .mo is compiled from the committed .po (run compilemessages after edits)."""
    with po.with_suffix(".mo").open("rb") as handle:
        compiled = stdlib_gettext.GNUTranslations(handle)
    for e in parse_po(po):
        if e["plural"]:
            assert compiled.ngettext(e["msgid"], e["plural"], 1) == e["msgstr"][0]
        else:
            assert compiled.gettext(e["msgid"]) == e["msgstr"][0], e["msgid"]


def test_runtime_labels_match_the_measures():
    """Labels built at run time must be listed literally, or makemessages never sees them."""
    labels = [m.label for m in measures.MEASURES]
    units = list(dict.fromkeys(m.unit for m in measures.MEASURES))
    missing = [x for x in labels if x not in runtime_labels.MEASURE_LABELS]
    missing += [x for x in units if x not in runtime_labels.MEASURE_UNITS]
    assert not missing, "add to drugatlas/runtime_labels.py, then run makemessages:\n" + "\n".join(
        f"    gettext_noop({x!r})," for x in missing)


def test_labels_translated_at_run_time_have_spanish():
    from drugatlas import laws_vocabulary as vocab
    from drugatlas.atlas.profile import FLAG_WORDS

    words = [*runtime_labels.MEASURE_LABELS, *runtime_labels.MEASURE_UNITS,
             *runtime_labels.CONFIDENCE_LEVELS, *FLAG_WORDS.values(),
             *(t.label for t in vocab.TOPICS.values()),
             *(s.label for t in vocab.TOPICS.values() for s in t.statuses),
             *(s.label for s in vocab.BILL_STATUSES)]
    with translation.override("es"):
        same = [w for w in words if translation.gettext(w) == w and w != "provisional"]
    assert not same, same
