"""Load: what is known about a source beyond its text, for citations to name it by.

A source is described in the manifest (`[[sources]]`, see `provenance.check.manifest`) or in a
sidecar file beside it: `briefing.txt` is described by `briefing.txt.source.toml`:

```toml
id = "harbour-briefing"                # what citations and manifests may call it
title = "Department of Harbours press briefing, 3 March 2024"
author = "Ada Okafor"                  # the author or speaker
publisher = "Department of Harbours"
date = "2024-03-03"
url = "https://example.org/briefing"
aliases = ["Okafor", "the department"]
speaker = ["Ada Okafor", "Ben Lee"]    # who speaks in it, for a transcript (one name or a list)
```

Every key is optional; an unknown key or a wrong type is one `ConfigError` line naming the file.
Without a description, a source is known by its file name, its first line (as title) and what its
reader found (a page's title, an e-mail's From and Subject).
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from provenance.decode import utf8_without_bom
from provenance.errors import ConfigError, config_error, read_named_file
from provenance.load.fetch import is_url
from provenance.model import SourceEntry

SIDECAR_SUFFIX = ".source.toml"


class SourceTable(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The keys that describe a source, in a sidecar file or a manifest's `[[sources]]` table."""

    id: str | None = None
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    aliases: list[str] = msgspec.field(default_factory=list)
    speaker: str | list[str] | None = None
    """Who speaks in it (a transcript: one name or several), for cues that name a speaker."""

    def entry(self) -> SourceEntry:
        speakers = [self.speaker] if isinstance(self.speaker, str) else list(self.speaker or [])
        return SourceEntry(id=self.id, title=self.title, author=self.author, publisher=self.publisher,
                           date=self.date, url=self.url, aliases=tuple(self.aliases), speakers=tuple(speakers))


def sidecar_of(source: Path) -> Path:
    """The sidecar file that may describe a source: its name with `.source.toml` added."""
    return source.with_name(source.name + SIDECAR_SUFFIX)


def read_sidecar(source: str | Path) -> SourceEntry | None:
    """The description beside a source file, or None when it has none (a URL source never has one)."""
    if isinstance(source, str) and is_url(source):
        return None
    path = sidecar_of(Path(source))
    if not path.is_file():
        return None
    data = utf8_without_bom(read_named_file(path, "source description"), path, "source description")
    try:
        return msgspec.toml.decode(data, type=SourceTable).entry()
    except msgspec.ValidationError as exc:
        raise config_error(path, exc) from None
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
