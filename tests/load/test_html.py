"""Load: web pages. The text a reader sees, no markup or furniture in it, each word's place in the page source."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from provenance import compare
from provenance.cli import main
from provenance.load import load_text
from provenance.load.formats import choose_reader
from provenance.load.html import read_html
from provenance.text import tokenize

ROOT = Path(__file__).resolve().parents[2]
INPUTS = ROOT / "inputs"

FURNISHED_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Harbour to close</title>
<script async src="https://www.googletagmanager.com/gtm.js?id=GTM-X1"></script>
<style>.lede { font-weight: bold }</style>
<link rel="stylesheet" href="/site.css"></head>
<body class="page">
<div id="cookie-consent" class="cookie-banner">We use "cookies" to improve things. <button>Accept</button></div>
<header role="banner"><a class="logo" href="/">Gazette</a>
<nav><ul><li><a href="/world">World</a></li><li><a href="/local">Local</a></li></ul></nav></header>
<div class="ad ad-top"><iframe src="https://ads.example/slot?w=728&amp;h=90"></iframe></div>
<article>
<h1>Harbour to close, says mayor</h1>
<div class="social-share"><a href="#">Tweet this</a></div>
<p class="lede">The mayor said &ldquo;the harbour will close at dusk&rdquo; and that
<q>the ferries will stop running</q>&mdash that was all.</p>
<blockquote cite="https://council.example/minutes">
<div class="adslot"><script>googletag.display("div-gpt-1")</script></div>
<p>We will reopen the harbour when the breakwater is safe.</p>
<footer>&mdash; Delia Okafor, harbour master</footer>
</blockquote>
<p hidden>Hidden text that is never shown.</p>
<p style="display: none">Also never shown.</p>
<span aria-hidden="true">Decorative glyph</span>
<p>Reporting by A. Writer &amp; B. Editor.</p>
<aside class="related"><h2>Related</h2><p>&ldquo;Another story&rdquo;</p></aside>
</article>
<section class="comments" id="comments"><p>Reader said "fake news"</p></section>
<footer class="site-footer">&copy; Gazette</footer>
<script>document.write("<p>late</p>")</script>
</body></html>
"""


def _read(page: str) -> str:
    return read_html(page.encode("utf-8"), "page").text


def test_furniture_markup_and_scripts_are_never_document_text() -> None:
    text = _read(FURNISHED_PAGE)
    for furniture in ("cookies", "Accept", "Gazette", "World", "ads.example", "Tweet", "googletag", "gtm",
                      "width=device-width", "font-weight", "Hidden text", "never shown", "Decorative", "Related",
                      "Another story", "fake news", "late", "site.css", "&", "<", "mdash", "ldquo"):
        assert furniture not in text.replace("A. Writer & B. Editor", ""), furniture
    assert text.startswith("Harbour to close, says mayor\n\nThe mayor said “the harbour will close at dusk”")
    assert "A. Writer & B. Editor" in text


def test_entities_are_decoded_with_or_without_their_semicolon() -> None:
    text = _read("<p>Okafor &mdash the harbour master &ndash; said &#8220;no&#x201D; &amp; left.</p>")
    assert text == "Okafor — the harbour master – said “no” & left.\n"


def test_q_elements_get_the_marks_a_browser_draws_and_are_recorded_as_quotation() -> None:
    extracted = read_html(b"<p>She said <q>we will <q>never</q> sell</q>.</p>", "page")
    assert extracted.text == "She said “we will ‘never’ sell”.\n"
    spans = sorted((q.span.start, q.span.end, q.kind) for q in extracted.quotes)
    assert [extracted.text[s:e] for s, e, _ in spans] == ["we will ‘never’ sell", "never"]


def test_a_blockquote_becomes_quote_lines_with_its_credit_after_it() -> None:
    extracted = read_html(FURNISHED_PAGE.encode(), "page")
    assert "> We will reopen the harbour when the breakwater is safe.\n\n— Delia Okafor, harbour master" \
        in extracted.text
    block = next(q for q in extracted.quotes if q.kind == "blockquote")
    assert extracted.text[block.span.start:block.span.end] == "We will reopen the harbour when the breakwater is safe."
    assert block.cite == "https://council.example/minutes"
    credited = read_html(b"<blockquote><p>To be or not to be.</p><p><cite>Hamlet</cite></p></blockquote>", "p")
    assert credited.quotes[0].cite == "Hamlet"
    assert credited.text == "> To be or not to be.\n\nHamlet\n"


def test_multi_paragraph_blockquote_stays_one_block() -> None:
    text = _read("<blockquote><p>First.</p><p>Second.</p></blockquote><p>After.</p>")
    assert text == "> First.\n>\n> Second.\n\nAfter.\n"


