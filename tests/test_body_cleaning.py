"""The body's cleaning beyond trafilatura: hidden elements, boilerplate blocks in the region's
scripts, and the page's own witnesses of the article's extent (marked element, JSON-LD
articleBody, the feed's content)."""

from __future__ import annotations

import json

from lxml.html import fromstring, tostring

from briefings.pipeline.bodyhtml import Block
from briefings.pipeline.boilerplate import clean_blocks, link_share, units
from briefings.pipeline.candidates import agreed_blocks, witnesses
from briefings.pipeline.extract import extract
from briefings.pipeline.furniture import trim_furniture
from briefings.pipeline.hidden import hidden_set_aside
from briefings.pipeline.types import ExtractHints, FeedEntry
from tests.test_extract import PROSE, make_page, paragraphs


def p(text: str) -> Block:
    return Block("p", f"<p>{text}</p>", text)


def linked(*lines: str, kind: str = "p") -> Block:
    if kind == "p":
        return Block("p", f'<p><a href="https://x.example/{len(lines[0])}">{lines[0]}</a></p>',
                     lines[0])
    items = "".join(f'<li><a href="https://x.example/{i}">{line}</a></li>'
                    for i, line in enumerate(lines))
    return Block(kind, f"<{kind}>{items}</{kind}>", "\n".join(lines))


def texts(blocks: list[Block]) -> list[str]:
    return [b.text for b in blocks]


STORY = [p(text) for text in PROSE]


# --- lengths in units --------------------------------------------------------------------------

def test_a_cjk_character_counts_as_a_word() -> None:
    assert units("Ministers agree on a plan", 10) == 5
    assert units("関連記事", 10) == 4
    assert units("版权所有 Xinhua 2024", 10) == 6
    assert units("word " * 500, 40) == 41  # counted only as far as a rule needs


def test_furniture_lengths_count_cjk_characters_for_what_they_carry() -> None:
    notice = p("版权所有 新华网")
    sentence = p("本报讯 记者从市政府获悉，全市今年新建的二十所学校将于九月一日开学，"
                 "新增学位一万二千个，版权所有的教材由市教育局统一采购，家长无需另行购买。")
    kept = trim_furniture([*STORY[:2], notice, sentence, *STORY[2:]]).blocks
    assert notice not in kept and sentence in kept


def test_a_list_of_nothing_but_furniture_is_dropped() -> None:
    tools = Block("ul", "<ul><li>Order Reprints</li><li>Print Article</li></ul>",
                  "Order Reprints\nPrint Article")
    assert trim_furniture([*STORY, tools]).blocks == STORY


# --- boilerplate blocks --------------------------------------------------------------------------

def test_promotion_and_contact_lines_are_dropped_prose_that_mentions_them_stays() -> None:
    stock = [
        "Click here to subscribe to The Example Times Newsletter",
        "Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.",
        "Email Jane Roe at jroe@example.com or follow her @janeroe.",
        "This copy is for your personal, non-commercial use only.",
        "Get real-time updates and result insights on the exam results.",
        "ニュースレターの登録はこちら",
        "기사 URL이 복사되었습니다.",
    ]
    prose = p("You can also subscribe to this newsletter here, the editor said on Monday.")
    blocks = [STORY[0], *(p(line) for line in stock), prose, *STORY[1:]]
    assert clean_blocks(blocks) == [STORY[0], prose, *STORY[1:]]


def test_pointers_to_other_stories_are_dropped() -> None:
    pointers = ["Related: Ten photos of the summit", "(Leggi anche: I ministri in Europa)",
                "Also on rt.com Markets slide as talks stall", "関連記事：円相場の行方"]
    blocks = [STORY[0], *(p(line) for line in pointers), *STORY[1:]]
    assert clean_blocks(blocks) == STORY


def test_a_label_takes_the_linked_headlines_under_it_but_not_the_prose_after() -> None:
    blocks = [STORY[0], p("DON'T MISS"), linked("Rates held steady as yen slides"),
              linked("Exporters fret over the strong currency"), *STORY[1:]]
    assert clean_blocks(blocks) == STORY
    inline = Block("p", "<p>相关新闻<br><a href='/a'>央行维持利率不变</a><br>"
                   "<a href='/b'>出口商担忧汇率</a></p>",
                   "相关新闻\n央行维持利率不变\n出口商担忧汇率")
    assert clean_blocks([*STORY, inline]) == STORY


def test_runs_of_linked_headlines_go_single_links_and_url_lines_stay() -> None:
    one = linked("Rates held steady as yen slides")
    urls = [linked("https://amzn.to/2hZfWFJ"), linked("https://amzn.to/2hWw372")]
    listed = linked("Rates held steady", "Exporters fret over yen", kind="ul")
    assert clean_blocks([STORY[0], one, *STORY[1:]]) == [STORY[0], one, *STORY[1:]]
    assert clean_blocks([STORY[0], *urls, *STORY[1:]]) == [STORY[0], *urls, *STORY[1:]]
    assert clean_blocks([STORY[0], listed, *STORY[1:]]) == STORY
    assert link_share(one) == 1.0 and link_share(STORY[0]) == 0.0


