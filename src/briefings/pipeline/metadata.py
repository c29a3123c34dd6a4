"""What a page says about itself: JSON-LD, OpenGraph and `<meta>` tags, `<time>`, bylines.

`read_meta` collects, for each field, every candidate the page offers in order of trust:
schema.org JSON-LD first (an article object, also inside `@graph` or a list), then OpenGraph
and `article:*`, then the named `<meta>` conventions (parsely, sailthru, Dublin Core, ...),
then microdata and `<time>`. The extractor picks the first candidate that survives cleaning,
so a broken JSON-LD date falls through to the OpenGraph one instead of to nothing. The other
functions look at the visible page and are called only when the metadata came up short.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html import unescape
from itertools import chain, islice

from lxml.etree import Element, XPath
from lxml.html import HtmlElement

from briefings.pipeline.bylines import clean_text

ARTICLE_TYPES = frozenset(
    {
        "Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle",
        "OpinionNewsArticle", "BackgroundNewsArticle", "ReviewNewsArticle", "BlogPosting",
        "LiveBlogPosting", "SatiricalArticle", "Report",
    }
)
META_TITLE = ("og:title", "twitter:title", "title", "headline", "dc.title", "parsely-title",
              "sailthru.title")
META_DESCRIPTION = ("og:description", "description", "twitter:description", "dc.description")
META_AUTHOR = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator",
               "byl", "cxenseparse:author", "og:article:author")
META_PUBLISHED = (
    "article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
    "publish-date", "publish_date", "parsely-pub-date", "sailthru.date", "article.published",
    "dcterms.created", "dc.date.issued", "dc.date", "date", "og:release_date", "firstcreate",
)
META_UPDATED = ("article:modified_time", "og:updated_time", "datemodified", "lastmod",
                "dcterms.modified", "article.updated", "lastupdate")
META_SECTION = ("article:section", "parsely-section", "section", "articlesection")
META_LANGUAGE = ("content-language", "language", "dc.language", "inlanguage", "og:locale")
META_IMAGE = ("og:image", "og:image:url", "og:image:secure_url", "twitter:image",
              "twitter:image:src")
META_SITE = ("og:site_name", "application-name", "publisher")
TAGS = re.compile(r"<[^>]{1,200}>")
MICRODATA = XPath("//*[@itemprop][not(self::meta)][@itemprop='datePublished' "
                  "or @itemprop='dateModified' or @itemprop='author']")
BYLINE_HREF = re.compile(r"/(?:author|authors|reporter)/|/author-", re.IGNORECASE)
# Class patterns are searched in lower-cased class names: without IGNORECASE the regex engine
# skips ahead to the letters an alternative can start with, twice as fast on every element
# near the headline.
BYLINE_CLASS = re.compile(r"byline|author|writer|reporter")
STANDFIRST_CLASS = re.compile(
    r"standfirst|\bdek\b|sapo|sub-?title|summary|article-lead|excerpt|intro|^description$|^lead$"
)
BYLINE_XPATH = XPath(
    "//*[@rel='author' or @itemprop='author'] | //*[@class][contains(@class,'byline') "
    "or contains(@class,'author') or contains(@class,'writer') or contains(@class,'reporter')]"
    "|//a[contains(@href,'/author/') or contains(@href,'/authors/') "
    "or contains(@href,'/reporter/') or contains(@href,'/author-')]"
)
SKIPPED = frozenset({"meta", "link", "script", "style", "body", "html", "img", "noscript"})
BY_NAME = re.compile(r"\s*(?:by|By|BY)\s+[A-Z]")
FOLLOWING = 12  # elements after the headline looked at for an unmarked standfirst
STANDFIRST_MAX = 300  # characters: longer is a paragraph of the story, not its standfirst
PROSE = 100  # characters of a following paragraph that make the block above it the lede
NEAR = 80  # elements after the headline searched for its standfirst and byline
PAYWALL_XPATH = XPath(
    "//*[contains(@class,'paywall') or contains(@id,'paywall') or contains(@class,'regwall') "
    "or contains(@class,'subscriber-only') or contains(@class,'premium-content') "
    "or contains(@class,'meteredContent')]"
)
VISIBLE_TEXT_XPATH = XPath(
    "//body//text()[string-length(normalize-space()) >= 8][string-length(normalize-space()) <= 80]"
    "[not(parent::script)][not(parent::style)]"
)
SOURCE_TEXT_XPATH = XPath(
    "//body//text()[contains(., '来源') or contains(., '來源') or contains(., '出典') "
    "or contains(., '출처')][not(parent::script)][not(parent::style)]"
)
DATE_HINT = re.compile(r"(?:\d{4}\s*[-/.年]\s*\d{1,2}|[a-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}|"
                       r"\d{1,2}\s+[a-z]{3,9}\.?,?\s+\d{4})", re.I)


@dataclass(frozen=True, slots=True)
class PageMeta:
    """Candidates for each field, most trusted first; strings are unescaped and trimmed."""

    headlines: tuple[str, ...] = ()
    html_title: str = ""
    h1: tuple[str, ...] = ()
    descriptions: tuple[str, ...] = ()
    authors: tuple[tuple[str, ...], ...] = ()  # one group per source, most trusted first
    organisations: tuple[str, ...] = ()  # names given as an Organization author
    published: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    images: tuple[str, ...] = ()
    site_names: tuple[str, ...] = ()
    canonical: tuple[str, ...] = ()  # rel=canonical, then og:url
    free: bool | None = None  # JSON-LD isAccessibleForFree
    article_body: str = ""  # JSON-LD articleBody, when the page gives one


def read_meta(tree: HtmlElement) -> PageMeta:
    """Collect every metadata candidate of a parsed page, in one walk over its elements."""
    meta: dict[str, list[str]] = {}
    links: dict[str, str] = {}
    scripts: list[str] = []
    headings: list[str] = []
    times: list[str] = []
    page_title = ""
    for element in tree.iter("meta", "link", "script", "title", "h1", "time"):
        tag = element.tag
        if tag == "meta":
            _add_meta(meta, element)
        elif tag == "link":
            for name in (element.get("rel") or "").lower().split():
                links.setdefault(name, (element.get("href") or "").strip())
        elif tag == "script":
            kind = (element.get("type") or "").strip().lower()
            if kind == "application/ld+json" and element.text:
                scripts.append(element.text)
        elif tag == "title":
            page_title = page_title or clean_text(element.text_content())
        elif tag == "time":
            times.append((element.get("datetime") or "").strip())
        else:
            headings.append(clean_text(element.text_content()))
    article, crumbs = _json_ld(scripts)
    authors: list[tuple[str, ...]] = []
    organisations: list[str] = []
    if article is not None:
        people, orgs = _ld_people(article.get("author"))
        authors.append(people)
        organisations.extend(orgs)
    for key in META_AUTHOR:
        values = tuple(v for v in meta.get(key, ()) if not v.startswith(("http://", "https://")))
        if values:
            authors.append(values)
    if _first(meta, "twitter:label1").casefold() == "written by":
        authors.append((_first(meta, "twitter:data1"),))
    ld = article or {}
    published = [*_ld_strings(ld.get("datePublished")), *_ld_strings(ld.get("dateCreated"))]
    updated = [*_ld_strings(ld.get("dateModified"))]
    for key in META_PUBLISHED:
        published.extend(meta.get(key, ()))
    for key in META_UPDATED:
        updated.extend(meta.get(key, ()))
    if not published or not any(authors):  # microdata, read only when the rest came up short
        for element in MICRODATA(tree):
            prop = element.get("itemprop")
            if prop == "author":
                names = element.xpath(".//*[@itemprop='name']")
                authors.append(tuple(clean_text(n.text_content()) for n in names))
            else:
                value = element.get("datetime") or element.get("content") or ""
                (updated if prop == "dateModified" else published).append(value.strip())
    published.extend(times)
    sections = [*_ld_strings(ld.get("articleSection")), *_meta_values(meta, META_SECTION)]
    sections.extend(crumbs)
    publishers = _ld_names(ld.get("publisher"))
    html_lang = tree.get("lang") or tree.get("xml:lang") or ""
    return PageMeta(
        headlines=_nonempty([*_ld_strings(ld.get("headline")), *_meta_values(meta, META_TITLE)]),
        html_title=page_title,
        h1=_nonempty(headings),
        descriptions=_nonempty([*_ld_strings(ld.get("description")),
                                *_meta_values(meta, META_DESCRIPTION)]),
        authors=tuple(g for g in (_nonempty(group) for group in authors) if g),
        organisations=_nonempty(organisations),
        published=_nonempty(published),
        updated=_nonempty(updated),
        sections=_nonempty(sections),
        languages=_nonempty([*_ld_strings(ld.get("inLanguage")), html_lang,
                             *_meta_values(meta, META_LANGUAGE)]),
        images=_nonempty([*_ld_images(ld.get("image")), *_meta_values(meta, META_IMAGE),
                          links.get("image_src", "")]),
        site_names=_nonempty([*_meta_values(meta, META_SITE), *publishers]),
        canonical=_nonempty([links.get("canonical", ""), _first(meta, "og:url")]),
        free=_ld_bool(ld.get("isAccessibleForFree")),
        article_body=body if isinstance(body := ld.get("articleBody"), str) else "",
    )


def _add_meta(found: dict[str, list[str]], element: HtmlElement) -> None:
    key = element.get("property") or element.get("name") or element.get("itemprop")
    content = element.get("content")
    if key and content and content.strip():
        found.setdefault(key.strip().lower(), []).append(clean_text(unescape(content)))


def _first(meta: dict[str, list[str]], key: str) -> str:
    values = meta.get(key)
    return values[0] if values else ""


def _meta_values(meta: dict[str, list[str]], keys: tuple[str, ...]) -> list[str]:
    return [values[0] for key in keys if (values := meta.get(key))]


def _nonempty(values: object) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:  # type: ignore[attr-defined]
        if value and value not in seen:
            seen[value] = None
    return tuple(seen)


def _json_ld(scripts: list[str]) -> tuple[dict | None, list[str]]:
    """The first article object of the page's JSON-LD, and the names in its breadcrumb trail."""
    article = None
    crumbs: list[str] = []
    for script in scripts:
        source = script.strip().removeprefix("<!--").removesuffix("-->").strip()
        try:
            data = json.loads(source, strict=False)
        except ValueError:
            continue
        for item in _ld_objects(data):
            types = item.get("@type")
            types = set(types) if isinstance(types, list) else {types}
            if article is None and types & ARTICLE_TYPES:
                article = item
            elif "BreadcrumbList" in types and not crumbs:
                crumbs = _breadcrumbs(item)
    return article, crumbs


