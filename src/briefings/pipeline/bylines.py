"""Bylines and credit lines: who wrote a story, and which paper it came from.

An author field on a news page holds more than names: "By", roles ("Staff Reporter", "기자"),
e-mail addresses, the paper's own name standing in for a person, and sometimes another paper
("By China Daily") when the story is syndicated. `split_byline` separates people from papers;
`credit_of_line` recognises the credit lines partner papers print ("(Xinhua)", "— The Korea
Herald/ANN", "Source: The Straits Times") so the story can be shown once, crediting the original.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

CJK_TIGHT = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
CJK_LINE_BREAK = re.compile(rf"(?<=[{CJK_TIGHT}])[ \t\r\f\v]*\n\s*(?=[{CJK_TIGHT}])")
CJK_PUNCTUATION = "\u3001-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
# a space next to CJK punctuation is a line break some earlier step turned into a space
CJK_PUNCTUATION_SPACE = re.compile(
    rf"(?<=[{CJK_PUNCTUATION}]) (?=[{CJK_TIGHT}])|(?<=[{CJK_TIGHT}]) (?=[{CJK_PUNCTUATION}])"
)
# the ideographic space U+3000 is kept: CJK headlines use it to separate phrases
SPACES = re.compile(r"[^\S\u3000]+")
INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
# text whose highest character is below this holds no CJK, no U+3000 and of INVISIBLE only these
CJK_START = "\u3000"
INVISIBLE_BELOW_CJK = "\u200b\u200c\u200d\u2060"
BY_PREFIX = re.compile(
    r"^(?:(?:(?:(?:written|reported|posted|text|words|story|compiled|edited)\s+)?by"
    r"|from|oleh|bởi|penulis|reporter|author)(?=[\s:：])"
    r"|作者|撰文|记者|記者|责任编辑|責任編輯|编辑|編輯|編集|文(?=\s*[:：/]))\s*[:：/|]?\s*",
    re.IGNORECASE,
)
ROLE_SUFFIX = re.compile(
    r"(?:\s*(?:선임기자|객원기자|기자|특파원|논설위원|편집위원|記者|记者|特派員|特派员|編集委員|通讯员|通訊員"
    r"|외\s*\d+\s*명))+$"
)
ADDRESS = re.compile(r"\S+@\S+|https?://\S+")
FURNITURE_WORDS = frozenset(
    {
        "read", "more", "related", "share", "comments", "comment", "advertisement", "follow",
        "subscribe", "highlights", "photo", "video", "also", "see", "click", "here", "story",
        "stories", "top", "latest", "trending", "copyright", "rights", "reserved", "home",
    }
)
ROLES = frozenset(
    {
        "staff reporter", "staff writer", "staff correspondent", "correspondent", "reporter",
        "senior reporter", "special correspondent", "senior correspondent", "chief correspondent",
        "foreign correspondent", "our correspondent", "editor", "senior editor", "news editor",
        "deputy editor", "associate editor", "managing editor", "contributing editor",
        "editor-in-chief", "columnist", "contributor", "guest contributor", "bureau chief",
        "writer", "senior writer", "journalist", "jurnalis", "wartawan", "photographer",
        "staff", "agencies", "agency", "agency reports", "desk", "web desk", "online desk",
        "news desk", "digital desk", "news service", "bureau", "our bureau", "editorial",
        "editorial board", "admin", "administrator", "guest", "anonymous", "unknown", "team",
        "news", "wire", "wires", "wire services", "wire reports",
    }
)
SEPARATORS = re.compile(
    r"\s*(?:,|;|&|\band\b|\bdan\b|\bvà\b|、|，|/|\||\bwith\b)\s*", re.IGNORECASE
)
NOT_A_NAME = re.compile(
    r"@|https?:|www\.|\d|\.(?:com|net|org|co|in|jp|kr|cn|vn|id|my|sg|ph)\b", re.IGNORECASE
)
PAPER_WORDS = frozenset(
    {
        "daily", "times", "post", "herald", "news", "press", "tribune", "journal", "gazette",
        "inquirer", "chronicle", "observer", "standard", "express", "nation", "star", "mail",
        "telegraph", "review", "monitor", "bulletin", "today", "network", "agency", "media",
        "broadcasting", "ilbo", "shimbun", "sinmun", "xinhua", "kyodo", "yonhap", "bernama",
        "antara", "reuters", "jiji", "ann", "vna", "pna", "afp", "ap", "pti", "ians", "ani",
        "upi", "dpa", "efe", "tnn", "kompas", "tempo", "rappler", "kuensel", "dawn", "sun",
    }
)
PAPER_SUFFIX = re.compile(
    r"(?:新聞|新闻|日報|日报|晚报|晚報|時報|时报|通信|通讯社|新华社|新華社|网|網|일보|신문|뉴스|통신)$"
)
CREDIT_PATTERNS = (
    re.compile(r"^\(?\s*(?:by|from|courtesy(?:\s+of)?)\s+(?P<paper>[^()]+?)\s*\)?\.?$", re.I),
    re.compile(r"^\((?P<paper>[^()]{2,40})\)\.?$"),
    re.compile(r"^[—–-]{1,2}\s*(?P<paper>.+?)\.?$"),
    re.compile(
        r"^(?:sources?|来源|來源|出典|出所|출처|nguồn|sumber)\s*[:：]\s*(?P<paper>.+?)\.?$", re.I
    ),
)
SHORT_LINE = 80
EXPLICIT_SOURCE = 3  # index of the pattern whose match needs no paper-like name
TRAILING_CREDIT = re.compile(r"\((?P<paper>[^()]{2,30})\)\s*$")
TRAILING_WIRE = re.compile(r"(?<=[.!?\"”’])\s*[-—–(]?\s*(?P<paper>[A-Za-z]{2,8})\)?\s*$")
SOURCE_IN_LINE = re.compile(
    r"(?<![图圖])(?<!图片)(?<!圖片)(?<!photo )"
    r"(?:稿件来源|来源|來源|出典|출처|source|nguồn|sumber)\s*[:：]\s*"
    r"(?P<paper>[^\s|()]{2,30}(?: [^\s|()]+){0,3})\s*$",
    re.IGNORECASE,
)
WIRES = frozenset({"pti", "ians", "ani", "uni", "afp", "ap", "reuters", "xinhua", "bernama",
                   "antara", "yonhap", "kyodo", "jiji", "vna", "pna", "ann", "upi", "dpa"})
DATELINE_CREDIT = re.compile(
    r"^[A-Z][A-Za-z .'-]{1,40}(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"\s*\((?P<paper>[^()]{2,30})\)\s*[-—–]+"
)
COPYRIGHT_HOLDER = re.compile(
    r"^(?:©|ⓒ|\(c\)|copyright)(?:\s*(?:©|ⓒ|\(c\)))?\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*,?\s*"
    r"(?P<name>[^.,;|©ⓒ]{2,60}?)\s*(?:[.,;|]|$|all rights)",
    re.IGNORECASE,
)
NETWORK_SUFFIX = re.compile(r"\s*(?:/\s*|\(\s*)(?:ANN|Asia News Network)\s*\)?$", re.I)
CORPORATE_SUFFIX = re.compile(r"(?:社|電子版|电子版|web|online|digital|inc|ltd|group|com|net)+$")


def clean_text(text: str) -> str:
    """NFC, whitespace collapsed; no space is left between CJK characters that a line break or
    a collapsed break separated (CJK text has no spaces between words)."""
    if text.isascii():
        return " ".join(text.split())
    if max(text) < CJK_START:  # no CJK and no U+3000: plain splitting does what collapse does
        for char in INVISIBLE_BELOW_CJK:
            if char in text:
                text = text.replace(char, "")
        return unicodedata.normalize("NFC", " ".join(text.split()))
    return unicodedata.normalize("NFC", collapse(text).strip())


def collapse(text: str) -> str:
    """Whitespace runs as one space, except around CJK punctuation and across CJK line breaks."""
    if text.isascii():  # most text: nothing invisible, nothing CJK
        return SPACES.sub(" ", text)
    if "\n" in text:
        text = CJK_LINE_BREAK.sub("", text)
    text = SPACES.sub(" ", INVISIBLE.sub("", text))
    return CJK_PUNCTUATION_SPACE.sub("", text)


def name_key(name: str) -> str:
    """Letters and digits only, NFKC and case-folded: "VnExpress" == "vnexpress.net"[:9]."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(c for c in folded if c.isalnum())


