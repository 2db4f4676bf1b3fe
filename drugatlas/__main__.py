"""The `drugatlas` command: Django's manage.py under the project's name.

    drugatlas serve          migrate, collect static files, run gunicorn (for operators)
    drugatlas data build | load | export-laws
    drugatlas updates send
    drugatlas migrate, createsuperuser, check --deploy, ...
"""
import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "drugatlas.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 - reads the settings now, to report them plainly
    except ImproperlyConfigured as exc:
        sys.exit(f"drugatlas: {exc}")
    if argv[1:2] == ["serve"]:
        from drugatlas.serve import serve

        serve(argv[2:])
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
