"""The data model: places, sources, measures, observations, laws, bills, data releases.

Rows here are written by `drugatlas data load` from the bundle, and (laws, bills) by editors.
"""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from simple_history.models import HistoricalRecords

from drugatlas import laws_vocabulary as vocab
from drugatlas.formatting import date_text, time_text
from drugatlas.pipeline import editors as editor_policy


class Jurisdiction(models.Model):
    NATION, STATE, COUNTY = "nation", "state", "county"
    KINDS = [(NATION, "Nation"), (STATE, "State"), (COUNTY, "County")]

    fips = models.CharField(primary_key=True, max_length=5, help_text='"00" is the nation')
    abbr = models.CharField(max_length=2, blank=True, db_index=True, help_text="USPS code")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=6, choices=KINDS, db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children")

    class Meta:
        ordering = ["fips"]

    def __str__(self):
        return self.name

    @property
    def code(self) -> str:
        """The code the API speaks: USPS for states and the nation, FIPS for counties."""
        return self.abbr or self.fips

    def get_absolute_url(self) -> str:
        """The place's page in the active language: a state's or the nation's (/states/us/)
        profile, or a county's page under its state."""
        if self.kind == self.COUNTY:
            return reverse("atlas:county", args=[self.parent.abbr.lower(), self.fips])
        return reverse("atlas:state", args=[self.abbr.lower()])


class Source(models.Model):
    id = models.SlugField(primary_key=True, max_length=80)
    publisher = models.CharField(max_length=200)
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=500)
    file = models.CharField(max_length=300, help_text="the raw file read, relative to the raw folder")
    retrieved = models.CharField(max_length=20, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    licence = models.TextField(blank=True)
    caveats = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.title


class Measure(models.Model):
    slug = models.SlugField(primary_key=True, max_length=80)
    label = models.CharField(max_length=200)
    unit = models.CharField(max_length=50)
    description = models.TextField()
    caveats = models.TextField(blank=True)
    topic = models.CharField(max_length=20, blank=True)
    default_source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL)
    history = HistoricalRecords()  # editors may reword labels and caveats

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return self.label


class Observation(models.Model):
    """One value of one measure for one place and period. Millions of rows, written only by
    `data load`, so the table carries only the indexes queries use, and its references are
    checked by the loader in bulk (every row against the places, measures and sources it has
    just written, before the load commits) instead of by a database trigger per row at commit.
    Deleting a place, measure or source through Django still cascades or protects as declared.
    """

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE,
                                     db_index=False, db_constraint=False)
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE,
                                db_index=False, db_constraint=False)
    period = models.CharField(max_length=7, help_text='"2017" or "2021-12" (12 months ending)')
    value = models.FloatField(null=True, blank=True, help_text="empty = no data, never zero")
    flags = models.CharField(max_length=120, blank=True, help_text="comma-separated")
    source = models.ForeignKey(Source, on_delete=models.PROTECT,
                               db_index=False, db_constraint=False)

    class Meta:
        constraints = [
            # One measure's values (API observations and CSV, map layers, county pages, a
            # measure's span): read in (place, period) order without a sort.
            models.UniqueConstraint(fields=["measure", "jurisdiction", "period"],
                                    name="one_value_per_measure_place_period")]
        indexes = [
            # One place's values (state pages and their JSON, the state API, the digest); also
            # finds a place's rows when a place is deleted.
            models.Index(fields=["jurisdiction", "measure", "period"]),
            # A source's rows: the PROTECT check when a source is deleted, the load's sweep of
            # sources nothing cites. (No single-column place or measure index: the two above
            # lead with those columns. No text-pattern "_like" index: no query uses LIKE on them.)
            models.Index(fields=["source"], name="atlas_observation_source_idx"),
        ]

    def flag_list(self) -> list[str]:
        return [f for f in self.flags.split(",") if f]


_web_url = URLValidator(schemes=["http", "https"])


def citation_errors(text: str) -> list[str]:
    """Why a citations field is unacceptable: empty, or a line that is not an http(s) URL.

    Legal records are only as good as their sources, so every law and bill an editor saves
    must point to at least one page a reader can open.
    """
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines:
        return ["Add at least one citation: the web address (http or https) of a source."]
    errors = []
    for number, line in enumerate(lines, start=1):
        try:
            _web_url(line)
        except ValidationError:
            errors.append(f"Citation line {number} is not a web address starting with http:// "
                          f"or https:// (one URL per line): {line[:80]}")
    return errors


def validate_citations(text: str) -> None:
    errors = citation_errors(text)
    if errors:
        raise ValidationError({"citations": errors})


