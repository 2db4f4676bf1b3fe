from django.urls import path

app_name = "reinvest"
urlpatterns: list = []
