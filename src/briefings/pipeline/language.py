"""The language of an article: what the page declares, checked against the script it is in.

Templates declare the site's default, not the article's: a Bengali story under `lang="en-US"`,
a Korean one with `inLanguage: "kr"`. A declared tag is kept only when the text is written in
that language's script; when nothing declared fits, an unambiguous script names the language.
Latin-script languages cannot be told apart this way, so for them the declaration stands.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

RANGES = {
    "ja": "\u3040-\u30ff",
    "ko": "\uac00-\ud7af\u1100-\u11ff\u3130-\u318f",
    "zh": "\u4e00-\u9fff\u3400-\u4dbf",
    "th": "\u0e00-\u0e7f",
    "lo": "\u0e80-\u0eff",
    "km": "\u1780-\u17ff",
    "my": "\u1000-\u109f",
    "bn": "\u0980-\u09ff",
    "hi": "\u0900-\u097f",
    "ta": "\u0b80-\u0bff",
    "si": "\u0d80-\u0dff",
}
SCRIPTS = {lang: re.compile(f"[{chars}]") for lang, chars in RANGES.items()}
ANY_SCRIPT = re.compile(f"[{''.join(RANGES.values())}]")  # one scan rules out Latin text
# the script each language is written in, named by the language that script points to
SCRIPT_OF = {
    "ja": "ja", "zh": "zh", "ko": "ko", "th": "th", "lo": "lo", "km": "km", "my": "my",
    "bn": "bn", "as": "bn", "hi": "hi", "mr": "hi", "ne": "hi", "sa": "hi", "ta": "ta", "si": "si",
}
LETTER = re.compile(r"[^\W\d_]")
TAG = re.compile(r"^([a-z]{2,3})(?:[-_]([a-z0-9]{2,8}))?", re.IGNORECASE)


def normalise_tag(tag: str) -> str:
    """"ja_JP" -> "ja-JP", "EN" -> "en"; "" when it is not a language tag."""
    match = TAG.match(tag.strip())
    if not match:
        return ""
    primary, region = match.group(1).lower(), match.group(2)
    if not region:
        return primary
    return f"{primary}-{region.upper() if len(region) == 2 else region.title()}"


def script_language(text: str, sample: int = 1500) -> str:
    """The language an unambiguous script points to, or "" (Latin and mixed text)."""
    text = text[:sample]
    if not ANY_SCRIPT.search(text):
        return ""
    letters = len(LETTER.findall(text))
    if not letters:
        return ""
    counts = {lang: len(pattern.findall(text)) for lang, pattern in SCRIPTS.items()}
    if counts["ja"] >= 0.05 * letters and counts["ja"] + counts["zh"] >= 0.4 * letters:
        return "ja"
    lang, count = max(counts.items(), key=lambda item: item[1])
    return lang if count >= 0.4 * letters else ""


def choose_language(declared: Iterable[str], text: str) -> str:
    """The first declared tag that fits the text's script, else the script's language."""
    detected = script_language(text)
    for raw in declared:
        tag = normalise_tag(raw)
        if not tag:
            continue
        script = SCRIPT_OF.get(tag.split("-")[0], "")
        if script == detected or (detected == "zh" and script == "ja"):
            return tag
    return detected
