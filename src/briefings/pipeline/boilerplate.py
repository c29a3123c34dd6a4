"""Boilerplate inside the body, in the region's scripts: the blocks between paragraphs that
trafilatura keeps because they sit in the article's container.

`furniture` judges a whole block by its words; this module adds rules that need a block's
shape or its neighbours: each line of a list, how much of a block is link text, what
surrounds it, where it stands. Lengths are counted in `units`, where a CJK character counts as
a word: a 40-character Chinese line is a sentence, while 40 Latin characters make a label.

The rules, each cheap and each about a block's shape or stock phrases, never about a site:
- promotion and contact lines: newsletters, app and social-media calls, "Email X at x@y.com";
- pointers: "Related: <headline>", "Also on rt.com <headline>", "(Leggi anche: ...)";
- widget messages of forms and share boxes ("Thanks for signing up!", "기사 URL이 복사되었습니다")
  and published/updated stamps ("2025年1月14日 01時28分 (1月14日 01時40分更新)");
- a label such as "DON'T MISS" or "関連記事", with the run of linked headlines under it;
- runs of linked headlines with no label (two or more short lines that are all link text);
- one or two short lines caught between two stock lines (the rest of a newsletter box);
- at the body's end, lists of teasers (each item a linked headline and its blurb).
"""

from __future__ import annotations

import re
from functools import lru_cache

from briefings.pipeline.bodyhtml import Block

CJK_RANGES = (
    "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f"
)
UNIT = re.compile(rf"[{CJK_RANGES}]|[^\W{CJK_RANGES}]+")
LINK = re.compile(r"<a\b[^>]*>(.*?)</a>", re.DOTALL)
TAG = re.compile(r"<[^>]+>")
URL_ONLY = re.compile(r"^\s*(?:https?://|www\.|doi:?\s*)\S*\s*$", re.IGNORECASE)

LINE = 40  # units: a promotion, a pointer or a widget message is at most this long
HEADLINE = 30  # units: a linked line this long or shorter reads as a headline, not prose
SANDWICH = 25  # units: a line this short between two dropped blocks goes with them
STAMP = 20  # units: a published/updated line is at most this long
LINKED = 0.8  # share of a line's text inside links that makes it a link line

SOCIAL = (r"(?:twitter|facebook|instagram|youtube|linkedin|tiktok|whatsapp|telegram|flipboard"
          r"|google news|apple news|line|kakao(?:talk)?|weibo|wechat)")
