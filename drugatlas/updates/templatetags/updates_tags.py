"""`{% updates_signup_form as form %}`: the sign-up form for the footer of any page.
`{% current_state_code as code %}`: the USPS code of the state the page is about, or ""
(state and county pages pass the state as `place` or `state`), to tick it in the form."""
from django import template

from drugatlas.updates.forms import SignupForm

register = template.Library()


@register.simple_tag
def updates_signup_form():
    return SignupForm()


@register.simple_tag(takes_context=True)
def current_state_code(context) -> str:
    for name in ("place", "state"):
        code = getattr(context.get(name), "abbr", "") or ""
        if code:
            return code
    return ""
