from django.urls import path

from drugatlas.corrections import views

app_name = "corrections"
urlpatterns = [
    path("corrections/new/", views.new_correction, name="new"),
    path("corrections/thanks/", views.thanks, name="thanks"),
    path("changes/", views.changes, name="changes"),
]
