"""Sources, their feeds and the log of every request made on their behalf."""

from __future__ import annotations

from django.db import models

from briefings.pipeline.types import SourceSpec


class Source(models.Model):
    """A newspaper, as loaded from sources.toml; its health is written by each ingest."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    homepage = models.URLField(max_length=500)
    country = models.CharField(max_length=2, blank=True)
    region = models.CharField(max_length=60, blank=True)
    language = models.CharField(max_length=20, default="en")
    timezone = models.CharField(max_length=60, default="UTC")
    full_text = models.BooleanField(default=True, help_text="May we republish the whole body?")
    sections = models.JSONField(default=list, blank=True)
    delay = models.FloatField(default=1.0, help_text="Minimum seconds between two requests.")
    allow_private = models.BooleanField(default=False)
    enabled = models.BooleanField(default=True)

    last_ingest_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_reason = models.CharField(max_length=40, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def health(self) -> str:
        """ok, failing, never (not ingested yet) or disabled: what `briefings sources` shows."""
        if not self.enabled:
            return "disabled"
        if self.last_ingest_at is None:
            return "never"
        return "failing" if self.consecutive_failures else "ok"

    def spec(self) -> SourceSpec:
        feeds = tuple(f.url for f in self.feeds.all() if f.enabled and f.kind != Feed.SITEMAP)
        sitemaps = tuple(f.url for f in self.feeds.all() if f.enabled and f.kind == Feed.SITEMAP)
        return SourceSpec(
            slug=self.slug, name=self.name, homepage=self.homepage, country=self.country,
            region=self.region, language=self.language, timezone=self.timezone, feeds=feeds,
            sitemaps=sitemaps, full_text=self.full_text,
            sections=tuple((a, b) for a, b in self.sections), delay=self.delay,
            allow_private=self.allow_private, enabled=self.enabled,
        )


class Feed(models.Model):
    """A feed or news sitemap of a source, with what conditional GET needs next time."""

    FEED = "feed"
    SITEMAP = "sitemap"
    KINDS = [(FEED, "RSS, Atom or JSON Feed"), (SITEMAP, "News sitemap")]

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="feeds")
    url = models.URLField(max_length=1000)
    kind = models.CharField(max_length=10, choices=KINDS, default=FEED)
    enabled = models.BooleanField(default=True)
    discovered = models.BooleanField(default=False, help_text="Found by discovery, not configured.")
    title = models.CharField(max_length=300, blank=True)

    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveIntegerField(null=True, blank=True)
    last_entries = models.PositiveIntegerField(default=0)
    not_modified_count = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_error_reason = models.CharField(max_length=40, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "url"], name="feed_unique_url")]
        ordering = ["source", "url"]

    def __str__(self) -> str:
        return self.url


class FetchLog(models.Model):
    """One request: what, for whom, how it ended. Pruned by age, never needed for correctness."""

    ROBOTS = "robots"
    FEED = "feed"
    PAGE = "page"
    KINDS = [(ROBOTS, "robots.txt"), (FEED, "feed"), (PAGE, "page")]

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="fetch_logs")
    url = models.URLField(max_length=1000)
    kind = models.CharField(max_length=10, choices=KINDS)
    status = models.PositiveIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=40, blank=True, help_text="Empty when it succeeded.")
    message = models.TextField(blank=True)
    bytes = models.PositiveIntegerField(default=0)
    elapsed = models.FloatField(default=0.0)
    fetched_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-fetched_at"]
        indexes = [models.Index(fields=["source", "-fetched_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.url} {self.status or self.reason}"


class LearnedSite(models.Model):
    """What one site's own articles taught the extractor (see pipeline/sitefurniture.py).

    `counts` holds, packed, on how many recent articles each block of the site was seen (every
    block, those seen once included, so that learning goes on across ingests); `known` the
    identities of the articles already learned from. Blocks seen twice or more are also rows of
    `LearnedBlock`, for editors to read.
    """

    host = models.CharField(max_length=255, unique=True, help_text="Host and port, if any.")
    pages = models.PositiveIntegerField(
        default=0, help_text="Distinct articles learned from (halved every 200, so old ones fade).")
    counts = models.BinaryField(default=b"", editable=False)
    known = models.BinaryField(default=b"", editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["host"]

    def __str__(self) -> str:
        return self.host


class LearnedBlock(models.Model):
    """A block seen on two or more articles of a site; `furniture` ones are removed from its
    articles' bodies."""

    site = models.ForeignKey(LearnedSite, on_delete=models.CASCADE, related_name="blocks")
    key = models.CharField(max_length=16, help_text="Hash of the tag path and levelled text.")
    path = models.CharField(max_length=500,
                            help_text="Block tags from the page's root; no classes.")
    text = models.CharField(max_length=200, help_text="The block's text, as first seen.")
    pages = models.PositiveIntegerField(help_text="Recent articles it was seen on.")
    furniture = models.BooleanField(default=False)

    class Meta:
        ordering = ["site", "-furniture", "-pages", "path"]
        constraints = [models.UniqueConstraint(fields=["site", "key"],
                                               name="learned_block_unique_key")]

    def __str__(self) -> str:
        return self.text