def test_the_rest_of_a_newsletter_box_goes_with_its_stock_lines() -> None:
    lines = ("Pick Six Newsletter", "Get the big stories and the picks.", "Thanks for signing up!")
    box = [Block(kind, f"<{kind}>{line}</{kind}>", line)
           for kind, line in zip(("h3", "h4", "h3"), lines, strict=True)]
    assert clean_blocks([*STORY[:2], *box, *STORY[2:]]) == STORY
    short = p("The talks resume in May.")  # a short line with no stock line after it stays
    assert clean_blocks([*STORY, box[0], short]) == [*STORY, short]


def test_teaser_lists_at_the_end_go_published_stamps_go_live_blog_times_stay() -> None:
    teasers = Block(
        "ul", "<ul><li><a href='/a'>Rates held</a> The bank kept its rate at 2%</li>"
        "<li><a href='/b'>Yen slides</a> Exporters cheer the weaker currency</li></ul>",
        "Rates held The bank kept its rate at 2%\nYen slides Exporters cheer the weaker currency")
    assert clean_blocks([*STORY, teasers]) == STORY
    assert clean_blocks([STORY[0], teasers, *STORY[1:]]) == [STORY[0], teasers, *STORY[1:]]
    stamps = [p("2025年1月14日 01時28分 (1月14日 01時40分更新)"),
              p("Updated 5:14 PM ET, Nov. 19, 2019")]
    assert clean_blocks([*stamps, *STORY]) == STORY
    entry = p("4:14 p.m.")
    assert clean_blocks([STORY[0], entry, *STORY[1:]]) == [STORY[0], entry, *STORY[1:]]


# --- hidden elements --------------------------------------------------------------------------

def test_hidden_elements_are_set_aside_and_put_back() -> None:
    tree = fromstring("<html><body><div><p>Seen</p><div style='Display: None'>Copy</div>tail"
                      "<span hidden>x</span></div></body></html>")
    before = tostring(tree)
    with hidden_set_aside(tree) as count:
        assert count == 2
        assert tree.text_content() == "Seentail"
    assert tostring(tree) == before


def test_hidden_copies_of_the_article_do_not_multiply_the_body() -> None:
    # trafilatura prunes hidden elements only while enough text is left, so much hidden text
    # (schema.org copies of the body, one per edition) would stay in
    copies = "".join(f"<p>{text} Edition {n}.</p>" for n in range(3) for text in PROSE)
    article = extract(make_page(paragraphs() + f"<div style='display:none'>{copies}</div>"))
    assert article.text == "\n\n".join(PROSE)


def test_a_page_whose_text_is_all_hidden_still_gives_it() -> None:
    article = extract(make_page(f"<div style='display:none'>{paragraphs()}</div>"))
    assert article.text == "\n\n".join(PROSE)


# --- witnesses --------------------------------------------------------------------------------

OTHER_POST = ("Another post on this blog, about the harvest festival held in the old town, drew "
              "hundreds of visitors who came to taste the season's first wines and cheeses.")


def test_a_marked_article_element_keeps_only_its_blocks() -> None:
    html = ("<html><body><article itemscope itemtype='https://schema.org/BlogPosting'>"
            f"{paragraphs()}</article><article>{OTHER_POST}</article></body></html>")
    tree = fromstring(html)
    blocks = [*STORY, p(OTHER_POST)]
    assert agreed_blocks(blocks, witnesses(tree, "", "")) == STORY


def test_a_witness_that_does_not_hold_the_core_is_ignored() -> None:
    html = (f"<html><body><div itemprop='articleBody'><p>{PROSE[0]}</p>{'<p>x</p>' * 3}"
            f"<p>{OTHER_POST}</p></div></body></html>")
    blocks = [*STORY, p(OTHER_POST)]
    assert agreed_blocks(blocks, witnesses(fromstring(html), "", "")) == blocks


def test_a_whole_json_ld_article_body_trims_the_body_a_cut_one_does_not() -> None:
    box = "<p>The Example Times is hiring reporters for its regional desks; apply by June.</p>"
    body = paragraphs() + box
    whole = {"@type": "NewsArticle", "headline": "Ministers agree on currency plan",
             "articleBody": "\n".join(PROSE)}
    head = f'<script type="application/ld+json">{json.dumps(whole)}</script>'
    assert extract(make_page(body, head)).text == "\n\n".join(PROSE)
    cut = {**whole, "articleBody": PROSE[0] + " " + PROSE[1][:40] + "..."}
    head = f'<script type="application/ld+json">{json.dumps(cut)}</script>'
    assert "hiring reporters" in extract(make_page(body, head)).text


def test_the_feed_content_trims_the_body() -> None:
    box = "<p>The Example Times is hiring reporters for its regional desks; apply by June.</p>"
    quote = "The minister said: “We won’t wait for the others.”"
    page = make_page(paragraphs([*PROSE, quote]) + box)
    encoded = "<p>The minister said: &#8220;We won&rsquo;t wait for the others.&#8221;</p>"
    entry = FeedEntry(url=page.url, feed_url="https://news.example.com/feed",
                      content_html=paragraphs() + encoded)
    assert extract(page, ExtractHints(entry=entry)).text == "\n\n".join([*PROSE, quote])
    teaser = FeedEntry(url=page.url, feed_url="https://news.example.com/feed",
                       content_html=f"<p>{PROSE[0]}</p>")
    assert "hiring reporters" in extract(page, ExtractHints(entry=teaser)).text
