"""The "Report a problem" link, built one way everywhere: views call `report_url`, templates
`{% report_problem_url %}` (templatetags/corrections.py). The description is cut where the
form cuts it (Correction.SUBJECT_MAX), so the link never carries what the form would drop."""
from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from drugatlas.corrections.models import Correction


def report_url(page: str = "", what: str = "") -> str:
    """/corrections/new/ (in the active language) prefilled with a page path and a description."""
    query = {k: v for k, v in (("page", page), ("what", str(what)[:Correction.SUBJECT_MAX])) if v}
    return reverse("corrections:new") + ("?" + urlencode(query) if query else "")
