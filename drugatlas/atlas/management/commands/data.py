"""`drugatlas data build | load | export-laws | check`.

build        raw files -> committed bundle (drugatlas/bundle/); stops on the first bad value
load         bundle -> database, in one transaction
export-laws  writes editors' legal changes from the database back into the bundle
check        rebuilds from the raw files in memory and says whether the bundle matches
docs         writes docs/data.md, the data dictionary
"""
from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console

from drugatlas.pipeline import build as pipeline_build
from drugatlas.pipeline import load as pipeline_load
from drugatlas.sources.common import raw_dir
from drugatlas.sources.records import SourceError


class Command(BaseCommand):
    help = "Build the data bundle from raw files, load it into the database, or export edits."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["build", "load", "export-laws", "check", "docs"])
        parser.add_argument("--raw", type=Path, default=None,
                            help="raw-data folder (default: $DRUGATLAS_RAW_DIR or ../shared/data/raw)")
        parser.add_argument("--bundle", type=Path, default=None,
                            help="bundle folder (default: drugatlas/bundle)")
        parser.add_argument("--force", action="store_true",
                            help="load even if this bundle version is already loaded")

    def handle(self, action, raw=None, bundle=None, force=False, **options):
        console = Console(stderr=True, quiet=options["verbosity"] == 0)
        bundle_dir = bundle or settings.BUNDLE_DIR
        raw = raw or raw_dir()
        try:
            if action == "build":
                self._build(console, raw, bundle_dir)
            elif action == "check":
                self._check(console, raw, bundle_dir)
            elif action == "docs":
                from drugatlas.pipeline import datadoc

                datadoc.path().write_text(datadoc.render(bundle_dir))
                self.stdout.write(f"wrote {datadoc.path()}")
            elif action == "load":
                self._load(console, bundle_dir, force)
            else:
                from drugatlas.legislation.export import export_legal_records
                n = export_legal_records(bundle_dir)
                self.stdout.write(f"wrote {n} legal records into {bundle_dir}")
        except SourceError as e:
            raise CommandError(f"data {action} failed, nothing was changed: {e}") from None
        except (FileNotFoundError, ValueError) as e:
            raise CommandError(f"data {action} failed, nothing was changed: {e}") from None

    def _build(self, console, raw, bundle_dir):
        if not Path(raw).is_dir():
            raise CommandError(f"raw-data folder {raw} not found (set DRUGATLAS_RAW_DIR or --raw)")
        with console.status("building") as status:
            report = pipeline_build.build(raw, bundle_dir, progress=status.update)
        from drugatlas.pipeline import datadoc

        datadoc.path().write_text(datadoc.render(bundle_dir))
        self.stdout.write(f"built bundle in {report.seconds:.1f} s: "
                          + ", ".join(f"{v:,} {k}" for k, v in report.counts.items()))

    def _check(self, console, raw, bundle_dir):
        with console.status("rebuilding in memory") as status:
            report = pipeline_build.build_files(raw, progress=status.update, bundle_dir=bundle_dir)
        differ = [name for name, data in report.files.items()
                  if not (Path(bundle_dir) / name).is_file()
                  or (Path(bundle_dir) / name).read_bytes() != data]
        if differ:
            raise CommandError("bundle differs from a rebuild of the raw files: " + ", ".join(differ))
        self.stdout.write("bundle matches the raw files")

    def _load(self, console, bundle_dir, force):
        with console.status("loading") as status:
            report = pipeline_load.load_bundle(bundle_dir, force=force, progress=status.update)
        if report.skipped:
            self.stdout.write(f"bundle {report.version[:12]} is already loaded (use --force to reload)")
            return
        self.stdout.write(f"loaded bundle {report.version[:12]} in {report.seconds:.1f} s: "
                          + ", ".join(f"{v:,} {k}" for k, v in report.counts.items()))
        for item in report.kept_editor_changes:
            self.stdout.write(self.style.WARNING(
                f"kept editor change ({item}); run `drugatlas data export-laws` to put it in the bundle"))
