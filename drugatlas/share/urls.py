"""Routes for icons, share cards, downloads and embeds (see views.py). Embeds' URL names start
with "embed-": those pages, and only those, may be framed by other sites."""
from django.urls import path

from . import views

app_name = "share"
urlpatterns = [
    path("favicon.ico", views.favicon, name="favicon"),
    path("apple-touch-icon.png", views.touch_icon, name="touch-icon"),
    path("states/<str:abbr>/card.<str:fmt>", views.state_card, name="state-card"),
    path("states/<str:abbr>/charts/<slug:slug>.<str:fmt>", views.state_chart, name="state-chart"),
    path("legislation/<str:ref>/card.<str:fmt>", views.bill_card, name="bill-card"),
    path("embed/map/", views.embed_map, name="embed-map"),
    path("embed/states/<str:abbr>/", views.embed_state, name="embed-state"),
    path("embed/states/<str:abbr>/charts/<slug:slug>/", views.embed_chart, name="embed-chart"),
    path("oembed/", views.oembed, name="oembed"),
]
