"""Load: e-mails built here with the standard library, decoded as a reader sees them."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from provenance import compare
from provenance.errors import InputError
from provenance.load.email import EMAIL_READER
from provenance.load.formats import choose_reader

from conftest import finding_keys

ROOT = Path(__file__).resolve().parents[2]
INPUTS = ROOT / "inputs"


def _message(body: str, *, cte: str = "quoted-printable", charset: str = "utf-8") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "Desk Editor <desk@example.org>"
    msg["To"] = "checks@example.org"
    msg["Subject"] = "Quote, check, repeat"
    msg["Date"] = "Thu, 03 Dec 2026 09:00:00 +0000"
    msg.set_content(body, cte=cte, charset=charset)
    return msg


def test_quoted_printable_soft_breaks_and_encoded_dashes_come_back_as_written() -> None:
    body = ("Iraq \u2013 Ministry of Defense: \u201cThis increased traffic will include CH-47, UH-60, and AH-64 "
            "security escort helicopters, flying over the International Zone at night.\u201d\n")
    raw = _message(body).as_bytes()
    assert b"=\n" in raw or b"=\r\n" in raw  # soft line breaks in the transfer encoding
    got = EMAIL_READER.read(raw, "document 'x.eml'")
    assert got.text == body
    assert dict(got.metadata)["subject"] == "Quote, check, repeat"
    assert got.places[0].part == "1 text/plain" and got.places[0].line == 1


def test_base64_in_another_charset() -> None:
    got = EMAIL_READER.read(_message("Caf\xe9 cr\xe8me, na\xefve.\n", cte="base64", charset="iso-8859-1").as_bytes(),
                            "x")
    assert got.text == "Café crème, naïve.\n"


def test_a_multipart_message_is_read_by_its_text_part_and_else_by_its_html_part() -> None:
    msg = _message("The plain words.\n")
    msg.add_alternative("<p>The <b>rich</b> words.</p>", subtype="html")
    got = EMAIL_READER.read(msg.as_bytes(), "x")
    assert got.text == "The plain words.\n" and got.places[0].part == "1 text/plain"
    html_only = EmailMessage()
    html_only["From"], html_only["Subject"] = "a@example.org", "page"
    html_only.set_content("<html><body><nav>Menu</nav><p>The &ldquo;rich&rdquo; words.</p></body></html>",
                          subtype="html")
    got = EMAIL_READER.read(html_only.as_bytes(), "x")
    assert got.text == "The “rich” words.\n" and got.warnings and got.places[0].part.endswith("text/html")


def test_replies_are_block_quotations_credited_and_the_signature_is_left_out() -> None:
    body = ("Is this right?\n\nOn Tue, 14 Jan 2020, Delia Okafor wrote:\n> The harbour will close at dusk.\n"
            "> Night sailings resume in three weeks.\n\nThanks,\nAna\n-- \nAna Reyes, desk editor\n")
    got = EMAIL_READER.read(_message(body).as_bytes(), "x")
    assert "Ana Reyes" not in got.text and got.removed == ("signature: '-- \\nAna Reyes, desk editor'",)
    (reply,) = got.quotes
    assert got.text[reply.span.start:reply.span.end].startswith("> The harbour will close")
    assert reply.cite == "On Tue, 14 Jan 2020, Delia Okafor wrote:"


def test_an_email_is_recognised_by_its_headers_and_not_a_text_that_mentions_one() -> None:
    assert choose_reader(_message("x\n").as_bytes(), "saved.txt").format == "email"
    assert choose_reader(b"Subject: notes\n\nFrom: memory, the speech went like this.\n", "notes.txt").format == "text"


def test_an_email_without_a_readable_body_is_one_line() -> None:
    msg = EmailMessage()
    msg["From"], msg["Subject"] = "a@example.org", "photo"
    msg.set_content(b"\x89PNG....", maintype="image", subtype="png")
    with pytest.raises(InputError, match="no text or HTML body"):
        EMAIL_READER.read(msg.as_bytes(), "x")


def test_the_article_sent_as_an_email_gives_the_findings_of_its_plain_text(tmp_path: Path) -> None:
    article = (INPUTS / "article.md").read_text(encoding="utf-8")
    eml = tmp_path / "article.eml"
    eml.write_bytes(_message(article).as_bytes())
    sources = [INPUTS / "letter-2020-01-06.txt", INPUTS / "wire-report.txt"]
    as_mail = compare(eml, sources)
    assert as_mail.document.format == "email"
    assert finding_keys(as_mail) == finding_keys(compare(INPUTS / "article.md", sources))
    assert len(finding_keys(as_mail)) > 20