def _ld_objects(data: object, depth: int = 0) -> list[dict]:
    if depth > 3:
        return []
    if isinstance(data, list):
        return [obj for item in data for obj in _ld_objects(item, depth + 1)]
    if isinstance(data, dict):
        graph = data.get("@graph")
        return [data, *(_ld_objects(graph, depth + 1) if graph else [])]
    return []


def _breadcrumbs(item: dict) -> list[str]:
    """Trail names except the first (home) and last (the article itself), deepest first."""
    names = []
    elements = item.get("itemListElement")
    for element in elements if isinstance(elements, list) else []:
        if isinstance(element, dict):
            inner = element.get("item")
            name = element.get("name") or (inner.get("name") if isinstance(inner, dict) else "")
            names.append(clean_text(unescape(str(name or ""))))
    return list(reversed(names[1:-1]))


def _ld_strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [clean_text(unescape(TAGS.sub(" ", value)))]
    if isinstance(value, list):
        return [s for item in value for s in _ld_strings(item)]
    if isinstance(value, dict):
        return _ld_strings(value.get("name") or value.get("@value"))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [str(value)]
    return []


def _ld_names(value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    dicts = (item for item in items if isinstance(item, dict))
    return _nonempty(name for item in dicts for name in _ld_strings(item.get("name")))


def _ld_people(value: object) -> tuple[tuple[str, ...], list[str]]:
    """Author names split into people and organisations (a paper credited as author)."""
    people, orgs = [], []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            people.extend(_ld_strings(item))
        elif isinstance(item, dict):
            kinds = item.get("@type")
            kinds = set(kinds) if isinstance(kinds, list) else {kinds}
            names = _ld_strings(item.get("name"))
            if kinds & {"Organization", "NewsMediaOrganization", "Corporation"}:
                orgs.extend(names)
            else:
                people.extend(names)
    return _nonempty(people), orgs


def _ld_images(value: object) -> list[str]:
    if isinstance(value, str):
        return [value.strip()]
    if isinstance(value, list):
        return [url for item in value[:3] for url in _ld_images(item)]
    if isinstance(value, dict):
        url = value.get("url") or value.get("contentUrl") or value.get("@id")
        return [url.strip()] if isinstance(url, str) else []
    return []


def _ld_bool(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def headline_element(tree: HtmlElement, title: str) -> HtmlElement | None:
    """The `<h1>` that carries the headline (a logo can be the first one), or the first."""
    wanted = "".join(title.split()).casefold()
    first = None
    for element in tree.iter("h1"):
        first = first if first is not None else element
        text = "".join(element.text_content().split()).casefold()
        if text and wanted and (text in wanted or wanted in text):
            return element
    return first


def after(anchor: HtmlElement, limit: int = NEAR) -> list[HtmlElement]:
    """Up to `limit` elements following `anchor` in document order (not inside it).

    Walked once per page: the standfirst and the byline are both looked for in this list.
    """
    following = (
        element
        for node in chain((anchor,), anchor.iterancestors())
        for sibling in node.itersiblings()
        for element in sibling.iter(Element)  # elements only, no comments
        if element.tag not in SKIPPED
    )
    return list(islice(following, limit))


def _short_text(element: HtmlElement, low: int, high: int) -> str:
    text = clean_text(element.text_content())
    return text if low <= len(text) <= high else ""


def byline_texts(tree: HtmlElement, near: list[HtmlElement] | None,
                 limit: int = 8) -> list[str]:
    """Short texts of byline elements and author links after the headline, or anywhere on a
    page without an `<h1>`."""
    if near is not None:
        elements = [e for e in near if _is_byline(e) or BY_NAME.match(e.text or "")]
    else:
        elements = [e for e in BYLINE_XPATH(tree) if e.tag not in SKIPPED]
    texts = [t for e in elements if (t := _short_text(e, 1, 120))]
    return texts[:limit]


def _is_byline(element: HtmlElement) -> bool:
    if element.get("rel") == "author" or element.get("itemprop") == "author":
        return True
    if element.tag == "a" and BYLINE_HREF.search(element.get("href") or ""):
        return True
    classes = element.get("class")
    return bool(classes and BYLINE_CLASS.search(classes.lower()))


EDITOR_TEXT = XPath(
    "//body//text()[contains(., 'ditor') or contains(., 'DITOR') or contains(., 'enyunting')"
    " or contains(., '编辑') or contains(., '編輯') or contains(., '編集') or contains(., '편집')]"
)
EDITOR_LINE = re.compile(
    r"(?:\b(?:editor|penyunting|redaktur)|责任编辑|責任編輯|編集|편집)\s*[:：]\s*"
    r"([^|/:：,，;\n]{2,60})", re.IGNORECASE)


def editor_names(tree: HtmlElement, limit: int = 4) -> list[str]:
    """Names the page labels as its editor ("Editor : Heryadi", "责任编辑：王明"): a site's
    metadata sometimes gives its editor as the article's author."""
    names: list[str] = []
    for node in EDITOR_TEXT(tree)[:limit]:
        parent = node.getparent()
        if parent is None or parent.tag in SKIPPED:
            continue
        line = clean_text(parent.text_content())
        names.extend(m.group(1).strip() for m in EDITOR_LINE.finditer(line) if len(line) < 200)
    return names


def standfirst_texts(near: list[HtmlElement] | None, limit: int = 5) -> list[str]:
    """Texts of elements right after the headline marked up as a standfirst (dek, sapo)."""
    texts = []
    for element in near or []:
        marked = element.get("itemprop") in ("description", "alternativeHeadline")
        classes = element.get("class")
        if marked or (classes and STANDFIRST_CLASS.search(classes.lower())):
            text = _short_text(element, 20, 600)
            if text:
                texts.append(text)
    following = _following_text(near) if near else ""
    return [*texts[:limit], following] if following and following not in texts else texts[:limit]


def _following_text(near: list[HtmlElement]) -> str:
    """The short block right under the headline, unmarked (hashed class names), when it is
    neither the byline and date line nor the lede of paragraphs that follow it."""
    for element in near[:FOLLOWING]:
        text = clean_text(element.text_content())
        if not text or len(text) > STANDFIRST_MAX:
            continue  # empty, or the container of what follows: look inside
        if len(text) < 20 or BY_NAME.match(text) or DATE_HINT.search(text):
            return ""
        links = sum(len(clean_text(a.text_content())) for a in element.iter("a"))
        paragraphs = (clean_text(sibling.text_content()) for sibling in
                      islice(element.itersiblings(), 3) if sibling.tag == "p")
        prose = any(len(p) >= PROSE or (len(p) >= 20 and not BY_NAME.match(p)
                                        and not DATE_HINT.search(p)) for p in paragraphs)
        return "" if prose or links > len(text) / 2 else text
    return ""


def source_texts(tree: HtmlElement, limit: int = 5) -> list[str]:
    """Short visible lines naming a source ("稿件来源： 河北日报"), as CJK papers print them in
    the information bar under the headline, outside the body."""
    texts = []
    for node in SOURCE_TEXT_XPATH(tree):
        parent = node.getparent()
        text = _short_text(parent, 4, 120) if parent is not None else ""
        if text:
            texts.append(text)
        if len(texts) >= limit:
            break
    return texts


def has_paywall_marker(tree: HtmlElement) -> bool:
    """Whether the page carries a paywall or registration-wall container."""
    return bool(PAYWALL_XPATH(tree))


def visible_dates(tree: HtmlElement, limit: int = 20) -> list[str]:
    """Short visible texts that look like a date ("Updated: Oct 9, 2019, 11:05 IST")."""
    texts = VISIBLE_TEXT_XPATH(tree)
    return [t.strip() for t in texts if DATE_HINT.search(t)][:limit]
