"""`drugatlas data fetch | build | diff | load | export-laws | check | docs`.

fetch        publishers' current releases -> a new raw folder (var/raw/<date>/) with a manifest
build        raw files -> committed bundle (drugatlas/bundle/); stops on the first bad value
diff         what the bundle changes against the loaded release; flags large revisions
load         bundle -> database, in one transaction (refuses flagged revisions unless accepted)
export-laws  writes editors' legal changes from the database back into the bundle
check        rebuilds from the raw files in memory and says whether the bundle matches
docs         writes docs/data.md, the data dictionary
"""
from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console

from drugatlas.pipeline import build as pipeline_build
from drugatlas.pipeline import diff as pipeline_diff
from drugatlas.pipeline import load as pipeline_load
from drugatlas.sources.common import raw_dir
from drugatlas.sources.records import SourceError


class Command(BaseCommand):
    help = "Build the data bundle from raw files, load it into the database, or export edits."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["fetch", "build", "diff", "load", "export-laws",
                                               "check", "docs"])
        parser.add_argument("sources", nargs="*", metavar="SOURCE",
                            help="fetch: the sources to fetch (reader names, e.g. vsrr); all "
                                 "when none")
        parser.add_argument("--raw", type=Path, default=None,
                            help="raw-data folder (default: $DRUGATLAS_RAW_DIR or ../shared/data/raw)")
        parser.add_argument("--bundle", type=Path, default=None,
                            help="bundle folder (default: drugatlas/bundle)")
        parser.add_argument("--force", action="store_true",
                            help="load even if this bundle version is already loaded")
        parser.add_argument("--dest", type=Path, default=None,
                            help="fetch: the new folder to fetch into (default var/raw/<date>)")
        parser.add_argument("--timeout", type=float, default=60.0,
                            help="fetch: seconds to wait for a publisher (default 60)")
        parser.add_argument("--retries", type=int, default=2,
                            help="fetch: attempts after the first, with back-off (default 2)")
        parser.add_argument("--backoff", type=float, default=2.0,
                            help="fetch: seconds before the first retry; doubles after each "
                                 "(default 2)")
        parser.add_argument("--against", type=Path, default=None,
                            help="diff: compare with this bundle folder instead of the loaded "
                                 "release")
        parser.add_argument("--json", action="store_true", help="diff: print the diff as JSON")
        parser.add_argument("--threshold", type=float, default=pipeline_diff.DEFAULT_THRESHOLD * 100,
                            help="diff, load: flag revisions larger than this percentage "
                                 "(default 10)")
        parser.add_argument("--accept-revisions", action="store_true",
                            help="load: load even if the diff flags revisions or values that "
                                 "disappeared")

    def handle(self, action, sources=(), raw=None, bundle=None, force=False, **options):
        console = Console(stderr=True, quiet=options["verbosity"] == 0)
        bundle_dir = bundle or settings.BUNDLE_DIR
        raw = raw or raw_dir()
        if sources and action != "fetch":
            raise CommandError(f"data {action} takes no source names (only data fetch does)")
        try:
            if action == "fetch":
                self._fetch(console, sources, options)
            elif action == "diff":
                self._diff(console, bundle_dir, options)
            elif action == "build":
                self._build(console, raw, bundle_dir)
            elif action == "check":
                self._check(console, raw, bundle_dir)
            elif action == "docs":
                from drugatlas.pipeline import datadoc

                datadoc.path().write_text(datadoc.render(bundle_dir))
                self.stdout.write(f"wrote {datadoc.path()}")
            elif action == "load":
                self._load(console, bundle_dir, force, options)
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

        if Path(bundle_dir).resolve() == Path(settings.BUNDLE_DIR).resolve():
            datadoc.path().write_text(datadoc.render(bundle_dir))  # documents the committed one
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

    def _load(self, console, bundle_dir, force, options):
        if not options["accept_revisions"]:
            self._refuse_flagged_revisions(console, bundle_dir, options["threshold"])
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

    def _fetch(self, console, sources, options):
        from drugatlas.fetch import http, run

        dest = options["dest"] or run.default_folder(settings.VAR_DIR)
        fetch_settings = http.Settings(timeout=options["timeout"],
                                       attempts=max(0, options["retries"]) + 1,
                                       backoff=options["backoff"],
                                       base_url=os.environ.get("DRUGATLAS_FETCH_BASE_URL", ""))
        with console.status("fetching") as status:
            report = run.fetch(sources, dest, fetch_settings, progress=status.update)
        for source in report.sources:
            line = f"{source.reader}: {source.status.replace('_', ' ')}: {source.message}"
            self.stdout.write(self.style.ERROR(line) if source.failed else line)
        self.stdout.write(f"wrote {dest}")
        if report.failures:
            names = ", ".join(s.reader for s in report.failures)
            raise CommandError(f"data fetch failed for {names}; the bundle and the database were "
                               f"not touched, and {dest} keeps the previous copies")
        self.stdout.write(f"next: drugatlas data build --raw {dest} && drugatlas data diff")

    def _diff(self, console, bundle_dir, options):
        import json

        with console.status("comparing"):
            result = self._compare(bundle_dir, options["threshold"], options["against"])
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=1, ensure_ascii=False))
        else:
            self.stdout.write(pipeline_diff.render_text(result), ending="")

    def _compare(self, bundle_dir, threshold_percent, against=None) -> dict:
        """The bundle against another bundle folder, or against the loaded release."""
        from drugatlas.pipeline import bundle

        new = dict(new=pipeline_diff.bundle_tables(bundle_dir), new_label=str(bundle_dir),
                   new_version=bundle.version(bundle_dir), threshold=threshold_percent / 100)
        if against:
            return pipeline_diff.compare(pipeline_diff.bundle_tables(against),
                                         old_label=str(against),
                                         old_version=bundle.version(against), **new)
        from drugatlas.atlas import loaded_release

        release = loaded_release.latest()
        if release is None:
            return pipeline_diff.compare(pipeline_diff.no_tables, old_label="nothing loaded", **new)
        return pipeline_diff.compare(
            loaded_release.rows, old_version=release.version,
            old_label=f"the release loaded {release.loaded_at:%Y-%m-%d %H:%M} UTC", **new)

    def _refuse_flagged_revisions(self, console, bundle_dir, threshold_percent):
        from drugatlas.atlas import loaded_release
        from drugatlas.pipeline import bundle

        release = loaded_release.latest()
        if release is None or release.version == bundle.version(bundle_dir):
            return  # a first load, or a reload of what is live: nothing to confirm
        with console.status("comparing with the loaded release"):
            reason = pipeline_diff.refusal(self._compare(bundle_dir, threshold_percent))
        if reason:
            raise CommandError(f"data load refused, nothing was changed: {reason}")
