"""Padding for terminal tables whose cells may hold CJK text: two columns a character."""

from __future__ import annotations

import unicodedata


def columns(text: str) -> int:
    """Terminal columns `text` takes: wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int) -> str:
    return text + " " * (width - columns(text))
