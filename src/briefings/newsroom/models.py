"""Articles and the feed entries that point at them.

An `Entry` is one URL a feed announced; it carries the fate of that page (fetched, failed, a
duplicate of an article we already hold). An `Article` is stored once per canonical URL and once
per body: an entry whose page has the body of a stored article points at that article. A
near-copy (another paper's syndicated version, edited) is an article of its own that points at
its original through `duplicate_of`; its LSH band keys sit in `ArticleBand`, so finding the
candidates of a new article is one indexed query whatever the size of the store (docs/dedupe.md).
"""

from __future__ import annotations

from django.db import models

from briefings.sources.models import Feed, Source


class Article(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="articles")
    url = models.URLField(max_length=1000, help_text="The URL we fetched.")
    canonical_url = models.URLField(max_length=1000, unique=True)
    title = models.CharField(max_length=500)
    standfirst = models.TextField(blank=True)
    authors = models.JSONField(default=list, blank=True)
    published = models.DateTimeField(null=True, blank=True, db_index=True)
    updated = models.DateTimeField(null=True, blank=True)
    section = models.CharField(max_length=100, blank=True)
    section_inferred = models.BooleanField(
        default=False, help_text="The section classifier chose the section: the source gave none.")
    language = models.CharField(max_length=20, blank=True)
    image = models.URLField(max_length=1000, blank=True)
    credit = models.CharField(max_length=200, blank=True)
    paywalled = models.BooleanField(default=False)
    html = models.TextField(blank=True, help_text="Sanitised body HTML.")
    text = models.TextField(blank=True)
    body_hash = models.CharField(max_length=64, db_index=True)
    extractor = models.CharField(max_length=60)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)

    fetched_at = models.DateTimeField(help_text="When the stored version was fetched.")
    first_seen_at = models.DateTimeField(auto_now_add=True, db_index=True)
    changed_at = models.DateTimeField(null=True, blank=True,
                                      help_text="Last time the body changed.")
    versions = models.PositiveIntegerField(default=1)
    minhash = models.BinaryField(null=True, blank=True,
                                 help_text="MinHash signature of the text (minhash.Sketch).")
    shingles = models.PositiveIntegerField(default=0, help_text="Distinct shingles of the text.")
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies",
        help_text="The original this article is a syndicated copy of.")
    profile = models.BinaryField(null=True, blank=True,
                                 help_text="Hashed words and anchors (cluster.Profile).")
    story = models.ForeignKey("Story", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="articles")
    story_pinned = models.BooleanField(
        default=False, help_text="An editor put it in its story; the clustering never moves it.")
    countries = models.JSONField(default=list, blank=True,
                                 help_text="ISO codes of the countries it names, most named first.")
    country = models.CharField(max_length=2, blank=True, db_index=True,
                               help_text="Where it happens (ISO 3166-1 alpha-2).")
    region = models.CharField(max_length=40, blank=True, db_index=True,
                              help_text="The region of `country`.")

    class Meta:
        ordering = ["-published", "-id"]
        indexes = [models.Index(fields=["source", "-published"])]

    def __str__(self) -> str:
        return self.title

    @property
    def when(self):
        """The time to sort and show: published, else when we first saw it."""
        return self.published or self.first_seen_at


