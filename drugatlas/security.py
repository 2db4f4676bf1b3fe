"""Content-Security-Policy and framing.

Every page uses only the site's own files: scripts and styles are static files (no inline
<script>, <style> or style="" in the pages), so the policy allows 'self' and nothing else.
Framing is forbidden (frame-ancestors 'none', X-Frame-Options DENY) except on views marked
@embeddable, which any site may frame.
"""
from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.views.decorators.clickjacking import xframe_options_exempt

POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
          "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
          "form-action 'self'; frame-ancestors {ancestors}")


def embeddable(view):
    """Mark a view as meant to be framed by other sites."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.embeddable = True
        # Set here, not only by the middleware: a page cache may store and replay the headers
        # without this attribute.
        if settings.CONTENT_SECURITY_POLICY:
            response["Content-Security-Policy"] = POLICY.format(ancestors="*")
        return response
    wrapped.embeddable = True
    return xframe_options_exempt(wrapped)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY and "Content-Security-Policy" not in response:
            ancestors = "*" if getattr(response, "embeddable", False) else "'none'"
            response["Content-Security-Policy"] = POLICY.format(ancestors=ancestors)
        return response