class LawStatusQuerySet(models.QuerySet):
    def as_of(self, date: dt.date):
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=date),
                           Q(valid_to__isnull=True) | Q(valid_to__gte=date))


class LawStatus(models.Model):
    """A legal status held over a dated interval. "As of D" is a query, not a column."""

    # The one list of topics and statuses is drugatlas/laws_vocabulary.py.
    TOPICS = [(t.slug, t.label) for t in vocab.LAW_TOPICS.values()]
    CONFIDENCE = [(c.value, c.label) for c in vocab.CONFIDENCE_LEVELS]
    BUNDLE, EDITOR = editor_policy.BUNDLE, editor_policy.EDITOR  # a row's origin (pipeline/editors.py)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="laws")
    topic = models.CharField(max_length=40, choices=TOPICS, db_index=True)
    status = models.CharField(max_length=40, help_text="class, e.g. felony / misdemeanor / both / "
                                                       "not_criminalized / unknown")
    PRECISIONS = [("day", "Day"), ("month", "Month"), ("year", "Year")]
    valid_from = models.DateField(null=True, blank=True, help_text="empty = since before our records")
    valid_from_precision = models.CharField(
        max_length=5, choices=PRECISIONS, blank=True, default="day",
        help_text="how precisely the start is known: a year is shown as 2021, a month as 2021-07")
    BASES = [("effective", "Took effect then"), ("attested", "Attested then (start not known)")]
    date_basis = models.CharField(max_length=10, choices=BASES, blank=True, default="effective",
                                  help_text="what the start date is")
    valid_to = models.DateField(null=True, blank=True, help_text="empty = still in force")
    valid_to_precision = models.CharField(max_length=5, choices=PRECISIONS, blank=True,
                                          default="day")
    statute = models.CharField(max_length=300, blank=True,
                               help_text="the section that sets the class: the primary citation")
    grade = models.CharField(max_length=300, blank=True, help_text="in the statute's own words")
    max_penalty = models.CharField(max_length=300, blank=True)
    statute_url = models.URLField(max_length=500, blank=True,
                                  help_text="the page where the statute text was seen")
    citations = models.TextField(help_text="one URL per line: the statute page first, then "
                                           "secondary pages")
    confidence = models.CharField(max_length=10, choices=CONFIDENCE, default="medium")
    note = models.TextField(blank=True, help_text="shown to readers")
    research_note = models.TextField(blank=True, help_text="working notes, never shown")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL)
    origin = models.CharField(max_length=10, default=BUNDLE,
                              help_text="bundle = loaded from the data bundle; editor = changed here")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = LawStatusQuerySet.as_manager()

    class Meta:
        ordering = ["jurisdiction_id", "topic", "valid_from"]
        verbose_name_plural = "law statuses"

    def __str__(self):
        return f"{self.jurisdiction.abbr} {self.topic}: {self.status} from {self.valid_from or '…'}"

    def clean(self):
        validate_citations(self.citations)
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": "The interval ends before it starts."})
        # Maps and legends know only the vocabulary's classes: an editor must use one of them.
        if self.topic in vocab.LAW_TOPICS and not vocab.is_valid(self.topic, self.status):
            allowed = ", ".join(vocab.topic(self.topic).values())
            raise ValidationError({"status": f"For {self.get_topic_display().lower()} use one of: "
                                             f"{allowed}."})

    def citation_list(self) -> list[str]:
        return [c.strip() for c in self.citations.splitlines() if c.strip()]

    def secondary_citations(self) -> list[str]:
        """The pages after the statute page (all of them where no statute page was seen)."""
        return [c for c in self.citation_list() if c != self.statute_url]

    def from_text(self) -> str:
        return date_text(self.valid_from, self.valid_from_precision or "day")

    def to_text(self) -> str:
        return date_text(self.valid_to, self.valid_to_precision or "day")

    def next_text(self) -> str:
        """The day after the interval, as precisely as its end is known ("2017" after an
        interval ending with 2016): where the next dated source begins."""
        if self.valid_to is None:
            return ""
        return date_text(self.valid_to + dt.timedelta(days=1), self.valid_to_precision or "day")

    def attested(self) -> bool:
        """The start is only the date a source shows the class on; when it began is unknown."""
        return bool(self.valid_from) and self.date_basis == "attested"

    def attested_text(self, label: str = vocab.ATTESTED_LABEL) -> str:
        """"start date not recorded; confirmed as of 2024-02" (ATTESTED_CLASS_LABEL: the
        class's words for the state page at a glance)."""
        return gettext(label) % {"date": self.from_text()}

    def status_text(self) -> str:
        """The status in the reader's words; a period with no dated source says so plainly."""
        if self.status == vocab.UNKNOWN and self.valid_to:
            return vocab.unknown_text(self.next_text())
        try:  # the topic's own words ("No source found" for a consequence of a conviction)
            return gettext(vocab.label(self.topic, self.status))
        except KeyError:
            return self.status.replace("_", " ").capitalize()