def test_lists_are_laid_out_as_a_browser_numbers_them() -> None:
    text = _read('<ol start="9"><li>Nine.</li><li> Ten.</li></ol><ul><li>dot</li></ul>')
    assert text == "9. Nine.\n10. Ten.\n\n- dot\n"


def test_every_word_points_at_its_line_and_column_in_the_page_source() -> None:
    page = FURNISHED_PAGE
    extracted = read_html(page.encode(), "page")
    lines = page.split("\n")
    tokens = tokenize(extracted.text)
    checked = 0
    for start, end in zip(tokens.starts, tokens.ends, strict=True):
        word = extracted.text[start:end]
        place = extracted.place_of(start)
        assert place is not None and place.line is not None and place.column is not None
        source_line = lines[place.line - 1]
        if word.isalnum():
            assert source_line[place.column - 1:].startswith(word), (word, place)
            checked += 1
    assert checked > 30


def test_the_main_content_is_the_article_else_the_body_with_a_warning() -> None:
    with_article = read_html(b"<body><div>Menu text here</div><article><p>The story itself.</p></article></body>", "p")
    assert with_article.text == "The story itself.\n" and not with_article.warnings
    without = read_html(b"<body><div>Menu</div><p>The story itself.</p></body>", "p")
    assert "The story itself." in without.text and without.warnings


def test_meta_charset_decides_the_encoding() -> None:
    page = '<html><head><meta charset="windows-1252"></head><body><p>“Caf\xe9”</p></body></html>'
    extracted = read_html(page.encode("cp1252"), "page")
    assert extracted.text == "“Café”\n" and extracted.encoding == "cp1252"


def test_metadata_from_the_head() -> None:
    extracted = read_html(FURNISHED_PAGE.encode(), "page")
    assert dict(extracted.metadata)["title"] == "Harbour to close"


