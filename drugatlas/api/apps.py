from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "drugatlas.api"
    label = "api"
