"""What an article is about, as two bags of terms: its own words, and anchors any language shares.

Two reports of one event in the same language share the words of their headline and first
paragraphs, so `words` are the title's words (counted three times: a headline is the densest
summary there is) and the lead's. Words are lower-cased Latin words without the commonest English
ones and numbers; Chinese, Japanese, Korean and Thai have no spaces, so their runs become
overlapping character pairs, which match whatever the word boundaries.

An English, a Malay and a Chinese report of the event share almost no words, but they share
`anchors`: names (capitalised words; Chinese proper nouns through their English name in
CC-CEDICT, in Chinese text), numbers ("93%", "10") and dates ("Sep 21", "21 September",
"9月21日" are one anchor). Anchors are read from further into the text than words, since
names pile up there.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from briefings.pipeline.cedict import dictionary, names_in

TITLE_WEIGHT = 3  # a title word counts as this many lead words
LEAD_WORDS = 60  # words of the body read for `words`
ANCHOR_CHARS = 2400  # characters of the body read for `anchors`

_TOKEN = re.compile(
    r"[^\W\d_](?:[^\W_]|['’\-](?=[^\W\d_]))*|\d+(?:[.,]\d+)*%?", re.UNICODE)
_TIGHT = re.compile(
    r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\uac00-\ud7af\uf900-\ufaff]+")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")
_MONTHS = {
    "jan": 1, "january": 1, "januari": 1, "feb": 2, "february": 2, "februari": 2,
    "mar": 3, "march": 3, "mac": 3, "maret": 3, "apr": 4, "april": 4, "may": 5, "mei": 5,
    "jun": 6, "june": 6, "juni": 6, "jul": 7, "july": 7, "julai": 7, "juli": 7,
    "aug": 8, "august": 8, "ogos": 8, "agustus": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "oktober": 10, "nov": 11, "november": 11, "dec": 12,
    "december": 12, "disember": 12, "desember": 12,
}
_DAY_MONTH = re.compile(r"\b(\d{1,2})\s+([A-Za-z]{3,9})\b")
_MONTH_DAY = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})\b")
_CJK_DATE = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_SMALL_NUMBER = re.compile(r"\d")  # 0–9 alone say nothing about which event it is


@dataclass(frozen=True, slots=True)
class Terms:
    words: Counter[str]
    anchors: Counter[str]


@cache
def _stopwords() -> frozenset[str]:
    """The commonest English words, from the stoplist trafilatura's own dependency ships."""
    import justext

    return frozenset(justext.get_stoplist("English"))


def prepare_terms() -> None:
    """Read the stoplist and CC-CEDICT now: processes forked afterwards share them, where each
    would otherwise spend 0.2 s reading them on its first text, every time a pool starts."""
    _stopwords()
    dictionary()


def _tight_pairs(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)]


def _words(text: str, stop: frozenset[str]) -> list[str]:
    out: list[str] = []
    position = 0
    for tight in _TIGHT.finditer(text):
        out.extend(_spaced_words(text[position:tight.start()], stop))
        out.extend(_tight_pairs(tight.group(0)))
        position = tight.end()
    out.extend(_spaced_words(text[position:], stop))
    return out


def _spaced_words(text: str, stop: frozenset[str]) -> list[str]:
    out = []
    for match in _TOKEN.finditer(text):
        token = match.group(0).lower()
        if token[0].isdigit():
            out.append(token.replace(",", ""))
            continue
        token = token.replace("’", "'").removesuffix("'s")
        if len(token) > 1 and token not in stop:
            out.append(token)
    return out


def _dates(text: str) -> list[str]:
    found = [f"@{int(m)}-{int(d)}" for m, d in _CJK_DATE.findall(text)]
    for day, month in _DAY_MONTH.findall(text):
        if (number := _MONTHS.get(month.lower())) and 1 <= int(day) <= 31:
            found.append(f"@{number}-{int(day)}")
    for month, day in _MONTH_DAY.findall(text):
        if (number := _MONTHS.get(month.lower())) and 1 <= int(day) <= 31:
            found.append(f"@{number}-{int(day)}")
    return found


def _anchors(text: str, stop: frozenset[str], chinese: bool) -> list[str]:
    found = _dates(text)
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token[0].isdigit():
            if not _SMALL_NUMBER.fullmatch(token):
                found.append("#" + token.replace(",", ""))
        elif token[0].isupper() and len(token) > 2 and token.lower() not in stop:
            found.append("$" + token.lower().replace("’", "'").removesuffix("'s"))
    if chinese:
        for run in _HAN.findall(text):
            found.extend("$" + name for name in names_in(run))
    return found


def terms(title: str, text: str, language: str = "") -> Terms:
    """`language` says whether Han characters are Chinese: a Japanese text's kanji compounds
    are not CC-CEDICT's names, and matching them there invents anchors."""
    stop = _stopwords()
    words = Counter(_words(text[:LEAD_WORDS * 12], stop)[:LEAD_WORDS])
    for word in _words(title, stop):
        words[word] += TITLE_WEIGHT
    head = f"{title}\n{text[:ANCHOR_CHARS]}"
    chinese = language.lower().startswith("zh") or (not language and not _KANA.search(head))
    anchors = Counter(_anchors(head, stop, chinese))
    return Terms(words, anchors)
