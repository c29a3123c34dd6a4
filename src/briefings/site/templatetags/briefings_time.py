"""Times as readers want them: in their zone, with the paper's own local time on hover."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


@register.simple_tag
def when(moment: datetime | None, reader_zone: str, source_zone: str) -> SafeString | str:
    """A <time> element in the reader's zone whose title gives the paper's local time."""
    if moment is None:
        return ""
    local = moment.astimezone(_zone(reader_zone))
    at_source = moment.astimezone(_zone(source_zone))
    return format_html(
        '<time datetime="{}" title="{} at the paper ({})">{}</time>',
        moment.isoformat(),
        at_source.strftime("%-d %B %Y, %H:%M %Z"),
        source_zone,
        local.strftime("%B %-d, %Y · %H:%M %Z"),
    )
