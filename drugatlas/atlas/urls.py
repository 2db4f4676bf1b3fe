from django.urls import path

from drugatlas.atlas.views import home

app_name = "atlas"
urlpatterns: list = [
    path("", home.home, name="home"),
]
