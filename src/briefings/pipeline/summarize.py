"""A story's summary: the first sentences of its best article."""

from __future__ import annotations

from briefings.pipeline.teaser import sentences


def summary(title: str, text: str, *, count: int = 2) -> str:
    found = [s for s in sentences(text) if s != title][:count]
    return " ".join(found)
