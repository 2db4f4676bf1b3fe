"""Site URLs come from URL names (reverse, {% url %}, get_absolute_url), never from strings
written by hand: a lint over drugatlas/ fails on a hand-built site path, and Spanish pages link
only to Spanish pages though nothing rewrites them."""
from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

import drugatlas
from drugatlas.atlas.models import Bill, Jurisdiction

PACKAGE = Path(drugatlas.__file__).parent
# First segments of the pages people read (i18n_patterns in drugatlas/urls.py), and the map.
PAGE_PATH = re.compile(r"^/(\?|(states|legislation|counties|reinvest|sources|about|changes|"
                       r"corrections|updates|embed|es)\b)")
# Files allowed to write site paths, each with its reason.
PYTHON_ALLOWED = {
    "atlas/export_site.py": "the static export lists the files it writes and the URL patterns "
                            "a static host answers, as paths",
    "api/openapi.py": "OpenAPI paths are relative to the API's base URL (/api/v1)",
}
TEMPLATE_ALLOWED = {
    ("atlas/templates/atlas/home.html", 'data-api="/api/v1/states/"'):
        "the panel script appends a state code to this API prefix (one URL in every language)",
}
TEMPLATE_LINK = re.compile(r'\b(?:href|action|src|data-[\w-]+)="(/(?!/)[^"]*)"')


def python_files():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if "/migrations/" in rel or rel.endswith("urls.py") or rel in PYTHON_ALLOWED:
            continue
        yield rel, path


def _docstrings(tree) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant):
            found.add(id(body[0].value))
    return found


def hand_built_paths(source: str) -> list[tuple[int, str]]:
    """String literals (and f-strings' leading text) that start with a page's path."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and node.values:
            first = node.values[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                skip.add(id(first))
                if PAGE_PATH.match(first.value):
                    out.append((node.lineno, first.value))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and id(node) not in skip and PAGE_PATH.match(node.value):
            out.append((node.lineno, node.value))
    return out


def test_the_lint_catches_what_it_should():
    assert hand_built_paths('x = f"/states/{abbr}/"') == [(1, "/states/")]
    assert hand_built_paths('x = "/legislation/?" + q') == [(1, "/legislation/?")]
    assert hand_built_paths('x = "/?layer=" + slug') == [(1, "/?layer=")]
    assert hand_built_paths('"""/states/<abbr>/: the state page"""') == []
    assert hand_built_paths('x = reverse("atlas:state", args=["or"])') == []
    assert TEMPLATE_LINK.findall('<a href="/states/{{ s.abbr }}/">') == ["/states/{{ s.abbr }}/"]
    assert TEMPLATE_LINK.findall('<a href="{% url \'atlas:home\' %}">') == []


def test_no_python_file_builds_a_site_url_by_hand():
    found = [f"{rel}:{line}: {text!r}" for rel, path in python_files()
             for line, text in hand_built_paths(path.read_text())]
    assert not found, "build these with reverse() or get_absolute_url():\n" + "\n".join(found)


def test_no_template_writes_a_site_path():
    found = []
    for path in sorted(PACKAGE.rglob("templates/**/*.html")):
        rel = path.relative_to(PACKAGE).as_posix()
        text = path.read_text()
        for match in TEMPLATE_LINK.finditer(text):
            if (rel, match.group(0)) in TEMPLATE_ALLOWED:
                continue
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{rel}:{line}: {match.group(0)}")
    assert not found, "use {% url %}, get_absolute_url or {% report_problem_url %}:\n" + \
        "\n".join(found)


@pytest.mark.django_db
def test_places_and_bills_know_their_pages(atlas_db):
    texas = Jurisdiction.objects.get(abbr="TX")
    nation = Jurisdiction.objects.get(fips="00")
    county = Jurisdiction.objects.filter(kind=Jurisdiction.COUNTY, parent=texas).first()
    bill = Bill.objects.first()
    assert texas.get_absolute_url() == "/states/tx/" == reverse("atlas:state", args=["tx"])
    assert nation.get_absolute_url() == "/states/us/"
    assert county.get_absolute_url() == f"/states/tx/counties/{county.fips}/"
    assert bill.get_absolute_url() == f"/legislation/{bill.key}/"
    with translation.override("es"):
        assert texas.get_absolute_url() == "/es/states/tx/"
        assert bill.get_absolute_url() == f"/es/legislation/{bill.key}/"
    client = Client()
    for url in (texas.get_absolute_url(), nation.get_absolute_url(), county.get_absolute_url(),
                bill.get_absolute_url()):
        assert client.get(url).status_code == 200, url


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("hreflang") == "en":
            return  # the language switch and hreflang alternates name the English page
        for name in ("href", "action"):
            if (attrs.get(name) or "").startswith("/"):
                self.links.append(attrs[name])


SPANISH = ["/es/", "/es/?layer=overdose&year=2019", "/es/states/tx/", "/es/states/us/",
           "/es/states/wv/counties/", "/es/legislation/", "/es/sources/", "/es/about/",
           "/es/changes/", "/es/reinvest/?state=OR", "/es/reinvest/assumptions/",
           "/es/corrections/new/", "/es/updates/", "/es/no-such-page/", "/es/states/zz/"]
ONE_URL = ("/api/", "/data/", "/static/", "/es/")


@pytest.mark.django_db
@pytest.mark.parametrize("url", SPANISH)
def test_spanish_pages_link_to_spanish_pages(atlas_db, url):
    response = Client().get(url)
    assert response.status_code in (200, 404), url
    parser = _Links()
    parser.feed(response.content.decode())
    assert parser.links, url
    english = [link for link in parser.links if not link.startswith(ONE_URL)]
    assert not english, (url, english[:10])


@pytest.mark.django_db
def test_report_links_are_built_one_way(atlas_db):
    from drugatlas.corrections.links import report_url
    from drugatlas.corrections.models import Correction

    long = "x" * 1000
    url = report_url("/states/tx/", long)
    assert url.startswith("/corrections/new/?page=%2Fstates%2Ftx%2F&what=")
    assert url.split("what=")[1] == "x" * Correction.SUBJECT_MAX
    with translation.override("es"):
        assert report_url("/es/states/tx/", "a").startswith("/es/corrections/new/?")
    html = Client().get("/es/states/tx/").content.decode()
    assert 'href="/es/corrections/new/?page=%2Fes%2Fstates%2Ftx%2F&amp;what=' in html