class Bill(models.Model):
    STATUSES = [(st.value, st.label) for st in vocab.BILL_STATUSES]
    key = models.SlugField(max_length=120, unique=True)
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="bills")
    number = models.CharField(max_length=200, blank=True, help_text="blank where none is known")
    session = models.CharField(max_length=40, blank=True)
    title = models.CharField(max_length=400)
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=STATUSES, db_index=True)
    status_date = models.DateField(null=True, blank=True)
    status_date_precision = models.CharField(max_length=5, choices=LawStatus.PRECISIONS,
                                             blank=True, default="day")
    citations = models.TextField(help_text="one URL per line")
    confidence = models.CharField(max_length=10, choices=LawStatus.CONFIDENCE, default="medium")
    note = models.TextField(blank=True)
    official_url = models.URLField(max_length=500, blank=True)
    bill_type = models.CharField(max_length=30, blank=True,
                                 choices=[(t.value, t.label) for t in vocab.BILL_TYPES])
    possession_change = models.TextField(blank=True)
    other = models.TextField(blank=True, help_text="other provisions")
    replaces = models.SlugField(max_length=120, blank=True, db_index=True,
                                help_text="key of an earlier record of this bill (old links)")
    # What it would do, where known (blank = not known: left off the page).
    threshold = models.TextField(blank=True)
    penalty = models.TextField(blank=True)
    diversion = models.TextField(blank=True)
    funding = models.TextField(blank=True)
    sponsors = models.TextField(blank=True)
    research_note = models.TextField(blank=True, help_text="working notes, never shown")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL)
    origin = models.CharField(max_length=10, default=LawStatus.BUNDLE)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-status_date", "key"]

    def __str__(self):
        return f"{self.jurisdiction.abbr} {self.number}"

    def clean(self):
        validate_citations(self.citations)

    def get_absolute_url(self) -> str:
        # The key, unlike the row id, survives a reload of the bundle: permalinks stay valid.
        return reverse("legislation:bill", args=[self.key])

    def citation_list(self) -> list[str]:
        return [c.strip() for c in self.citations.splitlines() if c.strip()]

    def status_date_text(self) -> str:
        return date_text(self.status_date, self.status_date_precision or "day")


class BillEvent(models.Model):
    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="events")
    date = models.DateField(null=True, blank=True)
    precision = models.CharField(max_length=5, choices=LawStatus.PRECISIONS, blank=True,
                                 default="day")
    action = models.TextField()
    status = models.CharField(max_length=20, choices=Bill.STATUSES)
    url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["bill_id", "date", "id"]

    def date_text(self) -> str:
        return date_text(self.date, self.precision or "day")

    def clean(self):
        if self.url and not self.url.lower().startswith(("http://", "https://")):
            raise ValidationError({"url": "Use a web address starting with http:// or https://."})


class CostAssumption(models.Model):
    """A cited default for the reinvestment calculator (unit cost, share or CPI)."""

    key = models.SlugField(max_length=120, primary_key=True)
    kind = models.CharField(max_length=20)
    value = models.FloatField()
    unit = models.CharField(max_length=80)
    year = models.IntegerField(null=True, blank=True)
    label = models.CharField(max_length=300)
    citation = models.TextField()
    confidence = models.CharField(max_length=10)
    note = models.TextField(blank=True)
    abbr = models.CharField(max_length=2, blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["kind", "key"]


class DataRelease(models.Model):
    """One successful `data load`: what bundle version went live and when, from which source
    files (retrieved when), and what it changed against the release before it."""

    version = models.CharField(max_length=80, help_text="bundle content hash")
    loaded_at = models.DateTimeField(auto_now_add=True)
    summary = models.TextField(blank=True)
    counts = models.JSONField(default=dict)
    sources = models.JSONField(
        default=list, blank=True,
        help_text="each source of the bundle: id, retrieved (date), newest_period and, where a "
                  "fetch manifest has the file, retrieved_at, checked_at, url, release")
    changes = models.JSONField(
        default=dict, blank=True,
        help_text="drugatlas.pipeline.diff.release_summary() against the release before; "
                  "empty for a first load")
    bundle_dir = models.CharField(max_length=500, blank=True,
                                  help_text="the bundle folder loaded, which /data/ serves")

    class Meta:
        ordering = ["-loaded_at"]
        get_latest_by = "loaded_at"

    def __str__(self):
        when = self.loaded_at
        return f"{self.version[:12]} at {date_text(when.date())} {time_text(when)}"
