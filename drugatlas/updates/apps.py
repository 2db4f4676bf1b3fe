from django.apps import AppConfig


class UpdatesConfig(AppConfig):
    name = "drugatlas.updates"
    label = "updates"