PROMOTION = re.compile(
    r"(?:^|[.!?]\s+)(?:sign up|subscribe|register|join)\b.{0,80}"
    rf"\b(?:newsletters?|inbox|channel|podcast|alerts?|{SOCIAL})"
    r"|\bnewsletters?\b.{0,80}\b(?:sign up|subscribe|inbox|delivered)"
    r"|^.{0,40}\bnewsletters?$"
    r"|delivered (?:to|through|into) your (?:inbox|letterbox|door)"
    r"|^get (?:the )?(?:latest|real-time|live|instant|breaking)\b.{0,60}"
    r"\b(?:updates|alerts|news|coverage)\b"
    r"|^(?:click|tap) here\b|\bby clicking here\b|^download (?:the|our) .{0,40}\bapp\b"
    rf"|^follow (?:us|@\w+|[\w .'’-]{{1,40}}) on {SOCIAL}"
    rf"|^(?:like|follow) us\b|\bfollow us (?:on|at) {SOCIAL}"
    r"|this copy is for your personal,? non-commercial use"
    r"|^citation\s*:.{0,300}\bretrieved\b"
    r"|^(?:thanks?(?: you)? for (?:signing up|subscribing|registering|reading)|thank you"
    r"|sorry|an error (?:has )?occurred.{0,60}|there was an error.{0,80}"
    r"|please try again.{0,40}|this article has been sent to.{0,40}"
    r"|keep an eye on your inbox.{0,60})[.!]?$"
    r"|メール(?:マガジン|配信)|メルマガ|ニュースレター|会員登録|ログイン|記事保存|有料会員"
    r"|記事を(?:保存|印刷)|フォローする"
    r"|订阅|关注我们|扫码|扫一扫|微信公众号|点击(?:下载|关注|进入)|下载客户端|返回顶部|打印本页"
    r"|关闭窗口|字号[:：]?\s*大|【字体"
    r"|뉴스레터|구독\s*신청|구독하기|기사\s*URL이\s*복사|카카오톡\s*(?:채널|친구)|기사\s*입력\s*[:：]"
    r"|주요\s*뉴스$|많이 본 뉴스"
    r"|berlangganan|ikuti kami|đăng ký nhận|theo dõi chúng tôi",
    re.IGNORECASE,
)
CONTACT = re.compile(
    r"(?:\be-?mail|\bwrite to|\breach|\bcontact|\bfollow|\btips?\b|\bcan be reached"
    r"|\bmay be reached).{0,120}(?:\S@\S|\s@\w|twitter\.com/)",
    re.IGNORECASE,
)
# a published/updated line: a date and time with a word saying so, and nothing else (a bare
# "4:14 p.m." heads an entry of a live blog and stays)
STAMP_WORD = re.compile(
    r"\b(?:updated?|published|posted|last modified)\b|更新|公開|配信|掲載|发布|發布|更新时间"
    r"|입력|수정|발행|업데이트|cập nhật|diperbarui|dipublikasikan",
    re.IGNORECASE,
)
DATE_PARTS = re.compile(
    r"\d+|[年月日時分秒]|午[前後]|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"
    r"|\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|\b[ap]\.?m\b\.?|\b(?:on|at|gmt|utc|[a-z]st|e[dt])\b"
    r"|[\W_]",
    re.IGNORECASE,
)
POINTER = re.compile(
    r"^[\[(]?\s*(?:related(?: stories| articles| coverage| content)?|see more|read more"
    r"|read also|also read|see also|more from [\w.]+|also on [\w.]+\.\w+|leggi anche(?: su)?"
    r"|lees ook|lire aussi|voir aussi|lesen sie auch|mehr zum thema|leia também|lea también"
    r"|baca juga|xem thêm|関連記事|あわせて読みたい|相关(?:新闻|阅读|文章|报道)|延伸阅读"
    r"|관련\s*기사|함께 볼 기사)(?:\s*[:：|]|\s+[\w\"'‘“])",
    re.IGNORECASE,
)
LABEL = re.compile(
    r"^(?:don'?t miss|must read|most (?:read|popular|viewed)(?: \w+){0,4}|explore further"
    r"|more|more (?:to|on|from) \w+(?: \w+){0,3}|you (?:may|might) (?:also )?like|related"
    r"(?: \w+)?|trending(?: now)?|top stories|latest news|editor'?s picks?"
    r"|recommended(?: \w+)?|read next|watch next|featured"
    r"|関連(?:記事|ニュース)|おすすめ(?:記事)?|注目(?:記事|ニュース)|ランキング|あわせて読みたい"
    r"|相关(?:新闻|阅读|文章|报道)|热门(?:推荐|新闻|文章)|推荐阅读|延伸阅读|猜你喜欢|精彩推荐"
    r"|관련\s*기사|많이 본 (?:뉴스|기사)|추천 기사|인기 기사|이 시각 (?:주요|인기) 뉴스"
    r"|berita terkait|baca juga|terpopuler|tin liên quan|tin mới|xem nhiều)"
    r"[\s.:：…|]*$",
    re.IGNORECASE,
)


def units(text: str, most: int) -> int:
    """Words of the text, each CJK character counted as one, up to `most` + 1 (every rule
    compares a block with a short length)."""
    return min(_units(text), most + 1)


@lru_cache(maxsize=4096)
def _units(text: str) -> int:
    # Cached: the furniture and boilerplate rules measure the same blocks and lines again.
    return len(UNIT.findall(text))


