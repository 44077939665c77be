"""The small files a user names (manifest, baseline, report) are read safely: one line for each problem."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from provenance.errors import ConfigError, InputError, ProvenanceError, read_named_file


def test_a_regular_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "provenance.toml"
    path.write_bytes(b"[policy]\n")
    assert read_named_file(path, "manifest") == b"[policy]\n"


def test_missing_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such manifest"):
        read_named_file(tmp_path / "absent.toml", "manifest")
    with pytest.raises(ConfigError, match="is a directory, not a manifest"):
        read_named_file(tmp_path, "manifest")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_device_is_refused_without_reading_it() -> None:
    with pytest.raises(InputError, match="not a regular file"):
        read_named_file(Path("/dev/zero"), "report", InputError)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_fifo_is_refused_without_opening_it(tmp_path: Path) -> None:
    fifo = tmp_path / "baseline.json"
    os.mkfifo(fifo)
    outcome: list[BaseException | bytes] = []

    def read() -> None:
        try:
            outcome.append(read_named_file(fifo, "baseline"))
        except ProvenanceError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=read, daemon=True)
    worker.start()
    worker.join(5)
    if worker.is_alive():  # unblock the reader before failing, so the test run does not hang
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a FIFO blocked")
    assert isinstance(outcome[0], ConfigError) and "not a regular file" in str(outcome[0])


def test_a_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b"x" * 101)
    assert read_named_file(path, "report", limit=101) == b"x" * 101
    with pytest.raises(ConfigError, match="over 100 bytes: too large for a report"):
        read_named_file(path, "report", limit=100)


def test_parameter_is_kept_apart_from_the_message() -> None:
    exc = InputError("document 'a.txt': over the limit of 10 bytes", parameter="max_bytes")
    assert exc.message == "document 'a.txt': over the limit of 10 bytes" and exc.parameter == "max_bytes"
    assert "--" not in exc.message


def test_no_library_error_message_names_a_command_line_flag() -> None:
    """The library speaks of its parameters; only provenance/cli.py knows option names (`error_line`)."""
    import ast

    from conftest import ROOT

    offenders = []
    for path in sorted((ROOT / "provenance").rglob("*.py")):
        if path.name == "cli.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and node.exc is not None:
                for part in ast.walk(node.exc):
                    if isinstance(part, ast.Constant) and isinstance(part.value, str) and "--" in part.value:
                        offenders.append(f"{path.relative_to(ROOT)}:{part.lineno}: {part.value!r}")
    assert not offenders, offenders
@pytest.mark.parametrize(("data", "expected"), [
    (b"\xef\xbb\xbf[policy]\n", b"[policy]\n"),
    ("[policy]\n".encode("utf-16"), b"[policy]\n"),
    (b"\xfe\xff" + "[policy]\n".encode("utf-16-be"), b"[policy]\n"),
    ("[policy]\n".encode("utf-32"), b"[policy]\n"),
    (b"[policy]\n", b"[policy]\n"),
    (b"\xef\xbb\xbf\xef\xbb\xbf[policy]\n", b"\xef\xbb\xbf[policy]\n"),  # only the first mark is a mark
])
def test_a_byte_order_mark_is_taken_off(data: bytes, expected: bytes) -> None:
    from provenance.decode import utf8_without_bom

    assert utf8_without_bom(data, Path("m.toml"), "manifest") == expected


def test_a_name_that_is_not_utf8_is_named_by_its_byte() -> None:
    from provenance.errors import require_utf8_name

    require_utf8_name("café.md", "document")
    with pytest.raises(InputError) as caught:
        require_utf8_name(os.fsdecode(b"docs/caf\xe9.md"), "document")
    assert caught.value.message == ("document 'docs/caf\\xe9.md': its file name is not valid UTF-8 (byte 0xE9), so no "
                                    "report can name it: rename the file")
    caught.value.message.encode("utf-8")  # the message itself can be written anywhere
