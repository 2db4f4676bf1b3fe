"""`manage.py export-site DIR` (or `drugatlas export-site DIR`): the read-only site as files.

See drugatlas/atlas/export_site.py and docs/deploy.md.
"""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from drugatlas.atlas.export_site import Export


class Command(BaseCommand):
    help = "Write the public site (both languages, API lists, downloads, static files) to DIR."

    def add_arguments(self, parser):
        parser.add_argument("dir", type=Path)
        parser.add_argument("--forms-origin", default=None,
                            help="where forms post and live-only links go (default FORMS_ORIGIN)")
        parser.add_argument("--base-url", default="",
                            help="where the export will be served (e.g. https://cdn.example.org"
                                 "/atlas): share-card URLs (og:image) are made absolute under "
                                 "it; without it they are relative")
        parser.add_argument("--full", action="store_true",
                            help="render every page again, ignoring the previous export")

    def handle(self, *args, dir: Path, forms_origin=None, full=False, base_url="", **options):
        origin = (forms_origin or settings.FORMS_ORIGIN).rstrip("/")
        export = Export(dir, origin, full=full, base_url=base_url)
        export.out = self.stdout
        self.stdout.write(f"Exporting to {dir} (forms post to {origin})")
        summary = export.run()
        self.stdout.write(f"{summary['pages']} files: {summary['written']} written, "
                          f"{summary['unchanged']} unchanged, {summary['reused']} not re-rendered")
        if summary["failed"]:
            raise CommandError(f"{len(summary['failed'])} URLs failed: {summary['failed'][:10]}")
