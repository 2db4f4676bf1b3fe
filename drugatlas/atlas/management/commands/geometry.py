"""`manage.py geometry`: regenerate the committed map geometry from the npm package us-atlas.

    npm install            # at the project root: installs us-atlas (see package.json)
    python manage.py geometry [--us-atlas node_modules/us-atlas]

Writes drugatlas/maps/geometry/states.json and counties.json; commit both.
"""
from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from drugatlas import formatting
from drugatlas.maps import geometry


class Command(BaseCommand):
    help = "Derive SVG path data for states and counties from us-atlas (npm) into drugatlas/maps/geometry/."

    def add_arguments(self, parser):
        parser.add_argument("--us-atlas", type=Path,
                            default=settings.PROJECT_DIR / "node_modules" / "us-atlas",
                            help="folder of the installed us-atlas package (default: node_modules/us-atlas)")
        parser.add_argument("--out", type=Path, default=geometry.GEOMETRY_DIR)

    def handle(self, us_atlas: Path, out: Path, **options):
        if not (us_atlas / "states-albers-10m.json").is_file():
            raise CommandError(f"{us_atlas} has no states-albers-10m.json: run `npm install` at "
                               "the project root first")
        sizes = geometry.derive(us_atlas, out)
        for name, size in sizes.items():
            self.stdout.write(f"wrote {out / name} ({formatting.number(size)} bytes)")