class Story(models.Model):
    """One event as covered by one or more papers (pipeline/cluster.py places articles)."""

    headline = models.CharField(max_length=500, help_text="The best member's title.")
    summary = models.TextField(blank=True, help_text="Two sentences from the best member.")
    best = models.ForeignKey(Article, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")
    first_seen = models.DateTimeField(db_index=True)
    last_updated = models.DateTimeField(db_index=True)
    papers = models.JSONField(default=list, blank=True,
                              help_text="Names of the papers that ran it, first to last.")
    breadth = models.PositiveIntegerField(default=1, db_index=True,
                                          help_text="How many distinct papers ran it.")
    size = models.PositiveIntegerField(default=1, help_text="Member articles.")

    class Meta:
        ordering = ["-last_updated", "-id"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.headline

    def merge(self, *others: Story) -> Story:
        """Take the other stories' articles (pinned here) and delete those stories."""
        from briefings.newsroom.stories import merge

        return merge(self, others)

    def split(self, articles) -> Story:
        """Move these articles (pinned) to a new story, which is returned."""
        from briefings.newsroom.stories import split

        return split(self, articles)


class TermFrequencies(models.Model):
    """The clustering's document frequencies (cluster.Frequencies): one row, saved per run."""

    documents = models.PositiveBigIntegerField(default=0)
    counts = models.BinaryField(help_text="zlib-compressed hashed counters.")
    saved_at = models.DateTimeField(auto_now=True)


class ArticleBand(models.Model):
    """One LSH band key of an article: articles sharing a key are candidate copies (bands.py)."""

    pk = models.CompositePrimaryKey("key", "article")
    key = models.BigIntegerField()
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bands")

    def __str__(self) -> str:
        return f"{self.key} → {self.article_id}"


class Entry(models.Model):
    """A URL announced by a feed, and what became of it."""

    PENDING = "pending"
    STORED = "stored"
    DUPLICATE = "duplicate"
    FAILED = "failed"
    GIVEN_UP = "given-up"
    STATES = [
        (PENDING, "pending"),
        (STORED, "stored as an article"),
        (DUPLICATE, "same body as a stored article"),
        (FAILED, "failed; retried on the next ingest"),
        (GIVEN_UP, "failed too often"),
    ]

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="entries")
    feed = models.ForeignKey(Feed, on_delete=models.SET_NULL, null=True, related_name="entries")
    url = models.URLField(max_length=1000, help_text="Canonical form of the announced URL.")
    title = models.CharField(max_length=500, blank=True)
    published = models.DateTimeField(null=True, blank=True)
    entry_updated = models.DateTimeField(null=True, blank=True, help_text="As the feed gave it.")
    state = models.CharField(max_length=12, choices=STATES, default=PENDING, db_index=True)
    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="entries"
    )
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    error_reason = models.CharField(max_length=40, blank=True)
    first_seen_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "url"], name="entry_unique_url")]
        verbose_name_plural = "entries"

    def __str__(self) -> str:
        return f"{self.url} ({self.state})"


class Entity(models.Model):
    """A person, organisation or place, with every spelling the articles used (its topic page)."""

    PERSON, ORGANISATION, PLACE = "person", "organisation", "place"
    KINDS = [(PERSON, "person"), (ORGANISATION, "organisation"), (PLACE, "place")]

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=KINDS, db_index=True)
    slug = models.SlugField(max_length=100, unique=True)
    variants = models.JSONField(default=list, blank=True, help_text="Every spelling seen.")
    ref = models.CharField(max_length=40, blank=True,
                           help_text="A gazetteer place: country code or GeoNames id.")
    article_count = models.PositiveIntegerField(
        default=0, help_text="Articles naming it, kept by store_tags: how common it is.")
    articles = models.ManyToManyField(Article, through="ArticleEntity", related_name="entities")

    class Meta:
        verbose_name_plural = "entities"

    def __str__(self) -> str:
        return self.name


class EntityKey(models.Model):
    """A variant key of an entity (pipeline/names.py): a new mention with one of its keys is the
    same entity. A loose key ("Zahid Soomro" for "Zahid Hussain Soomro") only takes a mention
    whose strong key it is."""

    key = models.CharField(max_length=200, unique=True)
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="keys")
    loose = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.key


class ArticleEntity(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="entity_links")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="article_links")
    count = models.PositiveIntegerField(default=1, help_text="Mentions in the article.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "entity"],
                                               name="article_entity_unique")]
        # An entity's articles newest first, within a range of ids (related.py).
        indexes = [models.Index(fields=["entity", "article"], name="entity_articles")]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.entity_id}"
