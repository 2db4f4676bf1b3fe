from django.urls import path

app_name = "atlas"
urlpatterns: list = []
