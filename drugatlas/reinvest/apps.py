from django.apps import AppConfig


class ReinvestConfig(AppConfig):
    name = "drugatlas.reinvest"
    label = "reinvest"
