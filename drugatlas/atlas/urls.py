from django.urls import path

from drugatlas.atlas.views import counties, county, home, pages, states

app_name = "atlas"
urlpatterns: list = [
    path("", home.home, name="home"),
    path("states/<str:abbr>/", states.state_page, name="state"),
    path("states/<str:abbr>/counties/", counties.counties_page, name="counties"),
    path("states/<str:abbr>/counties/<str:fips>/", county.county_page, name="county"),
    path("sources/", pages.sources_page, name="sources"),
    path("about/", pages.about_page, name="about"),
]
