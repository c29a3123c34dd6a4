"""Page furniture at the edges of an extracted body: share bars, copyright lines, "related
stories" lists, newsletter boxes, and the paywall notice that replaces the rest of an article.

trafilatura finds the article's region; what it lets through at the start and the end of that
region is mostly furniture every site prints the same way. Only whole short blocks are judged,
never a sentence inside a paragraph, and a "related" heading cuts the body only near its end
when what follows reads like a list of headlines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefings.pipeline.bodyhtml import Block
from briefings.pipeline.boilerplate import clean_blocks, units

FURNITURE = re.compile(
    r"^(?:"
    r"(?:©|ⓒ|\(c\)|copyright\b).{0,150}|.{0,150}\ball rights reserved\b.{0,80}"
    r"|.{0,80}(?:無断転載|無断複製|転載禁止|무단\s*전재|무단\s*배포"
    r"|版权所有|版權所有|未经授权).{0,80}"
    r"|share(?: this| on \w+| via \w+)?(?: article| story| post)?|like this story\?.{0,60}"
    r"|share\s*[:：].{0,120}|(?:write to|contact|e-?mail|reach) .{0,120}\S@\S.{0,60}"
    r"|tell us what you think.{0,20}|\d*\s*comments?|leave a comment|show comments"
    r"|advertisement|advertising|sponsored(?: content)?|scroll to continue.{0,30}"
    r"|follow us on .{0,60}|follow us|(?:sign up|subscribe) (?:to|for) .{0,60}newsletters?.{0,60}"
    r"|get the latest .{0,60}(?:inbox|newsletter).{0,60}"
    r"|print(?: this)? article|order reprints.{0,40}"
    r"|この(?:ニュース|記事)をシェア|シェアする|【纠错】.{0,40}"
    r"|[\[【(（]?责任编辑[:：].{0,30}|分享到.{0,30}"
    r"|(?:baca juga|read also|also read|see also|xem thêm|read more)\s*[:：|]\s*.{1,160}"
    r")$",
    re.IGNORECASE,
)
RELATED = re.compile(
    r"^(?:you (?:may|might) (?:also )?like|related(?: stories| articles| news| posts| coverage"
    r"| content| topics| links| reading| keywords)?|more (?:from|on|stories|news)\b.{0,40}"
    r"|more (?:\w+ ){1,3}(?:stories|news|articles)"
    r"|read more|also read|see also|recommended(?: for you| stories| articles| reading)?"
    r"|most (?:read|popular|viewed)|trending(?: now| stories)?|top stories|latest news"
    r"|what to read next|関連(?:記事|ニュース|キーワード|情報)|おすすめ(?:情報|記事)?"
    r"|あわせて読みたい|相关(?:新闻|阅读|文章|报道)|热门推荐|推荐阅读|延伸阅读"
    r"|관련\s*기사|많이 본 (?:뉴스|기사)|추천 기사"
    r"|berita terkait|tin liên quan)[\s.:：…]*$",
    re.IGNORECASE,
)
GATED = "(?:continue|read|keep reading|unlock)"
# Lower case, searched in lower-cased text; every alternative opens with a literal, so that the
# regex engine skips to where one can start. Both make it many times faster on every block.
PAYWALL_NOTICE = re.compile(
    rf"subscribe to {GATED}|sign in to {GATED}|log in to {GATED}|register to {GATED}"
    r"|to continue reading|already a subscriber|subscribers only|members only"
    r"|this (?:article|story|content) is (?:only )?(?:available )?(?:for|to|exclusively for) "
    r"(?:subscribers|members|premium)"
    r"|会員限定|有料会員|続きを読むには|この記事は有料|残り\d+文字"
    r"|付费阅读|订阅后(?:阅读|查看)|会员专享|登录后(?:阅读|查看)"
    r"|유료\s*회원|구독\s*후\s*(?:이용|열람)|konten premium|berlangganan untuk membaca"
    r"|đăng ký để đọc"
)
COPYRIGHT = re.compile(r"^(?:©|ⓒ|\(c\)|copyright\b)", re.IGNORECASE)
# lengths in `units` (words, a CJK character counting as one): 30 units are about 160 Latin
# characters, and a 40-character Chinese line is a sentence, not a label
SHORT = 30  # furniture lines are short; a paragraph never is furniture
PARAGRAPH = 18  # a block this long is article prose, not a menu or a label
LIST_ITEM = 30  # what follows a "related" heading reads like headlines: short lines


@dataclass(frozen=True, slots=True)
class Trimmed:
    """The body without its furniture; `notices` are the copyright lines that were cut."""

    blocks: list[Block]
    paywalled: bool  # a paywall notice ended the body
    notices: list[str]


def trim_furniture(blocks: list[Block]) -> Trimmed:
    """Drop furniture blocks, and end the body at a paywall notice or a "related" list.

    A paywall notice after the first real paragraph ends the body there; one before it (a
    "members can save articles" box above the story) is dropped like any other furniture.
    """
    paywalled, kept, notices, seen_paragraph = False, [], [], False
    for block in blocks:
        if units(block.text, SHORT * 2) <= SHORT * 2 and PAYWALL_NOTICE.search(block.text.lower()):
            if seen_paragraph:
                paywalled = True
                break
            continue
        seen_paragraph = seen_paragraph or units(block.text, PARAGRAPH) >= PARAGRAPH
        if block.kind == "figure" or not _is_furniture(block.text):
            kept.append(block)
        elif COPYRIGHT.match(block.text):
            notices.append(block.text)
    kept = clean_blocks(kept)
    cut = len(kept)
    for index in range(len(kept) - 1, max(len(kept) // 2, 1) - 1, -1):
        text = kept[index].text
        if len(text) <= 60 and RELATED.match(text) and _headlines(kept[index + 1 :]):
            cut = index
    return Trimmed(kept[:cut] or kept, paywalled, notices)


def _is_furniture(text: str) -> bool:
    """A short line of furniture, or a list of nothing else ("Order Reprints / Print")."""
    return all(units(line, SHORT) <= SHORT and FURNITURE.match(line) for line in text.split("\n"))


def _headlines(blocks: list[Block]) -> bool:
    """Whether blocks read like a list of links: none, or all short lines."""
    lines = [line for block in blocks for line in block.text.split("\n")]
    return all(units(line, LIST_ITEM) <= LIST_ITEM for line in lines)
