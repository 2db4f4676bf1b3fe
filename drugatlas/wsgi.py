import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "drugatlas.settings")
application = get_wsgi_application()


def _check_static_files() -> None:
    """With hashed static files, a missing manifest makes every page a 500: say so at start."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    backend = settings.STORAGES["staticfiles"]["BACKEND"]
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if "Manifest" in backend and not manifest.exists():
        raise ImproperlyConfigured(
            f"The static files are not collected ({manifest} is missing): run `drugatlas "
            "collectstatic --noinput`, or start the site with `drugatlas serve`, which does it.")


_check_static_files()
