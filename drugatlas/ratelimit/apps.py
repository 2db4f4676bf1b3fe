from django.apps import AppConfig


class RateLimitConfig(AppConfig):
    name = "drugatlas.ratelimit"
    label = "ratelimit"
