"""The variant keys of a name: spellings of one name fold to one key, different names do not.

Papers spell one person many ways: "Kim Jong-un", "Kim Jong Un", "Mr Kim Jong-un's";
"Pak Kwang-ho" and "Pak Gwang-ho" (McCune-Reischauer and Revised Romanization of Korean);
"Weerakkoon" and "Weerakoon"; "Hamada Kenji" and "Kenji Hamada". A key removes titles and
possessives, transliterates to ASCII, and folds the letters by phonetic rules applied to each
syllable, never by a list of whole names: spelling differences fold, while the syllables that
tell people apart ("un", "nam", "il" in Kim Jong-un, Kim Jong-nam, Kim Jong-il) survive.

`name_keys` gives the strong keys (spelling and word order) and the loose ones (a name without
its middle names, or without its first given name): an entity is found again under a strong
key; a loose key only joins a name to one already known under that key as a strong one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from unidecode import unidecode

# Entries in each per-word cache: about 4 MB each when full, the names of some hundreds of
# articles, so a worker keeps the frequent ones without growing for ever.
CACHE_SIZE = 16_384


def vocabulary(words: str) -> frozenset[str]:
    """A set of words written as a block of text."""
    return frozenset(words.split())


# Titles and honorifics: a name starts after the last of them ("Deputy Prime Minister X").
TITLES = vocabulary("""
mr mrs ms miss mx dr prof professor sir dame lord lady madam madame mdm mme mlle m
president vice-president premier chancellor minister vice-minister ministers pm
chairman chairwoman chairperson chair ceo cfo
general gen lt lieut col colonel maj major capt captain adm admiral brig cmdr commander
sgt sergeant marshal field-marshal
secretary-general secretary under-secretary undersecretary director-general director
king queen prince princess emperor empress crown sultan sheikh shaikh emir amir raja rajah
sen senator rep representative congressman congresswoman governor gov mayor
judge justice magistrate ambassador envoy consul commissioner spokesman spokeswoman
spokesperson pope cardinal bishop archbishop rev reverend father imam rabbi ayatollah
datuk dato datin tan-sri puan tun tunku tengku haji hajjah hj pehin dasho
lawmaker mp mep speaker councillor councilor
""")
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "esq"})
# Abbreviated given names written with a full stop, and what they stand for.
ABBREVIATIONS = {"ma": "maria", "mohd": "mohammad", "md": "mohammad", "muhd": "mohammad",
                 "wm": "william", "chas": "charles", "jas": "james", "jos": "joseph"}

_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$", re.IGNORECASE)
_WORD = re.compile(r"[^\s]+")
_LETTERS = re.compile(r"[^a-z]")
_HYPHENS = re.compile(r"[-‐‑–]")

# One romanised Korean syllable: onset, vowel (with its glide) and coda, in either
# McCune-Reischauer (breves already spelled out as eo/eu) or Revised Romanization.
_KOREAN_SYLLABLE = (r"(?:kk|tt|pp|ss|jj|ch|sh|rh|wh|[gkndtrlmbpsjhyw])?"
                    r"(?:wae|wa|we|wo|wi|yae|yeo|ya|ye|yo|yu|ae|eo|eu|oe|oi|ui|oo|ee|ou"
                    r"|a|e|i|o|u)"
                    r"(?:ng|rk|[kgnldtmbpsh])?")
_KOREAN_PART = re.compile(rf"(?:{_KOREAN_SYLLABLE}){{1,2}}")
_KOREAN_ONE = re.compile(_KOREAN_SYLLABLE)


@dataclass(frozen=True, slots=True)
class NameKeys:
    """The keys of one name: `strong` find it again, `loose` may join it to a known name."""

    strong: tuple[str, ...]
    loose: tuple[str, ...] = ()


def strip_possessive(word: str) -> str:
    return _POSSESSIVE.sub("", word)


@lru_cache(maxsize=CACHE_SIZE)
def strip_titles(name: str) -> str:
    """The name without the titles before it, its possessive and suffixes such as "Jr".
    Cached, as every mention of a person is stripped again."""
    words = [w.strip(",") for w in _WORD.findall(name)]
    if words:
        words[-1] = strip_possessive(words[-1])
    words = words[title_cut(words):]
    while len(words) > 1 and words[-1].lower().rstrip(".") in SUFFIXES:
        words.pop()
    return " ".join(words)


def title_cut(words: Sequence[str]) -> int:
    """How many leading words are titles or lead up to one ("Deputy Prime Minister", "Singapore
    PM"), so that the name starts after them; the last word is never a title."""
    cut = 0
    for index, word in enumerate(words[:min(len(words) - 1, 5)]):
        if word.lower().rstrip(".") in TITLES:
            cut = index + 1
    return cut


def _ascii(text: str) -> str:
    # McCune-Reischauer's breves are vowels of their own, not accents: ŏ is eo, ŭ is eu.
    text = text.replace("ŏ", "eo").replace("Ŏ", "Eo").replace("ŭ", "eu").replace("Ŭ", "Eu")
    if text.isascii():
        return text
    folded = unicodedata.normalize("NFKC", text)
    return unidecode(folded)


# Spelling differences common to many romanisations, in order: aspirate h, a final or silent h,
# doubled letters, "iya" for "ia", and "ar" for "er" after a consonant (Dolkar/Dolker,
# Amarasekara/-sekera).
_GENERIC_RULES = tuple((re.compile(pattern), replacement) for pattern, replacement in (
    (r"(?<=[bcdgjkprst])h", ""),
    (r"(?<=.)h$", ""),
    (r"(?<=[aeiou])h(?=[^aeiou])", ""),
    (r"(.)\1+", r"\1"),
    (r"(?<=i)y(?=[aeiou])", ""),
    (r"(?<=[^aeiou])[ae]r", "er"),
))
# One Korean syllable, in order. ㅓ ㅗ ㅜ ㅡ are written eo, o, u, oo, eu (and o for ŏ once its
# breve is lost): Jong, Jung, Jeong and Chung are one syllable in practice, and Song, Sung, Seong
# another. Then the initial consonants that the two systems voice differently (k/g, t/d, p/b,
# ch/j); the initial-sound rule (r/l drop before i and y, become n elsewhere: Ri/Lee/Yi, Ryu/Yu);
# and the r of "Park" or "Kwak", written only to show the vowel's length.
_KOREAN_RULES = tuple((re.compile(pattern), replacement) for pattern, replacement in (
    (r"eo|eu|oo|u", "o"),
    (r"h$", ""),
    (r"^rh", "r"),
    (r"^wh", "hw"),  # Kyung-wha is Gyeong-hwa
    (r"^sh", "s"),
    (r"^(kk|k)", "g"),
    (r"^(tt|t)(?!h)", "d"),
    (r"^(pp|p)", "b"),
    (r"^(ch|jj|c)", "j"),
    (r"^[rl](?=[iy])", ""),
    (r"^[rl]", "n"),
    (r"^y(?=i)", ""),
    (r"^w(?=u)", ""),
    (r"ar(?=[kgmnp]|$)", "a"),
))
_VOICED_FINAL = re.compile(r"(?<=[aeiou])[ktp]$")
_VOICED = {"k": "g", "t": "d", "p": "b"}


@lru_cache(maxsize=CACHE_SIZE)
def _fold_generic(part: str) -> str:
    """Spelling differences common to many romanisations: aspirate h, doubled letters,
    long vowels spelled "ou"/"oh", Wade-Giles "hs", "iya" for "ia". Cached: a text repeats its
    names, and every mention is compared with every other."""
    if part.startswith("hs"):
        part = "x" + part[2:]
    part = part.replace("ien", "ian")
    for pattern, replacement in _GENERIC_RULES:
        part = pattern.sub(replacement, part)
    return part.replace("ou", "o")


@lru_cache(maxsize=CACHE_SIZE)
def _fold_korean_syllable(syl: str) -> str:
    """One syllable of a Korean name to a spelling-free form: McCune-Reischauer and Revised
    Romanization, and the conventional spellings of surnames (Park, Lee, Choi, Roh)."""
    syl = syl.replace("ee", "i").replace("oi", "oe")
    for pattern, replacement in _KOREAN_RULES:
        syl = pattern.sub(replacement, syl)
    return _VOICED_FINAL.sub(lambda m: _VOICED[m[0]], syl)


def _fold_korean(syllables: Sequence[str]) -> str:
    return "".join(_fold_korean_syllable(s) for s in syllables)


@lru_cache(maxsize=CACHE_SIZE)
def _korean_syllables(part: str) -> tuple[str, ...] | None:
    """The syllables of one word of a Korean-looking name, or None if it is not one."""
    if not _KOREAN_PART.fullmatch(part):
        return None
    out = []
    rest = part
    while rest:
        match = _longest_syllable(rest)
        if match is None:
            return None
        out.append(match)
        rest = rest[len(match):]
    return tuple(out)


def _longest_syllable(text: str) -> str | None:
    """The syllable at the start of `text` that leaves a valid rest (a vowel after a
    consonant-final syllable starts a new syllable: "jongun" is jong + un)."""
    for end in range(len(text), 0, -1):
        head, tail = text[:end], text[end:]
        if _KOREAN_ONE.fullmatch(head) and (not tail or _KOREAN_PART.fullmatch(tail)):
            return head
    return None


def _korean_shaped(words: Sequence[Sequence[str]]) -> bool:
    """A surname of one syllable, then a given name of one or two syllables, written
    hyphenated, spaced or joined: "Kim Jong-un", "Pak Gwang Ho", "Park Jiyoon"."""
    parts = [p for w in words for p in w]
    if not 2 <= len(words) <= 3 or len(parts) > 4:
        return False
    if len(words[0]) != 1 or not _KOREAN_ONE.fullmatch(words[0][0]):
        return False
    given = [p for w in words[1:] for p in w]
    syllables = [_korean_syllables(p) for p in given]
    return all(s is not None for s in syllables) and 1 <= sum(len(s or ()) for s in syllables) <= 2


@lru_cache(maxsize=CACHE_SIZE)
def _words(name: str) -> tuple[tuple[str, ...], ...]:
    """Each word of the name as its hyphen-separated parts, lowercase ASCII letters only.
    Cached, as every key and comparison of a name starts here."""
    words = []
    for word in _ascii(strip_titles(name)).lower().split():
        abbreviated = word.endswith(".")
        parts = [p for p in (_LETTERS.sub("", p) for p in _HYPHENS.split(word)) if p]
        if abbreviated and len(parts) == 1 and parts[0] in ABBREVIATIONS:
            parts = [ABBREVIATIONS[parts[0]]]
        if parts:
            words.append(tuple(parts))
    return tuple(words)


def _folded_words(name: str) -> tuple[list[str], bool]:
    """Each word folded, and whether the name was read as Korean."""
    words = _words(name)
    if _korean_shaped(words):
        folded = [_fold_korean([s for p in word for s in (_korean_syllables(p) or (p,))])
                  for word in words]
        return folded, True
    return ["".join(_fold_generic(p) for p in word) for word in words], False


@lru_cache(maxsize=CACHE_SIZE)
def name_keys(name: str) -> NameKeys:
    """The strong and loose keys of a person's name (see the module's docstring)."""
    words, korean = _folded_words(name)
    if not words:
        return NameKeys(())
    joined = "".join(words)
    strong = [joined]
    if len(words) > 1:
        unordered = "+".join(sorted(words))
        if unordered != joined:
            strong.append(unordered)
    loose: list[str] = []
    if len(words) >= 3 and not korean:
        # without the middle names ("Zahid Soomro"), with them as initials ("Surya B.
        # Thapalia"), or without the first given name ("Teresa Dizon")
        middle = words[1:-1]
        shortened = (words[0] + words[-1], words[0] + "".join(w[0] for w in middle) + words[-1],
                     "".join(words[1:]))
        for dropped in shortened:
            if dropped not in strong and dropped not in loose:
                loose.append(dropped)
    return NameKeys(tuple(strong), tuple(loose))


def name_key(name: str) -> str:
    """The main key: spelling folded, word order kept; "" for a name of no letters."""
    keys = name_keys(name).strong
    return keys[0] if keys else ""


@lru_cache(maxsize=CACHE_SIZE)
def mention_keys(word: str) -> frozenset[tuple[str, str]]:
    """The keys of a one-word mention ("Kim", "Mr Lee"): its spelling folded generically, and
    as a Korean syllable when it reads as one. It names a person whose `end_keys` it shares."""
    words = _words(word)
    if not words:
        return frozenset()
    keys = {("generic", "".join(_fold_generic(p) for p in words[0]))}
    syllables = _korean_syllables("".join(words[0]))
    if syllables is not None:
        keys.add(("korean", _fold_korean(syllables)))
    return frozenset(keys)


@lru_cache(maxsize=CACHE_SIZE)
def end_keys(name: str) -> frozenset[tuple[str, str]]:
    """The keys of the first and last words of a name of two words or more, by which a
    one-word mention names the person: folded as Korean syllables in a Korean name (so that
    "Jong" does not meet "Jung-un"), generically otherwise."""
    words = _words(name)
    if len(words) < 2:
        return frozenset()
    korean = _korean_shaped(words)
    keys = set()
    for end in ("".join(words[0]), "".join(words[-1])):
        syllables = _korean_syllables(end) if korean else None
        keys.add(("korean", _fold_korean(syllables)) if syllables is not None
                 else ("generic", _fold_generic(end)))
    return frozenset(keys)


def same_word(word: str, name: str) -> bool:
    """Whether a one-word mention names the person `name` by its first or last word, as
    "Kim" does "Kim Jong-un" and "Mr Lee" does "Lee Hsien Loong"."""
    return not mention_keys(word).isdisjoint(end_keys(name))


@lru_cache(maxsize=CACHE_SIZE)
def slugify(name: str) -> str:
    """An ASCII slug for the topic page; a name in Chinese or Japanese characters gets its
    transliteration, so the slug is stable and readable."""
    text = _ascii(strip_titles(name)).lower()
    text = re.sub(r"['’]", "", text)
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug[:80].rstrip("-") or "entity"
