from django.urls import path

app_name = "corrections"
urlpatterns: list = []
