"""Capitalised spans of Latin-script text: the candidates for names of people, organisations and
places, found without a language model.

A span is a run of capitalised words on one line with nothing but spaces between them, joined
across the small words names contain ("Bank of Japan", "Mahathir bin Mohamad"). A possessive
ends it ("North Korea's") and so does a date word or a number. Each span knows whether it starts
a sentence (its first word may be capitalised only for that) and the words just around it, which
tell people ("said Adrian Chua") from the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from briefings.pipeline.names import vocabulary

# Small words inside names, allowed between two capitalised words.
CONNECTORS = frozenset({"of", "for", "de", "bin", "binti", "binte", "bte", "bt", "van", "von",
                        "der", "den", "al", "el", "da", "das", "do", "dos", "del", "di", "la",
                        "le", "du", "ibn", "ap", "y"})
# "and" and "the" only inside an organisation's name: "Ministry of Trade and Industry".
ORGANISATION_CONNECTORS = frozenset({"and", "the", "&"})
# Words that make a span an organisation's name.
ORGANISATION_WORDS = vocabulary("""
ministry ministries department party bank university college institute institution school
academy corporation corp co company companies group holdings inc ltd llc plc limited pte bhd
tbk association council court courts army navy force forces guard agency commission committee
authority authorities board bureau office federation union league organisation organization
foundation fund trust society parliament assembly congress senate cabinet government secretariat
police service services airlines airline airways railway railways exchange times post news
herald daily tribune journal press network broadcasting television radio hospital club centre
center alliance coalition front movement nations forum program programme mission embassy
consulate chamber industries industry motors electronics telecom energy petroleum oil bureau
tribunal commission unit brigade command
""")
# Words that make a span a place that no gazetteer lists: "Yalu River", "Friendship Bridge".
PLACE_WORDS = vocabulary("""
river bridge island islands mountain mountains mount lake sea ocean strait bay gulf
peninsula province prefecture district county state region valley square street road avenue
airport port harbour harbor station village town city border reef coast canal dam desert
plateau delta highway expressway park temple palace shrine mosque asia europe africa america
americas oceania pacific atlantic arctic antarctica east west
""")
# Words that make a span an event or a period, neither of which is an entity here.
EVENT_WORDS = vocabulary("""
cup games olympics olympic championship championships tournament festival summit war
conference expo week day year month season era award awards prize typhoon cyclone storm
hurricane earthquake tsunami signal tropical
""")
WEEKDAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                      "sunday"})
MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august",
                    "september", "october", "november", "december", "jan", "feb", "mar", "apr",
                    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"})
_ABBREVIATED = frozenset({"mr", "mrs", "ms", "dr", "gen", "st", "lt", "col", "jr", "sr", "ma",
                          "mohd", "md", "prof", "sen", "rep", "gov", "capt", "adm", "sgt",
                          "brig", "maj", "no", "mt", "ft", "hon"})
# A word, or an abbreviation with its full stop ("Mr.", "B.") and the initials written straight
# after a one-letter one ("U.S.", "J.R.R."): one pass of the regex engine over the text, the
# lookahead keeping the list of abbreviations away from every longer word.
_TOKEN = re.compile(
    rf"(?=[^\W_]{{1,{max(map(len, _ABBREVIATED))}}}\.)"
    rf"(?:(?ai:{'|'.join(sorted(_ABBREVIATED, key=len, reverse=True))})|[^\W_])\."
    r"(?:(?<=\b[A-Za-z]\.)[A-Za-z]\.)*"
    r"|[^\W_][\w'’\-]*")
_JOINERS = CONNECTORS | ORGANISATION_CONNECTORS


@dataclass(frozen=True, slots=True)
class Span:
    """A capitalised run: its words, where it starts and ends in the text, and its context."""

    words: tuple[str, ...]
    start: int
    end: int
    sentence_start: bool  # its first word opens a sentence
    before: str  # the lowercase word just before it, "" if none on the line
    after: str  # the word just after it, lowercased
    possessive: bool  # it ended on "'s"

    @property
    def text(self) -> str:
        return " ".join(self.words)


def _capitalised(word: str) -> bool:
    return word[0].isupper()


def _breaks(word: str) -> bool:
    return word.lower() in WEEKDAYS or any(map(str.isdigit, word))


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Words with their offsets; an abbreviation keeps its full stop ("Mr.", "U.S.", "B.")."""
    return [(match[0], match.start(), match.end()) for match in _TOKEN.finditer(text)]


@cache
def common_words() -> frozenset[str]:
    """The most frequent English words: capitalised at a sentence start, they are still words."""
    from wordfreq import top_n_list

    return frozenset(top_n_list("en", 500))