@lru_cache(maxsize=4096)
def site_key(name: str) -> str:
    """A site name reduced for comparison: "The Nikkei Online" and "nikkei" give one key.

    Cached: `is_site` compares against the same few site names many times per page."""
    return CORPORATE_SUFFIX.sub("", name_key(name).removeprefix("the"))


def is_site(name: str, site_names: Iterable[str]) -> bool:
    """Whether `name` is one of the site's own names, give or take "The", "社", "Online"."""
    key = site_key(name)
    if len(key) < 2:
        return False
    for site in site_names:
        other = site_key(site)
        if len(other) < 2:
            continue
        short, long = sorted((key, other), key=len)
        prefix = long.startswith(short) and len(short) >= 6
        if short in long and (len(short) >= 0.6 * len(long) or prefix):
            return True
    return False


def is_paper(name: str) -> bool:
    """Whether a name reads as a newspaper or agency rather than a person."""
    name = name.strip()
    if PAPER_SUFFIX.search(name):
        return True
    words = re.findall(r"[^\W\d_]+", name)
    if len(words) == 1 and words[0].isupper() and 2 <= len(words[0]) <= 5:
        return True
    return any(w.casefold() in PAPER_WORDS for w in words)


def split_byline(names: Iterable[str], site_names: Iterable[str]) -> tuple[list[str], list[str]]:
    """Clean author strings into (people, papers); the site itself and desk roles are dropped."""
    site_names = list(site_names)
    people: dict[str, str] = {}
    papers: dict[str, str] = {}
    for raw in names:
        for part in SEPARATORS.split(BY_PREFIX.sub("", ADDRESS.sub(" ", clean_text(raw)))):
            name = _clean_name(part)
            if not name or is_site(name, site_names):
                continue
            target = papers if is_paper(name) else people
            target.setdefault(name.casefold(), name)
    return list(people.values()), list(papers.values())


