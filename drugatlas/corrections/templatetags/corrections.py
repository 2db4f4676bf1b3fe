"""{% report_problem_url what %}: the "Report a problem" link for any number, law cell or bill.

    {% load corrections %}
    <a href="{% report_problem_url 'Oregon possession law, 2024' %}">Report a problem</a>

The link opens /corrections/new/ prefilled with the current page and the description given.
"""
from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def report_problem_url(context, what: str = "", page: str = "") -> str:
    request = context.get("request")
    if not page and request is not None:
        page = request.get_full_path()
    query = {k: v for k, v in (("page", page), ("what", str(what)[:300])) if v}
    return reverse("corrections:new") + ("?" + urlencode(query) if query else "")
