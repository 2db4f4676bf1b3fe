from django.apps import AppConfig


class AtlasConfig(AppConfig):
    name = "drugatlas.atlas"
    label = "atlas"