def _clean_name(part: str) -> str:
    name = BY_PREFIX.sub("", part.strip(" \t-–—:：()[]【】「」\"'.·"))
    name = ROLE_SUFFIX.sub("", name).strip(" -–—,:")
    role = name.casefold()
    if not name or role in ROLES or role.removesuffix("s") in ROLES or NOT_A_NAME.search(name):
        return ""
    if name.isascii() and name.islower() and " " not in name:
        return ""  # a CMS user name ("satter"), not a byline
    wide = sum(1 for c in name if unicodedata.east_asian_width(c) in "WF")
    if len(name) > 60 or len(name.split()) > 5 or (wide and len(name) > 12):
        return ""
    return name


def signature(line: str) -> list[str]:
    """The people a sign-off line names ("Lê Phương", "최윤호 기자 uknow@donga.com"), or []."""
    if len(line) > 40:
        return []
    people, papers = split_byline([line], [])
    if papers or not people or len(people) > 2:
        return []
    return people if all(_name_shaped(p) for p in people) else []


def _name_shaped(name: str) -> bool:
    """Two to four capitalised words, or two to five CJK/Hangul letters."""
    words = name.split()
    if any(w.casefold() in FURNITURE_WORDS for w in words):
        return False
    if 2 <= len(words) <= 4 and all(
        w[:1].isupper() and w.replace("-", "").replace(".", "").replace("'", "").isalpha()
        for w in words
    ):
        return True
    compact = name.replace(" ", "")
    wide = all(unicodedata.east_asian_width(c) in "WF" for c in compact)
    return 2 <= len(compact) <= 5 and compact.isalpha() and wide


def credit_of_line(line: str) -> str:
    """The paper a credit line names ("— The Korea Herald/ANN" -> "The Korea Herald"), or ""."""
    line = clean_text(line)
    if not line or len(line) > SHORT_LINE:
        return ""
    for index, pattern in enumerate(CREDIT_PATTERNS):
        match = pattern.match(line)
        if not match:
            continue
        paper = NETWORK_SUFFIX.sub("", match.group("paper")).strip(" .,:;")
        if paper and len(paper.split()) <= 6 and (index == EXPLICIT_SOURCE or is_paper(paper)):
            return paper
    return ""


def credit_in_text(first: str, last: str) -> str:
    """A credit inside a paragraph: "BEIJING (Xinhua) --", "稿件来源： 河北日报", "... (AFP)"."""
    match = DATELINE_CREDIT.search(first[:120])
    if match and is_paper(match.group("paper")) and len(match.group("paper").split()) <= 4:
        return match.group("paper").strip()
    for line in (*first.split("\n")[:3], *last.split("\n")[-2:]):
        # the colon test first: most lines have none, and the regex is slow to say so
        candidate = len(line) <= SHORT_LINE and (":" in line or "：" in line)
        match = SOURCE_IN_LINE.search(line) if candidate else None
        if match:
            return match.group("paper").strip()
    match = TRAILING_CREDIT.search(last[-40:])
    if match and is_paper(match.group("paper")) and len(match.group("paper").split()) <= 4:
        return match.group("paper").strip()
    match = TRAILING_WIRE.search(last[-20:])
    if match and match.group("paper").casefold() in WIRES:
        return match.group("paper")
    return ""


def wire_holder(line: str) -> str:
    """The news agency a copyright line names ("© 2019 Associated Press. All Rights ..."), or "".

    Only agencies count: a paper's own copyright names its owner ("© 2026 Media Group"),
    which says nothing about where the story came from.
    """
    match = COPYRIGHT_HOLDER.match(clean_text(line))
    if not match:
        return ""
    name = match.group("name").strip()
    words = {w.casefold() for w in re.findall(r"[^\W\d_]+", name)}
    return name if words & (WIRES | {"press", "agency"}) else ""


def credit_line(paper: str) -> str:
    """The one spelling of a credit: "By <Paper>"."""
    return f"By {paper}" if paper else ""
