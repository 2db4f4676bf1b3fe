"""Email services' webhooks: outside the language-prefixed pages, since no person visits them."""
from django.urls import path

from . import webhooks

urlpatterns = [
    path("webhooks/<str:service>/tracking/", webhooks.tracking, name="mail-webhook-tracking"),
]
