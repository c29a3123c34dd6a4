"""Sentences of an article's own words: datelines, credit lines and furniture set aside.

Teasers and summaries are built from whole sentences, so the split must not stop at "Mr.",
"U.S.", "Jan. 5", "No. 3" or the initials of "K. S. Lee", must stop at the CJK full stops
(。！？, which need no space after them), and must treat a space between two Thai words as the
end of a sentence, since Thai marks sentences with spaces rather than punctuation. What comes
before the story ("SEOUL, Nov 27 (Reuters) -", "JAKARTA —", "(Yonhap) --", "【北京共同】") and
the lines around it ("By China Daily", "— The Jakarta Post/ANN", "Reporting by ...", "Read
more: ...") are not its content. Pure: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from briefings.pipeline.bylines import WIRES, credit_of_line

# words that end with a full stop without ending the sentence (casefolded, without the stop)
_ABBREVIATIONS = """
mr mrs ms messrs dr prof sr jr st mt ft gen lt col maj capt cmdr adm sgt cpl pte gov sen rep
pres supt insp rev fr sra srta dept univ assn bros corp inc ltd co vs approx
jan feb mar apr jun jul aug sep sept oct nov dec tue tues thu thur thurs fri fig pp
"""
ABBREVIATIONS = frozenset(_ABBREVIATIONS.split())
NUMBERED = frozenset({"no", "nos", "p", "para", "art", "vol"})  # "No. 3": only before a number
_CLOSERS = "\"'”’)\\]」』）"
_END = re.compile(
    rf"[.!?…]+[{_CLOSERS}]*(?=\s|$)"  # Latin-script ends, before a space
    r"|[。！？।॥]+[」』”’）)]*"  # CJK full stops and the Indic danda, with or without a space
    r"|(?<=[\u0e00-\u0e7f])[ \t]+(?=[\u0e00-\u0e7f])"  # a space between Thai words
)
_WORD_BEFORE = re.compile(r"([\w.'’-]*)\.[" + _CLOSERS + r"]*$")
_NEXT = re.compile(r"\s*(\S)")
_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef"
                  r"\u0e00-\u0e7f]")

_AGENCY = "|".join(sorted(WIRES | {"ap", "yonhap", "kyodo", "xinhua", "bernama", "reuters"}))
DATELINE = re.compile(
    # "SEOUL, Nov 27 (Reuters) -", "JAKARTA —", "KUALA LUMPUR: ", "Seoul, Nov. 27 (Yonhap) --"
    r"^(?:(?:[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3}"
    r"|[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}(?=,?\s*(?:[A-Z][a-z]{2,4}\.?\s+\d|\()))"
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?"
    r"(?:\s*\([^()]{2,30}\))?\s*(?:[-—–]{1,2}|:)\s+"
    # "(Yonhap) --", "(AFP) -": an agency alone
    rf"|\((?i:{_AGENCY})\)\s*(?:[-—–]{{1,2}}|:)?\s*"
    # "【ソウル共同】", "[서울=뉴시스]", "新华社北京11月27日电（记者 张三）"
    r"|[【\[][^】\]\n]{1,30}[】\]]\s*"
    r"|(?:新华社|新華社|中新社|中新网)[^电電\n]{0,20}[电電](?:[（(][^）)\n]{0,30}[）)])?\s*)"
)
SIDE_LINE = re.compile(
    r"^\s*(?:\(?\s*(?:additional\s+)?(?:reporting|writing|editing|compiled|translated)\s+by\b"
    r"|this (?:article|story) (?:first |was first |originally )?(?:appeared|was published|"
    r"is published)\b|(?:also |related |read |more )?(?:read|see|watch)(?: more| also)?\s*[:：]"
    r"|read (?:more|also)\b|also read\b|baca juga\b|related\s*[:：]|click here\b"
    r"|sign up\b|subscribe\b"
    r"|follow us\b|copyright\b|©|ⓒ)",
    re.IGNORECASE,
)


CAPTION = re.compile(
    r"[\[(]?\s*(?:file\s+)?(?:photo(?:graph)?|image|picture|pictured|video|graphic|illustration)s?"
    r"(?:\s+credit)?\s*(?:[:：|/]|by\b|of\b)",
    re.IGNORECASE,
)
CAPTION_END = re.compile(rf"\((?:photo[^)]*|file|(?i:{_AGENCY})(?:\s*photo)?)\)\s*$", re.I)
MAX_CAPTION = 200  # characters: a longer paragraph ending "(AFP)" is a story with its credit
MAX_HEADING = 60  # characters (half for CJK): a longer unpunctuated paragraph is prose
_ENDED = re.compile(rf"[.!?…。！？।:：;,][{_CLOSERS}]*$")


def sentences(text: str) -> list[str]:
    """Split running text into sentences, keeping their punctuation."""
    flat = " ".join(text.split())
    out: list[str] = []
    start = 0
    for match in _END.finditer(flat):
        if not _ends_sentence(flat, match):
            continue
        piece = flat[start:match.end()].strip()
        if piece:
            out.append(piece)
        start = match.end()
    rest = flat[start:].strip()
    if rest:
        out.append(rest)
    return out


def _ends_sentence(flat: str, match: re.Match[str]) -> bool:
    """Whether a full stop (or other end) really ends a sentence."""
    mark = match.group(0)
    if not mark.strip() or not mark.startswith("."):
        return True  # a Thai gap, a CJK stop, "!", "?" or "…"
    before = _WORD_BEFORE.search(flat, max(0, match.start() - 40), match.end())
    word = before.group(1).casefold() if before else ""
    following = _NEXT.match(flat, match.end())
    after = following.group(1) if following else ""
    if not after:
        return True
    if after.islower() or after in ",;:":
        return False  # "e.g. the", "a.m., when": the sentence goes on
    if word in ABBREVIATIONS:
        return False
    if word in NUMBERED:
        return not after.isdigit()
    if word in ("a.m", "p.m"):
        return True  # "at 10 p.m. The count ...": a time ends the sentence before a capital
    if "." in word.strip("."):
        return False  # "U.S.", "U.N.": dotted abbreviations
    # an initial ("K. S. Lee"), but not a number ("in 2024. Then")
    return not (len(word) == 1 and word.isalpha())


def dateline_removed(paragraph: str) -> str:
    """The paragraph without the dateline it opens with."""
    match = DATELINE.match(paragraph)
    if not match:
        return paragraph
    rest = paragraph[match.end():]
    return rest if rest.strip() else paragraph


def is_side_line(line: str) -> bool:
    """A credit, reporting-by, read-more, caption or sign-up line: not the story's content."""
    line = line.strip()
    return bool(credit_of_line(line) or SIDE_LINE.match(line))


