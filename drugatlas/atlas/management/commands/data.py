"""`drugatlas data fetch | build | diff | load | update | export-laws | check | docs`.

fetch        publishers' current releases -> a new raw folder (var/raw/<date>/) with a manifest
build        raw files -> committed bundle (drugatlas/bundle/); stops on the first bad value
diff         what the bundle changes against the loaded release; flags large revisions
load         bundle -> database, in one transaction (refuses flagged revisions unless accepted)
update       fetch -> build (into var/releases/<date>/bundle) -> diff -> load, for a timer: loads
             only when nothing is flagged, else mails the operator the diff (exit codes below)
export-laws  writes editors' legal changes from the database back into the bundle
check        rebuilds from the raw files in memory and says whether the bundle matches
docs         writes docs/data.md, the data dictionary
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console

from drugatlas.atlas import loaded_release, loading
from drugatlas.atlas.bundle_rows import export_legal_records
from drugatlas.atlas.models import Source
from drugatlas.fetch import http, manifest, run
from drugatlas.pipeline import build as pipeline_build
from drugatlas.pipeline import bundle, datadoc, verify
from drugatlas.pipeline import diff as pipeline_diff
from drugatlas.sources.common import raw_dir
from drugatlas.sources.records import SourceError


# `data update` exit codes (deploy/drugatlas-update and docs/operations.md rely on them).
UPDATED, FAILED, NEEDS_REVIEW = 0, 1, 3

# What a failed action leaves as it was, in its one-line error.
KEPT = {"load": "nothing was changed (the data loaded before keep serving)",
        "update": "the live data were not changed"}


class Command(BaseCommand):
    help = "Build the data bundle from raw files, load it into the database, or export edits."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["fetch", "build", "diff", "load", "update",
                                               "export-laws", "check", "docs"])
        parser.add_argument("sources", nargs="*", metavar="SOURCE",
                            help="fetch, update: the sources to fetch (reader names, e.g. "
                                 "vsrr); all when none")
        parser.add_argument("--raw", type=Path, default=None,
                            help="raw-data folder (default: $DRUGATLAS_RAW_DIR or ../shared/data/raw); "
                                 "load: the fetch folder the bundle was built from, whose "
                                 "manifest dates the sources (var/raw's are searched too)")
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
        parser.add_argument("--mail-to", default=os.environ.get("DRUGATLAS_OPERATOR_EMAIL", ""),
                            help="update: whom to mail the diff when something is flagged, and "
                                 "the error when a step fails (default $DRUGATLAS_OPERATOR_EMAIL)")

    def handle(self, action, sources=(), raw=None, bundle=None, force=False, **options):
        console = Console(stderr=True, quiet=options["verbosity"] == 0)
        bundle_dir = bundle or settings.BUNDLE_DIR
        raw_given, raw = raw, raw or raw_dir()
        if sources and action not in ("fetch", "update"):
            raise CommandError(f"data {action} takes no source names (only data fetch and data "
                               "update do)")
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
                datadoc.path().write_text(datadoc.render(bundle_dir))
                self.stdout.write(f"wrote {datadoc.path()}")
            elif action == "load":
                self._load(console, bundle_dir, force, raw_given, options)
            elif action == "update":
                self._update(console, sources, options)
            else:
                n = export_legal_records(bundle_dir)
                self.stdout.write(f"wrote {n} legal records into {bundle_dir}")
        except CommandError:
            raise
        except (SourceError, FileNotFoundError, ValueError) as e:
            if options.get("traceback"):
                raise
            raise CommandError(f"data {action} failed, {KEPT.get(action, 'nothing was changed')}: "
                               f"{e}") from None
        except Exception as e:  # noqa: BLE001 - said in one line; --traceback shows where
            if options.get("traceback"):
                raise
            raise CommandError(f"data {action} failed, {KEPT.get(action, 'nothing was changed')}: "
                               f"{type(e).__name__}: {e} (run with --traceback for the details)"
                               ) from None

    def _build(self, console, raw, bundle_dir):
        if not Path(raw).is_dir():
            raise CommandError(f"raw-data folder {raw} not found (set DRUGATLAS_RAW_DIR or --raw)")
        with console.status("building") as status:
            report = pipeline_build.build(raw, bundle_dir, progress=status.update)
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

    def _load(self, console, bundle_dir, force, raw, options, diff=None):
        release = loaded_release.latest()
        if force or release is None or release.version != bundle.version(bundle_dir):
            with console.status("checking the bundle"):
                verify.verify(bundle_dir)  # before the comparison reads any value
        changes = self._release_changes(console, bundle_dir, options, diff)
        folders = manifest.fetch_folders(Path(settings.VAR_DIR) / "raw")
        if raw and manifest.is_fetch_folder(raw):
            folders.insert(0, Path(raw))  # the fetch this bundle was built from, first
        with console.status("loading") as status:
            report = loading.load_bundle(bundle_dir, force=force, progress=status.update,
                                         changes=changes, fetch_folders=folders, verified=True)
        if report.skipped:
            self.stdout.write(f"bundle {report.version[:12]} is already loaded (use --force to reload)")
            return
        self.stdout.write(f"loaded bundle {report.version[:12]} in {report.seconds:.1f} s: "
                          + ", ".join(f"{v:,} {k}" for k, v in report.counts.items()))
        for item in report.kept_editor_changes:
            self.stdout.write(self.style.WARNING(
                f"kept editor change ({item}); run `drugatlas data export-laws` to put it in the bundle"))

    def _release_changes(self, console, bundle_dir, options, changes=None) -> dict | None:
        """What the bundle changes against the loaded release (`changes`, when already
        compared), for the release record; refuses flagged changes unless accepted. None for a
        first load or a reload of what is live."""
        release = loaded_release.latest()
        if release is None or release.version == bundle.version(bundle_dir):
            return None
        if changes is None:
            with console.status("comparing with the loaded release"):
                changes = self._compare(bundle_dir, options["threshold"])
        reason = pipeline_diff.refusal(changes)
        if reason and not options["accept_revisions"]:
            raise CommandError(f"data load refused, nothing was changed: {reason}")
        return pipeline_diff.release_summary(changes)

    def _fetch(self, console, sources, options, next_step=True):
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
            details = "".join(f"\n{s.reader}: {s.message}" for s in report.failures)
            raise CommandError(f"data fetch failed for {names}; the bundle and the database were "
                               f"not touched, and {dest} keeps the previous copies{details}")
        if next_step:
            self.stdout.write(f"next: drugatlas data build --raw {dest} && drugatlas data diff")
        return report

    def _diff(self, console, bundle_dir, options):
        with console.status("comparing"):
            result = self._compare(bundle_dir, options["threshold"], options["against"])
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=1, ensure_ascii=False))
        else:
            self.stdout.write(pipeline_diff.render_text(result), ending="")

    def _compare(self, bundle_dir, threshold_percent, against=None) -> dict:
        """The bundle against another bundle folder, or against the loaded release."""
        new = dict(new=pipeline_diff.bundle_tables(bundle_dir), new_label=str(bundle_dir),
                   new_version=bundle.version(bundle_dir), threshold=threshold_percent / 100)
        if against:
            return pipeline_diff.compare(pipeline_diff.bundle_tables(against),
                                         old_label=str(against),
                                         old_version=bundle.version(against), **new)
        release = loaded_release.latest()
        if release is None:
            return pipeline_diff.compare(pipeline_diff.no_tables, old_label="nothing loaded", **new)
        return pipeline_diff.compare(
            loaded_release.rows, old_version=release.version,
            old_label=f"the release loaded {release.loaded_at:%Y-%m-%d %H:%M} UTC", **new)

    # data update ---------------------------------------------------------------------------

    def _update(self, console, sources, options):
        """fetch -> build -> diff -> load unless flagged; exit codes UPDATED, FAILED,
        NEEDS_REVIEW. The bundle is built into var/releases/<fetch>/bundle, never the committed
        one, and whatever stops the run leaves the live data as they were."""
        step = "fetch"
        try:
            report = self._fetch(console, sources, options, next_step=False)
            fetched = report.folder
            if not self._has_news(fetched):
                self.stdout.write("nothing new: every fetched file is the one already live")
                return
            step = "build"
            folder = Path(settings.VAR_DIR) / "releases" / fetched.name
            bundle_dir = folder / "bundle"
            if folder.exists():
                shutil.rmtree(folder)
            shutil.copytree(settings.BUNDLE_DIR, bundle_dir)  # laws and research come along
            self._build(console, fetched, bundle_dir)
            step = "diff"
            with console.status("comparing with the loaded release"):
                changes = self._compare(bundle_dir, options["threshold"])
            text = pipeline_diff.render_text(changes)
            (folder / "diff.txt").write_text(text)
            (folder / "diff.json").write_text(json.dumps(changes, indent=1, ensure_ascii=False))
            reason = pipeline_diff.refusal(changes)
            if reason:
                self._mail(options, "data release waiting for review", "\n".join([
                    f"The release fetched into {fetched} was built but NOT loaded: {reason}.",
                    "", "Once you have read the diff below (also in "
                    f"{folder / 'diff.txt'}), put it live with:",
                    f"  drugatlas data load --bundle {bundle_dir} --raw {fetched} "
                    "--accept-revisions", "", text]))
                self.stdout.write(text, ending="")
                raise CommandError(f"data update stopped before the load: {reason}",
                                   returncode=NEEDS_REVIEW)
            step = "load"
            self._load(console, bundle_dir, False, fetched, options, diff=changes)
        except CommandError as e:
            if e.returncode == NEEDS_REVIEW:
                raise
            self._mail(options, f"data update failed at the {step}",
                       f"{e}\n\nThe live data and the committed bundle are as they were.")
            raise CommandError(f"data update failed at the {step}: {e}", returncode=FAILED) \
                from None
        except (SourceError, FileNotFoundError, ValueError) as e:
            self._mail(options, f"data update failed at the {step}",
                       f"{e}\n\nThe live data and the committed bundle are as they were.")
            raise CommandError(f"data update failed at the {step}, nothing was changed: {e}",
                               returncode=FAILED) from None

    def _has_news(self, fetched: Path) -> bool:
        """Whether a fetched source file differs from the one the live data were built from."""
        live = dict(Source.objects.values_list("file", "sha256"))
        return any(name in live and entry.get("sha256") != live[name]
                   for name, entry in manifest.files(manifest.read(fetched)).items())

    def _mail(self, options, subject: str, body: str) -> None:
        if not options["mail_to"]:
            self.stderr.write(f"(no operator address: set DRUGATLAS_OPERATOR_EMAIL) {subject}")
            return
        try:
            send_mail(f"{settings.EMAIL_SUBJECT_PREFIX}{subject}", body, settings.SERVER_EMAIL,
                      [options["mail_to"]])
        except OSError as e:  # (smtplib's errors too) the exit status still tells the timer
            self.stderr.write(f"could not mail {options['mail_to']} ({e}): {subject}")
