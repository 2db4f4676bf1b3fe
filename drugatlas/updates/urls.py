from django.urls import path

app_name = "updates"
urlpatterns: list = []
