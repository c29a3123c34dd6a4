"""Stage `extract`: Page -> Article.

The page is parsed once with lxml; trafilatura gets that tree (it copies it) and finds the
body in a single call, while the page's own metadata is read from the same tree. Each field
comes from the most reliable place that has it: JSON-LD, then OpenGraph and `<meta>`, then
microdata and `<time>`, then the feed entry, then the visible page. The body leaves here twice:
as sanitised HTML for readers and as plain text (paragraphs separated by a blank line) for
search, dedupe and teasers. Pure: no clock, no network, no Django.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import datetime, tzinfo
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lxml.etree import ElementDefaultClassLookup, HTMLParser
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction
from trafilatura import bare_extraction, load_html
from trafilatura.settings import Document, Extractor

from briefings.errors import ConfigError, ExtractError
from briefings.pipeline.bodyhtml import Block, blocks_html, blocks_text, body_blocks
from briefings.pipeline.bylines import (
    BY_PREFIX,
    credit_in_text,
    credit_line,
    credit_of_line,
    is_site,
    name_key,
    signature,
    split_byline,
    wire_holder,
)
from briefings.pipeline.candidates import agreed_blocks, witnesses
from briefings.pipeline.dates import Moment, date_from_url, find_moment, parse_moment
from briefings.pipeline.furniture import trim_furniture
from briefings.pipeline.headlines import SEPARATOR, choose_standfirst, choose_title, drop_title
from briefings.pipeline.hidden import hidden_set_aside
from briefings.pipeline.language import choose_language, script_language
from briefings.pipeline.metadata import (
    DATE_HINT,
    PageMeta,
    after,
    byline_texts,
    editor_names,
    has_paywall_marker,
    headline_element,
    read_meta,
    source_texts,
    standfirst_texts,
    visible_dates,
)
from briefings.pipeline.sanitize import sanitize_html
from briefings.pipeline.sections import map_section
from briefings.pipeline.sitefurniture import lifted_out, page_blocks
from briefings.pipeline.types import Article, ExtractHints, FeedEntry, Page
from briefings.pipeline.urls import absolute_url, canonical_url, same_site, site_of

VERSION = 1
EXTRACTOR = f"briefings-extract/{VERSION}"
GENERIC_SECTIONS = frozenset({"news", "home", "top", "article", "articles", "ニュース", "新闻",
                              "新聞", "뉴스", "홈", "berita", "tin tức", "trang chủ"})
SHORT_LINE = 80  # a credit or byline line is at most this long
INFO_SEPARATOR = re.compile(r"\s+[|·•]\s+")
POSTED = re.compile(r"^(?:posted|published|updated|last updated|first published)\b", re.I)
MIN_TEXT = 100  # characters; less is a navigation page or an error page, not an article
# trafilatura's options, built once (reading its config per call costs as much as our metadata).
# No URL: trafilatura would resolve links against the bare host ("/b" for "b" on "/a/page"),
# while `body_blocks` resolves each one against the page itself.
BODY_OPTIONS = Extractor(output_format="xml", comments=False, tables=True, formatting=True,
                         links=True)
# lxml.html calls a Python method to pick the class of every element it hands out, and
# trafilatura has it hand out hundreds per page: a tenth of its time. In a document of this
# parser every element is an HtmlElement without that call (form controls lose lxml's form
# helpers, which neither trafilatura nor we use); trafilatura's copy of the tree inherits it.
HTML_DOCUMENTS = HTMLParser()
HTML_DOCUMENTS.set_element_class_lookup(ElementDefaultClassLookup(
    element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity))


def extract(page: Page, hints: ExtractHints = ExtractHints()) -> Article:  # noqa: B008
    """Extract one article from a fetched page; raises ExtractError when it holds no article."""
    base = page.final_url or page.url
    zone = _zone(hints.timezone)
    tree = parse_page(page)
    meta = read_meta(tree)
    site_blocks, lifted = page_blocks(tree, hints.furniture)
    with lifted_out(lifted):  # the site's learned furniture, hidden from trafilatura only
        trimmed = trim_furniture(_body(tree, base))
    entry = hints.entry
    feed_html = entry.content_html if entry is not None else ""
    blocks = agreed_blocks(trimmed.blocks, witnesses(tree, meta.article_body, feed_html))
    site_names = _site_names(hints, meta, base)

    title, declared = choose_title(meta, site_names)
    if not title and entry is not None:
        title = entry.title.strip()
    blocks = drop_title(blocks, [title, meta.html_title, *meta.headlines[:2], *meta.h1[:1]])
    anchor = headline_element(tree, title)
    near = after(anchor) if anchor is not None else None  # what follows the headline
    marked = standfirst_texts(near)
    standfirst, blocks = choose_standfirst(meta.descriptions, marked, blocks, title)
    authors, papers, blocks = _people(meta, tree, near, blocks, site_names, entry)
    holders = [h for line in trimmed.notices if (h := wire_holder(line))]
    own = site_names + _title_affixes(meta.html_title, title)
    opening = blocks[:3]
    credit, blocks = _credit(blocks, papers + holders, own,
                             lambda: source_texts(tree) if _cjk(opening) else [])
    text = blocks_text(blocks)
    if len(text) < MIN_TEXT:
        raise ExtractError(f"the page holds no article text (only {len(text)} characters)",
                           url=base)
    published, updated, warnings = _dates(meta, tree, base, zone, entry)
    if not declared:
        warnings.append("title not declared in metadata")
    return Article(
        url=page.url,
        canonical_url=_canonical(meta, base),
        title=title,
        text=text,
        html=sanitize_html(blocks_html(blocks), base),
        standfirst=standfirst,
        authors=tuple(authors),
        published=published,
        updated=updated,
        section=_section(meta, hints, base),
        language=choose_language([*meta.languages, hints.language,
                                  entry.language if entry else ""], text),
        image=_image(meta, base, entry),
        credit=credit,
        paywalled=trimmed.paywalled or _paywalled(meta, tree, text),
        site_name=site_names[0] if site_names else "",
        body_hash=body_hash(text),
        extractor=EXTRACTOR,
        warnings=tuple(warnings),
        blocks=site_blocks,
        lifted=frozenset(b.key for b in site_blocks if b.key in hints.furniture),
    )


def body_hash(text: str) -> str:
    """sha256 of the text with all whitespace runs made one space: equal bodies, equal hash."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ConfigError(f"unknown time zone {name!r}") from error


