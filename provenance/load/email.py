"""Load: an e-mail (`.eml`, RFC 5322), read with the standard library's `email` package.

The text is the message's plain-text body, decoded from its transfer encoding (quoted-printable
soft line breaks rejoined, base64) and its charset, with `format=flowed` lines rejoined (RFC
3676); when the message has no plain-text body, or an empty one, its HTML body is read by the
web-page reader. Quoted replies (`>` lines) stay in the text as they stand, which the comparator
reads as block quotations, and are recorded as quotation markup with the `On …, X wrote:` line
before them as their credit. The signature (from a `-- ` line on) is left out and recorded.
From, To, Date, Subject and Message-ID are the metadata. Places are the body part (`1.2
text/plain`) and the line in its decoded text.

Where it can fail: a reply quoted without `>` marks (Outlook's "-----Original Message-----"
blocks are read as the writer's own text), and a message whose only body is an attachment.
"""

from __future__ import annotations

import re
from dataclasses import replace
from email import message_from_bytes, policy
from email.message import EmailMessage, Message

from provenance.errors import InputError
from provenance.load.base import Extracted, QuoteMark, Reader, places_of_lines
from provenance.model import Span

_HEADER_RE = re.compile(rb"^([A-Za-z][\w-]{0,60}):[ \t]")
_KNOWN = frozenset({b"from", b"to", b"subject", b"date", b"message-id", b"mime-version", b"received"})
_REPLY_RUN_RE = re.compile(r"(?:^>.*(?:\n|$))+", re.M)
_WROTE_RE = re.compile(r"^(On .{4,200}wrote:|.{2,120} (?:wrote|schrieb|a écrit) ?:)\s*$", re.M)
_METADATA = (("from", "From"), ("to", "To"), ("date", "Date"), ("subject", "Subject"), ("message-id", "Message-ID"))


def sniff_email(data: bytes) -> bool:
    """Headers first: every line before the first blank one a header (or its continuation), at
    least two of them From, To, Subject, Date, Message-ID, MIME-Version or Received."""
    seen: set[bytes] = set()
    for line in data[:8192].lstrip(b"\xef\xbb\xbf").splitlines()[:60]:
        if not line.strip():
            break
        if line[:1] in (b" ", b"\t"):
            continue
        m = _HEADER_RE.match(line)
        if m is None:
            return False
        seen.add(m.group(1).lower())
    return len(seen & _KNOWN) >= 2


def _part_names(message: Message) -> dict[int, str]:
    """Each part's number as a mail reader gives it (`1`, `1.2`), by the part's identity."""
    names: dict[int, str] = {}

    def walk(part: Message, name: str) -> None:
        names[id(part)] = name or "1"
        if part.is_multipart():
            for k, child in enumerate(part.get_payload(), 1):
                walk(child, f"{name}.{k}" if name else str(k))

    walk(message, "")
    return names


def _unflow(text: str, delsp: bool) -> str:
    """Lines of a `format=flowed` body rejoined: a line ending in a space goes on in the next (RFC 3676)."""
    out: list[str] = []
    for line in text.split("\n"):
        if out and out[-1].endswith(" ") and not out[-1].startswith("-- "):
            out[-1] = (out[-1][:-1] if delsp else out[-1]) + line
        else:
            out.append(line)
    return "\n".join(out)


def _signature_cut(text: str) -> tuple[str, str]:
    """The text before a signature line (`-- `), and the signature."""
    m = re.search(r"^-- ?$", text, re.M)
    if m is None:
        return text, ""
    return text[:m.start()].rstrip() + "\n", text[m.start():].strip()


def _replies(text: str) -> tuple[QuoteMark, ...]:
    """The runs of `>` lines, each with the `... wrote:` line just before it."""
    marks = []
    for m in _REPLY_RUN_RE.finditer(text):
        before = text[:m.start()].rstrip("\n").rsplit("\n", 1)[-1]
        credit = _WROTE_RE.match(before)
        marks.append(QuoteMark("reply", Span(m.start(), m.end()), credit.group(1) if credit else None))
    return tuple(marks)


def _body_text(body: EmailMessage, label: str) -> str:
    try:
        content = body.get_content()
    except (LookupError, UnicodeError, ValueError) as exc:
        raise InputError(f"{label}: the e-mail's text cannot be decoded ({exc})") from None
    text = content if isinstance(content, str) else bytes(content).decode("utf-8", "replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if body.get_param("format", "", header="content-type") == "flowed":
        text = _unflow(text, str(body.get_param("delsp", "no", header="content-type")).lower() == "yes")
    return text


def read_email(data: bytes, label: str) -> Extracted:
    """The text an e-mail's reader sees, with its part and line for every offset."""
    message = message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    metadata = tuple((key, str(message[name])) for key, name in _METADATA if message[name] is not None)
    names = _part_names(message)
    plain = message.get_body(preferencelist=("plain",))
    text = _body_text(plain, label) if isinstance(plain, EmailMessage) else ""
    if not text.strip():
        html = message.get_body(preferencelist=("html",))
        if not isinstance(html, EmailMessage):
            raise InputError(f"{label}: this e-mail has no text or HTML body to read")
        from provenance.load.html import read_html

        page = read_html(_body_text(html, label).encode("utf-8"), label)
        part = f"{names.get(id(html), '1')} text/html"
        return Extracted(text=page.text, format="email", extractor="python email + provenance html.parser",
                         places=tuple(replace(p, part=part) for p in page.places),
                         quotes=page.quotes, metadata=(*metadata, *page.metadata),
                         warnings=("no plain-text body: the HTML body was read",))
    body, signature = _signature_cut(text)
    part = f"{names.get(id(plain), '1')} text/plain"
    return Extracted(text=body, format="email", extractor="python email", places=places_of_lines(body, part=part),
                     quotes=_replies(body), metadata=metadata,
                     removed=(f"signature: {signature!r}",) if signature else ())


EMAIL_READER = Reader(format="email", extensions=(".eml", ".mbox"), sniff=sniff_email, read=read_email,
                      description="an e-mail (.eml): its text body decoded, or its HTML body")
