"""charset.decode on real CJK text in legacy encodings, and on the real GB2312 feed."""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from xml.etree import ElementTree

import pytest

from briefings.pipeline.charset import declared_charset, decode, header_charset, normalize

FEED = "asian-news/feeds/news-qq-com-china-index__rss-parser-gb2312.xml"

# Real sentences from the asian-news pages, long enough for detection to have something to read.
CHINESE = ("新华社北京11月17日电 记者17日从国家卫生健康委获悉，近阶段，相关部门持续依托短缺药品供应"
           "保障工作会商联动机制，深入优化短缺药品实时监测预警与分级应对体系，全力保障人民群众临床用药需求。")
JAPANESE = ("子どもへの虐待をなくすための法律ができて、親が子どもを教育するために、たたいたり"
            "蹴ったりする体罰を禁止することになりました。気象庁は調査終了を受けた記者会見で呼びかけた。")
KOREAN = ("이틀간의 영남 공략을 마친 이재명 더불어민주당 대선 후보는 15일 텃밭 호남을 찾아 통합을 "
          "키워드로 표밭을 다졌다. 경상도에서 전라도를 가로지르는 유세로 국민통합 면모를 부각했다.")

CASES = [("gb2312", CHINESE, "gb18030"), ("shift_jis", JAPANESE, "cp932"),
         ("euc-kr", KOREAN, "cp949")]


def page(text: str, meta: str = "") -> str:
    head = f'<meta charset="{meta}">' if meta else ""
    return f"<!doctype html><html><head>{head}<title>news</title></head><body><p>{text}</p></body>"


@pytest.mark.parametrize("codec,text,used", CASES)
def test_header_charset(codec: str, text: str, used: str) -> None:
    html = page(text)
    assert decode(html.encode(codec), f"text/html; charset={codec.upper()}") == (html, used)


@pytest.mark.parametrize("codec,text,used", CASES)
def test_meta_charset_without_header(codec: str, text: str, used: str) -> None:
    html = page(text, meta=codec)
    assert decode(html.encode(codec), "text/html") == (html, used)


@pytest.mark.parametrize("codec,text,used", CASES)
def test_http_equiv_charset(codec: str, text: str, used: str) -> None:
    html = (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={codec}">'
            f"</head><body>{text}</body></html>")
    assert decode(html.encode(codec), "") == (html, used)


@pytest.mark.parametrize("codec,text,used", CASES)
def test_detection_without_any_declaration(codec: str, text: str, used: str) -> None:
    html = page(text)
    assert decode(html.encode(codec), "text/html") == (html, used)


@pytest.mark.parametrize("codec,text,used", CASES)
def test_header_that_lies_falls_back_to_meta(codec: str, text: str, used: str) -> None:
    html = page(text, meta=codec)
    assert decode(html.encode(codec), "text/html; charset=utf-8") == (html, used)


@pytest.mark.parametrize("codec,text,used", CASES)
def test_header_that_lies_without_meta_falls_back_to_detection(codec: str, text: str,
                                                              used: str) -> None:
    html = page(text)
    assert decode(html.encode(codec), "text/html; charset=utf-8") == (html, used)


def test_header_beats_meta() -> None:
    html = page(KOREAN, meta="iso-8859-1")
    assert decode(html.encode("euc-kr"), "text/html; charset=euc-kr")[1] == "cp949"


def test_byte_order_marks_win() -> None:
    text = page(JAPANESE)
    assert decode(codecs.BOM_UTF8 + text.encode(), "text/html; charset=shift_jis") == (text,
                                                                                       "utf-8")
    assert decode(codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "") == (text, "utf-16-le")
    assert decode(codecs.BOM_UTF16_BE + text.encode("utf-16-be"), "") == (text, "utf-16-be")


@pytest.mark.parametrize("label,text,extended", [
    ("gb2312", "朱镕基总理说", "gbk"),  # 镕 is not in GB2312; GB2312-labelled pages use it anyway
    ("shift_jis", "第①回の会議", "cp932"),  # circled digits are Microsoft's extension
    ("euc-kr", "똠방각하", "cp949"),  # hangul outside KS X 1001, written in UHC
    ("iso-8859-1", "5 € – “quoted”", "cp1252"),  # ISO-8859-1 on the web means windows-1252
])
def test_labels_decode_as_their_supersets(label: str, text: str, extended: str) -> None:
    body = text.encode(extended)
    assert body.decode(label, errors="replace") != text  # the label's own codec gets it wrong
    assert decode(body, f"text/plain; charset={label}")[0] == text


def test_xml_declaration() -> None:
    xml = f'<?xml version="1.0" encoding="Shift_JIS"?><rss><title>{JAPANESE}</title></rss>'
    assert decode(xml.encode("shift_jis"), "application/rss+xml") == (xml, "cp932")


def test_valid_utf8_without_declaration() -> None:
    html = page(CHINESE + KOREAN + JAPANESE)
    assert decode(html.encode(), "") == (html, "utf-8")


def test_unknown_labels_are_ignored() -> None:
    html = page(CHINESE, meta="no-such-charset")
    assert decode(html.encode("gb18030"), "text/html; charset=bogus") == (html, "gb18030")


def test_meta_claiming_utf16_means_utf8() -> None:
    html = page(KOREAN, meta="utf-16")
    assert decode(html.encode(), "") == (html, "utf-8")


@pytest.mark.parametrize("content_type", ["application/rss+xml; charset=gb2312",
                                          "application/rss+xml", "text/xml; charset=UTF-8"])
def test_real_gb2312_feed(shared_data: Path, content_type: str) -> None:
    raw = (shared_data / FEED).read_bytes()
    record = next(r for r in json.loads((shared_data / "asian-news/index.json").read_text())
                  if r["file"] == FEED.removeprefix("asian-news/"))
    text, used = decode(raw, content_type)
    assert used == "gb18030" and "\ufffd" not in text
    channel = ElementTree.fromstring(text).find("channel")
    assert channel is not None and channel.findtext("title") == "新闻国内"
    titles = [item.findtext("title") for item in channel.iter("item")]
    expected = [item["title"] for item in record["expected"]["items"]]
    assert len(titles) == record["expected"]["item_count"] and titles[: len(expected)] == expected


def test_helpers() -> None:
    assert header_charset('text/html; Charset="Shift_JIS"') == "Shift_JIS"
    assert header_charset("text/html") == ""
    assert declared_charset(b"<html><meta charset='euc-kr'>") == "euc-kr"
    assert declared_charset(b"  <?xml version='1.0' encoding='gb2312'?><rss/>") == "gb2312"
    assert declared_charset(b"x" * 9000 + b"<meta charset=gbk>") == ""  # past the prescan
    assert [normalize(x) for x in ("GBK", "x-sjis", "ks_c_5601-1987", "latin1", "US-ASCII",
                                   "utf8", "windows-874", "nonsense", "")] == [
        "gb18030", "cp932", "cp949", "cp1252", "cp1252", "utf-8", "cp874", None, None]