def parse_page(page: Page) -> HtmlElement:
    """The page's tree, parsed the way trafilatura would parse it, exactly once, and moved
    (not copied) into a document of `HTML_DOCUMENTS`."""
    if not page.text.strip():
        raise ExtractError("the page is empty", url=page.url)
    parsed = load_html(page.text)
    if parsed is None:
        raise ExtractError("the page is not HTML", url=page.url)
    tree = HTML_DOCUMENTS.makeelement(parsed.tag, parsed.attrib)
    tree.text = parsed.text
    tree.extend(parsed)
    return tree


def _body(tree: HtmlElement, base: str) -> list[Block]:
    """trafilatura's body of the visible page; of the whole page when only hidden parts hold
    text (a script was to show them)."""
    with hidden_set_aside(tree) as hidden:
        document = bare_extraction(tree, options=BODY_OPTIONS)
    if hidden and _too_short(document):
        document = bare_extraction(tree, options=BODY_OPTIONS)
    if document is None or document.body is None:
        raise ExtractError("no article text found", url=base)
    blocks = body_blocks(document.body, base)
    if not any(block.text for block in blocks):
        raise ExtractError("no article text found", url=base)
    return blocks


def _too_short(document: Document | None) -> bool:
    body = document.body if document is not None else None
    return body is None or len("".join(body.itertext())) < MIN_TEXT


def _site_names(hints: ExtractHints, meta: PageMeta, base: str) -> list[str]:
    """The paper's names: configured, declared, and the host's own label ("vnexpress")."""
    label = site_of(base).split(".")[0]
    names = [hints.site_name, *meta.site_names, label]
    return list(dict.fromkeys(n for n in names if n))


