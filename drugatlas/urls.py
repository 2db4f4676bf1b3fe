from django.contrib import admin
from django.urls import include, path

from drugatlas.api.views import bundle_file

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("drugatlas.api.urls")),
    path("data/<str:name>", bundle_file, name="bundle-file"),
    path("legislation/", include("drugatlas.legislation.urls")),
    path("", include("drugatlas.corrections.urls")),
    path("updates/", include("drugatlas.updates.urls")),
    path("mail/", include("drugatlas.updates.webhook_urls")),  # email services' webhooks
    path("reinvest/", include("drugatlas.reinvest.urls")),
    path("", include("drugatlas.atlas.urls")),
]