def content_paragraphs(text: str, skip: Iterable[str] = ()) -> Iterator[str]:
    """The article's paragraphs, lazily, without side lines, captions, subheadings and the
    `skip` lines, the first one without its dateline."""
    skipped = {s.strip() for s in skip if s.strip()}
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    first = True
    for index, line in enumerate(lines):
        if line in skipped or is_side_line(line) or is_caption(line):
            continue
        if index and _is_heading(line):  # a standfirst alone may lack its full stop
            continue
        yield dateline_removed(line) if first else line
        first = False


def is_caption(line: str) -> bool:
    """A photo caption: "Photo: ...", "File photo of ...", or a short line ending "(AFP)"."""
    return bool(CAPTION.match(line) or (len(line) <= MAX_CAPTION and CAPTION_END.search(line)))


def _is_heading(line: str) -> bool:
    """A subheading inside the text: short, and not ended like a sentence."""
    short = len(line) <= (MAX_HEADING // 2 if is_cjk(line[:1]) else MAX_HEADING)
    return short and not _ENDED.search(line)


def is_cjk(text: str) -> bool:
    """Whether a character is written without spaces between words (CJK punctuation too)."""
    return bool(_CJK.match(text))


def cjk_count(text: str) -> int:
    """How many of the text's characters `is_cjk`: one regex pass, not a call per character."""
    return len(_CJK.findall(text))
