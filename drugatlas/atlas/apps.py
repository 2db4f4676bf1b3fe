from django.apps import AppConfig


class AtlasConfig(AppConfig):
    name = "drugatlas.atlas"
    label = "atlas"

    def ready(self):
        from drugatlas.atlas import signals

        signals.connect()
