from django.urls import path

from . import views

app_name = "reinvest"
urlpatterns = [
    path("", views.calculator, name="calculator"),
    path("assumptions/", views.assumptions, name="assumptions"),
]