def _cjk(blocks: list[Block]) -> bool:
    return script_language(blocks_text(blocks)) in ("zh", "ja", "ko")


def _title_affixes(page_title: str, title: str) -> list[str]:
    """What `<title>` adds around the headline ("…-半月谈"): the site's name in its own words."""
    parts = [p.strip() for p in SEPARATOR.split(page_title) if p.strip()]
    return [p for p in (parts[0], parts[-1]) if p not in title] if len(parts) > 1 else []


def _people(
    meta: PageMeta,
    tree: HtmlElement,
    near: list[HtmlElement] | None,
    blocks: list[Block],
    site_names: list[str],
    entry: FeedEntry | None,
) -> tuple[list[str], list[str], list[Block]]:
    """Authors, the papers credited as authors, and the body without its byline lines.

    Metadata first, then a byline opening the body ("By ...", "박준석 기자"), then byline
    elements of the page, then a sign-off line closing the body ("Lê Phương"), then the feed.
    """
    people: list[str] = []
    papers = [o for o in meta.organisations if not is_site(o, site_names)]
    editors: set[str] | None = None  # read only when metadata names someone
    for group in meta.authors:
        found, credited = split_byline(group, site_names)
        papers.extend(credited)
        if found and editors is None:
            editors = {name_key(name) for name in editor_names(tree)}
        found = [name for name in found if name_key(name) not in (editors or ())]
        if found:
            people = found
            break
    if blocks and len(blocks[0].text) <= SHORT_LINE and (bylines := _info_line(blocks[0].text)):
        blocks = blocks[1:]
        for line in bylines[1:]:
            found, credited = split_byline([line], site_names)
            people = people or found
            papers = credited + papers
    if blocks and len(blocks[0].text) <= SHORT_LINE:
        line = blocks[0].text
        found, credited = split_byline([line], site_names) if BY_PREFIX.match(line) else ([], [])
        signed = signature(line)
        if found or credited or (signed and _known(signed, people)):
            blocks = blocks[1:]
            people = people or found or signed
            papers = credited + papers
    if not people:
        for line in byline_texts(tree, near):
            found, credited = split_byline([line], site_names)
            if found:
                people = found
                break
            papers.extend(credited)
    if len(blocks) > 1:
        signed = signature(blocks[-1].text)
        if signed and (not people or _known(signed, people)):
            blocks = blocks[:-1]
            people = people or signed
    if not people and entry is not None:
        people, credited = split_byline(entry.authors, site_names)
        papers.extend(credited)
    return people, papers, blocks


def _info_line(line: str) -> list[str]:
    """An information line under a headline ("Posted on 26 November 2026 | By A"): its date
    part then its byline parts, or [] when the line is anything else."""
    parts = [p.strip() for p in INFO_SEPARATOR.split(line) if p.strip()]
    if not parts or not DATE_HINT.search(parts[0]):
        return []
    if not POSTED.match(parts[0]) and len(DATE_HINT.sub("", parts[0])) > len(parts[0]) / 2:
        return []
    bylines = parts[1:]
    return parts[:1] + bylines if all(BY_PREFIX.match(b) for b in bylines) else []


def _known(names: list[str], people: list[str]) -> bool:
    known = {name_key(p) for p in people}
    return bool(known) and all(name_key(n) in known for n in names)


def _credit(
    blocks: list[Block],
    papers: list[str],
    site_names: list[str],
    lines: Callable[[], list[str]],
) -> tuple[str, list[Block]]:
    """The credit line of a syndicated story, and the body without a credit-only line.

    Looked for in the body's first and last lines, then among the papers named as authors or
    copyright holders, then (`lines`, read only if needed) in the page's "来源：" lines.
    """
    for index in (0, -1):
        if len(blocks) > 1 and len(blocks[index].text) <= SHORT_LINE:
            paper = credit_of_line(blocks[index].text)
            if paper and not is_site(paper, site_names):
                rest = blocks[1:] if index == 0 else blocks[:-1]
                return credit_line(paper), rest
    opening = credit_in_text(blocks[0].text, "") if blocks else ""
    closings = (credit_in_text("", last.text) for last in reversed(blocks[-3:]))
    for paper in (opening,) if opening else closings:
        if paper and not is_site(paper, site_names):
            return credit_line(paper), blocks
    for paper in papers:
        if not is_site(paper, site_names):
            return credit_line(paper), blocks
    for line in lines():
        paper = credit_in_text(line, "")
        if paper and not is_site(paper, site_names):
            return credit_line(paper), blocks
    return "", blocks