def link_share(block: Block) -> float:
    """How much of a block's text is link text (from its HTML, entities counted as written)."""
    inside = sum(len(TAG.sub("", found)) for found in LINK.findall(block.html))
    return min(inside / max(len(block.text), 1), 1.0)


def clean_blocks(blocks: list[Block]) -> list[Block]:
    """The blocks without boilerplate (see the module docstring); figures always stay."""
    stock = [_boilerplate(block) for block in blocks]
    drop = _sandwiched(blocks, stock)
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if _label(block.text):
            run = _link_run(blocks, index + 1)
            drop[index:run] = [True] * (run - index)
            index = run
            continue
        run = _link_run(blocks, index)
        if run - index >= 2 or (run > index and "\n" in block.text):
            drop[index:run] = [True] * (run - index)
        index = max(run, index + 1)
    end = len(blocks)
    while end > 1 and (drop[end - 1] or _teasers(blocks[end - 1])):
        end -= 1
    drop[end:] = [True] * (len(blocks) - end)
    kept = [b for b, dropped in zip(blocks, drop, strict=True) if b.kind == "figure" or not dropped]
    return kept if any(b.text for b in kept) else blocks


def _boilerplate(block: Block) -> bool:
    """A short block made of stock phrases: every one of its lines is one."""
    lines = [line for line in block.text.split("\n") if line.strip()]
    return bool(lines) and all(_stock_line(line) for line in lines)


def _stock_line(line: str) -> bool:
    size = units(line, 2 * LINE)
    if size <= STAMP and _stamp(line):
        return True
    if size <= LINE and (PROMOTION.search(line) or POINTER.match(line)):
        return True
    return size <= 2 * LINE and bool(CONTACT.search(line))


def _stamp(line: str) -> bool:
    """Whether a line says only when the story was published or updated."""
    return bool(STAMP_WORD.search(line)) and not DATE_PARTS.sub("", STAMP_WORD.sub("", line))


def _sandwiched(blocks: list[Block], stock: list[bool]) -> list[bool]:
    """`stock`, with one or two short blocks between two stock blocks added: the rest of a
    newsletter or share box ("Pick Six Newsletter", its blurb, "Thanks for signing up!")."""
    drop = list(stock)
    for index in range(1, len(blocks) - 1):
        if not stock[index - 1] or stock[index]:
            continue
        end = index
        while (end < len(blocks) and not stock[end]
               and units(blocks[end].text, SANDWICH) <= SANDWICH):
            end += 1
        if end - index <= 2 and end < len(blocks) and stock[end]:
            drop[index:end] = [True] * (end - index)
    return drop


def _label(text: str) -> bool:
    """A "Don't miss" / "関連記事" label, alone or heading the linked headlines it introduces."""
    first, _, rest = text.partition("\n")
    if units(first, 8) > 8 or not LABEL.match(first):
        return False
    return not rest or all(units(line, HEADLINE) <= HEADLINE for line in rest.split("\n"))


def _link_line(block: Block) -> bool:
    """A short line (or a list of short lines) that is all link text: a headline elsewhere."""
    if block.kind not in ("p", "ul", "ol"):
        return False
    lines = block.text.split("\n")
    short = all(1 < units(line, HEADLINE) <= HEADLINE and not URL_ONLY.match(line)
                for line in lines)
    return short and link_share(block) >= LINKED


def _teasers(block: Block) -> bool:
    """A list whose every item opens with a link, a headline and its blurb: at the body's end,
    stories elsewhere on the site."""
    if block.kind not in ("ul", "ol") or "\n" not in block.text:
        return False
    items = block.html.split("<li>")[1:]
    return all(item.startswith("<a ") for item in items) and all(
        units(line, LINE) <= LINE for line in block.text.split("\n"))


def _link_run(blocks: list[Block], start: int) -> int:
    """The end of the run of link lines from `start` (== start when there is none)."""
    end = start
    while end < len(blocks) and _link_line(blocks[end]):
        end += 1
    return end
