"""Sections: a paper's own section names and URL paths, mapped onto the site's one taxonomy.

Every paper files its stories its own way ("World", "Asia & Pacific", "国际", "/news/biz/"), while
readers browse one set of sections. A source may say how its sections map (`sections = { theirs =
"Ours" }` in sources.toml); that table wins. Otherwise a name or path segment maps when it, or
one of its words, is a section of the taxonomy or a common synonym of one, in any of the
languages our papers write in. Geographic sections ("National", "Local", "Asia", "Pakistan",
"国内") say where, not what: they map to nothing, and the text classifier (sectionmodel.py)
decides. Pure: no Django, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

DEFAULT_SECTIONS = ("Diplomacy", "Politics", "Economy", "Business", "Technology", "Health",
                    "Environment", "Society", "Culture", "Sport", "Opinion")

Table = Sequence[tuple[str, str]]  # (the paper's section name or URL path, ours)

# Casefolded section names and words, by the section they mean. A key with a space or a hyphen
# matches a whole name or path segment; a one-word key also matches one word of a longer name.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "Diplomacy": (
        "world", "world news", "international", "foreign", "foreign affairs", "global",
        "diplomacy", "geopolitics", "国际", "國際", "国際", "外交", "국제", "외교", "dunia",
        "internasional", "antarabangsa", "luar negeri", "thế giới", "quốc tế", "the-gioi",
        "ต่างประเทศ",
    ),
    "Politics": (
        "politics", "political", "government", "election", "elections", "parliament",
        "政治", "时政", "時政", "정치", "politik", "pemilu", "chính trị", "chinh-tri", "การเมือง",
    ),
    "Economy": (
        "economy", "economics", "economic", "trade", "经济", "經濟", "財經", "财经", "経済",
        "경제", "ekonomi", "kinh tế", "kinh-te", "เศรษฐกิจ",
    ),
    "Business": (
        "business", "biz", "markets", "market", "companies", "company", "corporate", "industry",
        "finance", "money", "investing", "banking", "商业", "企业", "産業", "企業", "산업",
        "bisnis", "perniagaan", "kinh doanh", "kinh-doanh", "ธุรกิจ",
    ),
    "Technology": (
        "technology", "tech", "sci-tech", "scitech", "science", "digital", "gadgets", "科技",
        "科学", "科學", "テクノロジー", "과학", "테크", "teknologi", "sains", "công nghệ",
        "cong-nghe", "khoa học", "khoa-hoc", "số hóa", "so-hoa", "เทคโนโลยี", "ไอที",
    ),
    "Health": (
        "health", "medicine", "medical", "wellness", "健康", "医疗", "醫療", "医療", "건강",
        "의료", "kesehatan", "kesihatan", "sức khỏe", "suc-khoe", "y tế", "สุขภาพ",
    ),
    "Environment": (
        "environment", "climate", "climate change", "weather", "nature", "wildlife", "环境",
        "環境", "환경", "lingkungan", "alam sekitar", "môi trường", "moi-truong", "สิ่งแวดล้อม",
    ),
    "Society": (
        "society", "social", "crime", "education", "社会", "社會", "사회", "masyarakat",
        "pendidikan", "xã hội", "xa-hoi", "giáo dục", "giao-duc", "pháp luật", "phap-luat",
        "สังคม",
    ),
    "Culture": (
        "culture", "lifestyle", "life", "living", "arts", "art", "entertainment", "style",
        "travel", "food", "books", "music", "film", "movies", "fashion", "文化", "文娱", "娱乐",
        "娯楽", "エンタメ", "문화", "연예", "라이프", "budaya", "hiburan", "gaya hidup",
        "văn hóa", "van-hoa", "giải trí", "giai-tri", "du lịch", "du-lich", "วัฒนธรรม",
        "บันเทิง", "ไลฟ์สไตล์",
    ),
    "Sport": (
        "sport", "sports", "football", "soccer", "cricket", "tennis", "golf", "basketball",
        "badminton", "baseball", "rugby", "boxing", "athletics", "olympics", "motorsport",
        "nfl", "nba", "mlb", "nhl", "体育", "體育", "スポーツ", "野球", "サッカー", "스포츠",
        "world cup", "olahraga", "sukan", "thể thao", "the-thao", "กีฬา",
    ),
    "Opinion": (
        "opinion", "opinions", "op-ed", "oped", "op-eds", "editorial", "editorials", "column",
        "columns", "columnist", "columnists", "commentary", "comment", "views", "letters",
        "perspective", "perspectives", "评论", "評論", "社论", "社論", "观点", "觀點",
        "オピニオン", "社説", "論説", "오피니언", "사설", "칼럼", "opini", "tajuk rencana",
        "ý kiến", "y-kien", "góc nhìn", "goc-nhin", "ความคิดเห็น",
    ),
}
SYNONYMS: dict[str, str] = {term: ours for ours, terms in _SYNONYMS.items() for term in terms}
_WORD = re.compile(r"\w+")
_TIGHT = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
MAX_SEGMENT_WORDS = 3  # a longer path segment is a headline slug, not a section


def map_name(name: str, table: Table = (), taxonomy: Sequence[str] = DEFAULT_SECTIONS) -> str:
    """Our section for a paper's section name, or "" when it names none."""
    key = name.strip().casefold()
    if not key:
        return ""
    for theirs, ours in table:
        if not theirs.startswith("/") and theirs.strip().casefold() == key:
            return ours
    return _by_synonym(key, taxonomy)


