"""Load: a machine-written answer in JSON, with the sources it cites inside it.

Assistants and retrieval pipelines (RAG) give an answer with numbered citations and the contexts
or documents it was written from. Accepted shape (keys in order of preference):

```json
{
  "answer": "The harbour will close \\"at dusk on Friday\\" [1] ...",
  "sources": [
    {"id": "1", "title": "Press briefing, 3 March 2024", "url": "https://…", "author": "Ada Okafor",
     "text": "Transcript: …"},
    "a context given as a bare string is source [2]"
  ]
}
```

- the answer: `answer`, `response`, `output`, `text` or `content` (a string), or
  `message.content` / `choices[0].message.content` as chat APIs give it;
- its sources: `sources`, `citations`, `contexts`, `documents`, `references`, `context` or
  `search_results` (a list); each a string, or an object whose text is `text`, `content`,
  `page_content`, `snippet` or `chunk`, with optional `id`, `title`, `url`/`source`, `author`, and
  `metadata` holding any of those;
- a source is cited as `[n]` for its place in the list (1-based), or by its `id` when it has one.

The answer becomes the document; each source a text of its own (`answer.json#1`), named in
reports by its number and title. The example is `inputs/answer.json`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from provenance.decode import read_file_bytes
from provenance.errors import InputError
from provenance.model import SourceEntry
from provenance.text import Text, make_text

ANSWER_KEYS = ("answer", "response", "output", "text", "content")
SOURCE_KEYS = ("sources", "citations", "contexts", "documents", "references", "context", "search_results")
TEXT_KEYS = ("text", "content", "page_content", "snippet", "chunk")


@dataclass(frozen=True, slots=True)
class Answer:
    """A generated answer: the document, and the sources that came with it."""

    document: Text
    sources: tuple[Text, ...]
    entries: tuple[SourceEntry, ...]

    def after(self, texts: Sequence[Text], entries: Sequence[SourceEntry | None]
              ) -> tuple[list[Text], list[SourceEntry | None]]:
        """The sources given beside the answer, then its own, each with what is known of it."""
        return [*texts, *self.sources], [*entries, *self.entries]


def looks_like_answer(data: bytes) -> bool:
    """Whether the bytes are a JSON object with an answer and a list of sources (a UTF-8 byte-order
    mark before it allowed)."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    head = data.lstrip()[:1]
    if head != b"{":
        return False
    try:
        parsed = json.loads(data)
    except (ValueError, RecursionError):
        return False
    return isinstance(parsed, dict) and _answer_of(parsed) is not None and _sources_of(parsed) is not None


def _answer_of(obj: Mapping[str, Any]) -> str | None:
    for key in ANSWER_KEYS:
        if isinstance(obj.get(key), str):
            return str(obj[key])
    message = obj.get("message")
    if isinstance(message, dict) and isinstance(message.get("content"), str):
        return str(message["content"])
    choices = obj.get("choices")
    if isinstance(choices, list) and choices and isinstance(choices[0], dict):
        return _answer_of(choices[0])
    return None


def _sources_of(obj: Mapping[str, Any]) -> list[Any] | None:
    for key in SOURCE_KEYS:
        if isinstance(obj.get(key), list):
            return list(obj[key])
    return None


def _field(item: Mapping[str, Any], *keys: str) -> str | None:
    meta = item.get("metadata")
    for where in (item, meta if isinstance(meta, dict) else {}):
        for key in keys:
            value = where.get(key)
            if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
                return str(value).strip()
    return None


_SLUG_SKIP = frozenset("a an and at by for from in of on the to with".split())


def _slug(title: str) -> str:
    """A short id from a title: its first four words that are not articles or prepositions."""
    words = [w for w in re.findall(r"[a-z0-9]+", title.casefold()) if w not in _SLUG_SKIP][:4]
    return "-".join(words)


def load_answer(path: str | Path, *, max_bytes: int, role: str = "document") -> Answer | None:
    """The generated answer a `.json` file holds, or None for any other file (read as usual)."""
    if str(path) == "-" or not str(path).casefold().endswith(".json"):
        return None
    label = f"{role} {str(path)!r}"
    data = read_file_bytes(Path(path), label, max_bytes)
    if not looks_like_answer(data):
        return None
    return read_answer(data, str(path), label)


def read_answer(data: bytes, path: str, label: str) -> Answer:
    """The answer and its sources; every problem is one `InputError` line."""
    try:
        parsed = json.loads(data.removeprefix(b"\xef\xbb\xbf"))
    except (ValueError, RecursionError) as exc:
        raise InputError(f"{label}: not valid JSON ({exc})") from None
    if not isinstance(parsed, dict):
        raise InputError(f"{label}: a generated answer is a JSON object with an answer and its sources")
    answer = _answer_of(parsed)
    items = _sources_of(parsed)
    if answer is None or items is None:
        raise InputError(f"{label}: no answer text ({', '.join(ANSWER_KEYS)}) or no list of sources "
                         f"({', '.join(SOURCE_KEYS)})")
    if not answer.strip():
        raise InputError(f"{label}: the answer is empty")
    _require_unicode(answer, label, "the answer")
    document = make_text(answer, path=path, id="document")
    texts: list[Text] = []
    entries: list[SourceEntry] = []
    for n, item in enumerate(items, start=1):
        if isinstance(item, str):
            item = {"text": item}
        if not isinstance(item, dict):
            raise InputError(f"{label}: source {n} is neither a string nor an object")
        body = _field(item, *TEXT_KEYS)
        if body is None:
            raise InputError(f"{label}: source {n} has no text ({', '.join(TEXT_KEYS)})")
        _require_unicode(body, label, f"source {n}")
        cited_as = _field(item, "id", "index", "number") or str(n)
        title = _field(item, "title", "name")
        url = _field(item, "url", "source", "link", "href")
        sid = f"{cited_as}-{_slug(title)}" if title and _slug(title) else f"source-{cited_as}"
        texts.append(make_text(body if body.endswith("\n") else body + "\n", path=f"{path}#{cited_as}", id=sid))
        entries.append(SourceEntry(id=cited_as, title=title, author=_field(item, "author", "speaker"),
                                   publisher=_field(item, "publisher", "site"), date=_field(item, "date", "published"),
                                   url=url if url and url.startswith(("http://", "https://")) else None))
    return Answer(document, tuple(texts), tuple(entries))


def _require_unicode(text: str, label: str, what: str) -> None:
    """A JSON string may hold a lone surrogate (`\\ud800`), which no text can: one line."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(f"{label}: {what} holds a lone surrogate (\\u{ord(text[exc.start]):04x} at character "
                         f"{exc.start}), which is not text") from None
