"""The one gate between scraped HTML and a reader's browser (nh3, a Rust sanitiser).

Scraped markup is hostile input: scripts, event handlers, `javascript:` links, iframes and forms
must never reach a page we serve. The allow-list is small on purpose: article prose, lists,
quotes, figures and simple tables; links keep only an absolute http(s) `href`, images only an
absolute `src` and `alt`.
"""

from __future__ import annotations

import re

import nh3

from briefings.pipeline.urls import absolute_url

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "em", "strong", "b", "i",
        "a", "figure", "figcaption", "img", "table", "thead", "tbody", "tr", "th", "td",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
# dropped together with everything inside them, not just unwrapped
DROPPED_WITH_CONTENT = frozenset(
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
        "input", "button", "select", "textarea", "noscript", "template", "svg", "math",
        "canvas", "audio", "video", "head", "title",
    }
)


OPTIONS = {
    "tags": set(ALLOWED_TAGS),
    "clean_content_tags": set(DROPPED_WITH_CONTENT),
    "attributes": {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    "url_schemes": {"http", "https"},
    "link_rel": None,
    "strip_comments": True,
}
# Built once: setting up a sanitiser costs more than cleaning an article with it. It leaves
# relative URLs in place, so that the rare markup holding one is cleaned again against its base.
KEEPING_RELATIVE = nh3.Cleaner(url_relative="pass_through", **OPTIONS)
RELATIVE_URL = re.compile(r'(?:href|src)="(?!https?://)')


def sanitize_html(html: str, base_url: str = "") -> str:
    """Allow-listed HTML with every link and image URL absolute http(s), or dropped."""
    clean = KEEPING_RELATIVE.clean(html)
    if not RELATIVE_URL.search(clean):
        return clean
    base = absolute_url(base_url, base_url)
    return nh3.clean(html, url_relative=("rewrite_with_base", base) if base else "deny", **OPTIONS)
