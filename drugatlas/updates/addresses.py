"""Email address normalization.

Decision: surrounding whitespace is stripped and the domain is lower-cased (and IDNA-encoded),
because domains are case-insensitive by definition. The local part is *delivered* as typed
(RFC 5321 lets a server treat it case-sensitively) but *compared* lower-cased, because no
mainstream provider does, and "Ana@x.org" and "ana@x.org" are one person. Dots and "+tags"
are left alone: they are provider-specific, and a "+tag" is the person's deliberate choice.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 254  # RFC 5321 path limit
MAX_LOCAL_LENGTH = 64


def normalize_email(raw: str) -> tuple[str, str]:
    """(address to deliver to, key to compare by); ValidationError if it is not an address."""
    value = (raw or "").strip()
    if not value or any(ch.isspace() or ord(ch) < 32 for ch in value) or "@" not in value:
        raise ValidationError(_("Enter a valid email address."), code="invalid")
    local, _at, domain = value.rpartition("@")
    domain = domain.lower().rstrip(".")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValidationError(_("Enter a valid email address."), code="invalid")
    address = f"{local}@{domain}"
    if len(address) > MAX_LENGTH or len(local) > MAX_LOCAL_LENGTH:
        raise ValidationError(_("That email address is too long."), code="max_length")
    validate_email(address)
    return address, address.lower()
