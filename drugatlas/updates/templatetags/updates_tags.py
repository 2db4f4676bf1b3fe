"""`{% updates_signup_form as form %}`: the sign-up form for the footer of any page."""
from django import template

from drugatlas.updates.forms import SignupForm

register = template.Library()


@register.simple_tag
def updates_signup_form():
    return SignupForm()
