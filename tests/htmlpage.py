"""Reading a page in tests through an HTML parser, never with regexes on its text.

    doc = htmlpage.parse(response)               # a Django test response, bytes or str
    htmlpage.one(doc, "#state-panel h2")         # exactly one element (AssertionError otherwise)
    htmlpage.texts(doc, "#map-table tbody th")   # each element's text, whitespace collapsed
    htmlpage.text(doc)                           # the page as a reader sees it (no tags)

CSS selectors (soupsieve, through BeautifulSoup on Python's html.parser), so a test says which
element holds a figure, not what characters surround it. tests/test_html_assertions.py keeps new
regexes on HTML out of the tests.
"""
from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, Tag

_SPACE = re.compile(r"\s+")


def parse(page) -> BeautifulSoup:
    """A page from a Django test response, bytes or text."""
    content = getattr(page, "content", page)
    if isinstance(content, bytes):
        content = content.decode("utf-8")
    return BeautifulSoup(content, "html.parser")


def _root(doc) -> BeautifulSoup | Tag:
    return doc if isinstance(doc, (BeautifulSoup, Tag)) else parse(doc)


def select(doc, css: str) -> list[Tag]:
    return _root(doc).select(css)


def one(doc, css: str) -> Tag:
    """The one element the selector matches; fails if none or several."""
    found = select(doc, css)
    assert len(found) == 1, f"{css!r} matched {len(found)} elements"
    return found[0]


def first(doc, css: str) -> Tag | None:
    return _root(doc).select_one(css)


_HIDDEN = {"script", "style", "template"}


def _reader_text(node) -> str:
    """Text a reader sees: no scripts, styles or comments; tags count as spaces."""
    if not isinstance(node, Tag):
        return str(node)
    parts = [s for s in node.find_all(string=True)
             if not isinstance(s, (Comment, Declaration, Doctype)) and s.parent.name not in _HIDDEN]
    return _SPACE.sub(" ", " ".join(parts)).strip()


def text(doc, css: str | None = None) -> str:
    """The text of the element (or of the whole page), whitespace collapsed as a browser shows it."""
    return _reader_text(one(doc, css) if css else _root(doc))


def texts(doc, css: str) -> list[str]:
    return [_reader_text(n) for n in select(doc, css)]


def attr(doc, css: str, name: str) -> str | None:
    return one(doc, css).get(name)


def attrs(doc, css: str, name: str) -> list[str]:
    return [n.get(name) for n in select(doc, css) if n.get(name) is not None]


def json_script(doc, element_id: str):
    """The value of a {{ x|json_script:"id" }} element."""
    return json.loads(one(doc, f"script#{element_id}").string)
