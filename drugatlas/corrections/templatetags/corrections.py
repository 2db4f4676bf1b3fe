"""{% report_problem_url what %}: the "Report a problem" link for any number, law cell or bill.

    {% load corrections %}
    <a href="{% report_problem_url 'Oregon possession law, 2024' %}">Report a problem</a>
    <a href="{% report_problem_url page=some_path %}">Report a problem</a>

The link opens the report form prefilled with the current page (or `page`) and the description
given; drugatlas/corrections/links.py builds it, as it does for views.
"""
from django import template

from drugatlas.corrections.links import report_url

register = template.Library()


@register.simple_tag(takes_context=True)
def report_problem_url(context, what: str = "", page: str = "") -> str:
    request = context.get("request")
    if not page and request is not None:
        page = request.get_full_path()
    return report_url(page, what)
