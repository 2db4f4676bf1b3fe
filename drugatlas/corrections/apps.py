from django.apps import AppConfig


class CorrectionsConfig(AppConfig):
    name = "drugatlas.corrections"
    label = "corrections"
