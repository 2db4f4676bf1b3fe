from django.apps import AppConfig


class LegislationConfig(AppConfig):
    name = "drugatlas.legislation"
    label = "legislation"