def _first_moment(
    values: tuple[str, ...],
    zone: tzinfo,
    parse: Callable[[str, tzinfo], Moment | None] = parse_moment,
) -> Moment | None:
    """The first candidate with a time of day; failing that, the first bare day."""
    day = None
    for value in values:
        moment = parse(value, zone)
        if moment is None:
            continue
        if moment.has_time:
            return moment
        day = day or moment
    return day


def _dates(
    meta: PageMeta, tree: HtmlElement, base: str, zone: tzinfo, entry: FeedEntry | None
) -> tuple[datetime | None, datetime | None, list[str]]:
    """Published and updated in UTC, with a warning naming any source weaker than the page.

    The page's own metadata wins over the feed (a feed often states the wrong zone), unless the
    page gives only a day and the feed has a time on that same day. With no page date at all,
    the feed's date is used, then the page's modification time, the visible text, the URL.
    """
    warnings: list[str] = []
    page = _first_moment(meta.published, zone)
    changed = _first_moment(meta.updated, zone)
    fed = entry.published if entry is not None else None
    updated = changed.value if changed else (entry.updated if entry is not None else None)
    if page is not None and (page.has_time or fed is None or not _same_day(page, fed, zone)):
        return page.value, updated, warnings
    if fed is not None:
        return fed, updated, ["published date from the feed"]
    if changed is not None:
        return changed.value, updated, ["published date is the page's modification date"]
    shown = _first_moment(tuple(visible_dates(tree)), zone, find_moment)
    if shown is not None:
        return shown.value, updated, ["published date from the page text"]
    from_url = date_from_url(base, zone)
    if from_url is not None:
        return from_url.value, updated, ["published date from the URL"]
    return None, updated, ["no published date"]


def _same_day(moment: Moment, other: datetime, zone: tzinfo) -> bool:
    return moment.value.astimezone(zone).date() == other.astimezone(zone).date()


def _canonical(meta: PageMeta, base: str) -> str:
    """The page's rel=canonical or og:url when it is on the same site and not its home page."""
    base_path = urlsplit(base).path
    for candidate in meta.canonical:
        url = absolute_url(candidate, base)
        if not url or not same_site(url, base):
            continue
        if urlsplit(url).path in ("", "/") and base_path not in ("", "/"):
            continue
        return canonical_url(url)
    return canonical_url(base)


def _section(meta: PageMeta, hints: ExtractHints, base: str) -> str:
    """Our section for the page, from its own section names, its feed categories and its URL;
    "" when none of them names one (the classifier decides later)."""
    own = [s for s in meta.sections if s.casefold() not in GENERIC_SECTIONS]
    if hints.entry is not None:
        own.extend(hints.entry.categories)
    return map_section(own, base, hints.sections, hints.taxonomy)


def _image(meta: PageMeta, base: str, entry: FeedEntry | None) -> str:
    candidates = [*meta.images, entry.image if entry is not None else ""]
    return next((url for c in candidates if (url := absolute_url(c, base))), "")


def _paywalled(meta: PageMeta, tree: HtmlElement, text: str) -> bool:
    """Only a teaser is present: the page says so and the body is short, or the body is far
    shorter than the article the page declares or the description it sums up."""
    described = len(meta.descriptions[0]) if meta.descriptions else 0
    if len(meta.article_body) > 2 * len(text) + 200:
        return True
    if described and len(text) < 1.2 * described:
        return True
    short = len(text) < max(600, 2.5 * described)
    return short and (meta.free is False or has_paywall_marker(tree))
