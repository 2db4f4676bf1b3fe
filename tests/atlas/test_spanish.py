"""The public site in Spanish: the language switch, the pages, and the catalogues themselves."""
from __future__ import annotations

import ast
import gettext as stdlib_gettext
import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

import drugatlas
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
    return re.search(r'<html lang="([^"]+)"', html).group(1)


@pytest.mark.parametrize("url", SPANISH_PAGES)
def test_pages_answer_in_spanish_with_the_cookie(client, atlas_db, url):
    client.cookies["django_language"] = "es"
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html_lang(html) == "es"
    for text in SPANISH_PAGES[url]:
        assert text in html, f"{url}: {text!r} missing"
    assert ENGLISH_ONLY[url] not in html
    # The switch offers the way back, named in its own language.
    assert '<button name="language" value="en" lang="en">English</button>' in html


@pytest.mark.parametrize("url", ["/", "/states/or/"])
def test_accept_language_es_is_honoured(client, atlas_db, url):
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5").content.decode()
    assert html_lang(html) == "es" and SPANISH_PAGES[url][0] in html


@pytest.mark.parametrize("url", SPANISH_PAGES)
def test_english_stays_the_default(client, atlas_db, url):
    html = client.get(url).content.decode()
    assert html_lang(html) == "en"
    assert ENGLISH_ONLY[url] in html
    assert '<button name="language" value="es" lang="es">Español</button>' in html


def test_numbers_in_spanish_keep_us_punctuation(client, atlas_db):
    """17,278.5 in both languages: the calculator's dollars are written that way too."""
    client.cookies["django_language"] = "es"
    html = client.get("/states/or/").content.decode()
    sentence = re.search(r"En \d{4}, agencias que cubren[^<]*", html).group(0)
    assert re.search(r"\d,\d{3} arrestos por drogas", sentence), sentence
    assert not re.search(r"\d\xa0\d{3}", html)


def switch_form(html: str) -> str:
    return re.search(r'<form class="lang".*?</form>', html, re.S).group(0)


def test_switch_is_a_labelled_form_that_works_without_javascript(client, atlas_db):
    form = switch_form(client.get("/states/or/").content.decode())
    assert 'action="/i18n/setlang/"' in form and 'method="post"' in form
    assert 'aria-label="Language"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert '<input type="hidden" name="next" value="/states/or/">' in form
    # A real <button>: focusable, and Enter or Space submits it.
    assert "<button" in form and "onclick" not in form and "tabindex" not in form


def test_switch_posts_and_comes_back_to_the_same_page():
    browser = Client(enforce_csrf_checks=True)
    html = browser.get("/about/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', switch_form(html)).group(1)
    response = browser.post("/i18n/setlang/", {"csrfmiddlewaretoken": token, "language": "es",
                                               "next": "/about/"})
    assert response.status_code == 302 and response["Location"] == "/about/"
    assert response.cookies["django_language"].value == "es"
    html = browser.get("/about/").content.decode()
    assert html_lang(html) == "es" and "Qué es la despenalización" in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', switch_form(html)).group(1)
    browser.post("/i18n/setlang/", {"csrfmiddlewaretoken": token, "language": "en",
                                    "next": "/about/"})
    assert html_lang(browser.get("/about/").content.decode()) == "en"


def test_switch_keeps_the_query_string_through_the_referer(client, atlas_db):
    """With a query, the form sends no next (the query is never echoed into the page), and
    set_language returns to the same-origin Referer, query included."""
    url = "/?layer=overdose&year=2020"
    form = switch_form(client.get(url).content.decode())
    assert 'name="next"' not in form and "overdose" not in form
    response = client.post("/i18n/setlang/", {"language": "es"},
                           HTTP_REFERER=f"http://testserver{url}")
    assert response.status_code == 302 and response["Location"] == f"http://testserver{url}"
    # A Referer from elsewhere is not followed.
    response = client.post("/i18n/setlang/", {"language": "es"},
                           HTTP_REFERER="https://elsewhere.example/")
    assert response["Location"] == "/"


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
