from django.urls import path

from . import views

app_name = "api"
urlpatterns = [
    path("jurisdictions", views.jurisdictions, name="jurisdictions"),
    path("measures", views.measures, name="measures"),
    path("observations", views.observations, name="observations"),
    path("laws", views.laws, name="laws"),
    path("bills", views.bills, name="bills"),
    path("sources", views.sources, name="sources"),
    path("states/<str:abbr>", views.state, name="state"),
    path("reinvest", views.reinvest, name="reinvest"),
    path("openapi.json", views.openapi_json, name="openapi"),
    path("docs/", views.docs, name="docs"),
]