def map_path(url: str, table: Table = (), taxonomy: Sequence[str] = DEFAULT_SECTIONS) -> str:
    """Our section for a URL: the source's path prefixes, then its section-like segments."""
    path = urlsplit(url).path
    for theirs, ours in table:
        if _under(path, theirs):
            return ours
    for segment in path_segments(path):
        found = _by_synonym(segment, taxonomy)
        if found:
            return found
    return ""


def map_section(names: Iterable[str], url: str, table: Table = (),
                taxonomy: Sequence[str] = DEFAULT_SECTIONS) -> str:
    """Our section for a page: the source's own table (paths, then names), then the names the
    page gives, in order, then its URL path; "" when none maps."""
    names = [n for n in names if n.strip()]
    for theirs, ours in table:  # the table's own order decides between a path and a name
        if _under(urlsplit(url).path, theirs):
            return ours
        if any(theirs.strip().casefold() == n.strip().casefold() for n in names):
            return ours
    for name in names:
        found = _by_synonym(name.strip().casefold(), taxonomy)
        if found:
            return found
    return map_path(url, (), taxonomy)


def _under(path: str, prefix: str) -> bool:
    """Whether a table key is a path prefix ("/world/") that holds `path`, segment by segment."""
    return prefix.startswith("/") and (path.rstrip("/") + "/").startswith(
        prefix.rstrip("/") + "/")


def path_segments(path: str) -> list[str]:
    """The segments of a URL path that may name a section, as casefolded words: not the last one
    unless the path ends with a slash (it is the story's own slug), nor dates, ids or slugs."""
    parts = path.split("/")
    if not path.endswith("/"):
        parts = parts[:-1]
    segments = []
    for part in parts:
        words = re.split(r"[-_+.]+", part.casefold())
        if not part or any(c.isdigit() for c in part) or len(words) > MAX_SEGMENT_WORDS:
            continue
        segments.append(" ".join(w for w in words if w))
    return segments


def _by_synonym(key: str, taxonomy: Sequence[str]) -> str:
    """The taxonomy section a casefolded name means: itself, a synonym, or (failing both) the
    first of its words that is one; CJK and Thai names, without spaces, by their longest
    synonym within."""
    own = {s.casefold(): s for s in taxonomy}
    hyphened = key.replace(" ", "-")
    for candidate in (key, hyphened, key.replace("-", " ")):
        if candidate in own:
            return own[candidate]
        if SYNONYMS.get(candidate) in taxonomy:
            return SYNONYMS[candidate]
    for word in _WORD.findall(key):
        if word in own:
            return own[word]
        if SYNONYMS.get(word) in taxonomy:
            return SYNONYMS[word]
    if _TIGHT.search(key):
        for term in _TIGHT_TERMS:
            if term in key and SYNONYMS[term] in taxonomy:
                return SYNONYMS[term]
    return ""


_TIGHT_TERMS = sorted((t for t in SYNONYMS if _TIGHT.search(t)), key=len, reverse=True)