def spans(text: str, known: Callable[[str], bool] | None = None) -> list[Span]:
    """Every capitalised span of `text`, in order, without a leading "The" or a frequent word
    that is capitalised only because it opens a sentence ("In Pyongyang"), unless `known`
    says the words with it are a name ("The Hague", "New Delhi")."""
    tokens = _tokens(text)
    out: list[Span] = []
    index = 0
    count = len(tokens)
    while index < count:
        word, start, end = tokens[index]
        if not word[0].isupper() or not _name_word(tokens, index):
            index += 1
            continue
        first = index
        starts = [start]
        words = [word]
        last_end = end
        possessive = False
        organisation = word.lower() in ORGANISATION_WORDS
        index += 1
        if (owner := _owner(word)) is not None:
            words[-1], possessive = owner, True
        while not possessive and index < count:
            if not _adjacent(text, tokens, index):
                break
            nxt = tokens[index][0]
            if not _name_word(tokens, index):
                # small words between two capitalised words join them: "Bank of the Philippine
                # Islands", "Ministry of Trade and Industry", "Mahathir bin Mohamad"
                step = index
                while (step < count and step - index < 2 and _adjacent(text, tokens, step)
                       and _joins(tokens[step][0], organisation)):
                    step += 1
                if step == index or step >= count or not _adjacent(text, tokens, step) \
                        or not _name_word(tokens, step):
                    break
                words.extend(t[0] for t in tokens[index:step])
                starts.extend(t[1] for t in tokens[index:step])
                index = step
                nxt = tokens[index][0]
            words.append(nxt)
            starts.append(tokens[index][1])
            last_end = tokens[index][2]
            organisation = organisation or nxt.lower() in ORGANISATION_WORDS
            index += 1
            if (owner := _owner(nxt)) is not None:
                words[-1], possessive = owner, True
        opens = _opens_sentence(text, tokens, first)
        before = _word_before(text, tokens, first)
        drop = _dropped(words, opens, known)
        if drop:
            before = words[drop - 1].lower()
            words, starts = words[drop:], starts[drop:]
            while words and words[0].lower() in _JOINERS:
                words, starts = words[1:], starts[1:]
        if words:
            out.append(Span(
                words=tuple(words), start=starts[0], end=last_end, sentence_start=opens,
                before=before, after=_word_after(text, tokens, index), possessive=possessive,
            ))
    return out


def _dropped(words: list[str], opens: bool, known: Callable[[str], bool] | None) -> int:
    """How many leading words are not part of the name: "The", or a frequent word opening a
    sentence."""
    low = words[0].lower()
    if low != "the" and not (opens and low in common_words()):
        return 0
    if known is not None and any(known(" ".join(words[:n])) for n in range(len(words), 0, -1)):
        return 0
    return 1


def _owner(word: str) -> str | None:
    """The word without its possessive ("Korea's", "Philippines'"), or None if it has none."""
    if word[-2:] in ("'s", "’s"):
        return word[:-2]
    if word[-1] in "'’":
        return word[:-1]
    return None


def _name_word(tokens: list[tuple[str, int, int]], index: int) -> bool:
    word = tokens[index][0]
    return _capitalised(word) and not _breaks(word) and not _is_date(tokens, index)


def _adjacent(text: str, tokens: list[tuple[str, int, int]], index: int) -> bool:
    """Whether only a space or two separates the word from the one before it."""
    gap = text[tokens[index - 1][2]:tokens[index][1]]
    return len(gap) <= 2 and not gap.strip()


def _joins(word: str, organisation: bool) -> bool:
    low = word.lower()
    return low in CONNECTORS or (organisation and low in ORGANISATION_CONNECTORS)


def _is_date(tokens: list[tuple[str, int, int]], index: int) -> bool:
    """A month name next to a number is a date ("March 5", "5 March"), not a name."""
    if tokens[index][0].lower().rstrip(".") not in MONTHS:
        return False
    near = [tokens[i][0] for i in (index - 1, index + 1) if 0 <= i < len(tokens)]
    return any(w[0].isdigit() for w in near)


def _opens_sentence(text: str, tokens: list[tuple[str, int, int]], index: int) -> bool:
    """Whether the word opens a sentence, read from the few characters before it (never the
    whole text before it: a long text has thousands of spans)."""
    start = tokens[index][1]
    end = _back_over(text, start, " \t")
    if end and (text[end - 1] in "“‘" or (text[end - 1] in "\"'"
                                           and (end == 1 or text[end - 2].isspace()))):
        return True  # a quotation opens with a capital wherever it stands
    head = _back_over(text, end, "\"'([")
    if not head or text[head - 1] in "\n!?:—–" or text[start - 1] == "\n":
        return True
    if text[head - 1] == ".":
        previous = tokens[index - 1][0] if index else ""
        return not (previous.endswith(".") and (previous.lower().rstrip(".") in _ABBREVIATED
                                                 or len(previous.rstrip(".")) == 1))
    return False


def _back_over(text: str, end: int, chars: str) -> int:
    """Where the run of `chars` that ends at `end` starts."""
    while end and text[end - 1] in chars:
        end -= 1
    return end


def _word_before(text: str, tokens: list[tuple[str, int, int]], index: int) -> str:
    if index == 0:
        return ""
    word, _, end = tokens[index - 1]
    gap = text[end:tokens[index][1]]
    return word.lower() if "\n" not in gap and not gap.strip(" ,") else ""


def _word_after(text: str, tokens: list[tuple[str, int, int]], index: int) -> str:
    if index >= len(tokens) or index == 0:
        return ""
    word, start, _ = tokens[index]
    gap = text[tokens[index - 1][2]:start]
    return word.lower() if "\n" not in gap and not gap.strip(" ,") else ""
