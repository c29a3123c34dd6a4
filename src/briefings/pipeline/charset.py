"""Turn a response body into text: find the charset the way browsers do, then decode.

Order of evidence, strongest first: a byte-order mark; the Content-Type header's charset; a
`<meta charset>` / `http-equiv` tag or the XML declaration near the top of the document; then
detection (valid UTF-8 is taken as UTF-8, anything else goes to charset_normalizer). A declared
charset is only believed if the body decodes under it without errors, because servers lie: a
header saying UTF-8 on a GB2312 page is common with CMSs that set one header for every page.

Legacy labels map to the WHATWG supersets browsers actually use (GB2312 pages routinely contain
GBK and GB18030 characters, "Shift_JIS" pages contain Microsoft's CP932 extensions, and
"ISO-8859-1" means windows-1252), so we decode what the page author saw on screen.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

PRESCAN_BYTES = 8192  # how far into the body we look for <meta charset> or <?xml encoding?>

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# WHATWG labels Python does not know, mapped to the codec that implements them.
_EXTRA_LABELS = {
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "chinese": "gb18030",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "x-euc-jp": "euc_jp",
    "windows-874": "cp874",
    "x-mac-roman": "mac_roman",
    "unicode-1-1-utf-8": "utf-8",
    "x-unicode20utf8": "utf-8",
}

# Python codec name -> the superset decoder browsers use for that label.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "big5": "big5hkscs",
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
}

_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE | re.DOTALL
)
_XML_ENCODING = re.compile(
    rb"""^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([\w.:-]+)["']""", re.IGNORECASE
)


def decode(content: bytes, content_type: str) -> tuple[str, str]:
    """Decode a body; return the text and the (Python) name of the charset used."""
    for bom, name in _BOMS:
        if content.startswith(bom):
            return content[len(bom):].decode(name, errors="replace"), name
    for label in (header_charset(content_type), declared_charset(content)):
        codec = normalize(label)
        if codec is None:
            continue
        try:
            return content.decode(codec), codec
        except UnicodeDecodeError:
            continue  # the declaration lies; look for better evidence
    return _detect(content)


def header_charset(content_type: str) -> str:
    """The charset parameter of a Content-Type header value, or ""."""
    match = _HEADER_CHARSET.search(content_type or "")
    return match.group(1) if match else ""


def declared_charset(content: bytes) -> str:
    """The charset an HTML meta tag or an XML declaration names in the first few KB, or ""."""
    head = content[:PRESCAN_BYTES]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if match is None:
        return ""
    label = match.group(1).decode("ascii", errors="replace")
    # We read the label as ASCII, so the body cannot really be UTF-16 (the WHATWG rule).
    return "utf-8" if label.lower().startswith("utf-16") else label


def normalize(label: str) -> str | None:
    """The Python codec for a charset label, widened to its WHATWG superset; None if unknown."""
    label = label.strip().lower()
    if not label:
        return None
    name = _EXTRA_LABELS.get(label)
    if name is None:
        try:
            name = codecs.lookup(label).name
        except LookupError:
            return None
    return _SUPERSETS.get(name, name)


def _detect(content: bytes) -> tuple[str, str]:
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(content).best()
    codec = normalize(best.encoding) if best is not None else None
    codec = codec or "utf-8"
    return content.decode(codec, errors="replace"), codec
