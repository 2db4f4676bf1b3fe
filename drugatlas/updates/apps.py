from django.apps import AppConfig


class UpdatesConfig(AppConfig):
    name = "drugatlas.updates"
    label = "updates"

    def ready(self):
        from anymail.signals import tracking

        from . import checks, feedback, logredact  # noqa: F401 - checks registers itself

        tracking.connect(feedback.on_tracking, dispatch_uid="drugatlas.updates.feedback")
        logredact.install()
