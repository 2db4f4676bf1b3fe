from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("drugatlas.api.urls")),
    path("legislation/", include("drugatlas.legislation.urls")),
    path("", include("drugatlas.corrections.urls")),
    path("updates/", include("drugatlas.updates.urls")),
    path("reinvest/", include("drugatlas.reinvest.urls")),
    path("", include("drugatlas.atlas.urls")),
]
