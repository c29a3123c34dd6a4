"""Dates as pages write them, turned into aware UTC datetimes.

Pages give dates in ISO 8601 (with or without a zone, basic or extended), RFC 2822, epoch
seconds, "2020年1月2日 17:11", "Oct 9, 2019, 11:05 IST" or "09 Jun 2020, 02:32 PM IST". A
parsed `Moment` remembers whether it had a time of day and whether its zone was explicit, so
the extractor can rank a page's "09:00+08:00" above a feed's guess and a bare day below both.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
# Abbreviations Asian papers print after a time. IST is India here, not Ireland or Israel; CST
# and BST are left out because they name different zones on different continents.
ZONE_NAMES = {
    "utc": 0, "gmt": 0, "z": 0, "ist": 330, "pkt": 300, "npt": 345, "jst": 540, "kst": 540,
    "hkt": 480, "sgt": 480, "myt": 480, "pht": 480, "awst": 480, "wib": 420,
    "wita": 480, "wit": 540, "ict": 420, "mmt": 390, "btt": 360, "lkt": 330,
}
MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
YMD = re.compile(r"(?<!\d)(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?")
DMY_NAMED = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?[\s.,-]+({MONTH_NAMES})\.?[\s.,-]+(\d{{4}})(?!\d)", re.I
)
MDY_NAMED = re.compile(
    rf"\b({MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.I
)
TIME = re.compile(
    r"^[\s,T@|\-–]*(?:at\s+)?(\d{1,2})\s*[:時시]\s*(\d{2})"
    r"(?:\s*[:分]\s*(\d{2})(?:\.\d+)?)?\s*(?:分)?"
    r"|^[\s,|\-–]*(\d{2})(\d{2})\s*hrs",
    re.I,
)
MERIDIEM = re.compile(r"^\s*([ap])\.?m\.?(?![a-z])", re.I)
OFFSET = re.compile(r"^\s*(?:(?:utc|gmt)\s*)?([+-])(\d{1,2}):?(\d{2})?(?!\d)", re.I)
ZONE_WORD = re.compile(r"^\s*\(?([a-z]{1,4})\)?(?![a-z])", re.I)
EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")
RFC2822 = re.compile(r"^(?:[a-z]{3},\s*)?\d{1,2}\s+[a-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}", re.I)
ISOLIKE = re.compile(r"^\d{4}-?\d{2}-?\d{2}(?:[T ]\d{2}(?::?\d{2}(?::?\d{2}(?:[.,]\d+)?)?)?)?")
DATE_IN_URL = (
    re.compile(r"(?<!\d)((?:19|20)\d{2})[-/_](\d{1,2})[-/_](\d{1,2})(?!\d)"),
    re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})(?:/|$|[-_])"),
)


@dataclass(frozen=True, slots=True)
class Moment:
    """A parsed date, `value` in aware UTC.

    A bare day is taken as noon in the page's zone, so it reads as the same day to readers
    anywhere within twelve hours of that zone; `has_time` tells it apart from a real noon.
    """

    value: datetime
    has_time: bool
    explicit_zone: bool


def ascii_digits(text: str) -> str:
    """NFKC plus every Unicode decimal digit as ASCII (Bengali, full-width, Devanagari, ...)."""
    text = unicodedata.normalize("NFKC", text)
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def parse_moment(text: str, zone: tzinfo = UTC) -> Moment | None:
    """Parse one date string; a value without a zone is read in `zone`."""
    text = ascii_digits(text.strip())
    if not text or len(text) > 200:
        return None
    if EPOCH.match(text):
        seconds = int(text) / (1000 if len(text) == 13 else 1)
        return _moment(datetime.fromtimestamp(seconds, UTC), True, zone)
    if ISOLIKE.match(text):
        try:
            moment = datetime.fromisoformat(text.replace(" ", "T", 1))
        except ValueError:
            pass
        else:
            return _moment(moment, len(text) > 10, zone)
    if RFC2822.match(text):
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            pass
        else:
            return _moment(moment, True, zone)
    return find_moment(text, zone)


def find_moment(text: str, zone: tzinfo = UTC) -> Moment | None:
    """The first date written anywhere in `text`, with the time and zone that follow it."""
    text = ascii_digits(text)
    found = None
    for pattern, order in ((YMD, "ymd"), (MDY_NAMED, "mdy"), (DMY_NAMED, "dmy")):
        match = pattern.search(text)
        if match and (found is None or match.start() < found[0].start()):
            found = (match, order)
    if found is None:
        return None
    match, order = found
    groups = dict(zip(order, match.groups(), strict=True))
    month = groups["m"]
    month_number = int(month) if month.isdigit() else MONTHS[month.lower().rstrip(".")]
    try:
        day = datetime(int(groups["y"]), month_number, int(groups["d"]))
    except ValueError:
        return None
    rest = text[match.end() :]
    time_match = TIME.search(rest)
    if time_match is None:
        return _moment(day, False, zone)
    hour, minute, second = (
        (time_match.group(1), time_match.group(2), time_match.group(3))
        if time_match.group(1)
        else (time_match.group(4), time_match.group(5), None)
    )
    rest = rest[time_match.end() :]
    hour_value = int(hour)
    meridiem = MERIDIEM.match(rest)
    if meridiem:
        hour_value = hour_value % 12 + (12 if meridiem.group(1).lower() == "p" else 0)
        rest = rest[meridiem.end() :]
    try:
        moment = day.replace(hour=hour_value, minute=int(minute), second=int(second or 0))
    except ValueError:
        return None
    offset = _offset(rest)
    if offset is not None:
        moment = moment.replace(tzinfo=offset)
    return _moment(moment, True, zone)


def _offset(rest: str) -> tzinfo | None:
    """The zone written right after a time: "+0800", "GMT+8", "UTC", "IST", "(JST)"."""
    match = OFFSET.match(rest)
    if match:
        sign = -1 if match.group(1) == "-" else 1
        minutes = int(match.group(2)) * 60 + int(match.group(3) or 0)
        if minutes <= 14 * 60:
            return timezone(sign * timedelta(minutes=minutes))
        return None
    match = ZONE_WORD.match(rest)
    if match:
        minutes = ZONE_NAMES.get(match.group(1).lower())
        if minutes is not None:
            return timezone(timedelta(minutes=minutes))
    return None


def _moment(moment: datetime, has_time: bool, zone: tzinfo) -> Moment | None:
    if not 1990 <= moment.year <= 2100:
        return None
    explicit = moment.tzinfo is not None
    if not has_time:
        moment = moment.replace(hour=12, minute=0, second=0, microsecond=0)
    if not explicit:
        moment = moment.replace(tzinfo=zone)
    return Moment(moment.astimezone(UTC), has_time, explicit)


def date_from_url(url: str, zone: tzinfo = UTC) -> Moment | None:
    """The day an article URL spells out ("/2023-11/17/", "/20250114/"), as a bare day."""
    for pattern in DATE_IN_URL:
        for match in pattern.finditer(url):
            try:
                day = datetime(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                continue
            return _moment(day, False, zone)
    return None
