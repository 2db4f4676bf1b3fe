"""URLs. Pages people read are under i18n_patterns: English at /…, Spanish at /es/…
(drugatlas/atlas/language.py). The API, the data files, the admin and the mail webhooks have
one URL for every language."""
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from drugatlas.api.views import bundle_file

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("api/v1/", include("drugatlas.api.urls")),
    # The data files are listed, with their sources, on /sources/.
    path("data/", RedirectView.as_view(url="/sources/#files", permanent=False)),
    path("data/<str:name>", bundle_file, name="bundle-file"),
    path("mail/", include("drugatlas.updates.webhook_urls")),  # email services' webhooks
]
urlpatterns += i18n_patterns(
    path("legislation/", include("drugatlas.legislation.urls")),
    path("", include("drugatlas.corrections.urls")),
    path("updates/", include("drugatlas.updates.urls")),
    path("reinvest/", include("drugatlas.reinvest.urls")),
    path("", include("drugatlas.share.urls")),  # icons, share cards, downloads, embeds
    path("", include("drugatlas.atlas.urls")),
    prefix_default_language=False,
)