def test_a_page_of_nothing_but_furniture_is_refused_in_one_line(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "empty.html"
    page.write_text("<html><body><nav>Home</nav><script>x()</script></body></html>", encoding="utf-8")
    source = tmp_path / "s.txt"
    source.write_text("Some source words here.", encoding="utf-8")
    assert main(["compare", str(page), "-s", str(source)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "holds no text outside its scripts" in err[0]


def test_a_page_is_recognised_by_its_content_whatever_it_is_called() -> None:
    assert choose_reader(b"<!DOCTYPE html><html><body><p>x</p></body></html>", "saved.txt").format == "html"
    assert choose_reader(b"# Notes\n\nA line with a <br> in it.\n", "notes.md").format == "text"
    assert choose_reader(b"<p>just a fragment</p>", "fragment.html").format == "html"


def test_the_saved_page_of_the_example_article_gives_the_findings_of_its_plain_text() -> None:
    sources = [INPUTS / "letter-2020-01-06.txt", INPUTS / "wire-report.txt"]
    as_text = compare(INPUTS / "article.md", sources)
    as_page = compare(INPUTS / "article.html", sources)
    assert as_page.document.format == "html" and as_text.document.format == "text"
    key = [[(f.type, f.doc_text, f.src_text, f.message) for f in r.findings] for r in as_text.passages]
    assert key == [[(f.type, f.doc_text, f.src_text, f.message) for f in r.findings] for r in as_page.passages]
    assert [r.verdict for r in as_text.passages] == [r.verdict for r in as_page.passages]
    assert sum(len(r.findings) for r in as_page.passages) > 20


def test_the_json_report_names_the_format_and_gives_places_in_the_page_source(
        capsys: pytest.CaptureFixture[str]) -> None:
    page = INPUTS / "article.html"
    assert main(["compare", str(page), "-s", str(INPUTS / "letter-2020-01-06.txt"), "-f", "json",
                 "--no-timestamp"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["document"]["format"] == "html"
    assert report["document"]["extractor"].startswith("provenance html.parser")
    assert report["document"]["metadata"]["title"].startswith("Quote, check, repeat")
    assert "format" not in report["sources"][0]  # plain text: as before
    source_lines = page.read_text(encoding="utf-8").split("\n")
    for passage in report["passages"]:
        origin = passage["doc_span"]["origin"]
        assert re.fullmatch(r"line \d+, column \d+", origin["where"])
        first_word = re.search(r"\w+", passage["text"])
        assert first_word is not None
        assert first_word.group() in source_lines[origin["line"] - 1]
        assert "origin" not in (passage["match"] or {}).get("src_span", {})


def test_the_terminal_view_shows_the_place_in_the_page(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", str(INPUTS / "article.html"), "-s", str(INPUTS / "letter-2020-01-06.txt"),
                 "--width", "120"]) == 0
    assert re.search(r"doc \d+:\d+–\d+:\d+ \(line \d+, column \d+\)", capsys.readouterr().out)


def test_format_in_overrides_the_choice_and_an_unknown_one_is_a_usage_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.txt"
    page.write_text("<p>The harbour will close.</p><p>Second.</p>", encoding="utf-8")
    assert load_text(page).format == "html"
    assert load_text(page, format_in="text").original.startswith("<p>")
    assert main(["compare", str(page), "-s", str(page), "--format-in", "klingon"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "klingon" in err[0] and "html" in err[0] and "--format-in" in err[0]


def test_an_unsupported_binary_is_refused_naming_what_is_read(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    archive = tmp_path / "bundle.7z"
    archive.write_bytes(b"7z\xbc\xaf\x27\x1c" + bytes(40))
    source = tmp_path / "s.txt"
    source.write_text("Some source words here.", encoding="utf-8")
    assert main(["compare", str(archive), "-s", str(source)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "7-Zip archive" in err[0] and "html" in err[0] and "image" in err[0]


BLOG_PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="description" content="The council voted to keep the ferry.">
<!--[if lt IE 9]><script src="html5shiv.js"></script><![endif]-->
</head>
<body class="blog has-sidebar">
<div id="top-menu"><a href="/">Home</a> | <a href="/archive">Archive</a> | <a href="/about">About us</a></div>
<![endif]-->
<div class="wrapper">
<div class="widget Blog">
<div class="elementor-widget-container post-body">
<h2 class="post-title">Ferry kept after council vote</h2>
<p>The council voted on Tuesday, after a long debate, to keep the ferry running through the winter months.</p>
<figure><img src="ferry.jpg" alt="The ferry at dusk"><figcaption>Photo: J. Smith/Agency</figcaption></figure>
<p>Its chair said the crossing was "a lifeline for the island, and for the people who work on it".</p>
<figure><blockquote><p>We keep what keeps us.</p></blockquote><figcaption>Island motto</figcaption></figure>
<p>The vote was nine to four, with two abstentions, and the service will be reviewed in the spring.</p>
<h3>More on this</h3>
<ul><li><a href="/a">Ferry fares to rise</a></li><li><a href="/b">Harbour dredging begins</a></li></ul>
</div>
</div>
</div>
<div class="side"><h3>Archive</h3><a href="/2019">2019</a> <a href="/2020">2020</a> <a href="/2021">2021</a></div>
</body></html>
"""


def test_the_main_block_is_found_by_its_prose_whatever_its_wrappers_are_called() -> None:
    """No `<article>`: the block holding the paragraphs is the article, though a blog platform calls
    it a widget inside a page `has-sidebar`; photo captions, a link list under its subheading, the
    menu of links, a stray `<![endif]-->` and the head's `http-equiv` are not its text."""
    extracted = read_html(BLOG_PAGE.encode(), "blog")
    text = extracted.text
    assert text.startswith("Ferry kept after council vote\n\nThe council voted on Tuesday")
    assert "the service will be reviewed in the spring." in text
    assert "> We keep what keeps us.\n\nIsland motto" in text  # a quotation's caption is its credit
    assert [q.cite for q in extracted.quotes if q.kind == "blockquote"] == ["Island motto"]
    for furniture in ("Photo: J. Smith", "More on this", "Ferry fares", "Archive", "Home", "About us",
                      "endif", "-->", "text/html", "charset", "html5shiv", "2019", "The ferry at dusk"):
        assert furniture not in text, furniture
    assert not extracted.warnings


def test_an_articles_own_classes_naming_its_topics_do_not_drop_it() -> None:
    page = (b'<body><article class="post category-newsletter tag-comments"><h1>Title here</h1>'
            b'<p>The article text, long enough to be a paragraph of prose.</p></article></body>')
    assert read_html(page, "p").text == "Title here\n\nThe article text, long enough to be a paragraph of prose.\n"


def test_a_comment_ends_where_a_browser_ends_it() -> None:
    """`-- >` does not end a comment (html.parser before Python 3.13 took it to), so a script
    commented out is not read as text; `<!-->` is an empty comment."""
    page = b"<body><p>Before.</p><!-- <script>while (n-- >0) { go(n) }</script> --><p>After.</p><!--><p>End.</p>"
    assert read_html(page, "p").text == "Before.\n\nAfter.\n\nEnd.\n"


def test_a_negated_class_is_not_furniture_and_an_article_of_links_gives_its_links() -> None:
    kept = read_html(b'<body><main><section class="row non-paywall"><p>Free to read, this paragraph is '
                     b'the story.</p></section><div class="paywall">Subscribe now</div></main></body>', "p")
    assert kept.text == "Free to read, this paragraph is the story.\n"
    links = read_html(b'<body><article><ul><li><a href="/1">First link of the roll</a></li>'
                      b'<li><a href="/2">Second link of the roll</a></li></ul></article></body>', "p")
    assert links.text == "- First link of the roll\n- Second link of the roll\n"
